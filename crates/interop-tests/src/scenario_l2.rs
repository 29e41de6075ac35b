//! VPLS (RFC 4761) and MCAST-VPN (RFC 6514) scenarios against ExaBGP 5 as the peer, run
//! with ExaBGP 5 (validating the scenario) and with Herald as the speaker:
//!
//! - [`announce_l2`]: the speaker announces a VPLS route and IPv4 and IPv6 C-multicast
//!   and Source Active A-D routes; ExaBGP's JSON helper prints each, checked field by
//!   field against what the commands asked for (RD, VE ID, block, label base, next hop,
//!   attributes; route type, RD, source AS, source, group and the RFC 6514 §4 octets);
//!   withdrawing the VPLS route and one MVPN route shows them withdrawn.
//! - [`receive_l2_like_exabgp`]: ExaBGP originates VPLS and MVPN routes through its API
//!   and withdraws them; ExaBGP and the other speaker, side by side, print the same JSON.

use std::net::Ipv4Addr;

use serde_json::{json, Value};

use crate::error::{HarnessError, Result};
use crate::exabgp::ExabgpPeer;
use crate::json::withdrawn_in;
use crate::lab::{Lab, LabConfig, Peer, PeerKind, ROUTE_LIMIT};
use crate::process::wait_until;
use crate::scenario::{comparable_all, ebgp, ibgp, same_updates_as_exabgp, wait_update, with_lab};
use crate::speaker::SpeakerKind;

/// The VPLS route announced (the route of ExaBGP's api-vpls case, another next hop).
pub const ANNOUNCE_VPLS: &str = "announce vpls endpoint 5 base 10702 offset 1 size 8 \
     rd 192.168.201.1:123 next-hop 192.0.2.1 local-preference 200 \
     extended-community [ target:54591:6 l2info:19:0:1500:111 ]";

/// Its withdrawal (ExaBGP 5.0.15 ignores a withdrawal without a next hop, so it has one,
/// as in ExaBGP's api-vpls case).
pub const WITHDRAW_VPLS: &str =
    "withdraw vpls endpoint 5 base 10702 offset 1 size 8 rd 192.168.201.1:123 next-hop 192.0.2.1";

/// MCAST-VPN routes announced: IPv4 Source Tree Join and Source Active A-D, IPv6 Shared
/// Tree Join.
pub const ANNOUNCE_MVPN: [&str; 3] = [
    "announce ipv4 mcast-vpn source-join source 10.99.12.2 group 239.251.255.228 \
     rd 65000:99999 source-as 65000 next-hop 192.0.2.1 extended-community [ target:192.168.94.12:5 ]",
    "announce ipv4 mcast-vpn source-ad source 10.99.12.4 group 239.251.255.228 \
     rd 65000:99999 next-hop 192.0.2.1",
    "announce ipv6 mcast-vpn shared-join rp fd00::1 group ff0e::1 rd 65000:99999 \
     source-as 65000 next-hop 192.0.2.1",
];

/// The withdrawal of the IPv4 Source Tree Join route.
pub const WITHDRAW_MVPN: &str = "withdraw ipv4 mcast-vpn source-join source 10.99.12.2 \
     group 239.251.255.228 rd 65000:99999 source-as 65000 next-hop 192.0.2.1";

/// The VPLS route as ExaBGP prints it (`vpls.py`: RD, VE ID as `endpoint`, label base,
/// block offset and size).
fn vpls_json() -> Value {
    json!({ "rd": "192.168.201.1:123", "endpoint": 5, "base": 10702, "offset": 1, "size": 8 })
}

