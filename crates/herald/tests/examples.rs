//! The files of `examples/`, run as they are (only the peer's port is rewritten) by the real
//! `herald server` against a raw-bytes eBGP test peer on 127.0.0.3: anycast with
//! `monitor.sh` and with `herald healthcheck`, and the load balancer's event-driven
//! announcer with its state replay. (The blackholing example runs against GoBGP in
//! `crates/interop-tests/tests/examples.rs`.)

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{has, Daemon, Routes, Scratch, TestPeer};

/// The AS of the router in every example.
const ROUTER_AS: u16 = 65003;

/// Copies `examples/NAME/*` into `dir`, pointing `connect 1790;` at `port` (every
/// example's speaker connects to its router there).
fn copy_example(name: &str, dir: &Path, port: u16) -> PathBuf {
    let from = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    for entry in std::fs::read_dir(&from).unwrap() {
        let path = entry.unwrap().path();
        let to = dir.join(path.file_name().unwrap());
        std::fs::copy(&path, &to).unwrap();
        let text = std::fs::read_to_string(&to).unwrap_or_default();
        if path.extension().is_some_and(|e| e == "conf") && text.contains("connect 1790;") {
            std::fs::write(
                &to,
                text.replace("connect 1790;", &format!("connect {port};")),
            )
            .unwrap();
        }
    }
    dir.to_path_buf()
}

/// PATH for the daemon: `herald` (for `run herald healthcheck`) is the binary under test;
/// a relative program resolves to the last match, so its directory comes last.
fn path_with_herald() -> String {
    let bin = Path::new(env!("CARGO_BIN_EXE_herald")).parent().unwrap();
    format!("/usr/bin:/bin:{}", bin.display())
}

/// Anycast: the route is there while the check passes, and withdrawn when it fails.
fn anycast(conf: &str, extra_env: &[(&str, &str)], url: Option<&str>) {
    let peer = TestPeer::bind_on("127.0.0.3");
    let scratch = Scratch::new(&format!("anycast-{conf}"));
    let dir = copy_example("anycast", &scratch.dir, peer.port);
    let up = dir.join("up");
    std::fs::write(&up, "ok\n").unwrap();
    let file_url = format!("file://{}", up.display());
    if let Some(url) = url {
        let path = dir.join(conf);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(url));
        std::fs::write(&path, text.replace(url, &file_url)).unwrap();
    }
    let path = path_with_herald();
    let mut env = vec![("PATH", path.as_str()), ("MONITOR_URL", file_url.as_str())];
    env.extend_from_slice(extra_env);
    let mut daemon = Daemon::start(&dir, peer.port, &[conf], &env);
    let mut conn = peer.accept_as(Some(ROUTER_AS));
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| has(r, "192.0.2.1/32", "198.51.100.1"));
    // the service stops answering
    std::fs::remove_file(&up).unwrap();
    conn.routes_until(&mut routes, |r| !r.contains_key("192.0.2.1/32"));
    // and comes back
    std::fs::write(&up, "ok\n").unwrap();
    conn.routes_until(&mut routes, |r| has(r, "192.0.2.1/32", "198.51.100.1"));
    daemon.signal("TERM");
    assert_eq!(conn.notification().0, 6);
    assert!(daemon.wait().success(), "{}", daemon.log());
}

#[test]
fn anycast_monitor_announces_while_the_service_answers() {
    anycast("herald.conf", &[("MONITOR_INTERVAL", "0.2")], None);
}

#[test]
fn anycast_healthcheck_announces_while_the_service_answers() {
    anycast("healthcheck.conf", &[], Some("http://127.0.0.2:8080/"));
}

/// Writes one event line into the load balancer's FIFO (bounded: nobody reading fails).
fn lb_event(fifo: &Path, line: &str) {
    let status = Command::new("timeout")
        .arg("10")
        .arg("sh")
        .arg("-c")
        .arg(format!("echo '{line}' > '{}'", fifo.display()))
        .status()
        .unwrap();
    assert!(status.success(), "nobody reads {}", fifo.display());
}

/// The PIDs of the helper `announcer` in the daemon's log, in start order.
fn helper_pids(log: &str) -> Vec<u32> {
    log.lines()
        .filter(|l| l.contains("started helper process=announcer"))
        .filter_map(|l| l.split("pid=Some(").nth(1)?.split(')').next()?.parse().ok())
        .collect()
}

#[test]
fn loadbalancer_announcer_follows_events_and_replays_its_state() {
    let peer = TestPeer::bind_on("127.0.0.3");
    let scratch = Scratch::new("loadbalancer");
    let dir = copy_example("loadbalancer", &scratch.dir, peer.port);
    let fifo = dir.join("lb.fifo");
    let mut daemon = Daemon::start(&dir, peer.port, &["herald.conf"], &[]);
    let mut conn = peer.accept_as(Some(ROUTER_AS));
    daemon.wait_log("announcer: replayed 0 routes (session up)");

    // 1. events become announces and withdraws at once
    lb_event(&fifo, "up 10.10.0.1/32");
    lb_event(&fifo, "up 10.10.0.2/32");
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| {
        r.contains_key("10.10.0.1/32") && r.contains_key("10.10.0.2/32")
    });
    lb_event(&fifo, "down 10.10.0.1/32");
    conn.routes_until(&mut routes, |r| !r.contains_key("10.10.0.1/32"));
    assert_eq!(
        std::fs::read_to_string(dir.join("lb.state")).unwrap(),
        "10.10.0.2/32\n"
    );

    // 2. the helper crashes (its whole process group): Herald respawns it and the new
    // instance replays the state, then follows new events
    let first = helper_pids(&daemon.log());
    assert_eq!(first.len(), 1, "{}", daemon.log());
    let status = Command::new("kill")
        .arg("-KILL")
        .arg("--")
        .arg(format!("-{}", first[0]))
        .status()
        .unwrap();
    assert!(status.success());
    daemon.wait_log("announcer: replayed 1 routes (start)");
    assert_eq!(helper_pids(&daemon.log()).len(), 2, "{}", daemon.log());
    lb_event(&fifo, "up 10.10.0.3/32");
    conn.routes_until(&mut routes, |r| r.contains_key("10.10.0.3/32"));
    assert!(routes.contains_key("10.10.0.2/32"));

    // 3. the session goes down and comes back: the set is announced on the new session,
    // and the helper replays it on `state up`
    drop(conn);
    let mut conn = peer.accept_as(Some(ROUTER_AS));
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| {
        r.contains_key("10.10.0.2/32") && r.contains_key("10.10.0.3/32")
    });
    daemon.wait_log("announcer: replayed 2 routes (session up)");

    // 4. Herald itself restarts: its Adj-RIB-Out is gone, the helper's replay alone
    // brings the routes back
    daemon.signal("TERM");
    assert_eq!(conn.notification().0, 6);
    assert!(daemon.wait().success(), "{}", daemon.log());
    drop(conn);
    let mut daemon = Daemon::start(&dir, peer.port, &["herald.conf"], &[]);
    let mut conn = peer.accept_as(Some(ROUTER_AS));
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| {
        r.contains_key("10.10.0.2/32") && r.contains_key("10.10.0.3/32")
    });
    assert!(!routes.contains_key("10.10.0.1/32"));
    daemon.wait_log("announcer: replayed 2 routes (start)");
    daemon.signal("TERM");
    assert_eq!(conn.notification().0, 6);
    assert!(daemon.wait().success(), "{}", daemon.log());
}
