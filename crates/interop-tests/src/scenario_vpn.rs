//! Labeled unicast (RFC 8277) and L3VPN (RFC 4364) scenarios against GoBGP, run with
//! ExaBGP 5 (validating the scenario) and with Herald:
//!
//! - [`announce_vpn`]: the speaker announces a VPNv4 route (RD, label, route target) and a
//!   labeled route; GoBGP holds them with their RD, labels and attributes; a withdraw
//!   removes the VPN route and leaves the labeled one.
//! - [`receive_vpn_like_exabgp`]: GoBGP originates a VPNv4 route and withdraws it; ExaBGP
//!   and the other speaker, side by side, print the same JSON, which names the RD and label.

use crate::error::{HarnessError, Result};
use crate::json::{announced_in, withdrawn_in};
use crate::lab::{LabConfig, Peer, PeerKind};
use crate::route::{find, PeerRoute};
use crate::scenario::{
    comparable_all, ebgp, holds, ibgp, same_updates_as_exabgp, wait_routes, wait_update, with_lab,
};
use crate::speaker::SpeakerKind;

/// A VPNv4 route: RD type 0, one label, a route target.
pub const ANNOUNCE_VPN: &str = "announce route 203.0.113.0/24 rd 65000:1 label 1000 \
     next-hop 192.0.2.1 med 10 extended-community [target:65000:7]";

/// A labeled-unicast route with a stack of one label.
pub const ANNOUNCE_LABELED: &str = "announce route 198.51.100.0/25 label 2000 next-hop 192.0.2.2";

/// What GoBGP must hold for [`ANNOUNCE_VPN`] (its prefix key is `RD:prefix`).
pub fn expected_vpn() -> PeerRoute {
    PeerRoute {
        origin: Some("igp".into()),
        next_hop: Some("192.0.2.1".into()),
        med: Some(10),
        local_pref: Some(100),
        ext_communities: vec!["target:65000:7".into()],
        labels: vec![1000],
        rd: Some("65000:1".into()),
        ..PeerRoute::new("65000:1:203.0.113.0/24")
    }
}

/// What GoBGP must hold for [`ANNOUNCE_LABELED`].
pub fn expected_labeled() -> PeerRoute {
    PeerRoute {
        origin: Some("igp".into()),
        next_hop: Some("192.0.2.2".into()),
        local_pref: Some(100),
        labels: vec![2000],
        ..PeerRoute::new("198.51.100.0/25")
    }
}

fn vpn(config: LabConfig) -> LabConfig {
    LabConfig {
        vpn: true,
        ..config
    }
}

/// The speaker announces a VPNv4 and a labeled route; GoBGP holds both with RD, labels and
/// attributes; withdrawing the VPN route leaves the labeled one.
pub fn announce_vpn(kind: SpeakerKind) -> Result<(), String> {
    with_lab("vpn", &vpn(ibgp(PeerKind::Gobgp, kind)), |lab| {
        let speaker = &lab.speakers[0];
        speaker.send(ANNOUNCE_VPN)?;
        speaker.send(ANNOUNCE_LABELED)?;
        lab.wait_established(0)?;
        wait_routes(lab, 0, "the VPN and the labeled route", |r| {
            holds(r, &expected_vpn()) && holds(r, &expected_labeled())
        })?;
        lab.speakers[0].send("withdraw route 203.0.113.0/24 rd 65000:1 label 1000")?;
        wait_routes(
            lab,
            0,
            "the VPN route withdrawn, the labeled one kept",
            |r| find(r, &expected_vpn().prefix).is_none() && holds(r, &expected_labeled()),
        )
    })
}

/// The route GoBGP originates in [`receive_vpn_like_exabgp`] (`gobgp global rib -a vpnv4`).
const ORIGIN_VPN: [&str; 9] = [
    "198.51.100.0/25",
    "label",
    "300",
    "rd",
    "65001:9",
    "rt",
    "65001:9",
    "nexthop",
    "192.0.2.254",
];

fn gobgp_vpn(lab: &crate::lab::Lab, verb: &str) -> Result<()> {
    let Peer::Gobgp(gobgp) = &lab.peer else {
        return Err(HarnessError::Parse {
            what: "the peer".into(),
            reason: "VPN scenarios run against GoBGP".into(),
        });
    };
    let mut args = vec!["global", "rib", "-a", "vpnv4", verb];
    args.extend_from_slice(if verb == "add" {
        &ORIGIN_VPN[..]
    } else {
        &ORIGIN_VPN[..5]
    });
    gobgp.cli(&args).map(drop)
}

/// GoBGP originates a VPNv4 route and withdraws it; ExaBGP and `other` print the same JSON,
/// and the announce names the prefix, label and RD as ExaBGP does.
pub fn receive_vpn_like_exabgp(other: SpeakerKind) -> Result<(), String> {
    let kinds = [SpeakerKind::ExaBgp, other];
    with_lab(
        "vpn-like-exabgp",
        &vpn(ebgp(PeerKind::Gobgp, &kinds)),
        |lab| {
            lab.wait_established(0)?;
            lab.wait_established(1)?;
            gobgp_vpn(lab, "add")?;
            let want = serde_json::json!({
                "nlri": "198.51.100.0/25", "label": [[300]], "rd": "65001:9"
            });
            for speaker in &lab.speakers {
                let what = format!("{} prints the VPN announce", speaker.kind().name());
                wait_update(speaker, &what, |u| {
                    announced_in(u, "ipv4 mpls-vpn").contains(&want)
                })?;
            }
            gobgp_vpn(lab, "del")?;
            for speaker in &lab.speakers {
                let what = format!("{} prints the VPN withdraw", speaker.kind().name());
                wait_update(speaker, &what, |u| {
                    withdrawn_in(u, "ipv4 mpls-vpn")
                        .iter()
                        .any(|n| n.get("rd") == want.get("rd") && n.get("nlri") == want.get("nlri"))
                })?;
            }
            same_updates_as_exabgp(lab, "VPN", comparable_all)
        },
    )
}
