//! CLUSTER_LIST, type 10 (RFC 4456 §8): optional non-transitive, the cluster IDs a
//! reflected route went through.
//!
//! From an external peer: attribute discard; length not a non-zero multiple of 4:
//! treat-as-withdraw (RFC 7606 §7.10).

use std::net::Ipv4Addr;

use super::AttrError;
use crate::ctx::DecodeCtx;
use crate::reader::Reader;

/// Decodes CLUSTER_LIST.
pub(crate) fn decode_cluster_list(
    r: Reader<'_>,
    ctx: &DecodeCtx,
) -> Result<Vec<Ipv4Addr>, AttrError> {
    super::attr_9_originator_id::external(&r, ctx, "CLUSTER_LIST from an external peer")?;
    let items = super::attr_8_communities::decode_items::<4>(r, "CLUSTER_LIST length")?;
    Ok(items.into_iter().map(Ipv4Addr::from).collect())
}
