//! The session state machine: inputs, timers and outputs of one BGP session.
//!
//! The transitions follow RFC 4271 §8.2.2, with DampPeerOscillations (§8.1.1): after a
//! session goes down or a connection attempt fails, the session waits in Idle for a
//! back-off (ExaBGP's growing delay) before it connects again. A passive session goes
//! straight back to Active. Messages are handled in `receive.rs`.

mod receive;
mod send;
#[cfg(test)]
mod tests;

pub use send::SendError;

use std::collections::VecDeque;
use std::net::SocketAddr;
use std::time::{Duration, Instant};

use wire::{Capability, DecodeCtx, EncodeCtx, Message, Notification, Open};

use crate::config::{SendHold, SessionConfig, MIN_SEND_HOLD_TIME};
use crate::negotiate::Negotiated;
use crate::output::Output;
use crate::state::State;
use crate::timers::{Backoff, Timer, Timers};

/// One BGP session, as a state machine without I/O. See the crate documentation.
#[derive(Debug)]
pub struct Session {
    cfg: SessionConfig,
    state: State,
    /// A start event was seen and no stop since: the session restarts after going down.
    started: bool,
    /// The runtime reported a TCP connection that has not been closed since.
    connected: bool,
    local_addr: Option<SocketAddr>,
    remote_addr: Option<SocketAddr>,
    /// Received bytes not yet framed into a whole message.
    rx: Vec<u8>,
    out: VecDeque<Output>,
    timers: Timers,
    backoff: Backoff,
    /// Connection attempts since the last Established.
    attempts: u32,
    /// The Restart State bit of the next OPEN's graceful restart capability.
    restarting: bool,
    /// The runtime reported that its writes do not progress (RFC 9687).
    send_blocked: bool,
    sent_open: Option<Open>,
    received_open: Option<Open>,
    negotiated: Option<Negotiated>,
}

impl Session {
    /// A session in Idle; nothing happens until [`Session::handle_start`].
    pub fn new(cfg: SessionConfig, _now: Instant) -> Self {
        Self {
            backoff: Backoff::new(cfg.backoff_cap),
            restarting: cfg.restarting,
            cfg,
            state: State::Idle,
            started: false,
            connected: false,
            local_addr: None,
            remote_addr: None,
            rx: Vec::new(),
            out: VecDeque::new(),
            timers: Timers::default(),
            attempts: 0,
            send_blocked: false,
            sent_open: None,
            received_open: None,
            negotiated: None,
        }
    }

    // ----------------------------------------------------------------- queries

    /// The current state.
    pub fn state(&self) -> State {
        self.state
    }

    /// The configuration.
    pub fn config(&self) -> &SessionConfig {
        &self.cfg
    }

    /// What was negotiated, from OpenConfirm until the session goes down.
    pub fn negotiated(&self) -> Option<&Negotiated> {
        self.negotiated.as_ref()
    }

    /// The OPEN we sent on the current connection (or the last one, once down).
    pub fn sent_open(&self) -> Option<&Open> {
        self.sent_open.as_ref()
    }

    /// The OPEN the peer sent on the current connection (or the last one, once down). Its
    /// BGP identifier is what [`collision`](crate::collision) compares.
    pub fn received_open(&self) -> Option<&Open> {
        self.received_open.as_ref()
    }

    /// Our and the peer's address on the current connection.
    pub fn addresses(&self) -> Option<(SocketAddr, SocketAddr)> {
        Some((self.local_addr?, self.remote_addr?))
    }

    /// True while the runtime holds a TCP connection for this session.
    pub fn is_connected(&self) -> bool {
        self.connected
    }

    /// True between a start and a stop (or until `max_attempts` ran out).
    pub fn is_started(&self) -> bool {
        self.started
    }

    // ----------------------------------------------------------------- outputs

    /// The next thing to do or report, in order.
    pub fn poll_output(&mut self) -> Option<Output> {
        self.out.pop_front()
    }

    /// When [`Session::handle_timeout`] must be called next, if any timer runs.
    pub fn poll_timeout(&self) -> Option<Instant> {
        self.timers.next()
    }

