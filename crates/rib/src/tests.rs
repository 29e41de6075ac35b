//! Behaviour tests of the Adj-RIB-Out with its packer, sized by a minimal test codec.

use std::net::IpAddr;
use std::sync::Arc;

use ipnet::IpNet;
use proptest::prelude::*;
use wire::attr::{AsPath, Community};
use wire::{Asn, Attribute, EncodeCtx, Family, Nlri, PathId, Update};

use crate::pack::{wire_attributes, HEADER_LEN};
use crate::{AdjRibIn, AdjRibOut, AttrSet, OutCtx, Outgoing, Sizer};

/// Sizes per RFC 4271 §4.3 for the attributes the tests use (four-octet AS_PATH).
struct TestSizer {
    add_path: bool,
}

fn attr_header(value: usize) -> usize {
    if value > 255 {
        value + 4
    } else {
        value + 3
    }
}

impl Sizer for TestSizer {
    fn attributes_len(&self, attrs: &[Attribute]) -> usize {
        attrs
            .iter()
            .map(|a| match a {
                Attribute::Origin(_) => 4,
                Attribute::AsPath(AsPath(segments)) => {
                    attr_header(segments.iter().map(|s| 2 + 4 * s.asns.len()).sum())
                }
                Attribute::NextHop(_) | Attribute::Med(_) | Attribute::LocalPref(_) => 7,
                Attribute::Communities(c) => attr_header(4 * c.len()),
                Attribute::MpReach(r) => {
                    let hops: usize = r
                        .next_hop
                        .iter()
                        .map(|h| if h.is_ipv4() { 4 } else { 16 })
                        .sum();
                    let nlri: usize = r.nlri.iter().map(|n| self.nlri_len(r.family, n)).sum();
                    attr_header(5 + hops + nlri)
                }
                Attribute::MpUnreach(u) => attr_header(
                    3 + u
                        .nlri
                        .iter()
                        .map(|n| self.nlri_len(u.family, n))
                        .sum::<usize>(),
                ),
                other => panic!("test sizer does not know {other:?}"),
            })
            .sum()
    }

    fn nlri_len(&self, _family: Family, nlri: &Nlri) -> usize {
        match nlri {
            Nlri::Prefix { prefix, .. } => {
                1 + usize::from(prefix.prefix_len()).div_ceil(8) + if self.add_path { 4 } else { 0 }
            }
            Nlri::Opaque(bytes) => bytes.len(),
            other => panic!("test sizer does not know {other:?}"),
        }
    }
}

fn ctx(group: bool) -> OutCtx {
    OutCtx {
        encode: EncodeCtx {
            asn4: true,
            ..EncodeCtx::default()
        },
        local_as: Asn(65533),
        peer_as: Asn(65533),
        group_updates: group,
        families: vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST],
    }
}

fn net(text: &str) -> Nlri {
    Nlri::prefix(text.parse::<IpNet>().unwrap())
}

fn family_of(nlri: &Nlri) -> Family {
    match nlri {
        Nlri::Prefix {
            prefix: IpNet::V6(_),
            ..
        } => Family::IPV6_UNICAST,
        _ => Family::IPV4_UNICAST,
    }
}

fn attrs(hop: &str, extra: Vec<Attribute>) -> Arc<AttrSet> {
    Arc::new(AttrSet::new(Some(hop.parse().unwrap()), extra))
}

fn updates(out: Vec<Outgoing>) -> Vec<Update> {
    out.into_iter()
        .map(|o| match o {
            Outgoing::Update(u) => u,
            other => panic!("unexpected {other:?}"),
        })
        .collect()
}

fn update_len(u: &Update, sizer: &TestSizer) -> usize {
    HEADER_LEN
        + 4
        + u.withdrawn
            .iter()
            .map(|n| sizer.nlri_len(Family::IPV4_UNICAST, n))
            .sum::<usize>()
        + sizer.attributes_len(&u.attributes)
        + u.nlri
            .iter()
            .map(|n| sizer.nlri_len(Family::IPV4_UNICAST, n))
            .sum::<usize>()
}

const SIZER: TestSizer = TestSizer { add_path: false };

