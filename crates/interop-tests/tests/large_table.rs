//! A table larger than one planning step (`rib::AdjRibOut::plan_some`, 65,536 changes)
//! reaches BIRD 2 whole, and again whole after BIRD restarts: Herald announces 150,000
//! `static` /32 routes; BIRD's own counters and a sample of its routes are read back.

use std::net::Ipv4Addr;
use std::time::Duration;

use herald_interop_tests::bird::Bird;
use herald_interop_tests::herald::{speaker_env, start_daemon};
use herald_interop_tests::lab::SESSION_LIMIT;
use herald_interop_tests::net::{free_port, Subnet};
use herald_interop_tests::process::{wait_while_alive, Daemon};
use herald_interop_tests::tmp::TempDir;

const HERALD_AS: u32 = 65090;
const BIRD_AS: u32 = 65091;
/// More than two planning steps.
const ROUTES: u32 = 150_000;
/// Time for BIRD to take the whole table (a few seconds; a debug build parses the
/// configuration more slowly).
const TABLE_LIMIT: Duration = Duration::from_secs(90);

fn bird_conf(bird: Ipv4Addr, port: u16, herald: Ipv4Addr) -> String {
    format!(
        "log stderr all;
router id {bird};
protocol device {{}}
protocol bgp herald {{
  local {bird} port {port} as {BIRD_AS};
  neighbor {herald} as {HERALD_AS};
  passive on; multihop 2; hold time 30;
  ipv4 {{ import all; export none; }};
}}
"
    )
}

/// The `n`-th route: 10.0.0.0 + n, /32.
fn route(n: u32) -> Ipv4Addr {
    Ipv4Addr::from(0x0a00_0000 + n)
}

fn herald_conf(herald: Ipv4Addr, bird: Ipv4Addr, port: u16) -> String {
    let mut conf = format!(
        "neighbor {bird} {{
  router-id {herald};
  local-address {herald};
  local-as {HERALD_AS};
  peer-as {BIRD_AS};
  hold-time 30;
  connect {port};
  family {{ ipv4 unicast; }}
  static {{
"
    );
    for n in 0..ROUTES {
        let hop = if n % 2 == 0 { "192.0.2.1" } else { "192.0.2.2" };
        conf.push_str(&format!("    route {}/32 next-hop {hop};\n", route(n)));
    }
    conf.push_str("  }\n}\n");
    conf
}

/// BIRD's count of routes imported from Herald (`show protocols all herald`).
fn imported(bird: &Bird) -> Result<u32, String> {
    let out = bird
        .birdc(&["show", "protocols", "all", "herald"])
        .map_err(|e| e.to_string())?;
    out.lines()
        .find_map(|l| l.trim().strip_prefix("Routes:"))
        .and_then(|l| l.split_whitespace().next())
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| format!("no route count in {out}"))
}

/// Waits until BIRD holds the whole table, then checks routes from the start, the step
/// boundaries and the end, with their next hops.
fn check_table(bird: &Bird, herald: &Daemon, when: &str) {
    wait_while_alive(
        &format!("BIRD holding {ROUTES} routes {when}"),
        TABLE_LIMIT,
        || herald.alive(),
        || match imported(bird) {
            Ok(n) if n == ROUTES => Ok(()),
            Ok(n) => Err(format!("{n} imported")),
            Err(e) => Err(e),
        },
    )
    .unwrap_or_else(|e| panic!("{e}\n{}\n{}", herald.log_tail(30), bird.log_tail()));
    for n in [0, 65_535, 65_536, 131_072, ROUTES - 1] {
        let prefix = format!("{}/32", route(n));
        let out = bird
            .birdc(&["show", "route", "all", "for", &prefix, "protocol", "herald"])
            .unwrap();
        let hop = if n % 2 == 0 { "192.0.2.1" } else { "192.0.2.2" };
        assert!(out.contains(&prefix), "{when}: {prefix} missing:\n{out}");
        assert!(
            out.contains(&format!("BGP.next_hop: {hop}")),
            "{when}: {prefix} next hop:\n{out}"
        );
    }
}

#[test]
fn a_table_of_several_planning_steps_reaches_bird_before_and_after_its_restart() {
    let tmp = TempDir::new("large-table").unwrap();
    let subnet = Subnet::next();
    let (bird_addr, herald_addr) = (subnet.host(1), subnet.host(2));
    let port = free_port(bird_addr).unwrap();
    let mut bird = Bird::start_text(&tmp, &bird_conf(bird_addr, port, herald_addr)).unwrap();
    tmp.write("herald.conf", &herald_conf(herald_addr, bird_addr, port))
        .unwrap();
    let env = speaker_env(&[("HERALD_SOCKET", "off")]).unwrap();
    let herald = start_daemon(tmp.path(), "herald.conf", &env).unwrap();
    let established = |bird: &Bird| {
        bird.wait_established("herald", TABLE_LIMIT.max(SESSION_LIMIT), || herald.alive())
            .unwrap_or_else(|e| panic!("{e}\n{}\n{}", herald.log_tail(30), bird.log_tail()));
    };
    established(&bird);
    check_table(&bird, &herald, "after the first session");
    bird.restart().unwrap();
    established(&bird);
    check_table(&bird, &herald, "after BIRD restarted");
}
