//! AS4_AGGREGATOR, type 18 (RFC 6793 §3): optional transitive, AGGREGATOR with a
//! four-octet AS, sent to old speakers beside an AGGREGATOR carrying AS_TRANS.
//!
//! Received from a peer that negotiated ASN4, or length ≠ 8: attribute discard (RFC 6793
//! §6). Merged into AGGREGATOR by [`super::list`] (§4.2.3).

use super::{Aggregator, AttrError};
use crate::ctx::DecodeCtx;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(r: Reader<'_>, ctx: &DecodeCtx) -> Result<Aggregator, AttrError> {
    if ctx.asn4 {
        return Err(AttrError::new(
            Rfc7606Action::AttributeDiscard,
            r.error(WireErrorKind::MalformedAttributeList(
                "AS4_AGGREGATOR from a 4-octet ASN speaker",
            )),
        ));
    }
    super::attr_7_aggregator::decode(r, true)
}
