//! The malformed-input table of `spec/malformed-messages.md`, rows 1–50 (and 51–53 where
//! they concern the codec), one test per row. Each asserts the RFC 7606 action, or the
//! exact NOTIFICATION (code, subcode, data) and the offset of the error.
//!
//! Rows left to other crates: 8 (FSM state), 12 (configured peer AS), 45 (negotiated
//! families) are decided by `herald-session`; only their NOTIFICATION mapping is tested
//! here. Row 35 ("ignore the routes") is reported as treat-as-withdraw: the routes are
//! not installed, and a previous announcement of them is withdrawn (RFC 7606 §2); 127/8
//! is accepted because loopback sessions use it, and "our own address" is the session's.

use herald_wire::attr::{AsPath, AsSegment, Origin, SegmentType};
use herald_wire::cap::Capability;
use herald_wire::message::notification::ADMIN_SHUTDOWN;
use herald_wire::message::RefreshSubtype;
use herald_wire::{
    frame, Afi, Asn, AttrCode, AttrFlags, Attribute, DecodeCtx, Decoded, Family, Message, Nlri,
    Notification, Rfc7606Action, Safi, WireError, WireErrorKind,
};

const MARKER: [u8; 16] = [0xff; 16];

fn msg(kind: u8, body: &[u8]) -> Vec<u8> {
    let mut m = MARKER.to_vec();
    m.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
    m.push(kind);
    m.extend_from_slice(body);
    m
}

/// An UPDATE from its three fields (the lengths are computed).
fn update(withdrawn: &[u8], attrs: &[u8], nlri: &[u8]) -> Vec<u8> {
    let mut body = (withdrawn.len() as u16).to_be_bytes().to_vec();
    body.extend_from_slice(withdrawn);
    body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    body.extend_from_slice(attrs);
    body.extend_from_slice(nlri);
    msg(2, &body)
}

/// ORIGIN IGP, empty AS_PATH, NEXT_HOP 10.0.0.1.
const BASE: [u8; 14] = [
    0x40, 0x01, 0x01, 0x00, 0x40, 0x02, 0x00, 0x40, 0x03, 0x04, 10, 0, 0, 1,
];
/// 10.0.0.0/8.
const NLRI: [u8; 2] = [0x08, 0x0a];

fn with_base(extra: &[u8]) -> Vec<u8> {
    let mut a = BASE.to_vec();
    a.extend_from_slice(extra);
    a
}

fn decode(bytes: &[u8]) -> Result<Decoded, WireError> {
    Message::decode(bytes, &DecodeCtx::default())
}

fn decode_with(bytes: &[u8], ctx: &DecodeCtx) -> Result<Decoded, WireError> {
    Message::decode(bytes, ctx)
}

fn ebgp() -> DecodeCtx {
    DecodeCtx {
        ibgp: Some(false),
        ..DecodeCtx::default()
    }
}

fn ibgp() -> DecodeCtx {
    DecodeCtx {
        ibgp: Some(true),
        ..DecodeCtx::default()
    }
}

/// The NOTIFICATION a fatal error calls for.
fn notification(e: &WireError) -> (u8, u8, Vec<u8>) {
    let n = Notification::from(e);
    (n.code, n.subcode, n.data)
}

fn reset(bytes: &[u8]) -> (u8, u8, Vec<u8>) {
    notification(&decode(bytes).expect_err("a session reset"))
}

/// The actions of the issues found, for the attribute codes concerned.
fn actions(d: &Decoded) -> Vec<(u8, Rfc7606Action)> {
    d.issues.iter().map(|i| (i.code.0, i.action)).collect()
}

fn attrs(d: &Decoded) -> &[Attribute] {
    match &d.message {
        Message::Update(u) => &u.attributes,
        other => panic!("not an UPDATE: {other:?}"),
    }
}

fn nlri(d: &Decoded) -> &[Nlri] {
    match &d.message {
        Message::Update(u) => &u.nlri,
        other => panic!("not an UPDATE: {other:?}"),
    }
}

fn open_body(version: u8, asn: u16, hold: u16, id: [u8; 4], params: &[u8]) -> Vec<u8> {
    let mut b = vec![version];
    b.extend_from_slice(&asn.to_be_bytes());
    b.extend_from_slice(&hold.to_be_bytes());
    b.extend_from_slice(&id);
    b.push(params.len() as u8);
    b.extend_from_slice(params);
    b
}

const TAW: Rfc7606Action = Rfc7606Action::TreatAsWithdraw;
const AD: Rfc7606Action = Rfc7606Action::AttributeDiscard;

#[test]
fn row_01_marker_not_all_ones() {
    let mut m = msg(4, &[]);
    m[5] = 0xfe;
    let e = frame(&m, 4096).unwrap_err();
    assert_eq!((e.offset, &e.kind), (0, &WireErrorKind::BadMarker));
    assert_eq!(notification(&e), (1, 1, vec![]));
    // Seen even before the whole header has arrived.
    assert!(frame(&m[..8], 4096).is_err());
    assert_eq!(frame(&m[..8 - 3], 4096), Ok(None));
}

#[test]
fn row_02_length_below_19() {
    let mut m = msg(4, &[]);
    m[17] = 18;
    let e = frame(&m, 4096).unwrap_err();
    assert_eq!(e.offset, 16);
    assert_eq!(notification(&e), (1, 2, vec![0, 18]));
}

