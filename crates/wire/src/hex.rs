//! Hexadecimal text to octets, for the tools and tests that take BGP messages written as
//! hex (ExaBGP's corpus, `herald decode` fixtures).

/// The octets spelled by the hex digits of `text` (either case). ASCII white space
/// between digits is ignored, so `"05 12 0000FDE8"` reads as `"05120000FDE8"`. `None`
/// when another character appears or the digits do not pair up.
pub fn decode(text: &str) -> Option<Vec<u8>> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace())
        .map(|b| {
            char::from(b)
                .to_digit(16)
                .and_then(|d| u8::try_from(d).ok())
        })
        .collect::<Option<_>>()?;
    if digits.len() % 2 != 0 {
        return None;
    }
    Some(digits.chunks(2).map(|p| p[0] << 4 | p[1]).collect())
}

/// [`decode`] for tests, whose hex is known good.
#[cfg(test)]
pub(crate) fn bytes(text: &str) -> Vec<u8> {
    decode(text).unwrap_or_else(|| panic!("not hex: {text:?}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_pair_into_octets() {
        assert_eq!(decode("0aFf 10\n"), Some(vec![0x0a, 0xff, 0x10]));
        assert_eq!(decode(""), Some(vec![]));
        assert_eq!(decode("abc"), None);
        assert_eq!(decode("0g"), None);
        assert_eq!(decode("0x01"), None);
    }
}
