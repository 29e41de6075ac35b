//! EVPN NLRI, AFI 25 (L2VPN) / SAFI 70 (RFC 7432 §7, RFC 9136 §3).
//!
//! ```text
//! +-----------------------------------+
//! |    Route Type (1 octet)           |
//! +-----------------------------------+
//! |     Length (1 octet)              |
//! +-----------------------------------+
//! | Route Type specific (variable)    |
//! +-----------------------------------+
//! ```
//!
//! Route types (RD: Route Distinguisher, 8 octets; ESI: 10 octets; Ethernet Tag: 4;
//! addresses are preceded by their length in bits, 32 or 128):
//!
//! | type | RFC | value |
//! |---|---|---|
//! | 1 Ethernet Auto-Discovery | 7432 §7.1 | RD, ESI, Ethernet Tag, MPLS Label (3 each) |
//! | 2 MAC/IP Advertisement | 7432 §7.2 | RD, ESI, Ethernet Tag, MAC length (48), MAC (6), IP length (0, 32, 128), IP, MPLS Label1, optional Label2 |
//! | 3 Inclusive Multicast Ethernet Tag | 7432 §7.3 | RD, Ethernet Tag, IP length, originating router's IP |
//! | 4 Ethernet Segment | 7432 §7.4 | RD, ESI, IP length, originating router's IP |
//! | 5 IP Prefix | 9136 §3.1 | RD, ESI, Ethernet Tag, prefix length (1), prefix (4 or 16), gateway IP (4 or 16), MPLS Label; 34 or 58 octets |
//!
//! Other route types are kept as their value octets. A route that does not fit its own
//! Length, or whose lengths are not the ones above (as ExaBGP 5 checks them), makes the
//! NLRI unparseable: (3,10) Invalid Network Field (RFC 7606 §5.3); an entry overrunning
//! the NLRI field is the caller's `truncated` kind. Every decoded route re-encodes byte
//! for byte. Which fields make the route key (what an announcement replaces and a
//! withdrawal names) is in [`Evpn::route_key`].

mod fields;
mod key;

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

pub use fields::{Esi, EvpnLabel, MacAddress};

use super::{PathId, RouteDistinguisher};
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// One EVPN NLRI entry.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Evpn {
    /// ADD-PATH identifier, when ADD-PATH is negotiated for the family (RFC 7911 §3).
    pub path_id: Option<PathId>,
    /// The route.
    pub route: EvpnRoute,
}

/// The route of an EVPN NLRI entry, by route type.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum EvpnRoute {
    /// Type 1, Ethernet Auto-Discovery (RFC 7432 §7.1).
    EthernetAd {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Ethernet Segment Identifier.
        esi: Esi,
        /// Ethernet Tag ID.
        etag: u32,
        /// Label fields (one on the wire in RFC 7432; any number is kept).
        labels: Vec<EvpnLabel>,
    },
    /// Type 2, MAC/IP Advertisement (RFC 7432 §7.2).
    MacIp {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Ethernet Segment Identifier.
        esi: Esi,
        /// Ethernet Tag ID.
        etag: u32,
        /// The MAC address.
        mac: MacAddress,
        /// The IP address, when the IP Address Length is not 0.
        ip: Option<IpAddr>,
        /// MPLS Label1 and the optional Label2 (one or two).
        labels: Vec<EvpnLabel>,
    },
    /// Type 3, Inclusive Multicast Ethernet Tag (RFC 7432 §7.3).
    Multicast {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Ethernet Tag ID.
        etag: u32,
        /// Originating router's IP address.
        ip: IpAddr,
    },
    /// Type 4, Ethernet Segment (RFC 7432 §7.4).
    EthernetSegment {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Ethernet Segment Identifier.
        esi: Esi,
        /// Originating router's IP address.
        ip: IpAddr,
    },
    /// Type 5, IP Prefix (RFC 9136 §3.1).
    IpPrefix {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Ethernet Segment Identifier.
        esi: Esi,
        /// Ethernet Tag ID.
        etag: u32,
        /// IP prefix length in bits, as received.
        prefix_len: u8,
        /// The prefix address (4 or 16 octets on the wire, as received).
        prefix: IpAddr,
        /// Gateway IP address, of the same version as `prefix`.
        gateway: IpAddr,
        /// MPLS label.
        label: EvpnLabel,
    },
    /// A route of another type, kept as its value octets.
    Unknown {
        /// Route type.
        code: u8,
        /// The value octets (after the Length).
        value: Vec<u8>,
    },
}

/// True for the EVPN family (AFI 25, SAFI 70).
pub fn is_evpn_family(family: Family) -> bool {
    family.afi == Afi::L2VPN && family.safi == Safi::EVPN
}

