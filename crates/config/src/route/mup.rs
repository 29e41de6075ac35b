//! The MUP route grammar (SAFI 85, draft-mpmz-bess-mup-safi §3), shared by the
//! configuration's `announce { ipv4 { mup … } }` and the API's `announce ipv4 mup …`:
//!
//! ```text
//! mup-isd  <prefix> rd <rd>
//! mup-dsd  <address> rd <rd>
//! mup-t1st <prefix> rd <rd> teid <teid> qfi <qfi> endpoint <address> [source <address>]
//! mup-t2st <endpoint> rd <rd> teid <teid>/<bits>
//! ```
//!
//! followed by route attributes (`next-hop`, `extended-community`, `bgp-prefix-sid-srv6`
//! in ExaBGP's documentation; the other path attributes of the shared grammar are
//! accepted too). As in ExaBGP 5, the addresses are of the family named (`ipv4` or
//! `ipv6`), a prefix keeps the bits written, an IPv4 next hop of an IPv6 route becomes
//! the IPv4-mapped IPv6 address (RFC 4291 §2.5.5.2), and the T2ST TEID must fit its bits
//! (at most 32).

use std::net::IpAddr;

use wire::nlri::{MupRoute, MupValue, RouteDistinguisher};
use wire::{Afi, Family, Nlri, Safi};

use super::{apply_attribute, values as v, Cursor, RouteError};
use crate::model::{NextHop, Route};

/// The 3gpp-5g architecture type (draft-mpmz-bess-mup-safi §3.1).
const ARCH_3GPP_5G: u8 = 1;
/// The most TEID bits of a Type 2 Session Transformed route.
const TEID_MAX_BITS: u8 = 32;

/// Parses one MUP route of `afi` (`IPV4` or `IPV6`): `words[0]` is the route type
/// (`mup-isd` …), then its fields and the route attributes. Errors carry the index of the
/// word at fault.
pub fn parse_mup(afi: Afi, words: &[&str]) -> Result<Route, RouteError> {
    let mut cur = Cursor::new(words.to_vec());
    let mut at = 0;
    let value = mup_value(afi, &mut cur, &mut at).map_err(|reason| RouteError {
        index: at,
        near: cur.word_at(at).to_owned(),
        reason,
    })?;
    let code = match value {
        MupValue::Isd { .. } => 1,
        MupValue::Dsd { .. } => 2,
        MupValue::Type1St { .. } => 3,
        MupValue::Type2St { .. } => 4,
        MupValue::Unknown(_) => 0,
    };
    let nlri = Nlri::Mup(Box::new(MupRoute {
        path_id: None,
        arch: ARCH_3GPP_5G,
        code,
        value,
    }));
    let mut route = Route::new(Family::new(afi, Safi::MUP), nlri);
    while let Some(word) = cur.next() {
        let start = cur.position() - 1;
        let result = if is_nlri_word(word) {
            Err(format!("'{word}' can not be used with a MUP route"))
        } else {
            apply_attribute(&mut route, word, &mut cur)
        };
        result.map_err(|reason| cur.error(cur.fault(start), reason))?;
    }
    if let (Afi::IPV6, NextHop::Ip(IpAddr::V4(v4))) = (afi, route.next_hop) {
        route.next_hop = NextHop::Ip(IpAddr::V6(v4.to_ipv6_mapped()));
    }
    Ok(route)
}

/// Words of the shared grammar that shape an NLRI of another kind (labels, a route
/// distinguisher outside the route, more-specifics, ADD-PATH identifiers).
fn is_nlri_word(word: &str) -> bool {
    matches!(
        word,
        "label" | "rd" | "route-distinguisher" | "split" | "path-information"
    )
}

/// The next word, which must exist (`what` names it); `at` becomes its index.
fn take<'a>(cur: &mut Cursor<'a>, at: &mut usize, what: &str) -> Result<&'a str, String> {
    *at = cur.position();
    cur.next().ok_or_else(|| format!("{what} expected"))
}

