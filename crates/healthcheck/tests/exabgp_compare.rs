//! Point 5 of the issue: `herald healthcheck` prints the same command lines as `exabgp
//! healthcheck` (5.0.15) for the same scenario.
//!
//! Both run as plain processes, side by side, with the same options, each with its own
//! copy of a scripted check command ([`common::scripted_check`]) so that both see the
//! same sequence of results whatever the timing; stdout is answered with `done` line by
//! line, as the daemon does. `--no-ip-setup` keeps the host's interfaces untouched. The
//! execute hooks append `$STATE` to a file, which is compared too.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{args, kill_blocker, scripted_check, wait_file, Checker, Program, TempDir};

const LIMIT: Duration = Duration::from_secs(30);

/// What one program printed and which hooks it ran.
#[derive(Debug, PartialEq, Eq)]
struct Run {
    lines: Vec<String>,
    states: String,
    code: Option<i32>,
}

/// Runs `program` through `sequence` with `options`; then, unless the checker ends by
/// itself (`--interval 0`), sends `signal` once the sequence is used up.
fn run(
    program: Program,
    dir: &Path,
    sequence: &[&str],
    options: &[&str],
    signal: Option<&str>,
) -> (Run, String) {
    std::fs::create_dir_all(dir).unwrap();
    let check = scripted_check(dir, sequence);
    let d = dir.display();
    let mut all = args(&[
        "--no-syslog",
        "--no-ip-setup",
        "--cmd",
        &check,
        "--disable",
        &format!("{d}/disabled"),
        "--disabled-execute",
        &format!("rm -f '{d}/disabled'"),
        "--execute",
        &format!("echo \"$STATE\" >> '{d}/states'"),
        "--up-execute",
        &format!("echo U >> '{d}/states'"),
        "--down-execute",
        &format!("echo D >> '{d}/states'"),
    ]);
    for option in options {
        // `@` stands for this program's directory (for files named in the options).
        all.push(option.replace('@', &d.to_string()));
    }
    let ack = !options.contains(&"--no-ack");
    let mut checker = Checker::spawn(
        program,
        &[],
        &all,
        dir,
        program.name(),
        ack,
        Box::new(|_| {}),
    );
    if let Some(signal) = signal {
        let used_up = wait_file(&dir.join("blocker.pid"), LIMIT);
        assert!(
            used_up,
            "{}: the sequence was not used up; printed {:#?}\n{}",
            program.name(),
            checker.lines(),
            checker.stderr()
        );
        checker.signal(signal);
    }
    let status = checker.wait_exit(LIMIT);
    kill_blocker(dir);
    let run = Run {
        lines: checker.lines(),
        states: std::fs::read_to_string(dir.join("states")).unwrap_or_default(),
        code: status.code(),
    };
    (run, checker.stderr())
}

/// Runs both programs at once and asserts the same output; returns Herald's run.
fn same_as_exabgp(label: &str, sequence: &[&str], options: &[&str], signal: Option<&str>) -> Run {
    let tmp = TempDir::new(&format!("hc-compare-{label}")).unwrap();
    same_as_exabgp_in(&tmp, sequence, options, signal)
}

/// [`same_as_exabgp`] in `tmp` (`tmp/exabgp` and `tmp/herald`).
fn same_as_exabgp_in(
    tmp: &TempDir,
    sequence: &[&str],
    options: &[&str],
    signal: Option<&str>,
) -> Run {
    let (exabgp_dir, herald_dir) = (tmp.join("exabgp"), tmp.join("herald"));
    let ((exabgp, exabgp_log), (herald, herald_log)) = std::thread::scope(|s| {
        let e = s.spawn(|| run(Program::ExaBgp, &exabgp_dir, sequence, options, signal));
        let h = s.spawn(|| run(Program::Herald, &herald_dir, sequence, options, signal));
        (e.join().unwrap(), h.join().unwrap())
    });
    assert_eq!(
        herald, exabgp,
        "Herald (left) and ExaBGP (right) differ\n--- herald stderr\n{herald_log}\n--- exabgp stderr\n{exabgp_log}"
    );
    herald
}

#[test]
fn attributes_rise_fall_disable_and_sigterm_match_exabgp() {
    let sequence = [
        "ok", "ok", // RISING, UP
        "ok", // UP again: re-announced (no --debounce)
        "fail", "ok", "ok", // FALLING, RISING, UP
        "fail", "fail", "fail",    // FALLING, DOWN, DOWN again
        "disable", // RISING; the file now exists
        // DISABLED (check not run), the hook removes the file
        "fail", // INIT (result ignored)
        "ok", "ok", // RISING, UP
    ];
    let herald = same_as_exabgp(
        "attributes",
        &sequence,
        &[
            "--rise",
            "2",
            "--fall",
            "2",
            "--interval",
            "0.05",
            "--fast-interval",
            "0.05",
            "--ip",
            "192.0.2.1",
            "--ip",
            "2001:db8::/64",
            "--ip",
            "198.51.100.0/30",
            "--next-hop",
            "198.51.100.1",
            "--local-preference",
            "200",
            "--up-metric",
            "10",
            "--down-metric",
            "90",
            "--disabled-metric",
            "50",
            "--increase",
            "5",
            "--start-ip",
            "1",
            "--community",
            "65000:1 65000:2",
            "--disabled-community",
            "65000:666",
            "--extended-community",
            "target:65000:7",
            "--large-community",
            "65000:1:1",
            "--as-path",
            "65001",
            "--down-as-path",
            "65001 65001 65001",
            "--up-as-path",
            "65002",
        ],
        Some("TERM"),
    );
    // The scenario is not vacuous: every announcing state and the EXIT withdraw show.
    let joined = herald.lines.join("\n");
    for needle in [
        "neighbor * announce route 2001:db8::/64 next-hop 198.51.100.1 med 10 local-preference 200 community [ 65000:1 65000:2 ] extended-community [ target:65000:7 ] large-community [ 65000:1:1 ] as-path [ 65002 ]",
        "med 95 local-preference 200 community [ 65000:666 ]",
        "med 50 local-preference 200 community [ 65000:666 ] extended-community [ target:65000:7 ] large-community [ 65000:1:1 ] as-path [ 65001 ]",
        "neighbor * withdraw route 192.0.2.1/32 next-hop 198.51.100.1",
    ] {
        assert!(joined.contains(needle), "{needle} not in\n{joined}");
    }
    assert_eq!(
        herald.states,
        "RISING\nU\nUP\nFALLING\nRISING\nU\nUP\nFALLING\nD\nDOWN\nRISING\nDISABLED\nINIT\nRISING\nU\nUP\n"
    );
    assert_eq!(herald.code, Some(0));
}

