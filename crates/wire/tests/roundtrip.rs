//! Property tests: `decode(encode(m)) == m` for arbitrary unicast UPDATEs and OPENs.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use herald_wire::attr::{
    Aggregator, AsPath, AsSegment, Community, ExtCommunity, LargeCommunity, MpReach, MpUnreach,
    Origin, SegmentType,
};
use herald_wire::cap::{AddPathMode, Capability, GracefulRestart};
use herald_wire::{
    Afi, Asn, AttrCode, AttrFlags, Attribute, DecodeCtx, EncodeCtx, EncodeError, Family, Message,
    Nlri, Open, PathId, Safi, Update,
};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use proptest::prelude::*;

fn v4_prefix(add_path: bool) -> impl Strategy<Value = Nlri> {
    (any::<u32>(), 0u8..=32, any::<u32>()).prop_map(move |(a, len, id)| Nlri::Prefix {
        path_id: add_path.then_some(PathId(id)),
        prefix: IpNet::V4(Ipv4Net::new(Ipv4Addr::from(a), len).unwrap()).trunc(),
    })
}

fn v6_prefix(add_path: bool) -> impl Strategy<Value = Nlri> {
    (any::<u128>(), 0u8..=128, any::<u32>()).prop_map(move |(a, len, id)| Nlri::Prefix {
        path_id: add_path.then_some(PathId(id)),
        prefix: IpNet::V6(Ipv6Net::new(Ipv6Addr::from(a), len).unwrap()).trunc(),
    })
}

fn asn(asn4: bool) -> BoxedStrategy<Asn> {
    if asn4 {
        any::<u32>().prop_map(Asn).boxed()
    } else {
        any::<u16>().prop_map(|a| Asn(u32::from(a))).boxed()
    }
}

fn as_path(asn4: bool) -> impl Strategy<Value = AsPath> {
    let kind = prop_oneof![
        Just(SegmentType::Set),
        Just(SegmentType::Sequence),
        Just(SegmentType::ConfedSequence),
        Just(SegmentType::ConfedSet),
    ];
    prop::collection::vec(
        (kind, prop::collection::vec(asn(asn4), 1..20))
            .prop_map(|(kind, asns)| AsSegment { kind, asns }),
        0..5,
    )
    .prop_map(AsPath)
}

