//! MUP grammar tests: the corpus routes against ExaBGP's bytes, errors, and written
//! routes that encode and decode back to what was written.

use super::*;
use crate::route::split_words;

fn parse(afi: Afi, line: &str) -> Result<Route, RouteError> {
    let words = split_words(line);
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    parse_mup(afi, &refs)
}

fn nlri_hex(afi: Afi, line: &str) -> String {
    let route = parse(afi, line).unwrap();
    let mut out = Vec::new();
    route.nlri.encode(route.family, false, &mut out).unwrap();
    out.iter().map(|b| format!("{b:02X}")).collect()
}

/// The routes of conf-srv6-mup.conf and conf-srv6-mup-v3.conf against the NLRI of
/// their MP_REACH_NLRI in the .msg files (ExaBGP 5's bytes).
#[test]
fn corpus_routes_encode_as_exabgp() {
    let v4 = Afi::IPV4;
    let v6 = Afi::IPV6;
    for (afi, line, want) in [
        (v4, "mup-isd 10.0.1.0/24 rd 100:100", "0100010C0000006400000064180A0001"),
        (v4, "mup-dsd 10.0.0.1 rd 100:100", "0100020C00000064000000640A000001"),
        (
            v4,
            "mup-t1st 192.168.0.1/32 rd 100:100 teid 12345 qfi 9 endpoint 10.0.0.1",
            "01000317000000640000006420C0A800010000303909200A000001",
        ),
        (
            v4,
            "mup-t1st 192.168.0.2/32 rd 100:100 teid 12345 qfi 9 endpoint 10.0.0.1 source 10.0.1.1",
            "0100031C000000640000006420C0A800020000303909200A000001200A000101",
        ),
        (
            v4,
            "mup-t2st 10.0.0.1 rd 100:100 teid 12345/32",
            "010004110000006400000064400A00000100003039",
        ),
        (
            v4,
            "mup-t2st 10.0.0.1 rd 100:100 teid 12345/23",
            "010004100000006400000064370A000001003039",
        ),
        (v4, "mup-t2st 10.0.0.1 rd 100:100 teid 0/0", "0100040D0000006400000064200A000001"),
        (v6, "mup-isd 2001::/64 rd 100:100", "010001110000006400000064402001000000000000"),
        (
            v6,
            "mup-dsd 2001::1 rd 100:100",
            "01000218000000640000006420010000000000000000000000000001",
        ),
        (
            v6,
            "mup-t1st 2001:db8:1:1::1/128 rd 100:100 teid 12345 qfi 9 endpoint 2001::1",
            "0100032F00000064000000648020010DB800010001000000000000000100003039098020010000000000000000000000000001",
        ),
        (
            v6,
            "mup-t1st 2001:db8:1:1::2/128 rd 100:100 teid 12345 qfi 9 endpoint 2001::1 source 2002::2",
            "0100034000000064000000648020010DB8000100010000000000000002000030390980200100000000000000000000000000018020020000000000000000000000000002",
        ),
        (
            v6,
            "mup-t2st 2001::1 rd 100:100 teid 12345/32",
            "0100041D0000006400000064A02001000000000000000000000000000100003039",
        ),
    ] {
        assert_eq!(nlri_hex(afi, line), want, "{line}");
    }
}

#[test]
fn attributes_and_next_hop() {
    let r = parse(
        Afi::IPV6,
        "mup-t2st 2001::1 rd 100:100 teid 12345/32 next-hop 10.0.0.2 extended-community [ target:10:10 mup:10:10 ]",
    )
    .unwrap();
    assert_eq!(r.family, Family::new(Afi::IPV6, Safi::MUP));
    // next_hop(tokeniser, afi) in ExaBGP: ::ffff:10.0.0.2 (conf-srv6-mup.msg line 11).
    assert_eq!(r.next_hop, NextHop::Ip("::ffff:10.0.0.2".parse().unwrap()));
    assert_eq!(r.attributes.len(), 1);
    let r = parse(Afi::IPV4, "mup-dsd 10.0.0.1 rd 100:100 next-hop 10.0.0.2").unwrap();
    assert_eq!(r.next_hop, NextHop::Ip("10.0.0.2".parse().unwrap()));
    assert!(r.rd.is_none());
}

