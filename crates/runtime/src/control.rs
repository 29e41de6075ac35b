//! The operator's way in: a Unix stream control socket (many clients at once) and ExaBGP's
//! named pipes (`<pipename>.in` / `<pipename>.out`, one client at a time), both feeding
//! API commands to the supervisor the way helper lines are dispatched.
//!
//! ```text
//!  herald cli ─▶ control socket ─▶ connection task ─ClientEvent::Line─▶ supervisor
//!  exabgp cli ─▶ <pipename>.in  ─▶ pipe task       ─(queue, line)─────▶ dispatch
//!            ◀── socket / .out  ◀── OutQueue of that client ◀──────────── answers
//! ```
//!
//! Each client is a pseudo-helper named `api-internal-cli-…` (so, as ExaBGP's internal
//! CLI helper, it may command every peer), with its own bounded [`OutQueue`]. A connection
//! sends one command at a time: after a line it relays the answer until the terminator
//! (`done` / `error`, [`api::cli::Terminator`]) before it reads the next line, so each
//! answer belongs to the request before it, and commands pipelined on one connection are
//! answered in order. When the daemon stops, a waiting client gets `shutdown`.
//!
//! Paths: the socket is `HERALD_SOCKET` when set, else [`default_socket_path`] (a
//! per-user runtime directory, so `herald cli` finds the daemon the same user started);
//! the pipes are looked up as ExaBGP looks them up ([`find_pipes`]).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use api::cli::Terminator;
use tokio::io::{AsyncBufReadExt, AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, BufReader};
use tokio::net::{UnixListener, UnixStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;

use crate::dispatch::select::API_PREFIX;
use crate::process::OutQueue;

/// Byte limit of a client's answer queue.
const CLIENT_QUEUE_BYTES: usize = 64 * 1024 * 1024;

/// Longest command line a client may send.
const MAX_LINE: usize = crate::process::MAX_COMMAND_SIZE;

/// What control clients (and the metrics endpoint) ask of the supervisor.
#[derive(Debug)]
pub enum ClientEvent {
    /// One command line from client `name`; the answer goes to `queue`.
    Line {
        /// The client's pseudo-helper name (`api-internal-cli-…`).
        name: Arc<str>,
        /// Where the answer is written.
        queue: Arc<OutQueue>,
        /// The command.
        line: String,
    },
    /// Client `name` went away.
    Closed {
        /// The client's name.
        name: Arc<str>,
    },
    /// The metrics endpoint wants the current values, as Prometheus text.
    Metrics {
        /// Where to send the rendered text.
        reply: oneshot::Sender<String>,
    },
}

/// The per-user default path of the control socket: `$XDG_RUNTIME_DIR/herald/herald.sock`,
/// else `/run/user/<uid>/herald/herald.sock` when that directory exists, else
/// `/run/herald/herald.sock` for root and `/tmp/herald-<uid>/herald.sock` for others.
pub fn default_socket_path() -> PathBuf {
    let uid = uid();
    if let Some(dir) = std::env::var_os("XDG_RUNTIME_DIR").filter(|d| !d.is_empty()) {
        return Path::new(&dir).join("herald").join("herald.sock");
    }
    let user = PathBuf::from(format!("/run/user/{uid}"));
    if user.is_dir() {
        return user.join("herald").join("herald.sock");
    }
    if uid == 0 {
        return PathBuf::from("/run/herald/herald.sock");
    }
    PathBuf::from(format!("/tmp/herald-{uid}/herald.sock"))
}

/// The socket path from the `HERALD_SOCKET` setting (empty: the default path; `off`,
/// `false` or `none`: no socket).
pub fn socket_from_setting(value: &str) -> Option<PathBuf> {
    match value.trim() {
        "" => Some(default_socket_path()),
        "off" | "false" | "none" | "no" => None,
        path => Some(PathBuf::from(path)),
    }
}

/// The real user id of this process (the owner of `/proc/self`).
fn uid() -> u32 {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self").map_or(0, |m| m.uid())
}

/// ExaBGP's install root: `EXABGP_ROOT`, else the directory above the program's `bin/`.
pub fn install_root() -> PathBuf {
    if let Some(root) = std::env::var_os("EXABGP_ROOT").filter(|r| !r.is_empty()) {
        return PathBuf::from(root);
    }
    let exe = std::env::current_exe().unwrap_or_default();
    let dir = exe.parent().map(Path::to_path_buf).unwrap_or_default();
    match dir.file_name().and_then(|n| n.to_str()) {
        Some("bin" | "sbin") => dir.parent().map(Path::to_path_buf).unwrap_or(dir),
        _ => dir,
    }
}

/// The directories where ExaBGP looks for its pipes, in its order.
pub fn pipe_dirs(root: &Path) -> Vec<PathBuf> {
    let uid = uid();
    let rel = [
        "run/exabgp".to_owned(),
        format!("run/{uid}"),
        "run".to_owned(),
        "var/run/exabgp".to_owned(),
        format!("var/run/{uid}"),
        "var/run".to_owned(),
    ];
    let mut dirs: Vec<PathBuf> = rel.iter().map(|r| Path::new("/").join(r)).collect();
    dirs.extend(rel.iter().map(|r| root.join(r)));
    dirs
}

/// The first directory of [`pipe_dirs`] holding both `<name>.in` and `<name>.out` as FIFOs.
pub fn find_pipes(root: &Path, name: &str) -> Option<PathBuf> {
    use std::os::unix::fs::FileTypeExt;
    let fifo = |p: PathBuf| std::fs::metadata(p).is_ok_and(|m| m.file_type().is_fifo());
    pipe_dirs(root)
        .into_iter()
        .find(|dir| fifo(dir.join(format!("{name}.in"))) && fifo(dir.join(format!("{name}.out"))))
}

/// Binds the control socket at `path`: creates its directory (mode 0700) if needed,
/// replaces a stale socket file, and refuses when another daemon answers there.
pub fn bind_socket(path: &Path) -> io::Result<UnixListener> {
    use std::os::unix::fs::{DirBuilderExt, PermissionsExt};
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.exists() {
            std::fs::DirBuilder::new()
                .recursive(true)
                .mode(0o700)
                .create(dir)?;
        }
    }
    if path.exists() {
        if std::os::unix::net::UnixStream::connect(path).is_ok() {
            return Err(io::Error::new(
                io::ErrorKind::AddrInUse,
                format!("another daemon serves {}", path.display()),
            ));
        }
        std::fs::remove_file(path)?;
    }
    let listener = UnixListener::bind(path)?;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600))?;
    Ok(listener)
}

