//! One task per neighbor: it drives a [`session::Session`] over a real TCP connection and
//! owns the neighbor's Adj-RIB-Out (and, when enabled, its Adj-RIB-In).
//!
//! ```text
//!   PeerCommand ──▶ ┌──────────────────────── peer task ─────────────────────────┐
//!   (supervisor,    │ Routes ─▶ rib::AdjRibOut ─plan─▶ UPDATEs ─▶ Session::send   │
//!    listener)      │                                               │             │
//!                   │ Conn (TCP) ◀── write queue ◀── Output::Send ◀──┤             │
//!                   │     │ bytes                                   │             │
//!                   │     └────────▶ Session::handle_data ─▶ Output::Received ─┐  │
//!                   │  timers: Session::poll_timeout ─▶ handle_timeout        │  │
//!                   └──────────────────────────────────────────── EventSink ◀─┘──┘
//!                                                                     │ PeerEvent
//!                                                                     ▼ (bounded)
//! ```
//!
//! - Outgoing connections go from `local-address` to `peer-address`:`connect` (or
//!   `exabgp.tcp.port`), when the session asks ([`session::Output::Connect`]); the session
//!   owns the back-off. Passive peers wait for the [listener](crate::listener) to hand over
//!   an accepted stream ([`PeerCommand::Incoming`]).
//! - A second connection while one is up is resolved as RFC 4271 §6.8 says
//!   ([`session::collision`]): refused when Established; when the peer's BGP identifier
//!   is known, decided at once; otherwise the new connection runs its own session until
//!   an OPEN tells who wins (see [`link`]).
//! - Writes are queued and never block the task: the session keeps its timers while a
//!   peer does not read, and is told (RFC 9687 send hold timer) when writes stall.
//! - The Adj-RIB-Out survives reconnects: every route is sent again when a session comes
//!   back, then End-of-RIB per family (unless `manual-eor`). ROUTE-REFRESH requests are
//!   answered from it.
//! - Events follow the policy of [`sink`]: never wait on the supervisor.
//! - The socket is not read while the event backlog is long ([`sink`]) or a helper that
//!   reads the peer's messages is behind ([`crate::process::hold`]), except when the hold
//!   timer is a third of the hold time from expiring: what waits in the socket keeps the
//!   session up.

mod build;
mod conn;
mod link;
mod operational;
mod outbound;
pub(crate) mod routes;
mod sink;
mod status;
mod task;

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use tokio::sync::mpsc;
use wire::{EncodeCtx, Message, Notification};

pub use self::build::Settings;
use crate::event::{PeerEvent, PeerHandle, PeerId, PeerInfo};
use crate::process::ReadHold;

/// Starts the task of a configured neighbor with the daemon's environment settings, and
/// returns its handle. Events go to `events`.
pub fn spawn(
    neighbor: Arc<config::Neighbor>,
    env: Arc<config::Env>,
    events: mpsc::Sender<PeerEvent>,
) -> PeerHandle {
    spawn_with(neighbor, Settings::from_env(&env), events)
}

/// Starts the task of a neighbor with explicit [`Settings`] (tests, embedding).
pub fn spawn_with(
    neighbor: Arc<config::Neighbor>,
    settings: Settings,
    events: mpsc::Sender<PeerEvent>,
) -> PeerHandle {
    static NEXT_ID: AtomicU64 = AtomicU64::new(1);
    let id = PeerId(NEXT_ID.fetch_add(1, Ordering::Relaxed));
    let (tx, rx) = mpsc::unbounded_channel();
    let read_hold = ReadHold::new();
    let handle = PeerHandle {
        id,
        neighbor: Arc::clone(&neighbor),
        tx,
        read_hold: Arc::clone(&read_hold),
    };
    let task = task::PeerTask::new(id, neighbor, settings, rx, events, read_hold);
    tokio::spawn(task.run());
    handle
}

/// The addresses and identities of a neighbor before any session (configured values;
/// `auto` ASNs as 0).
pub fn info(neighbor: &config::Neighbor) -> PeerInfo {
    PeerInfo {
        local_addr: neighbor.local_address,
        peer_addr: neighbor.peer_address.addr(),
        local_as: build::asn(neighbor.local_as).unwrap_or_default(),
        peer_as: build::asn(neighbor.peer_as).unwrap_or_default(),
        router_id: build::router_id(neighbor),
    }
}

/// A Cease NOTIFICATION (RFC 4486) with, for subcodes 2 (Administrative Shutdown) and 4
/// (Administrative Reset), the shutdown communication of RFC 9003 (length octet, then at
/// most 255 octets of UTF-8, cut at a character boundary).
pub fn cease(subcode: u8, text: Option<&str>) -> Notification {
    let mut data = Vec::new();
    if let (2 | 4, Some(text)) = (subcode, text) {
        let mut end = text.len().min(255);
        while !text.is_char_boundary(end) {
            end -= 1;
        }
        let bytes = text.get(..end).unwrap_or_default().as_bytes();
        // end <= 255: checked above.
        data.push(bytes.len() as u8);
        data.extend_from_slice(bytes);
    }
    Notification {
        code: 6,
        subcode,
        data,
    }
}

/// The bytes of a NOTIFICATION message (header included). A NOTIFICATION whose data
/// does not fit in a message is sent without its data.
pub(crate) fn encode_notification(notification: &Notification) -> Vec<u8> {
    let mut out = Vec::new();
    if Message::Notification(notification.clone())
        .encode(&EncodeCtx::default(), &mut out)
        .is_err()
    {
        out.clear();
        let bare = Notification {
            data: Vec::new(),
            ..notification.clone()
        };
        // A NOTIFICATION without data is 21 octets: it always encodes.
        let _ = Message::Notification(bare).encode(&EncodeCtx::default(), &mut out);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cease_carries_the_shutdown_communication() {
        let n = cease(2, Some("maintenance"));
        assert_eq!((n.code, n.subcode), (6, 2));
        assert_eq!(n.data[0], 11);
        assert_eq!(&n.data[1..], b"maintenance");
        assert!(cease(7, Some("ignored")).data.is_empty());
        let long = "é".repeat(200); // 400 octets: cut at 254, a character boundary
        let n = cease(4, Some(&long));
        assert_eq!(n.data[0], 254);
        assert!(std::str::from_utf8(&n.data[1..]).is_ok());
    }
}
