//! The MCAST-VPN route grammar (RFC 6514 §4.5, §4.6; spec §1.6), as written in
//! `announce { ipv4 { mcast-vpn … } }` and the API's `announce ipv4|ipv6 mcast-vpn …`:
//!
//! - `source-ad source <ip> group <ip> rd <rd>`,
//! - `shared-join rp <ip> group <ip> rd <rd> source-as <asn>`,
//! - `source-join source <ip> group <ip> rd <rd> source-as <asn>`,
//!
//! in that order, then the route attributes of an IP route (the next hop is sent in
//! MP_REACH_NLRI and, when IPv4, as NEXT_HOP, as ExaBGP sends it). The addresses must be
//! of the family's IP version.

use std::net::IpAddr;

use wire::nlri::{MvpnRoute, MvpnValue, RouteDistinguisher};
use wire::{Afi, Family, Nlri, Safi};

use super::{parse_attributes, values, Cursor, RouteError};
use crate::model::Route;

/// Parses the words after `mcast-vpn` for `afi` (IPv4 or IPv6).
pub fn parse_mvpn(words: &[&str], afi: Afi) -> Result<Route, RouteError> {
    let mut cur = Cursor::new(words.to_vec());
    let value = parse_value(&mut cur, afi).map_err(|(index, reason)| RouteError {
        index,
        near: cur.word_at(index).to_owned(),
        reason,
    })?;
    let mut route = Route::new(
        Family::new(afi, Safi::MCAST_VPN),
        Nlri::Mvpn(Box::new(MvpnRoute::new(value))),
    );
    let at = cur.position();
    let rest: Vec<&str> = words.get(at..).unwrap_or_default().to_vec();
    let mut attrs = Cursor::new(rest);
    parse_attributes(&mut route, &mut attrs).map_err(|mut e| {
        e.index += at;
        e
    })?;
    for (word, set) in [
        ("label", !route.labels.is_empty()),
        ("rd", route.rd.is_some()),
        ("split", route.split.is_some()),
    ] {
        if set {
            let index = words.iter().rposition(|w| *w == word).unwrap_or(at);
            return Err(RouteError {
                index,
                near: word.to_owned(),
                reason: format!("'{word}' does not apply to an mcast-vpn route"),
            });
        }
    }
    Ok(route)
}

/// The route type and its fields; errors carry the index of the word at fault.
fn parse_value(cur: &mut Cursor<'_>, afi: Afi) -> Result<MvpnValue, (usize, String)> {
    let at = cur.position();
    let kind = cur.next().ok_or((
        at,
        "an mcast-vpn route type (source-ad, shared-join, source-join) is required".to_owned(),
    ))?;
    let source_word = match kind {
        "source-ad" | "source-join" => "source",
        "shared-join" => "rp",
        other => {
            return Err((
                at,
                format!(
                    "unknown mcast-vpn route type '{other}' (source-ad, shared-join, source-join)"
                ),
            ))
        }
    };
    let source = address(cur, source_word, afi)?;
    let group = address(cur, "group", afi)?;
    keyword(cur, "rd")?;
    let at = cur.position();
    let rd = cur
        .next()
        .ok_or_else(|| (at, "rd requires a value".to_owned()))
        .and_then(|v| values::route_distinguisher(v).map_err(|e| (at, e)))
        .map(RouteDistinguisher)?;
    if kind == "source-ad" {
        return Ok(MvpnValue::SourceAd { rd, source, group });
    }
    keyword(cur, "source-as")?;
    let at = cur.position();
    let value = cur.next().unwrap_or("");
    let source_as = values::decimal_u32(value).ok_or_else(|| {
        (
            at,
            format!("expect source-as to be an integer in the range 0-4294967295, not '{value}'"),
        )
    })?;
    Ok(MvpnValue::c_multicast(
        kind == "shared-join",
        rd,
        source_as,
        source,
        group,
    ))
}

fn keyword(cur: &mut Cursor<'_>, word: &str) -> Result<(), (usize, String)> {
    let at = cur.position();
    match cur.next() {
        Some(w) if w == word => Ok(()),
        Some(w) => Err((at, format!("expected '{word}', not '{w}'"))),
        None => Err((at, format!("'{word}' expected"))),
    }
}

/// `<word> <ip>`, the address of `afi`'s version.
fn address(cur: &mut Cursor<'_>, word: &str, afi: Afi) -> Result<IpAddr, (usize, String)> {
    keyword(cur, word)?;
    let at = cur.position();
    let value = cur.next().unwrap_or("");
    let ip: IpAddr = value
        .parse()
        .map_err(|_| (at, format!("invalid {word} address '{value}'")))?;
    if ip.is_ipv4() != (afi == Afi::IPV4) {
        return Err((at, format!("{word} '{value}' is not an {afi} address")));
    }
    Ok(ip)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NextHop;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn the_conf_mvpn_routes() {
        let r = parse_mvpn(
            &words("shared-join rp 10.99.199.1 group 239.251.255.228 rd 65000:99999 source-as 65000 next-hop 10.10.6.3"),
            Afi::IPV4,
        )
        .unwrap();
        assert_eq!(r.family, Family::new(Afi::IPV4, Safi::MCAST_VPN));
        assert_eq!(r.next_hop, NextHop::Ip("10.10.6.3".parse().unwrap()));
        let Nlri::Mvpn(m) = &r.nlri else { panic!() };
        assert_eq!(
            m.value,
            MvpnValue::SharedJoin {
                rd: RouteDistinguisher::asn2(65000, 99999),
                source_as: 65000,
                source: "10.99.199.1".parse().unwrap(),
                group: "239.251.255.228".parse().unwrap(),
            }
        );
        let r = parse_mvpn(
            &words("source-ad source fd12::4 group ff0e::1 rd 65000:99999 next-hop 10.10.6.4"),
            Afi::IPV6,
        )
        .unwrap();
        let Nlri::Mvpn(m) = &r.nlri else { panic!() };
        assert_eq!(m.code(), 5);
    }

    #[test]
    fn errors_point_at_the_word() {
        let e = parse_mvpn(
            &words("source-ad source fd12::4 group ff0e::1 rd 1:1"),
            Afi::IPV4,
        )
        .unwrap_err();
        assert_eq!(e.index, 2);
        assert!(e.reason.contains("not an ipv4 address"), "{}", e.reason);
        let e = parse_mvpn(&words("leaf-ad source 1.1.1.1"), Afi::IPV4).unwrap_err();
        assert_eq!(e.index, 0);
        let e = parse_mvpn(
            &words("source-join source 1.1.1.1 group 239.1.1.1 rd 1:1 source-as x"),
            Afi::IPV4,
        )
        .unwrap_err();
        assert_eq!((e.index, e.near.as_str()), (8, "x"));
        let e = parse_mvpn(
            &words("source-ad source 1.1.1.1 group 239.1.1.1 rd 1:1 med nope"),
            Afi::IPV4,
        )
        .unwrap_err();
        assert_eq!(e.index, 8);
    }
}
