//! Renderers shared by the JSON and text encoders and by the `show` answers: how ExaBGP 5
//! prints attributes, extended communities, capabilities, NOTIFICATION data, OPERATIONAL
//! messages and the NLRI of an UPDATE.
//!
//! Everything here writes into a caller's `String`; nothing allocates a tree.

pub(crate) mod attr;
pub(crate) mod bgpls;
pub(crate) mod bgpls_attr;
pub(crate) mod bgpls_text;
pub(crate) mod bgpls_tlv;
pub(crate) mod cap;
pub(crate) mod evpn;
pub(crate) mod extcomm;
pub(crate) mod mup;
pub(crate) mod mvpn;
pub mod notification;
pub mod operational;
pub(crate) mod prefix;
pub(crate) mod prefix_sid;
pub(crate) mod python;
pub(crate) mod update;
pub(crate) mod vpls;

use std::fmt::Write;

/// Appends `0x` and the bytes in upper-case hex (ExaBGP's `hexstring`).
pub(crate) fn hex_upper(out: &mut String, bytes: &[u8]) {
    out.push_str("0x");
    hex_digits(out, bytes, b"0123456789ABCDEF");
}

/// Appends `0x` and the bytes in lower-case hex (ExaBGP's generic attribute rendering).
pub(crate) fn hex_lower(out: &mut String, bytes: &[u8]) {
    out.push_str("0x");
    hex_digits(out, bytes, b"0123456789abcdef");
}

/// Appends the bytes in upper-case hex without a prefix.
pub(crate) fn hex_bare_upper(out: &mut String, bytes: &[u8]) {
    hex_digits(out, bytes, b"0123456789ABCDEF");
}

/// Appends the bytes in lower-case hex without a prefix.
pub(crate) fn hex_bare_lower(out: &mut String, bytes: &[u8]) {
    hex_digits(out, bytes, b"0123456789abcdef");
}

fn hex_digits(out: &mut String, bytes: &[u8], digits: &[u8; 16]) {
    out.reserve(bytes.len() * 2);
    for b in bytes {
        out.push(char::from(digits[usize::from(b >> 4)]));
        out.push(char::from(digits[usize::from(b & 0x0f)]));
    }
}

/// Opens ExaBGP's JSON object of an NLRI of a route-typed family (EVPN, MCAST-VPN,
/// BGP-LS): `{ "code": 2, "parsed": true, "raw": "<HEX>", "name": "mac-advertisement"`,
/// left open for the caller's members (and closing brace), when the route type has a
/// `name`; the whole `{ "code": 9, "parsed": false, "raw": "<HEX>" }` when not. Returns
/// whether the object is left open.
pub(crate) fn typed_nlri_head(out: &mut String, code: u16, raw: &[u8], name: Option<&str>) -> bool {
    let _ = write!(
        out,
        "{{ \"code\": {code}, \"parsed\": {}, \"raw\": \"",
        name.is_some()
    );
    hex_bare_upper(out, raw);
    match name {
        Some(name) => {
            let _ = write!(out, "\", \"name\": \"{name}\"");
            true
        }
        None => {
            out.push_str("\" }");
            false
        }
    }
}

/// Appends each of `items` with `one`, `sep` between them.
pub(crate) fn join<I: IntoIterator>(
    out: &mut String,
    items: I,
    sep: &str,
    mut one: impl FnMut(&mut String, I::Item),
) {
    for (i, item) in items.into_iter().enumerate() {
        if i > 0 {
            out.push_str(sep);
        }
        one(out, item);
    }
}

/// Appends `s` as a JSON string literal, quotes included, escaped the way Python's
/// `json.dumps` does it (`ensure_ascii`: everything outside ASCII as `\uXXXX`).
pub(crate) fn json_str(out: &mut String, s: &str) {
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 || (c as u32) > 0x7e => {
                let mut units = [0u16; 2];
                for unit in c.encode_utf16(&mut units) {
                    let _ = write!(out, "\\u{unit:04x}");
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Appends `s` with every character that is not printable replaced by `\xNN` (ExaBGP's
/// `Text.oneline`), so that a peer-supplied string can never start a new line of the
/// text stream.
pub(crate) fn oneline(out: &mut String, s: &str) {
    for c in s.chars() {
        if c.is_control() || (c.is_whitespace() && c != ' ') || is_format_char(c) {
            let _ = write!(out, "\\x{:02x}", c as u32);
        } else {
            out.push(c);
        }
    }
}

/// Unicode "format" characters Python does not consider printable (a practical subset).
fn is_format_char(c: char) -> bool {
    matches!(c as u32, 0x00ad | 0x200b..=0x200f | 0x202a..=0x202e | 0x2060..=0x2064 | 0xfeff)
}

/// Appends a float the way Python's `repr` prints it (shortest round-trip digits, always
/// with a fractional part).
pub(crate) fn python_float(out: &mut String, value: f64) {
    let start = out.len();
    let _ = write!(out, "{value}");
    let written = &out[start..];
    if value.is_finite() && !written.contains(['.', 'e', 'E']) {
        out.push_str(".0");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_strings_are_escaped_like_python() {
        let mut s = String::new();
        json_str(&mut s, "a\"b\\c\nd\u{1}é😀");
        assert_eq!(s, r#""a\"b\\c\nd\u0001\u00e9\ud83d\ude00""#);
    }

    #[test]
    fn oneline_escapes_control_characters() {
        let mut s = String::new();
        oneline(&mut s, "up\nneighbor 1.2.3.4 down\u{7f} x\u{2028}");
        assert_eq!(s, "up\\x0aneighbor 1.2.3.4 down\\x7f x\\x2028");
    }

    #[test]
    fn floats_look_like_python_repr() {
        let mut s = String::new();
        python_float(&mut s, 1_795_586_736.400_720_1);
        s.push(' ');
        python_float(&mut s, 12.0);
        assert_eq!(s, "1795586736.4007201 12.0");
    }

    #[test]
    fn hex_cases() {
        let mut s = String::new();
        hex_upper(&mut s, &[0xab, 0x01]);
        hex_lower(&mut s, &[0xab, 0x01]);
        assert_eq!(s, "0xAB010xab01");
    }
}
