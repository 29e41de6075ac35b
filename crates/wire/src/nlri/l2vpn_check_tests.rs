use super::*;

const EVPN: Family = Family::new(Afi::L2VPN, Safi::EVPN);
const VPLS: Family = Family::new(Afi::L2VPN, Safi::VPLS);

/// An EVPN Ethernet Segment route (RFC 7432 §7.4) with an IPv4 originator: 23 octets.
fn es_route() -> Vec<u8> {
    let mut v = vec![4, 23];
    v.extend_from_slice(&[0; 18]); // RD, ESI
    v.push(32);
    v.extend_from_slice(&[192, 0, 2, 1]);
    v
}

#[test]
fn framing_must_tile_the_field() {
    let good = es_route();
    assert!(check_framing(&Reader::new(&good), EVPN, false).is_ok());
    let e = check_framing(&Reader::new(&good[..good.len() - 1]), EVPN, false).unwrap_err();
    assert_eq!(
        e.kind,
        WireErrorKind::InvalidNetworkField("EVPN route length overruns the NLRI field")
    );
    // A lone route type with no length.
    assert!(check_framing(&Reader::new(&[4]), EVPN, false).is_err());
    // With ADD-PATH, each route follows its path identifier.
    let with_id = [&[0, 0, 0, 7][..], &good[..]].concat();
    assert!(check_framing(&Reader::new(&with_id), EVPN, true).is_ok());
    assert!(check_framing(&Reader::new(&with_id), EVPN, false).is_err());
    // Other families are not looked at.
    assert!(check_framing(&Reader::new(&[1]), Family::IPV4_UNICAST, false).is_ok());
}

#[test]
fn route_lengths_by_type() {
    assert_eq!(malformed_entry(EVPN, &es_route(), false), None);
    let mut v6 = es_route();
    v6[1] = 35;
    v6[20] = 128;
    v6.extend_from_slice(&[0; 12]);
    assert_eq!(malformed_entry(EVPN, &v6, false), None);
    let mut bad = es_route();
    bad[20] = 24;
    assert!(malformed_entry(EVPN, &bad, false)
        .unwrap()
        .starts_with("EVPN Ethernet Segment route length"));
    // IP Prefix routes (RFC 9136 §3.1): 34 or 58 octets.
    let prefix = [&[5, 34][..], &[0; 34][..]].concat();
    assert_eq!(malformed_entry(EVPN, &prefix, false), None);
    let prefix = [&[5, 35][..], &[0; 35][..]].concat();
    assert!(malformed_entry(EVPN, &prefix, false).is_some());
    // A MAC/IP route too short for its fixed fields.
    let short = [&[2, 20][..], &[0; 20][..]].concat();
    assert!(malformed_entry(EVPN, &short, false)
        .unwrap()
        .contains("shorter than its fixed fields"));
    // Unknown route types are kept.
    assert_eq!(malformed_entry(EVPN, &[9, 2, 0, 0], false), None);
}

#[test]
fn vpls_is_17_octets() {
    let good = [&[0, 17][..], &[0; 17][..]].concat();
    assert_eq!(malformed_entry(VPLS, &good, false), None);
    let bad = [&[0, 12][..], &[0; 12][..]].concat();
    assert!(malformed_entry(VPLS, &bad, false)
        .unwrap()
        .starts_with("VPLS NLRI length is not 17"));
    // A broken framing is for check_framing, not a malformed entry.
    assert_eq!(malformed_entry(VPLS, &[0, 17, 1], false), None);
}