#[test]
fn groups_by_attribute_set_and_sorts_like_exabgp() {
    // conf-watchdog: 66/32 and 88/32 share attributes and one UPDATE, sorted; 100/32 has
    // another next hop and its own UPDATE.
    let mut rib = AdjRibOut::new();
    let a = attrs("1.2.3.4", vec![]);
    rib.announce(Family::IPV4_UNICAST, &net("88.88.88.88/32"), Arc::clone(&a));
    rib.announce(Family::IPV4_UNICAST, &net("66.66.66.66/32"), Arc::clone(&a));
    rib.announce(
        Family::IPV4_UNICAST,
        &net("100.100.100.100/32"),
        attrs("192.168.1.100", vec![]),
    );
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 2);
    assert_eq!(
        sent[0].nlri,
        vec![net("66.66.66.66/32"), net("88.88.88.88/32")]
    );
    assert_eq!(sent[1].nlri, vec![net("100.100.100.100/32")]);
    // ORIGIN, AS_PATH, NEXT_HOP, LOCAL_PREF: sorted by code with iBGP defaults.
    assert_eq!(
        sent[0].attributes,
        vec![
            Attribute::Origin(wire::attr::Origin::Igp),
            Attribute::AsPath(AsPath::default()),
            Attribute::NextHop("1.2.3.4".parse().unwrap()),
            Attribute::LocalPref(100),
        ]
    );
    assert!(!rib.has_pending());
}

#[test]
fn without_grouping_one_nlri_per_update() {
    let mut rib = AdjRibOut::new();
    let a = attrs("1.1.1.1", vec![]);
    for p in ["4.0.0.0/8", "1.0.0.0/8", "3.0.0.0/8", "2.0.0.0/8"] {
        rib.announce(Family::IPV4_UNICAST, &net(p), Arc::clone(&a));
    }
    let sent = updates(rib.plan(&ctx(false), &SIZER));
    let order: Vec<_> = sent.iter().map(|u| u.nlri.clone()).collect();
    // Arrival order, one per UPDATE (conf-group).
    assert_eq!(
        order,
        vec![
            vec![net("4.0.0.0/8")],
            vec![net("1.0.0.0/8")],
            vec![net("3.0.0.0/8")],
            vec![net("2.0.0.0/8")]
        ]
    );
}

#[test]
fn ipv6_is_never_grouped_and_uses_mp_reach() {
    let mut rib = AdjRibOut::new();
    let a = attrs("2a02:b80:0:2::1", vec![Attribute::LocalPref(200)]);
    rib.announce(
        Family::IPV6_UNICAST,
        &net("2a02:b80:0:1::1/128"),
        Arc::clone(&a),
    );
    rib.announce(
        Family::IPV6_UNICAST,
        &net("2a02:b80:0:1::2/128"),
        Arc::clone(&a),
    );
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 2);
    for u in &sent {
        assert!(u.nlri.is_empty());
        // No NEXT_HOP for an IPv6 next hop; MP_REACH_NLRI last.
        assert!(!u
            .attributes
            .iter()
            .any(|a| matches!(a, Attribute::NextHop(_))));
        assert!(matches!(u.attributes.last(), Some(Attribute::MpReach(_))));
    }
}

#[test]
fn withdraw_replaces_unsent_announce_and_is_sent() {
    let mut rib = AdjRibOut::new();
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("1.1.1.1", vec![]),
    );
    rib.withdraw(Family::IPV4_UNICAST, &net("10.0.0.0/8"), None);
    // ExaBGP sends the withdrawal (its api-fast case): the announcement is not.
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].withdrawn, vec![net("10.0.0.0/8")]);
    assert!(sent[0].nlri.is_empty());
    assert!(rib.is_empty());
}

/// After a flush a route's change index is stale and may point at another route's new
/// change: it must not be taken for the route's own (both changes are sent).
#[test]
fn a_stale_change_index_is_not_taken_for_another_routes_change() {
    let mut rib = AdjRibOut::new();
    let a = attrs("1.1.1.1", vec![]);
    rib.announce(Family::IPV4_UNICAST, &net("10.0.0.0/8"), Arc::clone(&a));
    assert_eq!(updates(rib.plan(&ctx(true), &SIZER)).len(), 1);
    // index 0 of the new log is 11/8's; 10/8 still says 0 from the last flush
    rib.announce(Family::IPV4_UNICAST, &net("11.0.0.0/8"), Arc::clone(&a));
    rib.withdraw(Family::IPV4_UNICAST, &net("10.0.0.0/8"), None);
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    let withdrawn: Vec<Nlri> = sent.iter().flat_map(|u| u.withdrawn.clone()).collect();
    let announced: Vec<Nlri> = sent.iter().flat_map(|u| u.nlri.clone()).collect();
    assert_eq!(withdrawn, vec![net("10.0.0.0/8")]);
    assert_eq!(announced, vec![net("11.0.0.0/8")]);
    assert_eq!(rib.len(), 1);
    assert_eq!(rib.pending_len(), 0);
}

