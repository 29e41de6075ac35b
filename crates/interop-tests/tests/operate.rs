//! Operating Herald against a real peer (issue 4): `herald cli` drives and inspects a daemon
//! whose session with BIRD 2 is up — every `show` command in text and JSON, announce and
//! withdraw read back from BIRD, two clients at once, the named pipes with `exabgp cli`'s
//! own abbreviations — and the metrics endpoint is scraped over HTTP and checked against
//! what BIRD holds.

use std::collections::BTreeMap;
use std::io::{Read, Write};
use std::net::TcpStream;
use std::process::{Command, Output};
use std::time::Duration;

use herald_interop_tests::herald::herald_binary;
use herald_interop_tests::lab::{Lab, LabConfig, Origin, PeerKind, ROUTE_LIMIT};
use herald_interop_tests::process::{wait_until, which};
use herald_interop_tests::route::find;
use herald_interop_tests::scenario::{
    expected_full, ANNOUNCE_FULL, PEER_AS, PEER_NEXT_HOP, PEER_PREFIX,
};
use herald_interop_tests::speaker::{Speaker, SpeakerKind};

/// `herald cli --socket S ARGS…`, bounded in time.
fn cli(speaker: &Speaker, args: &[&str]) -> Output {
    let mut cmd = Command::new("timeout");
    cmd.arg("20")
        .arg(herald_binary().expect("herald binary"))
        .arg("cli");
    cmd.arg("--socket").arg(speaker.control_socket());
    cmd.args(args).output().expect("run herald cli")
}

fn text(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn ok(what: &str, out: &Output) -> String {
    assert_eq!(
        out.status.code(),
        Some(0),
        "{what}: {}\n{}",
        text(out),
        String::from_utf8_lossy(&out.stderr)
    );
    text(out)
}

/// Every non-empty line of a `--json` answer is a JSON document.
fn json_lines(what: &str, out: &Output) -> Vec<serde_json::Value> {
    ok(what, out)
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{what}: {e}: {l}")))
        .collect()
}

/// `GET /metrics`, parsed into `name{labels}` → value.
fn scrape(speaker: &Speaker) -> BTreeMap<String, f64> {
    let mut stream = TcpStream::connect(speaker.metrics_addr()).expect("connect to metrics");
    stream
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    stream
        .write_all(b"GET /metrics HTTP/1.1\r\nHost: herald\r\n\r\n")
        .unwrap();
    let mut answer = String::new();
    stream.read_to_string(&mut answer).unwrap();
    let (head, body) = answer.split_once("\r\n\r\n").expect("an HTTP answer");
    assert!(head.starts_with("HTTP/1.1 200"), "{head}");
    assert!(head.contains("text/plain; version=0.0.4"), "{head}");
    body.lines()
        .filter(|l| !l.starts_with('#') && !l.is_empty())
        .map(|l| {
            let (name, value) = l.rsplit_once(' ').expect("name value");
            (name.to_owned(), value.parse().expect("a number"))
        })
        .collect()
}

#[test]
fn herald_cli_and_metrics_against_bird() {
    let config = LabConfig {
        peer: PeerKind::Bird,
        peer_as: PEER_AS,
        speakers: vec![(SpeakerKind::Herald, PEER_AS, None)],
        origin: Some(Origin {
            prefix: PEER_PREFIX.into(),
            next_hop: PEER_NEXT_HOP,
            med: 20,
            community: (65001, 7),
            large_community: (65001, 7, 7),
        }),
        ipv6: false,
        vpn: false,
        evpn: false,
        l2: false,
        rtc: false,
    };
    let lab = Lab::start("operate-bird", &config).expect("lab");
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| run(&lab)));
    if let Err(panic) = result {
        lab.dir().keep();
        eprintln!("{}", lab.diagnostics());
        std::panic::resume_unwind(panic);
    }
}

