//! The BGP-LS Attribute (type 29) in ExaBGP 5's text encoder: ` bgp-ls ` and each TLV as
//! ExaBGP's Python objects print themselves (`IGP Metric: 10`, `Node Flags: {'O': 1, …}`,
//! `Opaque Link Attribute: b'abc'`), joined with `, `, merged TLVs once (see
//! [`super::bgpls_attr`]).
//!
//! ExaBGP separates the entries of a merged SRv6 End.X SID TLV with a new line; Herald
//! writes the same lines. A node name, printed by ExaBGP as it came, has its control
//! characters escaped (`\x0a`) so that a peer cannot start a line of its own.

use std::fmt::Write;

use wire::attr::attr_29_bgp_ls::{EndXNeighbor, LsValue, Srv6EndX};
use wire::attr::LinkState;

use super::attr::big_decimal;
use super::bgpls_tlv::{self, address, endx, numbers, ranges_list, sr_adj, sr_adj_lan, undecoded};
use super::python::{py_bytes, py_repr_float};
use super::{hex_bare_lower, join, oneline};

/// Appends ` bgp-ls <TLVs>`.
pub(crate) fn text(out: &mut String, ls: &LinkState) {
    out.push_str(" bgp-ls ");
    bgpls_tlv::members(out, ls, member);
}

/// The text name ExaBGP gives a TLV (its `REPR`).
fn repr_name(code: u16) -> &'static str {
    match code {
        1024 => "Node Flags",
        1025 => "Opaque Node Attribute",
        1026 => "Node Name",
        1027 => "ISIS area id",
        1028 | 1029 => "Local TE Router IDs",
        1030 | 1031 => "Remote TE Router ID",
        1034 => "SR Capability Flags",
        1035 => "SrAlgorithms",
        1088 => "Admin Group mask",
        1089 | 1091 => "Maximum link bandwidth",
        1090 => "Maximum reservable link bandwidth",
        1092 => "TE Default Metric",
        1093 => "Link protection mask",
        1094 => "MPLS Protocol mask",
        1095 => "IGP Metric",
        1096 => "link SRLG values",
        1097 => "Opaque Link Attribute",
        1098 => "Link Name",
        1152 => "IGP flags",
        1153 => "IGP Route Tags",
        1154 => "IGP Extended Route Tags",
        1155 => "prefix_metric",
        1156 => "Ospf forwarding address",
        1157 => "Opaque Prefix Attribute",
        1170 => "Prefix Attr Flags",
        1171 => "Source router identifier",
        _ => "",
    }
}

/// A Python dict of flags: `{'O': 1, 'T': 0, 'RSV': 0}`.
fn flags(out: &mut String, code: u16, bits: u8) {
    bgpls_tlv::flags(out, code, bits, '\'');
}

