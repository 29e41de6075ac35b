//! NEXT_HOP, type 3 (RFC 4271 §4.3 c, §5.1.3): well-known mandatory for the IPv4 NLRI
//! field, four octets. Length ≠ 4: treat-as-withdraw (RFC 7606 §7.3). A semantically
//! invalid address (RFC 4271 §6.3) is checked by the UPDATE decoder only when the UPDATE
//! carries IPv4 NLRI ([`is_invalid`]).

use std::net::Ipv4Addr;

use super::AttrError;
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<Ipv4Addr, AttrError> {
    let taw = |e| AttrError::new(Rfc7606Action::TreatAsWithdraw, e);
    if r.left() != 4 {
        return Err(taw(
            r.error(WireErrorKind::MalformedAttributeList("NEXT_HOP length"))
        ));
    }
    Ok(Ipv4Addr::from(r.array::<4>("NEXT_HOP").map_err(taw)?))
}

/// True for next hops no route may use: 0.0.0.0 and multicast (224/4).
///
/// 127/8 is accepted: a peer on a loopback session (ExaBGP's own conformance corpus, the
/// interop tests) legitimately announces itself, 127.0.0.1, as next hop. "Our own
/// address" needs the session's local address and is the session's check.
pub(crate) fn is_invalid(ip: Ipv4Addr) -> bool {
    ip.is_unspecified() || ip.is_multicast()
}
