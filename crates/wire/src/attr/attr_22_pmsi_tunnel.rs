//! PMSI_TUNNEL, type 22 (RFC 6514 §5): optional transitive, the tunnel a route's
//! multicast (or, in EVPN, broadcast / unknown-unicast / multicast) traffic takes; EVPN
//! Inclusive Multicast routes carry it (RFC 7432 §11.2).
//!
//! ```text
//! +---------------------------------+
//! |  Flags (1 octet)                |   bit 7 (0x01): Leaf Information Required
//! +---------------------------------+
//! |  Tunnel Type (1 octet)          |   0 no tunnel … 6 Ingress Replication, 7 mLDP MP2MP
//! +---------------------------------+
//! |  MPLS Label (3 octets)          |   label in the high-order 20 bits, or a VNI (RFC 8365)
//! +---------------------------------+
//! |  Tunnel Identifier (variable)   |   Ingress Replication: the endpoint's IP address
//! +---------------------------------+
//! ```
//!
//! The attribute is kept as received ([`crate::Attribute::Raw`], so it is sent again byte
//! for byte) and read with [`PmsiTunnel::decode`]. A value shorter than the 5 octets of
//! its fixed part is malformed: treat-as-withdraw (RFC 7606 §2: the tunnel decides how the
//! route's traffic is forwarded, so the attribute cannot be discarded; RFC 6514 names no
//! other action). ExaBGP 5.0.15 resets the session (3,5) there. A tunnel identifier of
//! another length than its type's is kept and shown as hex, as ExaBGP shows it.

use std::fmt;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{AttrCode, AttrError, AttrFlags, Attribute};
use crate::error::{Rfc7606Action, WireErrorKind};
use crate::reader::Reader;

/// A PMSI Tunnel attribute's value (RFC 6514 §5).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct PmsiTunnel {
    /// Flags (RFC 6514 §5: 0x01 is Leaf Information Required).
    pub flags: u8,
    /// Tunnel Type (IANA "P-Multicast Service Interface Tunnel (PMSI Tunnel) Tunnel Types").
    pub tunnel_type: u8,
    /// The 3-octet MPLS Label field as received.
    pub label: [u8; 3],
    /// Tunnel Identifier.
    pub tunnel_id: Vec<u8>,
}

impl PmsiTunnel {
    /// Tunnel type 6, Ingress Replication (RFC 6514 §5).
    pub const INGRESS_REPLICATION: u8 = 6;

    /// Octets of the fixed part (flags, tunnel type, label).
    const FIXED: usize = 5;

    /// An Ingress Replication tunnel to `endpoint` (RFC 7432 §11.2) with the 24-bit label
    /// field `label_field` (an MPLS label shifted left by 4, or a VNI).
    pub fn ingress_replication(endpoint: IpAddr, label_field: u32, flags: u8) -> Self {
        let b = label_field.to_be_bytes();
        Self {
            flags,
            tunnel_type: Self::INGRESS_REPLICATION,
            label: [b[1], b[2], b[3]],
            tunnel_id: match endpoint {
                IpAddr::V4(a) => a.octets().to_vec(),
                IpAddr::V6(a) => a.octets().to_vec(),
            },
        }
    }

    /// Reads an attribute value; `None` when shorter than its 5-octet fixed part.
    pub fn decode(value: &[u8]) -> Option<Self> {
        let [flags, tunnel_type, l0, l1, l2, id @ ..] = value else {
            return None;
        };
        Some(Self {
            flags: *flags,
            tunnel_type: *tunnel_type,
            label: [*l0, *l1, *l2],
            tunnel_id: id.to_vec(),
        })
    }

    /// The attribute value.
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(Self::FIXED + self.tunnel_id.len());
        out.push(self.flags);
        out.push(self.tunnel_type);
        out.extend_from_slice(&self.label);
        out.extend_from_slice(&self.tunnel_id);
        out
    }

    /// The attribute, optional transitive, to send as it is.
    pub fn to_attribute(&self) -> Attribute {
        Attribute::Raw {
            flags: AttrFlags(AttrFlags::OPTIONAL | AttrFlags::TRANSITIVE),
            code: AttrCode::PMSI_TUNNEL,
            data: self.encode(),
        }
    }

    /// The label field as a 24-bit integer.
    pub fn label_field(&self) -> u32 {
        u32::from_be_bytes([0, self.label[0], self.label[1], self.label[2]])
    }

    /// The Ingress Replication endpoint, when the type is 6 and the identifier an IPv4 or
    /// IPv6 address.
    pub fn endpoint(&self) -> Option<IpAddr> {
        if self.tunnel_type != Self::INGRESS_REPLICATION {
            return None;
        }
        match self.tunnel_id.len() {
            4 => <[u8; 4]>::try_from(&self.tunnel_id[..])
                .ok()
                .map(|a| IpAddr::V4(Ipv4Addr::from(a))),
            16 => <[u8; 16]>::try_from(&self.tunnel_id[..])
                .ok()
                .map(|a| IpAddr::V6(Ipv6Addr::from(a))),
            _ => None,
        }
    }

    /// The name of a tunnel type (RFC 6514 §5), as ExaBGP 5 names types 0 to 7.
    pub fn type_name(tunnel_type: u8) -> Option<&'static str> {
        Some(match tunnel_type {
            0 => "No tunnel",
            1 => "RSVP-TE P2MP LSP",
            2 => "mLDP P2MP LSP",
            3 => "PIM-SSM Tree",
            4 => "PIM-SM Tree",
            5 => "BIDIR-PIM Tree",
            6 => "Ingress Replication",
            7 => "mLDP MP2MP LSP",
            _ => return None,
        })
    }
}

