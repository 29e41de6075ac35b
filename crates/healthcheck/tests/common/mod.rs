//! Helpers shared by the healthcheck integration tests: the checker run as a plain
//! process whose stdout is read line by line and answered with `done` (what the daemon
//! does), and a check command that plays a scripted sequence of results.
//!
//! Every process runs under `timeout --foreground` (so a hung test cannot leave it
//! behind, and a signal sent to `timeout` reaches the checker once, not also through its
//! process group: ExaBGP re-enters its SIGTERM handler on a second signal and prints the
//! EXIT lines twice) and is killed, by the PID this harness spawned, when its [`Checker`]
//! drops.

#![allow(dead_code, unreachable_pub)]

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{sleep, JoinHandle};
use std::time::{Duration, Instant};

pub use interop::tmp::TempDir;

/// How long any checker process may live.
pub const PROCESS_LIMIT: &str = "90";

/// ExaBGP 5.0.15, as `scripts/install-peers` installs it.
pub const EXABGP: &str = "/usr/local/bin/exabgp";

/// The `herald` binary (built first if needed, see `interop::herald`).
pub fn herald() -> PathBuf {
    interop::herald::herald_binary().expect("the herald binary")
}

/// Which program runs `healthcheck`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Program {
    /// `herald healthcheck`.
    Herald,
    /// `exabgp healthcheck` (5.0.15).
    ExaBgp,
}

impl Program {
    /// The executable.
    pub fn path(self) -> PathBuf {
        match self {
            Self::Herald => herald(),
            Self::ExaBgp => PathBuf::from(EXABGP),
        }
    }

    /// A short name.
    pub fn name(self) -> &'static str {
        match self {
            Self::Herald => "herald",
            Self::ExaBgp => "exabgp",
        }
    }
}

/// Called with each command line before `done` is written back.
pub type OnLine = Box<dyn FnMut(&str) + Send>;

/// A running health checker with its stdout answered line by line.
pub struct Checker {
    child: Child,
    lines: Arc<Mutex<Vec<String>>>,
    reader: Option<JoinHandle<()>>,
    stderr: PathBuf,
}

