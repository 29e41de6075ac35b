//! The path attribute list of an UPDATE (RFC 4271 §4.3, §6.3) decoded with the error
//! handling of RFC 7606 and the 4-octet AS reconciliation of RFC 6793 §4.2.3.
//!
//! RFC 7606 rules applied here:
//! - §4: fewer than 3 octets (4 with Extended Length) left for a header, or an attribute
//!   length overrunning the Total Path Attribute Length → treat-as-withdraw, parsing stops
//!   (the NLRI field is still found through the total length).
//! - §3 g: a repeated attribute is discarded (first one kept), except MP_REACH_NLRI /
//!   MP_UNREACH_NLRI → session reset (3,1).
//! - §3 c: Optional/Transitive bits in conflict with the attribute's definition →
//!   treat-as-withdraw (the value is still decoded, so MP NLRI can be withdrawn).
//! - RFC 4271 §6.3: an unrecognised well-known attribute → session reset (3,2) with the
//!   attribute as data; unrecognised optional attributes are kept [`Attribute::Raw`].
//! - §7: each attribute's own action, decided in its `attr_<code>_*.rs` file.

use super::{
    attr_10_cluster_list, attr_14_mp_reach, attr_15_mp_unreach, attr_16_extended_communities,
    attr_17_as4_path, attr_18_as4_aggregator, attr_1_origin, attr_22_pmsi_tunnel, attr_26_aigp,
    attr_29_bgp_ls, attr_2_as_path, attr_32_large_communities, attr_3_next_hop, attr_40_prefix_sid,
    attr_4_med, attr_5_local_pref, attr_6_atomic_aggregate, attr_7_aggregator, attr_8_communities,
    attr_9_originator_id, Aggregator, AsPath, AsSegment, AttrCode, AttrError, AttrFlags, Attribute,
    Community, SegmentType,
};
use crate::asn::Asn;
use crate::ctx::DecodeCtx;
use crate::error::{Rfc7606Action, WireError, WireErrorKind};
use crate::message::AttrIssue;
use crate::reader::Reader;

/// A decoded attribute list and what was wrong with it.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    /// Attributes kept, in wire order (AS4_PATH / AS4_AGGREGATOR merged away).
    pub(crate) attrs: Vec<Attribute>,
    /// Problems found.
    pub(crate) issues: Vec<AttrIssue>,
}

impl Parsed {
    fn issue(&mut self, code: AttrCode, action: Rfc7606Action, reason: String) {
        self.issues.push(AttrIssue {
            code,
            action,
            reason,
        });
    }
}

