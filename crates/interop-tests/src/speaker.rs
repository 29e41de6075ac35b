//! An ExaBGP-compatible speaker under test: ExaBGP 5 itself or Herald, run with the same
//! configuration file, the same environment and the same helper programs.
//!
//! Each speaker gets a directory with:
//!
//! | file | what |
//! |---|---|
//! | `speaker.conf` | one neighbor, two processes: `commands` (text) and `receive` (JSON) |
//! | `commands.txt` | what the `commands` helper sends; [`Speaker::send`] appends a line |
//! | `helper.sh` | writes its PID to `helper.pid`, then `tail -n +1 -F commands.txt`: a respawned helper replays every command |
//! | `receive.sh` | `cat >> received.jsonl` (not `exec cat > …`: the helper must keep its stdout open, or ExaBGP counts it as dead) |
//! | `speaker.log` | the daemon's stdout and stderr |
//!
//! The speaker does not listen (`exabgp_tcp_bind=''`): it connects to the peer, which is
//! passive, on `connect <port>`.
//!
//! Herald also serves, for the operator tests: its control socket `herald.sock` in that
//! directory (`HERALD_SOCKET`), ExaBGP's named pipes `run/<pipename>.in` / `.out` under
//! that directory as install root (`EXABGP_ROOT`, `exabgp.api.cli`, a per-lab pipe name),
//! and Prometheus metrics on the speaker's own loopback address, port [`METRICS_PORT`].

use std::fmt::Write as _;
use std::io::Write as _;
use std::net::Ipv4Addr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::herald::{herald_binary, speaker_env};
use crate::json::{read_lines, state_count};
use crate::process::{run, wait_while_alive, which, Daemon};
use crate::tmp::TempDir;

/// Which implementation runs the configuration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpeakerKind {
    /// ExaBGP 5.0.15 (`exabgp server CONF`), the reference.
    ExaBgp,
    /// Herald (`herald server CONF`), the implementation under test.
    Herald,
}

impl SpeakerKind {
    /// A short name for directories and messages.
    pub fn name(self) -> &'static str {
        match self {
            Self::ExaBgp => "exabgp",
            Self::Herald => "herald",
        }
    }
}

/// The one neighbor a speaker talks to, and who the speaker is.
#[derive(Debug, Clone)]
pub struct SpeakerConfig {
    /// ExaBGP or Herald.
    pub kind: SpeakerKind,
    /// Sub-directory name inside the test's temporary directory.
    pub name: String,
    /// The speaker's local address (and router id unless `router_id` is set).
    pub address: Ipv4Addr,
    /// The router id; defaults to `address`.
    pub router_id: Option<Ipv4Addr>,
    /// The speaker's AS.
    pub asn: u32,
    /// The peer's address.
    pub peer: Ipv4Addr,
    /// The peer's AS.
    pub peer_as: u32,
    /// The peer's port, used with `connect`.
    pub peer_port: u16,
    /// Also negotiate IPv6 unicast.
    pub ipv6: bool,
    /// Also negotiate IPv4 `mpls-vpn` and `nlri-mpls`.
    pub vpn: bool,
    /// Also negotiate `l2vpn evpn`.
    pub evpn: bool,
    /// Also negotiate `l2vpn vpls`, `ipv4 mcast-vpn` and `ipv6 mcast-vpn`.
    pub l2: bool,
    /// Negotiate every family (`family { all; }`), route target constraint included:
    /// ExaBGP 5 accepts `ipv4 rtc` only through `all`.
    pub all_families: bool,
}

