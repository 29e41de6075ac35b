//! `herald cli` over ExaBGP's named pipes, as `exabgp cli` uses them: drain stale answers
//! from `.out`, write the command to `.in`, read `.out` until the terminator.
//!
//! Unlike `exabgp cli`, nothing here blocks: `.in` is opened with `O_NONBLOCK`, so a pipe
//! that no daemon reads fails at once (`ENXIO`), and an answer that does not come within
//! the timeout is an error (exit 2) rather than a warning.

use std::fs::{File, OpenOptions};
use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use api::cli::Terminator;

use super::Outcome;

/// How long stale data may take to drain.
const DRAIN_LIMIT: Duration = Duration::from_secs(1);

/// How often an idle pipe is read again.
const POLL: Duration = Duration::from_millis(10);

/// The two pipes of one daemon.
pub(crate) struct Pipes {
    input: PathBuf,
    output: PathBuf,
}

impl Pipes {
    /// Looks `name.in` / `name.out` up where ExaBGP does; the error lists where it looked.
    pub(crate) fn find(name: &str) -> Result<Self, String> {
        let root = runtime::control::install_root();
        match runtime::control::find_pipes(&root, name) {
            Some(dir) => Ok(Self {
                input: dir.join(format!("{name}.in")),
                output: dir.join(format!("{name}.out")),
            }),
            None => Err(format!(
                "no named pipes {name}.in and {name}.out in any of {}",
                runtime::control::pipe_dirs(&root)
                    .iter()
                    .map(|d| d.display().to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )),
        }
    }

    /// Sends `command` and copies the answer to `out`.
    pub(crate) fn exchange(
        &mut self,
        command: &str,
        timeout: Duration,
        out: &mut dyn Write,
    ) -> Outcome {
        let mut reader = match open(&self.output, false) {
            Ok(file) => file,
            Err(e) => return Outcome::Failed(format!("open {}: {e}", self.output.display())),
        };
        drain(&mut reader);
        let mut writer = match open(&self.input, true) {
            Ok(file) => file,
            Err(e) if e.raw_os_error() == Some(libc::ENXIO) => {
                return Outcome::Failed(format!(
                    "nobody reads {}: the daemon is not running, or does not serve its pipes \
                     (exabgp.api.cli)",
                    self.input.display()
                ))
            }
            Err(e) => return Outcome::Failed(format!("open {}: {e}", self.input.display())),
        };
        if let Err(e) = writer.write_all(format!("{command}\n").as_bytes()) {
            return Outcome::Failed(format!("write {}: {e}", self.input.display()));
        }
        drop(writer);
        if command == "reset" {
            // the one command ExaBGP does not answer
            return Outcome::Answered(None);
        }
        let mut deadline = Instant::now() + timeout;
        let mut pending = Vec::new();
        let mut buf = [0u8; 4096];
        while Instant::now() < deadline {
            match reader.read(&mut buf) {
                Ok(n) if n > 0 => {
                    deadline = Instant::now() + timeout;
                    pending.extend_from_slice(&buf[..n]);
                    while let Some(at) = pending.iter().position(|b| *b == b'\n') {
                        let line: Vec<u8> = pending.drain(..=at).collect();
                        let line = String::from_utf8_lossy(&line);
                        if let Some(end) = Terminator::of(&line) {
                            return Outcome::Answered(Some(end));
                        }
                        let _ = out.write_all(line.as_bytes());
                        let _ = out.flush();
                    }
                }
                Ok(_) => std::thread::sleep(POLL),
                Err(e) if e.kind() == ErrorKind::WouldBlock => std::thread::sleep(POLL),
                Err(e) => return Outcome::Failed(format!("read {}: {e}", self.output.display())),
            }
        }
        Outcome::Failed(format!(
            "no answer on {} within {:.1} s: nobody answers the pipe",
            self.output.display(),
            timeout.as_secs_f64()
        ))
    }
}

fn open(path: &PathBuf, write: bool) -> std::io::Result<File> {
    OpenOptions::new()
        .read(!write)
        .write(write)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Throws away what an earlier command left in the pipe.
fn drain(reader: &mut File) {
    let until = Instant::now() + DRAIN_LIMIT;
    let mut buf = [0u8; 4096];
    while Instant::now() < until {
        match reader.read(&mut buf) {
            Ok(n) if n > 0 => {}
            _ => return,
        }
    }
}
