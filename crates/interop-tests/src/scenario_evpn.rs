//! EVPN (RFC 7432, RFC 9136) scenarios against GoBGP:
//!
//! - [`receive_evpn_like_exabgp`]: GoBGP originates a MAC/IP Advertisement, an Inclusive
//!   Multicast Ethernet Tag (with a PMSI tunnel, RFC 6514 §5) and an IP Prefix route,
//!   then withdraws them; ExaBGP and the other speaker, side by side, print the same JSON
//!   for every route and its attributes, and the fields they print (RD, Ethernet Tag,
//!   MAC, IP, label, prefix, gateway) are the ones GoBGP's own RIB shows for the routes
//!   it originated.
//! - [`announce_evpn`]: the speaker announces one route of each type 1 to 5 (Herald's
//!   `announce evpn …`, which ExaBGP 5 lacks); GoBGP holds each with the fields written,
//!   the next hop, the route target and (multicast) the PMSI tunnel; a new label replaces
//!   a route, a withdrawal without label removes it and leaves the others.

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::json::comparable;
use crate::lab::{Lab, LabConfig, Peer, PeerKind};
use crate::scenario::{ebgp, ibgp, same_updates_as_exabgp, wait_update, with_lab};
use crate::speaker::SpeakerKind;

/// The routes GoBGP originates (`gobgp global rib -a evpn add …`).
const ORIGIN: [&[&str]; 3] = [
    &[
        "macadv",
        "aa:bb:cc:dd:ee:04",
        "10.0.0.4",
        "etag",
        "10",
        "label",
        "100",
        "rd",
        "65000:1",
        "rt",
        "65000:1",
    ],
    &[
        "multicast",
        "10.0.0.5",
        "etag",
        "20",
        "rd",
        "65000:2",
        "rt",
        "65000:2",
        "encap",
        "vxlan",
        "pmsi",
        "ingress-repl",
        "100",
        "10.0.0.5",
    ],
    &[
        "prefix",
        "198.51.100.0/24",
        "gw",
        "192.0.2.9",
        "etag",
        "30",
        "label",
        "300",
        "rd",
        "65000:3",
        "rt",
        "65000:3",
    ],
];

fn evpn(config: LabConfig) -> LabConfig {
    LabConfig {
        evpn: true,
        ..config
    }
}

fn gobgp(lab: &Lab) -> Result<&crate::gobgp::Gobgp> {
    match &lab.peer {
        Peer::Gobgp(gobgp) => Ok(gobgp),
        _ => Err(HarnessError::Parse {
            what: "the peer".into(),
            reason: "EVPN scenarios run against GoBGP".into(),
        }),
    }
}

fn gobgp_routes(lab: &Lab, verb: &str) -> Result<()> {
    let gobgp = gobgp(lab)?;
    for route in ORIGIN {
        let mut args = vec!["global", "rib", "-a", "evpn", verb];
        args.extend_from_slice(route);
        if verb == "add" {
            args.extend_from_slice(&["nexthop", "192.0.2.254"]);
        }
        gobgp.cli(&args)?;
    }
    Ok(())
}

/// Every `l2vpn evpn` route of `updates`, one object each with its action, next hop and
/// the update's attributes, sorted: the same routes compare equal however a peer packed
/// them into UPDATEs.
pub fn evpn_routes(updates: &[Value]) -> Vec<Value> {
    let mut out = Vec::new();
    for update in updates.iter().map(comparable) {
        let attribute = update
            .pointer("/neighbor/message/update/attribute")
            .cloned();
        let announce = update.pointer("/neighbor/message/update/announce/l2vpn evpn");
        for (hop, routes) in announce.and_then(Value::as_object).into_iter().flatten() {
            for route in routes.as_array().into_iter().flatten() {
                out.push(serde_json::json!({
                    "action": "announce", "next-hop": hop, "nlri": route, "attribute": attribute
                }));
            }
        }
        let withdraw = update.pointer("/neighbor/message/update/withdraw/l2vpn evpn");
        for route in withdraw.and_then(Value::as_array).into_iter().flatten() {
            out.push(serde_json::json!({ "action": "withdraw", "nlri": route }));
        }
    }
    out.sort_by_key(Value::to_string);
    out
}

fn count(updates: &[Value], action: &str) -> usize {
    evpn_routes(updates)
        .iter()
        .filter(|r| r["action"] == action)
        .count()
}

