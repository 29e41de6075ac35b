//! The API command lines printed to the daemon for a state, and what happens to the
//! addresses around them — byte for byte what ExaBGP 5.0.15's healthcheck prints.
//!
//! One line per advertised prefix, in the order of `--ip` (rotated by `--start-ip`):
//!
//! ```text
//! <selector> announce route <prefix> next-hop <ip|self> med <metric>
//!     [local-preference <P>] [community [ <C> ]] [extended-community [ <E> ]]
//!     [large-community [ <L> ]] [as-path [ <A> ]] [path-information <N>]
//! <selector> withdraw route <prefix> next-hop <ip|self> [path-information <N>]
//! ```
//!
//! `<selector>` is `neighbor *`, or `neighbor A, neighbor B` for `--neighbor A --neighbor
//! B` (any `*` among them means `neighbor *`). The metric of the first prefix is the
//! state's (`--up-metric` …) and grows by `--increase` for each following prefix.

use std::net::IpAddr;

use ipnet::IpNet;

use crate::state::State;

/// A `--neighbor` value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Neighbor {
    /// `*`: every neighbor.
    All,
    /// One neighbor address.
    Addr(IpAddr),
}

/// The advertising options, as given on the command line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Advertise {
    /// `--neighbor` values, in order (empty: `neighbor *`).
    pub neighbors: Vec<Neighbor>,
    /// `--next-hop` (`self` when absent).
    pub next_hop: Option<IpAddr>,
    /// `--up-metric`.
    pub up_metric: i128,
    /// `--down-metric`.
    pub down_metric: i128,
    /// `--disabled-metric`.
    pub disabled_metric: i128,
    /// `--increase`.
    pub increase: i128,
    /// `--local-preference` (printed when not negative; the default is -1).
    pub local_preference: i128,
    /// `--community`.
    pub community: Option<String>,
    /// `--disabled-community` (replaces `community` in DOWN and DISABLED).
    pub disabled_community: Option<String>,
    /// `--extended-community`.
    pub extended_community: Option<String>,
    /// `--large-community`.
    pub large_community: Option<String>,
    /// `--as-path` (the default of the per-state paths).
    pub as_path: Option<String>,
    /// `--up-as-path`.
    pub up_as_path: Option<String>,
    /// `--down-as-path`.
    pub down_as_path: Option<String>,
    /// `--disabled-as-path`.
    pub disabled_as_path: Option<String>,
    /// `--withdraw-on-down`: withdraw in every state but UP.
    pub withdraw_on_down: bool,
    /// `--path-id` (printed when not zero).
    pub path_id: Option<i128>,
}

impl Default for Advertise {
    fn default() -> Self {
        Self {
            neighbors: Vec::new(),
            next_hop: None,
            up_metric: 100,
            down_metric: 1000,
            disabled_metric: 500,
            increase: 1,
            local_preference: -1,
            community: None,
            disabled_community: None,
            extended_community: None,
            large_community: None,
            as_path: None,
            up_as_path: None,
            down_as_path: None,
            disabled_as_path: None,
            withdraw_on_down: false,
            path_id: None,
        }
    }
}

/// What to do when entering an announcing state.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Plan {
    /// Add the missing addresses before printing (UP with `--dynamic-ip-setup`).
    pub setup_before: bool,
    /// The command lines, in order.
    pub lines: Vec<String>,
    /// Remove the addresses after the lines were acknowledged (EXIT with address set-up;
    /// DOWN and DISABLED with `--dynamic-ip-setup`).
    pub remove_after: bool,
}

/// The plan for entering `target` with these prefixes. `ip_setup` is "addresses are set
/// up" (no `--no-ip-setup`), `dynamic` is `--dynamic-ip-setup`. States that do not
/// announce give an empty plan.
pub fn plan(
    advertise: &Advertise,
    target: State,
    prefixes: &[IpNet],
    ip_setup: bool,
    dynamic: bool,
) -> Plan {
    if !target.announces() {
        return Plan {
            setup_before: false,
            lines: Vec::new(),
            remove_after: false,
        };
    }
    Plan {
        setup_before: target == State::Up && dynamic,
        lines: lines(advertise, target, prefixes),
        remove_after: match target {
            State::Exit => dynamic || ip_setup,
            State::Down | State::Disabled => dynamic,
            _ => false,
        },
    }
}

