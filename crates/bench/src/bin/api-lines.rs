//! `api-lines`: the API helper of S1, printing N `announce route` lines.
//!
//! ```text
//! api-lines --count N [--fam v4|v6] [--sets 1] [--marks DIR] [--start-file PATH]
//!           [--withdraw-file PATH] [--timeout SECS]
//! ```
//!
//! Run by the speaker as a `process` (text encoder). It encodes every line first
//! (`announce route 10.0.0.0/32 next-hop 192.0.2.1`, IPv4 /32 or IPv6 /128, `med S` for
//! `--sets` > 1 attribute sets), waits for `--start-file` if given (the receiver's
//! `established` mark), then writes them to stdout as fast as the speaker reads: marks
//! `first-line` and `last-line`. With `--withdraw-file` it waits for that file and
//! withdraws every route (marks `withdraw-first`, `withdraw-last`). A thread reads the
//! speaker's acknowledgements (`done` / `error`) on stdin, marks `acked` at the N-th and
//! writes the number of `error` replies to the mark `errors`; the helper stays alive
//! until the speaker closes its stdin, as a long-running helper does.

use std::io::{BufRead, BufReader, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use anyhow::{Context, Result};
use herald_bench::args::{count, Args};
use herald_bench::clock::{mark, now_ns, wait_for_file};
use herald_bench::routes::{announce_line, withdraw_line, Fam};

fn main() -> Result<()> {
    let args = Args::from_env(&[])?;
    let n = count(args.get("count").context("--count N is required")?)?;
    let fam = Fam::parse(args.get("fam").unwrap_or("v4")).context("--fam v4|v6")?;
    let sets: u64 = args.parsed("sets", 1)?;
    let marks = args.get("marks").map(PathBuf::from);
    let timeout = Duration::from_secs_f64(args.parsed("timeout", 600.0)?);
    if let Some(dir) = &marks {
        std::fs::create_dir_all(dir)?;
    }

    let mut announce = String::with_capacity(usize::try_from(n)? * 56);
    for i in 0..n {
        announce_line(&mut announce, fam, i, sets);
    }
    let withdraw = args.get("withdraw-file").map(|_| {
        let mut out = String::with_capacity(usize::try_from(n).unwrap_or(0) * 56);
        for i in 0..n {
            withdraw_line(&mut out, fam, i);
        }
        out
    });

    let ack_marks = marks.clone();
    let acks = std::thread::spawn(move || read_acks(n, ack_marks.as_deref()));
    mark(marks.as_deref(), "ready", now_ns());
    if let Some(file) = args.get("start-file") {
        anyhow::ensure!(
            wait_for_file(Path::new(file), timeout),
            "{file} never appeared"
        );
    }
    let mut out = std::io::stdout().lock();
    mark(marks.as_deref(), "first-line", now_ns());
    out.write_all(announce.as_bytes())?;
    out.flush()?;
    mark(marks.as_deref(), "last-line", now_ns());
    drop(announce);
    if let (Some(file), Some(withdraw)) = (args.get("withdraw-file"), withdraw) {
        anyhow::ensure!(
            wait_for_file(Path::new(file), timeout),
            "{file} never appeared"
        );
        mark(marks.as_deref(), "withdraw-first", now_ns());
        out.write_all(withdraw.as_bytes())?;
        out.flush()?;
        mark(marks.as_deref(), "withdraw-last", now_ns());
    }
    drop(out);
    let _ = acks.join();
    Ok(())
}

/// Reads the speaker's replies until end of input; marks `acked` at the `n`-th.
fn read_acks(n: u64, marks: Option<&Path>) {
    let mut stdin = BufReader::with_capacity(1 << 16, std::io::stdin().lock());
    let (mut replies, mut errors) = (0u64, 0u64);
    let mut line = Vec::new();
    while matches!(stdin.read_until(b'\n', &mut line), Ok(read) if read > 0) {
        if line.starts_with(b"done") || line.starts_with(b"error") {
            errors += u64::from(line.starts_with(b"error"));
            replies += 1;
            if replies == n {
                mark(marks, "acked", now_ns());
                mark(marks, "errors", u128::from(errors));
            }
        }
        line.clear();
    }
    mark(marks, "errors", u128::from(errors));
}