impl SpeakerConfig {
    /// The configuration file, in ExaBGP 5's grammar (Herald reads the same file).
    pub fn render(&self, dir: &Path) -> String {
        let router_id = self.router_id.unwrap_or(self.address);
        let mut conf = String::new();
        let _ = writeln!(conf, "process commands {{");
        let _ = writeln!(conf, "    run {};", dir.join("helper.sh").display());
        let _ = writeln!(conf, "    encoder text;");
        let _ = writeln!(conf, "}}");
        let _ = writeln!(conf, "process receive {{");
        let _ = writeln!(conf, "    run {};", dir.join("receive.sh").display());
        let _ = writeln!(conf, "    encoder json;");
        let _ = writeln!(conf, "}}");
        let _ = writeln!(conf, "neighbor {} {{", self.peer);
        let _ = writeln!(conf, "    router-id {router_id};");
        let _ = writeln!(conf, "    local-address {};", self.address);
        let _ = writeln!(conf, "    local-as {};", self.asn);
        let _ = writeln!(conf, "    peer-as {};", self.peer_as);
        let _ = writeln!(conf, "    hold-time 9;");
        let _ = writeln!(conf, "    connect {};", self.peer_port);
        let ipv6 = if self.ipv6 { " ipv6 unicast;" } else { "" };
        let vpn = if self.vpn {
            " ipv4 mpls-vpn; ipv4 nlri-mpls;"
        } else {
            ""
        };
        let evpn = if self.evpn { " l2vpn evpn;" } else { "" };
        let l2 = if self.l2 { L2_FAMILIES } else { "" };
        if self.all_families {
            let _ = writeln!(conf, "    family {{ all; }}");
        } else {
            let _ = writeln!(conf, "    family {{ ipv4 unicast;{ipv6}{vpn}{evpn}{l2} }}");
        }
        let _ = writeln!(conf, "    api {{");
        let _ = writeln!(conf, "        processes [ commands, receive ];");
        let _ = writeln!(conf, "        receive {{ parsed; update; }}");
        let _ = writeln!(conf, "        neighbor-changes;");
        let _ = writeln!(conf, "    }}");
        let _ = writeln!(conf, "}}");
        conf
    }
}

/// The families `l2` adds to a `family { }` block (speakers and the ExaBGP peer).
pub(crate) const L2_FAMILIES: &str = " l2vpn vpls; ipv4 mcast-vpn; ipv6 mcast-vpn;";

/// The port of Herald's metrics endpoint, on the speaker's lab-unique address.
pub const METRICS_PORT: u16 = 9180;

/// Appends `line` and a newline to the file at `path` (a helper's `commands.txt`, which
/// the helper follows with `tail -F`).
pub(crate) fn append_line(path: &Path, line: &str) -> Result<()> {
    let mut file = std::fs::File::options()
        .append(true)
        .open(path)
        .map_err(|e| HarnessError::io(format!("open {}", path.display()), e))?;
    writeln!(file, "{line}").map_err(|e| HarnessError::io(format!("write {}", path.display()), e))
}

/// A running speaker, stopped when dropped.
#[derive(Debug)]
pub struct Speaker {
    kind: SpeakerKind,
    daemon: Daemon,
    dir: PathBuf,
    address: Ipv4Addr,
}

impl Speaker {
    /// Writes the configuration and helpers into `tmp/<name>/` and starts the speaker.
    pub fn start(tmp: &TempDir, config: &SpeakerConfig) -> Result<Self> {
        let dir = tmp.join(&config.name);
        let sub = |file: &str| format!("{}/{file}", config.name);
        let quoted = |file: &str| shell_quote(&dir.join(file));
        tmp.write(&sub("commands.txt"), "")?;
        tmp.write_script(
            &sub("helper.sh"),
            &format!(
                "#!/bin/sh\n# Sends every line of commands.txt, from the start, then follows it.\n\
                 echo $$ > {}\nexec tail -n +1 -F {} 2>/dev/null\n",
                quoted("helper.pid"),
                quoted("commands.txt")
            ),
        )?;
        tmp.write_script(
            &sub("receive.sh"),
            &format!("#!/bin/sh\ncat >> {}\n", quoted("received.jsonl")),
        )?;
        let conf = tmp.write(&sub("speaker.conf"), &config.render(&dir))?;
        let (program, mut args) = match config.kind {
            SpeakerKind::ExaBgp => (which("exabgp")?, Vec::new()),
            SpeakerKind::Herald => (herald_binary()?, Vec::new()),
        };
        args.push("server".to_owned());
        args.push(conf.display().to_string());
        let herald = config.kind == SpeakerKind::Herald;
        let mut env = speaker_env(&[
            ("exabgp_api_cli", if herald { "true" } else { "false" }),
            ("exabgp_log_destination", "stdout"),
        ])?;
        if herald {
            let run_dir = dir.join("run");
            std::fs::create_dir_all(&run_dir)
                .map_err(|e| HarnessError::io(format!("create {}", run_dir.display()), e))?;
            let name = pipename(config.address);
            for end in ["in", "out"] {
                run(
                    "mkfifo",
                    &[&run_dir.join(format!("{name}.{end}")).display().to_string()],
                )?;
            }
            env.extend(
                [
                    (
                        "HERALD_SOCKET",
                        dir.join("herald.sock").display().to_string(),
                    ),
                    ("EXABGP_ROOT", dir.display().to_string()),
                    ("exabgp_api_pipename", name),
                    (
                        "HERALD_METRICS",
                        format!("{}:{METRICS_PORT}", config.address),
                    ),
                ]
                .map(|(k, v)| (k.to_owned(), v)),
            );
        }
        let daemon = Daemon::spawn(
            config.kind.name(),
            &program,
            &args,
            &env,
            &dir,
            dir.join("speaker.log"),
        )?;
        Ok(Self {
            kind: config.kind,
            daemon,
            dir,
            address: config.address,
        })
    }

