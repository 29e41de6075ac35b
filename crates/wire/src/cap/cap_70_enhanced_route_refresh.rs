//! Capability 70, Enhanced Route Refresh (RFC 7313 §3.1): empty value.

use crate::reader::Reader;

/// True when the value is well-formed (empty).
pub(crate) fn decode(r: &Reader<'_>) -> bool {
    r.is_empty()
}