/// Reads the route type and its fields; `at` follows the word being read.
fn mup_value(afi: Afi, cur: &mut Cursor<'_>, at: &mut usize) -> Result<MupValue, String> {
    let kind = take(cur, at, "mup-isd, mup-dsd, mup-t1st or mup-t2st")?;
    let value = match kind {
        "mup-isd" => {
            let (prefix_len, prefix) = prefix(afi, take(cur, at, "a prefix")?)?;
            let rd = rd(cur, at)?;
            MupValue::Isd {
                rd,
                prefix_len,
                prefix,
            }
        }
        "mup-dsd" => {
            let ip = address(afi, take(cur, at, "an address")?)?;
            let rd = rd(cur, at)?;
            MupValue::Dsd { rd, ip }
        }
        "mup-t1st" => {
            let (prefix_len, prefix) = prefix(afi, take(cur, at, "a prefix")?)?;
            let rd = rd(cur, at)?;
            keyword(take(cur, at, "teid")?, "teid")?;
            let word = take(cur, at, "a TEID")?;
            let teid = v::decimal_u32(word)
                .ok_or_else(|| format!("teid must be a number (0 to 4294967295), not '{word}'"))?;
            keyword(take(cur, at, "qfi")?, "qfi")?;
            let word = take(cur, at, "a QFI")?;
            let qfi = v::decimal_u64(word)
                .and_then(|q| u8::try_from(q).ok())
                .ok_or_else(|| format!("qfi must be a number (0 to 255), not '{word}'"))?;
            keyword(take(cur, at, "endpoint")?, "endpoint")?;
            let endpoint = address(afi, take(cur, at, "an endpoint address")?)?;
            let source = if cur.peek() == Some("source") {
                take(cur, at, "source")?;
                Some(address(afi, take(cur, at, "a source address")?)?)
            } else {
                None
            };
            MupValue::Type1St {
                rd,
                prefix_len,
                prefix,
                teid,
                qfi,
                endpoint,
                source,
            }
        }
        "mup-t2st" => {
            let endpoint = address(afi, take(cur, at, "an endpoint address")?)?;
            let rd = rd(cur, at)?;
            keyword(take(cur, at, "teid")?, "teid")?;
            let (teid, bits) = teid_bits(take(cur, at, "<teid>/<bits>")?)?;
            let ip_bits = if afi == Afi::IPV6 { 128 } else { 32 };
            MupValue::Type2St {
                rd,
                endpoint_len: ip_bits + bits,
                endpoint,
                teid,
            }
        }
        other => {
            return Err(format!(
                "unknown MUP route type '{other}' (mup-isd, mup-dsd, mup-t1st or mup-t2st)"
            ))
        }
    };
    Ok(value)
}

/// `rd <rd>`.
fn rd(cur: &mut Cursor<'_>, at: &mut usize) -> Result<RouteDistinguisher, String> {
    keyword(take(cur, at, "rd")?, "rd")?;
    v::route_distinguisher(take(cur, at, "a route distinguisher")?).map(RouteDistinguisher)
}

fn keyword(word: &str, want: &str) -> Result<(), String> {
    if word == want {
        Ok(())
    } else {
        Err(format!("expected {want}, not '{word}'"))
    }
}

/// An address of the route's family.
fn address(afi: Afi, word: &str) -> Result<IpAddr, String> {
    let ip: IpAddr = word
        .parse()
        .map_err(|_| format!("'{word}' is not an IP address"))?;
    if ip.is_ipv4() != (afi == Afi::IPV4) {
        return Err(format!("'{word}' is not an {afi} address"));
    }
    Ok(ip)
}

/// `<address>/<length>` of the route's family; the bits written are kept (as ExaBGP).
fn prefix(afi: Afi, word: &str) -> Result<(u8, IpAddr), String> {
    let bad = || format!("'{word}' is not a prefix <address>/<length>");
    let (addr, len) = word.split_once('/').ok_or_else(bad)?;
    let ip = address(afi, addr)?;
    let len: u8 = v::decimal_u64(len)
        .and_then(|l| u8::try_from(l).ok())
        .ok_or_else(bad)?;
    let max = if ip.is_ipv4() { 32 } else { 128 };
    if len > max {
        return Err(format!("prefix length {len} is longer than the address"));
    }
    Ok((len, ip))
}

/// `<teid>/<bits>`: bits at most 32 and the TEID within them.
fn teid_bits(word: &str) -> Result<(u32, u8), String> {
    let bad = || format!("teid must be <teid>/<bits> with bits 0 to {TEID_MAX_BITS}, not '{word}'");
    let (teid, bits) = word.split_once('/').ok_or_else(bad)?;
    let teid = v::decimal_u64(teid).ok_or_else(bad)?;
    let bits = v::decimal_u64(bits)
        .and_then(|b| u8::try_from(b).ok())
        .filter(|b| *b <= TEID_MAX_BITS)
        .ok_or_else(bad)?;
    if teid >> bits != 0 {
        return Err(format!("teid {teid} does not fit in {bits} bits"));
    }
    // Fits: bits ≤ 32 and teid < 2^bits.
    let teid = u32::try_from(teid).map_err(|_| bad())?;
    Ok((teid, bits))
}

#[cfg(test)]
mod tests;