/// The command lines for `target` (empty for states that do not announce).
pub fn lines(advertise: &Advertise, target: State, prefixes: &[IpNet]) -> Vec<String> {
    if !target.announces() {
        return Vec::new();
    }
    let selector = selector(&advertise.neighbors);
    let mut metric = match target {
        State::Up => advertise.up_metric,
        State::Down => advertise.down_metric,
        State::Disabled => advertise.disabled_metric,
        _ => 0,
    };
    let per_state_path = match target {
        State::Up => advertise.up_as_path.as_ref(),
        State::Down => advertise.down_as_path.as_ref(),
        State::Disabled => advertise.disabled_as_path.as_ref(),
        _ => None,
    };
    let as_path = per_state_path.or(advertise.as_path.as_ref());
    let withdraw = (advertise.withdraw_on_down || target == State::Exit) && target != State::Up;
    let next_hop = advertise
        .next_hop
        .map_or_else(|| "self".to_owned(), |ip| ip.to_string());
    let mut out = Vec::with_capacity(prefixes.len());
    for prefix in prefixes {
        let action = if withdraw { "withdraw" } else { "announce" };
        let mut line = format!("{selector} {action} route {prefix} next-hop {next_hop}");
        if !withdraw {
            line.push_str(&format!(" med {metric}"));
            if advertise.local_preference >= 0 {
                line.push_str(&format!(" local-preference {}", advertise.local_preference));
            }
            let community = match target {
                State::Down | State::Disabled => advertise
                    .disabled_community
                    .as_ref()
                    .filter(|c| !c.is_empty())
                    .or(advertise.community.as_ref()),
                _ => advertise.community.as_ref(),
            };
            push_list(&mut line, "community", community);
            push_list(
                &mut line,
                "extended-community",
                advertise.extended_community.as_ref(),
            );
            push_list(
                &mut line,
                "large-community",
                advertise.large_community.as_ref(),
            );
            push_list(&mut line, "as-path", as_path);
        }
        if let Some(id) = advertise.path_id.filter(|id| *id != 0) {
            line.push_str(&format!(" path-information {id}"));
        }
        metric += advertise.increase;
        out.push(line);
    }
    out
}

