//! Signals as ExaBGP 5 (spec §5), sent to a running `herald server` whose session with a
//! raw-bytes test peer on 127.0.0.1 is up: SIGUSR1 reloads and keeps the session and the
//! helpers, SIGUSR2 restarts the helpers, SIGTERM and SIGHUP shut down with a Cease,
//! SIGALRM restarts; what a reload changed is in the log.

mod common;

use common::{has, neighbor, process, Daemon, Routes, Scratch, TestPeer};

/// The helper of these tests: records its PID, announces a route whose MED is its PID
/// (so a new instance changes the route), then reads stdin until it closes.
fn helper(dir: &Scratch) -> (std::path::PathBuf, std::path::PathBuf) {
    let pids = dir.path("pids.txt");
    let script = dir.script(
        "helper.sh",
        &format!(
            "#!/bin/sh\necho $$ >> {}\n\
             echo \"announce route 192.0.2.9/32 next-hop 198.51.100.9 med $$\"\n\
             exec cat > /dev/null\n",
            pids.display()
        ),
    );
    (script, pids)
}

fn statics(routes: &[&str]) -> String {
    let mut s = String::from("  static {\n");
    for r in routes {
        s.push_str(&format!("    route {r} next-hop 198.51.100.1;\n"));
    }
    s.push_str("  }\n");
    s
}

fn alive(pid: &str) -> bool {
    std::path::Path::new(&format!("/proc/{pid}")).exists()
}

#[test]
fn sigusr1_reload_keeps_session_and_helper_and_sends_the_difference() {
    let peer = TestPeer::bind();
    let dir = Scratch::new("usr1");
    let (script, pids) = helper(&dir);
    let text = |routes: &[&str]| {
        process("helper", &script, "text") + &neighbor(peer.port, "helper", &statics(routes))
    };
    let conf = dir.file("herald.conf", &text(&["10.1.0.0/24", "10.2.0.0/24"]));
    let mut daemon = Daemon::start(&dir.dir, peer.port, &[conf.to_str().unwrap()], &[]);
    let mut conn = peer.accept();
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| {
        has(r, "10.1.0.0/24", "198.51.100.1")
            && has(r, "10.2.0.0/24", "198.51.100.1")
            && has(r, "192.0.2.9/32", "198.51.100.9")
    });
    let pid = common::wait_file(&pids, |t| t.lines().count() == 1)
        .trim()
        .to_owned();

    std::fs::write(&conf, text(&["10.1.0.0/24", "10.3.0.0/24"])).unwrap();
    daemon.signal("USR1");
    // only UPDATEs and KEEPALIVEs may come: an OPEN or a NOTIFICATION fails here
    conn.routes_until(&mut routes, |r| {
        has(r, "10.3.0.0/24", "198.51.100.1") && !r.contains_key("10.2.0.0/24")
    });
    assert!(has(&routes, "10.1.0.0/24", "198.51.100.1"));
    assert!(has(&routes, "192.0.2.9/32", "198.51.100.9"));
    // what changed is logged, and the helper was neither stopped nor started again (helpers
    // are handled before the routes are sent, so the log already says so)
    let log = daemon.wait_log("reload: 127.0.0.1: +1 -1 routes");
    assert_eq!(
        log.matches("started helper process=helper").count(),
        1,
        "{log}"
    );
    assert!(alive(&pid), "the helper {pid} was stopped:\n{log}");
    assert_eq!(std::fs::read_to_string(&pids).unwrap().lines().count(), 1);

    // a configuration that does not parse: logged, the running one kept
    std::fs::write(&conf, "neighbor {").unwrap();
    daemon.signal("USR1");
    daemon.wait_log("keeping the running one");
    // a reload with nothing changed says so
    std::fs::write(&conf, text(&["10.1.0.0/24", "10.3.0.0/24"])).unwrap();
    daemon.signal("USR1");
    daemon.wait_log("reload: nothing changed");

    daemon.signal("TERM");
    assert_eq!(conn.notification().0, 6);
    assert!(daemon.wait().success());
}

