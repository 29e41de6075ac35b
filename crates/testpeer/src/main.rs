//! `herald-testpeer [--port N] [--timeout SECONDS] [--pid-file FILE] [--verbose] CASE.msg`
//!
//! Exit status: 0 pass, 1 mismatch or error, 2 timeout, 64 usage.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Duration;

use herald_testpeer::peer::{run, Config, Outcome};
use herald_testpeer::script::parse;

fn usage(message: &str) -> ExitCode {
    eprintln!("{message}");
    eprintln!("usage: herald-testpeer [--port N] [--timeout SECONDS] [--pid-file FILE] [--verbose] CASE.msg");
    ExitCode::from(64)
}

fn main() -> ExitCode {
    let mut config = Config {
        port: std::env::var("exabgp_tcp_port")
            .ok()
            .and_then(|p| p.parse().ok())
            .unwrap_or(1790),
        timeout: Duration::from_secs(60),
        pid_file: None,
        verbose: false,
    };
    let mut case: Option<PathBuf> = None;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--port" => match args.next().and_then(|v| v.parse().ok()) {
                Some(port) => config.port = port,
                None => return usage("--port needs a number"),
            },
            "--timeout" => match args.next().and_then(|v| v.parse::<f64>().ok()) {
                Some(secs) if secs > 0.0 => config.timeout = Duration::from_secs_f64(secs),
                _ => return usage("--timeout needs a positive number of seconds"),
            },
            "--pid-file" => match args.next() {
                Some(path) => config.pid_file = Some(path.into()),
                None => return usage("--pid-file needs a path"),
            },
            "--verbose" => config.verbose = true,
            "-h" | "--help" => return usage("plays a .msg conformance case against a BGP speaker"),
            other if case.is_none() && !other.starts_with("--") => case = Some(other.into()),
            other => return usage(&format!("unexpected argument {other:?}")),
        }
    }
    let Some(case) = case else {
        return usage("no case file given");
    };
    let text = match std::fs::read_to_string(&case) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("{}: {err}", case.display());
            return ExitCode::from(1);
        }
    };
    let script = match parse(&text) {
        Ok(script) => script,
        Err(err) => {
            eprintln!("{}: {err}", case.display());
            return ExitCode::from(1);
        }
    };
    match run(&script, &config) {
        Ok(Outcome::Pass) => {
            println!("successful");
            ExitCode::SUCCESS
        }
        Ok(Outcome::Fail(report)) => {
            println!("FAILED\n{report}");
            ExitCode::from(1)
        }
        Ok(Outcome::Timeout(remaining)) => {
            println!("TIMEOUT after {:?}\n{remaining}", config.timeout);
            ExitCode::from(2)
        }
        Err(err) => {
            println!("ERROR {err}");
            ExitCode::from(1)
        }
    }
}
