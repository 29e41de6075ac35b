//! `show neighbor …` and `show adj-rib …` answers compared with ExaBGP 5.0.15's own
//! rendering of the same data (`tests/golden/show.tsv`, written by `gen_show.py`).

use std::net::{IpAddr, Ipv4Addr};

use config::NextHop;
use herald_api::command::PeerIdentity;
use herald_api::show::{
    adj_rib_json, adj_rib_text, extensive, json, summary, summary_header, CapabilityStatus, Counts,
    FamilyStatus, NeighborStatus, RibEntry,
};
use serde_json::Value;
use wire::{Afi, Asn, Family, Safi};

fn golden(name: &str) -> Vec<&'static str> {
    include_str!("golden/show.tsv")
        .lines()
        .filter_map(|l| l.split_once('\t'))
        .filter(|(n, _)| *n == name)
        .map(|(_, line)| line)
        .collect()
}

fn cap(local: Option<bool>, peer: Option<bool>) -> CapabilityStatus {
    CapabilityStatus { local, peer }
}

fn up() -> NeighborStatus {
    let (t, f) = (Some(true), Some(false));
    NeighborStatus {
        peer_addr: "127.0.0.2".parse().unwrap(),
        local_addr: Some("127.0.0.1".parse().unwrap()),
        local_as: Asn(65001),
        peer_as: Asn(65002),
        local_id: Ipv4Addr::new(10, 0, 0, 1),
        peer_id: Some(Ipv4Addr::new(10, 0, 0, 2)),
        local_hold: 180,
        peer_hold: Some(30),
        state: "ESTABLISHED".into(),
        up_for: Some(29),
        down_for: 12,
        capabilities: [
            cap(t, t),
            cap(t, t),
            cap(f, f),
            cap(f, None),
            cap(t, t),
            cap(t, t),
            cap(f, f),
        ],
        families: vec![
            FamilyStatus {
                family: Family::IPV4_UNICAST,
                peer: t,
                add_path_send: t,
                add_path_receive: f,
            },
            FamilyStatus {
                family: Family::IPV6_UNICAST,
                peer: f,
                add_path_send: f,
                add_path_receive: f,
            },
            FamilyStatus {
                family: Family::new(Afi::IPV4, Safi::FLOW),
                peer: t,
                add_path_send: f,
                add_path_receive: t,
            },
        ],
        sent: Counts {
            open: 1,
            notification: 0,
            keepalive: 4,
            update: 32,
            refresh: 1,
        },
        received: Counts {
            open: 1,
            notification: 0,
            keepalive: 5,
            update: 12,
            refresh: 0,
        },
    }
}

fn down() -> NeighborStatus {
    NeighborStatus {
        peer_addr: "2001:db8::2".parse().unwrap(),
        local_addr: None,
        local_as: Asn(65001),
        peer_as: Asn(4_200_000_000),
        local_id: Ipv4Addr::new(10, 0, 0, 1),
        peer_id: None,
        local_hold: 180,
        peer_hold: None,
        state: "ACTIVE".into(),
        up_for: None,
        down_for: 90061,
        capabilities: [cap(Some(true), None); 7],
        families: vec![FamilyStatus {
            family: Family::IPV6_UNICAST,
            peer: None,
            add_path_send: None,
            add_path_receive: Some(false),
        }],
        sent: Counts::default(),
        received: Counts::default(),
    }
}

fn lines(text: &str) -> Vec<&str> {
    text.strip_suffix('\n')
        .unwrap_or(text)
        .split('\n')
        .collect()
}

#[test]
fn neighbor_summary_extensive_json() {
    let mut out = String::new();
    summary_header(&mut out);
    summary(&mut out, &up());
    summary(&mut out, &down());
    assert_eq!(lines(&out), golden("summary"));

    for (name, status) in [("extensive-up", up()), ("extensive-down", down())] {
        let mut out = String::new();
        extensive(&mut out, &status);
        assert_eq!(lines(&out), golden(name), "{name}");
    }

    let mut out = String::new();
    json(&mut out, &[up(), down()]);
    assert!(out.ends_with("]\n"));
    let got: Value = serde_json::from_str(&out).unwrap();
    let want: Value = serde_json::from_str(golden("json")[0]).unwrap();
    assert_eq!(got, want);
    // Same key order as ExaBGP too.
    assert_eq!(out.trim_end(), golden("json")[0]);
}

