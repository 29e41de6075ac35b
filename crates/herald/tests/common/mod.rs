//! What the tests that run the real `herald server` share: a raw-bytes BGP test peer on
//! 127.0.0.1 (std only, every read bounded by a timeout), a scratch directory and a daemon
//! started as `timeout -s KILL 120 herald server CONF` — the `timeout` wrapper bounds the
//! daemon even if the test process dies, and signals go to the daemon's own PID (read
//! from `/proc`), not to the wrapper.

#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::io::{ErrorKind, Read, Write};
use std::net::{IpAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::time::{Duration, Instant};

#[path = "../../../runtime/tests/common/shared.rs"]
mod shared;
pub use shared::{parse_update, Scratch};

pub const OPEN: u8 = 1;
pub const UPDATE: u8 = 2;
pub const NOTIFICATION: u8 = 3;
pub const KEEPALIVE: u8 = 4;

/// How long any single wait in these tests may take.
pub const LIMIT: Duration = Duration::from_secs(20);

/// A BGP message as read: type and body (header removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub kind: u8,
    pub body: Vec<u8>,
}

/// A passive test peer: listens on 127.0.0.1:0 and waits for the daemon to connect.
pub struct TestPeer {
    pub listener: TcpListener,
    pub port: u16,
}

impl TestPeer {
    pub fn bind() -> Self {
        Self::bind_on("127.0.0.1")
    }

    /// Listens on `address`:0 (any loopback address).
    pub fn bind_on(address: &str) -> Self {
        let listener = TcpListener::bind((address, 0)).unwrap();
        listener.set_nonblocking(true).unwrap();
        let port = listener.local_addr().unwrap().port();
        Self { listener, port }
    }

    /// Accepts the daemon's connection (within [`LIMIT`]) and completes OPEN/KEEPALIVE by
    /// answering with a copy of its OPEN (router id + 1).
    pub fn accept(&self) -> Conn {
        self.accept_as(None)
    }

    /// [`TestPeer::accept`], answering as AS `asn` (eBGP) when given: the OPEN's AS field
    /// and its 4-octet AS capability are set to it.
    pub fn accept_as(&self, asn: Option<u16>) -> Conn {
        let deadline = Instant::now() + LIMIT;
        let stream = loop {
            match self.listener.accept() {
                Ok((stream, _)) => break stream,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    assert!(Instant::now() < deadline, "the daemon did not connect");
                    std::thread::sleep(Duration::from_millis(20));
                }
                Err(e) => panic!("accept: {e}"),
            }
        };
        stream.set_nonblocking(false).unwrap();
        stream.set_read_timeout(Some(LIMIT)).unwrap();
        let mut conn = Conn { stream };
        let open = conn.recv_kind(OPEN);
        let mut answer = open.body;
        // version(1) asn(2) hold(2) router-id(4)
        answer[8] = answer[8].wrapping_add(1);
        if let Some(asn) = asn {
            answer[1..3].copy_from_slice(&asn.to_be_bytes());
            set_as4(&mut answer, u32::from(asn));
        }
        conn.send(OPEN, &answer);
        conn.send(KEEPALIVE, &[]);
        conn.recv_kind(KEEPALIVE);
        conn
    }
}

/// Sets the value of the 4-octet AS capability (65) in an OPEN body.
fn set_as4(open: &mut [u8], asn: u32) {
    let end = 10 + usize::from(open[9]);
    let mut at = 10;
    while at + 2 <= end {
        let (kind, len) = (open[at], usize::from(open[at + 1]));
        if kind == 2 {
            let mut cap = at + 2;
            while cap + 2 <= at + 2 + len {
                let (code, clen) = (open[cap], usize::from(open[cap + 1]));
                if code == 65 && clen == 4 {
                    open[cap + 2..cap + 6].copy_from_slice(&asn.to_be_bytes());
                }
                cap += 2 + clen;
            }
        }
        at += 2 + len;
    }
}

