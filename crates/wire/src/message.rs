//! The BGP messages (RFC 4271 §4) and their framing.
//!
//! ```text
//! 0                   1                   2                   3
//! 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1 2 3 4 5 6 7 8 9 0 1
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |                           Marker (16 octets of 0xff)          |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! |          Length               |      Type     |
//! +-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+-+
//! ```

use std::net::Ipv4Addr;

use crate::asn::Asn;
use crate::attr::Attribute;
use crate::cap::Capability;
use crate::family::Family;
use crate::nlri::Nlri;

/// Length of the fixed header.
pub const HEADER_LEN: usize = 19;

/// Message type code, an open set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MessageType(pub u8);

impl MessageType {
    /// OPEN.
    pub const OPEN: Self = Self(1);
    /// UPDATE.
    pub const UPDATE: Self = Self(2);
    /// NOTIFICATION.
    pub const NOTIFICATION: Self = Self(3);
    /// KEEPALIVE.
    pub const KEEPALIVE: Self = Self(4);
    /// ROUTE-REFRESH (RFC 2918).
    pub const ROUTE_REFRESH: Self = Self(5);
    /// OPERATIONAL (ExaBGP, draft-ietf-idr-operational-message).
    pub const OPERATIONAL: Self = Self(6);
}

/// OPEN (RFC 4271 §4.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Open {
    /// Protocol version, 4.
    pub version: u8,
    /// "My Autonomous System" field: the two-octet ASN or AS_TRANS.
    pub asn: u16,
    /// Proposed hold time in seconds.
    pub hold_time: u16,
    /// BGP Identifier.
    pub router_id: Ipv4Addr,
    /// Capabilities from every Capabilities optional parameter, in order.
    pub capabilities: Vec<Capability>,
}

impl Open {
    /// The speaker's ASN: the four-octet capability when present, else the OPEN field.
    pub fn effective_asn(&self) -> Asn {
        self.capabilities
            .iter()
            .find_map(|c| match c {
                Capability::FourOctetAsn(asn) => Some(*asn),
                _ => None,
            })
            .unwrap_or(Asn(u32::from(self.asn)))
    }
}

/// UPDATE (RFC 4271 §4.3).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Update {
    /// Withdrawn Routes field (IPv4 unicast).
    pub withdrawn: Vec<Nlri>,
    /// Path attributes in wire order, MP_REACH / MP_UNREACH included.
    pub attributes: Vec<Attribute>,
    /// NLRI field (IPv4 unicast).
    pub nlri: Vec<Nlri>,
}

/// NOTIFICATION (RFC 4271 §4.5).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notification {
    /// Error code.
    pub code: u8,
    /// Error subcode.
    pub subcode: u8,
    /// Data.
    pub data: Vec<u8>,
}

/// ROUTE-REFRESH subtype (RFC 7313 §3.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshSubtype {
    /// 0: a normal route refresh request.
    Query,
    /// 1: Beginning of Route Refresh.
    Begin,
    /// 2: End of Route Refresh.
    End,
    /// Any other value.
    Other(u8),
}

/// ROUTE-REFRESH (RFC 2918 §3, RFC 7313 §3.2).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RouteRefresh {
    /// The family to refresh.
    pub family: Family,
    /// Subtype (the former reserved octet).
    pub subtype: RefreshSubtype,
}

/// One BGP message.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Message {
    /// OPEN.
    Open(Open),
    /// UPDATE.
    Update(Update),
    /// NOTIFICATION.
    Notification(Notification),
    /// KEEPALIVE.
    Keepalive,
    /// ROUTE-REFRESH.
    RouteRefresh(RouteRefresh),
    /// OPERATIONAL, body kept raw.
    Operational(Vec<u8>),
}