fn member(out: &mut String, code: u16, values: &[&LsValue<'_>]) {
    let Some(first) = values.first() else {
        return;
    };
    let name = repr_name(code);
    match first {
        LsValue::Generic(_) => {
            let _ = write!(out, "Attribute with code [ {code} ] not implemented");
        }
        LsValue::Address(_) if matches!(code, 1028 | 1029) => {
            let _ = write!(out, "{name}: [");
            join(out, values.iter().filter_map(address), ", ", |out, ip| {
                let _ = write!(out, "'{ip}'");
            });
            out.push(']');
        }
        LsValue::SrAdjacency(_) if code == 1100 => {
            out.push_str("sr-adj-lan-sids: [");
            join(out, values.iter().filter_map(sr_adj), ", ", |out, adj| {
                sr_adj_lan(out, adj, '\'');
            });
            out.push(']');
        }
        LsValue::Srv6EndX(_) => {
            join(out, values.iter().filter_map(endx), "\n", |out, endx| {
                srv6_endx(out, code, endx);
            });
        }
        single => one(out, code, name, single),
    }
}

fn one(out: &mut String, code: u16, name: &str, value: &LsValue<'_>) {
    match value {
        LsValue::Flags(bits) => {
            let _ = write!(out, "{name}: ");
            flags(out, code, *bits);
        }
        LsValue::Unsigned(n) => {
            let _ = write!(out, "{name}: {n}");
        }
        LsValue::Text(bytes) if code == 1026 => {
            let _ = write!(out, "{name}: ");
            oneline(out, &String::from_utf8_lossy(bytes));
        }
        LsValue::Text(bytes) => {
            let _ = write!(out, "{name}: ");
            py_bytes(out, bytes);
        }
        LsValue::AreaId(bytes) => {
            let _ = write!(out, "{name}: ");
            big_decimal(out, bytes);
        }
        LsValue::Address(ip) => {
            let _ = write!(out, "{name}: {ip}");
        }
        LsValue::Bandwidth(bw) => {
            let _ = write!(out, "{name}: ");
            py_repr_float(out, f64::from(*bw));
        }
        LsValue::Bandwidths(all) => {
            let _ = write!(out, "{name}: (");
            join(out, all, ", ", |out, bw| py_repr_float(out, f64::from(*bw)));
            out.push(')');
        }
        LsValue::List(items) => {
            let _ = write!(out, "{name}: ");
            numbers(out, items.iter().copied());
        }
        LsValue::SrCapabilities {
            flags: bits,
            ranges,
        } => {
            let _ = write!(out, "{name}: ");
            flags(out, code, *bits);
            out.push_str(", sids: ");
            ranges_list(out, ranges);
        }
        LsValue::Srv6Capabilities(o) => {
            let _ = write!(out, "flags: {{'O': {o}}}");
        }
        LsValue::SrAdjacency(adj) => {
            out.push_str("adj_flags: ");
            flags(out, code, adj.flags);
            out.push_str(", sids: ");
            numbers(out, adj.sids.iter().map(|s| u64::from(*s)));
            out.push_str(", undecoded_sid ");
            undecoded(out, adj.undecoded, '\'');
        }
        LsValue::SrPrefix {
            flags: bits,
            sids,
            undecoded: raw,
            ..
        } => {
            out.push_str("prefix_flags: ");
            flags(out, code, *bits);
            out.push_str(", sids: ");
            numbers(out, sids.iter().map(|s| u64::from(*s)));
            out.push_str(", undecoded_sid: ");
            undecoded(out, *raw, '\'');
        }
        LsValue::Srv6Locator {
            flags: bits,
            algorithm,
            metric,
        } => {
            out.push_str("flags: ");
            flags(out, code, *bits);
            let _ = write!(out, ", algorithm: {algorithm}, metric: {metric}");
        }
        LsValue::Srv6EndpointBehavior {
            behavior,
            algorithm,
        } => {
            // ExaBGP's format string puts "0x" before the decimal value.
            let _ = write!(
                out,
                "srv6-endpoint-behavior [0x{behavior}, flags: [], algorithm: {algorithm}]"
            );
        }
        LsValue::Srv6SidStructure(l) => {
            let _ = write!(out, "sid-structure [{},{},{},{},]", l[0], l[1], l[2], l[3]);
        }
        // Merged kinds are written by `member`.
        LsValue::Generic(_) | LsValue::Srv6EndX(_) => {}
    }
}

fn srv6_endx(out: &mut String, code: u16, endx: &Srv6EndX<'_>) {
    let _ = write!(out, "behavior: {}, ", endx.behavior);
    match endx.neighbor {
        Some(EndXNeighbor::Isis(id)) => {
            out.push_str("neighbor-id: ");
            hex_bare_lower(out, id);
            out.push_str(", ");
        }
        Some(EndXNeighbor::Ospf(ip)) => {
            let _ = write!(out, "neighbor-id: {ip}, ");
        }
        None => {}
    }
    out.push_str("flags: ");
    flags(out, code, endx.flags);
    let _ = write!(
        out,
        ", algorithm: {}, weight: {}, sid: {}",
        endx.algorithm, endx.weight, endx.sid
    );
}
