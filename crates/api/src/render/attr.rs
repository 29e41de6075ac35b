//! Path attributes (RFC 4271 §5 and extensions) in ExaBGP 5's JSON and text forms.
//!
//! ExaBGP prints attributes sorted by type code, skips NEXT_HOP (it is printed with the
//! NLRI) and the MP_REACH / MP_UNREACH attributes (their NLRI are printed instead), keeps
//! the first of duplicated attributes (merging duplicated EXTENDED COMMUNITIES), sorts the
//! members of the community attributes, and drops an empty AS_PATH. Attributes it does not
//! know are printed as `attribute-0x<CODE>-0x<FLAGS>` (JSON) or `attribute [ … ]` (text);
//! on receipt only transitive ones are kept, with the Partial bit set (RFC 4271 §5).

use std::fmt::Write;

use wire::attr::{AsPath, Community, ExtCommunity, LargeCommunity, Origin, SegmentType};
use wire::{AttrFlags, Attribute};

use super::{extcomm, hex_lower, hex_upper, json_str};

mod text;

/// Attributes ready to print: sorted by code, merged, with their lists sorted.
#[derive(Debug, Default)]
pub(crate) struct AttrView<'a> {
    /// One entry per printed attribute, in type-code order.
    items: Vec<Item<'a>>,
    /// True when the message carried any attribute besides MP_REACH / MP_UNREACH (ExaBGP
    /// prints `"attribute": { }` even when nothing in it is printable).
    pub(crate) present: bool,
}

