//! A per-test temporary directory, removed on drop unless the test failed.

use std::cell::Cell;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU32, Ordering};
use std::time::{SystemTime, UNIX_EPOCH};

use crate::error::{HarnessError, Result};

static NEXT: AtomicU32 = AtomicU32::new(0);

/// A directory under the system temporary directory that holds one test's configurations,
/// sockets, helper scripts and logs.
///
/// It is removed when dropped, except after [`TempDir::keep`], while the thread is panicking
/// (a failed test) or when
/// `HERALD_KEEP_TMP=1` is set: then its path is printed so the logs can be read.
#[derive(Debug)]
pub struct TempDir {
    path: PathBuf,
    keep: Cell<bool>,
}

impl TempDir {
    /// Creates a fresh directory whose name starts with `label`.
    pub fn new(label: &str) -> Result<Self> {
        let nanos = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map(|d| d.subsec_nanos())
            .unwrap_or(0);
        let name = format!(
            "herald-interop-{label}-{}-{}-{nanos}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        let path = std::env::temp_dir().join(name);
        fs::create_dir_all(&path)
            .map_err(|e| HarnessError::io(format!("create {}", path.display()), e))?;
        Ok(Self {
            path,
            keep: Cell::new(false),
        })
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// A path inside the directory.
    pub fn join(&self, name: &str) -> PathBuf {
        self.path.join(name)
    }

    /// Keeps the directory after drop (called when a scenario fails).
    pub fn keep(&self) {
        self.keep.set(true);
    }

    /// Writes `text` to `name` inside the directory and returns its path.
    pub fn write(&self, name: &str, text: &str) -> Result<PathBuf> {
        let path = self.join(name);
        if let Some(parent) = path.parent() {
            fs::create_dir_all(parent)
                .map_err(|e| HarnessError::io(format!("create {}", parent.display()), e))?;
        }
        fs::write(&path, text)
            .map_err(|e| HarnessError::io(format!("write {}", path.display()), e))?;
        Ok(path)
    }

    /// Writes an executable script to `name` inside the directory and returns its path.
    pub fn write_script(&self, name: &str, text: &str) -> Result<PathBuf> {
        let path = self.write(name, text)?;
        fs::set_permissions(&path, fs::Permissions::from_mode(0o755))
            .map_err(|e| HarnessError::io(format!("chmod {}", path.display()), e))?;
        Ok(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let keep = std::env::var("HERALD_KEEP_TMP").is_ok_and(|v| v == "1");
        if keep || self.keep.get() || std::thread::panicking() {
            eprintln!("interop: kept {} for inspection", self.path.display());
            return;
        }
        let _ = fs::remove_dir_all(&self.path);
    }
}
