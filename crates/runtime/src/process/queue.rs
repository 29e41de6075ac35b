//! The bounded outbound queue in front of a helper's stdin.
//!
//! Herald never waits for a helper to read. Everything written to a helper (events, acks,
//! `show` answers) goes through [`OutQueue::push`], which never blocks: the line is appended
//! when the queued bytes stay under the limit, and dropped otherwise. A writer task drains the
//! queue into the pipe at whatever pace the helper reads.
//!
//! Policy when the queue is full: the new line is **dropped** (newest-dropped, so a helper
//! that catches up later sees a consistent prefix of the stream, then a gap), the drop is
//! counted, and the first drop of every overflow episode is logged as a warning; when the
//! queue has room again the number of lines lost in the episode is logged. Until the helper
//! reads again, the daemon does not even make its message lines ([`OutQueue::drop_if_stuck`]):
//! they are counted as dropped. ExaBGP instead
//! blocks its whole reactor on the pipe (issues #932, #1034): every session stalls and hold
//! timers expire. Dropping only hurts the helper that stopped reading.
//!
//! A helper that reads, only more slowly than its peers send, loses nothing: past half its
//! limit the queue holds back the peers whose messages it is given
//! ([`OutQueue::hold_reads`], [`super::hold`]), and accepts what was already on its way
//! past the limit, as long as the helper has read within [`STALL`](super::hold::STALL).

use std::collections::VecDeque;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
#[cfg(test)]
use std::time::Duration;
use std::time::Instant;

use bytes::Bytes;
use tokio::sync::Notify;

use super::hold::{ReadHold, Reading, OVERDRAFT};

/// Lines up to this size are copied into the queue's buffer rather than queued whole.
const SHORT_LINE: usize = 1024;

/// The most the writer takes at once ([`OutQueue::take`]).
pub const TAKE_MAX: usize = 256 * 1024;

/// Default byte limit of a helper's outbound queue (what is waiting beyond the 64 KiB pipe).
pub const DEFAULT_QUEUE_BYTES: usize = 16 * 1024 * 1024;

/// A byte-bounded FIFO of lines for one helper, shared by the daemon (producer) and the
/// helper's writer task (consumer).
#[derive(Debug)]
pub struct OutQueue {
    state: Mutex<State>,
    ready: Notify,
    limit: usize,
    /// When the helper last read: peers wait for it only while it reads ([`STALL`](super::hold::STALL)).
    reading: Arc<Reading>,
    drops: AtomicU64,
}

#[derive(Debug, Default)]
struct State {
    lines: VecDeque<Bytes>,
    /// Short lines after `lines`, copied into one buffer: a `done` ack as its own `Bytes`
    /// would cost ten times its five octets, and a helper reading its acks late can have
    /// a million of them queued.
    tail: Vec<u8>,
    bytes: usize,
    closed: bool,
    /// Lines dropped since the queue last had room (the current overflow episode).
    episode: u64,
    /// A line was dropped and the writer has taken nothing since: any line would be
    /// dropped now ([`OutQueue::drop_if_stuck`]).
    stuck: bool,
    /// Peers whose reads this queue holds back ([`OutQueue::hold_reads`]).
    holding: Vec<Arc<ReadHold>>,
}

/// What [`OutQueue::push`] did with a line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Push {
    /// The line is queued.
    Queued,
    /// The line is queued, and the queue had been full: that many lines were lost before it.
    Resumed(u64),
    /// The queue is full: the line was dropped. `first` is true for the first drop of an
    /// overflow episode (the one worth logging).
    Dropped {
        /// First drop since the queue last had room.
        first: bool,
    },
    /// The queue is closed (the helper is gone or going).
    Closed,
}

impl State {
    /// Copies a short line after everything queued.
    fn append(&mut self, bytes: &[u8]) {
        self.tail.extend_from_slice(bytes);
    }

    /// Takes the first `max` bytes queued (all of them when fewer).
    fn take_front(&mut self, max: usize) -> Vec<u8> {
        if self.lines.is_empty() && self.tail.len() <= max {
            self.bytes -= self.tail.len();
            return std::mem::take(&mut self.tail);
        }
        self.seal();
        let mut out = Vec::with_capacity(self.bytes.min(max));
        while let Some(mut line) = self.lines.pop_front() {
            let room = max - out.len();
            if line.len() > room {
                let rest = line.split_off(room);
                out.extend_from_slice(&line);
                self.lines.push_front(rest);
                break;
            }
            out.extend_from_slice(&line);
        }
        self.bytes -= out.len();
        out
    }