    /// Herald's control socket.
    pub fn control_socket(&self) -> PathBuf {
        self.dir.join("herald.sock")
    }

    /// The install root under which Herald's named pipes are (`EXABGP_ROOT` for a CLI).
    pub fn pipe_root(&self) -> &Path {
        &self.dir
    }

    /// The base name of Herald's named pipes.
    pub fn pipename(&self) -> String {
        pipename(self.address)
    }

    /// Herald's metrics endpoint.
    pub fn metrics_addr(&self) -> std::net::SocketAddrV4 {
        std::net::SocketAddrV4::new(self.address, METRICS_PORT)
    }

    /// ExaBGP or Herald.
    pub fn kind(&self) -> SpeakerKind {
        self.kind
    }

    /// Has the `commands` helper send `line` (an API command such as `announce route …`).
    pub fn send(&self, line: &str) -> Result<()> {
        append_line(&self.dir.join("commands.txt"), line)
    }

    /// Every JSON message the `receive` helper got so far, in order.
    pub fn messages(&self) -> Result<Vec<Value>> {
        read_lines(&self.dir.join("received.jsonl"))
    }

    /// The `update` messages (announces, withdraws and End-of-RIB) received so far.
    pub fn updates(&self) -> Result<Vec<Value>> {
        Ok(self
            .messages()?
            .into_iter()
            .filter(|m| m.get("type").and_then(Value::as_str) == Some("update"))
            .collect())
    }

    /// Waits until the helper has seen the session come `up` at least `count` times;
    /// fails at once if the speaker exits.
    pub fn wait_up(&self, count: usize, limit: Duration) -> Result<()> {
        let what = format!("{} session up #{count}", self.kind.name());
        wait_while_alive(
            &what,
            limit,
            || self.alive(),
            || {
                let seen = self.messages().map_err(|e| e.to_string())?;
                match state_count(&seen, "up") {
                    ups if ups >= count => Ok(()),
                    ups => Err(format!("{ups} up events")),
                }
            },
        )
    }

    /// The PID the current `commands` helper wrote.
    pub fn helper_pid(&self) -> Result<u32> {
        let path = self.dir.join("helper.pid");
        let text = std::fs::read_to_string(&path)
            .map_err(|e| HarnessError::io(format!("read {}", path.display()), e))?;
        text.trim().parse().map_err(|_| HarnessError::Parse {
            what: path.display().to_string(),
            reason: format!("not a PID: {text:?}"),
        })
    }

    /// Kills the `commands` helper (a child of the speaker this test started) with SIGKILL.
    pub fn kill_helper(&self) -> Result<u32> {
        let pid = self.helper_pid()?;
        run("kill", &["-KILL", &pid.to_string()])?;
        Ok(pid)
    }

    /// `Ok` while the speaker runs; an error with its log once it has exited.
    pub fn alive(&self) -> Result<()> {
        self.daemon.alive()
    }

    /// Stops the speaker.
    pub fn stop(&mut self) {
        self.daemon.stop();
    }

    /// The last lines of the speaker's log, for failure messages.
    pub fn log_tail(&self) -> String {
        self.daemon.log_tail(40)
    }
}

/// The lab-unique pipe name of the speaker at `address`.
fn pipename(address: Ipv4Addr) -> String {
    format!("herald-{address}")
}

/// Single-quotes a path for `/bin/sh`.
pub(crate) fn shell_quote(path: &Path) -> String {
    format!("'{}'", path.display().to_string().replace('\'', r"'\''"))
}
