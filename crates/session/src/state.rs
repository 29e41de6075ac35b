//! The six session states of RFC 4271 §8.2.2 and the events of §8.1 that move between them.
//!
//! Events, by number, and the [`Session`](crate::Session) input that raises each one:
//!
//! | § 8.1 event | input |
//! |---|---|
//! | 1 ManualStart, 4 ManualStart_with_PassiveTcpEstablishment | `handle_start` (`passive` in the configuration picks 4) |
//! | 2 ManualStop | `handle_stop` |
//! | 3 AutomaticStart, 5 AutomaticStart_with_PassiveTcpEstablishment | raised by the session itself after a back-off once a session went down |
//! | 9 ConnectRetryTimer_Expires, 10 HoldTimer_Expires, 11 KeepaliveTimer_Expires, 12 DelayOpenTimer_Expires, 13 IdleHoldTimer_Expires | `handle_timeout` |
//! | 16 Tcp_CR_Acked, 17 TcpConnectionConfirmed | `handle_connected` |
//! | 18 TcpConnectionFails | `handle_connect_failed` (before) or `handle_closed` (after the connection was up) |
//! | 19 BGPOpen, 20 BGPOpen with DelayOpenTimer running | `handle_data` (an OPEN) |
//! | 21 BGPHeaderErr, 22 BGPOpenMsgErr | `handle_data` (a framing or OPEN error) |
//! | 24 NotifMsgVerErr, 25 NotifMsg | `handle_data` (a NOTIFICATION) |
//! | 26 KeepAliveMsg, 27 UpdateMsg, 28 UpdateMsgErr | `handle_data` |
//! | RFC 9687 SendHoldTimer_Expires | `handle_timeout`, armed by `handle_send_blocked` |
//!
//! Events 6–8 (automatic stop, the optional collision events) and 14–15 (TCP connection
//! requests) are the runtime's business: it owns the sockets, and runs the pure function
//! of [`collision`](crate::collision) when two connections reach the same peer.

use std::fmt;

/// A session state (RFC 4271 §8.2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum State {
    /// Refuses connections; waits for a start event (or the back-off before an automatic
    /// restart).
    Idle,
    /// A TCP connection to the peer is being opened (or is up and the DelayOpen timer runs).
    Connect,
    /// Waiting for the peer to connect to us (passive, or between connection attempts).
    Active,
    /// Our OPEN is sent; waiting for the peer's.
    OpenSent,
    /// OPENs exchanged, our KEEPALIVE sent; waiting for the peer's KEEPALIVE.
    OpenConfirm,
    /// UPDATE, KEEPALIVE, NOTIFICATION and ROUTE-REFRESH messages flow.
    Established,
}

impl State {
    /// The upper-case name ExaBGP prints (`IDLE`, `OPENSENT` …).
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

    /// The subcode of the RFC 6608 Finite State Machine Error for an unexpected message
    /// received in this state (1 OpenSent, 2 OpenConfirm, 3 Established, 0 otherwise).
    pub fn fsm_error_subcode(self) -> u8 {
        match self {
            Self::OpenSent => 1,
            Self::OpenConfirm => 2,
            Self::Established => 3,
            Self::Idle | Self::Connect | Self::Active => 0,
        }
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
