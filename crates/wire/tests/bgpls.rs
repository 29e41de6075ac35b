//! Property tests for BGP-LS (RFC 7752, RFC 9514) and RTC (RFC 4684): well-formed routes
//! round-trip through encode and decode, whole UPDATEs carrying them and the BGP-LS
//! attribute round-trip, and arbitrary octets in these families either fail to decode or
//! re-encode to exactly the octets read.

use std::net::Ipv4Addr;

use herald_wire::attr::{LinkState, MpReach};
use herald_wire::nlri::bgpls::{self, BgpLs, LsBody, LsTlv};
use herald_wire::nlri::{RouteDistinguisher, Rtc};
use herald_wire::{
    Afi, AttrCode, Attribute, DecodeCtx, EncodeCtx, Family, Message, Nlri, PathId, Reader, Safi,
    Update, WireErrorKind,
};
use proptest::prelude::*;

const LS: Family = Family::new(Afi::BGP_LS, Safi::BGP_LS);
const LS_VPN: Family = Family::new(Afi::BGP_LS, Safi::BGP_LS_VPN);

fn tlv(code: u16, value: Vec<u8>) -> LsTlv {
    LsTlv { code, value }
}

fn encode_tlvs(tlvs: &[LsTlv]) -> Vec<u8> {
    let mut out = Vec::new();
    for t in tlvs {
        t.encode(&mut out).unwrap();
    }
    out
}

/// Node descriptor sub-TLVs in ascending order, each valid for `protocol`.
fn node_descriptors(protocol: u8) -> BoxedStrategy<LsTlv> {
    let router = match protocol {
        1 | 2 => prop::sample::select(vec![6usize, 7]).boxed(),
        3 | 5 | 6 => prop::sample::select(vec![4usize, 8]).boxed(),
        _ => (0usize..10).boxed(),
    };
    (
        prop::option::of(any::<u32>()),
        prop::option::of(any::<u32>()),
        prop::option::of(prop::sample::select(vec![4usize, 16])),
        prop::option::of(router),
        prop::option::of(prop::collection::vec(any::<u8>(), 0..6)),
    )
        .prop_map(|(asn, id, area, router, other)| {
            let mut subs = Vec::new();
            if let Some(asn) = asn {
                subs.push(tlv(512, asn.to_be_bytes().to_vec()));
            }
            if let Some(id) = id {
                subs.push(tlv(513, id.to_be_bytes().to_vec()));
            }
            if let Some(n) = area {
                subs.push(tlv(514, vec![7; n]));
            }
            if let Some(n) = router {
                subs.push(tlv(515, (1..=n as u8).collect()));
            }
            if let Some(v) = other {
                subs.push(tlv(516, v));
            }
            tlv(256, encode_tlvs(&subs))
        })
        .boxed()
}

fn link_tlv() -> impl Strategy<Value = LsTlv> {
    prop_oneof![
        prop::collection::vec(any::<u8>(), 8).prop_map(|v| tlv(258, v)),
        prop::collection::vec(any::<u8>(), 4).prop_map(|v| tlv(259, v)),
        prop::collection::vec(any::<u8>(), 4).prop_map(|v| tlv(260, v)),
        prop::collection::vec(any::<u8>(), 16).prop_map(|v| tlv(261, v)),
        prop::collection::vec(any::<u8>(), 16).prop_map(|v| tlv(262, v)),
        prop::collection::vec(any::<u8>(), 1..4)
            .prop_map(|v| tlv(263, v.iter().flat_map(|b| [0, *b]).collect())),
        (1000u16..2000, prop::collection::vec(any::<u8>(), 0..8)).prop_map(|(c, v)| tlv(c, v)),
    ]
}

fn ip_reach(v6: bool) -> impl Strategy<Value = LsTlv> {
    let max = if v6 { 128u8 } else { 32 };
    (0..=max, prop::collection::vec(any::<u8>(), 16)).prop_map(|(bits, octets)| {
        let mut value = vec![bits];
        value.extend_from_slice(&octets[..usize::from(bits).div_ceil(8)]);
        tlv(265, value)
    })
}

