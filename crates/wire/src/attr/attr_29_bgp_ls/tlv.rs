//! The TLVs of the BGP-LS Attribute and their layouts.
//!
//! | code | TLV | RFC | layout |
//! |---|---|---|---|
//! | 1024 | Node Flag Bits | 7752 §3.3.1.1 | 1 octet of flags |
//! | 1025, 1097, 1157 | Opaque Node / Link / Prefix Attribute | 7752 §3.3 | octets |
//! | 1026, 1098 | Node Name, Link Name | 7752 §3.3.1.3, §3.3.2.7 | up to 255 octets |
//! | 1027 | IS-IS Area Identifier | 7752 §3.3.1.2 | 1 or more octets |
//! | 1028, 1029 | IPv4/IPv6 Router-ID of Local Node | 7752 §3.3.1.4 | 4 or 16 octets |
//! | 1030, 1031 | IPv4/IPv6 Router-ID of Remote Node | 7752 §3.3.2.1 | 4 or 16 octets |
//! | 1034 | SR Capabilities | 9085 §2.1.2 | flags, reserved, ranges (size + SID/Label 1161) |
//! | 1035 | SR Algorithm | 9085 §2.1.3 | one octet per algorithm |
//! | 1038 | SRv6 Capabilities | 9514 §3.1 | flags (2), reserved (2) |
//! | 1088 | Administrative group | 7752 §3.3.2 | 4 octets |
//! | 1089, 1090 | Maximum / reservable link bandwidth | 7752 §3.3.2 | IEEE float |
//! | 1091 | Unreserved bandwidth | 7752 §3.3.2 | 8 IEEE floats |
//! | 1092 | TE Default Metric | 7752 §3.3.2.3 | 4 octets |
//! | 1093 | Link Protection Type | 7752 §3.3.2.2 | 2 octets (flags, reserved) |
//! | 1094 | MPLS Protocol Mask | 7752 §3.3.2.2 | 1 octet of flags |
//! | 1095 | IGP Metric | 7752 §3.3.2.4 | 1, 2 or 3 octets |
//! | 1096 | Shared Risk Link Group | 7752 §3.3.2.5 | 4 octets each |
//! | 1099 | Adjacency SID | 9085 §2.2.1 | flags, weight, reserved (2), SIDs |
//! | 1100 | LAN Adjacency SID | 9085 §2.2.2 | flags, weight, reserved (2), System-ID (6), SIDs |
//! | 1106 | SRv6 End.X SID | 9514 §4.1 | behavior (2), flags, algorithm, weight, reserved, SID (16), sub-TLVs |
//! | 1107, 1108 | SRv6 LAN End.X SID (IS-IS, OSPFv3) | 9514 §4.2 | as 1106 with the neighbor (6 or 4) |
//! | 1152 | IGP Flags | 7752 §3.3.3.1 | 1 octet of flags |
//! | 1153, 1154 | IGP Route Tag, Extended Route Tag | 7752 §3.3.3.2–3 | 4 / 8 octets each |
//! | 1155 | Prefix Metric | 7752 §3.3.3.4 | 4 octets |
//! | 1156 | OSPF Forwarding Address | 7752 §3.3.3.5 | 4 or 16 octets |
//! | 1158 | Prefix SID | 9085 §2.3.1 | flags, algorithm, reserved (2), SID |
//! | 1162 | SRv6 Locator | 9514 §5.1 | flags, algorithm, reserved (2), metric (4) |
//! | 1170 | Prefix Attribute Flags | 9085 §2.3.2 | flags |
//! | 1171 | Source Router Identifier | 9085 §2.3.3 | 4 or 16 octets |
//! | 1250 | SRv6 Endpoint Behavior | 9514 §7.1 | behavior (2), flags, algorithm |
//! | 1252 | SRv6 SID Structure | 9514 §8 | four lengths |
//!
//! A SID of an Adjacency or Prefix SID TLV is a 3-octet label when the V and L flags are
//! both set, a 4-octet index when both are clear; in the other cases the octets are kept
//! undecoded. Other codes are [`LsValue::Generic`].

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use crate::nlri::bgpls::next_tlv;
use crate::nlri::bgpls::view::address;

/// SRv6 SID Structure sub-TLV / TLV (RFC 9514 §8).
pub const SRV6_SID_STRUCTURE: u16 = 1252;

