//! Builders for configuration values used by the unit tests.

use std::net::IpAddr;

use config::{ApiBinding, AsnSetting, Neighbor, NextHop, Route};
use wire::{Asn, Family, Nlri};

/// A minimal IPv4 neighbor with these api blocks.
pub(crate) fn neighbor(peer: &str, api: Vec<ApiBinding>) -> Neighbor {
    let addr: IpAddr = peer.parse().unwrap();
    Neighbor {
        peer_address: ipnet::IpNet::from(addr),
        description: "test".into(),
        router_id: Some("10.0.0.1".parse().unwrap()),
        local_address: Some("127.0.0.1".parse().unwrap()),
        source_interface: None,
        local_as: AsnSetting::Asn(Asn(65001)),
        peer_as: AsnSetting::Asn(Asn(65002)),
        hold_time: 180,
        passive: false,
        listen: 0,
        connect: 0,
        md5_password: None,
        md5_base64: config::Md5Base64::False,
        md5_ip: None,
        outgoing_ttl: None,
        incoming_ttl: None,
        group_updates: true,
        auto_flush: true,
        adj_rib_in: true,
        adj_rib_out: true,
        manual_eor: false,
        rate_limit: 0,
        host_name: None,
        domain_name: None,
        capability: config::Capabilities::default(),
        families: vec![Family::IPV4_UNICAST],
        add_path: vec![],
        nexthop: vec![],
        api,
        routes: vec![],
        raw: vec![],
        location: config::Location::default(),
    }
}

/// An IPv4 unicast route.
pub(crate) fn route(prefix: &str, next_hop: &str) -> Route {
    let net: ipnet::IpNet = prefix.parse().unwrap();
    let mut r = Route::new(Family::IPV4_UNICAST, Nlri::prefix(net));
    r.next_hop = NextHop::Ip(next_hop.parse().unwrap());
    r
}