#[test]
fn queued_announce_is_sent_once_and_leaves_the_table_alone() {
    let mut rib = AdjRibOut::new();
    let old = attrs("1.1.1.1", vec![]);
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("2.2.2.2", vec![]),
    );
    rib.resend_all();
    rib.queue_announce(Family::IPV4_UNICAST, &net("10.0.0.0/8"), old);
    // Both definitions go out (ExaBGP's conf-l2vpn), one UPDATE per attribute set.
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 2);
    assert!(sent.iter().all(|u| u.nlri == vec![net("10.0.0.0/8")]));
    // The table holds the last definition; a new session sends only it.
    let kept = rib.get(Family::IPV4_UNICAST, &net("10.0.0.0/8")).unwrap();
    assert_eq!(kept.next_hop, Some("2.2.2.2".parse().unwrap()));
    rib.resend_all();
    assert_eq!(updates(rib.plan(&ctx(true), &SIZER)).len(), 1);
}

#[test]
fn counts_leave_out_pending_withdrawals() {
    let mut rib = AdjRibOut::new();
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("1.1.1.1", vec![]),
    );
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.1.0.0/16"),
        attrs("1.1.1.1", vec![]),
    );
    rib.plan(&ctx(true), &SIZER);
    rib.withdraw(Family::IPV4_UNICAST, &net("10.0.0.0/8"), None);
    assert_eq!(rib.counts(), [(Family::IPV4_UNICAST, 1)]);
    rib.withdraw(Family::IPV4_UNICAST, &net("10.1.0.0/16"), None);
    assert!(rib.counts().is_empty());
}

#[test]
fn first_changes_of_a_session_send_no_withdrawal() {
    let mut rib = AdjRibOut::new();
    // a session comes up with an empty table
    rib.resend_all();
    assert!(rib.plan(&ctx(true), &SIZER).is_empty());
    // the first changes: ExaBGP leaves the withdrawals out of its first UPDATE run
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("1.1.1.1", vec![]),
    );
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.1.0.0/16"),
        attrs("1.1.1.1", vec![]),
    );
    rib.withdraw(Family::IPV4_UNICAST, &net("10.0.0.0/8"), None);
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 1);
    assert!(sent[0].withdrawn.is_empty());
    assert_eq!(sent[0].nlri, vec![net("10.1.0.0/16")]);
    assert_eq!(rib.len(), 1);
    // later ones do
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.2.0.0/16"),
        attrs("1.1.1.1", vec![]),
    );
    rib.withdraw(Family::IPV4_UNICAST, &net("10.2.0.0/16"), None);
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].withdrawn, vec![net("10.2.0.0/16")]);
}

#[test]
fn a_withdrawal_replacing_a_pending_announce_keeps_its_place() {
    let mut rib = AdjRibOut::new();
    rib.resend_all();
    rib.announce(
        Family::IPV4_UNICAST,
        &net("1.1.0.0/25"),
        attrs("101.1.101.1", vec![]),
    );
    rib.plan(&ctx(false), &SIZER);
    // ExaBGP's api-fast: announce A, announce B, withdraw A (same attributes) in one read
    // sends the withdrawal of A first, then B.
    let a = attrs("101.1.101.1", vec![]);
    rib.announce(Family::IPV4_UNICAST, &net("2.2.0.0/25"), Arc::clone(&a));
    rib.announce(Family::IPV4_UNICAST, &net("2.2.0.0/24"), Arc::clone(&a));
    rib.withdraw(Family::IPV4_UNICAST, &net("2.2.0.0/25"), Some(a));
    let sent = updates(rib.plan(&ctx(false), &SIZER));
    assert_eq!(sent.len(), 2);
    assert_eq!(sent[0].withdrawn, vec![net("2.2.0.0/25")]);
    assert!(sent[0].nlri.is_empty());
    assert_eq!(sent[1].nlri, vec![net("2.2.0.0/24")]);
}

