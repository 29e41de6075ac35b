//! GoBGP as a peer: `gobgpd` configuration, start/restart, and JSON readback with `gobgp -j`.
//!
//! `gobgp -j neighbor ADDR adj-in` and `gobgp -j global rib` print an object keyed by
//! prefix, each holding a list of paths with numbered attributes:
//!
//! ```text
//! {"203.0.113.0/24":[{"nlri":{"prefix":"203.0.113.0/24"},"best":true,"attrs":[
//!   {"type":1,"value":0},{"type":2,"as_paths":[{"segment_type":2,"num":2,"asns":[65010,65020]}]},
//!   {"type":3,"nexthop":"192.0.2.1"},{"type":4,"metric":10},{"type":5,"value":200},
//!   {"type":8,"communities":[4259840001]},{"type":16,"value":[{"type":0,"subtype":2,"value":"65000:7"}]},
//!   {"type":32,"value":[{"ASN":65000,"LocalData1":1,"LocalData2":1}]}], …}]}
//! ```
//!
//! GoBGP treats an UPDATE whose NEXT_HOP is a loopback address as a withdraw, so test routes
//! carry documentation next hops (192.0.2.0/24).

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::net::free_port;
use crate::process::{run, wait_until, wait_while_alive, which, Daemon};
use crate::route::PeerRoute;
use crate::tmp::TempDir;

/// What `gobgpd` runs: its address, port, AS and (passive) neighbors `(address, AS)`.
#[derive(Debug, Clone)]
pub struct GobgpConfig {
    /// Router id, listen address and gRPC address.
    pub address: Ipv4Addr,
    /// BGP listen port.
    pub port: u16,
    /// GoBGP's AS.
    pub asn: u32,
    /// Neighbors `(address, AS)`; GoBGP waits for them to connect.
    pub neighbors: Vec<(Ipv4Addr, u32)>,
    /// Negotiate IPv6 unicast besides IPv4 unicast.
    pub ipv6: bool,
    /// Negotiate IPv4 VPN (RFC 4364) and IPv4 labeled unicast (RFC 8277) besides IPv4
    /// unicast.
    pub vpn: bool,
    /// Negotiate IPv4 FlowSpec (RFC 8955, GoBGP's `ipv4-flowspec`) besides IPv4 unicast;
    /// read it back with `adj_in(neighbor, "ipv4-flowspec")`.
    pub flowspec: bool,
    /// Negotiate EVPN (RFC 7432, GoBGP's `l2vpn-evpn`) besides IPv4 unicast; read it back
    /// with `adj_in(neighbor, "evpn")`.
    pub evpn: bool,
    /// Negotiate route target constraint (RFC 4684, GoBGP's `rtc`) besides IPv4 unicast;
    /// GoBGP originates one RTC route per import route target of its VRFs.
    pub rtc: bool,
}

impl GobgpConfig {
    /// The `gobgpd.toml` text.
    pub fn render(&self) -> String {
        let mut conf = String::new();
        let _ = writeln!(conf, "[global.config]");
        let _ = writeln!(conf, "  as = {}", self.asn);
        let _ = writeln!(conf, "  router-id = \"{}\"", self.address);
        let _ = writeln!(conf, "  port = {}", self.port);
        let _ = writeln!(conf, "  local-address-list = [\"{}\"]", self.address);
        for (address, asn) in &self.neighbors {
            let _ = writeln!(conf, "[[neighbors]]");
            let _ = writeln!(conf, "  [neighbors.config]");
            let _ = writeln!(conf, "    neighbor-address = \"{address}\"");
            let _ = writeln!(conf, "    peer-as = {asn}");
            let _ = writeln!(conf, "  [neighbors.transport.config]");
            let _ = writeln!(conf, "    local-address = \"{}\"", self.address);
            let _ = writeln!(conf, "    passive-mode = true");
            let _ = writeln!(conf, "  [neighbors.timers.config]");
            let _ = writeln!(conf, "    hold-time = 9");
            let _ = writeln!(conf, "    connect-retry = 2");
            if self.ipv6 || self.vpn || self.flowspec || self.evpn || self.rtc {
                let mut families = vec!["ipv4-unicast"];
                if self.ipv6 {
                    families.push("ipv6-unicast");
                }
                if self.vpn {
                    families.extend(["l3vpn-ipv4-unicast", "ipv4-labelled-unicast"]);
                }
                if self.flowspec {
                    families.push("ipv4-flowspec");
                }
                if self.evpn {
                    families.push("l2vpn-evpn");
                }
                if self.rtc {
                    families.push("rtc");
                }
                for family in families {
                    let _ = writeln!(conf, "  [[neighbors.afi-safis]]");
                    let _ = writeln!(conf, "    [neighbors.afi-safis.config]");
                    let _ = writeln!(conf, "      afi-safi-name = \"{family}\"");
                }
            }
        }
        conf
    }
}

