//! A peer sends faster than a helper reads its JSON (`process::hold`): the helper loses
//! nothing, the session stays up however long the helper takes, and a helper that reads
//! nothing holds the peer back for a bounded time only. Real helper processes, the daemon
//! in-process, and the raw-bytes test peer on 127.0.0.1 sending UPDATEs.

mod common;

use std::path::Path;
use std::time::{Duration, Instant};

use common::{env, stop, Conn, Scratch, TestPeer, NOTIFICATION, UPDATE};
use herald_runtime::{Parts, Speaker};

/// UPDATEs the test peer sends, and /32 prefixes in each.
const UPDATES: usize = 1_000;
const PER_UPDATE: usize = 200;
const PREFIXES: usize = UPDATES * PER_UPDATE;

/// Each helper's queue: small, a fifth of the JSON of 200k prefixes.
const QUEUE_BYTES: usize = 1024 * 1024;

fn start(conf: &Path, port: u16, queue_bytes: usize) -> Speaker {
    let _ = tracing_subscriber::fmt()
        .with_test_writer()
        .with_max_level(tracing::Level::DEBUG)
        .try_init();
    let config = config::load(&[conf.to_path_buf()]).expect("the configuration loads");
    let mut parts = Parts::from_env(config, env(port), None);
    parts.options.queue_bytes = queue_bytes;
    Speaker::start(parts)
}

/// A neighbor whose received UPDATEs go, parsed, to `processes`.
fn conf(port: u16, hold_time: u16, helpers: &[(&str, &Path)]) -> String {
    let mut text = String::new();
    let mut names = Vec::new();
    for (name, script) in helpers {
        text += &format!(
            "process {name} {{\n  run {};\n  encoder json;\n}}\n",
            script.display()
        );
        names.push(*name);
    }
    text += &format!(
        "neighbor 127.0.0.1 {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
         local-as 65001;\n  peer-as 65001;\n  connect {port};\n  hold-time {hold_time};\n  \
         family {{ ipv4 unicast; }}\n  api {{ processes [ {} ]; receive {{ parsed; update; }} }}\n}}\n",
        names.join(" ")
    );
    text
}

/// A helper counting the 10.x.y.z/32 prefixes in its JSON into `out` after every line
/// (as soon as the line arrives);
/// with `pause` (seconds, every that many lines), it sleeps (a helper slower than the peer).
fn counter(
    dir: &Scratch,
    name: &str,
    out: &Path,
    pause: Option<(&str, u32)>,
) -> std::path::PathBuf {
    let sleep = pause
        .map(|(p, every)| format!("if (NR % {every} == 0) system(\"sleep {p}\"); "))
        .unwrap_or_default();
    dir.script(
        &format!("{name}.sh"),
        &format!(
            "#!/bin/sh\n# mawk waits for a full buffer before it reads a line, unless interactive\n\
             if command -v mawk >/dev/null; then awk='mawk -W interactive'; else awk=awk; fi\n\
             exec $awk '{{ n += gsub(/\"10\\.[0-9]+\\.[0-9]+\\.[0-9]+\\/32\"/, \"&\"); \
             print n > \"{}\"; close(\"{}\"); {sleep}}}'\n",
            out.display(),
            out.display()
        ),
    )
}

/// The body of an UPDATE announcing `PER_UPDATE` /32s from 10.0.0.0 on, `index` apart.
fn update(index: usize) -> Vec<u8> {
    let mut attrs = Vec::new();
    attrs.extend_from_slice(&[0x40, 1, 1, 0]); // ORIGIN IGP
    attrs.extend_from_slice(&[0x40, 2, 0]); // AS_PATH empty (iBGP)
    attrs.extend_from_slice(&[0x40, 3, 4, 198, 51, 100, 1]); // NEXT_HOP
    attrs.extend_from_slice(&[0x40, 5, 4, 0, 0, 0, 100]); // LOCAL_PREF 100
    let mut body = vec![0, 0];
    body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    body.extend_from_slice(&attrs);
    for i in 0..PER_UPDATE {
        let n = (index * PER_UPDATE + i) as u32;
        body.push(32);
        body.extend_from_slice(&(0x0a00_0000 | n).to_be_bytes());
    }
    body
}

/// Sends `updates` UPDATEs (in a task: the daemon's reads pace it), then a KEEPALIVE every
/// second until `keepalives` are sent, then hands the connection back.
fn send_all(mut conn: Conn, updates: usize, keepalives: usize) -> tokio::task::JoinHandle<Conn> {
    tokio::spawn(async move {
        for i in 0..updates {
            conn.send(UPDATE, &update(i)).await;
        }
        for _ in 0..keepalives {
            conn.send(common::KEEPALIVE, &[]).await;
            tokio::time::sleep(Duration::from_secs(1)).await;
        }
        conn
    })
}