fn run(lab: &Lab) {
    lab.wait_established(0).expect("session up");
    let speaker = &lab.speakers[0];
    let peer = lab_peer(lab);

    // announce through the CLI (abbreviated verb), read back from BIRD
    let words: Vec<&str> = ANNOUNCE_FULL.split_whitespace().collect();
    let mut args = vec!["a"];
    args.extend(&words[1..]);
    ok("announce", &cli(speaker, &args));
    let want = expected_full();
    wait_until("BIRD holds the CLI's route", ROUTE_LIMIT, || {
        let routes = lab.routes_from(0).map_err(|e| e.to_string())?;
        match find(&routes, &want.prefix) {
            Some(r) if *r == want => Ok(()),
            other => Err(format!("{other:?}")),
        }
    })
    .expect("announce reaches BIRD");
    // the route BIRD originates reaches Herald's Adj-RIB-In
    wait_until("Herald holds BIRD's route", ROUTE_LIMIT, || {
        let out = cli(speaker, &["show", "adj-rib", "in"]);
        let t = text(&out);
        if t.contains(PEER_PREFIX) {
            Ok(())
        } else {
            Err(t)
        }
    })
    .expect("BIRD's route in Herald's adj-rib-in");

    // every show command, in text
    let summary = ok("s n s", &cli(speaker, &["s", "n", "s"]));
    assert!(summary.starts_with("Peer"), "{summary}");
    let row = summary.lines().nth(1).unwrap_or_default();
    assert!(
        row.contains(&peer) && row.contains("established"),
        "{summary}"
    );
    let extensive = ok(
        "show neighbor extensive",
        &cli(speaker, &["show", "neighbor", "extensive"]),
    );
    assert!(extensive.contains(&peer), "{extensive}");
    let conf = ok(
        "show neighbor configuration",
        &cli(speaker, &["show", "neighbor", "configuration"]),
    );
    assert!(conf.contains(&format!("neighbor {peer} {{")), "{conf}");
    let out_rib = ok("s a o", &cli(speaker, &["s", "a", "o"]));
    assert!(
        out_rib.contains("203.0.113.0/24 next-hop 192.0.2.1"),
        "{out_rib}"
    );
    let out_ext = ok("s a o e", &cli(speaker, &["s", "a", "o", "e"]));
    assert!(out_ext.contains("local-preference 200"), "{out_ext}");
    let in_rib = ok("s a i e", &cli(speaker, &["s", "a", "i", "e"]));
    assert!(in_rib.contains(PEER_PREFIX), "{in_rib}");

    // and in JSON
    let neighbors = json_lines(
        "show neighbor --json",
        &cli(speaker, &["--json", "show", "neighbor"]),
    );
    assert_eq!(neighbors[0][0]["fsm"], "ESTABLISHED", "{neighbors:?}");
    assert_eq!(neighbors[0][0]["peer"]["address"], peer.as_str());
    for view in ["summary", "extensive"] {
        let docs = json_lines(view, &cli(speaker, &["--json", "show", "neighbor", view]));
        assert_eq!(docs[0][0]["peer"]["address"], peer.as_str(), "{view}");
    }
    for (side, prefix) in [("out", "203.0.113.0/24"), ("in", PEER_PREFIX)] {
        for extra in [&[][..], &["extensive"][..]] {
            let mut args = vec!["--json", "show", "adj-rib", side];
            args.extend(extra);
            let docs = json_lines(&args.join(" "), &cli(speaker, &args));
            let all = serde_json::to_string(&docs).unwrap();
            assert!(all.contains(prefix), "{args:?}: {all}");
        }
    }
    let conf_json = cli(speaker, &["--json", "show", "neighbor", "configuration"]);
    ok("show neighbor configuration --json", &conf_json);

    // two clients at once, each with its own answer
    let bin = herald_binary().expect("herald");
    let spawn = |args: &[&str]| {
        Command::new("timeout")
            .arg("20")
            .arg(&bin)
            .arg("cli")
            .arg("--socket")
            .arg(speaker.control_socket())
            .args(args)
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("spawn herald cli")
    };
    let a = spawn(&["--json", "show", "adj-rib", "out"]);
    let b = spawn(&["show", "neighbor", "summary"]);
    let (a, b) = (a.wait_with_output().unwrap(), b.wait_with_output().unwrap());
    assert!(
        ok("client a", &a).contains("\"203.0.113.0/24\""),
        "{}",
        text(&a)
    );
    assert!(ok("client b", &b).starts_with("Peer"), "{}", text(&b));

    // metrics, against what BIRD holds
    let metrics = scrape(speaker);
    let label = |name: &str, rest: &str| format!("{name}{{peer=\"{peer}\"{rest}}}");
    assert_eq!(
        metrics.get(&label("herald_peer_state", "")),
        Some(&6.0),
        "{metrics:?}"
    );
    let held_by_bird = lab.routes_from(0).expect("readback").len() as f64;
    let family = ",family=\"ipv4 unicast\"";
    assert_eq!(
        metrics.get(&label(
            "herald_prefixes_held",
            &format!("{family},rib=\"out\"")
        )),
        Some(&held_by_bird),
        "{metrics:?}"
    );
    assert_eq!(
        metrics.get(&label(
            "herald_prefixes_held",
            &format!("{family},rib=\"in\"")
        )),
        Some(&1.0),
        "{metrics:?}"
    );
    assert_eq!(
        metrics.get(&label("herald_prefixes_announced_total", family)),
        Some(&1.0)
    );
    assert!(metrics[&label("herald_messages_received_total", ",type=\"update\"")] >= 1.0);
    assert!(metrics[&label("herald_messages_sent_total", ",type=\"update\"")] >= 1.0);
    assert!(metrics[&label("herald_peer_uptime_seconds", "")] >= 0.0);
    assert!(metrics["herald_api_commands_total"] >= 10.0);

    // the named pipes, with exabgp cli itself and its abbreviations
    let exabgp = which("exabgp").expect("exabgp installed");
    let pipe = |program: &std::path::Path, args: &[&str]| {
        let mut cmd = Command::new("timeout");
        cmd.arg("20").arg(program);
        cmd.arg("cli").arg("--pipename").arg(speaker.pipename());
        cmd.env("EXABGP_ROOT", speaker.pipe_root());
        cmd.args(args).output().expect("run a cli")
    };
    let via_exabgp = ok("exabgp cli s a o e", &pipe(&exabgp, &["s", "a", "o", "e"]));
    assert!(via_exabgp.contains("203.0.113.0/24"), "{via_exabgp}");
    assert!(via_exabgp.contains("local-preference 200"), "{via_exabgp}");
    let summary = ok("exabgp cli s n s", &pipe(&exabgp, &["s", "n", "s"]));
    assert!(summary.contains(&peer), "{summary}");
    let version = ok("herald cli over pipes", &pipe(&bin, &["version"]));
    assert_eq!(version, "exabgp 5.0.15\n");

    // withdraw through the pipes, read back from BIRD
    ok(
        "withdraw",
        &pipe(&exabgp, &["withdraw", "route", "203.0.113.0/24"]),
    );
    wait_until("BIRD drops the route", ROUTE_LIMIT, || {
        let routes = lab.routes_from(0).map_err(|e| e.to_string())?;
        match find(&routes, "203.0.113.0/24") {
            None => Ok(()),
            Some(r) => Err(format!("still there: {r:?}")),
        }
    })
    .expect("withdraw reaches BIRD");
    let metrics = scrape(speaker);
    assert_eq!(
        metrics.get(&label("herald_prefixes_withdrawn_total", family)),
        Some(&1.0)
    );
    assert_eq!(
        metrics.get(&label(
            "herald_prefixes_held",
            &format!("{family},rib=\"out\"")
        )),
        Some(&(lab.routes_from(0).expect("readback").len() as f64))
    );
}

/// BIRD's address as Herald names the peer.
fn lab_peer(lab: &Lab) -> String {
    let speaker = lab.speaker_address(0).octets();
    format!("{}.{}.{}.1", speaker[0], speaker[1], speaker[2])
}
