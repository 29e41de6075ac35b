//! Logs of a running `herald server` whose session with a raw-bytes test peer is up:
//! `--log-format json` writes one JSON object per line with `level`, `target` and
//! `message`; `exabgp.log.destination=/path` writes to that file and not to stdout; the
//! `exabgp.log.*` switches turn their targets off (and `packets` on);
//! `exabgp.log.destination=journald` sends journald's native datagrams (to the socket
//! `HERALD_JOURNAL_SOCKET` names) with `MESSAGE`, `PRIORITY`, `SYSLOG_IDENTIFIER`, `TARGET`.

mod common;

use common::{has, neighbor, process, Daemon, Routes, Scratch, TestPeer};
use serde_json::Value;

/// Starts a daemon with a helper announcing one route, waits for the route at the peer,
/// reloads (SIGUSR1, for a `configuration` line; unless `silent`, as nothing could tell
/// when the reload is over), stops it (SIGTERM) and returns the daemon, stopped.
fn run(dir: &Scratch, args: &[&str], env: &[(&str, &str)]) -> Daemon {
    run_with(dir, args, env, false)
}

fn run_with(dir: &Scratch, args: &[&str], env: &[(&str, &str)], silent: bool) -> Daemon {
    let peer = TestPeer::bind();
    let script = dir.script(
        "helper.sh",
        "#!/bin/sh\necho 'announce route 192.0.2.7/32 next-hop 198.51.100.7'\nexec cat >/dev/null\n",
    );
    let conf = dir.file(
        "herald.conf",
        &(process("helper", &script, "text") + &neighbor(peer.port, "helper", "")),
    );
    let mut all: Vec<&str> = args.to_vec();
    all.push(conf.to_str().unwrap());
    let mut daemon = Daemon::start(&dir.dir, peer.port, &all, env);
    let mut conn = peer.accept();
    let mut routes = Routes::new();
    conn.routes_until(&mut routes, |r| has(r, "192.0.2.7/32", "198.51.100.7"));
    if !silent {
        daemon.signal("USR1");
        // the reload sends nothing to the peer: wait for its end in whichever log is used
        let done = "reload: nothing changed";
        let file = env
            .iter()
            .find(|(k, _)| *k == "exabgp_log_destination")
            .map(|(_, v)| std::path::PathBuf::from(v));
        common::wait_file(file.as_deref().unwrap_or(&daemon.log), |t| t.contains(done));
    }
    daemon.signal("TERM");
    assert_eq!(conn.notification().0, 6);
    assert!(daemon.wait().success(), "{}", daemon.log());
    daemon
}

/// Every line parsed as JSON; fails on a line that is not an object with string
/// `level`, `target` and `message`.
fn json_lines(text: &str) -> Vec<Value> {
    text.lines()
        .map(|line| {
            let value: Value =
                serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line:?}"));
            for key in ["level", "target", "message", "timestamp"] {
                assert!(value[key].is_string(), "no {key} in {line}");
            }
            value
        })
        .collect()
}

fn targets(lines: &[Value]) -> Vec<&str> {
    lines.iter().filter_map(|l| l["target"].as_str()).collect()
}

#[test]
fn json_format_writes_one_object_per_line_with_level_target_message() {
    let dir = Scratch::new("json");
    let daemon = run(&dir, &["--log-format", "json"], &[]);
    let text = daemon.log();
    let lines = json_lines(&text);
    let find = |target: &str, message: &str| {
        lines
            .iter()
            .find(|l| l["target"] == target && l["message"].as_str().unwrap().contains(message))
            .unwrap_or_else(|| panic!("no {target} line with {message:?}:\n{text}"))
    };
    assert_eq!(
        find("configuration", "reload: nothing changed")["level"],
        "INFO"
    );
    let started = find("processes", "started helper");
    assert_eq!(started["process"], "helper", "{started}");
    find("network", "session established");
    find("reactor", "SIGTERM received, shutting down");
    // packets are off by default
    assert!(!targets(&lines).contains(&"packets"), "{text}");
}

#[test]
fn file_destination_gets_the_lines_and_stdout_none() {
    let dir = Scratch::new("file");
    let file = dir.path("herald.log");
    let daemon = run(
        &dir,
        &[],
        &[("exabgp_log_destination", file.to_str().unwrap())],
    );
    let logged = std::fs::read_to_string(&file).unwrap();
    for needle in [
        "started helper",
        "reload: nothing changed",
        "SIGTERM received, shutting down",
    ] {
        assert!(
            logged.contains(needle),
            "{needle} not in the file:\n{logged}"
        );
    }
    assert_eq!(daemon.log(), "", "stdout and stderr should be empty");
}

