//! The session's timers, as deadlines (RFC 4271 §8.1.3, RFC 9687 §3).
//!
//! Nothing here sleeps: each timer is an `Option<Instant>`; the session hands the earliest
//! to the runtime ([`Session::poll_timeout`](crate::Session::poll_timeout)) and is told
//! when time has passed ([`Session::handle_timeout`](crate::Session::handle_timeout)).

use std::time::{Duration, Instant};

/// One of the session's timers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(crate) enum Timer {
    /// Back-off before an automatic restart (event 13, IdleHoldTimer_Expires).
    IdleHold,
    /// A TCP connection attempt took too long (event 9, ConnectRetryTimer_Expires).
    ConnectRetry,
    /// Time to send our OPEN after waiting for the peer's (event 12).
    DelayOpen,
    /// Nothing received for the hold time, or no OPEN within open-wait (event 10).
    Hold,
    /// Time to send a KEEPALIVE (event 11).
    Keepalive,
    /// The peer has not read our data for the send hold time (RFC 9687).
    SendHold,
}

/// Every timer's deadline.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub(crate) struct Timers {
    idle_hold: Option<Instant>,
    connect_retry: Option<Instant>,
    delay_open: Option<Instant>,
    hold: Option<Instant>,
    keepalive: Option<Instant>,
    send_hold: Option<Instant>,
}

impl Timers {
    /// Expiry order when several are due at once: the fatal ones first, so that no
    /// KEEPALIVE is queued on a connection about to be reset.
    const ALL: [Timer; 6] = [
        Timer::SendHold,
        Timer::Hold,
        Timer::IdleHold,
        Timer::ConnectRetry,
        Timer::DelayOpen,
        Timer::Keepalive,
    ];

    fn slot(&mut self, timer: Timer) -> &mut Option<Instant> {
        match timer {
            Timer::IdleHold => &mut self.idle_hold,
            Timer::ConnectRetry => &mut self.connect_retry,
            Timer::DelayOpen => &mut self.delay_open,
            Timer::Hold => &mut self.hold,
            Timer::Keepalive => &mut self.keepalive,
            Timer::SendHold => &mut self.send_hold,
        }
    }

    /// Arms `timer` to fire `after` from `now` (replacing any earlier deadline).
    pub(crate) fn set(&mut self, timer: Timer, now: Instant, after: Duration) {
        *self.slot(timer) = now.checked_add(after);
    }

    /// Disarms `timer`.
    pub(crate) fn stop(&mut self, timer: Timer) {
        *self.slot(timer) = None;
    }

    /// True when `timer` is armed.
    #[cfg(test)]
    pub(crate) fn is_set(&mut self, timer: Timer) -> bool {
        self.slot(timer).is_some()
    }

    /// Disarms every timer.
    pub(crate) fn clear(&mut self) {
        *self = Self::default();
    }

    /// The hold timer's deadline, if it runs.
    pub(crate) fn hold(&self) -> Option<Instant> {
        self.hold
    }

    /// The earliest deadline.
    pub(crate) fn next(&self) -> Option<Instant> {
        [
            self.idle_hold,
            self.connect_retry,
            self.delay_open,
            self.hold,
            self.keepalive,
            self.send_hold,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// The first timer (fatal ones first) whose deadline is at or before `now`; it is
    /// disarmed.
    pub(crate) fn expired(&mut self, now: Instant) -> Option<Timer> {
        Self::ALL.into_iter().find(|t| {
            let slot = self.slot(*t);
            if slot.is_some_and(|deadline| deadline <= now) {
                *slot = None;
                true
            } else {
                false
            }
        })
    }
}

/// ExaBGP's growing delay between connection attempts: 0 s for the first, then
/// `next = min(1 + next × 1.2, cap)` in whole seconds.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Backoff {
    next: u64,
    cap: u64,
}

impl Backoff {
    pub(crate) fn new(cap: Duration) -> Self {
        Self {
            next: 0,
            cap: cap.as_secs(),
        }
    }

    /// The delay to wait now; the following one grows.
    pub(crate) fn advance(&mut self) -> Duration {
        let delay = self.next;
        self.next = (1 + self.next * 6 / 5).min(self.cap);
        Duration::from_secs(delay)
    }

    /// Back to no delay (after a session was established, or on a manual start).
    pub(crate) fn reset(&mut self) {
        self.next = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_follows_exabgp_and_caps() {
        let mut b = Backoff::new(Duration::from_secs(60));
        let seq: Vec<u64> = (0..20).map(|_| b.advance().as_secs()).collect();
        assert_eq!(
            seq,
            [0, 1, 2, 3, 4, 5, 7, 9, 11, 14, 17, 21, 26, 32, 39, 47, 57, 60, 60, 60]
        );
        b.reset();
        assert_eq!(b.advance(), Duration::ZERO);
    }

    #[test]
    fn earliest_deadline_and_expiry() {
        let t0 = Instant::now();
        let mut timers = Timers::default();
        assert_eq!(timers.next(), None);
        timers.set(Timer::Hold, t0, Duration::from_secs(90));
        timers.set(Timer::Keepalive, t0, Duration::from_secs(30));
        assert_eq!(timers.next(), Some(t0 + Duration::from_secs(30)));
        assert_eq!(timers.expired(t0 + Duration::from_secs(29)), None);
        assert_eq!(
            timers.expired(t0 + Duration::from_secs(30)),
            Some(Timer::Keepalive)
        );
        assert_eq!(timers.expired(t0 + Duration::from_secs(30)), None);
        assert!(timers.is_set(Timer::Hold));
        timers.stop(Timer::Hold);
        assert_eq!(timers.next(), None);
    }
}