/// The MCAST-VPN routes as ExaBGP prints them, `raw` written out from RFC 6514 §4.5/§4.6:
/// type, length, RD 0:65000:99999, [source AS,] 32|128, source, 32|128, group.
fn mvpn_json() -> [(&'static str, Value); 3] {
    [
        (
            "ipv4 mcast-vpn",
            json!({
                "code": 7, "parsed": true,
                "raw": "07160000FDE80001869F0000FDE8200A630C0220EFFBFFE4",
                "name": "C-Multicast Source Tree Join route", "rd": "65000:99999",
                "source-as": "65000", "source": "10.99.12.2", "group": "239.251.255.228"
            }),
        ),
        (
            "ipv4 mcast-vpn",
            json!({
                "code": 5, "parsed": true,
                "raw": "05120000FDE80001869F200A630C0420EFFBFFE4",
                "name": "Source Active A-D Route", "rd": "65000:99999",
                "source": "10.99.12.4", "group": "239.251.255.228"
            }),
        ),
        (
            "ipv6 mcast-vpn",
            json!({
                "code": 6, "parsed": true,
                "raw": "062E0000FDE80001869F0000FDE880FD00000000000000000000000000000180FF0E0000000000000000000000000001",
                "name": "C-Multicast Shared Tree Join route", "rd": "65000:99999",
                "source-as": "65000", "source": "fd00::1", "group": "ff0e::1"
            }),
        ),
    ]
}

const NEXT_HOP: &str = "192.0.2.1";

fn l2(config: LabConfig) -> LabConfig {
    LabConfig { l2: true, ..config }
}

fn exabgp_peer(lab: &Lab) -> Result<&ExabgpPeer> {
    match &lab.peer {
        Peer::Exabgp(peer) => Ok(peer),
        _ => Err(HarnessError::Parse {
            what: "the peer".into(),
            reason: "VPLS and MVPN scenarios run against ExaBGP".into(),
        }),
    }
}

/// The routes of `family` announced via `next_hop` in an update.
fn announced(update: &Value, family: &str, next_hop: &str) -> Vec<Value> {
    let pointer = format!("/neighbor/message/update/announce/{family}/{next_hop}");
    update
        .pointer(&pointer)
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// The updates ExaBGP received from `neighbor`.
fn updates_from(peer: &ExabgpPeer, neighbor: Ipv4Addr) -> Result<Vec<Value>> {
    let neighbor = neighbor.to_string();
    Ok(peer
        .messages()?
        .into_iter()
        .filter(|m| m.get("type").and_then(Value::as_str) == Some("update"))
        .filter(|m| m.pointer("/neighbor/address/peer").and_then(Value::as_str) == Some(&neighbor))
        .collect())
}

/// Waits until an update ExaBGP received from speaker 0 satisfies `check`.
fn wait_received(lab: &Lab, what: &str, check: impl Fn(&Value) -> bool) -> Result<Value> {
    let peer = exabgp_peer(lab)?;
    let neighbor = lab.speaker_address(0);
    wait_until(what, ROUTE_LIMIT, || {
        let updates = updates_from(peer, neighbor).map_err(|e| e.to_string())?;
        updates
            .iter()
            .find(|u| check(u))
            .cloned()
            .ok_or_else(|| format!("updates so far: {updates:#?}"))
    })
}

/// The speaker announces VPLS and MVPN routes; ExaBGP prints each as asked, then the
/// withdrawals.
pub fn announce_l2(kind: SpeakerKind) -> Result<(), String> {
    with_lab("l2-announce", &l2(ibgp(PeerKind::Exabgp, kind)), |lab| {
        let speaker = &lab.speakers[0];
        speaker.send(ANNOUNCE_VPLS)?;
        for line in ANNOUNCE_MVPN {
            speaker.send(line)?;
        }
        lab.wait_established(0)?;
        let update = wait_received(lab, "the VPLS route", |u| {
            announced(u, "l2vpn vpls", NEXT_HOP).contains(&vpls_json())
        })?;
        check_vpls_attributes(&update)?;
        for (family, want) in mvpn_json() {
            let what = format!("the {family} route {}", want["name"]);
            wait_received(lab, &what, |u| {
                announced(u, family, NEXT_HOP).contains(&want)
            })?;
        }
        let speaker = &lab.speakers[0];
        speaker.send(WITHDRAW_VPLS)?;
        speaker.send(WITHDRAW_MVPN)?;
        wait_received(lab, "the VPLS withdrawal", |u| {
            withdrawn_in(u, "l2vpn vpls").contains(&vpls_json())
        })?;
        let [(family, join), ..] = mvpn_json();
        wait_received(lab, "the Source Tree Join withdrawal", |u| {
            withdrawn_in(u, family).contains(&join)
        })?;
        Ok(())
    })
}

/// The attributes of the VPLS announce: what the command set, with ExaBGP's names.
fn check_vpls_attributes(update: &Value) -> Result<()> {
    let attribute = update.pointer("/neighbor/message/update/attribute");
    let lp = attribute.and_then(|a| a.get("local-preference"));
    let communities: Vec<&str> = attribute
        .and_then(|a| a.get("extended-community"))
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| c.get("string").and_then(Value::as_str))
        .collect();
    if lp == Some(&json!(200)) && communities == ["target:54591:6", "l2info:19:0:1500:111"] {
        return Ok(());
    }
    Err(HarnessError::Parse {
        what: "the VPLS route's attributes".into(),
        reason: format!(
            "expected local-preference 200 and target:54591:6 l2info:19:0:1500:111, got {update}"
        ),
    })
}

/// ExaBGP originates VPLS and MVPN routes and withdraws them; ExaBGP and `other` print the
/// same JSON for them.
pub fn receive_l2_like_exabgp(other: SpeakerKind) -> Result<(), String> {
    let kinds = [SpeakerKind::ExaBgp, other];
    with_lab(
        "l2-like-exabgp",
        &l2(ebgp(PeerKind::Exabgp, &kinds)),
        |lab| {
            lab.wait_established(0)?;
            lab.wait_established(1)?;
            let peer = exabgp_peer(lab)?;
            peer.send(ANNOUNCE_VPLS)?;
            for line in ANNOUNCE_MVPN {
                peer.send(line)?;
            }
            for speaker in &lab.speakers {
                let what = format!("{} prints the VPLS announce", speaker.kind().name());
                wait_update(speaker, &what, |u| {
                    announced(u, "l2vpn vpls", NEXT_HOP).contains(&vpls_json())
                })?;
                for (family, want) in mvpn_json() {
                    let what = format!("{} prints {}", speaker.kind().name(), want["name"]);
                    wait_update(speaker, &what, |u| {
                        announced(u, family, NEXT_HOP).contains(&want)
                    })?;
                }
            }
            peer.send(WITHDRAW_VPLS)?;
            peer.send(WITHDRAW_MVPN)?;
            let [(family, join), ..] = mvpn_json();
            for speaker in &lab.speakers {
                let what = format!("{} prints the withdrawals", speaker.kind().name());
                wait_update(speaker, &what, |u| {
                    withdrawn_in(u, "l2vpn vpls").contains(&vpls_json())
                })?;
                wait_update(speaker, &what, |u| withdrawn_in(u, family).contains(&join))?;
            }
            same_updates_as_exabgp(lab, "VPLS/MVPN", comparable_all)
        },
    )
}
