//! OPEN validation (RFC 4271 §6.2) and capability negotiation (RFC 5492).
//!
//! Given the OPEN we sent and the OPEN we received, [`negotiate`] decides what the session
//! may use, in both directions:
//!
//! | what | rule |
//! |---|---|
//! | hold time | the smaller of the two (§4.2); keepalive interval = hold / 3 |
//! | families | Multiprotocol capabilities both sent; a side with none offers IPv4 unicast (RFC 4760 §8) |
//! | four-octet ASN | both sent it (RFC 6793 §3) |
//! | ADD-PATH, per family | we send when we offer *send* and they offer *receive*; we receive when we offer *receive* and they offer *send* (RFC 7911 §4) |
//! | extended message | both sent it (RFC 8654 §3) |
//! | route refresh | enhanced when both sent RFC 7313, else normal when both sent RFC 2918 (or the pre-standard code 128) |
//! | graceful restart | both sent it (RFC 4724); the peer's value is kept |
//! | extended next hop | (family, next-hop AFI) pairs both sent (RFC 8950 §3) |
//!
//! [`validate_open`] checks the received OPEN before any of this, in the order of RFC 4271
//! §6.2, and names the NOTIFICATION to send when it is not acceptable.

use std::net::Ipv4Addr;

use wire::cap::{AddPathMode, GracefulRestart};
use wire::{Afi, Asn, Capability, DecodeCtx, EncodeCtx, Family, Notification, Open};

use crate::config::families_of;

/// Which kind of route refresh both sides support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum RefreshKind {
    /// Not negotiated.
    #[default]
    Absent,
    /// RFC 2918 route refresh.
    Normal,
    /// RFC 7313 enhanced route refresh.
    Enhanced,
}

impl RefreshKind {
    /// ExaBGP's name, as printed in the `negotiated` JSON message.
    pub fn name(self) -> &'static str {
        match self {
            Self::Absent => "absent",
            Self::Normal => "normal",
            Self::Enhanced => "enhanced",
        }
    }
}

/// Which side is missing a family the other offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Missing {
    /// The peer offered it, we did not.
    Local,
    /// We offered it, the peer did not.
    Peer,
}

/// Everything a session negotiated, fixed from OpenConfirm until it goes down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// Our ASN, as sent.
    pub local_as: Asn,
    /// The peer's ASN (the four-octet ASN capability's value when present).
    pub peer_as: Asn,
    /// Our BGP identifier.
    pub local_id: Ipv4Addr,
    /// The peer's BGP identifier.
    pub peer_id: Ipv4Addr,
    /// Negotiated hold time in seconds; 0 means neither keepalives nor a hold timer.
    pub hold_time: u16,
    /// Keepalive interval in seconds (hold time / 3, as ExaBGP computes it).
    pub keepalive: u16,
    /// Families both sides support, in the order of the peer's OPEN (as ExaBGP lists them
    /// in its `negotiated` message).
    pub families: Vec<Family>,
    /// Families one side offered and the other did not (routes of those can not be sent).
    pub mismatch: Vec<(Missing, Family)>,
    /// Four-octet ASNs in AS_PATH (RFC 6793).
    pub asn4: bool,
    /// Families for which we send ADD-PATH identifiers.
    pub add_path_send: Vec<Family>,
    /// Families for which the peer sends ADD-PATH identifiers.
    pub add_path_receive: Vec<Family>,
    /// Messages up to 65535 octets (RFC 8654).
    pub extended_message: bool,
    /// Route refresh support.
    pub refresh: RefreshKind,
    /// The peer's graceful restart capability, when both sides sent one (RFC 4724).
    pub graceful_restart: Option<GracefulRestart>,
    /// (NLRI family, next-hop AFI) pairs both sides accept (RFC 8950).
    pub extended_next_hop: Vec<(Family, Afi)>,
    /// ExaBGP's OPERATIONAL messages, both sides sent capability 185.
    pub operational: bool,
    /// Both sides sent the multisession capability.
    pub multisession: bool,
    /// The OPEN we sent.
    pub sent_open: Open,
    /// The OPEN we received.
    pub received_open: Open,
    /// How to decode what the peer sends.
    pub decode: DecodeCtx,
    /// How to encode what we send.
    pub encode: EncodeCtx,
}

