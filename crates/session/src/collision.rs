//! Connection collision detection (RFC 4271 §6.8, RFC 6286 §2.3).
//!
//! When both speakers connect to each other at about the same time, two TCP connections
//! carry two sessions between the same pair. Once the peer's BGP identifier is known (its
//! OPEN arrived on one of them), exactly one must survive:
//!
//! - a connection already in Established is kept and the new one closed (RFC 4271 §6.8,
//!   without the optional CollisionDetectEstablishedState);
//! - otherwise the connection initiated by the speaker with the higher BGP identifier
//!   (compared as unsigned 32-bit integers) is kept;
//! - equal identifiers (possible between ASes, RFC 6286 §2.3): the connection initiated by
//!   the speaker with the larger ASN is kept.
//!
//! The loser is closed with a Cease NOTIFICATION, subcode 7 "Connection Collision
//! Resolution" (RFC 4486 §3), see [`notification`].

use std::net::Ipv4Addr;

use wire::{Asn, Notification};

use crate::state::State;

/// Who opened a TCP connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// We connected to the peer.
    Outgoing,
    /// The peer connected to us.
    Incoming,
}

/// Which of two connections to keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Resolution {
    /// Keep the connection that was there first; close the new one.
    KeepExisting,
    /// Keep the new connection; close the existing one.
    KeepNew,
}

/// One side of the session: its BGP identifier and ASN.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Speaker {
    /// BGP identifier.
    pub id: Ipv4Addr,
    /// Autonomous system.
    pub asn: Asn,
}

/// The direction of the connection that survives a collision between `local` and
/// `remote`: the one initiated by the speaker with the higher identifier (ASN on a tie).
pub fn winner(local: Speaker, remote: Speaker) -> Direction {
    let local_key = (u32::from(local.id), local.asn.0);
    let remote_key = (u32::from(remote.id), remote.asn.0);
    if local_key >= remote_key {
        Direction::Outgoing
    } else {
        Direction::Incoming
    }
}

/// Decides between an existing connection (in `existing_state`, opened in
/// `existing_direction`) and a new one opened in `new_direction`.
pub fn resolve(
    existing_direction: Direction,
    existing_state: State,
    new_direction: Direction,
    local: Speaker,
    remote: Speaker,
) -> Resolution {
    if existing_state == State::Established || existing_direction == new_direction {
        return Resolution::KeepExisting;
    }
    if winner(local, remote) == existing_direction {
        Resolution::KeepExisting
    } else {
        Resolution::KeepNew
    }
}

/// The Cease NOTIFICATION closing the losing connection: (6,7), no data.
pub fn notification() -> Notification {
    Notification {
        code: 6,
        subcode: 7,
        data: Vec::new(),
    }
}

/// [`notification`] as the bytes to write on a connection that has no
/// [`Session`](crate::Session) (refused because another one is already Established).
pub fn notification_bytes() -> Vec<u8> {
    let mut raw = vec![0xff; 16];
    raw.extend_from_slice(&[0x00, 0x15, 0x03, 0x06, 0x07]);
    raw
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sp(id: [u8; 4], asn: u32) -> Speaker {
        Speaker {
            id: Ipv4Addr::from(id),
            asn: Asn(asn),
        }
    }

    #[test]
    fn higher_identifier_keeps_its_own_connection() {
        use Direction::*;
        use Resolution::*;
        let low = sp([10, 0, 0, 1], 65000);
        let high = sp([10, 0, 0, 2], 65000);
        // (existing dir, existing state, new dir, local, remote, expected)
        let table = [
            (
                Outgoing,
                State::OpenConfirm,
                Incoming,
                high,
                low,
                KeepExisting,
            ),
            (Outgoing, State::OpenConfirm, Incoming, low, high, KeepNew),
            (Incoming, State::OpenConfirm, Outgoing, high, low, KeepNew),
            (
                Incoming,
                State::OpenConfirm,
                Outgoing,
                low,
                high,
                KeepExisting,
            ),
            (Outgoing, State::OpenSent, Incoming, low, high, KeepNew),
            // Established always wins.
            (
                Outgoing,
                State::Established,
                Incoming,
                low,
                high,
                KeepExisting,
            ),
            (
                Incoming,
                State::Established,
                Outgoing,
                high,
                low,
                KeepExisting,
            ),
        ];
        for (ed, es, nd, local, remote, expected) in table {
            assert_eq!(
                resolve(ed, es, nd, local, remote),
                expected,
                "{ed:?} {es:?} {nd:?} {local:?} {remote:?}"
            );
        }
    }

    #[test]
    fn identifiers_compare_as_integers_not_strings() {
        // 9.0.0.0 < 10.0.0.0 numerically, although "9" > "1" as text.
        assert_eq!(
            winner(sp([9, 0, 0, 0], 1), sp([10, 0, 0, 0], 1)),
            Direction::Incoming
        );
        assert_eq!(
            winner(sp([192, 168, 0, 1], 1), sp([10, 255, 255, 255], 1)),
            Direction::Outgoing
        );
    }

    #[test]
    fn equal_identifiers_fall_back_to_the_larger_asn() {
        let id = [10, 0, 0, 1];
        assert_eq!(winner(sp(id, 65001), sp(id, 65000)), Direction::Outgoing);
        assert_eq!(winner(sp(id, 65000), sp(id, 65001)), Direction::Incoming);
    }

    #[test]
    fn cease_connection_collision_resolution() {
        let n = notification();
        assert_eq!((n.code, n.subcode, n.data.len()), (6, 7, 0));
        let mut raw = Vec::new();
        wire::Message::Notification(n)
            .encode(&wire::EncodeCtx::default(), &mut raw)
            .unwrap();
        assert_eq!(raw, notification_bytes());
    }
}
