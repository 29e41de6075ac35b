//! Value parsers of the route-attribute grammar (spec §1.5): one function per word's value,
//! each reading from a [`Cursor`] and producing the wire value.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use wire::attr::{
    Aggregator, AsPath, AsSegment, AttrCode, AttrFlags, Community, ExtCommunity, LargeCommunity,
    SegmentType,
};
use wire::{Asn, Attribute};

use super::Cursor;

/// Parses an ASN written asplain (`65001`) or asdot (`1.1`), RFC 5396.
pub fn parse_asn(value: &str) -> Result<Asn, String> {
    if let Some((high, low)) = value.split_once('.') {
        let high = decimal_u16(high).ok_or_else(|| format!("'{value}' is an invalid ASN"))?;
        let low = decimal_u16(low).ok_or_else(|| format!("'{value}' is an invalid ASN"))?;
        return Ok(Asn((u32::from(high) << 16) | u32::from(low)));
    }
    decimal_u32(value)
        .map(Asn)
        .ok_or_else(|| format!("'{value}' is an invalid ASN"))
}

/// A decimal integer made of ASCII digits only (no sign, no spaces).
pub fn decimal_u64(value: &str) -> Option<u64> {
    if value.is_empty() || !value.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    value.parse().ok()
}

/// A decimal `u32`.
pub fn decimal_u32(value: &str) -> Option<u32> {
    decimal_u64(value).and_then(|v| u32::try_from(v).ok())
}

/// A decimal `u16`.
pub fn decimal_u16(value: &str) -> Option<u16> {
    decimal_u64(value).and_then(|v| u16::try_from(v).ok())
}

/// A decimal or `0x` hexadecimal integer.
pub fn number_u64(value: &str) -> Option<u64> {
    match value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))
    {
        Some(hex) if !hex.is_empty() => u64::from_str_radix(hex, 16).ok(),
        Some(_) => None,
        None => decimal_u64(value),
    }
}

/// Parses `0x…` hexadecimal bytes (an even number of digits; `0x` alone is empty).
pub fn hex_bytes(value: &str) -> Option<Vec<u8>> {
    let hex = value
        .strip_prefix("0x")
        .or_else(|| value.strip_prefix("0X"))?;
    if hex.len() % 2 != 0 || !hex.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..hex.len())
        .step_by(2)
        .map(|i| {
            hex.get(i..i + 2)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
        })
        .collect()
}

/// A strict dotted-quad IPv4 address.
pub fn ipv4(value: &str) -> Option<Ipv4Addr> {
    value.parse().ok()
}

/// `origin igp|egp|incomplete`.
pub fn origin(cur: &mut Cursor<'_>) -> Result<Attribute, String> {
    use wire::attr::Origin;
    let value = cur.value("origin")?;
    Ok(Attribute::Origin(
        match value.to_ascii_lowercase().as_str() {
            "igp" => Origin::Igp,
            "egp" => Origin::Egp,
            "incomplete" => Origin::Incomplete,
            _ => return Err(format!("unknown origin '{value}'")),
        },
    ))
}

/// `as-path`: a bare ASN, or chained `[ … ]` (sequence), `( … )` (set), `[ { … } ]`
/// (confederation sequence), `( { … } )` (confederation set) segments (RFC 4271 §4.3,
/// RFC 5065 §3).
pub fn as_path(cur: &mut Cursor<'_>) -> Result<Attribute, String> {
    let first = cur.value("as-path")?;
    if first != "[" && first != "(" {
        let asn = parse_asn(first).map_err(|_| format!("could not parse as-path '{first}'"))?;
        return Ok(Attribute::AsPath(AsPath(vec![AsSegment {
            kind: SegmentType::Sequence,
            asns: vec![asn],
        }])));
    }
    let mut segments = Vec::new();
    let mut open = first;
    loop {
        let confed = cur.peek() == Some("{");
        if confed {
            cur.next();
        }
        let (kind, close) = match (open, confed) {
            ("[", false) => (SegmentType::Sequence, "]"),
            ("[", true) => (SegmentType::ConfedSequence, "]"),
            (_, false) => (SegmentType::Set, ")"),
            (_, true) => (SegmentType::ConfedSet, ")"),
        };
        let mut asns = Vec::new();
        loop {
            let word = cur
                .next()
                .ok_or_else(|| format!("as-path: missing '{close}'"))?;
            match word {
                "," | "}" => continue,
                w if w == close => break,
                w => asns.push(parse_asn(w).map_err(|_| format!("could not parse as-path '{w}'"))?),
            }
        }
        segments.push(AsSegment { kind, asns });
        match cur.peek() {
            Some(next @ ("[" | "(")) => {
                open = next;
                cur.next();
            }
            _ => break,
        }
    }
    Ok(Attribute::AsPath(AsPath(segments)))
}