/// Every attribute at most once, in a random order.
fn attributes(asn4: bool, add_path: bool) -> impl Strategy<Value = Vec<Attribute>> {
    let origin = prop_oneof![
        Just(Origin::Igp),
        Just(Origin::Egp),
        Just(Origin::Incomplete)
    ]
    .prop_map(Attribute::Origin);
    let v4 = any::<u32>().prop_map(Ipv4Addr::from);
    let mp_reach = (
        prop::collection::vec(
            any::<u128>().prop_map(|a| IpAddr::V6(Ipv6Addr::from(a))),
            1..=2,
        ),
        prop::collection::vec(v6_prefix(add_path), 0..10),
        prop::bool::ANY,
    )
        .prop_map(|(next_hop, nlri, multicast)| {
            Attribute::MpReach(MpReach {
                family: if multicast {
                    Family::IPV6_MULTICAST
                } else {
                    Family::IPV6_UNICAST
                },
                next_hop,
                nlri,
            })
        });
    let mp_unreach = prop::collection::vec(v6_prefix(add_path), 0..10).prop_map(|nlri| {
        Attribute::MpUnreach(MpUnreach {
            family: Family::IPV6_UNICAST,
            nlri,
        })
    });
    let raw = (
        200u8..=250,
        any::<(bool, bool, bool)>(),
        prop::collection::vec(any::<u8>(), 0..300),
    )
        .prop_map(|(code, (transitive, partial, extended), data)| {
            // The Extended Length bit is kept only where the length does not imply it.
            let mut flags = if transitive { 0xc0 } else { 0x80 };
            if partial {
                flags |= 0x20;
            }
            if extended && data.len() <= 255 {
                flags |= 0x10;
            }
            Attribute::Raw {
                flags: AttrFlags(flags),
                code: AttrCode(code),
                data,
            }
        });
    (
        (
            prop::option::of(origin),
            prop::option::of(as_path(asn4).prop_map(Attribute::AsPath)),
            prop::option::of(v4.clone().prop_map(Attribute::NextHop)),
            prop::option::of(any::<u32>().prop_map(Attribute::Med)),
            prop::option::of(any::<u32>().prop_map(Attribute::LocalPref)),
            prop::option::of(Just(Attribute::AtomicAggregate)),
            prop::option::of(
                (asn(asn4), v4.clone())
                    .prop_map(|(asn, ip)| Attribute::Aggregator(Aggregator { asn, ip })),
            ),
            prop::option::of(
                prop::collection::vec(any::<u32>().prop_map(Community), 1..80)
                    .prop_map(Attribute::Communities),
            ),
        ),
        (
            prop::option::of(v4.clone().prop_map(Attribute::OriginatorId)),
            prop::option::of(prop::collection::vec(v4, 1..10).prop_map(Attribute::ClusterList)),
            prop::option::of(mp_reach),
            prop::option::of(mp_unreach),
            prop::option::of(
                prop::collection::vec(any::<[u8; 8]>().prop_map(ExtCommunity), 1..10)
                    .prop_map(Attribute::ExtCommunities),
            ),
            prop::option::of(any::<u64>().prop_map(Attribute::Aigp)),
            prop::option::of(
                prop::collection::vec(
                    any::<(u32, u32, u32)>().prop_map(|(global, local1, local2)| LargeCommunity {
                        global,
                        local1,
                        local2,
                    }),
                    1..10,
                )
                .prop_map(Attribute::LargeCommunities),
            ),
            prop::option::of(raw),
        ),
    )
        .prop_flat_map(|((a, b, c, d, e, f, g, h), (i, j, k, l, m, n, o, p))| {
            let list: Vec<Attribute> = [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p]
                .into_iter()
                .flatten()
                .collect();
            Just(list).prop_shuffle()
        })
}

fn update(asn4: bool, add_path: bool) -> impl Strategy<Value = Update> {
    (
        prop::collection::vec(v4_prefix(add_path), 0..20),
        attributes(asn4, add_path),
        prop::collection::vec(v4_prefix(add_path), 0..20),
    )
        .prop_map(|(withdrawn, attributes, nlri)| Update {
            withdrawn,
            attributes,
            nlri,
        })
}

fn family() -> impl Strategy<Value = Family> {
    (any::<u16>(), any::<u8>()).prop_map(|(a, s)| Family::new(Afi(a), Safi(s)))
}

fn capability() -> impl Strategy<Value = Capability> {
    let known = [1u8, 2, 5, 6, 64, 65, 68, 69, 70, 73, 75, 128, 185];
    prop_oneof![
        family().prop_map(Capability::Multiprotocol),
        Just(Capability::RouteRefresh),
        prop::collection::vec((family(), any::<u16>().prop_map(Afi)), 0..5)
            .prop_map(Capability::ExtendedNextHop),
        Just(Capability::ExtendedMessage),
        (
            any::<bool>(),
            0u16..=0xfff,
            prop::collection::vec((family(), any::<bool>()), 0..5)
        )
            .prop_map(|(restart_state, restart_time, families)| {
                Capability::GracefulRestart(GracefulRestart {
                    restart_state,
                    restart_time,
                    families,
                })
            }),
        any::<u32>().prop_map(|a| Capability::FourOctetAsn(Asn(a))),
        prop::collection::vec(any::<u8>(), 0..10).prop_map(Capability::Multisession),
        prop::collection::vec(
            (
                family(),
                prop_oneof![
                    Just(AddPathMode::Receive),
                    Just(AddPathMode::Send),
                    Just(AddPathMode::Both)
                ]
            ),
            0..5
        )
        .prop_map(Capability::AddPath),
        Just(Capability::EnhancedRouteRefresh),
        ("[a-z0-9.-]{0,60}", "[a-z0-9.-]{0,60}")
            .prop_map(|(host, domain)| Capability::Fqdn { host, domain }),
        "[ -~]{0,100}".prop_map(Capability::SoftwareVersion),
        Just(Capability::CiscoRouteRefresh),
        Just(Capability::Operational),
        (
            any::<u8>().prop_filter("unknown code", move |c| !known.contains(c)),
            prop::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(code, data)| Capability::Unknown { code, data }),
    ]
}

