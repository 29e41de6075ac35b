//! The supervisor: the one task that owns the helpers, the peer handles and the running
//! configuration.
//!
//! It reacts to four inputs — lines and exits from helpers ([`ProcessEvent`]), events from
//! peer tasks ([`PeerEvent`]), and control requests (signals, the embedding application) —
//! and never waits on any single helper or peer: commands to peers go on unbounded
//! channels (paced per helper at its pipe, [`crate::process::flow`]), lines to helpers on
//! their bounded, non-blocking queues
//! ([`crate::process::queue`]). Command execution is in [`crate::dispatch`], event encoding
//! in [`crate::encode`], reload planning in [`crate::reload`].

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use config::{Config, ConfigError, Neighbor, Process};
use tokio::sync::mpsc;

use crate::bindings::{bound_processes, Subscription};
use crate::control::ClientEvent;
use crate::event::{
    Direction, PeerCommand, PeerEvent, PeerEventKind, PeerHandle, PeerId, PeerInfo,
};
use crate::listener::{self, ListenerHandle};
use crate::process::respawn::{RespawnBudget, Verdict};
use crate::process::{Credit, Encoding, Helper, HelperSpec, Lines, OutQueue, ProcessEvent};
use crate::reload::{self, NeighborKey, Running};
use crate::{Control, Exit, Options};

/// Starts a peer task for a neighbor; its events go to the given sender. Shared with the
/// listener, which starts peers for the addresses of passive ranges.
pub type PeerSpawner =
    Arc<dyn Fn(Arc<Neighbor>, mpsc::Sender<PeerEvent>) -> PeerHandle + Send + Sync>;

/// Reads the configuration again (for reloads).
pub type ConfigLoader = Box<dyn FnMut() -> Result<Config, Vec<ConfigError>> + Send>;

/// How long peers get to send their Cease and close on shutdown.
const PEER_SHUTDOWN_GRACE: Duration = Duration::from_secs(3);

/// How long helpers get to exit on shutdown (drain + SIGTERM grace + SIGKILL).
const HELPER_SHUTDOWN_GRACE: Duration = Duration::from_secs(4);

/// Where a peer came from, which decides what a reload does with it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Origin {
    /// A `neighbor` section of the configuration.
    Config,
    /// Accepted in a passive range (reported by the peer task with `Spawned`).
    Accepted,
    /// Created by the API (`neighbor IP create { … }`); kept across reloads.
    Api,
}

/// The supervisor's inputs from outside the daemon.
pub(crate) struct Inputs {
    /// Signals and the embedding application.
    pub(crate) control: mpsc::UnboundedReceiver<Control>,
    /// Control clients and the metrics endpoint.
    pub(crate) clients: mpsc::Receiver<ClientEvent>,
}

/// What the supervisor keeps per peer task.
pub(crate) struct PeerEntry {
    pub(crate) handle: PeerHandle,
    pub(crate) key: NeighborKey,
    pub(crate) origin: Origin,
    /// The latest addresses and ASNs reported by the task.
    pub(crate) info: Option<PeerInfo>,
    /// Processes bound to this neighbor and what they receive.
    pub(crate) subs: Vec<(String, Subscription)>,
    /// Shutdown was requested: not a target for commands any more.
    pub(crate) stopping: bool,
    /// The JSON `counter` of this neighbor, shared by every JSON helper (ExaBGP keeps it
    /// per neighbor at class level).
    pub(crate) json_counter: u64,
    /// What the current session negotiated (attached to messages for `negotiated`).
    pub(crate) negotiated: Option<api::NegotiatedInfo>,
    /// The session is established.
    pub(crate) established: bool,
}

/// A configured helper and its running instance.
pub(crate) struct HelperSlot {
    pub(crate) spec: Process,
    pub(crate) running: Option<Helper>,
    /// `done`/`error` answers on (per process: `enable-ack`, `disable-ack`, `silence-ack`).
    pub(crate) ack: bool,
}

