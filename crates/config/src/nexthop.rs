//! RFC 8950 extended next hop: an IPv4 route (unicast, multicast, `nlri-mpls`, `mpls-vpn`)
//! with an IPv6 next hop can only be sent to a peer with which the Extended Next Hop
//! Encoding capability is negotiated for that family, which takes a `nexthop { <afi>
//! <safi> ipv6; }` entry in the neighbor's configuration (RFC 8950 §3, §4: "a BGP speaker
//! MUST NOT" send such a next hop otherwise). The configuration refuses such a `static`
//! route, and the API such an `announce`, when the entry is missing.

use std::net::IpAddr;

use wire::{Afi, Family, Safi};

use crate::model::{NextHop, NextHopFamily, Route};

/// The `nexthop` entry a route needs: `Some` for an IPv4 route of a family RFC 8950 covers
/// whose next hop is an IPv6 address; `None` when its next hop is of its own AFI (or there
/// is none, or it is `self`, resolved to the session's own address).
pub fn needed(route: &Route) -> Option<NextHopFamily> {
    let covered = matches!(
        route.family.safi,
        Safi::UNICAST | Safi::MULTICAST | Safi::MPLS | Safi::MPLS_VPN
    );
    let v6 = matches!(route.next_hop, NextHop::Ip(IpAddr::V6(_)));
    (route.family.afi == Afi::IPV4 && covered && v6).then_some(NextHopFamily {
        family: route.family,
        next_hop_afi: Afi::IPV6,
    })
}

/// Why `route` cannot be sent to a neighbor whose `nexthop` entries in effect are
/// `entries`, or `None` when it can.
pub fn refusal(entries: &[NextHopFamily], route: &Route) -> Option<String> {
    let need = needed(route)?;
    if entries.contains(&need) {
        return None;
    }
    Some(format!(
        "an {} route with an IPv6 next hop needs the extended next-hop capability \
         (RFC 8950): `nexthop {{ {} ipv6; }}` with both families configured",
        family_words(need.family),
        family_words(need.family)
    ))
}

fn family_words(family: Family) -> String {
    format!("{} {}", family.afi, family.safi)
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::Nlri;

    fn route(family: Family, next_hop: &str) -> Route {
        let mut r = Route::new(family, Nlri::prefix("10.0.0.0/24".parse().unwrap()));
        r.next_hop = NextHop::Ip(next_hop.parse().unwrap());
        r
    }

    #[test]
    fn ipv4_routes_with_ipv6_next_hops_need_the_entry() {
        let v4 = route(Family::IPV4_UNICAST, "2001:db8::1");
        let entry = NextHopFamily {
            family: Family::IPV4_UNICAST,
            next_hop_afi: Afi::IPV6,
        };
        assert_eq!(needed(&v4), Some(entry));
        assert!(refusal(&[], &v4)
            .unwrap()
            .contains("nexthop { ipv4 unicast ipv6; }"));
        assert_eq!(refusal(&[entry], &v4), None);
        // An IPv4 next hop, an IPv6 route with an IPv4 next hop (IPv4-mapped, RFC 4291
        // §2.5.5.2, as ExaBGP sends it), and next-hop self need nothing.
        assert_eq!(needed(&route(Family::IPV4_UNICAST, "192.0.2.1")), None);
        assert_eq!(needed(&route(Family::IPV6_UNICAST, "192.0.2.1")), None);
        let mut own = route(Family::IPV4_UNICAST, "2001:db8::1");
        own.next_hop = NextHop::SelfAddr;
        assert_eq!(needed(&own), None);
        // VPN routes need their own entry.
        let vpn = route(Family::new(Afi::IPV4, Safi::MPLS_VPN), "2001:db8::1");
        assert!(refusal(&[entry], &vpn).is_some());
    }

    fn parse(body: &str) -> Result<crate::Config, Vec<String>> {
        let text = format!(
            "neighbor 10.0.0.1 {{\n local-as 65000; peer-as 65001; router-id 1.1.1.1;\n{body}\n}}\n"
        );
        crate::parse(&[crate::Source::new("t.conf", text)])
            .map_err(|e| e.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn configuration_refuses_the_route_without_its_entry() {
        let route = "static { route 10.0.0.0/24 next-hop 2001:db8::1; }";
        let errors = parse(&format!(
            "family {{ ipv4 unicast; ipv6 unicast; }}\n{route}"
        ))
        .unwrap_err();
        assert!(
            errors
                .iter()
                .any(|e| e.contains("t.conf:4") && e.contains("extended next-hop")),
            "{errors:?}"
        );
        // The entry needs both families configured (RFC 8950 §3: the capability names the
        // next hop's AFI, which must be one the session carries).
        assert!(parse(&format!(
            "family {{ ipv4 unicast; }}\nnexthop {{ ipv4 unicast ipv6; }}\n{route}"
        ))
        .is_err());
        let ok = parse(&format!(
            "family {{ ipv4 unicast; ipv6 unicast; }}\nnexthop {{ ipv4 unicast ipv6; }}\n{route}"
        ))
        .unwrap();
        assert_eq!(ok.neighbors[0].routes.len(), 1);
        // ExaBGP's own example (conformance `etc/extended-nexthop.conf`) is accepted.
        let vpn = parse(
            "family { ipv4 unicast; ipv4 mpls-vpn; ipv6 unicast; ipv6 mpls-vpn; }\n\
             nexthop { ipv4 unicast ipv6; ipv4 mpls-vpn ipv6; }\n\
             static { route 10.0.0.0/24 rd 65000:1 label 100 next-hop 2001:db8::1; }",
        );
        assert!(vpn.is_ok(), "{vpn:?}");
    }
}
