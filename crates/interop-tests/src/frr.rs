//! FRR's `bgpd` as a peer, run standalone (no `zebra`): configuration, start/restart, and
//! JSON readback through `vtysh`.
//!
//! Facts this module relies on (FRR 8.4, `shared/spec/interop-peers.md`):
//! - RFC 8212 is on by default: an eBGP neighbor needs route-maps in both directions, or
//!   nothing is accepted or sent. The route-maps are written *before* `router bgp`: a
//!   route-map referenced before it is defined denies every route until FRR's route-map
//!   delay timer (5 s) runs ("DENIED due to: route-map").
//! - `no bgp network import-check`, because without `zebra` no prefix is "in the RIB".
//! - `show bgp ipv4 unicast PREFIX json` gives every path with its attributes:
//!
//! ```text
//! {"prefix":"203.0.113.0/24","paths":[{"aspath":{"segments":[{"type":"as-sequence","list":[65010,65020]}]},
//!   "origin":"IGP","metric":10,"locPrf":200,"community":{"list":["65000:1"]},
//!   "extendedCommunity":{"string":"RT:65000:7"},"largeCommunity":{"list":["65000:1:1"]},
//!   "nexthops":[{"ip":"192.0.2.1","afi":"ipv4",…}],"peer":{"peerId":"127.0.7.2",…}}]}
//! ```

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::process::{run, wait_until, wait_while_alive, Daemon};
use crate::route::PeerRoute;
use crate::tmp::TempDir;

/// Where Debian's `frr` package puts `bgpd` (it is not on `PATH`).
const BGPD_PATHS: [&str; 2] = ["/usr/lib/frr/bgpd", "/usr/libexec/frr/bgpd"];

/// What `bgpd` runs: address, port, AS, (passive) neighbors and the routes it originates.
#[derive(Debug, Clone)]
pub struct FrrConfig {
    /// Router id, listen address and update source.
    pub address: Ipv4Addr,
    /// Listen port.
    pub port: u16,
    /// FRR's AS.
    pub asn: u32,
    /// Neighbors `(address, AS)`; FRR waits for them to connect.
    pub neighbors: Vec<(Ipv4Addr, u32)>,
    /// IPv4 prefixes originated with `network P route-map ORIG`.
    pub networks: Vec<String>,
    /// `set …` lines of route-map ORIG, e.g. `set metric 5`.
    pub origin_sets: Vec<String>,
    /// The NEXT_HOP set on every exported route.
    pub export_next_hop: Ipv4Addr,
    /// Also accept IPv6 unicast (import only).
    pub ipv6: bool,
}

impl FrrConfig {
    /// The `bgpd.conf` text.
    pub fn render(&self) -> String {
        let mut c = String::new();
        let _ = writeln!(c, "frr defaults traditional");
        let _ = writeln!(c, "hostname herald-interop");
        let _ = writeln!(c, "log stdout");
        let _ = writeln!(c, "route-map IN permit 10");
        let _ = writeln!(c, "route-map OUT permit 10");
        let _ = writeln!(c, " set ip next-hop {}", self.export_next_hop);
        let _ = writeln!(c, "route-map ORIG permit 10");
        for set in &self.origin_sets {
            let _ = writeln!(c, " {set}");
        }
        let _ = writeln!(c, "router bgp {}", self.asn);
        let _ = writeln!(c, " bgp router-id {}", self.address);
        let _ = writeln!(c, " no bgp network import-check");
        for (n, asn) in &self.neighbors {
            let _ = writeln!(c, " neighbor {n} remote-as {asn}");
            let _ = writeln!(c, " neighbor {n} passive");
            let _ = writeln!(c, " neighbor {n} update-source {}", self.address);
            let _ = writeln!(c, " neighbor {n} timers 3 9");
            if *asn != self.asn {
                let _ = writeln!(c, " neighbor {n} ebgp-multihop 2");
            }
        }
        let _ = writeln!(c, " address-family ipv4 unicast");
        for network in &self.networks {
            let _ = writeln!(c, "  network {network} route-map ORIG");
        }
        for (n, _) in &self.neighbors {
            let _ = writeln!(c, "  neighbor {n} route-map IN in");
            let _ = writeln!(c, "  neighbor {n} route-map OUT out");
        }
        let _ = writeln!(c, " exit-address-family");
        if self.ipv6 {
            let _ = writeln!(c, " address-family ipv6 unicast");
            for (n, _) in &self.neighbors {
                let _ = writeln!(c, "  neighbor {n} activate");
                let _ = writeln!(c, "  neighbor {n} route-map IN in");
            }
            let _ = writeln!(c, " exit-address-family");
        }
        c
    }
}

/// A running standalone `bgpd`, stopped when dropped.
#[derive(Debug)]
pub struct Frr {
    daemon: Daemon,
    bgpd: PathBuf,
    conf: PathBuf,
    dir: PathBuf,
    config: FrrConfig,
    starts: u32,
}

