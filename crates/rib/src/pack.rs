//! Packing pending changes into UPDATE messages (RFC 4271 §4.3, RFC 4760 §3–4), the way
//! ExaBGP 5 does, so that the bytes match its conformance corpus:
//!
//! - changes are taken in [`crate::AdjRibOut`] order (attribute set, family, arrival);
//! - with `group-updates` (the default) the IPv4 unicast and MCAST-VPN changes of one
//!   attribute set share UPDATEs; every other family gets one UPDATE per NLRI (ExaBGP
//!   groups nothing else), and without `group-updates` nothing is grouped;
//! - inside a group the NLRI are sorted (ExaBGP's NLRI index order: path identifier, then
//!   prefix length, then prefix octets); withdrawals go first, in UPDATEs of their own
//!   (RFC 7606 §5.1: one kind of NLRI field per UPDATE), packed up to the message size;
//! - path attributes are sent sorted by type code, with ORIGIN (IGP), AS_PATH (empty for
//!   iBGP, the local AS for eBGP) and LOCAL_PREF (100, iBGP only) added when missing and
//!   LOCAL_PREF dropped for eBGP; NEXT_HOP is sent whenever the next hop is IPv4;
//!   MP_REACH_NLRI / MP_UNREACH_NLRI come last;
//! - an IPv4 unicast route with an IPv4 next hop uses the UPDATE's own NLRI field; any
//!   other route uses MP_REACH_NLRI; withdrawals of unicast / multicast families carry no
//!   other attribute, those of other families carry the route's attributes (as ExaBGP).

use std::cmp::Ordering;
use std::net::IpAddr;
use std::sync::Arc;

use ipnet::IpNet;
use wire::attr::{AsPath, AsSegment, MpReach, MpUnreach, Origin, SegmentType};
use wire::{Afi, Asn, AttrCode, Attribute, EncodeCtx, Family, Nlri, Safi, Update};

use crate::attrset::AttrSet;
use crate::out::{Action, Change};

/// Header of a BGP message (RFC 4271 §4.1).
pub const HEADER_LEN: usize = 19;

/// What the packer needs to know about the session.
#[derive(Debug, Clone)]
pub struct OutCtx {
    /// Encoding context negotiated for the session (ASN4, ADD-PATH, extended message …).
    pub encode: EncodeCtx,
    /// Our ASN (for the default AS_PATH of eBGP sessions).
    pub local_as: Asn,
    /// The peer's ASN (iBGP when equal to `local_as`).
    pub peer_as: Asn,
    /// ExaBGP's `group-updates` (default true).
    pub group_updates: bool,
    /// Families negotiated; changes of other families are not sent.
    pub families: Vec<Family>,
}

impl OutCtx {
    fn ibgp(&self) -> bool {
        self.local_as == self.peer_as
    }
}

/// How many octets things take on the wire: the codec answers, the packer decides.
pub trait Sizer {
    /// Octets of these path attributes, headers included, encoded in this order.
    fn attributes_len(&self, attrs: &[Attribute]) -> usize;
    /// Octets of one NLRI of `family` (path identifier included when ADD-PATH is on).
    fn nlri_len(&self, family: Family, nlri: &Nlri) -> usize;
}

/// One message to send, before encoding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outgoing {
    /// An UPDATE.
    Update(Update),
    /// A BoRR (`begin`) or EoRR (`!begin`) marker of an enhanced route refresh (RFC 7313).
    RefreshMarker {
        /// Family refreshed.
        family: Family,
        /// Beginning (true) or end (false) of the refresh.
        begin: bool,
    },
}

/// The path attributes sent for `attrs`, in ExaBGP's order, without MP_* attributes.
pub fn wire_attributes(attrs: &AttrSet, ctx: &OutCtx) -> Vec<Attribute> {
    let mut list: Vec<Attribute> = attrs
        .attributes
        .iter()
        .filter(|a| {
            !matches!(
                a,
                Attribute::NextHop(_) | Attribute::MpReach(_) | Attribute::MpUnreach(_)
            )
        })
        .filter(|a| ctx.ibgp() || !matches!(a, Attribute::LocalPref(_)))
        .cloned()
        .collect();
    let has = |list: &[Attribute], code: AttrCode| list.iter().any(|a| code_of(a) == code);
    if !has(&list, AttrCode::ORIGIN) {
        list.push(Attribute::Origin(Origin::Igp));
    }
    if !has(&list, AttrCode::AS_PATH) {
        let path = if ctx.ibgp() {
            AsPath::default()
        } else {
            AsPath(vec![AsSegment {
                kind: SegmentType::Sequence,
                asns: vec![ctx.local_as],
            }])
        };
        list.push(Attribute::AsPath(path));
    }
    if ctx.ibgp() && !has(&list, AttrCode::LOCAL_PREF) {
        list.push(Attribute::LocalPref(100));
    }
    if let Some(IpAddr::V4(hop)) = attrs.next_hop {
        list.push(Attribute::NextHop(hop));
    }
    // Stable: attributes of one code (none expected) keep their relative order.
    list.sort_by_key(code_of);
    list
}

