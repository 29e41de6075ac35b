//! EVPN NLRI (AFI 25 / SAFI 70, RFC 7432 §7, RFC 9136 §3): `decode(encode(r)) == r` for
//! every route type, IPv4 and IPv6, with and without ADD-PATH; any field either decodes
//! and re-encodes to the same octets or fails with an error (no panic).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use herald_wire::nlri::evpn::{Esi, EvpnLabel, MacAddress};
use herald_wire::nlri::{Evpn, EvpnRoute, RouteDistinguisher};
use herald_wire::{Afi, Family, Nlri, PathId, Reader, Safi, WireErrorKind};
use proptest::prelude::*;

const EVPN: Family = Family::new(Afi::L2VPN, Safi::EVPN);

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

fn any_addr() -> BoxedStrategy<IpAddr> {
    any::<bool>().prop_flat_map(addr).boxed()
}

fn label() -> impl Strategy<Value = EvpnLabel> {
    any::<[u8; 3]>().prop_map(EvpnLabel)
}

fn route() -> BoxedStrategy<EvpnRoute> {
    let rd = || any::<[u8; 8]>().prop_map(RouteDistinguisher);
    let esi = || any::<[u8; 10]>().prop_map(Esi);
    prop_oneof![
        (
            rd(),
            esi(),
            any::<u32>(),
            prop::collection::vec(label(), 0..4)
        )
            .prop_map(|(rd, esi, etag, labels)| EvpnRoute::EthernetAd {
                rd,
                esi,
                etag,
                labels
            }),
        (
            rd(),
            esi(),
            any::<u32>(),
            any::<[u8; 6]>(),
            prop::option::of(any_addr()),
            prop::collection::vec(label(), 1..=2)
        )
            .prop_map(|(rd, esi, etag, mac, ip, labels)| EvpnRoute::MacIp {
                rd,
                esi,
                etag,
                mac: MacAddress(mac),
                ip,
                labels
            }),
        (rd(), any::<u32>(), any_addr()).prop_map(|(rd, etag, ip)| EvpnRoute::Multicast {
            rd,
            etag,
            ip
        }),
        (rd(), esi(), any_addr()).prop_map(|(rd, esi, ip)| EvpnRoute::EthernetSegment {
            rd,
            esi,
            ip
        }),
        (
            rd(),
            esi(),
            any::<u32>(),
            any::<u8>(),
            any::<bool>().prop_flat_map(|v6| (addr(v6), addr(v6))),
            label()
        )
            .prop_map(|(rd, esi, etag, prefix_len, (prefix, gateway), label)| {
                EvpnRoute::IpPrefix {
                    rd,
                    esi,
                    etag,
                    prefix_len,
                    prefix,
                    gateway,
                    label,
                }
            }),
        (6u8..=255, prop::collection::vec(any::<u8>(), 0..40))
            .prop_map(|(code, value)| EvpnRoute::Unknown { code, value }),
    ]
    .boxed()
}

fn decode(bytes: &[u8], add_path: bool) -> Result<Vec<Nlri>, herald_wire::WireError> {
    Nlri::decode_field(
        &mut Reader::new(bytes),
        EVPN,
        add_path,
        WireErrorKind::MalformedAttributeList,
    )
}

proptest! {
    #[test]
    fn evpn_routes_round_trip(
        add_path in any::<bool>(),
        routes in prop::collection::vec((any::<u32>(), route()), 1..5),
    ) {
        let routes: Vec<Nlri> = routes
            .into_iter()
            .map(|(id, route)| {
                let path_id = add_path.then_some(PathId(id));
                Nlri::Evpn(Box::new(Evpn { path_id, route }))
            })
            .collect();
        let mut bytes = Vec::new();
        for r in &routes {
            let before = bytes.len();
            r.encode(EVPN, add_path, &mut bytes).unwrap();
            prop_assert_eq!(r.encoded_len(EVPN, add_path), bytes.len() - before);
        }
        prop_assert_eq!(decode(&bytes, add_path).unwrap(), routes);
    }

    #[test]
    fn any_field_decodes_to_itself_or_fails(
        add_path in any::<bool>(),
        code in 0u8..8,
        bytes in prop::collection::vec(any::<u8>(), 0..80),
    ) {
        // A plausible header most of the time, so that the typed decoders are reached.
        let mut field = vec![code, u8::try_from(bytes.len()).unwrap()];
        field.extend_from_slice(&bytes);
        for input in [&field[..], &bytes[..]] {
            if let Ok(routes) = decode(input, add_path) {
                let mut again = Vec::new();
                for r in &routes {
                    r.encode(EVPN, add_path, &mut again).unwrap();
                }
                prop_assert_eq!(&again[..], input);
            }
        }
    }
}
