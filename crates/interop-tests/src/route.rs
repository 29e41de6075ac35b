//! A route as a peer holds it, in one shape for every peer, so that BIRD's, GoBGP's, FRR's
//! and ExaBGP's readback compare with the same expected value.

use std::fmt;

/// One path a peer holds, with the attributes the tests check.
///
/// Communities are written the way ExaBGP's commands write them: `65000:1`,
/// `65000:1:1` for large communities (RFC 8092) and `target:65000:7` / `origin:65000:7`
/// for route-target / route-origin extended communities (RFC 4360).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PeerRoute {
    /// The prefix, e.g. `203.0.113.0/24`.
    pub prefix: String,
    /// ORIGIN: `igp`, `egp` or `incomplete`.
    pub origin: Option<String>,
    /// NEXT_HOP.
    pub next_hop: Option<String>,
    /// AS_PATH, flattened (sets are listed inline).
    pub as_path: Vec<u32>,
    /// MULTI_EXIT_DISC.
    pub med: Option<u32>,
    /// LOCAL_PREF.
    pub local_pref: Option<u32>,
    /// COMMUNITIES, e.g. `65000:1`.
    pub communities: Vec<String>,
    /// LARGE_COMMUNITIES, e.g. `65000:1:1`.
    pub large_communities: Vec<String>,
    /// EXTENDED_COMMUNITIES, e.g. `target:65000:7`.
    pub ext_communities: Vec<String>,
    /// MPLS labels of a labeled or VPN route (RFC 8277), outermost first.
    pub labels: Vec<u32>,
    /// Route distinguisher of a VPN route (RFC 4364 §4.2), e.g. `65000:1`.
    pub rd: Option<String>,
}

impl PeerRoute {
    /// A route for `prefix` with no attributes, to fill in with struct update syntax.
    pub fn new(prefix: &str) -> Self {
        Self {
            prefix: prefix.to_owned(),
            ..Self::default()
        }
    }
}

impl fmt::Display for PeerRoute {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self:?}")
    }
}

/// Finds the route for `prefix` in `routes`.
pub fn find<'a>(routes: &'a [PeerRoute], prefix: &str) -> Option<&'a PeerRoute> {
    routes.iter().find(|r| r.prefix == prefix)
}
