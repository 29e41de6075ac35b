//! The peer task's state and event loop.

use std::future::Future;
use std::io;
use std::net::SocketAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use rib::{AdjRibIn, OutCtx};
use session::{Output, Session, State};
use tokio::io::Ready;
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tracing::{debug, warn};
use wire::message::RefreshSubtype;
use wire::{DecodeCtx, Family, Message, Open};

use super::build::{self, Settings};
use super::conn::{conn_ready, Conn, Direction, Flush};
use super::link::Candidate;
use super::outbound::{Item, Outbound};
use super::sink::EventSink;
use super::status::{self, Stats};
use crate::event::{
    Direction as MsgDirection, NegotiatedInfo, PeerCommand, PeerEvent, PeerEventKind, PeerId,
    PeerInfo, PeerSnapshot, PeerStatus, RefreshKind, ShowWhat,
};
use crate::process::ReadHold;
use crate::socket::{self, SocketError, SocketOptions};

/// Commands applied per wake-up beyond the first, before planning ([`PeerTask::drain_commands`]).
const DRAIN_COMMANDS: usize = 64;
/// Pending changes past which no more commands are drained before planning.
const DRAIN_PENDING: usize = 8_192;
/// Queued output bytes above which no more UPDATEs are planned until the peer reads.
const WRITE_HIGH_WATER: usize = 1 << 20;

/// How long after a `teardown` the session starts again.
pub(crate) const TEARDOWN_RESTART: Duration = Duration::from_secs(5);

/// How long the task tries to deliver its last events when it ends.
const FINAL_EVENTS: Duration = Duration::from_secs(5);

type Connecting = Pin<Box<dyn Future<Output = Result<TcpStream, SocketError>> + Send>>;

/// Everything one peer task owns.
pub(crate) struct PeerTask {
    pub(super) neighbor: Arc<config::Neighbor>,
    pub(super) settings: Settings,
    pub(super) options: SocketOptions,
    rx: mpsc::UnboundedReceiver<PeerCommand>,
    pub(super) sink: EventSink,
    pub(super) session: Session,
    pub(super) conn: Option<Conn>,
    pub(super) candidate: Option<Candidate>,
    pub(super) connecting: Option<Connecting>,
    out: Outbound,
    rib_in: Option<AdjRibIn>,
    stats: Stats,
    pub(super) info: PeerInfo,
    negotiated: Option<NegotiatedInfo>,
    sent_ctx: DecodeCtx,
    want_receive: bool,
    want_send: bool,
    restart_at: Option<Instant>,
    pub(super) stopping: bool,
    /// The stuck-helper warning of the current hold was logged.
    pause_logged: bool,
    opens: (Option<Open>, Option<Open>),
    /// Set when the socket options could not be built: the task reports and ends.
    setup_error: Option<String>,
    /// `announce operational` messages waiting for the session to be established.
    pub(super) operational: std::collections::VecDeque<api::command::OperationalCommand>,
}

impl PeerTask {
    /// A task for `neighbor`, not running yet.
    pub(crate) fn new(
        id: PeerId,
        neighbor: Arc<config::Neighbor>,
        settings: Settings,
        rx: mpsc::UnboundedReceiver<PeerCommand>,
        events: mpsc::Sender<PeerEvent>,
        read_hold: Arc<ReadHold>,
    ) -> Self {
        let now = Instant::now();
        let config = build::session_config(&neighbor, &settings);
        let (options, setup_error) = match SocketOptions::for_neighbor(&neighbor) {
            Ok(options) => (options, None),
            Err(e) => (SocketOptions::default(), Some(e.to_string())),
        };
        let info = PeerInfo {
            local_addr: neighbor.local_address,
            peer_addr: neighbor.peer_address.addr(),
            local_as: build::asn(neighbor.local_as).unwrap_or_default(),
            peer_as: build::asn(neighbor.peer_as).unwrap_or_default(),
            router_id: config.router_id,
        };
        let mut out = Outbound::new(neighbor.rate_limit);
        if let Some(local) = neighbor.local_address {
            out.routes.set_local(&mut out.rib, local);
        }
        for route in &neighbor.routes {
            out.configure(route);
        }
        Self {
            want_receive: neighbor.api.iter().any(|b| b.receive.any_message()),
            want_send: neighbor.api.iter().any(|b| b.send.any_message()),
            rib_in: neighbor.adj_rib_in.then(AdjRibIn::new),
            settings,
            options,
            rx,
            sink: EventSink::new(id, events, read_hold),
            session: Session::new(config, now),
            conn: None,
            candidate: None,
            connecting: None,
            out,
            stats: Stats::new(now),
            info,
            negotiated: None,
            sent_ctx: DecodeCtx::default(),
            restart_at: None,
            stopping: false,
            pause_logged: false,
            opens: (None, None),
            setup_error,
            neighbor,
            operational: std::collections::VecDeque::new(),
        }
    }