/// The type code of an attribute.
pub fn code_of(attr: &Attribute) -> AttrCode {
    match attr {
        Attribute::Origin(_) => AttrCode::ORIGIN,
        Attribute::AsPath(_) => AttrCode::AS_PATH,
        Attribute::NextHop(_) => AttrCode::NEXT_HOP,
        Attribute::Med(_) => AttrCode::MED,
        Attribute::LocalPref(_) => AttrCode::LOCAL_PREF,
        Attribute::AtomicAggregate => AttrCode::ATOMIC_AGGREGATE,
        Attribute::Aggregator(_) => AttrCode::AGGREGATOR,
        Attribute::Communities(_) => AttrCode::COMMUNITIES,
        Attribute::OriginatorId(_) => AttrCode::ORIGINATOR_ID,
        Attribute::ClusterList(_) => AttrCode::CLUSTER_LIST,
        Attribute::MpReach(_) => AttrCode::MP_REACH_NLRI,
        Attribute::MpUnreach(_) => AttrCode::MP_UNREACH_NLRI,
        Attribute::ExtCommunities(_) => AttrCode::EXTENDED_COMMUNITIES,
        Attribute::Aigp(_) => AttrCode::AIGP,
        Attribute::LargeCommunities(_) => AttrCode::LARGE_COMMUNITIES,
        Attribute::Raw { code, .. } => *code,
        other => other.code(),
    }
}

/// ExaBGP's NLRI order (its `NLRI.index()`): "no-pi" or the path identifier octets, then
/// the prefix length and prefix octets; for a VPN route the length counts the RD's 64 bits
/// and the RD comes before the prefix (labels are not part of it); MCAST-VPN routes by their
/// octets (type, length, value); other NLRI by their own order.
pub fn cmp_nlri(a: &Nlri, b: &Nlri) -> Ordering {
    fn index(nlri: &Nlri) -> Option<([u8; 30], usize)> {
        let (path_id, rd, prefix) = match nlri {
            Nlri::Prefix { path_id, prefix } => (path_id, None, prefix),
            Nlri::Labeled {
                path_id,
                rd,
                prefix,
                ..
            } => (path_id, rd.as_ref(), prefix),
            _ => return None,
        };
        let mut buf = [0u8; 30];
        let mut at = match path_id {
            None => {
                buf[..5].copy_from_slice(b"no-pi");
                5
            }
            Some(id) => {
                buf[..4].copy_from_slice(&id.0.to_be_bytes());
                4
            }
        };
        let len = prefix.prefix_len();
        buf[at] = if rd.is_some() {
            len.wrapping_add(64)
        } else {
            len
        };
        at += 1;
        if let Some(rd) = rd {
            buf[at..at + 8].copy_from_slice(&rd.0);
            at += 8;
        }
        let octets = usize::from(len).div_ceil(8);
        match prefix {
            IpNet::V4(net) => {
                buf[at..at + octets].copy_from_slice(&net.network().octets()[..octets])
            }
            IpNet::V6(net) => {
                buf[at..at + octets].copy_from_slice(&net.network().octets()[..octets])
            }
        }
        Some((buf, at + octets))
    }
    if let (Nlri::Mvpn(x), Nlri::Mvpn(y)) = (a, b) {
        // ExaBGP's MCAST-VPN index is the route as sent: type, length, value.
        let bytes = |r: &wire::nlri::MvpnRoute| {
            let mut out = Vec::new();
            // An unencodable route (a value over 255 octets) is refused when encoding.
            let _ = r.encode(false, &mut out);
            out
        };
        return bytes(x).cmp(&bytes(y));
    }
    match (index(a), index(b)) {
        (Some((x, xl)), Some((y, yl))) => x[..xl].cmp(&y[..yl]),
        _ => a.cmp(b),
    }
}

/// True for the families ExaBGP packs several NLRI of per UPDATE.
fn grouped_family(family: Family) -> bool {
    family == Family::IPV4_UNICAST || family.safi == Safi::MCAST_VPN
}

/// Turns ordered changes into UPDATEs, appended to `out`.
pub fn pack_changes(changes: &[Change], ctx: &OutCtx, sizer: &dyn Sizer, out: &mut Vec<Outgoing>) {
    let mut start = 0;
    while start < changes.len() {
        let first = &changes[start];
        let mut end = start + 1;
        if ctx.group_updates && grouped_family(first.family) {
            while end < changes.len()
                && changes[end].family == first.family
                && Arc::ptr_eq(&changes[end].attrs, &first.attrs)
            {
                end += 1;
            }
        }
        pack_group(&changes[start..end], ctx, sizer, out);
        start = end;
    }
}