impl Frr {
    /// Writes the configuration into `tmp`, checks it (`bgpd -C`), starts `bgpd` and waits
    /// until `vtysh` reaches it.
    pub fn start(tmp: &TempDir, config: &FrrConfig) -> Result<Self> {
        let bgpd = BGPD_PATHS
            .iter()
            .map(PathBuf::from)
            .find(|p| p.is_file())
            .ok_or_else(|| HarnessError::Missing {
                program: "FRR bgpd".into(),
            })?;
        crate::process::which("vtysh")?;
        let conf = tmp.write("bgpd.conf", &config.render())?;
        let bgpd_arg = bgpd.display().to_string();
        let conf_arg = conf.display().to_string();
        run(&bgpd_arg, &["-C", "-f", &conf_arg, "-S", "-Z", "-p", "0"])?;
        let this = Self {
            daemon: Self::spawn(tmp.path(), &bgpd, &conf, config, 0)?,
            bgpd,
            conf,
            dir: tmp.path().to_path_buf(),
            config: config.clone(),
            starts: 1,
        };
        this.wait_ready()?;
        Ok(this)
    }

    fn spawn(dir: &Path, bgpd: &Path, conf: &Path, config: &FrrConfig, n: u32) -> Result<Daemon> {
        let user = run("id", &["-un"])?.trim().to_owned();
        let group = run("id", &["-gn"])?.trim().to_owned();
        let args = [
            "-f".to_owned(),
            conf.display().to_string(),
            "-i".to_owned(),
            dir.join("bgpd.pid").display().to_string(),
            "--vty_socket".to_owned(),
            dir.display().to_string(),
            "-p".to_owned(),
            config.port.to_string(),
            "-l".to_owned(),
            config.address.to_string(),
            "-u".to_owned(),
            user,
            "-g".to_owned(),
            group,
            "-Z".to_owned(),
            "-n".to_owned(),
            "-S".to_owned(),
            "-P".to_owned(),
            "0".to_owned(),
        ];
        let log = dir.join(format!("bgpd.{n}.log"));
        Daemon::spawn("bgpd", bgpd, &args, &[], dir, log)
    }

    fn wait_ready(&self) -> Result<()> {
        wait_until("FRR vty", Duration::from_secs(15), || {
            self.vtysh(&["show bgp summary json"])
                .map_err(|e| e.to_string())
        })?;
        Ok(())
    }

    /// Stops `bgpd` and starts it again with the same configuration (a peer restart).
    pub fn restart(&mut self) -> Result<()> {
        self.daemon.stop();
        self.daemon = Self::spawn(&self.dir, &self.bgpd, &self.conf, &self.config, self.starts)?;
        self.starts += 1;
        self.wait_ready()
    }

    /// Runs `vtysh --vty_socket DIR -d bgpd -c C1 -c C2 …` and returns its output.
    pub fn vtysh(&self, commands: &[&str]) -> Result<String> {
        let dir = self.dir.display().to_string();
        let mut args = vec!["--vty_socket", dir.as_str(), "-d", "bgpd"];
        for command in commands {
            args.push("-c");
            args.push(command);
        }
        run("vtysh", &args)
    }

    /// The BGP state of `neighbor` (`Established`, `Active`, …).
    pub fn state(&self, neighbor: Ipv4Addr) -> Result<String> {
        let out = self.vtysh(&[&format!("show bgp neighbors {neighbor} json")])?;
        let json = parse_json(&out, "show bgp neighbors")?;
        Ok(json
            .get(neighbor.to_string())
            .and_then(|n| n.get("bgpState"))
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_owned())
    }

    /// Waits until the session with `neighbor` is Established, giving up early when
    /// `alive` fails (the speaker on the other end has exited).
    pub fn wait_established(
        &self,
        neighbor: Ipv4Addr,
        limit: Duration,
        alive: impl FnMut() -> Result<()>,
    ) -> Result<()> {
        let what = format!("FRR session with {neighbor} Established");
        wait_while_alive(&what, limit, alive, || match self.state(neighbor) {
            Ok(s) if s == "Established" => Ok(()),
            Ok(s) => Err(s),
            Err(e) => Err(e.to_string()),
        })
    }

    /// The routes of address family `afi` (`ipv4`, `ipv6`) FRR holds from `neighbor`.
    pub fn routes_from(&self, neighbor: Ipv4Addr, afi: &str) -> Result<Vec<PeerRoute>> {
        let table = self.vtysh(&[&format!("show bgp {afi} unicast json")])?;
        let table = parse_json(&table, "show bgp unicast")?;
        let peer = neighbor.to_string();
        let prefixes: Vec<String> = table
            .get("routes")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .filter(|(_, paths)| {
                paths
                    .as_array()
                    .into_iter()
                    .flatten()
                    .any(|p| p.get("peerId").and_then(Value::as_str) == Some(peer.as_str()))
            })
            .map(|(prefix, _)| prefix.clone())
            .collect();
        let mut routes = Vec::new();
        for prefix in prefixes {
            let out = self.vtysh(&[&format!("show bgp {afi} unicast {prefix} json")])?;
            routes.extend(parse_route(&parse_json(&out, "show bgp PREFIX")?, &peer));
        }
        Ok(routes)
    }

