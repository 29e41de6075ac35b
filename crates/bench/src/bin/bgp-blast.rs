//! `bgp-blast`: a minimal sending BGP peer that replays pre-encoded UPDATEs.
//!
//! ```text
//! bgp-blast --listen ADDR:PORT [--asn 65001] [--router-id 127.0.0.2] [--hold 90]
//!           --count N [--fam v4|v6] [--sets 1] [--wait-file PATH] [--withdraw-file PATH]
//!           [--marks DIR] [--timeout SECS]
//! ```
//!
//! The UPDATEs announcing routes `0..N` (packed to 4096 octets, ORIGIN IGP, AS_PATH
//! `asn`, `--sets` attribute sets told apart by MED) are encoded before the speaker
//! connects, so that sending costs nothing but the writes. Once the session is up (and
//! `--wait-file` exists) it writes them all: marks `established`, `start` (first octet
//! written) and `sent` (last octet written) in `--marks DIR`. With `--withdraw-file` it
//! waits for that file and withdraws every route (marks `withdraw-start`,
//! `withdraw-sent`). It then keeps the session up until the speaker closes it or
//! `--timeout` passes.

use std::net::{Ipv4Addr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use herald_bench::args::{count, Args};
use herald_bench::bgp::{self, Framer};
use herald_bench::clock::{mark, now_ns, wait_for_file};
use herald_bench::peer;
use herald_bench::routes::Fam;

fn main() -> Result<()> {
    let args = Args::from_env(&[])?;
    let asn: u32 = args.parsed("asn", 65001)?;
    let router_id: Ipv4Addr = args.parsed("router-id", Ipv4Addr::new(127, 0, 0, 2))?;
    let hold: u16 = args.parsed("hold", 90)?;
    let n = count(args.get("count").context("--count N is required")?)?;
    let fam = Fam::parse(args.get("fam").unwrap_or("v4")).context("--fam v4|v6")?;
    let sets: u64 = args.parsed("sets", 1)?;
    let marks = args.get("marks").map(PathBuf::from);
    let timeout = Duration::from_secs_f64(args.parsed("timeout", 600.0)?);
    let listen = args
        .get("listen")
        .context("--listen ADDR:PORT is required")?;
    if let Some(dir) = &marks {
        std::fs::create_dir_all(dir)?;
    }
    let marks = marks.as_deref();
    let at = |key: &str| mark(marks, key, now_ns());

    let announcements = bgp::encode_announcements(fam, n, sets, asn);
    let withdrawals = args
        .get("withdraw-file")
        .map(|_| bgp::encode_withdrawals(fam, n));
    let listener = TcpListener::bind(listen).with_context(|| format!("listen on {listen}"))?;
    at("listening");
    let (stream, _) = listener.accept()?;
    let mut framer = Framer::new();
    let (writer, negotiated) = peer::handshake(&stream, &mut framer, asn, router_id, hold)?;
    peer::keepalives(&writer, negotiated.hold_time);
    at("established");

    // Drain whatever the speaker sends (KEEPALIVEs, its own UPDATEs) so it never blocks.
    let mut reader = stream.try_clone()?;
    let drained = std::thread::spawn(move || while let Ok(Some(_)) = framer.next(&mut reader) {});

    if let Some(file) = args.get("wait-file") {
        anyhow::ensure!(
            wait_for_file(Path::new(file), timeout),
            "{file} never appeared"
        );
    }
    send(&writer, &announcements, marks, "start", "sent")?;
    if let (Some(file), Some(withdrawals)) = (args.get("withdraw-file"), withdrawals) {
        anyhow::ensure!(
            wait_for_file(Path::new(file), timeout),
            "{file} never appeared"
        );
        send(
            &writer,
            &withdrawals,
            marks,
            "withdraw-start",
            "withdraw-sent",
        )?;
    }
    let deadline = std::time::Instant::now() + timeout;
    while !drained.is_finished() && std::time::Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(10));
    }
    Ok(())
}

/// Writes `stream` in chunks of whole messages, marking `first` and `last`.
fn send(
    writer: &peer::Writer,
    stream: &[u8],
    marks: Option<&Path>,
    first: &str,
    last: &str,
) -> Result<()> {
    mark(marks, first, now_ns());
    for chunk in peer::chunks(stream, 256 * 1024) {
        peer::write(writer, chunk)?;
    }
    mark(marks, last, now_ns());
    Ok(())
}
