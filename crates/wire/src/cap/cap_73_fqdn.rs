//! Capability 73, FQDN (draft-walton-bgp-hostname-capability §3).
//!
//! ```text
//! +--------------------------------+
//! | Hostname Length (1 octet)      |
//! +--------------------------------+
//! | Hostname (variable)            |
//! +--------------------------------+
//! | Domain Name Length (1 octet)   |
//! +--------------------------------+
//! | Domain Name (variable)         |
//! +--------------------------------+
//! ```
//!
//! A malformed value is kept raw. Names are read as UTF-8, invalid sequences replaced.

use crate::error::{EncodeError, WireError};
use crate::reader::Reader;

/// Decodes the value into (host, domain).
pub(crate) fn decode(mut r: Reader<'_>) -> Result<(String, String), WireError> {
    let len = r.u8("FQDN hostname length")?;
    let host = String::from_utf8_lossy(r.take(usize::from(len), "FQDN hostname")?).into_owned();
    let len = r.u8("FQDN domain length")?;
    let domain = String::from_utf8_lossy(r.take(usize::from(len), "FQDN domain")?).into_owned();
    r.expect_empty("FQDN capability")?;
    Ok((host, domain))
}

/// Encodes the value.
pub(crate) fn encode(host: &str, domain: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    for s in [host, domain] {
        let len = u8::try_from(s.len()).map_err(|_| EncodeError::FieldTooLong("FQDN name"))?;
        out.push(len);
        out.extend_from_slice(s.as_bytes());
    }
    Ok(())
}
