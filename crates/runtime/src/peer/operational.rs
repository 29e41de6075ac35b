//! OPERATIONAL messages from the API (`announce operational …`; ExaBGP's
//! draft-ietf-idr-operational-message, message type 6).
//!
//! ExaBGP 5 sends one when the neighbor is configured with `capability { operational
//! enable; }` and the message's family is one of the neighbor's. Herald also requires the
//! peer to have sent the capability (a peer that did not would answer the unknown message
//! type with a NOTIFICATION, RFC 4271 §6.1). As ExaBGP does, messages given before the
//! session is established wait for it (at most [`QUEUE_LIMIT`], the oldest dropped).

use std::time::Instant;

use api::command::OperationalCommand;
use session::State;
use tracing::{debug, warn};
use wire::Message;

use super::task::PeerTask;

/// How many OPERATIONAL messages wait for the session at most.
pub(super) const QUEUE_LIMIT: usize = 1024;

impl PeerTask {
    /// `announce operational`: sent now when established, else kept for the session.
    pub(super) fn operational_command(&mut self, op: OperationalCommand, now: Instant) {
        if self.session.state() == State::Established {
            self.send_operational(&op, now);
            return;
        }
        if self.operational.len() >= QUEUE_LIMIT {
            warn!(peer = %self.info.peer_addr, "operational queue full, oldest message dropped");
            self.operational.pop_front();
        }
        self.operational.push_back(op);
    }

    /// Sends the messages that waited for the session (called once it is established).
    pub(super) fn flush_operational(&mut self, now: Instant) {
        while let Some(op) = self.operational.pop_front() {
            self.send_operational(&op, now);
        }
    }

    /// Sends `op` now if the session allows it; otherwise says why in the debug log.
    fn send_operational(&mut self, op: &OperationalCommand, now: Instant) {
        let family = op.message.family;
        let Some(negotiated) = self.session.negotiated() else {
            debug!(peer = %self.info.peer_addr, "operational not sent: not established");
            return;
        };
        if !negotiated.operational {
            debug!(peer = %self.info.peer_addr, "operational not sent: capability not negotiated");
            return;
        }
        if !self.neighbor.families.contains(&family) {
            debug!(peer = %self.info.peer_addr, %family, "operational not sent: family not configured");
            return;
        }
        let body = op.body(negotiated.local_id);
        if let Err(e) = self.session.send(&Message::Operational(body), now) {
            debug!(peer = %self.info.peer_addr, error = %e, "operational not sent");
        }
    }
}