    /// When the hold timer expires unless a message arrives (RFC 4271 §4.4), if it runs.
    /// A runtime that holds back reading its socket (its consumer is slow) reads again
    /// before then, so that messages already waiting keep the session up.
    pub fn hold_deadline(&self) -> Option<Instant> {
        self.timers.hold()
    }

    // ----------------------------------------------------------------- inputs

    /// Event 1 ManualStart (or 4 with passive TCP establishment): leave Idle, and connect
    /// unless passive. Ignored unless Idle.
    pub fn handle_start(&mut self, now: Instant) {
        if self.state != State::Idle || self.connected {
            self.started = true;
            return;
        }
        self.started = true;
        self.attempts = 0;
        self.backoff.reset();
        self.timers.clear();
        if self.cfg.passive {
            self.set_state(State::Active);
        } else {
            self.connect(now);
        }
    }

    /// Event 2 ManualStop: send `notification` (Cease/Administrative Shutdown (6,2) when
    /// `None`; build one with an RFC 9003 message with `Notification::cease`) if a TCP
    /// connection is up, close it, and stay in Idle until the next start.
    ///
    /// With graceful restart negotiated and [`SessionConfig::graceful_close`], an
    /// established session is closed without a NOTIFICATION, as ExaBGP does, so that the
    /// peer keeps our routes during the restart (RFC 4724 §4).
    pub fn handle_stop(&mut self, notification: Option<Notification>, now: Instant) {
        self.started = false;
        if !self.connected {
            if self.state == State::Connect {
                // Abandon the attempt in progress.
                self.out.push_back(Output::Close);
            }
            self.go_idle(now);
            return;
        }
        let graceful = self.state == State::Established
            && self.cfg.graceful_close
            && self
                .negotiated
                .as_ref()
                .is_some_and(|n| n.graceful_restart.is_some());
        if graceful {
            self.close(
                "graceful restarted negotiated, closing without sending any notification",
                now,
            );
            return;
        }
        let notification = notification.unwrap_or(Notification {
            code: 6,
            subcode: 2,
            data: Vec::new(),
        });
        self.fail(notification, now);
    }

    /// Events 16/17 (Tcp_CR_Acked / TcpConnectionConfirmed): a TCP connection with the
    /// peer is up, outgoing after [`Output::Connect`] or accepted from the peer.
    ///
    /// Accepted in Idle (while started), Connect and Active; the session sends its OPEN
    /// (unless DelayOpen or `local_as: None` make it wait for the peer's). A session that
    /// is not started answers [`Output::Close`]. A session that already has a connection
    /// ignores the call: the runtime resolves a second connection to the same peer with
    /// its own `Session` and [`collision`](crate::collision).
    pub fn handle_connected(&mut self, local: SocketAddr, remote: SocketAddr, now: Instant) {
        if self.connected {
            return;
        }
        if !self.started {
            self.out.push_back(Output::Close);
            return;
        }
        self.connected = true;
        self.local_addr = Some(local);
        self.remote_addr = Some(remote);
        self.rx.clear();
        self.sent_open = None;
        self.received_open = None;
        self.negotiated = None;
        self.send_blocked = false;
        self.timers.clear();
        self.timers.set(Timer::Hold, now, self.cfg.open_wait);
        if self.state == State::Idle {
            self.set_state(State::Active);
        }
        if let Some(delay) = self.cfg.delay_open {
            self.timers.set(Timer::DelayOpen, now, delay);
            return;
        }
        if self.cfg.local_as.is_some() {
            self.send_open(now);
        }
    }

    /// Event 18 before a connection was up: the attempt started by [`Output::Connect`]
    /// failed. The session waits (back-off) and tries again.
    pub fn handle_connect_failed(&mut self, now: Instant) {
        if self.connected || self.state != State::Connect {
            return;
        }
        self.go_idle(now);
    }

    /// Event 18 after the connection was up: the peer closed it, or it broke. Reported as
    /// down with the reason `closing connection`.
    pub fn handle_closed(&mut self, now: Instant) {
        if !self.connected {
            return;
        }
        self.close("closing connection", now);
    }

