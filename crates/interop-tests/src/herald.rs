//! Finding (and building) the `herald` binary the tests run.
//!
//! `env!("CARGO_BIN_EXE_herald")` only exists inside the `herald` crate, so this crate looks
//! for `<target>/debug/herald` itself: `HERALD_BIN` if set, else the workspace's target
//! directory (`CARGO_TARGET_DIR`, or `target/` at the workspace root). Unless
//! `HERALD_NO_BUILD=1`, it first runs `cargo build -p herald --locked` once per test process
//! (a no-op when `scripts/test` has built it already), so the tests never run a stale binary.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use crate::error::{HarnessError, Result};
use crate::process::{run, Daemon};

/// The workspace root: two levels above this crate's manifest.
pub fn workspace_root() -> PathBuf {
    let manifest = Path::new(env!("CARGO_MANIFEST_DIR"));
    let manifest = manifest
        .canonicalize()
        .unwrap_or_else(|_| manifest.to_path_buf());
    manifest
        .parent()
        .and_then(Path::parent)
        .map_or_else(|| manifest.clone(), Path::to_path_buf)
}

/// Where cargo puts the `herald` binary of this workspace.
fn default_binary() -> PathBuf {
    let root = workspace_root();
    let target =
        std::env::var_os("CARGO_TARGET_DIR").map_or_else(|| root.join("target"), |t| root.join(t));
    target.join("debug").join("herald")
}

/// The path of an up-to-date `herald` binary, building it first if needed.
pub fn herald_binary() -> Result<PathBuf> {
    static BUILT: OnceLock<std::result::Result<PathBuf, (PathBuf, String)>> = OnceLock::new();
    let built = BUILT.get_or_init(|| {
        if let Some(bin) = std::env::var_os("HERALD_BIN") {
            return Ok(PathBuf::from(bin));
        }
        let bin = default_binary();
        let skip = std::env::var("HERALD_NO_BUILD").is_ok_and(|v| v == "1");
        if !skip {
            build(&bin)?;
        }
        if bin.is_file() {
            Ok(bin)
        } else {
            Err((bin, "not built".to_owned()))
        }
    });
    built
        .clone()
        .map_err(|(path, reason)| HarnessError::Herald { path, reason })
}

/// The environment the tests run a speaker (Herald or ExaBGP) under: no listening socket
/// (`exabgp_tcp_bind` empty), the current user without dropping privileges, no API CLI;
/// then `extra`, each of whose keys replaces the same key in place or is appended.
pub fn speaker_env(extra: &[(&str, &str)]) -> Result<Vec<(String, String)>> {
    let user = run("id", &["-un"])?.trim().to_owned();
    let mut env: Vec<(String, String)> = [
        ("exabgp_tcp_bind", ""),
        ("exabgp_daemon_user", user.as_str()),
        ("exabgp_daemon_drop", "false"),
        ("exabgp_api_cli", "false"),
    ]
    .map(|(k, v)| (k.to_owned(), v.to_owned()))
    .into();
    for (key, value) in extra {
        match env.iter_mut().find(|(k, _)| k == key) {
            Some(slot) => slot.1 = (*value).to_owned(),
            None => env.push(((*key).to_owned(), (*value).to_owned())),
        }
    }
    Ok(env)
}

/// Starts `herald server CONF` in `dir` under `env` (see [`speaker_env`]), logging to
/// `dir/herald.log`.
pub fn start_daemon(dir: &Path, conf: &str, env: &[(String, String)]) -> Result<Daemon> {
    Daemon::spawn(
        "herald",
        &herald_binary()?,
        &["server".to_owned(), conf.to_owned()],
        env,
        dir,
        dir.join("herald.log"),
    )
}

fn build(bin: &Path) -> std::result::Result<(), (PathBuf, String)> {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let output = Command::new("timeout")
        .arg("900")
        .arg(cargo)
        .args(["build", "-p", "herald", "--locked", "--quiet"])
        .current_dir(workspace_root())
        .output()
        .map_err(|e| (bin.to_path_buf(), format!("cannot run cargo: {e}")))?;
    if output.status.success() {
        return Ok(());
    }
    Err((
        bin.to_path_buf(),
        format!(
            "`cargo build -p herald --locked` failed ({}):\n{}",
            output.status,
            String::from_utf8_lossy(&output.stderr)
        ),
    ))
}
