//! `mrt-table`: writes the routes of a run as an MRT TABLE_DUMP_V2 file, for
//! `gobgp mrt inject global FILE` (S1's GoBGP anchor, fed through GoBGP's API).
//!
//! ```text
//! mrt-table --count N [--fam v4|v6] [--sets 1] --out FILE
//! ```

use anyhow::{Context, Result};
use herald_bench::args::{count, Args};
use herald_bench::mrt::table_dump;
use herald_bench::routes::Fam;

fn main() -> Result<()> {
    let args = Args::from_env(&[])?;
    let n = count(args.get("count").context("--count N is required")?)?;
    let fam = Fam::parse(args.get("fam").unwrap_or("v4")).context("--fam v4|v6")?;
    let sets: u64 = args.parsed("sets", 1)?;
    let out = args.get("out").context("--out FILE is required")?;
    std::fs::write(out, table_dump(fam, n, sets)).with_context(|| out.to_owned())?;
    Ok(())
}