#[derive(Debug)]
enum Item<'a> {
    Origin(Origin),
    AsPath(&'a AsPath),
    Med(u32),
    LocalPref(u32),
    AtomicAggregate,
    Aggregator(&'a wire::attr::Aggregator),
    Communities(Vec<Community>),
    OriginatorId(std::net::Ipv4Addr),
    ClusterList(&'a [std::net::Ipv4Addr]),
    ExtCommunities(Vec<ExtCommunity>),
    /// IPv6 address-specific extended communities (RFC 5701), 20 octets each.
    Ext6Communities(Vec<&'a [u8]>),
    Aigp(u64),
    LargeCommunities(Vec<LargeCommunity>),
    PrefixSid(&'a wire::attr::PrefixSid),
    LinkState(&'a wire::attr::LinkState),
    /// PMSI_TUNNEL (RFC 6514 §5), kept raw by the wire crate.
    Pmsi(wire::attr::PmsiTunnel),
    Generic {
        code: u8,
        flags: u8,
        data: &'a [u8],
    },
    /// ExaBGP's internal "error" pseudo-attribute (`treat-as-withdraw`, `discard`).
    Error(&'a str),
}

impl Item<'_> {
    fn code(&self) -> u16 {
        match self {
            Self::Origin(_) => 1,
            Self::AsPath(_) => 2,
            Self::Med(_) => 4,
            Self::LocalPref(_) => 5,
            Self::AtomicAggregate => 6,
            Self::Aggregator(_) => 7,
            Self::Communities(_) => 8,
            Self::OriginatorId(_) => 9,
            Self::ClusterList(_) => 10,
            Self::ExtCommunities(_) => 16,
            Self::Ext6Communities(_) => 25,
            Self::Aigp(_) => 26,
            Self::LargeCommunities(_) => 32,
            Self::PrefixSid(_) => 40,
            Self::LinkState(_) => 29,
            Self::Pmsi(_) => 22,
            Self::Generic { code, .. } => u16::from(*code),
            Self::Error(_) => 0x100,
        }
    }
}

impl<'a> AttrView<'a> {
    /// Prepares `attributes` for printing. `received` applies the decoder's rules to unknown
    /// attributes (non-transitive ones dropped, Partial set) — ExaBGP decodes the UPDATEs
    /// it sends as well, so this is true for every message event and false only for routes
    /// shown from the configuration; `error` adds ExaBGP's `error` pseudo-attribute.
    pub(crate) fn new(attributes: &'a [Attribute], received: bool, error: Option<&'a str>) -> Self {
        let mut view = AttrView::default();
        for attribute in attributes {
            let item = match attribute {
                Attribute::MpReach(_) | Attribute::MpUnreach(_) => continue,
                Attribute::NextHop(_) => {
                    view.present = true;
                    continue;
                }
                // ExaBGP decodes an empty AS_PATH to nothing at all.
                Attribute::AsPath(path) if path.0.is_empty() => continue,
                Attribute::Origin(o) => Item::Origin(*o),
                Attribute::AsPath(path) => Item::AsPath(path),
                Attribute::Med(v) => Item::Med(*v),
                Attribute::LocalPref(v) => Item::LocalPref(*v),
                Attribute::AtomicAggregate => Item::AtomicAggregate,
                Attribute::Aggregator(a) => Item::Aggregator(a),
                Attribute::Communities(c) => Item::Communities(c.clone()),
                Attribute::OriginatorId(ip) => Item::OriginatorId(*ip),
                Attribute::ClusterList(list) => Item::ClusterList(list),
                Attribute::ExtCommunities(c) => Item::ExtCommunities(c.clone()),
                Attribute::Aigp(v) => Item::Aigp(*v),
                Attribute::LargeCommunities(c) => Item::LargeCommunities(c.clone()),
                Attribute::PrefixSid(sid) => Item::PrefixSid(sid),
                Attribute::LinkState(ls) => Item::LinkState(ls),
                // RFC 5701: ExaBGP decodes the IPv6 address-specific extended communities.
                Attribute::Raw { code, data, .. }
                    if code.0 == IPV6_EXT_COMMUNITIES
                        && !data.is_empty()
                        && data.len() % 20 == 0 =>
                {
                    let mut list: Vec<&[u8]> = data.chunks(20).collect();
                    list.sort();
                    Item::Ext6Communities(list)
                }
                // RFC 6514 §5: ExaBGP decodes the PMSI tunnel; a non-transitive one
                // (flags in conflict) it treats as unknown, so drops on receipt.
                Attribute::Raw { flags, code, data }
                    if *code == wire::AttrCode::PMSI_TUNNEL
                        && (!received || flags.has(AttrFlags::TRANSITIVE)) =>
                {
                    match wire::attr::PmsiTunnel::decode(data) {
                        Some(pmsi) => Item::Pmsi(pmsi),
                        // Too short to read: shown as the generic attribute it is.
                        None => Item::Generic {
                            code: code.0,
                            flags: flags.0 | if received { AttrFlags::PARTIAL } else { 0 },
                            data,
                        },
                    }
                }
                Attribute::Raw { flags, code, data } => {
                    let mut flags = flags.0;
                    if received {
                        if flags & AttrFlags::TRANSITIVE == 0 {
                            continue;
                        }
                        flags |= AttrFlags::PARTIAL;
                    }
                    Item::Generic {
                        code: code.0,
                        flags,
                        data,
                    }
                }
                // Attributes a newer wire crate decodes that this renderer does not know.
                _ => continue,
            };
            view.present = true;
            view.insert(item);
        }
        if let Some(error) = error {
            view.present = true;
            view.insert(Item::Error(error));
        }
        for item in &mut view.items {
            match item {
                Item::Communities(c) => c.sort(),
                Item::ExtCommunities(c) => c.sort(),
                Item::LargeCommunities(c) => {
                    c.sort();
                    c.dedup();
                }
                _ => {}
            }
        }
        view
    }

    fn insert(&mut self, item: Item<'a>) {
        let code = item.code();
        match self.items.binary_search_by_key(&code, Item::code) {
            Ok(at) => {
                if let (Item::ExtCommunities(have), Item::ExtCommunities(more)) =
                    (&mut self.items[at], item)
                {
                    have.extend(more);
                }
            }
            Err(at) => self.items.insert(at, item),
        }
    }

    /// Appends the members of the JSON `attribute` object (without braces).
    pub(crate) fn json(&self, out: &mut String) {
        for (i, item) in self.items.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            item.json(out);
        }
    }

    /// Appends the text form: each attribute preceded by a space.
    pub(crate) fn text(&self, out: &mut String) {
        for item in &self.items {
            item.text(out);
        }
    }
}

/// IPV6_EXTENDED_COMMUNITIES (RFC 5701).
const IPV6_EXT_COMMUNITIES: u8 = 25;

/// The name ExaBGP gives an IPv6 address-specific extended community, if any: the
/// redirect-to-IP of draft-ietf-idr-flowspec-redirect, or the hex of the IPv6 route-target
/// redirect (RFC 5701 §3), which ExaBGP recognises without naming it.
fn ext6_name(out: &mut String, c: &[u8]) -> bool {
    let (Some(&kind), Some(&sub), Some(ip), Some(bit)) =
        (c.first(), c.get(1), c.get(2..18), c.get(19))
    else {
        return false;
    };
    match (kind & 0x0f, sub) {
        (0, 0x0b) => hex_upper(out, c),
        (0, 0x0c) => {
            let mut octets = [0u8; 16];
            octets.copy_from_slice(ip);
            let ip = std::net::Ipv6Addr::from(octets);
            if bit & 1 != 0 {
                let _ = write!(out, "copy-to-nexthop-ietf {ip} (with copy)");
            } else {
                let _ = write!(out, "redirect-to-nexthop-ietf {ip}");
            }
        }
        _ => return false,
    }
    true
}

/// Appends the bytes as one unsigned big-endian integer in decimal.
pub(crate) fn big_decimal(out: &mut String, bytes: &[u8]) {
    let mut number = bytes.to_vec();
    let mut digits = Vec::new();
    while number.iter().any(|&b| b != 0) {
        let mut rest = 0u32;
        for byte in &mut number {
            let value = (rest << 8) | u32::from(*byte);
            *byte = (value / 10) as u8;
            rest = value % 10;
        }
        digits.push(b'0' + rest as u8);
    }
    if digits.is_empty() {
        digits.push(b'0');
    }
    out.extend(digits.iter().rev().map(|&d| char::from(d)));
}

fn origin_name(origin: Origin) -> &'static str {
    match origin {
        Origin::Igp => "igp",
        Origin::Egp => "egp",
        Origin::Incomplete => "incomplete",
    }
}

fn segment_name(kind: SegmentType) -> &'static str {
    // ExaBGP 5.0 names the two confederation segment types "as-sequence" as well.
    match kind {
        SegmentType::Set => "as-set",
        _ => "as-sequence",
    }
}

impl Item<'_> {
    fn json(&self, out: &mut String) {
        match self {
            Self::Origin(o) => {
                let _ = write!(out, "\"origin\": \"{}\"", origin_name(*o));
            }
            Self::AsPath(path) => {
                out.push_str("\"as-path\": {");
                for (i, segment) in path.0.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(
                        out,
                        "\"{i}\": {{\"element\": \"{}\", \"value\": [",
                        segment_name(segment.kind)
                    );
                    for (j, asn) in segment.asns.iter().enumerate() {
                        if j > 0 {
                            out.push_str(", ");
                        }
                        let _ = write!(out, "{}", asn.0);
                    }
                    out.push_str("]}");
                }
                out.push('}');
            }
            Self::Med(v) => {
                let _ = write!(out, "\"med\": {v}");
            }
            Self::LocalPref(v) => {
                let _ = write!(out, "\"local-preference\": {v}");
            }
            Self::AtomicAggregate => out.push_str("\"atomic-aggregate\": true"),
            Self::Aggregator(a) => {
                let _ = write!(out, "\"aggregator\": \"{}:{}\"", a.asn.0, a.ip);
            }
            Self::Communities(list) => {
                out.push_str("\"community\": [ ");
                for (i, c) in list.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "[ {}, {} ]", c.0 >> 16, c.0 & 0xffff);
                }
                out.push_str(" ]");
            }
            Self::OriginatorId(ip) => {
                let _ = write!(out, "\"originator-id\": \"{ip}\"");
            }
            Self::ClusterList(list) => {
                out.push_str("\"cluster-list\": [ ");
                for (i, ip) in list.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "\"{ip}\"");
                }
                out.push_str(" ]");
            }
            Self::ExtCommunities(list) => {
                out.push_str("\"extended-community\": [ ");
                for (i, c) in list.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(
                        out,
                        "{{ \"value\": {}, \"string\": \"",
                        extcomm::value(&c.0)
                    );
                    extcomm::json_string(out, &c.0);
                    out.push_str("\" }");
                }
                out.push_str(" ]");
            }
            Self::Ext6Communities(list) => {
                out.push_str("\"extended-community-ipv6\": [ ");
                for (i, c) in list.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push_str("{ \"value\": ");
                    big_decimal(out, c);
                    out.push_str(", \"string\": \"");
                    ext6_name(out, c);
                    out.push_str("\" }");
                }
                out.push_str(" ]");
            }
            Self::Aigp(v) => {
                let _ = write!(out, "\"aigp\": \"0x{v:016x}\"");
            }
            Self::LargeCommunities(list) => {
                out.push_str("\"large-community\": [ ");
                for (i, c) in list.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "[ {}, {} , {} ]", c.global, c.local1, c.local2);
                }
                out.push_str(" ]");
            }
            Self::PrefixSid(sid) => super::prefix_sid::json(out, sid),
            Self::LinkState(ls) => super::bgpls_attr::json(out, ls),
            Self::Pmsi(pmsi) => {
                out.push_str("\"pmsi\": ");
                json_str(out, &pmsi.to_string());
            }
            Self::Generic { code, flags, data } => {
                let _ = write!(out, "\"attribute-0x{code:02X}-0x{flags:02X}\": \"");
                hex_lower(out, data);
                out.push('"');
            }
            Self::Error(what) => {
                out.push_str("\"error\": ");
                json_str(out, what);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// ExaBGP 5.0.15's `Attributes` holding ORIGIN IGP and `PMSI.unpack()` of the same
    /// value: `_generate_text()` and `json()`.
    #[test]
    fn pmsi_tunnel_as_exabgp() {
        let attrs = [
            Attribute::Origin(Origin::Igp),
            Attribute::Raw {
                flags: AttrFlags(0xc0),
                code: wire::AttrCode::PMSI_TUNNEL,
                data: vec![0x00, 0x06, 0x00, 0x06, 0x41, 192, 0, 2, 1],
            },
        ];
        let view = AttrView::new(&attrs, true, None);
        let (mut json, mut text) = (String::new(), String::new());
        view.json(&mut json);
        view.text(&mut text);
        assert_eq!(
            json,
            "\"origin\": \"igp\", \"pmsi\": \"pmsi:ingressreplication:0:100(1601):192.0.2.1\""
        );
        assert_eq!(
            text,
            " origin igp pmsi pmsi:ingressreplication:0:100(1601):192.0.2.1"
        );
    }

    #[test]
    fn big_decimals() {
        let mut s = String::new();
        big_decimal(
            &mut s,
            &[
                0x00, 0x0b, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0xfd, 0xe9,
            ],
        );
        assert_eq!(s, "248096148851366670562362960556923561743351273");
        let mut s = String::new();
        big_decimal(&mut s, &[0, 0]);
        assert_eq!(s, "0");
    }
}
