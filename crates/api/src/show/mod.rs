//! The answers of `show neighbor summary|extensive|json` and `show adj-rib in|out
//! [extensive] [json]` (spec §2.3), as ExaBGP 5.0.15 prints them, from plain structs the
//! runtime fills in.
//!
//! Every function appends whole lines (each ended by `\n`); the runtime writes them to the
//! helper followed by `done`.

mod neighbor;
mod rib;

pub use neighbor::{
    extensive, json, summary, summary_header, CapabilityStatus, Counts, FamilyStatus,
    NeighborStatus, CAPABILITY_NAMES,
};
pub use rib::{adj_rib_json, adj_rib_text, neighbor_name, RibEntry};
