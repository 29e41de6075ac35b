//! Configuration reload: what changed between the running configuration and the new one.
//!
//! SIGUSR1 (or the API `reload`) re-reads the files and applies the difference (spec §1.1,
//! §5):
//!
//! - a neighbor whose session settings did not change keeps its session; only its routes
//!   are diffed: new or changed routes are announced, routes whose NLRI disappeared are
//!   withdrawn;
//! - a neighbor whose session settings changed is stopped with a Cease NOTIFICATION and
//!   started again from the new definition;
//! - a removed neighbor gets a Cease NOTIFICATION; an added one is started;
//! - helpers are kept; new ones are started, removed ones stopped, and ones whose `run` or
//!   `encoder` changed are restarted. SIGUSR2 restarts every helper.
//!
//! The functions here are pure: they compare two [`Running`] configurations; the supervisor
//! applies the result.

use std::borrow::Cow;
use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Arc;

use config::{Config, Neighbor, Process, Route};
use ipnet::IpNet;
use wire::{Family, Nlri};

/// The configuration a daemon runs: its helpers, and its neighbors shared with the peer
/// tasks started for them (a neighbor's routes, a million in a large `static` block, are
/// held once, not copied for each user).
#[derive(Debug, Clone, Default)]
pub struct Running {
    /// `process` sections.
    pub processes: Vec<Process>,
    /// `neighbor` sections.
    pub neighbors: Vec<Arc<Neighbor>>,
}

impl From<Config> for Running {
    fn from(config: Config) -> Self {
        Self {
            processes: config.processes,
            neighbors: config.neighbors.into_iter().map(Arc::new).collect(),
        }
    }
}

/// Identifies a neighbor across reloads: its address (or range) and local address.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct NeighborKey {
    /// `neighbor <ip|prefix>`.
    pub peer: IpNet,
    /// `local-address` (`None` = auto).
    pub local: Option<IpAddr>,
}

impl NeighborKey {
    /// The key of `neighbor`.
    pub fn of(neighbor: &Neighbor) -> Self {
        Self {
            peer: neighbor.peer_address,
            local: neighbor.local_address,
        }
    }
}

impl std::fmt::Display for NeighborKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.peer.prefix_len() == self.peer.max_prefix_len() {
            write!(f, "{}", self.peer.addr())
        } else {
            write!(f, "{}", self.peer)
        }
    }
}

/// Route changes for a neighbor whose session is kept.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct RouteDiff {
    /// Routes to announce (new, or attributes changed).
    pub announce: Vec<Route>,
    /// Routes to withdraw (their NLRI is gone from the configuration).
    pub withdraw: Vec<Route>,
}

impl RouteDiff {
    /// True when nothing changed.
    pub fn is_empty(&self) -> bool {
        self.announce.is_empty() && self.withdraw.is_empty()
    }
}

/// What a reload changes for the neighbors.
#[derive(Debug, Clone, Default)]
pub struct NeighborPlan {
    /// Session kept; routes to update (maybe none), with the new definition.
    pub keep: Vec<(NeighborKey, Arc<Neighbor>, RouteDiff)>,
    /// Session settings changed: stop the old session, start a new one.
    pub restart: Vec<(NeighborKey, Arc<Neighbor>)>,
    /// New neighbors to start.
    pub add: Vec<Arc<Neighbor>>,
    /// Neighbors to stop with a Cease.
    pub remove: Vec<NeighborKey>,
}

/// What a reload changes for the helpers.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProcessPlan {
    /// Start these.
    pub start: Vec<Process>,
    /// Stop and start these (definition changed, or SIGUSR2).
    pub restart: Vec<Process>,
    /// Stop these.
    pub stop: Vec<String>,
}

/// Compares the neighbors of `old` and `new`.
pub fn plan_neighbors(old: &Running, new: &Running) -> NeighborPlan {
    let mut plan = NeighborPlan::default();
    let mut seen = HashSet::new();
    for n in &new.neighbors {
        let key = NeighborKey::of(n);
        seen.insert(key.clone());
        match old.neighbors.iter().find(|o| NeighborKey::of(o) == key) {
            None => plan.add.push(n.clone()),
            Some(o) if same_session(o, n) => {
                let diff = diff_routes(&o.routes, &n.routes);
                plan.keep.push((key, n.clone(), diff));
            }
            Some(_) => plan.restart.push((key, n.clone())),
        }
    }
    for o in &old.neighbors {
        let key = NeighborKey::of(o);
        if !seen.contains(&key) {
            plan.remove.push(key);
        }
    }
    plan
}

/// Compares the processes; with `restart_all` (SIGUSR2) every kept helper is restarted.
pub fn plan_processes(old: &Running, new: &Running, restart_all: bool) -> ProcessPlan {
    let find = |c: &Running, name: &str| c.processes.iter().position(|p| p.name == name);
    let mut plan = ProcessPlan::default();
    for p in &new.processes {
        match find(old, &p.name).and_then(|i| old.processes.get(i)) {
            None => plan.start.push(p.clone()),
            Some(o) if !restart_all && o.run == p.run && o.encoder == p.encoder => {}
            Some(_) => plan.restart.push(p.clone()),
        }
    }
    for o in &old.processes {
        if find(new, &o.name).is_none() {
            plan.stop.push(o.name.clone());
        }
    }
    plan
}

