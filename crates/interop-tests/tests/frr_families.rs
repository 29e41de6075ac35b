//! EVPN (RFC 7432, RFC 9136) and FlowSpec (RFC 8955, RFC 8956) from Herald to FRR 8.4's
//! `bgpd`, read back field by field from FRR's own JSON (`vtysh`):
//!
//! - EVPN routes of types 2, 3 and 5 from Herald's `evpn { }` block: FRR holds each under
//!   its RD with the Ethernet Tag, MAC, IP or prefix, the label field (FRR shows it whole,
//!   as its "VNI": `label 100` is 100 << 4 with the bottom-of-stack bit, RFC 3032 §2.1),
//!   the route target, the next hop, and for the multicast route the PMSI tunnel (RFC 6514
//!   §5, Ingress Replication). Announced again with another label, a route is replaced;
//!   withdrawn by its key alone (no label nor ESI), it is gone.
//! - IPv4 and IPv6 flow rules from Herald's `flow { }` block: FRR holds each with its
//!   match components and its action (traffic-rate, RFC 8955 §7.3; `discard` is rate 0).
//!
//! FRR runs standalone (no `zebra`) on a loopback subnet of the test's own, over iBGP so
//! that no RFC 8212 policy is needed. FRR 8.4 does not print an IP Prefix route's gateway
//! IP in its JSON, so that field is not checked here (GoBGP checks it, `scenario_evpn`).

use std::net::Ipv4Addr;
use std::path::PathBuf;

use herald_interop_tests::herald::{speaker_env, start_daemon};
use herald_interop_tests::lab::{ROUTE_LIMIT, SESSION_LIMIT};
use herald_interop_tests::net::{free_port, Subnet};
use herald_interop_tests::process::{run, wait_until, wait_while_alive, Daemon};
use herald_interop_tests::tmp::TempDir;
use serde_json::Value;

const AS: u32 = 65090;

/// Where Debian's `frr` package puts `bgpd` (it is not on `PATH`).
const BGPD_PATHS: [&str; 2] = ["/usr/lib/frr/bgpd", "/usr/libexec/frr/bgpd"];

fn bgpd_conf(frr: Ipv4Addr, herald: Ipv4Addr) -> String {
    format!(
        "frr defaults traditional
hostname herald-frr-families
log stdout
router bgp {AS}
 bgp router-id {frr}
 no bgp network import-check
 neighbor {herald} remote-as {AS}
 neighbor {herald} passive
 neighbor {herald} update-source {frr}
 neighbor {herald} timers 3 9
 address-family ipv4 unicast
  no neighbor {herald} activate
 exit-address-family
 address-family ipv4 flowspec
  neighbor {herald} activate
 exit-address-family
 address-family ipv6 flowspec
  neighbor {herald} activate
 exit-address-family
 address-family l2vpn evpn
  neighbor {herald} activate
 exit-address-family
"
    )
}

fn herald_conf(herald: Ipv4Addr, frr: Ipv4Addr, port: u16) -> String {
    format!(
        "process commands {{ run ./helper.sh; encoder text; }}
neighbor {frr} {{
  router-id {herald};
  local-address {herald};
  local-as {AS};
  peer-as {AS};
  hold-time 9;
  connect {port};
  family {{ ipv4 flow; ipv6 flow; l2vpn evpn; }}
  api {{ processes [ commands ]; }}
  evpn {{
    mac-advertisement rd 65000:1 etag 10 mac 00:11:22:33:44:55 ip 10.0.0.1 label 100 next-hop 192.0.2.1 extended-community [ target:65000:1 ];
    multicast rd 65000:2 etag 20 ip 192.0.2.1 next-hop 192.0.2.1 pmsi-tunnel ingress-replication 192.0.2.1 vni 300 extended-community [ target:65000:2 ];
    ip-prefix rd 65000:3 etag 30 198.51.100.0/24 gateway 192.0.2.9 label 300 next-hop 192.0.2.1 extended-community [ target:65000:3 ];
  }}
  flow {{
    route web {{
      match {{
        destination 192.0.2.0/24; source 198.51.100.0/24; protocol [ tcp udp ];
        destination-port [ =80 =443 ]; source-port >1024; packet-length [ >100&<1500 ];
        dscp 46; icmp-type 8;
      }}
      then {{ rate-limit 9600; }}
    }}
    route ssh {{
      match {{ destination 2001:db8::/32; next-header tcp; destination-port =22; }}
      then {{ discard; }}
    }}
  }}
}}
"
    )
}

