//! Herald's benchmarks.
//!
//! - `benches/`: criterion micro-benchmarks of the hot paths (API command parsing, UPDATE
//!   encoding and decoding, ExaBGP JSON encoding, Adj-RIB-Out insertion and packing).
//! - `src/bin/`: the tools `bench/run` drives for the whole-system scenarios of issue 6:
//!   `bgp-sink` (a minimal receiving BGP peer that counts NLRI), `bgp-blast` (a minimal
//!   sending peer that replays pre-encoded UPDATEs), `api-lines` (the API helper that prints
//!   `announce route` lines) and `json-count` (the helper that counts prefixes in the JSON
//!   events on its stdin), plus `mrt-table` (the routes as an MRT dump for
//!   `gobgp mrt inject`) and `gobgp-feed` (our own gRPC client feeding GoBGP).
//!
//! The library holds what the tools and benchmarks share: the raw BGP messages a minimal
//! peer needs ([`bgp`]) and its session set-up ([`peer`]), counting prefixes in JSON events
//! ([`json`]), the tools' options ([`args`]), MRT dumps ([`mrt`]), GoBGP's gRPC messages ([`gobgp`]), the prefixes and command lines of a scenario ([`routes`]), the
//! fixtures of the micro-benchmarks ([`fixtures`]) and timestamps ([`clock`]).

pub mod args;
pub mod bgp;
pub mod clock;
pub mod fixtures;
pub mod gobgp;
pub mod json;
pub mod mrt;
pub mod peer;
pub mod routes;