/// The supervisor state; see the module documentation.
pub(crate) struct Supervisor {
    pub(crate) options: Options,
    pub(crate) config: Running,
    loader: Option<ConfigLoader>,
    spawner: PeerSpawner,
    listen: Vec<SocketAddr>,
    /// Settings of the peers the listener starts for passive ranges.
    peer_settings: crate::peer::Settings,
    listener: Option<ListenerHandle>,
    /// Passive ranges registered with the listener (their peers come and go).
    ranges: Vec<(NeighborKey, Origin)>,
    pub(crate) helpers: BTreeMap<String, HelperSlot>,
    budget: RespawnBudget,
    next_generation: u64,
    pub(crate) peers: BTreeMap<PeerId, PeerEntry>,
    proc_tx: mpsc::Sender<ProcessEvent>,
    proc_rx: mpsc::Receiver<ProcessEvent>,
    peer_tx: mpsc::Sender<PeerEvent>,
    peer_rx: mpsc::Receiver<PeerEvent>,
    control_rx: mpsc::UnboundedReceiver<Control>,
    /// Control clients (socket, named pipes) and the metrics endpoint.
    client_rx: mpsc::Receiver<ClientEvent>,
    /// The connected control clients: pseudo-helpers answered through their queue.
    pub(crate) clients: BTreeMap<String, Arc<OutQueue>>,
    /// Counters for the metrics endpoint.
    pub(crate) stats: crate::metrics::Stats,
    /// Peer commands from the lines of one helper read, held until the read is handled
    /// (see [`Supervisor::flush_batch`]); `None` outside such a read.
    batch: Option<BTreeMap<PeerId, Vec<PeerCommand>>>,
    /// The flow-control credit of the helper read being run, if any.
    credit: Option<Credit>,
    pub(crate) exit: Option<Exit>,
}

impl Supervisor {
    pub(crate) fn new(
        config: Config,
        options: Options,
        loader: Option<ConfigLoader>,
        spawner: PeerSpawner,
        listen: Vec<SocketAddr>,
        peer_settings: crate::peer::Settings,
        inputs: Inputs,
    ) -> Self {
        let (proc_tx, proc_rx) = mpsc::channel(256);
        let (peer_tx, peer_rx) = mpsc::channel(options.peer_event_capacity.max(1));
        Self {
            options,
            config: Running::from(config),
            loader,
            spawner,
            listen,
            peer_settings,
            listener: None,
            ranges: Vec::new(),
            helpers: BTreeMap::new(),
            budget: RespawnBudget::default(),
            next_generation: 1,
            peers: BTreeMap::new(),
            proc_tx,
            proc_rx,
            peer_tx,
            peer_rx,
            control_rx: inputs.control,
            client_rx: inputs.clients,
            clients: BTreeMap::new(),
            stats: crate::metrics::Stats::default(),
            batch: None,
            credit: None,
            exit: None,
        }
    }

    /// Runs until shutdown; returns why it stopped.
    pub(crate) async fn run(mut self) -> Exit {
        let processes = self.config.processes.clone();
        for process in processes {
            self.add_helper(process);
        }
        self.start_listener();
        let neighbors = self.config.neighbors.clone();
        for neighbor in neighbors {
            self.start_neighbor(neighbor, Origin::Config);
        }
        tracing::info!(target: "reactor", helpers = self.helpers.len(), peers = self.peers.len(), "started");
        loop {
            tokio::select! {
                Some(event) = self.proc_rx.recv() => self.on_process_event(event),
                Some(event) = self.peer_rx.recv() => self.on_peer_event(event),
                Some(control) = self.control_rx.recv() => self.on_control(control),
                Some(event) = self.client_rx.recv() => self.on_client_event(event),
                else => {
                    // every input closed: nothing can ever happen again
                    self.exit.get_or_insert(Exit::Normal);
                }
            }
            if let Some(exit) = self.exit {
                self.shutdown().await;
                return exit;
            }
        }
    }

    // ----------------------------------------------------------------- helpers

    fn add_helper(&mut self, spec: Process) {
        let name = spec.name.clone();
        self.helpers.insert(
            name.clone(),
            HelperSlot {
                spec,
                running: None,
                ack: self.options.ack,
            },
        );
        self.start_helper(&name);
    }

    fn start_helper(&mut self, name: &str) {
        let generation = self.next_generation;
        self.next_generation += 1;
        let Some(slot) = self.helpers.get_mut(name) else {
            return;
        };
        let spec = HelperSpec {
            name: slot.spec.name.clone(),
            run: slot.spec.run.clone(),
            encoding: match slot.spec.encoder {
                config::Encoder::Json => Encoding::Json,
                config::Encoder::Text => Encoding::Text,
            },
            respawn: slot.spec.respawn,
        };
        match Helper::spawn(
            &spec,
            generation,
            self.options.queue_bytes,
            self.proc_tx.clone(),
        ) {
            Ok(helper) => {
                tracing::info!(target: "processes", process = %name, pid = ?helper.pid(), "started helper");
                slot.running = Some(helper);
            }
            Err(e) => {
                // like ExaBGP: the helper is marked broken, the daemon goes on
                tracing::error!(target: "processes", "{e}");
            }
        }
    }

