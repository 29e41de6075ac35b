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
//! - [`cli`]: the operator's command line: `exabgp cli`'s abbreviations, the end of an
//!   answer, `--json`, completion words.
//! - [`show`]: the answers of `show neighbor …` and `show adj-rib …`, from plain structs.
//!
//! ## Coverage of the encoders (checked against ExaBGP 5.0.15's output in `tests/`)
//!
//! | Part | As ExaBGP | Notes |
//! |---|---|---|
//! | envelope, `neighbor` object, spacing quirks | yes | `"exabgp": "5.0.0"` |
//! | state / fsm / negotiated / signal / daemon shutdown | yes | text has no fsm, negotiated, signal |
//! | OPEN capabilities 1, 2, 5, 6, 64, 65, 68, 69, 70, 73, 75, 128, 131, 185, unknown | yes | GR labels swapped like ExaBGP |
//! | ORIGIN, AS_PATH (5.0 shape), MED, LOCAL_PREF, ATOMIC_AGGREGATE, AGGREGATOR, COMMUNITIES, ORIGINATOR_ID, CLUSTER_LIST | yes | RFC 4271, 1997, 4456 |
//! | EXTENDED COMMUNITIES (every type ExaBGP names), IPv6 extended communities, AIGP, LARGE_COMMUNITY | yes | RFC 4360, 5701, 7311, 8092 |
//! | unknown attributes (`attribute-0xCC-0xFF`) | yes | Partial bit set on transitive ones, non-transitive dropped |
//! | BGP Prefix-SID (Label-Index, SRGB, SRv6 L3/L2 services) | yes | RFC 8669, 9252; SRv6 SID and behavior printed where ExaBGP 5.0.15 prints `"%s"`/`%d` |
//! | BGP-LS attribute (every TLV ExaBGP decodes, repeated TLVs merged as ExaBGP merges them, others `generic-lsid-<code>`) | yes | RFC 7752, 9085, 9514; a NaN bandwidth prints `null` (ExaBGP: `NaN`, not JSON) |
//! | PMSI tunnel (`"pmsi": "pmsi:<type>:<flags>:<label>:<tunnel>"`) | yes | RFC 6514 §5 |
//! | IPv4/IPv6 unicast and multicast NLRI, ADD-PATH, End-of-RIB, `api.compact` | yes | RFC 4760, 7911, 4724 |
//! | labeled and VPN NLRI | yes | RFC 8277, 4364, 4659 |
//! | FlowSpec NLRI (flow, flow-vpn; every component, `string`, `next-hop`, `rd`) | yes | RFC 8955, 8956 |
//! | MUP NLRI (ISD, DSD, Type 1/2 Session Transformed) | yes | draft-mpmz-bess-mup-safi; valid JSON where ExaBGP 5.0.15 drops a comma |
//! | EVPN NLRI (route types 1–5; others `parsed: false`) | yes | RFC 7432, 9136 |
//! | VPLS and MVPN NLRI (MVPN route types 5–7; others `parsed: false`) | yes | RFC 4761, 6514 |
//! | BGP-LS NLRI (node, link, IPv4/IPv6 prefix, SRv6 SID, unknown types), RTC NLRI | yes | RFC 7752, 9514, 4684; text names the family only, as ExaBGP |
//! | NOTIFICATION with the RFC 8203/9003 Shutdown Communication | yes | |
//! | ROUTE-REFRESH (RFC 7313 subtypes), OPERATIONAL | yes | |
//! | `packets`, `consolidate` (`header` / `body`) | yes | |
//!
//! What this crate does not do: read pipes, keep time or counters, decide which helper
//! gets which event (see `herald-runtime`). The caller passes the clock, host name, pids and
//! counter in an [`Envelope`].

pub mod cli;
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
