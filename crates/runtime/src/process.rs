//! Helper processes, started and fed the way ExaBGP does it.
//!
//! A helper is the program named by `run` in a `process <name> { }` section. It is started
//! with its argv as written (the configuration resolved the program path), in the daemon's
//! working directory, with the daemon's environment (so `exabgp.*` / `exabgp_*` settings pass
//! through, as with ExaBGP) plus `TERM=dumb`, minus `exabgp_cli_pipe`, and in its own process
//! group so that a Ctrl-C on the daemon's terminal does not reach it.
//!
//! ```text
//!            ┌──────────── Helper (one per running instance) ─────────────┐
//!  daemon ──▶│ OutQueue (bytes-bounded, never blocks) ──▶ writer task ──▶ stdin
//!            │                                                            │
//!  daemon ◀──│ ProcessEvent::Lines ◀── reader task (line split, 1 MiB) ◀── stdout
//!  daemon ◀──│ ProcessEvent::Exited ◀── child task (wait, stop: TERM→KILL) │
//!            └────────────────────────────────────────────────────────────┘
//! ```
//!
//! A helper that closes its stdout but keeps running (a pure consumer such as
//! `exec cat > events.log`) is left alone until it exits; ExaBGP instead treats the hang-up
//! as a death and restarts it in a loop. A helper that sends more than 1 MiB without a
//! newline is stopped (and respawned if allowed), as in ExaBGP.
//!
//! Each start of a helper gets a new `generation`, so lines or an exit notice from an
//! instance that was replaced are recognised and ignored. Respawn policy lives in
//! [`respawn`]; the outbound queue and its drop policy in [`queue`]; the pacing of a
//! helper's commands in [`flow`], and of the peers whose messages it reads in [`hold`].

pub mod flow;
pub mod hold;
pub mod queue;
pub mod respawn;

use std::process::Stdio;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::process::{Child, ChildStdin, ChildStdout, Command};
use tokio::sync::{mpsc, oneshot};

pub use self::flow::{Credit, Gate, MAX_LINES_IN_FLIGHT};
pub use self::hold::{ReadHold, Reading};
pub use self::queue::{OutQueue, Push, DEFAULT_QUEUE_BYTES};

/// Longest command line a helper may send (ExaBGP's limit). A helper that sends more without
/// a newline is treated as broken: it is stopped (and respawned if allowed).
pub const MAX_COMMAND_SIZE: usize = 1024 * 1024;

/// How long a helper has to exit after SIGTERM before it gets SIGKILL (ExaBGP: 2 s).
const TERMINATE_GRACE: Duration = Duration::from_secs(2);

/// How long the last queued lines (e.g. `shutdown`) get to reach the pipe before SIGTERM.
const DRAIN_GRACE: Duration = Duration::from_millis(200);

/// The message format a helper receives on its stdin.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// `encoder json;`
    Json,
    /// `encoder text;`
    Text,
}

/// What is needed to start a helper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperSpec {
    /// The name of its `process` section.
    pub name: String,
    /// Program and arguments.
    pub run: Vec<String>,
    /// Encoder of the events it receives.
    pub encoding: Encoding,
    /// Restart it when it dies (`respawn`, default true).
    pub respawn: bool,
}

/// What a helper's tasks report to the daemon.
#[derive(Debug)]
pub enum ProcessEvent {
    /// Command lines read from the helper's stdout in one read (trailing whitespace
    /// removed; `debug …` lines already logged and left out).
    Lines {
        /// Helper name.
        name: Arc<str>,
        /// Which start of the helper sent them.
        generation: u64,
        /// The lines, in order.
        lines: Lines,
        /// Holds the lines in the helper's [`Gate`] until they are applied
        /// ([`flow`]).
        credit: Credit,
    },
    /// The helper instance is gone (it exited, was stopped, or sent an oversized line).
    Exited {
        /// Helper name.
        name: Arc<str>,
        /// Which start of the helper ended.
        generation: u64,
        /// How it ended, for the log.
        status: String,
    },
}