/// FRR and Herald on a subnet of their own, Established.
struct Pair {
    tmp: TempDir,
    frr: Daemon,
    herald: Daemon,
    herald_addr: Ipv4Addr,
}

impl Pair {
    fn start(label: &str) -> Self {
        let bgpd = BGPD_PATHS
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .expect("FRR bgpd");
        let tmp = TempDir::new(label).unwrap();
        let subnet = Subnet::next();
        let (frr_addr, herald_addr) = (subnet.host(1), subnet.host(2));
        let port = free_port(frr_addr).unwrap();
        let conf = tmp
            .write("bgpd.conf", &bgpd_conf(frr_addr, herald_addr))
            .unwrap();
        let conf = conf.display().to_string();
        run(
            &bgpd.display().to_string(),
            &["-C", "-f", &conf, "-S", "-Z", "-p", "0"],
        )
        .unwrap();
        let user = run("id", &["-un"]).unwrap().trim().to_owned();
        let group = run("id", &["-gn"]).unwrap().trim().to_owned();
        let dir = tmp.path().display().to_string();
        let args = [
            "-f",
            &conf,
            "-i",
            &tmp.join("bgpd.pid").display().to_string(),
            "--vty_socket",
            &dir,
            "-p",
            &port.to_string(),
            "-l",
            &frr_addr.to_string(),
            "-u",
            &user,
            "-g",
            &group,
            "-Z",
            "-n",
            "-S",
            "-P",
            "0",
        ]
        .map(str::to_owned);
        let frr =
            Daemon::spawn("bgpd", &bgpd, &args, &[], tmp.path(), tmp.join("bgpd.log")).unwrap();
        tmp.write("herald.conf", &herald_conf(herald_addr, frr_addr, port))
            .unwrap();
        // The API helper replays the commands the test appends to commands.txt.
        tmp.write("commands.txt", "").unwrap();
        tmp.write_script(
            "helper.sh",
            "#!/bin/sh\nexec tail -n +1 -F commands.txt 2>/dev/null\n",
        )
        .unwrap();
        let env = speaker_env(&[("HERALD_SOCKET", "off")]).unwrap();
        let herald = start_daemon(tmp.path(), "herald.conf", &env).unwrap();
        let pair = Self {
            tmp,
            frr,
            herald,
            herald_addr,
        };
        wait_until("FRR vty", SESSION_LIMIT, || {
            pair.vtysh("show bgp summary json")
        })
        .unwrap_or_else(|e| panic!("{e}\n{}", pair.diagnostics()));
        let neighbor = pair.herald_addr.to_string();
        wait_while_alive(
            "FRR session with Herald Established",
            SESSION_LIMIT,
            || pair.alive(),
            || {
                let json = pair.json(&format!("show bgp neighbors {neighbor} json"))?;
                match json.pointer(&format!("/{neighbor}/bgpState")) {
                    Some(state) if state == "Established" => Ok(()),
                    other => Err(format!("{other:?}")),
                }
            },
        )
        .unwrap_or_else(|e| panic!("{e}\n{}", pair.diagnostics()));
        pair
    }

    fn alive(&self) -> herald_interop_tests::error::Result<()> {
        self.herald.alive()?;
        self.frr.alive()
    }

    fn vtysh(&self, command: &str) -> Result<String, String> {
        let dir = self.tmp.path().display().to_string();
        run(
            "vtysh",
            &["--vty_socket", &dir, "-d", "bgpd", "-c", command],
        )
        .map_err(|e| e.to_string())
    }

