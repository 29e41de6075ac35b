//! BGP-LS NLRI built from the layouts of RFC 7752 §3.2 and RFC 9514 §6.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::view::{Descriptors, IpReach, NodeSub, Srv6Item};
use super::*;
use crate::nlri::Nlri;

const LS: Family = Family::new(Afi::BGP_LS, Safi::BGP_LS);
const LS_VPN: Family = Family::new(Afi::BGP_LS, Safi::BGP_LS_VPN);

fn tlv(code: u16, value: &[u8]) -> Vec<u8> {
    let mut out = code.to_be_bytes().to_vec();
    out.extend_from_slice(&u16::try_from(value.len()).unwrap().to_be_bytes());
    out.extend_from_slice(value);
    out
}

/// NLRI header + Protocol-ID + Identifier + TLVs.
fn nlri(code: u16, protocol: u8, identifier: u64, tlvs: &[Vec<u8>]) -> Vec<u8> {
    let mut body = vec![protocol];
    body.extend_from_slice(&identifier.to_be_bytes());
    for t in tlvs {
        body.extend_from_slice(t);
    }
    tlv(code, &body)
}

fn decode(bytes: &[u8], family: Family) -> Result<Vec<Nlri>, WireError> {
    Nlri::decode_field(
        &mut Reader::new(bytes),
        family,
        false,
        WireErrorKind::MalformedAttributeList,
    )
}

fn one(bytes: &[u8], family: Family) -> Nlri {
    let mut list = decode(bytes, family).unwrap();
    assert_eq!(list.len(), 1);
    let n = list.remove(0);
    let mut out = Vec::new();
    n.encode(family, false, &mut out).unwrap();
    assert_eq!(out, bytes, "re-encodes as received");
    assert_eq!(n.encoded_len(family, false), bytes.len());
    n
}

fn ospf_node(router: [u8; 4]) -> Vec<u8> {
    let mut v = tlv(512, &1u32.to_be_bytes());
    v.extend(tlv(513, &[0xc0, 0xa8, 0x7a, 0x7e]));
    v.extend(tlv(514, &[0, 0, 0, 0]));
    v.extend(tlv(515, &router));
    v
}

#[test]
fn ospf_link_nlri() {
    let bytes = nlri(
        LINK,
        3,
        0,
        &[
            tlv(256, &ospf_node([10, 10, 10, 10])),
            tlv(257, &ospf_node([10, 2, 2, 2])),
            tlv(258, &[0, 0, 0, 16, 0, 0, 0, 0]),
            tlv(259, &[10, 1, 1, 1]),
            tlv(260, &[10, 1, 1, 2]),
            tlv(263, &[0x00, 0x02]),
        ],
    );
    let Nlri::BgpLs(ls) = one(&bytes, LS) else {
        panic!("not BGP-LS")
    };
    assert_eq!(ls.code, LINK);
    let d = Descriptors::parse(&ls).unwrap();
    assert_eq!(
        d.local,
        vec![
            NodeSub::As(1),
            NodeSub::BgpLsId(3_232_266_878),
            NodeSub::OspfArea(IpAddr::V4(Ipv4Addr::UNSPECIFIED)),
            NodeSub::OspfRouter {
                id: Ipv4Addr::new(10, 10, 10, 10),
                dr: None
            },
        ]
    );
    assert_eq!(d.link_ids, Some((16, 0)));
    assert_eq!(d.interfaces, vec![IpAddr::V4(Ipv4Addr::new(10, 1, 1, 1))]);
    assert_eq!(d.neighbors, vec![IpAddr::V4(Ipv4Addr::new(10, 1, 1, 2))]);
    assert_eq!(d.mt_ids, vec![2]);
}

#[test]
fn isis_pseudonode_and_ospf_dr() {
    let isis = tlv(515, &[0, 0, 0, 0, 0, 0x14, 3]);
    let bytes = nlri(NODE, 2, 0, &[tlv(256, &isis)]);
    let Nlri::BgpLs(ls) = one(&bytes, LS) else {
        panic!()
    };
    let d = Descriptors::parse(&ls).unwrap();
    assert_eq!(
        d.local,
        vec![NodeSub::IsisRouter {
            id: &[0, 0, 0, 0, 0, 0x14, 3],
            psn: Some(3)
        }]
    );
    let dr = tlv(515, &[10, 1, 4, 1, 10, 1, 1, 2]);
    let bytes = nlri(NODE, 3, 0, &[tlv(256, &dr)]);
    let Nlri::BgpLs(ls) = one(&bytes, LS) else {
        panic!()
    };
    assert_eq!(
        Descriptors::parse(&ls).unwrap().local,
        vec![NodeSub::OspfRouter {
            id: Ipv4Addr::new(10, 1, 4, 1),
            dr: Some(Ipv4Addr::new(10, 1, 1, 2))
        }]
    );
}

#[test]
fn prefix_nlri_reads_the_reachability() {
    let bytes = nlri(
        PREFIX_V4,
        2,
        700,
        &[
            tlv(256, &tlv(512, &15924u32.to_be_bytes())),
            tlv(264, &[1]),
            tlv(265, &[30, 10, 134, 2, 88]),
        ],
    );
    let Nlri::BgpLs(ls) = one(&bytes, LS) else {
        panic!()
    };
    let d = Descriptors::parse(&ls).unwrap();
    assert_eq!(
        d.reach,
        Some(IpReach {
            bits: 30,
            prefix: IpAddr::V4(Ipv4Addr::new(10, 134, 2, 88))
        })
    );
    assert_eq!(d.ospf_route_type, Some(1));
    // IPv6: fewer octets than the length, zero-filled.
    let bytes = nlri(PREFIX_V6, 2, 0, &[tlv(265, &[48, 0x20, 0x01, 0x0d, 0xb8])]);
    let Nlri::BgpLs(ls) = one(&bytes, LS) else {
        panic!()
    };
    let reach = Descriptors::parse(&ls).unwrap().reach.unwrap();
    assert_eq!(reach.prefix, "2001:db8::".parse::<IpAddr>().unwrap());
}