#[test]
fn errors_point_at_the_word() {
    for (afi, line, index, reason) in [
        (
            Afi::IPV4,
            "mup-xyz 10.0.0.1 rd 1:1",
            0,
            "unknown MUP route type",
        ),
        (
            Afi::IPV4,
            "mup-dsd 2001::1 rd 1:1",
            1,
            "not an ipv4 address",
        ),
        (
            Afi::IPV6,
            "mup-isd 10.0.0.0/8 rd 1:1",
            1,
            "not an ipv6 address",
        ),
        (
            Afi::IPV4,
            "mup-isd 10.0.0.0/33 rd 1:1",
            1,
            "longer than the address",
        ),
        (Afi::IPV4, "mup-isd 10.0.0.0 rd 1:1", 1, "not a prefix"),
        (Afi::IPV4, "mup-dsd 10.0.0.1 route 1:1", 2, "expected rd"),
        (
            Afi::IPV4,
            "mup-dsd 10.0.0.1 rd",
            3,
            "a route distinguisher expected",
        ),
        (
            Afi::IPV4,
            "mup-t2st 10.0.0.1 rd 1:1 teid 256/8",
            5,
            "does not fit in 8 bits",
        ),
        (
            Afi::IPV4,
            "mup-t2st 10.0.0.1 rd 1:1 teid 1/33",
            5,
            "bits 0 to 32",
        ),
        (
            Afi::IPV4,
            "mup-t2st 10.0.0.1 rd 1:1 teid 1",
            5,
            "<teid>/<bits>",
        ),
        (
            Afi::IPV4,
            "mup-t1st 10.0.0.1/32 rd 1:1 teid 1 qfi 256 endpoint 10.0.0.1",
            7,
            "qfi must be a number",
        ),
        (
            Afi::IPV4,
            "mup-t1st 10.0.0.1/32 rd 1:1 teid 4294967296 qfi 1 endpoint 10.0.0.1",
            5,
            "teid must be a number",
        ),
        (
            Afi::IPV4,
            "mup-dsd 10.0.0.1 rd 1:1 label 3",
            4,
            "can not be used",
        ),
        (Afi::IPV4, "mup-dsd 10.0.0.1 rd 1:1 med x", 5, "med"),
    ] {
        let e = parse(afi, line).unwrap_err();
        assert_eq!(e.index, index, "{line}: {e}");
        assert!(e.reason.contains(reason), "{line}: {e}");
    }
}

mod written_routes {
    use std::net::{Ipv4Addr, Ipv6Addr};

    use proptest::prelude::*;
    use wire::attr::{
        PrefixSid, PrefixSidTlv, SidInformation, SidStructure, Srv6Service, Srv6SubSubTlv,
        Srv6SubTlv,
    };
    use wire::{Attribute, Reader, WireErrorKind};

    use super::*;

    fn addr(v6: bool) -> BoxedStrategy<IpAddr> {
        if v6 {
            any::<u128>()
                .prop_map(|a| IpAddr::V6(Ipv6Addr::from(a)))
                .boxed()
        } else {
            any::<u32>()
                .prop_map(|a| IpAddr::V4(Ipv4Addr::from(a)))
                .boxed()
        }
    }

    /// A prefix whose octets past its length are zero (what a decoder gives back).
    fn prefix(v6: bool) -> BoxedStrategy<(u8, IpAddr)> {
        let max = if v6 { 128u8 } else { 32 };
        (0..=max, addr(v6))
            .prop_map(|(len, ip)| {
                let keep = usize::from(len).div_ceil(8);
                let ip = match ip {
                    IpAddr::V4(a) => {
                        let mut o = a.octets();
                        o[keep..].fill(0);
                        IpAddr::from(o)
                    }
                    IpAddr::V6(a) => {
                        let mut o = a.octets();
                        o[keep..].fill(0);
                        IpAddr::from(o)
                    }
                };
                (len, ip)
            })
            .boxed()
    }

    /// A route as text and the value it must stand for, built from the same draws.
    fn route(v6: bool) -> BoxedStrategy<(String, MupValue)> {
        // RD type 0 (RFC 4364 §4.2): `ASN:N` with a 2-octet ASN and a 4-octet number.
        let rd = (any::<u16>(), any::<u32>()).prop_map(|(a, n)| {
            let mut rd = [0u8; 8];
            rd[2..4].copy_from_slice(&a.to_be_bytes());
            rd[4..].copy_from_slice(&n.to_be_bytes());
            (format!("{a}:{n}"), RouteDistinguisher(rd))
        });
        prop_oneof![
            (rd.clone(), prefix(v6)).prop_map(|((t, rd), (prefix_len, prefix))| (
                format!("mup-isd {prefix}/{prefix_len} rd {t}"),
                MupValue::Isd {
                    rd,
                    prefix_len,
                    prefix
                }
            )),
            (rd.clone(), addr(v6)).prop_map(|((t, rd), ip)| (
                format!("mup-dsd {ip} rd {t}"),
                MupValue::Dsd { rd, ip }
            )),
            (
                rd.clone(),
                prefix(v6),
                any::<(u32, u8)>(),
                addr(v6),
                prop::option::of(addr(v6)),
            )
                .prop_map(
                    |((t, rd), (prefix_len, prefix), (teid, qfi), endpoint, source)| {
                        let mut text = format!(
                            "mup-t1st {prefix}/{prefix_len} rd {t} teid {teid} qfi {qfi} endpoint {endpoint}"
                        );
                        if let Some(source) = source {
                            text.push_str(&format!(" source {source}"));
                        }
                        let value = MupValue::Type1St {
                            rd,
                            prefix_len,
                            prefix,
                            teid,
                            qfi,
                            endpoint,
                            source,
                        };
                        (text, value)
                    }
                ),
            (rd, addr(v6), 0u8..=32, any::<u32>()).prop_map(move |((t, rd), endpoint, bits, teid)| {
                let teid = teid.checked_shr(32 - u32::from(bits)).unwrap_or(0);
                let ip_bits = if v6 { 128 } else { 32 };
                (
                    format!("mup-t2st {endpoint} rd {t} teid {teid}/{bits}"),
                    MupValue::Type2St {
                        rd,
                        endpoint_len: ip_bits + bits,
                        endpoint,
                        teid,
                    },
                )
            }),
        ]
        .boxed()
    }

