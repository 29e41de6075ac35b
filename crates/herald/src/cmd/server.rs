//! `herald server CONFIG…` (and `herald CONFIG…`): the daemon, as `exabgp server` runs.
//!
//! The `exabgp.*` settings come from the environment and the INI file (`exabgp_tcp_port`,
//! `exabgp_tcp_bind`, `exabgp_api_ack` …, see `herald env`). As ExaBGP runs one
//! independent daemon per configuration file, Herald runs one [`Speaker`] per file in this
//! process; signals reach all of them. With `exabgp.debug.rotate` the files are one daemon
//! instead: it starts with the first file and each reload moves to the next one (ExaBGP's
//! functional tests use this for reload cases). The exit status is 0 after a normal shutdown and 1
//! when a helper failed (`api.terminate`, or too many respawns) or a file is invalid.
//!
//! Operators reach the daemon through its control socket (`HERALD_SOCKET`, else the
//! per-user default path; `HERALD_SOCKET=off` disables it), ExaBGP's named pipes when
//! `exabgp.api.cli` is on and they exist, and, with `--metrics ADDR:PORT` (or
//! `HERALD_METRICS`), a Prometheus endpoint. When several files are given, these serve
//! the first one's daemon.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use runtime::{Control, Parts, Signal, Speaker};

use crate::cli::ServerArgs;
use crate::logging::{self, LogSettings};

/// The environment variable with the metrics address (like `--metrics`).
const METRICS_ENV: &str = "HERALD_METRICS";

/// The environment variable with the byte limit of each helper's outbound queue
/// (`runtime::Options::queue_bytes`): what a helper may leave unread before the events
/// that do not fit are dropped for it (and counted).
const HELPER_QUEUE_ENV: &str = "HERALD_HELPER_QUEUE";

/// Runs the daemon until it is stopped.
pub(crate) fn run(args: &ServerArgs, env_file: Option<&Path>) -> anyhow::Result<u8> {
    let mut env = config::Env::from_process(env_file)?;
    if args.once {
        env.set("tcp", "attempts", config::env::Value::Int(1));
    }
    if args.passive {
        env.set("bgp", "passive", config::env::Value::Bool(true));
    }
    let mut log = LogSettings::from_env(&env);
    if args.verbose || args.debug {
        log.verbose();
    }
    logging::init(&log, args.log_format == crate::cli::LogFormat::Json);
    let metrics = match (args.metrics, std::env::var(METRICS_ENV)) {
        (Some(addr), _) => Some(addr),
        (None, Ok(text)) if !text.trim().is_empty() => Some(
            text.trim()
                .parse()
                .with_context(|| format!("{METRICS_ENV}={text}: not an ADDR:PORT"))?,
        ),
        _ => None,
    };
    let mut control_socket = runtime::control::socket_from_setting(
        &std::env::var(crate::cmd::cli::SOCKET_ENV).unwrap_or_default(),
    );
    let mut cli_pipes = if env.api_cli() {
        let name = env.api_pipename().to_owned();
        let dir = runtime::control::find_pipes(&runtime::control::install_root(), &name);
        if dir.is_none() {
            tracing::debug!(target: "daemon", "no named pipes {name}.in / {name}.out: the pipe cli is off");
        }
        dir.map(|dir| (dir, name))
    } else {
        None
    };
    let mut metrics = metrics;
    let helper_queue = match std::env::var(HELPER_QUEUE_ENV) {
        Ok(text) if !text.trim().is_empty() => Some(parse_size(&text).with_context(|| {
            format!(
                "{HELPER_QUEUE_ENV}={text}: not a size (bytes, or with K, M or G), at least 64K"
            )
        })?),
        _ => None,
    };

    let options = config::Options::from_env(&env);
    let mut configs = Vec::new();
    let mut rotation: Option<Vec<PathBuf>> = None;
    let mut failed = false;
    for path in &args.configs {
        // absolute, as ExaBGP's getconf: relative `run` programs are looked up next to
        // the file, and reloads must find the file whatever the working directory
        let path = std::path::absolute(path).unwrap_or_else(|_| path.clone());
        match config::load_with(std::slice::from_ref(&path), &options) {
            Ok(config) => configs.push((path.clone(), config)),
            Err(errors) => {
                failed = true;
                for e in errors {
                    tracing::error!(target: "configuration", "{e}");
                    eprintln!("{e}");
                }
            }
        }
    }
    if failed {
        return Ok(1);
    }
    let rotate = env.bool("debug", "rotate") && configs.len() > 1;
    if rotate {
        let files: Vec<PathBuf> = configs.iter().map(|(p, _)| p.clone()).collect();
        configs.truncate(1);
        if let Some(first) = configs.first_mut() {
            first.0 = files.first().cloned().unwrap_or_default();
        }
        rotation = Some(files);
    }
    let env = Arc::new(env);
    // after the configuration is parsed: see `memory`
    crate::memory::no_huge_pages();
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("could not start the runtime")?;
    runtime.block_on(async move {
        let mut rotation = rotation;
        let mut speakers = Vec::new();
        for (path, config) in configs {
            tracing::info!(target: "daemon", "starting with {}", path.display());
            let loader = match rotation.take() {
                Some(files) => rotating_loader(files, options.clone()),
                None => loader(path, options.clone()),
            };
            let mut parts = Parts::from_env(config, env.clone(), Some(loader));
            // the control socket, the pipes and the metrics belong to the first daemon
            parts.control_socket = control_socket.take();
            parts.cli_pipes = cli_pipes.take();
            parts.metrics = metrics.take();
            if let Some(bytes) = helper_queue {
                parts.options.queue_bytes = bytes;
            }
            let speaker = Speaker::start(parts);
            speaker
                .forward_signals()
                .context("could not install the signal handlers")?;
            if let Some(secs) = args.signal {
                let handle = speaker.handle();
                tokio::spawn(async move {
                    tokio::time::sleep(Duration::from_secs(secs)).await;
                    handle.control(Control::Signal(Signal::Usr1));
                });
            }
            speakers.push(speaker);
        }
        // systemd (Type=notify): the daemons run and serve their sockets
        if let Err(e) = crate::sdnotify::notify("READY=1") {
            tracing::warn!(target: "daemon", "could not notify systemd: {e}");
        }
        let mut code = 0;
        for speaker in speakers {
            code = code.max(speaker.wait().await.code());
        }
        Ok(u8::try_from(code).unwrap_or(1))
    })
}

