//! What a session asks the runtime to do, or tells it about.

use wire::message::AttrIssue;
use wire::Message;

use crate::negotiate::Negotiated;
use crate::state::State;

/// One action or report, taken from [`Session::poll_output`](crate::Session::poll_output)
/// in the order the session produced them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Output {
    /// Open a TCP connection to the peer, abandoning any attempt still in progress. Answer
    /// with `handle_connected` or `handle_connect_failed`.
    Connect,
    /// Write these bytes (one or more whole BGP messages) to the connection, in order.
    Send(Vec<u8>),
    /// Close the connection (after writing what was queued with `Send`), or abandon the
    /// connection attempt in progress.
    Close,
    /// The FSM moved from one state to another.
    StateChanged {
        /// The state before.
        from: State,
        /// The state now.
        to: State,
    },
    /// The session reached Established with what was negotiated (ExaBGP `state: up` and
    /// `negotiated`). The runtime now (re)sends its Adj-RIB-Out, then End-of-RIB.
    Established(Box<Negotiated>),
    /// A message was received and accepted. UPDATEs the RFC 7606 treat-as-withdraw rule
    /// applied to arrive here already turned into withdrawals; `issues` says what was
    /// discarded or withdrawn and why.
    Received {
        /// The decoded message.
        message: Message,
        /// The whole message as received, header included.
        raw: Vec<u8>,
        /// RFC 7606 problems found in an UPDATE's attributes.
        issues: Vec<AttrIssue>,
    },
    /// A session that had a TCP connection ended, with ExaBGP's reason text:
    /// `notification received (6,2)`, `notification sent (4,0)`, `closing connection` …
    Down {
        /// Why.
        reason: String,
    },
}
