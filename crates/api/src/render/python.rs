//! Python's `repr` of floats and bytes, as ExaBGP's JSON (`json.dumps`) and text encoders
//! print the values of BGP-LS attribute TLVs.

use std::fmt::Write;

/// A float as Python's `json.dumps` writes it: `repr` (shortest round-trip digits,
/// exponent form below 1e-4 and from 1e16). Deliberately, NaN and the infinities are
/// written `null`: `json.dumps` writes `NaN` / `Infinity`, which are not JSON.
pub(crate) fn py_float(out: &mut String, value: f64) {
    if value.is_finite() {
        py_repr_float(out, value);
    } else {
        out.push_str("null");
    }
}

/// A float as Python's `repr` writes it (`nan`, `inf` for the special values).
pub(crate) fn py_repr_float(out: &mut String, value: f64) {
    if value.is_nan() {
        out.push_str("nan");
        return;
    }
    if value.is_infinite() {
        out.push_str(if value > 0.0 { "inf" } else { "-inf" });
        return;
    }
    let sci = format!("{value:e}");
    let (mantissa, exp) = sci.split_once('e').unwrap_or((&sci, "0"));
    let exp: i32 = exp.parse().unwrap_or(0);
    let (sign, mantissa) = match mantissa.strip_prefix('-') {
        Some(m) => ("-", m),
        None => ("", mantissa),
    };
    let digits: String = mantissa.chars().filter(char::is_ascii_digit).collect();
    out.push_str(sign);
    if (-4..16).contains(&exp) {
        if exp >= 0 {
            let whole = usize::try_from(exp).unwrap_or(0) + 1;
            if digits.len() <= whole {
                out.push_str(&digits);
                out.extend(std::iter::repeat_n('0', whole - digits.len()));
                out.push_str(".0");
            } else {
                out.push_str(&digits[..whole]);
                out.push('.');
                out.push_str(&digits[whole..]);
            }
        } else {
            out.push_str("0.");
            out.extend(std::iter::repeat_n(
                '0',
                usize::try_from(-exp - 1).unwrap_or(0),
            ));
            out.push_str(&digits);
        }
    } else {
        out.push_str(mantissa);
        let _ = write!(out, "e{}{:02}", if exp < 0 { '-' } else { '+' }, exp.abs());
    }
}

/// Python's `repr` of a bytes value: `b'ab\x00'`.
pub(crate) fn py_bytes(out: &mut String, bytes: &[u8]) {
    let quote = if bytes.contains(&b'\'') && !bytes.contains(&b'"') {
        '"'
    } else {
        '\''
    };
    out.push('b');
    out.push(quote);
    for &b in bytes {
        match b {
            b'\\' => out.push_str("\\\\"),
            b'\t' => out.push_str("\\t"),
            b'\n' => out.push_str("\\n"),
            b'\r' => out.push_str("\\r"),
            _ if char::from(b) == quote => {
                out.push('\\');
                out.push(quote);
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
    }
    out.push(quote);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_print_as_python_repr() {
        // Expected strings: Python 3 `repr(float)`.
        let cases = [
            (125_000_000.0, "125000000.0"),
            (1.100_000_023_841_858, "1.100000023841858"),
            (1e16, "1e+16"),
            (1.5e16, "1.5e+16"),
            (1e-5, "1e-05"),
            (0.0001, "0.0001"),
            (0.0, "0.0"),
            (-2.5, "-2.5"),
            (f64::from(f32::MAX), "3.4028234663852886e+38"),
        ];
        for (value, want) in cases {
            let mut s = String::new();
            py_float(&mut s, value);
            assert_eq!(s, want, "{value}");
        }
        let mut s = String::new();
        py_float(&mut s, f64::NAN);
        py_repr_float(&mut s, f64::INFINITY);
        assert_eq!(s, "nullinf");
    }

    #[test]
    fn bytes_print_as_python_repr() {
        // Expected strings: Python 3 `repr(bytes)`.
        for (bytes, want) in [
            (&b"abc"[..], "b'abc'"),
            (b"\x00\x01", "b'\\x00\\x01'"),
            (b"it's", "b\"it's\""),
            (b"a'b\"", "b'a\\'b\"'"),
            (b"\\\n\xff", "b'\\\\\\n\\xff'"),
        ] {
            let mut s = String::new();
            py_bytes(&mut s, bytes);
            assert_eq!(s, want);
        }
    }
}