/// Packs the changes of one (attribute set, family) group: ExaBGP's `Update.messages()`.
fn pack_group(group: &[Change], ctx: &OutCtx, sizer: &dyn Sizer, out: &mut Vec<Outgoing>) {
    let Some(first) = group.first() else {
        return;
    };
    let family = first.family;
    if !ctx.families.contains(&family) {
        return;
    }
    let attrs = &first.attrs;
    let mut withdraws: Vec<Nlri> = Vec::new();
    let mut announces: Vec<Nlri> = Vec::with_capacity(group.len());
    for change in group {
        match change.action {
            Action::Withdraw => withdraws.push(change.nlri.clone()),
            Action::Announce => announces.push(change.nlri.clone()),
        }
    }
    withdraws.sort_by(cmp_nlri);
    announces.sort_by(cmp_nlri);

    let max = ctx.encode.max_message_len();
    let native_withdraw = family == Family::IPV4_UNICAST;
    let native_announce =
        family == Family::IPV4_UNICAST && matches!(attrs.next_hop, Some(IpAddr::V4(_)));
    let mp_withdraws = !native_withdraw && !withdraws.is_empty();
    let mp_announces = !native_announce && !announces.is_empty();

    // ExaBGP `_carries_attributes`: only an UPDATE made of nothing but unicast/multicast
    // MP_UNREACH_NLRI goes without the route's attributes.
    let native_any =
        (native_withdraw && !withdraws.is_empty()) || (native_announce && !announces.is_empty());
    let unicast_or_multicast = family.safi == Safi::UNICAST || family.safi == Safi::MULTICAST;
    let withdraw_only_mp = mp_withdraws && !mp_announces && unicast_or_multicast;
    let carries = native_any || !withdraw_only_mp;
    let mut attributes = if carries {
        wire_attributes(attrs, ctx)
    } else {
        Vec::new()
    };
    // A flow's next hop (redirect / copy, spec §1.7) and a VPLS route's travel in
    // MP_REACH_NLRI only, as ExaBGP sends them (conf-flow, conf-l2vpn).
    if wire::nlri::is_flow_family(family) || wire::nlri::is_vpls_family(family) {
        attributes.retain(|a| !matches!(a, Attribute::NextHop(_)));
    }
    let attr_len = if carries {
        sizer.attributes_len(&attributes)
    } else {
        0
    };
    let announce_budget = max.saturating_sub(HEADER_LEN + 4 + attr_len);
    let withdraw_budget = max.saturating_sub(HEADER_LEN + 4);

    if native_withdraw {
        for chunk in chunks(std::mem::take(&mut withdraws), withdraw_budget, |n| {
            sizer.nlri_len(family, n)
        }) {
            out.push(Outgoing::Update(Update {
                withdrawn: chunk,
                attributes: Vec::new(),
                nlri: Vec::new(),
            }));
        }
    }
    if native_announce {
        if announce_budget > 0 {
            for chunk in chunks(std::mem::take(&mut announces), announce_budget, |n| {
                sizer.nlri_len(family, n)
            }) {
                out.push(Outgoing::Update(Update {
                    withdrawn: Vec::new(),
                    attributes: attributes.clone(),
                    nlri: chunk,
                }));
            }
        }
        announces.clear();
    }
    if native_withdraw {
        withdraws.clear();
    }
    if withdraws.is_empty() && announces.is_empty() || announce_budget == 0 {
        return;
    }

    // MP_UNREACH_NLRI then MP_REACH_NLRI, each filled up to what the attributes leave.
    let empty_unreach = Attribute::MpUnreach(MpUnreach {
        family,
        nlri: Vec::new(),
    });
    let unreach_base = sizer
        .attributes_len(std::slice::from_ref(&empty_unreach))
        .saturating_sub(3);
    for chunk in mp_chunks(
        std::mem::take(&mut withdraws),
        unreach_base,
        announce_budget,
        |n| sizer.nlri_len(family, n),
    ) {
        let mut list = attributes.clone();
        list.push(Attribute::MpUnreach(MpUnreach {
            family,
            nlri: chunk,
        }));
        out.push(Outgoing::Update(Update {
            withdrawn: Vec::new(),
            attributes: list,
            nlri: Vec::new(),
        }));
    }
    let next_hop = mp_next_hop(attrs, family);
    let empty_reach = Attribute::MpReach(MpReach {
        family,
        next_hop: next_hop.clone(),
        nlri: Vec::new(),
    });
    let reach_base = sizer
        .attributes_len(std::slice::from_ref(&empty_reach))
        .saturating_sub(3);
    for chunk in mp_chunks(
        std::mem::take(&mut announces),
        reach_base,
        announce_budget,
        |n| sizer.nlri_len(family, n),
    ) {
        let mut list = attributes.clone();
        list.push(Attribute::MpReach(MpReach {
            family,
            next_hop: next_hop.clone(),
            nlri: chunk,
        }));
        out.push(Outgoing::Update(Update {
            withdrawn: Vec::new(),
            attributes: list,
            nlri: Vec::new(),
        }));
    }
}