/// Decodes the attribute list held by `r` (exactly the Total Path Attribute Length).
pub(crate) fn decode_list(mut r: Reader<'_>, ctx: &DecodeCtx) -> Result<Parsed, WireError> {
    let mut out = Parsed::default();
    let mut seen = [false; 256];
    let mut as4_path = None;
    let mut as4_agg = None;
    while !r.is_empty() {
        let start = r.offset();
        let head = r.peek_rest();
        let code = AttrCode(head.get(1).copied().unwrap_or(0));
        let flags = AttrFlags(head.first().copied().unwrap_or(0));
        let header_len = if flags.has(AttrFlags::EXTENDED_LENGTH) {
            4
        } else {
            3
        };
        if r.left() < header_len {
            out.issue(
                code,
                Rfc7606Action::TreatAsWithdraw,
                format!(
                    "at offset {start}: {} octets left for an attribute header",
                    r.left()
                ),
            );
            break;
        }
        let header = r.take(header_len, "attribute header")?;
        let len = if header_len == 4 {
            usize::from(u16::from_be_bytes([header[2], header[3]]))
        } else {
            usize::from(header[2])
        };
        if len > r.left() {
            out.issue(
                code,
                Rfc7606Action::TreatAsWithdraw,
                format!(
                    "at offset {start}: attribute length {len} overruns the path attributes ({} left)",
                    r.left()
                ),
            );
            break;
        }
        let value = r.sub(len, "attribute value")?;
        // A raw attribute keeps the Extended Length bit only where the length does not
        // imply it, so that it is sent back the same way.
        let raw_flags = if len > 255 {
            AttrFlags(flags.0 & !AttrFlags::EXTENDED_LENGTH)
        } else {
            flags
        };
        let index = usize::from(code.0);
        if seen[index] {
            if code == AttrCode::MP_REACH_NLRI || code == AttrCode::MP_UNREACH_NLRI {
                return Err(WireError::new(
                    start,
                    WireErrorKind::MalformedAttributeList(
                        "duplicate MP_REACH_NLRI / MP_UNREACH_NLRI",
                    ),
                ));
            }
            out.issue(
                code,
                Rfc7606Action::AttributeDiscard,
                format!(
                    "at offset {start}: duplicate attribute {}, first kept",
                    code.0
                ),
            );
            continue;
        }
        seen[index] = true;
        // RFC 7311 §3.2: where AIGP_SESSION is disabled, AIGP is handled exactly as an
        // unrecognised non-transitive attribute: quietly ignored (not kept, not passed on).
        let aigp_ignored = code == AttrCode::AIGP && !ctx.aigp;
        let known = if aigp_ignored {
            None
        } else {
            code.expected_flags()
        };
        let Some(expected) = known else {
            if !flags.has(AttrFlags::OPTIONAL) {
                let mut data = header.to_vec();
                data.extend_from_slice(value.peek_rest());
                return Err(WireError::new(
                    start,
                    WireErrorKind::UnrecognizedWellKnown { code: code.0, data },
                ));
            }
            if aigp_ignored {
                continue;
            }
            out.attrs.push(Attribute::Raw {
                flags: raw_flags,
                code,
                data: value.peek_rest().to_vec(),
            });
            continue;
        };
        if flags.0 & (AttrFlags::OPTIONAL | AttrFlags::TRANSITIVE) != expected {
            out.issue(
                code,
                Rfc7606Action::TreatAsWithdraw,
                format!(
                    "at offset {start}: flags {:#04x} conflict with attribute {} (expected {expected:#04x})",
                    flags.0, code.0
                ),
            );
        }
        let raw = || Attribute::Raw {
            flags: raw_flags,
            code,
            data: value.peek_rest().to_vec(),
        };
        let v = value.clone();
        let decoded: Result<Option<Attribute>, AttrError> = match code {
            AttrCode::ORIGIN => attr_1_origin::decode(v).map(|o| Some(Attribute::Origin(o))),
            AttrCode::AS_PATH => attr_2_as_path::decode(v, ctx).map(|p| Some(Attribute::AsPath(p))),
            AttrCode::NEXT_HOP => attr_3_next_hop::decode(v).map(|ip| Some(Attribute::NextHop(ip))),
            AttrCode::MED => {
                attr_4_med::decode_u32(v, "MED length").map(|m| Some(Attribute::Med(m)))
            }
            AttrCode::LOCAL_PREF => {
                attr_5_local_pref::decode(v, ctx).map(|p| Some(Attribute::LocalPref(p)))
            }
            AttrCode::ATOMIC_AGGREGATE => {
                attr_6_atomic_aggregate::decode(v).map(|()| Some(Attribute::AtomicAggregate))
            }
            AttrCode::AGGREGATOR => {
                attr_7_aggregator::decode(v, ctx.asn4).map(|a| Some(Attribute::Aggregator(a)))
            }
            AttrCode::COMMUNITIES => attr_8_communities::decode_items::<4>(v, "COMMUNITIES length")
                .map(|items| {
                    Some(Attribute::Communities(
                        items
                            .into_iter()
                            .map(|b| Community(u32::from_be_bytes(b)))
                            .collect(),
                    ))
                }),
            AttrCode::ORIGINATOR_ID => attr_9_originator_id::decode_originator(v, ctx)
                .map(|ip| Some(Attribute::OriginatorId(ip))),
            AttrCode::CLUSTER_LIST => attr_10_cluster_list::decode_cluster_list(v, ctx)
                .map(|l| Some(Attribute::ClusterList(l))),
            AttrCode::MP_REACH_NLRI => attr_14_mp_reach::decode(v, ctx)
                .map(|mp| Some(mp.map_or_else(raw, Attribute::MpReach))),
            AttrCode::MP_UNREACH_NLRI => {
                attr_15_mp_unreach::decode(v, ctx).map(|mp| Some(Attribute::MpUnreach(mp)))
            }
            AttrCode::EXTENDED_COMMUNITIES => {
                attr_16_extended_communities::decode(v).map(|l| Some(Attribute::ExtCommunities(l)))
            }
            AttrCode::AS4_PATH => attr_17_as4_path::decode(v, ctx).map(|p| {
                as4_path = Some((start, p));
                None
            }),
            AttrCode::AS4_AGGREGATOR => attr_18_as4_aggregator::decode(v, ctx).map(|a| {
                as4_agg = Some((start, a));
                None
            }),
            AttrCode::PMSI_TUNNEL => attr_22_pmsi_tunnel::decode(v).map(|()| Some(raw())),
            AttrCode::AIGP => {
                attr_26_aigp::decode(v).map(|m| Some(m.map_or_else(raw, Attribute::Aigp)))
            }
            AttrCode::BGP_LS => attr_29_bgp_ls::decode(v).map(|ls| Some(Attribute::LinkState(ls))),
            AttrCode::LARGE_COMMUNITIES => {
                attr_32_large_communities::decode(v).map(|l| Some(Attribute::LargeCommunities(l)))
            }
            AttrCode::PREFIX_SID => {
                attr_40_prefix_sid::decode(v).map(|sid| Some(Attribute::PrefixSid(sid)))
            }
            _ => Ok(Some(raw())),
        };
        match decoded {
            Ok(Some(attr)) => {
                if let Some(reason) = malformed_flow(&attr).or_else(|| malformed_l2vpn(&attr, ctx))
                {
                    out.issue(code, Rfc7606Action::TreatAsWithdraw, reason);
                }
                out.attrs.push(attr)
            }
            Ok(None) => {}
            Err(e) if e.action == Rfc7606Action::SessionReset => return Err(e.error),
            Err(e) => out.issue(code, e.action, e.error.to_string()),
        }
    }
    reconcile(&mut out, as4_path, as4_agg);
    if let Some(first) = ctx.first_as {
        check_first_as(&mut out, first, ctx.asn4);
    }
    Ok(out)
}

