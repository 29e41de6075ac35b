//! ORIGINATOR_ID, type 9 (RFC 4456 §8): optional non-transitive, the router ID of the
//! route's originator inside a reflection cluster.
//!
//! From an external peer: attribute discard; length ≠ 4: treat-as-withdraw
//! (RFC 7606 §7.9).

use std::net::Ipv4Addr;

use super::AttrError;
use crate::ctx::DecodeCtx;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

pub(crate) fn external(
    r: &Reader<'_>,
    ctx: &DecodeCtx,
    what: &'static str,
) -> Result<(), AttrError> {
    if ctx.ibgp == Some(false) {
        return Err(AttrError::new(
            Rfc7606Action::AttributeDiscard,
            r.error(WireErrorKind::MalformedAttributeList(what)),
        ));
    }
    Ok(())
}

/// Decodes ORIGINATOR_ID.
pub(crate) fn decode_originator(mut r: Reader<'_>, ctx: &DecodeCtx) -> Result<Ipv4Addr, AttrError> {
    external(&r, ctx, "ORIGINATOR_ID from an external peer")?;
    let taw = |e| AttrError::new(Rfc7606Action::TreatAsWithdraw, e);
    if r.left() != 4 {
        return Err(taw(r.error(WireErrorKind::MalformedAttributeList(
            "ORIGINATOR_ID length",
        ))));
    }
    Ok(Ipv4Addr::from(r.array::<4>("ORIGINATOR_ID").map_err(taw)?))
}
