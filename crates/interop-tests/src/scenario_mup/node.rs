//! A node of the MUP scenarios: ExaBGP 5 or Herald, its configuration and its helpers.

use std::fmt::Write as _;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use super::cases::Case;
use super::{ASN, LIMIT};
use crate::error::{HarnessError, Result};
use crate::herald::{herald_binary, speaker_env};
use crate::process::{wait_while_alive, which, Daemon};
use crate::speaker::{append_line, shell_quote, SpeakerKind};
use crate::tmp::TempDir;

/// A node of the scenario: ExaBGP or Herald with a command helper and two receive helpers
/// (JSON and text), in a directory of its own.
pub(super) struct Node {
    pub(super) daemon: Daemon,
    dir: PathBuf,
}

impl Node {
    /// Writes the helpers and `conf` (made by `conf(dir)`) and starts the daemon; `listen`
    /// is the address and port of a passive node.
    pub(super) fn start(
        tmp: &TempDir,
        name: &str,
        kind: SpeakerKind,
        listen: Option<(Ipv4Addr, u16)>,
        conf: impl FnOnce(&Path) -> String,
    ) -> Result<Self> {
        let dir = tmp.join(name);
        tmp.write(&format!("{name}/commands.txt"), "")?;
        let quoted = |file: &str| shell_quote(&dir.join(file));
        let scripts = [
            (
                "commands.sh",
                format!(
                    "#!/bin/sh\nexec tail -n +1 -F {} 2>/dev/null\n",
                    quoted("commands.txt")
                ),
            ),
            (
                "receive-json.sh",
                format!("#!/bin/sh\ncat >> {}\n", quoted("received.jsonl")),
            ),
            (
                "receive-text.sh",
                format!("#!/bin/sh\ncat >> {}\n", quoted("received.txt")),
            ),
        ];
        for (file, text) in scripts {
            tmp.write_script(&format!("{name}/{file}"), &text)?;
        }
        let conf = tmp.write(&format!("{name}/node.conf"), &conf(&dir))?;
        let program = match kind {
            SpeakerKind::ExaBgp => which("exabgp")?,
            SpeakerKind::Herald => herald_binary()?,
        };
        let (bind, port) = match listen {
            Some((address, port)) => (address.to_string(), port.to_string()),
            None => (String::new(), "179".to_owned()),
        };
        let socket = dir.join("herald.sock").display().to_string();
        let env = speaker_env(&[
            ("exabgp_tcp_bind", &bind),
            ("exabgp_tcp_port", &port),
            ("exabgp_log_destination", "stdout"),
            ("HERALD_SOCKET", &socket),
        ])?;
        let args = ["server".to_owned(), conf.display().to_string()];
        let daemon = Daemon::spawn(name, &program, &args, &env, &dir, dir.join("node.log"))?;
        Ok(Self { daemon, dir })
    }

    /// Has the command helper send `line`.
    pub(super) fn send(&self, line: &str) -> Result<()> {
        append_line(&self.dir.join("commands.txt"), line)
    }

    /// The JSON lines received so far (ExaBGP's known defects repaired).
    pub(super) fn json(&self) -> Result<Vec<Value>> {
        let text = std::fs::read_to_string(self.dir.join("received.jsonl")).unwrap_or_default();
        let complete = text.rfind('\n').map_or("", |end| &text[..end]);
        complete
            .lines()
            .map(str::trim)
            .filter(|l| l.starts_with('{'))
            .map(|l| {
                serde_json::from_str(&exabgp_json_line(l)).map_err(|e| HarnessError::Parse {
                    what: "a JSON line".into(),
                    reason: format!("{e}: {l}"),
                })
            })
            .collect()
    }

    /// The text lines received so far.
    pub(super) fn text(&self) -> String {
        std::fs::read_to_string(self.dir.join("received.txt")).unwrap_or_default()
    }

    pub(super) fn log_tail(&self) -> String {
        self.daemon.log_tail(30)
    }
}

/// ExaBGP 5.0.15's MUP and SRv6 JSON made parseable: the comma missing after a T1ST's
/// `endpoint_ip`, and the SID Information's unfilled `%d` behavior (as `null`).
pub fn exabgp_json_line(line: &str) -> String {
    line.replace("\"\"source_ip_len\"", "\", \"source_ip_len\"")
        .replace("\"endpoint_behavior\": %d", "\"endpoint_behavior\": null")
}

/// A neighbor block: iBGP, both MUP families, the node's helpers on it.
pub(super) fn neighbor(
    dir: &Path,
    local: Ipv4Addr,
    peer: Ipv4Addr,
    connect: Option<u16>,
    routes: &[Case],
) -> String {
    let mut conf = String::new();
    for (name, encoder) in [
        ("commands", "text"),
        ("receive-json", "json"),
        ("receive-text", "text"),
    ] {
        let _ = writeln!(
            conf,
            "process {name} {{\n    run {};\n    encoder {encoder};\n}}",
            dir.join(format!("{name}.sh")).display()
        );
    }
    let _ = writeln!(conf, "neighbor {peer} {{");
    let _ = writeln!(conf, "    router-id {local};\n    local-address {local};");
    let _ = writeln!(
        conf,
        "    local-as {ASN};\n    peer-as {ASN};\n    hold-time 9;"
    );
    match connect {
        Some(port) => {
            let _ = writeln!(conf, "    connect {port};");
        }
        None => conf.push_str("    passive;\n"),
    }
    conf.push_str("    family { ipv4 mup; ipv6 mup; }\n");
    if !routes.is_empty() {
        conf.push_str("    announce {\n");
        for afi in ["ipv4", "ipv6"] {
            let _ = writeln!(conf, "        {afi} {{");
            for case in routes.iter().filter(|c| c.afi == afi) {
                let _ = writeln!(conf, "            {};", case.line());
            }
            conf.push_str("        }\n");
        }
        conf.push_str("    }\n");
    }
    conf.push_str(
        "    api {\n        processes [ commands, receive-json, receive-text ];\n        \
         receive { parsed; update; }\n        neighbor-changes;\n    }\n}\n",
    );
    conf
}

/// Waits until ExaBGP has loaded its configuration (it listens from then on).
pub(super) fn wait_loaded(node: &Node) -> Result<()> {
    wait_while_alive(
        "ExaBGP configuration loaded",
        Duration::from_secs(20),
        || node.daemon.alive(),
        || {
            if node
                .daemon
                .log()
                .contains("loaded new configuration successfully")
            {
                Ok(())
            } else {
                Err("not yet".to_owned())
            }
        },
    )
}

/// Waits until `check` holds for the JSON messages `node` received.
pub(super) fn wait_json(
    node: &Node,
    others: &[&Node],
    what: &str,
    check: impl Fn(&[Value]) -> std::result::Result<(), String>,
) -> Result<()> {
    wait_while_alive(
        what,
        LIMIT,
        || {
            node.daemon.alive()?;
            others.iter().try_for_each(|n| n.daemon.alive())
        },
        || check(&node.json().map_err(|e| e.to_string())?),
    )
}
