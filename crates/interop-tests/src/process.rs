//! Child processes bounded by `timeout(1)` and stopped on drop, plus polling helpers.
//!
//! Every daemon runs as `timeout -k 5 <limit> <program> …`. `timeout` puts itself and the
//! daemon in a process group of their own, so a signal sent to the `timeout` PID reaches the
//! daemon and any helper processes it started. The harness only ever signals PIDs it spawned.

use std::fs::File;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Mutex, PoisonError};
use std::thread::sleep;
use std::time::{Duration, Instant};

use crate::error::{HarnessError, Result};

/// How long any daemon may live: a bound for a hung test, far above what a test needs.
pub const DAEMON_LIMIT: Duration = Duration::from_secs(240);

/// How long a control command (`birdc`, `gobgp`) may take.
const COMMAND_LIMIT: &str = "20";

/// A daemon started by the harness, stopped when dropped.
#[derive(Debug)]
pub struct Daemon {
    name: String,
    child: Mutex<Child>,
    log: PathBuf,
}

impl Daemon {
    /// Starts `program args…` in `dir` with extra `env`, stdout and stderr appended to `log`.
    pub fn spawn(
        name: &str,
        program: &Path,
        args: &[String],
        env: &[(String, String)],
        dir: &Path,
        log: PathBuf,
    ) -> Result<Self> {
        let out = File::options()
            .create(true)
            .append(true)
            .open(&log)
            .map_err(|e| HarnessError::io(format!("open {}", log.display()), e))?;
        let err = out
            .try_clone()
            .map_err(|e| HarnessError::io("clone log handle", e))?;
        let child = Command::new("timeout")
            .arg("-k")
            .arg("5")
            .arg(DAEMON_LIMIT.as_secs().to_string())
            .arg(program)
            .args(args)
            .envs(env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(out)
            .stderr(err)
            .spawn()
            .map_err(|e| HarnessError::io(format!("spawn {name} ({})", program.display()), e))?;
        Ok(Self {
            name: name.to_owned(),
            child: Mutex::new(child),
            log,
        })
    }

    /// The PID of the `timeout` process wrapping the daemon.
    pub fn pid(&self) -> u32 {
        self.child().id()
    }

    fn child(&self) -> std::sync::MutexGuard<'_, Child> {
        self.child.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Whether the daemon is still running.
    pub fn is_running(&self) -> bool {
        matches!(self.child().try_wait(), Ok(None))
    }

    /// `Ok` while the daemon runs; once it has exited, an error with its exit status and
    /// the end of its log.
    pub fn alive(&self) -> Result<()> {
        let status = match self.child().try_wait() {
            Ok(None) => return Ok(()),
            Ok(Some(status)) => status.to_string(),
            Err(e) => e.to_string(),
        };
        Err(HarnessError::Exited {
            name: self.name.clone(),
            status,
            log: self.log_tail(20),
        })
    }

    /// The daemon's output so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// The last `lines` lines of the daemon's output, labelled, for failure messages.
    pub fn log_tail(&self, lines: usize) -> String {
        let log = self.log();
        let all: Vec<&str> = log.lines().collect();
        let start = all.len().saturating_sub(lines);
        format!(
            "--- {} ({}) ---\n{}",
            self.name,
            self.log.display(),
            all[start..].join("\n")
        )
    }

    /// Stops the daemon: SIGTERM to its process group leader, then SIGKILL after 5 s.
    pub fn stop(&mut self) {
        if !self.is_running() {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .stderr(Stdio::null())
            .status();
        let deadline = Instant::now() + Duration::from_secs(5);
        while Instant::now() < deadline {
            if !self.is_running() {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        let mut child = self.child();
        let _ = child.kill();
        let _ = child.wait();
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        self.stop();
    }
}

/// Runs a short control command bounded by `timeout`, returning its stdout on success.
pub fn run(program: &str, args: &[&str]) -> Result<String> {
    let output = Command::new("timeout")
        .arg(COMMAND_LIMIT)
        .arg(program)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .map_err(|e| HarnessError::io(format!("run {program}"), e))?;
    let stdout = String::from_utf8_lossy(&output.stdout).into_owned();
    if output.status.success() {
        return Ok(stdout);
    }
    Err(HarnessError::Command {
        command: format!("{program} {}", args.join(" ")),
        status: output.status.to_string(),
        output: format!("{stdout}{}", String::from_utf8_lossy(&output.stderr)),
    })
}

/// Finds `program` on `PATH` (or checks an absolute path).
pub fn which(program: &str) -> Result<PathBuf> {
    let candidate = Path::new(program);
    if candidate.is_absolute() {
        return if candidate.is_file() {
            Ok(candidate.to_path_buf())
        } else {
            Err(HarnessError::Missing {
                program: program.to_owned(),
            })
        };
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    std::env::split_paths(&path)
        .map(|dir| dir.join(program))
        .find(|p| p.is_file())
        .ok_or_else(|| HarnessError::Missing {
            program: program.to_owned(),
        })
}

/// Calls `probe` every 200 ms until it returns `Ok(value)` or `limit` passes.
///
/// `probe` returns `Err(observation)` while the condition does not hold yet; the last
/// observation goes into the timeout error, so a failure says what was seen instead.
pub fn wait_until<T>(
    what: &str,
    limit: Duration,
    probe: impl FnMut() -> std::result::Result<T, String>,
) -> Result<T> {
    wait_while_alive(what, limit, || Ok(()), probe)
}

/// [`wait_until`], giving up at once when `alive` fails (a daemon the condition depends on
/// has exited), so a crash is reported with its log instead of as a timeout.
pub fn wait_while_alive<T>(
    what: &str,
    limit: Duration,
    mut alive: impl FnMut() -> Result<()>,
    mut probe: impl FnMut() -> std::result::Result<T, String>,
) -> Result<T> {
    let start = Instant::now();
    loop {
        let last = match probe() {
            Ok(value) => return Ok(value),
            Err(observation) => observation,
        };
        alive()?;
        if start.elapsed() >= limit {
            return Err(HarnessError::Timeout {
                what: what.to_owned(),
                seconds: start.elapsed().as_secs_f64(),
                last,
            });
        }
        sleep(Duration::from_millis(200));
    }
}
