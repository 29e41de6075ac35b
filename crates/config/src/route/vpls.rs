//! The VPLS route grammar (spec §1.8): `vpls [<name>] endpoint <n> base <n> offset <n>
//! size <n> rd <rd> next-hop <ip> <attributes…>`, in any order, as written in
//! `l2vpn { vpls … }`, `announce { l2vpn { vpls … } }` and the API's `announce vpls …`.
//!
//! Fields (RFC 4761 §3.2.2): `endpoint` is the VE ID, `offset` and `size` the VE block,
//! `base` the label base; each is 0–65535 as ExaBGP reads them, and the block must fit
//! the 20-bit label space (`base + size` ≤ 0xFFFFF). Every field and `rd` are required,
//! and an announced route needs a `next-hop`. The attributes are the ones ExaBGP accepts
//! on a VPLS route (no labels, path identifier, large communities or AIGP).

use wire::nlri::vpls::MAX_LABEL_BASE;
use wire::nlri::{RouteDistinguisher, Vpls};
use wire::{Afi, Family, Nlri, Safi};

use super::{apply_attribute, Cursor, RouteError};
use crate::model::{NextHop, Route};

/// The words of the VPLS grammar besides the route attributes.
const FIELDS: [&str; 4] = ["endpoint", "base", "offset", "size"];

/// The route attributes a VPLS route may carry (ExaBGP's `AnnounceVPLS.known`).
const ATTRIBUTES: [&str; 17] = [
    "rd",
    "route-distinguisher",
    "next-hop",
    "origin",
    "med",
    "as-path",
    "local-preference",
    "atomic-aggregate",
    "aggregator",
    "originator-id",
    "cluster-list",
    "community",
    "extended-community",
    "attribute",
    "name",
    "watchdog",
    "withdraw",
];

/// True when `word` may start a statement of a `vpls <name> { … }` block.
pub fn is_vpls_word(word: &str) -> bool {
    FIELDS.contains(&word) || ATTRIBUTES.contains(&word)
}

/// Parses the words after `vpls` (a leading name, if any, already removed). `announce`
/// false (a withdrawal) makes the next hop optional.
pub fn parse_vpls(words: &[&str], announce: bool) -> Result<Route, RouteError> {
    let mut cur = Cursor::new(words.to_vec());
    let mut fields: [Option<u16>; 4] = [None; 4];
    let family = Family::new(Afi::L2VPN, Safi::VPLS);
    let mut route = Route::new(family, Nlri::Opaque(Vec::new()));
    while let Some(word) = cur.next() {
        let start = cur.position() - 1;
        if let Some(slot) = FIELDS.iter().position(|f| *f == word) {
            let value = cur.value(word).map_err(|reason| cur.error(start, reason))?;
            let number = super::values::decimal_u16(value).ok_or_else(|| {
                cur.error(
                    start + 1,
                    format!("invalid l2vpn vpls {word} '{value}' (0 to 65535)"),
                )
            })?;
            fields[slot] = Some(number);
            continue;
        }
        if !ATTRIBUTES.contains(&word) {
            return Err(cur.error(start, format!("unknown vpls attribute '{word}'")));
        }
        apply_attribute(&mut route, word, &mut cur)
            .map_err(|reason| cur.error(cur.fault(start), reason))?;
    }
    let end = |reason: &str| RouteError {
        index: words.len(),
        near: String::new(),
        reason: reason.to_owned(),
    };
    let [Some(endpoint), Some(base), Some(offset), Some(size)] = fields else {
        let missing = FIELDS
            .iter()
            .zip(fields)
            .find(|(_, v)| v.is_none())
            .map_or("endpoint", |(name, _)| *name);
        return Err(end(&format!("vpls nlri {missing} missing")));
    };
    let Some(rd) = route.rd.take() else {
        return Err(end("vpls nlri route-distinguisher missing"));
    };
    if u32::from(base) + u32::from(size) > MAX_LABEL_BASE {
        return Err(end("vpls nlri size inconsistency"));
    }
    if announce && !route.withdrawn && route.next_hop == NextHop::None {
        return Err(end("vpls nlri next-hop missing"));
    }
    let vpls = Vpls::new(
        RouteDistinguisher(rd),
        endpoint,
        offset,
        size,
        u32::from(base),
    );
    route.nlri = Nlri::Vpls(Box::new(vpls));
    Ok(route)
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use super::*;

    fn words(s: &str) -> Vec<&str> {
        s.split_whitespace().collect()
    }

    #[test]
    fn the_conf_l2vpn_route() {
        let r = parse_vpls(
            &words("rd 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8 next-hop 192.168.201.1 local-preference 100"),
            true,
        )
        .unwrap();
        assert_eq!(r.family, Family::new(Afi::L2VPN, Safi::VPLS));
        let rd = RouteDistinguisher::ipv4(Ipv4Addr::new(192, 168, 201, 1), 123);
        assert_eq!(r.nlri, Nlri::Vpls(Box::new(Vpls::new(rd, 5, 1, 8, 10702))));
        assert_eq!(r.next_hop, NextHop::Ip("192.168.201.1".parse().unwrap()));
        assert_eq!(r.attributes, vec![wire::Attribute::LocalPref(100)]);
    }

    #[test]
    fn missing_and_bad_values_say_why() {
        let e = parse_vpls(
            &words("rd 1:1 endpoint 5 base 1 offset 1 next-hop 1.1.1.1"),
            true,
        )
        .unwrap_err();
        assert_eq!(e.reason, "vpls nlri size missing");
        let e = parse_vpls(
            &words("endpoint 5 base 1 offset 1 size 8 next-hop 1.1.1.1"),
            true,
        )
        .unwrap_err();
        assert_eq!(e.reason, "vpls nlri route-distinguisher missing");
        let e = parse_vpls(&words("rd 1:1 endpoint 5 base 1 offset 1 size 8"), true).unwrap_err();
        assert_eq!(e.reason, "vpls nlri next-hop missing");
        assert!(parse_vpls(&words("rd 1:1 endpoint 5 base 1 offset 1 size 8"), false).is_ok());
        let e = parse_vpls(&words("rd 1:1 endpoint 65536"), true).unwrap_err();
        assert_eq!(e.index, 3);
        assert!(e.reason.contains("endpoint"), "{}", e.reason);
        let e = parse_vpls(&words("rd 1:1 label 5"), true).unwrap_err();
        assert_eq!(
            (e.index, e.reason.as_str()),
            (2, "unknown vpls attribute 'label'")
        );
    }
}
