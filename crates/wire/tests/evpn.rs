//! EVPN NLRI (AFI 25 / SAFI 70, RFC 7432 §7, RFC 9136 §3): `decode(encode(r)) == r` for
//! every route type, IPv4 and IPv6, with and without ADD-PATH; any field either decodes
//! and re-encodes to the same octets or fails with an error (no panic); a malformed route
//! in an UPDATE resets the session with (3,10) (RFC 7606 §5.3), as for the other families
//! whose NLRI Herald decodes.

mod common;

use std::net::IpAddr;

use common::{addr, hex};
use herald_wire::nlri::evpn::{Esi, EvpnLabel, MacAddress};
use herald_wire::nlri::{Evpn, EvpnRoute, RouteDistinguisher};
use herald_wire::{Afi, Attribute, DecodeCtx, Family, Message, Nlri, Notification, PathId, Safi};
use proptest::prelude::*;

const EVPN: Family = Family::new(Afi::L2VPN, Safi::EVPN);

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
            // one label: the route is 25 octets (RFC 7432 §7.1); other lengths are
            // malformed (row 49)
            prop::collection::vec(label(), 1..=1)
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
    common::decode(bytes, EVPN, add_path)
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

/// An UPDATE whose only attribute is an MP_REACH_NLRI of `l2vpn evpn` with next hop
/// 192.0.2.1 and the NLRI `nlri`.
fn evpn_update(nlri: &[u8]) -> Vec<u8> {
    let mut reach = vec![0x00, 0x19, 0x46, 0x04, 192, 0, 2, 1, 0x00];
    reach.extend_from_slice(nlri);
    let mut attrs = vec![0x90, 0x0e];
    attrs.extend_from_slice(&u16::try_from(reach.len()).unwrap().to_be_bytes());
    attrs.extend_from_slice(&reach);
    let mut body = vec![0, 0];
    body.extend_from_slice(&u16::try_from(attrs.len()).unwrap().to_be_bytes());
    body.extend_from_slice(&attrs);
    let mut m = vec![0xff; 16];
    m.extend_from_slice(&u16::try_from(19 + body.len()).unwrap().to_be_bytes());
    m.push(2);
    m.extend_from_slice(&body);
    m
}

#[test]
fn update_with_evpn_routes_decodes_and_malformed_ones_are_withdrawn_or_reset() {
    // From ExaBGP's corpus (decoding/bgp-evpn-1): a MAC/IP route with an IPv4 address.
    let good =
        hex("02250001252C372E0001000000000000000000000000051530E88088308BE9200A22100A000000");
    let decoded = Message::decode(&evpn_update(&good), &DecodeCtx::default()).unwrap();
    let Message::Update(update) = decoded.message else {
        panic!("not an UPDATE")
    };
    let Some(Attribute::MpReach(reach)) = update.attributes.first() else {
        panic!("no MP_REACH_NLRI: {update:?}")
    };
    assert_eq!(reach.family, EVPN);
    assert!(matches!(&reach.nlri[..], [Nlri::Evpn(r)] if r.route.code() == 2));
    // The same route with a MAC length of 24 bits (RFC 7432 §7.2 allows only 48), and
    // one whose Length overruns the attribute.
    let mut bad_mac = good.clone();
    bad_mac[24] = 24;
    // The framing holds for the first: treat-as-withdraw (malformed row 49, RFC 7606 §2);
    // the second loses it: (3,10) Invalid Network Field (RFC 7606 §5.3).
    let decoded = Message::decode(&evpn_update(&bad_mac), &DecodeCtx::default()).unwrap();
    assert!(decoded.treat_as_withdraw(), "{decoded:?}");
    let e = Message::decode(&evpn_update(&good[..30]), &DecodeCtx::default()).unwrap_err();
    let n = Notification::from(&e);
    assert_eq!((n.code, n.subcode), (3, 10), "{e:?}");
}