    fn stop_helper(&mut self, name: &str, notify: bool) {
        let Some(slot) = self.helpers.get_mut(name) else {
            return;
        };
        if let Some(mut helper) = slot.running.take() {
            if notify {
                helper.send_raw(crate::encode::shutdown_text(helper.encoding()).into());
            }
            helper.stop();
        }
    }

    fn on_process_event(&mut self, event: ProcessEvent) {
        match event {
            ProcessEvent::Lines {
                name,
                generation,
                lines,
                credit,
            } => {
                let current = self
                    .helpers
                    .get(&*name)
                    .and_then(|slot| slot.running.as_ref())
                    .is_some_and(|h| h.generation() == generation);
                if !current {
                    return;
                }
                self.run_lines(&name, &lines, Some(credit));
            }
            ProcessEvent::Exited {
                name,
                generation,
                status,
            } => self.on_helper_exit(&name, generation, &status),
        }
    }

    /// Runs the lines of one read from a helper or a control client. They are one
    /// transaction for each peer, as one reactor pass is in ExaBGP: a route announced and
    /// withdrawn in the same read is never sent (ExaBGP's api-fast case).
    ///
    /// `credit` (a helper's read) goes with the commands to every peer they reach, so the
    /// helper's pipe is read again only once the peers applied them
    /// ([`crate::process::flow`]).
    fn run_lines(&mut self, name: &str, lines: &Lines, credit: Option<Credit>) {
        self.credit = credit;
        self.batch = Some(BTreeMap::new());
        for line in lines.iter() {
            crate::dispatch::handle_line(self, name, line);
            if self.exit.is_some() {
                break;
            }
        }
        self.flush_batch();
        self.batch = None;
        self.credit = None;
    }

    fn on_client_event(&mut self, event: ClientEvent) {
        match event {
            ClientEvent::Line { name, queue, line } => {
                tracing::debug!(target: "processes", client = %name, "command from the cli: {line}");
                self.clients.insert(name.to_string(), queue);
                self.run_lines(&name, &Lines::from_lines([line.as_str()]), None);
            }
            ClientEvent::Closed { name } => {
                self.clients.remove(&*name);
            }
            ClientEvent::Metrics { reply } => crate::metrics::start(self, reply),
        }
    }

    /// Peer events waiting to be handled.
    pub(crate) fn peer_event_backlog(&self) -> usize {
        self.peer_rx.len()
    }

    /// Whether `name` is a control client rather than a helper.
    pub(crate) fn is_client(&self, name: &str) -> bool {
        self.clients.contains_key(name)
    }

    /// Where answers to helper or client `name` go, and whether it wants `done`/`error`.
    pub(crate) fn answer_queue(&self, name: &str) -> Option<(Arc<OutQueue>, bool)> {
        if let Some(queue) = self.clients.get(name) {
            return Some((queue.clone(), true));
        }
        let slot = self.helpers.get(name)?;
        Some((slot.running.as_ref()?.queue(), slot.ack))
    }

    fn on_helper_exit(&mut self, name: &str, generation: u64, status: &str) {
        let Some(slot) = self.helpers.get_mut(name) else {
            return;
        };
        if slot
            .running
            .as_ref()
            .is_none_or(|h| h.generation() != generation)
        {
            return; // an instance we replaced or stopped on purpose
        }
        slot.running = None;
        tracing::warn!(target: "processes", process = %name, %status, "helper ended");
        if self.options.terminate {
            tracing::error!(target: "processes", process = %name, "helper ended and api.terminate is set: stopping");
            self.exit = Some(Exit::HelperFailed);
            return;
        }
        if !(self.options.respawn && slot.spec.respawn) {
            return;
        }
        let now = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        match self.budget.record(name, now) {
            Verdict::Respawn => {
                self.stats.helper_restarts += 1;
                tracing::info!(target: "processes", process = %name, "process ended, restarting it");
                self.start_helper(name);
            }
            Verdict::TooManyDeaths => {
                tracing::error!(
                    target: "processes",
                    process = %name,
                    "Too many death for {name} ({}) terminating program",
                    crate::process::respawn::MAX_DEATHS_PER_WINDOW
                );
                self.exit = Some(Exit::HelperFailed);
            }
        }
    }