#[test]
fn row_03_length_above_maximum() {
    let big = update(&[], &[], &vec![0x08; 5000]);
    let e = frame(&big, 4096).unwrap_err();
    assert_eq!(
        notification(&e),
        (1, 2, (big.len() as u16).to_be_bytes().to_vec())
    );
    assert_eq!(
        frame(&big, 65535),
        Ok(Some(big.len())),
        "extended message allows it"
    );
    let ctx = DecodeCtx {
        extended_message: true,
        ..DecodeCtx::default()
    };
    assert!(decode_with(&big, &ctx).is_ok());
    let open = msg(
        1,
        &open_body(4, 1, 90, [1, 1, 1, 1], &[0x02, 0x00].repeat(2100)[..254]),
    );
    let mut long_open = open;
    long_open.extend(vec![0; 5000]);
    let len = long_open.len() as u16;
    long_open[16..18].copy_from_slice(&len.to_be_bytes());
    let e = frame(&long_open, 65535).unwrap_err();
    assert_eq!(
        notification(&e),
        (1, 2, len.to_be_bytes().to_vec()),
        "OPEN > 4096 even with RFC 8654"
    );
}

#[test]
fn row_04_length_below_type_minimum() {
    for (kind, len) in [(1u8, 28u16), (2, 22), (3, 20), (4, 20)] {
        let mut m = MARKER.to_vec();
        m.extend_from_slice(&len.to_be_bytes());
        m.push(kind);
        m.resize(usize::from(len), 0);
        let e = frame(&m, 4096).unwrap_err();
        assert_eq!(
            notification(&e),
            (1, 2, len.to_be_bytes().to_vec()),
            "type {kind}"
        );
    }
}

#[test]
fn row_05_unknown_type() {
    for kind in [0u8, 7, 255] {
        let e = frame(&msg(kind, &[]), 4096).unwrap_err();
        assert_eq!(e.offset, 18);
        assert_eq!(notification(&e), (1, 3, vec![kind]));
    }
}

#[test]
fn row_06_route_refresh_bad_length() {
    let m = msg(5, &[0, 1, 0, 1, 0]);
    assert_eq!(
        reset(&m),
        (7, 1, m.clone()),
        "data is the whole message (RFC 7313 §5)"
    );
}

#[test]
fn row_07_route_refresh_for_any_family_decodes() {
    let d = decode(&msg(5, &[0x40, 0x04, 0x00, 0x47])).unwrap();
    assert_eq!(
        d.message,
        Message::RouteRefresh(herald_wire::RouteRefresh {
            family: Family::new(Afi::BGP_LS, Safi::BGP_LS),
            subtype: RefreshSubtype::Query,
        })
    );
    let d = decode(&msg(5, &[0, 1, 2, 1])).unwrap();
    assert!(matches!(d.message, Message::RouteRefresh(r) if r.subtype == RefreshSubtype::End));
}

#[test]
fn row_08_fsm_error_notification() {
    let e = WireError::new(0, WireErrorKind::FsmError(3));
    assert_eq!(notification(&e), (5, 3, vec![]));
}

#[test]
fn row_09_open_version_not_4() {
    let m = msg(1, &open_body(3, 65001, 90, [1, 2, 3, 4], &[]));
    let e = decode(&m).unwrap_err();
    assert_eq!(e.offset, 19);
    assert_eq!(notification(&e), (2, 1, vec![0, 4]));
}

#[test]
fn row_10_hold_time_1_or_2() {
    for hold in [1, 2] {
        let e = decode(&msg(1, &open_body(4, 65001, hold, [1, 2, 3, 4], &[]))).unwrap_err();
        assert_eq!(e.offset, 22);
        assert_eq!(notification(&e), (2, 6, vec![]));
    }
    assert!(
        decode(&msg(1, &open_body(4, 65001, 0, [1, 2, 3, 4], &[]))).is_ok(),
        "0 is legal"
    );
}

#[test]
fn row_11_bgp_identifier_zero() {
    let e = decode(&msg(1, &open_body(4, 65001, 90, [0; 4], &[]))).unwrap_err();
    assert_eq!(e.offset, 24);
    assert_eq!(notification(&e), (2, 3, vec![]));
}

#[test]
fn row_12_peer_as_after_as_trans() {
    // AS_TRANS in the OPEN, the real ASN in the capability: the session compares
    // `effective_asn()` with the configuration and sends (2,2) on mismatch.
    let params = [0x02, 0x06, 0x41, 0x04, 0x00, 0x01, 0x11, 0x70];
    let d = decode(&msg(1, &open_body(4, 23456, 90, [1, 2, 3, 4], &params))).unwrap();
    let Message::Open(open) = d.message else {
        panic!()
    };
    assert_eq!(open.effective_asn(), Asn(70000));
    let e = WireError::new(20, WireErrorKind::BadPeerAs(70000));
    assert_eq!(notification(&e), (2, 2, vec![]));
}

#[test]
fn row_13_unknown_optional_parameter() {
    let e = decode(&msg(1, &open_body(4, 1, 90, [1, 2, 3, 4], &[0x01, 0x00]))).unwrap_err();
    assert_eq!(e.offset, 29);
    assert_eq!(notification(&e), (2, 4, vec![]));
}