/// An Adjacency SID (1099) or LAN Adjacency SID (1100).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SrAdjacency<'a> {
    /// Flags octet (F B V L S P).
    pub flags: u8,
    /// Weight.
    pub weight: u8,
    /// The neighbor's System-ID (LAN Adjacency SID only).
    pub system_id: Option<&'a [u8]>,
    /// SIDs / labels.
    pub sids: Vec<u32>,
    /// Octets left undecoded (V and L flags disagree).
    pub undecoded: Option<&'a [u8]>,
}

/// The neighbor of an SRv6 LAN End.X SID.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndXNeighbor<'a> {
    /// IS-IS System-ID (1107).
    Isis(&'a [u8]),
    /// OSPFv3 Router-ID (1108).
    Ospf(Ipv4Addr),
}

/// An SRv6 End.X SID (1106) or LAN End.X SID (1107, 1108).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Srv6EndX<'a> {
    /// Endpoint behavior.
    pub behavior: u16,
    /// Flags octet (B S P).
    pub flags: u8,
    /// Algorithm.
    pub algorithm: u8,
    /// Weight.
    pub weight: u8,
    /// The neighbor (LAN End.X SID only).
    pub neighbor: Option<EndXNeighbor<'a>>,
    /// The SID.
    pub sid: Ipv6Addr,
    /// Sub-TLVs (code, value); an SRv6 SID Structure value has at least 4 octets.
    pub sub_tlvs: Vec<(u16, &'a [u8])>,
}