/// `med <n>` / `local-preference <n>`: a decimal `u32`.
pub fn u32_value(cur: &mut Cursor<'_>, what: &str) -> Result<u32, String> {
    let value = cur.value(what)?;
    decimal_u32(value).ok_or_else(|| format!("invalid {what} '{value}'"))
}

/// `aggregator ( <asn>:<ipv4> )`, parentheses optional.
pub fn aggregator(cur: &mut Cursor<'_>) -> Result<Attribute, String> {
    let mut value = cur.value("aggregator")?;
    let parens = value == "(";
    if parens {
        value = cur.value("aggregator")?;
    }
    let (asn, ip) = value
        .split_once(':')
        .ok_or_else(|| format!("invalid aggregator '{value}'"))?;
    let asn = parse_asn(asn).map_err(|_| format!("invalid aggregator '{value}'"))?;
    let ip = ipv4(ip).ok_or_else(|| format!("invalid aggregator '{value}'"))?;
    if parens && cur.next() != Some(")") {
        return Err("invalid aggregator: missing ')'".into());
    }
    Ok(Attribute::Aggregator(Aggregator { asn, ip }))
}

/// A single value or a `[ … ]` list (commas ignored).
pub fn list<'a>(cur: &mut Cursor<'a>, what: &str) -> Result<Vec<&'a str>, String> {
    let first = cur.value(what)?;
    if first != "[" {
        return Ok(vec![first]);
    }
    let mut items = Vec::new();
    loop {
        match cur.next() {
            Some("]") => return Ok(items),
            Some(",") => continue,
            Some(word) => items.push(word),
            None => return Err(format!("{what}: missing ']'")),
        }
    }
}

/// One standard community (RFC 1997, RFC 7999 for `blackhole`).
pub fn community(value: &str) -> Result<Community, String> {
    if let Some((high, low)) = value.split_once(':') {
        let high = decimal_u16(high).ok_or_else(|| format!("invalid community '{value}'"))?;
        let low = decimal_u16(low).ok_or_else(|| format!("invalid community '{value}'"))?;
        return Ok(Community((u32::from(high) << 16) | u32::from(low)));
    }
    if value.starts_with("0x") || value.starts_with("0X") {
        return number_u64(value)
            .and_then(|v| u32::try_from(v).ok())
            .map(Community)
            .ok_or_else(|| format!("invalid community '{value}'"));
    }
    Ok(match value.to_ascii_lowercase().as_str() {
        "no-export" | "no_export" => Community::NO_EXPORT,
        "no-advertise" | "no_advertise" => Community::NO_ADVERTISE,
        "no-export-subconfed" => Community::NO_EXPORT_SUBCONFED,
        "nopeer" | "no-peer" => Community::NOPEER,
        "blackhole" => Community::BLACKHOLE,
        _ => decimal_u32(value)
            .map(Community)
            .ok_or_else(|| format!("invalid community '{value}'"))?,
    })
}

