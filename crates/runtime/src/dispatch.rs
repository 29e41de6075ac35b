//! API commands from helpers: parse each line with [`api::parse`], pick the target peers
//! ([`select`]), act, and answer `done` / `error` as ExaBGP 5 does (spec §2).
//!
//! Answers follow ExaBGP: `done` after a command that was carried out, `error` when it
//! could not be parsed or matched no peer (`neighbor 10.99.99.99 announce …`); `reset`
//! gets no answer; `disable-ack` answers `done` once and then stops acking; `silence-ack`
//! stops at once; `show` output precedes its `done`.
//!
//! `version` answers `exabgp 5.0.15`: the API is ExaBGP 5.0.15's, and scripts written for
//! ExaBGP parse that line (`exabgp <x.y.z>`) to decide which command dialect to speak, so
//! Herald answers with the ExaBGP version whose API it implements. `herald version` on
//! the command line says what the program really is.

pub mod select;
mod show;

use std::sync::Arc;

use api::command::{PeerCommand as ApiPeer, RibSide, Selector};
use api::Command;
use config::{Neighbor, Route};

use self::select::{targets, Candidates};
use crate::event::{PeerCommand, PeerId};
use crate::reload::NeighborKey;
use crate::supervisor::{Origin, Supervisor};
use crate::Exit;

/// What `version` answers.
pub const VERSION_ANSWER: &str = "exabgp 5.0.15";

/// Runs one command line from helper `process`.
pub(crate) fn handle_line(sup: &mut Supervisor, process: &str, line: &str) {
    sup.stats.command();
    let command = match api::parse(line) {
        Ok(command) => command,
        Err(e) => {
            tracing::warn!(target: "api", process, "command from process not understood : {line} ({e})");
            sup.answer_error(process);
            return;
        }
    };
    tracing::debug!(target: "processes", process, "command from process {process} : {line}");
    if !matches!(command, Command::Peer { .. }) {
        // what follows may reach peers without the batch: keep the order
        sup.flush_batch();
    }
    match command {
        Command::Peer { selectors, command } => peer_command(sup, process, &selectors, command),
        Command::Show(what) => show::start(sup, process, what, line),
        Command::Version => {
            sup.write(process, VERSION_ANSWER);
            sup.answer_done(process, false);
        }
        Command::Help => {
            sup.write_raw(process, api::command::HELP);
            sup.answer_done(process, false);
        }
        Command::Reload => {
            sup.write(process, "reload in progress");
            sup.answer_done(process, false);
            sup.reload(false);
        }
        Command::Restart => {
            sup.write(process, "restart in progress");
            sup.answer_done(process, false);
            sup.restart();
        }
        Command::Shutdown => {
            sup.write(process, "shutdown in progress");
            sup.answer_done(process, false);
            sup.exit = Some(Exit::Normal);
        }
        // drops this helper's queued work: Herald queues none, and ExaBGP answers nothing;
        // a control client waits for an answer, so it gets `done`
        Command::Reset => {
            if sup.is_client(process) {
                sup.answer_done(process, true);
            }
        }
        Command::Crash => {
            tracing::warn!(target: "api", process, "crash: not supported by Herald");
            sup.answer_error(process);
        }
        Command::EnableAck => {
            sup.set_ack(process, true);
            sup.answer_done(process, false);
        }
        // a control client always gets its answers (it waits for them)
        Command::DisableAck => {
            sup.set_ack(process, false);
            sup.answer_done(process, true);
        }
        Command::SilenceAck if sup.is_client(process) => sup.answer_done(process, true),
        Command::SilenceAck => sup.set_ack(process, false),
        Command::Comment => {
            tracing::debug!(target: "processes", process, "{}", line.trim_start().trim_start_matches('#').trim());
            sup.answer_done(process, false);
        }
        Command::NeighborCreate { address, config } => {
            if create_neighbor(sup, &config) {
                sup.answer_done(process, false);
            } else {
                tracing::warn!(target: "api", process, "could not create neighbor {address}");
                sup.answer_error(process);
            }
        }
        Command::NeighborDelete { address } => {
            let key = address;
            let ids: Vec<PeerId> = sup
                .peers
                .iter()
                .filter(|(_, e)| !e.stopping && e.key.peer == key)
                .map(|(id, _)| *id)
                .collect();
            let configured = sup.config.neighbors.len();
            sup.config.neighbors.retain(|n| n.peer_address != key);
            if ids.is_empty() && configured == sup.config.neighbors.len() {
                sup.answer_error(process);
                return;
            }
            for id in ids {
                sup.stop_peer(id, 3); // Cease, peer de-configured
            }
            sup.unregister_listener(key);
            sup.answer_done(process, false);
        }
        other => {
            tracing::warn!(target: "api", process, "command not supported: {other:?}");
            sup.answer_error(process);
        }
    }
}