#[test]
fn sigusr2_full_reload_restarts_the_helpers_and_routes_are_announced_again() {
    let peer = TestPeer::bind();
    let dir = Scratch::new("usr2");
    let (script, pids) = helper(&dir);
    let conf = dir.file(
        "herald.conf",
        &(process("helper", &script, "text") + &neighbor(peer.port, "helper", "")),
    );
    let mut daemon = Daemon::start(&dir.dir, peer.port, &[conf.to_str().unwrap()], &[]);
    let mut conn = peer.accept();
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| has(r, "192.0.2.9/32", "198.51.100.9"));
    let first = common::wait_file(&pids, |t| t.lines().count() == 1)
        .trim()
        .to_owned();
    assert_eq!(routes["192.0.2.9/32"].med, Some(first.parse().unwrap()));

    daemon.signal("USR2");
    let both = common::wait_file(&pids, |t| t.lines().count() == 2);
    let second = both.lines().nth(1).unwrap().to_owned();
    assert_ne!(first, second);
    // the new helper's route (its MED is the new PID) reaches the peer on the same session
    let med: u32 = second.parse().unwrap();
    conn.routes_until(&mut routes, |r| {
        r.get("192.0.2.9/32").and_then(|r| r.med) == Some(med)
    });
    daemon.wait_log("reload: helpers restarted: helper");
    common::wait_until("the old helper to exit", || !alive(&first));

    daemon.signal("TERM");
    assert_eq!(conn.notification().0, 6);
    assert!(daemon.wait().success());
}

/// SIGTERM and SIGHUP (shutdown, not reload, as in ExaBGP 5): a Cease to the peer, the
/// helper stopped, exit status 0.
#[test]
fn sigterm_and_sighup_shut_down_with_a_cease() {
    for signal in ["TERM", "HUP"] {
        let peer = TestPeer::bind();
        let dir = Scratch::new(&format!("stop-{signal}"));
        let (script, pids) = helper(&dir);
        let conf = dir.file(
            "herald.conf",
            &(process("helper", &script, "text") + &neighbor(peer.port, "helper", "")),
        );
        let mut daemon = Daemon::start(&dir.dir, peer.port, &[conf.to_str().unwrap()], &[]);
        let mut conn = peer.accept();
        let mut routes = Routes::new();
        conn.routes_until(&mut routes, |r| has(r, "192.0.2.9/32", "198.51.100.9"));
        let pid = common::wait_file(&pids, |t| t.lines().count() == 1)
            .trim()
            .to_owned();
        daemon.signal(signal);
        let (code, _) = conn.notification();
        assert_eq!(code, 6, "SIG{signal}: not a Cease");
        let status = daemon.wait();
        assert!(
            status.success(),
            "SIG{signal}: {status:?}\n{}",
            daemon.log()
        );
        let log = daemon.log();
        assert!(
            log.contains(&format!("SIG{signal} received, shutting down")),
            "{log}"
        );
        assert!(
            !alive(&pid),
            "SIG{signal}: the helper {pid} outlived the daemon"
        );
    }
}

/// SIGALRM: every session and helper restarted — a Cease, a new session, a new helper
/// whose route reaches the peer.
#[test]
fn sigalrm_restarts_sessions_and_helpers() {
    let peer = TestPeer::bind();
    let dir = Scratch::new("alrm");
    let (script, pids) = helper(&dir);
    let conf = dir.file(
        "herald.conf",
        &(process("helper", &script, "text")
            + &neighbor(peer.port, "helper", &statics(&["10.1.0.0/24"]))),
    );
    let mut daemon = Daemon::start(&dir.dir, peer.port, &[conf.to_str().unwrap()], &[]);
    let mut conn = peer.accept();
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| {
        has(r, "192.0.2.9/32", "198.51.100.9") && has(r, "10.1.0.0/24", "198.51.100.1")
    });
    common::wait_file(&pids, |t| t.lines().count() == 1);

    daemon.signal("ALRM");
    assert_eq!(conn.notification().0, 6);
    drop(conn);
    let mut conn = peer.accept();
    let both = common::wait_file(&pids, |t| t.lines().count() == 2);
    let med: u32 = both.lines().nth(1).unwrap().parse().unwrap();
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| {
        has(r, "10.1.0.0/24", "198.51.100.1")
            && r.get("192.0.2.9/32").and_then(|r| r.med) == Some(med)
    });
    daemon.wait_log("performing restart");

    daemon.signal("TERM");
    assert_eq!(conn.notification().0, 6);
    assert!(daemon.wait().success());
}
