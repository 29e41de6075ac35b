//! FlowSpec (RFC 8955, RFC 8956) and L3VPN (RFC 4364, RFC 4659) with BIRD 2, both ways:
//!
//! - Herald announces IPv4 and IPv6 flow rules with many match components and actions, and
//!   VPNv4/VPNv6 routes, from its configuration; BIRD holds each one, read back from its
//!   `flow4`, `flow6`, `vpn4` and `vpn6` tables in BIRD's own words.
//! - BIRD originates IPv4 and IPv6 flow rules (`static` flow routes); Herald's helper
//!   receives each UPDATE twice (`packets` and `parsed`), and the parsed JSON equals what
//!   `exabgp decode` (ExaBGP 5.0.15) prints for the raw bytes of the same UPDATE.

use std::net::Ipv4Addr;

use herald_interop_tests::bird::Bird;
use herald_interop_tests::differential::{comparable, exabgp_outputs, Case};
use herald_interop_tests::herald::{speaker_env, start_daemon};
use herald_interop_tests::lab::{ROUTE_LIMIT, SESSION_LIMIT};
use herald_interop_tests::net::{free_port, Subnet};
use herald_interop_tests::process::{wait_while_alive, Daemon};
use herald_interop_tests::tmp::TempDir;
use serde_json::Value;

const HERALD_AS: u32 = 65080;
const BIRD_AS: u32 = 65081;

fn bird_conf(bird: Ipv4Addr, port: u16, herald: Ipv4Addr) -> String {
    format!(
        "log stderr all;
router id {bird};
protocol device {{}}
flow4 table f4;
flow6 table f6;
vpn4 table v4;
vpn6 table v6;
protocol static sf4 {{
  flow4 {{ table f4; }};
  route flow4 {{ dst 10.0.0.0/8; src 10.9.0.0/16; proto 6, 17; dport 80, 443..445;
    sport > 1024; icmp type 8; tcp flags 0x2/0x2; length > 100 && < 1500; dscp 46;
    fragment first_fragment; }};
}}
protocol static sf6 {{
  flow6 {{ table f6; }};
  route flow6 {{ dst 2001:db8::/32; next header 6; dport 22; label 5; }};
}}
protocol bgp herald {{
  local {bird} port {port} as {BIRD_AS};
  neighbor {herald} as {HERALD_AS};
  passive on; multihop 2; hold time 9;
  flow4 {{ table f4; import all; export where source = RTS_STATIC; }};
  flow6 {{ table f6; import all; export where source = RTS_STATIC; }};
  vpn4 mpls {{ table v4; import all; export none; }};
  vpn6 mpls {{ table v6; import all; export none; }};
}}
"
    )
}

fn herald_conf(herald: Ipv4Addr, bird: Ipv4Addr, port: u16) -> String {
    format!(
        "process receive {{ run ./receive.sh; encoder json; }}
neighbor {bird} {{
  router-id {herald};
  local-address {herald};
  local-as {HERALD_AS};
  peer-as {BIRD_AS};
  hold-time 9;
  connect {port};
  family {{ ipv4 flow; ipv6 flow; ipv4 mpls-vpn; ipv6 mpls-vpn; }}
  api {{ processes [ receive ]; receive {{ parsed; packets; update; }} }}
  static {{
    route 10.1.0.0/24 rd 65000:1 label 100 next-hop 192.0.2.1 med 20 extended-community [ target:65000:1 ];
    route 2001:db8:1::/48 rd 1.2.3.4:7 label [ 200 ] next-hop 2001:db8::1 extended-community [ target:65000:2 ];
  }}
  flow {{
    route web {{
      match {{
        destination 192.0.2.0/24; source 198.51.100.0/24; protocol [ tcp udp ];
        destination-port [ =80 =443 ]; source-port >1024; packet-length [ >100&<1500 ];
        dscp 46; tcp-flags [ syn ]; fragment [ first-fragment ]; icmp-type 8;
      }}
      then {{ rate-limit 9600; }}
    }}
    route ssh {{
      match {{ destination 2001:db8::/32; next-header tcp; destination-port =22; flow-label 5; }}
      then {{ discard; community [ 65000:666 ]; }}
    }}
  }}
}}
"
    )
}

