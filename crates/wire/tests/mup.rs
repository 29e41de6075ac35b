//! MUP NLRI (SAFI 85, draft-mpmz-bess-mup-safi): `decode(encode(r)) == r` for every route
//! type, no input panics, and malformed routes are errors.

mod common;

use std::net::IpAddr;

use common::{addr, decode};
use herald_wire::nlri::{MupRoute, MupValue, RouteDistinguisher};
use herald_wire::{Afi, Family, Nlri, Safi};
use proptest::prelude::*;

/// A prefix whose octets beyond its length are zero (as they read back).
fn prefix(v6: bool) -> BoxedStrategy<(u8, IpAddr)> {
    let max = if v6 { 128u8 } else { 32 };
    (0..=max, addr(v6))
        .prop_map(move |(len, ip)| {
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

fn route(v6: bool) -> BoxedStrategy<MupRoute> {
    let rd = any::<[u8; 8]>().prop_map(RouteDistinguisher);
    let value = prop_oneof![
        (rd.clone(), prefix(v6)).prop_map(|(rd, (prefix_len, prefix))| MupValue::Isd {
            rd,
            prefix_len,
            prefix
        }),
        (rd.clone(), addr(v6)).prop_map(|(rd, ip)| MupValue::Dsd { rd, ip }),
        (
            rd.clone(),
            prefix(v6),
            any::<(u32, u8, bool)>(),
            any::<bool>().prop_flat_map(addr),
            prop::option::of(any::<bool>().prop_flat_map(addr)),
        )
            .prop_map(
                |(rd, (prefix_len, prefix), (teid, qfi, _), endpoint, source)| {
                    MupValue::Type1St {
                        rd,
                        prefix_len,
                        prefix,
                        teid,
                        qfi,
                        endpoint,
                        source,
                    }
                }
            ),
        (rd, addr(v6), 0u8..=32, any::<u32>()).prop_map(move |(rd, endpoint, bits, teid)| {
            let octets = u32::from(bits).div_ceil(8);
            let teid = if octets == 0 {
                0
            } else {
                teid >> (32 - 8 * octets)
            };
            MupValue::Type2St {
                rd,
                endpoint_len: bits + if v6 { 128 } else { 32 },
                endpoint,
                teid,
            }
        }),
    ];
    (
        value,
        any::<Option<u32>>().prop_map(|p| p.map(herald_wire::PathId)),
    )
        .prop_map(|(value, path_id)| {
            let code = match value {
                MupValue::Isd { .. } => 1,
                MupValue::Dsd { .. } => 2,
                MupValue::Type1St { .. } => 3,
                _ => 4,
            };
            MupRoute {
                path_id,
                arch: 1,
                code,
                value,
            }
        })
        .boxed()
}

fn family(v6: bool) -> Family {
    Family::new(if v6 { Afi::IPV6 } else { Afi::IPV4 }, Safi::MUP)
}

proptest! {
    #[test]
    fn mup_routes_round_trip(v6 in any::<bool>(), routes in prop::collection::vec(route(false), 1..4), routes6 in prop::collection::vec(route(true), 1..4)) {
        let routes = if v6 { routes6 } else { routes };
        let add_path = routes[0].path_id.is_some();
        let routes: Vec<Nlri> = routes
            .into_iter()
            .map(|mut r| {
                if !add_path {
                    r.path_id = None;
                } else if r.path_id.is_none() {
                    r.path_id = Some(herald_wire::PathId(0));
                }
                Nlri::Mup(Box::new(r))
            })
            .collect();
        let mut bytes = Vec::new();
        for r in &routes {
            let before = bytes.len();
            r.encode(family(v6), add_path, &mut bytes).unwrap();
            prop_assert_eq!(r.encoded_len(family(v6), add_path), bytes.len() - before);
        }
        prop_assert_eq!(decode(&bytes, family(v6), add_path).unwrap(), routes);
    }

    #[test]
    fn any_field_decodes_or_fails_cleanly(v6 in any::<bool>(), bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(routes) = decode(&bytes, family(v6), false) {
            let mut again = Vec::new();
            for r in &routes {
                r.encode(family(v6), false, &mut again).unwrap();
            }
            prop_assert_eq!(again, bytes);
        }
    }
}

#[test]
fn malformed_routes_are_errors() {
    for hex in [
        "010001",                                               // truncated header
        "0100010C00000064000000641F0A0001",                     // ISD /31 with 3 octets
        "010001090000006400000064",                             // Length 9 with 8 octets left
        "0100020B0000006400000064AABBCC",                       // DSD of 3 octets
        "0100040D0000006400000064180A000001",                   // T2ST endpoint length 24 < 32
        "010003160000006400000064200A000001000030390918AABBCC", // T1ST endpoint length 24
    ] {
        let bytes = common::hex(hex);
        assert!(decode(&bytes, family(false), false).is_err(), "{hex}");
    }
}
