//! MCAST-VPN routes (RFC 6514 §4, SAFI 5) in ExaBGP 5's JSON and text forms.
//!
//! JSON, in ExaBGP's key order, `raw` the whole route (type and length included) in
//! upper-case hex: `{ "code": 5, "parsed": true, "raw": "0512…", "name": "Source Active
//! A-D Route", "rd": "65000:99999", "source": "10.99.12.4", "group": "239.251.255.228"}`;
//! C-multicast joins add `"source-as": "65000"` (a string, as ExaBGP prints it) before
//! `source`; a route of another type is `{ "code": 1, "parsed": false, "raw": "…" }`.
//!
//! Text: ExaBGP prints the family for every MCAST-VPN route (`afi ipv4 safi
//! mcast-vpn`), not the route; [`short`] is its short name
//! (`mvpn:sourcead::65000:99999:10.99.12.4:239.251.255.228`) used by `show adj-rib`.

use std::fmt::Write;

use wire::nlri::{MvpnRoute, MvpnValue};
use wire::Family;

use super::typed_nlri_head;

/// Appends the JSON object of an MCAST-VPN route.
pub(crate) fn json(out: &mut String, route: &MvpnRoute) {
    if !typed_nlri_head(out, u16::from(route.code()), &raw(route), route.name()) {
        return;
    }
    out.push_str(", ");
    match &route.value {
        MvpnValue::SourceAd { rd, source, group } => {
            let _ = write!(
                out,
                "\"rd\": \"{rd}\", \"source\": \"{source}\", \"group\": \"{group}\"}}"
            );
        }
        MvpnValue::SharedJoin {
            rd,
            source_as,
            source,
            group,
        }
        | MvpnValue::SourceJoin {
            rd,
            source_as,
            source,
            group,
        } => {
            let _ = write!(
                out,
                "\"rd\": \"{rd}\", \"source-as\": \"{source_as}\", \"source\": \"{source}\", \"group\": \"{group}\"}}"
            );
        }
        MvpnValue::Other { .. } => out.push('}'),
    }
}

/// The route as sent (without path identifier), upper-case hex.
fn raw(route: &MvpnRoute) -> Vec<u8> {
    let mut bytes = Vec::new();
    // A decoded route always re-encodes; on failure the raw field is left empty.
    let _ = route.encode(false, &mut bytes);
    bytes
}

/// Appends ExaBGP's text form of an MCAST-VPN route in an UPDATE: its family.
pub(crate) fn text(out: &mut String, family: Family) {
    let _ = write!(out, "afi {} safi {}", family.afi, family.safi);
}

/// Appends ExaBGP's short name of an MCAST-VPN route.
pub(crate) fn short(out: &mut String, route: &MvpnRoute) {
    match &route.value {
        MvpnValue::SourceAd { rd, source, group } => {
            let _ = write!(out, "mvpn:sourcead::{rd}:{source}:{group}");
        }
        MvpnValue::SharedJoin {
            rd,
            source_as,
            source,
            group,
        } => {
            let _ = write!(out, "mvpn:shared-join::{rd}:{source_as}:{source}:{group}");
        }
        MvpnValue::SourceJoin {
            rd,
            source_as,
            source,
            group,
        } => {
            let _ = write!(out, "mvpn:source-join::{rd}:{source_as}:{source}:{group}");
        }
        MvpnValue::Other { value, .. } => {
            out.push_str("mvpn:unknown:0x");
            for b in value {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}
