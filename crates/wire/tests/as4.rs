//! RFC 6793: AS_PATH / AGGREGATOR to and from speakers without the 4-octet ASN
//! capability. Expected bytes come from ExaBGP 5.0.15's own encoder
//! (`ASPath.pack` / `Aggregator.pack` with `negotiated.asn4` false and true).

use std::net::Ipv4Addr;

use herald_wire::attr::{Aggregator, AsPath, AsSegment, Origin, SegmentType};
use herald_wire::{
    encode_attributes, Asn, AttrCode, Attribute, DecodeCtx, EncodeCtx, Message, Nlri,
    Rfc7606Action, Update,
};

fn hex(s: impl AsRef<str>) -> Vec<u8> {
    let s = s.as_ref();
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

fn seg(kind: SegmentType, asns: &[u32]) -> AsSegment {
    AsSegment {
        kind,
        asns: asns.iter().map(|a| Asn(*a)).collect(),
    }
}

fn sample_path() -> AsPath {
    AsPath(vec![
        seg(SegmentType::ConfedSequence, &[65010]),
        seg(SegmentType::Sequence, &[70000, 100]),
        seg(SegmentType::Set, &[200, 4_200_000_000]),
    ])
}

fn ctx(asn4: bool) -> EncodeCtx {
    EncodeCtx {
        asn4,
        ..EncodeCtx::default()
    }
}

#[test]
fn as_path_to_an_old_speaker_gets_as_trans_and_as4_path() {
    let mut out = Vec::new();
    encode_attributes(&[Attribute::AsPath(sample_path())], &ctx(false), &mut out).unwrap();
    assert_eq!(
        out,
        hex("4002100301fdf202025ba00064010200c85ba0c01114020200011170000000640102000000c8fa56ea00")
    );
}

#[test]
fn as_path_to_a_new_speaker_is_four_octets() {
    let mut out = Vec::new();
    encode_attributes(&[Attribute::AsPath(sample_path())], &ctx(true), &mut out).unwrap();
    assert_eq!(
        out,
        hex("40021a03010000fdf2020200011170000000640102000000c8fa56ea00")
    );
}

#[test]
fn aggregator_to_an_old_speaker_gets_as4_aggregator() {
    let agg = Attribute::Aggregator(Aggregator {
        asn: Asn(4_200_000_001),
        ip: Ipv4Addr::new(10, 0, 0, 9),
    });
    let mut out = Vec::new();
    encode_attributes(&[agg], &ctx(false), &mut out).unwrap();
    assert_eq!(out, hex("c007065ba00a000009c01208fa56ea010a000009"));
}

#[test]
fn old_speaker_update_round_trips_through_reconciliation() {
    let update = Update {
        withdrawn: vec![],
        attributes: vec![
            Attribute::Origin(Origin::Igp),
            Attribute::AsPath(sample_path()),
            Attribute::NextHop(Ipv4Addr::new(10, 0, 0, 1)),
            Attribute::Aggregator(Aggregator {
                asn: Asn(4_200_000_001),
                ip: Ipv4Addr::new(10, 0, 0, 9),
            }),
        ],
        nlri: vec![Nlri::prefix("10.1.0.0/16".parse().unwrap())],
    };
    let bytes = Message::Update(update.clone())
        .to_bytes(&ctx(false))
        .unwrap();
    let decoded = Message::decode(&bytes, &DecodeCtx::default()).unwrap();
    assert_eq!(decoded.issues, vec![]);
    assert_eq!(decoded.message, Message::Update(update));
}

fn decode_attrs(attrs: &[u8]) -> herald_wire::Decoded {
    let mut body = vec![0, 0];
    body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    body.extend_from_slice(attrs);
    let mut m = vec![0xff; 16];
    m.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
    m.push(2);
    m.extend_from_slice(&body);
    Message::decode(&m, &DecodeCtx::default()).unwrap()
}

fn as_path(d: &herald_wire::Decoded) -> AsPath {
    let Message::Update(u) = &d.message else {
        panic!()
    };
    match u.attribute(AttrCode::AS_PATH) {
        Some(Attribute::AsPath(p)) => p.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn old_speakers_prepends_are_kept_in_front_of_as4_path() {
    // AS_PATH 100 200 23456, AS4_PATH 70000: two ASNs were prepended by old speakers.
    let d = decode_attrs(&hex(concat!(
        "4002080203006400c85ba0",
        "c01106020100011170"
    )));
    assert_eq!(
        as_path(&d),
        AsPath(vec![seg(SegmentType::Sequence, &[100, 200, 70000])])
    );
}

#[test]
fn as4_path_longer_than_as_path_is_ignored() {
    // AS_PATH 100, AS4_PATH 70000 110.
    let d = decode_attrs(&hex(concat!(
        "4002040201 0064",
        "c0110a020200011170 0000006e"
    )
    .replace(' ', "")));
    assert_eq!(
        as_path(&d),
        AsPath(vec![seg(SegmentType::Sequence, &[100])])
    );
    assert_eq!(d.issues.len(), 1);
    assert_eq!(d.issues[0].action, Rfc7606Action::AttributeDiscard);
}

#[test]
fn aggregator_not_as_trans_voids_the_as4_attributes() {
    // AGGREGATOR 100/1.1.1.1, AS4_AGGREGATOR 70000/2.2.2.2, AS_PATH 23456, AS4_PATH 70000.
    let attrs = hex(concat!(
        "40020402015ba0",
        "c007060064010101 01",
        "c0120800011170 02020202",
        "c01106020100011170"
    )
    .replace(' ', ""));
    let d = decode_attrs(&attrs);
    assert_eq!(
        as_path(&d),
        AsPath(vec![seg(SegmentType::Sequence, &[23456])])
    );
    let Message::Update(u) = &d.message else {
        panic!()
    };
    assert_eq!(
        u.attribute(AttrCode::AGGREGATOR),
        Some(&Attribute::Aggregator(Aggregator {
            asn: Asn(100),
            ip: Ipv4Addr::new(1, 1, 1, 1)
        }))
    );
}
