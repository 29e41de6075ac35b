//! The inputs of the encoders: who the neighbor is, the envelope values the caller owns
//! (clock, host, pids, counter), and what the session negotiated.

use std::net::{IpAddr, Ipv4Addr};

use wire::{Afi, Asn, Family, Message};

/// The neighbor an event is about, as printed in every event.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighborInfo {
    /// Our address on the session.
    pub local_addr: IpAddr,
    /// The peer's address.
    pub peer_addr: IpAddr,
    /// Our ASN.
    pub local_as: Asn,
    /// The peer's ASN.
    pub peer_as: Asn,
    /// **Our** router id (ExaBGP prints the local one); `None` leaves the key out.
    pub router_id: Option<Ipv4Addr>,
}

/// Whether a message was received from or sent to the peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Direction {
    /// From the peer.
    Receive,
    /// To the peer.
    Send,
}

impl Direction {
    /// `receive` or `send`, as in the JSON `direction` key and text lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Receive => "receive",
            Self::Send => "send",
        }
    }
}

/// The values of the JSON envelope that come from the caller.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Envelope<'a> {
    /// Seconds since the Unix epoch.
    pub time: f64,
    /// The host name.
    pub host: &'a str,
    /// Our process id.
    pub pid: u32,
    /// Our parent's process id.
    pub ppid: u32,
    /// The per-neighbor message counter (ExaBGP shares one counter per neighbor across
    /// every JSON helper). Ignored by the daemon `shutdown` event.
    pub counter: u64,
}

/// The route-refresh flavour negotiated (ExaBGP's `refresh` key).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum RefreshKind {
    /// Neither side can refresh.
    #[default]
    Absent,
    /// RFC 2918.
    Normal,
    /// RFC 7313.
    Enhanced,
}

impl RefreshKind {
    /// `absent`, `normal` or `enhanced`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Absent => "absent",
            Self::Normal => "normal",
            Self::Enhanced => "enhanced",
        }
    }
}

/// What a session negotiated, for the `negotiated` event and key.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct NegotiatedInfo {
    /// Largest message (4096 or 65535).
    pub message_size: u32,
    /// Hold time in seconds.
    pub hold_time: u16,
    /// Four-octet ASNs (RFC 6793).
    pub asn4: bool,
    /// Multisession.
    pub multisession: bool,
    /// ExaBGP operational messages.
    pub operational: bool,
    /// Route refresh flavour.
    pub refresh: RefreshKind,
    /// Families both sides announced.
    pub families: Vec<Family>,
    /// Extended next-hop encodings (RFC 8950): family and next-hop AFI.
    pub nexthop: Vec<(Family, Afi)>,
    /// Families in which we send ADD-PATH identifiers.
    pub add_path_send: Vec<Family>,
    /// Families in which we receive ADD-PATH identifiers.
    pub add_path_receive: Vec<Family>,
}

/// A session state change reported with `neighbor-changes`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StateChange<'a> {
    /// TCP connected.
    Connected,
    /// Session established.
    Up,
    /// Session closed, with the reason (e.g. `notification received (6,2)`).
    Down(&'a str),
}

/// A BGP message to report, parsed (and with its bytes for `consolidate`).
#[derive(Debug, Clone, Copy)]
pub struct MessageEvent<'a> {
    /// Received or sent.
    pub direction: Direction,
    /// The decoded message.
    pub message: &'a Message,
    /// The whole message (header included), only when the helper asked for
    /// `consolidate`; the encoders then add its `header` and `body` hex.
    pub raw: Option<&'a [u8]>,
    /// Attached as a `negotiated` key when the helper asked for `negotiated`.
    pub negotiated: Option<&'a NegotiatedInfo>,
    /// The UPDATE is to be treated as withdraw (RFC 7606 §2): its routes are reported as
    /// withdrawn, with ExaBGP's `error` attribute.
    pub treat_as_withdraw: bool,
}

impl<'a> MessageEvent<'a> {
    /// A parsed message with no extras.
    pub fn new(direction: Direction, message: &'a Message) -> Self {
        Self {
            direction,
            message,
            raw: None,
            negotiated: None,
            treat_as_withdraw: false,
        }
    }
}

/// The message type name ExaBGP uses for a type code in `packets` events.
pub fn message_type_name(code: u8) -> &'static str {
    match code {
        0 => "nop",
        1 => "open",
        2 => "update",
        3 => "notification",
        4 => "keepalive",
        5 => "route-refresh",
        6 => "operational",
        _ => "unknown",
    }
}

/// Splits a whole message into its 19-octet header and its body.
pub(crate) fn split_raw(raw: &[u8]) -> (&[u8], &[u8]) {
    raw.split_at(raw.len().min(wire::message::HEADER_LEN))
}