    /// `bgp-prefix-sid-srv6 ( l3-service … )` and the Prefix-SID it stands for (RFC 9252).
    fn srv6() -> impl Strategy<Value = (String, PrefixSid)> {
        (
            any::<u128>(),
            any::<u16>(),
            prop::option::of(any::<[u8; 6]>()),
        )
            .prop_map(|(sid, behavior, structure)| {
                let sid = Ipv6Addr::from(sid);
                let mut text = format!("bgp-prefix-sid-srv6 ( l3-service {sid} {behavior:#x}");
                if let Some(s) = structure {
                    text.push_str(&format!(
                        " [{},{},{},{},{},{}]",
                        s[0], s[1], s[2], s[3], s[4], s[5]
                    ));
                }
                text.push_str(" )");
                let sub_sub_tlvs = structure
                    .map(|s| {
                        Srv6SubSubTlv::Structure(SidStructure {
                            locator_block_len: s[0],
                            locator_node_len: s[1],
                            function_len: s[2],
                            argument_len: s[3],
                            transposition_len: s[4],
                            transposition_offset: s[5],
                        })
                    })
                    .into_iter()
                    .collect();
                let info = SidInformation {
                    reserved1: 0,
                    sid,
                    flags: 0,
                    behavior,
                    reserved2: 0,
                    sub_sub_tlvs,
                };
                let service = Srv6Service {
                    reserved: 0,
                    sub_tlvs: vec![Srv6SubTlv::SidInformation(info)],
                };
                let sid = PrefixSid {
                    tlvs: vec![PrefixSidTlv::Srv6L3Service(service)],
                };
                (text, sid)
            })
    }

    fn case() -> impl Strategy<Value = (bool, (String, MupValue), IpAddr, (String, PrefixSid))> {
        any::<bool>().prop_flat_map(|v6| {
            (
                Just(v6),
                route(v6),
                any::<bool>().prop_flat_map(addr),
                srv6(),
            )
        })
    }

    proptest! {
        /// A route written in the grammar parses to the value drawn, and its NLRI and
        /// Prefix-SID encode and decode back to it.
        #[test]
        fn written_routes_encode_and_decode_back((v6, (text, value), hop, (sid_text, sid)) in case()) {
            let afi = if v6 { Afi::IPV6 } else { Afi::IPV4 };
            let line = format!("{text} next-hop {hop} {sid_text}");
            let route = parse(afi, &line).map_err(|e| TestCaseError::fail(format!("{line}: {e}")))?;
            prop_assert_eq!(route.family, Family::new(afi, Safi::MUP));
            let Nlri::Mup(parsed) = &route.nlri else {
                return Err(TestCaseError::fail("not a MUP NLRI"));
            };
            prop_assert_eq!(&parsed.value, &value);
            let mut bytes = Vec::new();
            route.nlri.encode(route.family, false, &mut bytes).unwrap();
            let decoded = Nlri::decode_field(
                &mut Reader::new(&bytes),
                route.family,
                false,
                WireErrorKind::MalformedAttributeList,
            )
            .unwrap();
            prop_assert_eq!(decoded, vec![route.nlri.clone()]);
            // An IPv4 next hop of an IPv6 route becomes IPv4-mapped (as ExaBGP).
            let want_hop = match (v6, hop) {
                (true, IpAddr::V4(a)) => IpAddr::V6(a.to_ipv6_mapped()),
                _ => hop,
            };
            prop_assert_eq!(route.next_hop, NextHop::Ip(want_hop));
            let written = route.attributes.iter().find_map(|a| match a {
                Attribute::PrefixSid(s) => Some(s.clone()),
                _ => None,
            });
            prop_assert_eq!(written.as_ref(), Some(&sid));
            let mut value_bytes = Vec::new();
            sid.encode(&mut value_bytes).unwrap();
            prop_assert_eq!(PrefixSid::decode(&value_bytes).unwrap(), sid);
        }
    }
}
