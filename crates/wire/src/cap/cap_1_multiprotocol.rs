//! Capability 1, Multiprotocol Extensions (RFC 4760 §8).
//!
//! ```text
//! 0       7      15      23      31
//! +-------+-------+-------+-------+
//! |      AFI      | Res.  | SAFI  |
//! +-------+-------+-------+-------+
//! ```
//!
//! A value of any length other than 4 is a malformed OPEN (2,0).

use crate::error::{WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<Family, WireError> {
    if r.left() != 4 {
        return Err(r.error(WireErrorKind::MalformedOpen(
            "multiprotocol capability length",
        )));
    }
    let afi = Afi(r.u16("multiprotocol AFI")?);
    r.u8("multiprotocol reserved")?;
    let safi = Safi(r.u8("multiprotocol SAFI")?);
    Ok(Family::new(afi, safi))
}

/// Encodes the value.
pub(crate) fn encode(family: Family, out: &mut Vec<u8>) {
    out.extend_from_slice(&family.afi.0.to_be_bytes());
    out.push(0);
    out.push(family.safi.0);
}
