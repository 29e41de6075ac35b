//! Accepted connections and connection collisions (RFC 4271 §6.8).
//!
//! An accepted connection goes straight to the session when it has no connection (any
//! outgoing attempt in progress is abandoned, as ExaBGP does). Otherwise:
//!
//! | the session is … | the new connection … |
//! |---|---|
//! | Established | is refused: Cease (6,7) |
//! | past the peer's OPEN (OpenConfirm) | is kept or refused at once by [`collision::resolve`] |
//! | before the peer's OPEN | runs its own session (a *candidate*) until one of the two has the peer's OPEN, then [`collision::resolve`] decides |
//!
//! The loser is closed with Cease (6,7), Connection Collision Resolution (RFC 4486 §3). A
//! candidate's state changes and received messages are held back; if it wins they are
//! reported (after `Connected`) and it becomes the session; if it loses they are dropped.

use std::io;
use std::time::Instant;

use session::collision::{self, Resolution, Speaker};
use session::{Output, Session};
use tokio::io::Ready;
use tokio::net::TcpStream;
use tracing::debug;

use super::conn::{Conn, Direction, Flush};
use super::task::PeerTask;
use crate::event::PeerEventKind;
use crate::socket;

/// Cease subcode 7, Connection Collision Resolution (RFC 4486 §3).
const COLLISION: u8 = 7;

/// A second connection with its own session, waiting for the peer's OPEN.
#[derive(Debug)]
pub(crate) struct Candidate {
    /// Its session.
    pub(crate) session: Session,
    /// Its connection.
    pub(crate) conn: Conn,
    /// Events to report if it wins.
    held: Vec<PeerEventKind>,
}

impl Candidate {
    /// Writes what the candidate's session queued.
    pub(crate) fn flush(&mut self, now: Instant) {
        match self.conn.flush() {
            Ok(Flush::Done) => self.session.handle_send_progress(now),
            Ok(Flush::Partial) => {
                self.session.handle_send_progress(now);
                self.session.handle_send_blocked(now);
            }
            Ok(Flush::Blocked) => self.session.handle_send_blocked(now),
            Err(_) => self.session.handle_closed(now),
        }
    }
}

/// A started session for an already connected `conn`: the `Connect` the start asks for is
/// not acted upon, the connection is there.
fn session_for(template: &Session, conn: &Conn, now: Instant) -> Session {
    let mut session = Session::new(template.config().clone(), now);
    session.handle_start(now);
    while session.poll_output().is_some() {}
    session.handle_connected(conn.local, conn.remote, now);
    session
}

impl PeerTask {
    /// A connection accepted by the listener for this peer.
    pub(super) fn incoming(&mut self, stream: TcpStream, now: Instant) {
        if self.stopping {
            return;
        }
        if let Err(e) = socket::configure_stream(&stream, &self.options) {
            debug!(peer = %self.info.peer_addr, error = %e, "accepted connection not usable");
            return;
        }
        let conn = match Conn::new(stream, Direction::Incoming) {
            Ok(conn) => conn,
            Err(_) => return,
        };
        if self.conn.is_none() {
            self.connecting = None;
            self.attach(conn, now);
            return;
        }
        if self.session.state() == session::State::Established || self.candidate.is_some() {
            refuse(conn, "could not accept the connection, already established");
            return;
        }
        if self.session.received_open().is_some() {
            match self.resolve(None) {
                Resolution::KeepExisting => refuse(
                    conn,
                    "could not accept the connection, as another connection is already in \
                     open-confirm and will go through",
                ),
                Resolution::KeepNew => {
                    let session = session_for(&self.session, &conn, now);
                    let held = Vec::new();
                    self.promote(
                        Candidate {
                            session,
                            conn,
                            held,
                        },
                        now,
                    );
                }
            }
            return;
        }
        let session = session_for(&self.session, &conn, now);
        self.candidate = Some(Candidate {
            session,
            conn,
            held: Vec::new(),
        });
    }

    /// Bytes or write space on the candidate's connection.
    pub(super) fn on_candidate_ready(&mut self, ready: io::Result<Ready>) {
        let now = Instant::now();
        let Some(candidate) = &mut self.candidate else {
            return;
        };
        let Ok(ready) = ready else {
            candidate.session.handle_closed(now);
            return;
        };
        if ready.is_readable() {
            match candidate.conn.try_read() {
                Ok(Some([])) | Err(_) => candidate.session.handle_closed(now),
                Ok(Some(data)) => candidate.session.handle_data(data, now),
                Ok(None) => {}
            }
        }
        if ready.is_writable() {
            candidate.flush(now);
        }
    }

