//! Point 4 of the issue: a check that hangs is killed at `--timeout` and counts as a
//! failure, a check that cannot be started is a clear error in the log and a failure,
//! and bad options exit with a usage message and code 2 (as `exabgp healthcheck` does).

mod common;

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{args, herald, Checker, Program, TempDir, EXABGP};

const DOWN: &str = "neighbor * announce route 192.0.2.1/32 next-hop self med 1000";

/// Starts `herald healthcheck` with `--cmd check`, rise and fall 1, and waits for its
/// first announcement, which must be DOWN; returns the checker for further checks.
fn first_state_is_down(tmp: &TempDir, check: &str, timeout: &str) -> Checker {
    let options = args(&[
        "--no-syslog",
        "--no-ip-setup",
        "--ip",
        "192.0.2.1",
        "--rise",
        "1",
        "--fall",
        "1",
        "--interval",
        "0.2",
        "--timeout",
        timeout,
        "--cmd",
        check,
    ]);
    let checker = Checker::spawn(
        Program::Herald,
        &[],
        &options,
        tmp.path(),
        "herald",
        true,
        Box::new(|_| {}),
    );
    checker.wait_lines("the DOWN announcement", Duration::from_secs(15), |l| {
        !l.is_empty()
    });
    assert_eq!(checker.lines()[0], DOWN, "{}", checker.stderr());
    checker
}

#[test]
fn hung_check_is_killed_at_the_timeout_and_counts_as_a_failure() {
    let tmp = TempDir::new("hc-timeout").unwrap();
    let pid_file = tmp.join("hung.pid");
    let check = format!("echo $$ > {}; exec sleep 60", pid_file.display());
    let start = Instant::now();
    let mut checker = first_state_is_down(&tmp, &check, "1");
    // One check of at most 1 s, then DOWN: well before the 60 s the check wanted.
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "{:?}",
        start.elapsed()
    );
    let log = checker.stderr();
    assert!(
        log.contains("WARNING[healthcheck] Timeout (1) while running check command"),
        "{log}"
    );
    // The hung check itself is gone (or a zombie about to be reaped), not left behind.
    let pid = std::fs::read_to_string(&pid_file).unwrap();
    let stat = std::fs::read_to_string(format!("/proc/{}/stat", pid.trim()));
    assert!(
        stat.as_deref().map_or(true, |s| s.contains(") Z ")),
        "the hung check still runs: {stat:?}"
    );
    checker.signal("TERM");
    assert!(checker.wait_exit(Duration::from_secs(15)).success());
}

#[test]
fn check_that_cannot_be_started_is_an_error_and_a_failure() {
    let tmp = TempDir::new("hc-unstartable").unwrap();
    let mut checker = first_state_is_down(&tmp, "/nonexistent/herald-check --now", "5");
    let log = checker.stderr();
    assert!(
        log.contains("ERROR[healthcheck] check command not found"),
        "{log}"
    );
    checker.signal("TERM");
    checker.wait_exit(Duration::from_secs(15));

    // A file that exists but is not executable.
    let script = tmp.join("not-executable.sh");
    std::fs::write(&script, "#!/bin/sh\nexit 0\n").unwrap();
    let mut checker = first_state_is_down(&tmp, &script.display().to_string(), "5");
    let log = checker.stderr();
    assert!(
        log.contains("ERROR[healthcheck] check command cannot be executed"),
        "{log}"
    );
    checker.signal("TERM");
    checker.wait_exit(Duration::from_secs(15));
}

/// Runs `program healthcheck options…` with no input and returns (code, stderr).
fn refused(program: &std::path::Path, options: &[&str]) -> (Option<i32>, String) {
    let out = Command::new("timeout")
        .args(["20", &program.display().to_string(), "healthcheck"])
        .args(options)
        .stdin(Stdio::null())
        .output()
        .unwrap();
    if options != ["--help"] {
        assert!(out.stdout.is_empty(), "{out:?}");
    }
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn bad_options_exit_2_with_a_usage_message_like_exabgp() {
    let bad: &[&[&str]] = &[
        &["--no-such-option"],
        &["--rise", "many"],
        &["--interval", "soon"],
        &["--ip", "192.0.2.1/24"],
        &["--ip", "not-an-ip"],
        &["--next-hop", "nowhere"],
        &["--neighbor", "everyone"],
        &["--ip-ifname", "192.0.2.1%eth0"],
        &["--ip", "192.0.2.1", "--ip-ifname", "192.0.2.1%bad/name"],
        &["--community", "65000:1\nannounce route 10.0.0.0/8"],
        &["--silent", "--no-syslog"],
        &["--timeout"],
    ];
    let herald = herald();
    let exabgp = std::path::PathBuf::from(EXABGP);
    for options in bad {
        let (code, log) = refused(&herald, options);
        assert_eq!(code, Some(2), "herald {options:?}: {log}");
        assert!(
            log.contains("Usage: herald healthcheck"),
            "herald {options:?}: {log}"
        );
        // The same options are refused by ExaBGP: exit code 1 from its own parse of
        // --ip-ifname, 2 from argparse.
        let (code, log) = refused(&exabgp, options);
        assert!(
            matches!(code, Some(1 | 2)),
            "exabgp accepts {options:?}: {code:?} {log}"
        );
    }
    let (code, log) = refused(&herald, &["--help"]);
    assert_eq!(code, Some(0), "--help: {log}");
}