/// A well-formed BGP-LS NLRI of any type (an unknown type carries arbitrary octets).
fn bgp_ls(vpn: bool, add_path: bool) -> impl Strategy<Value = BgpLs> {
    let objects = (0u8..8, any::<u64>()).prop_flat_map(move |(protocol, identifier)| {
        let node = node_descriptors(protocol);
        let srv6_sid = prop::collection::vec(any::<u8>(), 16).prop_map(|v| tlv(518, v));
        prop_oneof![
            (node.clone(), prop::collection::vec(link_tlv(), 0..3))
                .prop_map(|(n, rest)| (bgpls::NODE, [vec![n], rest].concat())),
            (
                node.clone(),
                node_descriptors(protocol),
                prop::collection::vec(link_tlv(), 0..5)
            )
                .prop_map(|(l, r, rest)| (bgpls::LINK, [vec![l, r], rest].concat())),
            (node.clone(), ip_reach(false), prop::option::of(any::<u8>())).prop_map(
                |(n, reach, ospf)| {
                    let mut tlvs = vec![n];
                    tlvs.extend(ospf.map(|o| tlv(264, vec![o])));
                    tlvs.push(reach);
                    (bgpls::PREFIX_V4, tlvs)
                }
            ),
            (node.clone(), ip_reach(true))
                .prop_map(|(n, reach)| (bgpls::PREFIX_V6, vec![n, reach])),
            (node, srv6_sid, prop::collection::vec(link_tlv(), 0..3))
                .prop_map(|(n, sid, rest)| (bgpls::SRV6_SID, [vec![n, sid], rest].concat())),
        ]
        .prop_map(move |(code, tlvs)| {
            (
                code,
                LsBody::Objects {
                    protocol,
                    identifier,
                    tlvs,
                },
            )
        })
    });
    let unknown = (7u16..=u16::MAX, prop::collection::vec(any::<u8>(), 0..20))
        .prop_map(|(code, bytes)| (code, LsBody::Unknown(bytes)));
    (
        prop_oneof![4 => objects, 1 => unknown],
        any::<u32>(),
        any::<[u8; 8]>(),
    )
        .prop_map(move |((code, body), id, rd)| BgpLs {
            path_id: add_path.then_some(PathId(id)),
            code,
            rd: (vpn && bgpls::is_known_type(code)).then_some(RouteDistinguisher(rd)),
            body,
        })
}

/// A well-formed RTC NLRI: the default route or 32..=96 bits, octets past the length zero.
fn rtc(add_path: bool) -> impl Strategy<Value = Rtc> {
    (
        prop_oneof![Just(0u8), 32u8..=96],
        any::<u32>(),
        any::<[u8; 8]>(),
        any::<u32>(),
    )
        .prop_map(move |(bits, origin, mut rt, id)| {
            let keep = usize::from(bits.saturating_sub(32)).div_ceil(8);
            rt[keep..].fill(0);
            Rtc {
                path_id: add_path.then_some(PathId(id)),
                bits,
                origin: if bits == 0 { 0 } else { origin },
                route_target: rt,
            }
        })
}

fn decode(bytes: &[u8], family: Family, add_path: bool) -> Result<Vec<Nlri>, TestCaseError> {
    Nlri::decode_field(
        &mut Reader::new(bytes),
        family,
        add_path,
        WireErrorKind::MalformedAttributeList,
    )
    .map_err(|e| TestCaseError::fail(e.to_string()))
}

fn encode(nlri: &[Nlri], family: Family, add_path: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for n in nlri {
        n.encode(family, add_path, &mut out).unwrap();
    }
    out
}