#[test]
fn resend_all_drops_withdrawals_of_unsent_routes() {
    let mut rib = AdjRibOut::new();
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("1.1.1.1", vec![]),
    );
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.1.0.0/16"),
        attrs("1.1.1.1", vec![]),
    );
    rib.withdraw(Family::IPV4_UNICAST, &net("10.0.0.0/8"), None);
    // a session comes up: only what the table holds is sent
    rib.resend_all();
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 1);
    assert!(sent[0].withdrawn.is_empty());
    assert_eq!(sent[0].nlri, vec![net("10.1.0.0/16")]);
}

#[test]
fn announce_replaces_pending_withdraw_of_sent_route() {
    let mut rib = AdjRibOut::new();
    let a = attrs("1.1.1.1", vec![]);
    rib.announce(Family::IPV4_UNICAST, &net("10.0.0.0/8"), Arc::clone(&a));
    rib.plan(&ctx(true), &SIZER);
    rib.withdraw(Family::IPV4_UNICAST, &net("10.0.0.0/8"), None);
    rib.announce(Family::IPV4_UNICAST, &net("10.0.0.0/8"), Arc::clone(&a));
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].nlri, vec![net("10.0.0.0/8")]);
    // The peer has it: a withdrawal now goes out.
    rib.withdraw(Family::IPV4_UNICAST, &net("10.0.0.0/8"), None);
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].withdrawn, vec![net("10.0.0.0/8")]);
    assert!(sent[0].attributes.is_empty());
}

#[test]
fn same_announce_twice_is_sent_once() {
    let mut rib = AdjRibOut::new();
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("1.1.1.1", vec![]),
    );
    rib.plan(&ctx(true), &SIZER);
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("1.1.1.1", vec![]),
    );
    assert!(!rib.has_pending());
}

#[test]
fn attribute_sets_are_shared() {
    let mut rib = AdjRibOut::new();
    for i in 0..1000u32 {
        let prefix = format!("10.{}.{}.0/24", i / 256, i % 256);
        rib.announce(
            Family::IPV4_UNICAST,
            &net(&prefix),
            attrs("1.1.1.1", vec![]),
        );
    }
    assert_eq!(rib.attr_sets(), 1);
    assert_eq!(rib.len(), 1000);
    rib.clear();
    rib.plan(&ctx(true), &SIZER);
    assert_eq!(rib.attr_sets(), 0);
}

#[test]
fn large_tables_split_at_message_size() {
    let mut rib = AdjRibOut::new();
    let a = attrs(
        "1.1.1.1",
        vec![Attribute::Communities(vec![Community(1); 10])],
    );
    for i in 0..3000u32 {
        let prefix = format!("10.{}.{}.0/24", i / 256, i % 256);
        rib.announce(Family::IPV4_UNICAST, &net(&prefix), Arc::clone(&a));
    }
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    let total: usize = sent.iter().map(|u| u.nlri.len()).sum();
    assert_eq!(total, 3000);
    assert!(sent.len() > 1);
    for u in &sent {
        let len = update_len(u, &SIZER);
        assert!(len <= 4096, "{len}");
        // Dense: another /24 would not have fit.
        if u.nlri.len() != 3000 % sent[0].nlri.len() {
            assert!(len + 4 > 4096, "{len}");
        }
    }
    rib.clear();
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    let total: usize = sent.iter().map(|u| u.withdrawn.len()).sum();
    assert_eq!(total, 3000);
    assert!(sent.iter().all(|u| update_len(u, &SIZER) <= 4096));
}

#[test]
fn resend_all_sends_the_table_again() {
    let mut rib = AdjRibOut::new();
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("1.1.1.1", vec![]),
    );
    rib.announce(
        Family::IPV6_UNICAST,
        &net("2001:db8::/32"),
        attrs("2001:db8::1", vec![]),
    );
    rib.plan(&ctx(true), &SIZER);
    rib.resend_all();
    let mut peer = AdjRibIn::new();
    for u in updates(rib.plan(&ctx(true), &SIZER)) {
        peer.apply(&u);
    }
    assert_eq!(peer.len(), 2);
}