/// Errors starting a helper.
#[derive(Debug, thiserror::Error)]
pub enum SpawnError {
    /// The `run` list is empty.
    #[error("process {0}: nothing to run")]
    Empty(String),
    /// The OS refused to start it.
    #[error("process {name}: could not start {program}: {source}")]
    Io {
        /// Helper name.
        name: String,
        /// Program path.
        program: String,
        /// The OS error.
        source: std::io::Error,
    },
}

/// A running helper instance, owned by the daemon.
#[derive(Debug)]
pub struct Helper {
    name: Arc<str>,
    generation: u64,
    pid: Option<u32>,
    encoding: Encoding,
    queue: Arc<OutQueue>,
    gate: Arc<Gate>,
    stop: Option<oneshot::Sender<()>>,
}

impl Helper {
    /// Starts `spec` and its reader, writer and child tasks. Lines and the exit notice go to
    /// `events`. Must be called inside a tokio runtime.
    pub fn spawn(
        spec: &HelperSpec,
        generation: u64,
        queue_bytes: usize,
        events: mpsc::Sender<ProcessEvent>,
    ) -> Result<Self, SpawnError> {
        let Some((program, args)) = spec.run.split_first() else {
            return Err(SpawnError::Empty(spec.name.clone()));
        };
        let mut child = Command::new(program)
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .env("TERM", "dumb")
            .env_remove("exabgp_cli_pipe")
            .process_group(0)
            .kill_on_drop(false)
            .spawn()
            .map_err(|source| SpawnError::Io {
                name: spec.name.clone(),
                program: program.clone(),
                source,
            })?;
        let name: Arc<str> = Arc::from(spec.name.as_str());
        let pid = child.id();
        let queue = Arc::new(OutQueue::new(queue_bytes));
        let (stop_tx, stop_rx) = oneshot::channel();

        let gate = Gate::new(MAX_LINES_IN_FLIGHT);
        let writer = child
            .stdin
            .take()
            .map(|stdin| tokio::spawn(write_loop(name.clone(), stdin, queue.clone())));
        let reader = child.stdout.take().map(|stdout| {
            tokio::spawn(read_loop(
                Reader {
                    name: name.clone(),
                    generation,
                    gate: gate.clone(),
                },
                stdout,
                events.clone(),
            ))
        });
        tokio::spawn(child_loop(ChildTask {
            name: name.clone(),
            generation,
            child,
            reader,
            writer,
            queue: queue.clone(),
            stop: stop_rx,
            events,
        }));
        tracing::debug!(target: "processes", process = %name, ?pid, generation, "forked process");
        Ok(Self {
            name,
            generation,
            pid,
            encoding: spec.encoding,
            queue,
            gate,
            stop: Some(stop_tx),
        })
    }

    /// The helper's name.
    pub fn name(&self) -> &Arc<str> {
        &self.name
    }

    /// Which start of the helper this is.
    pub fn generation(&self) -> u64 {
        self.generation
    }

    /// The OS process id, if it is known.
    pub fn pid(&self) -> Option<u32> {
        self.pid
    }

    /// The encoder this helper was started with.
    pub fn encoding(&self) -> Encoding {
        self.encoding
    }

    /// Queues one line (a `\n` is appended) for the helper's stdin; never blocks.
    pub fn send_line(&self, line: &str) -> Push {
        self.report(self.queue.push_line(line))
    }

    /// Queues bytes that already end with `\n`; never blocks. Drops are logged here.
    pub fn send_raw(&self, bytes: Bytes) -> Push {
        self.report(self.queue.push(bytes))
    }