    /// RFC 9687: the runtime could not write everything it was given (the socket buffer is
    /// full). Starts the send hold timer if it is not running.
    pub fn handle_send_blocked(&mut self, now: Instant) {
        if !self.connected || self.send_blocked {
            return;
        }
        self.send_blocked = true;
        if let Some(limit) = self.send_hold_time() {
            self.timers.set(Timer::SendHold, now, limit);
        }
    }

    /// RFC 9687: the runtime's writes progress again; stops the send hold timer.
    pub fn handle_send_progress(&mut self, _now: Instant) {
        self.send_blocked = false;
        self.timers.stop(Timer::SendHold);
    }

    /// Events 9–13 and the send hold timer: act on every timer whose deadline is at or
    /// before `now`. When one of them ends the connection, the others are dropped, and the
    /// back-off before the next attempt starts: [`Session::poll_timeout`] says when.
    pub fn handle_timeout(&mut self, now: Instant) {
        while let Some(timer) = self.timers.expired(now) {
            let was_connected = self.connected;
            match timer {
                Timer::IdleHold => {
                    if self.started && self.state == State::Idle && !self.connected {
                        self.connect(now);
                    }
                }
                Timer::ConnectRetry => {
                    if self.state == State::Connect && !self.connected {
                        self.connect(now);
                    }
                }
                Timer::DelayOpen => {
                    if self.connected && self.sent_open.is_none() && self.cfg.local_as.is_some() {
                        self.send_open(now);
                    }
                }
                Timer::Hold => self.fail(
                    Notification {
                        code: 4,
                        subcode: 0,
                        data: Vec::new(),
                    },
                    now,
                ),
                Timer::Keepalive => {
                    if matches!(self.state, State::OpenConfirm | State::Established) {
                        self.queue_message(&Message::Keepalive);
                        self.arm_keepalive(now);
                    }
                }
                Timer::SendHold => self.fail(
                    Notification {
                        code: 8,
                        subcode: 0,
                        data: Vec::new(),
                    },
                    now,
                ),
            }
            if was_connected && !self.connected {
                break;
            }
        }
    }

    // ----------------------------------------------------------------- internals

    fn set_state(&mut self, to: State) {
        if self.state != to {
            let from = self.state;
            self.state = to;
            self.out.push_back(Output::StateChanged { from, to });
        }
    }

    /// Starts a connection attempt (events 1/3 and 9): Connect, with the ConnectRetryTimer.
    fn connect(&mut self, now: Instant) {
        if self
            .cfg
            .max_attempts
            .is_some_and(|max| self.attempts >= max)
        {
            self.started = false;
            self.set_state(State::Idle);
            return;
        }
        self.attempts = self.attempts.saturating_add(1);
        self.set_state(State::Connect);
        self.out.push_back(Output::Connect);
        self.timers
            .set(Timer::ConnectRetry, now, self.cfg.connect_retry);
    }

    /// Sends our OPEN and moves to OpenSent (or to OpenConfirm when the peer's OPEN is
    /// already here: DelayOpen, `local-as auto`).
    fn send_open(&mut self, now: Instant) {
        self.timers.stop(Timer::DelayOpen);
        let Some(local_as) = self
            .cfg
            .local_as
            .or_else(|| self.received_open.as_ref().map(Open::effective_asn))
        else {
            return;
        };
        let capabilities = self
            .cfg
            .capabilities
            .iter()
            .map(|cap| match cap {
                Capability::FourOctetAsn(_) => Capability::FourOctetAsn(local_as),
                Capability::GracefulRestart(gr) => {
                    let mut gr = gr.clone();
                    gr.restart_state = self.restarting;
                    Capability::GracefulRestart(gr)
                }
                other => other.clone(),
            })
            .collect();
        let open = Open {
            version: 4,
            asn: local_as.to_two_byte(),
            hold_time: self.cfg.hold_time,
            router_id: self.cfg.router_id,
            capabilities,
        };
        let mut raw = Vec::new();
        if let Err(e) = Message::Open(open.clone()).encode(&EncodeCtx::default(), &mut raw) {
            // Our own configuration cannot be put in an OPEN (e.g. too many capabilities):
            // ExaBGP answers with (6,0) and so do we.
            let _ = e;
            self.fail(
                Notification {
                    code: 6,
                    subcode: 0,
                    data: Vec::new(),
                },
                now,
            );
            return;
        }
        self.out.push_back(Output::Send(raw));
        self.sent_open = Some(open);
        if self.state != State::OpenSent && self.received_open.is_none() {
            self.set_state(State::OpenSent);
        }
    }

