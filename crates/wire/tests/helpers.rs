//! The helpers other crates use: End-of-RIB, treat-as-withdraw, NOTIFICATION builders,
//! framing of partial input, NLRI sizes.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use herald_wire::attr::{MpReach, MpUnreach, Origin};
use herald_wire::message::notification::{ADMIN_RESET, ADMIN_SHUTDOWN};
use herald_wire::{
    frame, Attribute, DecodeCtx, EncodeCtx, EncodeError, Family, Message, Nlri, Notification,
    PathId, Update,
};

fn pfx(s: &str) -> Nlri {
    Nlri::prefix(s.parse().unwrap())
}

#[test]
fn end_of_rib_bytes_match_exabgp() {
    // encoding/conf-attributes.msg lines 1–2 (ExaBGP's EoR uses an extended length).
    let ctx = EncodeCtx::default();
    let v4 = Message::Update(Update::end_of_rib(Family::IPV4_UNICAST))
        .to_bytes(&ctx)
        .unwrap();
    assert_eq!(&v4[16..], &[0x00, 0x17, 0x02, 0, 0, 0, 0]);
    let v6 = Message::Update(Update::end_of_rib(Family::IPV6_UNICAST))
        .to_bytes(&ctx)
        .unwrap();
    assert_eq!(
        &v6[16..],
        &[0x00, 0x1e, 0x02, 0, 0, 0, 7, 0x90, 0x0f, 0, 3, 0, 2, 1]
    );
}

#[test]
fn not_end_of_rib() {
    let mut u = Update::end_of_rib(Family::IPV6_UNICAST);
    u.nlri.push(pfx("10.0.0.0/8"));
    assert_eq!(u.is_end_of_rib(), None);
    let u = Update {
        attributes: vec![Attribute::Origin(Origin::Igp)],
        ..Update::default()
    };
    assert_eq!(u.is_end_of_rib(), None);
}

#[test]
fn into_withdraw_moves_every_route_to_withdrawn() {
    let u = Update {
        withdrawn: vec![pfx("10.9.0.0/16")],
        attributes: vec![
            Attribute::Origin(Origin::Igp),
            Attribute::MpReach(MpReach {
                family: Family::IPV6_UNICAST,
                next_hop: vec![IpAddr::V6(Ipv6Addr::LOCALHOST)],
                nlri: vec![pfx("2001:db8::/32")],
            }),
            Attribute::MpUnreach(MpUnreach {
                family: Family::IPV6_UNICAST,
                nlri: vec![pfx("2001:db9::/32")],
            }),
            Attribute::NextHop(Ipv4Addr::new(10, 0, 0, 1)),
        ],
        nlri: vec![pfx("10.1.0.0/16")],
    };
    let w = u.into_withdraw();
    assert_eq!(w.withdrawn, vec![pfx("10.9.0.0/16"), pfx("10.1.0.0/16")]);
    assert!(w.nlri.is_empty());
    assert_eq!(
        w.attributes,
        vec![Attribute::MpUnreach(MpUnreach {
            family: Family::IPV6_UNICAST,
            nlri: vec![pfx("2001:db8::/32"), pfx("2001:db9::/32")],
        })]
    );
    // Still encodable: one MP_UNREACH.
    assert!(Message::Update(w).to_bytes(&EncodeCtx::default()).is_ok());
}

#[test]
fn cease_with_shutdown_communication() {
    let n = Notification::cease(ADMIN_SHUTDOWN, "maintenance");
    assert_eq!((n.code, n.subcode), (6, 2));
    assert_eq!(n.data[0], 11);
    assert_eq!(&n.data[1..], b"maintenance");
    assert_eq!(n.shutdown_text().as_deref(), Some("maintenance"));
    assert_eq!(Notification::cease(ADMIN_RESET, "").data, Vec::<u8>::new());
    assert_eq!(Notification::new(6, 3, vec![1, b'x']).shutdown_text(), None);
    let bytes = Message::Notification(n.clone())
        .to_bytes(&EncodeCtx::default())
        .unwrap();
    let d = Message::decode(&bytes, &DecodeCtx::default()).unwrap();
    assert_eq!(d.message, Message::Notification(n));
}

#[test]
fn frame_waits_for_whole_messages() {
    let ka = Message::Keepalive.to_bytes(&EncodeCtx::default()).unwrap();
    assert_eq!(ka.len(), 19);
    assert_eq!(frame(&ka[..10], 4096), Ok(None));
    assert_eq!(frame(&ka[..18], 4096), Ok(None));
    assert_eq!(frame(&ka, 4096), Ok(Some(19)));
    let mut two = ka.clone();
    two.extend_from_slice(&ka[..5]);
    assert_eq!(frame(&two, 4096), Ok(Some(19)), "only the first message");
    let upd = Message::Update(Update::end_of_rib(Family::IPV6_UNICAST))
        .to_bytes(&EncodeCtx::default())
        .unwrap();
    assert_eq!(frame(&upd[..25], 4096), Ok(None));
}

#[test]
fn decode_rejects_a_slice_that_is_not_one_message() {
    let mut ka = Message::Keepalive.to_bytes(&EncodeCtx::default()).unwrap();
    ka.push(0);
    assert!(Message::decode(&ka, &DecodeCtx::default()).is_err());
}

#[test]
fn nlri_encoded_len_matches_encoding() {
    for (n, fam, add_path) in [
        (pfx("10.0.0.0/8"), Family::IPV4_UNICAST, false),
        (pfx("10.0.0.0/9"), Family::IPV4_UNICAST, true),
        (pfx("0.0.0.0/0"), Family::IPV4_UNICAST, false),
        (pfx("2001:db8::1/128"), Family::IPV6_UNICAST, true),
        (
            Nlri::Prefix {
                path_id: Some(PathId(9)),
                prefix: "192.0.2.0/24".parse().unwrap(),
            },
            Family::IPV4_MULTICAST,
            true,
        ),
    ] {
        let mut out = Vec::new();
        n.encode(fam, add_path, &mut out).unwrap();
        assert_eq!(n.encoded_len(fam, add_path), out.len(), "{n:?}");
    }
}

#[test]
fn oversized_update_is_refused_and_leaves_the_buffer_alone() {
    let nlri: Vec<Nlri> = (0..2000u32)
        .map(|i| Nlri::prefix(format!("10.{}.{}.0/24", i / 256, i % 256).parse().unwrap()))
        .collect();
    let u = Message::Update(Update {
        nlri,
        ..Update::default()
    });
    let mut out = vec![1, 2, 3];
    let e = u.encode(&EncodeCtx::default(), &mut out).unwrap_err();
    assert!(matches!(e, EncodeError::MessageTooLong { max: 4096, .. }));
    assert_eq!(out, vec![1, 2, 3]);
    let ext = EncodeCtx {
        extended_message: true,
        ..EncodeCtx::default()
    };
    assert!(u.encode(&ext, &mut out).is_ok());
}