#[test]
fn enhanced_refresh_is_framed() {
    let mut rib = AdjRibOut::new();
    rib.announce(
        Family::IPV4_UNICAST,
        &net("10.0.0.0/8"),
        attrs("1.1.1.1", vec![]),
    );
    rib.plan(&ctx(true), &SIZER);
    rib.refresh(Some(Family::IPV4_UNICAST), true);
    let out = rib.plan(&ctx(true), &SIZER);
    assert_eq!(out.len(), 3);
    assert_eq!(
        out[0],
        Outgoing::RefreshMarker {
            family: Family::IPV4_UNICAST,
            begin: true
        }
    );
    assert!(matches!(&out[1], Outgoing::Update(u) if u.nlri == vec![net("10.0.0.0/8")]));
}

#[test]
fn watchdog_groups() {
    let mut rib = AdjRibOut::new();
    let a = attrs("1.2.3.4", vec![]);
    rib.watchdog_add(
        "dnsr",
        Family::IPV4_UNICAST,
        net("77.77.77.77/32"),
        Arc::clone(&a),
        true,
    );
    assert!(rib.is_empty());
    assert_eq!(rib.watchdog_announce("dnsr"), 1);
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent[0].nlri, vec![net("77.77.77.77/32")]);
    assert_eq!(rib.watchdog_withdraw("dnsr"), 1);
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent[0].withdrawn, vec![net("77.77.77.77/32")]);
    assert_eq!(rib.watchdog_withdraw("dnsr"), 0);
    assert_eq!(rib.watchdog_announce("unknown"), 0);
}

#[test]
fn add_path_ids_are_distinct_routes() {
    let mut rib = AdjRibOut::new();
    let prefix: IpNet = "10.0.0.0/8".parse().unwrap();
    for id in [2, 1] {
        let nlri = Nlri::Prefix {
            path_id: Some(PathId(id)),
            prefix,
        };
        rib.announce(Family::IPV4_UNICAST, &nlri, attrs("1.1.1.1", vec![]));
    }
    assert_eq!(rib.len(), 2);
    let sent = updates(rib.plan(&ctx(true), &TestSizer { add_path: true }));
    assert_eq!(sent.len(), 1);
    assert_eq!(sent[0].nlri[0].path_id(), Some(PathId(1)));
}

/// What the peer should hold for a route of the Adj-RIB-Out.
fn expected(ctx: &OutCtx, set: &AttrSet) -> AttrSet {
    let attributes = wire_attributes(set, ctx)
        .into_iter()
        .filter(|a| !matches!(a, Attribute::NextHop(_)))
        .collect();
    AttrSet::new(set.next_hop, attributes)
}

#[derive(Debug, Clone)]
enum Op {
    Announce(usize, usize),
    Withdraw(usize),
    Flush,
    Clear,
    Resend,
}

fn universe() -> Vec<Nlri> {
    let mut list: Vec<Nlri> = (0..40).map(|i| net(&format!("10.0.{i}.0/24"))).collect();
    list.extend((0..10).map(|i| net(&format!("2001:db8:{i}::/48"))));
    list.push(net("0.0.0.0/0"));
    list
}

fn sets() -> Vec<Arc<AttrSet>> {
    vec![
        attrs("1.1.1.1", vec![]),
        attrs("1.1.1.2", vec![Attribute::Med(5)]),
        attrs("2001:db8::1", vec![]),
        Arc::new(AttrSet::new(
            Some(IpAddr::V4("9.9.9.9".parse().unwrap())),
            vec![Attribute::Communities(vec![Community(7); 3])],
        )),
    ]
}

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        6 => (0..51usize, 0..4usize).prop_map(|(n, a)| Op::Announce(n, a)),
        3 => (0..51usize).prop_map(Op::Withdraw),
        2 => Just(Op::Flush),
        1 => Just(Op::Clear),
        1 => Just(Op::Resend),
    ]
}

