//! GoBGP and Herald with many families on one session: VPN, labeled, FlowSpec (IPv4, IPv6,
//! VPN), EVPN. Used by the corpus capture ([`crate::capture`]) and the FlowSpec scenarios
//! ([`crate::scenario_flow`]).
//!
//! GoBGP (host `.1` of the lab's subnet) is passive; Herald (host `.2`) connects. Both are in
//! AS 65001 (iBGP: GoBGP keeps the next hops it is given, so what it sends is the same on
//! every run). Herald has two helpers, as [`crate::speaker`]'s: `commands` follows
//! `commands.txt` ([`FamilyLab::send`]), `receive` appends Herald's JSON to
//! `received.jsonl` ([`FamilyLab::messages`]); what `receive` gets is the lab's `receive`
//! setting (`packets; parsed; update;` …).

use std::net::Ipv4Addr;
use std::path::PathBuf;

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::gobgp::Gobgp;
use crate::herald::{speaker_env, start_daemon};
use crate::json::read_lines;
use crate::lab::SESSION_LIMIT;
use crate::net::{free_port, Subnet};
use crate::process::Daemon;
use crate::speaker::{append_line, shell_quote};
use crate::tmp::TempDir;

/// The AS of both ends.
pub const ASN: u32 = 65001;

/// A family both ends negotiate: GoBGP's name (configuration) and ExaBGP's.
pub type FamilyNames = (&'static str, &'static str);

/// Every family the corpus and FlowSpec tests use.
pub const FAMILIES: &[FamilyNames] = &[
    ("ipv4-unicast", "ipv4 unicast"),
    ("ipv6-unicast", "ipv6 unicast"),
    ("ipv4-labelled-unicast", "ipv4 nlri-mpls"),
    ("ipv6-labelled-unicast", "ipv6 nlri-mpls"),
    ("l3vpn-ipv4-unicast", "ipv4 mpls-vpn"),
    ("l3vpn-ipv6-unicast", "ipv6 mpls-vpn"),
    ("ipv4-flowspec", "ipv4 flow"),
    ("ipv6-flowspec", "ipv6 flow"),
    ("l3vpn-ipv4-flowspec", "ipv4 flow-vpn"),
    ("l3vpn-ipv6-flowspec", "ipv6 flow-vpn"),
    ("l2vpn-evpn", "l2vpn evpn"),
];

/// GoBGP and Herald, stopped (and the directory removed) when dropped.
#[derive(Debug)]
pub struct FamilyLab {
    /// GoBGP.
    pub gobgp: Gobgp,
    herald: Daemon,
    dir: PathBuf,
    herald_addr: Ipv4Addr,
    // Declared last: dropped after both daemons have stopped.
    tmp: TempDir,
}

fn gobgp_config(address: Ipv4Addr, port: u16, neighbor: Ipv4Addr) -> String {
    let mut conf = format!(
        "[global.config]\n  as = {ASN}\n  router-id = \"{address}\"\n  port = {port}\n\
         \x20 local-address-list = [\"{address}\"]\n[[neighbors]]\n  [neighbors.config]\n\
         \x20   neighbor-address = \"{neighbor}\"\n    peer-as = {ASN}\n\
         \x20 [neighbors.transport.config]\n    local-address = \"{address}\"\n\
         \x20   passive-mode = true\n  [neighbors.timers.config]\n    hold-time = 9\n\
         \x20   connect-retry = 2\n"
    );
    for (family, _) in FAMILIES {
        conf.push_str(&format!(
            "  [[neighbors.afi-safis]]\n    [neighbors.afi-safis.config]\n\
             \x20     afi-safi-name = \"{family}\"\n"
        ));
    }
    conf
}

fn herald_config(
    dir: &std::path::Path,
    address: Ipv4Addr,
    peer: Ipv4Addr,
    port: u16,
    receive: &str,
    extra: &str,
) -> String {
    let families: String = FAMILIES
        .iter()
        .map(|(_, family)| format!(" {family};"))
        .collect();
    format!(
        "process commands {{\n    run {};\n    encoder text;\n}}\n\
         process receive {{\n    run {};\n    encoder json;\n}}\n\
         neighbor {peer} {{\n    router-id {address};\n    local-address {address};\n\
         \x20   local-as {ASN};\n    peer-as {ASN};\n    hold-time 9;\n    connect {port};\n\
         \x20   family {{{families} }}\n{extra}\
         \x20   api {{ processes [ commands, receive ]; receive {{ {receive} }} neighbor-changes; }}\n}}\n",
        dir.join("helper.sh").display(),
        dir.join("receive.sh").display()
    )
}

