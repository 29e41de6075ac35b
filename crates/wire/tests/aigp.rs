//! AIGP_SESSION (RFC 7311 §3.1, §3.2): the AIGP attribute is read and sent only on a session
//! where it is enabled; elsewhere a received one is quietly ignored (as an unrecognised
//! non-transitive attribute) and an outgoing one is left out.
//!
//! The bytes are built by hand from RFC 7311 §3 (flags 0x80, type 26, TLV type 1, length
//! 11, eight-octet metric) and RFC 4271 §4.3, not from Herald's encoder.

use herald_wire::attr::Origin;
use herald_wire::{
    AttrCode, Attribute, DecodeCtx, Decoded, EncodeCtx, Message, Nlri, Rfc7606Action, Update,
    WireErrorKind,
};

const MARKER: [u8; 16] = [0xff; 16];

/// ORIGIN IGP, empty AS_PATH, NEXT_HOP 10.0.0.1.
const BASE: [u8; 14] = [
    0x40, 0x01, 0x01, 0x00, 0x40, 0x02, 0x00, 0x40, 0x03, 0x04, 10, 0, 0, 1,
];
/// AIGP, optional non-transitive, one AIGP TLV with metric 0x1234.
const AIGP: [u8; 14] = [
    0x80, 0x1a, 0x0b, 0x01, 0x00, 0x0b, 0, 0, 0, 0, 0, 0, 0x12, 0x34,
];
/// 10.0.0.0/8.
const NLRI: [u8; 2] = [0x08, 0x0a];

/// An UPDATE announcing 10.0.0.0/8 with BASE and `extra` attributes.
fn update(extra: &[u8]) -> Vec<u8> {
    let mut attrs = BASE.to_vec();
    attrs.extend_from_slice(extra);
    let mut body = vec![0, 0];
    body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    body.extend_from_slice(&attrs);
    body.extend_from_slice(&NLRI);
    let mut m = MARKER.to_vec();
    m.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
    m.push(2);
    m.extend_from_slice(&body);
    m
}

fn ctx(aigp: bool) -> DecodeCtx {
    DecodeCtx {
        asn4: true,
        aigp,
        ..DecodeCtx::default()
    }
}

fn attrs(d: &Decoded) -> &[Attribute] {
    match &d.message {
        Message::Update(u) => &u.attributes,
        other => panic!("not an UPDATE: {other:?}"),
    }
}

#[test]
fn received_on_an_enabled_session_it_is_kept() {
    let d = Message::decode(&update(&AIGP), &ctx(true)).unwrap();
    assert!(d.issues.is_empty());
    assert_eq!(attrs(&d).last(), Some(&Attribute::Aigp(0x1234)));
}

#[test]
fn received_on_a_disabled_session_it_is_quietly_ignored() {
    let d = Message::decode(&update(&AIGP), &ctx(false)).unwrap();
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    assert_eq!(attrs(&d).len(), 3);
    assert!(!attrs(&d).iter().any(|a| a.code() == AttrCode::AIGP));
    // The route itself is still announced.
    match &d.message {
        Message::Update(u) => assert_eq!(u.nlri, vec![Nlri::prefix("10.0.0.0/8".parse().unwrap())]),
        other => panic!("not an UPDATE: {other:?}"),
    }
}

#[test]
fn default_context_is_disabled_as_for_an_ebgp_session() {
    assert!(!DecodeCtx::default().aigp);
    assert!(!EncodeCtx::default().aigp);
}

#[test]
fn a_malformed_aigp_on_a_disabled_session_is_not_even_read() {
    // TLV length 12 for the AIGP TLV (RFC 7311 §3.2: malformed → discarded with an issue
    // where enabled; ignored unread where not).
    let bad = [
        0x80, 0x1a, 0x0c, 0x01, 0x00, 0x0c, 0, 0, 0, 0, 0, 0, 0x12, 0x34, 0,
    ];
    let enabled = Message::decode(&update(&bad), &ctx(true)).unwrap();
    assert_eq!(enabled.issues.len(), 1);
    assert_eq!(enabled.issues[0].action, Rfc7606Action::AttributeDiscard);
    let disabled = Message::decode(&update(&bad), &ctx(false)).unwrap();
    assert!(disabled.issues.is_empty(), "{:?}", disabled.issues);
    assert_eq!(attrs(&disabled).len(), 3);
}

#[test]
fn an_aigp_with_well_known_flags_on_a_disabled_session_is_an_unrecognised_well_known() {
    // As an unrecognised attribute (§3.2) with the Optional bit clear: RFC 4271 §6.3 (3,2).
    let mut well_known = AIGP;
    well_known[0] = 0x40;
    let e = Message::decode(&update(&well_known), &ctx(false)).unwrap_err();
    assert!(
        matches!(
            e.kind,
            WireErrorKind::UnrecognizedWellKnown { code: 26, .. }
        ),
        "{e:?}"
    );
}

fn announce_with_aigp() -> Message {
    Message::Update(Update {
        attributes: vec![
            Attribute::Origin(Origin::Igp),
            Attribute::NextHop([10, 0, 0, 1].into()),
            Attribute::Aigp(0x1234),
        ],
        nlri: vec![Nlri::prefix("10.0.0.0/8".parse().unwrap())],
        ..Update::default()
    })
}

#[test]
fn sent_on_an_enabled_session_it_is_one_aigp_tlv() {
    let ctx = EncodeCtx {
        asn4: true,
        aigp: true,
        ..EncodeCtx::default()
    };
    let bytes = announce_with_aigp().to_bytes(&ctx).unwrap();
    assert!(bytes.windows(AIGP.len()).any(|w| w == AIGP), "{bytes:02x?}");
}

#[test]
fn never_sent_on_a_disabled_session() {
    let ctx = EncodeCtx {
        asn4: true,
        ..EncodeCtx::default()
    };
    let bytes = announce_with_aigp().to_bytes(&ctx).unwrap();
    assert!(!bytes.windows(2).any(|w| w == [0x80, 0x1a]), "{bytes:02x?}");
    // ORIGIN (4) + NEXT_HOP (7) only.
    assert_eq!(&bytes[21..23], &[0, 11]);
}
