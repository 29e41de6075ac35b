//! Capability 65, Support for 4-octet AS number (RFC 6793 §3): the speaker's ASN in four
//! octets. A value of any other length is a malformed OPEN (2,0).

use crate::asn::Asn;
use crate::error::{WireError, WireErrorKind};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<Asn, WireError> {
    if r.left() != 4 {
        return Err(r.error(WireErrorKind::MalformedOpen(
            "4-octet ASN capability length",
        )));
    }
    Ok(Asn(r.u32("4-octet ASN")?))
}