    /// Queues a message encoded with the negotiated context (or the default one before).
    fn queue_message(&mut self, message: &Message) {
        let mut raw = Vec::new();
        let result = match &self.negotiated {
            Some(n) => message.encode(&n.encode, &mut raw),
            None => message.encode(&EncodeCtx::default(), &mut raw),
        };
        // KEEPALIVE and NOTIFICATION always encode; a NOTIFICATION whose data is too long
        // for the message is not sent rather than sent truncated.
        if result.is_ok() {
            self.out.push_back(Output::Send(raw));
        }
    }

    /// Queues UPDATE bytes and restarts the KeepaliveTimer (RFC 4271 §8.2.2, Established).
    fn push_sent(&mut self, raw: Vec<u8>, now: Instant) {
        self.out.push_back(Output::Send(raw));
        self.arm_keepalive(now);
    }

    fn arm_keepalive(&mut self, now: Instant) {
        match self.negotiated.as_ref().map(|n| n.keepalive) {
            Some(secs) if secs > 0 => {
                self.timers
                    .set(Timer::Keepalive, now, Duration::from_secs(u64::from(secs)));
            }
            _ => self.timers.stop(Timer::Keepalive),
        }
    }

    fn arm_hold(&mut self, now: Instant) {
        match self.negotiated.as_ref().map(|n| n.hold_time) {
            Some(secs) if secs > 0 => {
                self.timers
                    .set(Timer::Hold, now, Duration::from_secs(u64::from(secs)))
            }
            _ => self.timers.stop(Timer::Hold),
        }
    }

    fn send_hold_time(&self) -> Option<Duration> {
        match self.cfg.send_hold {
            SendHold::Disabled => None,
            SendHold::Fixed(d) => Some(d),
            SendHold::Auto => {
                let hold = self
                    .negotiated
                    .as_ref()
                    .map_or(self.cfg.hold_time, |n| n.hold_time);
                Some(MIN_SEND_HOLD_TIME.max(Duration::from_secs(2 * u64::from(hold))))
            }
        }
    }

    /// Sends `notification`, closes, reports `notification sent (c,s)` and goes to Idle.
    fn fail(&mut self, notification: Notification, now: Instant) {
        if self.connected {
            let reason = format!(
                "notification sent ({},{})",
                notification.code, notification.subcode
            );
            self.queue_message(&Message::Notification(notification));
            self.close(&reason, now);
        } else {
            self.go_idle(now);
        }
    }

    /// Closes the connection and reports the session down with `reason`.
    fn close(&mut self, reason: &str, now: Instant) {
        if self.connected {
            self.out.push_back(Output::Close);
            self.out.push_back(Output::Down {
                reason: reason.to_owned(),
            });
        }
        self.go_idle(now);
    }

    /// Forgets the connection, goes to Idle, and schedules the automatic restart.
    fn go_idle(&mut self, now: Instant) {
        self.connected = false;
        self.send_blocked = false;
        self.rx = Vec::new();
        self.negotiated = None;
        self.timers.clear();
        self.set_state(State::Idle);
        if !self.started {
            return;
        }
        if self.cfg.passive {
            self.set_state(State::Active);
            return;
        }
        if self
            .cfg
            .max_attempts
            .is_some_and(|max| self.attempts >= max)
        {
            self.started = false;
            return;
        }
        let delay = self.backoff.advance();
        self.timers.set(Timer::IdleHold, now, delay);
    }

    /// The context to decode received messages with.
    fn decode_ctx(&self) -> DecodeCtx {
        self.negotiated
            .as_ref()
            .map(|n| n.decode.clone())
            .unwrap_or_default()
    }
}
