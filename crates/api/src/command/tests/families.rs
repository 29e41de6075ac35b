//! Routes of the other families in API commands: VPLS, MCAST-VPN, MUP, FlowSpec and EVPN,
//! as ExaBGP's API helpers write them.

use config::NextHop;
use wire::Nlri;

use super::super::*;
use super::{announced, error, peer};

#[test]
fn vpls_and_mvpn_routes() {
    use wire::{Afi, Family, Safi};
    // The lines of ExaBGP's api-vpls helper.
    let r = announced("neighbor 127.0.0.1 announce vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.168.201.1 origin igp as-path [ 30740 30740 ] local-preference 100 med 2000 community [ 54591:123] extended-community [ target:54591:6 l2info:19:0:1500:111] originator-id 192.168.22.1 cluster-list [ 3.3.3.3 192.168.201.1 ]");
    assert_eq!(r[0].family, Family::new(Afi::L2VPN, Safi::VPLS));
    assert!(
        matches!(&r[0].nlri, Nlri::Vpls(v) if v.endpoint == 5 && v.base == 10702 && v.size == 8)
    );
    assert!(matches!(
        peer("neighbor 127.0.0.1 withdraw vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123").1,
        PeerCommand::Withdraw(_)
    ));
    let e = error("announce vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123");
    assert_eq!(e.reason, "vpls nlri next-hop missing");
    let e = error("announce vpls endpoint x base 10702");
    assert_eq!(e.token, "x");
    let r = announced("announce ipv6 mcast-vpn source-join source fd12::2 group ff0e::1 rd 65000:99999 source-as 65000 next-hop 10.10.6.3 extended-community [ target:192.168.94.12:5 ]");
    assert_eq!(r[0].family, Family::new(Afi::IPV6, Safi::MCAST_VPN));
    assert!(matches!(&r[0].nlri, Nlri::Mvpn(m) if m.code() == 7));
    let e = error("announce ipv4 mcast-vpn source-join source fd12::2 group ff0e::1 rd 65000:99999 source-as 65000");
    assert_eq!(e.token, "fd12::2");
}

#[test]
fn mup_routes() {
    use wire::{Afi, Family, Safi};
    // api-ipv4.run's lines; the NLRI and attribute bytes are api-ipv4.msg's (ExaBGP 5).
    let line = "ipv4 mup mup-isd 10.0.1.0/24 rd 100:100 next-hop 2001::1 extended-community [ target:10:10 ] bgp-prefix-sid-srv6 ( l3-service 2001:db8:1:1:: 0x48 [64,24,16,0,0,0] )";
    let routes = announced(&format!("announce {line}"));
    assert_eq!(routes.len(), 1);
    let route = &routes[0];
    assert_eq!(route.family, Family::new(Afi::IPV4, Safi::MUP));
    assert_eq!(route.next_hop, NextHop::Ip("2001::1".parse().unwrap()));
    let mut nlri = Vec::new();
    route.nlri.encode(route.family, false, &mut nlri).unwrap();
    assert_eq!(hex(&nlri), "0100010C0000006400000064180A0001");
    assert_eq!(route.attributes.len(), 2);
    match peer(&format!("withdraw {line}")).1 {
        PeerCommand::Withdraw(routes) => assert_eq!(routes.into_vec(), vec![route.clone()]),
        other => panic!("{other:?}"),
    }
    // An IPv4 next hop of an IPv6 route is sent IPv4-mapped (conf-srv6-mup.msg).
    let v6 =
        announced("announce ipv6 mup mup-t2st 2001::1 rd 100:100 teid 12345/32 next-hop 10.0.0.2");
    assert_eq!(v6[0].family, Family::new(Afi::IPV6, Safi::MUP));
    assert_eq!(
        v6[0].next_hop,
        NextHop::Ip("::ffff:10.0.0.2".parse().unwrap())
    );
    let e = error("announce ipv4 mup mup-dsd 2001::1 rd 100:100");
    assert_eq!(e.token, "2001::1");
    let e = error("announce ipv4 mup mup-t2st 10.0.0.1 rd 100:100 teid 12345/8");
    assert_eq!(e.token, "12345/8");
    let e = error("announce ipv4 mup mup-isd 10.0.1.0/24 rd 100:100 label 3");
    assert_eq!(e.token, "label");
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

#[test]
fn flow_routes_in_both_forms() {
    use wire::{Afi, Family, Safi};
    let one =
        announced("announce flow route destination 198.51.100.1/32 source-port >1024 discard");
    assert_eq!(one[0].family, Family::new(Afi::IPV4, Safi::FLOW));
    let Nlri::Flow(flow) = &one[0].nlri else {
        panic!("{:?}", one[0].nlri)
    };
    assert_eq!(
        flow.text(Afi::IPV4, None),
        "flow destination-ipv4 198.51.100.1/32 source-port >1024"
    );
    let block = announced(
        "announce flow route { match { destination 198.51.100.1/32; source-port >1024; } then { discard; } }",
    );
    assert_eq!(block, one);
    let v6 = announced("announce flow route destination-ipv6 2001:db8:2::/64/0 next-header tcp flow-label >100 traffic-class 10 discard");
    assert_eq!(v6[0].family, Family::new(Afi::IPV6, Safi::FLOW));
    let vpn = announced("announce ipv4 flow-vpn rd 65000:1 destination 10.0.0.0/8 discard");
    assert_eq!(vpn[0].family, Family::new(Afi::IPV4, Safi::FLOW_VPN));
    match peer("withdraw flow route { match { source 10.0.0.1/32; } }").1 {
        PeerCommand::Withdraw(routes) => assert_eq!(routes.into_vec().len(), 1),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error("announce ipv4 flow rd 65000:1 destination 10.0.0.0/8").token,
        "flow"
    );
    assert_eq!(
        error("announce flow route destination 10.0.0.0/8 protocol bogus").token,
        "bogus"
    );
}

#[test]
fn evpn_routes_announce_and_withdraw() {
    use wire::{Afi, Family, Safi};
    let routes = announced(
        "announce evpn mac-advertisement rd 65000:1 esi 0 etag 10 mac 00:11:22:33:44:55 \
         ip 10.0.0.1 label 100 next-hop 192.0.2.1 extended-community [ target:65000:1 ]",
    );
    assert_eq!(routes[0].family, Family::new(Afi::L2VPN, Safi::EVPN));
    assert!(matches!(&routes[0].nlri, Nlri::Evpn(r) if r.route.code() == 2));
    assert_eq!(routes[0].attributes.len(), 1);
    match peer("withdraw evpn multicast rd 65000:2 ip 10.0.0.5;").1 {
        PeerCommand::Withdraw(routes) => assert_eq!(routes.into_vec().len(), 1),
        other => panic!("{other:?}"),
    }
    let e = error("announce evpn mac-advertisement rd 65000:1 mac 00:11 label 1");
    assert_eq!(e.token, "00:11");
}
