//! LOCAL_PREF, type 5 (RFC 4271 §4.3 e, §5.1.5): well-known, iBGP only, four octets.
//!
//! From an external peer: attribute discard; length ≠ 4: treat-as-withdraw
//! (RFC 7606 §7.5).

use super::AttrError;
use crate::ctx::DecodeCtx;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(r: Reader<'_>, ctx: &DecodeCtx) -> Result<u32, AttrError> {
    if ctx.ibgp == Some(false) {
        return Err(AttrError::new(
            Rfc7606Action::AttributeDiscard,
            r.error(WireErrorKind::MalformedAttributeList(
                "LOCAL_PREF from an external peer",
            )),
        ));
    }
    super::attr_4_med::decode_u32(r, "LOCAL_PREF length")
}