    /// Runs until `Shutdown`, until every handle is dropped, or (dynamic peers) until the
    /// session goes down.
    pub(crate) async fn run(mut self) {
        if let Some(error) = self.setup_error.take() {
            warn!(peer = %self.info.peer_addr, %error, "peer not started");
            let reason = format!("could not set up the connection: {error}");
            self.sink.emit(&self.info, PeerEventKind::Down { reason });
            self.finish().await;
            return;
        }
        self.session.handle_start(Instant::now());
        loop {
            self.process();
            if self.stopping && self.conn.is_none() && self.candidate.is_none() {
                break;
            }
            let now = Instant::now();
            let paused_until = self.paused_until(now);
            let read = self.may_read(now, paused_until.is_some());
            // woken when a helper lets the peer go or the supervisor catches up
            let wait_hold = (!read && self.sink.read_hold().is_held())
                || self.sink.read_hold().in_flight_full();
            let deadline = self.deadline(now, read, paused_until);
            tokio::select! {
                command = self.rx.recv(), if !self.stopping => match command {
                    Some(command) => {
                        self.command(command);
                        self.drain_commands();
                    }
                    None => self.shutdown(None),
                },
                ready = conn_ready(self.conn.as_ref(), read) => self.on_ready(ready),
                ready = conn_ready(self.candidate.as_ref().map(|c| &c.conn), true) => {
                    self.on_candidate_ready(ready);
                }
                result = maybe(&mut self.connecting) => self.on_connect(result),
                _ = sleep_until(deadline) => self.on_timeout(),
                _ = self.sink.read_hold().changed(), if wait_hold => {}
                permit = self.sink.reserve(), if self.sink.has_backlog() => match permit {
                    Ok(permit) => self.sink.send_backlog(permit),
                    Err(_) => self.sink.drop_backlog(),
                },
            }
        }
        self.finish().await;
    }

    async fn finish(&mut self) {
        self.sink.emit(&self.info, PeerEventKind::Stopped);
        self.sink.finish(FINAL_EVENTS).await;
    }

    /// The next time something is due; while the socket is not read (`read` false), also
    /// when a stuck helper stops holding it and when the hold timer needs a read.
    fn deadline(&self, now: Instant, read: bool, paused_until: Option<Instant>) -> Option<Instant> {
        let (pause, hold) = if read {
            (None, None)
        } else {
            (
                paused_until,
                self.read_before_hold_expiry().filter(|at| *at > now),
            )
        };
        [
            self.session.poll_timeout(),
            self.candidate
                .as_ref()
                .and_then(|c| c.session.poll_timeout()),
            self.restart_at,
            self.out.deadline(),
            pause,
            hold,
        ]
        .into_iter()
        .flatten()
        .min()
    }

    /// Until when helpers that read this peer's messages and are behind hold its reads
    /// back ([`crate::process::hold`]); logs once when only helpers that read nothing
    /// hold it, which it does not wait for.
    fn paused_until(&mut self, now: Instant) -> Option<Instant> {
        let hold = self.sink.read_hold();
        let until = hold.paused_until(now);
        if !hold.is_held() {
            self.pause_logged = false;
        } else if until.is_none() && !self.pause_logged {
            self.pause_logged = true;
            warn!(
                peer = %self.info.peer_addr,
                stall = ?crate::process::hold::STALL,
                "a helper this peer's messages go to reads nothing: reading on, lines are dropped for it"
            );
        }
        until
    }

