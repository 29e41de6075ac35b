//! ATOMIC_AGGREGATE, type 6 (RFC 4271 §4.3 f, §5.1.6): well-known discretionary, empty.
//! Length ≠ 0: attribute discard (RFC 7606 §7.6).

use super::AttrError;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Checks the value.
pub(crate) fn decode(r: Reader<'_>) -> Result<(), AttrError> {
    if r.is_empty() {
        Ok(())
    } else {
        Err(AttrError::new(
            Rfc7606Action::AttributeDiscard,
            r.error(WireErrorKind::MalformedAttributeList(
                "ATOMIC_AGGREGATE length",
            )),
        ))
    }
}
