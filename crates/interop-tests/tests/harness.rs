//! Harness self-test: ExaBGP 5 in Herald's place, against BIRD 2, GoBGP, FRR and ExaBGP 5
//! itself as the peer.
//!
//! These prove the harness and every scenario work with the reference implementation, so a
//! failure of the same scenario in `tests/herald.rs` is Herald's.

use herald_interop_tests::lab::PeerKind;
use herald_interop_tests::scenario;
use herald_interop_tests::speaker::SpeakerKind;

fn pass(result: Result<(), String>) {
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn exabgp_announces_and_withdraws_to_bird() {
    pass(scenario::announce_withdraw(
        SpeakerKind::ExaBgp,
        PeerKind::Bird,
    ));
}

#[test]
fn exabgp_announces_and_withdraws_to_gobgp() {
    pass(scenario::announce_withdraw(
        SpeakerKind::ExaBgp,
        PeerKind::Gobgp,
    ));
}

#[test]
fn exabgp_announces_ipv6_to_bird() {
    pass(scenario::announce_ipv6(SpeakerKind::ExaBgp, PeerKind::Bird));
}

#[test]
fn exabgp_announces_ipv6_to_gobgp() {
    pass(scenario::announce_ipv6(
        SpeakerKind::ExaBgp,
        PeerKind::Gobgp,
    ));
}

#[test]
fn exabgp_receives_from_bird() {
    pass(scenario::receive(SpeakerKind::ExaBgp, PeerKind::Bird));
}

#[test]
fn exabgp_receives_from_gobgp() {
    pass(scenario::receive(SpeakerKind::ExaBgp, PeerKind::Gobgp));
}

#[test]
fn exabgp_reannounces_after_bird_restart() {
    pass(scenario::peer_restart(SpeakerKind::ExaBgp, PeerKind::Bird));
}

#[test]
fn exabgp_reannounces_after_gobgp_restart() {
    pass(scenario::peer_restart(SpeakerKind::ExaBgp, PeerKind::Gobgp));
}

#[test]
fn exabgp_respawns_killed_helper() {
    pass(scenario::helper_respawn(
        SpeakerKind::ExaBgp,
        PeerKind::Bird,
    ));
}

#[test]
fn two_exabgps_print_the_same_json_bird() {
    pass(scenario::receive_like_exabgp(
        PeerKind::Bird,
        SpeakerKind::ExaBgp,
    ));
}

#[test]
fn two_exabgps_print_the_same_json_gobgp() {
    pass(scenario::receive_like_exabgp(
        PeerKind::Gobgp,
        SpeakerKind::ExaBgp,
    ));
}

#[test]
fn exabgp_announces_and_withdraws_to_frr() {
    pass(scenario::announce_withdraw(
        SpeakerKind::ExaBgp,
        PeerKind::Frr,
    ));
}

#[test]
fn exabgp_announces_ipv6_to_frr() {
    pass(scenario::announce_ipv6(SpeakerKind::ExaBgp, PeerKind::Frr));
}

#[test]
fn exabgp_receives_from_frr() {
    pass(scenario::receive(SpeakerKind::ExaBgp, PeerKind::Frr));
}

#[test]
fn exabgp_reannounces_after_frr_restart() {
    pass(scenario::peer_restart(SpeakerKind::ExaBgp, PeerKind::Frr));
}

#[test]
fn two_exabgps_print_the_same_json_frr() {
    pass(scenario::receive_like_exabgp(
        PeerKind::Frr,
        SpeakerKind::ExaBgp,
    ));
}

#[test]
fn exabgp_announces_and_withdraws_to_exabgp() {
    pass(scenario::announce_withdraw(
        SpeakerKind::ExaBgp,
        PeerKind::Exabgp,
    ));
}

#[test]
fn exabgp_announces_ipv6_to_exabgp() {
    pass(scenario::announce_ipv6(
        SpeakerKind::ExaBgp,
        PeerKind::Exabgp,
    ));
}

#[test]
fn exabgp_receives_from_exabgp() {
    pass(scenario::receive(SpeakerKind::ExaBgp, PeerKind::Exabgp));
}

#[test]
fn exabgp_reannounces_after_exabgp_restart() {
    pass(scenario::peer_restart(
        SpeakerKind::ExaBgp,
        PeerKind::Exabgp,
    ));
}

#[test]
fn two_exabgps_print_the_same_json_exabgp() {
    pass(scenario::receive_like_exabgp(
        PeerKind::Exabgp,
        SpeakerKind::ExaBgp,
    ));
}

#[test]
fn exabgp_announces_vpn_and_labeled_to_gobgp() {
    pass(herald_interop_tests::scenario_vpn::announce_vpn(
        SpeakerKind::ExaBgp,
    ));
}

#[test]
fn exabgp_announces_vpls_and_mvpn_to_exabgp() {
    pass(herald_interop_tests::scenario_l2::announce_l2(
        SpeakerKind::ExaBgp,
    ));
}

#[test]
fn exabgp_prints_the_vpls_and_mvpn_json_exabgp_prints_exabgp() {
    pass(herald_interop_tests::scenario_l2::receive_l2_like_exabgp(
        SpeakerKind::ExaBgp,
    ));
}
