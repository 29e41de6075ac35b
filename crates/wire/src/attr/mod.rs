//! Path attributes (RFC 4271 §4.3, §5) and their extensions.
//!
//! ```text
//! 0                   1
//! 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Attr. Flags  |Attr. Type Code|   then 1 or 2 octets of length (Extended Length bit)
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```
//!
//! Flags: bit 0 Optional, bit 1 Transitive, bit 2 Partial, bit 3 Extended Length.
//!
//! One file per code point (`attr_<code>_<name>.rs`) holds the value's diagram, its
//! decoder and encoder and its RFC 7606 §7 error handling; `list.rs` walks the attribute
//! list of an UPDATE (duplicates, flags, lengths, RFC 6793 §4.2.3 AS4 reconciliation) and
//! [`encode_attributes`] writes one back.

mod attr_10_cluster_list;
mod attr_14_mp_reach;
mod attr_15_mp_unreach;
mod attr_16_extended_communities;
mod attr_17_as4_path;
mod attr_18_as4_aggregator;
mod attr_1_origin;
mod attr_22_pmsi_tunnel;
mod attr_26_aigp;
pub mod attr_29_bgp_ls;
mod attr_2_as_path;
mod attr_32_large_communities;
mod attr_3_next_hop;
mod attr_40_prefix_sid;
mod attr_4_med;
mod attr_5_local_pref;
mod attr_6_atomic_aggregate;
mod attr_7_aggregator;
mod attr_8_communities;
mod attr_9_originator_id;
pub(crate) mod list;

use std::net::{IpAddr, Ipv4Addr};

use crate::asn::Asn;
use crate::ctx::EncodeCtx;
use crate::error::{EncodeError, Rfc7606Action, WireError};
use crate::family::Family;
use crate::nlri::Nlri;

pub use attr_22_pmsi_tunnel::PmsiTunnel;
pub use attr_29_bgp_ls::LinkState;
pub(crate) use attr_3_next_hop::is_invalid as is_invalid_next_hop;
pub use attr_40_prefix_sid::{
    PrefixSid, PrefixSidTlv, SidInformation, SidStructure, SrgbRange, Srv6Service, Srv6SubSubTlv,
    Srv6SubTlv,
};

/// Attribute flags octet (RFC 4271 §4.3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct AttrFlags(pub u8);

impl AttrFlags {
    /// Optional (1) or well-known (0).
    pub const OPTIONAL: u8 = 0x80;
    /// Transitive.
    pub const TRANSITIVE: u8 = 0x40;
    /// Partial: an optional transitive attribute some speaker did not recognise.
    pub const PARTIAL: u8 = 0x20;
    /// Two-octet length follows.
    pub const EXTENDED_LENGTH: u8 = 0x10;

    /// True when the bit(s) in `mask` are all set.
    pub fn has(self, mask: u8) -> bool {
        self.0 & mask == mask
    }
}

/// Attribute type code (IANA "BGP Path Attributes"), an open set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AttrCode(pub u8);

impl AttrCode {
    /// ORIGIN (RFC 4271).
    pub const ORIGIN: Self = Self(0x01);
    /// AS_PATH (RFC 4271).
    pub const AS_PATH: Self = Self(0x02);
    /// NEXT_HOP (RFC 4271).
    pub const NEXT_HOP: Self = Self(0x03);
    /// MULTI_EXIT_DISC (RFC 4271).
    pub const MED: Self = Self(0x04);
    /// LOCAL_PREF (RFC 4271).
    pub const LOCAL_PREF: Self = Self(0x05);
    /// ATOMIC_AGGREGATE (RFC 4271).
    pub const ATOMIC_AGGREGATE: Self = Self(0x06);
    /// AGGREGATOR (RFC 4271, RFC 6793).
    pub const AGGREGATOR: Self = Self(0x07);
    /// COMMUNITIES (RFC 1997).
    pub const COMMUNITIES: Self = Self(0x08);
    /// ORIGINATOR_ID (RFC 4456).
    pub const ORIGINATOR_ID: Self = Self(0x09);
    /// CLUSTER_LIST (RFC 4456).
    pub const CLUSTER_LIST: Self = Self(0x0a);
    /// MP_REACH_NLRI (RFC 4760).
    pub const MP_REACH_NLRI: Self = Self(0x0e);
    /// MP_UNREACH_NLRI (RFC 4760).
    pub const MP_UNREACH_NLRI: Self = Self(0x0f);
    /// EXTENDED COMMUNITIES (RFC 4360).
    pub const EXTENDED_COMMUNITIES: Self = Self(0x10);
    /// AS4_PATH (RFC 6793).
    pub const AS4_PATH: Self = Self(0x11);
    /// AS4_AGGREGATOR (RFC 6793).
    pub const AS4_AGGREGATOR: Self = Self(0x12);
    /// PMSI_TUNNEL (RFC 6514).
    pub const PMSI_TUNNEL: Self = Self(0x16);
    /// AIGP (RFC 7311).
    pub const AIGP: Self = Self(0x1a);
    /// BGP-LS Attribute (RFC 7752).
    pub const BGP_LS: Self = Self(0x1d);
    /// LARGE_COMMUNITY (RFC 8092).
    pub const LARGE_COMMUNITIES: Self = Self(0x20);
    /// BGP Prefix-SID (RFC 8669).
    pub const PREFIX_SID: Self = Self(0x28);
}

/// ORIGIN values (RFC 4271 §5.1.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Origin {
    /// 0: learned by an interior protocol.
    Igp,
    /// 1: learned by EGP.
    Egp,
    /// 2: learned some other way.
    Incomplete,
}

/// AS_PATH segment types (RFC 4271 §4.3, RFC 5065 §3).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum SegmentType {
    /// 1: AS_SET.
    Set,
    /// 2: AS_SEQUENCE.
    Sequence,
    /// 3: AS_CONFED_SEQUENCE.
    ConfedSequence,
    /// 4: AS_CONFED_SET.
    ConfedSet,
}

/// One AS_PATH segment.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct AsSegment {
    /// Segment type.
    pub kind: SegmentType,
    /// The ASNs, in order.
    pub asns: Vec<Asn>,
}

/// An AS_PATH, always held with four-octet ASNs; the codec narrows it (and emits AS4_PATH)
/// for a peer without the ASN4 capability, and merges AS4_PATH on receipt (RFC 6793 §4.2.3).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct AsPath(pub Vec<AsSegment>);

/// AGGREGATOR (RFC 4271 §5.1.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Aggregator {
    /// The aggregating AS (four-octet form after AS4_AGGREGATOR reconciliation).
    pub asn: Asn,
    /// The aggregating speaker.
    pub ip: Ipv4Addr,
}

/// A standard community (RFC 1997).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Community(pub u32);

impl Community {
    /// NO_EXPORT.
    pub const NO_EXPORT: Self = Self(0xFFFF_FF01);
    /// NO_ADVERTISE.
    pub const NO_ADVERTISE: Self = Self(0xFFFF_FF02);
    /// NO_EXPORT_SUBCONFED.
    pub const NO_EXPORT_SUBCONFED: Self = Self(0xFFFF_FF03);
    /// NOPEER (RFC 3765).
    pub const NOPEER: Self = Self(0xFFFF_FF04);
    /// BLACKHOLE (RFC 7999).
    pub const BLACKHOLE: Self = Self(0xFFFF_029A);
}

/// An extended community (RFC 4360), kept as its eight octets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ExtCommunity(pub [u8; 8]);

/// A large community (RFC 8092).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LargeCommunity {
    /// Global administrator.
    pub global: u32,
    /// First local data part.
    pub local1: u32,
    /// Second local data part.
    pub local2: u32,
}

/// MP_REACH_NLRI (RFC 4760 §3).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MpReach {
    /// The family of the NLRI.
    pub family: Family,
    /// Next hops: none (FlowSpec), one, or global + link-local for IPv6 (RFC 2545).
    pub next_hop: Vec<IpAddr>,
    /// The NLRI announced.
    pub nlri: Vec<Nlri>,
}

/// MP_UNREACH_NLRI (RFC 4760 §4). No NLRI at all is the End-of-RIB marker of the family.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MpUnreach {
    /// The family of the NLRI.
    pub family: Family,
    /// The NLRI withdrawn.
    pub nlri: Vec<Nlri>,
}

/// One path attribute, decoded where this crate knows the code, raw otherwise.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Attribute {
    /// ORIGIN (1).
    Origin(Origin),
    /// AS_PATH (2), merged with AS4_PATH when that was received.
    AsPath(AsPath),
    /// NEXT_HOP (3).
    NextHop(Ipv4Addr),
    /// MULTI_EXIT_DISC (4).
    Med(u32),
    /// LOCAL_PREF (5).
    LocalPref(u32),
    /// ATOMIC_AGGREGATE (6).
    AtomicAggregate,
    /// AGGREGATOR (7), merged with AS4_AGGREGATOR when that was received.
    Aggregator(Aggregator),
    /// COMMUNITIES (8).
    Communities(Vec<Community>),
    /// ORIGINATOR_ID (9).
    OriginatorId(Ipv4Addr),
    /// CLUSTER_LIST (10).
    ClusterList(Vec<Ipv4Addr>),
    /// MP_REACH_NLRI (14).
    MpReach(MpReach),
    /// MP_UNREACH_NLRI (15).
    MpUnreach(MpUnreach),
    /// EXTENDED COMMUNITIES (16).
    ExtCommunities(Vec<ExtCommunity>),
    /// AIGP (26): the accumulated IGP metric TLV.
    Aigp(u64),
    /// LARGE_COMMUNITY (32).
    LargeCommunities(Vec<LargeCommunity>),
    /// BGP Prefix-SID (40, RFC 8669, RFC 9252).
    PrefixSid(PrefixSid),
    /// Any other attribute, or one kept as received: flags, code and value bytes.
    Raw {
        /// Flags as received or configured. With the Extended Length bit set the length
        /// goes out on two octets even when it fits in one (as ExaBGP does for generic
        /// attributes); the bit is added anyway when the value exceeds 255 octets.
        flags: AttrFlags,
        /// Type code.
        code: AttrCode,
        /// Value octets.
        data: Vec<u8>,
    },
    /// BGP-LS Attribute (29, RFC 7752 §3.3).
    LinkState(LinkState),
}

/// A failure inside one attribute's value, with the RFC 7606 action it calls for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct AttrError {
    /// What to do.
    pub(crate) action: Rfc7606Action,
    /// Where and what (for a session reset, the kind gives the NOTIFICATION).
    pub(crate) error: WireError,
}

impl AttrError {
    /// An error calling for `action`.
    pub(crate) fn new(action: Rfc7606Action, error: WireError) -> Self {
        Self { action, error }
    }
}

impl AttrCode {
    /// The Optional and Transitive bits this crate expects for the code points it knows
    /// (RFC 4271 §5, and the RFC of each attribute); `None` for other codes.
    pub fn expected_flags(self) -> Option<u8> {
        const WK: u8 = AttrFlags::TRANSITIVE;
        const OT: u8 = AttrFlags::OPTIONAL | AttrFlags::TRANSITIVE;
        const ON: u8 = AttrFlags::OPTIONAL;
        Some(match self {
            Self::ORIGIN
            | Self::AS_PATH
            | Self::NEXT_HOP
            | Self::LOCAL_PREF
            | Self::ATOMIC_AGGREGATE => WK,
            Self::MED
            | Self::ORIGINATOR_ID
            | Self::CLUSTER_LIST
            | Self::MP_REACH_NLRI
            | Self::MP_UNREACH_NLRI
            | Self::AIGP
            | Self::BGP_LS => ON,
            Self::AGGREGATOR
            | Self::COMMUNITIES
            | Self::EXTENDED_COMMUNITIES
            | Self::AS4_PATH
            | Self::AS4_AGGREGATOR
            | Self::PMSI_TUNNEL
            | Self::LARGE_COMMUNITIES
            | Self::PREFIX_SID => OT,
            _ => return None,
        })
    }
}

impl Attribute {
    /// The attribute's type code.
    pub fn code(&self) -> AttrCode {
        match self {
            Self::Origin(_) => AttrCode::ORIGIN,
            Self::AsPath(_) => AttrCode::AS_PATH,
            Self::NextHop(_) => AttrCode::NEXT_HOP,
            Self::Med(_) => AttrCode::MED,
            Self::LocalPref(_) => AttrCode::LOCAL_PREF,
            Self::AtomicAggregate => AttrCode::ATOMIC_AGGREGATE,
            Self::Aggregator(_) => AttrCode::AGGREGATOR,
            Self::Communities(_) => AttrCode::COMMUNITIES,
            Self::OriginatorId(_) => AttrCode::ORIGINATOR_ID,
            Self::ClusterList(_) => AttrCode::CLUSTER_LIST,
            Self::MpReach(_) => AttrCode::MP_REACH_NLRI,
            Self::MpUnreach(_) => AttrCode::MP_UNREACH_NLRI,
            Self::ExtCommunities(_) => AttrCode::EXTENDED_COMMUNITIES,
            Self::Aigp(_) => AttrCode::AIGP,
            Self::LargeCommunities(_) => AttrCode::LARGE_COMMUNITIES,
            Self::PrefixSid(_) => AttrCode::PREFIX_SID,
            Self::Raw { code, .. } => *code,
            Self::LinkState(_) => AttrCode::BGP_LS,
        }
    }

    /// The flags the attribute is sent with (the Extended Length bit is also set on encode
    /// when the value needs it).
    pub fn flags(&self) -> AttrFlags {
        match self {
            Self::Raw { flags, .. } => *flags,
            _ => AttrFlags(self.code().expected_flags().unwrap_or(AttrFlags::OPTIONAL)),
        }
    }

    /// Appends the attribute (flags, code, length, value) as sent on a session with `ctx`.
    ///
    /// AS_PATH and AGGREGATOR are narrowed to two-octet ASNs when `!ctx.asn4`; the AS4_PATH
    /// and AS4_AGGREGATOR that go with them are added by [`encode_attributes`].
    pub fn encode(&self, ctx: &EncodeCtx, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        out.push(self.flags().0);
        out.push(self.code().0);
        out.push(0);
        match self {
            Self::Origin(origin) => attr_1_origin::encode(*origin, out),
            Self::AsPath(path) => attr_2_as_path::encode_segments(path, ctx.asn4, out),
            Self::NextHop(ip) | Self::OriginatorId(ip) => out.extend_from_slice(&ip.octets()),
            Self::Med(v) | Self::LocalPref(v) => out.extend_from_slice(&v.to_be_bytes()),
            Self::AtomicAggregate => {}
            Self::Aggregator(agg) => attr_7_aggregator::encode(agg, ctx.asn4, out),
            Self::Communities(list) => {
                for c in list {
                    out.extend_from_slice(&c.0.to_be_bytes());
                }
            }
            Self::ClusterList(list) => {
                for ip in list {
                    out.extend_from_slice(&ip.octets());
                }
            }
            Self::MpReach(mp) => {
                attr_14_mp_reach::check_extended_next_hop(mp, &ctx.extended_next_hop)?;
                attr_14_mp_reach::encode(mp, ctx.add_path(mp.family), out)?
            }
            Self::MpUnreach(mp) => attr_15_mp_unreach::encode(mp, ctx.add_path(mp.family), out)?,
            Self::ExtCommunities(list) => {
                for c in list {
                    out.extend_from_slice(&c.0);
                }
            }
            Self::Aigp(metric) => attr_26_aigp::encode(*metric, out),
            Self::LargeCommunities(list) => attr_32_large_communities::encode(list, out),
            Self::PrefixSid(sid) => sid.encode(out)?,
            Self::Raw { data, .. } => out.extend_from_slice(data),
            Self::LinkState(ls) => ls.encode(out)?,
        }
        // ExaBGP sends End-of-RIB's empty MP_UNREACH with a two-octet length; a raw
        // attribute keeps the length size its flags ask for.
        let force_extended = match self {
            Self::MpUnreach(mp) => mp.nlri.is_empty(),
            Self::Raw { flags, .. } => flags.has(AttrFlags::EXTENDED_LENGTH),
            _ => false,
        };
        finish_header(out, start, force_extended)
    }
}

/// Fixes the length of the attribute that starts at `start` (header written with a
/// one-octet length of 0), switching to a two-octet length when needed.
fn finish_header(out: &mut Vec<u8>, start: usize, force_extended: bool) -> Result<(), EncodeError> {
    let len = out.len() - start - 3;
    if len <= 255 && !force_extended {
        // The three header octets were pushed by the caller.
        out[start + 2] = len as u8;
        return Ok(());
    }
    let len = u16::try_from(len).map_err(|_| EncodeError::FieldTooLong("path attribute"))?;
    out[start] |= AttrFlags::EXTENDED_LENGTH;
    out.insert(start + 2, 0);
    out[start + 2..start + 4].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

/// Appends a path attribute list in the order given, as sent on a session with `ctx`.
///
/// For a peer without the 4-octet ASN capability (`!ctx.asn4`), AS_PATH is sent with
/// AS_TRANS in place of four-octet-only ASNs and followed by an AS4_PATH holding the real
/// path without confederation segments; an AGGREGATOR with a four-octet-only AS is
/// followed by AS4_AGGREGATOR (RFC 6793 §4.2.2). Attributes already in the list as
/// [`Attribute::Raw`] AS4_PATH / AS4_AGGREGATOR are sent as given instead. An
/// [`Attribute::Aigp`] is left out unless `ctx.aigp` (RFC 7311 §3.1).
pub fn encode_attributes(
    attrs: &[Attribute],
    ctx: &EncodeCtx,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    let has_raw = |code| {
        attrs
            .iter()
            .any(|a| matches!(a, Attribute::Raw { code: c, .. } if *c == code))
    };
    let add_as4_path = !ctx.asn4 && !has_raw(AttrCode::AS4_PATH);
    let add_as4_agg = !ctx.asn4 && !has_raw(AttrCode::AS4_AGGREGATOR);
    for attr in attrs {
        // RFC 7311 §3.1: AIGP is never sent where AIGP_SESSION is disabled.
        if matches!(attr, Attribute::Aigp(_)) && !ctx.aigp {
            continue;
        }
        attr.encode(ctx, out)?;
        match attr {
            Attribute::AsPath(path) if add_as4_path && path.has_four_byte_only() => {
                let confed_free = AsPath(
                    path.0
                        .iter()
                        .filter(|s| !s.kind.is_confed())
                        .cloned()
                        .collect(),
                );
                if !confed_free.0.is_empty() {
                    let start = out.len();
                    out.extend_from_slice(&[
                        AttrFlags::OPTIONAL | AttrFlags::TRANSITIVE,
                        AttrCode::AS4_PATH.0,
                        0,
                    ]);
                    attr_2_as_path::encode_segments(&confed_free, true, out);
                    finish_header(out, start, false)?;
                }
            }
            Attribute::Aggregator(agg) if add_as4_agg && agg.asn.is_four_byte_only() => {
                let start = out.len();
                out.extend_from_slice(&[
                    AttrFlags::OPTIONAL | AttrFlags::TRANSITIVE,
                    AttrCode::AS4_AGGREGATOR.0,
                    0,
                ]);
                attr_7_aggregator::encode(agg, true, out);
                finish_header(out, start, false)?;
            }
            _ => {}
        }
    }
    Ok(())
}
