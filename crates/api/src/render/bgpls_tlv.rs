//! What the JSON ([`super::bgpls_attr`]) and text ([`super::bgpls_text`]) writers of the
//! BGP-LS Attribute (type 29, RFC 7752 §3.3) share: the walk over its TLVs merged as ExaBGP
//! merges them, and the pieces both print alike but for their quote character (`"` in
//! JSON, `'` in a Python repr).

use std::fmt::Write;
use std::net::IpAddr;

use wire::attr::attr_29_bgp_ls::{LsValue, SrAdjacency, Srv6EndX};
use wire::attr::LinkState;

use super::{hex_bare_lower, hex_upper, join};

/// ExaBGP's names of the bits of each flags octet, most significant first.
pub(crate) fn flag_names(code: u16) -> [&'static str; 8] {
    const R: &str = "RSV";
    match code {
        1024 => ["O", "T", "E", "B", "R", "V", R, R],
        1034 => ["I", "V", R, R, R, R, R, R],
        1093 => [
            "ExtraTrafic",
            "Unprotected",
            "Shared",
            "Dedicated 1:1",
            "Dedicated 1+1",
            "Enhanced",
            R,
            R,
        ],
        1094 => ["LDP", "RSVP-TE", R, R, R, R, R, R],
        1099 | 1100 => ["F", "B", "V", "L", "S", "P", R, R],
        1106..=1108 => ["B", "S", "P", R, R, R, R, R],
        1152 => ["D", "N", "L", "P", R, R, R, R],
        1158 => ["R", "N", "P", "E", "V", "L", R, R],
        1162 => ["D", R, R, R, R, R, R, R],
        _ => ["X", "R", "N", R, R, R, R, R],
    }
}

/// Which TLVs ExaBGP merges, and under what key.
fn merge_key(code: u16, value: &LsValue<'_>) -> Option<u32> {
    match (code, value) {
        (_, LsValue::Generic(_)) => Some(u32::from(code)),
        (1028 | 1029, _) => Some(0x1_0000),
        (1100 | 1106 | 1107 | 1108, _) => Some(u32::from(code)),
        _ => None,
    }
}

/// Writes the TLVs of `ls` grouped as ExaBGP merges them, in first-seen order, one
/// `member` call a group, `, ` between them. A malformed attribute is discarded on
/// receipt, so every attribute here parses; one that does not shows its TLVs as generic
/// ones.
pub(crate) fn members(
    out: &mut String,
    ls: &LinkState,
    mut member: impl FnMut(&mut String, u16, &[&LsValue<'_>]),
) {
    let values: Vec<(u16, LsValue<'_>)> = ls.values().unwrap_or_else(|_| {
        ls.tlvs
            .iter()
            .map(|t| (t.code, LsValue::Generic(&t.value)))
            .collect()
    });
    let mut groups: Vec<(Option<u32>, u16, Vec<&LsValue<'_>>)> = Vec::new();
    for (code, value) in &values {
        let key = merge_key(*code, value);
        match groups.iter_mut().find(|g| key.is_some() && g.0 == key) {
            Some(group) => group.2.push(value),
            None => groups.push((key, *code, vec![value])),
        }
    }
    join(out, &groups, ", ", |out, (_, code, values)| {
        member(out, *code, values);
    });
}

/// `{"O": 0, "T": 1, …, "RSV": 0}` with `q` as the quote: one member per name (the
/// reserved bits are 0).
pub(crate) fn flags(out: &mut String, code: u16, bits: u8, q: char) {
    let names = flag_names(code);
    out.push('{');
    for (i, name) in names.iter().enumerate() {
        if names[..i].contains(name) {
            continue;
        }
        if i > 0 {
            out.push_str(", ");
        }
        let bit = if *name == "RSV" {
            0
        } else {
            (bits >> (7 - i)) & 1
        };
        let _ = write!(out, "{q}{name}{q}: {bit}");
    }
    out.push('}');
}

/// `[1, 2, 3]`.
pub(crate) fn numbers(out: &mut String, items: impl IntoIterator<Item = u64>) {
    out.push('[');
    join(out, items, ", ", |out, n| {
        let _ = write!(out, "{n}");
    });
    out.push(']');
}

/// `["0x0102"]` (quoted with `q`) or `[]`.
pub(crate) fn undecoded(out: &mut String, raw: Option<&[u8]>, q: char) {
    out.push('[');
    if let Some(bytes) = raw {
        out.push(q);
        hex_upper(out, bytes);
        out.push(q);
    }
    out.push(']');
}

/// One LAN Adjacency SID (RFC 9085 §2.2.2) as ExaBGP's dictionary, quoted with `q`.
pub(crate) fn sr_adj_lan(out: &mut String, adj: &SrAdjacency<'_>, q: char) {
    let _ = write!(out, "{{{q}flags{q}: ");
    flags(out, 1100, adj.flags, q);
    let _ = write!(out, ", {q}weight{q}: {}, {q}system-id{q}: {q}", adj.weight);
    hex_bare_lower(out, adj.system_id.unwrap_or_default());
    let _ = write!(out, "{q}, {q}sids{q}: ");
    numbers(out, adj.sids.iter().map(|s| u64::from(*s)));
    let _ = write!(out, ", {q}undecoded{q}: ");
    undecoded(out, adj.undecoded, q);
    out.push('}');
}

/// The SRGB ranges of an SR-Capabilities TLV (RFC 9085 §2.1.2): `[[size, first], …]`.
pub(crate) fn ranges_list(out: &mut String, ranges: &[(u32, u32)]) {
    out.push('[');
    join(out, ranges, ", ", |out, (size, first)| {
        let _ = write!(out, "[{size}, {first}]");
    });
    out.push(']');
}

/// The bytes of a TLV left undecoded, for the values of a merged group.
pub(crate) fn generic<'a>(value: &&'a LsValue<'a>) -> Option<&'a [u8]> {
    match value {
        LsValue::Generic(bytes) => Some(*bytes),
        _ => None,
    }
}

/// The address of a router-ID TLV, for the values of a merged group.
pub(crate) fn address(value: &&LsValue<'_>) -> Option<IpAddr> {
    match value {
        LsValue::Address(ip) => Some(*ip),
        _ => None,
    }
}

/// The adjacency SID of a TLV, for the values of a merged group.
pub(crate) fn sr_adj<'a>(value: &&'a LsValue<'a>) -> Option<&'a SrAdjacency<'a>> {
    match value {
        LsValue::SrAdjacency(adj) => Some(adj),
        _ => None,
    }
}

/// The SRv6 End.X SID of a TLV, for the values of a merged group.
pub(crate) fn endx<'a>(value: &&'a LsValue<'a>) -> Option<&'a Srv6EndX<'a>> {
    match value {
        LsValue::Srv6EndX(endx) => Some(endx),
        _ => None,
    }
}
