//! Capability 2, Route Refresh (RFC 2918 §2), and its pre-standard twin 128 (Cisco).
//!
//! Both have an empty value. A value that is not empty makes the capability unknown
//! (kept raw) rather than failing the OPEN.

use crate::reader::Reader;

/// True when the value is well-formed (empty).
pub(crate) fn decode(r: &Reader<'_>) -> bool {
    r.is_empty()
}
