//! Back-pressure from a helper's stdin to the peers whose messages fill it.
//!
//! [`flow`](super::flow) paces what a helper tells the peers; this paces what the peers
//! tell a helper. A peer can send a million routes in a fraction of a second, faster than
//! most helpers read their JSON: without a bound the helper's queue overflows and the
//! helper loses UPDATEs although it reads. So when a helper's queue holds more than half
//! its limit and a message received from a peer is queued for it, the queue *holds* that
//! peer's [`ReadHold`]: the peer task stops reading its socket, TCP pushes back on the
//! remote peer, and the peer reads again once the queue has drained below a quarter of its
//! limit. What was already on its way when the peer stopped (events between the peer task
//! and the supervisor) is queued past the limit, up to [`OVERDRAFT`] bytes more.
//!
//! What keeps this from stalling anything (ExaBGP blocks its whole reactor on a helper's
//! pipe, its issues #932 and #1034):
//! - Only the peers whose messages go to that helper stop reading. The supervisor, the
//!   other peers and helpers, and the held peer's own timers, writes and commands go on.
//! - A helper that has read nothing for [`STALL`] holds nobody back: its peers read on and
//!   its queue drops lines for it, as for a helper that never reads ([`super::queue`]);
//!   when it reads again it holds them again.
//! - A peer also stops reading while [`MAX_IN_FLIGHT`] of its messages wait for the
//!   supervisor to render them, so that what a hold cannot stop at once stays small.
//! - A held peer reads again when its hold timer is a third of the hold time from expiring,
//!   so the messages waiting in its socket keep the session up however slow the helper.

use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use tokio::sync::Notify;

/// How long a helper may read nothing before it holds no peer back.
pub const STALL: Duration = Duration::from_secs(2);

/// Messages received from one peer that the supervisor has not yet turned into helper
/// lines, past which the peer's socket is not read: it keeps what a hold cannot stop at
/// once (what is already on its way) to a few MiB of JSON.
pub const MAX_IN_FLIGHT: usize = 256;

/// How far past its limit a queue that holds peers accepts lines: what was already on its
/// way when the peers stopped reading (up to [`MAX_IN_FLIGHT`] messages a peer, a few
/// MiB of JSON).
pub const OVERDRAFT: usize = 16 * 1024 * 1024;

/// When a helper last read (its writer wrote to its pipe).
#[derive(Debug)]
pub struct Reading {
    /// Nanoseconds from [`epoch`].
    last: AtomicU64,
    /// [`STALL`], but in tests.
    stall: Duration,
}

impl Reading {
    /// A helper that reads as of now.
    pub fn new() -> Arc<Self> {
        Self::with_stall(STALL)
    }

    /// A helper that stops counting as reading `stall` after its last read.
    pub(crate) fn with_stall(stall: Duration) -> Arc<Self> {
        let reading = Arc::new(Self {
            last: AtomicU64::new(0),
            stall,
        });
        reading.touch(Instant::now());
        reading
    }

    /// The helper read at `now`.
    pub fn touch(&self, now: Instant) {
        self.last.store(nanos(now), Ordering::Release);
    }

    /// When the helper stops counting as reading, unless it reads again.
    pub fn stalls_at(&self) -> Instant {
        let last = Duration::from_nanos(self.last.load(Ordering::Acquire));
        epoch() + last + self.stall
    }
}

/// The daemon's time origin for [`Reading`] (an `Instant` does not fit in an atomic).
fn epoch() -> Instant {
    static EPOCH: OnceLock<Instant> = OnceLock::new();
    *EPOCH.get_or_init(Instant::now)
}

fn nanos(at: Instant) -> u64 {
    u64::try_from(at.saturating_duration_since(epoch()).as_nanos()).unwrap_or(u64::MAX)
}

/// Which helpers hold one peer's reads back: shared by the peer task and the queues of
/// the helpers its messages go to.
#[derive(Debug, Default)]
pub struct ReadHold {
    /// The helpers holding the peer, by their [`Reading`].
    holders: Mutex<Vec<Arc<Reading>>>,
    /// Messages received and not yet rendered for the helpers ([`MAX_IN_FLIGHT`]).
    in_flight: AtomicUsize,
    /// Wakes the peer task when a helper lets it go, or the supervisor catches up.
    wake: Notify,
}

impl ReadHold {
    /// A hold that nobody holds.
    pub fn new() -> Arc<Self> {
        Arc::new(Self::default())
    }

    /// True when some helper holds the peer (reading or not).
    pub fn is_held(&self) -> bool {
        !self.lock().is_empty()
    }

