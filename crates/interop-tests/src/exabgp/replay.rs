//! Replaying the JSON lines ExaBGP 5 writes into the routes it holds from one neighbor (see
//! [`super`] for the lines): an announce adds or replaces, a withdraw removes, and every
//! `state` message of that neighbor empties its Adj-RIB-In, as ExaBGP does.

use std::collections::BTreeMap;

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::route::PeerRoute;

/// Whether `message` is about the session with `neighbor`.
fn from_neighbor(message: &Value, neighbor: &str) -> bool {
    message
        .pointer("/neighbor/address/peer")
        .and_then(Value::as_str)
        == Some(neighbor)
}

/// The last `state` ExaBGP reported for `neighbor` in `messages`.
pub fn last_state(messages: &[Value], neighbor: &str) -> Option<String> {
    messages
        .iter()
        .filter(|m| m.get("type").and_then(Value::as_str) == Some("state"))
        .filter(|m| from_neighbor(m, neighbor))
        .filter_map(|m| m.pointer("/neighbor/state").and_then(Value::as_str))
        .next_back()
        .map(str::to_owned)
}

/// The families whose routes are replayed.
const FAMILIES: [&str; 2] = ["ipv4 unicast", "ipv6 unicast"];

/// The prefix of one NLRI entry: `{ "nlri": "P" }` (ExaBGP 5) or a bare `"P"`.
fn nlri_prefix(entry: &Value) -> Option<&str> {
    entry
        .get("nlri")
        .and_then(Value::as_str)
        .or_else(|| entry.as_str())
}

/// The routes held from `neighbor` after the messages in order: announces add or replace,
/// withdraws remove, a `state` message of the neighbor empties the table.
pub fn replay(messages: &[Value], neighbor: &str) -> Result<Vec<PeerRoute>> {
    let mut table: BTreeMap<String, PeerRoute> = BTreeMap::new();
    for message in messages.iter().filter(|m| from_neighbor(m, neighbor)) {
        match message.get("type").and_then(Value::as_str) {
            Some("state") => {
                table.clear();
                continue;
            }
            Some("update") => {}
            _ => continue,
        }
        if message
            .pointer("/neighbor/direction")
            .and_then(Value::as_str)
            != Some("receive")
        {
            continue;
        }
        let Some(update) = message.pointer("/neighbor/message/update") else {
            continue; // End-of-RIB
        };
        for family in FAMILIES {
            let withdrawn = update
                .get("withdraw")
                .and_then(|w| w.get(family))
                .and_then(Value::as_array);
            for prefix in withdrawn.into_iter().flatten().filter_map(nlri_prefix) {
                table.remove(prefix);
            }
        }
        let attribute = update.get("attribute").unwrap_or(&Value::Null);
        for family in FAMILIES {
            let by_next_hop = update
                .get("announce")
                .and_then(|a| a.get(family))
                .and_then(Value::as_object);
            for (next_hop, nlris) in by_next_hop.into_iter().flatten() {
                let nlris = nlris.as_array().ok_or_else(|| HarnessError::Parse {
                    what: "an announce from the ExaBGP peer".into(),
                    reason: format!("NLRI list is not an array: {message}"),
                })?;
                for prefix in nlris.iter().filter_map(nlri_prefix) {
                    let route = route(prefix, next_hop, attribute)?;
                    table.insert(prefix.to_owned(), route);
                }
            }
        }
    }
    Ok(table.into_values().collect())
}