#[test]
fn row_14_capability_or_parameter_length_overrun() {
    // Capability length 9 in a parameter of 6.
    let e = decode(&msg(
        1,
        &open_body(
            4,
            1,
            90,
            [1, 2, 3, 4],
            &[0x02, 0x06, 0x41, 0x09, 0, 0, 0, 1],
        ),
    ))
    .unwrap_err();
    assert_eq!(notification(&e), (2, 0, vec![]));
    // Parameter length 8 with 2 octets left.
    let e = decode(&msg(1, &open_body(4, 1, 90, [1, 2, 3, 4], &[0x02, 0x08]))).unwrap_err();
    assert_eq!(notification(&e), (2, 0, vec![]));
    // Opt Parm Len beyond the message.
    let mut body = open_body(4, 1, 90, [1, 2, 3, 4], &[0x02, 0x00]);
    body[9] = 40;
    assert_eq!(reset(&msg(1, &body)), (2, 0, vec![]));
}

#[test]
fn row_15_rfc9072_extended_parameters_truncated() {
    // Opt Parm Len 255, type 255, extended length 0x0010 but only 4 octets follow.
    let mut body = open_body(4, 1, 90, [1, 2, 3, 4], &[]);
    body.truncate(9);
    body.extend_from_slice(&[0xff, 0xff, 0x00, 0x10, 0x02, 0x00, 0x02, 0x02]);
    assert_eq!(reset(&msg(1, &body)), (2, 0, vec![]));
    // Parameter length (two octets) overrunning the extended length.
    let mut body = open_body(4, 1, 90, [1, 2, 3, 4], &[]);
    body.truncate(9);
    body.extend_from_slice(&[0xff, 0xff, 0x00, 0x03, 0x02, 0x00, 0x08]);
    assert_eq!(reset(&msg(1, &body)), (2, 0, vec![]));
    // A well-formed extended encoding decodes.
    let mut body = open_body(4, 1, 90, [1, 2, 3, 4], &[]);
    body.truncate(9);
    body.extend_from_slice(&[0xff, 0xff, 0x00, 0x05, 0x02, 0x00, 0x02, 0x02, 0x00]);
    let Message::Open(open) = decode(&msg(1, &body)).unwrap().message else {
        panic!()
    };
    assert_eq!(open.capabilities, vec![Capability::RouteRefresh]);
}

#[test]
fn row_16_multiprotocol_or_asn4_capability_bad_length() {
    let e = decode(&msg(
        1,
        &open_body(4, 1, 90, [1, 2, 3, 4], &[0x02, 0x05, 0x01, 0x03, 0, 1, 0]),
    ))
    .unwrap_err();
    assert_eq!((e.offset, notification(&e)), (33, (2, 0, vec![])));
    let e = decode(&msg(
        1,
        &open_body(4, 1, 90, [1, 2, 3, 4], &[0x02, 0x04, 0x41, 0x02, 0, 1]),
    ))
    .unwrap_err();
    assert_eq!(notification(&e), (2, 0, vec![]));
}

#[test]
fn row_17_unknown_capability_is_kept() {
    let d = decode(&msg(
        1,
        &open_body(
            4,
            1,
            90,
            [1, 2, 3, 4],
            &[0x02, 0x04, 0xf0, 0x02, 0xab, 0xcd],
        ),
    ))
    .unwrap();
    let Message::Open(open) = d.message else {
        panic!()
    };
    assert_eq!(
        open.capabilities,
        vec![Capability::Unknown {
            code: 0xf0,
            data: vec![0xab, 0xcd]
        }]
    );
}

#[test]
fn row_18_withdrawn_routes_length_too_large() {
    let mut m = update(&[], &[], &[]);
    m[20] = 9;
    let e = decode(&m).unwrap_err();
    assert_eq!(e.offset, 19);
    assert_eq!(notification(&e), (3, 1, vec![]));
}

#[test]
fn row_19_total_path_attribute_length_too_large() {
    let mut m = update(&[], &BASE, &NLRI);
    m[22] += 3;
    let e = decode(&m).unwrap_err();
    assert_eq!(e.offset, 21);
    assert_eq!(notification(&e), (3, 1, vec![]));
}

#[test]
fn row_20_last_attribute_overruns_total_path_attribute_length() {
    // MED claims 4 octets, 2 are inside the attribute field; the NLRI is still found.
    let d = decode(&update(&[], &with_base(&[0x80, 0x04, 0x04, 0, 0]), &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(4, TAW)]);
    assert!(d.treat_as_withdraw());
    assert_eq!(nlri(&d), &[Nlri::prefix("10.0.0.0/8".parse().unwrap())]);
}

#[test]
fn row_21_too_few_octets_for_an_attribute_header() {
    let d = decode(&update(&[], &with_base(&[0x80, 0x04]), &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(4, TAW)]);
    // Extended-length flag with 3 octets left.
    let d = decode(&update(&[], &with_base(&[0x90, 0x04, 0x00]), &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(4, TAW)]);
}

#[test]
fn row_22_duplicate_attribute_keeps_the_first() {
    let d = decode(&update(&[], &with_base(&[0x40, 0x01, 0x01, 0x02]), &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(1, AD)]);
    assert!(!d.treat_as_withdraw());
    assert_eq!(attrs(&d)[0], Attribute::Origin(Origin::Igp));
    assert_eq!(attrs(&d).len(), 3);
}

