//! NLRI: the destinations an UPDATE announces or withdraws (RFC 4271 §4.3, RFC 4760 §5,
//! RFC 7911 for path identifiers).
//!
//! ```text
//! +---------------------------+
//! |   Length (1 octet, bits)  |
//! +---------------------------+
//! |   Prefix (variable)       |
//! +---------------------------+
//! ```
//!
//! Labeled (RFC 8277) and VPN (RFC 4364) prefixes put a label stack and a Route
//! Distinguisher between the Length and the prefix: see [`labeled`]. FlowSpec NLRI
//! (RFC 8955, 8956) are lists of match components: see [`flow`]. EVPN routes (RFC 7432,
//! RFC 9136) are typed values: see [`evpn`].

pub mod bgpls;
mod decode;
pub mod evpn;
pub mod flow;
pub(crate) mod l2vpn_check;
pub mod labeled;
pub mod mup;
pub mod mvpn;
pub mod rtc;
pub mod vpls;

use std::borrow::Cow;
use std::fmt;
use std::net::IpAddr;

use ipnet::IpNet;

use crate::error::{EncodeError, WireError, WireErrorKind};
use crate::family::{Afi, Family, Safi};
use crate::reader::Reader;

pub use bgpls::{is_bgp_ls_family, BgpLs, LsBody, LsTlv};
pub use evpn::{is_evpn_family, Evpn, EvpnRoute};
pub use flow::{is_flow_family, Flow};
pub use labeled::{is_labeled_family, Label, RouteDistinguisher};
pub use mup::{is_mup_family, MupRoute, MupValue};
pub use mvpn::{is_mvpn_family, MvpnRoute, MvpnValue};
pub use rtc::Rtc;
pub use vpls::{is_vpls_family, Vpls};

/// An ADD-PATH path identifier (RFC 7911 §3). ExaBGP prints it as a dotted quad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct PathId(pub u32);

impl fmt::Display for PathId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0.to_be_bytes();
        write!(f, "{}.{}.{}.{}", b[0], b[1], b[2], b[3])
    }
}

impl PathId {
    /// Reads the path identifier that leads an NLRI entry when ADD-PATH is in use for its
    /// family (RFC 7911 §3); `None` without reading when it is not. The error is the
    /// reader's, for the caller to classify.
    pub(crate) fn read(r: &mut Reader<'_>, add_path: bool) -> Result<Option<Self>, WireError> {
        Ok(if add_path {
            Some(Self(r.u32("path identifier")?))
        } else {
            None
        })
    }
}

/// One NLRI entry. The family is not stored here: it is known from where the entry sits
/// (the UPDATE's own fields are IPv4 unicast; MP_REACH / MP_UNREACH name theirs).
///
/// New families (FlowSpec, VPLS, EVPN …) are added as variants.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Nlri {
    /// An IPv4 or IPv6 prefix of a unicast or multicast family. Host bits are always zero.
    Prefix {
        /// ADD-PATH identifier, present when ADD-PATH is negotiated for the family.
        path_id: Option<PathId>,
        /// The prefix, with host bits cleared.
        prefix: IpNet,
    },
    /// A labeled prefix (RFC 8277, SAFI 4) or a VPN prefix (RFC 4364 §4.3.4, RFC 4659,
    /// SAFI 128): label stack, Route Distinguisher for VPN families, prefix.
    Labeled {
        /// ADD-PATH identifier, present when ADD-PATH is negotiated for the family.
        path_id: Option<PathId>,
        /// MPLS labels, outermost first (the bottom-of-stack bit is set on the last one
        /// when encoding).
        labels: Vec<Label>,
        /// Route Distinguisher (VPN families only).
        rd: Option<RouteDistinguisher>,
        /// The prefix, with host bits cleared.
        prefix: IpNet,
    },
    /// A flow specification (RFC 8955, RFC 8956; SAFI 133 and 134).
    Flow(Flow),
    /// A Mobile User Plane route (SAFI 85, draft-mpmz-bess-mup-safi), see [`MupRoute`].
    Mup(Box<MupRoute>),
    /// An EVPN route (AFI 25, SAFI 70; RFC 7432 §7, RFC 9136 §3), see [`Evpn`].
    Evpn(Box<Evpn>),
    /// The whole undecoded NLRI field of a family this crate does not parse, kept so that
    /// it can be shown (as hex) and re-encoded unchanged; in a FlowSpec or BGP-LS family,
    /// one malformed entry (header and value) whose UPDATE is treated as withdraw.
    Opaque(Vec<u8>),
    /// A VPLS route (RFC 4761 §3.2.2, L2VPN VPLS), see [`Vpls`].
    Vpls(Box<Vpls>),
    /// An MCAST-VPN route (RFC 6514 §4, SAFI 5), see [`MvpnRoute`].
    Mvpn(Box<MvpnRoute>),
    /// A BGP-LS NLRI (RFC 7752 §3.2, AFI 16388 SAFI 71/72), see [`BgpLs`].
    BgpLs(Box<BgpLs>),
    /// A Route Target Constraint NLRI (RFC 4684 §4, AFI 1 SAFI 132), see [`Rtc`].
    Rtc(Rtc),
}