/// One route from ExaBGP's `attribute` object.
fn route(prefix: &str, next_hop: &str, attribute: &Value) -> Result<PeerRoute> {
    let bad = |what: &str| HarnessError::Parse {
        what: format!("attribute {what} from the ExaBGP peer"),
        reason: attribute.to_string(),
    };
    let num = |key: &str| -> Result<Option<u32>> {
        match attribute.get(key) {
            None => Ok(None),
            Some(v) => v
                .as_u64()
                .and_then(|n| u32::try_from(n).ok())
                .map(Some)
                .ok_or_else(|| bad(key)),
        }
    };
    let u32s = |v: &Value| -> Option<Vec<u32>> {
        v.as_array()?
            .iter()
            .map(|n| n.as_u64().and_then(|n| u32::try_from(n).ok()))
            .collect()
    };
    // Tuples of numbers, `[[65000, 1], …]`, joined with `:`.
    let tuples = |key: &str| -> Result<Vec<String>> {
        let Some(list) = attribute.get(key) else {
            return Ok(Vec::new());
        };
        list.as_array()
            .ok_or_else(|| bad(key))?
            .iter()
            .map(|t| {
                u32s(t)
                    .map(|parts| {
                        parts
                            .iter()
                            .map(u32::to_string)
                            .collect::<Vec<_>>()
                            .join(":")
                    })
                    .ok_or_else(|| bad(key))
            })
            .collect()
    };
    let as_path = match attribute.get("as-path") {
        None => Vec::new(),
        // `{"0": {"element": "as-sequence", "value": [..]}, "1": …}`, in segment order.
        Some(Value::Object(segments)) => {
            let mut ordered: Vec<(u64, &Value)> = segments
                .iter()
                .map(|(k, v)| k.parse().map(|k| (k, v)).map_err(|_| bad("as-path")))
                .collect::<Result<_>>()?;
            ordered.sort_by_key(|(k, _)| *k);
            let mut path = Vec::new();
            for (_, segment) in ordered {
                let asns = segment
                    .get("value")
                    .and_then(u32s)
                    .ok_or_else(|| bad("as-path"))?;
                path.extend(asns);
            }
            path
        }
        Some(other) => u32s(other).ok_or_else(|| bad("as-path"))?,
    };
    let ext_communities = match attribute.get("extended-community") {
        None => Vec::new(),
        Some(list) => list
            .as_array()
            .ok_or_else(|| bad("extended-community"))?
            .iter()
            .map(|e| {
                e.get("string")
                    .and_then(Value::as_str)
                    .map(str::to_owned)
                    .ok_or_else(|| bad("extended-community"))
            })
            .collect::<Result<_>>()?,
    };
    Ok(PeerRoute {
        origin: attribute
            .get("origin")
            .and_then(Value::as_str)
            .map(str::to_owned),
        next_hop: Some(next_hop.to_owned()),
        as_path,
        med: num("med")?,
        local_pref: num("local-preference")?,
        communities: tuples("community")?,
        large_communities: tuples("large-community")?,
        ext_communities,
        ..PeerRoute::new(prefix)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::parse_lines;
    // The routes ExaBGP sent for the scenarios' ANNOUNCE_FULL, ANNOUNCE_PLAIN and ANNOUNCE_V6.
    use crate::scenario::{expected_full as full, expected_plain as plain, expected_v6 as v6};

    // Written by ExaBGP 5.0.15 as the passive peer of another ExaBGP 5.0.15 (iBGP).
    const RECEIVED: &str = r#"{ "exabgp": "5.0.0", "time": 1796523721.9421523, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 1, "type": "state", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "state": "connected" } }
{ "exabgp": "5.0.0", "time": 1796523721.9575481, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 2, "type": "state", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "state": "up" } }
{ "exabgp": "5.0.0", "time": 1796523721.9594235, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 3, "type": "update", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "direction": "receive", "message": { "update": { "attribute": { "origin": "igp", "as-path": {"0": {"element": "as-sequence", "value": [65010, 65020]}}, "med": 10, "local-preference": 200, "community": [ [ 65000, 1 ], [ 65000, 2 ] ], "extended-community": [ { "value": 842122827661319, "string": "target:65000:7" } ], "large-community": [ [ 65000, 1 , 1 ] ] }, "announce": { "ipv4 unicast": { "192.0.2.1": [ { "nlri": "203.0.113.0/24" } ] } } } } } }
{ "exabgp": "5.0.0", "time": 1796523721.9598076, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 4, "type": "update", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "direction": "receive", "message": { "update": { "attribute": { "origin": "egp", "local-preference": 100 }, "announce": { "ipv4 unicast": { "192.0.2.2": [ { "nlri": "198.51.100.128/25" } ] } } } } } }
{ "exabgp": "5.0.0", "time": 1796523721.960095, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 5, "type": "update", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "direction": "receive", "message": { "update": { "attribute": { "origin": "igp", "med": 20, "local-preference": 100, "community": [ [ 65000, 6 ] ] }, "announce": { "ipv6 unicast": { "2001:db8::1": [ { "nlri": "2001:db8:1::/48" } ] } } } } } }
{ "exabgp": "5.0.0", "time": 1796523721.9602618, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 6, "type": "update", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "direction": "receive", "message": { "eor": { "afi" : "ipv4", "safi" : "unicast" } } } }
"#;

    const WITHDRAW_V4: &str = r#"{ "exabgp": "5.0.0", "time": 1796523729.7878902, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 8, "type": "update", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "direction": "receive", "message": { "update": { "withdraw": { "ipv4 unicast": [ { "nlri": "203.0.113.0/24" } ] } } } } }
