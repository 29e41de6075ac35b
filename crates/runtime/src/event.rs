//! The channel types between the peer tasks and the supervisor.
//!
//! ```text
//!                 PeerCommand (unbounded, paced per helper: process::flow)
//!   supervisor ───────────────────────────────────────────────▶ peer task (one per neighbor)
//!       ▲                                                              │
//!       └──────────────── PeerEvent (bounded, see below) ──────────────┘
//! ```
//!
//! A [`PeerHandle`] is what the supervisor keeps for each neighbor: the neighbor's
//! configuration and the sending half of the peer task's command channel. Commands are
//! queued without bound, but the lines of a helper are read only while fewer than
//! [`crate::process::MAX_LINES_IN_FLIGHT`] of them wait to be applied by the peer tasks:
//! the back-pressure is on the helper's pipe, never on the supervisor
//! ([`crate::process::flow`]).
//!
//! Events go the other way on a bounded channel shared by every peer. A peer task never
//! waits on it for long: if the supervisor is slow, the task keeps its session timers
//! running (keepalives, hold timer) and holds events in its own bounded backlog; see
//! [`crate::peer`] for the exact policy.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::net::TcpStream;
use tokio::sync::{mpsc, oneshot};
pub use wire::message::AttrIssue;
use wire::{Afi, Asn, Family, Message, Nlri, Notification, Open};

/// Identifies one peer task for the lifetime of the daemon (never reused).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PeerId(pub u64);

impl fmt::Display for PeerId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "peer#{}", self.0)
    }
}

/// What the supervisor holds for one running peer task.
#[derive(Debug, Clone)]
pub struct PeerHandle {
    /// The task's identity.
    pub id: PeerId,
    /// The neighbor it serves. For a dynamic peer accepted in a passive range, this is the
    /// range's configuration with `peer_address` narrowed to the one address.
    pub neighbor: Arc<config::Neighbor>,
    /// Commands to the task.
    pub tx: mpsc::UnboundedSender<PeerCommand>,
    /// Held by the queues of helpers that read the peer's messages more slowly than it
    /// sends them: the task does not read its socket meanwhile ([`crate::process::hold`]).
    pub read_hold: Arc<crate::process::ReadHold>,
}

impl PeerHandle {
    /// Queues a command; false when the task has ended.
    pub fn send(&self, command: PeerCommand) -> bool {
        self.tx.send(command).is_ok()
    }

    /// True when the task has ended (its command channel is closed).
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

/// A command to a peer task.
#[derive(Debug)]
#[non_exhaustive]
pub enum PeerCommand {
    /// Add (or replace) routes in the Adj-RIB-Out; sent when the session is established.
    /// `next-hop self` is resolved to the session's local address, `split` is applied.
    Announce(Vec<config::Route>),
    /// Remove routes from the Adj-RIB-Out and withdraw them from the peer.
    Withdraw(Vec<config::Route>),
    /// Send End-of-RIB for a family (`None` = IPv4 unicast), when established.
    Eor(Option<Family>),
    /// Send a ROUTE-REFRESH request for a family, when established.
    RouteRefresh(Family),
    /// Send a Cease NOTIFICATION (code 6, `subcode`, with the RFC 8203/9003 shutdown
    /// communication `text` for subcodes 2 and 4), close, and connect again later.
    Teardown {
        /// Cease subcode (RFC 4486).
        subcode: u8,
        /// Shutdown communication, if any.
        text: Option<String>,
    },
    /// `announce watchdog NAME` (`announce: true`) or `withdraw watchdog NAME`: announce
    /// or withdraw every route tagged with that watchdog name.
    Watchdog {
        /// The watchdog name.
        name: String,
        /// Announce (true) or withdraw (false) the group.
        announce: bool,
    },
    /// Several commands from one read of a helper's output, applied in order before any
    /// UPDATE is planned.
    Batch(Vec<Self>),
    /// Re-send the whole Adj-RIB-Out (`flush adj-rib out`).
    FlushOut,
    /// Withdraw everything in the Adj-RIB-Out and empty it (`clear adj-rib out`).
    ClearOut,
    /// Forget the routes received (`clear adj-rib in`).
    ClearIn,
    /// Answer a `show` command with a snapshot.
    Show {
        /// Which parts to include.
        what: ShowWhat,
        /// Where to send the answer.
        reply: oneshot::Sender<PeerSnapshot>,
    },
    /// An accepted TCP connection for this peer, handed over by the listener.
    Incoming(TcpStream),
    /// Send the NOTIFICATION (a Cease by default) if a session is up, close, and end the
    /// task.
    Shutdown {
        /// The NOTIFICATION to send; `None` = Cease / Administrative Shutdown (6, 2).
        notification: Option<Notification>,
    },
    /// The commands of one helper read with that read's flow-control credit, dropped once
    /// the command is applied so the helper's pipe is read again
    /// ([`crate::process::flow`]).
    Paced {
        /// The command (usually a [`PeerCommand::Batch`]).
        command: Box<Self>,
        /// Returned to the helper's gate when dropped.
        credit: crate::process::Credit,
    },
    /// `announce operational …`: send an OPERATIONAL message (ExaBGP's
    /// draft-ietf-idr-operational-message, type 6) if established with the capability
    /// negotiated and its family one of the neighbor's.
    Operational(api::command::OperationalCommand),
}

/// The parts of a [`PeerSnapshot`] wanted by a `show` command.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct ShowWhat {
    /// Include the Adj-RIB-In entries.
    pub adj_rib_in: bool,
    /// Include the Adj-RIB-Out entries.
    pub adj_rib_out: bool,
    /// Include the number of routes per family of both tables (cheap: no route copied).
    pub counts: bool,
}

