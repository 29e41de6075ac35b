//! FlowSpec rules between Herald and GoBGP, both ways (IPv4, IPv6, flow-vpn): see
//! `herald_interop_tests::scenario_flow`.

use herald_interop_tests::scenario_flow::{announce_flow_rules, receive_flow_rules};

#[test]
fn gobgp_holds_the_flow_rules_herald_announces() {
    announce_flow_rules().unwrap_or_else(|e| panic!("{e}"));
}

#[test]
fn herald_prints_gobgps_flow_rules_as_exabgp_decode_does() {
    receive_flow_rules().unwrap_or_else(|e| panic!("{e}"));
}