fn entries() -> Vec<RibEntry> {
    let routes = [
        "10.1.0.0/24 next-hop 127.0.0.1 origin egp as-path [ 65001 65010 ] med 100 local-preference 200 atomic-aggregate aggregator ( 65001:10.0.0.1 ) community [ 65001:2 65001:1 ] originator-id 10.9.9.9 cluster-list [ 10.8.8.8 ] extended-community [ target:65001:10 origin:1.2.3.4:5 ] large-community 65001:1:1",
        "10.2.0.0/24 next-hop 127.0.0.1 path-information 0.0.0.7 attribute [ 0x99 0x80 0x0102 ]",
        "2001:db8:1::/48 next-hop 2001:db8::1 community no-export",
    ];
    routes
        .iter()
        .map(|line| {
            let words: Vec<&str> = line.split_whitespace().collect();
            let route = config::route::parse_route_words(&words).unwrap().remove(0);
            let next_hop = match route.next_hop {
                NextHop::Ip(ip) => Some(ip),
                _ => None,
            };
            RibEntry {
                family: route.family,
                nlri: route.nlri,
                next_hop,
                attributes: route.attributes,
            }
        })
        .collect()
}

fn identity() -> PeerIdentity {
    PeerIdentity {
        peer: "127.0.0.2".parse().unwrap(),
        local_ip: Some("127.0.0.1".parse().unwrap()),
        local_as: Some(Asn(65001)),
        peer_as: Some(Asn(65002)),
        router_id: Some(Ipv4Addr::new(10, 0, 0, 1)),
        family_allowed: "in-open".into(),
    }
}

#[test]
fn adj_rib_text_lines() {
    let mut out = String::new();
    adj_rib_text(&mut out, &identity(), &entries(), false);
    assert_eq!(lines(&out), golden("rib"));
    let mut out = String::new();
    adj_rib_text(&mut out, &identity(), &entries(), true);
    assert_eq!(lines(&out), golden("rib-extensive"));
}

#[test]
fn adj_rib_json_lines() {
    let peer: IpAddr = "127.0.0.2".parse().unwrap();
    let mut out = String::new();
    adj_rib_json(&mut out, peer, &entries(), None);
    assert_eq!(
        lines(&out),
        [
            r#"{"127.0.0.2": {"routes": [{"prefix": "10.1.0.0/24", "family": "ipv4 unicast"}]}}"#,
            r#"{"127.0.0.2": {"routes": [{"prefix": "10.2.0.0/24", "family": "ipv4 unicast"}]}}"#,
            r#"{"127.0.0.2": {"routes": [{"prefix": "2001:db8:1::/48", "family": "ipv6 unicast"}]}}"#,
        ]
    );
    let mut out = String::new();
    adj_rib_json(&mut out, peer, &entries()[..1], Some(&up()));
    let value: Value = serde_json::from_str(&out).unwrap();
    assert_eq!(value["127.0.0.2"]["routes"][0]["prefix"], "10.1.0.0/24");
    assert_eq!(value["127.0.0.2"]["fsm"], "ESTABLISHED");
}

/// `show adj-rib out [extensive]` of a VPLS and an MCAST-VPN route, as ExaBGP 5.0.15
/// renders its cached changes for the same configuration (`str(change.nlri)`,
/// `change.extensive()`; one-off run of its classes, peer-as as in [`identity`]).
#[test]
fn adj_rib_text_vpls_and_mvpn() {
    let vpls = config::route::vpls::parse_vpls(
        &"rd 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8 next-hop 192.0.2.1 local-preference 200"
            .split_whitespace()
            .collect::<Vec<_>>(),
        true,
    )
    .unwrap();
    let mvpn = config::route::mvpn::parse_mvpn(
        &"source-join source 10.99.12.2 group 239.251.255.228 rd 65000:99999 source-as 65000 next-hop 10.10.6.3 extended-community [ target:192.168.94.12:5 ]"
            .split_whitespace()
            .collect::<Vec<_>>(),
        wire::Afi::IPV4,
    )
    .unwrap();
    let entries: Vec<RibEntry> = [mvpn, vpls]
        .into_iter()
        .map(|route| RibEntry {
            family: route.family,
            nlri: route.nlri,
            next_hop: match route.next_hop {
                NextHop::Ip(ip) => Some(ip),
                _ => None,
            },
            attributes: route.attributes,
        })
        .collect();
    let mut out = String::new();
    adj_rib_text(&mut out, &identity(), &entries, false);
    assert_eq!(
        lines(&out),
        [
            "127.0.0.2 ipv4 mcast-vpn mvpn:source-join::65000:99999:65000:10.99.12.2:239.251.255.228",
            "127.0.0.2 l2vpn vpls vpls rd 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8 next-hop 192.0.2.1",
        ]
    );
    let mut out = String::new();
    adj_rib_text(&mut out, &identity(), &entries, true);
    let name = "neighbor 127.0.0.2 local-ip 127.0.0.1 local-as 65001 peer-as 65002 router-id 10.0.0.1 family-allowed in-open";
    assert_eq!(
        lines(&out),
        [
            format!("{name} ipv4 mcast-vpn mvpn:source-join::65000:99999:65000:10.99.12.2:239.251.255.228 extended-community target:192.168.94.12:5"),
            format!("{name} l2vpn vpls vpls rd 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8 next-hop 192.0.2.1 local-preference 200"),
        ]
    );
}