    /// Logs the start and the end of an overflow episode.
    fn report(&self, outcome: Push) -> Push {
        match outcome {
            Push::Dropped { first: true } => tracing::warn!(
                target: "processes",
                process = %self.name,
                total_drops = self.queue.drops(),
                "helper is not reading its stdin: outbound queue full, dropping lines for it"
            ),
            Push::Resumed(lost) => tracing::warn!(
                target: "processes",
                process = %self.name,
                lost,
                total_drops = self.queue.drops(),
                "helper is reading again; lines were dropped while its queue was full"
            ),
            _ => {}
        }
        outcome
    }

    /// True when the helper has read nothing since its queue overflowed: `lines` made
    /// now would be dropped, and are counted as dropped without being made
    /// ([`OutQueue::drop_if_stuck`]).
    pub fn drop_if_stuck(&self, lines: u64) -> bool {
        self.queue.drop_if_stuck(lines)
    }

    /// Called after a message received from a peer was queued: holds the peer's reads
    /// back while this helper's queue is too full ([`OutQueue::hold_reads`]).
    pub fn hold_reads(&self, hold: &Arc<ReadHold>) {
        if self.queue.hold_reads(hold) {
            tracing::debug!(
                target: "processes",
                process = %self.name,
                queued = self.queue.queued_bytes(),
                "helper reads slower than its peers send: a peer waits for it"
            );
        }
    }

    /// The helper's outbound queue, for tasks that answer it later (`show` output).
    pub fn queue(&self) -> Arc<OutQueue> {
        self.queue.clone()
    }

    /// Lines read from the helper that the peers have not applied yet (flow control,
    /// [`flow`]).
    pub fn lines_in_flight(&self) -> usize {
        self.gate.in_flight()
    }

    /// Lines dropped for this helper because its queue was full.
    pub fn drops(&self) -> u64 {
        self.queue.drops()
    }

    /// Stops the helper: what is queued gets a short time to reach the pipe, stdin is
    /// closed, then SIGTERM, then SIGKILL after 2 s. Further lines are refused.
    pub fn stop(&mut self) {
        self.queue.close();
        if let Some(stop) = self.stop.take() {
            // the child task may already be gone (the helper exited on its own)
            let _ = stop.send(());
        }
    }
}

impl Drop for Helper {
    fn drop(&mut self) {
        self.stop();
    }
}

struct ChildTask {
    name: Arc<str>,
    generation: u64,
    child: Child,
    reader: Option<tokio::task::JoinHandle<ReadEnd>>,
    writer: Option<tokio::task::JoinHandle<()>>,
    queue: Arc<OutQueue>,
    stop: oneshot::Receiver<()>,
    events: mpsc::Sender<ProcessEvent>,
}

/// Why the reader stopped.
#[derive(Debug)]
enum ReadEnd {
    Eof,
    Oversized,
    Error(std::io::Error),
    DaemonGone,
}

async fn child_loop(mut task: ChildTask) {
    let mut reader = task.reader.take();
    let status = loop {
        tokio::select! {
            status = task.child.wait() => break describe_exit(status),
            end = async {
                match reader.as_mut() {
                    Some(handle) => handle.await.ok(),
                    None => std::future::pending().await,
                }
            } => {
                reader = None;
                match end {
                    Some(ReadEnd::Oversized) => {
                        tracing::error!(target: "processes", process = %task.name,
                            "oversized command from process (over {MAX_COMMAND_SIZE} bytes without a newline)");
                        task.queue.close();
                        break terminate(&mut task.child, &task.name).await;
                    }
                    Some(ReadEnd::Error(e)) => {
                        tracing::debug!(target: "processes", process = %task.name, "read error: {e}");
                    }
                    // stdout closed: a helper that only reads (`exec cat > file`) may
                    // live on; it is reported when it exits
                    _ => {
                        tracing::debug!(target: "processes", process = %task.name, "helper closed its stdout");
                    }
                }
            }
            _ = &mut task.stop => {
                // let the last lines (the `shutdown` notice) reach the pipe, then close stdin
                if let Some(writer) = task.writer.take() {
                    let _ = tokio::time::timeout(DRAIN_GRACE, writer).await;
                }
                break terminate(&mut task.child, &task.name).await;
            }
        }
    };
    task.queue.close();
    if let Some(handle) = reader {
        // deliver what the helper printed before it exited, before reporting the exit
        let _ = tokio::time::timeout(Duration::from_secs(1), handle).await;
    }
    let _ = task
        .events
        .send(ProcessEvent::Exited {
            name: task.name,
            generation: task.generation,
            status,
        })
        .await;
}

