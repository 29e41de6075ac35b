//! MUP routes (SAFI 85, draft-mpmz-bess-mup-safi) in ExaBGP 5's JSON and text forms.
//!
//! JSON, one object per route, in ExaBGP's key order, with `raw` the whole route (header
//! included) in upper-case hex:
//! `{ "name": "InterworkSegmentDiscoveryRoute", "arch": 1, "code": 1, "prefix_ip_len": 24,
//! "prefix_ip": "10.0.1.0", "rd": "100:100", "raw": "0100010C…" }`; a route of an unknown
//! type is `{ "arch": 1, "code": 9, "raw": "…" }`.
//!
//! ExaBGP 5.0.15 omits the comma after `endpoint_ip` of a Type 1 Session Transformed
//! route (its output is not JSON) and prints a missing source as `"b''"`; Herald writes
//! the comma and `"source_ip_len": 0, "source_ip": ""` (`docs/decode-differences.md`).
//!
//! Text: ExaBGP's route names, `mup:isd:100:100:10.0.1.0/24` and so on.

use std::fmt::Write;

use wire::nlri::{MupRoute, MupValue};

use super::hex_bare_upper;

/// Appends the JSON object of a MUP route.
pub(crate) fn json(out: &mut String, route: &MupRoute) {
    let Some(name) = route.name() else {
        let _ = write!(
            out,
            "{{ \"arch\": {}, \"code\": {}, \"raw\": \"",
            route.arch, route.code
        );
        raw(out, route);
        out.push_str("\" }");
        return;
    };
    let _ = write!(out, "{{ \"name\": \"{name}\", ");
    match &route.value {
        MupValue::Isd {
            rd,
            prefix_len,
            prefix,
        } => {
            let _ = write!(
                out,
                "\"arch\": {}, \"code\": {}, \"prefix_ip_len\": {prefix_len}, \"prefix_ip\": \"{prefix}\", \"rd\": \"{rd}\"",
                route.arch, route.code
            );
        }
        MupValue::Dsd { rd, ip } => {
            let _ = write!(
                out,
                "\"arch\": {}, \"code\": {}, \"ip\": \"{ip}\", \"rd\": \"{rd}\"",
                route.arch, route.code
            );
        }
        MupValue::Type1St {
            rd,
            prefix_len,
            prefix,
            teid,
            qfi,
            endpoint,
            source,
        } => {
            let _ = write!(
                out,
                "\"arch\": {}, \"code\": {}, \"prefix_ip_len\": {prefix_len}, \"prefix_ip\": \"{prefix}\", \
                 \"teid\": \"{teid}\", \"qfi\": \"{qfi}\", \"rd\": \"{rd}\", \"endpoint_ip_len\": {}, \
                 \"endpoint_ip\": \"{endpoint}\", ",
                route.arch,
                route.code,
                if endpoint.is_ipv4() { 32 } else { 128 }
            );
            match source {
                Some(ip) => {
                    let bits = if ip.is_ipv4() { 32 } else { 128 };
                    let _ = write!(out, "\"source_ip_len\": {bits}, \"source_ip\": \"{ip}\"");
                }
                None => out.push_str("\"source_ip_len\": 0, \"source_ip\": \"\""),
            }
        }
        MupValue::Type2St {
            rd,
            endpoint_len,
            endpoint,
            teid,
        } => {
            // ExaBGP puts two spaces before "arch" here.
            let _ = write!(
                out,
                " \"arch\": {}, \"code\": {}, \"endpoint_len\": {endpoint_len}, \"endpoint_ip\": \"{endpoint}\", \
                 \"rd\": \"{rd}\", \"teid\": \"{teid}\"",
                route.arch, route.code
            );
        }
        MupValue::Unknown(_) => {}
    }
    out.push_str(", \"raw\": \"");
    raw(out, route);
    out.push_str("\" }");
}

/// The route as sent (without path identifier), upper-case hex.
fn raw(out: &mut String, route: &MupRoute) {
    let mut bytes = Vec::new();
    // A decoded route always re-encodes; on failure the raw field is left empty.
    let _ = route.encode(false, &mut bytes);
    hex_bare_upper(out, &bytes);
}

/// Appends ExaBGP's text name of a MUP route.
pub(crate) fn text(out: &mut String, route: &MupRoute) {
    match &route.value {
        MupValue::Isd {
            rd,
            prefix_len,
            prefix,
        } => {
            let _ = write!(out, "mup:isd:{rd}:{prefix}/{prefix_len}");
        }
        MupValue::Dsd { rd, ip } => {
            let _ = write!(out, "mup:dsd:{rd}:{ip}");
        }
        MupValue::Type1St {
            rd,
            prefix_len,
            prefix,
            teid,
            qfi,
            endpoint,
            source,
        } => {
            let _ = write!(
                out,
                "mup:t1st:{rd}:{prefix}/{prefix_len}:{teid}:{qfi}:{endpoint}/{prefix_len}"
            );
            if let Some(ip) = source {
                let bits = if ip.is_ipv4() { 32 } else { 128 };
                let _ = write!(out, ":{ip}/{bits}");
            }
        }
        MupValue::Type2St {
            rd,
            endpoint_len,
            endpoint,
            teid,
        } => {
            let _ = write!(out, "mup:t2st:{rd}:{endpoint_len}:{endpoint}:{teid}:");
        }
        MupValue::Unknown(bytes) => {
            out.push_str("mup:unknown:0x");
            for b in bytes {
                let _ = write!(out, "{b:02x}");
            }
        }
    }
}
