//! MP_REACH_NLRI, type 14 (RFC 4760 §3): optional non-transitive, routes of any family.
//!
//! ```text
//! +---------------------------------------------------------+
//! | Address Family Identifier (2 octets)                    |
//! +---------------------------------------------------------+
//! | Subsequent Address Family Identifier (1 octet)          |
//! +---------------------------------------------------------+
//! | Length of Next Hop Network Address (1 octet)            |
//! +---------------------------------------------------------+
//! | Network Address of Next Hop (variable)                  |
//! +---------------------------------------------------------+
//! | Reserved (1 octet)                                      |
//! +---------------------------------------------------------+
//! | Network Layer Reachability Information (variable)       |
//! +---------------------------------------------------------+
//! ```
//!
//! Next hops: IPv4 families take 4 octets, or 16/32 with extended next hop (RFC 8950);
//! IPv6 families take 16 (global) or 32 (global + link-local, RFC 2545 §3). VPN families
//! (SAFI 128/129, and BGP-LS VPN, SAFI 72) prefix each address with an all-zero Route Distinguisher (RFC 4364
//! §4.3.2). Other families: 0, 4, 16 or 32 octets of addresses; a next hop this crate
//! cannot represent keeps the whole attribute raw.
//!
//! Errors (RFC 7606 §7.11, §5.3): shorter than 5 octets, a next-hop length that does not
//! fit the family, or a truncated NLRI → session reset (3,1); a prefix longer than the
//! address → (3,10). The NLRI of families without a decoder stay [`Nlri::Opaque`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{AttrError, MpReach};
use crate::ctx::DecodeCtx;
use crate::error::{EncodeError, Rfc7606Action, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::nlri::{is_prefix_family, Nlri};
use crate::reader::Reader;

/// True for families whose next hop carries a Route Distinguisher (RFC 4364 §4.3.2; BGP-LS
/// VPN, SAFI 72, takes a VPN next hop as ExaBGP reads it).
fn rd_next_hop(family: Family) -> bool {
    family.safi == Safi::MPLS_VPN || family.safi == Safi(129) || family.safi == Safi::BGP_LS_VPN
}

fn reset(r: &Reader<'_>, what: &'static str) -> AttrError {
    AttrError::new(
        Rfc7606Action::SessionReset,
        r.error(WireErrorKind::MalformedAttributeList(what)),
    )
}

/// Reads `len` octets of addresses: 4 → IPv4, 16 → IPv6, 32 → two IPv6.
fn addresses(bytes: &[u8]) -> Option<Vec<IpAddr>> {
    match bytes.len() {
        0 => Some(Vec::new()),
        4 => {
            let a: [u8; 4] = bytes.try_into().ok()?;
            Some(vec![IpAddr::V4(Ipv4Addr::from(a))])
        }
        16 => {
            let a: [u8; 16] = bytes.try_into().ok()?;
            Some(vec![IpAddr::V6(Ipv6Addr::from(a))])
        }
        32 => {
            let a: [u8; 16] = bytes.get(..16)?.try_into().ok()?;
            let b: [u8; 16] = bytes.get(16..)?.try_into().ok()?;
            Some(vec![
                IpAddr::V6(Ipv6Addr::from(a)),
                IpAddr::V6(Ipv6Addr::from(b)),
            ])
        }
        _ => None,
    }
}

/// Decodes next-hop octets for `family`; `None` when they cannot be represented.
fn next_hop(family: Family, bytes: &[u8]) -> Option<Vec<IpAddr>> {
    if !rd_next_hop(family) {
        return addresses(bytes);
    }
    // RD + IPv4 (12), RD + IPv6 (24), or two RD + IPv6 (48); only all-zero RDs.
    let (chunk, count) = match bytes.len() {
        0 => return Some(Vec::new()),
        12 => (12, 1),
        24 => (24, 1),
        48 => (24, 2),
        _ => return None,
    };
    let mut out = Vec::new();
    for part in bytes.chunks(chunk).take(count) {
        let (rd, addr) = part.split_at(8);
        if rd.iter().any(|b| *b != 0) {
            return None;
        }
        out.extend(addresses(addr)?);
    }
    Some(out)
}

/// Decodes the value. `Ok(None)`: a next hop that cannot be represented, keep the
/// attribute raw.
pub(crate) fn decode(mut r: Reader<'_>, ctx: &DecodeCtx) -> Result<Option<MpReach>, AttrError> {
    if r.left() < 5 {
        return Err(reset(&r, "MP_REACH_NLRI shorter than 5 octets"));
    }
    let fatal = |e| AttrError::new(Rfc7606Action::SessionReset, e);
    let afi = Afi(r.u16("MP_REACH AFI").map_err(fatal)?);
    let safi = Safi(r.u8("MP_REACH SAFI").map_err(fatal)?);
    let family = Family::new(afi, safi);
    let nh_len = r.u8("MP_REACH next-hop length").map_err(fatal)?;
    let nh_reader = r.clone();
    let nh = r
        .take(usize::from(nh_len), "MP_REACH next hop")
        .map_err(|_| {
            reset(
                &nh_reader,
                "MP_REACH next-hop length overruns the attribute",
            )
        })?;
    let next_hop = if is_prefix_family(family) {
        let ok = matches!(
            (afi, nh.len()),
            (Afi::IPV4, 4 | 16 | 32) | (Afi::IPV6, 16 | 32)
        );
        if !ok {
            return Err(reset(
                &nh_reader,
                "MP_REACH next-hop length inconsistent with AFI/SAFI",
            ));
        }
        next_hop(family, nh)
    } else {
        next_hop(family, nh)
    };
    let Some(next_hop) = next_hop else {
        return Ok(None);
    };
    if needs_extended_next_hop(family, &next_hop)
        && !ctx.extended_next_hop.contains(&(family, Afi::IPV6))
    {
        // RFC 8950 §4 / RFC 7606 §7.11: a next hop of a length the family does not take
        // on this session (malformed row 43).
        return Err(reset(
            &nh_reader,
            "MP_REACH IPv6 next hop for an IPv4 family without the extended next-hop capability",
        ));
    }
    r.u8("MP_REACH reserved")
        .map_err(|_| reset(&r, "MP_REACH reserved octet missing"))?;
    let nlri = Nlri::decode_field(
        &mut r,
        family,
        ctx.add_path(family),
        WireErrorKind::MalformedAttributeList,
    )
    .map_err(fatal)?;
    Ok(Some(MpReach {
        family,
        next_hop,
        nlri,
    }))
}

/// Whether `next_hop` is an IPv6 next hop for an IPv4 family RFC 8950 covers (unicast,
/// multicast, labeled, VPN), which takes the Extended Next Hop Encoding capability.
fn needs_extended_next_hop(family: Family, next_hop: &[IpAddr]) -> bool {
    family.afi == Afi::IPV4
        && matches!(
            family.safi,
            Safi::UNICAST | Safi::MULTICAST | Safi::MPLS | Safi::MPLS_VPN
        )
        && next_hop.iter().any(IpAddr::is_ipv6)
}

/// RFC 8950 §4: an IPv6 next hop for an IPv4 unicast, multicast, labeled or VPN route only
/// with the Extended Next Hop Encoding capability negotiated for that family (`negotiated`:
/// the (NLRI family, next-hop AFI) pairs both sides sent).
pub(crate) fn check_extended_next_hop(
    mp: &MpReach,
    negotiated: &[(Family, Afi)],
) -> Result<(), EncodeError> {
    if needs_extended_next_hop(mp.family, &mp.next_hop)
        && !negotiated.contains(&(mp.family, Afi::IPV6))
    {
        return Err(EncodeError::Unencodable(
            "an IPv6 next hop for an IPv4 route without the extended next-hop capability (RFC 8950)",
        ));
    }
    Ok(())
}

/// Encodes the value; `add_path` says whether the family's NLRI carry path identifiers.
pub(crate) fn encode(mp: &MpReach, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    out.extend_from_slice(&mp.family.afi.0.to_be_bytes());
    out.push(mp.family.safi.0);
    let len_at = out.len();
    out.push(0);
    for ip in &mp.next_hop {
        if rd_next_hop(mp.family) {
            out.extend_from_slice(&[0; 8]);
        }
        match ip {
            IpAddr::V4(a) => out.extend_from_slice(&a.octets()),
            IpAddr::V6(a) => out.extend_from_slice(&a.octets()),
        }
    }
    let nh_len = out.len() - len_at - 1;
    // `len_at` was pushed above.
    out[len_at] =
        u8::try_from(nh_len).map_err(|_| EncodeError::FieldTooLong("MP_REACH next hop"))?;
    out.push(0);
    for n in &mp.nlri {
        n.encode(mp.family, add_path, out)?;
    }
    Ok(())
}