#[test]
fn row_23_duplicate_mp_reach_or_unreach() {
    let unreach = [0x80, 0x0f, 0x03, 0x00, 0x02, 0x01];
    let e = decode(&update(&[], &[unreach, unreach].concat(), &[])).unwrap_err();
    assert_eq!(e.offset, 23 + 6);
    assert_eq!(notification(&e), (3, 1, vec![]));
    let reach = [0x80, 0x0e, 0x05, 0x00, 0x01, 0x01, 0x00, 0x00];
    assert_eq!(
        reset(&update(&[], &[reach, reach].concat(), &[])),
        (3, 1, vec![])
    );
}

#[test]
fn row_24_missing_mandatory_attributes() {
    // No ORIGIN.
    let d = decode(&update(&[], &BASE[4..], &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(1, TAW)]);
    // No NEXT_HOP with IPv4 NLRI.
    let d = decode(&update(&[], &BASE[..7], &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(3, TAW)]);
    // Only an unknown optional attribute.
    let d = decode(&update(&[], &[0xc0, 0xfa, 0x01, 0x00], &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(1, TAW), (2, TAW), (3, TAW)]);
    // Without NLRI nothing is mandatory.
    assert!(decode(&update(&[0x08, 0x0a], &[], &[]))
        .unwrap()
        .issues
        .is_empty());
}

#[test]
fn row_25_attribute_flags_conflict() {
    let mut a = BASE.to_vec();
    a[0] = 0xc0; // ORIGIN marked optional transitive
    let d = decode(&update(&[], &a, &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(1, TAW)]);
}

#[test]
fn row_26_unrecognised_well_known_attribute() {
    let e = decode(&update(&[], &with_base(&[0x40, 0x63, 0x01, 0x07]), &NLRI)).unwrap_err();
    assert_eq!(e.offset, 23 + 14);
    assert_eq!(notification(&e), (3, 2, vec![0x40, 0x63, 0x01, 0x07]));
}

#[test]
fn row_27_unknown_optional_transitive_is_kept_raw() {
    let d = decode(&update(
        &[],
        &with_base(&[0xe0, 0xfa, 0x02, 0xbe, 0xef]),
        &NLRI,
    ))
    .unwrap();
    assert!(d.issues.is_empty());
    assert_eq!(
        attrs(&d)[3],
        Attribute::Raw {
            flags: AttrFlags(0xe0),
            code: AttrCode(0xfa),
            data: vec![0xbe, 0xef]
        }
    );
}

#[test]
fn row_28_unknown_optional_non_transitive_is_not_an_error() {
    let d = decode(&update(&[], &with_base(&[0x80, 0xfb, 0x01, 0x01]), &NLRI)).unwrap();
    assert!(d.issues.is_empty());
    assert!(
        matches!(&attrs(&d)[3], Attribute::Raw { flags, .. } if !flags.has(AttrFlags::TRANSITIVE))
    );
}

#[test]
fn row_29_origin_length_or_value() {
    let mut a = BASE.to_vec();
    a[3] = 3;
    let d = decode(&update(&[], &a, &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(1, TAW)]);
    let d = decode(&update(
        &[],
        &[&[0x40, 0x01, 0x02, 0, 0][..], &BASE[4..]].concat(),
        &NLRI,
    ))
    .unwrap();
    assert_eq!(actions(&d), vec![(1, TAW)]);
}

#[test]
fn row_30_as_path_malformed_segments() {
    let cases: [&[u8]; 4] = [
        &[0x02, 0x00],                   // segment length 0
        &[0x02, 0x02, 0x00, 0x01],       // overrun
        &[0x02, 0x01, 0x00, 0x01, 0x00], // one octet left
        &[0x05, 0x01, 0x00, 0x01],       // unknown segment type
    ];
    for seg in cases {
        let mut a = BASE[..4].to_vec();
        a.extend_from_slice(&[0x40, 0x02, seg.len() as u8]);
        a.extend_from_slice(seg);
        a.extend_from_slice(&BASE[7..]);
        let d = decode(&update(&[], &a, &NLRI)).unwrap();
        assert_eq!(actions(&d), vec![(2, TAW)], "segment {seg:02x?}");
    }
}

#[test]
fn row_31_confed_segment_from_external_peer() {
    let mut a = BASE[..4].to_vec();
    a.extend_from_slice(&[0x40, 0x02, 0x04, 0x03, 0x01, 0xfd, 0xe8]);
    a.extend_from_slice(&BASE[7..]);
    let m = update(&[], &a, &NLRI);
    let d = decode_with(&m, &ebgp()).unwrap();
    assert_eq!(actions(&d), vec![(2, TAW)]);
    assert!(decode_with(&m, &ibgp()).unwrap().issues.is_empty());
}

#[test]
fn row_32_leftmost_as_is_not_the_peer() {
    let mut a = BASE[..4].to_vec();
    a.extend_from_slice(&[0x40, 0x02, 0x04, 0x02, 0x01, 0xfd, 0xe8]); // AS_SEQUENCE 65000
    a.extend_from_slice(&BASE[7..]);
    let m = update(&[], &a, &NLRI);
    let mut ctx = ebgp();
    ctx.first_as = Some(Asn(65001));
    assert_eq!(actions(&decode_with(&m, &ctx).unwrap()), vec![(2, TAW)]);
    ctx.first_as = Some(Asn(65000));
    assert!(decode_with(&m, &ctx).unwrap().issues.is_empty());
    // Check off (route server): no issue.
    assert!(decode_with(&m, &ebgp()).unwrap().issues.is_empty());
}

