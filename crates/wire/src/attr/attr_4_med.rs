//! MULTI_EXIT_DISC, type 4 (RFC 4271 §4.3 d, §5.1.4): optional non-transitive, four
//! octets. Length ≠ 4: treat-as-withdraw (RFC 7606 §7.4).

use super::AttrError;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Decodes a four-octet value (MED, LOCAL_PREF share this shape).
pub(crate) fn decode_u32(mut r: Reader<'_>, what: &'static str) -> Result<u32, AttrError> {
    let taw = |e| AttrError::new(Rfc7606Action::TreatAsWithdraw, e);
    if r.left() != 4 {
        return Err(taw(r.error(WireErrorKind::MalformedAttributeList(what))));
    }
    r.u32(what).map_err(taw)
}
