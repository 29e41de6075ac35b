//! Route Target Constraint NLRI (RFC 4684 §4; AFI 1, SAFI 132).
//!
//! ```text
//! +-------------------------------+
//! | Length (1 octet, in bits)     |   0, or 32..=96
//! +-------------------------------+
//! | Origin AS (4 octets)          |
//! +-------------------------------+
//! | Route Target (0..=8 octets)   |   a prefix of the extended community
//! +-------------------------------+
//! ```
//!
//! Length 0 is the default route (RFC 4684 §4, matching every route target). Otherwise the
//! origin AS is always whole (Length ≥ 32) and the route target is a prefix of
//! `Length - 32` bits; a Length of 1–31 or above 96 is (3,10) Invalid Network Field.
//! ExaBGP 5 reads the 12 octets whatever the length; the two agree on the lengths used in
//! practice (0 and 96).

use super::PathId;
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::reader::Reader;

/// One RTC NLRI entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Rtc {
    /// ADD-PATH identifier, when ADD-PATH is negotiated for the family.
    pub path_id: Option<PathId>,
    /// Prefix length in bits: 0 (default route) or 32..=96.
    pub bits: u8,
    /// Origin AS (0 for the default route).
    pub origin: u32,
    /// The route target's octets; those past `bits` are zero.
    pub route_target: [u8; 8],
}

impl Rtc {
    /// The default route (Length 0).
    pub fn default_route() -> Self {
        Self {
            path_id: None,
            bits: 0,
            origin: 0,
            route_target: [0; 8],
        }
    }

    /// Octets of the route target on the wire.
    fn rt_octets(bits: u8) -> usize {
        usize::from(bits.saturating_sub(32)).div_ceil(8)
    }

    /// Octets this entry takes on the wire.
    pub fn encoded_len(&self, add_path: bool) -> usize {
        let body = if self.bits == 0 {
            0
        } else {
            4 + Self::rt_octets(self.bits)
        };
        usize::from(add_path) * 4 + 1 + body
    }

    /// Appends the entry (path identifier when `add_path`).
    pub fn encode(&self, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if self.bits != 0 && !(32..=96).contains(&self.bits) {
            return Err(EncodeError::Unencodable("RTC prefix length"));
        }
        if add_path {
            out.extend_from_slice(&self.path_id.unwrap_or_default().0.to_be_bytes());
        }
        out.push(self.bits);
        if self.bits != 0 {
            out.extend_from_slice(&self.origin.to_be_bytes());
            out.extend_from_slice(&self.route_target[..Self::rt_octets(self.bits)]);
        }
        Ok(())
    }

    /// Decodes one entry (path identifier already read).
    pub(crate) fn decode(
        r: &mut Reader<'_>,
        path_id: Option<PathId>,
        truncated: fn(&'static str) -> WireErrorKind,
    ) -> Result<Self, WireError> {
        let at = r.offset();
        let bits = r
            .u8("RTC length")
            .map_err(|e| WireError::new(e.offset, truncated("RTC length")))?;
        if bits == 0 {
            return Ok(Self {
                path_id,
                ..Self::default_route()
            });
        }
        if !(32..=96).contains(&bits) {
            return Err(WireError::new(
                at,
                WireErrorKind::InvalidNetworkField("RTC length not 0 or 32..=96"),
            ));
        }
        let body = r
            .take(4 + Self::rt_octets(bits), "RTC NLRI")
            .map_err(|e| WireError::new(e.offset, truncated("RTC NLRI")))?;
        let mut route_target = [0u8; 8];
        let (origin, rt) = body.split_at(4);
        route_target[..rt.len()].copy_from_slice(rt);
        Ok(Self {
            path_id,
            bits,
            origin: u32::from_be_bytes([origin[0], origin[1], origin[2], origin[3]]),
            route_target,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<Rtc, WireError> {
        Rtc::decode(
            &mut Reader::new(bytes),
            None,
            WireErrorKind::MalformedAttributeList,
        )
    }

    /// RFC 4684 §4: origin AS 65000, route target 65000:100 (type 0x00 0x02), /96.
    #[test]
    fn full_length_round_trips() {
        let bytes = [
            0x60, 0, 0, 0xfd, 0xe8, 0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 0x64,
        ];
        let rtc = decode(&bytes).unwrap();
        assert_eq!(rtc.bits, 96);
        assert_eq!(rtc.origin, 65000);
        assert_eq!(rtc.route_target, [0x00, 0x02, 0xfd, 0xe8, 0, 0, 0, 0x64]);
        let mut out = Vec::new();
        rtc.encode(false, &mut out).unwrap();
        assert_eq!(out, bytes);
        assert_eq!(rtc.encoded_len(false), 13);
    }

    #[test]
    fn default_route_is_one_octet() {
        let rtc = decode(&[0]).unwrap();
        assert_eq!(rtc, Rtc::default_route());
        let mut out = Vec::new();
        rtc.encode(true, &mut out).unwrap();
        assert_eq!(out, [0, 0, 0, 0, 0]);
    }

    #[test]
    fn partial_route_target_takes_its_octets() {
        // 48 bits: origin AS and the two type octets of the route target.
        let bytes = [48, 0, 0, 0, 1, 0x00, 0x02];
        let rtc = decode(&bytes).unwrap();
        assert_eq!(rtc.route_target, [0, 2, 0, 0, 0, 0, 0, 0]);
        let mut out = Vec::new();
        rtc.encode(false, &mut out).unwrap();
        assert_eq!(out, bytes);
    }

    #[test]
    fn bad_lengths_are_refused() {
        let e = decode(&[16, 0, 1]).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("RTC length not 0 or 32..=96")
        );
        assert!(decode(&[97; 14]).is_err());
        let e = decode(&[96, 0, 0, 0, 1, 0, 2]).unwrap_err();
        assert_eq!(e.kind, WireErrorKind::MalformedAttributeList("RTC NLRI"));
    }
}