impl EvpnRoute {
    /// The route type code.
    pub fn code(&self) -> u8 {
        match self {
            Self::EthernetAd { .. } => 1,
            Self::MacIp { .. } => 2,
            Self::Multicast { .. } => 3,
            Self::EthernetSegment { .. } => 4,
            Self::IpPrefix { .. } => 5,
            Self::Unknown { code, .. } => *code,
        }
    }

    /// ExaBGP's name of the route type (`MAC/IP advertisement` …), `None` when unknown.
    pub fn name(&self) -> Option<&'static str> {
        Some(match self {
            Self::EthernetAd { .. } => "Ethernet Auto-Discovery",
            Self::MacIp { .. } => "MAC/IP advertisement",
            Self::Multicast { .. } => "Inclusive Multicast Ethernet Tag",
            Self::EthernetSegment { .. } => "Ethernet Segment",
            Self::IpPrefix { .. } => "IP Prefix Advertisement",
            Self::Unknown { .. } => return None,
        })
    }

    /// Appends the route type, Length and value.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.code());
        let at = out.len();
        out.push(0);
        self.encode_value(out)?;
        out[at] = u8::try_from(out.len() - at - 1)
            .map_err(|_| EncodeError::FieldTooLong("EVPN route"))?;
        Ok(())
    }

    fn encode_value(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        match self {
            Self::EthernetAd {
                rd,
                esi,
                etag,
                labels,
            } => {
                head(out, rd, Some(esi), Some(*etag));
                labels.iter().for_each(|l| out.extend_from_slice(&l.0));
            }
            Self::MacIp {
                rd,
                esi,
                etag,
                mac,
                ip,
                labels,
            } => {
                if labels.is_empty() || labels.len() > 2 {
                    return Err(EncodeError::Unencodable(
                        "EVPN MAC/IP route needs one or two labels",
                    ));
                }
                head(out, rd, Some(esi), Some(*etag));
                out.push(48);
                out.extend_from_slice(&mac.0);
                match ip {
                    Some(ip) => sized_ip(out, ip),
                    None => out.push(0),
                }
                labels.iter().for_each(|l| out.extend_from_slice(&l.0));
            }
            Self::Multicast { rd, etag, ip } => {
                head(out, rd, None, Some(*etag));
                sized_ip(out, ip);
            }
            Self::EthernetSegment { rd, esi, ip } => {
                head(out, rd, Some(esi), None);
                sized_ip(out, ip);
            }
            Self::IpPrefix {
                rd,
                esi,
                etag,
                prefix_len,
                prefix,
                gateway,
                label,
            } => {
                if prefix.is_ipv4() != gateway.is_ipv4() {
                    return Err(EncodeError::Unencodable(
                        "EVPN IP prefix and gateway of different versions",
                    ));
                }
                head(out, rd, Some(esi), Some(*etag));
                out.push(*prefix_len);
                put_ip(out, prefix);
                put_ip(out, gateway);
                out.extend_from_slice(&label.0);
            }
            Self::Unknown { value, .. } => out.extend_from_slice(value),
        }
        Ok(())
    }
}

impl Evpn {
    /// Appends the entry (path identifier when `add_path`; a missing one is sent as 0).
    pub fn encode(&self, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        if add_path {
            out.extend_from_slice(&self.path_id.unwrap_or_default().0.to_be_bytes());
        }
        self.route.encode(out)
    }

