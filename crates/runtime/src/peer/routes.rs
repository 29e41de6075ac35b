//! From configured and API routes to Adj-RIB-Out changes: `next-hop self` resolution and
//! `split` expansion (ExaBGP spec §1.5), watchdog groups, and the list of routes whose next
//! hop waits for the session's local address.

use std::net::IpAddr;
use std::sync::Arc;

use config::{NextHop, Route};
use ipnet::IpNet;
use rib::{AdjRibOut, AttrSet, Sizer};
use wire::{Attribute, EncodeCtx, Family, Nlri};

/// Largest number of more-specifics one `split` may produce (a /8 split into /24s is
/// 65536). Larger splits are refused rather than filling memory.
pub(crate) const MAX_SPLIT: u32 = 1 << 16;

/// The routes of one peer that are not in the Adj-RIB-Out yet because their next hop is
/// `self` and the local address of the session is not known.
#[derive(Debug, Default)]
pub(crate) struct Routes {
    /// `next-hop self` routes in announcement order (re-resolved on every new session,
    /// since the local address may change).
    self_routes: Vec<Route>,
    /// The local address used for `next-hop self` so far.
    local: Option<IpAddr>,
}

impl Routes {
    /// Puts `route` in the Adj-RIB-Out (or, for `next-hop self` without a known local
    /// address, keeps it until [`Routes::set_local`]). Returns false when the route was not
    /// usable (a split that is too large).
    pub(crate) fn announce(&mut self, rib: &mut AdjRibOut, route: &Route) -> bool {
        if route.next_hop == NextHop::SelfAddr {
            self.self_routes
                .retain(|r| !(r.family == route.family && r.nlri.same_route(&route.nlri)));
            self.self_routes.push(route.clone());
            let Some(local) = self.local else {
                return true;
            };
            return apply(rib, route, Some(local));
        }
        apply(rib, route, None)
    }

    /// Withdraws `route` (and its split more-specifics) from the Adj-RIB-Out.
    pub(crate) fn withdraw(&mut self, rib: &mut AdjRibOut, route: &Route) {
        self.self_routes
            .retain(|r| !(r.family == route.family && r.nlri.same_route(&route.nlri)));
        // A flow's withdrawal carries the command's own attributes, as ExaBGP sends it
        // (api-flow, api-broken-flow); other families reuse the announced ones.
        let own = wire::nlri::is_flow_family(route.family);
        let attrs =
            if !own && route.attributes.is_empty() && !matches!(route.next_hop, NextHop::Ip(_)) {
                None
            } else {
                let next_hop = match route.next_hop {
                    NextHop::Ip(ip) => Some(ip),
                    NextHop::SelfAddr => self.local,
                    NextHop::None => None,
                };
                Some(Arc::new(AttrSet::new(next_hop, route.attributes.clone())))
            };
        let Some(nlris) = expand(route) else {
            return;
        };
        for nlri in &nlris {
            rib.withdraw(route.family, nlri, attrs.clone());
        }
    }

    /// The session's local address is known (or changed): resolve the `next-hop self`
    /// routes with it.
    pub(crate) fn set_local(&mut self, rib: &mut AdjRibOut, local: IpAddr) {
        if self.local == Some(local) {
            return;
        }
        self.local = Some(local);
        for route in &self.self_routes {
            apply(rib, route, Some(local));
        }
    }

    /// Forgets the `next-hop self` routes (`clear adj-rib out`).
    pub(crate) fn clear(&mut self) {
        self.self_routes.clear();
    }
}

/// Announces a route (watchdog routes join their group) with `self` resolved to `local`.
fn apply(rib: &mut AdjRibOut, route: &Route, local: Option<IpAddr>) -> bool {
    let next_hop = match route.next_hop {
        NextHop::Ip(ip) => Some(ip),
        NextHop::SelfAddr => local,
        NextHop::None => None,
    };
    let Some(nlris) = expand(route) else {
        return false;
    };
    let attrs = rib.intern_parts(next_hop, &route.attributes);
    for nlri in nlris {
        match &route.watchdog {
            Some(name) => rib.watchdog_add(
                name,
                route.family,
                nlri,
                Arc::clone(&attrs),
                route.withdrawn,
            ),
            None if route.withdrawn => {}
            None => rib.announce(route.family, &nlri, Arc::clone(&attrs)),
        }
    }
    true
}

