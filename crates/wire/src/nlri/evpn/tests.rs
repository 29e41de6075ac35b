//! EVPN NLRI vectors. The type 2 routes are from ExaBGP's conformance case
//! `decoding/bgp-evpn-1` with the values ExaBGP prints for them; the others are laid out
//! by hand after RFC 7432 §7 and RFC 9136 §3.1.

use super::*;
use crate::hex::bytes as hex;

fn decode(bytes: &[u8], add_path: bool) -> Result<Vec<Evpn>, WireError> {
    let mut r = Reader::new(bytes);
    let mut out = Vec::new();
    while !r.is_empty() {
        out.push(Evpn::decode(
            &mut r,
            add_path,
            WireErrorKind::MalformedAttributeList,
        )?);
    }
    Ok(out)
}

fn round_trip(bytes: &[u8]) -> EvpnRoute {
    let routes = decode(bytes, false).unwrap();
    assert_eq!(routes.len(), 1);
    let mut out = Vec::new();
    routes[0].encode(false, &mut out).unwrap();
    assert_eq!(out, bytes);
    routes[0].route.clone()
}

fn rd(s: &str) -> RouteDistinguisher {
    RouteDistinguisher(hex(s).try_into().unwrap())
}

#[test]
fn mac_ip_from_exabgp_corpus() {
    let r = round_trip(&hex(
        "02250001252C372E0001000000000000000000000000051530E88088308BE9200A22100A000000",
    ));
    assert_eq!(
        r,
        EvpnRoute::MacIp {
            rd: RouteDistinguisher::ipv4(Ipv4Addr::new(37, 44, 55, 46), 1),
            esi: Esi::default(),
            etag: 1301,
            mac: "E8:80:88:30:8B:E9".parse().unwrap(),
            ip: Some("10.34.16.10".parse().unwrap()),
            labels: vec![EvpnLabel([0; 3])],
        }
    );
    let r = round_trip(&hex(
        "02210001252C37230007000000000000000000000000029630F4A739D1F0B000000000",
    ));
    let EvpnRoute::MacIp { ip, etag, .. } = r else {
        panic!("not a MAC/IP route: {r:?}")
    };
    assert_eq!((ip, etag), (None, 662));
}

#[test]
fn unknown_type_is_kept() {
    let bytes =
        hex("08260001252C37768EAD000002001600000000030000085D0020EFFFFFFF20252C37760000000000");
    let r = round_trip(&bytes);
    assert_eq!(
        r,
        EvpnRoute::Unknown {
            code: 8,
            value: bytes[2..].to_vec()
        }
    );
}

#[test]
fn ethernet_ad_multicast_segment_prefix() {
    let rd_hex = "0000FDE800000064"; // type 0, 65000:100
    let esi = "00112233445566778899";
    let ad = round_trip(&hex(&format!("0119{rd_hex}{esi}0000000A000641")));
    assert_eq!(
        ad,
        EvpnRoute::EthernetAd {
            rd: rd(rd_hex),
            esi: Esi(hex(esi).try_into().unwrap()),
            etag: 10,
            labels: vec![EvpnLabel::mpls(100).unwrap()],
        }
    );
    let mc = round_trip(&hex(&format!("0311{rd_hex}0000000020C0000201")));
    assert_eq!(
        mc,
        EvpnRoute::Multicast {
            rd: rd(rd_hex),
            etag: 0,
            ip: "192.0.2.1".parse().unwrap()
        }
    );
    let v6 = format!("80{}", "20010DB8000000000000000000000001");
    let es = round_trip(&hex(&format!("0423{rd_hex}{esi}{v6}")));
    assert_eq!(
        es,
        EvpnRoute::EthernetSegment {
            rd: rd(rd_hex),
            esi: Esi(hex(esi).try_into().unwrap()),
            ip: "2001:db8::1".parse().unwrap()
        }
    );
    let pfx = round_trip(&hex(&format!(
        "0522{rd_hex}{esi}0000000118C6336400C0000201000641"
    )));
    assert_eq!(
        pfx,
        EvpnRoute::IpPrefix {
            rd: rd(rd_hex),
            esi: Esi(hex(esi).try_into().unwrap()),
            etag: 1,
            prefix_len: 24,
            prefix: "198.51.100.0".parse().unwrap(),
            gateway: "192.0.2.1".parse().unwrap(),
            label: EvpnLabel::mpls(100).unwrap(),
        }
    );
    let v6 = round_trip(&hex(&format!(
        "053A{rd_hex}{esi}0000000140{}{}000641",
        "20010DB8000000000000000000000000", "00000000000000000000000000000000"
    )));
    assert!(matches!(
        v6,
        EvpnRoute::IpPrefix {
            prefix_len: 64,
            prefix: IpAddr::V6(_),
            ..
        }
    ));
}

#[test]
fn path_identifier_precedes_the_route() {
    let bytes = hex("000000070311000000000000000100000000200A000001");
    let routes = decode(&bytes, true).unwrap();
    assert_eq!(routes[0].path_id, Some(PathId(7)));
    let mut out = Vec::new();
    routes[0].encode(true, &mut out).unwrap();
    assert_eq!(out, bytes);
}

#[test]
fn malformed_routes_are_invalid_network_field() {
    let cases = [
        // MAC length 24.
        "02210001252C37230007000000000000000000000000029618F4A739D1F0B000000000",
        // IP length 24.
        "02250001252C372E0001000000000000000000000000051530E88088308BE9180A22100A000000",
        // No label after the MAC.
        "021E0001252C37230007000000000000000000000000029630F4A739D1F0B000",
        // Three labels.
        "02270001252C37230007000000000000000000000000029630F4A739D1F0B000000000000000000000",
        // Multicast with an IP length of 16 bits / a short address.
        "030F000000000000000100000000100A00",
        "0310000000000000000100000000200A0000",
        // A-D with half a label.
        "0118000000000000000100000000000000000000000000000000000000",
        // Prefix route of 35 octets.
        "052300000000000000010000000000000000000000000000000118C6336400C000020100064100",
        // Segment route too short for its ESI.
        "040A00000000000000010000",
    ];
    for case in cases {
        let e = decode(&hex(case), false).unwrap_err();
        assert!(
            matches!(e.kind, WireErrorKind::InvalidNetworkField(_)),
            "{case}: {e:?}"
        );
    }
}

#[test]
fn overrunning_entry_is_the_callers_kind() {
    for case in ["03", "0311000000", "000000"] {
        let e = decode(&hex(case), case == "000000").unwrap_err();
        assert_eq!(e.kind, WireErrorKind::MalformedAttributeList("EVPN NLRI"));
    }
}

#[test]
fn encode_refuses_what_cannot_be_sent() {
    let mac = EvpnRoute::MacIp {
        rd: RouteDistinguisher::default(),
        esi: Esi::default(),
        etag: 0,
        mac: MacAddress::default(),
        ip: None,
        labels: vec![],
    };
    assert!(mac.encode(&mut Vec::new()).is_err());
    let pfx = EvpnRoute::IpPrefix {
        rd: RouteDistinguisher::default(),
        esi: Esi::default(),
        etag: 0,
        prefix_len: 0,
        prefix: "10.0.0.0".parse().unwrap(),
        gateway: "::".parse().unwrap(),
        label: EvpnLabel::default(),
    };
    assert!(pfx.encode(&mut Vec::new()).is_err());
    let big = EvpnRoute::Unknown {
        code: 9,
        value: vec![0; 256],
    };
    assert!(big.encode(&mut Vec::new()).is_err());
}