    /// True when the socket is read now: not while the event backlog is long
    /// ([`super::sink`]) or helpers are behind on this peer's messages (`paused`), unless
    /// the hold timer is a third of the hold time from expiring (what waits in the socket
    /// keeps the session up, RFC 4271 §4.4).
    fn may_read(&self, now: Instant, paused: bool) -> bool {
        if !paused && !self.sink.congested() {
            return true;
        }
        self.read_before_hold_expiry().is_some_and(|at| at <= now)
    }

    /// When a socket that is not read must be read again for the hold timer.
    fn read_before_hold_expiry(&self) -> Option<Instant> {
        let expiry = self.session.hold_deadline()?;
        let hold = self.session.negotiated()?.hold_time;
        expiry.checked_sub(Duration::from_secs(u64::from(hold)) / 3)
    }

    // ------------------------------------------------------------------ inputs

    /// Applies the commands already waiting (at most [`DRAIN_COMMANDS`], and until
    /// [`DRAIN_PENDING`] changes wait) before the table is planned: when the supervisor is
    /// ahead of this task, their changes are planned together rather than one small plan
    /// per helper read. Nothing waits for commands that have not arrived.
    fn drain_commands(&mut self) {
        for _ in 0..DRAIN_COMMANDS {
            if self.stopping || self.out.rib.pending_len() >= DRAIN_PENDING {
                return;
            }
            match self.rx.try_recv() {
                Ok(command) => self.command(command),
                Err(_) => return,
            }
        }
    }

    fn command(&mut self, command: PeerCommand) {
        let now = Instant::now();
        match command {
            PeerCommand::Announce(list) => {
                for route in &list {
                    if !self.out.routes.announce(&mut self.out.rib, route) {
                        warn!(peer = %self.info.peer_addr, "route split too large, ignored");
                    }
                }
            }
            PeerCommand::Withdraw(list) => {
                for route in &list {
                    self.out.routes.withdraw(&mut self.out.rib, route);
                }
            }
            PeerCommand::Watchdog { name, announce } => {
                if announce {
                    self.out.rib.watchdog_announce(&name);
                } else {
                    self.out.rib.watchdog_withdraw(&name);
                }
            }
            PeerCommand::Eor(family) => {
                let family = family.unwrap_or(Family::IPV4_UNICAST);
                if let Err(e) = self.session.send_eor(family, now) {
                    debug!(peer = %self.info.peer_addr, error = %e, "eor not sent");
                }
            }
            PeerCommand::RouteRefresh(family) => {
                if let Err(e) = self.session.send_route_refresh(family, now) {
                    debug!(peer = %self.info.peer_addr, error = %e, "route refresh not sent");
                }
            }
            PeerCommand::Teardown { subcode, text } => {
                let notification = super::cease(subcode, text.as_deref());
                self.session.handle_stop(Some(notification), now);
                self.restart_at = Some(now + TEARDOWN_RESTART);
            }
            PeerCommand::Batch(commands) => {
                for command in commands {
                    self.command(command);
                }
            }
            // applied whatever the session state: the credit goes back to the helper now
            PeerCommand::Paced { command, credit } => {
                self.command(*command);
                drop(credit);
            }
            PeerCommand::FlushOut => self.out.rib.refresh(None, false),
            PeerCommand::ClearOut => {
                self.out.rib.clear();
                self.out.routes.clear();
            }
            PeerCommand::ClearIn => {
                if let Some(rib_in) = &mut self.rib_in {
                    rib_in.clear();
                }
            }
            PeerCommand::Show { what, reply } => {
                let _ = reply.send(self.snapshot(what));
            }
            PeerCommand::Incoming(stream) => self.incoming(stream, now),
            PeerCommand::Shutdown { notification } => self.shutdown(notification),
            PeerCommand::Operational(op) => self.operational_command(op, now),
        }
    }