impl Negotiated {
    /// True for an internal session (same ASN on both sides).
    pub fn ibgp(&self) -> bool {
        self.local_as == self.peer_as
    }

    /// The largest message either side may send.
    pub fn max_message_len(&self) -> usize {
        if self.extended_message {
            65535
        } else {
            4096
        }
    }

    /// True when `family` was negotiated.
    pub fn has_family(&self, family: Family) -> bool {
        self.families.contains(&family)
    }

    /// A decoding context for messages *we* sent (our ADD-PATH send families), for
    /// showing sent UPDATEs to the API.
    pub fn sent_decode_ctx(&self) -> DecodeCtx {
        let mut ctx = self.decode.clone();
        ctx.add_path.clone_from(&self.encode.add_path);
        ctx
    }
}

/// Why a received OPEN is refused (RFC 4271 §6.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// (2,1): version other than 4.
    #[error("unsupported version number {0}")]
    Version(u8),
    /// (2,2): the peer's ASN is not the configured one.
    #[error("ASN in OPEN ({got}) did not match ASN expected ({expected})")]
    PeerAs {
        /// What the OPEN carried.
        got: Asn,
        /// What the configuration says.
        expected: Asn,
    },
    /// (2,6): a hold time of 1 or 2 seconds.
    #[error("Hold Time is invalid ({0})")]
    HoldTime(u16),
    /// (2,3): BGP identifier 0.0.0.0.
    #[error("0.0.0.0 is an invalid router_id")]
    ZeroId,
    /// (2,3): the peer uses our own BGP identifier on an internal session (RFC 6286 §2.1).
    #[error("BGP Identifier collision, same router-id ({0}) on both sides of this IBGP session")]
    SameId(Ipv4Addr),
}

impl OpenError {
    /// The NOTIFICATION to send. Data as RFC 4271 §6.2 requires it: the supported version
    /// for (2,1), nothing otherwise.
    pub fn notification(&self) -> Notification {
        let (subcode, data) = match self {
            Self::Version(_) => (1, vec![0x00, 0x04]),
            Self::PeerAs { .. } => (2, Vec::new()),
            Self::ZeroId | Self::SameId(_) => (3, Vec::new()),
            Self::HoldTime(_) => (6, Vec::new()),
        };
        Notification {
            code: 2,
            subcode,
            data,
        }
    }
}

/// Checks a received OPEN, in the order of RFC 4271 §6.2.
///
/// `local_as` is ours (`None`: mirror the peer's, which makes the session internal);
/// `peer_as` is the configured peer ASN (`None`: any).
pub fn validate_open(
    open: &Open,
    local_as: Option<Asn>,
    peer_as: Option<Asn>,
    router_id: Ipv4Addr,
) -> Result<(), OpenError> {
    if open.version != 4 {
        return Err(OpenError::Version(open.version));
    }
    let asn = open.effective_asn();
    if let Some(expected) = peer_as {
        if asn != expected {
            return Err(OpenError::PeerAs { got: asn, expected });
        }
    }
    if open.hold_time == 1 || open.hold_time == 2 {
        return Err(OpenError::HoldTime(open.hold_time));
    }
    if open.router_id.is_unspecified() {
        return Err(OpenError::ZeroId);
    }
    let ibgp = local_as.is_none_or(|local| local == asn);
    if ibgp && open.router_id == router_id {
        return Err(OpenError::SameId(open.router_id));
    }
    Ok(())
}