/// True when two definitions of a neighbor need no new session: everything but the routes,
/// the `api` bindings, the description and the source locations is equal.
pub fn same_session(a: &Neighbor, b: &Neighbor) -> bool {
    // every field named, so that a new one is not forgotten here; nothing is cloned (a
    // neighbor may have a million routes)
    let Neighbor {
        peer_address,
        description: _,
        router_id,
        local_address,
        source_interface,
        local_as,
        peer_as,
        hold_time,
        passive,
        listen,
        connect,
        md5_password,
        md5_base64,
        md5_ip,
        outgoing_ttl,
        incoming_ttl,
        group_updates,
        auto_flush,
        adj_rib_in,
        adj_rib_out,
        manual_eor,
        rate_limit,
        host_name,
        domain_name,
        capability,
        families,
        add_path,
        nexthop,
        api: _,
        routes: _,
        raw,
        location: _,
    } = a;
    let same_raw = raw.len() == b.raw.len()
        && raw
            .iter()
            .zip(&b.raw)
            .all(|(x, y)| x.kind == y.kind && x.family == y.family && x.words == y.words);
    same_raw
        && *peer_address == b.peer_address
        && *router_id == b.router_id
        && *local_address == b.local_address
        && *source_interface == b.source_interface
        && *local_as == b.local_as
        && *peer_as == b.peer_as
        && *hold_time == b.hold_time
        && *passive == b.passive
        && *listen == b.listen
        && *connect == b.connect
        && *md5_password == b.md5_password
        && *md5_base64 == b.md5_base64
        && *md5_ip == b.md5_ip
        && *outgoing_ttl == b.outgoing_ttl
        && *incoming_ttl == b.incoming_ttl
        && *group_updates == b.group_updates
        && *auto_flush == b.auto_flush
        && *adj_rib_in == b.adj_rib_in
        && *adj_rib_out == b.adj_rib_out
        && *manual_eor == b.manual_eor
        && *rate_limit == b.rate_limit
        && *host_name == b.host_name
        && *domain_name == b.domain_name
        && *capability == b.capability
        && *families == b.families
        && *add_path == b.add_path
        && *nexthop == b.nexthop
}

/// What identifies a route in an Adj-RIB-Out: family, route key (`Nlri::route_key`: the
/// NLRI with its path-id, without the fields that are attributes of the route, such as
/// labels) and RD. A route whose labels changed is announced again (replacing the old
/// version), not withdrawn.
fn route_key(route: &Route) -> (Family, Cow<'_, Nlri>, Option<[u8; 8]>) {
    (route.family, route.nlri.route_key(), route.rd)
}

