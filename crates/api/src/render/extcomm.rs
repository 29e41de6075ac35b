//! Extended communities (RFC 4360, RFC 7153, RFC 8955 §7, RFC 5701) as ExaBGP 5 prints them.
//!
//! ExaBGP recognises a community by the low nibble of its type and by its sub-type; a
//! recognised one has a name (`target:65001:10`), which is both its text rendering and the
//! `string` of its JSON object. An unrecognised one prints as `0x` + hex in text and as an
//! empty `string` in JSON.

use std::fmt::Write;
use std::net::Ipv4Addr;

use super::hex_bare_upper;

/// The value of the eight octets as one big-endian integer (the JSON `value`).
pub(crate) fn value(bytes: &[u8; 8]) -> u64 {
    u64::from_be_bytes(*bytes)
}

/// Appends the text rendering of one extended community.
pub(crate) fn text(out: &mut String, bytes: &[u8; 8]) {
    if !name(out, bytes) {
        out.push_str("0x");
        hex_bare_upper(out, bytes);
    }
}

/// Appends the JSON `string` of one extended community: its name, nothing when ExaBGP
/// does not recognise it, and the hex of a recognised type ExaBGP has no name for (the
/// four-octet-AS redirect, 0x82 0x08).
pub(crate) fn json_string(out: &mut String, bytes: &[u8; 8]) {
    if bytes[0] & 0x0f == 0x02 && bytes[1] == 0x08 {
        out.push_str("0x");
        hex_bare_upper(out, bytes);
        return;
    }
    name(out, bytes);
}

/// Appends ExaBGP's name of the community and returns true, or appends nothing and returns
/// false when ExaBGP does not recognise it.
pub(crate) fn name(out: &mut String, b: &[u8; 8]) -> bool {
    let u16_at = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
    let u32_at = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
    let ip_at = |i: usize| Ipv4Addr::new(b[i], b[i + 1], b[i + 2], b[i + 3]);
    let _ = match (b[0] & 0x0f, b[1]) {
        // Route target and route-target record (RFC 4360 §4, RFC 7153).
        (kind @ 0..=2, sub @ (0x02 | 0x13)) => {
            let label = if sub == 0x02 { "target" } else { "rtrecord" };
            match kind {
                0 => write!(out, "{label}:{}:{}", u16_at(2), u32_at(4)),
                1 => write!(out, "{label}:{}:{}", ip_at(2), u16_at(6)),
                _ => write!(out, "{label}:{}:{}", u32_at(2), u16_at(6)),
            }
        }
        // Route origin (RFC 4360 §5). ExaBGP prints the IPv4 form as `origin:ASN:IP`.
        (0, 0x03) => write!(out, "origin:{}:{}", u16_at(2), ip_at(4)),
        (1, 0x03) => write!(out, "origin:{}:{}", u16_at(6), ip_at(2)),
        (2, 0x03) => write!(out, "origin:{}:{}", u32_at(2), u16_at(6)),
        // Flow-spec traffic-rate in bytes and in packets (RFC 8955 §7.1).
        (0, sub @ (0x06 | 0x0c)) => {
            let rate = f32::from_bits(u32_at(4));
            if !rate.is_finite() {
                return false;
            }
            let whole = f64::from(rate.max(0.0)).trunc() as u128;
            if sub == 0x06 {
                write!(out, "rate-limit:{whole}")
            } else {
                write!(out, "rate-limit:{whole}:packets")
            }
        }
        // Traffic-action (RFC 8955 §7.3).
        (0, 0x07) => {
            out.push_str("action ");
            let sample = b[7] & 0x02 != 0;
            let terminal = b[7] & 0x01 != 0;
            out.push_str(match (sample, terminal) {
                (true, true) => "sample-terminal",
                (true, false) => "sample",
                (false, true) => "terminal",
                (false, false) => "",
            });
            Ok(())
        }
        // Redirect to a route target (RFC 8955 §7.4, RFC 7674).
        (0, 0x08) => write!(out, "redirect:{}:{}", u16_at(2), u32_at(4)),
        // Traffic marking (RFC 8955 §7.5): the six DSCP bits.
        (0, 0x09) => write!(out, "mark {}", b[7] & 0x3f),
        // Layer-2 info (RFC 4761 §3.2.4).
        (0, 0x0a) => write!(out, "l2info:{}:{}:{}:{}", b[2], b[3], u16_at(4), u16_at(6)),
        // Redirect-to-IP, draft-ietf-idr-flowspec-redirect.
        (1, 0x0c) => {
            if u16_at(6) & 1 != 0 {
                write!(out, "copy-to-nexthop-ietf {} (with copy)", ip_at(2))
            } else {
                write!(out, "redirect-to-nexthop-ietf {}", ip_at(2))
            }
        }
        // Encapsulation (RFC 9012 §4.1).
        (3, 0x0c) => {
            let tunnel = u16_at(6);
            match encapsulation_name(tunnel) {
                Some(name) => write!(out, "encap:{name}"),
                None => write!(out, "encap:encap:UNKNOWN-{tunnel}"),
            }
        }
        // Consistent hash sort order (draft-ietf-bess-service-chaining).
        (3, 0x14) => write!(out, "consistentHashSortOrder:{}", u32_at(2)),
        // MAC mobility (RFC 7432 §7.7).
        (6, 0x00) => {
            let _ = write!(out, "mac-mobility:{}", u32_at(4));
            if b[2] == 1 {
                out.push_str(":sticky");
            }
            Ok(())
        }
        // Flow-spec interface-set (draft-ietf-idr-flowspec-interfaceset).
        (7, 0x02) => {
            let target = u16_at(6);
            let direction = match target >> 14 {
                1 => "input",
                2 => "output",
                3 => "input-output",
                _ => "0",
            };
            write!(
                out,
                "interface-set:{direction}:{}:{}",
                u32_at(2),
                target & 0x1fff
            )
        }
        // Redirect to next-hop, draft-simpson-idr-flowspec-redirect.
        (8, 0x00) => {
            out.push_str(if b[7] & 0x01 != 0 {
                "copy-to-nexthop"
            } else {
                "redirect-to-nexthop"
            });
            Ok(())
        }
        // MUP (draft-mpmz-bess-mup-safi).
        (0x0c, 0x00) => write!(out, "mup:{}:{}", u16_at(2), u32_at(4)),
        _ => return false,
    };
    true
}