/// BIRD and Herald on a subnet of their own, Established.
struct Pair {
    tmp: TempDir,
    bird: Bird,
    herald: Daemon,
}

impl Pair {
    fn start() -> Self {
        let tmp = TempDir::new("bird-families").unwrap();
        let subnet = Subnet::next();
        let (bird_addr, herald_addr) = (subnet.host(1), subnet.host(2));
        let port = free_port(bird_addr).unwrap();
        let bird = Bird::start_text(&tmp, &bird_conf(bird_addr, port, herald_addr)).unwrap();
        tmp.write("herald.conf", &herald_conf(herald_addr, bird_addr, port))
            .unwrap();
        tmp.write_script("receive.sh", "#!/bin/sh\nexec cat >> received.json\n")
            .unwrap();
        let env = speaker_env(&[("HERALD_SOCKET", "off")]).unwrap();
        let herald = start_daemon(tmp.path(), "herald.conf", &env).unwrap();
        let pair = Self { tmp, bird, herald };
        pair.bird
            .wait_established("herald", SESSION_LIMIT, || pair.herald.alive())
            .unwrap_or_else(|e| panic!("{e}\n{}", pair.diagnostics()));
        pair
    }

    fn diagnostics(&self) -> String {
        self.tmp.keep();
        format!("{}\n{}", self.herald.log_tail(40), self.bird.log_tail())
    }

    /// Waits until `birdc show route all table TABLE` satisfies `done`.
    fn wait_table(&self, table: &str, done: impl Fn(&str) -> bool) -> String {
        wait_while_alive(
            &format!("BIRD table {table}"),
            ROUTE_LIMIT,
            || self.herald.alive(),
            || {
                let text = self
                    .bird
                    .birdc(&["show", "route", "all", "table", table])
                    .map_err(|e| e.to_string())?;
                if done(&text) {
                    Ok(text)
                } else {
                    Err(text)
                }
            },
        )
        .unwrap_or_else(|e| panic!("{e}\n{}", self.diagnostics()))
    }

    /// The helper's JSON lines once there are at least `count` parsed updates.
    fn received(&self, count: usize) -> Vec<Value> {
        let path = self.tmp.join("received.json");
        wait_while_alive(
            "the updates from BIRD",
            ROUTE_LIMIT,
            || self.herald.alive(),
            || {
                let text = std::fs::read_to_string(&path).unwrap_or_default();
                let lines: Vec<Value> = text
                    .lines()
                    .filter_map(|l| serde_json::from_str(l).ok())
                    .collect();
                let parsed = lines
                    .iter()
                    .filter(|l| l.pointer("/neighbor/message/update/announce").is_some())
                    .count();
                if parsed >= count {
                    Ok(lines)
                } else {
                    Err(text)
                }
            },
        )
        .unwrap_or_else(|e| panic!("{e}\n{}", self.diagnostics()))
    }
}

/// The lines of BIRD's text for one route, without the line that carries the time.
fn route_block<'a>(text: &'a str, first: &str) -> Vec<&'a str> {
    let mut lines = text.lines().skip_while(|l| !l.starts_with(first));
    let Some(_) = lines.next() else {
        return Vec::new();
    };
    lines
        .take_while(|l| l.starts_with(char::is_whitespace))
        .map(str::trim)
        .collect()
}