    /// Sends `line` to helper or control client `name` (if it is there); never blocks.
    pub(crate) fn write(&self, name: &str, line: &str) {
        if let Some(queue) = self.clients.get(name) {
            queue.push_line(line);
        } else if let Some(helper) = self.helpers.get(name).and_then(|s| s.running.as_ref()) {
            helper.send_line(line);
        }
    }

    /// Sends text that already ends with `\n` to helper or client `name` (if it is there).
    pub(crate) fn write_raw(&self, name: &str, text: &str) {
        if let Some(queue) = self.clients.get(name) {
            queue.push(bytes::Bytes::copy_from_slice(text.as_bytes()));
        } else if let Some(helper) = self.helpers.get(name).and_then(|s| s.running.as_ref()) {
            helper.send_raw(bytes::Bytes::copy_from_slice(text.as_bytes()));
        }
    }

    fn acks(&self, name: &str) -> bool {
        self.is_client(name) || self.helpers.get(name).is_some_and(|s| s.ack)
    }

    /// Answers `done` (when acks are on for that helper, or `force`; always to clients).
    pub(crate) fn answer_done(&self, name: &str, force: bool) {
        if force || self.acks(name) {
            self.write(name, "done");
        }
    }

    /// Answers `error` (when acks are on for that helper; always to clients).
    pub(crate) fn answer_error(&self, name: &str) {
        self.stats.error();
        if self.acks(name) {
            self.write(name, "error");
        }
    }

    // ------------------------------------------------------------------- peers

    fn start_listener(&mut self) {
        if self.listen.is_empty() {
            return;
        }
        match listener::spawn(
            &self.listen,
            self.config.neighbors.iter().map(|n| &**n),
            self.peer_settings.clone(),
            self.peer_tx.clone(),
        ) {
            Ok(handle) => {
                tracing::info!(target: "network", addresses = ?handle.local_addrs(), "listening");
                self.listener = Some(handle);
            }
            Err(e) => {
                tracing::error!(target: "network", "could not listen on {:?}: {e}", self.listen)
            }
        }
    }

    /// Starts a neighbor: a peer task for an address, or a listener registration for a
    /// passive range (each accepted address then gets its own task).
    pub(crate) fn start_neighbor(&mut self, neighbor: Arc<Neighbor>, origin: Origin) {
        let key = NeighborKey::of(&neighbor);
        if neighbor.peer_address.prefix_len() < neighbor.peer_address.max_prefix_len() {
            match &self.listener {
                Some(listener) => listener.register_range(neighbor),
                None => tracing::warn!(target: "network", peer = %key,
                    "passive range configured but the daemon does not listen (exabgp.tcp.bind is empty)"),
            }
            self.ranges.push((key, origin));
            return;
        }
        let subs = bound_processes(&neighbor, &self.config.processes);
        let handle = (self.spawner)(neighbor, self.peer_tx.clone());
        if let Some(listener) = &self.listener {
            listener.register(handle.clone());
        }
        let id = handle.id;
        tracing::info!(target: "reactor", peer = %key, %id, "peer started");
        self.peers.insert(
            id,
            PeerEntry {
                handle,
                key,
                origin,
                info: None,
                subs,
                stopping: false,
                json_counter: 0,
                negotiated: None,
                established: false,
            },
        );
    }

    /// Stops routing connections for `peer` (an address or a range) to its neighbor.
    pub(crate) fn unregister_listener(&mut self, peer: ipnet::IpNet) {
        self.ranges.retain(|(key, _)| key.peer != peer);
        if let Some(listener) = &self.listener {
            listener.unregister(peer);
        }
    }

    /// Queues a command for one peer.
    pub(crate) fn send_to(&mut self, id: PeerId, command: PeerCommand) {
        if let Some(batch) = &mut self.batch {
            if self.peers.contains_key(&id) {
                batch.entry(id).or_default().push(command);
            }
        } else if let Some(entry) = self.peers.get(&id) {
            entry.handle.send(command);
        }
    }

