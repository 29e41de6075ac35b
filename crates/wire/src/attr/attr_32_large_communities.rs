//! LARGE_COMMUNITY, type 32 (RFC 8092 §3): optional transitive, a list of twelve-octet
//! values.
//!
//! ```text
//! +------------------------------------+
//! | Global Administrator (4 octets)    |
//! | Local Data Part 1 (4 octets)       |
//! | Local Data Part 2 (4 octets)       |
//! +------------------------------------+
//! ```
//!
//! Length not a non-zero multiple of 12: treat-as-withdraw (RFC 8092 §6).

use super::{AttrError, LargeCommunity};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(r: Reader<'_>) -> Result<Vec<LargeCommunity>, AttrError> {
    let items = super::attr_8_communities::decode_items::<12>(r, "LARGE_COMMUNITY length")?;
    Ok(items
        .into_iter()
        .map(|b| LargeCommunity {
            global: u32::from_be_bytes([b[0], b[1], b[2], b[3]]),
            local1: u32::from_be_bytes([b[4], b[5], b[6], b[7]]),
            local2: u32::from_be_bytes([b[8], b[9], b[10], b[11]]),
        })
        .collect())
}

/// Encodes the value.
pub(crate) fn encode(list: &[LargeCommunity], out: &mut Vec<u8>) {
    for c in list {
        out.extend_from_slice(&c.global.to_be_bytes());
        out.extend_from_slice(&c.local1.to_be_bytes());
        out.extend_from_slice(&c.local2.to_be_bytes());
    }
}
