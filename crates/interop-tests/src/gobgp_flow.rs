//! GoBGP's JSON of a FlowSpec rule (`gobgp -j neighbor ADDR adj-in -a ipv4-flowspec`), read
//! into [`FlowRule`]: its components and actions in a compact text of our own, decided by
//! RFC 8955 / RFC 8956 alone, so a test can name the rule it expects field by field.
//!
//! GoBGP prints each rule as
//!
//! ```text
//! {"[destination: 198.51.100.1/32][protocol: ==tcp]": [{"nlri": {"rd": {…}, "value": [
//!    {"type": 1, "value": {"prefix": "198.51.100.1/32"}},            // prefix component
//!    {"type": 1, "offset": 0, "value": {"prefix": "2001:db8::/64"}}, // IPv6 (RFC 8956)
//!    {"type": 3, "value": [{"op": 129, "value": 6}]}]},             // operator/value pairs
//!  "attrs": [{"type": 16, "value": [{"type": 128, "subtype": 6, "as": 0, "rate": 0}]}, …]}]}
//! ```
//!
//! Components: a prefix is `PREFIX` (IPv4) or `PREFIX/OFFSET` (IPv6); a list of pairs is
//! space-separated, each pair `&` when ANDed with the previous one (RFC 8955 §4.2.1.1
//! bit a), then for numeric types `=` `>` `>=` `<` `<=` `!=` `true` `false` (bits lt, gt,
//! eq) and the value, for bitmask types (TCP flags 9, fragment 12, §4.2.1.2) `!` (bit not)
//! and/or `=` (bit m) before the value in hex (`=0x02`). The end-of-list and length bits are
//! framing, not meaning, and are left out.
//!
//! Actions (extended communities, RFC 8955 §7 and RFC 4360): `rate-limit:RATE` (traffic
//! rate; 0 is discard), `redirect:RT` (redirect to VRF), `mark:DSCP` (traffic marking),
//! `redirect-ip:ADDRESS` (RFC 7674-style redirect to IPv4, GoBGP's type 1 subtype 12),
//! `target:RT` (route target), or `TYPE-SUBTYPE` for any other.

use serde_json::Value;

use crate::error::{HarnessError, Result};

/// A FlowSpec rule as GoBGP holds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FlowRule {
    /// The RD of a flow-vpn rule, `ADMIN:ASSIGNED`.
    pub rd: Option<String>,
    /// `(component type, text)` in NLRI order.
    pub components: Vec<(u64, String)>,
    /// The actions and other extended communities, in attribute order.
    pub actions: Vec<String>,
    /// COMMUNITIES, `ASN:VALUE`.
    pub communities: Vec<String>,
}

fn numeric_op(op: u64) -> &'static str {
    match op & 0x07 {
        0 => "true",
        1 => "=",
        2 => ">",
        3 => ">=",
        4 => "<",
        5 => "<=",
        6 => "!=",
        _ => "false",
    }
}

