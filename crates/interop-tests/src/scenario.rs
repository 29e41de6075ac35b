//! The interop scenarios, each run with ExaBGP 5 (validating the harness and the scenario)
//! and with Herald (the implementation under test):
//!
//! - [`announce_withdraw`]: a helper announces routes with every common attribute; the peer
//!   holds exactly those attributes; a withdraw removes one route and leaves the other.
//! - [`announce_ipv6`]: the same for an IPv6 route (MP_REACH_NLRI) beside an IPv4 one.
//! - [`receive`]: the peer originates a route and withdraws it; the JSON helper gets both.
//! - [`receive_like_exabgp`]: ExaBGP and Herald, side by side on the same peer, print the
//!   same JSON for the same UPDATEs (after removing the run-specific envelope keys).
//! - [`peer_restart`]: the peer restarts; the speaker reconnects and announces again.
//! - [`helper_respawn`]: the helper is killed; the speaker starts it again and the new
//!   helper's announcements reach the peer.
//!
//! Each returns `Err(text)` with what was seen and the tails of every log.

use std::net::Ipv4Addr;

use serde_json::{json, Value};

use crate::error::{HarnessError, Result};
use crate::json::{announces, comparable, withdraws};
use crate::lab::{Lab, LabConfig, Origin, PeerKind, ROUTE_LIMIT};
use crate::process::{wait_until, wait_while_alive};
use crate::route::{find, PeerRoute};
use crate::speaker::{Speaker, SpeakerKind};

/// The AS of the peer.
pub const PEER_AS: u32 = 65001;
/// The AS of the speakers on eBGP sessions.
pub const SPEAKER_AS: u32 = 65002;

/// A route with every attribute the tests check.
pub const ANNOUNCE_FULL: &str = "announce route 203.0.113.0/24 next-hop 192.0.2.1 med 10 \
     local-preference 200 community [65000:1 65000:2] large-community [65000:1:1] \
     extended-community [target:65000:7] as-path [65010 65020]";

/// A route with few attributes.
pub const ANNOUNCE_PLAIN: &str = "announce route 198.51.100.128/25 next-hop 192.0.2.2 origin egp";

/// What the peer must hold for [`ANNOUNCE_FULL`] (on iBGP: nothing prepended).
pub fn expected_full() -> PeerRoute {
    PeerRoute {
        origin: Some("igp".into()),
        next_hop: Some("192.0.2.1".into()),
        as_path: vec![65010, 65020],
        med: Some(10),
        local_pref: Some(200),
        communities: vec!["65000:1".into(), "65000:2".into()],
        large_communities: vec!["65000:1:1".into()],
        ext_communities: vec!["target:65000:7".into()],
        ..PeerRoute::new("203.0.113.0/24")
    }
}

/// What the peer must hold for [`ANNOUNCE_PLAIN`] (iBGP: LOCAL_PREF 100 is always sent).
pub fn expected_plain() -> PeerRoute {
    PeerRoute {
        origin: Some("egp".into()),
        next_hop: Some("192.0.2.2".into()),
        local_pref: Some(100),
        ..PeerRoute::new("198.51.100.128/25")
    }
}

/// The prefix the peer originates in the receive scenarios.
pub const PEER_PREFIX: &str = "198.51.100.0/25";

/// The NEXT_HOP the peer sets on it (a loopback next hop would make GoBGP drop it).
pub const PEER_NEXT_HOP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 254);

/// Runs `body` on a freshly started lab; on failure keeps the lab's directory and adds
/// every log to the error.
pub(crate) fn with_lab(
    label: &str,
    config: &LabConfig,
    body: impl FnOnce(&mut Lab) -> Result<()>,
) -> Result<(), String> {
    let mut lab = Lab::start(label, config).map_err(|e| format!("starting the lab: {e}"))?;
    body(&mut lab).map_err(|e| {
        lab.dir().keep();
        format!("{e}\n\n{}", lab.diagnostics())
    })
}

pub(crate) fn ibgp(peer: PeerKind, kind: SpeakerKind) -> LabConfig {
    LabConfig {
        peer,
        peer_as: PEER_AS,
        speakers: vec![(kind, PEER_AS, None)],
        origin: None,
        ipv6: false,
        vpn: false,
        evpn: false,
        l2: false,
        rtc: false,
    }
}

/// Waits until the routes the peer holds from speaker `i` satisfy `check`.
pub(crate) fn wait_routes(
    lab: &Lab,
    i: usize,
    what: &str,
    check: impl Fn(&[PeerRoute]) -> bool,
) -> Result<()> {
    wait_until(what, ROUTE_LIMIT, || {
        let routes = lab.routes_from(i).map_err(|e| e.to_string())?;
        if check(&routes) {
            Ok(())
        } else {
            Err(format!("peer holds {routes:#?}"))
        }
    })
}

pub(crate) fn holds(routes: &[PeerRoute], expected: &PeerRoute) -> bool {
    find(routes, &expected.prefix) == Some(expected)
}

