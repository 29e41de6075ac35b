//! `json-count`: the JSON helper of S2, counting the prefixes in the events on stdin.
//!
//! ```text
//! json-count [--announced N] [--withdrawn N] [--marks DIR] [--gobgp]
//! ```
//!
//! Run by the speaker as a `process` with `encoder json` and `receive { parsed; update; }`
//! (or fed by `gobgp monitor global rib -j` with `--gobgp`). It counts the prefixes of
//! every line (see `herald_bench::json`) and marks `ready` at start, `first` at the first
//! prefix, `announced` / `withdrawn` when the counts reach N, each also printed on stderr
//! as a JSON object (stdout is the speaker's command channel, so nothing is written
//! there). It reads until end of input, writing the final counts to the marks `count`
//! and `withdraw-count`.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;

use anyhow::Result;
use herald_bench::args::{count, Args};
use herald_bench::clock::{mark, now_ns};
use herald_bench::json::{count_line, Dialect};

fn main() -> Result<()> {
    let args = Args::from_env(&["gobgp"])?;
    let want_announced = args.get("announced").map(count).transpose()?.unwrap_or(0);
    let want_withdrawn = args.get("withdrawn").map(count).transpose()?.unwrap_or(0);
    let dialect = if args.flag("gobgp") {
        Dialect::Gobgp
    } else {
        Dialect::Exabgp
    };
    let marks = args.get("marks").map(PathBuf::from);
    if let Some(dir) = &marks {
        std::fs::create_dir_all(dir)?;
    }
    let marks = marks.as_deref();
    mark(marks, "ready", now_ns());
    let reached = |key: &str, n: u64| {
        let ns = now_ns();
        mark(marks, key, ns);
        eprintln!("{{\"{key}\": {n}, \"ns\": {ns}}}");
    };

    let mut stdin = BufReader::with_capacity(1 << 20, std::io::stdin().lock());
    let (mut announced, mut withdrawn) = (0u64, 0u64);
    let mut line = Vec::with_capacity(1 << 16);
    while stdin.read_until(b'\n', &mut line)? > 0 {
        let counts = count_line(&line, dialect);
        line.clear();
        if announced == 0 && withdrawn == 0 && counts.announced + counts.withdrawn > 0 {
            mark(marks, "first", now_ns());
        }
        if counts.announced > 0 {
            let before = announced;
            announced += counts.announced;
            if want_announced > 0 && before < want_announced && announced >= want_announced {
                reached("announced", announced);
            }
        }
        if counts.withdrawn > 0 {
            let before = withdrawn;
            withdrawn += counts.withdrawn;
            if want_withdrawn > 0 && before < want_withdrawn && withdrawn >= want_withdrawn {
                reached("withdrawn", withdrawn);
            }
        }
    }
    mark(marks, "count", u128::from(announced));
    mark(marks, "withdraw-count", u128::from(withdrawn));
    Ok(())
}