#[test]
fn row_33_as4_path_problems_are_discarded() {
    // AS4_PATH with a zero-length segment from an old speaker.
    let d = decode(&update(
        &[],
        &with_base(&[0xc0, 0x11, 0x02, 0x02, 0x00]),
        &NLRI,
    ))
    .unwrap();
    assert_eq!(actions(&d), vec![(17, AD)]);
    // AS4_PATH from a 4-octet speaker.
    let ctx = DecodeCtx {
        asn4: true,
        ..DecodeCtx::default()
    };
    let as4 = [0xc0, 0x11, 0x06, 0x02, 0x01, 0x00, 0x01, 0x11, 0x70];
    let d = decode_with(&update(&[], &with_base(&as4), &NLRI), &ctx).unwrap();
    assert_eq!(actions(&d), vec![(17, AD)]);
    // AS4_PATH before AS_PATH: merged, no panic.
    let mut a = BASE[..4].to_vec();
    a.extend_from_slice(&as4);
    a.extend_from_slice(&[0x40, 0x02, 0x06, 0x02, 0x02, 0xfd, 0xe8, 0x5b, 0xa0]); // 65000 23456
    a.extend_from_slice(&BASE[7..]);
    let d = decode(&update(&[], &a, &NLRI)).unwrap();
    assert!(d.issues.is_empty());
    assert_eq!(
        attrs(&d)[1],
        Attribute::AsPath(AsPath(vec![AsSegment {
            kind: SegmentType::Sequence,
            asns: vec![Asn(65000), Asn(70000)]
        }]))
    );
}

#[test]
fn row_34_next_hop_length() {
    let mut a = BASE[..7].to_vec();
    a.extend_from_slice(&[0x40, 0x03, 0x05, 10, 0, 0, 1, 0]);
    let d = decode(&update(&[], &a, &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(3, TAW)]);
}

#[test]
fn row_35_next_hop_semantically_invalid() {
    for nh in [[0, 0, 0, 0], [224, 0, 0, 5], [239, 255, 255, 255]] {
        let mut a = BASE.to_vec();
        a[10..14].copy_from_slice(&nh);
        let d = decode(&update(&[], &a, &NLRI)).unwrap();
        assert_eq!(actions(&d), vec![(3, TAW)], "{nh:?}");
        // Without NLRI the next hop does not matter.
        assert!(decode(&update(&[], &a, &[])).unwrap().issues.is_empty());
    }
    // 127/8 is accepted: loopback sessions use it (encoding/api-nexthop-self.msg).
    let mut a = BASE.to_vec();
    a[10..14].copy_from_slice(&[127, 0, 0, 1]);
    assert!(decode(&update(&[], &a, &NLRI)).unwrap().issues.is_empty());
}

#[test]
fn row_36_med_length() {
    let d = decode(&update(
        &[],
        &with_base(&[0x80, 0x04, 0x03, 0, 0, 1]),
        &NLRI,
    ))
    .unwrap();
    assert_eq!(actions(&d), vec![(4, TAW)]);
}

#[test]
fn row_37_local_pref_from_external_or_bad_length() {
    let lp = [0x40, 0x05, 0x04, 0, 0, 0, 100];
    let d = decode_with(&update(&[], &with_base(&lp), &NLRI), &ebgp()).unwrap();
    assert_eq!(actions(&d), vec![(5, AD)]);
    assert_eq!(attrs(&d).len(), 3, "discarded");
    let d = decode_with(
        &update(&[], &with_base(&[0x40, 0x05, 0x02, 0, 100]), &NLRI),
        &ibgp(),
    )
    .unwrap();
    assert_eq!(actions(&d), vec![(5, TAW)]);
}

#[test]
fn row_38_atomic_aggregate_and_aggregator_length() {
    let d = decode(&update(&[], &with_base(&[0x40, 0x06, 0x01, 0x00]), &NLRI)).unwrap();
    assert_eq!(actions(&d), vec![(6, AD)]);
    let d = decode(&update(
        &[],
        &with_base(&[0xc0, 0x07, 0x07, 0, 1, 0, 1, 2, 3, 4]),
        &NLRI,
    ))
    .unwrap();
    assert_eq!(actions(&d), vec![(7, AD)]);
    assert!(!d.treat_as_withdraw());
}