#[test]
fn withdraw_on_down_debounce_neighbors_and_path_id_match_exabgp() {
    let sequence = ["ok", "ok", "fail", "fail", "disable", "ok", "ok", "ok"];
    let herald = same_as_exabgp(
        "withdraw",
        &sequence,
        &[
            "--rise",
            "1",
            "--fall",
            "1",
            "--interval",
            "0.05",
            "--fast-interval",
            "0.05",
            "--withdraw-on-down",
            "--debounce",
            "--deaggregate-networks",
            "--ip",
            "203.0.113.8/31",
            "--ip",
            "203.0.113.20",
            "--neighbor",
            "127.0.0.2",
            "--neighbor",
            "2001:db8::2",
            "--path-id",
            "7",
        ],
        Some("TERM"),
    );
    assert_eq!(
        herald.lines.first().map(String::as_str),
        Some("neighbor 127.0.0.2, neighbor 2001:db8::2 announce route 203.0.113.8/32 next-hop self med 100 path-information 7")
    );
    assert!(herald
        .lines
        .iter()
        .any(|l| l.contains("withdraw route 203.0.113.9/32 next-hop self path-information 7")));
    assert_eq!(herald.code, Some(0));
}

#[test]
fn interval_zero_announces_once_and_ends_like_exabgp() {
    let herald = same_as_exabgp(
        "end",
        &["ok"],
        &[
            "--rise",
            "1",
            "--interval",
            "0",
            "--ip",
            "192.0.2.7",
            "--ip",
            "192.0.2.8",
            "--local-preference",
            "0",
        ],
        None,
    );
    assert_eq!(
        herald.lines,
        [
            "neighbor * announce route 192.0.2.7/32 next-hop self med 100 local-preference 0",
            "neighbor * announce route 192.0.2.8/32 next-hop self med 101 local-preference 0",
        ]
    );
    assert_eq!(herald.code, Some(0));
}

#[test]
fn config_file_and_no_ack_match_exabgp() {
    let tmp = TempDir::new("hc-compare-config").unwrap();
    for program in ["exabgp", "herald"] {
        tmp.write(
            &format!("{program}/healthcheck.conf"),
            "# options, one per line, as long options without the dashes\n\
             rise = 1\n\
             interval = 0\n\
             ip = 192.0.2.50\n\
             ip=192.0.2.51\n\
             community = 65000:50\n\
             debounce\n",
        )
        .unwrap();
    }
    let herald = same_as_exabgp_in(
        &tmp,
        &["ok"],
        // The command line overrides the file's single values and adds to its lists.
        &[
            "--config",
            "@/healthcheck.conf",
            "--no-ack",
            "--name",
            "web",
            "--ip",
            "192.0.2.52",
            "--community",
            "65000:52",
        ],
        None,
    );
    assert_eq!(
        herald.lines,
        [
            "neighbor * announce route 192.0.2.50/32 next-hop self med 100 community [ 65000:52 ]",
            "neighbor * announce route 192.0.2.51/32 next-hop self med 101 community [ 65000:52 ]",
            "neighbor * announce route 192.0.2.52/32 next-hop self med 102 community [ 65000:52 ]",
        ]
    );
}

/// A measured difference, kept on purpose: ExaBGP handles Ctrl-C (SIGINT) only while it
/// sleeps between checks; during a check it dies with a `KeyboardInterrupt` traceback and
/// withdraws nothing. Herald goes to EXIT on SIGINT whenever it comes, as on SIGTERM.
#[test]
fn sigint_during_a_check_withdraws_where_exabgp_does_not() {
    let tmp = TempDir::new("hc-compare-sigint").unwrap();
    let options = ["--rise", "1", "--interval", "0.05", "--ip", "192.0.2.9"];
    let (exabgp_dir, herald_dir) = (tmp.join("exabgp"), tmp.join("herald"));
    let ((exabgp, exabgp_log), (herald, herald_log)) = std::thread::scope(|s| {
        let e = s.spawn(|| run(Program::ExaBgp, &exabgp_dir, &["ok"], &options, Some("INT")));
        let h = s.spawn(|| run(Program::Herald, &herald_dir, &["ok"], &options, Some("INT")));
        (e.join().unwrap(), h.join().unwrap())
    });
    let up = "neighbor * announce route 192.0.2.9/32 next-hop self med 100";
    let exit = "neighbor * withdraw route 192.0.2.9/32 next-hop self";
    assert_eq!(herald.lines, [up, exit], "{herald_log}");
    assert_eq!(herald.code, Some(0), "{herald_log}");
    assert_eq!(exabgp.lines, [up], "{exabgp_log}");
    assert!(exabgp_log.contains("KeyboardInterrupt"), "{exabgp_log}");
}
