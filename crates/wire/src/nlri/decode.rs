//! Decoding a whole NLRI field: the loop over its entries for each family (RFC 4271 §4.3,
//! RFC 4760 §5, RFC 7911 §3 path identifiers), prefixes read and checked against their
//! address family (RFC 7606 §5.3).

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};

use super::{
    flow, is_bgp_ls_family, is_evpn_family, is_flow_family, is_labeled_family, is_mup_family,
    is_mvpn_family, is_prefix_family, is_vpls_family, l2vpn_check, labeled, BgpLs, Evpn, MupRoute,
    MvpnRoute, Nlri, PathId, Rtc, Vpls,
};
use crate::error::{WireError, WireErrorKind};
use crate::family::{Afi, Family};
use crate::reader::Reader;

/// An EVPN (RFC 7432 §7) or VPLS (RFC 4761 §3.2.2) field, malformed rows 49 and 50: entries
/// whose lengths do not tile the field are (3,10) Invalid Network Field (no route can be
/// told apart); with the framing intact, a route malformed within its own length keeps the
/// whole field as one [`Nlri::Opaque`], whose UPDATE is treated as withdraw (RFC 7606 §2,
/// §5.3; `attr::list` names it). An EVPN route type not known here is kept, not an error.
fn decode_l2vpn(
    r: &mut Reader<'_>,
    family: Family,
    add_path: bool,
    truncated: fn(&'static str) -> WireErrorKind,
) -> Result<Vec<Nlri>, WireError> {
    l2vpn_check::check_framing(r, family, add_path)?;
    let field = r.rest();
    if field.is_empty() {
        return Ok(Vec::new());
    }
    if l2vpn_check::malformed_entry(family, field, add_path).is_some() {
        return Ok(vec![Nlri::Opaque(field.to_vec())]);
    }
    let mut entries = Reader::new(field);
    let mut out = Vec::new();
    while !entries.is_empty() {
        let route = if is_evpn_family(family) {
            Evpn::decode(&mut entries, add_path, truncated).map(|e| Nlri::Evpn(Box::new(e)))
        } else {
            Vpls::decode(&mut entries, add_path, truncated).map(|v| Nlri::Vpls(Box::new(v)))
        };
        match route {
            Ok(route) => out.push(route),
            Err(_) => return Ok(vec![Nlri::Opaque(field.to_vec())]),
        }
    }
    Ok(out)
}

pub(super) fn decode_entries(
    r: &mut Reader<'_>,
    family: Family,
    add_path: bool,
    withdraw: bool,
    truncated: fn(&'static str) -> WireErrorKind,
) -> Result<Vec<Nlri>, WireError> {
    if is_mup_family(family) {
        let mut out = Vec::new();
        while !r.is_empty() {
            let route = MupRoute::decode(r, family.afi, add_path, truncated)?;
            out.push(Nlri::Mup(Box::new(route)));
        }
        return Ok(out);
    }
    if is_evpn_family(family) || is_vpls_family(family) {
        return decode_l2vpn(r, family, add_path, truncated);
    }
    if is_mvpn_family(family) {
        let mut out = Vec::new();
        while !r.is_empty() {
            let route = MvpnRoute::decode(r, add_path, truncated)?;
            out.push(Nlri::Mvpn(Box::new(route)));
        }
        return Ok(out);
    }
    let ls = is_bgp_ls_family(family);
    let rtc = family == Family::IPV4_RTC;
    if ls || rtc {
        let mut out = Vec::new();
        while !r.is_empty() {
            let path_id = PathId::read(r, add_path)
                .map_err(|e| WireError::new(e.offset, truncated("path identifier")))?;
            out.push(if ls {
                BgpLs::decode(r, family, path_id)?
            } else {
                Nlri::Rtc(Rtc::decode(r, path_id, truncated)?)
            });
        }
        return Ok(out);
    }
    let labeled = is_labeled_family(family);
    let flow = is_flow_family(family);
    if !is_prefix_family(family) && !labeled && !flow {
        let rest = r.rest();
        return Ok(if rest.is_empty() {
            Vec::new()
        } else {
            vec![Nlri::Opaque(rest.to_vec())]
        });
    }
    let mut out = Vec::new();
    while !r.is_empty() {
        let path_id = PathId::read(r, add_path)
            .map_err(|e| WireError::new(e.offset, truncated("path identifier")))?;
        if flow {
            out.push(flow::decode_one(r, family, path_id)?);
            continue;
        }
        let at = r.offset();
        let len = r
            .u8("prefix length")
            .map_err(|e| WireError::new(e.offset, truncated("prefix length")))?;
        if labeled {
            let head = labeled::decode_head(r, family, len, at, withdraw, truncated)?;
            let prefix = read_prefix(r, family.afi, head.bits, at, truncated)?;
            out.push(Nlri::Labeled {
                path_id,
                labels: head.labels,
                rd: head.rd,
                prefix,
            });
        } else {
            let prefix = read_prefix(r, family.afi, len, at, truncated)?;
            out.push(Nlri::Prefix { path_id, prefix });
        }
    }
    Ok(out)
}

/// Reads the address part of a prefix of `bits` bits (`at`: where its entry started).
fn read_prefix(
    r: &mut Reader<'_>,
    afi: Afi,
    bits: u8,
    at: usize,
    truncated: fn(&'static str) -> WireErrorKind,
) -> Result<IpNet, WireError> {
    let invalid = |what| WireError::new(at, WireErrorKind::InvalidNetworkField(what));
    if afi == Afi::IPV4 && bits > 32 {
        return Err(invalid("IPv4 prefix length > 32"));
    }
    if bits > 128 {
        return Err(invalid("IPv6 prefix length > 128"));
    }
    let bytes = r
        .take(usize::from(bits).div_ceil(8), "prefix")
        .map_err(|e| WireError::new(e.offset, truncated("prefix")))?;
    let prefix = if afi == Afi::IPV4 {
        let mut a = [0u8; 4];
        copy_prefix(&mut a, bytes);
        IpNet::V4(Ipv4Net::new(Ipv4Addr::from(a), bits).map_err(|_| invalid("IPv4 prefix length"))?)
    } else {
        let mut a = [0u8; 16];
        copy_prefix(&mut a, bytes);
        IpNet::V6(Ipv6Net::new(Ipv6Addr::from(a), bits).map_err(|_| invalid("IPv6 prefix length"))?)
    };
    Ok(prefix.trunc())
}

fn copy_prefix(dst: &mut [u8], src: &[u8]) {
    for (d, s) in dst.iter_mut().zip(src) {
        *d = *s;
    }
}
