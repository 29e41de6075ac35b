//! Capability 185, Operational messages (draft-ietf-idr-operational-message, as ExaBGP
//! implements it): empty value.

use crate::reader::Reader;

/// True when the value is well-formed (empty).
pub(crate) fn decode(r: &Reader<'_>) -> bool {
    r.is_empty()
}