/// The BGP-LS attribute: TLVs of known codes with valid values, and unknown ones.
fn link_state() -> impl Strategy<Value = LinkState> {
    let one = prop_oneof![
        any::<u32>().prop_map(|v| tlv(1095, v.to_be_bytes()[1..].to_vec())),
        any::<u32>().prop_map(|v| tlv(1092, v.to_be_bytes().to_vec())),
        any::<u32>().prop_map(|v| tlv(1089, v.to_be_bytes().to_vec())),
        any::<[u8; 4]>().prop_map(|v| tlv(1028, v.to_vec())),
        any::<[u8; 16]>().prop_map(|v| tlv(1031, v.to_vec())),
        prop::collection::vec(any::<u8>(), 0..20).prop_map(|v| tlv(1026, v)),
        any::<u8>().prop_map(|f| tlv(1024, vec![f])),
        (any::<u8>(), any::<[u8; 3]>())
            .prop_map(|(w, l)| tlv(1099, [vec![0x30, w, 0, 0], l.to_vec()].concat())),
        (any::<[u8; 22]>(), any::<[u8; 4]>()).prop_map(|(fixed, s)| {
            let mut v = fixed.to_vec();
            v.extend(encode_tlvs(&[tlv(1252, s.to_vec())]));
            tlv(1106, v)
        }),
        (3000u16..4000, prop::collection::vec(any::<u8>(), 0..10)).prop_map(|(c, v)| tlv(c, v)),
    ];
    prop::collection::vec(one, 1..8).prop_map(|tlvs| LinkState { tlvs })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn bgp_ls_nlri_round_trip(
        vpn: bool,
        add_path: bool,
        list in (any::<bool>(), any::<bool>()).prop_flat_map(|(v, a)| prop::collection::vec(bgp_ls(v, a), 1..4)),
    ) {
        // The strategy's own flags decide; the outer ones only vary the case count.
        let _ = (vpn, add_path);
        let vpn = list.iter().any(|l| l.rd.is_some());
        let add_path = list[0].path_id.is_some();
        let family = if vpn { LS_VPN } else { LS };
        let nlri: Vec<Nlri> = list.into_iter().map(|l| Nlri::BgpLs(Box::new(l))).collect();
        let bytes = encode(&nlri, family, add_path);
        prop_assert_eq!(
            nlri.iter().map(|n| n.encoded_len(family, add_path)).sum::<usize>(),
            bytes.len()
        );
        prop_assert_eq!(decode(&bytes, family, add_path)?, nlri);
    }

    #[test]
    fn rtc_nlri_round_trip(add_path: bool, list in prop::collection::vec(rtc(false), 1..5)) {
        let nlri: Vec<Nlri> = list
            .into_iter()
            .map(|r| Nlri::Rtc(Rtc { path_id: add_path.then_some(PathId(7)), ..r }))
            .collect();
        let bytes = encode(&nlri, Family::IPV4_RTC, add_path);
        prop_assert_eq!(decode(&bytes, Family::IPV4_RTC, add_path)?, nlri);
    }

    #[test]
    fn arbitrary_octets_keep_their_bytes(
        bytes in prop::collection::vec(any::<u8>(), 0..80),
        which in 0u8..3,
        add_path: bool,
    ) {
        let family = match which {
            0 => LS,
            1 => LS_VPN,
            _ => Family::IPV4_RTC,
        };
        if let Ok(nlri) = decode(&bytes, family, add_path) {
            prop_assert_eq!(encode(&nlri, family, add_path), bytes);
        }
    }

    #[test]
    fn arbitrary_attribute_values_never_panic(
        code in prop_oneof![1024u16..1040, 1088u16..1110, 1152u16..1175, 1250u16..1253],
        value in prop::collection::vec(any::<u8>(), 0..64),
    ) {
        // Parsed or refused, never a panic; a parsed value keeps the octets it was read from.
        let ls = LinkState { tlvs: vec![tlv(code, value.clone())] };
        if ls.values().is_ok() {
            let mut out = Vec::new();
            ls.encode(&mut out).unwrap();
            prop_assert_eq!(&out[4..], &value[..]);
        }
    }

    #[test]
    fn update_with_link_state_round_trips(
        ls in link_state(),
        nlri in prop::collection::vec(bgp_ls(false, false), 1..3),
        routes in prop::collection::vec(rtc(false), 0..3),
    ) {
        let reach = MpReach {
            family: LS,
            next_hop: vec![Ipv4Addr::new(10, 0, 0, 1).into()],
            nlri: nlri.into_iter().map(|l| Nlri::BgpLs(Box::new(l))).collect(),
        };
        let update = Update {
            withdrawn: Vec::new(),
            attributes: vec![
                Attribute::Origin(herald_wire::attr::Origin::Igp),
                Attribute::AsPath(Default::default()),
                Attribute::MpReach(reach),
                Attribute::LinkState(ls),
            ],
            nlri: Vec::new(),
        };
        let ctx = EncodeCtx { asn4: true, ..EncodeCtx::default() };
        let bytes = Message::Update(update.clone()).to_bytes(&ctx).unwrap();
        let decoded = Message::decode(&bytes, &DecodeCtx { asn4: true, ..DecodeCtx::default() }).unwrap();
        prop_assert!(decoded.issues.is_empty(), "{:?}", decoded.issues);
        prop_assert_eq!(decoded.message, Message::Update(update));
        // RTC routes in their own UPDATE.
        if !routes.is_empty() {
            let reach = MpReach {
                family: Family::IPV4_RTC,
                next_hop: vec![Ipv4Addr::new(10, 0, 0, 1).into()],
                nlri: routes.into_iter().map(Nlri::Rtc).collect(),
            };
            let update = Update {
                withdrawn: Vec::new(),
                attributes: vec![
                    Attribute::Origin(herald_wire::attr::Origin::Igp),
                    Attribute::AsPath(Default::default()),
                    Attribute::MpReach(reach),
                ],
                nlri: Vec::new(),
            };
            let bytes = Message::Update(update.clone()).to_bytes(&ctx).unwrap();
            let decoded = Message::decode(&bytes, &DecodeCtx { asn4: true, ..DecodeCtx::default() }).unwrap();
            prop_assert_eq!(decoded.message, Message::Update(update));
        }
    }
}

