//! The BGP Prefix-SID attribute (RFC 8669, SRv6 Service TLVs of RFC 9252): property tests
//! (`decode(encode(a)) == a`, no input panics and what decodes re-encodes to its input when
//! no TLV repeats) and malformed values inside an UPDATE (attribute discard, RFC 8669 §6).

use std::net::Ipv6Addr;

use herald_wire::attr::{
    PrefixSid, PrefixSidTlv, SidInformation, SidStructure, SrgbRange, Srv6Service, Srv6SubSubTlv,
    Srv6SubTlv,
};
use herald_wire::{Attribute, DecodeCtx, Message, Rfc7606Action};
use proptest::prelude::*;

fn sub_sub_tlv() -> impl Strategy<Value = Srv6SubSubTlv> {
    prop_oneof![
        any::<[u8; 6]>().prop_map(|[a, b, c, d, e, f]| Srv6SubSubTlv::Structure(SidStructure {
            locator_block_len: a,
            locator_node_len: b,
            function_len: c,
            argument_len: d,
            transposition_len: e,
            transposition_offset: f,
        })),
        (2u8.., prop::collection::vec(any::<u8>(), 0..8))
            .prop_map(|(kind, value)| Srv6SubSubTlv::Unknown { kind, value }),
    ]
}

fn service() -> impl Strategy<Value = Srv6Service> {
    let info = (
        any::<[u8; 3]>(),
        any::<u128>(),
        any::<u16>(),
        prop::collection::vec(sub_sub_tlv(), 0..3),
    )
        .prop_map(|([r1, flags, r2], sid, behavior, sub_sub_tlvs)| {
            Srv6SubTlv::SidInformation(SidInformation {
                reserved1: r1,
                sid: Ipv6Addr::from(sid),
                flags,
                behavior,
                reserved2: r2,
                sub_sub_tlvs,
            })
        });
    let unknown = (2u8.., prop::collection::vec(any::<u8>(), 0..8))
        .prop_map(|(kind, value)| Srv6SubTlv::Unknown { kind, value });
    (
        any::<u8>(),
        prop::collection::vec(prop_oneof![info, unknown], 0..3),
    )
        .prop_map(|(reserved, sub_tlvs)| Srv6Service { reserved, sub_tlvs })
}

fn tlv() -> impl Strategy<Value = PrefixSidTlv> {
    let range =
        (0u32..=0xff_ffff, 0u32..=0xff_ffff).prop_map(|(base, range)| SrgbRange { base, range });
    prop_oneof![
        (any::<u8>(), any::<u16>(), any::<u32>()).prop_map(|(reserved, flags, index)| {
            PrefixSidTlv::LabelIndex {
                reserved,
                flags,
                index,
            }
        }),
        (any::<u16>(), prop::collection::vec(range, 1..4))
            .prop_map(|(flags, ranges)| PrefixSidTlv::OriginatorSrgb { flags, ranges }),
        service().prop_map(PrefixSidTlv::Srv6L3Service),
        service().prop_map(PrefixSidTlv::Srv6L2Service),
        (
            prop_oneof![Just(2u8), 7u8..],
            prop::collection::vec(any::<u8>(), 0..8)
        )
            .prop_map(|(kind, value)| PrefixSidTlv::Unknown { kind, value }),
    ]
}

/// At most one Label-Index and one Originator SRGB TLV (RFC 8669 §6 ignores repeats).
fn prefix_sid() -> impl Strategy<Value = PrefixSid> {
    prop::collection::vec(tlv(), 1..5).prop_map(|tlvs| {
        let (mut index, mut srgb) = (false, false);
        let tlvs = tlvs
            .into_iter()
            .filter(|t| match t {
                PrefixSidTlv::LabelIndex { .. } => !std::mem::replace(&mut index, true),
                PrefixSidTlv::OriginatorSrgb { .. } => !std::mem::replace(&mut srgb, true),
                _ => true,
            })
            .collect();
        PrefixSid { tlvs }
    })
}

