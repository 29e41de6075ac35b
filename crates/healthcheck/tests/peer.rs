//! Point 2 of the issue: `herald healthcheck` as a `process` of the Herald daemon, with a
//! real check (`curl` against an HTTP service on loopback that the test starts and stops),
//! and a real BGP peer (GoBGP, BIRD) whose table is read back.
//!
//! The daemon runs two checkers against the same service:
//!
//! - `hc-med` (`--ip 203.0.113.10/32`, rise 3, fall 2): its check is a small script that
//!   runs the same `curl` and records each result, so the test can assert that the route
//!   is announced only after `rise` successes and gets the down metric only after `fall`
//!   failures;
//! - `hc-wd` (`--ip 203.0.113.20/32 --withdraw-on-down`), whose `--cmd "curl -sf …"` is
//!   quoted in the configuration exactly as users write it.
//!
//! Steps: service up → both routes with MED 100; service down → MED 1000 and the other
//! route withdrawn; service up → both back; disable file → MED 500 and the other
//! withdrawn; file gone, then SIGTERM to `hc-med` → its route is withdrawn (the checker
//! the daemon respawns is held in a hanging check, so it cannot announce meanwhile).
//!
//! Addresses are never set up on the host (`--no-ip-setup`); that is `netns.rs`'s job.

mod common;

