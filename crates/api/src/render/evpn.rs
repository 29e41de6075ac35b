//! EVPN routes (AFI 25 / SAFI 70, RFC 7432 §7, RFC 9136 §3) in ExaBGP 5's JSON and text
//! forms.
//!
//! JSON, one object per route in ExaBGP's member order, `raw` being the route with its
//! type and length octets in upper-case hex:
//! `{ "code": 2, "parsed": true, "raw": "…", "name": "MAC/IP advertisement", "rd":
//! "37.44.55.55:1", "esi": "-", "ethernet-tag": 1901, "mac": "FC:15:B4:78:7B:8F",
//! "label": [ [0] ], "ip": "10.40.136.208" }`; a route of an unknown type is
//! `{ "code": 8, "parsed": false, "raw": "…" }`. ExaBGP shows only the first label field,
//! as `[label]` or, when its 24 bits are not zero, `[label, raw]`.
//!
//! Text: ExaBGP's `evpn:<type>:<fields>` names, e.g.
//! `evpn:macadv::37.44.55.55:1:-:1901:FC:15:B4:78:7B:8F/48:10.40.136.208: label 0` (the
//! doubled colon after the type is ExaBGP's).

#[cfg(test)]
mod tests;

use std::fmt::Write;

use wire::nlri::evpn::EvpnLabel;
use wire::nlri::{Evpn, EvpnRoute};

use super::typed_nlri_head;

/// Appends the JSON object of an EVPN route.
pub(crate) fn json(out: &mut String, route: &Evpn) {
    let r = &route.route;
    if !typed_nlri_head(out, u16::from(r.code()), &raw(r), r.name()) {
        return;
    }
    match r {
        EvpnRoute::EthernetAd {
            rd,
            esi,
            etag,
            labels,
        } => {
            let _ = write!(
                out,
                ", \"rd\": \"{rd}\", \"esi\": \"{esi}\", \"ethernet-tag\": {etag}"
            );
            label_json(out, labels.first());
        }
        EvpnRoute::MacIp {
            rd,
            esi,
            etag,
            mac,
            ip,
            labels,
        } => {
            let _ = write!(
                out,
                ", \"rd\": \"{rd}\", \"esi\": \"{esi}\", \"ethernet-tag\": {etag}, \"mac\": \"{mac}\""
            );
            label_json(out, labels.first());
            if let Some(ip) = ip {
                let _ = write!(out, ", \"ip\": \"{ip}\"");
            }
        }
        EvpnRoute::Multicast { rd, etag, ip } => {
            let _ = write!(
                out,
                ", \"rd\": \"{rd}\", \"ethernet-tag\": {etag}, \"ip\": \"{ip}\""
            );
        }
        EvpnRoute::EthernetSegment { rd, esi, ip } => {
            let _ = write!(
                out,
                ", \"rd\": \"{rd}\", \"esi\": \"{esi}\", \"ip\": \"{ip}\""
            );
        }
        EvpnRoute::IpPrefix {
            rd,
            esi,
            etag,
            prefix_len,
            prefix,
            gateway,
            label,
        } => {
            let _ = write!(
                out,
                ", \"rd\": \"{rd}\", \"esi\": \"{esi}\", \"ethernet-tag\": {etag}"
            );
            label_json(out, Some(label));
            let _ = write!(
                out,
                ", \"ip\": \"{prefix}\", \"iplen\": {prefix_len}, \"gateway\": \"{gateway}\""
            );
        }
        EvpnRoute::Unknown { .. } => {}
    }
    out.push_str(" }");
}

fn label_json(out: &mut String, label: Option<&EvpnLabel>) {
    let Some(label) = label else { return };
    let _ = write!(out, ", \"label\": [ [{}", label.label());
    if label.raw() != 0 {
        let _ = write!(out, ", {}", label.raw());
    }
    out.push_str("] ]");
}

/// The route as sent (type, length, value; no path identifier), upper-case hex.
fn raw(route: &EvpnRoute) -> Vec<u8> {
    let mut bytes = Vec::new();
    // A decoded route always re-encodes; on failure the raw field is left short.
    let _ = route.encode(&mut bytes);
    bytes
}

/// ExaBGP's text for the first label field: ` label 100 (1601)`, ` label 0`, or nothing.
fn label_text(out: &mut String, label: Option<&EvpnLabel>) {
    let Some(label) = label else { return };
    let _ = write!(out, " label {}", label.label());
    if label.raw() != 0 {
        let _ = write!(out, " ({})", label.raw());
    }
}

/// Appends ExaBGP's text name of an EVPN route.
pub(crate) fn text(out: &mut String, route: &Evpn) {
    match &route.route {
        EvpnRoute::EthernetAd {
            rd,
            esi,
            etag,
            labels,
        } => {
            let _ = write!(out, "evpn:ethernetad::{rd}:{esi}:{etag}:");
            label_text(out, labels.first());
        }
        EvpnRoute::MacIp {
            rd,
            esi,
            etag,
            mac,
            ip,
            labels,
        } => {
            let _ = write!(out, "evpn:macadv::{rd}:{esi}:{etag}:{mac}/48:");
            if let Some(ip) = ip {
                let _ = write!(out, "{ip}");
            }
            out.push(':');
            label_text(out, labels.first());
        }
        EvpnRoute::Multicast { rd, etag, ip } => {
            let _ = write!(out, "evpn:multicast::{rd}:{etag}:{ip}");
        }
        EvpnRoute::EthernetSegment { rd, esi, ip } => {
            let _ = write!(out, "evpn:segment::{rd}:{esi}:{ip}");
        }
        EvpnRoute::IpPrefix {
            rd,
            esi,
            etag,
            prefix_len,
            prefix,
            gateway,
            label,
        } => {
            let _ = write!(
                out,
                "evpn:prfxadv::{rd}:{esi}:{etag}:{prefix}/{prefix_len}:{gateway}:"
            );
            label_text(out, Some(label));
        }
        EvpnRoute::Unknown { value, .. } => {
            out.push_str("evpn:unknown:0x");
            for b in value {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}
