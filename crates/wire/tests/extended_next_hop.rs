//! RFC 8950 on the encoding side: an IPv4 route with an IPv6 next hop goes into MP_REACH
//! only when the Extended Next Hop Encoding capability was negotiated for its family;
//! without it the UPDATE is refused (RFC 8950 §4), never sent with a next hop the peer
//! cannot expect; received without it, it resets the session as a next hop inconsistent
//! with the family (RFC 7606 §7.11), as ExaBGP 5 does.

use std::net::{IpAddr, Ipv6Addr};

use herald_wire::attr::{MpReach, Origin};
use herald_wire::{
    Afi, Attribute, DecodeCtx, EncodeCtx, EncodeError, Family, Message, Nlri, Safi, Update,
};

fn update(family: Family, nlri: Nlri) -> Message {
    Message::Update(Update {
        attributes: vec![
            Attribute::Origin(Origin::Igp),
            Attribute::MpReach(MpReach {
                family,
                next_hop: vec![IpAddr::V6("2001:db8::1".parse::<Ipv6Addr>().unwrap())],
                nlri: vec![nlri],
            }),
        ],
        ..Update::default()
    })
}

#[test]
fn ipv6_next_hop_for_ipv4_needs_the_capability() {
    let v4 = update(
        Family::IPV4_UNICAST,
        Nlri::prefix("10.0.0.0/24".parse().unwrap()),
    );
    assert!(matches!(
        v4.to_bytes(&EncodeCtx::default()),
        Err(EncodeError::Unencodable(_))
    ));
    let ctx = EncodeCtx {
        extended_next_hop: vec![(Family::IPV4_UNICAST, Afi::IPV6)],
        ..EncodeCtx::default()
    };
    let bytes = v4.to_bytes(&ctx).unwrap();
    // MP_REACH: AFI 1, SAFI 1, next-hop length 16 (RFC 8950 §3), the address.
    let at = bytes
        .windows(4)
        .position(|w| w == [0x00, 0x01, 0x01, 16])
        .expect("MP_REACH header");
    assert_eq!(&bytes[at + 4..at + 6], &[0x20, 0x01]);
    let decoded = Message::decode(
        &bytes,
        &DecodeCtx {
            extended_next_hop: vec![(Family::IPV4_UNICAST, Afi::IPV6)],
            ..DecodeCtx::default()
        },
    )
    .unwrap();
    assert_eq!(decoded.message, v4);
    // Received on a session without the capability, the next hop does not fit the family:
    // RFC 7606 §7.11, a session reset with (3,1) (malformed row 43).
    let e = Message::decode(&bytes, &DecodeCtx::default()).unwrap_err();
    let n = herald_wire::Notification::from(&e);
    assert_eq!((n.code, n.subcode), (3, 1));
    // The capability for unicast does not cover VPN routes.
    let vpn = update(
        Family::new(Afi::IPV4, Safi::MPLS_VPN),
        Nlri::labeled(
            vec![herald_wire::nlri::Label::new(100).unwrap()],
            Some(herald_wire::nlri::RouteDistinguisher::asn2(65000, 1)),
            "10.0.0.0/24".parse().unwrap(),
        ),
    );
    assert!(vpn.to_bytes(&ctx).is_err());
    // An IPv6 route with an IPv6 next hop needs nothing.
    let v6 = update(
        Family::IPV6_UNICAST,
        Nlri::prefix("2001:db8:1::/48".parse().unwrap()),
    );
    assert!(v6.to_bytes(&EncodeCtx::default()).is_ok());
}