/// The NLRI a route stands for: itself, or with `split /len` its more-specifics of that
/// length (ExaBGP spec §1.5). `None` when the split would produce more than [`MAX_SPLIT`]
/// prefixes.
pub(crate) fn expand(route: &Route) -> Option<Vec<Nlri>> {
    let (Some(len), Nlri::Prefix { prefix, .. } | Nlri::Labeled { prefix, .. }) =
        (route.split, &route.nlri)
    else {
        return Some(vec![route.nlri.clone()]);
    };
    if len <= prefix.prefix_len() || len > prefix.max_prefix_len() {
        return Some(vec![route.nlri.clone()]);
    }
    if u32::from(len - prefix.prefix_len()) > MAX_SPLIT.trailing_zeros() {
        return None;
    }
    let subnets: Vec<IpNet> = prefix.subnets(len).ok()?.collect();
    Some(
        subnets
            .into_iter()
            .map(|prefix| config::route::with_prefix(&route.nlri, prefix))
            .collect(),
    )
}

/// Sizes for the UPDATE packer, from the wire codec.
pub(crate) struct WireSizer<'a>(pub(crate) &'a EncodeCtx);

impl Sizer for WireSizer<'_> {
    fn attributes_len(&self, attrs: &[Attribute]) -> usize {
        let mut out = Vec::new();
        match wire::attr::encode_attributes(attrs, self.0, &mut out) {
            Ok(()) => out.len(),
            // Unencodable attributes are reported when the UPDATE is encoded.
            Err(_) => 0,
        }
    }

    fn nlri_len(&self, family: Family, nlri: &Nlri) -> usize {
        nlri.encoded_len(family, self.0.add_path(family))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(rib: &AdjRibOut) -> Vec<(Family, Nlri, Option<IpAddr>)> {
        rib.routes()
            .into_iter()
            .map(|(f, n, a)| (f, n, a.next_hop))
            .collect()
    }

    fn route(prefix: &str, next_hop: NextHop) -> Route {
        let mut route = Route::new(Family::IPV4_UNICAST, Nlri::prefix(prefix.parse().unwrap()));
        route.next_hop = next_hop;
        route
    }

    #[test]
    fn split_expands_to_more_specifics() {
        let mut r = route("10.3.0.0/22", NextHop::Ip("192.0.2.1".parse().unwrap()));
        r.split = Some(24);
        let nlris = expand(&r).unwrap();
        let want: Vec<Nlri> = ["10.3.0.0/24", "10.3.1.0/24", "10.3.2.0/24", "10.3.3.0/24"]
            .iter()
            .map(|p| Nlri::prefix(p.parse().unwrap()))
            .collect();
        assert_eq!(nlris, want);
        r.split = Some(8);
        assert_eq!(expand(&r).unwrap().len(), 1, "a shorter split is no split");
        let mut huge = route("10.0.0.0/8", NextHop::None);
        huge.split = Some(32);
        assert!(expand(&huge).is_none());
    }

    #[test]
    fn next_hop_self_waits_for_the_local_address() {
        let mut rib = AdjRibOut::new();
        let mut routes = Routes::default();
        routes.announce(&mut rib, &route("10.0.0.0/24", NextHop::SelfAddr));
        routes.announce(
            &mut rib,
            &route("10.0.1.0/24", NextHop::Ip("192.0.2.9".parse().unwrap())),
        );
        assert_eq!(rib.len(), 1);
        routes.set_local(&mut rib, "192.0.2.1".parse().unwrap());
        let got = keys(&rib);
        assert_eq!(got.len(), 2);
        assert!(got.contains(&(
            Family::IPV4_UNICAST,
            Nlri::prefix("10.0.0.0/24".parse().unwrap()),
            Some("192.0.2.1".parse().unwrap())
        )));
        // a new session from another address re-resolves
        routes.set_local(&mut rib, "192.0.2.2".parse().unwrap());
        assert!(keys(&rib).contains(&(
            Family::IPV4_UNICAST,
            Nlri::prefix("10.0.0.0/24".parse().unwrap()),
            Some("192.0.2.2".parse().unwrap())
        )));
        routes.withdraw(&mut rib, &route("10.0.0.0/24", NextHop::None));
        assert_eq!(rib.len(), 1);
        routes.set_local(&mut rib, "192.0.2.3".parse().unwrap());
        assert_eq!(rib.len(), 1, "a withdrawn self route does not come back");
    }

    #[test]
    fn watchdog_routes_start_withdrawn() {
        let mut rib = AdjRibOut::new();
        let mut routes = Routes::default();
        let mut r = route("10.9.0.0/24", NextHop::Ip("192.0.2.1".parse().unwrap()));
        r.watchdog = Some("dog".into());
        r.withdrawn = true;
        routes.announce(&mut rib, &r);
        assert!(rib.is_empty());
        assert_eq!(rib.watchdog_announce("dog"), 1);
        assert_eq!(rib.len(), 1);
    }
}
