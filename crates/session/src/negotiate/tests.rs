//! Negotiation tables: each row is what the two OPENs offer and what must come out.

// Test tables are tuples of what goes in and what comes out.
#![allow(clippy::type_complexity)]

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

#[test]
fn multisession_and_operational_need_both_sides() {
    use Capability::{Multisession, Operational};
    // (ours, theirs, multisession, operational)
    let table: Vec<(Vec<Capability>, Vec<Capability>, bool, bool)> = vec![
        (vec![], vec![], false, false),
        (vec![Multisession(vec![])], vec![], false, false),
        (vec![], vec![Multisession(vec![])], false, false),
        (
            vec![Multisession(vec![])],
            vec![Multisession(vec![2])],
            true,
            false,
        ),
        (vec![Operational], vec![], false, false),
        (vec![], vec![Operational], false, false),
        (
            vec![Operational, Multisession(vec![])],
            vec![Multisession(vec![]), Operational],
            true,
            true,
        ),
    ];
    for (ours, theirs, multisession, operational) in table {
        let n = negotiate(
            &open(1, 90, [1, 1, 1, 1], ours.clone()),
            &open(1, 90, [2, 2, 2, 2], theirs.clone()),
        );
        assert_eq!(
            (n.multisession, n.operational),
            (multisession, operational),
            "{ours:?}/{theirs:?}"
        );
    }
}