/// A running `gobgpd`, stopped when dropped.
#[derive(Debug)]
pub struct Gobgp {
    daemon: Daemon,
    conf: PathBuf,
    dir: PathBuf,
    address: Ipv4Addr,
    grpc_port: u16,
    starts: u32,
}

impl Gobgp {
    /// Writes the configuration into `tmp`, validates it, starts `gobgpd` with its gRPC API
    /// on a free port of `config.address`, and waits until the API answers.
    pub fn start(tmp: &TempDir, config: &GobgpConfig) -> Result<Self> {
        Self::start_rendered(tmp, config.address, &config.render())
    }

    /// [`Gobgp::start`] with a configuration text of the caller's (families
    /// [`GobgpConfig`] does not name), listening for its gRPC API on `address`.
    pub fn start_rendered(tmp: &TempDir, address: Ipv4Addr, text: &str) -> Result<Self> {
        let gobgpd = which("gobgpd")?;
        which("gobgp")?;
        let conf = tmp.write("gobgpd.toml", text)?;
        let conf_arg = conf.display().to_string();
        run(
            &gobgpd.display().to_string(),
            &["-d", "-f", &conf_arg, "-p"],
        )?;
        let grpc_port = free_port(address)?;
        let this = Self {
            daemon: Self::spawn(tmp.path(), &gobgpd, &conf, address, grpc_port, 0)?,
            conf,
            dir: tmp.path().to_path_buf(),
            address,
            grpc_port,
            starts: 1,
        };
        this.wait_ready()?;
        Ok(this)
    }

    fn spawn(
        dir: &Path,
        gobgpd: &Path,
        conf: &Path,
        address: Ipv4Addr,
        grpc: u16,
        n: u32,
    ) -> Result<Daemon> {
        let args = vec![
            "-f".to_owned(),
            conf.display().to_string(),
            "-p".to_owned(),
            "--api-hosts".to_owned(),
            format!("{address}:{grpc}"),
            "--pprof-disable".to_owned(),
        ];
        Daemon::spawn(
            "gobgpd",
            gobgpd,
            &args,
            &[],
            dir,
            dir.join(format!("gobgpd.{n}.log")),
        )
    }

    fn wait_ready(&self) -> Result<()> {
        wait_until("gobgpd API", Duration::from_secs(15), || {
            self.cli(&["global"]).map_err(|e| e.to_string())
        })?;
        Ok(())
    }

    /// Stops `gobgpd` and starts it again with the same configuration (a peer restart).
    pub fn restart(&mut self) -> Result<()> {
        self.daemon.stop();
        let gobgpd = which("gobgpd")?;
        self.daemon = Self::spawn(
            &self.dir,
            &gobgpd,
            &self.conf,
            self.address,
            self.grpc_port,
            self.starts,
        )?;
        self.starts += 1;
        self.wait_ready()
    }

    /// Runs `gobgp -u ADDR -p PORT args…` and returns its output.
    pub fn cli(&self, args: &[&str]) -> Result<String> {
        let host = self.address.to_string();
        let port = self.grpc_port.to_string();
        let mut all = vec!["-u", host.as_str(), "-p", port.as_str()];
        all.extend_from_slice(args);
        run("gobgp", &all)
    }

    /// The session state of `neighbor` as GoBGP's JSON numbers it (6 = Established).
    pub fn session_state(&self, neighbor: Ipv4Addr) -> Result<u64> {
        let out = self.cli(&["-j", "neighbor", &neighbor.to_string()])?;
        let json: Value = parse_json(&out, "gobgp neighbor")?;
        Ok(json
            .pointer("/state/session_state")
            .and_then(Value::as_u64)
            .unwrap_or(0))
    }

    /// Waits until the session with `neighbor` is Established, giving up early when
    /// `alive` fails (the speaker on the other end has exited).
    pub fn wait_established(
        &self,
        neighbor: Ipv4Addr,
        limit: Duration,
        alive: impl FnMut() -> Result<()>,
    ) -> Result<()> {
        let what = format!("GoBGP session with {neighbor} Established");
        wait_while_alive(&what, limit, alive, || match self.session_state(neighbor) {
            Ok(6) => Ok(()),
            Ok(s) => Err(format!("session_state {s}")),
            Err(e) => Err(e.to_string()),
        })
    }

