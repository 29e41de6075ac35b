//! AS4_PATH, type 17 (RFC 6793 §3): optional transitive, the AS_PATH with four-octet ASNs
//! that a speaker without the 4-octet ASN capability passes along.
//!
//! Same segment format as AS_PATH, always four-octet ASNs, no confederation segments
//! (§6). Received from a peer that negotiated ASN4, or malformed: attribute discard
//! (RFC 6793 §6, RFC 7606 §7.x). Merged into AS_PATH by [`super::list`] (§4.2.3).

use super::{AsPath, AttrError};
use crate::ctx::DecodeCtx;
use crate::error::{Rfc7606Action, WireError, WireErrorKind};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(r: Reader<'_>, ctx: &DecodeCtx) -> Result<AsPath, AttrError> {
    let start = r.offset();
    let ad = |e| AttrError::new(Rfc7606Action::AttributeDiscard, e);
    if ctx.asn4 {
        return Err(ad(WireError::new(
            start,
            WireErrorKind::MalformedAttributeList("AS4_PATH from a 4-octet ASN speaker"),
        )));
    }
    let path = super::attr_2_as_path::decode_segments(r, true).map_err(ad)?;
    if path.0.iter().any(|s| s.kind.is_confed()) {
        return Err(ad(WireError::new(
            start,
            WireErrorKind::MalformedAttributeList("AS4_PATH with AS_CONFED segments"),
        )));
    }
    Ok(path)
}
