//! Resolving and checking the programs of `process { run …; }` (spec §1.10), the way
//! ExaBGP does it when the configuration is read:
//!
//! - an absolute program is used as written;
//! - a relative one is looked up in `/etc/exabgp/`, the configuration file's directory and
//!   every `$PATH` entry, and the **last** existing match wins;
//! - the program must exist, be a regular file, be executable by us, and not be setuid or
//!   setgid.
//!
//! This is the only part of the crate besides [`crate::load`] that touches the file system;
//! it is a separate pass so that the grammar can be checked without the programs.

use std::ffi::OsStr;
use std::os::unix::fs::{MetadataExt, PermissionsExt};
use std::path::{Path, PathBuf};

use crate::error::ConfigError;
use crate::model::Config;

const S_ISUID: u32 = 0o4000;
const S_ISGID: u32 = 0o2000;
const S_IXUSR: u32 = 0o100;
const S_IXGRP: u32 = 0o010;
const S_IXOTH: u32 = 0o001;

/// The candidate paths of a relative program, in lookup order.
pub fn candidates(
    program: &str,
    config_dir: Option<&Path>,
    path_var: Option<&OsStr>,
) -> Vec<PathBuf> {
    let mut out = vec![Path::new("/etc/exabgp").join(program)];
    if let Some(dir) = config_dir {
        out.push(dir.join(program));
    }
    if let Some(path) = path_var {
        out.extend(std::env::split_paths(path).map(|p| p.join(program)));
    }
    out
}

/// Where `program` resolves: itself when absolute, else the last existing candidate, else
/// the program as written (which the check then refuses).
pub fn resolve(program: &str, config_dir: Option<&Path>, path_var: Option<&OsStr>) -> PathBuf {
    if program.starts_with('/') {
        return PathBuf::from(program);
    }
    candidates(program, config_dir, path_var)
        .into_iter()
        .rev()
        .find(|p| p.exists())
        .map(|p| normalize(&p))
        .unwrap_or_else(|| PathBuf::from(program))
}

/// Removes `.` components (`/etc/./run/x` → `/etc/run/x`), like `os.path.abspath`.
fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other.as_os_str()),
        }
    }
    out
}

/// Checks that `path` is a regular, executable, non-setuid/setgid file.
pub fn check(path: &Path) -> Result<(), String> {
    let shown = path.display();
    let meta = std::fs::metadata(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => format!("can not locate the program \"{shown}\""),
        _ => format!("can not access program \"{shown}\": {e}"),
    })?;
    if meta.is_dir() {
        return Err(format!("can not execute directories \"{shown}\""));
    }
    let mode = meta.permissions().mode();
    if mode & S_ISUID != 0 {
        return Err(format!("refusing to run setuid programs \"{shown}\""));
    }
    if mode & S_ISGID != 0 {
        return Err(format!("refusing to run setgid programs \"{shown}\""));
    }
    // our own uid/gid, read from /proc/self without unsafe code; when unavailable only
    // the "other" bit counts
    let me = std::fs::metadata("/proc/self").ok();
    let mut mask = S_IXOTH;
    if me.as_ref().is_some_and(|m| m.uid() == meta.uid()) {
        mask |= S_IXUSR;
    }
    if me.as_ref().is_some_and(|m| m.gid() == meta.gid()) {
        mask |= S_IXGRP;
    }
    if me.as_ref().is_some_and(|m| m.uid() == 0) {
        mask |= S_IXUSR | S_IXGRP;
    }
    if mode & mask == 0 {
        return Err(format!(
            "exabgp will not be able to run this program \"{shown}\""
        ));
    }
    if !meta.is_file() {
        return Err(format!("program must be a regular file \"{shown}\""));
    }
    Ok(())
}

/// Resolves every process's program in place (`run[0]` becomes the path found) and checks
/// it; errors point at the `run` statement. `path_var` is `$PATH`.
pub fn check_processes(
    config: &mut Config,
    path_var: Option<&OsStr>,
) -> Result<(), Vec<ConfigError>> {
    let mut errors = Vec::new();
    for process in &mut config.processes {
        let Some(program) = process.run.first_mut() else {
            continue;
        };
        let dir = Path::new(&process.location.file).parent();
        let resolved = resolve(program, dir, path_var);
        match check(&resolved) {
            Ok(()) => *program = resolved.to_string_lossy().into_owned(),
            Err(reason) => errors.push(ConfigError::new(
                process.location.clone(),
                reason,
                Some(program.as_str()),
            )),
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resolves_last_existing_match() {
        let base = std::env::temp_dir().join(format!("herald-config-prog-{}", std::process::id()));
        let conf = base.join("conf");
        let bin = base.join("bin");
        std::fs::create_dir_all(&conf).unwrap();
        std::fs::create_dir_all(&bin).unwrap();
        std::fs::write(conf.join("helper"), "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(conf.join("helper"), std::fs::Permissions::from_mode(0o755))
            .unwrap();
        assert_eq!(resolve("helper", Some(&conf), None), conf.join("helper"));
        // a $PATH entry comes later, so it wins
        std::fs::write(bin.join("helper"), "#!/bin/sh\n").unwrap();
        std::fs::set_permissions(bin.join("helper"), std::fs::Permissions::from_mode(0o644))
            .unwrap();
        let path = std::env::join_paths([&bin]).unwrap();
        let found = resolve("helper", Some(&conf), Some(&path));
        assert_eq!(found, bin.join("helper"));
        assert!(check(&found)
            .unwrap_err()
            .contains("will not be able to run"));
        assert!(check(&conf.join("helper")).is_ok());
        assert!(check(&conf).unwrap_err().contains("directories"));
        assert!(check(&conf.join("nope"))
            .unwrap_err()
            .contains("can not locate"));
        assert_eq!(resolve("./helper", Some(&conf), None), conf.join("helper"));
        std::fs::remove_dir_all(&base).unwrap();
    }
}
