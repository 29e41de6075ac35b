//! Capability 69, ADD-PATH (RFC 7911 §4).
//!
//! ```text
//! +------------------------------------------------+
//! | Address Family Identifier (2 octets)           |
//! +------------------------------------------------+
//! | Subsequent Address Family Identifier (1 octet) |
//! +------------------------------------------------+
//! | Send/Receive (1 octet)                         |
//! +------------------------------------------------+
//! ```
//!
//! A Send/Receive value other than 1–3 makes the capability "not understood" (§4): it is
//! kept raw.

use crate::cap::AddPathMode;
use crate::error::{WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<Vec<(Family, AddPathMode)>, WireError> {
    let mut out = Vec::new();
    while !r.is_empty() {
        let afi = Afi(r.u16("ADD-PATH AFI")?);
        let safi = Safi(r.u8("ADD-PATH SAFI")?);
        let mode = match r.u8("ADD-PATH send/receive")? {
            1 => AddPathMode::Receive,
            2 => AddPathMode::Send,
            3 => AddPathMode::Both,
            _ => return Err(r.error(WireErrorKind::MalformedOpen("ADD-PATH send/receive"))),
        };
        out.push((Family::new(afi, safi), mode));
    }
    Ok(out)
}

/// Encodes the value.
pub(crate) fn encode(entries: &[(Family, AddPathMode)], out: &mut Vec<u8>) {
    for (family, mode) in entries {
        out.extend_from_slice(&family.afi.0.to_be_bytes());
        out.push(family.safi.0);
        out.push(match mode {
            AddPathMode::Receive => 1,
            AddPathMode::Send => 2,
            AddPathMode::Both => 3,
        });
    }
}
