//! `gobgp-feed` against a real GoBGP 3.x: after the feed, GoBGP's own CLI must show exactly
//! the N routes in its global RIB, with the next hop and origin we sent (the independent
//! view: GoBGP decoded our hand-written protobuf messages).
//!
//! Needs `gobgpd` and `gobgp` on the PATH (as the interop tests do). gobgpd runs on
//! loopback with BGP not listening (`port = -1`) and its gRPC API on a free port.

use std::net::TcpListener;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

/// A gobgpd process, killed when dropped.
struct Gobgpd {
    child: Child,
    api: String,
    dir: PathBuf,
}

impl Gobgpd {
    fn start(label: &str) -> Self {
        let dir =
            std::env::temp_dir().join(format!("herald-gobgp-feed-{label}-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let conf = dir.join("gobgpd.toml");
        std::fs::write(
            &conf,
            "[global.config]\n  as = 65000\n  router-id = \"127.0.0.1\"\n  port = -1\n",
        )
        .unwrap();
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .unwrap()
            .port();
        let api = format!("127.0.0.1:{port}");
        let log = std::fs::File::create(dir.join("gobgpd.log")).unwrap();
        let child = Command::new("gobgpd")
            .args(["-f", &conf.display().to_string(), "-p", "--pprof-disable"])
            .args(["--api-hosts", &api])
            .stdin(Stdio::null())
            .stdout(log.try_clone().unwrap())
            .stderr(log)
            .spawn()
            .expect("gobgpd on the PATH");
        Self { child, api, dir }
    }

    /// `gobgp -u 127.0.0.1 -p PORT args…`, its stdout.
    fn cli(&self, args: &[&str]) -> String {
        let port = self.api.rsplit(':').next().unwrap_or_default();
        let out = Command::new("timeout")
            .args(["20", "gobgp", "-u", "127.0.0.1", "-p", port])
            .args(args)
            .output()
            .expect("gobgp on the PATH");
        assert!(out.status.success(), "gobgp {args:?}: {out:?}");
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    /// Runs gobgp-feed against this gobgpd (it retries until the API listens).
    fn feed(&self, args: &[&str]) {
        let out = Command::new("timeout")
            .args(["60", env!("CARGO_BIN_EXE_gobgp-feed"), "--api", &self.api])
            .args(["--timeout", "30"])
            .args(args)
            .output()
            .unwrap();
        assert!(out.status.success(), "gobgp-feed {args:?}: {out:?}");
    }
}

impl Drop for Gobgpd {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

fn one_route(gobgpd: &Gobgpd, afi: &str, prefix: &str) -> serde_json::Value {
    let text = gobgpd.cli(&["global", "rib", "-a", afi, prefix, "-j"]);
    let json: serde_json::Value = serde_json::from_str(&text).unwrap();
    json[prefix][0].clone()
}

#[test]
fn gobgp_holds_exactly_the_fed_ipv4_routes() {
    let gobgpd = Gobgpd::start("v4");
    // 2,999 routes in requests of 700 paths: the last request is a partial one.
    gobgpd.feed(&["--count", "2999", "--batch", "700"]);
    let summary = gobgpd.cli(&["global", "rib", "summary", "-a", "ipv4"]);
    assert!(
        summary.contains("Destination: 2999, Path: 2999"),
        "{summary}"
    );
    // The first and the last route (10.0.0.0 + 2998 = 10.0.11.182), nothing past it.
    for prefix in ["10.0.0.0/32", "10.0.11.182/32"] {
        let path = one_route(&gobgpd, "ipv4", prefix);
        let attrs = path["attrs"].as_array().unwrap();
        assert!(
            attrs.iter().any(|a| a["type"] == 1 && a["value"] == 0),
            "{path}"
        );
        assert!(
            attrs
                .iter()
                .any(|a| a["type"] == 3 && a["nexthop"] == "192.0.2.1"),
            "{path}"
        );
    }
    let past = gobgpd.cli(&["global", "rib", "-a", "ipv4", "10.0.11.183/32"]);
    assert!(!past.contains("10.0.11.183"), "{past}");
}

#[test]
fn gobgp_holds_the_fed_ipv6_routes_in_both_encodings() {
    let gobgpd = Gobgpd::start("v6");
    // The Any form (GoBGP's CLI's) first, then the wire form over the same routes and 500
    // more: GoBGP replaces the first 1,000 and holds 1,500.
    gobgpd.feed(&["--fam", "v6", "--count", "1000", "--encoding", "any"]);
    let summary = gobgpd.cli(&["global", "rib", "summary", "-a", "ipv6"]);
    assert!(
        summary.contains("Destination: 1000, Path: 1000"),
        "{summary}"
    );
    gobgpd.feed(&[
        "--fam",
        "v6",
        "--count",
        "1500",
        "--encoding",
        "binary",
        "--batch",
        "64",
    ]);
    let summary = gobgpd.cli(&["global", "rib", "summary", "-a", "ipv6"]);
    assert!(
        summary.contains("Destination: 1500, Path: 1500"),
        "{summary}"
    );
    // 1,499 = 0x5db.
    let path = one_route(&gobgpd, "ipv6", "2001:db8::5db/128");
    let attrs = path["attrs"].as_array().unwrap();
    assert!(
        attrs
            .iter()
            .any(|a| a["type"] == 14 && a["nexthop"] == "2001:db8:ffff::1"),
        "{path}"
    );
}
