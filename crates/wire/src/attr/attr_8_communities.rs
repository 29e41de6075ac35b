//! COMMUNITIES, type 8 (RFC 1997): optional transitive, a list of four-octet values.
//! Length not a non-zero multiple of 4: treat-as-withdraw (RFC 7606 §7.8).
//!
//! The fixed-width list decoder here is shared by CLUSTER_LIST, EXTENDED COMMUNITIES and
//! LARGE_COMMUNITY.

use super::AttrError;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Splits a value into `N`-octet items; empty or not a multiple of `N`: treat-as-withdraw.
pub(crate) fn decode_items<const N: usize>(
    mut r: Reader<'_>,
    what: &'static str,
) -> Result<Vec<[u8; N]>, AttrError> {
    let taw = |e| AttrError::new(Rfc7606Action::TreatAsWithdraw, e);
    if r.is_empty() || r.left() % N != 0 {
        return Err(taw(r.error(WireErrorKind::MalformedAttributeList(what))));
    }
    let mut out = Vec::with_capacity(r.left() / N);
    while !r.is_empty() {
        out.push(r.array::<N>(what).map_err(taw)?);
    }
    Ok(out)
}
