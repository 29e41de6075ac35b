//! SRv6 Service TLVs of the Prefix-SID attribute (RFC 9252 §2, §3).
//!
//! ```text
//! SRv6 L3 / L2 Service TLV (types 5, 6; RFC 9252 §2):
//! | Type (1) | Length (2) | Reserved (1) | SRv6 Service Sub-TLVs ... |
//!
//! SRv6 Service Sub-TLV (RFC 9252 §3): | Type (1) | Length (2) | Value |
//!
//! SRv6 SID Information Sub-TLV (type 1, RFC 9252 §3.1):
//! | Reserved1 (1) | SRv6 SID (16) | Flags (1) | Endpoint Behavior (2) | Reserved2 (1) |
//! | SRv6 Service Data Sub-Sub-TLVs ... |
//!
//! SRv6 SID Structure Sub-Sub-TLV (type 1, length 6, RFC 9252 §3.2.1):
//! | Locator Block Len | Locator Node Len | Function Len | Argument Len |
//! | Transposition Len | Transposition Offset |                (one octet each)
//! ```
//!
//! Sub-TLVs and sub-sub-TLVs of other types are kept as their bytes. A Service TLV
//! without its reserved octet, a sub-TLV overrunning its TLV, a SID Information sub-TLV
//! shorter than 21 octets or a SID Structure that is not 6 octets make the Prefix-SID
//! attribute malformed (attribute discard, as RFC 8669 §6).

use std::net::Ipv6Addr;

use super::{malformed, tlv, tlv_finish, tlv_start};
use crate::error::{EncodeError, WireError};
use crate::reader::Reader;

/// SRv6 SID Information sub-TLV type (RFC 9252 §3.1).
const SID_INFORMATION: u8 = 0x01;
/// SRv6 SID Structure sub-sub-TLV type (RFC 9252 §3.2.1).
const SID_STRUCTURE: u8 = 0x01;

/// The value of an SRv6 L3 or L2 Service TLV (RFC 9252 §2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Srv6Service {
    /// Reserved octet, kept as received.
    pub reserved: u8,
    /// The SRv6 Service sub-TLVs.
    pub sub_tlvs: Vec<Srv6SubTlv>,
}

/// An SRv6 Service sub-TLV (RFC 9252 §3).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Srv6SubTlv {
    /// SRv6 SID Information (type 1, RFC 9252 §3.1).
    SidInformation(SidInformation),
    /// Any other sub-TLV, kept as received.
    Unknown {
        /// Sub-TLV type.
        kind: u8,
        /// Value octets.
        value: Vec<u8>,
    },
}

/// The SRv6 SID Information sub-TLV (RFC 9252 §3.1).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SidInformation {
    /// First reserved octet, kept as received.
    pub reserved1: u8,
    /// The SRv6 SID.
    pub sid: Ipv6Addr,
    /// SID flags (none defined), kept as received.
    pub flags: u8,
    /// The endpoint behavior (IANA "SRv6 Endpoint Behaviors"; 0xFFFF opaque).
    pub behavior: u16,
    /// Second reserved octet, kept as received.
    pub reserved2: u8,
    /// The SRv6 Service Data sub-sub-TLVs.
    pub sub_sub_tlvs: Vec<Srv6SubSubTlv>,
}

/// An SRv6 Service Data sub-sub-TLV (RFC 9252 §3.2).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Srv6SubSubTlv {
    /// SRv6 SID Structure (type 1, RFC 9252 §3.2.1).
    Structure(SidStructure),
    /// Any other sub-sub-TLV, kept as received.
    Unknown {
        /// Sub-sub-TLV type.
        kind: u8,
        /// Value octets.
        value: Vec<u8>,
    },
}

/// The SRv6 SID Structure sub-sub-TLV (RFC 9252 §3.2.1), lengths in bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct SidStructure {
    /// Locator block length.
    pub locator_block_len: u8,
    /// Locator node length.
    pub locator_node_len: u8,
    /// Function length.
    pub function_len: u8,
    /// Argument length.
    pub argument_len: u8,
    /// Transposition length.
    pub transposition_len: u8,
    /// Transposition offset.
    pub transposition_offset: u8,
}