/// SIGTERM, then SIGKILL after [`TERMINATE_GRACE`]; returns how the process ended.
async fn terminate(child: &mut Child, name: &str) -> String {
    if let Ok(Some(status)) = child.try_wait() {
        return describe_exit(Ok(status));
    }
    if let Some(pid) = child.id() {
        signal::send_term(pid);
    }
    match tokio::time::timeout(TERMINATE_GRACE, child.wait()).await {
        Ok(status) => describe_exit(status),
        Err(_) => {
            tracing::debug!(target: "processes", process = %name, "force kill unresponsive helper");
            let _ = child.start_kill();
            describe_exit(child.wait().await)
        }
    }
}

fn describe_exit(status: std::io::Result<std::process::ExitStatus>) -> String {
    match status {
        Ok(status) => status.to_string(),
        Err(e) => format!("wait failed: {e}"),
    }
}

async fn write_loop(name: Arc<str>, mut stdin: ChildStdin, queue: Arc<OutQueue>) {
    while let Some(chunk) = queue.take().await {
        // write by write, so that every bit the helper reads counts as reading ([`hold`])
        let mut rest = chunk.as_slice();
        while !rest.is_empty() {
            match stdin.write(rest).await {
                Ok(n) if n > 0 => {
                    queue.wrote();
                    rest = rest.get(n..).unwrap_or_default();
                }
                Ok(_) => {
                    tracing::debug!(target: "processes", process = %name, "helper's stdin is closed");
                    queue.close();
                    return;
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => {
                    tracing::debug!(target: "processes", process = %name, "issue while sending data to our helper program: {e}");
                    queue.close();
                    return;
                }
            }
        }
        if let Err(e) = stdin.flush().await {
            tracing::debug!(target: "processes", process = %name, "flush to helper failed: {e}");
        }
    }
    // queue closed and drained: dropping stdin sends EOF to the helper
}

/// Who the reader task reads for.
struct Reader {
    name: Arc<str>,
    generation: u64,
    gate: Arc<Gate>,
}

async fn read_loop(
    reader: Reader,
    mut stdout: ChildStdout,
    events: mpsc::Sender<ProcessEvent>,
) -> ReadEnd {
    let Reader {
        name,
        generation,
        gate,
    } = reader;
    let mut pending: Vec<u8> = Vec::new();
    let mut chunk = vec![0u8; 64 * 1024];
    loop {
        // flow control: the pipe waits while the peers apply what was read ([`flow`])
        gate.wait_open().await;
        let n = match stdout.read(&mut chunk).await {
            Ok(0) => return ReadEnd::Eof,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return ReadEnd::Error(e),
        };
        let Some(data) = chunk.get(..n) else {
            return ReadEnd::Eof;
        };
        pending.extend_from_slice(data);
        let lines = split_lines(&mut pending, &name);
        if pending.len() > MAX_COMMAND_SIZE {
            return ReadEnd::Oversized;
        }
        if lines.is_empty() {
            continue;
        }
        let credit = gate.take(lines.len());
        let event = ProcessEvent::Lines {
            name: name.clone(),
            generation,
            lines,
            credit,
        };
        if events.send(event).await.is_err() {
            return ReadEnd::DaemonGone;
        }
    }
}

/// The command lines of one read: one buffer and the line boundaries in it, not one
/// `String` per line.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Lines {
    text: String,
    /// Start and end of each line in `text`.
    spans: Vec<(usize, usize)>,
}

