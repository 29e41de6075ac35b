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
//!
//! One file per code point (`cap_<code>_<name>.rs`) holds the value's diagram, decoder and
//! encoder. Multiprotocol (1) and 4-octet ASN (65) values of the wrong length are a
//! malformed OPEN (2,0); any other malformed value makes the capability
//! [`Capability::Unknown`] (kept raw, RFC 5492 §3), so a draft capability cannot end a
//! session.

mod cap_185_operational;
mod cap_1_multiprotocol;
mod cap_2_route_refresh;
mod cap_5_extended_next_hop;
mod cap_64_graceful_restart;
mod cap_65_asn4;
mod cap_68_multisession;
mod cap_69_add_path;
mod cap_6_extended_message;
mod cap_70_enhanced_route_refresh;
mod cap_73_fqdn;
mod cap_75_software_version;

use crate::asn::Asn;
use crate::error::{EncodeError, WireError};
use crate::family::{Afi, Family};
use crate::reader::Reader;

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

impl Capability {
    /// The capability code.
    pub fn code(&self) -> u8 {
        match self {
            Self::Multiprotocol(_) => 0x01,
            Self::RouteRefresh => 0x02,
            Self::ExtendedNextHop(_) => 0x05,
            Self::ExtendedMessage => 0x06,
            Self::GracefulRestart(_) => 0x40,
            Self::FourOctetAsn(_) => 0x41,
            Self::Multisession(_) => 0x44,
            Self::AddPath(_) => 0x45,
            Self::EnhancedRouteRefresh => 0x46,
            Self::Fqdn { .. } => 0x49,
            Self::SoftwareVersion(_) => 0x4b,
            Self::CiscoRouteRefresh => 0x80,
            Self::Operational => 0xb9,
            Self::Unknown { code, .. } => *code,
        }
    }

    /// Decodes the value of capability `code` (the reader holds exactly the value).
    pub fn decode(code: u8, value: Reader<'_>) -> Result<Self, WireError> {
        let raw = || Self::Unknown {
            code,
            data: value.peek_rest().to_vec(),
        };
        let v = value.clone();
        Ok(match code {
            0x01 => Self::Multiprotocol(cap_1_multiprotocol::decode(v)?),
            0x41 => Self::FourOctetAsn(cap_65_asn4::decode(v)?),
            0x02 if cap_2_route_refresh::decode(&v) => Self::RouteRefresh,
            0x80 if cap_2_route_refresh::decode(&v) => Self::CiscoRouteRefresh,
            0x06 if cap_6_extended_message::decode(&v) => Self::ExtendedMessage,
            0x46 if cap_70_enhanced_route_refresh::decode(&v) => Self::EnhancedRouteRefresh,
            0xb9 if cap_185_operational::decode(&v) => Self::Operational,
            0x05 => {
                cap_5_extended_next_hop::decode(v).map_or_else(|_| raw(), Self::ExtendedNextHop)
            }
            0x40 => {
                cap_64_graceful_restart::decode(v).map_or_else(|_| raw(), Self::GracefulRestart)
            }
            0x44 => Self::Multisession(v.peek_rest().to_vec()),
            0x45 => cap_69_add_path::decode(v).map_or_else(|_| raw(), Self::AddPath),
            0x49 => cap_73_fqdn::decode(v)
                .map_or_else(|_| raw(), |(host, domain)| Self::Fqdn { host, domain }),
            0x4b => {
                cap_75_software_version::decode(v).map_or_else(|_| raw(), Self::SoftwareVersion)
            }
            _ => raw(),
        })
    }

    /// Appends the capability: code, length and value.
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        out.push(self.code());
        let len_at = out.len();
        out.push(0);
        match self {
            Self::Multiprotocol(family) => cap_1_multiprotocol::encode(*family, out),
            Self::RouteRefresh
            | Self::ExtendedMessage
            | Self::EnhancedRouteRefresh
            | Self::CiscoRouteRefresh
            | Self::Operational => {}
            Self::ExtendedNextHop(entries) => cap_5_extended_next_hop::encode(entries, out),
            Self::GracefulRestart(gr) => cap_64_graceful_restart::encode(gr, out),
            Self::FourOctetAsn(asn) => out.extend_from_slice(&asn.0.to_be_bytes()),
            Self::Multisession(data) | Self::Unknown { data, .. } => out.extend_from_slice(data),
            Self::AddPath(entries) => cap_69_add_path::encode(entries, out),
            Self::Fqdn { host, domain } => cap_73_fqdn::encode(host, domain, out)?,
            Self::SoftwareVersion(version) => cap_75_software_version::encode(version, out)?,
        }
        let len = out.len() - len_at - 1;
        // `len_at` was pushed above, so the index is in bounds.
        out[len_at] = u8::try_from(len).map_err(|_| EncodeError::FieldTooLong("capability"))?;
        Ok(())
    }
}
