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
//!
//! [`frame`] finds a whole message at the start of a buffer and checks the header (§6.1:
//! marker, length, type, the minimum length of each type). [`Message::decode`] decodes a
//! framed message; [`Message::encode`] appends one. The bodies live in [`open`],
//! [`update`], [`notification`] and [`route_refresh`].

pub mod notification;
pub mod open;
pub mod route_refresh;
pub mod update;

use std::net::Ipv4Addr;

use crate::asn::Asn;
use crate::attr::{AttrCode, Attribute};
use crate::cap::Capability;
use crate::ctx::{DecodeCtx, EncodeCtx};
use crate::error::{EncodeError, Rfc7606Action, WireError, WireErrorKind};
use crate::family::Family;
use crate::nlri::Nlri;
use crate::reader::Reader;

/// The largest OPEN or KEEPALIVE, even with extended messages (RFC 8654 §4).
pub const MAX_OPEN_LEN: usize = 4096;

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

impl MessageType {
    /// The smallest valid length of a message of this type (RFC 4271 §4), or `None` for an
    /// unknown type.
    pub fn min_len(self) -> Option<usize> {
        Some(match self {
            Self::OPEN => 29,
            Self::UPDATE => 23,
            Self::NOTIFICATION => 21,
            Self::KEEPALIVE | Self::ROUTE_REFRESH | Self::OPERATIONAL => HEADER_LEN,
            _ => return None,
        })
    }
}

/// Checks the header of the message at the start of `buf` (RFC 4271 §6.1).
///
/// `Ok(None)`: more bytes are needed. `Ok(Some(len))`: `buf[..len]` is a whole message.
/// Errors: marker not all ones (1,1); length below 19, above `max_len` (OPEN and
/// KEEPALIVE: above 4096 whatever `max_len` says), below the type's minimum, or a
/// KEEPALIVE longer than 19 (1,2); unknown type (1,3).
pub fn frame(buf: &[u8], max_len: usize) -> Result<Option<usize>, WireError> {
    if buf.iter().take(16).any(|b| *b != 0xff) {
        return Err(WireError::new(0, WireErrorKind::BadMarker));
    }
    let Some(header) = buf.get(..HEADER_LEN) else {
        return Ok(None);
    };
    // `header` is HEADER_LEN (19) octets long.
    let len16 = u16::from_be_bytes([header[16], header[17]]);
    let len = usize::from(len16);
    let kind = MessageType(header[18]);
    let bad_len = || Err(WireError::new(16, WireErrorKind::BadLength(len16)));
    if len < HEADER_LEN || len > max_len {
        return bad_len();
    }
    let Some(min) = kind.min_len() else {
        return Err(WireError::new(18, WireErrorKind::BadType(kind.0)));
    };
    if len < min
        || (kind == MessageType::KEEPALIVE && len != HEADER_LEN)
        || (kind == MessageType::OPEN && len > MAX_OPEN_LEN)
    {
        return bad_len();
    }
    if buf.len() < len {
        return Ok(None);
    }
    Ok(Some(len))
}

/// One problem found in an UPDATE's path attributes that RFC 7606 lets the session survive.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AttrIssue {
    /// The attribute concerned.
    pub code: AttrCode,
    /// What to do (never [`Rfc7606Action::SessionReset`]: those are errors).
    pub action: Rfc7606Action,
    /// What was wrong, with the offset, for logs.
    pub reason: String,
}

/// A decoded message and the RFC 7606 issues found in it (UPDATE only).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    /// The message. For an UPDATE, attributes that were discarded or malformed are left out.
    pub message: Message,
    /// Problems that did not end the session.
    pub issues: Vec<AttrIssue>,
}

impl Decoded {
    /// True when the UPDATE must be handled as a withdrawal of all its routes
    /// ([`Update::into_withdraw`]).
    pub fn treat_as_withdraw(&self) -> bool {
        self.issues
            .iter()
            .any(|i| i.action == Rfc7606Action::TreatAsWithdraw)
    }
}

