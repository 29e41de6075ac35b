use std::net::{IpAddr, Ipv4Addr};

use wire::attr::{
    Aggregator, AsPath, AsSegment, AttrCode, AttrFlags, Community, ExtCommunity, LargeCommunity,
    Origin, SegmentType,
};
use wire::nlri::PathId;
use wire::{Asn, Attribute, Family, Nlri, Safi};

use super::*;

fn route(line: &str) -> Route {
    let words = split_words(line);
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    parse_route(&refs).unwrap_or_else(|e| panic!("{line}: {e}"))
}

fn err(line: &str) -> RouteError {
    let words = split_words(line);
    let refs: Vec<&str> = words.iter().map(String::as_str).collect();
    parse_route(&refs).expect_err(line)
}

fn hex(s: &str) -> Vec<u8> {
    wire::hex::decode(s).unwrap()
}

fn seq(asns: &[u32]) -> AsSegment {
    AsSegment {
        kind: SegmentType::Sequence,
        asns: asns.iter().map(|a| Asn(*a)).collect(),
    }
}

#[test]
fn basic_unicast_route() {
    let r = route("10.0.0.0/24 next-hop 192.0.2.1 origin igp med 100 local-preference 200");
    assert_eq!(r.family, Family::IPV4_UNICAST);
    assert_eq!(r.nlri, Nlri::prefix("10.0.0.0/24".parse().unwrap()));
    assert_eq!(r.next_hop, NextHop::Ip("192.0.2.1".parse().unwrap()));
    assert_eq!(
        r.attributes,
        vec![
            Attribute::Origin(Origin::Igp),
            Attribute::Med(100),
            Attribute::LocalPref(200)
        ]
    );
}

#[test]
fn next_hop_self_and_ipv6() {
    let r = route("2001:db8::/32 next-hop self");
    assert_eq!(r.family, Family::IPV6_UNICAST);
    assert_eq!(r.next_hop, NextHop::SelfAddr);
}

#[test]
fn multicast_from_prefix() {
    assert_eq!(
        route("239.1.0.0/16 next-hop 1.1.1.1").family,
        Family::IPV4_MULTICAST
    );
}

#[test]
fn as_path_forms() {
    let r = route("10.0.0.0/8 as-path [ 1 2 3 ] ( 4 5 )");
    let set = AsSegment {
        kind: SegmentType::Set,
        asns: vec![Asn(4), Asn(5)],
    };
    assert_eq!(
        r.attributes,
        vec![Attribute::AsPath(AsPath(vec![seq(&[1, 2, 3]), set]))]
    );
    let r = route("10.0.0.0/8 as-path [ { 6 7 } ] ( { 8 } )");
    assert_eq!(
        r.attributes,
        vec![Attribute::AsPath(AsPath(vec![
            AsSegment {
                kind: SegmentType::ConfedSequence,
                asns: vec![Asn(6), Asn(7)]
            },
            AsSegment {
                kind: SegmentType::ConfedSet,
                asns: vec![Asn(8)]
            },
        ]))]
    );
    let r = route("10.0.0.0/8 as-path 65000");
    assert_eq!(
        r.attributes,
        vec![Attribute::AsPath(AsPath(vec![seq(&[65000])]))]
    );
    let r = route("10.0.0.0/8 as-path [ 1.1 ]");
    assert_eq!(
        r.attributes,
        vec![Attribute::AsPath(AsPath(vec![seq(&[65537])]))]
    );
    let r = route("10.0.0.0/8 as-path [ ]");
    assert_eq!(
        r.attributes,
        vec![Attribute::AsPath(AsPath(vec![seq(&[])]))]
    );
}

#[test]
fn aggregator_glued_or_spaced() {
    let want = vec![Attribute::Aggregator(Aggregator {
        asn: Asn(18144),
        ip: Ipv4Addr::new(219, 118, 225, 189),
    })];
    assert_eq!(
        route("1.0.64.0/18 aggregator ( 18144:219.118.225.189 )").attributes,
        want
    );
    assert_eq!(
        route("1.0.64.0/18 aggregator (18144:219.118.225.189)").attributes,
        want
    );
    assert_eq!(
        route("1.0.64.0/18 aggregator 18144:219.118.225.189").attributes,
        want
    );
}

