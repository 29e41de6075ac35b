//! BIRD 2 as a peer: configuration, start/restart, and readback through `birdc`.
//!
//! BIRD's readback is text only. [`parse_routes`] reads `show route all protocol P`:
//!
//! ```text
//! Table master4:
//! 203.0.113.0/24       unreachable [spk 06:06:52.946 from 127.0.9.2] * (100) [AS65020i]
//!         Type: BGP univ
//!         BGP.origin: IGP
//!         BGP.as_path: 65010 65020
//!         BGP.next_hop: 192.0.2.1
//!         BGP.community: (65000,1) (65000,2)
//!         BGP.ext_community: (rt, 65000, 7)
//!         BGP.large_community: (65000, 1, 1)
//! ```
//!
//! On loopback an eBGP session needs `multihop` ("Invalid remote address" otherwise), and
//! next hops are documentation addresses (192.0.2.0/24) that BIRD marks `unreachable`: the
//! route is still stored and shown, which is all the tests need.

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::PathBuf;
use std::time::Duration;

use crate::error::{HarnessError, Result};
use crate::process::{run, wait_until, wait_while_alive, which, Daemon};
use crate::route::PeerRoute;
use crate::tmp::TempDir;

/// One BGP neighbor of BIRD; its protocol is named `name`.
#[derive(Debug, Clone)]
pub struct BirdNeighbor {
    /// The protocol name, used in `birdc` commands.
    pub name: String,
    /// The neighbor's address (it connects to BIRD; BIRD is passive).
    pub address: Ipv4Addr,
    /// The neighbor's AS.
    pub asn: u32,
}

/// What BIRD runs: its address, port and AS, its neighbors and the routes it originates.
#[derive(Debug, Clone)]
pub struct BirdConfig {
    /// Router id and listen address.
    pub address: Ipv4Addr,
    /// Listen port.
    pub port: u16,
    /// BIRD's AS.
    pub asn: u32,
    /// Its BGP neighbors.
    pub neighbors: Vec<BirdNeighbor>,
    /// Static routes in BIRD syntax without the trailing `;`, e.g.
    /// `route 198.51.100.0/25 blackhole { bgp_med = 5; }`; exported to every neighbor.
    pub static_routes: Vec<String>,
    /// The NEXT_HOP BIRD sets on the routes it exports.
    pub export_next_hop: Ipv4Addr,
    /// More export filter statements, e.g. `bgp_med = 5;` (BIRD zeroes MED on eBGP export
    /// unless the export filter sets it).
    pub export_statements: Vec<String>,
    /// Also negotiate IPv6 unicast (import only) on every session.
    pub ipv6: bool,
}

impl BirdConfig {
    /// The `bird.conf` text. Only static routes are exported, so routes learned from one
    /// neighbor are never passed to another.
    pub fn render(&self) -> String {
        let mut conf = String::new();
        let _ = writeln!(conf, "log stderr all;");
        let _ = writeln!(conf, "router id {};", self.address);
        let _ = writeln!(conf, "protocol device {{}}");
        let _ = writeln!(conf, "protocol static s4 {{");
        let _ = writeln!(conf, "  ipv4;");
        for route in &self.static_routes {
            let _ = writeln!(conf, "  {route};");
        }
        let _ = writeln!(conf, "}}");
        for n in &self.neighbors {
            let _ = writeln!(conf, "protocol bgp {} {{", n.name);
            let _ = writeln!(
                conf,
                "  local {} port {} as {};",
                self.address, self.port, self.asn
            );
            let _ = writeln!(conf, "  neighbor {} as {};", n.address, n.asn);
            let _ = writeln!(conf, "  passive on;");
            let _ = writeln!(conf, "  multihop 2;");
            let _ = writeln!(conf, "  hold time 9;");
            let _ = writeln!(
                conf,
                "  ipv4 {{ import all; export filter {{ if source != RTS_STATIC then reject; \
                 bgp_next_hop = {}; {} accept; }}; }};",
                self.export_next_hop,
                self.export_statements.join(" ")
            );
            if self.ipv6 {
                let _ = writeln!(conf, "  ipv6 {{ import all; export none; }};");
            }
            let _ = writeln!(conf, "}}");
        }
        conf
    }
}

/// A running BIRD, stopped when dropped.
#[derive(Debug)]
pub struct Bird {
    daemon: Daemon,
    conf: PathBuf,
    ctl: PathBuf,
    dir: PathBuf,
    starts: u32,
}

impl Bird {
    /// Writes the configuration into `tmp`, checks it with `bird -p`, starts BIRD and waits
    /// until its control socket answers.
    pub fn start(tmp: &TempDir, config: &BirdConfig) -> Result<Self> {
        Self::start_text(tmp, &config.render())
    }

