//! Herald's interop harness: real BIRD 2, GoBGP, FRR and ExaBGP 5 daemons on loopback, and
//! the scenarios that check Herald against them.
//!
//! The peers (BIRD 2, GoBGP, FRR) are those of `shared/spec/interop-peers.md`, installed by
//! `scripts/install-peers`; ExaBGP 5.0.15, the reference speaker, also serves as a fourth
//! peer. Every daemon runs under `timeout(1)` in a per-test temporary
//! directory, on a per-test loopback subnet (`127.A.B.0/24`) and free ports, and is stopped
//! when its guard drops; only processes the harness started are ever signalled.
//!
//! Layout:
//! - [`process`]: bounded child processes, control commands, polling;
//! - [`bird`], [`gobgp`], [`frr`], [`exabgp`]: the peers and their readback into
//!   [`route::PeerRoute`] (ExaBGP's by replaying the JSON its receive helper writes);
//! - [`speaker`]: ExaBGP 5 or Herald with a command helper and a JSON receive helper;
//! - [`json`]: ExaBGP's JSON lines, compared the way ExaBGP's own tests compare them;
//! - [`differential`]: `herald decode` against `exabgp decode` on the conformance corpus
//!   and the repository's own (`tests/corpus`: encoder-made and GoBGP-captured UPDATEs);
//! - [`capture`]: UPDATEs captured from GoBGP for that corpus, with a [`family_lab`]
//!   (GoBGP and Herald with VPN, labeled and FlowSpec families);
//! - [`scenario_flow`]: FlowSpec rules between Herald and GoBGP, both ways;
//! - [`scenario_nexthop`]: IPv4 routes with IPv6 next hops (RFC 8950) with GoBGP;
//! - [`scenario_aigp`]: AIGP from GoBGP, read or ignored by AIGP_SESSION (RFC 7311);
//! - [`lab`], [`scenario`], [`scenario_vpn`], [`scenario_rtc`]: a peer plus speakers, and
//!   the scenarios the tests run (VPN and labeled routes against GoBGP in `scenario_vpn`,
//!   EVPN in `scenario_evpn`, route target constraint from GoBGP in `scenario_rtc`; MUP
//!   routes in `scenario_mup` and VPLS/MVPN in `scenario_l2`, with ExaBGP 5 both ways).
//!
//! This crate does not speak BGP itself and does not depend on Herald's crates: Herald is
//! exercised only as the `herald` binary, exactly as users run it.

pub mod bird;
pub mod capture;
pub mod differential;
pub mod error;
pub mod exabgp;
pub mod family_lab;
pub mod frr;
pub mod gobgp;
pub mod gobgp_flow;
pub mod herald;
pub mod json;
pub mod lab;
pub mod net;
pub mod process;
pub mod route;
pub mod scenario;
pub mod scenario_aigp;
pub mod scenario_evpn;
pub mod scenario_flow;
pub mod scenario_l2;
pub mod scenario_mup;
pub mod scenario_nexthop;
pub mod scenario_rtc;
pub mod scenario_vpn;
pub mod speaker;
pub mod tmp;

pub use error::{HarnessError, Result};