#[test]
fn communities_sorted_and_named() {
    let r = route(
        "10.0.0.0/8 community [ 65000:2 no-export 65000:1, 0x10 5 no-advertise nopeer blackhole no-export-subconfed ]",
    );
    let mut want = vec![
        Community(65000 << 16 | 2),
        Community::NO_EXPORT,
        Community(65000 << 16 | 1),
        Community(0x10),
        Community(5),
        Community::NO_ADVERTISE,
        Community::NOPEER,
        Community::BLACKHOLE,
        Community::NO_EXPORT_SUBCONFED,
    ];
    want.sort();
    assert_eq!(r.attributes, vec![Attribute::Communities(want)]);
    assert!(err("10.0.0.0/8 community 70000:1")
        .reason
        .contains("invalid community"));
}

#[test]
fn large_communities_dedup() {
    // conf-largecommunity.conf → C0 20 18 … in the conformance message: sorted, no duplicate
    let r = route("9.9.9.10/32 large-community [ 2914:3320:123 2914:0:666 2914:3320:123 ]");
    assert_eq!(
        r.attributes,
        vec![Attribute::LargeCommunities(vec![
            LargeCommunity {
                global: 2914,
                local1: 0,
                local2: 666
            },
            LargeCommunity {
                global: 2914,
                local1: 3320,
                local2: 123
            },
        ])]
    );
}

fn ext(s: &str) -> [u8; 8] {
    values::ext_community(s)
        .unwrap_or_else(|e| panic!("{s}: {e}"))
        .0
}

#[test]
fn extended_community_encodings() {
    // RFC 4360 §3.1 two-octet AS specific route target and route origin
    assert_eq!(ext("target:65000:1").to_vec(), hex("0002fde800000001"));
    assert_eq!(ext("65000:1").to_vec(), hex("0002fde800000001"));
    assert_eq!(ext("origin:100:1000").to_vec(), hex("00030064000003e8"));
    // the administrator does not fit in two octets: IPv4-address-specific layout, like ExaBGP
    assert_eq!(ext("origin:70500:5000").to_vec(), hex("0103000113641388"));
    assert_eq!(ext("target:120000L:123").to_vec(), hex("01020001d4c0007b"));
    // RFC 4360 §3.2 IPv4 address specific
    assert_eq!(ext("origin:7.7.7.7:7000").to_vec(), hex("0103070707071b58"));
    assert_eq!(ext("origin:9000:9.9.9.9").to_vec(), hex("0003232809090909"));
    // RFC 8955 §7.6 redirect
    assert_eq!(
        ext("redirect:65500:12345").to_vec(),
        hex("8008ffdc00003039")
    );
    // RFC 4761 §3.2.4 layer2 info
    assert_eq!(
        ext("l2info:19:0:1500:111").to_vec(),
        hex("800a130005dc006f")
    );
    // link bandwidth: IEEE float 1000000.0 = 0x49742400
    assert_eq!(
        ext("bandwidth:65000:1000000").to_vec(),
        hex("4004fde849742400")
    );
    assert_eq!(ext("redirect-to-nexthop").to_vec(), hex("0800000000000000"));
    assert_eq!(ext("0x0002fde800000001").to_vec(), hex("0002fde800000001"));
    assert_eq!(ext("mup:10:10").to_vec(), hex("0c00000a0000000a"));
    assert!(values::ext_community("0x0002").is_err());
    assert!(values::ext_community("foo:1:2").is_err());
    assert!(values::ext_community("redirect:70000:1").is_err());
}

#[test]
fn extended_communities_merge() {
    let r =
        route("10.0.0.0/8 extended-community target:65000:2 extended-community [ target:65000:1 ]");
    assert_eq!(
        r.attributes,
        vec![Attribute::ExtCommunities(vec![
            ExtCommunity([0, 2, 0xfd, 0xe8, 0, 0, 0, 1]),
            ExtCommunity([0, 2, 0xfd, 0xe8, 0, 0, 0, 2]),
        ])]
    );
}

#[test]
fn first_value_wins() {
    let r = route("10.0.0.0/8 med 1 med 2");
    assert_eq!(r.attributes, vec![Attribute::Med(1)]);
}

