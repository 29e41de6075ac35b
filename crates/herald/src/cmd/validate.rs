//! `herald validate [-n] [-r] [-v] CONFIG…`: parse the files (and check the `run`
//! programs) without starting anything. Every error is printed as `file:line:col: reason`
//! on stderr and the exit status is 1; a valid configuration exits 0.

use std::path::Path;

use crate::cli::ValidateArgs;

/// Validates the files given.
pub(crate) fn run(args: &ValidateArgs, env_file: Option<&Path>) -> anyhow::Result<u8> {
    let env = config::Env::from_process(env_file)?;
    let options = config::Options::from_env(&env);
    // absolute, as `herald server` loads them (relative `run` programs are looked up next
    // to the file)
    let paths: Vec<_> = args
        .configs
        .iter()
        .map(|p| std::path::absolute(p).unwrap_or_else(|_| p.clone()))
        .collect();
    match config::load_with(&paths, &options) {
        Ok(config) => {
            if args.neighbor || args.verbose {
                for n in &config.neighbors {
                    println!(
                        "neighbor {} ({} families, {} routes, {} api blocks)",
                        n.peer_address,
                        n.families.len(),
                        n.routes.len(),
                        n.api.len()
                    );
                }
            }
            if args.route || args.verbose {
                for n in &config.neighbors {
                    for r in &n.routes {
                        println!("neighbor {} {} {:?}", n.peer_address, r.family, r.nlri);
                    }
                }
            }
            if args.verbose {
                for p in &config.processes {
                    println!("process {} run {}", p.name, p.run.join(" "));
                }
            }
            Ok(0)
        }
        Err(errors) => {
            for e in &errors {
                eprintln!("{e}");
            }
            Ok(1)
        }
    }
}
