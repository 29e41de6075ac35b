//! The data of a NOTIFICATION (RFC 4271 §4.5) as ExaBGP shows it to helpers.
//!
//! For Cease / Administrative Shutdown and Administrative Reset (6/2, 6/4) the data is a
//! Shutdown Communication (RFC 8203, RFC 9003 §2): one length octet and that many octets of
//! UTF-8. On receipt ExaBGP replaces the data by a sentence describing it, and both the
//! `data` hex and the `message` text of its JSON are of that sentence. Other NOTIFICATIONs,
//! and every NOTIFICATION we send, show their data as it is on the wire.

use std::borrow::Cow;
use std::fmt::Write;

use super::hex_upper;
use crate::event::Direction;

/// The longest Shutdown Communication ExaBGP 5.0 accepts (the RFC 8203 limit; RFC 9003
/// raised it to 255 octets but ExaBGP still reports longer ones as too large).
const SHUTDOWN_MAX: usize = 128;

/// The NOTIFICATION data as ExaBGP shows it (see the module documentation).
pub fn shown_data(code: u8, subcode: u8, data: &[u8], direction: Direction) -> Cow<'_, [u8]> {
    if direction == Direction::Send || code != 6 || !(subcode == 2 || subcode == 4) {
        return Cow::Borrowed(data);
    }
    let Some((&length, rest)) = data.split_first() else {
        return Cow::Borrowed(data);
    };
    let length = usize::from(length);
    let mut text = String::new();
    if length == 0 {
        text.push_str("empty Shutdown Communication.");
        return Cow::Owned(text.into_bytes());
    }
    let Some(message) = rest.get(..length) else {
        let _ = write!(
            text,
            "invalid Shutdown Communication (buffer underrun) length : {length} ["
        );
        hex_upper(&mut text, rest);
        text.push(']');
        return Cow::Owned(text.into_bytes());
    };
    if length > SHUTDOWN_MAX {
        let _ = write!(
            text,
            "invalid Shutdown Communication (too large) length : {length} ["
        );
        hex_upper(&mut text, rest);
        text.push(']');
        return Cow::Owned(text.into_bytes());
    }
    match std::str::from_utf8(message) {
        Ok(message) => {
            text.push_str("Shutdown Communication: \"");
            text.extend(
                message
                    .chars()
                    .map(|c| if c == '\r' || c == '\n' { ' ' } else { c }),
            );
            text.push('"');
        }
        Err(_) => {
            let _ = write!(
                text,
                "invalid Shutdown Communication (invalid UTF-8) length : {length} ["
            );
            hex_upper(&mut text, rest);
            text.push(']');
            return Cow::Owned(text.into_bytes());
        }
    }
    let trailer = &rest[length..];
    if !trailer.is_empty() {
        text.push_str(", trailing data: ");
        hex_upper(&mut text, trailer);
    }
    Cow::Owned(text.into_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shown(code: u8, subcode: u8, data: &[u8]) -> String {
        String::from_utf8_lossy(&shown_data(code, subcode, data, Direction::Receive)).into_owned()
    }

    #[test]
    fn shutdown_communications() {
        let mut data = vec![23];
        data.extend_from_slice(b"Administrative Shutdown");
        assert_eq!(
            shown(6, 2, &data),
            "Shutdown Communication: \"Administrative Shutdown\""
        );
        assert_eq!(shown(6, 4, &[0]), "empty Shutdown Communication.");
        assert_eq!(shown(6, 2, &[]), "");
        assert_eq!(
            shown(6, 2, &[20, b'a', b'b', b'c']),
            "invalid Shutdown Communication (buffer underrun) length : 20 [0x616263]"
        );
        assert_eq!(
            shown(6, 2, &[2, b'h', b'i', 1, 2]),
            "Shutdown Communication: \"hi\", trailing data: 0x0102"
        );
        assert_eq!(
            shown(6, 2, &[2, 0xff, 0xfe]),
            "invalid Shutdown Communication (invalid UTF-8) length : 2 [0xFFFE]"
        );
        assert_eq!(
            shown(6, 2, &[3, b'a', b'\n', b'b']),
            "Shutdown Communication: \"a b\""
        );
        assert_eq!(shown(3, 1, &[1, 2]), "\u{1}\u{2}");
        // What we send is shown as sent.
        assert_eq!(
            &*shown_data(6, 2, &[2, b'h', b'i'], Direction::Send),
            &[2, b'h', b'i']
        );
    }
}