    fn shutdown(&mut self, notification: Option<wire::Notification>) {
        let now = Instant::now();
        self.stopping = true;
        // nothing queued will be applied: drop it now, so that the helpers' flow-control
        // credits go back at once rather than when the task has said goodbye
        self.rx.close();
        while self.rx.try_recv().is_ok() {}
        self.connecting = None;
        self.restart_at = None;
        self.session.handle_stop(notification, now);
        if let Some(candidate) = self.candidate.take() {
            candidate.conn.close();
        }
    }

    fn on_ready(&mut self, ready: io::Result<Ready>) {
        let now = Instant::now();
        let Ok(ready) = ready else {
            self.lost(now);
            return;
        };
        if ready.is_readable() {
            if let Some(conn) = &mut self.conn {
                match conn.try_read() {
                    Ok(Some([])) | Err(_) => {
                        self.lost(now);
                        return;
                    }
                    Ok(Some(data)) => self.session.handle_data(data, now),
                    Ok(None) => {}
                }
            }
        }
        if ready.is_writable() {
            self.flush(now);
        }
    }

    /// The connection broke or the peer closed it.
    fn lost(&mut self, now: Instant) {
        self.conn = None;
        self.session.handle_closed(now);
    }

    fn on_connect(&mut self, result: Result<TcpStream, SocketError>) {
        self.connecting = None;
        let now = Instant::now();
        match result {
            Ok(stream) if self.conn.is_none() && self.session.state() == State::Connect => {
                match Conn::new(stream, Direction::Outgoing) {
                    Ok(conn) => self.attach(conn, now),
                    Err(_) => self.session.handle_connect_failed(now),
                }
            }
            Ok(_) => {}
            Err(e) => {
                debug!(peer = %self.info.peer_addr, error = %e, "connection failed");
                self.session.handle_connect_failed(now);
            }
        }
    }

    fn on_timeout(&mut self) {
        let now = Instant::now();
        if self.restart_at.is_some_and(|at| at <= now) {
            self.restart_at = None;
            if !self.stopping {
                self.session.handle_start(now);
            }
        }
        self.session.handle_timeout(now);
        if let Some(candidate) = &mut self.candidate {
            candidate.session.handle_timeout(now);
        }
    }

    /// Hands a connected stream to the primary session.
    pub(super) fn attach(&mut self, conn: Conn, now: Instant) {
        self.info.local_addr = Some(conn.local.ip());
        self.session.handle_connected(conn.local, conn.remote, now);
        self.sink.emit(&self.info, PeerEventKind::Connected);
        self.conn = Some(conn);
    }

    /// Starts an outgoing connection attempt (abandoning any in progress).
    fn connect(&mut self) {
        let port = match self.neighbor.connect {
            0 => self.settings.port,
            port => port,
        };
        let peer = SocketAddr::new(self.neighbor.peer_address.addr(), port);
        let local = self.neighbor.local_address;
        let options = self.options.clone();
        self.connecting = Some(Box::pin(async move {
            socket::connect(peer, local, &options).await
        }));
    }

    // ----------------------------------------------------------------- outputs

    /// Drains every output, plans UPDATEs while established, and writes what it can.
    fn process(&mut self) {
        loop {
            let now = Instant::now();
            while let Some(output) = self.session.poll_output() {
                self.output(output, now);
            }
            self.drain_candidate(now);
            if self.out.will_plan() {
                // Planning a large table takes a while (~0.3 s for 1M routes): what the
                // session queued first, such as the KEEPALIVE that completes the
                // handshake, leaves before it.
                self.flush(now);
            }
            if !self.pump_rib(now) {
                break;
            }
        }
        self.flush(Instant::now());
        if let Some(candidate) = &mut self.candidate {
            candidate.flush(Instant::now());
        }
    }

