//! Which peers a command from a helper applies to (spec §2.2), as ExaBGP picks them:
//!
//! | command | candidates |
//! |---|---|
//! | announce / withdraw (routes) | peers bound to the helper (`api { processes … }`, `processes-match`; the internal CLI helper is bound to every peer) |
//! | `announce eor`, `announce route-refresh`, `flush adj-rib out`, `teardown` | established peers |
//! | `clear adj-rib` | every peer |
//!
//! The candidates are then narrowed by the command's selectors (ORed; an empty list keeps
//! them all, except for `teardown`, which needs a selector). Peers being shut down are never
//! selected.

use api::command::{PeerIdentity, Selector};
use config::{AsnSetting, Neighbor};

use crate::bindings::is_bound;
use crate::event::PeerId;
use crate::supervisor::PeerEntry;

/// Name prefix of ExaBGP's internal CLI helper, which may command every peer.
pub const API_PREFIX: &str = "api-internal-cli";

/// Which peers are candidates before the selectors.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Candidates<'a> {
    /// Peers bound to this helper.
    BoundTo(&'a str),
    /// Established peers.
    Established,
    /// Every peer.
    All,
}

/// The peers selected.
pub(crate) fn targets<'a>(
    peers: impl Iterator<Item = (&'a PeerId, &'a PeerEntry)>,
    candidates: Candidates<'_>,
    selectors: &[Selector],
) -> Vec<PeerId> {
    peers
        .filter(|(_, e)| !e.stopping)
        .filter(|(_, e)| match candidates {
            Candidates::BoundTo(process) => {
                process.starts_with(API_PREFIX) || is_bound(&e.handle.neighbor, process)
            }
            Candidates::Established => e.established,
            Candidates::All => true,
        })
        .filter(|(_, e)| {
            let identity = identity(e);
            selectors.is_empty() || selectors.iter().any(|s| s.matches(&identity))
        })
        .map(|(id, _)| *id)
        .collect()
}

/// How ExaBGP names the peer of `entry`, for selector matching.
pub(crate) fn identity(entry: &PeerEntry) -> PeerIdentity {
    let neighbor = &entry.handle.neighbor;
    let info = entry.info.as_ref();
    PeerIdentity {
        peer: info.map_or(neighbor.peer_address.addr(), |i| i.peer_addr),
        local_ip: neighbor.local_address.or(info.and_then(|i| i.local_addr)),
        local_as: match neighbor.local_as {
            AsnSetting::Asn(a) => Some(a),
            AsnSetting::Auto => info.map(|i| i.local_as),
        },
        peer_as: match neighbor.peer_as {
            AsnSetting::Asn(a) => Some(a),
            AsnSetting::Auto => info.map(|i| i.peer_as),
        },
        router_id: neighbor.router_id.or(info.map(|i| i.router_id)),
        family_allowed: family_allowed(neighbor),
    }
}

/// ExaBGP's `family-allowed` word for a neighbor: `in-open`, or with multi-session the
/// families joined with `/` (`ipv4-unicast/ipv6-unicast`).
pub fn family_allowed(neighbor: &Neighbor) -> String {
    if !neighbor.capability.multi_session {
        return "in-open".into();
    }
    neighbor
        .families
        .iter()
        .map(|f| f.to_string().replace(' ', "-"))
        .collect::<Vec<_>>()
        .join("/")
}
