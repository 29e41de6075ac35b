//! BGP-MUP (SAFI 85) with ExaBGP 5 as the peer, both directions (`scenario_mup`).

use herald_interop_tests::scenario_mup;

fn pass(result: Result<(), String>) {
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn herald_announces_mup_routes_to_exabgp() {
    pass(scenario_mup::herald_announces());
}

#[test]
fn herald_prints_the_json_exabgp_prints_for_mup_routes() {
    pass(scenario_mup::herald_receives_like_exabgp());
}
