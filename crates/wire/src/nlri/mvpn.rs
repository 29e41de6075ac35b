//! MCAST-VPN NLRI, AFI 1/2 SAFI 5 (RFC 6514 §4).
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
//! Decoded route types, as ExaBGP 5 decodes them:
//!
//! - 5, Source Active A-D route (§4.5): RD (8), Multicast Source Length, Multicast
//!   Source, Multicast Group Length, Multicast Group;
//! - 6 and 7, C-multicast Shared Tree Join / Source Tree Join routes (§4.6): RD (8),
//!   Source AS (4), then the same source (the C-RP address for a shared-tree join) and
//!   group.
//!
//! The address lengths are bits and must be 32 or 128 ("usage of other values is outside
//! the scope", §4.5, §4.6), the two addresses of one version (ExaBGP accepts 18 or 42
//! octets for type 5, 22 or 46 for types 6 and 7); anything else is an error (3,10)
//! Invalid Network Field (RFC 7606 §5.3). Other route types (1–4, Intra-AS / Inter-AS
//! I-PMSI A-D, S-PMSI A-D, Leaf A-D) are kept as their octets and re-encode unchanged.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{PathId, RouteDistinguisher};
use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

/// An MCAST-VPN route (one NLRI entry of SAFI 5).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MvpnRoute {
    /// ADD-PATH identifier, when ADD-PATH is negotiated for the family.
    pub path_id: Option<PathId>,
    /// The route type and its value.
    pub value: MvpnValue,
}

/// The route-type specific part of an MCAST-VPN route.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MvpnValue {
    /// Source Active A-D route (type 5, RFC 6514 §4.5).
    SourceAd {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Multicast source.
        source: IpAddr,
        /// Multicast group (of the source's IP version).
        group: IpAddr,
    },
    /// C-multicast Shared Tree Join route (type 6, RFC 6514 §4.6): `source` is the C-RP.
    SharedJoin {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Source AS.
        source_as: u32,
        /// The C-RP address.
        source: IpAddr,
        /// Multicast group (of the RP's IP version).
        group: IpAddr,
    },
    /// C-multicast Source Tree Join route (type 7, RFC 6514 §4.6).
    SourceJoin {
        /// Route Distinguisher.
        rd: RouteDistinguisher,
        /// Source AS.
        source_as: u32,
        /// Multicast source.
        source: IpAddr,
        /// Multicast group (of the source's IP version).
        group: IpAddr,
    },
    /// A route of another type, kept as its value octets.
    Other {
        /// Route type.
        code: u8,
        /// The route-type specific octets.
        value: Vec<u8>,
    },
}

/// Route type of a Source Active A-D route.
pub const SOURCE_AD: u8 = 5;
/// Route type of a C-multicast Shared Tree Join route.
pub const SHARED_JOIN: u8 = 6;
/// Route type of a C-multicast Source Tree Join route.
pub const SOURCE_JOIN: u8 = 7;

/// True for the MCAST-VPN families (AFI 1 or 2, SAFI 5).
pub fn is_mvpn_family(family: Family) -> bool {
    family.safi == Safi::MCAST_VPN && (family.afi == Afi::IPV4 || family.afi == Afi::IPV6)
}

impl MvpnValue {
    /// A C-multicast route (RFC 6514 §4.6): a Shared Tree Join (type 6) when `shared`,
    /// else a Source Tree Join (type 7).
    pub fn c_multicast(
        shared: bool,
        rd: RouteDistinguisher,
        source_as: u32,
        source: IpAddr,
        group: IpAddr,
    ) -> Self {
        if shared {
            Self::SharedJoin {
                rd,
                source_as,
                source,
                group,
            }
        } else {
            Self::SourceJoin {
                rd,
                source_as,
                source,
                group,
            }
        }
    }
}

impl MvpnRoute {
    /// A route without a path identifier.
    pub fn new(value: MvpnValue) -> Self {
        Self {
            path_id: None,
            value,
        }
    }

    /// The route type.
    pub fn code(&self) -> u8 {
        match &self.value {
            MvpnValue::SourceAd { .. } => SOURCE_AD,
            MvpnValue::SharedJoin { .. } => SHARED_JOIN,
            MvpnValue::SourceJoin { .. } => SOURCE_JOIN,
            MvpnValue::Other { code, .. } => *code,
        }
    }

