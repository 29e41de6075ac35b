//! AIGP_SESSION (RFC 7311 §3.1, §3.2) with GoBGP sending AIGP (`scenario_aigp`).

use herald_interop_tests::scenario_aigp;

fn pass(result: Result<(), String>) {
    if let Err(e) = result {
        panic!("{e}");
    }
}

#[test]
fn aigp_from_gobgp_is_read_on_ibgp_by_default() {
    pass(scenario_aigp::read_on_ibgp_by_default());
}

#[test]
fn aigp_from_gobgp_is_ignored_where_disabled() {
    pass(scenario_aigp::ignored_where_disabled());
}