"#;

    const WITHDRAW_V6: &str = r#"{ "exabgp": "5.0.0", "time": 1796523729.828354, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 9, "type": "update", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "direction": "receive", "message": { "update": { "withdraw": { "ipv6 unicast": [ { "nlri": "2001:db8:1::/48" } ] } } } } }
"#;

    const DOWN: &str = r#"{ "exabgp": "5.0.0", "time": 1796523730.0, "host" : "vm", "pid" : 22040, "ppid" : 22038, "counter": 10, "type": "state", "neighbor": { "address": { "local": "127.55.0.1", "peer": "127.55.0.2" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.55.0.1" , "state": "down", "reason": "closing connection" } }
"#;

    const PEER: &str = "127.55.0.2";

    fn replayed(text: &str) -> Vec<PeerRoute> {
        let mut routes = replay(&parse_lines(text).unwrap(), PEER).unwrap();
        routes.sort_by(|a, b| a.prefix.cmp(&b.prefix));
        routes
    }

    #[test]
    fn announces_with_every_attribute() {
        assert_eq!(replayed(RECEIVED), vec![plain(), v6(), full()]);
        assert_eq!(
            last_state(&parse_lines(RECEIVED).unwrap(), PEER).as_deref(),
            Some("up")
        );
        assert!(replay(&parse_lines(RECEIVED).unwrap(), "127.55.0.3")
            .unwrap()
            .is_empty());
    }

    #[test]
    fn withdraws_remove_one_route_each() {
        assert_eq!(
            replayed(&format!("{RECEIVED}{WITHDRAW_V4}")),
            vec![plain(), v6()]
        );
        assert_eq!(
            replayed(&format!("{RECEIVED}{WITHDRAW_V4}{WITHDRAW_V6}")),
            vec![plain()]
        );
    }

    #[test]
    fn session_down_empties_the_table() {
        let text = format!("{RECEIVED}{DOWN}");
        assert!(replayed(&text).is_empty());
        assert_eq!(
            last_state(&parse_lines(&text).unwrap(), PEER).as_deref(),
            Some("down")
        );
    }

    #[test]
    fn as_path_segments_in_order() {
        let attribute: Value = serde_json::from_str(
            r#"{"as-path": {"1": {"element": "as-set", "value": [3, 4]}, "0": {"element": "as-sequence", "value": [1, 2]}}}"#,
        )
        .unwrap();
        let r = route("10.0.0.0/8", "192.0.2.1", &attribute).unwrap();
        assert_eq!(r.as_path, vec![1, 2, 3, 4]);
        assert_eq!(r.local_pref, None);
    }
}
