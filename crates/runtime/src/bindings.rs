//! Which helper processes hear about, and may command, which neighbor.
//!
//! A neighbor's `api [<name>] { }` blocks name processes (`processes [ … ]`) or select them by
//! pattern (`processes-match [ … ]`, Python `re.match` semantics, see [`crate::pattern`]).
//! Each block also says what the process wants to receive. ExaBGP keeps those switches per
//! process, shared by every neighbor (the last neighbor parsed wins); Herald keeps them per
//! (neighbor, process) pair, the union of the neighbor's blocks naming that process, which is
//! what the configuration says.

use config::{ApiBinding, MessageFilter, Neighbor, Process};

use crate::pattern::Pattern;

/// What one process receives about one neighbor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Subscription {
    /// `state` events (connected, up, down) and received NOTIFICATIONs.
    pub neighbor_changes: bool,
    /// `negotiated` events.
    pub negotiated: bool,
    /// `fsm` events.
    pub fsm: bool,
    /// `signal` events.
    pub signal: bool,
    /// Messages received from the peer.
    pub receive: MessageFilter,
    /// Messages sent to the peer.
    pub send: MessageFilter,
}

impl Subscription {
    fn merge(&mut self, api: &ApiBinding) {
        self.neighbor_changes |= api.neighbor_changes;
        self.negotiated |= api.negotiated;
        self.fsm |= api.fsm;
        self.signal |= api.signal;
        merge_filter(&mut self.receive, &api.receive);
        merge_filter(&mut self.send, &api.send);
    }
}

fn merge_filter(into: &mut MessageFilter, from: &MessageFilter) {
    into.parsed |= from.parsed;
    into.packets |= from.packets;
    into.consolidate |= from.consolidate;
    into.open |= from.open;
    into.update |= from.update;
    into.notification |= from.notification;
    into.keepalive |= from.keepalive;
    into.refresh |= from.refresh;
    into.operational |= from.operational;
}

/// The processes bound to `neighbor`, in the order of `processes`, each with its merged
/// subscription. Patterns that cannot be compiled are logged and match nothing.
pub fn bound_processes(neighbor: &Neighbor, processes: &[Process]) -> Vec<(String, Subscription)> {
    let mut out: Vec<(String, Subscription)> = Vec::new();
    for process in processes {
        let mut sub = Subscription::default();
        let mut bound = false;
        for api in &neighbor.api {
            if binds(api, &process.name) {
                bound = true;
                sub.merge(api);
            }
        }
        if bound {
            out.push((process.name.clone(), sub));
        }
    }
    out
}

/// True when `api` names `process` or one of its patterns matches it.
pub fn binds(api: &ApiBinding, process: &str) -> bool {
    if api.processes.iter().any(|p| p == process) {
        return true;
    }
    api.processes_match
        .iter()
        .any(|pattern| match Pattern::new(pattern) {
            Ok(p) => p.matches(process),
            Err(e) => {
                tracing::warn!(target: "configuration", "{e}");
                false
            }
        })
}

/// True when `process` may command `neighbor` without a selector (it is bound to it).
pub fn is_bound(neighbor: &Neighbor, process: &str) -> bool {
    neighbor.api.iter().any(|api| binds(api, process))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn process(name: &str) -> Process {
        Process {
            name: name.into(),
            run: vec!["/bin/true".into()],
            encoder: config::Encoder::Text,
            respawn: true,
            location: config::Location::default(),
        }
    }

    pub(crate) fn neighbor(api: Vec<ApiBinding>) -> Neighbor {
        crate::testutil::neighbor("127.0.0.1", api)
    }

    #[test]
    fn names_and_patterns_bind_and_merge() {
        let procs = [
            process("add-remove"),
            process("collector"),
            process("other"),
        ];
        let speaker = ApiBinding {
            processes: vec!["collector".into()],
            neighbor_changes: true,
            ..ApiBinding::default()
        };
        let mut monitor = ApiBinding {
            processes: vec!["collector".into()],
            fsm: true,
            ..ApiBinding::default()
        };
        monitor.receive.update = true;
        monitor.receive.parsed = true;
        let matcher = ApiBinding {
            processes_match: vec!["^add".into()],
            ..ApiBinding::default()
        };
        let n = neighbor(vec![speaker, monitor, matcher]);
        let bound = bound_processes(&n, &procs);
        let names: Vec<&str> = bound.iter().map(|(n, _)| n.as_str()).collect();
        assert_eq!(names, ["add-remove", "collector"]);
        let collector = bound[1].1;
        assert!(collector.neighbor_changes && collector.fsm && collector.receive.update);
        assert!(!bound[0].1.neighbor_changes);
        assert!(is_bound(&n, "add-remove"));
        assert!(!is_bound(&n, "other"));
    }
}