fn encapsulation_name(tunnel: u16) -> Option<&'static str> {
    Some(match tunnel {
        0x00 => "Default",
        0x01 => "L2TPv3",
        0x02 => "GRE",
        0x07 => "IP-in-IP",
        0x08 => "VXLAN",
        0x09 => "NVGRE",
        0x0a => "MPLS",
        0x0c => "VXLAN-GPE",
        0x0d => "MPLS-in-UDP",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every row of the table ExaBGP printed (tests/golden/extended-communities.tsv).
    #[test]
    fn matches_exabgp_table() {
        let table = include_str!("../../tests/golden/extended-communities.tsv");
        let mut checked = 0;
        let mut failures = Vec::new();
        for line in table.lines().filter(|l| !l.starts_with('#')) {
            let mut cols = line.split('\t');
            let (Some(hex), Some(json), Some(text_form)) = (cols.next(), cols.next(), cols.next())
            else {
                panic!("bad row {line}");
            };
            if json == "!" {
                continue;
            }
            let mut bytes = [0u8; 8];
            for (i, byte) in bytes.iter_mut().enumerate() {
                *byte = u8::from_str_radix(&hex[i * 2..i * 2 + 2], 16).unwrap();
            }
            let mut named = String::new();
            json_string(&mut named, &bytes);
            let mut t = String::new();
            text(&mut t, &bytes);
            if named != json || t != text_form {
                failures.push(format!("{hex}: {named} / {t}, want {json} / {text_form}"));
            }
            checked += 1;
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
        assert!(checked > 1000);
    }
}