/// `neighbor *`, or `neighbor A, neighbor B` for explicit neighbors.
fn selector(neighbors: &[Neighbor]) -> String {
    if neighbors.is_empty() || neighbors.contains(&Neighbor::All) {
        return "neighbor *".to_owned();
    }
    neighbors
        .iter()
        .filter_map(|n| match n {
            Neighbor::Addr(ip) => Some(format!("neighbor {ip}")),
            Neighbor::All => None,
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Appends ` <name> [ <value> ]` when `value` is present and not empty.
fn push_list(line: &mut String, name: &str, value: Option<&String>) {
    if let Some(value) = value.filter(|v| !v.is_empty()) {
        line.push_str(&format!(" {name} [ {value} ]"));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn nets(list: &[&str]) -> Vec<IpNet> {
        list.iter().map(|s| s.parse().unwrap()).collect()
    }

    #[test]
    fn default_up_down_disabled() {
        let a = Advertise::default();
        let ips = nets(&["192.0.2.1/32", "192.0.2.2/32"]);
        assert_eq!(
            lines(&a, State::Up, &ips),
            [
                "neighbor * announce route 192.0.2.1/32 next-hop self med 100",
                "neighbor * announce route 192.0.2.2/32 next-hop self med 101",
            ]
        );
        assert_eq!(
            lines(&a, State::Down, &ips)[1],
            "neighbor * announce route 192.0.2.2/32 next-hop self med 1001"
        );
        assert_eq!(
            lines(&a, State::Disabled, &ips)[0],
            "neighbor * announce route 192.0.2.1/32 next-hop self med 500"
        );
    }

    #[test]
    fn exit_withdraws_and_silent_states_print_nothing() {
        let a = Advertise {
            next_hop: Some("198.51.100.1".parse().unwrap()),
            ..Advertise::default()
        };
        let ips = nets(&["2001:db8::1/128"]);
        assert_eq!(
            lines(&a, State::Exit, &ips),
            ["neighbor * withdraw route 2001:db8::1/128 next-hop 198.51.100.1"]
        );
        for s in [State::Init, State::Rising, State::Falling, State::End] {
            assert!(lines(&a, s, &ips).is_empty(), "{s}");
        }
    }

    #[test]
    fn withdraw_on_down_withdraws_down_and_disabled() {
        let a = Advertise {
            withdraw_on_down: true,
            path_id: Some(7),
            ..Advertise::default()
        };
        let ips = nets(&["10.0.0.0/24"]);
        assert_eq!(
            lines(&a, State::Down, &ips),
            ["neighbor * withdraw route 10.0.0.0/24 next-hop self path-information 7"]
        );
        assert_eq!(
            lines(&a, State::Disabled, &ips),
            ["neighbor * withdraw route 10.0.0.0/24 next-hop self path-information 7"]
        );
        assert_eq!(
            lines(&a, State::Up, &ips),
            ["neighbor * announce route 10.0.0.0/24 next-hop self med 100 path-information 7"]
        );
    }

    #[test]
    fn every_attribute_in_exabgp_order() {
        let a = Advertise {
            neighbors: vec![
                Neighbor::Addr("10.0.0.2".parse().unwrap()),
                Neighbor::Addr("10.0.0.3".parse().unwrap()),
            ],
            local_preference: 0,
            community: Some("65000:1 65000:2".into()),
            disabled_community: Some("65000:666".into()),
            extended_community: Some("target:65000:7".into()),
            large_community: Some("65000:1:1".into()),
            as_path: Some("65001".into()),
            down_as_path: Some("65001 65001 65001".into()),
            increase: 10,
            ..Advertise::default()
        };
        let ips = nets(&["192.0.2.1/32", "192.0.2.9/32"]);
        assert_eq!(
            lines(&a, State::Up, &ips),
            [
                "neighbor 10.0.0.2, neighbor 10.0.0.3 announce route 192.0.2.1/32 next-hop self med 100 local-preference 0 community [ 65000:1 65000:2 ] extended-community [ target:65000:7 ] large-community [ 65000:1:1 ] as-path [ 65001 ]",
                "neighbor 10.0.0.2, neighbor 10.0.0.3 announce route 192.0.2.9/32 next-hop self med 110 local-preference 0 community [ 65000:1 65000:2 ] extended-community [ target:65000:7 ] large-community [ 65000:1:1 ] as-path [ 65001 ]",
            ]
        );
        assert_eq!(
            lines(&a, State::Down, &ips)[0],
            "neighbor 10.0.0.2, neighbor 10.0.0.3 announce route 192.0.2.1/32 next-hop self med 1000 local-preference 0 community [ 65000:666 ] extended-community [ target:65000:7 ] large-community [ 65000:1:1 ] as-path [ 65001 65001 65001 ]"
        );
        // DISABLED uses the disabled community and falls back to --as-path.
        assert_eq!(
            lines(&a, State::Disabled, &ips)[0],
            "neighbor 10.0.0.2, neighbor 10.0.0.3 announce route 192.0.2.1/32 next-hop self med 500 local-preference 0 community [ 65000:666 ] extended-community [ target:65000:7 ] large-community [ 65000:1:1 ] as-path [ 65001 ]"
        );
    }

    #[test]
    fn star_among_neighbors_means_all_and_zero_path_id_is_omitted() {
        let a = Advertise {
            neighbors: vec![Neighbor::Addr("10.0.0.2".parse().unwrap()), Neighbor::All],
            path_id: Some(0),
            local_preference: -5,
            community: Some(String::new()),
            ..Advertise::default()
        };
        assert_eq!(
            lines(&a, State::Up, &nets(&["10.1.0.1/32"])),
            ["neighbor * announce route 10.1.0.1/32 next-hop self med 100"]
        );
    }

    #[test]
    fn disabled_community_alone_applies_only_to_down_and_disabled() {
        let a = Advertise {
            disabled_community: Some("65000:666".into()),
            ..Advertise::default()
        };
        let ips = nets(&["10.1.0.1/32"]);
        assert_eq!(
            lines(&a, State::Up, &ips),
            ["neighbor * announce route 10.1.0.1/32 next-hop self med 100"]
        );
        assert_eq!(
            lines(&a, State::Down, &ips),
            ["neighbor * announce route 10.1.0.1/32 next-hop self med 1000 community [ 65000:666 ]"]
        );
    }

    #[test]
    fn plans_place_address_changes_around_the_lines() {
        let a = Advertise::default();
        let ips = nets(&["10.1.0.1/32"]);
        let p = plan(&a, State::Up, &ips, true, true);
        assert!(p.setup_before && !p.remove_after);
        let p = plan(&a, State::Down, &ips, true, true);
        assert!(!p.setup_before && p.remove_after && p.lines.len() == 1);
        let p = plan(&a, State::Down, &ips, true, false);
        assert!(!p.remove_after);
        let p = plan(&a, State::Exit, &ips, true, false);
        assert!(p.remove_after);
        let p = plan(&a, State::Exit, &ips, false, false);
        assert!(!p.remove_after);
        let p = plan(&a, State::Rising, &ips, true, true);
        assert!(p.lines.is_empty() && !p.setup_before && !p.remove_after);
    }
}