impl Lines {
    /// Lines holding `lines` (control clients, tests).
    pub fn from_lines<'a>(lines: impl IntoIterator<Item = &'a str>) -> Self {
        let mut out = Self::default();
        for line in lines {
            let start = out.text.len();
            out.text.push_str(line);
            out.spans.push((start, out.text.len()));
        }
        out
    }

    /// The lines, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        self.spans
            .iter()
            .map(|&(start, end)| self.text.get(start..end).unwrap_or_default())
    }

    /// Number of lines.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    /// True when there is no line.
    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }
}

/// Takes every complete line out of `pending`, trimming trailing whitespace; `debug …`
/// lines are logged and left out, like ExaBGP. Valid UTF-8 (the usual case) is taken
/// over without a copy; invalid sequences become U+FFFD.
fn split_lines(pending: &mut Vec<u8>, name: &str) -> Lines {
    let Some(last_nl) = pending.iter().rposition(|&b| b == b'\n') else {
        return Lines::default();
    };
    let rest = pending.split_off(last_nl + 1);
    let complete = std::mem::replace(pending, rest);
    let text = match String::from_utf8(complete) {
        Ok(text) => text,
        Err(e) => String::from_utf8_lossy(e.as_bytes()).into_owned(),
    };
    let mut spans = Vec::new();
    let mut start = 0;
    while let Some(at) = text.get(start..).and_then(|t| t.find('\n')) {
        let end = start + at;
        let line = text.get(start..end).unwrap_or_default().trim_end();
        if let Some(info) = line.strip_prefix("debug ") {
            tracing::warn!(target: "api", process = %name, "debug info from {name} : {info}");
        } else {
            spans.push((start, start + line.len()));
        }
        start = end + 1;
    }
    Lines { text, spans }
}

mod signal {
    //! The one system call std and tokio do not offer: SIGTERM to a child.