/// One BGP-LS Attribute TLV read into its value.
#[derive(Debug, Clone, PartialEq)]
pub enum LsValue<'a> {
    /// A flags octet (1024, 1093, 1094, 1152, 1170; the first octet of the value).
    Flags(u8),
    /// An unsigned number (1088, 1092, 1095, 1155).
    Unsigned(u64),
    /// Octets shown as text (1025, 1026, 1097, 1098, 1157).
    Text(&'a [u8]),
    /// IS-IS area identifier octets (1027), a number of any size.
    AreaId(&'a [u8]),
    /// An address (1028–1031, 1156, 1171).
    Address(IpAddr),
    /// A bandwidth in bytes per second (1089, 1090).
    Bandwidth(f32),
    /// The eight unreserved bandwidths (1091).
    Bandwidths([f32; 8]),
    /// A list of numbers (1035, 1096, 1153, 1154).
    List(Vec<u64>),
    /// SR Capabilities (1034): flags and (range size, first SID/label) pairs.
    SrCapabilities {
        /// Flags octet (I V).
        flags: u8,
        /// Ranges.
        ranges: Vec<(u32, u32)>,
    },
    /// SRv6 Capabilities (1038): the O-flag bit as a value (0 or 64).
    Srv6Capabilities(u16),
    /// Adjacency SID (1099) or LAN Adjacency SID (1100).
    SrAdjacency(SrAdjacency<'a>),
    /// SRv6 End.X SID (1106) or LAN End.X SID (1107, 1108).
    Srv6EndX(Srv6EndX<'a>),
    /// Prefix SID (1158).
    SrPrefix {
        /// Flags octet (R N P E V L).
        flags: u8,
        /// Algorithm.
        algorithm: u8,
        /// SIDs / labels.
        sids: Vec<u32>,
        /// Octets left undecoded.
        undecoded: Option<&'a [u8]>,
    },
    /// SRv6 Locator (1162).
    Srv6Locator {
        /// Flags octet (D).
        flags: u8,
        /// Algorithm.
        algorithm: u8,
        /// Metric.
        metric: u32,
    },
    /// SRv6 Endpoint Behavior (1250).
    Srv6EndpointBehavior {
        /// Endpoint behavior.
        behavior: u16,
        /// Algorithm.
        algorithm: u8,
    },
    /// SRv6 SID Structure (1252): block, node, function and argument lengths.
    Srv6SidStructure([u8; 4]),
    /// Any other code: the value octets.
    Generic(&'a [u8]),
}

type Parsed<'a> = Result<LsValue<'a>, &'static str>;

fn exact<const N: usize>(v: &[u8], what: &'static str) -> Result<[u8; N], &'static str> {
    <[u8; N]>::try_from(v).map_err(|_| what)
}

fn first(v: &[u8], what: &'static str) -> Result<u8, &'static str> {
    v.first().copied().ok_or(what)
}

fn numbers<'a>(v: &'a [u8], size: usize, what: &'static str) -> Parsed<'a> {
    if v.len() % size != 0 {
        return Err(what);
    }
    Ok(LsValue::List(
        v.chunks(size)
            .map(|c| c.iter().fold(0u64, |acc, b| (acc << 8) | u64::from(*b)))
            .collect(),
    ))
}

fn be(v: &[u8]) -> u32 {
    v.iter().fold(0, |acc, b| (acc << 8) | u32::from(*b))
}

impl<'a> LsValue<'a> {
    /// Reads the value of TLV `code`; `Err` says why it is malformed.
    pub fn parse(code: u16, v: &'a [u8]) -> Parsed<'a> {
        Ok(match code {
            1024 | 1094 | 1152 => LsValue::Flags(exact::<1>(v, "flags length")?[0]),
            1093 => LsValue::Flags(exact::<2>(v, "link protection length")?[0]),
            1170 => LsValue::Flags(first(v, "no flags")?),
            1025 | 1097 | 1157 => LsValue::Text(v),
            1026 | 1098 if v.len() > 255 => return Err("name longer than 255"),
            1026 | 1098 => LsValue::Text(v),
            1027 if v.is_empty() => return Err("empty area identifier"),
            1027 => LsValue::AreaId(v),
            1028..=1031 | 1156 | 1171 => LsValue::Address(address(v).ok_or("address length")?),
            1034 => sr_capabilities(v)?,
            1035 if v.is_empty() => LsValue::List(vec![0]),
            1035 => LsValue::List(v.iter().map(|b| u64::from(*b)).collect()),
            1038 => LsValue::Srv6Capabilities(be(v.get(..2).unwrap_or(v)) as u16 & 0x40),
            1088 | 1092 | 1155 => LsValue::Unsigned(u64::from(be(&exact::<4>(v, "length not 4")?))),
            1089 | 1090 => LsValue::Bandwidth(f32::from_be_bytes(exact(v, "bandwidth length")?)),
            1091 => {
                let all = exact::<32>(v, "unreserved bandwidth length")?;
                let mut out = [0f32; 8];
                for (o, c) in out.iter_mut().zip(all.chunks_exact(4)) {
                    *o = f32::from_be_bytes([c[0], c[1], c[2], c[3]]);
                }
                LsValue::Bandwidths(out)
            }
            1095 => match v.len() {
                1..=3 => LsValue::Unsigned(u64::from(be(v))),
                _ => return Err("IGP metric length"),
            },
            1096 | 1153 => numbers(v, 4, "length not a multiple of 4")?,
            1154 => numbers(v, 8, "length not a multiple of 8")?,
            1099 | 1100 => LsValue::SrAdjacency(sr_adjacency(v, code == 1100)?),
            1106..=1108 => LsValue::Srv6EndX(srv6_endx(v, code)?),
            1158 => sr_prefix(v)?,
            1162 => {
                let h = v.get(..8).ok_or("SRv6 Locator shorter than 8")?;
                LsValue::Srv6Locator {
                    flags: h[0],
                    algorithm: h[1],
                    metric: be(&h[4..8]),
                }
            }
            1250 => {
                let h = v.get(..4).ok_or("SRv6 Endpoint Behavior shorter than 4")?;
                LsValue::Srv6EndpointBehavior {
                    behavior: u16::from_be_bytes([h[0], h[1]]),
                    algorithm: h[3],
                }
            }
            SRV6_SID_STRUCTURE => LsValue::Srv6SidStructure(sid_structure(v)?),
            _ => LsValue::Generic(v),
        })
    }
}

/// The four lengths of an SRv6 SID Structure (at least 4 octets).
pub fn sid_structure(v: &[u8]) -> Result<[u8; 4], &'static str> {
    let h = v.get(..4).ok_or("SRv6 SID Structure shorter than 4")?;
    Ok([h[0], h[1], h[2], h[3]])
}

fn sr_capabilities(v: &[u8]) -> Parsed<'_> {
    let flags = first(v, "no flags")?;
    let mut rest = v.get(2..).unwrap_or_default();
    let mut ranges = Vec::new();
    while !rest.is_empty() {
        let head = rest.get(..7).ok_or("SR Capabilities range truncated")?;
        let size = be(&head[..3]);
        if u16::from_be_bytes([head[3], head[4]]) != 1161 {
            return Err("SR Capabilities range without SID/Label sub-TLV");
        }
        let len = usize::from(u16::from_be_bytes([head[5], head[6]]));
        if len == 3 || len == 4 {
            let sid = rest.get(7..7 + len).ok_or("SID/Label truncated")?;
            let value = if len == 3 { be(sid) & 0xfffff } else { be(sid) };
            ranges.push((size, value));
        }
        rest = rest.get(7 + len..).unwrap_or_default();
    }
    Ok(LsValue::SrCapabilities { flags, ranges })
}

/// Reads SIDs as labels (`label`: 3 octets), indexes (4 octets), or keeps them undecoded.
fn sids(
    mut rest: &[u8],
    label: bool,
    index: bool,
) -> Result<(Vec<u32>, Option<&[u8]>), &'static str> {
    let mut out = Vec::new();
    while !rest.is_empty() {
        let size = if label {
            3
        } else if index {
            4
        } else {
            return Ok((out, Some(rest)));
        };
        let sid = rest.get(..size).ok_or("SID truncated")?;
        out.push(be(sid));
        rest = rest.get(size..).unwrap_or_default();
    }
    Ok((out, None))
}

fn sr_adjacency(v: &[u8], lan: bool) -> Result<SrAdjacency<'_>, &'static str> {
    let (min, head) = if lan { (10, 10) } else { (2, 4) };
    if v.len() < min {
        return Err("Adjacency SID too short");
    }
    let flags = v[0];
    let (sids, undecoded) = sids(
        v.get(head..).unwrap_or_default(),
        flags & 0x30 == 0x30,
        flags & 0x30 == 0,
    )?;
    Ok(SrAdjacency {
        flags,
        weight: v[1],
        system_id: if lan { v.get(4..10) } else { None },
        sids,
        undecoded,
    })
}

fn sr_prefix(v: &[u8]) -> Parsed<'_> {
    if v.len() < 2 {
        return Err("Prefix SID too short");
    }
    let flags = v[0];
    let rest = v.get(4..).unwrap_or_default();
    let (label, index) = (flags & 0x0c == 0x0c, flags & 0x0c == 0);
    if index && !rest.is_empty() && rest.len() != 4 {
        return Err("Prefix SID index length");
    }
    let (sids, undecoded) = sids(rest, label, index)?;
    Ok(LsValue::SrPrefix {
        flags,
        algorithm: v[1],
        sids,
        undecoded,
    })
}

fn srv6_endx(v: &[u8], code: u16) -> Result<Srv6EndX<'_>, &'static str> {
    let (neighbor_len, fixed) = match code {
        1107 => (6, 28),
        1108 => (4, 26),
        _ => (0, 22),
    };
    if v.len() < fixed {
        return Err("SRv6 End.X SID too short");
    }
    let neighbor = match code {
        1107 => Some(EndXNeighbor::Isis(&v[6..12])),
        1108 => Some(EndXNeighbor::Ospf(Ipv4Addr::new(v[6], v[7], v[8], v[9]))),
        _ => None,
    };
    let at = 6 + neighbor_len;
    let sid: [u8; 16] = v[at..at + 16].try_into().map_err(|_| "SID length")?;
    let mut rest = &v[at + 16..];
    let mut sub_tlvs = Vec::new();
    // RFC 9552 §8.2.2: sub-TLV lengths are checked; a remnant shorter than a header is
    // ignored, as ExaBGP does.
    while rest.len() >= 4 {
        let (sub, value, next) = next_tlv(rest).ok_or("sub-TLV overruns the TLV")?;
        if sub == SRV6_SID_STRUCTURE {
            sid_structure(value)?;
        }
        sub_tlvs.push((sub, value));
        rest = next;
    }
    Ok(Srv6EndX {
        behavior: u16::from_be_bytes([v[0], v[1]]),
        flags: v[2],
        algorithm: v[3],
        weight: v[4],
        neighbor,
        sid: Ipv6Addr::from(sid),
        sub_tlvs,
    })
}