    fn json(&self, command: &str) -> Result<Value, String> {
        let text = self.vtysh(command)?;
        serde_json::from_str(text.trim()).map_err(|e| format!("{command}: {e}: {text}"))
    }

    /// Waits until `command`'s JSON satisfies `done`, and returns it.
    fn wait_json(&self, command: &str, done: impl Fn(&Value) -> bool) -> Value {
        wait_while_alive(
            command,
            ROUTE_LIMIT,
            || self.alive(),
            || {
                let json = self.json(command)?;
                if done(&json) {
                    Ok(json)
                } else {
                    Err(json.to_string())
                }
            },
        )
        .unwrap_or_else(|e| panic!("{e}\n{}", self.diagnostics()))
    }

    /// Has the API helper send `line`.
    fn send(&self, line: &str) {
        use std::io::Write as _;
        let mut file = std::fs::File::options()
            .append(true)
            .open(self.tmp.join("commands.txt"))
            .unwrap();
        writeln!(file, "{line}").unwrap();
    }

    fn diagnostics(&self) -> String {
        self.tmp.keep();
        format!("{}\n{}", self.herald.log_tail(40), self.frr.log_tail(40))
    }
}

/// The one path FRR holds for `prefix` under `rd` in `show bgp l2vpn evpn route detail
/// json`, with the route's own fields merged in.
fn evpn_path(table: &Value, rd: &str, prefix: &str) -> Value {
    let route = &table[rd][prefix];
    let mut path = route["paths"][0][0].clone();
    for key in ["rd", "routeType", "ethTag", "macLen", "mac", "ipLen", "ip"] {
        if let Some(v) = route.get(key) {
            path[key] = v.clone();
        }
    }
    path
}