/// With `debug.rotate`: each reload loads the next file of `files` (after the last, the
/// first again); the daemon started with the first.
fn rotating_loader(
    files: Vec<PathBuf>,
    options: config::Options,
) -> runtime::supervisor::ConfigLoader {
    let mut next = 1;
    Speaker::loader(move || {
        let index = next % files.len().max(1);
        next += 1;
        let path = files.get(index).cloned().unwrap_or_default();
        tracing::info!(target: "configuration", "rotating to {}", path.display());
        config::load_with(std::slice::from_ref(&path), &options)
    })
}

/// Re-reads `path` on reload, with the same parser options.
fn loader(path: PathBuf, options: config::Options) -> runtime::supervisor::ConfigLoader {
    Speaker::loader(move || config::load_with(std::slice::from_ref(&path), &options))
}

/// `16777216`, `512K`, `64M`, `1G` (powers of 1024) → bytes; at least 64 KiB, so that one
/// event always fits.
fn parse_size(text: &str) -> Option<usize> {
    let text = text.trim();
    let (digits, unit) = match text.char_indices().last() {
        Some((i, c)) if c.is_ascii_alphabetic() => (&text[..i], c.to_ascii_uppercase()),
        _ => (text, 'B'),
    };
    let shift = match unit {
        'B' => 0,
        'K' => 10,
        'M' => 20,
        'G' => 30,
        _ => return None,
    };
    let value: usize = digits.trim().parse().ok()?;
    let bytes = value.checked_mul(1usize.checked_shl(shift)?)?;
    (bytes >= 64 * 1024).then_some(bytes)
}

#[cfg(test)]
mod tests {
    use super::parse_size;

    #[test]
    fn sizes_read_as_powers_of_1024_and_refuse_the_rest() {
        assert_eq!(parse_size("64M"), Some(64 << 20));
        assert_eq!(parse_size("512k"), Some(512 << 10));
        assert_eq!(parse_size(" 1G "), Some(1 << 30));
        assert_eq!(parse_size("16777216"), Some(16 << 20));
        for bad in ["", "M", "10X", "-1M", "1.5M", "1K", "99999999999999999999G"] {
            assert_eq!(parse_size(bad), None, "{bad}");
        }
    }
}