impl FamilyLab {
    /// Starts GoBGP, then Herald with `receive` as its helper's `receive { … }` setting,
    /// and waits for the session.
    pub fn start(label: &str, receive: &str) -> Result<Self> {
        Self::start_with(label, receive, "")
    }

    /// [`FamilyLab::start`] with `extra` lines in Herald's neighbor block (a `nexthop { }`
    /// block …).
    pub fn start_with(label: &str, receive: &str, extra: &str) -> Result<Self> {
        let tmp = TempDir::new(label)?;
        let subnet = Subnet::next();
        let (gobgp_addr, herald_addr) = (subnet.host(1), subnet.host(2));
        let port = free_port(gobgp_addr)?;
        let gobgp = Gobgp::start_rendered(
            &tmp,
            gobgp_addr,
            &gobgp_config(gobgp_addr, port, herald_addr),
        )?;
        let dir = tmp.join("herald");
        tmp.write("herald/commands.txt", "")?;
        tmp.write_script(
            "herald/helper.sh",
            &format!(
                "#!/bin/sh\nexec tail -n +1 -F {} 2>/dev/null\n",
                shell_quote(&dir.join("commands.txt"))
            ),
        )?;
        tmp.write_script(
            "herald/receive.sh",
            &format!(
                "#!/bin/sh\ncat >> {}\n",
                shell_quote(&dir.join("received.jsonl"))
            ),
        )?;
        let conf = tmp.write(
            "herald/herald.conf",
            &herald_config(&dir, herald_addr, gobgp_addr, port, receive, extra),
        )?;
        let socket = dir.join("herald.sock").display().to_string();
        let env = speaker_env(&[
            ("exabgp_log_destination", "stdout"),
            ("HERALD_SOCKET", &socket),
        ])?;
        let herald = start_daemon(&dir, &conf.display().to_string(), &env)?;
        let lab = Self {
            gobgp,
            herald,
            dir,
            herald_addr,
            tmp,
        };
        lab.gobgp
            .wait_established(herald_addr, SESSION_LIMIT, || lab.alive())
            .map_err(|e| lab.with_logs(e))?;
        Ok(lab)
    }

    /// `Ok` while Herald runs.
    pub fn alive(&self) -> Result<()> {
        self.herald.alive()
    }

    /// Herald's address (GoBGP's neighbor).
    pub fn herald_address(&self) -> Ipv4Addr {
        self.herald_addr
    }

    /// Herald's control socket (`herald cli --socket`).
    pub fn control_socket(&self) -> PathBuf {
        self.dir.join("herald.sock")
    }

    /// A file in the lab's directory (written by the caller).
    pub fn path(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// Has Herald's `commands` helper send `line`.
    pub fn send(&self, line: &str) -> Result<()> {
        append_line(&self.dir.join("commands.txt"), line)
    }

    /// Every JSON message Herald's `receive` helper got so far.
    pub fn messages(&self) -> Result<Vec<Value>> {
        read_lines(&self.dir.join("received.jsonl"))
    }

    /// `gobgp -j neighbor HERALD adj-in -a FAMILY`: what GoBGP holds from Herald, as GoBGP's
    /// JSON (`{}` when empty).
    pub fn adj_in(&self, family: &str) -> Result<Value> {
        let out = self.gobgp.cli(&[
            "-j",
            "neighbor",
            &self.herald_addr.to_string(),
            "adj-in",
            "-a",
            family,
        ])?;
        let text = out.trim();
        if text.is_empty() || text == "null" {
            return Ok(Value::Object(serde_json::Map::new()));
        }
        serde_json::from_str(text).map_err(|e| HarnessError::Parse {
            what: format!("gobgp adj-in -a {family}"),
            reason: format!("{e}: {text}"),
        })
    }

    /// `error` with the tails of both logs and the lab directory, for a failure message.
    pub fn with_logs(&self, error: HarnessError) -> HarnessError {
        HarnessError::Parse {
            what: error.to_string(),
            reason: format!(
                "lab directory: {}\n{}\n{}",
                self.tmp.path().display(),
                self.herald.log_tail(30),
                self.gobgp.log_tail()
            ),
        }
    }
}