/// Commands for peers.
fn peer_command(sup: &mut Supervisor, process: &str, selectors: &[Selector], command: ApiPeer) {
    let (candidates, needs_match) = match &command {
        ApiPeer::Eor(_) | ApiPeer::RouteRefresh(_) | ApiPeer::FlushAdjRibOut => {
            (Candidates::Established, true)
        }
        // without a selector nothing is torn down, yet ExaBGP answers `done`
        ApiPeer::Teardown(_) => (Candidates::Established, false),
        ApiPeer::ClearAdjRib(_) => (Candidates::All, true),
        ApiPeer::AnnounceWatchdog(_) | ApiPeer::WithdrawWatchdog(_) => (Candidates::All, false),
        _ => (Candidates::BoundTo(process), true),
    };
    let ids = if matches!(command, ApiPeer::Teardown(_)) && selectors.is_empty() {
        Vec::new()
    } else {
        targets(sup.peers.iter(), candidates, selectors)
    };
    if needs_match && ids.is_empty() {
        tracing::warn!(target: "api", process, "no neighbor matching the command");
        sup.answer_error(process);
        return;
    }
    match command {
        ApiPeer::Announce(routes) => {
            if let Some(reason) = next_hop_refusal(sup, &ids, routes.as_slice()) {
                tracing::warn!(target: "api", process, "route refused: {reason}");
                sup.answer_error(process);
                return;
            }
            send_routes(sup, &ids, routes.into_vec(), true);
        }
        ApiPeer::Withdraw(routes) => {
            send_routes(sup, &ids, routes.into_vec(), false);
        }
        ApiPeer::Eor(family) => sup.send_each(&ids, || PeerCommand::Eor(family)),
        ApiPeer::RouteRefresh(family) => sup.send_each(&ids, || PeerCommand::RouteRefresh(family)),
        ApiPeer::Teardown(subcode) => sup.send_each(&ids, || PeerCommand::Teardown {
            subcode,
            text: (subcode == 2).then(|| "Administrative Shutdown".to_owned()),
        }),
        ApiPeer::FlushAdjRibOut => sup.send_each(&ids, || PeerCommand::FlushOut),
        ApiPeer::ClearAdjRib(RibSide::Out) => sup.send_each(&ids, || PeerCommand::ClearOut),
        ApiPeer::ClearAdjRib(RibSide::In) => sup.send_each(&ids, || PeerCommand::ClearIn),
        ApiPeer::Operational(op) => sup.send_each(&ids, || PeerCommand::Operational(op.clone())),
        ApiPeer::AnnounceWatchdog(name) => {
            watchdog(sup, &ids, name.as_deref().unwrap_or(process), true)
        }
        ApiPeer::WithdrawWatchdog(name) => {
            watchdog(sup, &ids, name.as_deref().unwrap_or(process), false)
        }
        other => {
            tracing::warn!(target: "api", process, "command not supported: {other:?}");
            sup.answer_error(process);
            return;
        }
    }
    sup.answer_done(process, false);
}

