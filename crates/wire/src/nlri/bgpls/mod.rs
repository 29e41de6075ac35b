//! BGP-LS NLRI (RFC 7752 §3.2, RFC 9552; AFI 16388, SAFI 71 and 72) and the SRv6 SID NLRI
//! (RFC 9514 §6).
//!
//! ```text
//! +-------------------------------+-------------------------------+
//! |  NLRI Type (2 octets)         |  Total NLRI Length (2 octets) |
//! +-------------------------------+-------------------------------+
//! |  Route Distinguisher (8 octets, SAFI 72 only)                 |
//! +---------------+-----------------------------------------------+
//! |  Protocol-ID  |  Identifier (8 octets)                        |
//! +---------------+-----------------------------------------------+
//! //  TLVs: Local Node Descriptors (256), Remote Node Descriptors  //
//! //  (257), link / prefix / SRv6 SID descriptors                   //
//! +---------------------------------------------------------------+
//! ```
//!
//! NLRI types: 1 Node, 2 Link, 3 IPv4 Topology Prefix, 4 IPv6 Topology Prefix (RFC 7752
//! §3.2), 6 SRv6 SID (RFC 9514 §6). The descriptor TLVs are kept in wire order as
//! [`LsTlv`]s, so a route re-encodes octet for octet; [`view`] reads them (node descriptor
//! sub-TLVs, link identifiers, addresses, IP reachability).
//!
//! Errors (RFC 7752 §8.2.2, RFC 7606 §5.3): an entry whose header or Total NLRI Length
//! does not fit the NLRI field is (3,10) Invalid Network Field; an entry whose framing holds
//! but whose descriptors are malformed (truncated TLV, bad sub-TLV length, node descriptor
//! sub-TLVs out of order, missing mandatory TLV) is kept as [`Nlri::Opaque`] and its UPDATE
//! is treated as withdraw, as a malformed FlowSpec NLRI is. The checks are those ExaBGP 5
//! makes, so both refuse the same routes.

pub mod view;

use super::labeled::RouteDistinguisher;
use super::{Nlri, PathId};
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// NLRI type: Node (RFC 7752 §3.2).
pub const NODE: u16 = 1;
/// NLRI type: Link.
pub const LINK: u16 = 2;
/// NLRI type: IPv4 Topology Prefix.
pub const PREFIX_V4: u16 = 3;
/// NLRI type: IPv6 Topology Prefix.
pub const PREFIX_V6: u16 = 4;
/// NLRI type: SRv6 SID (RFC 9514 §6).
pub const SRV6_SID: u16 = 6;

/// True for the BGP-LS families (SAFI 71 and the VPN SAFI 72).
pub fn is_bgp_ls_family(family: Family) -> bool {
    family.afi == Afi::BGP_LS && (family.safi == Safi::BGP_LS || family.safi == Safi::BGP_LS_VPN)
}

/// One TLV (RFC 7752 §3.1): a two-octet type and the value octets (the length is the
/// value's).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct LsTlv {
    /// Type code.
    pub code: u16,
    /// Value octets.
    pub value: Vec<u8>,
}

impl LsTlv {
    /// Appends type, length and value.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let len =
            u16::try_from(self.value.len()).map_err(|_| EncodeError::FieldTooLong("BGP-LS TLV"))?;
        out.extend_from_slice(&self.code.to_be_bytes());
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(&self.value);
        Ok(())
    }
}

/// Splits `bytes` into TLVs; `None` when a header is truncated or a length overruns.
pub fn split_tlvs(mut bytes: &[u8]) -> Option<Vec<LsTlv>> {
    let mut out = Vec::new();
    while !bytes.is_empty() {
        let (code, value, rest) = next_tlv(bytes)?;
        out.push(LsTlv {
            code,
            value: value.to_vec(),
        });
        bytes = rest;
    }
    Some(out)
}

/// The first TLV of `bytes` (code, value) and what follows it.
pub(crate) fn next_tlv(bytes: &[u8]) -> Option<(u16, &[u8], &[u8])> {
    let code = u16::from_be_bytes([*bytes.first()?, *bytes.get(1)?]);
    let len = usize::from(u16::from_be_bytes([*bytes.get(2)?, *bytes.get(3)?]));
    let value = bytes.get(4..4 + len)?;
    Some((code, value, bytes.get(4 + len..)?))
}

/// A BGP-LS NLRI entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct BgpLs {
    /// ADD-PATH identifier, when ADD-PATH is negotiated for the family.
    pub path_id: Option<PathId>,
    /// NLRI Type.
    pub code: u16,
    /// Route Distinguisher (SAFI 72, known NLRI types only).
    pub rd: Option<RouteDistinguisher>,
    /// What follows the header (and RD).
    pub body: LsBody,
}

