//! Well-formedness of the EVPN (RFC 7432) and VPLS (RFC 4761) NLRI fields, checked before
//! their routes are decoded (malformed-message rows 49 and 50); a malformed field is kept
//! whole as [`crate::Nlri::Opaque`].
//!
//! Two levels, as RFC 7606 §5.3 and RFC 4760 §7 ask:
//!
//! - the framing: the entries' own lengths must tile the field exactly (EVPN: route type
//!   and one-octet length, RFC 7432 §7; VPLS: a two-octet length, RFC 4761 §3.2.2). When
//!   they do not, no route of the field can be told apart: [`check_framing`] gives (3,10)
//!   Invalid Network Field, the session reset Herald uses for a broken NLRI field (as for
//!   rows 46 and 47).
//! - the entries: with the framing intact, an entry whose length does not fit its route type
//!   (an EVPN MAC/IP route whose MAC length is not 48, an Ethernet A-D route that is not 25
//!   octets, a VPLS entry that is not 17 octets …) makes the UPDATE treat-as-withdraw
//!   (RFC 7606 §2, §5.3): [`malformed_entry`] names it. An EVPN route type this crate does
//!   not know is not an error (RFC 7432 §7 lets route types be added): it is kept.

use crate::error::{WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// EVPN (RFC 7432) or VPLS (RFC 4761) — the families whose fields are checked here.
pub(crate) fn is_checked_family(family: Family) -> bool {
    family.afi == Afi::L2VPN && (family.safi == Safi::EVPN || family.safi == Safi::VPLS)
}

/// One entry of the field: its route type (EVPN only) and value.
struct Entry<'a> {
    route_type: Option<u8>,
    value: &'a [u8],
}

/// Splits the field of `family` (the rest of `r`) into its entries, or the (3,10) error of
/// a framing that does not hold.
fn entries<'a>(
    r: &mut Reader<'a>,
    family: Family,
    add_path: bool,
) -> Result<Vec<Entry<'a>>, WireError> {
    let broken = |r: &Reader<'_>, what| r.error(WireErrorKind::InvalidNetworkField(what));
    let mut out = Vec::new();
    while !r.is_empty() {
        if add_path {
            r.u32("path identifier")
                .map_err(|_| broken(r, "path identifier cut short"))?;
        }
        if family.safi == Safi::EVPN {
            let head = r.clone();
            let route_type = r
                .u8("EVPN route type")
                .map_err(|_| broken(&head, "EVPN route type cut short"))?;
            let len = r
                .u8("EVPN length")
                .map_err(|_| broken(&head, "EVPN length cut short"))?;
            let value = r
                .take(usize::from(len), "EVPN route")
                .map_err(|_| broken(&head, "EVPN route length overruns the NLRI field"))?;
            out.push(Entry {
                route_type: Some(route_type),
                value,
            });
        } else {
            let head = r.clone();
            let len = r
                .u16("VPLS length")
                .map_err(|_| broken(&head, "VPLS length cut short"))?;
            let value = r
                .take(usize::from(len), "VPLS NLRI")
                .map_err(|_| broken(&head, "VPLS NLRI length overruns the NLRI field"))?;
            out.push(Entry {
                route_type: None,
                value,
            });
        }
    }
    Ok(out)
}

/// Checks that the entries of an EVPN or VPLS field tile it exactly (RFC 7432 §7,
/// RFC 4761 §3.2.2); other families pass. Reads a copy of `r`.
pub(crate) fn check_framing(
    r: &Reader<'_>,
    family: Family,
    add_path: bool,
) -> Result<(), WireError> {
    if !is_checked_family(family) {
        return Ok(());
    }
    entries(&mut r.clone(), family, add_path).map(drop)
}

/// The length of an IP address field given in bits (0, 32 or 128), in octets.
fn ip_octets(bits: u8) -> Option<usize> {
    match bits {
        0 => Some(0),
        32 => Some(4),
        128 => Some(16),
        _ => None,
    }
}

/// Why an EVPN route of a known type is malformed, or `None` (RFC 7432 §7.1–7.4, RFC 9136
/// §3.1 for type 5).
fn evpn_problem(route_type: u8, v: &[u8]) -> Option<&'static str> {
    // RD (8) + ESI (10) + Ethernet Tag (4) precede the type-specific part of types 1, 2, 5.
    match route_type {
        // Ethernet Auto-Discovery: RD, ESI, Ethernet Tag, MPLS label (§7.1).
        1 => (v.len() != 25).then_some("EVPN Ethernet A-D route is not 25 octets"),
        // MAC/IP Advertisement (§7.2): … MAC length, MAC, IP length, IP, label 1 [label 2].
        2 => {
            let (Some(&mac_len), Some(&ip_bits)) = (v.get(22), v.get(29)) else {
                return Some("EVPN MAC/IP route shorter than its fixed fields");
            };
            if mac_len != 48 {
                return Some("EVPN MAC/IP route with a MAC address length other than 48");
            }
            let Some(ip) = ip_octets(ip_bits) else {
                return Some("EVPN MAC/IP route with an IP address length not 0, 32 or 128");
            };
            let fixed = 30 + ip;
            (v.len() != fixed + 3 && v.len() != fixed + 6)
                .then_some("EVPN MAC/IP route length does not match its fields")
        }
        // Inclusive Multicast Ethernet Tag (§7.3): RD, Ethernet Tag, IP length, IP.
        3 => match v.get(12).copied().and_then(ip_octets) {
            Some(ip) if ip > 0 && v.len() == 13 + ip => None,
            _ => Some("EVPN Inclusive Multicast route length does not match its IP address"),
        },
        // Ethernet Segment (§7.4): RD, ESI, IP length, IP.
        4 => match v.get(18).copied().and_then(ip_octets) {
            Some(ip) if ip > 0 && v.len() == 19 + ip => None,
            _ => Some("EVPN Ethernet Segment route length does not match its IP address"),
        },
        // IP Prefix (RFC 9136 §3.1): 34 octets for IPv4, 58 for IPv6.
        5 => (v.len() != 34 && v.len() != 58)
            .then_some("EVPN IP Prefix route is neither 34 nor 58 octets"),
        _ => None,
    }
}

/// Why an entry of a well-framed EVPN or VPLS field is malformed (treat-as-withdraw), or
/// `None` when every entry is well formed, of an EVPN route type not known here, or the
/// family is another one.
pub(crate) fn malformed_entry(family: Family, field: &[u8], add_path: bool) -> Option<String> {
    if !is_checked_family(family) {
        return None;
    }
    let entries = entries(&mut Reader::new(field), family, add_path).ok()?;
    entries.iter().find_map(|e| {
        let problem = match e.route_type {
            Some(route_type) => evpn_problem(route_type, e.value)?,
            None if e.value.len() != 17 => "VPLS NLRI length is not 17",
            None => return None,
        };
        Some(format!(
            "{problem} in {family}: {}",
            e.value
                .iter()
                .map(|b| format!("{b:02x}"))
                .collect::<String>()
        ))
    })
}

#[cfg(test)]
#[path = "l2vpn_check_tests.rs"]
mod tests;
