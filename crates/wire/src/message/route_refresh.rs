//! ROUTE-REFRESH (RFC 2918 §3) with the Enhanced Route Refresh subtypes (RFC 7313 §3.2).
//!
//! ```text
//!  0       7      15      23      31
//! +-------+-------+-------+-------+
//! |      AFI      | Subty | SAFI  |
//! +-------+-------+-------+-------+
//! subtype: 0 normal request, 1 BoRR, 2 EoRR
//! ```
//!
//! A body other than 4 octets: (7,1) Invalid Message Length with the whole message as
//! data (RFC 7313 §5). A family that was not negotiated is the session's business (RFC
//! 2918 §4: ignore).

use super::{RefreshSubtype, RouteRefresh};
use crate::error::{WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// Decodes a ROUTE-REFRESH body; `message` is the whole message, for the error data.
pub(crate) fn decode(mut r: Reader<'_>, message: &[u8]) -> Result<RouteRefresh, WireError> {
    if r.left() != 4 {
        return Err(WireError::new(
            16,
            WireErrorKind::BadRouteRefreshLength(message.to_vec()),
        ));
    }
    let afi = Afi(r.u16("ROUTE-REFRESH AFI")?);
    let subtype = match r.u8("ROUTE-REFRESH subtype")? {
        0 => RefreshSubtype::Query,
        1 => RefreshSubtype::Begin,
        2 => RefreshSubtype::End,
        other => RefreshSubtype::Other(other),
    };
    let safi = Safi(r.u8("ROUTE-REFRESH SAFI")?);
    Ok(RouteRefresh {
        family: Family::new(afi, safi),
        subtype,
    })
}

/// Appends a ROUTE-REFRESH body.
pub(crate) fn encode(rr: &RouteRefresh, out: &mut Vec<u8>) {
    out.extend_from_slice(&rr.family.afi.0.to_be_bytes());
    out.push(match rr.subtype {
        RefreshSubtype::Query => 0,
        RefreshSubtype::Begin => 1,
        RefreshSubtype::End => 2,
        RefreshSubtype::Other(v) => v,
    });
    out.push(rr.family.safi.0);
}