/// The text of one component's value (see the module documentation).
fn component_text(kind: u64, value: &Value) -> String {
    if let Some(prefix) = value.pointer("/value/prefix").and_then(Value::as_str) {
        return match value.get("offset").and_then(Value::as_u64) {
            Some(offset) => format!("{prefix}/{offset}"),
            None => prefix.to_owned(),
        };
    }
    let pairs = value
        .get("value")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    pairs
        .iter()
        .map(|pair| {
            let op = pair.get("op").and_then(Value::as_u64).unwrap_or(0);
            let v = pair.get("value").and_then(Value::as_u64).unwrap_or(0);
            let and = if op & 0x40 != 0 { "&" } else { "" };
            if kind == 9 || kind == 12 {
                let not = if op & 0x02 != 0 { "!" } else { "" };
                let matches = if op & 0x01 != 0 { "=" } else { "" };
                format!("{and}{not}{matches}{v:#04x}")
            } else {
                format!("{and}{}{v}", numeric_op(op))
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// The text of one extended community (see the module documentation).
fn action_text(c: &Value) -> String {
    let kind = c.get("type").and_then(Value::as_u64).unwrap_or(0);
    let subtype = c.get("subtype").and_then(Value::as_u64).unwrap_or(0);
    let value = || match c.get("value") {
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
        None => "?".into(),
    };
    match (kind, subtype) {
        (128, 6) => format!(
            "rate-limit:{}",
            c.get("rate").map_or_else(|| "?".into(), Value::to_string)
        ),
        (128, 8) => format!("redirect:{}", value()),
        (128, 9) => format!("mark:{}", value()),
        (1, 12) => format!(
            "redirect-ip:{}",
            value().split(':').next().unwrap_or_default()
        ),
        (0..=2, 2) => format!("target:{}", value()),
        _ => format!("{kind}-{subtype}"),
    }
}

/// The rules of a `gobgp -j … adj-in -a FAMILY` answer (the first path of each).
pub fn flow_rules(json: &Value) -> Result<Vec<FlowRule>> {
    let Some(object) = json.as_object() else {
        return Err(HarnessError::Parse {
            what: "gobgp flowspec rib".into(),
            reason: format!("not an object: {json}"),
        });
    };
    let mut rules = Vec::new();
    for paths in object.values() {
        let Some(path) = paths.as_array().and_then(|p| p.first()) else {
            continue;
        };
        let nlri = path.get("nlri").cloned().unwrap_or(Value::Null);
        let rd = nlri.get("rd").map(|rd| {
            let part = |k: &str| rd.get(k).map_or_else(|| "?".into(), Value::to_string);
            format!("{}:{}", part("admin"), part("assigned"))
        });
        let components = nlri
            .get("value")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .map(|c| {
                let kind = c.get("type").and_then(Value::as_u64).unwrap_or(0);
                (kind, component_text(kind, c))
            })
            .collect();
        let mut actions = Vec::new();
        let mut communities = Vec::new();
        for attr in path
            .get("attrs")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            match attr.get("type").and_then(Value::as_u64) {
                Some(8) => communities.extend(
                    attr.get("communities")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_u64)
                        .map(|c| format!("{}:{}", c >> 16, c & 0xffff)),
                ),
                Some(16) => actions.extend(
                    attr.get("value")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .map(action_text),
                ),
                _ => {}
            }
        }
        rules.push(FlowRule {
            rd,
            components,
            actions,
            communities,
        });
    }
    Ok(rules)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_gobgps_rule() {
        let json: Value = serde_json::from_str(
            r#"{"k": [{"nlri": {"rd": {"admin": 65000, "assigned": 1, "type": 0}, "value": [
                {"type": 1, "value": {"prefix": "198.51.100.1/32"}},
                {"type": 2, "offset": 0, "value": {"prefix": "2001:db8::/48"}},
                {"type": 5, "value": [{"op": 1, "value": 80}, {"op": 145, "value": 443}]},
                {"type": 6, "value": [{"op": 18, "value": 1024}, {"op": 212, "value": 65535}]},
                {"type": 9, "value": [{"op": 0, "value": 2}, {"op": 129, "value": 16}]}]},
              "attrs": [{"type": 8, "communities": [4259840001]},
                {"type": 16, "value": [{"type": 128, "subtype": 6, "as": 0, "rate": 0},
                  {"type": 128, "subtype": 8, "value": "65000:100"},
                  {"type": 1, "subtype": 12, "value": "192.0.2.254:0"},
                  {"type": 8, "subtype": 0, "value": "AA=="}]}]}]}"#,
        )
        .unwrap();
        let rules = flow_rules(&json).unwrap();
        assert_eq!(
            rules,
            vec![FlowRule {
                rd: Some("65000:1".into()),
                components: vec![
                    (1, "198.51.100.1/32".into()),
                    (2, "2001:db8::/48/0".into()),
                    (5, "=80 =443".into()),
                    (6, ">1024 &<65535".into()),
                    (9, "0x02 =0x10".into()),
                ],
                actions: vec![
                    "rate-limit:0".into(),
                    "redirect:65000:100".into(),
                    "redirect-ip:192.0.2.254".into(),
                    "8-0".into()
                ],
                communities: vec!["65000:1".into()],
            }]
        );
    }
}
