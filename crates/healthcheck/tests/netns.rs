//! Point 3 of the issue: the service addresses on the loopback interface, inside network
//! namespaces the tests create (never the host's own `lo`): `--ip` addresses appear on
//! the namespace's `lo` (IPv4 ones labelled with `--label`) and go away on exit (IPv6
//! ones too, which ExaBGP 5.0.15 leaves behind when `--label` is given), follow the state
//! with `--dynamic-ip-setup` (the withdraw is printed, and acknowledged, while the address
//! is still there), and without `--ip` the `--label` / `--label-exact-match` options select
//! which of `lo`'s addresses are advertised — the same ones ExaBGP 5.0.15 advertises.
//!
//! Each namespace is `herald-hc-<pid>-<n>`, deleted when its guard drops, also when the
//! test fails. These tests need root (as in CI) and fail, not skip, without it.

mod common;

use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::sleep;
use std::time::{Duration, Instant};

use common::{args, Checker, Program, TempDir};

const LIMIT: Duration = Duration::from_secs(15);

/// A network namespace with its loopback up, deleted on drop.
struct Netns {
    name: String,
}

impl Netns {
    fn new() -> Self {
        static NEXT: AtomicU32 = AtomicU32::new(0);
        // `id -u` prints 0 for root.
        let uid = Command::new("id").arg("-u").output().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&uid.stdout).trim(),
            "0",
            "the network namespace tests need root (they run as root in CI)"
        );
        let name = format!(
            "herald-hc-{}-{}",
            std::process::id(),
            NEXT.fetch_add(1, Ordering::Relaxed)
        );
        ip(&["netns", "add", &name]);
        let this = Self { name };
        ip(&["-n", &this.name, "link", "set", "lo", "up"]);
        this
    }

    /// `ip netns exec NAME`, to prefix a command with.
    fn exec(&self) -> [&str; 4] {
        ["ip", "netns", "exec", &self.name]
    }

    /// The addresses on the namespace's `lo`: (`address/prefix`, label or "").
    fn addresses(&self) -> Vec<(String, String)> {
        addresses(&self.name)
    }

    fn has(&self, address: &str) -> bool {
        self.addresses().iter().any(|(a, _)| a == address)
    }

    fn wait(&self, what: &str, check: impl Fn(&[(String, String)]) -> bool) {
        let start = Instant::now();
        loop {
            let now = self.addresses();
            if check(&now) {
                return;
            }
            assert!(
                start.elapsed() < LIMIT,
                "timed out waiting for {what}; lo has {now:?}"
            );
            sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Netns {
    fn drop(&mut self) {
        let _ = Command::new("ip")
            .args(["netns", "delete", &self.name])
            .stderr(Stdio::null())
            .status();
    }
}

fn ip(args: &[&str]) {
    let status = Command::new("timeout")
        .arg("20")
        .arg("ip")
        .args(args)
        .status()
        .unwrap();
    assert!(status.success(), "ip {args:?}");
}

fn addresses(netns: &str) -> Vec<(String, String)> {
    let out = Command::new("timeout")
        .args([
            "20", "ip", "-n", netns, "-o", "address", "show", "dev", "lo",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{out:?}");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|line| {
            // `1: lo    inet 192.0.2.1/32 scope global lo:web\       valid_lft …`
            let words: Vec<&str> = line.split_whitespace().collect();
            let at = words.iter().position(|w| *w == "inet" || *w == "inet6")?;
            let address = (*words.get(at + 1)?).to_owned();
            let label = words
                .iter()
                .find(|w| w.starts_with("lo:"))
                .map_or(String::new(), |w| w.trim_end_matches('\\').to_owned());
            Some((address, label))
        })
        .collect()
}

#[test]
fn ip_addresses_are_set_up_on_the_namespace_loopback_and_removed_on_exit() {
    let tmp = TempDir::new("hc-netns-setup").unwrap();
    let ns = Netns::new();
    let options = args(&[
        "--no-syslog",
        "--rise",
        "1",
        "--interval",
        "0.2",
        "--label",
        "hc",
        "--ip",
        "192.0.2.10",
        "--ip",
        "198.51.100.0/31",
        "--ip",
        "2001:db8::10/128",
    ]);
    let wanted = [
        "192.0.2.10/32",
        "198.51.100.0/32",
        "198.51.100.1/32",
        "2001:db8::10/128",
    ];
    // On each withdraw line: were the addresses still there (before `done`)?
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let name = ns.name.clone();
    let mut checker = Checker::spawn(
        Program::Herald,
        &ns.exec(),
        &options,
        tmp.path(),
        "herald",
        true,
        Box::new(move |line| {
            if line.contains(" withdraw ") {
                let count = addresses(&name).len();
                record
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .push(count);
            }
        }),
    );
    checker.wait_lines("the UP announcements", LIMIT, |l| l.len() >= 3);
    ns.wait("every --ip address on lo", |now| {
        wanted.iter().all(|w| now.iter().any(|(a, _)| a == w))
    });
    for (address, label) in ns.addresses() {
        if address.starts_with("192.0.2.") || address.starts_with("198.51.100.") {
            assert_eq!(label, "lo:hc", "{address} is not labelled");
        }
    }
    // The host's own lo was not touched.
    let host = Command::new("ip")
        .args(["-o", "address", "show", "dev", "lo"])
        .output()
        .unwrap();
    assert!(!String::from_utf8_lossy(&host.stdout).contains("198.51.100.1/32"));

    checker.signal("TERM");
    assert!(checker.wait_exit(LIMIT).success(), "{}", checker.stderr());
    let remaining = ns.addresses();
    for w in wanted {
        assert!(
            !remaining.iter().any(|(a, _)| a == w),
            "{w} left on lo: {remaining:?}"
        );
    }
    let lines = checker.lines();
    assert_eq!(
        lines[lines.len() - 3..],
        [
            "neighbor * withdraw route 192.0.2.10/32 next-hop self",
            "neighbor * withdraw route 198.51.100.0/31 next-hop self",
            "neighbor * withdraw route 2001:db8::10/128 next-hop self",
        ]
    );
    // The withdraws went out while the addresses were still on lo (127.0.0.1, ::1 and
    // the four set up).
    let seen = seen.lock().unwrap_or_else(PoisonError::into_inner).clone();
    assert_eq!(seen, [6, 6, 6]);
}

#[test]
fn dynamic_ip_setup_follows_the_state_and_withdraws_before_removing() {
    let tmp = TempDir::new("hc-netns-dynamic").unwrap();
    let ns = Netns::new();
    let healthy = tmp.join("healthy");
    std::fs::write(&healthy, "").unwrap();
    let options = args(&[
        "--no-syslog",
        "--rise",
        "1",
        "--fall",
        "1",
        "--interval",
        "0.1",
        "--debounce",
        "--withdraw-on-down",
        "--dynamic-ip-setup",
        "--ip",
        "192.0.2.20",
        "--cmd",
        &format!("test -e {}", healthy.display()),
    ]);
    let address = "192.0.2.20/32";
    // Each line with whether the address was on lo when it was printed.
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = Arc::clone(&seen);
    let name = ns.name.clone();
    let mut checker = Checker::spawn(
        Program::Herald,
        &ns.exec(),
        &options,
        tmp.path(),
        "herald",
        true,
        Box::new(move |line| {
            let present = addresses(&name).iter().any(|(a, _)| a == address);
            record
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .push((line.to_owned(), present));
        }),
    );
    let seen_lines = || seen.lock().unwrap_or_else(PoisonError::into_inner).clone();
    let up = (
        "neighbor * announce route 192.0.2.20/32 next-hop self med 100".to_owned(),
        true,
    );
    let down = (
        "neighbor * withdraw route 192.0.2.20/32 next-hop self".to_owned(),
        true,
    );

    checker.wait_lines("UP", LIMIT, |l| l.len() == 1);
    ns.wait("the address while UP", |_| ns.has(address));

    std::fs::remove_file(&healthy).unwrap();
    checker.wait_lines("DOWN", LIMIT, |l| l.len() == 2);
    ns.wait("the address removed while DOWN", |_| !ns.has(address));

    std::fs::write(&healthy, "").unwrap();
    checker.wait_lines("UP again", LIMIT, |l| l.len() == 3);
    ns.wait("the address restored", |_| ns.has(address));

    checker.signal("TERM");
    assert!(checker.wait_exit(LIMIT).success(), "{}", checker.stderr());
    assert!(!ns.has(address), "left on lo after exit");
    // Every line, the withdraws included, was printed while the address was on lo: it
    // is set up before UP is announced and removed only after a withdraw is answered.
    assert_eq!(seen_lines(), [up.clone(), down.clone(), up, down]);
}

/// Runs `program healthcheck --interval 0 options…` in `ns` and returns its lines.
fn advertised(program: Program, ns: &Netns, tmp: &TempDir, options: &[&str]) -> Vec<String> {
    let mut all = args(&["--no-syslog", "--rise", "1", "--interval", "0"]);
    all.extend(args(options));
    let mut checker = Checker::spawn(
        program,
        &ns.exec(),
        &all,
        tmp.path(),
        program.name(),
        true,
        Box::new(|_| {}),
    );
    let status = checker.wait_exit(LIMIT);
    assert!(status.success(), "{}: {}", program.name(), checker.stderr());
    checker.lines()
}

#[test]
fn label_selects_the_addresses_of_lo_like_exabgp() {
    let tmp = TempDir::new("hc-netns-label").unwrap();
    let ns = Netns::new();
    for (address, label) in [
        ("192.0.2.31/32", Some("lo:web1")),
        ("192.0.2.32/32", Some("lo:web")),
        ("192.0.2.33/32", Some("lo:db")),
        ("192.0.2.34/32", None),
    ] {
        let mut a = vec!["-n", &ns.name, "address", "add", address, "dev", "lo"];
        if let Some(label) = label {
            a.extend(["label", label]);
        }
        ip(&a);
    }
    let route = |n: u8, med: u32| {
        format!("neighbor * announce route 192.0.2.{n}/32 next-hop self med {med}")
    };
    let cases: [(&[&str], Vec<String>); 3] = [
        (&["--label", "web"], vec![route(31, 100), route(32, 101)]),
        (
            &["--label", "web", "--label-exact-match"],
            vec![route(32, 100)],
        ),
        (
            &[],
            vec![
                route(31, 100),
                route(32, 101),
                route(33, 102),
                route(34, 103),
            ],
        ),
    ];
    for (options, expected) in cases {
        let herald = advertised(Program::Herald, &ns, &tmp, options);
        assert_eq!(herald, expected, "herald {options:?}");
        let exabgp = advertised(Program::ExaBgp, &ns, &tmp, options);
        assert_eq!(exabgp, expected, "exabgp {options:?}");
    }
    // The addresses belong to the operator: --interval 0 leaves them all in place.
    for n in 31..=34 {
        assert!(ns.has(&format!("192.0.2.{n}/32")), "{:?}", ns.addresses());
    }
}

/// Without `--ip`, the addresses found on lo are advertised and withdrawn, but they are
/// the operator's: Herald leaves them on exit (ExaBGP 5.0.15 deletes them, measured).
#[test]
fn addresses_found_on_lo_are_kept_on_exit() {
    let tmp = TempDir::new("hc-netns-found").unwrap();
    let ns = Netns::new();
    ip(&[
        "-n",
        &ns.name,
        "address",
        "add",
        "192.0.2.77/32",
        "dev",
        "lo",
    ]);
    let options = args(&["--no-syslog", "--rise", "1", "--interval", "0.2"]);
    let mut checker = Checker::spawn(
        Program::Herald,
        &ns.exec(),
        &options,
        tmp.path(),
        "herald",
        true,
        Box::new(|_| {}),
    );
    checker.wait_lines("the UP announcement", LIMIT, |l| !l.is_empty());
    checker.signal("TERM");
    assert!(checker.wait_exit(LIMIT).success(), "{}", checker.stderr());
    let lines = checker.lines();
    assert_eq!(
        lines.last().map(String::as_str),
        Some("neighbor * withdraw route 192.0.2.77/32 next-hop self")
    );
    assert!(ns.has("192.0.2.77/32"), "{:?}", ns.addresses());
}