/// ExaBGP 5's form, `pmsi:<type>:<flags>:<label>:<tunnel>`: the type name without spaces
/// in lower case (`unknown` past 7); the 20-bit label, followed by the whole field in
/// parentheses for an Ingress Replication tunnel to an IPv4 address when the field is not
/// zero; the tunnel as that address, nothing for type 0, else `0x` and upper-case hex.
impl fmt::Display for PmsiTunnel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let name: String = Self::type_name(self.tunnel_type)
            .unwrap_or("unknown")
            .chars()
            .filter(|c| *c != ' ')
            .flat_map(char::to_lowercase)
            .collect();
        write!(f, "pmsi:{name}:{}:", self.flags)?;
        let (raw, label) = (self.label_field(), self.label_field() >> 4);
        match self.endpoint() {
            Some(IpAddr::V4(ip)) => {
                if raw != 0 {
                    write!(f, "{label}({raw}):{ip}")
                } else {
                    write!(f, "0:{ip}")
                }
            }
            _ => {
                write!(f, "{label}:")?;
                if self.tunnel_type == 0 && self.tunnel_id.is_empty() {
                    return Ok(());
                }
                if !self.tunnel_id.is_empty() {
                    f.write_str("0x")?;
                }
                self.tunnel_id.iter().try_for_each(|b| write!(f, "{b:02X}"))
            }
        }
    }
}

/// Checks a received value (the attribute itself stays raw): shorter than 5 octets is
/// treat-as-withdraw.
pub(crate) fn decode(value: Reader<'_>) -> Result<(), AttrError> {
    match PmsiTunnel::decode(value.peek_rest()) {
        Some(_) => Ok(()),
        None => Err(AttrError::new(
            Rfc7606Action::TreatAsWithdraw,
            value.error(WireErrorKind::MalformedAttributeList(
                "PMSI tunnel shorter than 5 octets",
            )),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::bytes as hex;

    /// The values and what `exabgp decode` (5.0.15) prints for them as `"pmsi"`.
    #[test]
    fn shown_as_exabgp_shows_them() {
        for (value, shown) in [
            (
                "0006000641c0000201",
                "pmsi:ingressreplication:0:100(1601):192.0.2.1",
            ),
            (
                "000600012cc0000201",
                "pmsi:ingressreplication:0:18(300):192.0.2.1",
            ),
            (
                "000600064120010db8000000000000000000000001",
                "pmsi:ingressreplication:0:100:0x20010DB8000000000000000000000001",
            ),
            ("0100000000", "pmsi:notunnel:1:0:"),
            (
                "01010000000001000200030004c0000201",
                "pmsi:rsvp-tep2mplsp:1:0:0x0001000200030004C0000201",
            ),
            (
                "0106000641c0000201",
                "pmsi:ingressreplication:1:100(1601):192.0.2.1",
            ),
            ("00ff000000aabb", "pmsi:unknown:0:0:0xAABB"),
            ("0006000641c00002", "pmsi:ingressreplication:0:100:0xC00002"),
        ] {
            let pmsi = PmsiTunnel::decode(&hex(value)).unwrap();
            assert_eq!(pmsi.to_string(), shown, "{value}");
            assert_eq!(pmsi.encode(), hex(value));
        }
    }

    #[test]
    fn short_value_is_treat_as_withdraw() {
        for len in 0..5 {
            let value = vec![0; len];
            assert_eq!(PmsiTunnel::decode(&value), None);
            let e = decode(Reader::new(&value)).unwrap_err();
            assert_eq!(e.action, Rfc7606Action::TreatAsWithdraw);
        }
        assert!(decode(Reader::new(&[0; 5])).is_ok());
    }

    #[test]
    fn ingress_replication_is_built_as_rfc_7432_describes() {
        // RFC 7432 §11.2: type 6, the label field, the originating router's IP address.
        let ir = PmsiTunnel::ingress_replication("192.0.2.1".parse().unwrap(), 100 << 4, 0);
        assert_eq!(ir.encode(), hex("0006000640c0000201"));
        assert_eq!(ir.endpoint(), Some("192.0.2.1".parse().unwrap()));
        let ir6 = PmsiTunnel::ingress_replication("2001:db8::1".parse().unwrap(), 300, 0);
        assert_eq!(ir6.tunnel_id.len(), 16);
        assert_eq!(ir6.label_field(), 300);
    }
}
