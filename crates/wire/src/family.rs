//! Address families: AFI (IANA "Address Family Numbers") and SAFI (IANA "SAFI Values").
//!
//! Both are open newtypes so that any value received round-trips; the names are ExaBGP's.

use std::fmt;

/// Address Family Identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Afi(pub u16);

impl Afi {
    /// IPv4.
    pub const IPV4: Self = Self(0x0001);
    /// IPv6.
    pub const IPV6: Self = Self(0x0002);
    /// Layer-2 VPN (RFC 4761, RFC 7432).
    pub const L2VPN: Self = Self(0x0019);
    /// BGP-LS (RFC 7752).
    pub const BGP_LS: Self = Self(0x4004);

    /// ExaBGP's name for the AFI, if it has one.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::IPV4 => "ipv4",
            Self::IPV6 => "ipv6",
            Self::L2VPN => "l2vpn",
            Self::BGP_LS => "bgp-ls",
            _ => return None,
        })
    }

    /// The AFI for an ExaBGP name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "ipv4" => Self::IPV4,
            "ipv6" => Self::IPV6,
            "l2vpn" => Self::L2VPN,
            "bgp-ls" | "bgpls" => Self::BGP_LS,
            _ => return None,
        })
    }
}

impl fmt::Display for Afi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "unknown afi {}", self.0),
        }
    }
}

/// Subsequent Address Family Identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Safi(pub u8);

impl Safi {
    /// Unicast.
    pub const UNICAST: Self = Self(1);
    /// Multicast.
    pub const MULTICAST: Self = Self(2);
    /// Labeled unicast (RFC 8277), ExaBGP's `nlri-mpls`.
    pub const MPLS: Self = Self(4);
    /// Multicast VPN (RFC 6514).
    pub const MCAST_VPN: Self = Self(5);
    /// VPLS (RFC 4761).
    pub const VPLS: Self = Self(65);
    /// EVPN (RFC 7432).
    pub const EVPN: Self = Self(70);
    /// BGP-LS (RFC 7752).
    pub const BGP_LS: Self = Self(71);
    /// BGP-LS VPN (RFC 7752).
    pub const BGP_LS_VPN: Self = Self(72);
    /// Mobile user plane (draft-mpmz-bess-mup-safi).
    pub const MUP: Self = Self(85);
    /// L3VPN (RFC 4364), ExaBGP's `mpls-vpn`.
    pub const MPLS_VPN: Self = Self(128);
    /// Route target constraint (RFC 4684).
    pub const RTC: Self = Self(132);
    /// FlowSpec (RFC 8955).
    pub const FLOW: Self = Self(133);
    /// FlowSpec VPN (RFC 8955).
    pub const FLOW_VPN: Self = Self(134);

    /// ExaBGP's name for the SAFI, if it has one.
    pub fn name(self) -> Option<&'static str> {
        Some(match self {
            Self::UNICAST => "unicast",
            Self::MULTICAST => "multicast",
            Self::MPLS => "nlri-mpls",
            Self::MCAST_VPN => "mcast-vpn",
            Self::VPLS => "vpls",
            Self::EVPN => "evpn",
            Self::BGP_LS => "bgp-ls",
            Self::BGP_LS_VPN => "bgp-ls-vpn",
            Self::MUP => "mup",
            Self::MPLS_VPN => "mpls-vpn",
            Self::RTC => "rtc",
            Self::FLOW => "flow",
            Self::FLOW_VPN => "flow-vpn",
            _ => return None,
        })
    }

    /// The SAFI for an ExaBGP name.
    pub fn from_name(name: &str) -> Option<Self> {
        Some(match name {
            "unicast" => Self::UNICAST,
            "multicast" => Self::MULTICAST,
            "nlri-mpls" | "labeled-unicast" => Self::MPLS,
            "mcast-vpn" => Self::MCAST_VPN,
            "vpls" => Self::VPLS,
            "evpn" => Self::EVPN,
            "bgp-ls" => Self::BGP_LS,
            "bgp-ls-vpn" => Self::BGP_LS_VPN,
            "mup" => Self::MUP,
            "mpls-vpn" => Self::MPLS_VPN,
            "rtc" => Self::RTC,
            "flow" => Self::FLOW,
            "flow-vpn" => Self::FLOW_VPN,
            _ => return None,
        })
    }
}

impl fmt::Display for Safi {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.name() {
            Some(name) => f.write_str(name),
            None => write!(f, "unknown safi {}", self.0),
        }
    }
}

/// An (AFI, SAFI) pair.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Family {
    /// Address family.
    pub afi: Afi,
    /// Subsequent address family.
    pub safi: Safi,
}

impl Family {
    /// IPv4 unicast, the family of the UPDATE's own NLRI fields.
    pub const IPV4_UNICAST: Self = Self::new(Afi::IPV4, Safi::UNICAST);
    /// IPv4 multicast.
    pub const IPV4_MULTICAST: Self = Self::new(Afi::IPV4, Safi::MULTICAST);
    /// IPv6 unicast.
    pub const IPV6_UNICAST: Self = Self::new(Afi::IPV6, Safi::UNICAST);
    /// IPv6 multicast.
    pub const IPV6_MULTICAST: Self = Self::new(Afi::IPV6, Safi::MULTICAST);
    /// IPv4 route target constraint (RFC 4684).
    pub const IPV4_RTC: Self = Self::new(Afi::IPV4, Safi::RTC);

    /// A family from its parts.
    pub const fn new(afi: Afi, safi: Safi) -> Self {
        Self { afi, safi }
    }

    /// Parses ExaBGP's two-word form, `ipv4 unicast`.
    pub fn from_words(afi: &str, safi: &str) -> Option<Self> {
        Some(Self::new(Afi::from_name(afi)?, Safi::from_name(safi)?))
    }

    /// ExaBGP's slash form, `ipv4/unicast`, used in capability JSON.
    pub fn slash_name(self) -> String {
        format!("{}/{}", self.afi, self.safi)
    }
}

impl fmt::Display for Family {
    /// ExaBGP's space form, `ipv4 unicast`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.afi, self.safi)
    }
}