#[test]
fn switches_turn_targets_off_and_packets_on() {
    let dir = Scratch::new("switches");
    let daemon = run(
        &dir,
        &["--log-format", "json"],
        &[
            ("exabgp_log_processes", "false"),
            ("exabgp_log_network", "false"),
            ("exabgp.log.packets", "true"),
        ],
    );
    let text = daemon.log();
    let lines = json_lines(&text);
    let seen = targets(&lines);
    assert!(!seen.contains(&"processes"), "{text}");
    assert!(!seen.contains(&"network"), "{text}");
    assert!(seen.contains(&"reactor"), "{text}");
    assert!(seen.contains(&"configuration"), "{text}");
    // the packet log: the OPEN sent and received, in hex after the marker
    let packets: Vec<&str> = lines
        .iter()
        .filter(|l| l["target"] == "packets")
        .filter_map(|l| l["message"].as_str())
        .collect();
    let marker = "F".repeat(32);
    assert!(
        packets
            .iter()
            .any(|m| m.starts_with(&format!(">> {marker}"))),
        "{packets:?}"
    );
    assert!(
        packets
            .iter()
            .any(|m| m.starts_with(&format!("<< {marker}"))),
        "{packets:?}"
    );

    // log.enable=false: nothing at all
    let dir = Scratch::new("silent");
    let daemon = run_with(&dir, &[], &[("exabgp_log_enable", "false")], true);
    assert_eq!(daemon.log(), "");
}

/// The fields of one datagram of journald's native protocol: `KEY=value` lines, or `KEY`,
/// a newline, a little-endian 64-bit length, the value and a newline.
fn journal_fields(mut data: &[u8]) -> Vec<(String, String)> {
    let mut fields = Vec::new();
    while !data.is_empty() {
        let end = data.iter().position(|b| *b == b'\n').expect("no newline");
        let line = &data[..end];
        if let Some(eq) = line.iter().position(|b| *b == b'=') {
            let key = String::from_utf8(line[..eq].to_vec()).unwrap();
            fields.push((key, String::from_utf8_lossy(&line[eq + 1..]).into_owned()));
            data = &data[end + 1..];
        } else {
            let key = String::from_utf8(line.to_vec()).unwrap();
            let rest = &data[end + 1..];
            let len = u64::from_le_bytes(rest[..8].try_into().unwrap()) as usize;
            let value = &rest[8..8 + len];
            assert_eq!(
                rest[8 + len],
                b'\n',
                "value of {key} not ended by a newline"
            );
            fields.push((key, String::from_utf8_lossy(value).into_owned()));
            data = &rest[9 + len..];
        }
    }
    fields
}

#[test]
fn journald_destination_sends_native_datagrams_with_fields() {
    use std::os::unix::net::UnixDatagram;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    use std::time::Duration;

    let dir = Scratch::new("journald");
    let socket_path = dir.path("journal.socket");
    let journal = UnixDatagram::bind(&socket_path).unwrap();
    journal
        .set_read_timeout(Some(Duration::from_millis(200)))
        .unwrap();
    let done = Arc::new(AtomicBool::new(false));
    // read as journald does, until the daemon has exited and the queue is empty
    let reader = {
        let done = done.clone();
        std::thread::spawn(move || {
            let mut datagrams = Vec::new();
            let mut buf = vec![0u8; 65536];
            loop {
                match journal.recv(&mut buf) {
                    Ok(n) => datagrams.push(buf[..n].to_vec()),
                    Err(_) if done.load(Ordering::SeqCst) => return datagrams,
                    Err(_) => {}
                }
            }
        })
    };
    let daemon = run_with(
        &dir,
        &[],
        &[
            ("exabgp_log_destination", "journald"),
            ("HERALD_JOURNAL_SOCKET", socket_path.to_str().unwrap()),
        ],
        true,
    );
    done.store(true, Ordering::SeqCst);
    let datagrams = reader.join().unwrap();
    assert_eq!(daemon.log(), "", "stdout and stderr should be empty");

    let events: Vec<Vec<(String, String)>> = datagrams.iter().map(|d| journal_fields(d)).collect();
    let get = |event: &[(String, String)], key: &str| {
        event
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.clone())
            .unwrap_or_else(|| panic!("no {key} in {event:?}"))
    };
    for event in &events {
        assert_eq!(get(event, "SYSLOG_IDENTIFIER"), "herald", "{event:?}");
        assert!(
            ["3", "4", "6", "7"].contains(&get(event, "PRIORITY").as_str()),
            "{event:?}"
        );
        assert!(!get(event, "MESSAGE").is_empty(), "{event:?}");
    }
    let find = |target: &str, message: &str| {
        events
            .iter()
            .find(|e| get(e, "TARGET") == target && get(e, "MESSAGE").contains(message))
            .unwrap_or_else(|| panic!("no {target} event with {message:?}: {events:?}"))
    };
    let started = find("processes", "started helper");
    assert_eq!(get(started, "PRIORITY"), "6", "{started:?}");
    // the message is the event alone: no time, level or target in front of it
    assert!(
        get(started, "MESSAGE").starts_with("started helper"),
        "{started:?}"
    );
    find("network", "session established");
    find("reactor", "SIGTERM received, shutting down");
}
