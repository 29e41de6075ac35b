//! BGP Mobile User Plane NLRI, SAFI 85 (draft-mpmz-bess-mup-safi §3).
//!
//! ```text
//! +-----------------------------------+
//! |    Architecture Type (1 octet)    |
//! +-----------------------------------+
//! |       Route Type (2 octets)       |
//! +-----------------------------------+
//! |         Length (1 octet)          |
//! +-----------------------------------+
//! |  Route Type specific (variable)   |
//! +-----------------------------------+
//! ```
//!
//! Architecture 1 (3gpp-5g) route types, each opening with a Route Distinguisher:
//! 1 Interwork Segment Discovery (prefix length, prefix octets), 2 Direct Segment
//! Discovery (an IPv4 or IPv6 address), 3 Type 1 Session Transformed (prefix length and
//! octets, TEID (4), QFI (1), endpoint length and address, optional source length and
//! address), 4 Type 2 Session Transformed (endpoint length in bits = address bits + TEID
//! bits, address, the TEID's leading octets). Other types are kept as their bytes.
//!
//! Values are read as ExaBGP 5 reads them; a route of a known type that does not fit its
//! Length is an error (3,10) Invalid Network Field (RFC 7606 §5.3), as is an entry that
//! overruns the field. Prefixes keep the octets received (host bits included), so every
//! route re-encodes byte for byte.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{PathId, RouteDistinguisher};
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// A MUP route (one NLRI entry of SAFI 85).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MupRoute {
    /// ADD-PATH identifier, when ADD-PATH is negotiated for the family.
    pub path_id: Option<PathId>,
    /// Architecture type (1: 3gpp-5g).
    pub arch: u8,
    /// Route type.
    pub code: u16,
    /// The route-type specific value.
    pub value: MupValue,
}

/// The route-type specific part of a MUP route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MupValue {
    /// Interwork Segment Discovery route (architecture 1, type 1).
    Isd {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Prefix length in bits.
        prefix_len: u8,
        /// The prefix, with the octets received (zero padded).
        prefix: IpAddr,
    },
    /// Direct Segment Discovery route (architecture 1, type 2).
    Dsd {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// The address.
        ip: IpAddr,
    },
    /// Type 1 Session Transformed route (architecture 1, type 3).
    Type1St {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Prefix length in bits.
        prefix_len: u8,
        /// The prefix, with the octets received (zero padded).
        prefix: IpAddr,
        /// Tunnel endpoint identifier.
        teid: u32,
        /// QoS flow identifier.
        qfi: u8,
        /// Endpoint address (its length, 32 or 128, follows from the address).
        endpoint: IpAddr,
        /// Source address, when present.
        source: Option<IpAddr>,
    },
    /// Type 2 Session Transformed route (architecture 1, type 4).
    Type2St {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Endpoint length in bits: the address bits plus the TEID bits (0 to 32).
        endpoint_len: u8,
        /// Endpoint address.
        endpoint: IpAddr,
        /// The TEID, as the integer of its octets.
        teid: u32,
    },
    /// A route of another architecture or type, kept as its value octets.
    Unknown(Vec<u8>),
}

/// The 3gpp-5g architecture type.
const ARCH_3GPP_5G: u8 = 1;

/// True for the MUP families (AFI 1 or 2, SAFI 85).
pub fn is_mup_family(family: Family) -> bool {
    family.safi == Safi::MUP && (family.afi == Afi::IPV4 || family.afi == Afi::IPV6)
}