/// RFC 6793 §4.2.3: merge AS4_AGGREGATOR and AS4_PATH (only ever kept on a session
/// without ASN4) into AGGREGATOR and AS_PATH.
fn reconcile(
    out: &mut Parsed,
    mut as4_path: Option<(usize, AsPath)>,
    as4_agg: Option<(usize, Aggregator)>,
) {
    if let Some((at, agg4)) = as4_agg {
        let agg = out.attrs.iter_mut().find_map(|a| match a {
            Attribute::Aggregator(agg) => Some(agg),
            _ => None,
        });
        match agg {
            Some(agg) if agg.asn == Asn::TRANS => *agg = agg4,
            Some(_) => {
                out.issue(
                    AttrCode::AS4_AGGREGATOR,
                    Rfc7606Action::AttributeDiscard,
                    format!("at offset {at}: AGGREGATOR is not AS_TRANS, AS4_AGGREGATOR and AS4_PATH ignored"),
                );
                as4_path = None;
            }
            None => out.issue(
                AttrCode::AS4_AGGREGATOR,
                Rfc7606Action::AttributeDiscard,
                format!("at offset {at}: AS4_AGGREGATOR without AGGREGATOR ignored"),
            ),
        }
    }
    let Some((at, path4)) = as4_path else {
        return;
    };
    let path = out.attrs.iter_mut().find_map(|a| match a {
        Attribute::AsPath(p) => Some(p),
        _ => None,
    });
    let Some(path) = path else {
        out.issue(
            AttrCode::AS4_PATH,
            Rfc7606Action::AttributeDiscard,
            format!("at offset {at}: AS4_PATH without AS_PATH ignored"),
        );
        return;
    };
    if path.count() < path4.count() {
        out.issue(
            AttrCode::AS4_PATH,
            Rfc7606Action::AttributeDiscard,
            format!("at offset {at}: AS4_PATH longer than AS_PATH ignored"),
        );
        return;
    }
    *path = merge(path, path4);
}

