//! The BGP-LS Attribute (type 29, RFC 7752 §3.3, RFC 9085, RFC 9514) in ExaBGP 5's JSON:
//! `"bgp-ls": { "igp-metric": 1, "sr-adj": {…}, "generic-lsid-258": ["0x…"] }`.
//!
//! One member per TLV in wire order, named as ExaBGP names them, with ExaBGP's merging:
//! repeated TLVs of an unknown code become one `generic-lsid-<code>` list, the IPv4 and
//! IPv6 Local TE Router-IDs one `local-te-router-ids` list, and repeated LAN Adjacency SIDs
//! and SRv6 End.X / LAN End.X SIDs one list each, at the place of the first. Other TLVs
//! that repeat repeat their key, as ExaBGP prints them. Nested objects are written the way
//! Python's `json.dumps` writes them (`{"B": 1, "S": 0}`), floats as Python's `repr`.

use std::fmt::Write;

use wire::attr::attr_29_bgp_ls::{EndXNeighbor, LsValue, Srv6EndX};
use wire::attr::LinkState;

use super::attr::big_decimal;
use super::bgpls_tlv::{
    self, address, endx, generic, numbers, ranges_list, sr_adj, sr_adj_lan, undecoded,
};
use super::python::py_float;
use super::{hex_upper, join, json_str};

/// `{"O": 0, "T": 1, …, "RSV": 0}`.
fn flags(out: &mut String, code: u16, bits: u8) {
    bgpls_tlv::flags(out, code, bits, '"');
}

/// The JSON member name of a TLV that has one.
fn member_name(code: u16) -> &'static str {
    match code {
        1024 => "node-flags",
        1025 => "opaque",
        1026 => "node-name",
        1027 => "area-id",
        1028 | 1029 => "local-te-router-ids",
        1030 | 1031 => "remote-te-router-id",
        1035 => "sr-algorithms",
        1088 => "admin-group-mask",
        1089 => "maximum-link-bandwidth",
        1090 => "maximum-reservable-link-bandwidth",
        1091 => "unreserved-bandwidth",
        1092 => "te-metric",
        1093 => "link-protection-flags",
        1094 => "mpls-mask",
        1095 => "igp-metric",
        1096 => "shared-risk-link-groups",
        1097 => "opaque-link",
        1098 => "link-name",
        1100 => "sr-adj-lan-sids",
        1106 => "srv6-endx",
        1107 => "srv6-lan-endx-isis",
        1108 => "srv6-lan-endx-ospf",
        1152 => "igp-flags",
        1153 => "igp-route-tags",
        1154 => "igp-extended-route-tags",
        1155 => "prefix-metric",
        1156 => "ospf-forwarding-address",
        1157 => "opaque-prefix",
        1170 => "sr-prefix-attribute-flags",
        1171 => "sr-source-router-id",
        _ => "",
    }
}

/// Appends `"bgp-ls": { … }`.
pub(crate) fn json(out: &mut String, ls: &LinkState) {
    out.push_str("\"bgp-ls\": { ");
    bgpls_tlv::members(out, ls, member);
    out.push_str(" }");
}

