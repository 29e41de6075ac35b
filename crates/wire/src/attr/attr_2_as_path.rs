//! AS_PATH, type 2 (RFC 4271 §4.3 b, §5.1.2; RFC 5065 §3 for the confederation segments;
//! RFC 6793 for the octet width). Well-known mandatory.
//!
//! ```text
//! +-----------------+-----------------+------------------------------+
//! | segment type(1) | segment len (1) | len × ASN (2 or 4 octets)    |
//! +-----------------+-----------------+------------------------------+
//! types: 1 AS_SET, 2 AS_SEQUENCE, 3 AS_CONFED_SEQUENCE, 4 AS_CONFED_SET
//! ```
//!
//! ASNs are two octets unless both sides negotiated the 4-octet ASN capability. Malformed
//! (zero-length segment, overrun, a trailing odd octet, unknown segment type), or AS_CONFED
//! segments from an external peer: treat-as-withdraw (RFC 7606 §7.2). Segments longer than
//! 255 ASNs are split when encoding.

use super::{AsPath, AsSegment, AttrError, SegmentType};
use crate::asn::Asn;
use crate::ctx::DecodeCtx;
use crate::error::{Rfc7606Action, WireError, WireErrorKind};
use crate::reader::Reader;

/// Decodes the segments of an AS_PATH or AS4_PATH value, with `four`-octet ASNs or not.
pub(crate) fn decode_segments(mut r: Reader<'_>, four: bool) -> Result<AsPath, WireError> {
    let mut segments = Vec::new();
    while !r.is_empty() {
        let kind = match r.u8("AS_PATH segment type")? {
            1 => SegmentType::Set,
            2 => SegmentType::Sequence,
            3 => SegmentType::ConfedSequence,
            4 => SegmentType::ConfedSet,
            _ => {
                return Err(WireError::new(
                    r.offset() - 1,
                    WireErrorKind::MalformedAttributeList("AS_PATH segment type"),
                ))
            }
        };
        let count = r.u8("AS_PATH segment length")?;
        if count == 0 {
            return Err(WireError::new(
                r.offset() - 1,
                WireErrorKind::MalformedAttributeList("AS_PATH segment length 0"),
            ));
        }
        let mut asns = Vec::with_capacity(usize::from(count));
        for _ in 0..count {
            let asn = if four {
                r.u32("AS_PATH segment")?
            } else {
                u32::from(r.u16("AS_PATH segment")?)
            };
            asns.push(Asn(asn));
        }
        segments.push(AsSegment { kind, asns });
    }
    Ok(AsPath(segments))
}

/// Decodes an AS_PATH value.
pub(crate) fn decode(r: Reader<'_>, ctx: &DecodeCtx) -> Result<AsPath, AttrError> {
    let start = r.offset();
    let taw = |e| AttrError::new(Rfc7606Action::TreatAsWithdraw, e);
    let path = decode_segments(r, ctx.asn4).map_err(taw)?;
    if ctx.ibgp == Some(false) && path.0.iter().any(|s| s.kind.is_confed()) {
        return Err(taw(WireError::new(
            start,
            WireErrorKind::MalformedAttributeList("AS_CONFED segment from an external peer"),
        )));
    }
    Ok(path)
}

/// Encodes segments with `four`-octet ASNs, or two-octet ones (AS_TRANS for the others).
pub(crate) fn encode_segments(path: &AsPath, four: bool, out: &mut Vec<u8>) {
    for segment in &path.0 {
        let kind = match segment.kind {
            SegmentType::Set => 1,
            SegmentType::Sequence => 2,
            SegmentType::ConfedSequence => 3,
            SegmentType::ConfedSet => 4,
        };
        for chunk in segment.asns.chunks(255) {
            out.push(kind);
            // `chunks(255)` yields at most 255 items.
            out.push(chunk.len() as u8);
            for asn in chunk {
                if four {
                    out.extend_from_slice(&asn.0.to_be_bytes());
                } else {
                    out.extend_from_slice(&asn.to_two_byte().to_be_bytes());
                }
            }
        }
    }
}

impl SegmentType {
    /// True for AS_CONFED_SEQUENCE and AS_CONFED_SET.
    pub fn is_confed(self) -> bool {
        matches!(self, Self::ConfedSequence | Self::ConfedSet)
    }
}

impl AsPath {
    /// The path length of RFC 4271 §9.1.2.2: an AS_SET counts one, confederation
    /// segments count none (RFC 5065 §5.3).
    pub fn count(&self) -> usize {
        self.0
            .iter()
            .map(|s| match s.kind {
                SegmentType::Sequence => s.asns.len(),
                SegmentType::Set => 1,
                SegmentType::ConfedSequence | SegmentType::ConfedSet => 0,
            })
            .sum()
    }

    /// True when some ASN does not fit in two octets.
    pub fn has_four_byte_only(&self) -> bool {
        self.0
            .iter()
            .any(|s| s.asns.iter().any(|a| a.is_four_byte_only()))
    }

    /// The leftmost ASN of the path, if the path starts with an AS_SEQUENCE.
    pub fn first_asn(&self) -> Option<Asn> {
        let first = self.0.first()?;
        if first.kind != SegmentType::Sequence {
            return None;
        }
        first.asns.first().copied()
    }

    /// A path from one AS_SEQUENCE (empty path for no ASN).
    pub fn sequence(asns: Vec<Asn>) -> Self {
        if asns.is_empty() {
            Self(Vec::new())
        } else {
            Self(vec![AsSegment {
                kind: SegmentType::Sequence,
                asns,
            }])
        }
    }
}