/// One large community `A:B:C` (RFC 8092).
pub fn large_community(value: &str) -> Result<LargeCommunity, String> {
    let parts: Vec<&str> = value.split(':').collect();
    let parse =
        |s: &str| decimal_u32(s).ok_or_else(|| format!("invalid large-community '{value}'"));
    match parts.as_slice() {
        [a, b, c] => Ok(LargeCommunity {
            global: parse(a)?,
            local1: parse(b)?,
            local2: parse(c)?,
        }),
        _ => Err(format!("invalid large-community '{value}'")),
    }
}

fn ext_component(part: &str, whole: &str) -> Result<u64, String> {
    let digits = part.strip_suffix('L').unwrap_or(part);
    if let Some(v) = decimal_u64(digits) {
        return Ok(v);
    }
    if part.starts_with("0x") {
        return number_u64(part).ok_or_else(|| format!("invalid extended-community '{whole}'"));
    }
    ipv4(part)
        .map(|ip| u64::from(u32::from(ip)))
        .ok_or_else(|| format!("invalid extended-community '{whole}'"))
}

/// One extended community (RFC 4360 §3–4, RFC 7153; bandwidth: draft-ietf-idr-link-bandwidth;
/// l2info: RFC 4761 §3.2.4; redirect: RFC 5575/8955 §7.6).
///
/// `target:` and `origin:` with an IPv4 or a four-octet administrator use the IPv4-address
/// specific layout (type 0x01), as ExaBGP does.
pub fn ext_community(value: &str) -> Result<ExtCommunity, String> {
    let bad = || format!("invalid extended-community '{value}'");
    if !value.contains(':') {
        if value.starts_with("0x") || value.starts_with("0X") {
            let bytes = hex_bytes(value).ok_or_else(bad)?;
            return <[u8; 8]>::try_from(bytes.as_slice())
                .map(ExtCommunity)
                .map_err(|_| format!("extended-community '{value}' must be 8 octets"));
        }
        if value == "redirect-to-nexthop" {
            return Ok(ExtCommunity([0x08, 0, 0, 0, 0, 0, 0, 0]));
        }
        return Err(bad());
    }
    let mut parts: Vec<&str> = value.split(':').collect();
    let command = if parts.len() == 2 {
        "target"
    } else {
        parts.remove(0)
    };
    let comps = parts
        .iter()
        .map(|p| ext_component(p, value))
        .collect::<Result<Vec<u64>, String>>()?;
    let wide = |p: &str, v: u64| v > 0xFFFF || p.contains('.') || p.ends_with('L');
    let mut out = [0u8; 8];
    let fit = |v: u64, max: u64| {
        if v > max {
            Err(format!("extended-community '{value}': {v} is too large"))
        } else {
            Ok(v)
        }
    };
    match (command, comps.as_slice(), parts.first()) {
        ("target" | "origin" | "target4" | "origin4", [admin, local], Some(p)) => {
            let sub = if command.starts_with("target") {
                0x02
            } else {
                0x03
            };
            if command.ends_with('4') || wide(p, *admin) {
                out[0] = 0x01;
                out[1] = sub;
                out[2..6].copy_from_slice(&(fit(*admin, 0xFFFF_FFFF)? as u32).to_be_bytes());
                out[6..8].copy_from_slice(&(fit(*local, 0xFFFF)? as u16).to_be_bytes());
            } else {
                out[0] = 0x00;
                out[1] = sub;
                out[2..4].copy_from_slice(&(*admin as u16).to_be_bytes());
                out[4..8].copy_from_slice(&(fit(*local, 0xFFFF_FFFF)? as u32).to_be_bytes());
            }
        }
        ("redirect", [asn, local], _) => {
            out[0] = 0x80;
            out[1] = 0x08;
            out[2..4].copy_from_slice(&(fit(*asn, 0xFFFF)? as u16).to_be_bytes());
            out[4..8].copy_from_slice(&(fit(*local, 0xFFFF_FFFF)? as u32).to_be_bytes());
        }
        ("mup", [a, b], _) => {
            out[0] = 0x0C;
            out[1] = 0x00;
            out[2..4].copy_from_slice(&(fit(*a, 0xFFFF)? as u16).to_be_bytes());
            out[4..8].copy_from_slice(&(fit(*b, 0xFFFF_FFFF)? as u32).to_be_bytes());
        }
        ("l2info", [encaps, flags, mtu, pref], _) => {
            out[0] = 0x80;
            out[1] = 0x0A;
            out[2] = fit(*encaps, 0xFF)? as u8;
            out[3] = fit(*flags, 0xFF)? as u8;
            out[4..6].copy_from_slice(&(fit(*mtu, 0xFFFF)? as u16).to_be_bytes());
            out[6..8].copy_from_slice(&(fit(*pref, 0xFFFF)? as u16).to_be_bytes());
        }
        ("bandwidth", [asn, speed], _) => {
            out[0] = 0x40;
            out[1] = 0x04;
            out[2..4].copy_from_slice(&(fit(*asn, 0xFFFF)? as u16).to_be_bytes());
            let speed = fit(*speed, 0xFFFF_FFFF)? as f32;
            out[4..8].copy_from_slice(&speed.to_be_bytes());
        }
        (
            "target" | "origin" | "target4" | "origin4" | "redirect" | "mup" | "l2info"
            | "bandwidth",
            _,
            _,
        ) => {
            return Err(format!(
                "invalid extended-community '{value}': wrong number of fields for {command}"
            ))
        }
        _ => return Err(format!("invalid extended-community type '{command}'")),
    }
    Ok(ExtCommunity(out))
}