    fn output(&mut self, output: Output, now: Instant) {
        match output {
            Output::Connect => {
                if self.conn.is_none() && !self.stopping {
                    self.connect();
                }
            }
            Output::Send(bytes) => {
                log_packet(self.info.peer_addr, ">>", &bytes);
                self.stats.count_sent(&bytes);
                if self.want_send {
                    self.emit_sent(&bytes);
                }
                if let Some(conn) = &mut self.conn {
                    conn.push(bytes);
                }
            }
            Output::Close => {
                if let Some(conn) = self.conn.take() {
                    conn.close();
                }
            }
            Output::StateChanged { to, .. } => {
                self.sink
                    .emit(&self.info, PeerEventKind::Fsm(status::fsm_state(to)));
            }
            Output::Established(negotiated) => {
                // The KEEPALIVE that completes the handshake leaves before the table is
                // queued again for the new session (~0.1 s for 1M routes).
                self.flush(now);
                self.established(&negotiated, now);
            }
            Output::Received {
                message,
                raw,
                issues,
            } => {
                log_packet(self.info.peer_addr, "<<", &raw);
                self.received(message, raw, issues);
            }
            Output::Down { reason } => {
                tracing::info!(target: "network", peer = %self.info.peer_addr, "session down: {reason}");
                self.sink.emit(&self.info, PeerEventKind::Down { reason });
                self.stats.up_since = None;
                self.stats.down_since = now;
                self.out.down();
                if let Some(rib_in) = &mut self.rib_in {
                    rib_in.clear();
                }
                if self.settings.ephemeral {
                    self.shutdown(None);
                }
            }
        }
    }

    fn established(&mut self, negotiated: &session::Negotiated, now: Instant) {
        tracing::info!(target: "network", peer = %self.info.peer_addr, "session established");
        self.info.local_as = negotiated.local_as;
        self.info.peer_as = negotiated.peer_as;
        if let Some(conn) = &self.conn {
            self.info.local_addr = Some(conn.local.ip());
            self.out
                .routes
                .set_local(&mut self.out.rib, conn.local.ip());
        }
        let info = status::negotiated_info(negotiated);
        self.sink
            .emit(&self.info, PeerEventKind::Negotiated(info.clone()));
        self.sink.emit(&self.info, PeerEventKind::Up);
        self.negotiated = Some(info);
        self.opens = (
            Some(negotiated.sent_open.clone()),
            Some(negotiated.received_open.clone()),
        );
        let ctx = OutCtx {
            encode: negotiated.encode.clone(),
            local_as: negotiated.local_as,
            peer_as: negotiated.peer_as,
            group_updates: self.neighbor.group_updates,
            families: negotiated.families.clone(),
        };
        let eor = if self.neighbor.manual_eor {
            Vec::new()
        } else {
            negotiated.families.clone()
        };
        self.out.established(ctx, eor);
        self.sent_ctx = negotiated.sent_decode_ctx();
        self.stats.up_since = Some((now, SystemTime::now()));
        self.flush_operational(now);
    }

    fn received(&mut self, message: Message, raw: Vec<u8>, issues: Vec<wire::message::AttrIssue>) {
        self.count_received(&message);
        match &message {
            Message::Update(update) => {
                if let Some(rib_in) = &mut self.rib_in {
                    rib_in.apply(update);
                }
            }
            Message::RouteRefresh(refresh) if refresh.subtype == RefreshSubtype::Query => {
                let enhanced = self
                    .negotiated
                    .as_ref()
                    .is_some_and(|n| n.refresh == RefreshKind::Enhanced);
                self.out.rib.refresh(Some(refresh.family), enhanced);
            }
            _ => {}
        }
        if self.want_receive {
            let kind = PeerEventKind::Message {
                direction: MsgDirection::Receive,
                message,
                raw,
                issues,
            };
            self.sink.emit(&self.info, kind);
        }
    }

    /// Counts a received message.
    pub(super) fn count_received(&mut self, message: &Message) {
        self.stats.counters.received.count(message.kind());
    }

    /// True when some API binding wants received messages.
    pub(super) fn wants_received(&self) -> bool {
        self.want_receive
    }

