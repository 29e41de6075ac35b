//! ORIGIN, type 1 (RFC 4271 §4.3 a, §5.1.1): well-known mandatory, one octet.
//!
//! ```text
//! +---------------+
//! | 0 IGP, 1 EGP, |
//! | 2 INCOMPLETE  |
//! +---------------+
//! ```
//!
//! Malformed (length ≠ 1 or value > 2): treat-as-withdraw (RFC 7606 §7.1).

use super::{AttrError, Origin};
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<Origin, AttrError> {
    let taw = |e| AttrError::new(Rfc7606Action::TreatAsWithdraw, e);
    if r.left() != 1 {
        return Err(taw(
            r.error(WireErrorKind::MalformedAttributeList("ORIGIN length"))
        ));
    }
    match r.u8("ORIGIN").map_err(taw)? {
        0 => Ok(Origin::Igp),
        1 => Ok(Origin::Egp),
        2 => Ok(Origin::Incomplete),
        _ => Err(taw(
            r.error(WireErrorKind::MalformedAttributeList("ORIGIN value"))
        )),
    }
}

/// Encodes the value.
pub(crate) fn encode(origin: Origin, out: &mut Vec<u8>) {
    out.push(match origin {
        Origin::Igp => 0,
        Origin::Egp => 1,
        Origin::Incomplete => 2,
    });
}
