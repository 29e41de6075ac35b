//! AIGP, type 26 (RFC 7311 §3): optional non-transitive, a list of TLVs of which type 1
//! carries the accumulated IGP metric.
//!
//! ```text
//! +-----------+---------------------+----------------------------+
//! | Type (1)  | Length (2, incl. 3) | Value (8 octets for type 1)|
//! +-----------+---------------------+----------------------------+
//! ```
//!
//! A malformed attribute is handled as an unrecognised non-transitive one, i.e. attribute
//! discard (RFC 7311 §3.2). A well-formed value that is not exactly one AIGP TLV is kept
//! raw so that it round-trips.

use super::AttrError;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Decodes the value: `Ok(Some(metric))` for a single AIGP TLV, `Ok(None)` for other
/// well-formed TLV lists.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<Option<u64>, AttrError> {
    let ad = |e| AttrError::new(Rfc7606Action::AttributeDiscard, e);
    let mut tlvs = Vec::new();
    while !r.is_empty() {
        let at = r.offset();
        let kind = r.u8("AIGP TLV type").map_err(ad)?;
        let len = r.u16("AIGP TLV length").map_err(ad)?;
        let value_len = usize::from(len).checked_sub(3).ok_or_else(|| {
            ad(crate::error::WireError::new(
                at,
                WireErrorKind::MalformedAttributeList("AIGP TLV length"),
            ))
        })?;
        let mut value = r.sub(value_len, "AIGP TLV").map_err(ad)?;
        if kind == 1 {
            if value_len != 8 {
                return Err(ad(
                    value.error(WireErrorKind::MalformedAttributeList("AIGP TLV length"))
                ));
            }
            tlvs.push(Some(value.u64("AIGP metric").map_err(ad)?));
        } else {
            tlvs.push(None);
        }
    }
    Ok(match tlvs.as_slice() {
        [Some(metric)] => Some(*metric),
        _ => None,
    })
}

/// Encodes one AIGP TLV.
pub(crate) fn encode(metric: u64, out: &mut Vec<u8>) {
    out.push(1);
    out.extend_from_slice(&11u16.to_be_bytes());
    out.extend_from_slice(&metric.to_be_bytes());
}
