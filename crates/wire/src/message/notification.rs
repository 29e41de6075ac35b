//! NOTIFICATION (RFC 4271 §4.5), with the shutdown communication of RFC 9003.
//!
//! ```text
//!  0                   1                   2                   3
//!  0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Error code    | Error subcode |   Data (variable)             |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//!
//! RFC 9003 §2, Cease / Administrative Shutdown (2) or Administrative Reset (4):
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! | Error code 6  |    Subcode    |    Length     |     ...       \
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+               \
//! \                 Shutdown Communication (UTF-8, ≤ 255)          \
//! ```

use super::Notification;
use crate::error::WireError;
use crate::reader::Reader;

/// Cease (RFC 4486).
pub const CEASE: u8 = 6;
/// Cease subcode: Administrative Shutdown (RFC 4486 §4).
pub const ADMIN_SHUTDOWN: u8 = 2;
/// Cease subcode: Administrative Reset (RFC 4486 §4).
pub const ADMIN_RESET: u8 = 4;
/// The longest shutdown communication (RFC 9003 §2).
pub const MAX_SHUTDOWN_TEXT: usize = 255;

/// Decodes a NOTIFICATION body (at least two octets, checked by framing).
pub(crate) fn decode(mut r: Reader<'_>) -> Result<Notification, WireError> {
    let code = r.u8("NOTIFICATION code")?;
    let subcode = r.u8("NOTIFICATION subcode")?;
    Ok(Notification {
        code,
        subcode,
        data: r.rest().to_vec(),
    })
}

impl Notification {
    /// A NOTIFICATION from its parts.
    pub fn new(code: u8, subcode: u8, data: Vec<u8>) -> Self {
        Self {
            code,
            subcode,
            data,
        }
    }

    /// A Cease with `subcode` and, when `text` is not empty, an RFC 9003 shutdown
    /// communication (cut to 255 octets on a character boundary).
    pub fn cease(subcode: u8, text: &str) -> Self {
        let mut data = Vec::new();
        if !text.is_empty() {
            let mut end = text.len().min(MAX_SHUTDOWN_TEXT);
            while !text.is_char_boundary(end) {
                end -= 1;
            }
            // `end <= 255`.
            data.push(end as u8);
            data.extend_from_slice(&text.as_bytes()[..end]);
        }
        Self::new(CEASE, subcode, data)
    }

    /// The RFC 9003 shutdown communication of a Cease / Administrative Shutdown or Reset,
    /// if it has one. A length beyond the data is cut to the data; invalid UTF-8 is
    /// replaced (U+FFFD), so that a peer's bytes can always be logged.
    pub fn shutdown_text(&self) -> Option<String> {
        if self.code != CEASE || !(self.subcode == ADMIN_SHUTDOWN || self.subcode == ADMIN_RESET) {
            return None;
        }
        let (len, rest) = self.data.split_first()?;
        let text = rest.get(..usize::from(*len)).unwrap_or(rest);
        Some(String::from_utf8_lossy(text).into_owned())
    }
}