    /// When the socket may be read again, if it may not be read at `now`: the latest time
    /// at which a holding helper that still reads stalls (a helper that has read nothing
    /// for [`STALL`] holds nothing back). `None`: read now.
    pub fn paused_until(&self, now: Instant) -> Option<Instant> {
        self.lock()
            .iter()
            .map(|reading| reading.stalls_at())
            .filter(|at| *at > now)
            .max()
    }

    /// Waits until a helper lets the peer go or the supervisor has rendered messages
    /// after [`MAX_IN_FLIGHT`] waited (cancel-safe; a wake before the wait is not lost).
    pub async fn changed(&self) {
        self.wake.notified().await;
    }

    /// The peer task handed a received message to the supervisor.
    pub(crate) fn sent(&self) {
        self.in_flight.fetch_add(1, Ordering::AcqRel);
    }

    /// The supervisor turned a received message into helper lines.
    pub(crate) fn rendered(&self) {
        let before = self
            .in_flight
            .fetch_update(Ordering::AcqRel, Ordering::Acquire, |n| n.checked_sub(1));
        if before == Ok(MAX_IN_FLIGHT) {
            self.wake.notify_one();
        }
    }

    /// True when [`MAX_IN_FLIGHT`] received messages wait for the supervisor.
    pub fn in_flight_full(&self) -> bool {
        self.in_flight.load(Ordering::Acquire) >= MAX_IN_FLIGHT
    }

    /// The helper reading with `reading` holds the peer; false when it already did.
    pub(crate) fn hold(&self, reading: &Arc<Reading>) -> bool {
        let mut holders = self.lock();
        if holders.iter().any(|r| Arc::ptr_eq(r, reading)) {
            return false;
        }
        holders.push(Arc::clone(reading));
        true
    }

    /// The helper reading with `reading` lets the peer go.
    pub(crate) fn release(&self, reading: &Arc<Reading>) {
        self.lock().retain(|r| !Arc::ptr_eq(r, reading));
        self.wake.notify_one();
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Vec<Arc<Reading>>> {
        // a poisoned lock only means a panic elsewhere while it was held: the list is whole
        self.holders.lock().unwrap_or_else(|e| e.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_peer_waits_for_the_helpers_that_read_and_not_for_a_stalled_one() {
        let hold = ReadHold::new();
        let slow = Reading::new();
        let deaf = Reading::with_stall(Duration::ZERO); // as if it had read nothing for long
        let now = Instant::now();
        assert_eq!(hold.paused_until(now), None, "nobody holds it");
        slow.touch(now);
        assert!(hold.hold(&deaf));
        assert!(hold.is_held());
        assert_eq!(
            hold.paused_until(now),
            None,
            "a stalled helper holds nothing back"
        );
        assert!(hold.hold(&slow));
        assert!(!hold.hold(&slow), "once per helper");
        let until = hold.paused_until(now).expect("the reading helper holds it");
        assert!(until > now && until <= now + STALL + Duration::from_millis(1));
        // the helper reads on: the pause goes on
        let later = now + STALL / 2;
        slow.touch(later);
        assert!(hold.paused_until(later).unwrap() > until);
        // it stops reading: the peer reads once the stall time has passed
        assert_eq!(hold.paused_until(later + STALL), None);
        // released by the reading helper, still listed for the deaf one
        hold.release(&slow);
        assert!(hold.is_held());
        assert_eq!(hold.paused_until(later), None);
        hold.release(&deaf);
        assert!(!hold.is_held());
    }

    #[tokio::test]
    async fn a_release_before_the_wait_is_not_lost() {
        let hold = ReadHold::new();
        let reading = Reading::new();
        hold.hold(&reading);
        hold.release(&reading);
        tokio::time::timeout(Duration::from_secs(1), hold.changed())
            .await
            .expect("the release woke the waiter");
    }

    #[tokio::test]
    async fn messages_in_flight_are_bounded_and_wake_the_peer_when_rendered() {
        let hold = ReadHold::new();
        for _ in 0..MAX_IN_FLIGHT {
            assert!(!hold.in_flight_full());
            hold.sent();
        }
        assert!(hold.in_flight_full());
        hold.rendered();
        assert!(!hold.in_flight_full());
        tokio::time::timeout(Duration::from_secs(1), hold.changed())
            .await
            .expect("rendering below the bound woke the peer");
        for _ in 0..MAX_IN_FLIGHT + 5 {
            hold.rendered(); // never below zero
        }
        hold.sent();
        assert!(!hold.in_flight_full());
    }
}
