//! `examples/blackhole` (remote-triggered blackholing) run as it is by Herald — only the
//! addresses and the port are rewritten to the lab's — against a real GoBGP, which must
//! hold each listed address as a /32 with the BLACKHOLE community 65535:666, NO_EXPORT and
//! the discard next hop, and drop it when the line is removed from the list; and
//! `examples/flowspec` (FlowSpec DDoS mitigation) the same way: each attack listed is a
//! FlowSpec rule in GoBGP with its match and its traffic-rate action, withdrawn with its line.

use herald_interop_tests::gobgp::{Gobgp, GobgpConfig};
use herald_interop_tests::herald::{speaker_env, start_daemon, workspace_root};
use herald_interop_tests::lab::{ROUTE_LIMIT, SESSION_LIMIT};
use herald_interop_tests::net::{free_port, Subnet};
use herald_interop_tests::process::{wait_while_alive, Daemon};
use herald_interop_tests::route::{find, PeerRoute};
use herald_interop_tests::tmp::TempDir;

/// The example's ASes: Herald 65002, the router 65003.
const SPEAKER_AS: u32 = 65002;
const ROUTER_AS: u32 = 65003;

/// NO_EXPORT (RFC 1997) as GoBGP's readback writes it.
const NO_EXPORT: &str = "65535:65281";

/// One example directory run as shipped by Herald against a real GoBGP: only the router's
/// and the speaker's addresses and the port are rewritten to a lab subnet's.
struct Example {
    tmp: TempDir,
    gobgp: Gobgp,
    herald: Daemon,
    speaker: std::net::Ipv4Addr,
}

impl Example {
    /// Starts GoBGP (with FlowSpec when `flowspec`), copies `examples/NAME` (its
    /// `herald.conf` and `helper`), writes `data` (file name, text) for the helper, starts
    /// Herald with `env` added, and waits for the session.
    fn start(
        name: &str,
        helper: &str,
        flowspec: bool,
        data: (&str, &str),
        env: (&str, &str),
    ) -> Self {
        let tmp = TempDir::new(&format!("example-{name}")).unwrap();
        let subnet = Subnet::next();
        let (router, speaker) = (subnet.host(1), subnet.host(2));
        let port = free_port(router).unwrap();
        let gobgp = Gobgp::start(
            &tmp,
            &GobgpConfig {
                address: router,
                port,
                asn: ROUTER_AS,
                neighbors: vec![(speaker, SPEAKER_AS)],
                ipv6: false,
                vpn: false,
                flowspec,
                evpn: false,
                rtc: false,
            },
        )
        .unwrap();
        let example = workspace_root().join("examples").join(name);
        let conf = std::fs::read_to_string(example.join("herald.conf"))
            .unwrap()
            .replace("127.0.0.3", &router.to_string())
            .replace("127.0.0.2", &speaker.to_string())
            .replace("connect 1790;", &format!("connect {port};"));
        tmp.write("herald.conf", &conf).unwrap();
        let script = std::fs::read_to_string(example.join(helper)).unwrap();
        tmp.write_script(helper, &script).unwrap();
        std::fs::write(tmp.join(data.0), data.1).unwrap();
        let env = speaker_env(&[("HERALD_SOCKET", "off"), env]).unwrap();
        let herald = start_daemon(tmp.path(), "herald.conf", &env).unwrap();
        let example = Self {
            tmp,
            gobgp,
            herald,
            speaker,
        };
        example
            .gobgp
            .wait_established(speaker, SESSION_LIMIT, || example.herald.alive())
            .unwrap_or_else(|e| panic!("{e}\n{}", example.diagnostics()));
        example
    }

    /// The logs, and the test directory kept.
    fn diagnostics(&self) -> String {
        self.tmp.keep();
        format!("{}\n{}", self.herald.log_tail(40), self.gobgp.log_tail())
    }