impl MupRoute {
    /// The name ExaBGP gives the route type (`InterworkSegmentDiscoveryRoute` …), if known.
    pub fn name(&self) -> Option<&'static str> {
        Some(match self.value {
            MupValue::Isd { .. } => "InterworkSegmentDiscoveryRoute",
            MupValue::Dsd { .. } => "DirectSegmentDiscoveryRoute",
            MupValue::Type1St { .. } => "Type1SessionTransformedRoute",
            MupValue::Type2St { .. } => "Type2SessionTransformedRoute",
            MupValue::Unknown(_) => return None,
        })
    }

    /// Decodes one entry (path identifier when `add_path`, then the route).
    pub(crate) fn decode(
        r: &mut Reader<'_>,
        afi: Afi,
        add_path: bool,
        bad: fn(&'static str) -> WireErrorKind,
    ) -> Result<Self, WireError> {
        let wrap = |e: WireError| WireError::new(e.offset, bad("MUP NLRI"));
        let path_id = PathId::read(r, add_path).map_err(wrap)?;
        let arch = r.u8("MUP architecture").map_err(wrap)?;
        let code = r.u16("MUP route type").map_err(wrap)?;
        let len = r.u8("MUP length").map_err(wrap)?;
        let mut v = r.sub(usize::from(len), "MUP route").map_err(wrap)?;
        let value = if arch == ARCH_3GPP_5G {
            decode_value(&mut v, code, afi).map_err(wrap)?
        } else {
            None
        };
        let value = value.unwrap_or_else(|| MupValue::Unknown(v.rest().to_vec()));
        Ok(Self {
            path_id,
            arch,
            code,
            value,
        })
    }

    /// Appends the entry (path identifier when `add_path`; a missing one is sent as 0).
    pub fn encode(&self, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if add_path {
            out.extend_from_slice(&self.path_id.map_or(0, |p| p.0).to_be_bytes());
        }
        out.push(self.arch);
        out.extend_from_slice(&self.code.to_be_bytes());
        let start = out.len();
        out.push(0);
        self.encode_value(out)?;
        let len = u8::try_from(out.len() - start - 1)
            .map_err(|_| EncodeError::FieldTooLong("MUP route"))?;
        out[start] = len;
        Ok(())
    }

    /// Appends the route-type specific value (the bytes ExaBGP's `raw` shows after the
    /// four header octets).
    pub fn encode_value(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match &self.value {
            MupValue::Isd {
                rd,
                prefix_len,
                prefix,
            } => {
                out.extend_from_slice(&rd.0);
                out.push(*prefix_len);
                put_prefix(out, *prefix_len, prefix)?;
            }
            MupValue::Dsd { rd, ip } => {
                out.extend_from_slice(&rd.0);
                put_ip(out, ip);
            }
            MupValue::Type1St {
                rd,
                prefix_len,
                prefix,
                teid,
                qfi,
                endpoint,
                source,
            } => {
                out.extend_from_slice(&rd.0);
                out.push(*prefix_len);
                put_prefix(out, *prefix_len, prefix)?;
                out.extend_from_slice(&teid.to_be_bytes());
                out.push(*qfi);
                out.push(bits(endpoint));
                put_ip(out, endpoint);
                if let Some(source) = source {
                    out.push(bits(source));
                    put_ip(out, source);
                }
            }
            MupValue::Type2St {
                rd,
                endpoint_len,
                endpoint,
                teid,
            } => {
                let teid_bits = endpoint_len
                    .checked_sub(bits(endpoint))
                    .filter(|b| *b <= 32)
                    .ok_or(EncodeError::Unencodable("MUP T2ST endpoint length"))?;
                out.extend_from_slice(&rd.0);
                out.push(*endpoint_len);
                put_ip(out, endpoint);
                let octets = usize::from(teid_bits).div_ceil(8);
                out.extend_from_slice(&teid.to_be_bytes()[4 - octets..]);
            }
            MupValue::Unknown(bytes) => out.extend_from_slice(bytes),
        }
        Ok(())
    }
}

fn bits(ip: &IpAddr) -> u8 {
    if ip.is_ipv4() {
        32
    } else {
        128
    }
}

fn put_ip(out: &mut Vec<u8>, ip: &IpAddr) {
    match ip {
        IpAddr::V4(a) => out.extend_from_slice(&a.octets()),
        IpAddr::V6(a) => out.extend_from_slice(&a.octets()),
    }
}

fn put_prefix(out: &mut Vec<u8>, len: u8, prefix: &IpAddr) -> Result<(), EncodeError> {
    let n = usize::from(len).div_ceil(8);
    let octets = match prefix {
        IpAddr::V4(a) => a.octets().to_vec(),
        IpAddr::V6(a) => a.octets().to_vec(),
    };
    let bytes = octets
        .get(..n)
        .ok_or(EncodeError::Unencodable("MUP prefix length"))?;
    out.extend_from_slice(bytes);
    Ok(())
}

