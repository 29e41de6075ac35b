//! Running the check command and the execute hooks.
//!
//! The check runs as `/bin/sh -c CMD` in a process group of its own, stdout and stderr
//! on one socket whose text is logged when the check fails. With a timeout (`--timeout`,
//! 0 = none) the whole group is killed with SIGKILL when it expires, and the check
//! counts as failed, as in ExaBGP. A check that cannot be started at all is logged as
//! an error and also counts as failed. The group is killed as well when the check is
//! abandoned (the runner stops on a signal while it runs).

use std::io;
use std::os::fd::OwnedFd;
use std::os::unix::net::UnixStream;
use std::process::{ExitStatus, Stdio};
use std::time::Duration;

use tokio::io::AsyncReadExt;
use tokio::process::Command;

use crate::sys;

/// The shell that runs check and execute commands.
const SHELL: &str = "/bin/sh";

/// How a check ended.
#[derive(Debug)]
pub enum Outcome {
    /// Exit code 0.
    Success,
    /// Another exit code (or a signal), with what the command printed.
    Failed {
        /// The exit status.
        status: ExitStatus,
        /// stdout and stderr, interleaved.
        output: String,
    },
    /// Still running after the timeout: killed.
    TimedOut,
    /// The shell could not be started.
    Unstartable(io::Error),
}

impl Outcome {
    /// Whether the service counts as healthy.
    pub fn healthy(&self) -> bool {
        matches!(self, Self::Success)
    }
}

/// Kills the check's process group when dropped while armed.
struct Group {
    pgid: Option<u32>,
}

impl Drop for Group {
    fn drop(&mut self) {
        if let Some(pgid) = self.pgid.take() {
            sys::kill_group(pgid);
        }
    }
}

/// Runs `command` with `timeout` seconds (0: no limit), logging the result.
pub async fn run(command: &str, timeout: u32) -> Outcome {
    tracing::debug!("Checking command {command:?}");
    let outcome = match spawn_and_wait(command, timeout).await {
        Ok(outcome) => outcome,
        Err(e) => Outcome::Unstartable(e),
    };
    match &outcome {
        Outcome::Success => tracing::debug!("Command was executed successfully"),
        Outcome::Failed { status, output } => {
            let code = status
                .code()
                .map_or_else(|| format!("{status}"), |c| c.to_string());
            tracing::warn!("Check command was unsuccessful: {code}");
            match status.code() {
                Some(127) => tracing::error!(
                    "check command not found (the shell exited with 127): {command}"
                ),
                Some(126) => tracing::error!(
                    "check command cannot be executed (the shell exited with 126): {command}"
                ),
                _ => {}
            }
            if !output.trim().is_empty() {
                tracing::info!("Output of check command: {}", output.trim_end());
            }
        }
        Outcome::TimedOut => {
            tracing::warn!("Timeout ({timeout}) while running check command {command}");
        }
        Outcome::Unstartable(e) => {
            tracing::error!("cannot start the check command {command:?} with {SHELL}: {e}");
        }
    }
    outcome
}

async fn spawn_and_wait(command: &str, timeout: u32) -> io::Result<Outcome> {
    let (reader, writer) = UnixStream::pair()?;
    let writer = OwnedFd::from(writer);
    let stderr = writer.try_clone()?;
    let mut cmd = Command::new(SHELL);
    cmd.arg("-c")
        .arg(command)
        .stdin(Stdio::null())
        .stdout(Stdio::from(writer))
        .stderr(Stdio::from(stderr))
        .process_group(0);
    let mut child = cmd.spawn()?;
    // The command holds our copies of the write end: close them, so that the read
    // below ends when the check (and whatever it started) closes its own.
    drop(cmd);
    let mut group = Group { pgid: child.id() };
    reader.set_nonblocking(true)?;
    let mut reader = tokio::net::UnixStream::from_std(reader)?;
    let work = async {
        let mut output = Vec::new();
        // A read error only loses the text of the log line; the exit status decides.
        let _ = reader.read_to_end(&mut output).await;
        let status = child.wait().await?;
        Ok::<_, io::Error>((status, output))
    };
    let finished = if timeout == 0 {
        Some(work.await?)
    } else {
        match tokio::time::timeout(Duration::from_secs(timeout.into()), work).await {
            Ok(done) => Some(done?),
            Err(_) => None,
        }
    };
    let Some((status, output)) = finished else {
        drop(group);
        let _ = child.wait().await;
        return Ok(Outcome::TimedOut);
    };
    // The shell is gone; its group may live on only through leftovers it started.
    group.pgid = None;
    if status.success() {
        return Ok(Outcome::Success);
    }
    Ok(Outcome::Failed {
        status,
        output: String::from_utf8_lossy(&output).into_owned(),
    })
}

/// Runs the execute hooks `commands` for entering `state` (in order, one after the
/// other, output discarded), with `STATE` in their environment.
pub async fn execute(commands: &[&String], state: &str) {
    for command in commands {
        tracing::debug!("Transition to {state}, execute `{command}`");
        let status = Command::new(SHELL)
            .arg("-c")
            .arg(command.as_str())
            .env("STATE", state)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .await;
        if let Err(e) = status {
            tracing::error!("cannot run the execute command {command:?}: {e}");
        }
    }
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;

    fn block_on<F: std::future::Future>(f: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap()
            .block_on(f)
    }

    #[test]
    fn exit_codes_decide() {
        assert!(block_on(run("true", 5)).healthy());
        match block_on(run("echo out; echo err >&2; exit 3", 5)) {
            Outcome::Failed { status, output } => {
                assert_eq!(status.code(), Some(3));
                assert_eq!(output, "out\nerr\n");
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn missing_command_fails_with_127() {
        match block_on(run("/nonexistent/herald-check", 5)) {
            Outcome::Failed { status, .. } => assert_eq!(status.code(), Some(127)),
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn hung_check_is_killed_with_its_group_at_the_timeout() {
        let dir = std::env::temp_dir().join(format!("herald-hc-check-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let marker = dir.join("grandchild.pid");
        // A grandchild that would outlive the shell if only the shell were killed.
        let cmd = format!("sleep 30 & echo $! > {}; wait", marker.display());
        let start = Instant::now();
        let outcome = block_on(run(&cmd, 1));
        assert!(matches!(outcome, Outcome::TimedOut), "{outcome:?}");
        assert!(start.elapsed() < Duration::from_secs(5));
        let pid = std::fs::read_to_string(&marker).unwrap();
        std::thread::sleep(Duration::from_millis(200));
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()));
        // Gone, or a zombie waiting for init to reap it.
        assert!(
            stat.as_deref().map_or(true, |s| s.contains(") Z ")),
            "grandchild still running: {stat:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn execute_hooks_see_state() {
        let dir = std::env::temp_dir().join(format!("herald-hc-exec-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let out = dir.join("state");
        let first = format!("echo \"$STATE\" >> {}", out.display());
        let second = format!("echo second-$STATE >> {}", out.display());
        block_on(execute(&[&first, &second], "DOWN"));
        assert_eq!(
            std::fs::read_to_string(&out).unwrap(),
            "DOWN\nsecond-DOWN\n"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }
}