#[test]
fn attribute_code_and_flags() {
    // RFC 7752 §3.3: optional, non-transitive, type 29.
    let a = Attribute::LinkState(LinkState::default());
    assert_eq!(a.code(), AttrCode(29));
    assert_eq!(a.flags().0, 0x80);
}

/// An UPDATE body: ORIGIN, empty AS_PATH, MP_REACH_NLRI of `family` with `nlri`, then
/// `extra` attributes.
fn update_bytes(family: Family, nlri: &[u8], extra: &[u8]) -> Vec<u8> {
    let mut mp = family.afi.0.to_be_bytes().to_vec();
    mp.extend_from_slice(&[family.safi.0, 4, 10, 0, 0, 1, 0]);
    mp.extend_from_slice(nlri);
    let mut attrs = vec![0x40, 1, 1, 0, 0x40, 2, 0, 0x90, 14];
    attrs.extend_from_slice(&u16::try_from(mp.len()).unwrap().to_be_bytes());
    attrs.extend_from_slice(&mp);
    attrs.extend_from_slice(extra);
    let mut m = vec![0xff; 16];
    m.extend_from_slice(&u16::try_from(23 + attrs.len()).unwrap().to_be_bytes());
    m.extend_from_slice(&[2, 0, 0]);
    m.extend_from_slice(&u16::try_from(attrs.len()).unwrap().to_be_bytes());
    m.extend_from_slice(&attrs);
    m
}

fn node_nlri(descriptors: &[u8]) -> Vec<u8> {
    let mut body = vec![2];
    body.extend_from_slice(&0u64.to_be_bytes());
    body.extend(encode_tlvs(&[tlv(256, descriptors.to_vec())]));
    encode_tlvs(&[tlv(1, body)])
}

#[test]
fn malformed_ls_nlri_is_treat_as_withdraw() {
    // RFC 7752 §8.2.2: sub-TLVs out of order (513 before 512) — framing holds.
    let bad = node_nlri(&encode_tlvs(&[tlv(513, vec![0; 4]), tlv(512, vec![0; 4])]));
    let ctx = DecodeCtx {
        asn4: true,
        ..DecodeCtx::default()
    };
    let decoded = Message::decode(&update_bytes(LS, &bad, &[]), &ctx).unwrap();
    assert!(decoded.treat_as_withdraw(), "{:?}", decoded.issues);
    assert_eq!(decoded.issues[0].code, AttrCode::MP_REACH_NLRI);
    // A Total NLRI Length overrunning the field cannot be framed: session reset (3,1).
    let mut overrun = node_nlri(&[]);
    overrun[3] += 1;
    assert!(Message::decode(&update_bytes(LS, &overrun, &[]), &ctx).is_err());
}

#[test]
fn malformed_ls_attribute_is_discarded() {
    let good = node_nlri(&encode_tlvs(&[tlv(512, vec![0, 0, 0, 1])]));
    // IGP Metric of 4 octets (RFC 7752 §3.3.2.4 allows 1 to 3).
    let attr = [0x80, 29, 8, 0x04, 0x47, 0, 4, 0, 0, 0, 1];
    let ctx = DecodeCtx {
        asn4: true,
        ..DecodeCtx::default()
    };
    let decoded = Message::decode(&update_bytes(LS, &good, &attr), &ctx).unwrap();
    assert!(!decoded.treat_as_withdraw());
    assert_eq!(decoded.issues.len(), 1);
    assert_eq!(decoded.issues[0].code, AttrCode::BGP_LS);
    assert_eq!(
        decoded.issues[0].action,
        herald_wire::Rfc7606Action::AttributeDiscard
    );
    let Message::Update(update) = decoded.message else {
        panic!("not an UPDATE")
    };
    assert!(!update
        .attributes
        .iter()
        .any(|a| matches!(a, Attribute::LinkState(_))));
    assert!(update
        .attributes
        .iter()
        .any(|a| matches!(a, Attribute::MpReach(mp) if mp.nlri.len() == 1)));
}