    /// Decodes one entry (path identifier when `add_path`, then the route). A truncated
    /// entry is `truncated`; a route whose value is malformed is (3,10).
    pub(crate) fn decode(
        r: &mut Reader<'_>,
        add_path: bool,
        truncated: fn(&'static str) -> WireErrorKind,
    ) -> Result<Self, WireError> {
        let cut = |e: WireError| WireError::new(e.offset, truncated("EVPN NLRI"));
        let path_id = PathId::read(r, add_path).map_err(cut)?;
        let code = r.u8("EVPN route type").map_err(cut)?;
        let len = r.u8("EVPN length").map_err(cut)?;
        let mut v = r.sub(usize::from(len), "EVPN route").map_err(cut)?;
        let route = decode_value(&mut v, code).map_err(|e| match e.kind {
            WireErrorKind::InvalidNetworkField(_) => e,
            _ => WireError::new(
                e.offset,
                WireErrorKind::InvalidNetworkField("EVPN route shorter than its type"),
            ),
        })?;
        Ok(Self { path_id, route })
    }
}

fn head(out: &mut Vec<u8>, rd: &RouteDistinguisher, esi: Option<&Esi>, etag: Option<u32>) {
    out.extend_from_slice(&rd.0);
    if let Some(esi) = esi {
        out.extend_from_slice(&esi.0);
    }
    if let Some(etag) = etag {
        out.extend_from_slice(&etag.to_be_bytes());
    }
}

fn put_ip(out: &mut Vec<u8>, ip: &IpAddr) {
    match ip {
        IpAddr::V4(a) => out.extend_from_slice(&a.octets()),
        IpAddr::V6(a) => out.extend_from_slice(&a.octets()),
    }
}

/// An address preceded by its length in bits.
fn sized_ip(out: &mut Vec<u8>, ip: &IpAddr) {
    out.push(if ip.is_ipv4() { 32 } else { 128 });
    put_ip(out, ip);
}

fn invalid(v: &Reader<'_>, what: &'static str) -> WireError {
    v.error(WireErrorKind::InvalidNetworkField(what))
}

/// Reads an address of `octets` (4 or 16) octets.
fn ip(v: &mut Reader<'_>, octets: usize, what: &'static str) -> Result<IpAddr, WireError> {
    Ok(if octets == 4 {
        IpAddr::V4(Ipv4Addr::from(v.array::<4>(what)?))
    } else {
        IpAddr::V6(Ipv6Addr::from(v.array::<16>(what)?))
    })
}

/// Reads an IP length (32 or 128 bits) and the address, which must end the route.
fn last_sized_ip(v: &mut Reader<'_>, what: &'static str) -> Result<IpAddr, WireError> {
    let bits = v.u8(what)?;
    if bits != 32 && bits != 128 {
        return Err(invalid(v, "EVPN IP length not 32 or 128"));
    }
    if v.left() != usize::from(bits / 8) {
        return Err(invalid(v, "EVPN route length does not fit its IP length"));
    }
    ip(v, usize::from(bits / 8), what)
}

fn labels(v: &mut Reader<'_>) -> Result<Vec<EvpnLabel>, WireError> {
    let mut out = Vec::new();
    while !v.is_empty() {
        out.push(EvpnLabel(v.array::<3>("EVPN label")?));
    }
    Ok(out)
}

fn decode_value(v: &mut Reader<'_>, code: u8) -> Result<EvpnRoute, WireError> {
    let rd = |v: &mut Reader<'_>| v.array::<8>("EVPN RD").map(RouteDistinguisher);
    let esi = |v: &mut Reader<'_>| v.array::<10>("EVPN ESI").map(Esi);
    Ok(match code {
        1 => {
            let (rd, esi, etag) = (rd(v)?, esi(v)?, v.u32("EVPN Ethernet Tag")?);
            if v.left() % 3 != 0 {
                return Err(invalid(v, "EVPN A-D route label stack truncated"));
            }
            EvpnRoute::EthernetAd {
                rd,
                esi,
                etag,
                labels: labels(v)?,
            }
        }
        2 => {
            let (rd, esi, etag) = (rd(v)?, esi(v)?, v.u32("EVPN Ethernet Tag")?);
            if v.u8("EVPN MAC length")? != 48 {
                return Err(invalid(v, "EVPN MAC length not 48"));
            }
            let mac = MacAddress(v.array::<6>("EVPN MAC")?);
            let bits = v.u8("EVPN IP length")?;
            let ip = match bits {
                0 => None,
                32 | 128 => Some(ip(v, usize::from(bits / 8), "EVPN IP")?),
                _ => return Err(invalid(v, "EVPN IP length not 0, 32 or 128")),
            };
            if v.left() != 3 && v.left() != 6 {
                return Err(invalid(v, "EVPN MAC/IP route needs one or two labels"));
            }
            EvpnRoute::MacIp {
                rd,
                esi,
                etag,
                mac,
                ip,
                labels: labels(v)?,
            }
        }
        3 => {
            let (rd, etag) = (rd(v)?, v.u32("EVPN Ethernet Tag")?);
            let ip = last_sized_ip(v, "EVPN originating router")?;
            EvpnRoute::Multicast { rd, etag, ip }
        }
        4 => {
            let (rd, esi) = (rd(v)?, esi(v)?);
            let ip = last_sized_ip(v, "EVPN originating router")?;
            EvpnRoute::EthernetSegment { rd, esi, ip }
        }
        5 => {
            let octets = match v.left() {
                34 => 4,
                58 => 16,
                _ => return Err(invalid(v, "EVPN IP prefix route not 34 or 58 octets")),
            };
            let (rd, esi, etag) = (rd(v)?, esi(v)?, v.u32("EVPN Ethernet Tag")?);
            let prefix_len = v.u8("EVPN prefix length")?;
            let prefix = ip(v, octets, "EVPN prefix")?;
            let gateway = ip(v, octets, "EVPN gateway")?;
            let label = EvpnLabel(v.array::<3>("EVPN label")?);
            EvpnRoute::IpPrefix {
                rd,
                esi,
                etag,
                prefix_len,
                prefix,
                gateway,
                label,
            }
        }
        _ => EvpnRoute::Unknown {
            code,
            value: v.rest().to_vec(),
        },
    })
}

#[cfg(test)]
mod tests;