fn open() -> impl Strategy<Value = Open> {
    (
        any::<u16>(),
        any::<u16>().prop_filter("hold time 1 and 2 are refused", |h| *h != 1 && *h != 2),
        any::<u32>().prop_filter("router id 0 is refused", |r| *r != 0),
        prop::collection::vec(capability(), 0..25),
    )
        .prop_map(|(asn, hold_time, id, capabilities)| Open {
            version: 4,
            asn,
            hold_time,
            router_id: Ipv4Addr::from(id),
            capabilities,
        })
}

fn ctxs(asn4: bool, add_path: bool) -> (DecodeCtx, EncodeCtx) {
    let families = if add_path {
        vec![
            Family::IPV4_UNICAST,
            Family::IPV6_UNICAST,
            Family::IPV6_MULTICAST,
        ]
    } else {
        vec![]
    };
    (
        DecodeCtx {
            asn4,
            extended_message: true,
            add_path: families.clone(),
            aigp: true,
            ..DecodeCtx::default()
        },
        EncodeCtx {
            asn4,
            extended_message: true,
            add_path: families,
            aigp: true,
            ..EncodeCtx::default()
        },
    )
}

fn check(message: Message, asn4: bool, add_path: bool) -> Result<(), TestCaseError> {
    let (d, e) = ctxs(asn4, add_path);
    let bytes = match message.to_bytes(&e) {
        Err(EncodeError::MessageTooLong { .. }) => return Ok(()),
        other => other.unwrap(),
    };
    let decoded =
        Message::decode(&bytes, &d).map_err(|err| TestCaseError::fail(format!("{err}")))?;
    prop_assert_eq!(decoded.message, message);
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn update_round_trips_with_asn4(u in update(true, false)) {
        check(Message::Update(u), true, false)?;
    }

    #[test]
    fn update_round_trips_with_add_path(u in update(true, true)) {
        check(Message::Update(u), true, true)?;
    }

    #[test]
    fn update_round_trips_with_two_octet_asns(u in update(false, false)) {
        check(Message::Update(u), false, false)?;
    }

    #[test]
    fn open_round_trips(o in open()) {
        check(Message::Open(o), true, false)?;
    }

    #[test]
    fn decoding_arbitrary_bytes_never_panics(body in prop::collection::vec(any::<u8>(), 0..200), kind in 1u8..=6, asn4: bool, add_path: bool) {
        let mut m = vec![0xff; 16];
        m.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
        m.push(kind);
        m.extend_from_slice(&body);
        let (d, _) = ctxs(asn4, add_path);
        if let Ok(decoded) = Message::decode(&m, &d) {
            // Whatever decoded must encode and decode to the same value (with four-octet
            // ASNs: the two-octet form with AS4_PATH is lossy by design, RFC 6793 §4.2.3).
            let (d4, e4) = ctxs(true, add_path);
            if let Ok(again) = decoded.message.to_bytes(&e4) {
                let twice = Message::decode(&again, &d4).map_err(|err| TestCaseError::fail(format!("{err}")))?;
                prop_assert_eq!(twice.message, decoded.message);
            }
        }
    }
}