#[test]
fn reflector_aigp_and_generic() {
    let r = route(
        "10.0.0.0/8 originator-id 1.2.3.4 cluster-list [ 5.6.7.8 9.9.9.9 ] aigp 0x10 attribute [ 0x99 0xc0 0x0102 ]",
    );
    assert_eq!(
        r.attributes,
        vec![
            Attribute::OriginatorId(Ipv4Addr::new(1, 2, 3, 4)),
            Attribute::ClusterList(vec![Ipv4Addr::new(5, 6, 7, 8), Ipv4Addr::new(9, 9, 9, 9)]),
            Attribute::Aigp(16),
            Attribute::Raw {
                flags: AttrFlags(0xc0),
                code: AttrCode(0x99),
                data: vec![1, 2]
            },
        ]
    );
    assert!(err("10.0.0.0/8 attribute [ 99 0xc0 0x01 ]")
        .reason
        .contains("code"));
}

#[test]
fn prefix_sid_matches_conformance_bytes() {
    // conf-prefix-sid.conf / conf-prefix-sid.msg: C0 28 0A … and C0 28 1B …
    let r =
        route("198.51.100.100/32 next-hop 198.51.100.1 label [ 800001 ] bgp-prefix-sid [ 777 ]");
    assert_eq!(r.family, Family::new(wire::Afi::IPV4, Safi::MPLS));
    assert_eq!(r.labels, vec![800001]);
    assert_eq!(sid_value(&r.attributes), hex("01000700000000000309"));
    let r = route(
        "198.51.100.101/32 next-hop 198.51.100.2 label [ 800002 ] bgp-prefix-sid [ 300, [ ( 800000,4096 ), ( 1000000,5000 ) ] ]",
    );
    assert_eq!(
        sid_value(&r.attributes),
        hex("0100070000000000012c03000e00000c35000010000f4240001388")
    );
}

/// The value of the only attribute, a typed Prefix-SID, as sent.
fn sid_value(attributes: &[Attribute]) -> Vec<u8> {
    let [Attribute::PrefixSid(sid)] = attributes else {
        panic!("not one Prefix-SID: {attributes:?}")
    };
    let mut out = Vec::new();
    sid.encode(&mut out).unwrap();
    out
}

#[test]
fn vpn_route() {
    let r = route(
        "10.10.0.0/24 rd 65000:1 label 100 next-hop 192.0.2.10 extended-community target:65000:1",
    );
    assert_eq!(r.family, Family::new(wire::Afi::IPV4, Safi::MPLS_VPN));
    assert_eq!(r.rd, Some([0, 0, 0xfd, 0xe8, 0, 0, 0, 1]));
    assert_eq!(
        values::route_distinguisher("1.2.3.4:5").unwrap(),
        [0, 1, 1, 2, 3, 4, 0, 5]
    );
    assert_eq!(
        values::route_distinguisher("70000:5").unwrap(),
        [0, 2, 0, 1, 0x11, 0x70, 0, 5]
    );
    assert!(values::route_distinguisher("1.2.3:5").is_err());
    assert!(values::route_distinguisher("12345").is_err());
}

#[test]
fn internal_words() {
    let r = route("10.0.0.0/8 next-hop 1.1.1.1 path-information 0.0.0.1 watchdog dog1 withdraw name foo split /10");
    assert_eq!(r.nlri.path_id(), Some(PathId(1)));
    assert_eq!(r.watchdog.as_deref(), Some("dog1"));
    assert!(r.withdrawn);
    assert_eq!(r.name.as_deref(), Some("foo"));
    assert_eq!(r.split, Some(10));
    let routes = expand_split(r);
    assert_eq!(routes.len(), 4);
    assert_eq!(
        routes[3].nlri,
        Nlri::Prefix {
            path_id: Some(PathId(1)),
            prefix: "10.192.0.0/10".parse().unwrap()
        }
    );
    assert!(routes.iter().all(|r| r.split.is_none()));
    assert_eq!(
        route("10.0.0.0/8 path-information 7").nlri.path_id(),
        Some(PathId(7))
    );
    assert!(err("10.0.0.0/8 watchdog announce")
        .reason
        .contains("watchdog"));
}

