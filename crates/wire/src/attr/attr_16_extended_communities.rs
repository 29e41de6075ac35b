//! EXTENDED COMMUNITIES, type 16 (RFC 4360 §2): optional transitive, a list of
//! eight-octet values kept as bytes. Length not a non-zero multiple of 8:
//! treat-as-withdraw (RFC 7606 §7.14).

use super::{AttrError, ExtCommunity};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(r: Reader<'_>) -> Result<Vec<ExtCommunity>, AttrError> {
    let items = super::attr_8_communities::decode_items::<8>(r, "EXTENDED COMMUNITIES length")?;
    Ok(items.into_iter().map(ExtCommunity).collect())
}
