//! VPLS routes (RFC 4761 §3.2.2, L2VPN VPLS) in ExaBGP 5's JSON and text forms.
//!
//! JSON: `{ "rd": "192.168.201.1:123", "endpoint": 5, "base": 10702, "offset": 1,
//! "size": 8 }` (the VE ID is `endpoint`, the label base `base`). Text: `vpls rd
//! 192.168.201.1:123 endpoint 5 base 10702 offset 1 size 8`, the next hop following as
//! for every route.

use std::fmt::Write;

use wire::nlri::Vpls;

/// Appends the JSON object of a VPLS route.
pub(crate) fn json(out: &mut String, route: &Vpls) {
    let _ = write!(
        out,
        "{{ \"rd\": \"{}\", \"endpoint\": {}, \"base\": {}, \"offset\": {}, \"size\": {} }}",
        route.rd, route.endpoint, route.base, route.offset, route.size
    );
}

/// Appends ExaBGP's text form of a VPLS route (without the next hop).
pub(crate) fn text(out: &mut String, route: &Vpls) {
    let _ = write!(
        out,
        "vpls rd {} endpoint {} base {} offset {} size {}",
        route.rd, route.endpoint, route.base, route.offset, route.size
    );
}