    /// As [`Bird::start`], with a configuration written by the test (for channels and
    /// tables that [`BirdConfig`] does not describe, such as `flow4` or `vpn4 mpls`).
    pub fn start_text(tmp: &TempDir, text: &str) -> Result<Self> {
        let bird = which("bird")?;
        which("birdc")?;
        let conf = tmp.write("bird.conf", text)?;
        let conf_arg = conf.display().to_string();
        run(&bird.display().to_string(), &["-p", "-c", &conf_arg])?;
        let ctl = tmp.join("bird.ctl");
        let this = Self {
            daemon: Self::spawn(tmp.path().to_path_buf(), &bird, &conf, &ctl, 0)?,
            conf,
            ctl,
            dir: tmp.path().to_path_buf(),
            starts: 1,
        };
        this.wait_ready()?;
        Ok(this)
    }

    fn spawn(
        dir: PathBuf,
        bird: &std::path::Path,
        conf: &std::path::Path,
        ctl: &std::path::Path,
        n: u32,
    ) -> Result<Daemon> {
        let args = vec![
            "-f".to_owned(),
            "-c".to_owned(),
            conf.display().to_string(),
            "-s".to_owned(),
            ctl.display().to_string(),
            "-P".to_owned(),
            dir.join("bird.pid").display().to_string(),
        ];
        let log = dir.join(format!("bird.{n}.log"));
        Daemon::spawn("bird", bird, &args, &[], &dir, log)
    }

    fn wait_ready(&self) -> Result<()> {
        wait_until("BIRD control socket", Duration::from_secs(10), || {
            self.birdc(&["show", "status"]).map_err(|e| e.to_string())
        })?;
        Ok(())
    }

    /// Stops BIRD and starts it again with the same configuration (a peer restart).
    pub fn restart(&mut self) -> Result<()> {
        self.daemon.stop();
        let bird = which("bird")?;
        self.daemon = Self::spawn(self.dir.clone(), &bird, &self.conf, &self.ctl, self.starts)?;
        self.starts += 1;
        self.wait_ready()
    }

    /// Runs `birdc -s <ctl> args…` and returns its output.
    pub fn birdc(&self, args: &[&str]) -> Result<String> {
        let ctl = self.ctl.display().to_string();
        let mut all = vec!["-s", ctl.as_str()];
        all.extend_from_slice(args);
        run("birdc", &all)
    }

    /// The BGP state of protocol `proto` (`Established`, `Active`, …).
    pub fn state(&self, proto: &str) -> Result<String> {
        let out = self.birdc(&["show", "protocols", "all", proto])?;
        out.lines()
            .find_map(|l| l.trim().strip_prefix("BGP state:"))
            .map(|s| s.trim().to_owned())
            .ok_or_else(|| HarnessError::Parse {
                what: format!("BIRD protocol {proto}"),
                reason: out.clone(),
            })
    }

    /// Waits until protocol `proto` is Established, giving up early when `alive` fails
    /// (the speaker on the other end has exited).
    pub fn wait_established(
        &self,
        proto: &str,
        limit: Duration,
        alive: impl FnMut() -> Result<()>,
    ) -> Result<()> {
        let what = format!("BIRD protocol {proto} Established");
        wait_while_alive(&what, limit, alive, || match self.state(proto) {
            Ok(s) if s == "Established" => Ok(()),
            Ok(s) => Err(s),
            Err(e) => Err(e.to_string()),
        })
    }

    /// The routes BIRD received from protocol `proto`.
    pub fn routes(&self, proto: &str) -> Result<Vec<PeerRoute>> {
        let out = self.birdc(&["show", "route", "all", "protocol", proto])?;
        Ok(parse_routes(&out))
    }

    /// The last lines of BIRD's log, for failure messages.
    pub fn log_tail(&self) -> String {
        self.daemon.log_tail(30)
    }
}

/// Parses `birdc show route all …` output into routes (the first path of each prefix).
pub fn parse_routes(text: &str) -> Vec<PeerRoute> {
    let mut routes: Vec<PeerRoute> = Vec::new();
    let mut current: Option<PeerRoute> = None;
    for line in text.lines() {
        let starts_route = line.chars().next().is_some_and(|c| c.is_ascii_hexdigit())
            && line
                .split_whitespace()
                .next()
                .is_some_and(|w| w.contains('/'));
        if starts_route {
            routes.extend(current.take());
            let prefix = line.split_whitespace().next().unwrap_or_default();
            current = Some(PeerRoute::new(prefix));
            continue;
        }
        if line.starts_with("Table ") || !line.starts_with(char::is_whitespace) {
            routes.extend(current.take());
            continue;
        }
        let (Some(route), Some((key, value))) = (current.as_mut(), line.trim().split_once(':'))
        else {
            continue;
        };
        let value = value.trim();
        match key {
            "BGP.origin" => route.origin = Some(value.to_ascii_lowercase()),
            "BGP.next_hop" => route.next_hop = value.split_whitespace().next().map(str::to_owned),
            "BGP.as_path" => {
                route.as_path = value
                    .split(|c: char| !c.is_ascii_digit())
                    .filter_map(|w| w.parse().ok())
                    .collect();
            }
            "BGP.med" => route.med = value.parse().ok(),
            "BGP.local_pref" => route.local_pref = value.parse().ok(),
            "BGP.community" => route.communities = tuples(value).map(|t| t.join(":")).collect(),
            "BGP.large_community" => {
                route.large_communities = tuples(value).map(|t| t.join(":")).collect();
            }
            "BGP.ext_community" => route.ext_communities = tuples(value).map(ext_name).collect(),
            _ => {}
        }
    }
    routes.extend(current);
    routes
}