    /// Hands each peer the commands held for it, as one [`PeerCommand::Batch`], so that the
    /// peer task applies them all before it plans UPDATEs. Called at the end of a helper's
    /// read, and before anything that reaches peers another way (show, reload, teardown of
    /// a neighbor), so that commands keep their order.
    pub(crate) fn flush_batch(&mut self) {
        let Some(batch) = &mut self.batch else { return };
        for (id, commands) in std::mem::take(batch) {
            let Some(entry) = self.peers.get(&id) else {
                continue;
            };
            let command = match <[PeerCommand; 1]>::try_from(commands) {
                Ok([one]) => one,
                Err(commands) => PeerCommand::Batch(commands),
            };
            let command = match &self.credit {
                Some(credit) => PeerCommand::Paced {
                    command: Box::new(command),
                    credit: credit.clone(),
                },
                None => command,
            };
            entry.handle.send(command);
        }
    }

    /// Queues a command, made once per peer, for each of `ids`.
    pub(crate) fn send_each(&mut self, ids: &[PeerId], make: impl Fn() -> PeerCommand) {
        for id in ids {
            self.send_to(*id, make());
        }
    }

    /// Switches `done`/`error` answers for a helper.
    pub(crate) fn set_ack(&mut self, process: &str, on: bool) {
        if let Some(slot) = self.helpers.get_mut(process) {
            slot.ack = on;
            tracing::debug!(target: "processes", process, "ACK {}", if on { "enabled" } else { "disabled" });
        }
    }

    /// Asks a peer task to send a Cease and end; it stays listed until it reports `Stopped`.
    pub(crate) fn stop_peer(&mut self, id: PeerId, subcode: u8) {
        if let Some(entry) = self.peers.get_mut(&id) {
            entry.stopping = true;
            let notification = wire::Notification {
                code: 6,
                subcode,
                data: Vec::new(),
            };
            entry.handle.send(PeerCommand::Shutdown {
                notification: Some(notification),
            });
        }
    }

    fn on_peer_event(&mut self, event: PeerEvent) {
        match &event.kind {
            PeerEventKind::Spawned(handle) => {
                let neighbor = handle.neighbor.clone();
                let subs = bound_processes(&neighbor, &self.config.processes);
                self.peers.insert(
                    handle.id,
                    PeerEntry {
                        handle: handle.clone(),
                        key: NeighborKey::of(&neighbor),
                        origin: Origin::Accepted,
                        info: Some(event.peer.clone()),
                        subs,
                        stopping: false,
                        json_counter: 0,
                        negotiated: None,
                        established: false,
                    },
                );
                return;
            }
            PeerEventKind::Stopped => {
                if let Some(entry) = self.peers.remove(&event.id) {
                    tracing::info!(target: "reactor", peer = %entry.key, id = %event.id, "peer task ended");
                }
                return;
            }
            _ => {}
        }
        let Some(entry) = self.peers.get_mut(&event.id) else {
            return;
        };
        entry.info = Some(event.peer.clone());
        match &event.kind {
            PeerEventKind::Negotiated(info) => {
                entry.negotiated = Some(crate::encode::negotiated_info(info));
            }
            PeerEventKind::Up => entry.established = true,
            PeerEventKind::Down { .. } => entry.established = false,
            _ => {}
        }
        let received = matches!(
            event.kind,
            PeerEventKind::Message {
                direction: Direction::Receive,
                ..
            }
        );
        let mut ctx = crate::encode::Context {
            options: &self.options,
            counter: &mut entry.json_counter,
            negotiated: entry.negotiated.as_ref(),
        };
        for (process, sub) in &entry.subs {
            let Some(helper) = self.helpers.get(process).and_then(|s| s.running.as_ref()) else {
                continue;
            };
            // A helper that has read nothing since its queue overflowed would only drop
            // the lines: they are not made (the JSON counter still moves past them).
            let lines = crate::encode::message_lines(&event, sub);
            if lines > 0 && helper.drop_if_stuck(lines) {
                if helper.encoding() == Encoding::Json {
                    *ctx.counter += lines;
                }
                continue;
            }
            let text = crate::encode::event_text(&event, sub, helper.encoding(), &mut ctx);
            if !text.is_empty() {
                helper.send_raw(text.into());
                // a helper behind on what this peer sends holds its reads back
                if received {
                    helper.hold_reads(&entry.handle.read_hold);
                }
            }
        }
        if received {
            entry.handle.read_hold.rendered();
        }
    }

    // ----------------------------------------------------------------- control