#[test]
fn herald_announces_flow_and_vpn_routes_to_bird() {
    let pair = Pair::start();
    // BIRD prints a flow by its components; `!0x0/0x2` is "SYN set", `!!first_fragment`
    // "first-fragment set", the extended community 0x8006 is traffic-rate (RFC 8955 §7.3)
    // with 9600.0 as an IEEE float (0x46160000).
    let flow4 = "flow4 { dst 192.0.2.0/24; src 198.51.100.0/24; proto 6,17; dport 80,443; \
                 sport > 1024; icmp type 8; tcp flags !0x0/0x2; length > 100 && < 1500; dscp 46; \
                 fragment !!first_fragment; }";
    let text = pair.wait_table("f4", |t| t.contains(flow4));
    let block = route_block(&text, flow4);
    assert!(block.contains(&"BGP.as_path: 65080"), "{text}");
    assert!(
        block.contains(&"BGP.ext_community: (generic, 0x80060000, 0x46160000)"),
        "{text}"
    );

    let flow6 = "flow6 { dst 2001:db8::/32; next header 6; dport 22; label 5; }";
    let text = pair.wait_table("f6", |t| t.contains(flow6));
    let block = route_block(&text, flow6);
    assert!(
        block.contains(&"BGP.ext_community: (generic, 0x80060000, 0x0)"),
        "{text}"
    );
    assert!(block.contains(&"BGP.community: (65000,666)"), "{text}");

    let vpn4 = "65000:1 10.1.0.0/24";
    let text = pair.wait_table("v4", |t| t.contains(vpn4));
    let block = route_block(&text, vpn4);
    for line in [
        "BGP.next_hop: 192.0.2.1",
        "BGP.med: 20",
        "BGP.ext_community: (rt, 65000, 1)",
        "BGP.mpls_label_stack: 100",
    ] {
        assert!(block.contains(&line), "{line} missing:\n{text}");
    }

    let vpn6 = "1.2.3.4:7 2001:db8:1::/48";
    let text = pair.wait_table("v6", |t| t.contains(vpn6));
    let block = route_block(&text, vpn6);
    for line in [
        "BGP.next_hop: 2001:db8::1",
        "BGP.ext_community: (rt, 65000, 2)",
        "BGP.mpls_label_stack: 200",
    ] {
        assert!(block.contains(&line), "{line} missing:\n{text}");
    }
}

#[test]
fn herald_prints_birds_flow_rules_as_exabgp_decodes_them() {
    let pair = Pair::start();
    let lines = pair.received(2);
    // each parsed update follows its raw form
    let mut cases = Vec::new();
    let mut parsed = Vec::new();
    for (raw, next) in lines.iter().zip(lines.iter().skip(1)) {
        let (Some(header), Some(body), Some(update)) = (
            raw.pointer("/neighbor/message/header")
                .and_then(Value::as_str),
            raw.pointer("/neighbor/message/body")
                .and_then(Value::as_str),
            next.pointer("/neighbor/message/update"),
        ) else {
            continue;
        };
        if update.get("announce").is_none() {
            continue;
        }
        let hex = format!("{}{}", &header[2..], &body[2..]);
        cases.push(Case {
            id: format!("bird update {}", cases.len() + 1),
            args: vec![hex],
        });
        parsed.push(update.clone());
    }
    let families: Vec<String> = parsed
        .iter()
        .filter_map(|u| u["announce"].as_object())
        .flat_map(|a| a.keys().cloned())
        .collect();
    assert!(
        families.contains(&"ipv4 flow".to_owned()) && families.contains(&"ipv6 flow".to_owned()),
        "{families:?}\n{}",
        pair.diagnostics()
    );
    let exabgp = exabgp_outputs(&cases).expect("exabgp decode");
    for ((case, herald), exabgp) in cases.iter().zip(&parsed).zip(&exabgp) {
        let exabgp = comparable(exabgp)
            .and_then(|v| v.pointer("/neighbor/message/update").cloned())
            .unwrap_or_else(|| panic!("{}: exabgp printed {exabgp}", case.id));
        assert_eq!(herald, &exabgp, "{}", case.id);
    }
    // and the rules are BIRD's: the IPv4 one names every component it was given
    let v4 = parsed
        .iter()
        .find_map(|u| u.pointer("/announce/ipv4 flow/no-nexthop/0"))
        .unwrap();
    assert_eq!(v4["destination-ipv4"][0], "10.0.0.0/8");
    assert_eq!(v4["destination-port"][1], ">=443&<=445");
    assert_eq!(v4["fragment"][0], "=first-fragment");
}