/// Accepts control clients on `listener` until the daemon stops.
pub fn serve_socket(listener: UnixListener, events: mpsc::Sender<ClientEvent>) -> JoinHandle<()> {
    static NEXT: AtomicU64 = AtomicU64::new(1);
    tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = events.closed() => return,
            };
            match accepted {
                Ok((stream, _)) => {
                    let n = NEXT.fetch_add(1, Ordering::Relaxed);
                    let name: Arc<str> = Arc::from(format!("{API_PREFIX}-socket-{n}"));
                    tracing::debug!(target: "processes", client = %name, "control client connected");
                    let events = events.clone();
                    tokio::spawn(async move {
                        let (read, write) = stream.into_split();
                        serve(name, read, write, events).await;
                    });
                }
                Err(e) => {
                    tracing::warn!(target: "processes", "control socket accept failed: {e}");
                    tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                }
            }
        }
    })
}

/// Serves ExaBGP's named pipes in `dir`: commands from `<name>.in`, answers to
/// `<name>.out`. Both are opened read-write, so the daemon never sees an end of file
/// between two `exabgp cli` runs and never blocks for want of a reader.
pub fn serve_pipes(
    dir: &Path,
    name: &str,
    events: mpsc::Sender<ClientEvent>,
) -> io::Result<JoinHandle<()>> {
    use tokio::net::unix::pipe;
    let input = pipe::OpenOptions::new()
        .read_write(true)
        .open_receiver(dir.join(format!("{name}.in")))?;
    let output = pipe::OpenOptions::new()
        .read_write(true)
        .open_sender(dir.join(format!("{name}.out")))?;
    let client: Arc<str> = Arc::from(format!("{API_PREFIX}-pipe"));
    Ok(tokio::spawn(serve(client, input, output, events)))
}

/// Relays one client: reads a command line, hands it to the supervisor, writes the answer
/// up to its terminator, and so on until the client or the daemon goes.
async fn serve<R, W>(name: Arc<str>, read: R, mut write: W, events: mpsc::Sender<ClientEvent>)
where
    R: AsyncRead + Unpin,
    W: AsyncWrite + Unpin,
{
    let queue = Arc::new(OutQueue::new(CLIENT_QUEUE_BYTES));
    let mut read = BufReader::new(read);
    let mut buf = Vec::new();
    loop {
        buf.clear();
        let mut limited = (&mut read).take(MAX_LINE as u64);
        let n = tokio::select! {
            n = limited.read_until(b'\n', &mut buf) => n,
            () = events.closed() => break,
        };
        match n {
            Ok(0) | Err(_) => break,
            Ok(_) => {}
        }
        let line = String::from_utf8_lossy(&buf).trim().to_owned();
        if line.is_empty() {
            continue;
        }
        let event = ClientEvent::Line {
            name: name.clone(),
            queue: queue.clone(),
            line,
        };
        if events.send(event).await.is_err() {
            let _ = write.write_all(b"shutdown\n").await;
            break;
        }
        if !relay(&queue, &mut write, &events).await {
            break;
        }
    }
    queue.close();
    let _ = events.send(ClientEvent::Closed { name }).await;
}

/// Writes the answer queued for a client up to and including its terminator line; false
/// when the client or the daemon went away.
async fn relay<W: AsyncWrite + Unpin>(
    queue: &OutQueue,
    write: &mut W,
    events: &mpsc::Sender<ClientEvent>,
) -> bool {
    let mut line = Vec::new();
    loop {
        let chunk = tokio::select! {
            chunk = queue.take() => chunk,
            () = events.closed() => None,
        };
        let Some(chunk) = chunk else {
            let _ = write.write_all(b"shutdown\n").await;
            return false;
        };
        if write.write_all(&chunk).await.is_err() || write.flush().await.is_err() {
            return false;
        }
        for byte in chunk {
            if byte != b'\n' {
                line.push(byte);
                continue;
            }
            let ended = Terminator::of(&String::from_utf8_lossy(&line)).is_some();
            line.clear();
            if ended {
                return true;
            }
        }
    }
}

/// Connects to the control socket (for clients and tests).
pub async fn connect(path: &Path) -> io::Result<UnixStream> {
    UnixStream::connect(path).await
}