/// An address of `size` octets (4 or 16) from the first octets of `bytes`, zero padded.
fn ip_of(bytes: &[u8], size: usize) -> IpAddr {
    let mut buf = [0u8; 16];
    let n = bytes.len().min(size);
    buf[..n].copy_from_slice(&bytes[..n]);
    if size == 4 {
        IpAddr::V4(Ipv4Addr::new(buf[0], buf[1], buf[2], buf[3]))
    } else {
        IpAddr::V6(Ipv6Addr::from(buf))
    }
}

fn afi_size(afi: Afi) -> usize {
    if afi == Afi::IPV6 {
        16
    } else {
        4
    }
}

fn malformed(v: &Reader<'_>, what: &'static str) -> WireError {
    v.error(WireErrorKind::MissingData(what))
}

/// Reads a prefix length and its octets for `afi`.
fn prefix(v: &mut Reader<'_>, afi: Afi, what: &'static str) -> Result<(u8, IpAddr), WireError> {
    let len = v.u8(what)?;
    let size = afi_size(afi);
    if usize::from(len) > size * 8 {
        return Err(malformed(v, what));
    }
    let octets = v.take(usize::from(len).div_ceil(8), what)?;
    Ok((len, ip_of(octets, size)))
}

/// Reads a length of 32 or 128 bits and the address.
fn sized_ip(v: &mut Reader<'_>, what: &'static str) -> Result<IpAddr, WireError> {
    let len = v.u8(what)?;
    if len != 32 && len != 128 {
        return Err(malformed(v, what));
    }
    let size = usize::from(len / 8);
    Ok(ip_of(v.take(size, what)?, size))
}

fn decode_value(v: &mut Reader<'_>, code: u16, afi: Afi) -> Result<Option<MupValue>, WireError> {
    let value = match code {
        1 => {
            let rd = RouteDistinguisher(v.array::<8>("MUP ISD RD")?);
            let (prefix_len, prefix) = prefix(v, afi, "MUP ISD prefix")?;
            MupValue::Isd {
                rd,
                prefix_len,
                prefix,
            }
        }
        2 => {
            let rd = RouteDistinguisher(v.array::<8>("MUP DSD RD")?);
            let size = v.left();
            if size != 4 && size != 16 {
                return Err(malformed(v, "MUP DSD address"));
            }
            MupValue::Dsd {
                rd,
                ip: ip_of(v.rest(), size),
            }
        }
        3 => {
            let rd = RouteDistinguisher(v.array::<8>("MUP T1ST RD")?);
            let (prefix_len, prefix) = prefix(v, afi, "MUP T1ST prefix")?;
            let teid = v.u32("MUP T1ST TEID")?;
            let qfi = v.u8("MUP T1ST QFI")?;
            let endpoint = sized_ip(v, "MUP T1ST endpoint")?;
            let source = if v.is_empty() {
                None
            } else {
                Some(sized_ip(v, "MUP T1ST source")?)
            };
            MupValue::Type1St {
                rd,
                prefix_len,
                prefix,
                teid,
                qfi,
                endpoint,
                source,
            }
        }
        4 => {
            let rd = RouteDistinguisher(v.array::<8>("MUP T2ST RD")?);
            let endpoint_len = v.u8("MUP T2ST endpoint length")?;
            let size = afi_size(afi);
            let ip_bits = size * 8;
            let teid_bits = usize::from(endpoint_len)
                .checked_sub(ip_bits)
                .filter(|b| *b <= 32)
                .ok_or_else(|| malformed(v, "MUP T2ST endpoint length"))?;
            let endpoint = ip_of(v.take(size, "MUP T2ST endpoint")?, size);
            let octets = v.take(teid_bits.div_ceil(8), "MUP T2ST TEID")?;
            let teid = octets.iter().fold(0u32, |a, b| (a << 8) | u32::from(*b));
            MupValue::Type2St {
                rd,
                endpoint_len,
                endpoint,
                teid,
            }
        }
        _ => return Ok(None),
    };
    v.expect_empty("MUP route")?;
    Ok(Some(value))
}
