//! AGGREGATOR, type 7 (RFC 4271 §4.3 g, §5.1.7; RFC 6793 §3), and AS4_AGGREGATOR, type 18
//! (RFC 6793 §3): optional transitive.
//!
//! ```text
//! +---------------------------+-----------------------+
//! | AS (2 octets, 4 with ASN4 | IP address (4 octets) |
//! |  and in AS4_AGGREGATOR)   |                       |
//! +---------------------------+-----------------------+
//! ```
//!
//! Wrong length: attribute discard (RFC 7606 §7.7, RFC 6793 §6). To an old speaker a
//! four-octet-only aggregator is sent as AS_TRANS, followed by AS4_AGGREGATOR.

use std::net::Ipv4Addr;

use super::{Aggregator, AttrError};
use crate::asn::Asn;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Decodes an AGGREGATOR (`four` = ASN4 negotiated) or AS4_AGGREGATOR (`four` = true).
pub(crate) fn decode(mut r: Reader<'_>, four: bool) -> Result<Aggregator, AttrError> {
    let ad = |e| AttrError::new(Rfc7606Action::AttributeDiscard, e);
    let want = if four { 8 } else { 6 };
    if r.left() != want {
        return Err(ad(
            r.error(WireErrorKind::MalformedAttributeList("AGGREGATOR length"))
        ));
    }
    let asn = if four {
        r.u32("AGGREGATOR AS").map_err(ad)?
    } else {
        u32::from(r.u16("AGGREGATOR AS").map_err(ad)?)
    };
    let ip = Ipv4Addr::from(r.array::<4>("AGGREGATOR address").map_err(ad)?);
    Ok(Aggregator { asn: Asn(asn), ip })
}

/// Encodes the value with a `four`-octet AS, or two octets (AS_TRANS if it does not fit).
pub(crate) fn encode(agg: &Aggregator, four: bool, out: &mut Vec<u8>) {
    if four {
        out.extend_from_slice(&agg.asn.0.to_be_bytes());
    } else {
        out.extend_from_slice(&agg.asn.to_two_byte().to_be_bytes());
    }
    out.extend_from_slice(&agg.ip.octets());
}
