//! Vector tests from real bytes: ExaBGP 5.0's own conformance corpus
//! (`../shared/conformance/exabgp-5.0`, `decoding/*` and the `raw` lines of
//! `encoding/*.msg`). Each message is decoded, its fields checked, re-encoded, and the
//! bytes compared with the original.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use herald_wire::attr::{
    Aggregator, AsPath, AsSegment, ExtCommunity, LargeCommunity, MpReach, Origin, SegmentType,
};
use herald_wire::cap::Capability;
use herald_wire::{
    nlri::{Label, RouteDistinguisher},
    Afi, Asn, Attribute, DecodeCtx, EncodeCtx, Family, Message, Nlri, Open, PathId, Safi, Update,
};

fn hex(s: &str) -> Vec<u8> {
    let s: String = s.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn ctxs(asn4: bool, add_path: &[Family]) -> (DecodeCtx, EncodeCtx) {
    let d = DecodeCtx {
        asn4,
        add_path: add_path.to_vec(),
        ..DecodeCtx::default()
    };
    let e = EncodeCtx {
        asn4,
        add_path: add_path.to_vec(),
        ..EncodeCtx::default()
    };
    (d, e)
}

/// Decodes `raw`, checks there were no issues, re-encodes and compares bytes.
fn round_trip(raw: &str, asn4: bool, add_path: &[Family]) -> Message {
    let bytes = hex(raw);
    let (d, e) = ctxs(asn4, add_path);
    assert_eq!(herald_wire::frame(&bytes, 4096), Ok(Some(bytes.len())));
    let decoded = Message::decode(&bytes, &d).unwrap();
    assert_eq!(decoded.issues, vec![], "no RFC 7606 issues");
    let mut out = Vec::new();
    decoded.message.encode(&e, &mut out).unwrap();
    assert_eq!(hex_string(&out), hex_string(&bytes), "re-encoded bytes");
    decoded.message
}

fn hex_string(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02X}")).collect()
}

fn update(m: Message) -> Update {
    match m {
        Message::Update(u) => u,
        other => panic!("not an UPDATE: {other:?}"),
    }
}

fn open(m: Message) -> Open {
    match m {
        Message::Open(o) => o,
        other => panic!("not an OPEN: {other:?}"),
    }
}

fn pfx(s: &str) -> Nlri {
    Nlri::prefix(s.parse().unwrap())
}

fn seq(asns: &[u32]) -> AsPath {
    AsPath(vec![AsSegment {
        kind: SegmentType::Sequence,
        asns: asns.iter().map(|a| Asn(*a)).collect(),
    }])
}

#[test]
fn decoding_ipv4_unicast_1() {
    // decoding/ipv4-unicast-1
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003C020000001C4001010040020040030465016501800404000000C840050400000064000000002001010101",
        true,
        &[],
    ));
    assert_eq!(
        u.attributes,
        vec![
            Attribute::Origin(Origin::Igp),
            Attribute::AsPath(AsPath::default()),
            Attribute::NextHop(Ipv4Addr::new(101, 1, 101, 1)),
            Attribute::Med(200),
            Attribute::LocalPref(100),
        ]
    );
    let mut nlri = vec![pfx("0.0.0.0/0"); 4];
    nlri.push(pfx("1.1.1.1/32"));
    assert_eq!(u.nlri, nlri);
    assert!(u.withdrawn.is_empty());
}

#[test]
fn decoding_bgp_open_software_version() {
    // decoding/bgp-open-sofware-version
    let o = open(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00510104FFFD00B40A000002340206010400010001020641040000FFFD02224B201F4578614247502F6D61696E2D633261326561386562642D3230323430373135",
        true,
        &[],
    ));
    assert_eq!(o.version, 4);
    assert_eq!(o.asn, 65533);
    assert_eq!(o.hold_time, 180);
    assert_eq!(o.router_id, Ipv4Addr::new(10, 0, 0, 2));
    assert_eq!(
        o.capabilities,
        vec![
            Capability::Multiprotocol(Family::IPV4_UNICAST),
            Capability::FourOctetAsn(Asn(65533)),
            Capability::SoftwareVersion("ExaBGP/main-c2a2ea8ebd-20240715".into()),
        ]
    );
    assert_eq!(o.effective_asn(), Asn(65533));
}

