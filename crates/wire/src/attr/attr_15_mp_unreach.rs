//! MP_UNREACH_NLRI, type 15 (RFC 4760 §4): optional non-transitive, withdrawn routes of
//! any family. With no NLRI at all it is the End-of-RIB marker of its family (RFC 4724
//! §2).
//!
//! ```text
//! +---------------------------------------------------------+
//! | Address Family Identifier (2 octets)                    |
//! +---------------------------------------------------------+
//! | Subsequent Address Family Identifier (1 octet)          |
//! +---------------------------------------------------------+
//! | Withdrawn Routes (variable)                             |
//! +---------------------------------------------------------+
//! ```
//!
//! Shorter than 3 octets or a truncated NLRI: session reset (3,1); a prefix longer than
//! the address: (3,10) (RFC 7606 §7.12, §5.3).

use super::{AttrError, MpUnreach};
use crate::ctx::DecodeCtx;
use crate::error::{EncodeError, Rfc7606Action, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::nlri::Nlri;
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(mut r: Reader<'_>, ctx: &DecodeCtx) -> Result<MpUnreach, AttrError> {
    let fatal = |e| AttrError::new(Rfc7606Action::SessionReset, e);
    if r.left() < 3 {
        return Err(fatal(r.error(WireErrorKind::MalformedAttributeList(
            "MP_UNREACH_NLRI shorter than 3 octets",
        ))));
    }
    let afi = Afi(r.u16("MP_UNREACH AFI").map_err(fatal)?);
    let safi = Safi(r.u8("MP_UNREACH SAFI").map_err(fatal)?);
    let family = Family::new(afi, safi);
    let nlri = Nlri::decode_withdrawn(
        &mut r,
        family,
        ctx.add_path(family),
        WireErrorKind::MalformedAttributeList,
    )
    .map_err(fatal)?;
    Ok(MpUnreach { family, nlri })
}

/// Encodes the value.
pub(crate) fn encode(mp: &MpUnreach, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    out.extend_from_slice(&mp.family.afi.0.to_be_bytes());
    out.push(mp.family.safi.0);
    for n in &mp.nlri {
        n.encode(mp.family, add_path, out)?;
    }
    Ok(())
}