/// (a) announce two routes, read them back, withdraw one.
pub fn announce_withdraw(kind: SpeakerKind, peer: PeerKind) -> Result<(), String> {
    with_lab("announce", &ibgp(peer, kind), |lab| {
        let speaker = &lab.speakers[0];
        speaker.send(ANNOUNCE_FULL)?;
        speaker.send(ANNOUNCE_PLAIN)?;
        lab.wait_established(0)?;
        wait_routes(lab, 0, "both announced routes with their attributes", |r| {
            holds(r, &expected_full()) && holds(r, &expected_plain())
        })?;
        lab.speakers[0].send("withdraw route 203.0.113.0/24")?;
        wait_routes(
            lab,
            0,
            "203.0.113.0/24 withdrawn, 198.51.100.128/25 kept",
            |r| find(r, "203.0.113.0/24").is_none() && holds(r, &expected_plain()),
        )
    })
}

/// An IPv6 route (MP_REACH_NLRI, RFC 4760) over the IPv4 session.
pub const ANNOUNCE_V6: &str =
    "announce route 2001:db8:1::/48 next-hop 2001:db8::1 med 20 community [65000:6]";

/// What the peer must hold for [`ANNOUNCE_V6`].
pub fn expected_v6() -> PeerRoute {
    PeerRoute {
        origin: Some("igp".into()),
        next_hop: Some("2001:db8::1".into()),
        med: Some(20),
        local_pref: Some(100),
        communities: vec!["65000:6".into()],
        ..PeerRoute::new("2001:db8:1::/48")
    }
}

/// (a, IPv6) with IPv4 and IPv6 unicast negotiated, an IPv6 and an IPv4 route arrive with
/// their attributes, and withdrawing the IPv6 one leaves the IPv4 one.
pub fn announce_ipv6(kind: SpeakerKind, peer: PeerKind) -> Result<(), String> {
    let config = LabConfig {
        ipv6: true,
        ..ibgp(peer, kind)
    };
    with_lab("ipv6", &config, |lab| {
        let speaker = &lab.speakers[0];
        speaker.send(ANNOUNCE_V6)?;
        speaker.send(ANNOUNCE_PLAIN)?;
        lab.wait_established(0)?;
        wait_routes(lab, 0, "the IPv6 and the IPv4 route", |r| {
            holds(r, &expected_v6()) && holds(r, &expected_plain())
        })?;
        lab.speakers[0].send("withdraw route 2001:db8:1::/48")?;
        wait_routes(
            lab,
            0,
            "2001:db8:1::/48 withdrawn, the IPv4 route kept",
            |r| find(r, "2001:db8:1::/48").is_none() && holds(r, &expected_plain()),
        )
    })
}

pub(crate) fn ebgp(peer: PeerKind, speakers: &[SpeakerKind]) -> LabConfig {
    LabConfig {
        peer,
        peer_as: PEER_AS,
        speakers: speakers
            .iter()
            .map(|k| (*k, SPEAKER_AS, Some(Ipv4Addr::new(10, 0, 0, 2))))
            .collect(),
        origin: Some(Origin {
            prefix: PEER_PREFIX.into(),
            next_hop: PEER_NEXT_HOP,
            med: 5,
            community: (65001, 7),
            large_community: (65001, 1, 2),
        }),
        ipv6: false,
        vpn: false,
        evpn: false,
        l2: false,
        rtc: false,
    }
}

/// Waits until speaker `i`'s JSON helper has an update satisfying `check`.
pub(crate) fn wait_update(
    speaker: &Speaker,
    what: &str,
    check: impl Fn(&Value) -> bool,
) -> Result<Value> {
    wait_while_alive(
        what,
        ROUTE_LIMIT,
        || speaker.alive(),
        || {
            let updates = speaker.updates().map_err(|e| e.to_string())?;
            updates
                .iter()
                .find(|u| check(u))
                .cloned()
                .ok_or_else(|| format!("updates so far: {updates:#?}"))
        },
    )
}

/// Whether ExaBGP (speaker 0) and the other speaker (1) printed the same updates, once
/// `view` has made them comparable; the error, about `what` JSON, shows both.
pub(crate) fn same_updates_as_exabgp(
    lab: &Lab,
    what: &str,
    view: impl Fn(&[Value]) -> Vec<Value>,
) -> Result<()> {
    let exabgp = view(&lab.speakers[0].updates()?);
    let other = view(&lab.speakers[1].updates()?);
    if exabgp == other {
        return Ok(());
    }
    Err(HarnessError::Parse {
        what: format!(
            "{}'s {what} JSON against ExaBGP's",
            lab.speakers[1].kind().name()
        ),
        reason: format!("ExaBGP printed:\n{exabgp:#?}\nthe other printed:\n{other:#?}"),
    })
}

/// Each update made comparable (see [`comparable`]).
pub(crate) fn comparable_all(updates: &[Value]) -> Vec<Value> {
    updates.iter().map(comparable).collect()
}