#[test]
fn encoding_conf_attributes() {
    // encoding/conf-attributes.msg, line 3
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:004C:02:0000003040010100400200400304FFFFFFFF40050400000064C020180000000100000002000000030000000A0000000B0000000C200A000007",
        true,
        &[],
    ));
    assert_eq!(u.next_hop(), Some(Ipv4Addr::BROADCAST));
    assert_eq!(
        u.attributes.last(),
        Some(&Attribute::LargeCommunities(vec![
            LargeCommunity {
                global: 1,
                local1: 2,
                local2: 3
            },
            LargeCommunity {
                global: 10,
                local1: 11,
                local2: 12
            },
        ]))
    );
    assert_eq!(u.nlri, vec![pfx("10.0.0.7/32")]);
}

#[test]
fn encoding_conf_attributes_end_of_rib() {
    // encoding/conf-attributes.msg, lines 1 and 2: IPv4 unicast and IPv6 unicast EoR.
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000",
        true,
        &[],
    ));
    assert_eq!(u.is_end_of_rib(), Some(Family::IPV4_UNICAST));
    assert_eq!(u, Update::end_of_rib(Family::IPV4_UNICAST));
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001E:02:00000007900F0003000201",
        true,
        &[],
    ));
    assert_eq!(u.is_end_of_rib(), Some(Family::IPV6_UNICAST));
    assert_eq!(u, Update::end_of_rib(Family::IPV6_UNICAST));
}

#[test]
fn encoding_conf_aggregator() {
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:004802:0000002D4001010040020A02020000E1DD00001B1B400304C0A801FE40050400000064400600C00708000046E0DB76E1BD12010040",
        true,
        &[],
    ));
    assert_eq!(
        u.attributes,
        vec![
            Attribute::Origin(Origin::Igp),
            Attribute::AsPath(seq(&[57821, 6939])),
            Attribute::NextHop(Ipv4Addr::new(192, 168, 1, 254)),
            Attribute::LocalPref(100),
            Attribute::AtomicAggregate,
            Attribute::Aggregator(Aggregator {
                asn: Asn(18144),
                ip: Ipv4Addr::new(219, 118, 225, 189)
            }),
        ]
    );
    assert_eq!(u.nlri, vec![pfx("1.0.64.0/18")]);
}

#[test]
fn encoding_conf_addpath_ipv4() {
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0040:02:00000020400101004002004003040A00000140050400000064C0100800020048000000010102030420C1000201",
        true,
        &[Family::IPV4_UNICAST],
    ));
    assert_eq!(
        u.attribute(herald_wire::AttrCode::EXTENDED_COMMUNITIES),
        Some(&Attribute::ExtCommunities(vec![ExtCommunity([
            0, 2, 0, 0x48, 0, 0, 0, 1
        ])]))
    );
    assert_eq!(
        u.nlri,
        vec![Nlri::Prefix {
            path_id: Some(PathId(0x0102_0304)),
            prefix: "193.0.2.1/32".parse().unwrap()
        }]
    );
}

#[test]
fn encoding_conf_addpath_vpn() {
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0066:02:0000004F40010100400200400304C0A8000140050400000064C0101000020000000000000002000100000001800E240001800C0000000000000000C0A80001000000000A7004E2C100000064000000640A0000",
        true,
        &[Family::new(Afi::IPV4, Safi::MPLS_VPN)],
    ));
    let mp = u.mp_reach().unwrap();
    assert_eq!(mp.family, Family::new(Afi::IPV4, Safi::MPLS_VPN));
    assert_eq!(mp.next_hop, vec![IpAddr::V4(Ipv4Addr::new(192, 168, 0, 1))]);
    // RFC 7911 path identifier 10, label 20012, RD 100:100 (RFC 4364 §4.3.4).
    assert_eq!(
        mp.nlri,
        vec![Nlri::Labeled {
            path_id: Some(PathId(10)),
            labels: vec![Label::new(20012).unwrap()],
            rd: Some(RouteDistinguisher::asn2(100, 100)),
            prefix: "10.0.0.0/24".parse().unwrap(),
        }]
    );
}

