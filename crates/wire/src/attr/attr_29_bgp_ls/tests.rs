//! BGP-LS Attribute TLVs built from the layouts of RFC 7752 §3.3, RFC 9085 and RFC 9514.

use std::net::{IpAddr, Ipv6Addr};

use super::tlv::{EndXNeighbor, LsValue, SrAdjacency, Srv6EndX};
use super::*;

fn tlv(code: u16, value: &[u8]) -> Vec<u8> {
    let mut out = code.to_be_bytes().to_vec();
    out.extend_from_slice(&u16::try_from(value.len()).unwrap().to_be_bytes());
    out.extend_from_slice(value);
    out
}

fn decode_ok(bytes: &[u8]) -> LinkState {
    let ls = decode(Reader::new(bytes)).unwrap();
    let mut out = Vec::new();
    ls.encode(&mut out).unwrap();
    assert_eq!(out, bytes, "re-encodes as received");
    ls
}

fn value(code: u16, v: &[u8]) -> LsValue<'_> {
    LsValue::parse(code, v).unwrap()
}

#[test]
fn link_attributes() {
    let bytes = [
        tlv(1095, &[0, 0, 1]),
        tlv(1089, &0x4cee_6b28u32.to_be_bytes()),
        tlv(1092, &20u32.to_be_bytes()),
        tlv(9999, &[1, 2]),
    ]
    .concat();
    let ls = decode_ok(&bytes);
    let values = ls.values().unwrap();
    assert_eq!(values[0], (1095, LsValue::Unsigned(1)));
    // 0x4cee6b28 is 125 000 000 as an IEEE single (1 Gbit/s in bytes per second).
    assert_eq!(values[1], (1089, LsValue::Bandwidth(125_000_000.0)));
    assert_eq!(values[2], (1092, LsValue::Unsigned(20)));
    assert_eq!(values[3], (9999, LsValue::Generic(&[1, 2])));
}

#[test]
fn igp_metric_sizes() {
    assert_eq!(value(1095, &[7]), LsValue::Unsigned(7));
    assert_eq!(value(1095, &[1, 0]), LsValue::Unsigned(256));
    assert!(LsValue::parse(1095, &[0; 4]).is_err());
}

#[test]
fn adjacency_sid_label_and_index() {
    // V and L set: 3-octet labels (RFC 9085 §2.2.1).
    let v = [0x30, 0, 0, 0, 0x04, 0x93, 0x10];
    assert_eq!(
        value(1099, &v),
        LsValue::SrAdjacency(SrAdjacency {
            flags: 0x30,
            weight: 0,
            system_id: None,
            sids: vec![299_792],
            undecoded: None,
        })
    );
    // V and L clear: 4-octet index; V alone: kept undecoded.
    let v = [0x00, 5, 0, 0, 0, 0, 0, 9];
    let LsValue::SrAdjacency(adj) = value(1099, &v) else {
        panic!()
    };
    assert_eq!((adj.sids, adj.weight), (vec![9], 5));
    let v = [0x20, 0, 0, 0, 1, 2];
    let LsValue::SrAdjacency(adj) = value(1099, &v) else {
        panic!()
    };
    assert_eq!(adj.undecoded, Some(&[1u8, 2][..]));
    // A truncated label.
    assert!(LsValue::parse(1099, &[0x30, 0, 0, 0, 1, 2]).is_err());
}

#[test]
fn srv6_lan_endx_with_sid_structure() {
    let sid = Ipv6Addr::new(0xfc30, 0x2200, 0xd, 0xe002, 0, 0, 0, 0);
    let mut v = vec![0x00, 0x39, 0x80, 0, 0, 0];
    v.extend_from_slice(&[0, 0, 0, 0, 0, 0x14]);
    v.extend_from_slice(&sid.octets());
    v.extend(tlv(1252, &[32, 16, 16, 64]));
    assert_eq!(
        value(1107, &v),
        LsValue::Srv6EndX(Srv6EndX {
            behavior: 57,
            flags: 0x80,
            algorithm: 0,
            weight: 0,
            neighbor: Some(EndXNeighbor::Isis(&[0, 0, 0, 0, 0, 0x14])),
            sid,
            sub_tlvs: vec![(1252, &[32, 16, 16, 64][..])],
        })
    );
    // A sub-TLV claiming more than is left is malformed; a short remnant is ignored.
    let mut bad = v[..28].to_vec();
    bad.extend(tlv(1252, &[32, 16, 16, 64])[..6].iter());
    assert!(LsValue::parse(1107, &bad).is_err());
    let mut padded = v[..28].to_vec();
    padded.extend_from_slice(&[0, 0]);
    assert!(LsValue::parse(1107, &padded).is_ok());
}

#[test]
fn sr_capabilities_ranges() {
    let v = [
        0x80, 0, 0x00, 0x1f, 0x40, 0x04, 0x89, 0x00, 0x03, 0x00, 0x3e, 0x80,
    ];
    assert_eq!(
        value(1034, &v),
        LsValue::SrCapabilities {
            flags: 0x80,
            ranges: vec![(8000, 16000)]
        }
    );
    // A range whose sub-TLV is not SID/Label (1161).
    assert!(LsValue::parse(1034, &[0x80, 0, 0, 0, 1, 0, 1, 0, 3, 0, 0, 1]).is_err());
}

#[test]
fn addresses_names_and_lists() {
    assert_eq!(
        value(1029, &Ipv6Addr::LOCALHOST.octets()),
        LsValue::Address(IpAddr::V6(Ipv6Addr::LOCALHOST))
    );
    assert!(LsValue::parse(1030, &[1, 2, 3]).is_err());
    assert_eq!(value(1026, b"router"), LsValue::Text(b"router"));
    assert!(LsValue::parse(1026, &[b'a'; 256]).is_err());
    assert_eq!(value(1035, &[]), LsValue::List(vec![0]));
    assert_eq!(
        value(1096, &[0, 0, 0, 1, 0, 0, 0, 2]),
        LsValue::List(vec![1, 2])
    );
    assert!(LsValue::parse(1096, &[0, 0, 1]).is_err());
}

#[test]
fn malformed_attribute_is_discarded() {
    for bytes in [
        vec![4, 0x47, 0],                 // truncated TLV header
        tlv(1095, &[0, 1])[..5].to_vec(), // value shorter than its length
        tlv(1088, &[0, 0, 1]),            // administrative group of 3 octets
        tlv(1252, &[32, 16]),             // SID structure of 2 octets
    ] {
        let e = decode(Reader::new(&bytes)).unwrap_err();
        assert_eq!(e.action, Rfc7606Action::AttributeDiscard, "{bytes:02x?}");
    }
}
