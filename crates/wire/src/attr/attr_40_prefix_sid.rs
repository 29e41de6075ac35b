//! BGP Prefix-SID, type 40 (RFC 8669 §3): optional transitive, a list of TLVs.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |     Type      |            Length             |   Value ...   |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//! Label-Index TLV (type 1, length 7, RFC 8669 §3.1):
//! | Reserved (1) | Flags (2) | Label Index (4) |
//!
//! Originator SRGB TLV (type 3, length 2 + 6n, RFC 8669 §3.2):
//! | Flags (2) | SRGB 1: Base (3) Range (3) | SRGB 2 ... |
//! ```
//!
//! The SRv6 L3 and L2 Service TLVs (types 5 and 6, RFC 9252 §2) are in [`srv6`]. Other
//! TLV types are kept as their bytes and sent on unchanged (RFC 8669 §6).
//!
//! Error handling (RFC 8669 §6): an empty attribute, a TLV overrunning the attribute, a
//! Label-Index TLV whose length is not 7 or an Originator SRGB TLV whose length is not
//! 2 + 6n (n ≥ 1, as ExaBGP reads it) make the attribute malformed: attribute discard
//! (RFC 7606 §2). A second Label-Index or Originator SRGB TLV is ignored (only the first
//! is used). The same holds for a malformed SRv6 Service TLV.

mod srv6;

pub use srv6::{SidInformation, SidStructure, Srv6Service, Srv6SubSubTlv, Srv6SubTlv};

use super::AttrError;
use crate::error::{EncodeError, Rfc7606Action, WireError, WireErrorKind};
use crate::reader::Reader;

/// Label-Index TLV type (RFC 8669 §3.1).
const LABEL_INDEX: u8 = 0x01;
/// Originator SRGB TLV type (RFC 8669 §3.2).
const ORIGINATOR_SRGB: u8 = 0x03;
/// SRv6 L3 Service TLV type (RFC 9252 §2).
const SRV6_L3_SERVICE: u8 = 0x05;
/// SRv6 L2 Service TLV type (RFC 9252 §2).
const SRV6_L2_SERVICE: u8 = 0x06;
/// The largest value of a 24-bit SRGB field.
const MAX_24: u32 = 0x00ff_ffff;

/// The BGP Prefix-SID attribute: its TLVs in the order received.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct PrefixSid {
    /// The TLVs.
    pub tlvs: Vec<PrefixSidTlv>,
}

/// One TLV of the Prefix-SID attribute.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PrefixSidTlv {
    /// Label-Index TLV (type 1, RFC 8669 §3.1).
    LabelIndex {
        /// Reserved octet, kept as received.
        reserved: u8,
        /// Flags (none defined), kept as received.
        flags: u16,
        /// The label index.
        index: u32,
    },
    /// Originator SRGB TLV (type 3, RFC 8669 §3.2).
    OriginatorSrgb {
        /// Flags (none defined), kept as received.
        flags: u16,
        /// The SRGB ranges, at least one; base and range are 24-bit values.
        ranges: Vec<SrgbRange>,
    },
    /// SRv6 L3 Service TLV (type 5, RFC 9252 §2).
    Srv6L3Service(Srv6Service),
    /// SRv6 L2 Service TLV (type 6, RFC 9252 §2).
    Srv6L2Service(Srv6Service),
    /// Any other TLV, kept as received.
    Unknown {
        /// TLV type.
        kind: u8,
        /// Value octets.
        value: Vec<u8>,
    },
}

/// One range of an Originator SRGB (RFC 8669 §3.2): first label and number of labels,
/// each a 24-bit value on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SrgbRange {
    /// The first label of the range.
    pub base: u32,
    /// How many labels.
    pub range: u32,
}

impl PrefixSid {
    /// Decodes an attribute value (without the attribute header); malformed values fail
    /// with the error at its offset (RFC 8669 §6).
    pub fn decode(value: &[u8]) -> Result<Self, WireError> {
        decode_tlvs(Reader::new(value))
    }