/// Negotiates a session from the two OPENs (see the module documentation for the rules).
pub fn negotiate(sent: &Open, received: &Open) -> Negotiated {
    let ours = &sent.capabilities;
    let theirs = &received.capabilities;
    let both =
        |wanted: fn(&Capability) -> bool| ours.iter().any(wanted) && theirs.iter().any(wanted);

    let hold_time = sent.hold_time.min(received.hold_time);
    let asn4 = both(|c| matches!(c, Capability::FourOctetAsn(_)));
    let extended_message = both(|c| matches!(c, Capability::ExtendedMessage));

    let our_families = families_of(ours);
    let their_families = families_of(theirs);
    // In the order of the peer's OPEN, as ExaBGP lists them.
    let families: Vec<Family> = their_families
        .iter()
        .copied()
        .filter(|f| our_families.contains(f))
        .collect();
    let mut mismatch: Vec<(Missing, Family)> = our_families
        .iter()
        .filter(|f| !their_families.contains(f))
        .map(|f| (Missing::Peer, *f))
        .collect();
    mismatch.extend(
        their_families
            .iter()
            .filter(|f| !our_families.contains(f))
            .map(|f| (Missing::Local, *f)),
    );

    let our_add_path = add_path_modes(ours);
    let their_add_path = add_path_modes(theirs);
    let mut add_path_send = Vec::new();
    let mut add_path_receive = Vec::new();
    for family in &families {
        let mine = mode_of(&our_add_path, *family);
        let peer = mode_of(&their_add_path, *family);
        if sends(mine) && receives(peer) {
            add_path_send.push(*family);
        }
        if receives(mine) && sends(peer) {
            add_path_receive.push(*family);
        }
    }

    let refresh = if both(|c| matches!(c, Capability::EnhancedRouteRefresh)) {
        RefreshKind::Enhanced
    } else if both(|c| matches!(c, Capability::RouteRefresh | Capability::CiscoRouteRefresh)) {
        RefreshKind::Normal
    } else {
        RefreshKind::Absent
    };

    let graceful_restart = if ours
        .iter()
        .any(|c| matches!(c, Capability::GracefulRestart(_)))
    {
        theirs.iter().find_map(|c| match c {
            Capability::GracefulRestart(gr) => Some(gr.clone()),
            _ => None,
        })
    } else {
        None
    };

    let our_nh = next_hops(ours);
    let extended_next_hop: Vec<(Family, Afi)> = next_hops(theirs)
        .into_iter()
        .filter(|pair| our_nh.contains(pair))
        .collect();

    let decode = DecodeCtx {
        asn4,
        extended_message,
        add_path: add_path_receive.clone(),
        extended_next_hop: extended_next_hop.clone(),
        ..DecodeCtx::default()
    };
    // wire may add settings to the context; they keep their defaults.
    #[allow(clippy::needless_update)]
    let encode = EncodeCtx {
        asn4,
        extended_message,
        add_path: add_path_send.clone(),
        extended_next_hop: extended_next_hop.clone(),
        ..EncodeCtx::default()
    };

    Negotiated {
        local_as: sent.effective_asn(),
        peer_as: received.effective_asn(),
        local_id: sent.router_id,
        peer_id: received.router_id,
        hold_time,
        keepalive: hold_time / 3,
        families,
        mismatch,
        asn4,
        add_path_send,
        add_path_receive,
        extended_message,
        refresh,
        graceful_restart,
        extended_next_hop,
        operational: both(|c| matches!(c, Capability::Operational)),
        multisession: both(|c| matches!(c, Capability::Multisession(_))),
        sent_open: sent.clone(),
        received_open: received.clone(),
        decode,
        encode,
    }
}

