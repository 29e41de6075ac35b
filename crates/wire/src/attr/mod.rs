//! Path attributes (RFC 4271 §4.3, §5) and their extensions.
//!
//! ```text
//! 0                   1
//! 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |  Attr. Flags  |Attr. Type Code|   then 1 or 2 octets of length (Extended Length bit)
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use std::net::{IpAddr, Ipv4Addr};

use crate::asn::Asn;
use crate::family::Family;
use crate::nlri::Nlri;

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
    /// Any other attribute, or one kept as received: flags, code and value bytes.
    Raw {
        /// Flags as received (the extended-length bit is recomputed on encode).
        flags: AttrFlags,
        /// Type code.
        code: AttrCode,
        /// Value octets.
        data: Vec<u8>,
    },
}