proptest! {
    #[test]
    fn updates_reproduce_the_table(ops in prop::collection::vec(op(), 1..80), group in any::<bool>()) {
        let ctx = ctx(group);
        let nlri = universe();
        let sets = sets();
        let mut rib = AdjRibOut::new();
        let mut peer = AdjRibIn::new();
        let apply = |rib: &mut AdjRibOut, peer: &mut AdjRibIn| {
            for u in updates(rib.plan(&ctx, &SIZER)) {
                prop_assert!(update_len(&u, &SIZER) <= ctx.encode.max_message_len());
                let kinds = usize::from(!u.withdrawn.is_empty())
                    + usize::from(!u.nlri.is_empty())
                    + u.attributes.iter().filter(|a| matches!(a, Attribute::MpReach(_) | Attribute::MpUnreach(_))).count();
                prop_assert_eq!(kinds, 1, "RFC 7606 §5.1: one kind of NLRI field per UPDATE");
                peer.apply(&u);
            }
            Ok(())
        };
        for op in ops {
            match op {
                Op::Announce(n, a) => rib.announce(family_of(&nlri[n]), &nlri[n], Arc::clone(&sets[a])),
                Op::Withdraw(n) => rib.withdraw(family_of(&nlri[n]), &nlri[n], None),
                Op::Flush => apply(&mut rib, &mut peer)?,
                Op::Clear => rib.clear(),
                Op::Resend => {
                    rib.resend_all();
                    peer = AdjRibIn::new();
                }
            }
        }
        apply(&mut rib, &mut peer)?;
        let mut want: Vec<_> = rib.routes().into_iter().map(|(f, n, a)| (f, n, expected(&ctx, &a))).collect();
        let mut got: Vec<_> = peer.routes().into_iter().map(|(f, n, a)| (f, n, (*a).clone())).collect();
        want.sort();
        got.sort();
        prop_assert_eq!(want, got);
    }
}

/// Resident memory of this process, from /proc (Linux).
fn rss_bytes() -> Option<usize> {
    let statm = std::fs::read_to_string("/proc/self/statm").ok()?;
    let pages: usize = statm.split_whitespace().nth(1)?.parse().ok()?;
    Some(pages * 4096)
}

/// A million IPv4 /32 sharing one attribute set (run with
/// `cargo test -p herald-rib -- --ignored --nocapture million`). The table itself is
/// 21 octets per hash-map slot (5-octet key padded to 8, 12-octet value, control byte);
/// the resident size measured also holds the change log of the initial load, the plan
/// of its UPDATEs and allocator slack (glibc, in this test binary).
#[test]
#[ignore = "slow: a million routes"]
fn million_routes_memory() {
    let before = rss_bytes().unwrap_or(0);
    let mut rib = AdjRibOut::new();
    let a = attrs("192.0.2.1", vec![]);
    for i in 0..1_000_000u32 {
        let addr = std::net::Ipv4Addr::from(0x0a00_0000 + i);
        let nlri = Nlri::prefix(IpNet::V4(ipnet::Ipv4Net::new(addr, 32).unwrap()));
        rib.announce(Family::IPV4_UNICAST, &nlri, Arc::clone(&a));
    }
    let loaded = rss_bytes().unwrap_or(0);
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    drop(sent);
    let settled = rss_bytes().unwrap_or(0);
    assert_eq!(rib.len(), 1_000_000);
    assert_eq!(rib.attr_sets(), 1);
    let per_route = settled.saturating_sub(before) / 1_000_000;
    println!(
        "rss: before {before}, with pending changes {loaded}, after flush {settled}: {per_route} octets per route"
    );
    assert!(per_route < 120, "{per_route} octets per route");
}

#[test]
fn resend_follows_insertion_order_across_families() {
    // ExaBGP's buckets are first used in configuration order: B (IPv4, set Y), then A
    // (IPv6, set X) and C (IPv4, set X).
    let mut rib = AdjRibOut::new();
    let x = attrs("2001:db8::1", vec![]);
    let y = attrs("1.1.1.1", vec![]);
    rib.announce(Family::IPV4_UNICAST, &net("10.0.0.0/8"), Arc::clone(&y));
    rib.announce(Family::IPV6_UNICAST, &net("2001:db8::/32"), Arc::clone(&x));
    rib.announce(Family::IPV4_UNICAST, &net("11.0.0.0/8"), Arc::clone(&x));
    rib.resend_all();
    let sent = updates(rib.plan(&ctx(true), &SIZER));
    assert_eq!(sent.len(), 3);
    assert_eq!(sent[0].nlri, vec![net("10.0.0.0/8")]);
    let mp_family = |u: &Update| {
        u.attributes.iter().find_map(|a| match a {
            Attribute::MpReach(r) => Some((r.family, r.nlri.clone())),
            _ => None,
        })
    };
    assert_eq!(
        mp_family(&sent[1]),
        Some((Family::IPV6_UNICAST, vec![net("2001:db8::/32")]))
    );
    assert_eq!(
        mp_family(&sent[2]),
        Some((Family::IPV4_UNICAST, vec![net("11.0.0.0/8")]))
    );
}

#[path = "plan_tests.rs"]
mod plan_tests;