    /// Decodes what we send, for `send { … }` API bindings.
    fn emit_sent(&mut self, bytes: &[u8]) {
        for (_, frame) in status::frames(bytes) {
            match Message::decode(frame, &self.sent_ctx) {
                Ok(decoded) => {
                    let kind = PeerEventKind::Message {
                        direction: MsgDirection::Send,
                        message: decoded.message,
                        raw: frame.to_vec(),
                        issues: decoded.issues,
                    };
                    self.sink.emit(&self.info, kind);
                }
                Err(e) => {
                    debug!(peer = %self.info.peer_addr, error = %e, "sent message not decoded")
                }
            }
        }
    }

    /// Hands the session the UPDATEs planned from the Adj-RIB-Out (within `rate-limit`),
    /// then End-of-RIB once the initial table is out; nothing while the peer has not read
    /// the last megabyte. Returns true when something was queued.
    fn pump_rib(&mut self, now: Instant) -> bool {
        if self.session.state() != State::Established
            || self
                .conn
                .as_ref()
                .is_some_and(|c| c.queued() > WRITE_HIGH_WATER)
        {
            return false;
        }
        let items = self.out.next(now);
        let queued = !items.is_empty();
        for item in items {
            let result = match item {
                Item::Message(message) => self.session.send(&message, now),
                Item::Eor(family) => self.session.send_eor(family, now),
            };
            if let Err(e) = result {
                warn!(peer = %self.info.peer_addr, error = %e, "message not sent");
            }
        }
        queued
    }

    fn flush(&mut self, now: Instant) {
        let Some(conn) = &mut self.conn else { return };
        match conn.flush() {
            Ok(Flush::Done) => self.session.handle_send_progress(now),
            Ok(Flush::Partial) => {
                self.session.handle_send_progress(now);
                self.session.handle_send_blocked(now);
            }
            Ok(Flush::Blocked) => self.session.handle_send_blocked(now),
            Err(_) => self.lost(now),
        }
    }

    fn snapshot(&self, what: ShowWhat) -> PeerSnapshot {
        let now = Instant::now();
        let up_down = match self.stats.up_since {
            Some((since, _)) => now.saturating_duration_since(since),
            None => now.saturating_duration_since(self.stats.down_since),
        };
        let status = PeerStatus {
            state: status::fsm_state(self.session.state()),
            up_down: Some(up_down),
            up_since: self.stats.up_since.map(|(_, wall)| wall),
            counters: self.stats.counters,
            negotiated: self.negotiated.clone(),
            local_open: self
                .session
                .sent_open()
                .cloned()
                .or_else(|| self.opens.0.clone()),
            peer_open: self
                .session
                .received_open()
                .cloned()
                .or_else(|| self.opens.1.clone()),
        };
        PeerSnapshot {
            peer: self.info.clone(),
            status,
            adj_rib_in: match (&self.rib_in, what.adj_rib_in) {
                (Some(rib_in), true) => status::entries(rib_in.routes()),
                _ => Vec::new(),
            },
            adj_rib_out: if what.adj_rib_out {
                status::entries(self.out.rib.routes())
            } else {
                Vec::new()
            },
            count_out: if what.counts {
                self.out.rib.counts()
            } else {
                Vec::new()
            },
            count_in: match (&self.rib_in, what.counts) {
                (Some(rib_in), true) => rib_in.counts(),
                _ => Vec::new(),
            },
        }
    }
}

/// The result of an optional future (pending forever without one).
async fn maybe<F: Future + Unpin>(future: &mut Option<F>) -> F::Output {
    match future {
        Some(future) => future.await,
        None => std::future::pending().await,
    }
}

/// Sleeps until `deadline` (forever without one).
async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline.into()).await,
        None => std::future::pending().await,
    }
}

/// With `exabgp.log.packets` (target `packets`, debug): every message sent (`>>`) or
/// received (`<<`) in hex, as ExaBGP's packet log; nothing is formatted when it is off.
fn log_packet(peer: std::net::IpAddr, direction: &str, bytes: &[u8]) {
    if tracing::enabled!(target: "packets", tracing::Level::DEBUG) {
        use std::fmt::Write;
        let mut hex = String::with_capacity(bytes.len() * 2);
        for b in bytes {
            let _ = write!(hex, "{b:02X}");
        }
        tracing::debug!(target: "packets", %peer, "{direction} {hex}");
    }
}
