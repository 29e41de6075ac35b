//! `bgp-sink`: a minimal receiving BGP peer that counts the NLRI it is sent.
//!
//! ```text
//! bgp-sink --listen ADDR:PORT [--listen …] [--asn 65001] [--router-id 127.0.0.2]
//!          [--hold 90] [--peers 1] [--announced N] [--withdrawn N] [--restarts 0]
//!          [--marks DIR] [--timeout SECS]
//! ```
//!
//! It listens (the speaker under test connects to it), answers OPEN and KEEPALIVE, and
//! counts prefixes announced and withdrawn across every session without decoding the
//! attributes. Milestones are written as files in `--marks DIR` (nanoseconds since the
//! epoch): `established` (the `--peers`-th session is up), `first` (the first prefix),
//! `announced` (the N-th announced prefix), `withdrawn` (the N-th withdrawn prefix).
//! With `--restarts K` it then closes every session (mark `closed`), waits for the speaker
//! to come back and counts again, K times; the marks of round r are prefixed `rR-`.
//! When every target of the last round is met it prints the marks, the number of UPDATE
//! messages and the prefix counts as one JSON
//! object on stdout and exits 0; after `--timeout` it prints what it has and exits 2.

use std::collections::BTreeMap;
use std::net::{Ipv4Addr, TcpListener, TcpStream};
use std::path::PathBuf;
use std::sync::atomic::{AtomicU32, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use herald_bench::args::{count, Args};
use herald_bench::bgp::{self, kind, Framer};
use herald_bench::clock::{mark, now_ns};
use herald_bench::peer;

struct Sink {
    asn: u32,
    router_id: Ipv4Addr,
    hold: u16,
    peers: usize,
    target_announced: u64,
    target_withdrawn: u64,
    marks_dir: Option<PathBuf>,
    round: AtomicU32,
    established: AtomicUsize,
    announced: AtomicU64,
    withdrawn: AtomicU64,
    updates: AtomicU64,
    marks: Mutex<BTreeMap<String, u128>>,
    streams: Mutex<Vec<TcpStream>>,
}

/// A milestone's name in round `round`: `key` in the first, `r<round>-key` after.
fn round_key(round: u32, key: &str) -> String {
    if round == 0 {
        key.to_owned()
    } else {
        format!("r{round}-{key}")
    }
}

impl Sink {
    fn mark(&self, round: u32, key: &str) {
        let ns = now_ns();
        let key = round_key(round, key);
        let mut marks = self.marks.lock().unwrap_or_else(|e| e.into_inner());
        if !marks.contains_key(&key) {
            marks.insert(key.clone(), ns);
            mark(self.marks_dir.as_deref(), &key, ns);
        }
    }

    /// True when round `round` reached every target and wrote its milestone files. A
    /// counter passes its target before the thread that passed it writes the milestone,
    /// so the counts alone would let the process exit with the file not yet written;
    /// [`Sink::mark`] records a key and writes its file under one lock.
    fn targets_met(&self, round: u32) -> bool {
        let counts = self.announced.load(Ordering::Acquire) >= self.target_announced
            && self.withdrawn.load(Ordering::Acquire) >= self.target_withdrawn
            && self.established.load(Ordering::Acquire) >= self.peers;
        if !counts {
            return false;
        }
        let marks = self.marks.lock().unwrap_or_else(|e| e.into_inner());
        let marked = |key: &str| marks.contains_key(&round_key(round, key));
        (self.target_announced == 0 || marked("announced"))
            && (self.target_withdrawn == 0 || marked("withdrawn"))
            && marked("established")
    }

    fn add(&self, round: u32, counter: &AtomicU64, target: u64, n: u64, key: &str) {
        if n == 0 {
            return;
        }
        let before = counter.fetch_add(n, Ordering::AcqRel);
        if before == 0 {
            self.mark(round, &format!("first-{key}"));
        }
        if target > 0 && before < target && before + n >= target {
            self.mark(round, key);
        }
    }

    fn serve(&self, stream: TcpStream) -> Result<()> {
        let round = self.round.load(Ordering::Acquire);
        self.mark(round, "connected");
        if let Ok(clone) = stream.try_clone() {
            self.streams
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(clone);
        }
        let mut framer = Framer::new();
        let (writer, negotiated) =
            peer::handshake(&stream, &mut framer, self.asn, self.router_id, self.hold)?;
        peer::keepalives(&writer, negotiated.hold_time);
        if self.established.fetch_add(1, Ordering::AcqRel) + 1 == self.peers {
            self.mark(round, "established");
        }
        let mut reader = stream;
        while let Some((kind, msg)) = framer.next(&mut reader)? {
            if self.round.load(Ordering::Acquire) != round {
                break;
            }
            match kind {
                kind::UPDATE => {
                    self.updates.fetch_add(1, Ordering::Relaxed);
                    let counts =
                        bgp::count_update(&msg[bgp::HEADER..]).context("malformed UPDATE")?;
                    self.add(
                        round,
                        &self.announced,
                        self.target_announced,
                        counts.announced,
                        "announced",
                    );
                    self.add(
                        round,
                        &self.withdrawn,
                        self.target_withdrawn,
                        counts.withdrawn,
                        "withdrawn",
                    );
                }
                kind::NOTIFICATION => anyhow::bail!("NOTIFICATION {:02x?}", &msg[bgp::HEADER..]),
                _ => {}
            }
        }
        Ok(())
    }

    /// Closes every session and starts round `round`.
    fn restart(&self, round: u32) {
        self.mark(round - 1, "closed");
        self.round.store(round, Ordering::Release);
        self.established.store(0, Ordering::Release);
        self.announced.store(0, Ordering::Release);
        self.withdrawn.store(0, Ordering::Release);
        for s in self
            .streams
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .drain(..)
        {
            let _ = s.shutdown(std::net::Shutdown::Both);
        }
    }

    fn summary(&self) -> String {
        let mut out = String::from("{");
        for (k, v) in self.marks.lock().unwrap_or_else(|e| e.into_inner()).iter() {
            out.push_str(&format!("\"{k}_ns\": {v}, "));
        }
        out.push_str(&format!(
            "\"round\": {}, \"updates\": {}, \"announced\": {}, \"withdrawn\": {}, \"sessions\": {}}}",
            self.round.load(Ordering::Acquire),
            self.updates.load(Ordering::Acquire),
            self.announced.load(Ordering::Acquire),
            self.withdrawn.load(Ordering::Acquire),
            self.established.load(Ordering::Acquire)
        ));
        out
    }
}

fn main() -> Result<()> {
    let args = Args::from_env(&[])?;
    let sink = Arc::new(Sink {
        asn: args.parsed("asn", 65001)?,
        router_id: args.parsed("router-id", Ipv4Addr::new(127, 0, 0, 2))?,
        hold: args.parsed("hold", 90)?,
        peers: args.parsed("peers", 1)?,
        target_announced: args.get("announced").map(count).transpose()?.unwrap_or(0),
        target_withdrawn: args.get("withdrawn").map(count).transpose()?.unwrap_or(0),
        marks_dir: args.get("marks").map(PathBuf::from),
        round: AtomicU32::new(0),
        established: AtomicUsize::new(0),
        announced: AtomicU64::new(0),
        withdrawn: AtomicU64::new(0),
        updates: AtomicU64::new(0),
        marks: Mutex::new(BTreeMap::new()),
        streams: Mutex::new(Vec::new()),
    });
    let restarts: u32 = args.parsed("restarts", 0)?;
    let timeout = Duration::from_secs_f64(args.parsed("timeout", 600.0)?);
    if let Some(dir) = &sink.marks_dir {
        std::fs::create_dir_all(dir).with_context(|| format!("{}", dir.display()))?;
    }
    anyhow::ensure!(
        !args.all("listen").is_empty(),
        "--listen ADDR:PORT is required"
    );
    for addr in args.all("listen") {
        let listener = TcpListener::bind(addr).with_context(|| format!("listen on {addr}"))?;
        let sink = Arc::clone(&sink);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let sink = Arc::clone(&sink);
                std::thread::spawn(move || {
                    if let Err(e) = sink.serve(stream) {
                        eprintln!("bgp-sink: session: {e:#}");
                    }
                });
            }
        });
    }
    sink.mark(0, "listening");
    let start = Instant::now();
    let mut round = 0;
    loop {
        if sink.targets_met(round) {
            if round == restarts {
                println!("{}", sink.summary());
                return Ok(());
            }
            round += 1;
            sink.restart(round);
        }
        if start.elapsed() > timeout {
            println!("{}", sink.summary());
            eprintln!("bgp-sink: timed out after {timeout:?}");
            std::process::exit(2);
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}