    fn on_control(&mut self, control: Control) {
        match control {
            Control::Signal(signal) => {
                self.report_signal(signal);
                match signal {
                    crate::Signal::Term | crate::Signal::Hup | crate::Signal::Int => {
                        tracing::info!(target: "reactor", "{} received, shutting down", signal.name());
                        self.exit = Some(Exit::Normal);
                    }
                    crate::Signal::Usr1 => self.reload(false),
                    crate::Signal::Usr2 => self.reload(true),
                    crate::Signal::Alrm => self.restart(),
                }
            }
            Control::Reload => self.reload(false),
            Control::Restart => self.restart(),
            Control::Shutdown => self.exit = Some(Exit::Normal),
        }
    }

    fn report_signal(&mut self, signal: crate::Signal) {
        for entry in self.peers.values_mut() {
            let Some(info) = entry.info.as_ref() else {
                continue;
            };
            for (process, sub) in &entry.subs {
                if !sub.signal {
                    continue;
                }
                let Some(helper) = self.helpers.get(process).and_then(|s| s.running.as_ref())
                else {
                    continue;
                };
                if let Some(text) = crate::encode::signal_text(
                    info,
                    signal,
                    helper.encoding(),
                    &mut entry.json_counter,
                ) {
                    helper.send_raw(text.into());
                }
            }
        }
    }

    fn load(&mut self) -> Option<Config> {
        let loader = self.loader.as_mut()?;
        match loader() {
            Ok(config) => Some(config),
            Err(errors) => {
                tracing::error!(target: "configuration", "could not load/reload configuration, keeping the running one");
                for e in errors {
                    tracing::error!(target: "configuration", "{e}");
                }
                None
            }
        }
    }

    /// SIGUSR1 (`restart_helpers` false) or SIGUSR2 (true): see [`crate::reload`].
    pub(crate) fn reload(&mut self, restart_helpers: bool) {
        tracing::info!(target: "configuration", "performing reload of the configuration");
        let Some(new) = self.load() else {
            return;
        };
        let new = Running::from(new);
        let procs = reload::plan_processes(&self.config, &new, restart_helpers);
        let plan = reload::plan_neighbors(&self.config, &new);
        let old = std::mem::replace(&mut self.config, new);
        drop(old);

        for name in &procs.stop {
            self.stop_helper(name, true);
            self.helpers.remove(name);
            self.budget.forget(name);
        }
        for process in &procs.restart {
            self.stop_helper(&process.name, true);
            self.helpers.remove(&process.name);
            self.add_helper(process.clone());
        }
        for process in &procs.start {
            self.add_helper(process.clone());
        }

        let mut summary = Vec::new();
        for (key, neighbor, diff) in plan.keep {
            let subs = bound_processes(&neighbor, &self.config.processes);
            for entry in self.peers.values_mut() {
                if entry.origin != Origin::Config || entry.stopping || entry.key != key {
                    continue;
                }
                entry.subs = subs.clone();
                entry.handle.neighbor = neighbor.clone();
                if !diff.withdraw.is_empty() {
                    entry
                        .handle
                        .send(PeerCommand::Withdraw(diff.withdraw.clone()));
                }
                if !diff.announce.is_empty() {
                    entry
                        .handle
                        .send(PeerCommand::Announce(diff.announce.clone()));
                }
            }
            if !diff.is_empty() {
                summary.push(format!(
                    "{key}: +{} -{} routes",
                    diff.announce.len(),
                    diff.withdraw.len()
                ));
            }
        }
        for (key, neighbor) in plan.restart {
            self.stop_configured(&key, 6); // Cease, other configuration change
            self.start_neighbor(neighbor, Origin::Config);
            summary.push(format!("{key}: definition changed, session restarted"));
        }
        for key in plan.remove {
            self.stop_configured(&key, 3); // Cease, peer de-configured
            summary.push(format!("{key}: removed"));
        }
        for neighbor in plan.add {
            summary.push(format!("{}: added", NeighborKey::of(&neighbor)));
            self.start_neighbor(neighbor, Origin::Config);
        }
        // bindings may have changed with the processes: recompute for every peer
        let processes = self.config.processes.clone();
        for entry in self.peers.values_mut() {
            entry.subs = bound_processes(&entry.handle.neighbor, &processes);
        }
        for (what, names) in [
            (
                "started",
                procs
                    .start
                    .iter()
                    .map(|p| p.name.clone())
                    .collect::<Vec<_>>(),
            ),
            (
                "restarted",
                procs.restart.iter().map(|p| p.name.clone()).collect(),
            ),
            ("stopped", procs.stop.clone()),
        ] {
            if !names.is_empty() {
                summary.push(format!("helpers {what}: {}", names.join(", ")));
            }
        }
        if summary.is_empty() {
            tracing::info!(target: "configuration", "reload: nothing changed");
        } else {
            tracing::info!(target: "configuration", "reload: {}", summary.join("; "));
        }
    }

