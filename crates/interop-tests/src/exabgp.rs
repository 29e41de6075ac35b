//! ExaBGP 5 itself as the (passive) peer: configuration, start/restart, originating routes
//! through a text helper, and readback by replaying the JSON a receive helper writes.
//!
//! ExaBGP has no RIB to query from outside, so the peer is given the same two helpers as a
//! [`crate::speaker::Speaker`], in a directory of its own (`exabgp-peer/`):
//!
//! | file | what |
//! |---|---|
//! | `peer.conf` | one passive `neighbor` per speaker, both helpers on every neighbor |
//! | `commands.txt` | what the `commands` helper sends ([`ExabgpPeer::send`] appends a line) |
//! | `helper.sh` | `tail -n +1 -F commands.txt`: a restarted peer replays every command |
//! | `receive.sh` | `cat >> received.<n>.jsonl`, one file per start `n` of the peer |
//! | `exabgp.<n>.log` | the daemon's stdout and stderr for start `n` |
//!
//! ExaBGP 5.0.15 writes, for a route received over iBGP (`receive { parsed; update; }`):
//!
//! ```text
//! { …, "type": "state", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, …, "state": "up" } }
//! { …, "type": "update", "neighbor": { "address": { …, "peer": "127.55.0.2" }, …, "direction": "receive",
//!   "message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65010, 65020]}},
//!   "med": 10, "local-preference": 200, "community": [ [ 65000, 1 ], [ 65000, 2 ] ],
//!   "extended-community": [ { "value": 842122827661319, "string": "target:65000:7" } ],
//!   "large-community": [ [ 65000, 1 , 1 ] ] },
//!   "announce": { "ipv4 unicast": { "192.0.2.1": [ { "nlri": "203.0.113.0/24" } ] } } } } } }
//! { …, "message": { "update": { "withdraw": { "ipv6 unicast": [ { "nlri": "2001:db8:1::/48" } ] } } } } }
//! { …, "message": { "eor": { "afi" : "ipv4", "safi" : "unicast" } } } }
//! ```
//!
//! [`replay`] turns these into the routes the peer holds from one neighbor: an announce adds
//! or replaces, a withdraw removes, and every `state` message of that neighbor (a session
//! going down or coming up) empties its Adj-RIB-In, as ExaBGP does.

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::herald::speaker_env;
use crate::json::parse_lines;
use crate::process::{wait_while_alive, which, Daemon};
use crate::route::PeerRoute;
use crate::speaker::{append_line, shell_quote};
use crate::tmp::TempDir;

mod replay;

pub use replay::{last_state, replay};

/// The sub-directory of the lab's directory the peer runs in.
const DIR: &str = "exabgp-peer";

/// What the ExaBGP peer runs: its address, port, AS and (passive) neighbors `(address, AS)`.
#[derive(Debug, Clone)]
pub struct ExabgpPeerConfig {
    /// Router id, listen address and local address of every session.
    pub address: Ipv4Addr,
    /// Listen port (`exabgp_tcp_port`).
    pub port: u16,
    /// ExaBGP's AS.
    pub asn: u32,
    /// Neighbors `(address, AS)`; ExaBGP waits for them to connect.
    pub neighbors: Vec<(Ipv4Addr, u32)>,
    /// Negotiate IPv6 unicast besides IPv4 unicast.
    pub ipv6: bool,
    /// Negotiate L2VPN VPLS and IPv4/IPv6 MCAST-VPN too.
    pub l2: bool,
}