    /// Sends SIGTERM to `pid` (a child we started and have not reaped).
    #[allow(unsafe_code)]
    pub(super) fn send_term(pid: u32) {
        let Ok(pid) = libc::pid_t::try_from(pid) else {
            return;
        };
        // SAFETY: kill(2) takes two integers and touches no memory of ours. `pid` is our own
        // unreaped child (tokio only reaps it in `wait`, which has not returned), so the pid
        // cannot have been reused by another process.
        unsafe {
            libc::kill(pid, libc::SIGTERM);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_keeps_partial_line_and_drops_debug() {
        let mut pending =
            b"announce route 1.0.0.0/24 next-hop 2.2.2.2\r\ndebug hello\n\nwith".to_vec();
        let lines = split_lines(&mut pending, "t");
        assert_eq!(
            lines.iter().collect::<Vec<_>>(),
            ["announce route 1.0.0.0/24 next-hop 2.2.2.2", ""]
        );
        assert_eq!(pending, b"with");
        pending.extend_from_slice(b"draw route 1.0.0.0/24\n");
        assert_eq!(
            split_lines(&mut pending, "t").iter().collect::<Vec<_>>(),
            ["withdraw route 1.0.0.0/24"]
        );
        // invalid UTF-8 is replaced, the line kept
        pending.extend_from_slice(b"version \xff\n");
        assert_eq!(
            split_lines(&mut pending, "t").iter().collect::<Vec<_>>(),
            ["version \u{fffd}"]
        );
        assert!(pending.is_empty());
    }

    fn spec(script: &str) -> HelperSpec {
        HelperSpec {
            name: "t".into(),
            run: vec!["/bin/sh".into(), "-c".into(), script.into()],
            encoding: Encoding::Text,
            respawn: true,
        }
    }

    #[tokio::test]
    async fn lines_flow_both_ways_and_exit_is_reported() {
        let (tx, mut rx) = mpsc::channel(16);
        // echoes back what it reads, prefixed, until it reads "bye"
        let helper = Helper::spawn(
            &spec("echo hello; while read l; do [ \"$l\" = bye ] && exit 3; echo got $l; done"),
            7,
            1024,
            tx,
        )
        .unwrap();
        helper.send_line("done");
        helper.send_line("bye");
        let mut seen = Vec::new();
        let status = loop {
            match tokio::time::timeout(Duration::from_secs(5), rx.recv())
                .await
                .unwrap()
                .unwrap()
            {
                ProcessEvent::Lines {
                    generation, lines, ..
                } => {
                    assert_eq!(generation, 7);
                    seen.extend(lines.iter().map(str::to_owned));
                }
                ProcessEvent::Exited {
                    generation, status, ..
                } => {
                    assert_eq!(generation, 7);
                    break status;
                }
            }
        };
        assert_eq!(seen, vec!["hello", "got done"]);
        assert!(status.contains('3'), "{status}");
    }

    /// A helper printing 200k lines is not read further while its lines are not applied
    /// (the credits are held), and every line arrives once they are.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn a_fast_helper_waits_for_its_lines_to_be_applied() {
        let dir = std::env::temp_dir().join(format!("herald-flow-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let marker = dir.join("all-written");
        let _ = std::fs::remove_file(&marker);
        let script = format!(
            "awk 'BEGIN {{ for (i = 0; i < 200000; i++) \
             printf \"announce route 10.%d.%d.%d/32 next-hop 192.0.2.1\\n\", \
             i / 65536, (i / 256) % 256, i % 256 }}'; touch {}; exec sleep 30",
            marker.display()
        );
        let (tx, mut rx) = mpsc::channel(256);
        let mut helper = Helper::spawn(&spec(&script), 1, 1024, tx).unwrap();
        let mut held = Vec::new();
        let mut lines = 0usize;
        // hold every credit: the reader must stop after the limit (plus one read)
        loop {
            match tokio::time::timeout(Duration::from_millis(500), rx.recv()).await {
                Ok(Some(ProcessEvent::Lines {
                    lines: got, credit, ..
                })) => {
                    lines += got.len();
                    held.push(credit);
                }
                Ok(other) => panic!("unexpected {other:?}"),
                Err(_) => break, // nothing more comes while the credits are held
            }
        }
        assert!(
            lines >= MAX_LINES_IN_FLIGHT,
            "read up to the limit: {lines}"
        );
        // one 64 KiB read holds at most ~1,500 such lines
        assert!(lines < MAX_LINES_IN_FLIGHT + 2_000, "bounded: {lines}");
        assert_eq!(helper.lines_in_flight(), lines);
        assert!(!marker.exists(), "the helper is blocked on its pipe");
        // apply (drop) as they come: every line arrives, the helper finishes writing
        held.clear();
        while lines < 200_000 {
            match tokio::time::timeout(Duration::from_secs(10), rx.recv()).await {
                Ok(Some(ProcessEvent::Lines { lines: got, .. })) => lines += got.len(),
                other => panic!("lines stopped at {lines}: {other:?}"),
            }
        }
        assert_eq!(lines, 200_000);
        for _ in 0..100 {
            if marker.exists() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(marker.exists(), "the helper wrote everything");
        assert_eq!(helper.lines_in_flight(), 0);
        helper.stop();
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[tokio::test]
    async fn stop_terminates_a_helper_that_ignores_stdin() {
        let (tx, mut rx) = mpsc::channel(16);
        let mut helper = Helper::spawn(&spec("exec sleep 30"), 1, 1024, tx).unwrap();
        helper.stop();
        let event = tokio::time::timeout(Duration::from_secs(5), rx.recv())
            .await
            .unwrap()
            .unwrap();
        match event {
            ProcessEvent::Exited { status, .. } => assert!(status.contains("signal"), "{status}"),
            other => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn empty_run_is_refused() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let (tx, _rx) = mpsc::channel(1);
        let mut s = spec("");
        s.run.clear();
        rt.block_on(async {
            assert!(matches!(
                Helper::spawn(&s, 0, 10, tx),
                Err(SpawnError::Empty(_))
            ));
        });
    }
}