impl Message {
    /// The message type.
    pub fn kind(&self) -> MessageType {
        match self {
            Self::Open(_) => MessageType::OPEN,
            Self::Update(_) => MessageType::UPDATE,
            Self::Notification(_) => MessageType::NOTIFICATION,
            Self::Keepalive => MessageType::KEEPALIVE,
            Self::RouteRefresh(_) => MessageType::ROUTE_REFRESH,
            Self::Operational(_) => MessageType::OPERATIONAL,
        }
    }

    /// Decodes one whole message (header included, as delimited by [`frame`]).
    ///
    /// `Err` is a failure that resets the session: send `Notification::from(&err)`.
    pub fn decode(frame_bytes: &[u8], ctx: &DecodeCtx) -> Result<Decoded, WireError> {
        let len = match frame(frame_bytes, ctx.max_message_len())? {
            Some(len) if len == frame_bytes.len() => len,
            _ => {
                let field = frame_bytes
                    .get(16..18)
                    .map_or(0, |b| u16::from_be_bytes([b[0], b[1]]));
                return Err(WireError::new(16, WireErrorKind::BadLength(field)));
            }
        };
        let kind = MessageType(frame_bytes[18]);
        let body = Reader::at(
            frame_bytes.get(HEADER_LEN..len).unwrap_or_default(),
            HEADER_LEN,
        );
        let mut issues = Vec::new();
        let message = match kind {
            MessageType::OPEN => Self::Open(open::decode(body)?),
            MessageType::UPDATE => {
                let (update, found) = update::decode(body, ctx)?;
                issues = found;
                Self::Update(update)
            }
            MessageType::NOTIFICATION => Self::Notification(notification::decode(body)?),
            MessageType::KEEPALIVE => Self::Keepalive,
            MessageType::ROUTE_REFRESH => {
                Self::RouteRefresh(route_refresh::decode(body, frame_bytes)?)
            }
            _ => Self::Operational(body.peek_rest().to_vec()),
        };
        Ok(Decoded { message, issues })
    }

    /// Appends the message, header included, as sent on a session with `ctx`.
    ///
    /// Fails, leaving `out` as it was, when the message does not fit the negotiated
    /// maximum (4096 for OPEN/KEEPALIVE) or a field overflows.
    pub fn encode(&self, ctx: &EncodeCtx, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        let start = out.len();
        let result = self.encode_inner(ctx, out, start);
        if result.is_err() {
            out.truncate(start);
        }
        result
    }

    fn encode_inner(
        &self,
        ctx: &EncodeCtx,
        out: &mut Vec<u8>,
        start: usize,
    ) -> Result<(), EncodeError> {
        out.extend_from_slice(&[0xff; 16]);
        out.extend_from_slice(&[0, 0, self.kind().0]);
        match self {
            Self::Open(o) => open::encode(o, out)?,
            Self::Update(u) => update::encode(u, ctx, out)?,
            Self::Notification(n) => {
                out.extend_from_slice(&[n.code, n.subcode]);
                out.extend_from_slice(&n.data);
            }
            Self::Keepalive => {}
            Self::RouteRefresh(rr) => route_refresh::encode(rr, out),
            Self::Operational(body) => out.extend_from_slice(body),
        }
        let len = out.len() - start;
        let max = match self {
            Self::Open(_) | Self::Keepalive => MAX_OPEN_LEN,
            _ => ctx.max_message_len(),
        };
        if len > max {
            return Err(EncodeError::MessageTooLong { len, max });
        }
        // `len <= max <= 65535` was just checked.
        let len = len as u16;
        out[start + 16..start + 18].copy_from_slice(&len.to_be_bytes());
        Ok(())
    }

    /// The message encoded into a new buffer.
    pub fn to_bytes(&self, ctx: &EncodeCtx) -> Result<Vec<u8>, EncodeError> {
        let mut out = Vec::new();
        self.encode(ctx, &mut out)?;
        Ok(out)
    }
}
