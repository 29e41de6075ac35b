//! Flow control from the peer tasks back to a helper's pipe.
//!
//! A helper can print routes much faster than peer tasks put them in their Adj-RIB-Out.
//! Without a bound, every line read and not yet applied waits in memory as parsed routes
//! (one `config::Route` of ~250 octets per line and peer). So each helper has a [`Gate`]:
//! its reader task counts the lines it hands to the daemon and stops reading the pipe
//! while more than [`MAX_LINES_IN_FLIGHT`] are not yet applied. The helper then blocks in
//! `write(2)` on a full pipe, which is what a fast writer should feel.
//!
//! A line stays "in flight" until every peer task its commands went to has applied them:
//! the lines of one read carry one [`Credit`], the supervisor hands a clone to each peer
//! with that read's commands ([`crate::event::PeerCommand::Paced`]), and the last clone
//! dropped returns the lines to the gate.
//!
//! The rule that keeps this from stalling anything else: **a peer task applies commands
//! to its Adj-RIB-Out whatever its session is doing** (Idle, Connect, Established with a
//! peer that does not read). The remote peer's TCP window is not in the loop: what the
//! peer cannot take yet waits as pending changes in the table, one per prefix, which the
//! table holds anyway. A peer task that ends (or is stopping) drops its queued commands
//! and their credits at once. So a helper waits only for the CPU time of the peer tasks
//! it feeds; a slow, dead or unconnected peer holds back no helper, and a gate holds back
//! only its own helper (the supervisor never waits on it).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Notify;

/// Lines of one helper read but not yet applied by the peer tasks, above which the
/// helper's pipe is not read. About 14 reads of 64 KiB of `announce route` lines: enough
/// to keep the supervisor and the peer tasks busy, a few MiB of parsed routes at most.
pub const MAX_LINES_IN_FLIGHT: usize = 16 * 1024;

/// The in-flight line count of one helper.
#[derive(Debug)]
pub struct Gate {
    in_flight: AtomicUsize,
    limit: usize,
    returned: Notify,
}

impl Gate {
    /// A gate that lets at most `limit` lines be in flight (at least one read is always let
    /// through, however large).
    pub fn new(limit: usize) -> Arc<Self> {
        Arc::new(Self {
            in_flight: AtomicUsize::new(0),
            limit: limit.max(1),
            returned: Notify::new(),
        })
    }

    /// Lines read and not yet applied.
    pub fn in_flight(&self) -> usize {
        self.in_flight.load(Ordering::Acquire)
    }

    /// Waits until fewer than the limit are in flight.
    pub async fn wait_open(&self) {
        loop {
            let returned = self.returned.notified();
            if self.in_flight() < self.limit {
                return;
            }
            returned.await;
        }
    }

    /// Counts `lines` as in flight until the returned credit (and all its clones) is
    /// dropped.
    pub fn take(self: &Arc<Self>, lines: usize) -> Credit {
        self.in_flight.fetch_add(lines, Ordering::AcqRel);
        Credit(Arc::new(Held {
            gate: Arc::clone(self),
            lines,
        }))
    }
}

/// Lines in flight; cloned for each peer their commands go to, returned to the [`Gate`]
/// when the last clone is dropped.
#[derive(Debug, Clone)]
pub struct Credit(#[allow(dead_code)] Arc<Held>);

impl Credit {
    /// A credit counted by no gate (lines that are not paced: control clients, tests).
    pub fn unpaced() -> Self {
        Gate::new(usize::MAX).take(0)
    }
}

#[derive(Debug)]
struct Held {
    gate: Arc<Gate>,
    lines: usize,
}

impl Drop for Held {
    fn drop(&mut self) {
        self.gate.in_flight.fetch_sub(self.lines, Ordering::AcqRel);
        self.gate.returned.notify_one();
    }
}

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use super::*;

    #[tokio::test]
    async fn the_gate_closes_at_the_limit_and_opens_when_the_last_clone_goes() {
        let gate = Gate::new(10);
        let a = gate.take(6);
        tokio::time::timeout(Duration::from_secs(1), gate.wait_open())
            .await
            .expect("open under the limit");
        let b = gate.take(6);
        assert_eq!(gate.in_flight(), 12);
        assert!(
            tokio::time::timeout(Duration::from_millis(50), gate.wait_open())
                .await
                .is_err(),
            "closed at 12 of 10"
        );
        let a2 = a.clone();
        drop(a);
        assert_eq!(gate.in_flight(), 12, "a clone still holds the lines");
        let waiter = tokio::spawn({
            let gate = Arc::clone(&gate);
            async move { gate.wait_open().await }
        });
        drop(a2);
        tokio::time::timeout(Duration::from_secs(1), waiter)
            .await
            .expect("opened when the last clone went")
            .unwrap();
        assert_eq!(gate.in_flight(), 6);
        drop(b);
        assert_eq!(gate.in_flight(), 0);
    }
}