impl ExabgpPeerConfig {
    /// The configuration file, with the helpers of `dir`.
    pub fn render(&self, dir: &Path) -> String {
        let mut conf = String::new();
        let _ = writeln!(conf, "process commands {{");
        let _ = writeln!(conf, "    run {};", dir.join("helper.sh").display());
        let _ = writeln!(conf, "    encoder text;");
        let _ = writeln!(conf, "}}");
        let _ = writeln!(conf, "process receive {{");
        let _ = writeln!(conf, "    run {};", dir.join("receive.sh").display());
        let _ = writeln!(conf, "    encoder json;");
        let _ = writeln!(conf, "}}");
        let ipv6 = if self.ipv6 { " ipv6 unicast;" } else { "" };
        for (address, asn) in &self.neighbors {
            let _ = writeln!(conf, "neighbor {address} {{");
            let _ = writeln!(conf, "    router-id {};", self.address);
            let _ = writeln!(conf, "    local-address {};", self.address);
            let _ = writeln!(conf, "    local-as {};", self.asn);
            let _ = writeln!(conf, "    peer-as {asn};");
            let _ = writeln!(conf, "    passive;");
            let _ = writeln!(conf, "    hold-time 9;");
            let l2 = if self.l2 {
                crate::speaker::L2_FAMILIES
            } else {
                ""
            };
            let _ = writeln!(conf, "    family {{ ipv4 unicast;{ipv6}{l2} }}");
            let _ = writeln!(conf, "    api {{");
            let _ = writeln!(conf, "        processes [ commands, receive ];");
            let _ = writeln!(conf, "        receive {{ parsed; update; }}");
            let _ = writeln!(conf, "        neighbor-changes;");
            let _ = writeln!(conf, "    }}");
            let _ = writeln!(conf, "}}");
        }
        conf
    }
}

/// A running ExaBGP peer, stopped when dropped.
#[derive(Debug)]
pub struct ExabgpPeer {
    daemon: Daemon,
    program: PathBuf,
    dir: PathBuf,
    conf: PathBuf,
    env: Vec<(String, String)>,
    /// Starts so far; start `n` writes `received.<n>.jsonl` and `exabgp.<n>.log`.
    starts: u32,
}

impl ExabgpPeer {
    /// Writes the configuration and helpers into `tmp/exabgp-peer/`, starts ExaBGP listening
    /// on `config.address`:`config.port`, and waits until it has loaded the configuration.
    pub fn start(tmp: &TempDir, config: &ExabgpPeerConfig) -> Result<Self> {
        let program = which("exabgp")?;
        let dir = tmp.join(DIR);
        tmp.write(&format!("{DIR}/commands.txt"), "")?;
        tmp.write_script(
            &format!("{DIR}/helper.sh"),
            &format!(
                "#!/bin/sh\n# Sends every line of commands.txt, from the start, then follows it.\n\
                 exec tail -n +1 -F {} 2>/dev/null\n",
                shell_quote(&dir.join("commands.txt"))
            ),
        )?;
        let conf = tmp.write(&format!("{DIR}/peer.conf"), &config.render(&dir))?;
        let env = speaker_env(&[
            ("exabgp_tcp_bind", &config.address.to_string()),
            ("exabgp_tcp_port", &config.port.to_string()),
            ("exabgp_log_destination", "stdout"),
        ])?;
        let daemon = Self::spawn(&program, &dir, &conf, &env, 0)?;
        let this = Self {
            daemon,
            program,
            dir,
            conf,
            env,
            starts: 1,
        };
        this.wait_ready()?;
        Ok(this)
    }

    /// Points `receive.sh` at `received.<n>.jsonl` and starts ExaBGP.
    fn spawn(
        program: &Path,
        dir: &Path,
        conf: &Path,
        env: &[(String, String)],
        n: u32,
    ) -> Result<Daemon> {
        let receive = dir.join("receive.sh");
        let script = format!(
            "#!/bin/sh\ncat >> {}\n",
            shell_quote(&dir.join(format!("received.{n}.jsonl")))
        );
        std::fs::write(&receive, script)
            .map_err(|e| HarnessError::io(format!("write {}", receive.display()), e))?;
        std::fs::set_permissions(&receive, std::fs::Permissions::from_mode(0o755))
            .map_err(|e| HarnessError::io(format!("chmod {}", receive.display()), e))?;
        let args = ["server".to_owned(), conf.display().to_string()];
        let log = dir.join(format!("exabgp.{n}.log"));
        Daemon::spawn("exabgp peer", program, &args, env, dir, log)
    }