    /// Lets every held peer read again.
    fn release_all(&mut self, reading: &Arc<Reading>) {
        for hold in self.holding.drain(..) {
            hold.release(reading);
        }
    }

    /// Moves the buffer of short lines into the queue, so a long line can follow it.
    fn seal(&mut self) {
        if !self.tail.is_empty() {
            let tail = std::mem::take(&mut self.tail);
            self.lines.push_back(Bytes::from(tail));
        }
    }
}

impl OutQueue {
    /// An empty queue that holds at most `limit` bytes (one line is always accepted into an
    /// empty queue, whatever its size).
    pub fn new(limit: usize) -> Self {
        Self {
            state: Mutex::new(State::default()),
            ready: Notify::new(),
            limit,
            reading: Reading::new(),
            drops: AtomicU64::new(0),
        }
    }

    /// The same queue with another [`STALL`](super::hold::STALL) (tests).
    #[cfg(test)]
    fn with_stall(mut self, stall: Duration) -> Self {
        self.reading = Reading::with_stall(stall);
        self
    }

    /// Appends `line` (which must already end with `\n`) without ever blocking.
    pub fn push(&self, line: Bytes) -> Push {
        self.push_with(line.len(), |state| {
            if line.len() <= SHORT_LINE {
                state.append(&line);
            } else {
                state.seal();
                state.lines.push_back(line);
            }
        })
    }

    /// Appends `text` and a `\n`, copied into the queue's buffer (no allocation of its
    /// own for a short line); never blocks.
    pub fn push_line(&self, text: &str) -> Push {
        self.push_with(text.len() + 1, |state| {
            state.append(text.as_bytes());
            state.append(b"\n");
        })
    }

    fn push_with(&self, len: usize, add: impl FnOnce(&mut State)) -> Push {
        let mut state = self.lock();
        if state.closed {
            return Push::Closed;
        }
        if state.bytes > 0 && state.bytes + len > self.limit && !self.overdraft(&state, len) {
            state.episode += 1;
            state.stuck = true;
            self.drops.fetch_add(1, Ordering::Relaxed);
            return Push::Dropped {
                first: state.episode == 1,
            };
        }
        state.bytes += len;
        add(&mut state);
        let lost = std::mem::take(&mut state.episode);
        drop(state);
        self.ready.notify_one();
        if lost > 0 {
            Push::Resumed(lost)
        } else {
            Push::Queued
        }
    }

    /// True when a line of `len` bytes past the limit is still taken: the queue holds peers
    /// back (what they had sent is still arriving), the helper reads, and the queue is
    /// within [`OVERDRAFT`] bytes past its limit.
    fn overdraft(&self, state: &State, len: usize) -> bool {
        !state.holding.is_empty()
            && state.bytes + len <= self.limit.saturating_add(OVERDRAFT)
            && self.reading.stalls_at() > Instant::now()
    }

    /// Called after a message received from a peer was queued: when the queue holds more
    /// than half its limit and the helper has read within [`STALL`](super::hold::STALL), the peer stops reading
    /// its socket until the queue has drained below a quarter of its limit (or closes).
    /// True when this call began holding the peer.
    pub fn hold_reads(&self, hold: &Arc<ReadHold>) -> bool {
        let mut state = self.lock();
        if state.closed
            || state.bytes <= self.limit / 2
            || self.reading.stalls_at() <= Instant::now()
            || !hold.hold(&self.reading)
        {
            return false;
        }
        state.holding.push(Arc::clone(hold));
        true
    }

    /// Peers this queue holds back now.
    #[cfg(test)]
    fn holding(&self) -> usize {
        self.lock().holding.len()
    }

    /// True when a line was dropped and the helper has read nothing since, so that any
    /// line made now would be dropped too: the caller may skip making it (a helper that
    /// never reads would otherwise cost the JSON of every UPDATE). Counts the `lines`
    /// skipped as dropped.
    pub fn drop_if_stuck(&self, lines: u64) -> bool {
        let mut state = self.lock();
        if !state.stuck || state.closed {
            return false;
        }
        state.episode += lines;
        self.drops.fetch_add(lines, Ordering::Relaxed);
        true
    }

    /// Total number of lines dropped since the queue was made.
    pub fn drops(&self) -> u64 {
        self.drops.load(Ordering::Relaxed)
    }

    /// Bytes waiting to be written.
    pub fn queued_bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Refuses further lines; the writer still drains what is queued, then stops.
    pub fn close(&self) {
        let mut state = self.lock();
        state.closed = true;
        state.release_all(&self.reading);
        drop(state);
        self.ready.notify_one();
    }

