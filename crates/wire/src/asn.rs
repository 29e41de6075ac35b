//! Autonomous system numbers (RFC 6793).

use std::fmt;

/// An autonomous system number, two or four octets wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Asn(pub u32);

impl Asn {
    /// AS_TRANS (RFC 6793 §9): the two-octet stand-in for a four-octet-only ASN.
    pub const TRANS: Self = Self(23456);

    /// True when the ASN does not fit in two octets and must be sent as AS_TRANS to an old
    /// speaker.
    pub fn is_four_byte_only(self) -> bool {
        self.0 > u32::from(u16::MAX)
    }

    /// The two-octet form: the ASN itself, or AS_TRANS.
    pub fn to_two_byte(self) -> u16 {
        if self.is_four_byte_only() {
            Self::TRANS.0 as u16
        } else {
            self.0 as u16
        }
    }
}

impl fmt::Display for Asn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}
