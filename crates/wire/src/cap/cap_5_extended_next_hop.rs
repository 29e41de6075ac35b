//! Capability 5, Extended Next Hop Encoding (RFC 8950 §3).
//!
//! ```text
//! +-----------------------------------------------------+
//! | NLRI AFI - 1 (2 octets)                             |
//! | NLRI SAFI - 1 (2 octets)                            |
//! | Nexthop AFI - 1 (2 octets)                          |
//! | .....                                               |
//! +-----------------------------------------------------+
//! ```

use crate::error::WireError;
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// Decodes the tuples; a value not a multiple of 6 or a SAFI above 255 is an error.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<Vec<(Family, Afi)>, WireError> {
    let mut out = Vec::new();
    while !r.is_empty() {
        let afi = Afi(r.u16("extended next-hop AFI")?);
        let safi = r.u16("extended next-hop SAFI")?;
        let nh = Afi(r.u16("extended next-hop next-hop AFI")?);
        let safi = u8::try_from(safi).map_err(|_| {
            r.error(crate::error::WireErrorKind::MalformedOpen(
                "extended next-hop SAFI",
            ))
        })?;
        out.push((Family::new(afi, Safi(safi)), nh));
    }
    Ok(out)
}

/// Encodes the tuples.
pub(crate) fn encode(entries: &[(Family, Afi)], out: &mut Vec<u8>) {
    for (family, nh) in entries {
        out.extend_from_slice(&family.afi.0.to_be_bytes());
        out.extend_from_slice(&u16::from(family.safi.0).to_be_bytes());
        out.extend_from_slice(&nh.0.to_be_bytes());
    }
}