#[test]
fn row_39_community_lengths() {
    for extra in [
        &[0xc0, 0x08, 0x00][..],
        &[0xc0, 0x08, 0x05, 0, 0, 0, 1, 2],
        &[0xc0, 0x10, 0x07, 0, 0, 0, 0, 0, 0, 0],
        &[0xc0, 0x20, 0x0d, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    ] {
        let d = decode(&update(&[], &with_base(extra), &NLRI)).unwrap();
        assert_eq!(actions(&d), vec![(extra[1], TAW)]);
    }
}

#[test]
fn row_40_originator_id_and_cluster_list() {
    let oid = [0x80, 0x09, 0x04, 1, 1, 1, 1];
    let cl = [0x80, 0x0a, 0x04, 2, 2, 2, 2];
    let d = decode_with(
        &update(&[], &with_base(&[oid, cl].concat()), &NLRI),
        &ebgp(),
    )
    .unwrap();
    assert_eq!(actions(&d), vec![(9, AD), (10, AD)]);
    let d = decode_with(
        &update(&[], &with_base(&[oid, cl].concat()), &NLRI),
        &ibgp(),
    )
    .unwrap();
    assert!(d.issues.is_empty());
    let d = decode_with(
        &update(
            &[],
            &with_base(&[0x80, 0x09, 0x03, 1, 1, 1, 0x80, 0x0a, 0x03, 2, 2, 2]),
            &NLRI,
        ),
        &ibgp(),
    )
    .unwrap();
    assert_eq!(actions(&d), vec![(9, TAW), (10, TAW)]);
}

#[test]
fn row_41_prefix_length_too_long() {
    let e = decode(&update(&[], &BASE, &[0x21, 10, 0, 0, 0, 0])).unwrap_err();
    assert_eq!(e.offset, 23 + 14);
    assert_eq!(notification(&e), (3, 10, vec![]));
    // IPv6 /129 inside MP_REACH.
    let mut mp = vec![0x80, 0x0e, 0x00, 0x00, 0x02, 0x01, 0x10];
    mp.extend_from_slice(&[0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    mp.push(0);
    mp.push(129);
    mp.extend_from_slice(&[0xff; 17]);
    mp[2] = (mp.len() - 3) as u8;
    assert_eq!(
        reset(&update(&[], &[&BASE[..7], &mp[..]].concat(), &[])),
        (3, 10, vec![])
    );
}

#[test]
fn row_42_truncated_prefixes() {
    assert_eq!(reset(&update(&[], &BASE, &[0x18, 10, 0])), (3, 10, vec![]));
    assert_eq!(reset(&update(&[0x18, 10, 0], &[], &[])), (3, 1, vec![]));
}

#[test]
fn row_43_mp_reach_next_hop_length_inconsistent() {
    let mut mp = vec![0x80, 0x0e, 0x00, 0x00, 0x02, 0x01, 20];
    mp.extend_from_slice(&[0x20; 20]);
    mp.extend_from_slice(&[0, 0x20, 0x20, 0x01, 0x0d, 0xb8]);
    mp[2] = (mp.len() - 3) as u8;
    let e = decode(&update(&[], &[&BASE[..7], &mp[..]].concat(), &[])).unwrap_err();
    assert_eq!(e.offset, 23 + 7 + 7);
    assert_eq!(notification(&e), (3, 1, vec![]));
}

#[test]
fn row_44_mp_attributes_too_short() {
    assert_eq!(
        reset(&update(&[], &[0x80, 0x0e, 0x04, 0, 1, 1, 4], &[])),
        (3, 1, vec![])
    );
    assert_eq!(
        reset(&update(&[], &[0x80, 0x0f, 0x02, 0, 1], &[])),
        (3, 1, vec![])
    );
}

#[test]
fn row_45_mp_reach_of_an_unknown_family_is_kept_opaque() {
    let mp = [
        0x80, 0x0e, 0x0b, 0x00, 0x01, 0xf0, 0x04, 10, 0, 0, 1, 0, 0xaa, 0xbb,
    ];
    let d = decode(&update(&[], &[&BASE[..7], &mp[..]].concat(), &[])).unwrap();
    assert!(d.issues.is_empty());
    let Message::Update(u) = d.message else {
        panic!()
    };
    let reach = u.mp_reach().unwrap();
    assert_eq!(reach.family, Family::new(Afi::IPV4, Safi(0xf0)));
    assert_eq!(reach.nlri, vec![Nlri::Opaque(vec![0xaa, 0xbb])]);
}

/// An MP_REACH_NLRI attribute of IPv4 `family` (SAFI) with next hop `nh` and `nlri`.
fn mp_reach(safi: u8, nh: &[u8], nlri: &[u8]) -> Vec<u8> {
    let mut v = vec![0x80, 0x0e, 0, 0x00, 0x01, safi, nh.len() as u8];
    v.extend_from_slice(nh);
    v.push(0);
    v.extend_from_slice(nlri);
    v[2] = (v.len() - 3) as u8;
    v
}

#[test]
fn row_46_labeled_unicast_without_bottom_of_stack() {
    // Three labels, none with the S bit, then /8 (RFC 8277 §2; FRR CVE-2023-38407 class).
    let nlri = [0x50, 0, 1, 0, 0, 2, 0, 0, 3, 0, 10];
    let bad = mp_reach(4, &[10, 0, 0, 1], &nlri);
    let e = decode(&update(&[], &[&BASE[..7], &bad[..]].concat(), &[])).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
    // A prefix longer than the address once the label is taken out.
    let nlri = [0x40, 0, 0, 0x11, 10, 0, 0, 1, 1];
    let bad = mp_reach(4, &[10, 0, 0, 1], &nlri);
    let e = decode(&update(&[], &[&BASE[..7], &bad[..]].concat(), &[])).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
    // The same label with a /32 is fine.
    let nlri = [0x38, 0, 0, 0x11, 10, 0, 0, 1];
    let good = mp_reach(4, &[10, 0, 0, 1], &nlri);
    let d = decode(&update(&[], &[&BASE[..7], &good[..]].concat(), &[])).unwrap();
    assert!(d.issues.is_empty());
}

#[test]
fn row_47_vpn_nlri_shorter_than_label_and_rd() {
    let nh = [0, 0, 0, 0, 0, 0, 0, 0, 10, 0, 0, 1];
    // Length 56 bits: a label and part of an RD, less than the RD alone.
    let nlri = [0x38, 0, 0, 0x11, 0, 0, 0, 1];
    let bad = mp_reach(128, &nh, &nlri);
    let e = decode(&update(&[], &[&BASE[..7], &bad[..]].concat(), &[])).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
    // Length 80 bits but the entry stops inside the prefix: truncated, (3,1) in an MP
    // attribute (RFC 7606 §7.11).
    let nlri = [0x50, 0, 0, 0x11, 0, 0, 0, 1, 0, 0];
    let bad = mp_reach(128, &nh, &nlri);
    let e = decode(&update(&[], &[&BASE[..7], &bad[..]].concat(), &[])).unwrap_err();
    assert_eq!(notification(&e), (3, 1, vec![]));
    // In a withdrawal too.
    let unreach = [0x80, 0x0f, 0x07, 0x00, 0x01, 128, 0x38, 0, 0, 0x11];
    let e = decode(&update(&[], &unreach, &[])).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
}

#[test]
fn row_48_flowspec_malformed_component_is_treat_as_withdraw() {
    // Framing intact, value malformed: no component (FRR CVE-2023-38406), a repeated
    // type, types out of order, an unknown type, a value too large for its field.
    for value in [
        &[][..],
        &[0x03, 0x81, 0x06, 0x03, 0x81, 0x11][..],
        &[0x05, 0x81, 0x50, 0x03, 0x81, 0x06][..],
        &[0x0e, 0x81, 0x00][..],
        &[0x03, 0x91, 0x01, 0x06][..],
    ] {
        let mut nlri = vec![value.len() as u8];
        nlri.extend_from_slice(value);
        let reach = mp_reach(133, &[], &nlri);
        let d = decode(&update(&[], &[&BASE[..7], &reach[..]].concat(), &[])).unwrap();
        assert!(d.treat_as_withdraw(), "{value:02x?}");
    }
    // The 0xf0 extended length boundary: 0xf0 0x06 is a 6-octet value.
    let reach = mp_reach(133, &[], &[0xf0, 0x07, 0x01, 0x20, 10, 0, 0, 1]);
    let e = decode(&update(&[], &[&BASE[..7], &reach[..]].concat(), &[])).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
    let reach = mp_reach(133, &[], &[0xf0, 0x06, 0x01, 0x20, 10, 0, 0, 1]);
    let d = decode(&update(&[], &[&BASE[..7], &reach[..]].concat(), &[])).unwrap();
    assert!(!d.treat_as_withdraw() && d.issues.is_empty());
    // The length overruns the NLRI field: framing lost, (3,10).
    let reach = mp_reach(133, &[], &[0x09, 0x01, 0x20, 10, 0, 0, 1]);
    let e = decode(&update(&[], &[&BASE[..7], &reach[..]].concat(), &[])).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
}

/// An MP_REACH_NLRI attribute of L2VPN (AFI 25) `safi` with next hop 10.0.0.1 and `nlri`.
fn l2vpn_reach(safi: u8, nlri: &[u8]) -> Vec<u8> {
    let mut v = mp_reach(safi, &[10, 0, 0, 1], nlri);
    v[3..5].copy_from_slice(&25u16.to_be_bytes());
    v
}

/// An EVPN MAC/IP Advertisement route (RFC 7432 §7.2) with MAC length `mac_bits`, no IP
/// address and one label: 33 octets after its type and length.
fn evpn_mac(mac_bits: u8) -> Vec<u8> {
    let mut v = vec![2, 33];
    v.extend_from_slice(&[0, 0, 0xfd, 0xe8, 0, 0, 0, 1]); // RD 65000:1
    v.extend_from_slice(&[0; 10]); // ESI
    v.extend_from_slice(&[0; 4]); // Ethernet Tag
    v.push(mac_bits);
    v.extend_from_slice(&[0x00, 0x11, 0x22, 0x33, 0x44, 0x55]);
    v.push(0); // no IP address
    v.extend_from_slice(&[0, 0x03, 0xe9]); // label 62
    v
}

#[test]
fn row_49_evpn_route_length_mismatch_is_treat_as_withdraw() {
    let decoded = |nlri: &[u8]| {
        let reach = l2vpn_reach(70, nlri);
        decode(&update(&[], &[&BASE[..7], &reach[..]].concat(), &[]))
    };
    // A well-formed MAC/IP route and an Inclusive Multicast route (RFC 7432 §7.3).
    let mut imet = vec![3, 17, 0, 0, 0xfd, 0xe8, 0, 0, 0, 2, 0, 0, 0, 0, 32];
    imet.extend_from_slice(&[192, 0, 2, 1]);
    let good = [evpn_mac(48), imet.clone()].concat();
    let d = decoded(&good).unwrap();
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    // MAC length 47 (RFC 7432 §7.2 says 48): the framing holds, the route is malformed.
    let d = decoded(&[evpn_mac(47), imet.clone()].concat()).unwrap();
    assert!(d.treat_as_withdraw());
    // An Inclusive Multicast route whose IP length says IPv6 but holds 4 octets.
    let mut bad = imet.clone();
    bad[14] = 128;
    assert!(decoded(&bad).unwrap().treat_as_withdraw());
    // An Ethernet A-D route (RFC 7432 §7.1) of 24 octets instead of 25.
    let mut ad = vec![1, 24];
    ad.extend_from_slice(&[0; 24]);
    assert!(decoded(&ad).unwrap().treat_as_withdraw());
    // An unknown route type is not an error: kept, the UPDATE accepted.
    let unknown = [&[0xf0, 3, 1, 2, 3][..], &imet[..]].concat();
    let d = decoded(&unknown).unwrap();
    assert!(d.issues.is_empty() && !d.treat_as_withdraw());
    // A route length overrunning the field: framing lost, (3,10).
    let mut overrun = evpn_mac(48);
    overrun[1] = 40;
    let e = decoded(&overrun).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
    // A withdrawal with a malformed route is treat-as-withdraw as well.
    let mut unreach = vec![0x80, 0x0f, 0, 0x00, 25, 70];
    unreach.extend_from_slice(&evpn_mac(40));
    unreach[2] = (unreach.len() - 3) as u8;
    assert!(decode(&update(&[], &unreach, &[]))
        .unwrap()
        .treat_as_withdraw());
}

#[test]
fn row_50_vpls_nlri_length_not_17_is_treat_as_withdraw() {
    let decoded = |nlri: &[u8]| {
        let reach = l2vpn_reach(65, nlri);
        decode(&update(&[], &[&BASE[..7], &reach[..]].concat(), &[]))
    };
    // RFC 4761 §3.2.2: length 17, RD, VE ID, VE Block Offset, VE Block Size, Label Base.
    let mut vpls = vec![0, 17, 0, 0, 0xfd, 0xe8, 0, 0, 0, 1];
    vpls.extend_from_slice(&[0, 1, 0, 0, 0, 10, 0x01, 0x86, 0xa1]);
    let d = decoded(&vpls).unwrap();
    assert!(d.issues.is_empty(), "{:?}", d.issues);
    // Length 16 with 16 octets: framing intact, NLRI malformed.
    let mut short = vpls.clone();
    short[1] = 16;
    short.pop();
    assert!(decoded(&short).unwrap().treat_as_withdraw());
    // A second entry of length 18.
    let mut long = vpls.clone();
    long.extend_from_slice(&[0, 18]);
    long.extend_from_slice(&[0; 18]);
    assert!(decoded(&long).unwrap().treat_as_withdraw());
    // Length 17 with 16 octets left: framing lost, (3,10).
    let mut cut = vpls.clone();
    cut.pop();
    let e = decoded(&cut).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
}

#[test]
fn row_51_vpn_path_identifier_missing() {
    let vpn = Family::new(Afi::IPV4, Safi::MPLS_VPN);
    let ctx = DecodeCtx {
        add_path: vec![vpn],
        ..DecodeCtx::default()
    };
    let unreach = [0x80, 0x0f, 0x05, 0x00, 0x01, 128, 0, 0];
    let e = decode_with(&update(&[], &unreach, &[]), &ctx).unwrap_err();
    assert_eq!(notification(&e), (3, 1, vec![]));
}

#[test]
fn row_51_add_path_identifier_missing() {
    let ctx = DecodeCtx {
        add_path: vec![Family::IPV4_UNICAST],
        ..DecodeCtx::default()
    };
    let e = decode_with(&update(&[], &BASE, &[0, 0, 1]), &ctx).unwrap_err();
    assert_eq!(notification(&e), (3, 10, vec![]));
    let e = decode_with(&update(&[0, 0], &[], &[]), &ctx).unwrap_err();
    assert_eq!(notification(&e), (3, 1, vec![]));
}

#[test]
fn row_52_end_of_rib_is_not_an_error() {
    let d = decode(&update(&[], &[], &[])).unwrap();
    assert!(d.issues.is_empty());
    let d = decode(&update(&[], &[0x80, 0x0f, 0x03, 0x00, 0x02, 0x01], &[])).unwrap();
    assert!(d.issues.is_empty());
    let Message::Update(u) = d.message else {
        panic!()
    };
    assert_eq!(u.is_end_of_rib(), Some(Family::IPV6_UNICAST));
}

#[test]
fn row_53_notification_text_never_panics() {
    let bad_utf8 = decode(&msg(3, &[6, ADMIN_SHUTDOWN, 4, 0xff, 0xfe, b'a', b'b'])).unwrap();
    let Message::Notification(n) = bad_utf8.message else {
        panic!()
    };
    assert_eq!(n.shutdown_text().as_deref(), Some("\u{fffd}\u{fffd}ab"));
    // Length beyond the data: cut, no panic.
    let n = Notification::new(6, 2, vec![200, b'h', b'i']);
    assert_eq!(n.shutdown_text().as_deref(), Some("hi"));
    // Unknown code decodes.
    assert!(decode(&msg(3, &[99, 99])).is_ok());
    let long = "é".repeat(200);
    let n = Notification::cease(ADMIN_SHUTDOWN, &long);
    assert_eq!(
        n.data[0], 254,
        "cut at a character boundary within 255 octets"
    );
    assert_eq!(n.shutdown_text().unwrap().chars().count(), 127);
}