/// `cluster-list <ipv4>` or `[ <ipv4> … ]`.
pub fn cluster_list(cur: &mut Cursor<'_>) -> Result<Attribute, String> {
    let items = list(cur, "cluster-list")?;
    if items.is_empty() {
        return Err("no cluster-id in the cluster list".into());
    }
    items
        .iter()
        .map(|v| ipv4(v).ok_or_else(|| format!("invalid cluster-list entry '{v}'")))
        .collect::<Result<Vec<_>, _>>()
        .map(Attribute::ClusterList)
}

/// `attribute [ 0x<code> 0x<flags> 0x<data> ]`: a generic attribute.
pub fn generic(cur: &mut Cursor<'_>) -> Result<Attribute, String> {
    if cur.value("attribute")? != "[" {
        return Err("invalid attribute, does not start with [".into());
    }
    let code = cur.value("attribute")?;
    let code = hex_u8(code).ok_or("invalid attribute, code is not 0x hexadecimal")?;
    let flags = cur.value("attribute")?;
    let flags = hex_u8(flags).ok_or("invalid attribute, flag is not 0x hexadecimal")?;
    let data = cur.value("attribute")?;
    let data = hex_bytes(data).ok_or("invalid attribute, data is not 0x hexadecimal")?;
    if cur.next() != Some("]") {
        return Err("invalid attribute, does not end with ]".into());
    }
    Ok(Attribute::Raw {
        flags: AttrFlags(flags),
        code: AttrCode(code),
        data,
    })
}

fn hex_u8(value: &str) -> Option<u8> {
    if !(value.starts_with("0x") || value.starts_with("0X")) {
        return None;
    }
    number_u64(value).and_then(|v| u8::try_from(v).ok())
}