/// Every (family, mode) pair of the ADD-PATH capabilities in a list.
fn add_path_modes(caps: &[Capability]) -> Vec<(Family, AddPathMode)> {
    caps.iter()
        .filter_map(|c| match c {
            Capability::AddPath(pairs) => Some(pairs.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The ADD-PATH mode offered for a family, if any.
fn mode_of(modes: &[(Family, AddPathMode)], family: Family) -> Option<AddPathMode> {
    modes.iter().find(|(f, _)| *f == family).map(|(_, m)| *m)
}

fn sends(mode: Option<AddPathMode>) -> bool {
    matches!(mode, Some(AddPathMode::Send | AddPathMode::Both))
}

fn receives(mode: Option<AddPathMode>) -> bool {
    matches!(mode, Some(AddPathMode::Receive | AddPathMode::Both))
}

/// Every (family, next-hop AFI) pair of the extended next hop capabilities in a list.
fn next_hops(caps: &[Capability]) -> Vec<(Family, Afi)> {
    caps.iter()
        .filter_map(|c| match c {
            Capability::ExtendedNextHop(pairs) => Some(pairs.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect()
}

#[cfg(test)]
// Test tables are tuples of what goes in and what comes out.
#[allow(clippy::type_complexity)]
mod tests {
    use super::*;

    const V4: Family = Family::IPV4_UNICAST;
    const V6: Family = Family::IPV6_UNICAST;

    fn open(asn: u16, hold: u16, id: [u8; 4], caps: Vec<Capability>) -> Open {
        Open {
            version: 4,
            asn,
            hold_time: hold,
            router_id: Ipv4Addr::from(id),
            capabilities: caps,
        }
    }

    #[test]
    fn hold_time_is_the_minimum_and_keepalive_a_third() {
        for (ours, theirs, hold, ka) in [
            (180, 90, 90, 30),
            (30, 180, 30, 10),
            (0, 90, 0, 0),
            (10, 10, 10, 3),
        ] {
            let n = negotiate(
                &open(1, ours, [1, 1, 1, 1], vec![]),
                &open(2, theirs, [2, 2, 2, 2], vec![]),
            );
            assert_eq!(
                (n.hold_time, n.keepalive),
                (hold, ka),
                "ours {ours} theirs {theirs}"
            );
        }
    }

    #[test]
    fn families_table() {
        use Capability::Multiprotocol as Mp;
        let v4m = Family::IPV4_MULTICAST;
        // (ours, theirs, negotiated, mismatch)
        let table: Vec<(
            Vec<Capability>,
            Vec<Capability>,
            Vec<Family>,
            Vec<(Missing, Family)>,
        )> = vec![
            (vec![], vec![], vec![V4], vec![]),
            (
                vec![Mp(V4), Mp(V6)],
                vec![Mp(V6)],
                vec![V6],
                vec![(Missing::Peer, V4)],
            ),
            (
                vec![Mp(V6)],
                vec![],
                vec![],
                vec![(Missing::Peer, V6), (Missing::Local, V4)],
            ),
            (vec![Mp(V4)], vec![], vec![V4], vec![]),
            (
                vec![Mp(V6), Mp(V4)],
                vec![Mp(V4), Mp(v4m), Mp(V6)],
                vec![V4, V6],
                vec![(Missing::Local, v4m)],
            ),
        ];
        for (ours, theirs, families, mismatch) in table {
            let n = negotiate(
                &open(1, 90, [1, 1, 1, 1], ours.clone()),
                &open(1, 90, [2, 2, 2, 2], theirs.clone()),
            );
            assert_eq!(n.families, families, "{ours:?} / {theirs:?}");
            assert_eq!(n.mismatch, mismatch, "{ours:?} / {theirs:?}");
        }
    }

    #[test]
    fn add_path_table() {
        use AddPathMode::{Both, Receive, Send};
        // (ours, theirs, we send, we receive)
        let table = [
            (Some(Both), Some(Both), true, true),
            (Some(Send), Some(Receive), true, false),
            (Some(Receive), Some(Send), false, true),
            (Some(Send), Some(Send), false, false),
            (Some(Receive), Some(Receive), false, false),
            (Some(Both), None, false, false),
            (None, Some(Both), false, false),
            (Some(Both), Some(Send), false, true),
            (Some(Both), Some(Receive), true, false),
        ];
        for (ours, theirs, send, receive) in table {
            let caps = |m: Option<AddPathMode>| {
                let mut caps = vec![Capability::Multiprotocol(V4), Capability::Multiprotocol(V6)];
                if let Some(m) = m {
                    caps.push(Capability::AddPath(vec![(V6, m)]));
                }
                caps
            };
            let n = negotiate(
                &open(1, 90, [1, 1, 1, 1], caps(ours)),
                &open(1, 90, [2, 2, 2, 2], caps(theirs)),
            );
            assert_eq!(n.add_path_send.contains(&V6), send, "{ours:?}/{theirs:?}");
            assert_eq!(
                n.add_path_receive.contains(&V6),
                receive,
                "{ours:?}/{theirs:?}"
            );
            assert!(!n.add_path_send.contains(&V4) && !n.add_path_receive.contains(&V4));
            assert_eq!(n.encode.add_path(V6), send);
            assert_eq!(n.decode.add_path(V6), receive);
            assert_eq!(n.sent_decode_ctx().add_path(V6), send);
        }
    }

    #[test]
    fn add_path_needs_the_family_negotiated() {
        let ours = vec![
            Capability::Multiprotocol(V4),
            Capability::AddPath(vec![(V6, AddPathMode::Both)]),
        ];
        let theirs = vec![
            Capability::Multiprotocol(V6),
            Capability::AddPath(vec![(V6, AddPathMode::Both)]),
        ];
        let n = negotiate(
            &open(1, 90, [1, 1, 1, 1], ours),
            &open(1, 90, [2, 2, 2, 2], theirs),
        );
        assert!(n.add_path_send.is_empty() && n.add_path_receive.is_empty());
    }

    #[test]
    fn boolean_capabilities_table() {
        use Capability::*;
        let table: Vec<(Vec<Capability>, Vec<Capability>, bool, bool, RefreshKind)> = vec![
            (vec![], vec![], false, false, RefreshKind::Absent),
            (
                vec![FourOctetAsn(Asn(1))],
                vec![FourOctetAsn(Asn(2))],
                true,
                false,
                RefreshKind::Absent,
            ),
            (
                vec![FourOctetAsn(Asn(1))],
                vec![],
                false,
                false,
                RefreshKind::Absent,
            ),
            (
                vec![ExtendedMessage],
                vec![ExtendedMessage],
                false,
                true,
                RefreshKind::Absent,
            ),
            (
                vec![ExtendedMessage],
                vec![RouteRefresh],
                false,
                false,
                RefreshKind::Absent,
            ),
            (
                vec![RouteRefresh],
                vec![RouteRefresh],
                false,
                false,
                RefreshKind::Normal,
            ),
            (
                vec![RouteRefresh],
                vec![CiscoRouteRefresh],
                false,
                false,
                RefreshKind::Normal,
            ),
            (
                vec![RouteRefresh, EnhancedRouteRefresh],
                vec![RouteRefresh, EnhancedRouteRefresh],
                false,
                false,
                RefreshKind::Enhanced,
            ),
            (
                vec![RouteRefresh, EnhancedRouteRefresh],
                vec![RouteRefresh],
                false,
                false,
                RefreshKind::Normal,
            ),
        ];
        for (ours, theirs, asn4, ext, refresh) in table {
            let n = negotiate(
                &open(1, 90, [1, 1, 1, 1], ours.clone()),
                &open(2, 90, [2, 2, 2, 2], theirs.clone()),
            );
            assert_eq!(
                (n.asn4, n.extended_message, n.refresh),
                (asn4, ext, refresh),
                "{ours:?}/{theirs:?}"
            );
            assert_eq!(n.decode.asn4, asn4);
            assert_eq!(n.encode.extended_message, ext);
            assert_eq!(n.decode.max_message_len(), n.max_message_len());
        }
    }

    #[test]
    fn graceful_restart_keeps_the_peer_value_only_when_both_sent_it() {
        let gr = GracefulRestart {
            restart_state: true,
            restart_time: 120,
            families: vec![(V4, true)],
        };
        let ours = GracefulRestart::default();
        let both = negotiate(
            &open(1, 90, [1, 1, 1, 1], vec![Capability::GracefulRestart(ours)]),
            &open(
                1,
                90,
                [2, 2, 2, 2],
                vec![Capability::GracefulRestart(gr.clone())],
            ),
        );
        assert_eq!(both.graceful_restart, Some(gr.clone()));
        let theirs_only = negotiate(
            &open(1, 90, [1, 1, 1, 1], vec![]),
            &open(1, 90, [2, 2, 2, 2], vec![Capability::GracefulRestart(gr)]),
        );
        assert_eq!(theirs_only.graceful_restart, None);
    }

    #[test]
    fn extended_next_hop_is_the_intersection() {
        let ours = vec![Capability::ExtendedNextHop(vec![
            (V4, Afi::IPV6),
            (Family::IPV4_MULTICAST, Afi::IPV6),
        ])];
        let theirs = vec![Capability::ExtendedNextHop(vec![(V4, Afi::IPV6)])];
        let n = negotiate(
            &open(1, 90, [1, 1, 1, 1], ours),
            &open(1, 90, [2, 2, 2, 2], theirs),
        );
        assert_eq!(n.extended_next_hop, vec![(V4, Afi::IPV6)]);
        assert_eq!(n.decode.extended_next_hop, vec![(V4, Afi::IPV6)]);
    }

    #[test]
    fn asns_resolve_through_as_trans() {
        let sent = open(
            23456,
            90,
            [1, 1, 1, 1],
            vec![Capability::FourOctetAsn(Asn(4_200_000_000))],
        );
        let received = open(
            23456,
            90,
            [2, 2, 2, 2],
            vec![Capability::FourOctetAsn(Asn(4_200_000_001))],
        );
        let n = negotiate(&sent, &received);
        assert_eq!(
            (n.local_as, n.peer_as),
            (Asn(4_200_000_000), Asn(4_200_000_001))
        );
        assert!(!n.ibgp());
        assert_eq!(n.peer_id, Ipv4Addr::new(2, 2, 2, 2));
    }

    #[test]
    fn validate_open_table() {
        let me = Ipv4Addr::new(1, 1, 1, 1);
        let ok = open(65001, 90, [2, 2, 2, 2], vec![]);
        let as4 = open(
            23456,
            90,
            [2, 2, 2, 2],
            vec![Capability::FourOctetAsn(Asn(4_200_000_000))],
        );
        let cases: Vec<(Open, Option<Asn>, Option<Asn>, Result<(), OpenError>)> = vec![
            (ok.clone(), Some(Asn(65000)), Some(Asn(65001)), Ok(())),
            (ok.clone(), Some(Asn(65000)), None, Ok(())),
            (
                Open {
                    version: 3,
                    ..ok.clone()
                },
                Some(Asn(65000)),
                None,
                Err(OpenError::Version(3)),
            ),
            (
                ok.clone(),
                Some(Asn(65000)),
                Some(Asn(65002)),
                Err(OpenError::PeerAs {
                    got: Asn(65001),
                    expected: Asn(65002),
                }),
            ),
            (
                as4.clone(),
                Some(Asn(65000)),
                Some(Asn(4_200_000_000)),
                Ok(()),
            ),
            (
                as4,
                Some(Asn(65000)),
                Some(Asn(23456)),
                Err(OpenError::PeerAs {
                    got: Asn(4_200_000_000),
                    expected: Asn(23456),
                }),
            ),
            (
                Open {
                    hold_time: 1,
                    ..ok.clone()
                },
                Some(Asn(65000)),
                None,
                Err(OpenError::HoldTime(1)),
            ),
            (
                Open {
                    hold_time: 2,
                    ..ok.clone()
                },
                Some(Asn(65000)),
                None,
                Err(OpenError::HoldTime(2)),
            ),
            (
                Open {
                    hold_time: 0,
                    ..ok.clone()
                },
                Some(Asn(65000)),
                None,
                Ok(()),
            ),
            (
                Open {
                    hold_time: 3,
                    ..ok.clone()
                },
                Some(Asn(65000)),
                None,
                Ok(()),
            ),
            (
                Open {
                    router_id: Ipv4Addr::UNSPECIFIED,
                    ..ok.clone()
                },
                Some(Asn(65000)),
                None,
                Err(OpenError::ZeroId),
            ),
            // Same identifier: refused on iBGP, accepted on eBGP.
            (
                Open {
                    router_id: me,
                    ..ok.clone()
                },
                Some(Asn(65001)),
                None,
                Err(OpenError::SameId(me)),
            ),
            (
                Open {
                    router_id: me,
                    ..ok.clone()
                },
                None,
                None,
                Err(OpenError::SameId(me)),
            ),
            (
                Open {
                    router_id: me,
                    ..ok
                },
                Some(Asn(65000)),
                None,
                Ok(()),
            ),
        ];
        for (open, local, peer, expected) in cases {
            assert_eq!(
                validate_open(&open, local, peer, me),
                expected,
                "{open:?} {local:?} {peer:?}"
            );
        }
    }

    #[test]
    fn open_errors_map_to_rfc_4271_notifications() {
        let n = |e: OpenError| {
            let n = e.notification();
            (n.code, n.subcode, n.data)
        };
        assert_eq!(n(OpenError::Version(3)), (2, 1, vec![0, 4]));
        assert_eq!(
            n(OpenError::PeerAs {
                got: Asn(1),
                expected: Asn(2)
            }),
            (2, 2, vec![])
        );
        assert_eq!(n(OpenError::ZeroId), (2, 3, vec![]));
        assert_eq!(n(OpenError::SameId(Ipv4Addr::LOCALHOST)), (2, 3, vec![]));
        assert_eq!(n(OpenError::HoldTime(2)), (2, 6, vec![]));
    }
}