/// The leading ASNs of `path` that AS4_PATH does not cover (and leading confederation
/// segments), followed by AS4_PATH; two sequences meeting at the seam are joined.
pub(crate) fn merge(path: &AsPath, path4: AsPath) -> AsPath {
    let mut wanted = path.count() - path4.count();
    let mut segments: Vec<AsSegment> = Vec::new();
    for segment in &path.0 {
        // Confederation segments count nothing and AS4_PATH never has them: keep the
        // leading ones even when no ASN is wanted.
        if wanted == 0 && !segment.kind.is_confed() {
            break;
        }
        match segment.kind {
            SegmentType::Sequence if segment.asns.len() > wanted => {
                segments.push(AsSegment {
                    kind: SegmentType::Sequence,
                    asns: segment.asns.iter().take(wanted).copied().collect(),
                });
                wanted = 0;
            }
            SegmentType::Sequence => {
                wanted -= segment.asns.len();
                segments.push(segment.clone());
            }
            SegmentType::Set => {
                wanted -= 1;
                segments.push(segment.clone());
            }
            SegmentType::ConfedSequence | SegmentType::ConfedSet => segments.push(segment.clone()),
        }
    }
    // Join the seam when a cut sequence meets the first AS4_PATH sequence.
    let mut rest = path4.0.into_iter();
    if let Some(first) = rest.next() {
        match segments.last_mut() {
            Some(last)
                if last.kind == SegmentType::Sequence && first.kind == SegmentType::Sequence =>
            {
                last.asns.extend(first.asns);
            }
            _ => segments.push(first),
        }
    }
    segments.extend(rest);
    AsPath(segments)
}

/// RFC 4271 §6.3 "enforce first AS": the leftmost AS must be the peer's.
fn check_first_as(out: &mut Parsed, peer: Asn, asn4: bool) {
    let Some(path) = out.attrs.iter().find_map(|a| match a {
        Attribute::AsPath(p) => Some(p),
        _ => None,
    }) else {
        return;
    };
    let first = path.first_asn();
    let ok =
        first == Some(peer) || (!asn4 && peer.is_four_byte_only() && first == Some(Asn::TRANS));
    if !ok {
        out.issue(
            AttrCode::AS_PATH,
            Rfc7606Action::TreatAsWithdraw,
            format!(
                "leftmost AS {} is not the peer AS {peer}",
                first.map_or_else(|| "(none)".to_owned(), |a| a.to_string())
            ),
        );
    }
}

/// An EVPN or VPLS field whose framing held but one of whose routes is malformed (kept as
/// one opaque field by `nlri::decode::decode_l2vpn`): the UPDATE is treated as withdraw (RFC 7606
/// §2; malformed rows 49 and 50).
fn malformed_l2vpn(attr: &Attribute, ctx: &DecodeCtx) -> Option<String> {
    let (family, nlri) = match attr {
        Attribute::MpReach(mp) => (mp.family, &mp.nlri),
        Attribute::MpUnreach(mp) => (mp.family, &mp.nlri),
        _ => return None,
    };
    nlri.iter().find_map(|n| match n {
        crate::Nlri::Opaque(field) if crate::nlri::l2vpn_check::is_checked_family(family) => Some(
            crate::nlri::l2vpn_check::malformed_entry(family, field, ctx.add_path(family))
                .unwrap_or_else(|| format!("malformed {family} route")),
        ),
        _ => None,
    })
}

/// A FlowSpec or BGP-LS NLRI whose framing held but whose value is malformed is kept
/// opaque; its UPDATE is treated as withdraw (RFC 8955 §10, RFC 7752 §8.2.2, RFC 7606 §2;
/// malformed row 48).
fn malformed_flow(attr: &Attribute) -> Option<String> {
    let (family, nlri) = match attr {
        Attribute::MpReach(mp) => (mp.family, &mp.nlri),
        Attribute::MpUnreach(mp) => (mp.family, &mp.nlri),
        _ => return None,
    };
    let what = if crate::nlri::is_flow_family(family) {
        "FlowSpec"
    } else if crate::nlri::is_bgp_ls_family(family) {
        // RFC 7752 §8.2.2: a malformed Link-State NLRI, treat-as-withdraw.
        "BGP-LS"
    } else {
        return None;
    };
    nlri.iter().find_map(|n| match n {
        crate::Nlri::Opaque(bytes) => Some(format!(
            "malformed {what} NLRI {} in {family}",
            bytes.iter().map(|b| format!("{b:02x}")).collect::<String>()
        )),
        _ => None,
    })
}
