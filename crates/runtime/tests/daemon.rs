//! The daemon end to end: real helper processes, real peer tasks, and a raw-bytes BGP test
//! peer on 127.0.0.1 (the daemon connects to it, as in ExaBGP's own functional tests).

mod common;

use std::path::Path;
use std::time::Duration;

use common::{env, stop, Routes, Scratch, TestPeer};
use herald_runtime::{Parts, Speaker};

fn neighbor(port: u16, processes: &str, extra: &str) -> String {
    format!(
        "neighbor 127.0.0.1 {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
         local-as 65001;\n  peer-as 65001;\n  connect {port};\n  hold-time 30;\n  \
         family {{ ipv4 unicast; }}\n  api {{ processes [ {processes} ]; }}\n{extra}}}\n"
    )
}

fn process(name: &str, script: &Path, encoder: &str) -> String {
    format!(
        "process {name} {{\n  run {};\n  encoder {encoder};\n}}\n",
        script.display()
    )
}

fn load(path: &Path) -> config::Config {
    config::load(&[path.to_path_buf()]).unwrap_or_else(|errors| {
        panic!(
            "{}",
            errors
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        )
    })
}

fn start(conf: &Path, port: u16) -> Speaker {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_max_level(tracing::Level::DEBUG)
        .try_init();
    let config = load(conf);
    let path = conf.to_path_buf();
    let loader = Speaker::loader(move || config::load(std::slice::from_ref(&path)));
    Speaker::start(Parts::from_env(config, env(port), Some(loader)))
}

fn has(routes: &Routes, prefix: &str, next_hop: &str) -> bool {
    routes.get(prefix) == Some(&Some(next_hop.parse().unwrap()))
}

/// A helper that prints one announce and records what it reads on stdin.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn helper_announce_reaches_the_peer_and_is_acked() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("announce");
    let acks = dir.path("acks.txt");
    let script = dir.script(
        "announce.sh",
        &format!(
            "#!/bin/sh\necho 'announce route 192.0.2.1/32 next-hop 198.51.100.1'\n\
             echo 'this is not a command'\n\
             echo 'announce route 192.0.2.2/32 next-hop 198.51.100.1'\n\
             echo version\n\
             exec cat > {}\n",
            acks.display()
        ),
    );
    let conf = dir.file(
        "herald.conf",
        &(process("announcer", &script, "text") + &neighbor(peer.port, "announcer", "")),
    );
    let speaker = start(&conf, peer.port);
    let mut conn = peer.accept().await;
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| {
        has(r, "192.0.2.1/32", "198.51.100.1") && has(r, "192.0.2.2/32", "198.51.100.1")
    })
    .await;
    // the bad command got `error`, the others `done`, and the session carried on
    let text = common::wait_file(&acks, |t| t.lines().count() >= 5).await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[..5],
        ["done", "error", "done", "exabgp 5.0.15", "done"]
    );
    stop(speaker).await;
}

/// A helper that never reads its stdin while 50k announces flow must not stall another
/// helper or the session.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_helper_that_never_reads_does_not_stall_the_others() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("stall");
    let acks = dir.path("acks.txt");
    // 50k announces of 10.x.y.0/24 (16 bits of index), never reading stdin
    let flood = dir.script(
        "flood.sh",
        "#!/bin/sh\ni=0\nwhile [ $i -lt 50000 ]; do\n  \
         echo \"announce route 10.$((i / 256)).$((i % 256)).0/24 next-hop 198.51.100.1\"\n  \
         i=$((i + 1))\ndone\nexec sleep 60\n",
    );
    let reader = dir.script(
        "reader.sh",
        &format!(
            "#!/bin/sh\nsleep 1\necho 'announce route 192.0.2.77/32 next-hop 198.51.100.7'\n\
             exec cat > {}\n",
            acks.display()
        ),
    );
    let conf = dir.file(
        "herald.conf",
        &(process("flood", &flood, "text")
            + &process("reader", &reader, "text")
            + &neighbor(peer.port, "flood reader", "")),
    );
    let speaker = start(&conf, peer.port);
    let mut conn = peer.accept().await;
    let mut routes = Routes::new();
    tokio::time::timeout(
        Duration::from_secs(120),
        conn.routes_until(&mut routes, |r| {
            has(r, "192.0.2.77/32", "198.51.100.7")
                && has(r, "10.195.79.0/24", "198.51.100.1")
                && r.len() == 50_001
        }),
    )
    .await
    .expect("the routes did not all arrive in time");
    let text = common::wait_file(&acks, |t| t.lines().next() == Some("done")).await;
    assert_eq!(text.lines().next(), Some("done"));
    stop(speaker).await;
}