/// The part of a BGP-LS NLRI after its header.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum LsBody {
    /// A Node, Link, Prefix or SRv6 SID NLRI: Protocol-ID, Identifier and descriptor TLVs.
    Objects {
        /// Protocol-ID (RFC 7752 §3.2: 1 IS-IS L1, 2 IS-IS L2, 3 OSPFv2, 4 Direct,
        /// 5 Static, 6 OSPFv3, 7 BGP …).
        protocol: u8,
        /// Identifier: the routing universe (RFC 7752 §3.2, 0 is the default topology).
        identifier: u64,
        /// Descriptor TLVs in wire order.
        tlvs: Vec<LsTlv>,
    },
    /// An NLRI type without a decoder: the octets after the header (RD included).
    Unknown(Vec<u8>),
}

/// True for the NLRI types this module decodes.
pub fn is_known_type(code: u16) -> bool {
    matches!(code, NODE | LINK | PREFIX_V4 | PREFIX_V6 | SRV6_SID)
}

impl BgpLs {
    /// Appends the entry (path identifier when `add_path`, header, RD, body).
    pub fn encode(&self, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if add_path {
            out.extend_from_slice(&self.path_id.unwrap_or_default().0.to_be_bytes());
        }
        out.extend_from_slice(&self.code.to_be_bytes());
        let len_at = out.len();
        out.extend_from_slice(&[0, 0]);
        if let Some(rd) = &self.rd {
            out.extend_from_slice(&rd.0);
        }
        match &self.body {
            LsBody::Objects {
                protocol,
                identifier,
                tlvs,
            } => {
                out.push(*protocol);
                out.extend_from_slice(&identifier.to_be_bytes());
                for tlv in tlvs {
                    tlv.encode(out)?;
                }
            }
            LsBody::Unknown(bytes) => out.extend_from_slice(bytes),
        }
        let len = u16::try_from(out.len() - len_at - 2)
            .map_err(|_| EncodeError::FieldTooLong("BGP-LS NLRI"))?;
        out[len_at..len_at + 2].copy_from_slice(&len.to_be_bytes());
        Ok(())
    }

    /// Octets the entry takes on the wire.
    pub fn encoded_len(&self, add_path: bool) -> usize {
        let body = match &self.body {
            LsBody::Objects { tlvs, .. } => {
                9 + tlvs.iter().map(|t| 4 + t.value.len()).sum::<usize>()
            }
            LsBody::Unknown(bytes) => bytes.len(),
        };
        usize::from(add_path) * 4 + 4 + self.rd.map_or(0, |_| 8) + body
    }

    /// Decodes one entry of `family` (path identifier already read). A malformed entry
    /// whose framing holds comes back as [`Nlri::Opaque`] (treat-as-withdraw).
    pub(crate) fn decode(
        r: &mut Reader<'_>,
        family: Family,
        path_id: Option<PathId>,
    ) -> Result<Nlri, WireError> {
        let at = r.offset();
        let invalid = |what| WireError::new(at, WireErrorKind::InvalidNetworkField(what));
        let head = r.peek_rest();
        if head.len() < 4 {
            return Err(invalid("BGP-LS NLRI header"));
        }
        let code = u16::from_be_bytes([head[0], head[1]]);
        let len = usize::from(u16::from_be_bytes([head[2], head[3]]));
        let entry = r
            .take(4 + len, "BGP-LS NLRI")
            .map_err(|_| invalid("BGP-LS NLRI length overruns the NLRI field"))?;
        let body = &entry[4..];
        let opaque = || {
            let mut raw = path_id
                .map(|id| id.0.to_be_bytes().to_vec())
                .unwrap_or_default();
            raw.extend_from_slice(entry);
            Nlri::Opaque(raw)
        };
        if !is_known_type(code) {
            return Ok(Nlri::BgpLs(Box::new(Self {
                path_id,
                code,
                rd: None,
                body: LsBody::Unknown(body.to_vec()),
            })));
        }
        let (rd, body) = if family.safi == Safi::BGP_LS_VPN {
            let Some((rd, rest)) = body.split_first_chunk::<8>() else {
                return Ok(opaque());
            };
            (Some(RouteDistinguisher(*rd)), rest)
        } else {
            (None, body)
        };
        let Some((&protocol, rest)) = body.split_first() else {
            return Ok(opaque());
        };
        let Some((identifier, tlvs)) = rest.split_first_chunk::<8>() else {
            return Ok(opaque());
        };
        let Some(tlvs) = split_tlvs(tlvs) else {
            return Ok(opaque());
        };
        let nlri = Self {
            path_id,
            code,
            rd,
            body: LsBody::Objects {
                protocol,
                identifier: u64::from_be_bytes(*identifier),
                tlvs,
            },
        };
        if view::Descriptors::parse(&nlri).is_err() {
            return Ok(opaque());
        }
        Ok(Nlri::BgpLs(Box::new(nlri)))
    }
}

#[cfg(test)]
mod tests;
