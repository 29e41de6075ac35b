//! The peer task's side of the event channel, and its policy when the supervisor is slow.
//!
//! Policy: an event is handed to the bounded channel with `try_send`. When the channel is
//! full, the event (and every later one, to keep the order) waits in the task's own
//! backlog, which the task drains as capacity returns, from its `select!` loop. The task
//! therefore never waits on the supervisor: its timers keep running, KEEPALIVEs keep being
//! sent and commands keep being served. Once the backlog holds [`HIGH_WATER`] events the
//! task stops reading from the peer's socket (TCP then pushes back on the peer), because
//! received messages are what produce events in bulk. It also stops reading while
//! [`MAX_IN_FLIGHT`](crate::process::hold::MAX_IN_FLIGHT) received messages wait for the supervisor to render them for the
//! helpers, or while a helper behind on them holds the peer ([`crate::process::hold`]). If the supervisor stays stalled for
//! longer than the hold time, the session ends by hold timer expiry instead of events
//! being dropped. Events are only dropped when the supervisor has gone away (the channel
//! is closed).

use std::collections::VecDeque;

use tokio::sync::mpsc::error::TrySendError;
use tokio::sync::mpsc::{self, OwnedPermit};

use std::sync::Arc;

use crate::event::{Direction, PeerEvent, PeerEventKind, PeerId, PeerInfo};
use crate::process::ReadHold;

/// Backlog size at which the task stops reading from the peer.
pub(crate) const HIGH_WATER: usize = 1024;

/// Where a peer task's events go.
#[derive(Debug)]
pub(crate) struct EventSink {
    id: PeerId,
    tx: mpsc::Sender<PeerEvent>,
    backlog: VecDeque<PeerEvent>,
    /// Counts the received messages handed over, and says when to stop reading.
    read_hold: Arc<ReadHold>,
}

impl EventSink {
    /// A sink for the task `id`.
    pub(crate) fn new(id: PeerId, tx: mpsc::Sender<PeerEvent>, read_hold: Arc<ReadHold>) -> Self {
        Self {
            id,
            tx,
            backlog: VecDeque::new(),
            read_hold,
        }
    }

    /// Sends (or queues) one event; never waits.
    pub(crate) fn emit(&mut self, peer: &PeerInfo, kind: PeerEventKind) {
        if let PeerEventKind::Message {
            direction: Direction::Receive,
            ..
        } = kind
        {
            self.read_hold.sent();
        }
        let event = PeerEvent {
            id: self.id,
            peer: peer.clone(),
            kind,
        };
        if !self.backlog.is_empty() {
            self.backlog.push_back(event);
            return;
        }
        match self.tx.try_send(event) {
            Ok(()) | Err(TrySendError::Closed(_)) => {}
            Err(TrySendError::Full(event)) => self.backlog.push_back(event),
        }
    }

    /// True when events wait for channel capacity.
    pub(crate) fn has_backlog(&self) -> bool {
        !self.backlog.is_empty()
    }

    /// True when the backlog is so long, or so many received messages wait to be
    /// rendered, that the task should stop reading.
    pub(crate) fn congested(&self) -> bool {
        self.backlog.len() >= HIGH_WATER || self.read_hold.in_flight_full()
    }

    /// The peer's read hold (helpers behind on its messages, messages in flight).
    pub(crate) fn read_hold(&self) -> &Arc<ReadHold> {
        &self.read_hold
    }

    /// A future for one slot of channel capacity (cancel-safe; owns its sender clone).
    pub(crate) fn reserve(
        &self,
    ) -> impl std::future::Future<Output = Result<OwnedPermit<PeerEvent>, mpsc::error::SendError<()>>>
    {
        self.tx.clone().reserve_owned()
    }

    /// Uses a reserved slot for the oldest waiting event, then moves as many more as fit.
    pub(crate) fn send_backlog(&mut self, permit: OwnedPermit<PeerEvent>) {
        if let Some(event) = self.backlog.pop_front() {
            permit.send(event);
        }
        while let Some(event) = self.backlog.pop_front() {
            match self.tx.try_send(event) {
                Ok(()) => {}
                Err(TrySendError::Full(event)) => {
                    self.backlog.push_front(event);
                    return;
                }
                Err(TrySendError::Closed(_)) => {
                    self.backlog.clear();
                    return;
                }
            }
        }
    }

    /// The supervisor is gone: forget what waits.
    pub(crate) fn drop_backlog(&mut self) {
        self.backlog.clear();
    }

    /// Waits (bounded by `limit`) until the backlog is delivered; used when the task ends so
    /// that its last events, `Stopped` included, reach the supervisor.
    pub(crate) async fn finish(&mut self, limit: std::time::Duration) {
        let deliver = async {
            while let Some(event) = self.backlog.pop_front() {
                if self.tx.send(event).await.is_err() {
                    return;
                }
            }
        };
        let _ = tokio::time::timeout(limit, deliver).await;
    }
}