#[test]
fn frr_holds_herald_evpn_routes() {
    let pair = Pair::start("frr-evpn");
    let table = pair.wait_json("show bgp l2vpn evpn route detail json", |t| {
        t["numPrefix"] == 3
    });
    let peer = pair.herald_addr.to_string();

    let mac = evpn_path(
        &table,
        "65000:1",
        "[2]:[10]:[48]:[00:11:22:33:44:55]:[32]:[10.0.0.1]",
    );
    // Label 100 in the label field: 100 << 4 | bottom of stack = 1601 (RFC 3032 §2.1).
    for (key, want) in [
        ("routeType", Value::from(2)),
        ("ethTag", 10.into()),
        ("mac", "00:11:22:33:44:55".into()),
        ("ip", "10.0.0.1".into()),
        ("vni", "1601".into()),
    ] {
        assert_eq!(mac[key], want, "{key}: {mac:#}");
    }
    assert_eq!(
        mac.pointer("/extendedCommunity/string"),
        Some(&"RT:65000:1".into())
    );
    assert_eq!(mac.pointer("/nexthops/0/ip"), Some(&"192.0.2.1".into()));
    assert_eq!(mac.pointer("/peer/peerId"), Some(&peer.into()));

    let multicast = evpn_path(&table, "65000:2", "[3]:[20]:[32]:[192.0.2.1]");
    assert_eq!(multicast["routeType"], 3, "{multicast:#}");
    assert_eq!(multicast["ethTag"], 20, "{multicast:#}");
    assert_eq!(multicast["ip"], "192.0.2.1", "{multicast:#}");
    // RFC 7432 §11.2: the PMSI tunnel, type 6, with the VNI 300 written whole.
    assert_eq!(
        multicast["pmsi"],
        serde_json::json!({ "tunnelType": "Ingress Replication", "label": 300 }),
        "{multicast:#}"
    );
    assert_eq!(
        multicast.pointer("/extendedCommunity/string"),
        Some(&"RT:65000:2".into())
    );

    let prefix = evpn_path(&table, "65000:3", "[5]:[30]:[24]:[198.51.100.0]");
    for (key, want) in [
        ("routeType", Value::from(5)),
        ("ethTag", 30.into()),
        ("ipLen", 24.into()),
        ("ip", "198.51.100.0".into()),
        ("vni", "4801".into()),
    ] {
        assert_eq!(prefix[key], want, "{key}: {prefix:#}");
    }
    assert_eq!(
        prefix.pointer("/extendedCommunity/string"),
        Some(&"RT:65000:3".into())
    );
    assert_eq!(prefix.pointer("/nexthops/0/ip"), Some(&"192.0.2.1".into()));

    // RFC 7432 §7.2: the label and ESI are no part of the route key. Announced again with
    // label 200 (200 << 4 | 1 = 3201), the route is replaced; withdrawn without label nor
    // ESI, it is gone and the two others stay.
    let mac_route = "[2]:[10]:[48]:[00:11:22:33:44:55]:[32]:[10.0.0.1]";
    pair.send(
        "announce evpn mac-advertisement rd 65000:1 esi 00:11:22:33:44:55:66:77:88:99 etag 10 \
         mac 00:11:22:33:44:55 ip 10.0.0.1 label 200 next-hop 192.0.2.1 \
         extended-community [ target:65000:1 ]",
    );
    let table = pair.wait_json("show bgp l2vpn evpn route detail json", |t| {
        t["numPrefix"] == 3 && evpn_path(t, "65000:1", mac_route)["vni"] == "3201"
    });
    assert_eq!(
        table["65000:1"][mac_route]["paths"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
    pair.send(
        "withdraw evpn mac-advertisement rd 65000:1 etag 10 mac 00:11:22:33:44:55 ip 10.0.0.1",
    );
    let table = pair.wait_json("show bgp l2vpn evpn route detail json", |t| {
        t["numPrefix"] == 2
    });
    assert!(table.get("65000:1").is_none(), "{table:#}");
    assert!(
        table.get("65000:2").is_some() && table.get("65000:3").is_some(),
        "{table:#}"
    );
}

#[test]
fn frr_holds_herald_flow_rules() {
    let pair = Pair::start("frr-flow");
    let routes = |afi: &str| {
        let table = pair.wait_json(&format!("show bgp {afi} flowspec json"), |t| {
            t["routes"].as_object().is_some_and(|r| !r.is_empty())
        });
        let routes: Vec<Value> = table["routes"]
            .as_object()
            .into_iter()
            .flatten()
            .flat_map(|(_, paths)| paths.as_array().cloned().unwrap_or_default())
            .collect();
        assert_eq!(routes.len(), 1, "{table:#}");
        routes[0].clone()
    };
    let peer = Value::from(pair.herald_addr.to_string());
    assert_eq!(routes("ipv4")["peerId"], peer);
    assert_eq!(routes("ipv6")["peerId"], peer);
    // FRR's detail: the match components in its notation, then the actions.
    let detail = |afi: &str| {
        pair.json(&format!("show bgp {afi} flowspec detail json"))
            .unwrap_or_else(|e| panic!("{e}\n{}", pair.diagnostics()))
    };
    let v4 = detail("ipv4");
    assert_eq!(
        v4[0],
        serde_json::json!({
            "to": "192.0.2.0/24", "from": "198.51.100.0/24", "proto": "= 6 , = 17 ",
            "dstp": "= 80 , = 443 ", "srcp": "> 1024 ", "pktlen": "> 100 , < 1500 ",
            "dscp": "= 46 ", "type": "= 8 "
        }),
        "{v4:#}"
    );
    // RFC 8955 §7.3: traffic-rate in bytes per second.
    assert_eq!(v4[1]["ecomlist"], "FS:rate 9600.000000", "{v4:#}");
    let v6 = detail("ipv6");
    // RFC 8956 §3.1: an IPv6 destination prefix with its offset (0 here).
    assert_eq!(
        v6[0],
        serde_json::json!({ "to": "2001:db8::/32/off 0", "proto": "= 6 ", "dstp": "= 22 " }),
        "{v6:#}"
    );
    // `discard` is traffic-rate 0.
    assert_eq!(v6[1]["ecomlist"], "FS:rate 0.000000", "{v6:#}");
}