/// What GoBGP's own RIB says of the routes it originated, in ExaBGP's field names:
/// `(code, rd, {field: value})` per route.
fn gobgp_view(lab: &Lab) -> Result<Vec<Value>> {
    let out = gobgp(lab)?.cli(&["-j", "global", "rib", "-a", "evpn"])?;
    let json: Value = serde_json::from_str(out.trim()).map_err(|e| HarnessError::Parse {
        what: "gobgp global rib -a evpn".into(),
        reason: format!("{e}: {out}"),
    })?;
    let mut view = Vec::new();
    for paths in json.as_object().into_iter().flatten().map(|(_, p)| p) {
        let Some(nlri) = paths.pointer("/0/nlri") else {
            continue;
        };
        let v = &nlri["value"];
        let rd = format!("{}:{}", v["rd"]["admin"], v["rd"]["assigned"]);
        let mut want = serde_json::json!({ "code": nlri["type"], "rd": rd });
        let fields = want.as_object_mut().ok_or_else(|| HarnessError::Parse {
            what: "gobgp view".into(),
            reason: "not an object".into(),
        })?;
        if let Some(etag) = v.get("etag") {
            fields.insert("ethernet-tag".into(), etag.clone());
        }
        if let Some(mac) = v.get("mac").and_then(Value::as_str) {
            fields.insert("mac".into(), mac.to_uppercase().into());
        }
        if let Some(prefix) = v.get("prefix").and_then(Value::as_str) {
            let (ip, len) = prefix.split_once('/').unwrap_or((prefix, ""));
            fields.insert("ip".into(), ip.into());
            fields.insert("iplen".into(), len.parse::<u64>().unwrap_or(0).into());
        } else if let Some(ip) = v.get("ip") {
            fields.insert("ip".into(), ip.clone());
        }
        if let Some(gw) = v.get("gateway") {
            fields.insert("gateway".into(), gw.clone());
        }
        let label = v
            .get("labels")
            .and_then(|l| l.get(0))
            .or_else(|| v.get("label"));
        if let Some(label) = label {
            fields.insert("label".into(), label.clone());
        }
        view.push(want);
    }
    Ok(view)
}

/// Whether a printed route `nlri` shows every field of GoBGP's `want`. GoBGP 3.10 writes a
/// configured label as the whole 24-bit field (the VXLAN VNI encoding of RFC 8365
/// §5.1.3), which ExaBGP prints second in its `[label, raw]` pair (and omits when 0).
fn shows(nlri: &Value, want: &Value) -> bool {
    want.as_object().into_iter().flatten().all(|(k, v)| {
        if k == "label" {
            let raw = nlri
                .pointer("/label/0/1")
                .and_then(Value::as_u64)
                .unwrap_or(0);
            nlri.pointer("/label/0").is_some() && v.as_u64() == Some(raw)
        } else {
            nlri.get(k) == Some(v)
        }
    })
}

/// GoBGP originates EVPN routes of types 2, 3 and 5 and withdraws them; ExaBGP and `other`
/// print the same JSON for each, with the fields GoBGP's RIB shows.
pub fn receive_evpn_like_exabgp(other: SpeakerKind) -> Result<(), String> {
    let kinds = [SpeakerKind::ExaBgp, other];
    with_lab(
        "evpn-like-exabgp",
        &evpn(ebgp(PeerKind::Gobgp, &kinds)),
        |lab| {
            lab.wait_established(0)?;
            lab.wait_established(1)?;
            gobgp_routes(lab, "add")?;
            for speaker in &lab.speakers {
                let what = format!("{} prints the three EVPN announces", speaker.kind().name());
                wait_update(speaker, &what, |_| {
                    speaker.updates().is_ok_and(|u| count(&u, "announce") >= 3)
                })?;
            }
            let view = gobgp_view(lab)?;
            let routes = evpn_routes(&lab.speakers[1].updates()?);
            for want in &view {
                if !routes.iter().any(|r| shows(&r["nlri"], want)) {
                    return Err(HarnessError::Parse {
                        what: "the EVPN routes printed".into(),
                        reason: format!("none shows GoBGP's {want}: {routes:#?}"),
                    });
                }
            }
            // RFC 7432 §11.2: GoBGP sends its multicast route with a PMSI tunnel, which
            // both speakers print (equal JSON is checked below).
            let pmsi = routes
                .iter()
                .filter_map(|r| r.pointer("/attribute/pmsi"))
                .collect::<Vec<_>>();
            if pmsi.is_empty() {
                return Err(HarnessError::Parse {
                    what: "the PMSI tunnel of GoBGP's multicast route".into(),
                    reason: format!("not printed: {routes:#?}"),
                });
            }
            if view.len() != 3 {
                return Err(HarnessError::Parse {
                    what: "GoBGP's EVPN RIB".into(),
                    reason: format!("{view:?}"),
                });
            }
            gobgp_routes(lab, "del")?;
            for speaker in &lab.speakers {
                let what = format!("{} prints the three EVPN withdraws", speaker.kind().name());
                wait_update(speaker, &what, |_| {
                    speaker.updates().is_ok_and(|u| count(&u, "withdraw") >= 3)
                })?;
            }
            same_updates_as_exabgp(lab, "EVPN", evpn_routes)
        },
    )
}