    /// Waits until the routes GoBGP holds from Herald in `afi` satisfy `done`.
    fn wait(&self, afi: &str, what: &str, done: &dyn Fn(&[PeerRoute]) -> bool) -> Vec<PeerRoute> {
        wait_while_alive(
            what,
            ROUTE_LIMIT,
            || self.herald.alive(),
            || {
                let routes = self
                    .gobgp
                    .adj_in(self.speaker, afi)
                    .map_err(|e| e.to_string())?;
                if done(&routes) {
                    Ok(routes)
                } else {
                    Err(format!("{routes:?}"))
                }
            },
        )
        .unwrap_or_else(|e| panic!("{e}\n{}", self.diagnostics()))
    }
}

#[test]
fn blackhole_example_reaches_gobgp_with_the_blackhole_community() {
    let example = Example::start(
        "blackhole",
        "rtbh.sh",
        false,
        ("blocklist.txt", "# attacked hosts\n203.0.113.66\n"),
        ("RTBH_INTERVAL", "0.2"),
    );
    let list = example.tmp.join("blocklist.txt");
    let wait = |what: &str, done: &dyn Fn(&[PeerRoute]) -> bool| example.wait("ipv4", what, done);
    let blackholed = |routes: &[PeerRoute], prefix: &str| {
        find(routes, prefix).is_some_and(|r| {
            r.next_hop.as_deref() == Some("192.0.2.1")
                && r.communities.iter().any(|c| c == "65535:666")
                && r.communities.iter().any(|c| c == NO_EXPORT)
        })
    };

    let routes = wait("203.0.113.66/32 blackholed", &|r| {
        blackholed(r, "203.0.113.66/32")
    });
    assert_eq!(routes.len(), 1, "{routes:?}");
    assert_eq!(
        find(&routes, "203.0.113.66/32").unwrap().as_path,
        [SPEAKER_AS]
    );

    // a second address, then the first one removed from the list
    std::fs::write(&list, "203.0.113.66\n198.51.100.77\n").unwrap();
    wait("198.51.100.77/32 blackholed", &|r| {
        blackholed(r, "198.51.100.77/32") && blackholed(r, "203.0.113.66/32")
    });
    std::fs::write(&list, "198.51.100.77\n").unwrap();
    let routes = wait("203.0.113.66/32 withdrawn", &|r| {
        find(r, "203.0.113.66/32").is_none()
    });
    assert!(blackholed(&routes, "198.51.100.77/32"), "{routes:?}");
}

/// GoBGP's key for a FlowSpec rule: its text of the match components.
fn flow_key(destination: &str, protocol: &str, port: u16) -> String {
    format!("[destination: {destination}][protocol: =={protocol}][destination-port: =={port}]")
}

#[test]
fn flowspec_example_reaches_gobgp_as_rules() {
    let example = Example::start(
        "flowspec",
        "mitigate.sh",
        true,
        (
            "attacks.txt",
            "# seen by the detector\n203.0.113.10/32 udp 53 discard\n\
             203.0.113.20/32 tcp 443 rate-limit 1000000\n",
        ),
        ("FLOW_INTERVAL", "0.2"),
    );
    let attacks = example.tmp.join("attacks.txt");
    let wait =
        |what: &str, done: &dyn Fn(&[PeerRoute]) -> bool| example.wait("ipv4-flowspec", what, done);
    let dns = flow_key("203.0.113.10/32", "udp", 53);
    let https = flow_key("203.0.113.20/32", "tcp", 443);
    // RFC 8955 §7.3: discard is traffic-rate 0.
    let rule = |routes: &[PeerRoute], key: &str, action: &str| {
        find(routes, key).is_some_and(|r| r.ext_communities == [action])
    };

    let routes = wait("both rules held", &|r| {
        rule(r, &dns, "traffic-rate:0:0") && rule(r, &https, "traffic-rate:0:1000000")
    });
    assert_eq!(routes.len(), 2, "{routes:?}");
    assert_eq!(find(&routes, &dns).unwrap().as_path, [SPEAKER_AS]);

    // the first attack is over: its line is removed, its rule withdrawn
    std::fs::write(&attacks, "203.0.113.20/32 tcp 443 rate-limit 1000000\n").unwrap();
    let routes = wait("the udp 53 rule withdrawn", &|r| find(r, &dns).is_none());
    assert_eq!(routes.len(), 1, "{routes:?}");
    assert!(
        rule(&routes, &https, "traffic-rate:0:1000000"),
        "{routes:?}"
    );
}