/// The routes to announce and withdraw to go from `old` to `new`. Routes that start
/// withdrawn (`withdraw` flag, for watchdogs) are never announced by a reload.
pub fn diff_routes(old: &[Route], new: &[Route]) -> RouteDiff {
    let mut diff = RouteDiff::default();
    // hashed: a million routes on each side is a million lookups, not 10^12 comparisons;
    // the keys are our own configuration's, so the fast fixed-seed hasher is safe
    let old_routes: HashSet<&Route, rib::hash::Fast> = old.iter().collect();
    for n in new {
        if n.withdrawn {
            continue;
        }
        if !old_routes.contains(n) {
            diff.announce.push(n.clone());
        }
    }
    let new_keys: HashSet<_, rib::hash::Fast> =
        new.iter().filter(|r| !r.withdrawn).map(route_key).collect();
    for o in old {
        if !new_keys.contains(&route_key(o)) {
            diff.withdraw.push(o.clone());
        }
    }
    diff
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::testutil;

    #[test]
    fn route_diff_replaces_a_route_whose_label_changed() {
        // RFC 7432 §7.2: the label is an attribute of the route, not part of its key.
        let words = |label: &str| {
            let line = format!(
                "mac-advertisement rd 65000:1 mac 00:11:22:33:44:55 label {label} next-hop 192.0.2.1"
            );
            let words: Vec<&str> = line.split_whitespace().collect();
            config::route::evpn::parse_evpn(&words).unwrap()
        };
        let (old, new) = (words("100"), words("200"));
        let diff = diff_routes(std::slice::from_ref(&old), std::slice::from_ref(&new));
        assert_eq!(diff.announce, vec![new]);
        assert!(diff.withdraw.is_empty());
    }

    #[test]
    fn route_diff_announces_new_and_changed_withdraws_gone() {
        let a = testutil::route("10.0.0.0/24", "192.0.2.1");
        let b = testutil::route("10.0.1.0/24", "192.0.2.1");
        let b2 = testutil::route("10.0.1.0/24", "192.0.2.2");
        let c = testutil::route("10.0.2.0/24", "192.0.2.1");
        let diff = diff_routes(&[a.clone(), b], &[a, b2.clone(), c.clone()]);
        assert_eq!(diff.announce, vec![b2, c]);
        assert!(diff.withdraw.is_empty());

        let a = testutil::route("10.0.0.0/24", "192.0.2.1");
        let b = testutil::route("10.0.1.0/24", "192.0.2.1");
        let diff = diff_routes(&[a.clone(), b.clone()], &[a]);
        assert!(diff.announce.is_empty());
        assert_eq!(diff.withdraw, vec![b]);
    }

    #[test]
    fn neighbor_plan_keeps_restarts_adds_removes() {
        let mut kept = testutil::neighbor("127.0.0.1", vec![]);
        kept.routes
            .push(testutil::route("10.0.0.0/24", "192.0.2.1"));
        let changed = testutil::neighbor("127.0.0.2", vec![]);
        let removed = testutil::neighbor("127.0.0.3", vec![]);
        let old = Running::from(Config {
            processes: vec![],
            neighbors: vec![kept.clone(), changed.clone(), removed],
        });
        let mut kept2 = kept.clone();
        kept2.routes = vec![testutil::route("10.0.9.0/24", "192.0.2.1")];
        kept2.description = String::new();
        let mut changed2 = changed;
        changed2.hold_time = 30;
        let added = testutil::neighbor("127.0.0.4", vec![]);
        let new = Running::from(Config {
            processes: vec![],
            neighbors: vec![kept2, changed2, added],
        });
        let plan = plan_neighbors(&old, &new);
        assert_eq!(plan.keep.len(), 1);
        assert_eq!(plan.keep[0].2.announce.len(), 1);
        assert_eq!(plan.keep[0].2.withdraw.len(), 1);
        assert_eq!(plan.restart.len(), 1);
        assert_eq!(plan.restart[0].0.to_string(), "127.0.0.2");
        assert_eq!(plan.add.len(), 1);
        assert_eq!(plan.remove.len(), 1);
        assert_eq!(plan.remove[0].to_string(), "127.0.0.3");
    }

    #[test]
    fn same_session_ignores_routes_api_description_and_locations_only() {
        let mut a = testutil::neighbor("127.0.0.1", vec![]);
        a.raw.push(config::RawSection {
            kind: "operational".into(),
            family: None,
            words: vec!["asm".into()],
            location: config::Location::default(),
        });
        let mut b = a.clone();
        b.routes.push(testutil::route("10.0.0.0/24", "192.0.2.1"));
        b.api.push(config::ApiBinding::default());
        b.description = "other".into();
        b.location.line = 7;
        b.raw[0].location.line = 9;
        assert!(same_session(&a, &b));
        let mut c = b.clone();
        c.hold_time = 30;
        assert!(!same_session(&a, &c));
        let mut c = b.clone();
        c.raw[0].words.push("x".into());
        assert!(!same_session(&a, &c));
        let mut c = b;
        c.capability.route_refresh = !c.capability.route_refresh;
        assert!(!same_session(&a, &c));
    }

    #[test]
    fn route_diff_of_large_tables_is_linear() {
        // 200 000 routes a side: pairwise comparison would be 4 * 10^10 steps
        let table = |next_hop: &str, skip: u32| -> Vec<Route> {
            (0..200_000u32)
                .filter(|i| *i != skip)
                .map(|i| {
                    let [_, a, b, c] = i.to_be_bytes();
                    testutil::route(&format!("10.{a}.{b}.{c}/32"), next_hop)
                })
                .collect()
        };
        let old = table("192.0.2.1", 5);
        let mut new = table("192.0.2.1", 7);
        new[0].next_hop = config::NextHop::Ip("192.0.2.2".parse().unwrap());
        let diff = diff_routes(&old, &new);
        // 10.0.0.5 is new, 10.0.0.0 changed; 10.0.0.7 is gone
        let mut announced: Vec<String> = diff
            .announce
            .iter()
            .map(|r| format!("{:?}", r.nlri))
            .collect();
        announced.sort();
        assert_eq!(announced.len(), 2);
        assert!(announced[0].contains("10.0.0.0/32"), "{announced:?}");
        assert!(announced[1].contains("10.0.0.5/32"), "{announced:?}");
        assert_eq!(diff.withdraw.len(), 1);
        assert!(format!("{:?}", diff.withdraw[0].nlri).contains("10.0.0.7/32"));
    }

    #[test]
    fn process_plan() {
        let p = |name: &str, run: &str| config::Process {
            name: name.into(),
            run: vec![run.into()],
            encoder: config::Encoder::Text,
            respawn: true,
            location: config::Location::default(),
        };
        let old = Running {
            processes: vec![p("a", "/x"), p("b", "/y"), p("c", "/z")],
            neighbors: vec![],
        };
        let new = Running {
            processes: vec![p("a", "/x"), p("b", "/y2"), p("d", "/w")],
            neighbors: vec![],
        };
        let plan = plan_processes(&old, &new, false);
        assert_eq!(plan.start, vec![p("d", "/w")]);
        assert_eq!(plan.restart, vec![p("b", "/y2")]);
        assert_eq!(plan.stop, vec!["c".to_owned()]);
        let plan = plan_processes(&old, &new, true);
        assert_eq!(plan.restart.len(), 2);
    }
}
