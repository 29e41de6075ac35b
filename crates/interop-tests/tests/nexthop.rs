//! Extended next hop (RFC 8950) with GoBGP: see `herald_interop_tests::scenario_nexthop`.

use herald_interop_tests::scenario_nexthop::{
    exchange_ipv6_next_hops, refuse_ipv6_next_hop_without_capability,
};

#[test]
fn ipv4_routes_with_ipv6_next_hops_both_ways_with_gobgp() {
    exchange_ipv6_next_hops().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn ipv6_next_hop_is_refused_without_the_capability() {
    refuse_ipv6_next_hop_without_capability().unwrap_or_else(|e| panic!("{e}"));
}