    /// ExaBGP's name of the route type (`Source Active A-D Route` …), if decoded.
    pub fn name(&self) -> Option<&'static str> {
        Some(match self.value {
            MvpnValue::SourceAd { .. } => "Source Active A-D Route",
            MvpnValue::SharedJoin { .. } => "C-Multicast Shared Tree Join route",
            MvpnValue::SourceJoin { .. } => "C-Multicast Source Tree Join route",
            MvpnValue::Other { .. } => return None,
        })
    }

    /// Decodes one entry (path identifier when `add_path`, then the route). `truncated`
    /// is the error kind of an entry that overruns the field.
    pub(crate) fn decode(
        r: &mut Reader<'_>,
        add_path: bool,
        truncated: fn(&'static str) -> WireErrorKind,
    ) -> Result<Self, WireError> {
        let short = |e: WireError| WireError::new(e.offset, truncated("MCAST-VPN NLRI"));
        let path_id = PathId::read(r, add_path).map_err(short)?;
        let at = r.offset();
        let code = r.u8("MCAST-VPN route type").map_err(short)?;
        let len = r.u8("MCAST-VPN length").map_err(short)?;
        let mut v = r.sub(usize::from(len), "MCAST-VPN route").map_err(short)?;
        let invalid = |what| WireError::new(at, WireErrorKind::InvalidNetworkField(what));
        let value = match code {
            SOURCE_AD => {
                if !matches!(len, 18 | 42) {
                    return Err(invalid("MCAST-VPN Source Active A-D route length"));
                }
                let rd = rd(&mut v).ok_or_else(|| invalid("MCAST-VPN RD"))?;
                let (source, group) =
                    source_and_group(&mut v).ok_or_else(|| invalid("MCAST-VPN address length"))?;
                MvpnValue::SourceAd { rd, source, group }
            }
            SHARED_JOIN | SOURCE_JOIN => {
                if !matches!(len, 22 | 46) {
                    return Err(invalid("MCAST-VPN C-multicast route length"));
                }
                let rd = rd(&mut v).ok_or_else(|| invalid("MCAST-VPN RD"))?;
                let source_as = v
                    .u32("MCAST-VPN source AS")
                    .map_err(|_| invalid("MCAST-VPN source AS"))?;
                let (source, group) =
                    source_and_group(&mut v).ok_or_else(|| invalid("MCAST-VPN address length"))?;
                MvpnValue::c_multicast(code == SHARED_JOIN, rd, source_as, source, group)
            }
            _ => MvpnValue::Other {
                code,
                value: v.rest().to_vec(),
            },
        };
        Ok(Self { path_id, value })
    }

    /// Octets of the entry, with the path identifier when `add_path`.
    pub fn encoded_len(&self, add_path: bool) -> usize {
        let id = if add_path { 4 } else { 0 };
        id + 2 + self.value_len()
    }

    fn value_len(&self) -> usize {
        let ip = |a: &IpAddr| if a.is_ipv4() { 5 } else { 17 };
        match &self.value {
            MvpnValue::SourceAd { source, group, .. } => 8 + ip(source) + ip(group),
            MvpnValue::SharedJoin { source, group, .. }
            | MvpnValue::SourceJoin { source, group, .. } => 12 + ip(source) + ip(group),
            MvpnValue::Other { value, .. } => value.len(),
        }
    }

    /// Appends the entry (path identifier when `add_path`; a missing one is sent as 0).
    pub fn encode(&self, add_path: bool, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let len = u8::try_from(self.value_len())
            .map_err(|_| EncodeError::FieldTooLong("MCAST-VPN route"))?;
        if add_path {
            out.extend_from_slice(&self.path_id.unwrap_or_default().0.to_be_bytes());
        }
        out.push(self.code());
        out.push(len);
        self.encode_value(out);
        Ok(())
    }

    /// Appends the route-type specific octets (what follows the Length).
    pub fn encode_value(&self, out: &mut Vec<u8>) {
        match &self.value {
            MvpnValue::SourceAd { rd, source, group } => {
                out.extend_from_slice(&rd.0);
                put_ip(out, source);
                put_ip(out, group);
            }
            MvpnValue::SharedJoin {
                rd,
                source_as,
                source,
                group,
            }
            | MvpnValue::SourceJoin {
                rd,
                source_as,
                source,
                group,
            } => {
                out.extend_from_slice(&rd.0);
                out.extend_from_slice(&source_as.to_be_bytes());
                put_ip(out, source);
                put_ip(out, group);
            }
            MvpnValue::Other { value, .. } => out.extend_from_slice(value),
        }
    }
}

