//! Capability 75, Software Version (draft-abraitis-bgp-version-capability §3).
//!
//! ```text
//! +--------------------------------+
//! | Version Length (1 octet)       |
//! +--------------------------------+
//! | Software Version (variable)    |
//! +--------------------------------+
//! ```
//!
//! A malformed value is kept raw. The string is read as UTF-8, invalid sequences replaced.

use crate::error::{EncodeError, WireError};
use crate::reader::Reader;

/// Decodes the value.
pub(crate) fn decode(mut r: Reader<'_>) -> Result<String, WireError> {
    let len = r.u8("software version length")?;
    let s = String::from_utf8_lossy(r.take(usize::from(len), "software version")?).into_owned();
    r.expect_empty("software version capability")?;
    Ok(s)
}

/// Encodes the value.
pub(crate) fn encode(version: &str, out: &mut Vec<u8>) -> Result<(), EncodeError> {
    let len =
        u8::try_from(version.len()).map_err(|_| EncodeError::FieldTooLong("software version"))?;
    out.push(len);
    out.extend_from_slice(version.as_bytes());
    Ok(())
}