    /// Appends the attribute value (without the attribute header).
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        for tlv in &self.tlvs {
            tlv.encode(out)?;
        }
        Ok(())
    }

    /// The first Label-Index TLV's index, if any.
    pub fn label_index(&self) -> Option<u32> {
        self.tlvs.iter().find_map(|t| match t {
            PrefixSidTlv::LabelIndex { index, .. } => Some(*index),
            _ => None,
        })
    }
}

impl PrefixSidTlv {
    /// The TLV type.
    pub fn kind(&self) -> u8 {
        match self {
            Self::LabelIndex { .. } => LABEL_INDEX,
            Self::OriginatorSrgb { .. } => ORIGINATOR_SRGB,
            Self::Srv6L3Service(_) => SRV6_L3_SERVICE,
            Self::Srv6L2Service(_) => SRV6_L2_SERVICE,
            Self::Unknown { kind, .. } => *kind,
        }
    }

    fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = tlv_start(out, self.kind());
        match self {
            Self::LabelIndex {
                reserved,
                flags,
                index,
            } => {
                out.push(*reserved);
                out.extend_from_slice(&flags.to_be_bytes());
                out.extend_from_slice(&index.to_be_bytes());
            }
            Self::OriginatorSrgb { flags, ranges } => {
                out.extend_from_slice(&flags.to_be_bytes());
                for r in ranges {
                    if r.base > MAX_24 || r.range > MAX_24 {
                        return Err(EncodeError::Unencodable("SRGB value over 24 bits"));
                    }
                    out.extend_from_slice(&r.base.to_be_bytes()[1..]);
                    out.extend_from_slice(&r.range.to_be_bytes()[1..]);
                }
            }
            Self::Srv6L3Service(service) | Self::Srv6L2Service(service) => service.encode(out)?,
            Self::Unknown { value, .. } => out.extend_from_slice(value),
        }
        tlv_finish(out, start, "Prefix-SID TLV")
    }
}

/// Writes a TLV header (type, two-octet length 0) and returns where the length goes.
fn tlv_start(out: &mut Vec<u8>, kind: u8) -> usize {
    out.push(kind);
    out.extend_from_slice(&[0, 0]);
    out.len()
}

/// Fills in the length of the TLV whose value starts at `start`.
fn tlv_finish(out: &mut [u8], start: usize, what: &'static str) -> Result<(), EncodeError> {
    let len = u16::try_from(out.len() - start).map_err(|_| EncodeError::FieldTooLong(what))?;
    out[start - 2..start].copy_from_slice(&len.to_be_bytes());
    Ok(())
}

/// Reads one TLV header (type, two-octet length) and its value.
fn tlv<'a>(r: &mut Reader<'a>, what: &'static str) -> Result<(u8, Reader<'a>), WireError> {
    let kind = r.u8(what)?;
    let len = r.u16(what)?;
    Ok((kind, r.sub(usize::from(len), what)?))
}

fn malformed(r: &Reader<'_>, what: &'static str) -> WireError {
    r.error(WireErrorKind::MalformedAttributeList(what))
}