/// `rd` / `route-distinguisher`: `ASN:N`, `IP:N` or `ASN4:N` (RFC 4364 §4.2, types 0, 1, 2).
pub fn route_distinguisher(value: &str) -> Result<[u8; 8], String> {
    let bad = || format!("'{value}' is not a valid route-distinguisher");
    let (admin, assigned) = value.split_once(':').ok_or_else(bad)?;
    if admin.is_empty() {
        return Err(bad());
    }
    let assigned = decimal_u64(assigned).ok_or_else(bad)?;
    let mut rd = [0u8; 8];
    if admin.contains('.') {
        let ip = ipv4(admin).ok_or_else(bad)?;
        let assigned = u16::try_from(assigned).map_err(|_| bad())?;
        rd[1] = 1;
        rd[2..6].copy_from_slice(&ip.octets());
        rd[6..8].copy_from_slice(&assigned.to_be_bytes());
        return Ok(rd);
    }
    let admin = decimal_u64(admin).ok_or_else(bad)?;
    if let (Ok(a), Ok(n)) = (u16::try_from(admin), u32::try_from(assigned)) {
        rd[2..4].copy_from_slice(&a.to_be_bytes());
        rd[4..8].copy_from_slice(&n.to_be_bytes());
    } else if let (Ok(a), Ok(n)) = (u32::try_from(admin), u16::try_from(assigned)) {
        rd[1] = 2;
        rd[2..6].copy_from_slice(&a.to_be_bytes());
        rd[6..8].copy_from_slice(&n.to_be_bytes());
    } else {
        return Err(bad());
    }
    Ok(rd)
}

/// `label <n>` or `label [ <n> … ]`: 20-bit MPLS labels (RFC 3032).
pub fn labels(cur: &mut Cursor<'_>) -> Result<Vec<u32>, String> {
    list(cur, "label")?
        .iter()
        .map(|v| {
            decimal_u32(v)
                .filter(|l| *l < (1 << 20))
                .ok_or_else(|| format!("invalid label '{v}'"))
        })
        .collect()
}

/// `path-information <ipv4 | integer>` (RFC 7911 path identifier).
pub fn path_information(value: &str) -> Result<u32, String> {
    decimal_u32(value)
        .or_else(|| ipv4(value).map(u32::from))
        .ok_or_else(|| format!("invalid path-information '{value}'"))
}

/// Optional transitive, the flags of the BGP Prefix-SID attribute (RFC 8669 §3).
const PREFIX_SID_FLAGS: u8 = AttrFlags::OPTIONAL | AttrFlags::TRANSITIVE;

/// The Prefix-SID attribute for a value built here: typed, as the decoder gives it, so
/// that routes from the configuration print as received ones do; raw if it does not
/// decode (it always does for the values built above).
fn prefix_sid_attribute(data: Vec<u8>) -> Attribute {
    match wire::attr::PrefixSid::decode(&data) {
        Ok(sid) => Attribute::PrefixSid(sid),
        Err(_) => Attribute::Raw {
            flags: AttrFlags(PREFIX_SID_FLAGS),
            code: AttrCode::PREFIX_SID,
            data,
        },
    }
}

/// `bgp-prefix-sid [ <label-index> ]` or `[ <index>, [ ( <base>,<range> ) … ] ]`, encoded as
/// the Prefix-SID attribute with a Label-Index TLV (type 1) and an Originator SRGB TLV
/// (type 3), RFC 8669 §3.1 and §3.2.
pub fn prefix_sid(cur: &mut Cursor<'_>) -> Result<Attribute, String> {
    let bad = || {
        "invalid bgp-prefix-sid: expected [ <label-index> ] or [ <label-index>, [ ( <srgb-base>,<srgb-range> ) ] ]".to_string()
    };
    if cur.value("bgp-prefix-sid")? != "[" {
        return Err(bad());
    }
    let index = cur
        .value("bgp-prefix-sid")
        .map(decimal_u32)?
        .ok_or_else(bad)?;
    let mut srgbs: Vec<(u32, u32)> = Vec::new();
    let mut nested = false;
    loop {
        match cur.next().ok_or_else(bad)? {
            "," => continue,
            "[" => nested = true,
            "(" => {
                let mut values = Vec::new();
                loop {
                    match cur.next().ok_or_else(bad)? {
                        ")" => break,
                        "," => continue,
                        v => {
                            values.push(decimal_u32(v).filter(|v| *v < (1 << 24)).ok_or_else(bad)?)
                        }
                    }
                }
                match values.as_slice() {
                    [base, range] => srgbs.push((*base, *range)),
                    _ => return Err("could not parse SRGB tuple".into()),
                }
            }
            "]" if nested => nested = false,
            "]" => break,
            _ => return Err(bad()),
        }
    }
    let mut data = vec![1, 0, 7, 0, 0, 0];
    data.extend_from_slice(&index.to_be_bytes());
    if !srgbs.is_empty() {
        let len = 2 + 6 * srgbs.len();
        let len = u16::try_from(len).map_err(|_| bad())?;
        data.push(3);
        data.extend_from_slice(&len.to_be_bytes());
        data.extend_from_slice(&[0, 0]);
        for (base, range) in srgbs {
            data.extend_from_slice(&base.to_be_bytes()[1..]);
            data.extend_from_slice(&range.to_be_bytes()[1..]);
        }
    }
    Ok(prefix_sid_attribute(data))
}

