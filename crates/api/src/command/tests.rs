//! Command grammar tests: every unicast form of spec §2.3's "Full command examples", the
//! other commands of the table, and errors naming the word at fault.

use std::net::IpAddr;

use config::NextHop;
use wire::attr::{Community, LargeCommunity};
use wire::{Asn, Attribute, Family, Nlri};

use super::*;

mod families;
mod show;

fn peer(line: &str) -> (Vec<Selector>, PeerCommand) {
    match parse(line) {
        Ok(Command::Peer { selectors, command }) => (selectors, command),
        other => panic!("{line}: {other:?}"),
    }
}

fn announced(line: &str) -> Vec<config::Route> {
    match peer(line).1 {
        PeerCommand::Announce(routes) => routes.into_vec(),
        other => panic!("{line}: {other:?}"),
    }
}

fn error(line: &str) -> ParseError {
    match parse(line) {
        Err(e) => e,
        Ok(c) => panic!("{line} parsed as {c:?}"),
    }
}

fn prefix(nlri: &Nlri) -> String {
    match nlri {
        Nlri::Prefix { prefix, .. } => prefix.to_string(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn fast_path_route() {
    let routes = announced("announce route 10.0.0.0/24 next-hop 192.0.2.1");
    assert_eq!(routes.len(), 1);
    assert_eq!(routes[0].family, Family::IPV4_UNICAST);
    assert_eq!(prefix(&routes[0].nlri), "10.0.0.0/24");
    assert_eq!(
        routes[0].next_hop,
        NextHop::Ip("192.0.2.1".parse().unwrap())
    );
    assert!(routes[0].attributes.is_empty());
    match parse("announce route 10.0.0.0/24 next-hop 192.0.2.1").unwrap() {
        Command::Peer {
            command: PeerCommand::Announce(Routes::One(_)),
            ..
        } => {}
        other => panic!("{other:?}"),
    }
    let routes = announced("announce route 2001:db8::/32 next-hop self");
    assert_eq!(routes[0].family, Family::IPV6_UNICAST);
    assert_eq!(routes[0].next_hop, NextHop::SelfAddr);
}

#[test]
fn full_example_route_with_every_attribute() {
    let routes = announced(
        "announce route 10.1.0.0/24 next-hop self med 100 local-preference 200 community [ 65001:1 no-export ] large-community [ 65001:1:1 ] extended-community [ target:65001:10 origin:1.2.3.4:5 ] as-path [ 65001 65010 ] origin egp atomic-aggregate aggregator ( 65001:10.0.0.1 ) originator-id 10.9.9.9 cluster-list [ 10.8.8.8 ]",
    );
    let route = &routes[0];
    assert_eq!(route.next_hop, NextHop::SelfAddr);
    let has = |want: &Attribute| route.attributes.contains(want);
    assert!(has(&Attribute::Med(100)));
    assert!(has(&Attribute::LocalPref(200)));
    assert!(has(&Attribute::AtomicAggregate));
    assert!(has(&Attribute::Communities(vec![
        Community(65001 << 16 | 1),
        Community::NO_EXPORT
    ])));
    assert!(has(&Attribute::LargeCommunities(vec![LargeCommunity {
        global: 65001,
        local1: 1,
        local2: 1
    }])));
    assert!(has(&Attribute::OriginatorId("10.9.9.9".parse().unwrap())));
    assert!(has(&Attribute::ClusterList(vec!["10.8.8.8"
        .parse()
        .unwrap()])));
    assert!(route
        .attributes
        .iter()
        .any(|a| matches!(a, Attribute::ExtCommunities(c) if c.len() == 2)));
    assert!(route
        .attributes
        .iter()
        .any(|a| matches!(a, Attribute::AsPath(p) if p.0[0].asns == [Asn(65001), Asn(65010)])));
    assert!(route
        .attributes
        .iter()
        .any(|a| matches!(a, Attribute::Aggregator(g) if g.asn == Asn(65001))));
}

#[test]
fn full_examples_path_information_split_vpn() {
    let routes =
        announced("announce route 10.2.0.0/24 next-hop 127.0.0.1 path-information 1.2.3.4");
    assert_eq!(routes[0].nlri.path_id(), Some(wire::PathId(0x0102_0304)));

    let routes = announced("announce route 10.3.0.0/22 next-hop 127.0.0.1 split /24");
    let prefixes: Vec<String> = routes.iter().map(|r| prefix(&r.nlri)).collect();
    assert_eq!(
        prefixes,
        ["10.3.0.0/24", "10.3.1.0/24", "10.3.2.0/24", "10.3.3.0/24"]
    );

    let routes = announced(
        "announce route 10.5.0.0/24 next-hop 127.0.0.1 rd 65001:1 label 200 extended-community target:65001:1",
    );
    assert_eq!(
        routes[0].family,
        Family::new(wire::Afi::IPV4, wire::Safi::MPLS_VPN)
    );
    assert_eq!(routes[0].labels, [200]);
    assert!(routes[0].rd.is_some());
    assert_eq!(
        routes[0].nlri,
        wire::Nlri::labeled(
            vec![wire::nlri::Label::new(200).unwrap()],
            Some(wire::nlri::RouteDistinguisher::asn2(65001, 1)),
            "10.5.0.0/24".parse().unwrap()
        )
    );

    // The family named by the command; `attributes … nlri` keeps labels and RD per prefix.
    let routes =
        announced("announce ipv6 mpls-vpn 2001:db8::/32 next-hop ::1 rd 1.2.3.4:5 label [ 16 17 ]");
    assert_eq!(
        routes[0].nlri,
        wire::Nlri::labeled(
            vec![
                wire::nlri::Label::new(16).unwrap(),
                wire::nlri::Label::new(17).unwrap()
            ],
            Some(wire::nlri::RouteDistinguisher::ipv4(
                "1.2.3.4".parse().unwrap(),
                5
            )),
            "2001:db8::/32".parse().unwrap()
        )
    );
    let routes = announced(
        "announce attribute route-distinguisher 63333:100 label [ 110 ] next-hop 10.0.99.12 nlri 128.0.64.0/18 128.0.0.0/18",
    );
    let rd = Some(wire::nlri::RouteDistinguisher::asn2(63333, 100));
    let label = vec![wire::nlri::Label::new(110).unwrap()];
    assert_eq!(
        routes.iter().map(|r| r.nlri.clone()).collect::<Vec<_>>(),
        [
            wire::Nlri::labeled(label.clone(), rd, "128.0.64.0/18".parse().unwrap()),
            wire::Nlri::labeled(label, rd, "128.0.0.0/18".parse().unwrap()),
        ]
    );
}

#[test]
fn full_example_attributes_nlri() {
    for verb in ["attributes", "attribute"] {
        let routes = announced(&format!(
            "announce {verb} next-hop 127.0.0.1 med 10 community 65001:77 nlri 10.6.0.0/24 10.6.1.0/24 10.6.2.0/24"
        ));
        let prefixes: Vec<String> = routes.iter().map(|r| prefix(&r.nlri)).collect();
        assert_eq!(prefixes, ["10.6.0.0/24", "10.6.1.0/24", "10.6.2.0/24"]);
        for route in &routes {
            assert_eq!(route.next_hop, NextHop::Ip("127.0.0.1".parse().unwrap()));
            assert!(route.attributes.contains(&Attribute::Med(10)));
        }
    }
    match peer("withdraw attributes next-hop 127.0.0.1 nlri 10.6.0.0/24").1 {
        PeerCommand::Withdraw(routes) => assert_eq!(routes.as_slice().len(), 1),
        other => panic!("{other:?}"),
    }
}

#[test]
fn full_example_selector() {
    let (selectors, command) =
        peer("neighbor 127.0.0.2 local-as 65001 peer-as 65002 announce route 10.9.0.0/24 next-hop 127.0.0.1");
    assert_eq!(selectors.len(), 1);
    assert_eq!(
        selectors[0].peer,
        Some("127.0.0.2".parse::<IpAddr>().unwrap())
    );
    assert_eq!(selectors[0].local_as, Some(Asn(65001)));
    assert_eq!(selectors[0].peer_as, Some(Asn(65002)));
    assert!(matches!(command, PeerCommand::Announce(_)));

    let (selectors, _) = peer("neighbor * announce route 10.9.0.0/24 next-hop 127.0.0.1");
    assert!(selectors[0].is_any());
    let (selectors, _) =
        peer("neighbor 127.0.0.2 router-id 1.2.3.4 , neighbor 127.0.0.3 local-ip 127.0.0.1 family-allowed in-open withdraw route 10.9.0.0/24");
    assert_eq!(selectors.len(), 2);
    assert_eq!(selectors[1].family_allowed.as_deref(), Some("in-open"));
}

#[test]
fn full_examples_eor_refresh_teardown() {
    assert_eq!(
        peer("announce eor ipv4 unicast").1,
        PeerCommand::Eor(Some(Family::IPV4_UNICAST))
    );
    assert_eq!(peer("announce eor").1, PeerCommand::Eor(None));
    assert_eq!(
        peer("announce route-refresh ipv4 unicast").1,
        PeerCommand::RouteRefresh(Family::IPV4_UNICAST)
    );
    assert_eq!(
        peer("announce route-refresh ipv6 unicast").1,
        PeerCommand::RouteRefresh(Family::IPV6_UNICAST)
    );
    let (selectors, command) = peer("neighbor 127.0.0.2 teardown 2");
    assert_eq!(command, PeerCommand::Teardown(2));
    assert_eq!(selectors.len(), 1);
}

#[test]
fn family_commands() {
    let routes =
        announced("announce ipv4 unicast 10.0.1.0/24 next-hop 10.0.255.254 local-preference 100");
    assert_eq!(routes[0].family, Family::IPV4_UNICAST);
    let routes = announced("announce ipv6 unicast fc00:1::/64 next-hop fc00::1");
    assert_eq!(routes[0].family, Family::IPV6_UNICAST);
    let routes = announced("announce ipv4 multicast 10.0.1.0/24 next-hop 10.0.255.254");
    assert_eq!(routes[0].family, Family::IPV4_MULTICAST);
    assert!(matches!(
        peer("withdraw ipv4 unicast 10.0.1.0/24").1,
        PeerCommand::Withdraw(_)
    ));
    assert_eq!(
        error("announce ipv6 unicast 10.0.0.0/8 next-hop ::1").token,
        "10.0.0.0/8"
    );
}

#[test]
fn full_example_operational() {
    let router_id = std::net::Ipv4Addr::new(10, 0, 0, 1);
    match peer("announce operational rpcq afi ipv4 safi unicast sequence 10").1 {
        PeerCommand::Operational(op) => {
            assert_eq!(
                op.body(router_id),
                [0, 3, 0, 11, 0, 1, 1, 10, 0, 0, 1, 0, 0, 0, 10]
            );
        }
        other => panic!("{other:?}"),
    }
    match peer(
        "announce operational RPCP afi ipv4 safi unicast router-id 1.2.3.4 sequence 9 counter 1234",
    )
    .1
    {
        PeerCommand::Operational(op) => {
            // ExaBGP's own encoding of this message (tests/golden/events.tsv, rpcp body
            // with router-id 10.0.0.1).
            let mut body = op.body(router_id);
            assert_eq!(&body[7..11], &[1, 2, 3, 4]);
            body[7..11].copy_from_slice(&router_id.octets());
            assert_eq!(
                body,
                [0, 4, 0, 15, 0, 1, 1, 10, 0, 0, 1, 0, 0, 0, 9, 0, 0, 4, 0xd2]
            );
        }
        other => panic!("{other:?}"),
    }
    match peer("announce operational adm afi ipv4 safi unicast advisory \"hello world\"").1 {
        PeerCommand::Operational(op) => {
            let body = op.body(router_id);
            assert_eq!(&body[..7], &[0, 1, 0, 14, 0, 1, 1]);
            assert_eq!(&body[7..], b"hello world");
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error("announce operational rpcq afi ipv4 safi unicast").token,
        ""
    );
    assert_eq!(
        error("announce operational rpcq safi unicast afi ipv4 sequence 1").token,
        "safi"
    );
    assert_eq!(error("announce operational xyz afi ipv4").token, "xyz");
    assert_eq!(
        error("withdraw operational rpcq afi ipv4 safi unicast sequence 1").token,
        "operational"
    );
}

#[test]
fn a_final_semicolon_is_accepted() {
    let routes = announced("announce route 10.0.0.0/24 next-hop 192.0.2.1 med 5;");
    assert!(routes[0].attributes.contains(&Attribute::Med(5)));
    assert_eq!(
        announced("announce attributes next-hop 192.0.2.1 nlri 10.0.0.0/24 ;").len(),
        1
    );
    assert_eq!(
        error("announce route 10.0.0.0/24 next-hop 192.0.2.1 ; med 5").token,
        ";"
    );
}

#[test]
fn withdraw_needs_no_next_hop() {
    match peer("withdraw route 10.0.0.0/24").1 {
        PeerCommand::Withdraw(routes) => {
            assert_eq!(routes.as_slice()[0].next_hop, NextHop::None);
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn watchdogs() {
    assert_eq!(
        peer("announce watchdog dog1").1,
        PeerCommand::AnnounceWatchdog(Some("dog1".into()))
    );
    assert_eq!(
        peer("withdraw watchdog dog1").1,
        PeerCommand::WithdrawWatchdog(Some("dog1".into()))
    );
    assert_eq!(
        peer("announce watchdog").1,
        PeerCommand::AnnounceWatchdog(None)
    );
}

#[test]
fn rib_commands() {
    assert_eq!(peer("flush adj-rib out").1, PeerCommand::FlushAdjRibOut);
    assert_eq!(
        peer("clear adj-rib in").1,
        PeerCommand::ClearAdjRib(RibSide::In)
    );
    assert_eq!(
        peer("clear adj-rib out").1,
        PeerCommand::ClearAdjRib(RibSide::Out)
    );
    assert_eq!(
        peer("neighbor 127.0.0.2 clear adj-rib out").1,
        PeerCommand::ClearAdjRib(RibSide::Out)
    );
}

#[test]
fn daemon_commands() {
    let cases = [
        ("version", Command::Version),
        ("help", Command::Help),
        ("reload", Command::Reload),
        ("restart", Command::Restart),
        ("shutdown", Command::Shutdown),
        ("reset", Command::Reset),
        ("enable-ack", Command::EnableAck),
        ("disable-ack", Command::DisableAck),
        ("silence-ack", Command::SilenceAck),
        ("# a comment with [ brackets", Command::Comment),
        ("#", Command::Comment),
        ("  version  ", Command::Version),
    ];
    for (line, want) in cases {
        assert_eq!(parse(line), Ok(want), "{line}");
    }
    assert!(HELP.contains("[neighbor <ip> [filters]] announce route\n"));
}

#[test]
fn neighbor_create_and_delete() {
    match parse(
        "neighbor 127.0.0.3 create { local-as 65001; peer-as 65003; family { ipv4 unicast; } }",
    ) {
        Ok(Command::NeighborCreate { address, config }) => {
            assert_eq!(address.to_string(), "127.0.0.3/32");
            assert_eq!(
                config,
                "neighbor 127.0.0.3 { local-as 65001; peer-as 65003; family { ipv4 unicast; } }\n"
            );
        }
        other => panic!("{other:?}"),
    }
    match parse("neighbor 10.0.0.0/24 delete") {
        Ok(Command::NeighborDelete { address }) => assert_eq!(address.to_string(), "10.0.0.0/24"),
        other => panic!("{other:?}"),
    }
    assert_eq!(
        error("neighbor 127.0.0.3 create local-as 1").token,
        "local-as"
    );
    assert_eq!(
        error("neighbor 127.0.0.3 create { local-as 1;").reason,
        "the neighbor configuration must end with '}'"
    );
    assert_eq!(error("neighbor 127.0.0.3 delete now").token, "now");
    assert_eq!(error("neighbor x.y create { }").token, "x.y");
}

#[test]
fn errors_name_the_word() {
    let cases = [
        ("", ""),
        ("frobnicate", "frobnicate"),
        ("version now", "now"),
        ("announce", ""),
        ("announce bogus 10.0.0.0/8", "bogus"),
        ("announce route 10.0.0.0/33 next-hop 1.2.3.4", "10.0.0.0/33"),
        ("announce route 10.0.0.0/24 next-hop 1.2.3.4 med x", "x"),
        (
            "announce route 10.0.0.0/24 next-hop 1.2.3.4 color blue",
            "color",
        ),
        ("announce route 10.0.0.0/24 next-hop", "next-hop"),
        ("announce eor ipv4", ""),
        ("announce eor ipv9 unicast", "ipv9"),
        ("announce eor ipv4 unicast extra", "extra"),
        ("announce route-refresh ipv4 bogus", "bogus"),
        ("announce attributes next-hop 1.2.3.4 med 1", ""),
        ("announce attributes next-hop 1.2.3.4 nlri", "nlri"),
        (
            "announce attributes next-hop 1.2.3.4 nlri 10.0.0.0/24 300.0.0.0/8",
            "300.0.0.0/8",
        ),
        ("teardown", ""),
        ("teardown x", "x"),
        ("teardown 300", "300"),
        ("neighbor 127.0.0.2 version", "version"),
        ("neighbor 127.0.0.2", ""),
        ("flush adj-rib in", "in"),
        ("clear adj-rib sideways", "sideways"),
        ("withdraw eor", "eor"),
    ];
    for (line, token) in cases {
        let e = error(line);
        assert_eq!(e.token, token, "{line}: {e}");
        if token.is_empty() {
            assert_eq!(e.offset, line.len(), "{line}");
        } else {
            assert_eq!(&line[e.offset..e.offset + token.len()], token, "{line}");
        }
    }
}
