//! The error type of the harness.

use std::path::PathBuf;

/// What went wrong while running or reading back a peer.
#[derive(Debug, thiserror::Error)]
pub enum HarnessError {
    /// A file or process operation failed.
    #[error("{what}: {source}")]
    Io {
        /// What the harness was doing.
        what: String,
        /// The underlying error.
        #[source]
        source: std::io::Error,
    },
    /// A program the tests need is not installed.
    #[error("{program} is not installed (run scripts/install-peers)")]
    Missing {
        /// The program looked for.
        program: String,
    },
    /// A helper command ran but failed.
    #[error("{command} failed ({status}): {output}")]
    Command {
        /// The command line.
        command: String,
        /// Its exit status.
        status: String,
        /// Its stdout and stderr.
        output: String,
    },
    /// A condition did not become true in time.
    #[error("timed out after {seconds:.1} s waiting for {what}; last seen: {last}")]
    Timeout {
        /// What was waited for.
        what: String,
        /// How long the harness waited.
        seconds: f64,
        /// The last observation, to diagnose the failure.
        last: String,
    },
    /// A daemon exited while the harness was waiting on it.
    #[error("{name} exited ({status})\n{log}")]
    Exited {
        /// Which daemon.
        name: String,
        /// Its exit status.
        status: String,
        /// The end of its log.
        log: String,
    },
    /// Output of a peer could not be parsed.
    #[error("cannot parse {what}: {reason}")]
    Parse {
        /// What was parsed.
        what: String,
        /// Why it failed.
        reason: String,
    },
    /// The herald binary could not be built or found.
    #[error("herald binary not available at {path}: {reason}")]
    Herald {
        /// Where it was expected.
        path: PathBuf,
        /// Why it is not there.
        reason: String,
    },
}

impl HarnessError {
    /// Wraps an I/O error with what the harness was doing.
    pub fn io(what: impl Into<String>, source: std::io::Error) -> Self {
        Self::Io {
            what: what.into(),
            source,
        }
    }
}

/// The harness's result type.
pub type Result<T, E = HarnessError> = std::result::Result<T, E>;