    /// Acts on the candidate's outputs, and decides the collision once an OPEN is in.
    pub(super) fn drain_candidate(&mut self, now: Instant) {
        let Some(candidate) = &mut self.candidate else {
            return;
        };
        let mut closed = false;
        while let Some(output) = candidate.session.poll_output() {
            match output {
                Output::Send(bytes) => candidate.conn.push(bytes),
                Output::Close | Output::Down { .. } => closed = true,
                Output::StateChanged { to, .. } => candidate
                    .held
                    .push(PeerEventKind::Fsm(super::status::fsm_state(to))),
                Output::Received {
                    message,
                    raw,
                    issues,
                } => candidate.held.push(PeerEventKind::Message {
                    direction: crate::event::Direction::Receive,
                    message,
                    raw,
                    issues,
                }),
                Output::Connect | Output::Established(_) => {}
            }
        }
        if closed {
            if let Some(candidate) = self.candidate.take() {
                candidate.conn.close();
            }
            return;
        }
        let known =
            candidate.session.received_open().is_some() || self.session.received_open().is_some();
        if !known {
            return;
        }
        let Some(mut candidate) = self.candidate.take() else {
            return;
        };
        match self.resolve(Some(&candidate.session)) {
            Resolution::KeepExisting => {
                debug!(peer = %self.info.peer_addr, "collision: keeping the existing connection");
                candidate
                    .session
                    .handle_stop(Some(super::cease(COLLISION, None)), now);
                while let Some(output) = candidate.session.poll_output() {
                    if let Output::Send(bytes) = output {
                        candidate.conn.push(bytes);
                    }
                }
                candidate.conn.close();
            }
            Resolution::KeepNew => self.promote(candidate, now),
        }
    }

    /// Which connection survives: the peer's identity comes from whichever session has its
    /// OPEN (the candidate's first).
    fn resolve(&self, candidate: Option<&Session>) -> Resolution {
        let open = candidate
            .and_then(Session::received_open)
            .or_else(|| self.session.received_open());
        let Some(open) = open else {
            return Resolution::KeepExisting;
        };
        let remote = Speaker {
            id: open.router_id,
            asn: open.effective_asn(),
        };
        let config = self.session.config();
        let local = Speaker {
            id: config.router_id,
            asn: config.local_as.unwrap_or_else(|| open.effective_asn()),
        };
        let existing = self
            .conn
            .as_ref()
            .map_or(Direction::Outgoing, |c| c.direction);
        collision::resolve(
            existing,
            self.session.state(),
            Direction::Incoming,
            local,
            remote,
        )
    }

    /// The candidate wins: the current connection is closed with Cease (6,7) and the
    /// candidate becomes the session.
    fn promote(&mut self, candidate: Candidate, now: Instant) {
        debug!(peer = %self.info.peer_addr, "collision: keeping the new connection");
        let mut old = std::mem::replace(&mut self.session, candidate.session);
        old.handle_stop(Some(super::cease(COLLISION, None)), now);
        if let Some(mut conn) = self.conn.take() {
            while let Some(output) = old.poll_output() {
                if let Output::Send(bytes) = output {
                    conn.push(bytes);
                }
            }
            conn.close();
        }
        self.connecting = None;
        self.info.local_addr = Some(candidate.conn.local.ip());
        self.conn = Some(candidate.conn);
        self.sink.emit(&self.info, PeerEventKind::Connected);
        for kind in candidate.held {
            if let PeerEventKind::Message { message, .. } = &kind {
                self.count_received(message);
                if !self.wants_received() {
                    continue;
                }
            }
            self.sink.emit(&self.info, kind);
        }
    }
}

/// Closes a connection that lost before it started, with Cease (6,7) and ExaBGP's text.
fn refuse(mut conn: Conn, text: &str) {
    let notification = wire::Notification {
        code: 6,
        subcode: COLLISION,
        data: text.as_bytes().to_vec(),
    };
    conn.push(super::encode_notification(&notification));
    conn.close();
}