/// Appends an address with its length in bits before it.
fn put_ip(out: &mut Vec<u8>, ip: &IpAddr) {
    match ip {
        IpAddr::V4(a) => {
            out.push(32);
            out.extend_from_slice(&a.octets());
        }
        IpAddr::V6(a) => {
            out.push(128);
            out.extend_from_slice(&a.octets());
        }
    }
}

fn rd(v: &mut Reader<'_>) -> Option<RouteDistinguisher> {
    v.array::<8>("MCAST-VPN RD").ok().map(RouteDistinguisher)
}

/// Reads a source and a group (each a length of 32 or 128 bits and the address), which
/// must fill the rest of the value exactly.
fn source_and_group(v: &mut Reader<'_>) -> Option<(IpAddr, IpAddr)> {
    let source = sized_ip(v)?;
    let group = sized_ip(v)?;
    v.is_empty().then_some((source, group))
}

fn sized_ip(v: &mut Reader<'_>) -> Option<IpAddr> {
    match v.u8("MCAST-VPN address length").ok()? {
        32 => Some(IpAddr::V4(Ipv4Addr::from(v.array::<4>("address").ok()?))),
        128 => Some(IpAddr::V6(Ipv6Addr::from(v.array::<16>("address").ok()?))),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::hex::bytes as hex;

    fn decode(bytes: &[u8]) -> Result<MvpnRoute, WireError> {
        let mut r = Reader::new(bytes);
        let route = MvpnRoute::decode(&mut r, false, WireErrorKind::MalformedAttributeList)?;
        assert!(r.is_empty());
        Ok(route)
    }

    fn round_trip(bytes: &[u8]) -> MvpnRoute {
        let route = decode(bytes).unwrap();
        let mut out = Vec::new();
        route.encode(false, &mut out).unwrap();
        assert_eq!(out, bytes);
        assert_eq!(route.encoded_len(false), bytes.len());
        route
    }

    /// Routes of ExaBGP's conformance case conf-mvpn (its encoder's bytes).
    #[test]
    fn corpus_routes() {
        let rd = RouteDistinguisher::asn2(65000, 99999);
        let r = round_trip(&hex(
            "06 16 0000FDE80001869F 0000FDE8 20 0A63C701 20 EFFBFFE4",
        ));
        assert_eq!(
            r.value,
            MvpnValue::SharedJoin {
                rd,
                source_as: 65000,
                source: "10.99.199.1".parse().unwrap(),
                group: "239.251.255.228".parse().unwrap(),
            }
        );
        let r = round_trip(&hex("05 12 0000FDE80001869F 20 0A630C04 20 EFFBFFE4"));
        assert_eq!(r.code(), SOURCE_AD);
        assert_eq!(r.name(), Some("Source Active A-D Route"));
        let r = round_trip(&hex(
            "07 2E 0000FDE80001869F 0000FDE8 80 FD120000000000000000000000000002 80 FF0E0000000000000000000000000001",
        ));
        assert_eq!(
            r.value,
            MvpnValue::SourceJoin {
                rd,
                source_as: 65000,
                source: "fd12::2".parse().unwrap(),
                group: "ff0e::1".parse().unwrap(),
            }
        );
    }

    #[test]
    fn other_types_stay_raw() {
        let r = round_trip(&hex("01 03 AABBCC"));
        assert_eq!(
            r.value,
            MvpnValue::Other {
                code: 1,
                value: vec![0xAA, 0xBB, 0xCC]
            }
        );
        assert_eq!(r.name(), None);
    }

    #[test]
    fn bad_lengths_are_invalid_network_field() {
        // 33-bit source length (RFC 6514 §4.5 allows 32 or 128).
        let e = decode(&hex("05 12 0000FDE80001869F 21 0A630C04 20 EFFBFFE4")).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("MCAST-VPN address length")
        );
        // A route length ExaBGP does not accept for the type.
        let e = decode(&hex("05 11 0000FDE80001869F 20 0A630C04 20 EFFBFF")).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("MCAST-VPN Source Active A-D route length")
        );
        // IPv4 source and IPv6 group cannot fill 18 or 42 octets.
        let e = decode(&hex(
            "06 16 0000FDE80001869F 0000FDE8 80 0A63C701 20 EFFBFFE4",
        ))
        .unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("MCAST-VPN address length")
        );
    }

    #[test]
    fn overrun_uses_the_callers_kind() {
        let e = decode(&hex("05 12 0000FDE8")).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::MalformedAttributeList("MCAST-VPN NLRI")
        );
    }
}
