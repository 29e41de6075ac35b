//! Wall-clock timestamps shared by the processes of one scenario.
//!
//! The tools run as separate processes (the API helper, the speaker, the receiving peer),
//! so their milestones are written as nanoseconds since the Unix epoch and subtracted by
//! `bench/run`.

use std::io::Write;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// Nanoseconds since the Unix epoch (0 if the clock is before it).
pub fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or(0)
}

/// Appends `key=value` to the report file `path` (one line, flushed at once so that a
/// process killed afterwards still leaves it).
pub fn report(path: Option<&Path>, key: &str, value: impl std::fmt::Display) {
    let line = format!("{key}={value}\n");
    match path {
        Some(path) => {
            let file = std::fs::OpenOptions::new()
                .create(true)
                .append(true)
                .open(path);
            if let Ok(mut file) = file {
                let _ = file.write_all(line.as_bytes());
            }
        }
        None => {
            let _ = std::io::stdout().write_all(line.as_bytes());
        }
    }
}

/// Creates an empty marker file (its existence is the signal).
pub fn touch(path: &Path) {
    let _ = std::fs::write(path, b"");
}