    /// The routes of address family `afi` (`ipv4`, `ipv6`) GoBGP received from `neighbor`
    /// (its Adj-RIB-In).
    pub fn adj_in(&self, neighbor: Ipv4Addr, afi: &str) -> Result<Vec<PeerRoute>> {
        let out = self.cli(&["-j", "neighbor", &neighbor.to_string(), "adj-in", "-a", afi])?;
        parse_rib(&out)
    }

    /// GoBGP's global RIB.
    pub fn global_rib(&self) -> Result<Vec<PeerRoute>> {
        let out = self.cli(&["-j", "global", "rib"])?;
        parse_rib(&out)
    }

    /// Originates a route: `gobgp global rib add <words…>`.
    pub fn add_route(&self, words: &[&str]) -> Result<()> {
        let mut all = vec!["global", "rib", "add"];
        all.extend_from_slice(words);
        self.cli(&all).map(drop)
    }

    /// Withdraws a route originated with [`Gobgp::add_route`].
    pub fn del_route(&self, words: &[&str]) -> Result<()> {
        let mut all = vec!["global", "rib", "del"];
        all.extend_from_slice(words);
        self.cli(&all).map(drop)
    }

    /// The last lines of GoBGP's log, for failure messages.
    pub fn log_tail(&self) -> String {
        self.daemon.log_tail(30)
    }
}

fn parse_json(text: &str, what: &str) -> Result<Value> {
    serde_json::from_str(text.trim()).map_err(|e| HarnessError::Parse {
        what: what.to_owned(),
        reason: format!("{e}: {text}"),
    })
}

/// Parses `gobgp -j … adj-in` / `global rib` output (the first path of each prefix).
pub fn parse_rib(text: &str) -> Result<Vec<PeerRoute>> {
    if text.trim().is_empty() || text.trim() == "null" {
        return Ok(Vec::new());
    }
    let json = parse_json(text, "gobgp rib")?;
    let Some(object) = json.as_object() else {
        return Err(HarnessError::Parse {
            what: "gobgp rib".into(),
            reason: format!("not an object: {text}"),
        });
    };
    let mut routes = Vec::new();
    for (prefix, paths) in object {
        let Some(path) = paths.as_array().and_then(|p| p.first()) else {
            continue;
        };
        let mut route = PeerRoute::new(prefix);
        if let Some(nlri) = path.get("nlri") {
            apply_nlri(&mut route, nlri);
        }
        for attr in path
            .get("attrs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            apply_attr(&mut route, attr);
        }
        routes.push(route);
    }
    Ok(routes)
}

/// Labels and RD of a labeled or VPN path: `{"prefix":…,"labels":[300],
/// "rd":{"type":0,"admin":65001,"assigned":9}}`.
fn apply_nlri(route: &mut PeerRoute, nlri: &Value) {
    route.labels = nlri
        .get("labels")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|l| l.as_u64().and_then(|n| u32::try_from(n).ok()))
        .collect();
    route.rd = nlri.get("rd").map(|rd| {
        let part = |k: &str| match rd.get(k) {
            Some(Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => "?".into(),
        };
        format!("{}:{}", part("admin"), part("assigned"))
    });
}

