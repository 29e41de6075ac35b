//! Labeled unicast (RFC 8277 §2) and L3VPN (RFC 4364 §4.3.4, RFC 4659 §3) NLRI.
//!
//! ```text
//! +---------------------------+
//! |   Length (1 octet)        |  bits: 24 per label + 64 for the RD + prefix bits
//! +---------------------------+
//! |   Label (3 octets) …      |  20-bit label, 3-bit TC, bottom-of-stack bit
//! +---------------------------+
//! |   Route Distinguisher (8) |  VPN families (SAFI 128) only
//! +---------------------------+
//! |   Prefix (variable)       |
//! +---------------------------+
//! ```
//!
//! The label stack ends at the bottom-of-stack bit. A stack of one field also ends where
//! the bits left after it are a prefix the family can hold (RFC 8277 §2.2 and §2.4: the S
//! bit and a withdrawal's Compatibility field are ignored on reception), at the RFC 3107
//! withdrawal value 0x800000 in a withdrawal, and at 0x000000; these are the rules ExaBGP
//! 5.0.15 applies, so both read the same bytes as the same routes. A stack that never
//! ends, a Length shorter than the RD, or a prefix longer than the address is (3,10)
//! (RFC 7606 §5.3: the NLRI cannot be parsed).
//!
//! Only the 20-bit label values are kept: encoding writes TC 0 and sets the
//! bottom-of-stack bit on the last label (RFC 8277 §2.2).

use std::fmt;
use std::net::Ipv4Addr;

use ipnet::IpNet;

use super::Nlri;
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// An MPLS label value (RFC 3032 §2.1): 20 bits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Label(u32);

impl Label {
    /// The largest label value, 2^20 - 1.
    pub const MAX: u32 = 0xf_ffff;

    /// A label of `value`; `None` beyond 20 bits.
    pub fn new(value: u32) -> Option<Self> {
        (value <= Self::MAX).then_some(Self(value))
    }

    /// The 20-bit value.
    pub fn value(self) -> u32 {
        self.0
    }
}

impl fmt::Display for Label {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0)
    }
}

/// A Route Distinguisher (RFC 4364 §4.2), kept as its eight octets so every type
/// round-trips.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct RouteDistinguisher(pub [u8; 8]);

impl RouteDistinguisher {
    /// Type 0: a 2-octet ASN and a 4-octet number.
    pub fn asn2(asn: u16, number: u32) -> Self {
        let mut b = [0u8; 8];
        b[2..4].copy_from_slice(&asn.to_be_bytes());
        b[4..8].copy_from_slice(&number.to_be_bytes());
        Self(b)
    }

    /// Type 1: an IPv4 address and a 2-octet number.
    pub fn ipv4(ip: Ipv4Addr, number: u16) -> Self {
        let mut b = [0u8; 8];
        b[1] = 1;
        b[2..6].copy_from_slice(&ip.octets());
        b[6..8].copy_from_slice(&number.to_be_bytes());
        Self(b)
    }

    /// Type 2: a 4-octet ASN and a 2-octet number.
    pub fn asn4(asn: u32, number: u16) -> Self {
        let mut b = [0u8; 8];
        b[1] = 2;
        b[2..6].copy_from_slice(&asn.to_be_bytes());
        b[6..8].copy_from_slice(&number.to_be_bytes());
        Self(b)
    }
}

impl fmt::Display for RouteDistinguisher {
    /// ExaBGP's form: type 0 `asn:n`, type 1 `ip:n`, type 2 `asn4:n`; other types as
    /// hexadecimal.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0;
        let u16_at = |i: usize| u16::from_be_bytes([b[i], b[i + 1]]);
        let u32_at = |i: usize| u32::from_be_bytes([b[i], b[i + 1], b[i + 2], b[i + 3]]);
        match u16_at(0) {
            0 => write!(f, "{}:{}", u16_at(2), u32_at(4)),
            1 => write!(f, "{}.{}.{}.{}:{}", b[2], b[3], b[4], b[5], u16_at(6)),
            2 => write!(f, "{}:{}", u32_at(2), u16_at(6)),
            _ => {
                f.write_str("0x")?;
                b.iter().try_for_each(|x| write!(f, "{x:02X}"))
            }
        }
    }
}