#[test]
fn encoding_conf_no_asn4() {
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:003402:0000001940010100400204020100644003040A00FFFE40050400000064180A0001",
        false,
        &[],
    ));
    assert_eq!(u.attributes[1], Attribute::AsPath(seq(&[100])));
    assert_eq!(u.next_hop(), Some(Ipv4Addr::new(10, 0, 255, 254)));
    assert_eq!(u.nlri, vec![pfx("10.0.1.0/24")]);
}

#[test]
fn encoding_conf_ipself6() {
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:004E02:000000374001010040020040050400000064800E26000201100000000000000000000000000000000100802A046D80000000000000000000000001",
        true,
        &[],
    ));
    assert_eq!(
        u.mp_reach(),
        Some(&MpReach {
            family: Family::IPV6_UNICAST,
            next_hop: vec![IpAddr::V6(Ipv6Addr::LOCALHOST)],
            nlri: vec![pfx("2a04:6d80::1/128")],
        })
    );
    let eor = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001E02:00000007900F0003000201",
        true,
        &[],
    ));
    assert_eq!(eor.is_end_of_rib(), Some(Family::IPV6_UNICAST));
}

#[test]
fn encoding_conf_largecommunity() {
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:004C:02:0000003040010100400200400304C000020140050400000064C0201800000B62000000000000029A00000B6200000CF80000007B200808080A",
        true,
        &[],
    ));
    assert_eq!(
        u.attribute(herald_wire::AttrCode::LARGE_COMMUNITIES),
        Some(&Attribute::LargeCommunities(vec![
            LargeCommunity {
                global: 2914,
                local1: 0,
                local2: 666
            },
            LargeCommunity {
                global: 2914,
                local1: 3320,
                local2: 123
            },
        ]))
    );
    assert_eq!(u.nlri, vec![pfx("8.8.8.10/32")]);
}

#[test]
fn encoding_conf_hostname_open() {
    let o = open(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0055:01:04FFFD00B40A000002380206010400010001020641040000FFFD02020600022249200C6D792D686F73742D6E616D65126D792D646F6D61696E2D6E616D652E636F6D",
        true,
        &[],
    ));
    assert_eq!(
        o.capabilities,
        vec![
            Capability::Multiprotocol(Family::IPV4_UNICAST),
            Capability::FourOctetAsn(Asn(65533)),
            Capability::ExtendedMessage,
            Capability::Fqdn {
                host: "my-host-name".into(),
                domain: "my-domain-name.com".into()
            },
        ]
    );
}

#[test]
fn encoding_conf_cap_software_version_open() {
    let o = open(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0049:01:04FFFD00B40A0000022C0206010400010001020641040000FFFD0202060002164B14134578614247502F352E302E302D302B74657374",
        true,
        &[],
    ));
    assert_eq!(
        o.capabilities.last(),
        Some(&Capability::SoftwareVersion("ExaBGP/5.0.0-0+test".into()))
    );
}

#[test]
fn encoding_conf_unknowncap_eor() {
    let u = update(round_trip(
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000",
        true,
        &[],
    ));
    assert_eq!(u.is_end_of_rib(), Some(Family::IPV4_UNICAST));
}

/// An OPEN (version 4, AS 65533, hold 180, id 10.0.0.2) around optional parameters
/// produced by ExaBGP 5.0.15's `Capabilities.pack()`.
fn exabgp_open(params: &str) -> String {
    let body = format!("04FFFD00B40A000002{params}");
    format!("{}{:04X}01{body}", "FF".repeat(16), 19 + body.len() / 2)
}