proptest! {
    #[test]
    fn prefix_sid_round_trips(sid in prefix_sid()) {
        let mut bytes = Vec::new();
        sid.encode(&mut bytes).unwrap();
        prop_assert_eq!(PrefixSid::decode(&bytes).unwrap(), sid);
    }

    #[test]
    fn any_value_decodes_or_fails_cleanly(bytes in prop::collection::vec(any::<u8>(), 0..64)) {
        if let Ok(sid) = PrefixSid::decode(&bytes) {
            let mut again = Vec::new();
            sid.encode(&mut again).unwrap();
            prop_assert_eq!(PrefixSid::decode(&again).unwrap(), sid);
        }
    }
}

/// An UPDATE for 10.0.0.0/8 with ORIGIN, AS_PATH, NEXT_HOP and `extra` attributes.
fn update(extra: &[u8]) -> Vec<u8> {
    let mut attrs = vec![
        0x40, 0x01, 0x01, 0x00, 0x40, 0x02, 0x00, 0x40, 0x03, 0x04, 10, 0, 0, 1,
    ];
    attrs.extend_from_slice(extra);
    let mut body = vec![0, 0];
    body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    body.extend_from_slice(&attrs);
    body.extend_from_slice(&[0x08, 0x0a]);
    let mut m = vec![0xff; 16];
    m.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
    m.push(2);
    m.extend_from_slice(&body);
    m
}

#[test]
fn malformed_prefix_sid_is_discarded_and_the_route_kept() {
    for value in [
        &[][..],                                  // no TLV
        &[0x01, 0x00],                            // truncated TLV header
        &[0x01, 0x00, 0x08, 0, 0, 0, 0, 0, 0, 1], // TLV longer than the attribute
        &[0x01, 0x00, 0x06, 0, 0, 0, 0, 0, 1],    // Label-Index of 6 octets
        &[0x03, 0x00, 0x02, 0, 0],                // SRGB without a range
        &[0x03, 0x00, 0x07, 0, 0, 0, 0, 1, 0, 0], // SRGB of 2 + 5
        &[0x05, 0x00, 0x00],                      // SRv6 service without reserved octet
        &[0x05, 0x00, 0x04, 0, 0x01, 0x00, 0x00], // SID Information shorter than 21
    ] {
        let mut attr = vec![0xc0, 0x28, value.len() as u8];
        attr.extend_from_slice(value);
        let d = Message::decode(&update(&attr), &DecodeCtx::default()).unwrap();
        let issues: Vec<_> = d.issues.iter().map(|i| (i.code.0, i.action)).collect();
        assert_eq!(
            issues,
            vec![(0x28, Rfc7606Action::AttributeDiscard)],
            "{value:02x?}"
        );
        assert!(!d.treat_as_withdraw());
        let Message::Update(u) = &d.message else {
            panic!("not an UPDATE")
        };
        assert_eq!(u.nlri.len(), 1);
        assert!(!u
            .attributes
            .iter()
            .any(|a| matches!(a, Attribute::PrefixSid(_))));
    }
}

#[test]
fn conformance_prefix_sid_decodes_typed() {
    // conf-prefix-sid.msg line 1: C0 28 0A, Label-Index 777.
    let attr = [
        0xc0, 0x28, 0x0a, 0x01, 0x00, 0x07, 0x00, 0x00, 0x00, 0x00, 0x00, 0x03, 0x09,
    ];
    let bytes = update(&attr);
    let d = Message::decode(&bytes, &DecodeCtx::default()).unwrap();
    let Message::Update(u) = &d.message else {
        panic!("not an UPDATE")
    };
    let sid = u
        .attributes
        .iter()
        .find_map(|a| match a {
            Attribute::PrefixSid(s) => Some(s),
            _ => None,
        })
        .unwrap();
    assert_eq!(sid.label_index(), Some(777));
    let mut out = Vec::new();
    d.message
        .encode(&herald_wire::EncodeCtx::default(), &mut out)
        .unwrap();
    assert_eq!(out, bytes);
}