/// The routes [`announce_evpn`] announces, and what GoBGP 3.10 must hold for each: its
/// NLRI as `gobgp -j neighbor … adj-in -a evpn` prints it. GoBGP reads a label field as
/// the whole 24 bits: `label 100` (RFC 3032: 100 << 4 | bottom of stack) shows as 1601,
/// `vni 300` (RFC 8365 §5.1.3) as 300.
pub fn announced_evpn() -> Vec<(&'static str, Value)> {
    let rd = |admin: u64, assigned: u64| serde_json::json!({ "type": 0, "admin": admin, "assigned": assigned });
    vec![
        (
            "announce evpn mac-advertisement rd 65000:1 esi 0 etag 10 mac 00:11:22:33:44:55 \
             ip 10.0.0.1 label 100 next-hop 192.0.2.1 extended-community [ target:65000:1 ]",
            serde_json::json!({ "type": 2, "value": {
                "rd": rd(65000, 1), "esi": "single-homed", "etag": 10,
                "mac": "00:11:22:33:44:55", "ip": "10.0.0.1", "labels": [1601] } }),
        ),
        (
            "announce evpn multicast rd 65000:2 etag 20 ip 192.0.2.1 next-hop 192.0.2.1 \
             pmsi-tunnel ingress-replication 192.0.2.1 label 100 \
             extended-community [ target:65000:2 ]",
            serde_json::json!({ "type": 3, "value": {
                "rd": rd(65000, 2), "etag": 20, "ip": "192.0.2.1" } }),
        ),
        (
            "announce evpn ip-prefix rd 65000:3 etag 30 198.51.100.0/24 gateway 192.0.2.9 \
             vni 300 next-hop 192.0.2.1 extended-community [ target:65000:3 ]",
            serde_json::json!({ "type": 5, "value": {
                "rd": rd(65000, 3), "esi": "single-homed", "etag": 30,
                "prefix": "198.51.100.0/24", "gateway": "192.0.2.9", "label": 300 } }),
        ),
        (
            "announce evpn ethernet-ad rd 65000:4 esi 00:11:22:33:44:55:66:77:88:99 etag 40 \
             label 400 next-hop 192.0.2.1 extended-community [ target:65000:4 ]",
            serde_json::json!({ "type": 1, "value": {
                "rd": rd(65000, 4), "esi": "ESI_ARBITRARY | 11:22:33:44:55:66:77:88:99",
                "etag": 40, "label": 6401 } }),
        ),
        (
            "announce evpn ethernet-segment rd 65000:5 esi 00:11:22:33:44:55:66:77:88:99 \
             ip 192.0.2.1 next-hop 192.0.2.1 extended-community [ target:65000:5 ]",
            serde_json::json!({ "type": 4, "value": {
                "rd": rd(65000, 5), "esi": "ESI_ARBITRARY | 11:22:33:44:55:66:77:88:99",
                "ip": "192.0.2.1" } }),
        ),
    ]
}

/// One EVPN route GoBGP holds, as `gobgp -j` prints its parts.
#[derive(Debug)]
struct Held {
    nlri: Value,
    next_hop: Value,
    targets: Vec<Value>,
    /// The PMSI tunnel attribute, or null.
    pmsi: Value,
}

/// The EVPN routes GoBGP holds from speaker `i`.
fn gobgp_adj_in(lab: &Lab, i: usize) -> Result<Vec<Held>> {
    let neighbor = lab.speaker_address(i).to_string();
    let out = gobgp(lab)?.cli(&["-j", "neighbor", &neighbor, "adj-in", "-a", "evpn"])?;
    if out.trim().is_empty() || out.trim() == "null" {
        return Ok(Vec::new());
    }
    let json: Value = serde_json::from_str(out.trim()).map_err(|e| HarnessError::Parse {
        what: "gobgp adj-in -a evpn".into(),
        reason: format!("{e}: {out}"),
    })?;
    let mut routes = Vec::new();
    for paths in json.as_object().into_iter().flatten().map(|(_, p)| p) {
        let Some(path) = paths.get(0) else { continue };
        let attrs = path
            .get("attrs")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        let hop = attrs
            .iter()
            .find(|a| a["type"] == 14)
            .map(|a| a["nexthop"].clone())
            .unwrap_or(Value::Null);
        let targets = attrs
            .iter()
            .filter(|a| a["type"] == 16)
            .flat_map(|a| a["value"].as_array().cloned().unwrap_or_default())
            .map(|c| c["value"].clone())
            .collect();
        let pmsi = attrs
            .iter()
            .find(|a| a["type"] == 22)
            .cloned()
            .unwrap_or(Value::Null);
        routes.push(Held {
            nlri: path["nlri"].clone(),
            next_hop: hop,
            targets,
            pmsi,
        });
    }
    Ok(routes)
}

