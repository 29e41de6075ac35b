//! The fields EVPN routes share (RFC 7432 §5, §7): Ethernet Segment Identifier, MAC
//! address and the 3-octet MPLS label / VNI field.

use std::fmt;
use std::str::FromStr;

/// An Ethernet Segment Identifier (RFC 7432 §5), ten octets, kept as received.
///
/// Shown as ExaBGP 5 shows it: `-` when all zero, else lower-case hex octets joined by
/// colons. Parsed from either form (or the decimal `0`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Esi(pub [u8; 10]);

impl fmt::Display for Esi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0 == [0; 10] {
            return f.write_str("-");
        }
        colon_hex(f, &self.0, false)
    }
}

impl FromStr for Esi {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        if s == "-" || s == "0" {
            return Ok(Self::default());
        }
        colon_octets(s)
            .map(Self)
            .ok_or("an ESI is '-', 0 or ten hex octets joined by ':'")
    }
}

/// A 48-bit MAC address (RFC 7432 §7.2; the MAC Address Length field is always 48).
///
/// Shown as ExaBGP 5 shows it: upper-case hex octets joined by colons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct MacAddress(pub [u8; 6]);

impl fmt::Display for MacAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        colon_hex(f, &self.0, true)
    }
}

impl FromStr for MacAddress {
    type Err = &'static str;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        colon_octets(s)
            .map(Self)
            .ok_or("a MAC address is six hex octets joined by ':'")
    }
}

/// One 3-octet label field of an EVPN route (RFC 7432 §7.1, §7.2; RFC 8365 §5.1.3 puts
/// a 24-bit VNI there). Kept as the raw 24 bits so that every value round-trips.
///
/// ExaBGP 5 shows the 20-bit label (`raw >> 4`) and, when not zero, the raw value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct EvpnLabel(pub [u8; 3]);

impl EvpnLabel {
    /// An MPLS label `value` (20 bits) with the bottom-of-stack bit set, as ExaBGP and
    /// GoBGP encode a configured label; `None` beyond 20 bits.
    pub fn mpls(value: u32) -> Option<Self> {
        (value <= 0xf_ffff).then(|| Self::from_raw((value << 4) | 1))
    }

    /// The field of the 24-bit `raw` value (the top octet of `raw` is ignored).
    pub fn from_raw(raw: u32) -> Self {
        let b = raw.to_be_bytes();
        Self([b[1], b[2], b[3]])
    }

    /// The 24 bits as an integer.
    pub fn raw(self) -> u32 {
        u32::from_be_bytes([0, self.0[0], self.0[1], self.0[2]])
    }

    /// The 20-bit MPLS label (the top 20 bits of the field).
    pub fn label(self) -> u32 {
        self.raw() >> 4
    }
}

fn colon_hex(f: &mut fmt::Formatter<'_>, bytes: &[u8], upper: bool) -> fmt::Result {
    for (i, b) in bytes.iter().enumerate() {
        if i > 0 {
            f.write_str(":")?;
        }
        if upper {
            write!(f, "{b:02X}")?;
        } else {
            write!(f, "{b:02x}")?;
        }
    }
    Ok(())
}

/// `N` hex octets joined by colons (one or two digits each).
fn colon_octets<const N: usize>(s: &str) -> Option<[u8; N]> {
    let mut out = [0u8; N];
    let mut parts = s.split(':');
    for slot in &mut out {
        let part = parts.next()?;
        if part.is_empty() || part.len() > 2 || !part.bytes().all(|c| c.is_ascii_hexdigit()) {
            return None;
        }
        *slot = u8::from_str_radix(part, 16).ok()?;
    }
    parts.next().is_none().then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn esi_forms() {
        assert_eq!(Esi::default().to_string(), "-");
        let esi: Esi = "00:11:22:33:44:55:66:77:88:AA".parse().unwrap();
        assert_eq!(esi.0[9], 0xaa);
        assert_eq!(esi.to_string(), "00:11:22:33:44:55:66:77:88:aa");
        assert_eq!("0".parse::<Esi>(), Ok(Esi::default()));
        assert!("00:11".parse::<Esi>().is_err());
        assert!("00:11:22:33:44:55:66:77:88:99:00".parse::<Esi>().is_err());
    }

    #[test]
    fn mac_forms() {
        let mac: MacAddress = "fc:15:b4:78:7b:8f".parse().unwrap();
        assert_eq!(mac.to_string(), "FC:15:B4:78:7B:8F");
        assert!("fc:15:b4:78:7b".parse::<MacAddress>().is_err());
        assert!("fc:15:b4:78:7b:8f0".parse::<MacAddress>().is_err());
        assert!("fc:15:b4:78:7b:+f".parse::<MacAddress>().is_err());
    }

    #[test]
    fn label_bits() {
        // RFC 3032 §2.1: label in the top 20 bits, bottom of stack is bit 0.
        let l = EvpnLabel::mpls(100).unwrap();
        assert_eq!(l.0, [0x00, 0x06, 0x41]);
        assert_eq!((l.label(), l.raw()), (100, 1601));
        assert!(EvpnLabel::mpls(1 << 20).is_none());
        assert_eq!(EvpnLabel::from_raw(0x00ab_cdef).0, [0xab, 0xcd, 0xef]);
    }
}