    /// Stops originating `prefix` (`no network PREFIX`).
    pub fn withdraw_network(&self, prefix: &str) -> Result<()> {
        self.vtysh(&[
            "configure terminal",
            &format!("router bgp {}", self.config.asn),
            "address-family ipv4 unicast",
            &format!("no network {prefix} route-map ORIG"),
        ])
        .map(drop)
    }

    /// The last lines of `bgpd`'s log, for failure messages.
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

/// The path learned from `peer` in a `show bgp … PREFIX json` answer.
pub fn parse_route(detail: &Value, peer: &str) -> Option<PeerRoute> {
    let prefix = detail.get("prefix").and_then(Value::as_str)?;
    let path = detail
        .get("paths")
        .and_then(Value::as_array)?
        .iter()
        .find(|p| p.pointer("/peer/peerId").and_then(Value::as_str) == Some(peer))?;
    let num = |key: &str| {
        path.get(key)
            .and_then(Value::as_u64)
            .and_then(|n| u32::try_from(n).ok())
    };
    let list = |key: &str| -> Vec<String> {
        path.pointer(&format!("/{key}/list"))
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect()
    };
    Some(PeerRoute {
        origin: path
            .get("origin")
            .and_then(Value::as_str)
            .map(str::to_ascii_lowercase),
        next_hop: path
            .get("nexthops")
            .and_then(Value::as_array)
            .and_then(|n| n.first())
            .and_then(|n| n.get("ip"))
            .and_then(Value::as_str)
            .map(str::to_owned),
        as_path: path
            .pointer("/aspath/segments")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|s| s.get("list").and_then(Value::as_array))
            .flatten()
            .filter_map(Value::as_u64)
            .filter_map(|n| u32::try_from(n).ok())
            .collect(),
        med: num("metric"),
        local_pref: num("locPrf"),
        communities: list("community"),
        large_communities: list("largeCommunity"),
        ext_communities: path
            .pointer("/extendedCommunity/string")
            .and_then(Value::as_str)
            .map(|s| s.split_whitespace().map(ext_name).collect())
            .unwrap_or_default(),
        ..PeerRoute::new(prefix)
    })
}

/// FRR's `RT:65000:7` → `target:65000:7`, `SoO:…` → `origin:…`.
fn ext_name(word: &str) -> String {
    match word.split_once(':') {
        Some(("RT", rest)) => format!("target:{rest}"),
        Some(("SoO", rest)) => format!("origin:{rest}"),
        _ => word.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // FRR 8.4.4's answer after ExaBGP 5.0.15 announced the route over iBGP.
    const DETAIL: &str = r#"{"prefix": "203.0.113.0/24", "version": 2, "paths": [{"aspath": {"string": "65010 65020", "segments": [{"type": "as-sequence", "list": [65010, 65020]}], "length": 2}, "origin": "IGP", "metric": 10, "locPrf": 200, "valid": true, "version": 2, "bestpath": {"overall": true, "selectionReason": "First path received"}, "community": {"string": "65000:1 65000:2", "list": ["65000:1", "65000:2"]}, "extendedCommunity": {"string": "RT:65000:7"}, "largeCommunity": {"string": "65000:1:1", "list": ["65000:1:1"]}, "lastUpdate": {"epoch": 1795588238, "string": "Wed Nov 25 06:30:38 2026\n"}, "nexthops": [{"ip": "192.0.2.1", "afi": "ipv4", "metric": 0, "accessible": true, "used": true}], "peer": {"peerId": "127.0.7.2", "routerId": "127.0.7.2", "type": "internal"}}]}"#;

    #[test]
    fn parses_every_attribute() {
        let detail: Value = serde_json::from_str(DETAIL).unwrap();
        assert_eq!(
            parse_route(&detail, "127.0.7.2"),
            Some(PeerRoute {
                origin: Some("igp".into()),
                next_hop: Some("192.0.2.1".into()),
                as_path: vec![65010, 65020],
                med: Some(10),
                local_pref: Some(200),
                communities: vec!["65000:1".into(), "65000:2".into()],
                large_communities: vec!["65000:1:1".into()],
                ext_communities: vec!["target:65000:7".into()],
                ..PeerRoute::new("203.0.113.0/24")
            })
        );
        assert_eq!(parse_route(&detail, "127.0.7.3"), None);
    }

    #[test]
    fn route_maps_come_before_router_bgp() {
        let conf = FrrConfig {
            address: Ipv4Addr::new(127, 0, 7, 1),
            port: 21182,
            asn: 65001,
            neighbors: vec![(Ipv4Addr::new(127, 0, 7, 2), 65002)],
            networks: vec!["198.51.100.0/25".into()],
            origin_sets: vec!["set metric 5".into()],
            export_next_hop: Ipv4Addr::new(192, 0, 2, 254),
            ipv6: false,
        }
        .render();
        let route_map = conf.find("route-map IN permit 10").unwrap();
        let router = conf.find("router bgp 65001").unwrap();
        assert!(route_map < router);
        assert!(conf.contains(" neighbor 127.0.7.2 ebgp-multihop 2"));
        assert!(conf.contains("  network 198.51.100.0/25 route-map ORIG"));
        assert!(!conf.contains("ipv6"));
    }
}
