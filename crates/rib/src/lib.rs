//! Adj-RIB-Out and Adj-RIB-In of one peer (RFC 4271 §3.2, §9.2), no I/O.
//!
//! - [`AdjRibOut`]: routes keyed by (family, NLRI with its path identifier) → an interned
//!   [`AttrSet`]; a pending change set; [`AdjRibOut::plan`] turns the pending changes into
//!   UPDATEs packed the way ExaBGP 5 packs them ([`pack`]), [`AdjRibOut::plan_some`] a
//!   bounded number of changes at a time, and [`eor`] gives End-of-RIB markers
//!   (RFC 4724 §2).
//! - [`AdjRibIn`]: received routes per family.
//!
//! Memory: an IPv4 route without path identifier costs an 8-octet key and a 12-octet value
//! in a sorted run (`run_table`; no allocation of its own); attribute sets are stored
//! once and shared.

pub mod adj_in;
pub mod attrset;
mod changes;
pub mod encode;
pub mod eor;
pub mod hash;
mod key;
pub mod out;
pub mod pack;
mod plan;
mod prefix_hash;
mod run_table;
mod table;

pub use adj_in::AdjRibIn;
pub use attrset::{AttrSet, Interner};
pub use encode::WireSizer;
pub use out::{Action, AdjRibOut, Change};
pub use pack::{OutCtx, Outgoing, Sizer};

#[cfg(test)]
mod route_key_tests;
#[cfg(test)]
mod tests;