/// One TCP connection with the daemon.
pub struct Conn {
    pub stream: TcpStream,
}

impl Conn {
    pub fn send(&mut self, kind: u8, body: &[u8]) {
        let len = (19 + body.len()) as u16;
        let mut out = vec![0xff; 16];
        out.extend_from_slice(&len.to_be_bytes());
        out.push(kind);
        out.extend_from_slice(body);
        self.stream.write_all(&out).unwrap();
    }

    /// Next message, or None on EOF; panics when nothing comes within [`LIMIT`].
    pub fn recv(&mut self) -> Option<Msg> {
        let mut header = [0u8; 19];
        match self.stream.read_exact(&mut header) {
            Ok(()) => {}
            Err(e) if e.kind() == ErrorKind::UnexpectedEof => return None,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => return None,
            Err(e) => panic!("no message within {LIMIT:?}: {e}"),
        }
        assert_eq!(&header[..16], &[0xff; 16], "bad marker");
        let len = u16::from_be_bytes([header[16], header[17]]) as usize;
        let mut body = vec![0u8; len - 19];
        self.stream.read_exact(&mut body).ok()?;
        Some(Msg {
            kind: header[18],
            body,
        })
    }

    /// Next message of `kind`, skipping KEEPALIVEs; any other message is a failure.
    pub fn recv_kind(&mut self, kind: u8) -> Msg {
        loop {
            let msg = self.recv().expect("connection closed");
            if msg.kind == kind {
                return msg;
            }
            assert_eq!(msg.kind, KEEPALIVE, "unexpected message {msg:?}");
        }
    }

    /// Reads until a NOTIFICATION; returns its (code, subcode).
    pub fn notification(&mut self) -> (u8, u8) {
        loop {
            let msg = self
                .recv()
                .expect("connection closed without a NOTIFICATION");
            if msg.kind == NOTIFICATION {
                return (msg.body[0], msg.body[1]);
            }
        }
    }

    /// Reads UPDATEs until `pred` holds for the routes seen so far (announced minus
    /// withdrawn), skipping KEEPALIVEs; an OPEN or a NOTIFICATION fails the test.
    pub fn routes_until(&mut self, routes: &mut Routes, pred: impl Fn(&Routes) -> bool) {
        while !pred(routes) {
            let msg = self.recv_kind(UPDATE);
            let update = parse_update(&msg.body);
            for prefix in &update.withdrawn {
                routes.remove(prefix);
            }
            for prefix in update.announced {
                routes.insert(
                    prefix,
                    Route {
                        next_hop: update.next_hop,
                        med: update.med,
                        communities: update.communities.clone(),
                    },
                );
            }
        }
    }
}

/// An IPv4 unicast route as the test peer holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Route {
    pub next_hop: Option<IpAddr>,
    pub med: Option<u32>,
    /// Standard communities as `asn:value`.
    pub communities: Vec<String>,
}

/// The routes the test peer holds: prefix (`a.b.c.d/len`) → route.
pub type Routes = HashMap<String, Route>;

/// True when `routes` holds `prefix` with this next hop.
pub fn has(routes: &Routes, prefix: &str, next_hop: &str) -> bool {
    routes.get(prefix).and_then(|r| r.next_hop) == Some(next_hop.parse().unwrap())
}

/// A neighbor section for the test peer: iBGP 65001, IPv4 unicast, `extra` inside.
pub fn neighbor(port: u16, processes: &str, extra: &str) -> String {
    let api = if processes.is_empty() {
        String::new()
    } else {
        format!("  api {{ processes [ {processes} ]; }}\n")
    };
    format!(
        "neighbor 127.0.0.1 {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
         local-as 65001;\n  peer-as 65001;\n  connect {port};\n  hold-time 30;\n  \
         family {{ ipv4 unicast; }}\n{api}{extra}}}\n"
    )
}

/// A `process` section running `script`.
pub fn process(name: &str, script: &Path, encoder: &str) -> String {
    format!(
        "process {name} {{\n  run {};\n  encoder {encoder};\n}}\n",
        script.display()
    )
}