/// Splits `(a,b) (c, d, e)` into `["a","b"]`, `["c","d","e"]`.
fn tuples(value: &str) -> impl Iterator<Item = Vec<&str>> {
    value
        .split(')')
        .map(|t| t.trim().trim_start_matches('('))
        .filter(|t| !t.is_empty())
        .map(|t| t.split(',').map(str::trim).collect())
}

/// BIRD's `(rt, 65000, 7)` → `target:65000:7`, `(ro, …)` → `origin:…`.
fn ext_name(parts: Vec<&str>) -> String {
    let kind = match parts.first().copied() {
        Some("rt") => "target",
        Some("ro") => "origin",
        Some(other) => other,
        None => "",
    };
    let rest: Vec<&str> = parts.into_iter().skip(1).collect();
    format!("{kind}:{}", rest.join(":"))
}

#[cfg(test)]
mod tests {
    use super::*;

    // Captured from BIRD 2.0.12 after ExaBGP 5.0.15 announced the route over iBGP.
    const SHOW_ROUTE: &str = "BIRD 2.0.12 ready.
Table master4:
203.0.113.0/24       unreachable [spk 06:06:52.946 from 127.0.9.2] * (100) [AS65020i]
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 65010 65020
\tBGP.next_hop: 192.0.2.1
\tBGP.med: 10
\tBGP.local_pref: 200
\tBGP.community: (65000,1) (65000,2)
\tBGP.ext_community: (rt, 65000, 7)
\tBGP.large_community: (65000, 1, 1)
198.51.100.128/25    unreachable [spk 06:07:00.602 from 127.0.9.2] * (100) [i]
\tType: BGP univ
\tBGP.origin: IGP
\tBGP.as_path: 
\tBGP.next_hop: 192.0.2.1
\tBGP.local_pref: 100
";

    #[test]
    fn parses_every_attribute() {
        let routes = parse_routes(SHOW_ROUTE);
        assert_eq!(routes.len(), 2);
        assert_eq!(
            routes[0],
            PeerRoute {
                origin: Some("igp".into()),
                next_hop: Some("192.0.2.1".into()),
                as_path: vec![65010, 65020],
                med: Some(10),
                local_pref: Some(200),
                communities: vec!["65000:1".into(), "65000:2".into()],
                large_communities: vec!["65000:1:1".into()],
                ext_communities: vec!["target:65000:7".into()],
                ..PeerRoute::new("203.0.113.0/24")
            }
        );
        assert_eq!(routes[1].prefix, "198.51.100.128/25");
        assert!(routes[1].as_path.is_empty());
        assert_eq!(routes[1].med, None);
    }

    #[test]
    fn empty_table_has_no_routes() {
        assert!(parse_routes("BIRD 2.0.12 ready.\n").is_empty());
    }

    #[test]
    fn config_exports_only_static_routes() {
        let conf = BirdConfig {
            address: Ipv4Addr::new(127, 0, 9, 1),
            port: 21179,
            asn: 65001,
            neighbors: vec![BirdNeighbor {
                name: "spk".into(),
                address: Ipv4Addr::new(127, 0, 9, 2),
                asn: 65002,
            }],
            static_routes: vec!["route 198.51.100.0/25 blackhole".into()],
            export_next_hop: Ipv4Addr::new(192, 0, 2, 254),
            export_statements: vec!["bgp_med = 5;".into()],
            ipv6: true,
        }
        .render();
        assert!(conf.contains("local 127.0.9.1 port 21179 as 65001;"));
        assert!(conf.contains("neighbor 127.0.9.2 as 65002;"));
        assert!(conf.contains(
            "if source != RTS_STATIC then reject; bgp_next_hop = 192.0.2.254; bgp_med = 5; accept;"
        ));
        assert!(conf.contains("  route 198.51.100.0/25 blackhole;"));
        assert!(conf.contains("  ipv6 { import all; export none; };"));
    }
}
