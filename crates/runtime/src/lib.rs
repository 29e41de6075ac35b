//! Herald's runtime: everything that touches a socket, a pipe, a clock or a signal, and the
//! embeddable library ([`Speaker`]).
//!
//! The protocol logic lives in pure crates (`wire`, `session`, `rib`, `config`, `api`); this
//! crate connects them with tokio tasks and channels:
//!
//! ```text
//!                        signals (SIGUSR1/2, SIGTERM, SIGHUP, SIGALRM)  Speaker handle
//!                                       │ Control                          │ Control
//!                                       ▼                                  ▼
//!  helper stdout ─▶ reader task ─ProcessEvent::Lines──▶ ┌──────────────────────────────┐
//!  helper stdin  ◀─ writer task ◀─ OutQueue (bounded, ─ │  supervisor (one task)       │
//!                                  never blocks)        │  dispatch: parse → commands  │
//!  helper exit   ─▶ child task  ─ProcessEvent::Exited─▶ │  encode: events → JSON/text  │
//!                                                       │  reload: config diff         │
//!                                                       └──────────────────────────────┘
//!                                   PeerCommand (unbounded) │        ▲ PeerEvent (bounded)
//!                                                           ▼        │
//!  peer TCP ◀──────▶ peer task (one per neighbor: session, Adj-RIB-Out/In, timers)
//!                        ▲ accepted connections
//!  listener task ────────┘
//! ```
//!
//! No task ever waits on a helper: lines to a helper go through its own bounded queue and
//! are dropped (counted, logged) when it stops reading, so one stuck helper cannot stall
//! sessions or other helpers (see [`process::queue`]). The other way, a helper's pipe is
//! read only while fewer than [`process::MAX_LINES_IN_FLIGHT`] of its lines wait to be
//! applied by the peer tasks, which apply commands whatever their sessions do, so no remote
//! peer holds a helper back (see [`process::flow`]).
//!
//! Modules: [`supervisor`] (the daemon task), [`dispatch`] (API commands), [`encode`]
//! (events to helper lines), [`process`] (helper processes), [`bindings`] (which helper
//! hears which neighbor), [`reload`] (configuration diff), [`signals`]; the peer side is
//! [`event`] (channel types) and the peer tasks.

pub mod bindings;
pub mod control;
pub mod dispatch;
pub mod encode;
pub mod event;
pub mod listener;
pub mod metrics;
pub mod offline;
pub mod pattern;
pub mod peer;
pub mod process;
pub mod reload;
pub mod signals;
pub mod socket;
pub mod speaker;
pub mod supervisor;
#[cfg(test)]
mod testutil;

pub use signals::Signal;
pub use speaker::{Control, Exit, Options, Parts, Speaker, SpeakerHandle};
