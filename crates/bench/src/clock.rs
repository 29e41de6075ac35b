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

/// Records milestone `key` at `ns` as the file `dir/key` holding the nanoseconds (written
/// to a temporary name and renamed, so a reader that sees the file sees its value).
/// Nothing happens without a directory.
pub fn mark(dir: Option<&Path>, key: &str, ns: u128) {
    if let Some(dir) = dir {
        let tmp = dir.join(format!(".{key}.tmp"));
        if std::fs::write(&tmp, format!("{ns}\n")).is_ok() {
            let _ = std::fs::rename(&tmp, dir.join(key));
        }
    }
}

/// Waits until `path` exists, polling every millisecond; false after `limit`.
pub fn wait_for_file(path: &Path, limit: std::time::Duration) -> bool {
    let start = std::time::Instant::now();
    while !path.exists() {
        if start.elapsed() > limit {
            return false;
        }
        std::thread::sleep(std::time::Duration::from_millis(1));
    }
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_files_holding_nanoseconds() {
        let dir = std::env::temp_dir().join(format!("herald-bench-mark-{}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        mark(Some(&dir), "done", 42);
        assert!(wait_for_file(
            &dir.join("done"),
            std::time::Duration::from_secs(1)
        ));
        assert_eq!(
            std::fs::read_to_string(dir.join("done")).expect("mark"),
            "42\n"
        );
        assert!(!wait_for_file(
            &dir.join("never"),
            std::time::Duration::from_millis(5)
        ));
        let _ = std::fs::remove_dir_all(&dir);
    }
}
