//! Capabilities advertised in OPEN (RFC 5492) and their negotiation inputs.
//!
//! ```text
//! +------------------------------+
//! | Capability Code (1 octet)    |
//! +------------------------------+
//! | Capability Length (1 octet)  |
//! +------------------------------+
//! | Capability Value (variable)  |
//! +------------------------------+
//! ```

use crate::asn::Asn;
use crate::family::{Afi, Family};

/// ADD-PATH send/receive mode for one family (RFC 7911 §4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AddPathMode {
    /// 1: able to receive multiple paths.
    Receive,
    /// 2: able to send multiple paths.
    Send,
    /// 3: both.
    Both,
}

/// Graceful restart capability value (RFC 4724 §3).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct GracefulRestart {
    /// Restart State (R) bit.
    pub restart_state: bool,
    /// Restart time in seconds (12 bits).
    pub restart_time: u16,
    /// Families, each with its Forwarding State (F) bit.
    pub families: Vec<(Family, bool)>,
}

/// One capability.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Capability {
    /// 1: Multiprotocol extensions (RFC 4760 §8).
    Multiprotocol(Family),
    /// 2: Route refresh (RFC 2918).
    RouteRefresh,
    /// 5: Extended next hop encoding (RFC 8950): (NLRI family, next-hop AFI).
    ExtendedNextHop(Vec<(Family, Afi)>),
    /// 6: Extended message (RFC 8654).
    ExtendedMessage,
    /// 64: Graceful restart (RFC 4724).
    GracefulRestart(GracefulRestart),
    /// 65: Four-octet ASN (RFC 6793).
    FourOctetAsn(Asn),
    /// 68: Multisession (draft-ietf-idr-bgp-multisession), value kept raw.
    Multisession(Vec<u8>),
    /// 69: ADD-PATH (RFC 7911).
    AddPath(Vec<(Family, AddPathMode)>),
    /// 70: Enhanced route refresh (RFC 7313).
    EnhancedRouteRefresh,
    /// 73: FQDN (draft-walton-bgp-hostname-capability).
    Fqdn {
        /// Host name.
        host: String,
        /// Domain name.
        domain: String,
    },
    /// 75: Software version (draft-abraitis-bgp-version-capability).
    SoftwareVersion(String),
    /// 128: pre-standard (Cisco) route refresh.
    CiscoRouteRefresh,
    /// 185: ExaBGP's operational messages (draft-ietf-idr-operational-message).
    Operational,
    /// Anything else, kept raw (RFC 5492 §3: unknown capabilities are ignored).
    Unknown {
        /// Capability code.
        code: u8,
        /// Value octets.
        data: Vec<u8>,
    },
}