/// The RFC 3107 value a withdrawal may carry instead of a label (RFC 8277 §2.4).
const WITHDRAW_FIELD: u32 = 0x80_0000;

/// True for labeled unicast (SAFI 4) and VPN (SAFI 128) families of IPv4 and IPv6.
pub fn is_labeled_family(family: Family) -> bool {
    matches!(family.afi, Afi::IPV4 | Afi::IPV6)
        && matches!(family.safi, Safi::MPLS | Safi::MPLS_VPN)
}

/// True for the VPN families, whose NLRI carry a Route Distinguisher.
fn has_rd(family: Family) -> bool {
    family.safi == Safi::MPLS_VPN
}

/// The label stack, RD and prefix length read after the Length octet.
pub(super) struct Head {
    pub(super) labels: Vec<Label>,
    pub(super) rd: Option<RouteDistinguisher>,
    pub(super) bits: u8,
}

/// Reads the label stack and RD after the Length octet `len` (at offset `at`).
pub(super) fn decode_head(
    r: &mut Reader<'_>,
    family: Family,
    len: u8,
    at: usize,
    withdraw: bool,
    truncated: fn(&'static str) -> WireErrorKind,
) -> Result<Head, WireError> {
    let invalid = |what| WireError::new(at, WireErrorKind::InvalidNetworkField(what));
    let rd_bits: u32 = if has_rd(family) { 64 } else { 0 };
    let addr_bits: u32 = if family.afi == Afi::IPV4 { 32 } else { 128 };
    let mut bits = u32::from(len);
    let mut labels = Vec::new();
    let mut ended = false;
    while bits >= rd_bits + 24 {
        let b = r
            .array::<3>("label")
            .map_err(|e| WireError::new(e.offset, truncated("label")))?;
        let field = u32::from_be_bytes([0, b[0], b[1], b[2]]);
        bits -= 24;
        labels.push(Label(field >> 4));
        if field & 1 == 1 {
            ended = true;
            break;
        }
        if labels.len() > 1 {
            continue;
        }
        let left = bits - rd_bits;
        if (0 < left && left <= addr_bits) || (withdraw && field == WITHDRAW_FIELD) || field == 0 {
            ended = true;
            break;
        }
    }
    if !labels.is_empty() && !ended {
        return Err(invalid("label stack without bottom of stack"));
    }
    let rd = if has_rd(family) {
        if bits < rd_bits {
            return Err(invalid("VPN NLRI shorter than its route distinguisher"));
        }
        bits -= rd_bits;
        let rd = r
            .array::<8>("route distinguisher")
            .map_err(|e| WireError::new(e.offset, truncated("route distinguisher")))?;
        Some(RouteDistinguisher(rd))
    } else {
        None
    };
    // `bits <= len`, an octet.
    let bits = u8::try_from(bits).map_err(|_| invalid("labeled NLRI length"))?;
    Ok(Head { labels, rd, bits })
}

/// Writes the Length octet, the label stack and the RD of a labeled or VPN prefix.
pub(super) fn encode_head(
    family: Family,
    labels: &[Label],
    rd: Option<RouteDistinguisher>,
    prefix: &IpNet,
    out: &mut Vec<u8>,
) -> Result<(), EncodeError> {
    if !super::afi_holds(family.afi, prefix) || !is_labeled_family(family) {
        return Err(EncodeError::Unencodable(
            "labeled prefix in a family of another kind",
        ));
    }
    let rd = match (rd, has_rd(family)) {
        (Some(rd), true) => Some(rd),
        (None, false) => None,
        (None, true) => return Err(EncodeError::Unencodable("VPN prefix without an RD")),
        (Some(_), false) => return Err(EncodeError::Unencodable("labeled prefix with an RD")),
    };
    let bits =
        24 * labels.len() + if rd.is_some() { 64 } else { 0 } + usize::from(prefix.prefix_len());
    out.push(u8::try_from(bits).map_err(|_| EncodeError::FieldTooLong("labeled NLRI length"))?);
    for (i, label) in labels.iter().enumerate() {
        let bos = u32::from(i + 1 == labels.len());
        let field = (label.0 << 4) | bos;
        out.extend_from_slice(&field.to_be_bytes()[1..]);
    }
    if let Some(rd) = rd {
        out.extend_from_slice(&rd.0);
    }
    Ok(())
}

impl Nlri {
    /// A labeled (`rd` `None`) or VPN prefix without a path identifier; host bits cleared.
    pub fn labeled(labels: Vec<Label>, rd: Option<RouteDistinguisher>, prefix: IpNet) -> Self {
        Self::Labeled {
            path_id: None,
            labels,
            rd,
            prefix: prefix.trunc(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::bytes as hex;

    const V4_LABELED: Family = Family::new(Afi::IPV4, Safi::MPLS);
    const V4_VPN: Family = Family::new(Afi::IPV4, Safi::MPLS_VPN);
    const V6_VPN: Family = Family::new(Afi::IPV6, Safi::MPLS_VPN);

    fn decode(bytes: &[u8], family: Family, add_path: bool) -> Result<Vec<Nlri>, WireError> {
        Nlri::decode_field(
            &mut Reader::new(bytes),
            family,
            add_path,
            WireErrorKind::MalformedAttributeList,
        )
    }

    fn round_trip(bytes: &[u8], family: Family, add_path: bool, expect: Nlri) {
        let nlri = decode(bytes, family, add_path).unwrap();
        assert_eq!(nlri, vec![expect]);
        let mut out = Vec::new();
        nlri[0].encode(family, add_path, &mut out).unwrap();
        assert_eq!(out, bytes);
        assert_eq!(nlri[0].encoded_len(family, add_path), bytes.len());
    }

    fn label(v: u32) -> Label {
        Label::new(v).unwrap()
    }

    #[test]
    fn labeled_ipv4_from_conf_prefix_sid() {
        round_trip(
            &hex("38C35011C6336464"),
            V4_LABELED,
            false,
            Nlri::labeled(
                vec![label(800_001)],
                None,
                "198.51.100.100/32".parse().unwrap(),
            ),
        );
    }

    #[test]
    fn vpnv4_from_conf_vpn_and_addpath() {
        let rd = RouteDistinguisher::asn2(65000, 1);
        round_trip(
            &hex("71003E810000FDE8000000010A000080"),
            V4_VPN,
            false,
            Nlri::labeled(
                vec![label(1000)],
                Some(rd),
                "10.0.0.128/25".parse().unwrap(),
            ),
        );
        let mut with_id = Nlri::labeled(
            vec![label(20012)],
            Some(RouteDistinguisher::asn2(100, 100)),
            "10.0.0.0/24".parse().unwrap(),
        );
        if let Nlri::Labeled { path_id, .. } = &mut with_id {
            *path_id = Some(super::super::PathId(10));
        }
        round_trip(
            &hex("0000000A7004E2C100000064000000640A0000"),
            V4_VPN,
            true,
            with_id,
        );
    }

    #[test]
    fn vpnv6_from_conf_parity() {
        round_trip(
            &hex("880039E100000C8F22C6DB3D20014B5020C0"),
            V6_VPN,
            false,
            Nlri::labeled(
                vec![label(926)],
                Some(RouteDistinguisher::asn2(3215, 583_457_597)),
                "2001:4b50:20c0::/48".parse().unwrap(),
            ),
        );
    }

    #[test]
    fn label_stacks_of_two_and_of_none() {
        round_trip(
            &hex("480001000000310A0000"),
            V4_LABELED,
            false,
            Nlri::labeled(
                vec![label(16), label(3)],
                None,
                "10.0.0.0/24".parse().unwrap(),
            ),
        );
        round_trip(
            &hex("080A"),
            V4_LABELED,
            false,
            Nlri::labeled(vec![], None, "10.0.0.0/8".parse().unwrap()),
        );
    }

    #[test]
    fn one_field_without_s_bit_ends_where_a_prefix_fits() {
        // RFC 8277 §2.2: S ignored on reception; 32 bits left are the prefix.
        let nlri = decode(&hex("380001000A000001"), V4_LABELED, false).unwrap();
        assert_eq!(
            nlri,
            vec![Nlri::labeled(
                vec![label(16)],
                None,
                "10.0.0.1/32".parse().unwrap()
            )]
        );
    }

    #[test]
    fn withdrawal_compatibility_field_ends_the_stack() {
        // 0x800000 then RD then /24, in an MP_UNREACH (RFC 8277 §2.4).
        let bytes = hex("708000000000FDE8000000010A0000");
        let nlri = Nlri::decode_withdrawn(
            &mut Reader::new(&bytes),
            V4_VPN,
            false,
            WireErrorKind::MalformedAttributeList,
        )
        .unwrap();
        assert_eq!(
            nlri,
            vec![Nlri::labeled(
                vec![label(0x8_0000)],
                Some(RouteDistinguisher::asn2(65000, 1)),
                "10.0.0.0/24".parse().unwrap()
            )]
        );
    }

    /// Malformed-message row 46: no bottom-of-stack bit.
    #[test]
    fn stack_without_bottom_is_invalid_network_field() {
        let e = decode(&hex("500001000000200000300A"), V4_LABELED, false).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("label stack without bottom of stack")
        );
        assert_eq!(e.offset, 0);
    }

    /// Malformed-message row 46: a prefix longer than the address after the label.
    #[test]
    fn prefix_longer_than_address_after_label() {
        let e = decode(&hex("40000011C633646401"), V4_LABELED, false).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("IPv4 prefix length > 32")
        );
    }

    /// Malformed-message row 47: VPN NLRI shorter than label + RD.
    #[test]
    fn vpn_shorter_than_rd_is_invalid_network_field() {
        let e = decode(&hex("38003E810000FDE8"), V4_VPN, false).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("VPN NLRI shorter than its route distinguisher")
        );
        // Length says label + RD + /24 but the RD is cut short: truncated.
        let e = decode(&hex("70003E810000FDE8"), V4_VPN, false).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::MalformedAttributeList("route distinguisher")
        );
    }

    /// Malformed-message row 51: ADD-PATH negotiated, path identifier cut short.
    #[test]
    fn missing_path_id_is_truncated() {
        let e = decode(&hex("000000"), V4_VPN, true).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::MalformedAttributeList("path identifier")
        );
    }

    #[test]
    fn encoding_checks_family_and_rd() {
        let p: IpNet = "10.0.0.0/8".parse().unwrap();
        let rd = Some(RouteDistinguisher::asn2(1, 1));
        let mut out = Vec::new();
        assert!(Nlri::labeled(vec![], None, p)
            .encode(V4_VPN, false, &mut out)
            .is_err());
        assert!(Nlri::labeled(vec![], rd, p)
            .encode(V4_LABELED, false, &mut out)
            .is_err());
        assert!(Nlri::labeled(vec![], rd, p)
            .encode(V6_VPN, false, &mut out)
            .is_err());
        assert!(Nlri::labeled(vec![], rd, p)
            .encode(Family::IPV4_UNICAST, false, &mut out)
            .is_err());
        let long = Nlri::labeled(vec![label(1); 8], rd, "2001:db8::/64".parse().unwrap());
        assert!(long.encode(V6_VPN, false, &mut out).is_err());
    }

    #[test]
    fn rd_types_print_as_exabgp() {
        assert_eq!(RouteDistinguisher::asn2(65000, 1).to_string(), "65000:1");
        assert_eq!(
            RouteDistinguisher::ipv4(Ipv4Addr::new(1, 2, 3, 4), 5).to_string(),
            "1.2.3.4:5"
        );
        assert_eq!(
            RouteDistinguisher::asn4(4_200_000_000, 7).to_string(),
            "4200000000:7"
        );
        assert_eq!(
            RouteDistinguisher([0, 9, 1, 2, 3, 4, 5, 6]).to_string(),
            "0x0009010203040506"
        );
    }
}
