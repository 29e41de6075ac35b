//! The Adj-RIB-Out and Adj-RIB-In key routes by their route key (`Nlri::route_key`): an
//! EVPN route is replaced by another version of itself (RFC 7432 §7.2: the labels and
//! the ESI are attributes of the route) and withdrawn by its key alone; a VPN route by
//! its RD and prefix, as ExaBGP 5's `index()`.

use std::sync::Arc;

use wire::nlri::evpn::{Esi, EvpnLabel, MacAddress};
use wire::nlri::{Evpn, EvpnRoute, Label, RouteDistinguisher};
use wire::{Afi, Family, Nlri, Safi};

use crate::{Action, AdjRibIn, AdjRibOut, AttrSet, Change};

const EVPN: Family = Family::new(Afi::L2VPN, Safi::EVPN);
const VPN: Family = Family::new(Afi::IPV4, Safi::MPLS_VPN);

fn mac_ip(labels: &[u32], esi: u8) -> Nlri {
    Nlri::Evpn(Box::new(Evpn {
        path_id: None,
        route: EvpnRoute::MacIp {
            rd: RouteDistinguisher::asn2(65000, 1),
            esi: Esi([esi; 10]),
            etag: 0,
            mac: MacAddress([0, 0x11, 0x22, 0x33, 0x44, 0x55]),
            ip: Some("10.0.0.1".parse().unwrap()),
            labels: labels.iter().filter_map(|&l| EvpnLabel::mpls(l)).collect(),
        },
    }))
}

fn attrs() -> Arc<AttrSet> {
    Arc::new(AttrSet::new(Some("192.0.2.1".parse().unwrap()), Vec::new()))
}

fn flush(rib: &mut AdjRibOut) -> Vec<Change> {
    let (refresh, changes) = rib.take_changes();
    assert!(refresh.is_none());
    changes
}

fn summary(changes: &[Change]) -> Vec<(Action, Nlri)> {
    changes.iter().map(|c| (c.action, c.nlri.clone())).collect()
}

#[test]
fn evpn_announce_with_a_new_label_replaces_the_route() {
    let mut rib = AdjRibOut::new();
    rib.announce(EVPN, &mac_ip(&[100], 0), attrs());
    assert_eq!(flush(&mut rib).len(), 1);
    // Same attributes, another label and ESI: one announcement (an implicit withdrawal of
    // the first version), one route held.
    rib.announce(EVPN, &mac_ip(&[200], 9), attrs());
    assert_eq!(
        summary(&flush(&mut rib)),
        vec![(Action::Announce, mac_ip(&[200], 9))]
    );
    assert_eq!(rib.len(), 1);
    assert_eq!(rib.routes()[0].1, mac_ip(&[200], 9));
    // The identical route again is still a no-op.
    rib.announce(EVPN, &mac_ip(&[200], 9), attrs());
    assert!(!rib.has_pending());
}

#[test]
fn evpn_versions_replaced_before_a_flush_send_the_last() {
    let mut rib = AdjRibOut::new();
    rib.announce(EVPN, &mac_ip(&[100], 0), attrs());
    rib.announce(EVPN, &mac_ip(&[200], 0), attrs());
    assert_eq!(
        summary(&flush(&mut rib)),
        vec![(Action::Announce, mac_ip(&[200], 0))]
    );
}

#[test]
fn evpn_withdrawal_by_key_sends_the_announced_version() {
    let mut rib = AdjRibOut::new();
    rib.announce(EVPN, &mac_ip(&[100], 3), attrs());
    flush(&mut rib);
    // Named without label nor ESI (a zero label, as the withdraw command fills it in).
    rib.withdraw(EVPN, &mac_ip(&[0], 0), None);
    assert_eq!(
        summary(&flush(&mut rib)),
        vec![(Action::Withdraw, mac_ip(&[100], 3))]
    );
    assert!(rib.is_empty());
    assert!(rib.get(EVPN, &mac_ip(&[100], 3)).is_none());
}

#[test]
fn evpn_withdrawal_of_an_unknown_route_is_sent_as_given() {
    let mut rib = AdjRibOut::new();
    rib.announce(EVPN, &mac_ip(&[100], 0), attrs());
    flush(&mut rib);
    let mut other = mac_ip(&[0], 0);
    if let Nlri::Evpn(route) = &mut other {
        if let EvpnRoute::MacIp { mac, .. } = &mut route.route {
            mac.0[5] = 0x66;
        }
    }
    rib.withdraw(EVPN, &other, None);
    assert_eq!(
        summary(&flush(&mut rib)),
        vec![(Action::Withdraw, other.clone())]
    );
    assert_eq!(rib.len(), 1);
}

fn vpn(label: u32) -> Nlri {
    Nlri::Labeled {
        path_id: None,
        labels: vec![Label::new(label).unwrap()],
        rd: Some(RouteDistinguisher::asn2(65000, 1)),
        prefix: "10.0.0.0/24".parse().unwrap(),
    }
}

#[test]
fn vpn_routes_are_keyed_without_labels_and_withdrawn_as_given() {
    // ExaBGP 5: the labeled / VPN index() leaves the labels out; the withdrawal carries
    // the command's NLRI.
    let mut rib = AdjRibOut::new();
    rib.announce(VPN, &vpn(100), attrs());
    rib.announce(VPN, &vpn(200), attrs());
    assert_eq!(
        summary(&flush(&mut rib)),
        vec![(Action::Announce, vpn(200))]
    );
    assert_eq!(rib.len(), 1);
    rib.withdraw(VPN, &vpn(300), None);
    assert_eq!(
        summary(&flush(&mut rib)),
        vec![(Action::Withdraw, vpn(300))]
    );
    assert!(rib.is_empty());
}

#[test]
fn adj_rib_in_holds_the_latest_version() {
    let mut rib = AdjRibIn::new();
    rib.insert(EVPN, &mac_ip(&[100], 0), attrs());
    rib.insert(EVPN, &mac_ip(&[200], 1), attrs());
    assert_eq!(rib.len(), 1);
    assert_eq!(rib.routes()[0].1, mac_ip(&[200], 1));
    assert!(rib.withdraw(EVPN, &mac_ip(&[], 0)));
    assert!(rib.is_empty());
}
