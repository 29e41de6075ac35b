//! One BGP session as a state machine without I/O: the RFC 4271 §8 FSM, OPEN validation
//! and capability negotiation, collision detection, and the session timers.
//!
//! What this crate does not do: sockets, clocks, tasks, routes. The runtime owns the TCP
//! connection and a timer; the RIB produces the UPDATEs. A [`Session`] is fed what
//! happened and says what to do, so every scenario can be replayed in a test with a fake
//! clock, byte for byte.
//!
//! # The four kinds of methods
//!
//! A [`Session`] is driven from outside, and only through these:
//!
//! 1. **Inputs, `handle_*`**: something happened to the session. TCP events
//!    ([`handle_connected`](Session::handle_connected),
//!    [`handle_connect_failed`](Session::handle_connect_failed),
//!    [`handle_closed`](Session::handle_closed),
//!    [`handle_send_blocked`](Session::handle_send_blocked) /
//!    [`handle_send_progress`](Session::handle_send_progress)), bytes read from the
//!    connection ([`handle_data`](Session::handle_data)), operator decisions
//!    ([`handle_start`](Session::handle_start), [`handle_stop`](Session::handle_stop)), and
//!    the passing of time ([`handle_timeout`](Session::handle_timeout)). Each takes the
//!    current `Instant`; none does any I/O, none blocks, none can fail: whatever the peer
//!    sends, the worst outcome is a NOTIFICATION and a close.
//! 2. **Outputs, `poll_*`**: what the session wants done.
//!    [`poll_output`](Session::poll_output) hands out, in order, the [`Output`]s the inputs
//!    produced (connect, bytes to write, close, state changes, received messages, up and
//!    down); call it until it returns `None` after every input.
//!    [`poll_timeout`](Session::poll_timeout) gives the earliest deadline at which
//!    `handle_timeout` must be called: timers are deadlines, never sleeps.
//! 3. **Commands, `send_*`**: what the application and its RIB want sent once the session
//!    is established ([`send`](Session::send), [`send_update`](Session::send_update),
//!    [`send_route_refresh`](Session::send_route_refresh), [`send_eor`](Session::send_eor)).
//!    They queue [`Output::Send`] and fail with a [`SendError`] if the session cannot carry
//!    them.
//! 4. **Queries**: read-only views ([`state`](Session::state),
//!    [`negotiated`](Session::negotiated), [`received_open`](Session::received_open) …) for
//!    `show neighbor` and for collision resolution.
//!
//! A runtime loop is therefore: wait for the socket, a command or `poll_timeout`; call the
//! matching `handle_*` or `send_*`; drain `poll_output`; repeat.
//!
//! ```
//! use std::net::Ipv4Addr;
//! use std::time::Instant;
//!
//! use herald_session::{Output, Session, SessionConfig, State};
//! use wire::Asn;
//!
//! let now = Instant::now();
//! let cfg = SessionConfig::new(Asn(65000), Asn(65001), Ipv4Addr::new(192, 0, 2, 1));
//! let mut session = Session::new(cfg, now);
//! session.handle_start(now);
//! while let Some(output) = session.poll_output() {
//!     match output {
//!         // Start a TCP connection, then call handle_connected / handle_connect_failed.
//!         Output::Connect => {}
//!         // Write the bytes; read bytes go to handle_data.
//!         Output::Send(_bytes) => {}
//!         other => println!("{other:?}"),
//!     }
//! }
//! session.handle_connected("192.0.2.1:40000".parse()?, "192.0.2.2:179".parse()?, now);
//! assert_eq!(session.state(), State::OpenSent);
//! assert!(matches!(session.poll_output(), Some(Output::Send(open)) if open[18] == 1));
//! // Sleep until this deadline, then call handle_timeout.
//! assert!(session.poll_timeout().is_some());
//! # Ok::<(), std::net::AddrParseError>(())
//! ```
//!
//! # Choices where RFCs and ExaBGP differ
//!
//! - No OPEN within `open_wait`, or the hold timer expiring in any state: Hold Timer
//!   Expired (4,0), as RFC 4271 §8.2.2 says (ExaBGP sends (1,1) for a missing OPEN).
//! - OPEN errors carry the data of RFC 4271 §6.2 (the version for (2,1), nothing else);
//!   ExaBGP puts an English sentence there.
//! - An unknown message type gets ExaBGP's (1,3) with the text `can not decode message of
//!   type "N"`, not the type octet of §6.1: the conformance corpus expects those bytes.
//! - A side without Multiprotocol capabilities offers IPv4 unicast (RFC 4760 §8); ExaBGP
//!   negotiates no family at all in that case.
//! - In Established every valid message restarts the hold timer (RFC 4271 §4.4 counts
//!   KEEPALIVE and UPDATE; a ROUTE-REFRESH is proof of life too).
//! - `Down` reasons are ExaBGP's: `notification sent (4,0)` for an expired hold timer,
//!   `notification received (c,s)`, `closing connection` when TCP goes away.
//!
//! # Modules
//!
//! - [`state`]: the six states, and which input raises which RFC 4271 §8.1 event;
//! - [`config`]: [`SessionConfig`], built by the runtime from a configured neighbor;
//! - [`negotiate`]: OPEN validation and capability negotiation into a [`Negotiated`] with
//!   ready [`wire::DecodeCtx`] / [`wire::EncodeCtx`];
//! - [`collision`]: which of two connections to the same peer survives (RFC 4271 §6.8);
//! - [`output`]: the [`Output`]s.

pub mod collision;
pub mod config;
pub mod negotiate;
pub mod output;
mod session;
pub mod state;
mod timers;

pub use config::{SendHold, SessionConfig};
pub use negotiate::{Negotiated, RefreshKind};
pub use output::Output;
pub use session::{SendError, Session};
pub use state::State;

/// A NOTIFICATION's data as printable text for logs: an RFC 9003 shutdown communication
/// (length octet, then UTF-8) when the data is one, else the data; anything that is not
/// printable ASCII is escaped, and the result is at most about 1 KiB, whatever the peer
/// sent (BIRD CVE-2019-16159 was an overlong message of this kind).
pub fn notification_text(notification: &wire::Notification) -> String {
    const LIMIT: usize = 1024;
    let data = notification.data.as_slice();
    let text = match data.split_first() {
        Some((len, rest)) if notification.code == 6 && usize::from(*len) == rest.len() => rest,
        _ => data,
    };
    let mut out = String::new();
    for chunk in text.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_ascii_graphic() || c == ' ' {
                out.push(c);
            } else {
                out.extend(c.escape_default());
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
        if out.len() > LIMIT {
            out.truncate(LIMIT);
            out.push_str("...");
            break;
        }
    }
    out
}