    /// Waits until ExaBGP reports its configuration loaded (it listens from then on).
    fn wait_ready(&self) -> Result<()> {
        wait_while_alive(
            "ExaBGP peer configuration loaded",
            Duration::from_secs(20),
            || self.daemon.alive(),
            || {
                let log = self.daemon.log();
                if log.contains("loaded new configuration successfully") {
                    Ok(())
                } else {
                    Err(format!("log so far:\n{log}"))
                }
            },
        )
    }

    /// Stops ExaBGP and starts it again with the same configuration (a peer restart); the
    /// new process reads into a new `received.<n>.jsonl`, so nothing of the old one counts.
    pub fn restart(&mut self) -> Result<()> {
        self.daemon.stop();
        self.daemon = Self::spawn(&self.program, &self.dir, &self.conf, &self.env, self.starts)?;
        self.starts += 1;
        self.wait_ready()
    }

    /// Has the `commands` helper send `line` (an API command such as `announce route …`).
    pub fn send(&self, line: &str) -> Result<()> {
        append_line(&self.dir.join("commands.txt"), line)
    }

    /// Every JSON message the current process's `receive` helper got so far, in order.
    pub fn messages(&self) -> Result<Vec<Value>> {
        let path = self
            .dir
            .join(format!("received.{}.jsonl", self.starts.saturating_sub(1)));
        match std::fs::read_to_string(&path) {
            Ok(text) => parse_lines(&text),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
            Err(e) => Err(HarnessError::io(format!("read {}", path.display()), e)),
        }
    }

    /// The state ExaBGP last reported for the session with `neighbor` (`connected`, `up`,
    /// `down`), if any.
    pub fn state(&self, neighbor: Ipv4Addr) -> Result<Option<String>> {
        Ok(last_state(&self.messages()?, &neighbor.to_string()))
    }

    /// Waits until ExaBGP reports the session with `neighbor` up, giving up early when
    /// `alive` fails (a speaker has exited) or ExaBGP itself exits.
    pub fn wait_established(
        &self,
        neighbor: Ipv4Addr,
        limit: Duration,
        mut alive: impl FnMut() -> Result<()>,
    ) -> Result<()> {
        let what = format!("ExaBGP peer session with {neighbor} up");
        wait_while_alive(
            &what,
            limit,
            || {
                self.daemon.alive()?;
                alive()
            },
            || match self.state(neighbor) {
                Ok(Some(s)) if s == "up" => Ok(()),
                Ok(s) => Err(format!("last state {s:?}")),
                Err(e) => Err(e.to_string()),
            },
        )
    }

    /// The IPv4 and IPv6 unicast routes ExaBGP holds from `neighbor`.
    pub fn routes_from(&self, neighbor: Ipv4Addr) -> Result<Vec<PeerRoute>> {
        replay(&self.messages()?, &neighbor.to_string())
    }

    /// The last lines of ExaBGP's log and of what its receive helper got, for failure
    /// messages.
    pub fn log_tail(&self) -> String {
        let received = self
            .messages()
            .map(|m| {
                let start = m.len().saturating_sub(10);
                m[start..]
                    .iter()
                    .map(Value::to_string)
                    .collect::<Vec<_>>()
                    .join("\n")
            })
            .unwrap_or_else(|e| e.to_string());
        format!(
            "{}\n--- exabgp peer: last received JSON ---\n{received}",
            self.daemon.log_tail(30)
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renders_one_passive_neighbor_per_speaker() {
        let conf = ExabgpPeerConfig {
            address: Ipv4Addr::new(127, 55, 0, 1),
            port: 17979,
            asn: 65001,
            neighbors: vec![
                (Ipv4Addr::new(127, 55, 0, 2), 65001),
                (Ipv4Addr::new(127, 55, 0, 3), 65002),
            ],
            ipv6: true,
            l2: false,
        }
        .render(Path::new("/tmp/x"));
        assert_eq!(conf.matches("    passive;").count(), 2);
        assert!(conf.contains("neighbor 127.55.0.3 {"));
        assert!(conf.contains("    peer-as 65002;"));
        assert!(conf.contains("    local-address 127.55.0.1;"));
        assert!(conf.contains("family { ipv4 unicast; ipv6 unicast; }"));
        assert!(conf.contains("run /tmp/x/receive.sh;"));
    }
}
