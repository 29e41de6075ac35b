//! `herald`: the one binary. A thin layer over the library crates: argument parsing
//! ([`cli`]), logging ([`logging`]) and one module per subcommand ([`cmd`]).
//!
//! | command | what |
//! |---|---|
//! | `herald CONFIG…`, `herald server CONFIG…` | run the daemon (like `exabgp server`) |
//! | `herald validate [-n] [-r] [-v] CONFIG…` | check files; every error as file:line:col, exit 1 |
//! | `herald env [-d] [-e]` | print the `exabgp.*` settings |
//! | `herald version` | print the version |
//! | `herald cli [COMMAND…]` | send a command to the running daemon (like `exabgp cli`) |
//! | `herald decode [-f "afi safi"] [--open\|--update] HEX` | print ExaBGP's JSON for a message |
//! | `herald encode [OPTIONS] COMMAND…` | print the UPDATEs (hex) an API command makes |
//! | `herald healthcheck OPTIONS…` | the health checker of `exabgp healthcheck` (crate `healthcheck`) |
//! | `herald completions SHELL`, `herald man` | completion script, manual page (from the clap definition) |

mod cli;
mod cmd;
mod journald;
mod logging;
mod sdnotify;
mod syslog;

use std::process::ExitCode;

/// mimalloc instead of glibc malloc: see the dependency's comment in Cargo.toml.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

use clap::Parser;

mod memory {
    //! Transparent huge pages off for the running daemon.
    //!
    //! Where the kernel backs anonymous memory with 2 MiB pages whenever it can (THP
    //! `always`, the default of many distributions), every region mimalloc touches is
    //! faulted in and zeroed 2 MiB at a time: the daemon's resident size then counts
    //! huge pages that are mostly empty. Measured with `bench/run` S1 (1M routes): peak
    //! RSS 131-156 MiB with THP, 90 MiB without, at the same speed (bench/README.md).
    //! Databases with the same allocation pattern (Redis, MongoDB) ask for the same.
    //! It is switched off once the configuration is parsed: a configuration of a million
    //! `static` routes is parsed faster with huge pages (S6: ~20% less time).

    /// Asks the kernel not to use transparent huge pages for this process (Linux
    /// `PR_SET_THP_DISABLE`, inherited by children); a kernel that refuses changes
    /// nothing else.
    #[allow(unsafe_code)]
    pub(crate) fn no_huge_pages() {
        // SAFETY: prctl(2) with PR_SET_THP_DISABLE takes integer arguments only and
        // touches no memory of ours.
        unsafe {
            libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
        }
    }
}

use crate::cli::{Cli, Command, ServerArgs};

fn main() -> ExitCode {
    // Before clap: the checker parses its own options, ExaBGP's way.
    if let Some(code) = cmd::healthcheck::intercept(std::env::args_os()) {
        return ExitCode::from(code);
    }
    let cli = Cli::parse();
    let env_file = cli.env_file.as_deref();
    let result = match cli.command {
        Some(Command::Server(args)) => cmd::server::run(&args, env_file),
        Some(Command::Validate(args)) => cmd::validate::run(&args, env_file),
        Some(Command::Env(args)) => cmd::env::run(&args, env_file),
        Some(Command::Version) => cmd::version::run(),
        Some(Command::Decode(args)) => cmd::decode::run(&args),
        Some(Command::Encode(args)) => cmd::encode::run(&args),
        Some(Command::Cli(args)) => cmd::cli::run(&args, env_file),
        Some(Command::Healthcheck(args)) => Ok(cmd::healthcheck::run(args.args)),
        Some(Command::Completions(args)) => cmd::docs::completions(args.shell),
        Some(Command::Man) => cmd::docs::man(),
        None if !cli.configs.is_empty() => {
            let args = ServerArgs {
                verbose: false,
                debug: false,
                signal: None,
                once: false,
                passive: false,
                metrics: None,
                log_format: cli::LogFormat::Text,
                configs: cli.configs,
            };
            cmd::server::run(&args, env_file)
        }
        None => {
            eprintln!("herald: give configuration files to run, or a subcommand (see --help)");
            Ok(1)
        }
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(e) => {
            eprintln!("herald: {e:#}");
            ExitCode::from(1)
        }
    }
}