fn member(out: &mut String, code: u16, values: &[&LsValue<'_>]) {
    let Some(first) = values.first() else {
        return;
    };
    let name = member_name(code);
    match first {
        LsValue::Generic(_) => {
            let _ = write!(out, "\"generic-lsid-{code}\": [");
            join(
                out,
                values.iter().filter_map(generic),
                ", ",
                |out, bytes| {
                    out.push('"');
                    hex_upper(out, bytes);
                    out.push('"');
                },
            );
            out.push(']');
        }
        LsValue::Address(_) if matches!(code, 1028 | 1029) => {
            let _ = write!(out, "\"{name}\": [");
            join(out, values.iter().filter_map(address), ", ", |out, ip| {
                let _ = write!(out, "\"{ip}\"");
            });
            out.push(']');
        }
        LsValue::SrAdjacency(_) if code == 1100 => {
            let _ = write!(out, "\"{name}\": [");
            join(out, values.iter().filter_map(sr_adj), ", ", |out, adj| {
                sr_adj_lan(out, adj, '"');
            });
            out.push(']');
        }
        LsValue::Srv6EndX(_) => {
            let _ = write!(out, "\"{name}\": [ ");
            join(out, values.iter().filter_map(endx), ", ", |out, endx| {
                srv6_endx(out, code, endx);
            });
            out.push_str(" ]");
        }
        single => one(out, code, name, single),
    }
}

fn one(out: &mut String, code: u16, name: &str, value: &LsValue<'_>) {
    match value {
        LsValue::Flags(bits) => {
            let _ = write!(out, "\"{name}\": ");
            flags(out, code, *bits);
        }
        LsValue::Unsigned(n) => {
            let _ = write!(out, "\"{name}\": {n}");
        }
        LsValue::Text(bytes) => {
            let _ = write!(out, "\"{name}\": ");
            json_str(out, &String::from_utf8_lossy(bytes));
        }
        LsValue::AreaId(bytes) => {
            let _ = write!(out, "\"{name}\": \"");
            big_decimal(out, bytes);
            out.push('"');
        }
        LsValue::Address(ip) => {
            let _ = write!(out, "\"{name}\": \"{ip}\"");
        }
        LsValue::Bandwidth(bw) => {
            let _ = write!(out, "\"{name}\": ");
            py_float(out, f64::from(*bw));
        }
        LsValue::Bandwidths(all) => {
            let _ = write!(out, "\"{name}\": [");
            join(out, all, ", ", |out, bw| py_float(out, f64::from(*bw)));
            out.push(']');
        }
        LsValue::List(items) => {
            let _ = write!(out, "\"{name}\": ");
            numbers(out, items.iter().copied());
        }
        LsValue::SrCapabilities {
            flags: bits,
            ranges,
        } => {
            out.push_str("\"sr-capability-flags\": ");
            flags(out, code, *bits);
            out.push_str(", \"sids\": ");
            ranges_list(out, ranges);
        }
        LsValue::Srv6Capabilities(o) => {
            let _ = write!(out, "\"srv6-capabilities\": {{\"flags\": {{\"O\": {o}}}}}");
        }
        LsValue::SrAdjacency(adj) => {
            out.push_str("\"sr-adj\": {\"flags\": ");
            flags(out, code, adj.flags);
            out.push_str(", \"sids\": ");
            numbers(out, adj.sids.iter().map(|s| u64::from(*s)));
            let _ = write!(out, ", \"weight\": {}, \"undecoded-sids\": ", adj.weight);
            undecoded(out, adj.undecoded, '"');
            out.push('}');
        }
        LsValue::SrPrefix {
            flags: bits,
            algorithm,
            sids,
            undecoded: raw,
        } => {
            out.push_str("\"sr-prefix-flags\": ");
            flags(out, code, *bits);
            out.push_str(", \"sids\": ");
            numbers(out, sids.iter().map(|s| u64::from(*s)));
            out.push_str(", \"undecoded-sids\": ");
            undecoded(out, *raw, '"');
            let _ = write!(out, ", \"sr-algorithm\": {algorithm}");
        }
        LsValue::Srv6Locator {
            flags: bits,
            algorithm,
            metric,
        } => {
            out.push_str("\"srv6-locator\": {\"flags\": ");
            flags(out, code, *bits);
            let _ = write!(out, ", \"algorithm\": {algorithm}, \"metric\": {metric}}}");
        }
        LsValue::Srv6EndpointBehavior {
            behavior,
            algorithm,
        } => {
            let _ = write!(
                out,
                "\"srv6-endpoint-behavior\": {{\"endpoint-behavior\": {behavior}, \"flags\": [], \"algorithm\": {algorithm}}}"
            );
        }
        LsValue::Srv6SidStructure(lengths) => {
            out.push_str("\"srv6-sid-structure\": ");
            sid_structure(out, *lengths);
        }
        // Merged kinds are written by `member`.
        LsValue::Generic(_) | LsValue::Srv6EndX(_) => {}
    }
}

fn sid_structure(out: &mut String, l: [u8; 4]) {
    let _ = write!(
        out,
        "{{\"loc_block_len\": {}, \"loc_node_len\": {}, \"func_len\": {}, \"arg_len\": {}}}",
        l[0], l[1], l[2], l[3]
    );
}

/// One End.X SID as ExaBGP's dictionary: fixed members, then the sub-TLVs (a repeated
/// key keeps its first place and its last value).
fn srv6_endx(out: &mut String, code: u16, endx: &Srv6EndX<'_>) {
    let mut members: Vec<(String, String)> = Vec::new();
    let mut flag_json = String::new();
    flags(&mut flag_json, code, endx.flags);
    members.push(("flags".into(), flag_json));
    match endx.neighbor {
        Some(EndXNeighbor::Isis(id)) => {
            let hex: String = id.iter().map(|b| format!("{b:02x}")).collect();
            members.push(("neighbor-id".into(), format!("\"{hex}\"")));
        }
        Some(EndXNeighbor::Ospf(ip)) => members.push(("neighbor-id".into(), format!("\"{ip}\""))),
        None => {}
    }
    members.push(("behavior".into(), endx.behavior.to_string()));
    members.push(("algorithm".into(), endx.algorithm.to_string()));
    members.push(("weight".into(), endx.weight.to_string()));
    members.push(("sid".into(), format!("\"{}\"", endx.sid)));
    for (sub, value) in &endx.sub_tlvs {
        let (key, json) = match wire::attr::attr_29_bgp_ls::tlv::sid_structure(value) {
            Ok(lengths) if *sub == wire::attr::attr_29_bgp_ls::tlv::SRV6_SID_STRUCTURE => {
                let mut s = String::new();
                sid_structure(&mut s, lengths);
                ("srv6-sid-structure".to_owned(), s)
            }
            _ => {
                let key = if code == 1106 {
                    format!("subtlv-not-implemented-{sub}")
                } else {
                    format!("{sub}-undecoded")
                };
                let mut s = String::from("\"");
                hex_upper(&mut s, value);
                s.push('"');
                (key, s)
            }
        };
        match members.iter_mut().find(|(k, _)| *k == key) {
            Some(member) => member.1 = json,
            None => members.push((key, json)),
        }
    }
    out.push('{');
    join(out, &members, ", ", |out, (key, json)| {
        let _ = write!(out, "\"{key}\": {json}");
    });
    out.push('}');
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_have_one_reserved_member() {
        let mut s = String::new();
        flags(&mut s, 1099, 0x30);
        assert_eq!(
            s,
            r#"{"F": 0, "B": 0, "V": 1, "L": 1, "S": 0, "P": 0, "RSV": 0}"#
        );
    }
}