    /// Waits for lines and takes up to [`TAKE_MAX`] bytes of them, in order (a line may
    /// be split between two takes: the pipe is a byte stream), or `None` once the queue is
    /// closed and empty. Bounded so that what the writer holds while the helper does not
    /// read stays small, and so that a take means the helper read the previous one.
    pub async fn take(&self) -> Option<Vec<u8>> {
        loop {
            {
                let mut state = self.lock();
                if state.bytes > 0 {
                    state.stuck = false;
                    self.wrote();
                    let taken = state.take_front(TAKE_MAX);
                    if state.bytes <= self.limit / 4 {
                        state.release_all(&self.reading);
                    }
                    return Some(taken);
                }
                if state.closed {
                    return None;
                }
            }
            self.ready.notified().await;
        }
    }

    /// The writer wrote to the helper's pipe: the helper reads (a pipe takes what a helper
    /// reads, so a slow helper is seen reading at every write, not once per take).
    pub fn wrote(&self) {
        self.reading.touch(Instant::now());
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // A poisoned lock only means another thread panicked while holding it; the queue's
        // state is still a valid VecDeque, so keep going with it.
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Drop for OutQueue {
    fn drop(&mut self) {
        let reading = Arc::clone(&self.reading);
        self.lock().release_all(&reading);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn line(s: &str) -> Bytes {
        Bytes::from(format!("{s}\n"))
    }

    #[test]
    fn drops_newest_when_full_and_reports_resume() {
        let q = OutQueue::new(10);
        assert_eq!(q.push(line("done")), Push::Queued); // 5 bytes
        assert_eq!(q.push(line("done")), Push::Queued); // 10 bytes
        assert_eq!(q.push(line("done")), Push::Dropped { first: true });
        assert_eq!(q.push(line("done")), Push::Dropped { first: false });
        assert_eq!(q.drops(), 2);
        assert_eq!(q.queued_bytes(), 10);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        let taken = rt.block_on(q.take()).unwrap();
        assert_eq!(taken, b"done\ndone\n");
        assert_eq!(q.push(line("error")), Push::Resumed(2));
        assert_eq!(q.drops(), 2);
    }

    /// Once a line is dropped, lines are skipped (and counted) until the writer takes
    /// what is queued; then they are made and pushed again.
    #[test]
    fn a_stuck_queue_skips_lines_until_the_helper_reads() {
        let q = OutQueue::new(10);
        assert!(!q.drop_if_stuck(1), "an empty queue is not stuck");
        q.push(line("done"));
        q.push(line("done"));
        assert!(!q.drop_if_stuck(1), "full, but nothing dropped yet");
        assert_eq!(q.push(line("done")), Push::Dropped { first: true });
        assert!(q.drop_if_stuck(2));
        assert_eq!(q.drops(), 3);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(q.take()).unwrap(), b"done\ndone\n");
        assert!(!q.drop_if_stuck(1), "the helper read: lines are made again");
        assert_eq!(q.push(line("x")), Push::Resumed(3));
    }

    /// Takes are bounded and split lines where they must, keeping every byte in order.
    #[tokio::test]
    async fn takes_are_bounded_and_keep_the_bytes_in_order() {
        let q = OutQueue::new(64 * TAKE_MAX);
        let mut sent = Vec::new();
        for i in 0..3000u32 {
            // short lines (copied into the buffer) and long ones (queued whole)
            let len = if i % 10 == 0 { 3000 + i as usize } else { 40 };
            let text = format!("{i:06} {}\n", "x".repeat(len));
            sent.extend_from_slice(text.as_bytes());
            assert_eq!(q.push(Bytes::from(text)), Push::Queued);
        }
        q.close();
        let mut got = Vec::new();
        while let Some(chunk) = q.take().await {
            assert!(
                !chunk.is_empty() && chunk.len() <= TAKE_MAX,
                "{}",
                chunk.len()
            );
            got.extend_from_slice(&chunk);
        }
        assert_eq!(got, sent);
        assert_eq!(q.queued_bytes(), 0);
    }

    #[test]
    fn oversized_line_accepted_into_empty_queue() {
        let q = OutQueue::new(4);
        assert_eq!(q.push(line("a long line")), Push::Queued);
        assert_eq!(q.push(line("x")), Push::Dropped { first: true });
    }

    #[test]
    fn closed_queue_drains_then_ends() {
        let q = OutQueue::new(100);
        q.push(line("shutdown"));
        q.close();
        assert_eq!(q.push(line("late")), Push::Closed);
        let rt = tokio::runtime::Builder::new_current_thread()
            .build()
            .unwrap();
        assert_eq!(rt.block_on(q.take()).unwrap(), b"shutdown\n");
        assert_eq!(rt.block_on(q.take()), None);
    }

    /// Short lines are copied into one buffer, long ones queued whole: the order and the
    /// byte count hold across the mix.
    #[tokio::test]
    async fn short_and_long_lines_keep_their_order() {
        let q = OutQueue::new(1 << 20);
        let long = format!("{}\n", "x".repeat(2000));
        q.push_line("done");
        q.push(line("error"));
        q.push(Bytes::from(long.clone()));
        q.push_line("done");
        assert_eq!(q.queued_bytes(), 5 + 6 + long.len() + 5);
        let got = q.take().await.unwrap();
        assert_eq!(got, format!("done\nerror\n{long}done\n").into_bytes());
        assert_eq!(q.queued_bytes(), 0);
        q.push_line("again");
        assert_eq!(q.take().await.unwrap(), b"again\n");
    }

    /// Past half its limit the queue holds the peer back, takes what still arrives up to
    /// OVERDRAFT times the limit, and lets the peer go below a quarter of it.
    #[tokio::test]
    async fn a_queue_behind_holds_its_peer_until_it_drains() {
        let limit = 4 * TAKE_MAX;
        let q = OutQueue::new(limit);
        let hold = ReadHold::new();
        let line = Bytes::from(format!("{}\n", "x".repeat(1023)));
        while q.queued_bytes() < limit / 2 {
            assert_eq!(q.push(line.clone()), Push::Queued);
        }
        assert!(!q.hold_reads(&hold), "at half the limit: not yet");
        assert_eq!(q.push(line.clone()), Push::Queued);
        assert!(q.hold_reads(&hold));
        assert!(hold.is_held());
        assert!(!q.hold_reads(&hold), "held once per queue");
        assert_eq!(q.holding(), 1);
        // what was on its way is taken past the limit, up to OVERDRAFT more
        while q.queued_bytes() < limit + OVERDRAFT {
            assert_eq!(q.push(line.clone()), Push::Queued);
        }
        assert_eq!(q.push(line.clone()), Push::Dropped { first: true });
        assert_eq!(q.drops(), 1);
        // the helper reads: each take above a quarter of the limit is progress, and the
        // peer is released below it
        let mut takes = 0;
        while q.queued_bytes() > limit / 4 {
            assert!(hold.is_held());
            assert!(
                hold.paused_until(Instant::now()).is_some(),
                "the helper reads"
            );
            q.take().await.unwrap();
            takes += 1;
        }
        assert_eq!(
            takes,
            (limit + OVERDRAFT - limit / 4) / TAKE_MAX,
            "released at a quarter of the limit"
        );
        assert!(!hold.is_held(), "released below a quarter");
        assert_eq!(q.holding(), 0);
        // and the limit is the plain limit again
        while q.queued_bytes() + line.len() <= limit {
            assert!(matches!(
                q.push(line.clone()),
                Push::Queued | Push::Resumed(_)
            ));
        }
        assert_eq!(q.push(line), Push::Dropped { first: true });
    }

    /// A helper that has read nothing for the stall time holds nobody, and its queue
    /// drops past the limit as before.
    #[test]
    fn a_stalled_helper_holds_no_peer() {
        let q = OutQueue::new(1000).with_stall(Duration::ZERO);
        let hold = ReadHold::new();
        let line = Bytes::from(format!("{}\n", "x".repeat(99)));
        for _ in 0..10 {
            q.push(line.clone());
        }
        assert!(!q.hold_reads(&hold));
        assert!(!hold.is_held());
        assert_eq!(q.push(line), Push::Dropped { first: true });
    }

    /// Closing (the helper stops) or dropping the queue lets its peers read again.
    #[test]
    fn closing_or_dropping_the_queue_releases_its_peers() {
        let line = Bytes::from(format!("{}\n", "x".repeat(99)));
        let hold = ReadHold::new();
        let q = OutQueue::new(100);
        q.push(line.clone());
        assert!(q.hold_reads(&hold));
        q.close();
        assert!(!hold.is_held());
        let q = OutQueue::new(100);
        q.push(line);
        assert!(q.hold_reads(&hold));
        drop(q);
        assert!(!hold.is_held());
    }
}