fn apply_attr(route: &mut PeerRoute, attr: &Value) {
    let num = |v: Option<&Value>| {
        v.and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    match attr.get("type").and_then(Value::as_u64) {
        Some(1) => {
            route.origin = match num(attr.get("value")) {
                Some(0) => Some("igp".into()),
                Some(1) => Some("egp".into()),
                Some(2) => Some("incomplete".into()),
                other => other.map(|n| n.to_string()),
            }
        }
        Some(2) => {
            let segments = attr.get("as_paths").and_then(Value::as_array);
            route.as_path = segments
                .into_iter()
                .flatten()
                .filter_map(|s| s.get("asns").and_then(Value::as_array))
                .flatten()
                .filter_map(|a| num(Some(a)))
                .collect();
        }
        // NEXT_HOP, or MP_REACH_NLRI's next hop (RFC 4760) for IPv6.
        Some(3 | 14) => {
            route.next_hop = attr
                .get("nexthop")
                .and_then(Value::as_str)
                .map(str::to_owned)
        }
        Some(4) => route.med = num(attr.get("metric")),
        Some(5) => route.local_pref = num(attr.get("value")),
        Some(8) => {
            let list = attr.get("communities").and_then(Value::as_array);
            route.communities = list
                .into_iter()
                .flatten()
                .filter_map(|c| num(Some(c)))
                .map(|c| format!("{}:{}", c >> 16, c & 0xffff))
                .collect();
        }
        Some(16) => {
            let list = attr.get("value").and_then(Value::as_array);
            route.ext_communities = list.into_iter().flatten().map(ext_name).collect();
        }
        Some(32) => {
            let list = attr.get("value").and_then(Value::as_array);
            route.large_communities = list
                .into_iter()
                .flatten()
                .map(|c| {
                    let part =
                        |k: &str| num(c.get(k)).map_or_else(|| "?".into(), |n| n.to_string());
                    format!(
                        "{}:{}:{}",
                        part("ASN"),
                        part("LocalData1"),
                        part("LocalData2")
                    )
                })
                .collect();
        }
        _ => {}
    }
}

/// GoBGP's `{"type":0,"subtype":2,"value":"65000:7"}` → `target:65000:7` (RFC 4360 §4:
/// subtype 2 is route target, 3 route origin); the FlowSpec traffic-rate action
/// `{"type":128,"subtype":6,"as":0,"rate":1000000}` → `traffic-rate:0:1000000` (RFC 8955
/// §7.3: rate 0 is discard).
fn ext_name(c: &Value) -> String {
    let value = c.get("value").and_then(Value::as_str).unwrap_or("?");
    let kind = c.get("type").and_then(Value::as_u64);
    match c.get("subtype").and_then(Value::as_u64) {
        Some(6) if kind == Some(128) => {
            let part = |k: &str| c.get(k).map_or_else(|| "?".into(), Value::to_string);
            format!("traffic-rate:{}:{}", part("as"), part("rate"))
        }
        Some(2) => format!("target:{value}"),
        Some(3) => format!("origin:{value}"),
        other => format!(
            "{}-{}:{value}",
            c.get("type").and_then(Value::as_u64).unwrap_or(0),
            other.unwrap_or(0)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Captured from GoBGP 3.10 after ExaBGP 5.0.15 announced the route over iBGP.
    const ADJ_IN: &str = r#"{"203.0.113.0/24":[{"nlri":{"prefix":"203.0.113.0/24"},"age":1795586833,"best":false,"attrs":[{"type":1,"value":0},{"type":2,"as_paths":[{"segment_type":2,"num":2,"asns":[65010,65020]}]},{"type":3,"nexthop":"192.0.2.1"},{"type":4,"metric":10},{"type":5,"value":200},{"type":8,"communities":[4259840001,4259840002]},{"type":16,"value":[{"type":0,"subtype":2,"value":"65000:7"}]},{"type":32,"value":[{"ASN":65000,"LocalData1":1,"LocalData2":1}]}],"stale":false,"source-id":"127.0.8.2","neighbor-ip":"127.0.8.2"}]}"#;

    #[test]
    fn parses_every_attribute() {
        let routes = parse_rib(ADJ_IN).unwrap();
        assert_eq!(
            routes,
            vec![PeerRoute {
                origin: Some("igp".into()),
                next_hop: Some("192.0.2.1".into()),
                as_path: vec![65010, 65020],
                med: Some(10),
                local_pref: Some(200),
                communities: vec!["65000:1".into(), "65000:2".into()],
                large_communities: vec!["65000:1:1".into()],
                ext_communities: vec!["target:65000:7".into()],
                ..PeerRoute::new("203.0.113.0/24")
            }]
        );
    }

    // GoBGP 3.10's adj-in for an IPv6 route from ExaBGP 5.0.15 over an IPv4 session.
    const ADJ_IN_V6: &str = r#"{"2001:db8:1::/48":[{"nlri":{"prefix":"2001:db8:1::/48"},"age":1795587841,"best":false,"attrs":[{"type":1,"value":0},{"type":2,"as_paths":[]},{"type":4,"metric":20},{"type":5,"value":100},{"type":8,"communities":[4259840006]},{"type":14,"nexthop":"2001:db8::1","afi":2,"safi":1,"value":[{"prefix":"2001:db8:1::/48"}]}],"stale":false,"source-id":"127.152.1.2","neighbor-ip":"127.152.1.2"}]}"#;

    #[test]
    fn parses_mp_reach_next_hop() {
        let routes = parse_rib(ADJ_IN_V6).unwrap();
        assert_eq!(
            routes,
            vec![PeerRoute {
                origin: Some("igp".into()),
                next_hop: Some("2001:db8::1".into()),
                med: Some(20),
                local_pref: Some(100),
                communities: vec!["65000:6".into()],
                ..PeerRoute::new("2001:db8:1::/48")
            }]
        );
    }

    // GoBGP 3.10's global RIB for `gobgp global rib -a vpnv4 add 198.51.100.0/25 label 300
    // rd 65001:9 rt 65001:9 nexthop 192.0.2.254`.
    const RIB_VPN: &str = r#"{"65001:9:198.51.100.0/25":[{"nlri":{"prefix":"198.51.100.0/25","labels":[300],"rd":{"type":0,"admin":65001,"assigned":9}},"age":1796524671,"best":true,"attrs":[{"type":1,"value":2},{"type":16,"value":[{"type":0,"subtype":2,"value":"65001:9"}]},{"type":14,"nexthop":"192.0.2.254","afi":1,"safi":128,"value":[{"prefix":"198.51.100.0/25","labels":[300],"rd":{"type":0,"admin":65001,"assigned":9}}]}],"stale":false}]}"#;

    #[test]
    fn parses_vpn_labels_and_rd() {
        let routes = parse_rib(RIB_VPN).unwrap();
        assert_eq!(
            routes,
            vec![PeerRoute {
                origin: Some("incomplete".into()),
                next_hop: Some("192.0.2.254".into()),
                ext_communities: vec!["target:65001:9".into()],
                labels: vec![300],
                rd: Some("65001:9".into()),
                ..PeerRoute::new("65001:9:198.51.100.0/25")
            }]
        );
    }

    // GoBGP 3's global RIB after `gobgp global rib -a ipv4-flowspec add match destination
    // 203.0.113.20/32 protocol tcp destination-port ==443 then rate-limit 1000000`: the key
    // is GoBGP's text of the match.
    const RIB_FLOW: &str = r#"{"[destination: 203.0.113.20/32][protocol: ==tcp][destination-port: ==443]":[{"nlri":{"value":[{"type":1,"value":{"prefix":"203.0.113.20/32"}},{"type":3,"value":[{"op":129,"value":6}]},{"type":5,"value":[{"op":145,"value":443}]}]},"age":1796527673,"best":true,"attrs":[{"type":1,"value":2},{"type":16,"value":[{"type":128,"subtype":6,"as":0,"rate":1000000}]},{"type":14,"nexthop":"0.0.0.0","afi":1,"safi":133,"value":[{"value":[{"type":1,"value":{"prefix":"203.0.113.20/32"}},{"type":3,"value":[{"op":129,"value":6}]},{"type":5,"value":[{"op":145,"value":443}]}]}]}],"stale":false}]}"#;

    #[test]
    fn parses_flowspec_match_and_traffic_rate() {
        let routes = parse_rib(RIB_FLOW).unwrap();
        assert_eq!(
            routes,
            vec![PeerRoute {
                origin: Some("incomplete".into()),
                next_hop: Some("0.0.0.0".into()),
                ext_communities: vec!["traffic-rate:0:1000000".into()],
                ..PeerRoute::new(
                    "[destination: 203.0.113.20/32][protocol: ==tcp][destination-port: ==443]"
                )
            }]
        );
    }

    #[test]
    fn empty_rib_is_empty() {
        assert!(parse_rib("{}\n").unwrap().is_empty());
        assert!(parse_rib("").unwrap().is_empty());
    }

    #[test]
    fn config_is_passive() {
        let conf = GobgpConfig {
            address: Ipv4Addr::new(127, 0, 8, 1),
            port: 21180,
            asn: 65001,
            neighbors: vec![(Ipv4Addr::new(127, 0, 8, 2), 65002)],
            ipv6: true,
            vpn: true,
            rtc: false,
            flowspec: true,
            evpn: true,
        }
        .render();
        assert!(conf.contains("neighbor-address = \"127.0.8.2\""));
        assert!(conf.contains("passive-mode = true"));
        assert!(conf.contains("port = 21180"));
        assert!(conf.contains("afi-safi-name = \"ipv6-unicast\""));
        assert!(conf.contains("afi-safi-name = \"l3vpn-ipv4-unicast\""));
        assert!(conf.contains("afi-safi-name = \"ipv4-flowspec\""));
        assert!(conf.contains("afi-safi-name = \"l2vpn-evpn\""));
    }
}