impl Nlri {
    /// A prefix NLRI without a path identifier; host bits are cleared.
    pub fn prefix(prefix: IpNet) -> Self {
        Self::Prefix {
            path_id: None,
            prefix: prefix.trunc(),
        }
    }

    /// The ADD-PATH identifier, if any.
    pub fn path_id(&self) -> Option<PathId> {
        match self {
            Self::Prefix { path_id, .. } | Self::Labeled { path_id, .. } => *path_id,
            Self::Flow(flow) => flow.path_id,
            Self::Mup(route) => route.path_id,
            Self::Evpn(route) => route.path_id,
            Self::Opaque(_) => None,
            Self::Vpls(route) => route.path_id,
            Self::Mvpn(route) => route.path_id,
            Self::BgpLs(ls) => ls.path_id,
            Self::Rtc(rtc) => rtc.path_id,
        }
    }

    /// The route key of this entry: the NLRI with the fields that do not identify the
    /// route cleared, so that two entries are the same route (an announcement replaces
    /// the other, a withdrawal names it) exactly when their keys are equal.
    ///
    /// - Labeled and VPN prefixes: the labels are left out, as ExaBGP 5's `index()` of
    ///   its labeled and VPN NLRI leaves them out (RFC 8277 §2 binds the labels to the
    ///   prefix; the prefix and RD are the route).
    /// - EVPN: the fields RFC 7432 §7.1–7.4 and RFC 9136 §3.1 call route attributes
    ///   (ESI, labels, gateway IP; see [`Evpn::route_key`]).
    /// - Everything else, including the path identifier: the whole entry.
    pub fn route_key(&self) -> Cow<'_, Self> {
        match self {
            Self::Labeled {
                path_id,
                labels,
                rd,
                prefix,
            } if !labels.is_empty() => Cow::Owned(Self::Labeled {
                path_id: *path_id,
                labels: Vec::new(),
                rd: *rd,
                prefix: *prefix,
            }),
            Self::Evpn(route) if !route.is_route_key() => {
                Cow::Owned(Self::Evpn(Box::new(route.route_key())))
            }
            _ => Cow::Borrowed(self),
        }
    }

    /// True when `self` and `other` are the same route (equal [`Nlri::route_key`]s).
    pub fn same_route(&self, other: &Self) -> bool {
        self.route_key() == other.route_key()
    }

    /// Octets this entry takes on the wire for `family`, with a path identifier when
    /// `add_path` (a missing identifier is sent as 0).
    pub fn encoded_len(&self, family: Family, add_path: bool) -> usize {
        match self {
            Self::Prefix { prefix, .. } => {
                let id = if add_path && is_prefix_family(family) {
                    4
                } else {
                    0
                };
                id + 1 + usize::from(prefix.prefix_len()).div_ceil(8)
            }
            Self::Labeled {
                labels, rd, prefix, ..
            } => {
                let id = if add_path { 4 } else { 0 };
                let rd = if rd.is_some() { 8 } else { 0 };
                id + 1 + 3 * labels.len() + rd + usize::from(prefix.prefix_len()).div_ceil(8)
            }
            Self::Flow(flow) => flow.encoded_len(add_path),
            Self::Mup(route) => {
                let mut out = Vec::new();
                // An unencodable route is refused by `encode`; its length does not matter.
                let _ = route.encode(add_path, &mut out);
                out.len()
            }
            Self::Evpn(route) => {
                let mut out = Vec::new();
                // An unencodable route is refused by `encode`; its length does not matter.
                let _ = route.encode(add_path, &mut out);
                out.len()
            }
            Self::Opaque(bytes) => bytes.len(),
            Self::Vpls(route) => route.encoded_len(add_path),
            Self::Mvpn(route) => route.encoded_len(add_path),
            Self::BgpLs(ls) => ls.encoded_len(add_path),
            Self::Rtc(rtc) => rtc.encoded_len(add_path),
        }
    }

    /// Appends this entry in the encoding of `family` (RFC 4271 §4.3, RFC 7911 §3).
    pub fn encode(
        &self,
        family: Family,
        add_path: bool,
        out: &mut Vec<u8>,
    ) -> Result<(), EncodeError> {
        match self {
            Self::Prefix { path_id, prefix } => {
                if !afi_holds(family.afi, prefix) || !is_prefix_family(family) {
                    return Err(EncodeError::Unencodable(
                        "prefix in a family of another kind",
                    ));
                }
                if add_path {
                    out.extend_from_slice(&path_id.unwrap_or_default().0.to_be_bytes());
                }
                out.push(prefix.prefix_len());
                write_prefix(prefix, out);
                Ok(())
            }
            Self::Labeled {
                path_id,
                labels,
                rd,
                prefix,
            } => {
                if add_path {
                    out.extend_from_slice(&path_id.unwrap_or_default().0.to_be_bytes());
                }
                labeled::encode_head(family, labels, *rd, prefix, out)?;
                write_prefix(prefix, out);
                Ok(())
            }
            Self::Flow(flow) => {
                if !is_flow_family(family) || (family.safi == Safi::FLOW_VPN) != flow.rd.is_some() {
                    return Err(EncodeError::Unencodable(
                        "flow specification in a family of another kind",
                    ));
                }
                flow.encode(add_path, out)
            }
            Self::Mup(route) => {
                if !is_mup_family(family) {
                    return Err(EncodeError::Unencodable("MUP route in another family"));
                }
                route.encode(add_path, out)
            }
            Self::Evpn(route) => {
                if !is_evpn_family(family) {
                    return Err(EncodeError::Unencodable("EVPN route in another family"));
                }
                route.encode(add_path, out)
            }
            Self::Opaque(bytes) => {
                out.extend_from_slice(bytes);
                Ok(())
            }
            Self::Vpls(route) => {
                if !is_vpls_family(family) {
                    return Err(EncodeError::Unencodable("VPLS route in another family"));
                }
                route.encode(add_path, out)
            }
            Self::Mvpn(route) => {
                if !is_mvpn_family(family) {
                    return Err(EncodeError::Unencodable(
                        "MCAST-VPN route in another family",
                    ));
                }
                route.encode(add_path, out)
            }
            Self::BgpLs(ls) => {
                let rd_mismatch = (family.safi == Safi::BGP_LS_VPN) != ls.rd.is_some();
                if !is_bgp_ls_family(family) || (rd_mismatch && bgpls::is_known_type(ls.code)) {
                    return Err(EncodeError::Unencodable("BGP-LS NLRI in another family"));
                }
                ls.encode(add_path, out)
            }
            Self::Rtc(rtc) => {
                if family != Family::IPV4_RTC {
                    return Err(EncodeError::Unencodable("RTC NLRI in another family"));
                }
                rtc.encode(add_path, out)
            }
        }
    }

    /// Decodes a whole NLRI field of `family` (the rest of `r`) that announces routes.
    ///
    /// Prefix families give one [`Nlri::Prefix`] per entry, labeled and VPN families one
    /// [`Nlri::Labeled`]; any other family gives one [`Nlri::Opaque`] holding the field
    /// (nothing at all for an empty field). A prefix length beyond the address size, or a
    /// label stack or RD that does not fit the Length, is (3,10) Invalid Network Field
    /// (RFC 7606 §5.3); a truncated entry is `truncated` (withdrawn routes and MP
    /// attributes use (3,1), the NLRI field (3,10), RFC 7606 §5.3).
    pub fn decode_field(
        r: &mut Reader<'_>,
        family: Family,
        add_path: bool,
        truncated: fn(&'static str) -> WireErrorKind,
    ) -> Result<Vec<Self>, WireError> {
        decode::decode_entries(r, family, add_path, false, truncated)
    }

    /// As [`Nlri::decode_field`] for a field of withdrawn routes, where a labeled entry
    /// may carry the RFC 3107 value 0x800000 in place of its labels (RFC 8277 §2.4).
    pub fn decode_withdrawn(
        r: &mut Reader<'_>,
        family: Family,
        add_path: bool,
        truncated: fn(&'static str) -> WireErrorKind,
    ) -> Result<Vec<Self>, WireError> {
        decode::decode_entries(r, family, add_path, true, truncated)
    }
}

/// Appends the address octets of `prefix` (its length in bits is written by the caller).
fn write_prefix(prefix: &IpNet, out: &mut Vec<u8>) {
    let bytes = usize::from(prefix.prefix_len()).div_ceil(8);
    match prefix.network() {
        IpAddr::V4(a) => out.extend_from_slice(&a.octets()[..bytes]),
        IpAddr::V6(a) => out.extend_from_slice(&a.octets()[..bytes]),
    }
}

/// True when `prefix` is an address of `afi` (IPv4 prefixes in AFI 1, IPv6 in AFI 2).
pub(crate) fn afi_holds(afi: Afi, prefix: &IpNet) -> bool {
    matches!(
        (afi, prefix),
        (Afi::IPV4, IpNet::V4(_)) | (Afi::IPV6, IpNet::V6(_))
    )
}

/// True for the families whose NLRI are plain prefixes: IPv4/IPv6 unicast and multicast.
pub fn is_prefix_family(family: Family) -> bool {
    matches!(family.afi, Afi::IPV4 | Afi::IPV6)
        && matches!(family.safi, Safi::UNICAST | Safi::MULTICAST)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8], family: Family, add_path: bool) -> Result<Vec<Nlri>, WireError> {
        Nlri::decode_field(
            &mut Reader::new(bytes),
            family,
            add_path,
            WireErrorKind::MalformedAttributeList,
        )
    }

    #[test]
    fn ipv4_prefixes_round_trip() {
        let bytes = [0x00, 0x20, 0x01, 0x01, 0x01, 0x01, 0x18, 0x0a, 0x00, 0x01];
        let nlri = decode(&bytes, Family::IPV4_UNICAST, false).unwrap();
        assert_eq!(
            nlri,
            vec![
                Nlri::prefix("0.0.0.0/0".parse().unwrap()),
                Nlri::prefix("1.1.1.1/32".parse().unwrap()),
                Nlri::prefix("10.0.1.0/24".parse().unwrap()),
            ]
        );
        let mut out = Vec::new();
        for n in &nlri {
            n.encode(Family::IPV4_UNICAST, false, &mut out).unwrap();
        }
        assert_eq!(out, bytes);
        assert_eq!(nlri[2].encoded_len(Family::IPV4_UNICAST, false), 4);
        assert_eq!(nlri[2].encoded_len(Family::IPV4_UNICAST, true), 8);
    }

    #[test]
    fn host_bits_are_cleared() {
        let nlri = decode(&[0x17, 0x0a, 0x00, 0x03], Family::IPV4_UNICAST, false).unwrap();
        assert_eq!(nlri, vec![Nlri::prefix("10.0.2.0/23".parse().unwrap())]);
    }

    #[test]
    fn path_ids_are_read_when_negotiated() {
        let bytes = [0, 0, 0, 7, 0x08, 0x0a];
        let nlri = decode(&bytes, Family::IPV4_UNICAST, true).unwrap();
        assert_eq!(nlri[0].path_id(), Some(PathId(7)));
        let mut out = Vec::new();
        nlri[0]
            .encode(Family::IPV4_UNICAST, true, &mut out)
            .unwrap();
        assert_eq!(out, bytes);
    }

    #[test]
    fn ipv6_prefix() {
        let bytes = [0x20, 0x20, 0x01, 0x0d, 0xb8];
        let nlri = decode(&bytes, Family::IPV6_UNICAST, false).unwrap();
        assert_eq!(nlri, vec![Nlri::prefix("2001:db8::/32".parse().unwrap())]);
    }

    #[test]
    fn too_long_prefix_is_invalid_network_field() {
        let e = decode(&[0x21, 1, 2, 3, 4, 5], Family::IPV4_UNICAST, false).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("IPv4 prefix length > 32")
        );
        let e = decode(&[0x81; 18], Family::IPV6_UNICAST, false).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::InvalidNetworkField("IPv6 prefix length > 128")
        );
    }

    #[test]
    fn truncated_prefix_uses_the_callers_kind() {
        let e = decode(&[0x18, 10, 0], Family::IPV4_UNICAST, false).unwrap_err();
        assert_eq!(e.kind, WireErrorKind::MalformedAttributeList("prefix"));
        assert_eq!(e.offset, 1);
        let e = decode(&[0, 0, 1], Family::IPV4_UNICAST, true).unwrap_err();
        assert_eq!(
            e.kind,
            WireErrorKind::MalformedAttributeList("path identifier")
        );
    }

    #[test]
    fn labeled_route_key_leaves_out_the_labels() {
        // ExaBGP 5's labeled and VPN index(): path identifier, RD and prefix, no labels.
        let vpn = |labels: Vec<Label>, prefix: &str| Nlri::Labeled {
            path_id: None,
            labels,
            rd: Some(RouteDistinguisher([0, 0, 0xfd, 0xe8, 0, 0, 0, 1])),
            prefix: prefix.parse().unwrap(),
        };
        let a = vpn(vec![Label::new(100).unwrap()], "10.0.0.0/24");
        assert!(a.same_route(&vpn(
            vec![Label::new(200).unwrap(), Label::new(300).unwrap()],
            "10.0.0.0/24"
        )));
        assert!(a.same_route(&vpn(vec![], "10.0.0.0/24")));
        assert!(!a.same_route(&vpn(vec![Label::new(100).unwrap()], "10.0.1.0/24")));
        assert!(matches!(a.route_key(), Cow::Owned(_)));
        let plain = Nlri::prefix("10.0.0.0/8".parse().unwrap());
        assert!(matches!(plain.route_key(), Cow::Borrowed(_)));
    }

    #[test]
    fn other_families_stay_opaque() {
        // A family this crate does not parse (here SAFI 241, private use) is kept as bytes.
        let fam = Family::new(Afi::IPV4, Safi(241));
        let nlri = decode(&[1, 2, 3], fam, false).unwrap();
        assert_eq!(nlri, vec![Nlri::Opaque(vec![1, 2, 3])]);
        assert!(decode(&[], fam, false).unwrap().is_empty());
        assert!(Nlri::prefix("10.0.0.0/8".parse().unwrap())
            .encode(fam, false, &mut Vec::new())
            .is_err());
        let vpn = Family::new(Afi::IPV4, Safi::MPLS_VPN);
        assert!(Nlri::prefix("10.0.0.0/8".parse().unwrap())
            .encode(vpn, false, &mut Vec::new())
            .is_err());
    }
}