/// Waits (at most `limit`) until the number in `path` is `want`; returns the last number.
async fn count_reaches(path: &Path, want: usize, limit: Duration) -> usize {
    let deadline = Instant::now() + limit;
    loop {
        let got = std::fs::read_to_string(path)
            .ok()
            .and_then(|t| t.trim().parse().ok())
            .unwrap_or(0);
        if got >= want || Instant::now() > deadline {
            return got;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// The messages the daemon sent since the OPEN exchange: none may be a NOTIFICATION.
async fn assert_no_notification(conn: &mut Conn) {
    while let Ok(Some(msg)) = tokio::time::timeout(Duration::from_millis(200), conn.recv()).await {
        assert_ne!(msg.kind, NOTIFICATION, "the session was reset: {msg:?}");
    }
}

/// 200k prefixes (~5 MiB of JSON) into a 64 KiB queue, for a helper that sleeps every 10
/// lines: it counts every prefix (without the hold, most were dropped).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_helper_slower_than_its_peer_loses_no_update() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("slow-helper");
    let out = dir.path("count");
    let slow = counter(&dir, "slow", &out, Some(("0.005", 10)));
    let conf_path = dir.file("herald.conf", &conf(peer.port, 30, &[("slow", &slow)]));
    let speaker = start(&conf_path, peer.port, QUEUE_BYTES);
    let sender = send_all(peer.accept().await, UPDATES, 0);
    let got = count_reaches(&out, PREFIXES, Duration::from_secs(60)).await;
    assert_eq!(got, PREFIXES, "prefixes the helper counted");
    let mut conn = sender.await.unwrap();
    assert_no_notification(&mut conn).await;
    stop(speaker).await;
}

/// Hold time 3 s, and a helper so slow that the peer waits for it longer than that (a
/// 256 KiB queue drained ~50 lines a second): the waiting peer reads before its hold
/// timer expires, so the session stays up and the helper still counts every prefix.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_slow_helper_does_not_expire_the_hold_timer() {
    const SENT: usize = 400;
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("slow-helper-hold");
    let out = dir.path("count");
    let slow = counter(&dir, "slow", &out, Some(("0.02", 1)));
    let conf_path = dir.file("herald.conf", &conf(peer.port, 3, &[("slow", &slow)]));
    let speaker = start(&conf_path, peer.port, 256 * 1024);
    let started = Instant::now();
    // KEEPALIVEs for 10 s after the UPDATEs: while the daemon waits for the helper, what
    // waits in its socket is all it hears of the peer
    let sender = send_all(peer.accept().await, SENT, 10);
    let got = count_reaches(&out, SENT * PER_UPDATE, Duration::from_secs(60)).await;
    assert_eq!(got, SENT * PER_UPDATE, "prefixes the helper counted");
    assert!(
        started.elapsed() > Duration::from_secs(6),
        "the helper was meant to take longer than twice the hold time: {:?}",
        started.elapsed()
    );
    let mut conn = sender.await.unwrap();
    assert_no_notification(&mut conn).await;
    stop(speaker).await;
}

/// A helper that never reads, beside one that does: the peer waits for the deaf one only
/// for the stall time, then reads on; the reading helper counts every prefix and the
/// session stays up.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_helper_that_never_reads_holds_its_peer_back_only_briefly() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("deaf-helper");
    let out = dir.path("count");
    let reader = counter(&dir, "reader", &out, None);
    let deaf = dir.script("deaf.sh", "#!/bin/sh\nexec sleep 120\n");
    let conf_path = dir.file(
        "herald.conf",
        &conf(peer.port, 30, &[("deaf", &deaf), ("reader", &reader)]),
    );
    let speaker = start(&conf_path, peer.port, QUEUE_BYTES);
    let started = Instant::now();
    let sender = send_all(peer.accept().await, UPDATES, 0);
    let got = count_reaches(&out, PREFIXES, Duration::from_secs(30)).await;
    assert_eq!(got, PREFIXES, "prefixes the reading helper counted");
    // paused at most the stall time (2 s) for the deaf helper, not until it reads
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "{:?}",
        started.elapsed()
    );
    let mut conn = sender.await.unwrap();
    assert_no_notification(&mut conn).await;
    stop(speaker).await;
}