#[test]
fn srv6_service_matches_conformance_bytes() {
    // conf-srv6-mup.conf line 17 / conf-srv6-mup.msg: C0 28 25 …
    let r = route(
        "10.1.0.0/24 rd 4:100 label 3 bgp-prefix-sid-srv6 ( l3-service 2001:db8:1:1:: 0x48 [64,24,16,0,0,0] )",
    );
    assert_eq!(
        sid_value(&r.attributes),
        hex("050022000100\
                 1e0020010db800010001000000000000000000004800010006401810000000")
    );
    let r = route("10.1.0.0/24 rd 4:100 bgp-prefix-sid-srv6 ( l2-service 2001:db8:: )");
    let data = sid_value(&r.attributes);
    assert_eq!(data[0], 6);
    assert_eq!(&data[24..27], &[0, 0xff, 0xff]);
}

#[test]
fn errors_point_at_the_word() {
    let e = err("10.0.0.0/8 next-hop 1.1.1.1 med abc");
    assert_eq!((e.index, e.near.as_str()), (4, "abc"));
    let e = err("10.0.0.0/8 colour blue");
    assert_eq!((e.index, e.near.as_str()), (1, "colour"));
    assert!(e.reason.contains("unknown route attribute"));
    let e = err("10.0.0.1/8 next-hop 1.1.1.1");
    assert_eq!(e.reason, "invalid network 10.0.0.1 for netmask 8");
    let e = err("10.0.0.0/8 med");
    assert_eq!(e.reason, "med requires a value");
}

#[test]
fn route_words_resplit() {
    let routes = parse_route_words(&["10.0.0.0/8", "community", "[65000:1", "65000:2]"]).unwrap();
    assert_eq!(routes.len(), 1);
    assert_eq!(
        routes[0].attributes,
        vec![Attribute::Communities(vec![
            Community(65000 << 16 | 1),
            Community(65000 << 16 | 2)
        ])]
    );
    let _ = IpAddr::from(Ipv4Addr::LOCALHOST);
}

#[test]
fn split_limits() {
    let r = route("0.0.0.0/0 next-hop 1.1.1.1 split /32");
    assert_eq!(split_count(&r), 1 << 32);
    assert!(check_split(&r)
        .unwrap_err()
        .contains("would create 4294967296 routes"));
    let r = route("10.0.0.0/8 next-hop 1.1.1.1 split /33");
    assert!(check_split(&r)
        .unwrap_err()
        .contains("longer than the address"));
    let r = route("10.0.0.0/24 next-hop 1.1.1.1 split /16");
    assert_eq!(split_count(&r), 1);
    assert_eq!(expand_split(r).len(), 1);
    let e = parse_route_words(&["0.0.0.0/0", "next-hop", "1.1.1.1", "split", "/32"]).unwrap_err();
    assert_eq!((e.index, e.near.as_str()), (3, "/32"));
}

#[test]
fn labeled_and_vpn_routes_carry_labeled_nlri() {
    use wire::nlri::{Label, RouteDistinguisher};
    let routes = parse_route_words(
        &"10.0.0.0/24 rd 65000:1 next-hop 200.10.0.101 label 1000 split /25 path-information 7"
            .split(' ')
            .collect::<Vec<_>>(),
    )
    .unwrap();
    let rd = Some(RouteDistinguisher::asn2(65000, 1));
    let want: Vec<Nlri> = ["10.0.0.0/25", "10.0.0.128/25"]
        .iter()
        .map(|p| Nlri::Labeled {
            path_id: Some(PathId(7)),
            labels: vec![Label::new(1000).unwrap()],
            rd,
            prefix: p.parse().unwrap(),
        })
        .collect();
    assert_eq!(
        routes.iter().map(|r| r.nlri.clone()).collect::<Vec<_>>(),
        want
    );
    let r = route("198.51.100.100/32 next-hop 198.51.100.1 label [ 800001 ]");
    assert_eq!(r.family, Family::new(wire::Afi::IPV4, Safi::MPLS));
    assert_eq!(
        r.nlri,
        Nlri::labeled(
            vec![Label::new(800_001).unwrap()],
            None,
            "198.51.100.100/32".parse().unwrap()
        )
    );
    // Settling twice (static routes with a forced SAFI) keeps the NLRI.
    let mut again = r.clone();
    settle_family(&mut again, Some(Safi::MPLS));
    assert_eq!(again, r);
}
