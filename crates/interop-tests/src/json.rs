//! Reading the JSON lines ExaBGP 5 (and Herald) write to a helper, and comparing them.
//!
//! ExaBGP's own decoding tests compare parsed JSON, not bytes, after removing the keys that
//! change from run to run: `exabgp`, `time`, `host`, `pid`, `ppid`, `counter` (and
//! `version`). [`comparable`] does the same, and also blanks `neighbor.address.local`, so that
//! two speakers on different local addresses can be compared.

use serde_json::Value;

use crate::error::{HarnessError, Result};

/// The envelope keys that differ between runs.
pub const VOLATILE_KEYS: [&str; 7] = [
    "exabgp", "time", "host", "pid", "ppid", "counter", "version",
];

/// Parses every complete line that holds a JSON object; other lines (a trailing partial
/// line, text acks) are skipped.
pub fn parse_lines(text: &str) -> Result<Vec<Value>> {
    let complete = match text.rfind('\n') {
        Some(end) => &text[..end],
        None => "",
    };
    complete
        .lines()
        .map(str::trim)
        .filter(|l| l.starts_with('{'))
        .map(|l| {
            serde_json::from_str(l).map_err(|e| HarnessError::Parse {
                what: "a JSON line from the speaker".into(),
                reason: format!("{e}: {l}"),
            })
        })
        .collect()
}

/// How many `state` messages with `"state": <state>` are in `messages`.
pub fn state_count(messages: &[Value], state: &str) -> usize {
    messages
        .iter()
        .filter(|m| m.get("type").and_then(Value::as_str) == Some("state"))
        .filter(|m| m.pointer("/neighbor/state").and_then(Value::as_str) == Some(state))
        .count()
}

/// `message` without the volatile envelope keys and with `neighbor.address.local` blanked.
pub fn comparable(message: &Value) -> Value {
    let mut message = message.clone();
    if let Some(object) = message.as_object_mut() {
        for key in VOLATILE_KEYS {
            object.remove(key);
        }
    }
    if let Some(local) = message.pointer_mut("/neighbor/address/local") {
        *local = Value::String("<local>".into());
    }
    message
}

/// The JSON lines of the file at `path` (see [`parse_lines`]); none while it does not exist.
pub fn read_lines(path: &std::path::Path) -> Result<Vec<Value>> {
    match std::fs::read_to_string(path) {
        Ok(text) => parse_lines(&text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Vec::new()),
        Err(e) => Err(HarnessError::io(format!("read {}", path.display()), e)),
    }
}

/// The routes of `family` (`"ipv4 rtc"`) an update message announces, via any next hop.
pub fn announced_in(message: &Value, family: &str) -> Vec<Value> {
    message
        .pointer(&format!("/neighbor/message/update/announce/{family}"))
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|by_next_hop| by_next_hop.values())
        .filter_map(Value::as_array)
        .flatten()
        .cloned()
        .collect()
}

/// The routes of `family` an update message withdraws.
pub fn withdrawn_in(message: &Value, family: &str) -> Vec<Value> {
    message
        .pointer(&format!("/neighbor/message/update/withdraw/{family}"))
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default()
}

/// Whether an update message announces `prefix` (under any family and next hop).
pub fn announces(message: &Value, prefix: &str) -> bool {
    let Some(families) = message
        .pointer("/neighbor/message/update/announce")
        .and_then(Value::as_object)
    else {
        return false;
    };
    families
        .values()
        .filter_map(Value::as_object)
        .flat_map(|by_next_hop| by_next_hop.values())
        .filter_map(Value::as_array)
        .flatten()
        .any(|nlri| {
            nlri.get("nlri").and_then(Value::as_str) == Some(prefix)
                || nlri.as_str() == Some(prefix)
        })
}

/// Whether an update message withdraws `prefix`.
pub fn withdraws(message: &Value, prefix: &str) -> bool {
    let Some(families) = message
        .pointer("/neighbor/message/update/withdraw")
        .and_then(Value::as_object)
    else {
        return false;
    };
    families
        .values()
        .filter_map(Value::as_array)
        .flatten()
        .any(|nlri| {
            nlri.get("nlri").and_then(Value::as_str) == Some(prefix)
                || nlri.as_str() == Some(prefix)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    // Written by ExaBGP 5.0.15's JSON encoder for a route received from BIRD 2.
    const UPDATE: &str = r#"{ "exabgp": "5.0.0", "time": 1795586812.947111, "host" : "vm", "pid" : 24464, "ppid" : 24462, "counter": 3, "type": "update", "neighbor": { "address": { "local": "127.0.9.2", "peer": "127.0.9.1" }, "asn": { "local": 65001, "peer": 65001 }, "router-id": "127.0.9.2" , "direction": "receive", "message": { "update": { "attribute": { "origin": "igp", "med": 5, "local-preference": 100, "community": [ [ 65001, 7 ] ], "large-community": [ [ 65001, 1 , 2 ] ] }, "announce": { "ipv4 unicast": { "192.0.2.254": [ { "nlri": "198.51.100.0/25" } ] } } } } } }"#;

    #[test]
    fn skips_partial_last_line_and_acks() {
        let text = format!("done\n{UPDATE}\n{{ \"exabgp\": ");
        let parsed = parse_lines(&text).unwrap();
        assert_eq!(parsed.len(), 1);
        assert!(announces(&parsed[0], "198.51.100.0/25"));
        assert!(!announces(&parsed[0], "198.51.100.0/24"));
        assert!(!withdraws(&parsed[0], "198.51.100.0/25"));
    }

    #[test]
    fn comparable_drops_volatile_keys_only() {
        let parsed: Value = serde_json::from_str(UPDATE).unwrap();
        let c = comparable(&parsed);
        for key in VOLATILE_KEYS {
            assert!(c.get(key).is_none(), "{key}");
        }
        assert_eq!(c["type"], "update");
        assert_eq!(c["neighbor"]["address"]["local"], "<local>");
        assert_eq!(c["neighbor"]["address"]["peer"], "127.0.9.1");
        assert_eq!(c["neighbor"]["message"]["update"]["attribute"]["med"], 5);
    }
}