/// The next hops of an MP_REACH_NLRI for `attrs`.
fn mp_next_hop(attrs: &AttrSet, family: Family) -> Vec<IpAddr> {
    match attrs.next_hop {
        Some(hop) => vec![hop],
        // FlowSpec has none; other families need one, ExaBGP sends 0.0.0.0 (4 zero octets).
        None if family.safi == Safi::FLOW || family.safi == Safi::FLOW_VPN => Vec::new(),
        None if family.afi == Afi::IPV6 => vec![IpAddr::V6(std::net::Ipv6Addr::UNSPECIFIED)],
        None => vec![IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED)],
    }
}

/// Splits `nlri` into runs whose sizes sum to at most `budget`; an NLRI larger than the
/// budget on its own stops the packing (it can never be sent, and what follows must not
/// arrive without it), as ExaBGP does.
fn chunks(nlri: Vec<Nlri>, budget: usize, len: impl Fn(&Nlri) -> usize) -> Vec<Vec<Nlri>> {
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut used = 0;
    for n in nlri {
        let size = len(&n);
        if used + size > budget {
            if current.is_empty() {
                break;
            }
            out.push(std::mem::take(&mut current));
            used = 0;
            if size > budget {
                break;
            }
        }
        used += size;
        current.push(n);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

/// Like [`chunks`] for an MP attribute: `base` octets of value before the NLRI, and the
/// whole attribute (3 or 4 octets of header) within `budget`. An NLRI that can not fit even
/// alone is skipped (ExaBGP logs and leaves it out).
fn mp_chunks(
    nlri: Vec<Nlri>,
    base: usize,
    budget: usize,
    len: impl Fn(&Nlri) -> usize,
) -> Vec<Vec<Nlri>> {
    let total = |value: usize| if value > 255 { value + 4 } else { value + 3 };
    let mut out = Vec::new();
    let mut current = Vec::new();
    let mut value = base;
    for n in nlri {
        let size = len(&n);
        if total(base + size) > budget {
            continue;
        }
        if total(value + size) > budget {
            out.push(std::mem::take(&mut current));
            value = base;
        }
        value += size;
        current.push(n);
    }
    if !current.is_empty() {
        out.push(current);
    }
    out
}

#[cfg(test)]
mod tests {
    use wire::nlri::{Label, RouteDistinguisher};

    use super::*;

    fn vpn(rd: u16, prefix: &str, label: u32) -> Nlri {
        Nlri::labeled(
            vec![Label::new(label).unwrap()],
            Some(RouteDistinguisher::asn2(rd, 1)),
            prefix.parse().unwrap(),
        )
    }

    /// ExaBGP's index of an MCAST-VPN route is its octets: a type 1 route before a type 5,
    /// IPv4 (shorter) before IPv6 of one type.
    #[test]
    fn mvpn_routes_sort_by_their_octets() {
        use wire::nlri::{MvpnRoute, MvpnValue};
        let rd = RouteDistinguisher::asn2(1, 1);
        let sa = |source: &str| {
            Nlri::Mvpn(Box::new(MvpnRoute::new(MvpnValue::SourceAd {
                rd,
                source: source.parse().unwrap(),
                group: source.parse().unwrap(),
            })))
        };
        let other = Nlri::Mvpn(Box::new(MvpnRoute::new(MvpnValue::Other {
            code: 1,
            value: vec![9; 30],
        })));
        let mut list = vec![sa("::1"), sa("10.0.0.1"), other.clone()];
        list.sort_by(cmp_nlri);
        assert_eq!(list, [other, sa("10.0.0.1"), sa("::1")]);
    }

    /// ExaBGP's index of a VPN route: length with the RD's bits, RD, prefix; no labels.
    #[test]
    fn vpn_routes_sort_by_length_then_rd_then_prefix() {
        let mut list = vec![
            vpn(1, "10.0.0.0/25", 1),
            vpn(2, "10.0.0.0/24", 1),
            vpn(1, "10.0.1.0/24", 1),
            vpn(1, "10.0.0.0/24", 9),
        ];
        list.sort_by(cmp_nlri);
        assert_eq!(
            list,
            [
                vpn(1, "10.0.0.0/24", 9),
                vpn(1, "10.0.1.0/24", 1),
                vpn(2, "10.0.0.0/24", 1),
                vpn(1, "10.0.0.0/25", 1),
            ]
        );
    }
}
