//! Capability 6, Extended Message (RFC 8654 §3): empty value; with it on both sides,
//! messages other than OPEN and KEEPALIVE may be up to 65535 octets.

use crate::reader::Reader;

/// True when the value is well-formed (empty).
pub(crate) fn decode(r: &Reader<'_>) -> bool {
    r.is_empty()
}