/// Waits until `path` exists and `pred` holds for its content (within [`LIMIT`]).
pub fn wait_file(path: &Path, pred: impl Fn(&str) -> bool) -> String {
    let deadline = Instant::now() + LIMIT;
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if pred(&text) {
                return text;
            }
        }
        assert!(
            Instant::now() < deadline,
            "timed out waiting for {}: {:?}",
            path.display(),
            std::fs::read_to_string(path).ok()
        );
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// Waits (within [`LIMIT`]) until `pred` holds.
pub fn wait_until(what: &str, pred: impl Fn() -> bool) {
    let deadline = Instant::now() + LIMIT;
    while !pred() {
        assert!(Instant::now() < deadline, "timed out waiting for {what}");
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A running `herald server`, its stdout and stderr in `log`.
pub struct Daemon {
    /// The `timeout` wrapper.
    child: Child,
    /// The daemon itself.
    pub pid: u32,
    /// Where stdout and stderr go.
    pub log: PathBuf,
}

impl Daemon {
    /// Starts `herald server ARGS…` with the settings of a test: no listening socket, no
    /// control socket, the peer's port, no env file; `env` is added.
    pub fn start(dir: &Path, port: u16, args: &[&str], env: &[(&str, &str)]) -> Self {
        let log = dir.join("daemon.log");
        let out = std::fs::File::create(&log).unwrap();
        let mut cmd = Command::new("timeout");
        cmd.args(["-s", "KILL", "120"])
            .arg(env!("CARGO_BIN_EXE_herald"))
            .arg("server")
            .args(args)
            .env("EXABGP_ENVFILE", "/nonexistent/herald-test.env")
            .env("HERALD_SOCKET", "off")
            .env_remove("HERALD_METRICS")
            .env("exabgp_tcp_bind", "")
            .env("exabgp_tcp_port", port.to_string())
            .env("exabgp_api_cli", "false")
            .current_dir(dir)
            .stdin(Stdio::null())
            .stdout(out.try_clone().unwrap())
            .stderr(out);
        for (k, v) in env {
            cmd.env(k, v);
        }
        let child = cmd.spawn().unwrap();
        // the daemon is the wrapper's only child
        let children = format!("/proc/{0}/task/{0}/children", child.id());
        let deadline = Instant::now() + LIMIT;
        let pid = loop {
            let text = std::fs::read_to_string(&children).unwrap_or_default();
            if let Some(pid) = text.split_whitespace().next() {
                break pid.parse().unwrap();
            }
            assert!(Instant::now() < deadline, "herald did not start");
            std::thread::sleep(Duration::from_millis(10));
        };
        Self { child, pid, log }
    }

    /// Sends `signal` (`USR1`, `TERM` …) to the daemon.
    pub fn signal(&self, signal: &str) {
        let status = Command::new("kill")
            .arg(format!("-{signal}"))
            .arg(self.pid.to_string())
            .status()
            .unwrap();
        assert!(status.success(), "kill -{signal} {}", self.pid);
    }

    /// The log so far.
    pub fn log(&self) -> String {
        std::fs::read_to_string(&self.log).unwrap_or_default()
    }

    /// Waits until the log has a line containing `needle`.
    pub fn wait_log(&self, needle: &str) -> String {
        wait_file(&self.log, |t| t.contains(needle))
    }

    /// Waits (within [`LIMIT`]) for the daemon to exit; its status.
    pub fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + LIMIT;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                return status;
            }
            assert!(
                Instant::now() < deadline,
                "the daemon did not exit:\n{}",
                self.log()
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        if self.child.try_wait().ok().flatten().is_none() {
            // the daemon, then the wrapper (which would kill it after 120 s anyway)
            let _ = Command::new("kill")
                .arg("-KILL")
                .arg(self.pid.to_string())
                .status();
            let _ = self.child.wait();
        }
    }
}