    /// SIGALRM / `restart`: reload, re-establish every session, restart every helper.
    pub(crate) fn restart(&mut self) {
        tracing::info!(target: "reactor", "performing restart");
        if let Some(new) = self.load() {
            self.config = Running::from(new);
        }
        let keys: Vec<NeighborKey> = self
            .peers
            .values()
            .filter(|e| e.origin == Origin::Config && !e.stopping)
            .map(|e| e.key.clone())
            .chain(
                self.ranges
                    .iter()
                    .filter(|(_, o)| *o == Origin::Config)
                    .map(|(k, _)| k.clone()),
            )
            .collect();
        for key in keys {
            self.stop_configured(&key, 6);
        }
        let names: Vec<String> = self.helpers.keys().cloned().collect();
        for name in names {
            self.stop_helper(&name, true);
            self.helpers.remove(&name);
        }
        for process in self.config.processes.clone() {
            self.add_helper(process);
        }
        for neighbor in self.config.neighbors.clone() {
            self.start_neighbor(neighbor, Origin::Config);
        }
    }

    /// Stops the peers of a configured neighbor (for a passive range: its accepted peers,
    /// and the range's registration) with a Cease of `subcode`.
    fn stop_configured(&mut self, key: &NeighborKey, subcode: u8) {
        let range = key.peer.prefix_len() < key.peer.max_prefix_len();
        let ids: Vec<PeerId> = self
            .peers
            .iter()
            .filter(|(_, e)| !e.stopping)
            .filter(|(_, e)| {
                (e.origin == Origin::Config && &e.key == key)
                    || (range
                        && e.origin == Origin::Accepted
                        && key.peer.contains(&e.key.peer.addr()))
            })
            .map(|(id, _)| *id)
            .collect();
        for id in ids {
            self.stop_peer(id, subcode);
        }
        if range {
            self.unregister_listener(key.peer);
        }
    }

    // ---------------------------------------------------------------- shutdown

    /// Cease to every peer, `shutdown` to every helper, then wait (bounded) for both.
    async fn shutdown(&mut self) {
        tracing::info!(target: "reactor", "performing shutdown");
        for entry in self.peers.values_mut() {
            entry.stopping = true;
            entry
                .handle
                .send(PeerCommand::Shutdown { notification: None });
        }
        let names: Vec<String> = self.helpers.keys().cloned().collect();
        let mut waiting = 0;
        for name in &names {
            if self.helpers.get(name).is_some_and(|s| s.running.is_some()) {
                waiting += 1;
            }
            self.stop_helper(name, true);
        }
        let peers_done = tokio::time::Instant::now() + PEER_SHUTDOWN_GRACE;
        while !self.peers.is_empty() {
            match tokio::time::timeout_at(peers_done, self.peer_rx.recv()).await {
                Ok(Some(PeerEvent {
                    id,
                    kind: PeerEventKind::Stopped,
                    ..
                })) => {
                    self.peers.remove(&id);
                }
                Ok(Some(_)) => {}
                Ok(None) | Err(_) => break,
            }
        }
        if !self.peers.is_empty() {
            tracing::warn!(target: "reactor", left = self.peers.len(), "peers did not stop in time");
        }
        // the helpers' exit notices: each arrives after at most drain + TERM grace + KILL
        let helpers_done = tokio::time::Instant::now() + HELPER_SHUTDOWN_GRACE;
        while waiting > 0 {
            match tokio::time::timeout_at(helpers_done, self.proc_rx.recv()).await {
                Ok(Some(ProcessEvent::Exited { .. })) => waiting -= 1,
                Ok(Some(ProcessEvent::Lines { .. })) => {}
                Ok(None) | Err(_) => break,
            }
        }
        self.helpers.clear();
        for queue in std::mem::take(&mut self.clients).into_values() {
            queue.push("shutdown\n".into());
            queue.close();
        }
    }
}
