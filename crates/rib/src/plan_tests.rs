//! Planning in bounded steps (`AdjRibOut::plan_some`): the same routes, in the same
//! order, each step within its budget, and ExaBGP's UPDATEs when one step holds them all.

use super::*;

/// Every (announced, withdrawn) NLRI of `out`, in order, and the BoRR/EoRR markers.
fn flatten(out: &[Outgoing]) -> Vec<String> {
    let mut all = Vec::new();
    for o in out {
        match o {
            Outgoing::Update(u) => {
                all.extend(u.withdrawn.iter().map(|n| format!("-{n:?}")));
                all.extend(u.nlri.iter().map(|n| format!("+{n:?}")));
                for a in &u.attributes {
                    match a {
                        Attribute::MpReach(r) => {
                            all.extend(r.nlri.iter().map(|n| format!("+{n:?}")))
                        }
                        Attribute::MpUnreach(r) => {
                            all.extend(r.nlri.iter().map(|n| format!("-{n:?}")))
                        }
                        _ => {}
                    }
                }
            }
            marker => all.push(format!("{marker:?}")),
        }
    }
    all
}

fn v4(i: u32) -> Nlri {
    Nlri::prefix(IpNet::V4(
        ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(0x0a00_0000 + i), 32).unwrap(),
    ))
}

/// A table with routes under three attribute sets, IPv4 and IPv6, some withdrawn after
/// a first flush, and a pending enhanced refresh.
fn loaded() -> AdjRibOut {
    let mut rib = AdjRibOut::new();
    let sets = [
        attrs("1.1.1.1", vec![]),
        attrs("2.2.2.2", vec![Attribute::Med(5)]),
        attrs("2001:db8::1", vec![]),
    ];
    for i in 0..3000 {
        let set = &sets[(i / 700) as usize % 2];
        rib.announce(Family::IPV4_UNICAST, &v4(i), Arc::clone(set));
    }
    for i in 0..40 {
        let nlri = net(&format!("2001:db8:{i:x}::/48"));
        rib.announce(Family::IPV6_UNICAST, &nlri, Arc::clone(&sets[2]));
    }
    rib.plan(&ctx(true), &SIZER);
    for i in (0..3000).step_by(7) {
        rib.withdraw(Family::IPV4_UNICAST, &v4(i), None);
    }
    for i in 3000..3100 {
        rib.announce(Family::IPV4_UNICAST, &v4(i), Arc::clone(&sets[0]));
    }
    rib.refresh(Some(Family::IPV6_UNICAST), true);
    rib
}

#[test]
fn one_step_for_everything_is_plan() {
    let whole = loaded().plan(&ctx(true), &SIZER);
    let mut rib = loaded();
    let step = rib.plan_some(&ctx(true), &SIZER, usize::MAX);
    assert!(!rib.has_pending());
    assert_eq!(step, whole);
}

#[test]
fn steps_send_the_same_routes_in_the_same_order() {
    let whole = flatten(&loaded().plan(&ctx(true), &SIZER));
    for budget in [1, 7, 100, 799, 800, 1000, 5000] {
        let mut rib = loaded();
        let total = rib.pending_len();
        let mut stepped = Vec::new();
        let mut steps = 0;
        while rib.has_pending() {
            let out = rib.plan_some(&ctx(true), &SIZER, budget);
            assert!(!out.is_empty(), "a step with changes left sends something");
            stepped.extend(flatten(&out));
            steps += 1;
        }
        assert_eq!(stepped, whole, "budget {budget}");
        assert!(
            steps >= total.div_ceil(budget.max(1)),
            "budget {budget}: {steps} steps"
        );
    }
}

#[test]
fn a_step_packs_at_most_its_budget() {
    let mut rib = AdjRibOut::new();
    let a = attrs("1.1.1.1", vec![]);
    for i in 0..10_000 {
        rib.announce(Family::IPV4_UNICAST, &v4(i), Arc::clone(&a));
    }
    let first = updates(rib.plan_some(&ctx(true), &SIZER, 1500));
    let routes: usize = first.iter().map(|u| u.nlri.len()).sum();
    assert_eq!(routes, 1500);
    assert!(rib.has_pending());
    assert_eq!(rib.pending_len(), 8500);
    // the rest, in one step, is packed full
    let rest = updates(rib.plan_some(&ctx(true), &SIZER, usize::MAX));
    assert_eq!(rest.iter().map(|u| u.nlri.len()).sum::<usize>(), 8500);
    let largest = rest.iter().map(|u| update_len(u, &SIZER)).max().unwrap();
    assert!(largest <= 4096 && largest > 4000, "{largest}");
}

#[test]
fn a_new_session_drops_what_was_staged_and_sends_the_table() {
    let mut rib = AdjRibOut::new();
    let a = attrs("1.1.1.1", vec![]);
    for i in 0..5000 {
        rib.announce(Family::IPV4_UNICAST, &v4(i), Arc::clone(&a));
    }
    rib.plan_some(&ctx(true), &SIZER, 1000);
    assert_eq!(rib.pending_len(), 4000);
    // the session went down with 4,000 routes staged; the next one gets all 5,000
    rib.resend_all();
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    let mut peer = AdjRibIn::new();
    for u in &sent {
        peer.apply(u);
    }
    assert_eq!(peer.len(), 5000);
    assert!(!rib.has_pending());
}