impl Checker {
    /// Starts `prefix… <program> healthcheck args…` in `dir` (`prefix` is e.g. `ip netns
    /// exec NS`), stderr into `dir/<name>.stderr`. Each stdout line is recorded, passed
    /// to `on_line`, then answered with `done` (unless `ack` is false).
    pub fn spawn(
        program: Program,
        prefix: &[&str],
        args: &[String],
        dir: &Path,
        name: &str,
        ack: bool,
        mut on_line: OnLine,
    ) -> Self {
        let stderr = dir.join(format!("{name}.stderr"));
        let err = std::fs::File::create(&stderr).expect("stderr file");
        let (first, rest) = match prefix.split_first() {
            Some((first, rest)) => (*first, rest),
            None => ("timeout", &[][..]),
        };
        let mut command = Command::new(first);
        command.args(rest);
        if !prefix.is_empty() {
            command.arg("timeout");
        }
        command
            .args(["--foreground", "-k", "5", PROCESS_LIMIT])
            .arg(program.path())
            .arg("healthcheck")
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(err);
        let mut child = command.spawn().expect("spawn the checker");
        let stdout = child.stdout.take().expect("stdout");
        let mut stdin = child.stdin.take().expect("stdin");
        let lines = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&lines);
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                seen.lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(line.clone());
                on_line(&line);
                if ack {
                    let _ = stdin.write_all(b"done\n");
                    let _ = stdin.flush();
                }
            }
        });
        Self {
            child,
            lines,
            reader: Some(reader),
            stderr,
        }
    }

    /// The command lines printed so far.
    pub fn lines(&self) -> Vec<String> {
        self.lines
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// What the checker logged on stderr so far.
    pub fn stderr(&self) -> String {
        std::fs::read_to_string(&self.stderr).unwrap_or_default()
    }

    /// The PID of the process spawned (`timeout`, which relays signals to the checker).
    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Waits until the printed lines satisfy `check`; panics with what was printed and
    /// logged otherwise.
    pub fn wait_lines(&self, what: &str, limit: Duration, check: impl Fn(&[String]) -> bool) {
        let start = Instant::now();
        loop {
            let lines = self.lines();
            if check(&lines) {
                return;
            }
            assert!(
                start.elapsed() < limit,
                "timed out waiting for {what}; printed {lines:#?}\nstderr:\n{}",
                self.stderr()
            );
            sleep(Duration::from_millis(50));
        }
    }

    /// Sends `signal` (`TERM`, `INT`) to the spawned process.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid().to_string())
            .status()
            .expect("kill");
        assert!(status.success(), "kill -{signal} {}", self.pid());
    }

    /// Waits for the process to exit and for its stdout to be read to the end.
    pub fn wait_exit(&mut self, limit: Duration) -> ExitStatus {
        let start = Instant::now();
        loop {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                if let Some(reader) = self.reader.take() {
                    let _ = reader.join();
                }
                return status;
            }
            assert!(
                start.elapsed() < limit,
                "checker still running after {limit:?}; printed {:#?}\nstderr:\n{}",
                self.lines(),
                self.stderr()
            );
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Checker {
    /// SIGTERM first: `timeout --foreground` passes it on, where SIGKILL would kill only
    /// `timeout` and leave the checker running; SIGKILL after 5 s.
    fn drop(&mut self) {
        if !matches!(self.child.try_wait(), Ok(None)) {
            return;
        }
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(self.pid().to_string())
            .stderr(Stdio::null())
            .status();
        let start = Instant::now();
        while start.elapsed() < Duration::from_secs(5) {
            if !matches!(self.child.try_wait(), Ok(None)) {
                return;
            }
            sleep(Duration::from_millis(50));
        }
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A check command that plays `sequence`, one entry per run: `ok` (exit 0), `fail` (exit
/// 1), `disable` (create `dir/disabled`, the `--disable` file, and exit 0). After the last
/// entry the command writes its PID to `dir/blocker.pid` and sleeps, so the checker stays
/// in its last state until the test signals it (the checker kills the sleeping check).
/// Each run appends its number to `dir/runs`.
pub fn scripted_check(dir: &Path, sequence: &[&str]) -> String {
    let sequence_file = dir.join("sequence");
    std::fs::write(&sequence_file, sequence.join("\n") + "\n").expect("write sequence");
    let script = dir.join("check.sh");
    let d = dir.display();
    std::fs::write(
        &script,
        format!(
            "#!/bin/sh\n\
             n=$(wc -l < '{d}/runs' 2>/dev/null || echo 0)\n\
             n=$((n + 1))\n\
             echo $n >> '{d}/runs'\n\
             case \"$(sed -n \"${{n}}p\" '{d}/sequence')\" in\n\
             ok) exit 0 ;;\n\
             fail) exit 1 ;;\n\
             disable) touch '{d}/disabled'; exit 0 ;;\n\
             *) echo $$ > '{d}/blocker.pid'; exec sleep 30 ;;\n\
             esac\n"
        ),
    )
    .expect("write check.sh");
    format!("sh {}", script.display())
}

/// Kills the sleeping check left by [`scripted_check`] (when a checker, like ExaBGP's,
/// does not kill it on exit). Only that PID is signalled.
pub fn kill_blocker(dir: &Path) {
    if let Ok(pid) = std::fs::read_to_string(dir.join("blocker.pid")) {
        let _ = Command::new("kill")
            .arg("-KILL")
            .arg(pid.trim())
            .stderr(Stdio::null())
            .status();
    }
}

/// Waits until `path` exists.
pub fn wait_file(path: &Path, limit: Duration) -> bool {
    let start = Instant::now();
    while start.elapsed() < limit {
        if path.exists() {
            return true;
        }
        sleep(Duration::from_millis(50));
    }
    false
}

/// `s` as owned arguments.
pub fn args(s: &[&str]) -> Vec<String> {
    s.iter().map(|&a| a.to_owned()).collect()
}