#[test]
fn srv6_sid_nlri() {
    let sid = Ipv6Addr::new(0xfc00, 0, 0, 0, 0, 0, 0, 1);
    let bytes = nlri(
        SRV6_SID,
        2,
        0,
        &[
            tlv(256, &tlv(512, &1u32.to_be_bytes())),
            tlv(263, &[0, 2]),
            tlv(518, &sid.octets()),
            tlv(600, &[1]),
            tlv(600, &[2]),
        ],
    );
    let Nlri::BgpLs(ls) = one(&bytes, LS) else {
        panic!()
    };
    let d = Descriptors::parse(&ls).unwrap();
    assert_eq!(d.mt_ids, vec![2]);
    assert_eq!(
        d.srv6,
        vec![Srv6Item::Sid(sid), Srv6Item::Other(600, vec![&[1], &[2]])]
    );
}

#[test]
fn vpn_nlri_carries_a_route_distinguisher() {
    let mut body = vec![0, 0, 0, 1, 0, 0, 0, 7];
    body.push(2);
    body.extend_from_slice(&0u64.to_be_bytes());
    body.extend(tlv(256, &tlv(512, &1u32.to_be_bytes())));
    let bytes = tlv(NODE, &body);
    let Nlri::BgpLs(ls) = one(&bytes, LS_VPN) else {
        panic!()
    };
    assert_eq!(ls.rd, Some(RouteDistinguisher([0, 0, 0, 1, 0, 0, 0, 7])));
    // Without its RD the route cannot go out in the VPN family, nor with one in SAFI 71.
    assert!(Nlri::BgpLs(ls).encode(LS, false, &mut Vec::new()).is_err());
}

#[test]
fn unknown_type_is_kept() {
    let bytes = tlv(9, &[1, 2, 3, 4]);
    let Nlri::BgpLs(ls) = one(&bytes, LS) else {
        panic!()
    };
    assert_eq!(ls.body, LsBody::Unknown(vec![1, 2, 3, 4]));
}

#[test]
fn malformed_descriptors_are_opaque() {
    let cases = [
        // Node descriptor sub-TLVs out of order (RFC 9552 §5.2.1).
        nlri(
            NODE,
            2,
            0,
            &[tlv(256, &[tlv(513, &[0; 4]), tlv(512, &[0; 4])].concat())],
        ),
        // AS sub-TLV of 3 octets.
        nlri(NODE, 2, 0, &[tlv(256, &tlv(512, &[0; 3]))]),
        // IS-IS Router-ID of 5 octets.
        nlri(NODE, 2, 0, &[tlv(256, &tlv(515, &[0; 5]))]),
        // A Node NLRI whose first TLV is not the Local Node Descriptors.
        nlri(NODE, 2, 0, &[tlv(257, &[])]),
        // A TLV overrunning the NLRI.
        [tlv(NODE, &[2, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 9]).as_slice()].concat(),
        // Prefix without IP Reachability; prefix length 33 in IPv4.
        nlri(PREFIX_V4, 2, 0, &[tlv(256, &[])]),
        nlri(PREFIX_V4, 2, 0, &[tlv(265, &[33, 1, 2, 3, 4, 5])]),
        // More prefix octets than the length needs.
        nlri(PREFIX_V4, 2, 0, &[tlv(265, &[8, 1, 2])]),
        // Shorter than Protocol-ID + Identifier.
        tlv(LINK, &[2, 0, 0]),
        // SRv6 SID Information of 4 octets.
        nlri(SRV6_SID, 2, 0, &[tlv(256, &[]), tlv(518, &[0; 4])]),
    ];
    for bytes in cases {
        let list = decode(&bytes, LS).unwrap();
        assert_eq!(list, vec![Nlri::Opaque(bytes.clone())], "{bytes:02x?}");
    }
}

#[test]
fn broken_framing_is_an_invalid_network_field() {
    let e = decode(&[0, 1, 0], LS).unwrap_err();
    assert_eq!(
        e.kind,
        WireErrorKind::InvalidNetworkField("BGP-LS NLRI header")
    );
    let e = decode(&[0, 1, 0, 5, 1], LS).unwrap_err();
    assert_eq!(
        e.kind,
        WireErrorKind::InvalidNetworkField("BGP-LS NLRI length overruns the NLRI field")
    );
}

#[test]
fn path_identifiers() {
    let bytes = nlri(NODE, 2, 0, &[tlv(256, &[])]);
    let mut with_id = vec![0, 0, 0, 9];
    with_id.extend_from_slice(&bytes);
    let list = Nlri::decode_field(
        &mut Reader::new(&with_id),
        LS,
        true,
        WireErrorKind::MalformedAttributeList,
    )
    .unwrap();
    assert_eq!(list[0].path_id(), Some(PathId(9)));
    let mut out = Vec::new();
    list[0].encode(LS, true, &mut out).unwrap();
    assert_eq!(out, with_id);
}