/// Why one of `routes` cannot go to one of the peers `ids`: an IPv4 route with an IPv6
/// next hop for a neighbor without the `nexthop` entry for its family (RFC 8950;
/// [`config::nexthop`]). The command is then refused whole, before any peer gets it.
fn next_hop_refusal(sup: &Supervisor, ids: &[PeerId], routes: &[Route]) -> Option<String> {
    ids.iter()
        .filter_map(|id| sup.peers.get(id))
        .find_map(|entry| {
            routes.iter().find_map(|route| {
                config::nexthop::refusal(&entry.handle.neighbor.nexthop, route)
                    .map(|reason| format!("neighbor {}: {reason}", entry.key.peer))
            })
        })
}

fn send_routes(sup: &mut Supervisor, ids: &[PeerId], routes: Vec<Route>, announce: bool) {
    let Some((last, rest)) = ids.split_last() else {
        return;
    };
    count_routes(sup, ids, &routes, announce);
    for id in rest {
        sup.send_to(
            *id,
            if announce {
                PeerCommand::Announce(routes.clone())
            } else {
                PeerCommand::Withdraw(routes.clone())
            },
        );
    }
    sup.send_to(
        *last,
        if announce {
            PeerCommand::Announce(routes)
        } else {
            PeerCommand::Withdraw(routes)
        },
    );
}

/// Adds `routes` to the announced / withdrawn counters of each peer of `ids` (metrics),
/// without allocating: this runs for every command line.
fn count_routes(sup: &mut Supervisor, ids: &[PeerId], routes: &[Route], announce: bool) {
    for id in ids {
        let Some(peer) = sup.peers.get(id).map(|e| e.key.peer.addr()) else {
            continue;
        };
        // One count per run of routes of one family (a line's routes share theirs).
        // `chunk_by` yields no empty run, so `run[0]` is there.
        for run in routes.chunk_by(|a, b| a.family == b.family) {
            sup.stats
                .routes(peer, run[0].family, run.len() as u64, announce);
        }
    }
}

/// `announce|withdraw watchdog <name>`: the configured routes tagged with that watchdog, on
/// every peer (ExaBGP switches the group in every neighbor's RIB).
fn watchdog(sup: &mut Supervisor, ids: &[PeerId], name: &str, announce: bool) {
    for id in ids {
        let Some(entry) = sup.peers.get(id) else {
            continue;
        };
        let routes: Vec<Route> = entry
            .handle
            .neighbor
            .routes
            .iter()
            .filter(|r| r.watchdog.as_deref() == Some(name))
            .map(|r| {
                let mut r = r.clone();
                r.withdrawn = false;
                r
            })
            .collect();
        if routes.is_empty() {
            continue;
        }
        sup.send_to(
            *id,
            if announce {
                PeerCommand::Announce(routes)
            } else {
                PeerCommand::Withdraw(routes)
            },
        );
    }
}

/// `neighbor <ip> create { … }`: parses the block with the running processes known, and
/// starts the peer. Returns false when the block is invalid or the neighbor exists.
fn create_neighbor(sup: &mut Supervisor, block: &str) -> bool {
    let mut text = String::new();
    for process in &sup.config.processes {
        // only the names and encoders matter here: the parsed processes are discarded
        text.push_str(&format!(
            "process {} {{ run {}; encoder {}; }}\n",
            process.name,
            process
                .run
                .iter()
                .map(|w| format!("\"{}\"", w.replace('"', "")))
                .collect::<Vec<_>>()
                .join(" "),
            match process.encoder {
                config::Encoder::Json => "json",
                config::Encoder::Text => "text",
            }
        ));
    }
    text.push_str(block);
    let parsed = config::parse(&[config::Source::new("api", text)]);
    let mut neighbors: Vec<Neighbor> = match parsed {
        Ok(config) => config.neighbors,
        Err(errors) => {
            for e in errors {
                tracing::warn!(target: "configuration", "neighbor create: {e}");
            }
            return false;
        }
    };
    let Some(neighbor) = neighbors.pop() else {
        return false;
    };
    let key = NeighborKey::of(&neighbor);
    if sup.peers.values().any(|e| !e.stopping && e.key == key) {
        tracing::warn!(target: "api", "neighbor {key} exists already");
        return false;
    }
    sup.start_neighbor(Arc::new(neighbor), Origin::Api);
    true
}
