//! Capability 64, Graceful Restart (RFC 4724 §3).
//!
//! ```text
//! +--------------------------------------------------+
//! | Restart Flags (4 bits)                           |
//! +--------------------------------------------------+
//! | Restart Time in seconds (12 bits)                |
//! +--------------------------------------------------+
//! | Address Family Identifier (16 bits)              |
//! +--------------------------------------------------+
//! | Subsequent Address Family Identifier (8 bits)    |
//! +--------------------------------------------------+
//! | Flags for Address Family (8 bits)                |
//! +--------------------------------------------------+
//! | ...                                              |
//! ```
//!
//! Only the R bit of the restart flags and the F bit of each family are kept.

use crate::cap::GracefulRestart;
use crate::error::WireError;
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// Decodes the value; an empty value (RFC 4724 allows it) gives time 0 and no family.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<GracefulRestart, WireError> {
    if r.is_empty() {
        return Ok(GracefulRestart::default());
    }
    let head = r.u16("graceful restart flags")?;
    let mut gr = GracefulRestart {
        restart_state: head & 0x8000 != 0,
        restart_time: head & 0x0fff,
        families: Vec::new(),
    };
    while !r.is_empty() {
        let afi = Afi(r.u16("graceful restart AFI")?);
        let safi = Safi(r.u8("graceful restart SAFI")?);
        let flags = r.u8("graceful restart family flags")?;
        gr.families
            .push((Family::new(afi, safi), flags & 0x80 != 0));
    }
    Ok(gr)
}

/// Encodes the value.
pub(crate) fn encode(gr: &GracefulRestart, out: &mut Vec<u8>) {
    let head = (gr.restart_time & 0x0fff) | if gr.restart_state { 0x8000 } else { 0 };
    out.extend_from_slice(&head.to_be_bytes());
    for (family, forwarding) in &gr.families {
        out.extend_from_slice(&family.afi.0.to_be_bytes());
        out.push(family.safi.0);
        out.push(if *forwarding { 0x80 } else { 0 });
    }
}