#[test]
fn exabgp_encoder_open_with_session_capabilities() {
    let o = open(round_trip(
        &exabgp_open("30020c400a80780001018000020100020a450800010103000201010208050600010001000202020200020246000202b900"),
        true,
        &[],
    ));
    assert_eq!(
        o.capabilities,
        vec![
            Capability::GracefulRestart(herald_wire::cap::GracefulRestart {
                restart_state: true,
                restart_time: 120,
                families: vec![(Family::IPV4_UNICAST, true), (Family::IPV6_UNICAST, false)],
            }),
            Capability::AddPath(vec![
                (Family::IPV4_UNICAST, herald_wire::cap::AddPathMode::Both),
                (Family::IPV6_UNICAST, herald_wire::cap::AddPathMode::Receive),
            ]),
            Capability::ExtendedNextHop(vec![(Family::IPV4_UNICAST, Afi::IPV6)]),
            Capability::RouteRefresh,
            Capability::EnhancedRouteRefresh,
            Capability::Operational,
        ]
    );
}

#[test]
fn exabgp_encoder_open_with_rfc9072_extended_parameters() {
    // 69 multiprotocol capabilities: 552 octets of parameters, RFC 9072 form.
    // ExaBGP's output is `ffff 026d` then, for SAFI 1..=0x45, `02 0006 01 04 0001 00 <safi>`.
    let mut params = String::from("ffff026d");
    for safi in 1..=0x45 {
        params.push_str(&format!("0200060104000100{safi:02x}"));
    }
    assert!(params.starts_with("ffff026d020006010400010001020006010400010002"));
    assert!(params.ends_with("020006010400010044020006010400010045"));
    let o = open(round_trip(&exabgp_open(&params), true, &[]));
    assert_eq!(o.capabilities.len(), 69);
    assert_eq!(
        o.capabilities[68],
        Capability::Multiprotocol(Family::new(Afi::IPV4, Safi(0x45)))
    );
}

#[test]
fn generic_attribute_flagged_well_known() {
    // encoding/conf-generic-attribute.msg lines 2 and 3: ExaBGP sends a configured
    // attribute 0x99 with flags 0x60 (then 0x70: two-octet length). Encoding the same
    // attribute list gives the same bytes; receiving it is (3,2) (RFC 4271 §6.3).
    for (raw, flags, data, nh) in [
        (
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0038:02:0000001C40010100400200400304C0A8016440050400000064609904000000642065656565",
            0x60,
            vec![0, 0, 0, 0x64],
            [101, 101, 101, 101],
        ),
        (
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0039:02:0000001D40010100400200400304C0A80164400504000000647099000400000064206F6F6F6F",
            0x70,
            vec![0, 0, 0, 0x64],
            [111, 111, 111, 111],
        ),
    ] {
        let bytes = hex(raw);
        let u = Update {
            withdrawn: vec![],
            attributes: vec![
                Attribute::Origin(Origin::Igp),
                Attribute::AsPath(AsPath::default()),
                Attribute::NextHop(Ipv4Addr::new(192, 168, 1, 100)),
                Attribute::LocalPref(100),
                Attribute::Raw {
                    flags: herald_wire::AttrFlags(flags),
                    code: herald_wire::AttrCode(0x99),
                    data,
                },
            ],
            nlri: vec![Nlri::prefix(IpAddr::from(nh).into())],
        };
        let (d, e) = ctxs(true, &[]);
        assert_eq!(hex_string(&Message::Update(u).to_bytes(&e).unwrap()), hex_string(&bytes));
        let err = Message::decode(&bytes, &d).unwrap_err();
        let n = herald_wire::Notification::from(&err);
        assert_eq!((n.code, n.subcode), (3, 2));
        assert_eq!(n.data[..2], [flags, 0x99]);
    }
}