/// Flow control (`process::flow`): a helper printing 200k routes for a peer that reads
/// nothing is not held back by that peer (its peer task applies the routes to the
/// Adj-RIB-Out whatever the socket does), another peer fed by another helper gets its
/// route meanwhile, and every route reaches the slow peer once it reads.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_peer_that_does_not_read_stalls_neither_its_helper_nor_another_peer() {
    // the slow peer: a small receive buffer, and nothing read after the OPEN exchange
    let socket = tokio::net::TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.bind("127.0.0.1:0".parse().unwrap()).unwrap();
    let listener = socket.listen(8).unwrap();
    let slow = TestPeer {
        port: listener.local_addr().unwrap().port(),
        listener,
    };
    let other = TestPeer {
        listener: tokio::net::TcpListener::bind("127.0.0.2:0").await.unwrap(),
        port: 0,
    };
    let other_port = other.listener.local_addr().unwrap().port();
    let dir = Scratch::new("flow");
    let written = dir.path("all-written");
    let flood = dir.script(
        "flood.sh",
        &format!(
            "#!/bin/sh\nawk 'BEGIN {{ for (i = 0; i < 200000; i++) printf \"announce route \
             10.%d.%d.%d/32 next-hop 198.51.100.1\\n\", i / 65536, (i / 256) % 256, i % 256 }}'\n\
             touch {}\nexec cat > /dev/null\n",
            written.display()
        ),
    );
    let single = dir.script(
        "single.sh",
        "#!/bin/sh\nsleep 1\necho 'announce route 192.0.2.9/32 next-hop 198.51.100.9'\n\
         exec cat > /dev/null\n",
    );
    let other_neighbor =
        neighbor(other_port, "single", "").replacen("neighbor 127.0.0.1", "neighbor 127.0.0.2", 1);
    let conf = dir.file(
        "herald.conf",
        &(process("flood", &flood, "text")
            + &process("single", &single, "text")
            + &neighbor(slow.port, "flood", "")
            + &other_neighbor),
    );
    let speaker = start(&conf, slow.port);
    let (mut slow_conn, mut other_conn) = tokio::join!(slow.accept(), other.accept());

    // the other peer gets its route while the slow one reads nothing
    let mut other_routes = Routes::new();
    other_conn
        .routes_until(&mut other_routes, |r| {
            has(r, "192.0.2.9/32", "198.51.100.9")
        })
        .await;
    // and the flood helper could write all its lines: the slow peer does not hold it back
    common::wait_file(&written, |_| true).await;

    // the slow peer starts reading: every route arrives
    let mut routes = Routes::new();
    tokio::time::timeout(
        Duration::from_secs(120),
        slow_conn.routes_until(&mut routes, |r| r.len() == 200_000),
    )
    .await
    .expect("the routes did not all arrive in time");
    assert!(has(&routes, "10.3.13.63/32", "198.51.100.1"));
    assert!(!routes.contains_key("192.0.2.9/32"), "not for this peer");
    stop(speaker).await;
}

/// A helper killed by a signal is started again and announces again.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_killed_helper_is_respawned_and_reannounces() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("respawn");
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
    let conf = dir.file(
        "herald.conf",
        &(process("helper", &script, "text") + &neighbor(peer.port, "helper", "")),
    );
    let speaker = start(&conf, peer.port);
    let mut conn = peer.accept().await;
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| has(r, "192.0.2.9/32", "198.51.100.9"))
        .await;
    let first = common::wait_file(&pids, |t| t.lines().count() == 1).await;
    let pid = first.trim().to_owned();
    let status = std::process::Command::new("kill")
        .args(["-KILL", &pid])
        .status()
        .unwrap();
    assert!(status.success());
    let both = common::wait_file(&pids, |t| t.lines().count() == 2).await;
    assert_ne!(both.lines().nth(1), Some(pid.as_str()));
    // the new instance announces the route again (its MED is its pid, so the route
    // changed): the peer sees an UPDATE for it again
    let mut again = Routes::new();
    conn.routes_until(&mut again, |r| has(r, "192.0.2.9/32", "198.51.100.9"))
        .await;
    stop(speaker).await;
}