/// A peer's state and tables at one moment, for `show neighbor` and `show adj-rib`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerSnapshot {
    /// Addresses, ASNs and router id.
    pub peer: PeerInfo,
    /// Session state and statistics.
    pub status: PeerStatus,
    /// Received routes (empty unless asked for and `adj-rib-in` is enabled).
    pub adj_rib_in: Vec<RibEntry>,
    /// Routes we announce (empty unless asked for).
    pub adj_rib_out: Vec<RibEntry>,
    /// Routes held per family in the Adj-RIB-Out (empty unless `counts` was asked for).
    pub count_out: Vec<(Family, usize)>,
    /// Routes held per family in the Adj-RIB-In (empty unless `counts` was asked for and
    /// `adj-rib-in` is enabled).
    pub count_in: Vec<(Family, usize)>,
}

/// Session state and statistics of one peer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerStatus {
    /// RFC 4271 §8 state.
    pub state: FsmState,
    /// Time since the session reached Established (when it is), or since it went down.
    pub up_down: Option<Duration>,
    /// When the session reached Established, if it is.
    pub up_since: Option<SystemTime>,
    /// Messages counted by type.
    pub counters: MessageCounters,
    /// What the OPEN exchange negotiated, once it has happened.
    pub negotiated: Option<NegotiatedInfo>,
    /// The OPEN we sent on the current (or last) session.
    pub local_open: Option<Open>,
    /// The OPEN the peer sent on the current (or last) session.
    pub peer_open: Option<Open>,
}

/// One route of an Adj-RIB, for `show adj-rib`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RibEntry {
    /// Address family.
    pub family: Family,
    /// The NLRI, with its path-id.
    pub nlri: Nlri,
    /// Next hop, if any.
    pub next_hop: Option<IpAddr>,
    /// Path attributes other than NEXT_HOP and MP_*.
    pub attributes: Vec<wire::Attribute>,
}

/// Messages sent and received, by type (`show neighbor` "Message Statistic").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MessageCounters {
    /// Messages we sent.
    pub sent: Counts,
    /// Messages we received.
    pub received: Counts,
}

/// Counts of one direction, by message type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Counts {
    /// OPEN.
    pub open: u64,
    /// UPDATE (End-of-RIB markers included).
    pub update: u64,
    /// NOTIFICATION.
    pub notification: u64,
    /// KEEPALIVE.
    pub keepalive: u64,
    /// ROUTE-REFRESH.
    pub refresh: u64,
    /// OPERATIONAL.
    pub operational: u64,
}

impl Counts {
    /// Every message counted.
    pub fn total(&self) -> u64 {
        self.open
            + self.update
            + self.notification
            + self.keepalive
            + self.refresh
            + self.operational
    }

    /// Counts one message of type `kind` (unknown types are not counted).
    pub fn count(&mut self, kind: wire::MessageType) {
        let slot = match kind {
            wire::MessageType::OPEN => &mut self.open,
            wire::MessageType::UPDATE => &mut self.update,
            wire::MessageType::NOTIFICATION => &mut self.notification,
            wire::MessageType::KEEPALIVE => &mut self.keepalive,
            wire::MessageType::ROUTE_REFRESH => &mut self.refresh,
            wire::MessageType::OPERATIONAL => &mut self.operational,
            _ => return,
        };
        *slot += 1;
    }
}