use std::net::{Ipv4Addr, SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{herald, TempDir};
use interop::bird::{Bird, BirdConfig, BirdNeighbor};
use interop::gobgp::{Gobgp, GobgpConfig};
use interop::net::{free_port, Subnet};
use interop::process::Daemon;
use interop::route::{find, PeerRoute};

const AS: u32 = 65001;
const MED_ROUTE: &str = "203.0.113.10/32";
const WD_ROUTE: &str = "203.0.113.20/32";
const NEXT_HOP: &str = "192.0.2.10";
const RISE: usize = 3;
const FALL: usize = 2;
/// How long a state change may take to show at the peer.
const STEP_LIMIT: Duration = Duration::from_secs(30);

/// The peer under test.
enum Peer {
    Gobgp(Gobgp),
    Bird(Bird),
}

impl Peer {
    fn routes(&self, speaker: Ipv4Addr) -> Result<Vec<PeerRoute>, String> {
        match self {
            Self::Gobgp(g) => g.adj_in(speaker, "ipv4").map_err(|e| e.to_string()),
            Self::Bird(b) => b.routes("hc").map_err(|e| e.to_string()),
        }
    }

    fn log_tail(&self) -> String {
        match self {
            Self::Gobgp(g) => g.log_tail(),
            Self::Bird(b) => b.log_tail(),
        }
    }
}

/// `python3 -m http.server` on a loopback address, started and stopped by the test.
struct HttpService {
    address: SocketAddr,
    dir: PathBuf,
    child: Option<Child>,
}

impl HttpService {
    fn new(address: SocketAddr, dir: &Path) -> Self {
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join("index.html"), "ok\n").unwrap();
        Self {
            address,
            dir: dir.to_path_buf(),
            child: None,
        }
    }

    fn start(&mut self) {
        let log = std::fs::File::options()
            .create(true)
            .append(true)
            .open(self.dir.join("../http.log"))
            .unwrap();
        let child = Command::new("timeout")
            .args([
                "--foreground",
                "-k",
                "5",
                "120",
                "python3",
                "-m",
                "http.server",
            ])
            .args(["--bind", &self.address.ip().to_string()])
            .args(["--directory", &self.dir.display().to_string()])
            .arg(self.address.port().to_string())
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .unwrap();
        self.child = Some(child);
        self.wait(true);
    }

    fn stop(&mut self) {
        self.terminate();
        self.wait(false);
    }

    /// SIGTERM to `timeout`, which passes it on to the server. (SIGKILL would kill only
    /// `timeout` and leave the server running.)
    fn terminate(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = Command::new("kill")
                .arg("-TERM")
                .arg(child.id().to_string())
                .status();
            let _ = child.wait();
        }
    }

    /// Waits until the port accepts connections (`up`) or refuses them.
    fn wait(&self, up: bool) {
        let start = Instant::now();
        while TcpStream::connect_timeout(&self.address, Duration::from_millis(200)).is_ok() != up {
            assert!(
                start.elapsed() < Duration::from_secs(15),
                "HTTP service on {} not {}",
                self.address,
                if up { "up" } else { "down" }
            );
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for HttpService {
    fn drop(&mut self) {
        self.terminate();
    }
}

/// The peer, the daemon with its two checkers, and the service.
struct Rig {
    http: HttpService,
    daemon: Daemon,
    peer: Peer,
    speaker: Ipv4Addr,
    tmp: TempDir,
}

impl Rig {
    fn start(label: &str, bird: bool) -> Self {
        let tmp = TempDir::new(label).unwrap();
        let subnet = Subnet::next();
        let (peer_addr, speaker, service) = (subnet.host(1), subnet.host(2), subnet.host(3));
        let port = free_port(peer_addr).unwrap();
        let peer = if bird {
            Peer::Bird(
                Bird::start(
                    &tmp,
                    &BirdConfig {
                        address: peer_addr,
                        port,
                        asn: AS,
                        neighbors: vec![BirdNeighbor {
                            name: "hc".into(),
                            address: speaker,
                            asn: AS,
                        }],
                        static_routes: Vec::new(),
                        export_next_hop: "192.0.2.254".parse().unwrap(),
                        export_statements: Vec::new(),
                        ipv6: false,
                    },
                )
                .unwrap(),
            )
        } else {
            Peer::Gobgp(
                Gobgp::start(
                    &tmp,
                    &GobgpConfig {
                        address: peer_addr,
                        port,
                        asn: AS,
                        neighbors: vec![(speaker, AS)],
                        ipv6: false,
                        vpn: false,
                        flowspec: false,
                        evpn: false,
                        rtc: false,
                    },
                )
                .unwrap(),
            )
        };
        let http_addr = SocketAddr::from((service, free_port(service).unwrap()));
        let mut http = HttpService::new(http_addr, &tmp.join("www"));
        http.start();

        let d = tmp.path().display().to_string();
        let url = format!("http://{http_addr}/");
        // hc-med's check: the same curl, each result recorded; hangs while `hold` exists.
        tmp.write(
            "check.sh",
            &format!(
                "#!/bin/sh\n\
                 if [ -e '{d}/hold' ]; then exec sleep 30; fi\n\
                 if curl -sf --max-time 2 -o /dev/null {url}; then echo ok >> '{d}/results'; exit 0; fi\n\
                 echo fail >> '{d}/results'; exit 1\n"
            ),
        )
        .unwrap();
        let herald = herald().display().to_string();
        let common = format!(
            "--no-syslog --no-ip-setup --next-hop {NEXT_HOP} --rise {RISE} --fall {FALL} \
             --interval 0.5 --fast-interval 0.5 --timeout 4 --disable {d}/disable"
        );
        let conf = format!(
            "process hc-med {{\n    run {herald} healthcheck {common} --ip {MED_ROUTE} \
             --pid {d}/hc-med.pid --cmd \"sh {d}/check.sh\";\n    encoder text;\n}}\n\
             process hc-wd {{\n    run {herald} healthcheck {common} --ip {WD_ROUTE} \
             --withdraw-on-down --cmd \"curl -sf --max-time 2 {url}\";\n    encoder text;\n}}\n\
             neighbor {peer_addr} {{\n    router-id {speaker};\n    local-address {speaker};\n    \
             local-as {AS};\n    peer-as {AS};\n    hold-time 9;\n    connect {port};\n    \
             family {{ ipv4 unicast; }}\n    api {{ processes [ hc-med, hc-wd ]; }}\n}}\n"
        );
        let conf = tmp.write("herald.conf", &conf).unwrap();
        let user = interop::process::run("id", &["-un"]).unwrap();
        let env = [
            ("exabgp_tcp_bind", ""),
            ("exabgp_daemon_user", user.trim()),
            ("exabgp_daemon_drop", "false"),
            ("exabgp_api_cli", "false"),
            ("exabgp_log_destination", "stdout"),
        ]
        .map(|(k, v)| (k.to_owned(), v.to_owned()));
        let daemon = Daemon::spawn(
            "herald",
            Path::new(&herald),
            &["server".to_owned(), conf.display().to_string()],
            &env,
            tmp.path(),
            tmp.join("herald.log"),
        )
        .unwrap();
        Self {
            http,
            daemon,
            peer,
            speaker,
            tmp,
        }
    }

    fn results(&self) -> Vec<String> {
        std::fs::read_to_string(self.tmp.join("results"))
            .unwrap_or_default()
            .lines()
            .map(str::to_owned)
            .collect()
    }

    fn diagnostics(&self) -> String {
        self.tmp.keep();
        format!(
            "results: {:?}\n{}\n{}",
            self.results(),
            self.daemon.log_tail(60),
            self.peer.log_tail()
        )
    }

    /// Polls the peer until `done` holds, asserting `invariant` on every poll. Both get
    /// the routes the peer holds and hc-med's check results recorded after reading them.
    fn wait(
        &self,
        what: &str,
        done: impl Fn(&[PeerRoute]) -> bool,
        invariant: impl Fn(&[PeerRoute], &[String]) -> Result<(), String>,
    ) {
        let start = Instant::now();
        loop {
            let routes = self.peer.routes(self.speaker).unwrap_or_default();
            let results = self.results();
            if let Err(e) = invariant(&routes, &results) {
                panic!(
                    "{what}: {e}\npeer holds {routes:#?}\n{}",
                    self.diagnostics()
                );
            }
            if done(&routes) {
                return;
            }
            if let Err(e) = self.daemon.alive() {
                panic!("{what}: {e}\n{}", self.diagnostics());
            }
            assert!(
                start.elapsed() < STEP_LIMIT,
                "timed out waiting for {what}; peer holds {routes:#?}\n{}",
                self.diagnostics()
            );
            sleep(Duration::from_millis(100));
        }
    }
}

fn med(routes: &[PeerRoute], prefix: &str) -> Option<u32> {
    find(routes, prefix).and_then(|r| r.med)
}

/// The length of the run of `result` at the end of `results`.
fn trailing(results: &[String], result: &str) -> usize {
    results.iter().rev().take_while(|r| *r == result).count()
}

fn always(_: &[PeerRoute], _: &[String]) -> Result<(), String> {
    Ok(())
}

fn scenario(label: &str, bird: bool) {
    let mut rig = Rig::start(label, bird);

    // 1. Up after `rise` successes: never announced with fewer recorded.
    rig.wait(
        "both routes with the up metric",
        |r| med(r, MED_ROUTE) == Some(100) && med(r, WD_ROUTE) == Some(100),
        |r, results| match find(r, MED_ROUTE) {
            Some(_) if trailing(results, "ok") < RISE => Err(format!(
                "announced after {} successes",
                trailing(results, "ok")
            )),
            _ => Ok(()),
        },
    );
    let route = find(&rig.peer.routes(rig.speaker).unwrap(), MED_ROUTE)
        .cloned()
        .unwrap();
    assert_eq!(route.next_hop.as_deref(), Some(NEXT_HOP), "{route:?}");

    // 2. Service down: the down metric after `fall` failures, the other route withdrawn.
    rig.http.stop();
    rig.wait(
        "the down metric, and the --withdraw-on-down route gone",
        |r| med(r, MED_ROUTE) == Some(1000) && find(r, WD_ROUTE).is_none(),
        |r, results| match med(r, MED_ROUTE) {
            Some(1000) if trailing(results, "fail") < FALL => Err(format!(
                "down metric after {} failures",
                trailing(results, "fail")
            )),
            _ => Ok(()),
        },
    );

    // 3. Service back: up again.
    rig.http.start();
    rig.wait(
        "both routes back with the up metric",
        |r| med(r, MED_ROUTE) == Some(100) && med(r, WD_ROUTE) == Some(100),
        always,
    );

    // 4. Disable file: the disabled metric, the other route withdrawn.
    std::fs::write(rig.tmp.join("disable"), "").unwrap();
    rig.wait(
        "the disabled metric, and the --withdraw-on-down route gone",
        |r| med(r, MED_ROUTE) == Some(500) && find(r, WD_ROUTE).is_none(),
        always,
    );
    std::fs::remove_file(rig.tmp.join("disable")).unwrap();
    rig.wait(
        "the up metric once the disable file is gone",
        |r| med(r, MED_ROUTE) == Some(100) && med(r, WD_ROUTE) == Some(100),
        always,
    );

    // 5. SIGTERM to hc-med: its route is withdrawn; hc-wd's stays.
    std::fs::write(rig.tmp.join("hold"), "").unwrap();
    let pid = std::fs::read_to_string(rig.tmp.join("hc-med.pid")).unwrap();
    let status = Command::new("kill")
        .args(["-TERM", pid.trim()])
        .status()
        .unwrap();
    assert!(status.success());
    rig.wait(
        "hc-med's route withdrawn on SIGTERM",
        |r| find(r, MED_ROUTE).is_none(),
        |r, _| match find(r, WD_ROUTE) {
            Some(_) => Ok(()),
            None => Err("hc-wd's route went away too".into()),
        },
    );
    let log = rig.daemon.log();
    assert!(
        log.contains("send announces for EXIT state"),
        "{}",
        rig.diagnostics()
    );
}

#[test]
fn curl_check_drives_routes_at_gobgp() {
    scenario("hc-gobgp", false);
}

#[test]
fn curl_check_drives_routes_at_bird() {
    scenario("hc-bird", true);
}