/// The PMSI tunnel GoBGP must hold with route `i` of [`announced_evpn`]: the multicast
/// route's Ingress Replication tunnel (type 6, RFC 7432 §11.2) to 192.0.2.1 with `label
/// 100`, which GoBGP 3.10 shows as the whole 24-bit field (100 << 4 = 1600), as it shows
/// EVPN labels.
fn expected_pmsi(i: usize) -> Value {
    if i == 1 {
        serde_json::json!({ "type": 22, "is-leaf-info-required": false, "label": 1600,
            "tunnel-id": "192.0.2.1", "tunnel-type": 6 })
    } else {
        Value::Null
    }
}

/// The routes of [`announced_evpn`] at `indexes`, as GoBGP holds them.
fn announced(indexes: &[usize]) -> Vec<(usize, Value)> {
    let all = announced_evpn();
    indexes.iter().map(|&i| (i, all[i].1.clone())).collect()
}

/// Waits until GoBGP holds exactly the routes of `want` (index into [`announced_evpn`],
/// NLRI as GoBGP prints it) from speaker 0, each with next hop 192.0.2.1 and its route
/// target `65000:<index + 1>`.
fn wait_held(lab: &Lab, what: &str, want: &[(usize, Value)]) -> Result<()> {
    crate::process::wait_while_alive(
        what,
        crate::lab::ROUTE_LIMIT,
        || lab.alive(),
        || {
            let held = gobgp_adj_in(lab, 0).map_err(|e| e.to_string())?;
            let ok = held.len() == want.len()
                && want.iter().all(|(i, nlri)| {
                    let target = Value::String(format!("65000:{}", i + 1));
                    held.iter().any(|h| {
                        h.nlri == *nlri
                            && h.next_hop == "192.0.2.1"
                            && h.targets == vec![target.clone()]
                            && h.pmsi == expected_pmsi(*i)
                    })
                });
            if ok {
                Ok(())
            } else {
                Err(format!("GoBGP holds {held:#?}"))
            }
        },
    )
}

/// The speaker announces one EVPN route of each type; GoBGP holds them with the fields
/// written. The MAC/IP route announced again with another label and ESI replaces the
/// first (RFC 7432 §7.2: they are attributes of the route, not its key): GoBGP holds the
/// new label only. A withdrawal naming the route without label nor ESI removes it and
/// leaves the four others, and it stays withdrawn when GoBGP restarts (the Adj-RIB-Out
/// kept no older version to send again).
pub fn announce_evpn(kind: SpeakerKind) -> Result<(), String> {
    with_lab("evpn-announce", &evpn(ibgp(PeerKind::Gobgp, kind)), |lab| {
        for (line, _) in announced_evpn() {
            lab.speakers[0].send(line)?;
        }
        lab.wait_established(0)?;
        wait_held(
            lab,
            "GoBGP holds the five EVPN routes",
            &announced(&[0, 1, 2, 3, 4]),
        )?;
        lab.speakers[0].send(
            "announce evpn mac-advertisement rd 65000:1 esi 00:11:22:33:44:55:66:77:88:99 \
             etag 10 mac 00:11:22:33:44:55 ip 10.0.0.1 label 200 next-hop 192.0.2.1 \
             extended-community [ target:65000:1 ]",
        )?;
        let mut relabeled = announced(&[0, 1, 2, 3, 4]);
        relabeled[0].1["value"]["labels"] = serde_json::json!([200 << 4 | 1]);
        relabeled[0].1["value"]["esi"] = "ESI_ARBITRARY | 11:22:33:44:55:66:77:88:99".into();
        wait_held(
            lab,
            "GoBGP holds the MAC/IP route's new label only",
            &relabeled,
        )?;
        lab.speakers[0].send(
            "withdraw evpn mac-advertisement rd 65000:1 etag 10 mac 00:11:22:33:44:55 ip 10.0.0.1",
        )?;
        let rest = announced(&[1, 2, 3, 4]);
        wait_held(lab, "the MAC/IP route withdrawn, the others kept", &rest)?;
        lab.restart_peer()?;
        lab.wait_established(0)?;
        wait_held(
            lab,
            "after a restart, GoBGP holds the four others again",
            &rest,
        )?;
        // Give a stale version time to show up, then look again.
        std::thread::sleep(std::time::Duration::from_secs(2));
        wait_held(lab, "no withdrawn EVPN route comes back", &rest)
    })
}