/// RFC 4271 §8.2.2 session states.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum FsmState {
    /// Idle.
    #[default]
    Idle,
    /// Connect: waiting for our outgoing TCP connection.
    Connect,
    /// Active: waiting for an incoming TCP connection.
    Active,
    /// OpenSent.
    OpenSent,
    /// OpenConfirm.
    OpenConfirm,
    /// Established.
    Established,
}

impl FsmState {
    /// ExaBGP's name, as in `fsm` events and `show neighbor` (`ESTABLISHED`).
    pub fn name(self) -> &'static str {
        match self {
            Self::Idle => "IDLE",
            Self::Connect => "CONNECT",
            Self::Active => "ACTIVE",
            Self::OpenSent => "OPENSENT",
            Self::OpenConfirm => "OPENCONFIRM",
            Self::Established => "ESTABLISHED",
        }
    }
}

impl fmt::Display for FsmState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The ROUTE-REFRESH flavour negotiated (ExaBGP's `"refresh"` in `negotiated`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RefreshKind {
    /// Not negotiated (`"absent"`).
    #[default]
    Absent,
    /// RFC 2918 (`"normal"`).
    Normal,
    /// RFC 7313 enhanced route refresh (`"enhanced"`).
    Enhanced,
}

/// What the OPEN exchange negotiated: the payload of ExaBGP's `negotiated` event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NegotiatedInfo {
    /// Largest message allowed (4096, or 65535 with extended messages).
    pub message_size: usize,
    /// Negotiated hold time in seconds.
    pub hold_time: u16,
    /// Four-octet ASNs on both sides.
    pub asn4: bool,
    /// Multi-session on both sides.
    pub multisession: bool,
    /// ExaBGP operational messages on both sides.
    pub operational: bool,
    /// Route refresh flavour.
    pub refresh: RefreshKind,
    /// Families both sides announced.
    pub families: Vec<Family>,
    /// Extended next-hop (RFC 8950) pairs in effect.
    pub nexthop: Vec<(Family, Afi)>,
    /// Families for which we send ADD-PATH identifiers.
    pub add_path_send: Vec<Family>,
    /// Families for which we receive ADD-PATH identifiers.
    pub add_path_receive: Vec<Family>,
}

/// The addresses and identities of a session, the `neighbor` object of every API message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerInfo {
    /// Our address on the connection (or the configured local address; `None` before the
    /// first connection when `local-address` is `auto`).
    pub local_addr: Option<IpAddr>,
    /// The peer's address.
    pub peer_addr: IpAddr,
    /// Our ASN (from configuration, or learned when `auto`).
    pub local_as: Asn,
    /// The peer's ASN (from configuration, or from its OPEN when `auto`).
    pub peer_as: Asn,
    /// Our router id.
    pub router_id: Ipv4Addr,
}

/// Something a peer task reports to the supervisor.
#[derive(Debug, Clone)]
pub struct PeerEvent {
    /// The task that reports.
    pub id: PeerId,
    /// Who the session is with.
    pub peer: PeerInfo,
    /// What happened.
    pub kind: PeerEventKind,
}

/// Message direction, as in ExaBGP's `"direction"`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From the peer.
    Receive,
    /// To the peer.
    Send,
}

impl Direction {
    /// ExaBGP's word: `receive` or `send`.
    pub fn name(self) -> &'static str {
        match self {
            Self::Receive => "receive",
            Self::Send => "send",
        }
    }
}

/// What happened to a peer.
#[derive(Debug, Clone)]
#[non_exhaustive]
pub enum PeerEventKind {
    /// A dynamic peer was started for an address of a passive range; the supervisor should
    /// keep the handle to send it commands (its first event).
    Spawned(PeerHandle),
    /// The TCP connection is up (ExaBGP `state: connected`).
    Connected,
    /// The session reached Established (`state: up`).
    Up,
    /// The session ended (`state: down`), with ExaBGP's reason text
    /// (`notification received (6,2)`, `closing connection`, …).
    Down {
        /// Why.
        reason: String,
    },
    /// An FSM transition (`fsm` events).
    Fsm(FsmState),
    /// A message received or sent, decoded, with its raw bytes (header included).
    Message {
        /// Received or sent.
        direction: Direction,
        /// The decoded message.
        message: Message,
        /// The whole message as on the wire.
        raw: Vec<u8>,
        /// RFC 7606 problems in a received UPDATE (attribute discarded, treat-as-withdraw).
        issues: Vec<AttrIssue>,
    },
    /// The OPEN exchange completed (`negotiated` event).
    Negotiated(NegotiatedInfo),
    /// The peer task has ended (after `Shutdown`, or a dynamic peer whose connection
    /// closed); its handle can be dropped. Always the task's last event.
    Stopped,
}
