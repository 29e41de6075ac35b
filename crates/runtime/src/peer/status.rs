//! Statistics and snapshots of a peer: message counters, up/down times, and the
//! conversions from the session's types to the event types of [`crate::event`].

use std::time::{Instant, SystemTime};

use session::{Negotiated, State};
use wire::MessageType;

use crate::event::{FsmState, MessageCounters, NegotiatedInfo, RefreshKind, RibEntry};

/// Counters and times kept across sessions.
#[derive(Debug, Clone)]
pub(crate) struct Stats {
    /// Messages by type.
    pub(crate) counters: MessageCounters,
    /// When the current session reached Established (monotonic and wall clock).
    pub(crate) up_since: Option<(Instant, SystemTime)>,
    /// When the last session went down (or the task started).
    pub(crate) down_since: Instant,
}

impl Stats {
    /// Fresh statistics.
    pub(crate) fn new(now: Instant) -> Self {
        Self {
            counters: MessageCounters::default(),
            up_since: None,
            down_since: now,
        }
    }

    /// Counts each whole message in `bytes` (one or more messages, as handed to the socket).
    pub(crate) fn count_sent(&mut self, bytes: &[u8]) {
        for (kind, _) in frames(bytes) {
            self.counters.sent.count(kind);
        }
    }
}

/// Splits a buffer of whole messages into (type, message) pairs; stops at anything that
/// is not a whole message.
pub(crate) fn frames(bytes: &[u8]) -> impl Iterator<Item = (MessageType, &[u8])> {
    let mut rest = bytes;
    std::iter::from_fn(move || {
        let header = rest.get(..19)?;
        let len = usize::from(u16::from_be_bytes([header[16], header[17]]));
        let kind = MessageType(header[18]);
        let frame = rest.get(..len).filter(|_| len >= 19)?;
        rest = rest.get(len..).unwrap_or_default();
        Some((kind, frame))
    })
}

/// The event-level state of a session state.
pub(crate) fn fsm_state(state: State) -> FsmState {
    match state {
        State::Idle => FsmState::Idle,
        State::Connect => FsmState::Connect,
        State::Active => FsmState::Active,
        State::OpenSent => FsmState::OpenSent,
        State::OpenConfirm => FsmState::OpenConfirm,
        State::Established => FsmState::Established,
    }
}

/// The `negotiated` payload of what a session negotiated.
pub(crate) fn negotiated_info(n: &Negotiated) -> NegotiatedInfo {
    NegotiatedInfo {
        message_size: n.max_message_len(),
        hold_time: n.hold_time,
        asn4: n.asn4,
        multisession: n.multisession,
        operational: n.operational,
        refresh: match n.refresh {
            session::RefreshKind::Absent => RefreshKind::Absent,
            session::RefreshKind::Normal => RefreshKind::Normal,
            session::RefreshKind::Enhanced => RefreshKind::Enhanced,
        },
        families: n.families.clone(),
        nexthop: n.extended_next_hop.clone(),
        add_path_send: n.add_path_send.clone(),
        add_path_receive: n.add_path_receive.clone(),
    }
}

/// Entries of an Adj-RIB for `show adj-rib`.
pub(crate) fn entries(
    routes: Vec<(wire::Family, wire::Nlri, std::sync::Arc<rib::AttrSet>)>,
) -> Vec<RibEntry> {
    routes
        .into_iter()
        .map(|(family, nlri, attrs)| RibEntry {
            family,
            nlri,
            next_hop: attrs.next_hop,
            attributes: attrs.attributes.clone(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_split_whole_messages() {
        let mut bytes = vec![0xff; 16];
        bytes.extend_from_slice(&[0, 19, 4]);
        bytes.extend_from_slice(&[0xff; 16]);
        bytes.extend_from_slice(&[0, 23, 2, 0, 0, 0, 0]);
        bytes.extend_from_slice(&[0xff; 10]); // a partial header is ignored
        let kinds: Vec<_> = frames(&bytes).map(|(k, f)| (k, f.len())).collect();
        assert_eq!(
            kinds,
            vec![(MessageType::KEEPALIVE, 19), (MessageType::UPDATE, 23)]
        );
        let mut stats = Stats::new(Instant::now());
        stats.count_sent(&bytes);
        assert_eq!(stats.counters.sent.keepalive, 1);
        assert_eq!(stats.counters.sent.update, 1);
        assert_eq!(stats.counters.sent.total(), 2);
    }
}