/// SIGUSR1-style reload with a changed route set: the difference is sent and the session
/// stays up (no NOTIFICATION, no new OPEN).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reload_sends_the_route_difference_without_resetting() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("reload");
    let script = dir.script("idle.sh", "#!/bin/sh\nexec cat > /dev/null\n");
    let statics = |routes: &[&str]| {
        let mut s = String::from("  static {\n");
        for r in routes {
            s.push_str(&format!("    route {r} next-hop 198.51.100.1;\n"));
        }
        s.push_str("  }\n");
        s
    };
    let text = |routes: &[&str]| {
        process("idle", &script, "text") + &neighbor(peer.port, "idle", &statics(routes))
    };
    let conf = dir.file("herald.conf", &text(&["10.1.0.0/24", "10.2.0.0/24"]));
    let speaker = start(&conf, peer.port);
    let mut conn = peer.accept().await;
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| {
        has(r, "10.1.0.0/24", "198.51.100.1") && has(r, "10.2.0.0/24", "198.51.100.1")
    })
    .await;
    std::fs::write(&conf, text(&["10.1.0.0/24", "10.3.0.0/24"])).unwrap();
    speaker.reload();
    // recv_kind(UPDATE) panics on any message but KEEPALIVE and UPDATE: no OPEN, no
    // NOTIFICATION may come
    conn.routes_until(&mut routes, |r| {
        has(r, "10.3.0.0/24", "198.51.100.1")
            && !r.contains_key("10.2.0.0/24")
            && has(r, "10.1.0.0/24", "198.51.100.1")
    })
    .await;
    stop(speaker).await;
}

/// Reads messages until a NOTIFICATION; returns its (code, subcode).
async fn notification(conn: &mut common::Conn) -> (u8, u8) {
    loop {
        let msg = tokio::time::timeout(Duration::from_secs(30), conn.recv())
            .await
            .expect("no NOTIFICATION in time")
            .expect("connection closed without a NOTIFICATION");
        if msg.kind == common::NOTIFICATION {
            return (msg.body[0], msg.body[1]);
        }
    }
}

/// `neighbor IP create { … }` starts a peer that no configuration file names, routes reach
/// it, and `neighbor IP delete` closes the session with a Cease NOTIFICATION; a bad block
/// is an `error` and changes nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn neighbors_created_and_deleted_from_the_api() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("create");
    let acks = dir.path("acks.txt");
    let go = dir.path("go");
    let block = format!(
        "router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65001; \
         connect {}; family {{ ipv4 unicast; }} api {{ processes [ ctl ]; }}",
        peer.port
    );
    let script = dir.script(
        "ctl.sh",
        &format!(
            "#!/bin/sh\nexec 3> {acks}\n\
             echo 'neighbor 127.0.0.1 create {{ local-as 1; }}'\n\
             echo 'neighbor 127.0.0.1 create {{ {block} }}'\n\
             echo 'neighbor 127.0.0.1 announce route 192.0.2.5/32 next-hop 198.51.100.5'\n\
             n=0; while [ ! -e {go} ] && [ $n -lt 600 ]; do sleep 0.05; n=$((n+1)); done  # at most 30 s\n\
             echo 'neighbor 127.0.0.1 delete'\n\
             exec cat >&3\n",
            acks = acks.display(),
            go = go.display(),
        ),
    );
    let conf = dir.file("herald.conf", &process("ctl", &script, "text"));
    let speaker = start(&conf, peer.port);
    let mut conn = peer.accept().await;
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| has(r, "192.0.2.5/32", "198.51.100.5"))
        .await;
    std::fs::write(&go, "").unwrap();
    // Cease (6), subcode 3 "Peer De-configured" (RFC 4486)
    assert_eq!(notification(&mut conn).await, (6, 3));
    let text = common::wait_file(&acks, |t| t.lines().count() >= 4).await;
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[..4], ["error", "done", "done", "done"]);
    stop(speaker).await;
}

/// Shutting the daemon down (SIGTERM, `shutdown`) closes each session with a Cease.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn shutdown_sends_a_cease() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("cease");
    let script = dir.script(
        "announce.sh",
        "#!/bin/sh\necho 'announce route 192.0.2.6/32 next-hop 198.51.100.6'\nexec cat >/dev/null\n",
    );
    let conf = dir.file(
        "herald.conf",
        &(process("a", &script, "text") + &neighbor(peer.port, "a", "")),
    );
    let speaker = start(&conf, peer.port);
    let mut conn = peer.accept().await;
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| has(r, "192.0.2.6/32", "198.51.100.6"))
        .await;
    speaker.shutdown();
    let (code, _) = notification(&mut conn).await;
    assert_eq!(code, 6);
    tokio::time::timeout(Duration::from_secs(15), speaker.wait())
        .await
        .expect("the daemon did not stop");
}
