//! End-to-end tests of [`crate::parse`]: the conformance configurations, every neighbor
//! key, templates, the errors and their positions.

use std::path::Path;

use crate::{parse, Source};

/// `shared/` sits beside the repository (`../shared` from its root).
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared");

#[test]
fn every_conformance_file_parses() {
    let dir = Path::new(SHARED).join("conformance/exabgp-5.0/etc");
    assert!(dir.is_dir(), "no conformance corpus at {}", dir.display());
    let mut failures = Vec::new();
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("conf") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(errors) = parse(&[Source::new(path.display().to_string(), text)]) {
            for e in errors {
                failures.push(e.to_string());
            }
        }
    }
    assert_eq!(count, 86);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

use std::net::{IpAddr, Ipv4Addr};

use wire::attr::Community;
use wire::cap::AddPathMode;
use wire::{Afi, Asn, Attribute, Family, Safi};

use crate::model::{AsnSetting, Config, Encoder, Md5Base64, NextHop};
use crate::ConfigError;

mod errors;
mod robustness;
mod streaming;

fn ok(text: &str) -> Config {
    parse(&[Source::new("t.conf", text)]).unwrap_or_else(|e| {
        panic!(
            "{}",
            e.iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn errs(text: &str) -> Vec<String> {
    match parse(&[Source::new("t.conf", text)]) {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.iter().map(ConfigError::to_string).collect(),
    }
}

const BASE: &str = "local-as 65000;\n  peer-as 65001;\n  router-id 1.1.1.1;\n";

fn neighbor(body: &str) -> Config {
    ok(&format!("neighbor 10.0.0.1 {{\n  {BASE}  {body}\n}}\n"))
}

#[test]
fn neighbor_defaults() {
    let c = neighbor("");
    let n = &c.neighbors[0];
    assert_eq!(n.peer_address, "10.0.0.1/32".parse().unwrap());
    assert_eq!(n.local_as, AsnSetting::Asn(Asn(65000)));
    assert_eq!(n.peer_as, AsnSetting::Asn(Asn(65001)));
    assert_eq!(n.router_id, Some(Ipv4Addr::new(1, 1, 1, 1)));
    assert_eq!(n.local_address, None);
    assert_eq!(n.hold_time, 180);
    assert!(!n.passive && n.group_updates && n.auto_flush && n.adj_rib_in && n.adj_rib_out);
    assert!(!n.manual_eor);
    assert_eq!((n.listen, n.connect, n.rate_limit), (0, 0, 0));
    assert_eq!(n.md5_base64, Md5Base64::False);
    assert_eq!((n.outgoing_ttl, n.incoming_ttl), (None, None));
    assert!(n.capability.asn4 && n.capability.extended_message);
    assert!(!n.capability.route_refresh && !n.capability.multi_session);
    assert_eq!(n.capability.graceful_restart, None);
    assert_eq!(n.capability.add_path, None);
    // no family block: every known family, sorted by (afi, safi)
    assert_eq!(n.families.len(), 21);
    assert_eq!(n.families[0], Family::IPV4_UNICAST);
    assert!(n.add_path.is_empty() && n.nexthop.is_empty() && n.routes.is_empty());
}

#[test]
fn every_neighbor_key() {
    let c = ok(r#"
neighbor 10.0.0.1 {
  description "core router";
  router-id 2.2.2.2;
  local-address 10.0.0.2;
  source-interface eth0;
  local-as 1.1;
  peer-as auto;
  hold-time 90;
  passive;
  listen 1179;
  connect 2179;
  md5-password "s3cret";
  md5-base64 auto;
  md5-ip 10.0.0.3;
  outgoing-ttl 255;
  incoming-ttl disable;
  group-updates false;
  auto-flush disable;
  adj-rib-in;
  adj-rib-out false;
  manual-eor true;
  rate-limit 100;
  host-name exabgp1;
  domain-name example.net;
}
"#);
    let n = &c.neighbors[0];
    assert_eq!(n.description, "core router");
    assert_eq!(n.router_id, Some(Ipv4Addr::new(2, 2, 2, 2)));
    assert_eq!(n.local_address, Some("10.0.0.2".parse().unwrap()));
    assert_eq!(n.source_interface.as_deref(), Some("eth0"));
    assert_eq!(n.local_as, AsnSetting::Asn(Asn(65537)));
    assert_eq!(n.peer_as, AsnSetting::Auto);
    assert_eq!(n.hold_time, 90);
    assert!(n.passive);
    assert_eq!((n.listen, n.connect), (1179, 2179));
    assert_eq!(n.md5_password.as_deref(), Some("s3cret"));
    assert_eq!(n.md5_base64, Md5Base64::Auto);
    assert_eq!(n.md5_ip, Some("10.0.0.3".parse().unwrap()));
    assert_eq!((n.outgoing_ttl, n.incoming_ttl), (Some(255), None));
    assert!(!n.group_updates && !n.auto_flush);
    // keyword-only adj-rib-in means false
    assert!(!n.adj_rib_in && !n.adj_rib_out && n.manual_eor);
    assert_eq!(n.rate_limit, 100);
    assert_eq!(n.host_name.as_deref(), Some("exabgp1"));
    assert_eq!(n.domain_name.as_deref(), Some("example.net"));
}

#[test]
fn router_id_and_md5_ip_default_to_local_address() {
    let c = ok("neighbor 10.0.0.1 { local-as 1; peer-as 2; local-address 10.0.0.2; }\n");
    let n = &c.neighbors[0];
    assert_eq!(n.router_id, Some(Ipv4Addr::new(10, 0, 0, 2)));
    assert_eq!(n.md5_ip, Some(IpAddr::V4(Ipv4Addr::new(10, 0, 0, 2))));
}

#[test]
fn capabilities() {
    let c = neighbor(
        "hold-time 30;\n capability { route-refresh; graceful-restart; add-path send/receive; asn4 disable;\n multi-session; operational enable; extended-message disable; aigp enable; software-version enable; }\n adj-rib-out false;",
    );
    let cap = &c.neighbors[0].capability;
    assert!(cap.route_refresh && cap.multi_session && cap.operational && cap.software_version);
    assert!(!cap.asn4 && !cap.extended_message);
    assert_eq!(
        cap.graceful_restart,
        Some(30),
        "keyword-only graceful-restart is the hold-time"
    );
    assert_eq!(cap.add_path, Some(AddPathMode::Both));
    assert_eq!(cap.aigp, Some(true));
    // route-refresh forces adj-rib-out on
    assert!(c.neighbors[0].adj_rib_out);
    // add-path without an add-path block: every family
    assert_eq!(c.neighbors[0].add_path, c.neighbors[0].families);
    let c = neighbor("capability { graceful-restart 120; software-version; }");
    assert_eq!(c.neighbors[0].capability.graceful_restart, Some(120));
    assert!(
        !c.neighbors[0].capability.software_version,
        "software-version alone is off"
    );
}

#[test]
fn family_add_path_nexthop() {
    let c = neighbor(
        "family { ipv6 unicast; ipv4 unicast; ipv4 mpls-vpn; l2vpn vpls; }\n add-path { ipv4 unicast; ipv4 flow; }\n capability { add-path send; }\n nexthop { ipv4 unicast ipv6; ipv4 mpls-vpn ipv6; }",
    );
    let n = &c.neighbors[0];
    assert_eq!(
        n.families,
        vec![
            Family::IPV4_UNICAST,
            Family::new(Afi::IPV4, Safi::MPLS_VPN),
            Family::IPV6_UNICAST,
            Family::new(Afi::L2VPN, Safi::VPLS)
        ]
    );
    // ipv4 flow is not negotiated: skipped
    assert_eq!(n.add_path, vec![Family::IPV4_UNICAST]);
    // the nexthop block switches the capability on; ipv6 mpls-vpn is not negotiated
    assert_eq!(n.capability.nexthop, Some(true));
    assert_eq!(n.nexthop.len(), 1);
    assert_eq!(n.nexthop[0].family, Family::IPV4_UNICAST);
    assert_eq!(n.nexthop[0].next_hop_afi, Afi::IPV6);
    let c = neighbor("family { all; }");
    assert_eq!(c.neighbors[0].families.len(), 21);
}

#[test]
fn rtc_and_bgp_ls_families() {
    // RFC 4684 route target constraint, and BGP-LS (RFC 7752) with its VPN SAFI.
    let c = neighbor("family { ipv4 rtc; bgp-ls bgp-ls; bgp-ls bgp-ls-vpn; }");
    let families = &c.neighbors[0].families;
    assert!(families.contains(&Family::IPV4_RTC));
    assert!(families.contains(&Family::new(Afi::BGP_LS, Safi::BGP_LS)));
    assert!(families.contains(&Family::new(Afi::BGP_LS, Safi::BGP_LS_VPN)));
    assert_eq!(families.len(), 3);
}

#[test]
fn api_blocks() {
    let c = ok(r#"
process a { run ./a.py; encoder text; }
process b { run ./b.py; encoder json; respawn false; }
neighbor 10.0.0.1 {
  local-as 1; peer-as 2; router-id 1.1.1.1;
  api speaker { processes [ a ]; neighbor-changes; }
  api {
    processes [ a, b ];
    processes-match [ "^coll" ];
    negotiated; fsm; signal;
    receive { parsed; update; notification; open; refresh; keepalive; operational; }
    send { packets; consolidate; update; }
  }
}
"#);
    assert_eq!(c.processes.len(), 2);
    assert_eq!(c.processes[0].encoder, Encoder::Text);
    assert!(c.processes[0].respawn);
    assert!(!c.processes[1].respawn);
    assert_eq!(c.processes[1].run, vec!["./b.py".to_owned()]);
    let api = &c.neighbors[0].api;
    assert_eq!(api.len(), 2);
    assert_eq!(api[0].name.as_deref(), Some("speaker"));
    assert!(api[0].neighbor_changes && !api[0].fsm);
    assert_eq!(api[1].name, None);
    assert_eq!(api[1].processes, vec!["a", "b"]);
    assert_eq!(api[1].processes_match, vec!["^coll"]);
    assert!(api[1].negotiated && api[1].fsm && api[1].signal && !api[1].neighbor_changes);
    let r = api[1].receive;
    assert!(
        r.parsed
            && r.update
            && r.notification
            && r.open
            && r.refresh
            && r.keepalive
            && r.operational
    );
    assert!(!r.packets);
    let s = api[1].send;
    assert!(s.packets && s.consolidate && s.update && !s.parsed && !s.open);
}

#[test]
fn static_and_announce_routes() {
    let c = neighbor(
        "family { ipv4 unicast; ipv6 unicast; ipv4 multicast; ipv4 mpls-vpn; ipv4 nlri-mpls; }\n static {\n route 10.0.0.0/24 next-hop 1.1.1.1 community [ 1:1 ];\n route 10.0.1.0/24 {\n next-hop self;\n med 5;\n }\n route 10.10.0.0/24 rd 65000:1 label 100 next-hop 1.1.1.1;\n }\n announce {\n ipv4 { unicast 10.1.0.0/24 next-hop 1.1.1.1; multicast 10.2.0.0/24 next-hop 1.1.1.1; nlri-mpls 10.3.0.0/24 label 5 next-hop 1.1.1.1; }\n ipv6 { unicast 2001:db8::/32 next-hop 2001:db8::1; }\n }",
    );
    let routes = &c.neighbors[0].routes;
    assert_eq!(routes.len(), 7);
    assert_eq!(
        routes[0].attributes,
        vec![Attribute::Communities(vec![Community(0x0001_0001)])]
    );
    assert_eq!(routes[1].next_hop, NextHop::SelfAddr);
    assert_eq!(routes[1].attributes, vec![Attribute::Med(5)]);
    assert_eq!(routes[2].family, Family::new(Afi::IPV4, Safi::MPLS_VPN));
    assert_eq!(routes[3].family, Family::IPV4_UNICAST);
    assert_eq!(routes[4].family, Family::IPV4_MULTICAST);
    assert_eq!(routes[5].family, Family::new(Afi::IPV4, Safi::MPLS));
    assert_eq!(routes[5].labels, vec![5]);
    assert_eq!(routes[6].family, Family::IPV6_UNICAST);
}

#[test]
fn flow_and_vpls_routes_are_typed_and_operational_kept_raw() {
    let c = neighbor(
        "family { ipv4 flow; ipv4 flow-vpn; l2vpn vpls; ipv4 unicast; }\n flow { route r1 { rd 65000:1; match { destination 10.0.0.1/32; } then { discard; } } }\n l2vpn { vpls site1 { endpoint 5; base 10702; offset 1; size 8; rd 192.0.2.10:123; next-hop 192.0.2.10; } }\n operational { asm afi ipv4 safi unicast advisory \"text\"; }",
    );
    let flow = &c.neighbors[0].routes[0];
    assert_eq!(flow.family, Family::new(Afi::IPV4, Safi::FLOW_VPN));
    assert_eq!(flow.name.as_deref(), Some("r1"));
    assert!(matches!(flow.nlri, wire::Nlri::Flow(_)));
    let vpls = &c.neighbors[0].routes[1];
    assert_eq!(vpls.family, Family::new(Afi::L2VPN, Safi::VPLS));
    assert!(matches!(&vpls.nlri, wire::Nlri::Vpls(v) if v.endpoint == 5 && v.base == 10702));
    let raw = &c.neighbors[0].raw;
    assert_eq!(raw.len(), 1);
    assert_eq!(raw[0].kind, "operational");
}

#[test]
fn templates_and_inherit() {
    let c = ok(r#"
template {
  neighbor base {
    local-as 65000;
    peer-as 65000;
    hold-time 30;
    family { ipv4 unicast; }
    static { route 1.0.0.0/8 next-hop 1.1.1.1; }
  }
  neighbor extra {
    description "from extra";
    hold-time 60;
    family { ipv6 unicast; }
  }
}
neighbor 10.0.0.1 {
  inherit [ base extra ];
  router-id 1.1.1.1;
  hold-time 90;
  static { route 2.0.0.0/8 next-hop 1.1.1.1; }
}
neighbor 10.0.0.2 {
  inherit base;
  router-id 1.1.1.1;
}
"#);
    let n = &c.neighbors[0];
    assert_eq!(n.hold_time, 90, "the neighbor's own value wins");
    assert_eq!(n.description, "from extra");
    assert_eq!(n.local_as, AsnSetting::Asn(Asn(65000)));
    assert_eq!(n.families, vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST]);
    assert_eq!(n.routes.len(), 2);
    assert_eq!(
        c.neighbors[1].hold_time, 30,
        "the first template wins over the next"
    );
    assert_eq!(c.neighbors[1].routes.len(), 1);
}

/// The anycast example from the ExaBGP 3 days: the helper `process` written inside the
/// neighbor, no encoder (text).
#[test]
fn exabgp3_process_inside_neighbor() {
    let c = ok(r#"
neighbor 192.168.1.1 {
    router-id 192.168.1.10;
    local-address 192.168.1.10;
    local-as 65001;
    peer-as 65000;

    process anycast-check {
        run /usr/local/bin/anycast-check.sh --ip 10.10.10.10;
        receive { parsed; updates; neighbor-changes; }
    }

    static {
        route 10.10.10.10/32 next-hop self;
    }
}
"#);
    assert_eq!(c.processes.len(), 1);
    let p = &c.processes[0];
    assert_eq!(p.name, "anycast-check");
    assert_eq!(
        p.run,
        vec!["/usr/local/bin/anycast-check.sh", "--ip", "10.10.10.10"]
    );
    assert_eq!(p.encoder, Encoder::Text);
    let n = &c.neighbors[0];
    assert_eq!(n.api.len(), 1);
    assert_eq!(n.api[0].processes, vec!["anycast-check"]);
    assert!(n.api[0].neighbor_changes && n.api[0].receive.parsed && n.api[0].receive.update);
    assert_eq!(n.routes[0].next_hop, NextHop::SelfAddr);
}

#[test]
fn several_files_make_one_config() {
    let c = parse(&[
        Source::new("a.conf", "process p { run x; encoder json; }\n"),
        Source::new("b.conf", "neighbor 10.0.0.1 { local-as 1; peer-as 2; router-id 1.1.1.1; api { processes [ p ]; } }\n"),
    ])
    .unwrap();
    assert_eq!((c.processes.len(), c.neighbors.len()), (1, 1));
    assert_eq!(c.processes[0].location.file, "a.conf");
}

/// The example of spec §1.13 (accepted by `exabgp validate -n`), which covers every block.
#[test]
fn spec_example_parses() {
    let path = Path::new(SHARED).join("spec/exabgp-5.md");
    let spec = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("reading {}: {e}", path.display()));
    let Some(section) = spec.split("### 1.13").nth(1) else {
        panic!("no §1.13 in the spec")
    };
    let text = section.split("```").nth(1).unwrap_or_default();
    let c = ok(text.trim_start_matches('\n'));
    assert_eq!(c.processes.len(), 2);
    let n = &c.neighbors[0];
    assert_eq!(n.hold_time, 90);
    assert_eq!(n.description, "core router 1");
    assert_eq!(n.capability.graceful_restart, Some(120));
    assert_eq!(n.capability.add_path, Some(AddPathMode::Both));
    assert_eq!(n.add_path, vec![Family::IPV4_UNICAST]);
    assert_eq!(n.nexthop.len(), 1);
    assert_eq!(n.api.len(), 2);
    // split /25 gives two routes; one route with watchdog + withdraw; one VPN route; two
    // announce routes; two flow routes; one VPLS site
    assert_eq!(n.routes.len(), 9);
    let watched = &n.routes[2];
    assert_eq!(watched.watchdog.as_deref(), Some("dog1"));
    assert!(watched.withdrawn);
    assert_eq!(n.routes[3].family, Family::new(Afi::IPV4, Safi::MPLS_VPN));
    assert_eq!(n.routes[7].family, Family::new(Afi::IPV4, Safi::FLOW_VPN));
    assert_eq!(n.routes[8].family, Family::new(Afi::L2VPN, Safi::VPLS));
    assert!(n.raw.is_empty());
    assert!(n.routes[0].attributes.contains(&Attribute::Med(100)));
}

#[test]
fn parentheses_in_values_and_routes() {
    let c = neighbor(
        "md5-password pa(ss);\n static { route 10.0.0.0/8 next-hop 1.1.1.1 aggregator (1:1.2.3.4) as-path [ 1 ] (2 3); }",
    );
    let n = &c.neighbors[0];
    assert_eq!(n.md5_password.as_deref(), Some("pa(ss)"));
    assert_eq!(n.routes[0].attributes.len(), 2);
}

#[test]
fn evpn_block_routes() {
    let c = neighbor(
        "family { l2vpn evpn; }\n evpn {\n  mac-advertisement rd 65000:1 etag 10 mac 00:11:22:33:44:55 ip 10.0.0.1 label 100 next-hop 192.0.2.1 extended-community [ target:65000:1 ];\n  multicast rd 65000:2 ip 192.0.2.1 next-hop 192.0.2.1;\n }",
    );
    let routes = &c.neighbors[0].routes;
    assert_eq!(routes.len(), 2);
    assert_eq!(routes[0].family, Family::new(Afi::L2VPN, Safi::EVPN));
    assert!(matches!(&routes[0].nlri, wire::Nlri::Evpn(r) if r.route.code() == 2));
    assert_eq!(routes[0].attributes.len(), 1);
    assert!(matches!(&routes[1].nlri, wire::Nlri::Evpn(r) if r.route.code() == 3));
    let e = errs(&format!(
        "neighbor 10.0.0.1 {{\n  {BASE}  evpn {{\n    multicast rd 65000:2 ip 192.0.2.1;\n    macadv rd 65000:1 mac 00:11 label 1 next-hop 192.0.2.1;\n  }}\n}}\n"
    ));
    assert_eq!(e.len(), 2, "{e:?}");
    assert!(
        e[0].starts_with("t.conf:6:5: invalid announcement"),
        "{e:?}"
    );
    assert!(e[1].contains("near '00:11'"), "{e:?}");
}