fn decode_tlvs(mut r: Reader<'_>) -> Result<PrefixSid, WireError> {
    if r.is_empty() {
        return Err(malformed(&r, "Prefix-SID without TLV"));
    }
    let mut out = PrefixSid::default();
    let (mut seen_index, mut seen_srgb) = (false, false);
    while !r.is_empty() {
        let (kind, mut v) = tlv(&mut r, "Prefix-SID TLV")?;
        let tlv = match kind {
            LABEL_INDEX => {
                if v.left() != 7 {
                    return Err(malformed(&v, "Label-Index TLV length"));
                }
                let tlv = PrefixSidTlv::LabelIndex {
                    reserved: v.u8("Label-Index reserved")?,
                    flags: v.u16("Label-Index flags")?,
                    index: v.u32("Label-Index")?,
                };
                if std::mem::replace(&mut seen_index, true) {
                    continue;
                }
                tlv
            }
            ORIGINATOR_SRGB => {
                if v.left() < 8 || (v.left() - 2) % 6 != 0 {
                    return Err(malformed(&v, "Originator SRGB TLV length"));
                }
                let flags = v.u16("SRGB flags")?;
                let mut ranges = Vec::new();
                while !v.is_empty() {
                    let [b0, b1, b2, r0, r1, r2] = v.array::<6>("SRGB")?;
                    ranges.push(SrgbRange {
                        base: u32::from_be_bytes([0, b0, b1, b2]),
                        range: u32::from_be_bytes([0, r0, r1, r2]),
                    });
                }
                if std::mem::replace(&mut seen_srgb, true) {
                    continue;
                }
                PrefixSidTlv::OriginatorSrgb { flags, ranges }
            }
            SRV6_L3_SERVICE => PrefixSidTlv::Srv6L3Service(Srv6Service::decode(v)?),
            SRV6_L2_SERVICE => PrefixSidTlv::Srv6L2Service(Srv6Service::decode(v)?),
            kind => PrefixSidTlv::Unknown {
                kind,
                value: v.rest().to_vec(),
            },
        };
        out.tlvs.push(tlv);
    }
    Ok(out)
}

/// Decodes the value of attribute 40; a malformed one is discarded (RFC 8669 §6).
pub(crate) fn decode(r: Reader<'_>) -> Result<PrefixSid, AttrError> {
    decode_tlvs(r).map_err(|e| AttrError::new(Rfc7606Action::AttributeDiscard, e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::bytes as hex;

    #[test]
    fn conformance_values_round_trip() {
        // conf-prefix-sid.msg lines 1 and 2, conf-srv6-mup.msg line 3.
        for value in [
            "01000700000000000309",
            "0100070000000000012C03000E00000C35000010000F4240001388",
            "0500220001001E0020010DB800010001000000000000000000004800010006401810000000",
        ] {
            let bytes = hex(value);
            let sid = PrefixSid::decode(&bytes).unwrap();
            let mut out = Vec::new();
            sid.encode(&mut out).unwrap();
            assert_eq!(out, bytes, "{value}");
        }
    }

    #[test]
    fn label_index_and_srgb() {
        let sid = PrefixSid::decode(&hex(
            "0100070000000000012C03000E00000C35000010000F4240001388",
        ))
        .unwrap();
        assert_eq!(sid.label_index(), Some(300));
        assert_eq!(
            sid.tlvs[1],
            PrefixSidTlv::OriginatorSrgb {
                flags: 0,
                ranges: vec![
                    SrgbRange {
                        base: 800_000,
                        range: 4096
                    },
                    SrgbRange {
                        base: 1_000_000,
                        range: 5000
                    }
                ]
            }
        );
    }

    #[test]
    fn repeated_label_index_is_ignored_unknown_kept() {
        let sid =
            PrefixSid::decode(&hex("0100070000000000000101000700000000000002090002ABCD")).unwrap();
        assert_eq!(sid.tlvs.len(), 2);
        assert_eq!(sid.label_index(), Some(1));
        assert_eq!(
            sid.tlvs[1],
            PrefixSidTlv::Unknown {
                kind: 9,
                value: vec![0xab, 0xcd]
            }
        );
    }

    #[test]
    fn malformed_values_fail() {
        for value in [
            "",                       // no TLV
            "01",                     // truncated header
            "010008000000000001",     // TLV overruns
            "0100060000000000",       // Label-Index of 6
            "0300020000",             // SRGB without range
            "0300070000000001000001", // SRGB of 2 + 5
        ] {
            assert!(PrefixSid::decode(&hex(value)).is_err(), "{value}");
        }
    }
}