impl Srv6Service {
    pub(super) fn decode(mut r: Reader<'_>) -> Result<Self, WireError> {
        let reserved = r.u8("SRv6 Service TLV reserved")?;
        let mut sub_tlvs = Vec::new();
        while !r.is_empty() {
            let (kind, v) = tlv(&mut r, "SRv6 Service sub-TLV")?;
            sub_tlvs.push(match kind {
                SID_INFORMATION => Srv6SubTlv::SidInformation(SidInformation::decode(v)?),
                kind => Srv6SubTlv::Unknown {
                    kind,
                    value: v.peek_rest().to_vec(),
                },
            });
        }
        Ok(Self { reserved, sub_tlvs })
    }

    pub(super) fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.reserved);
        for sub in &self.sub_tlvs {
            match sub {
                Srv6SubTlv::SidInformation(info) => {
                    let start = tlv_start(out, SID_INFORMATION);
                    info.encode(out)?;
                    tlv_finish(out, start, "SRv6 SID Information sub-TLV")?;
                }
                Srv6SubTlv::Unknown { kind, value } => {
                    let start = tlv_start(out, *kind);
                    out.extend_from_slice(value);
                    tlv_finish(out, start, "SRv6 Service sub-TLV")?;
                }
            }
        }
        Ok(())
    }
}

impl SidInformation {
    fn decode(mut r: Reader<'_>) -> Result<Self, WireError> {
        if r.left() < 21 {
            return Err(malformed(&r, "SRv6 SID Information sub-TLV length"));
        }
        let reserved1 = r.u8("SRv6 SID Information")?;
        let sid = Ipv6Addr::from(r.array::<16>("SRv6 SID")?);
        let flags = r.u8("SRv6 SID flags")?;
        let behavior = r.u16("SRv6 endpoint behavior")?;
        let reserved2 = r.u8("SRv6 SID Information")?;
        let mut sub_sub_tlvs = Vec::new();
        while !r.is_empty() {
            let (kind, mut v) = tlv(&mut r, "SRv6 Service Data sub-sub-TLV")?;
            sub_sub_tlvs.push(match kind {
                SID_STRUCTURE => {
                    if v.left() != 6 {
                        return Err(malformed(&v, "SRv6 SID Structure length"));
                    }
                    let [a, b, c, d, e, f] = v.array::<6>("SRv6 SID Structure")?;
                    Srv6SubSubTlv::Structure(SidStructure {
                        locator_block_len: a,
                        locator_node_len: b,
                        function_len: c,
                        argument_len: d,
                        transposition_len: e,
                        transposition_offset: f,
                    })
                }
                kind => Srv6SubSubTlv::Unknown {
                    kind,
                    value: v.peek_rest().to_vec(),
                },
            });
        }
        Ok(Self {
            reserved1,
            sid,
            flags,
            behavior,
            reserved2,
            sub_sub_tlvs,
        })
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.reserved1);
        out.extend_from_slice(&self.sid.octets());
        out.push(self.flags);
        out.extend_from_slice(&self.behavior.to_be_bytes());
        out.push(self.reserved2);
        for sub in &self.sub_sub_tlvs {
            match sub {
                Srv6SubSubTlv::Structure(s) => {
                    let start = tlv_start(out, SID_STRUCTURE);
                    out.extend_from_slice(&[
                        s.locator_block_len,
                        s.locator_node_len,
                        s.function_len,
                        s.argument_len,
                        s.transposition_len,
                        s.transposition_offset,
                    ]);
                    tlv_finish(out, start, "SRv6 SID Structure")?;
                }
                Srv6SubSubTlv::Unknown { kind, value } => {
                    let start = tlv_start(out, *kind);
                    out.extend_from_slice(value);
                    tlv_finish(out, start, "SRv6 Service Data sub-sub-TLV")?;
                }
            }
        }
        Ok(())
    }
}
