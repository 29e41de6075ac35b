//! VPLS (RFC 4761 §3.2.2) and MCAST-VPN (RFC 6514 §4) NLRI: `decode(encode(r)) == r` for
//! every route kind, any field that decodes re-encodes to the same octets, no input
//! panics, and malformed entries are errors.

mod common;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use common::{decode, hex};
use herald_wire::nlri::vpls::MAX_LABEL_BASE;
use herald_wire::nlri::{MvpnRoute, MvpnValue, RouteDistinguisher, Vpls};
use herald_wire::{Afi, Family, Nlri, PathId, Safi};
use proptest::prelude::*;

const VPLS: Family = Family::new(Afi::L2VPN, Safi::VPLS);

fn mvpn_family(v6: bool) -> Family {
    Family::new(if v6 { Afi::IPV6 } else { Afi::IPV4 }, Safi::MCAST_VPN)
}

fn vpls() -> impl Strategy<Value = Vpls> {
    (
        any::<[u8; 8]>(),
        any::<(u16, u16, u16)>(),
        0..=MAX_LABEL_BASE,
        0u8..16,
    )
        .prop_map(|(rd, (endpoint, offset, size), base, flags)| Vpls {
            path_id: None,
            rd: RouteDistinguisher(rd),
            endpoint,
            offset,
            size,
            base,
            label_flags: flags,
        })
}

/// Two addresses of one IP version (RFC 6514 §4.5, §4.6 as ExaBGP reads them).
fn pair() -> impl Strategy<Value = (IpAddr, IpAddr)> {
    prop_oneof![
        any::<(u32, u32)>()
            .prop_map(|(a, b)| (IpAddr::V4(Ipv4Addr::from(a)), IpAddr::V4(Ipv4Addr::from(b)))),
        any::<(u128, u128)>()
            .prop_map(|(a, b)| (IpAddr::V6(Ipv6Addr::from(a)), IpAddr::V6(Ipv6Addr::from(b)))),
    ]
}

fn mvpn() -> impl Strategy<Value = MvpnRoute> {
    let rd = any::<[u8; 8]>().prop_map(RouteDistinguisher);
    prop_oneof![
        (rd.clone(), pair()).prop_map(|(rd, (source, group))| MvpnValue::SourceAd {
            rd,
            source,
            group
        }),
        (rd.clone(), any::<u32>(), pair()).prop_map(|(rd, source_as, (source, group))| {
            MvpnValue::SharedJoin {
                rd,
                source_as,
                source,
                group,
            }
        }),
        (rd, any::<u32>(), pair()).prop_map(|(rd, source_as, (source, group))| {
            MvpnValue::SourceJoin {
                rd,
                source_as,
                source,
                group,
            }
        }),
        (
            prop_oneof![1u8..5, 8u8..=255],
            prop::collection::vec(any::<u8>(), 0..40)
        )
            .prop_map(|(code, value)| MvpnValue::Other { code, value }),
    ]
    .prop_map(MvpnRoute::new)
}

/// Encodes `routes` (checking `encoded_len`) and decodes them back.
fn round_trip(routes: &[Nlri], family: Family, add_path: bool) -> Result<(), TestCaseError> {
    let mut bytes = Vec::new();
    for r in routes {
        let before = bytes.len();
        r.encode(family, add_path, &mut bytes).unwrap();
        prop_assert_eq!(r.encoded_len(family, add_path), bytes.len() - before);
    }
    prop_assert_eq!(&decode(&bytes, family, add_path).unwrap(), routes);
    Ok(())
}

fn with_path_id(id: Option<u32>) -> Option<PathId> {
    id.map(PathId)
}

proptest! {
    #[test]
    fn vpls_routes_round_trip(routes in prop::collection::vec(vpls(), 1..4), id in any::<Option<u32>>()) {
        let routes: Vec<Nlri> = routes
            .into_iter()
            .map(|mut r| {
                r.path_id = with_path_id(id);
                Nlri::Vpls(Box::new(r))
            })
            .collect();
        round_trip(&routes, VPLS, id.is_some())?;
    }

    #[test]
    fn mvpn_routes_round_trip(v6 in any::<bool>(), routes in prop::collection::vec(mvpn(), 1..4), id in any::<Option<u32>>()) {
        let routes: Vec<Nlri> = routes
            .into_iter()
            .map(|mut r| {
                r.path_id = with_path_id(id);
                Nlri::Mvpn(Box::new(r))
            })
            .collect();
        round_trip(&routes, mvpn_family(v6), id.is_some())?;
    }

    #[test]
    fn any_field_decodes_or_fails_cleanly(family in prop_oneof![Just(VPLS), Just(mvpn_family(false)), Just(mvpn_family(true))], bytes in prop::collection::vec(any::<u8>(), 0..96)) {
        if let Ok(routes) = decode(&bytes, family, false) {
            let mut again = Vec::new();
            for r in &routes {
                r.encode(family, false, &mut again).unwrap();
            }
            prop_assert_eq!(again, bytes);
        }
    }
}

#[test]
fn malformed_entries_are_errors() {
    for (family, bytes) in [
        (VPLS, "00"),                                               // truncated length
        (VPLS, "0011 0001C0A8C901007B 0005 0001 0008"),             // label base missing
        (mvpn_family(false), "05"),                                 // truncated header
        (mvpn_family(false), "05 12 0000FDE80001869F 20 0A630C04"), // overrun
        (
            mvpn_family(false),
            "05 12 0000FDE80001869F 18 0A630C04 28 EFFBFFE4",
        ), // 24/40 bits
        (
            mvpn_family(true),
            "07 10 0000FDE80001869F 0000FDE8 20 0A630C04",
        ), // short join
    ] {
        assert!(decode(&hex(bytes), family, false).is_err(), "{bytes}");
    }
}

/// A VPLS NLRI whose length is not 17 but fits the field (row 50) keeps the field whole,
/// and its UPDATE is treated as withdraw (`tests/malformed.rs`).
#[test]
fn a_vpls_entry_of_another_length_is_kept_opaque() {
    for bytes in [
        "0010 0001C0A8C901007B 0005 0001 0008 029C",
        "0012 0001C0A8C901007B 0005 0001 0008 029CE1 00",
    ] {
        let field = hex(bytes);
        assert_eq!(decode(&field, VPLS, false).unwrap(), [Nlri::Opaque(field)]);
    }
}

/// Several VPLS NLRI in one field are read one after the other (ExaBGP 5.0.15 refuses
/// more than one; RFC 4760 §5 allows any number).
#[test]
fn several_vpls_entries_in_one_field() {
    let one = "0011 0001C0A8C901007B 0005 0001 0008 029CE1";
    let bytes = hex(&format!("{one}{one}"));
    assert_eq!(decode(&bytes, VPLS, false).unwrap().len(), 2);
}