/// Checks the announce the speaker printed for the peer's route, field by field.
fn check_announce(update: &Value) -> Result<()> {
    let attribute = update
        .pointer("/neighbor/message/update/attribute")
        .cloned()
        .unwrap_or(Value::Null);
    let expected = json!({
        "origin": "igp",
        "as-path": { "0": { "element": "as-sequence", "value": [PEER_AS] } },
        "med": 5,
        "community": [[65001, 7]],
        "large-community": [[65001, 1, 2]],
    });
    let next_hops = update.pointer("/neighbor/message/update/announce/ipv4 unicast");
    let next_hop_ok = next_hops
        .and_then(Value::as_object)
        .is_some_and(|m| m.contains_key(&PEER_NEXT_HOP.to_string()));
    if attribute == expected && next_hop_ok {
        return Ok(());
    }
    Err(HarnessError::Parse {
        what: "the announce the speaker printed".into(),
        reason: format!("expected attributes {expected} via {PEER_NEXT_HOP}, got {update}"),
    })
}

/// (b, half) the peer announces and withdraws a route; the speaker's JSON shows both.
pub fn receive(kind: SpeakerKind, peer: PeerKind) -> Result<(), String> {
    with_lab("receive", &ebgp(peer, &[kind]), |lab| {
        lab.wait_established(0)?;
        lab.originate()?;
        let speaker = &lab.speakers[0];
        let update = wait_update(speaker, "the peer's route as JSON", |u| {
            announces(u, PEER_PREFIX)
        })?;
        check_announce(&update)?;
        lab.withdraw_origin()?;
        wait_update(&lab.speakers[0], "the peer's withdraw as JSON", |u| {
            withdraws(u, PEER_PREFIX)
        })?;
        Ok(())
    })
}

/// (b) ExaBGP 5 and `other` (Herald; ExaBGP again for the self-test) on the same peer
/// print the same JSON lines (state changes, UPDATEs, End-of-RIB) for the same session.
pub fn receive_like_exabgp(peer: PeerKind, other: SpeakerKind) -> Result<(), String> {
    let kinds = [SpeakerKind::ExaBgp, other];
    with_lab("like-exabgp", &ebgp(peer, &kinds), |lab| {
        lab.wait_established(0)?;
        lab.wait_established(1)?;
        lab.originate()?;
        for speaker in &lab.speakers {
            let what = format!("{} prints the announce", speaker.kind().name());
            wait_update(speaker, &what, |u| announces(u, PEER_PREFIX))?;
        }
        lab.withdraw_origin()?;
        for speaker in &lab.speakers {
            let what = format!("{} prints the withdraw", speaker.kind().name());
            wait_update(speaker, &what, |u| withdraws(u, PEER_PREFIX))?;
        }
        // Everything the JSON helper got: state changes, updates, End-of-RIB.
        let exabgp: Vec<Value> = lab.speakers[0].messages()?.iter().map(comparable).collect();
        let other: Vec<Value> = lab.speakers[1].messages()?.iter().map(comparable).collect();
        if exabgp == other {
            return Ok(());
        }
        let show = |v: &[Value]| {
            v.iter()
                .map(Value::to_string)
                .collect::<Vec<_>>()
                .join("\n")
        };
        Err(HarnessError::Parse {
            what: format!("{}'s JSON against ExaBGP's", lab.speakers[1].kind().name()),
            reason: format!(
                "ExaBGP printed:\n{}\nthe other printed:\n{}",
                show(&exabgp),
                show(&other)
            ),
        })
    })
}

/// (c) the peer restarts; the speaker comes back up and announces again.
pub fn peer_restart(kind: SpeakerKind, peer: PeerKind) -> Result<(), String> {
    with_lab("restart", &ibgp(peer, kind), |lab| {
        lab.speakers[0].send(ANNOUNCE_FULL)?;
        lab.wait_established(0)?;
        wait_routes(lab, 0, "the route before the restart", |r| {
            holds(r, &expected_full())
        })?;
        lab.speakers[0].wait_up(1, ROUTE_LIMIT)?;
        lab.restart_peer()?;
        lab.speakers[0].wait_up(2, ROUTE_LIMIT)?;
        lab.wait_established(0)?;
        wait_routes(lab, 0, "the route after the restart", |r| {
            holds(r, &expected_full())
        })
    })
}

/// (d) the helper is killed; the speaker respawns it and the new helper's routes arrive.
pub fn helper_respawn(kind: SpeakerKind, peer: PeerKind) -> Result<(), String> {
    with_lab("respawn", &ibgp(peer, kind), |lab| {
        let speaker = &lab.speakers[0];
        speaker.send(ANNOUNCE_FULL)?;
        lab.wait_established(0)?;
        wait_routes(lab, 0, "the first helper's route", |r| {
            holds(r, &expected_full())
        })?;
        let first = speaker.kill_helper()?;
        speaker.send(ANNOUNCE_PLAIN)?;
        wait_until("a new helper", ROUTE_LIMIT, || match speaker.helper_pid() {
            Ok(pid) if pid != first => Ok(()),
            other => Err(format!("helper pid {other:?}, killed {first}")),
        })?;
        wait_routes(
            lab,
            0,
            "the respawned helper's route, the first one kept",
            |r| holds(r, &expected_full()) && holds(r, &expected_plain()),
        )
    })
}
