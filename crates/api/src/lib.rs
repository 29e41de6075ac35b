//! ExaBGP 5's process API, without I/O: the command grammar helpers write on their stdout,
//! and the JSON and text events Herald writes on their stdin.
//!
//! - [`command`]: `parse(line)` turns one command line into a [`command::Command`]
//!   (spec §2): route announcements and withdrawals, neighbor selectors, EOR,
//!   route-refresh, watchdogs, teardown, `show`, RIB flush/clear, daemon control, the ack
//!   switches, and Herald's `neighbor <ip> create { … }` / `neighbor <ip> delete`.
//! - [`json`] and [`text`]: the two encoders of events (spec §3), byte-compatible with
//!   ExaBGP 5.0.15 (JSON format version `5.0.0`): state, fsm, negotiated, signal, OPEN,
//!   UPDATE (End-of-RIB included), NOTIFICATION (RFC 9003 text), KEEPALIVE,
//!   ROUTE-REFRESH, OPERATIONAL, raw `packets`, `consolidate`, and the daemon shutdown.
//! - [`show`]: the answers of `show neighbor …` and `show adj-rib …`, from plain structs.
//!
//! What this crate does not do: read pipes, keep time or counters, decide which helper
//! gets which event (see `herald-runtime`). The caller passes the clock, host name, pids and
//! counter in an [`Envelope`].

pub mod command;
pub mod event;
pub mod json;
pub mod render;
pub mod show;
pub mod text;

pub use command::{parse, Command, ParseError};
pub use event::{
    Direction, Envelope, MessageEvent, NegotiatedInfo, NeighborInfo, RefreshKind, StateChange,
};
pub use json::JsonEncoder;
pub use text::TextEncoder;
