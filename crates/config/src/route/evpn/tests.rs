//! The expected octets are ExaBGP 5.0.15's `pack_nlri()` of the same routes, built with
//! its own EVPN classes (`MAC(rd, esi, etag, mac, 48, Labels([100]), ip)` …).

use super::*;

fn nlri_hex(line: &str) -> String {
    let words: Vec<&str> = line.split_whitespace().collect();
    let route = parse_evpn(&words).unwrap();
    assert_eq!(route.family, EVPN);
    let mut out = Vec::new();
    route.nlri.encode(EVPN, false, &mut out).unwrap();
    out.iter().map(|b| format!("{b:02x}")).collect()
}

#[test]
fn routes_encode_as_exabgp_packs_them() {
    let cases = [
        (
            "mac-advertisement rd 65000:1 ethernet-tag 10 mac 00:11:22:33:44:55 ip 10.0.0.1 label 100",
            "02250000fde800000001000000000000000000000000000a30001122334455200a000001000641",
        ),
        (
            "macadv rd 1.1.1.1:7 esi 00:11:22:33:44:55:66:77:88:99 mac 00:11:22:33:44:55 label 100",
            "0221000101010101000700112233445566778899000000003000112233445500000641",
        ),
        (
            "ethernet-ad rd 65000:1 esi 00:11:22:33:44:55:66:77:88:99 etag 10 label 200",
            "01190000fde800000001001122334455667788990000000a000c81",
        ),
        (
            "multicast rd 65000:1 ethernet-tag 20 ip 192.0.2.1",
            "03110000fde8000000010000001420c0000201",
        ),
        (
            "ethernet-segment rd 65000:1 esi 00:11:22:33:44:55:66:77:88:99 ip 2001:db8::1",
            "04230000fde800000001001122334455667788998020010db8000000000000000000000001",
        ),
        (
            "ip-prefix rd 65000:1 etag 30 198.51.100.0/24 gateway 192.0.2.9 label 300",
            "05220000fde800000001000000000000000000000000001e18c6336400c00002090012c1",
        ),
    ];
    for (line, want) in cases {
        assert_eq!(nlri_hex(line), want, "{line}");
    }
}

#[test]
fn vni_is_the_raw_field_and_attributes_apply() {
    let words: Vec<&str> = "multicast rd 65000:2 etag 20 ip 10.0.0.5 next-hop 192.0.2.1 \
         extended-community [ target:65000:2 ] path-information 3"
        .split_whitespace()
        .collect();
    let route = parse_evpn(&words).unwrap();
    assert_eq!(
        route.next_hop,
        crate::model::NextHop::Ip("192.0.2.1".parse().unwrap())
    );
    assert_eq!(route.attributes.len(), 1);
    assert_eq!(route.nlri.path_id(), Some(PathId(3)));
    let hex = nlri_hex("ip-prefix rd 65000:3 etag 30 198.51.100.0/24 gw 192.0.2.9 vni 300");
    assert!(hex.ends_with("00012c"), "{hex}");
}

#[test]
/// A bad word is pointed at; a route missing a field, at the end of the statement.
fn errors_point_at_the_word() {
    let cases = [
        ("bogus rd 65000:1", 0),
        ("multicast ethernet-tag 20 ip 10.0.0.5", 5),
        ("mac-advertisement rd 65000:1 mac 00:11:22 label 1", 4),
        ("mac-advertisement rd 65000:1 mac 00:11:22:33:44:55", 5),
        (
            "ip-prefix rd 65000:1 10.0.0.0/8 gateway 2001:db8::1 label 1",
            8,
        ),
        ("multicast rd 65000:1 ip 10.0.0.5 colour blue", 5),
        ("multicast rd 65000:1 ip 10.0.0.5 vni 16777216", 6),
    ];
    for (line, index) in cases {
        let words: Vec<&str> = line.split_whitespace().collect();
        let e = parse_evpn(&words).unwrap_err();
        assert_eq!(e.index, index, "{line}: {e}");
    }
}

#[test]
/// A withdrawal names the route by its key (RFC 7432 §7.2, RFC 9136 §3.1): no label
/// needed; the announcement still needs one.
fn withdrawals_need_no_label() {
    for (line, announced) in [
        (
            "mac-advertisement rd 65000:1 mac 00:11:22:33:44:55 ip 10.0.0.1",
            "mac-advertisement rd 65000:1 esi 00:11:22:33:44:55:66:77:88:99 mac 00:11:22:33:44:55 ip 10.0.0.1 label 100",
        ),
        (
            "ip-prefix rd 65000:1 198.51.100.0/24",
            "ip-prefix rd 65000:1 198.51.100.0/24 gateway 192.0.2.9 label 7",
        ),
    ] {
        let words: Vec<&str> = line.split_whitespace().collect();
        assert!(parse_evpn(&words).is_err(), "{line}");
        let withdrawal = parse_evpn_withdrawal(&words).unwrap();
        let words: Vec<&str> = announced.split_whitespace().collect();
        let route = parse_evpn(&words).unwrap();
        assert!(withdrawal.nlri.same_route(&route.nlri), "{line}");
        assert_ne!(withdrawal.nlri, route.nlri);
        // The placeholder label still encodes (three zero octets).
        let mut out = Vec::new();
        withdrawal.nlri.encode(EVPN, false, &mut out).unwrap();
    }
}

#[test]
/// RFC 7432 §11.2: an Inclusive Multicast route carries a PMSI Tunnel attribute of type 6
/// (Ingress Replication) whose identifier is the router's IP address. The octets are
/// ExaBGP 5.0.15's `PMSIIngressReplication('192.0.2.1', 100).pack()` value.
fn pmsi_tunnel_ingress_replication() {
    let pmsi = |line: &str| {
        let words: Vec<&str> = line.split_whitespace().collect();
        let route = parse_evpn(&words).unwrap();
        match &route.attributes[..] {
            [wire::Attribute::Raw { flags, code, data }] => {
                assert_eq!((flags.0, code.0), (0xc0, 22));
                data.iter().map(|b| format!("{b:02x}")).collect::<String>()
            }
            other => panic!("{other:?}"),
        }
    };
    assert_eq!(
        pmsi(
            "multicast rd 65000:2 ip 192.0.2.1 pmsi-tunnel ingress-replication 192.0.2.1 label 100"
        ),
        "0006000640c0000201"
    );
    assert_eq!(
        pmsi("multicast rd 65000:2 ip 192.0.2.1 pmsi-tunnel ingress-replication 2001:db8::1 vni 300 leaf-information"),
        "010600012c20010db8000000000000000000000001"
    );
    for bad in [
        "multicast rd 65000:2 ip 192.0.2.1 pmsi-tunnel rsvp-te 192.0.2.1",
        "multicast rd 65000:2 ip 192.0.2.1 pmsi-tunnel ingress-replication x",
        "multicast rd 65000:2 ip 192.0.2.1 pmsi-tunnel ingress-replication 192.0.2.1 label 1048576",
    ] {
        let words: Vec<&str> = bad.split_whitespace().collect();
        assert!(parse_evpn(&words).is_err(), "{bad}");
    }
}