/// `bgp-prefix-sid-srv6 ( l3-service|l2-service <sid> [<behavior> [LBL,LNL,FL,AL,TL,TO]] )`:
/// the Prefix-SID attribute with an SRv6 L3 (type 5) or L2 (type 6) Service TLV holding one
/// SRv6 SID Information sub-TLV and optionally its SID Structure sub-sub-TLV (RFC 9252 §2,
/// §3.1, §3.2.1).
pub fn prefix_sid_srv6(cur: &mut Cursor<'_>) -> Result<Attribute, String> {
    let what = "bgp-prefix-sid-srv6";
    if cur.value(what)? != "(" {
        return Err(format!("{what}: expected '('"));
    }
    let tlv_type = match cur.value(what)? {
        "l3-service" => 5u8,
        "l2-service" => 6u8,
        other => {
            return Err(format!(
                "{what}: expected l3-service or l2-service, not '{other}'"
            ))
        }
    };
    let sid_text = cur.value(what)?;
    let sid: Ipv6Addr = sid_text
        .parse()
        .map_err(|_| format!("{what}: invalid SID '{sid_text}'"))?;
    let mut behavior: u16 = 0xFFFF;
    let mut structure: Option<Vec<u8>> = None;
    let mut word = cur.value(what)?;
    if word != ")" {
        behavior = number_u64(word)
            .and_then(|v| u16::try_from(v).ok())
            .ok_or_else(|| format!("{what}: invalid endpoint behavior '{word}'"))?;
        word = cur.value(what)?;
        if word == "[" {
            let mut values = Vec::new();
            loop {
                match cur.value(what)? {
                    "]" => break,
                    "," => continue,
                    v => values.push(
                        number_u64(v)
                            .and_then(|v| u8::try_from(v).ok())
                            .ok_or_else(|| format!("{what}: invalid SID structure value '{v}'"))?,
                    ),
                }
            }
            if values.len() != 6 {
                return Err(format!("{what}: the SID structure has six values"));
            }
            structure = Some(values);
            word = cur.value(what)?;
        }
    }
    if word != ")" {
        return Err(format!("{what}: expected ')', not '{word}'"));
    }
    // SRv6 SID Information sub-TLV: reserved, SID, flags, behavior, reserved, sub-sub-TLVs.
    let mut info = vec![0u8];
    info.extend_from_slice(&sid.octets());
    info.push(0);
    info.extend_from_slice(&behavior.to_be_bytes());
    info.push(0);
    if let Some(values) = structure {
        info.extend_from_slice(&[1, 0, 6]);
        info.extend_from_slice(&values);
    }
    let mut service = vec![0u8, 1];
    service.extend_from_slice(&(info.len() as u16).to_be_bytes());
    service.extend_from_slice(&info);
    let mut data = vec![tlv_type];
    data.extend_from_slice(&(service.len() as u16).to_be_bytes());
    data.extend_from_slice(&service);
    Ok(prefix_sid_attribute(data))
}

/// A next-hop value: an address or `self`.
pub fn next_hop(value: &str) -> Result<Option<IpAddr>, String> {
    if value.eq_ignore_ascii_case("self") {
        return Ok(None);
    }
    value
        .parse()
        .map(Some)
        .map_err(|_| format!("invalid next-hop '{value}'"))
}
