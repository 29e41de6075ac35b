//! Herald against real peers (issue 2, item 8): the scenarios of `tests/harness.rs`, with the
//! `herald` binary in ExaBGP's place, plus ExaBGP and Herald side by side on one peer
//! printing the same JSON.
//!
//! The peers are BIRD 2, GoBGP, FRR and ExaBGP 5 itself (`*_exabgp`: ExaBGP 5.0.15 as the
//! passive router Herald connects to, read back through its own JSON helper).

use herald_interop_tests::lab::PeerKind;
use herald_interop_tests::speaker::SpeakerKind;
use herald_interop_tests::{scenario, scenario_l2, scenario_vpn};

fn pass(result: Result<(), String>) {
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn herald_announces_and_withdraws_to_bird() {
    pass(scenario::announce_withdraw(
        SpeakerKind::Herald,
        PeerKind::Bird,
    ));
}

#[test]
fn herald_announces_and_withdraws_to_gobgp() {
    pass(scenario::announce_withdraw(
        SpeakerKind::Herald,
        PeerKind::Gobgp,
    ));
}

#[test]
fn herald_announces_ipv6_to_bird() {
    pass(scenario::announce_ipv6(SpeakerKind::Herald, PeerKind::Bird));
}

#[test]
fn herald_announces_ipv6_to_gobgp() {
    pass(scenario::announce_ipv6(
        SpeakerKind::Herald,
        PeerKind::Gobgp,
    ));
}

#[test]
fn herald_receives_from_bird() {
    pass(scenario::receive(SpeakerKind::Herald, PeerKind::Bird));
}

#[test]
fn herald_receives_from_gobgp() {
    pass(scenario::receive(SpeakerKind::Herald, PeerKind::Gobgp));
}

#[test]
fn herald_prints_the_json_exabgp_prints_bird() {
    pass(scenario::receive_like_exabgp(
        PeerKind::Bird,
        SpeakerKind::Herald,
    ));
}

#[test]
fn herald_prints_the_json_exabgp_prints_gobgp() {
    pass(scenario::receive_like_exabgp(
        PeerKind::Gobgp,
        SpeakerKind::Herald,
    ));
}

#[test]
fn herald_reannounces_after_bird_restart() {
    pass(scenario::peer_restart(SpeakerKind::Herald, PeerKind::Bird));
}

#[test]
fn herald_reannounces_after_gobgp_restart() {
    pass(scenario::peer_restart(SpeakerKind::Herald, PeerKind::Gobgp));
}

#[test]
fn herald_respawns_killed_helper() {
    pass(scenario::helper_respawn(
        SpeakerKind::Herald,
        PeerKind::Bird,
    ));
}

#[test]
fn herald_announces_and_withdraws_to_frr() {
    pass(scenario::announce_withdraw(
        SpeakerKind::Herald,
        PeerKind::Frr,
    ));
}

#[test]
fn herald_announces_ipv6_to_frr() {
    pass(scenario::announce_ipv6(SpeakerKind::Herald, PeerKind::Frr));
}

#[test]
fn herald_receives_from_frr() {
    pass(scenario::receive(SpeakerKind::Herald, PeerKind::Frr));
}

#[test]
fn herald_reannounces_after_frr_restart() {
    pass(scenario::peer_restart(SpeakerKind::Herald, PeerKind::Frr));
}

#[test]
fn herald_prints_the_json_exabgp_prints_frr() {
    pass(scenario::receive_like_exabgp(
        PeerKind::Frr,
        SpeakerKind::Herald,
    ));
}

#[test]
fn herald_announces_and_withdraws_to_exabgp() {
    pass(scenario::announce_withdraw(
        SpeakerKind::Herald,
        PeerKind::Exabgp,
    ));
}

#[test]
fn herald_announces_ipv6_to_exabgp() {
    pass(scenario::announce_ipv6(
        SpeakerKind::Herald,
        PeerKind::Exabgp,
    ));
}

#[test]
fn herald_receives_from_exabgp() {
    pass(scenario::receive(SpeakerKind::Herald, PeerKind::Exabgp));
}

#[test]
fn herald_reannounces_after_exabgp_restart() {
    pass(scenario::peer_restart(
        SpeakerKind::Herald,
        PeerKind::Exabgp,
    ));
}

#[test]
fn herald_prints_the_json_exabgp_prints_exabgp() {
    pass(scenario::receive_like_exabgp(
        PeerKind::Exabgp,
        SpeakerKind::Herald,
    ));
}

#[test]
fn herald_announces_vpn_and_labeled_to_gobgp() {
    pass(scenario_vpn::announce_vpn(SpeakerKind::Herald));
}

#[test]
fn herald_prints_the_vpn_json_exabgp_prints_gobgp() {
    pass(scenario_vpn::receive_vpn_like_exabgp(SpeakerKind::Herald));
}

#[test]
fn herald_prints_the_evpn_json_exabgp_prints_gobgp() {
    pass(herald_interop_tests::scenario_evpn::receive_evpn_like_exabgp(SpeakerKind::Herald));
}

#[test]
fn herald_announces_evpn_to_gobgp() {
    pass(herald_interop_tests::scenario_evpn::announce_evpn(
        SpeakerKind::Herald,
    ));
}

#[test]
fn herald_announces_vpls_and_mvpn_to_exabgp() {
    pass(scenario_l2::announce_l2(SpeakerKind::Herald));
}

#[test]
fn herald_prints_the_vpls_and_mvpn_json_exabgp_prints_exabgp() {
    pass(scenario_l2::receive_l2_like_exabgp(SpeakerKind::Herald));
}

#[test]
fn herald_prints_the_rtc_json_exabgp_prints_gobgp() {
    pass(herald_interop_tests::scenario_rtc::receive_rtc_like_exabgp(
        SpeakerKind::Herald,
    ));
}
