//! Decode errors, their NOTIFICATION, encode errors, and RFC 7606 actions.
//!
//! A [`WireError`] is a failure that ends the session: [`Notification::from`] turns it into
//! the NOTIFICATION to send (RFC 4271 §6, RFC 7313 §5, RFC 6608). Problems inside UPDATE
//! path attributes that RFC 7606 lets a speaker survive are not errors but
//! [`AttrIssue`](crate::message::AttrIssue)s carrying an [`Rfc7606Action`].

use std::net::Ipv4Addr;

use crate::message::Notification;

/// What to do about a malformed UPDATE attribute (RFC 7606 §2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Rfc7606Action {
    /// Drop the attribute, keep the routes (§2 "attribute discard").
    AttributeDiscard,
    /// Treat every route in the UPDATE as withdrawn (§2 "treat-as-withdraw").
    TreatAsWithdraw,
    /// Send a NOTIFICATION and reset the session.
    SessionReset,
}

/// A decode failure: where it happened and what failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("at offset {offset}: {kind}")]
pub struct WireError {
    /// Offset in the message (from the first marker octet) where the problem was seen.
    pub offset: usize,
    /// What failed.
    pub kind: WireErrorKind,
}

impl WireError {
    /// An error of `kind` at `offset`.
    pub fn new(offset: usize, kind: WireErrorKind) -> Self {
        Self { offset, kind }
    }
}

/// The structure that failed to decode, with the NOTIFICATION it calls for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireErrorKind {
    /// Fewer octets than the structure needs (outside OPEN/UPDATE: (1,2)).
    #[error("missing data in {0}")]
    MissingData(&'static str),
    /// Octets left over after the structure (outside OPEN/UPDATE: (1,2)).
    #[error("trailing data in {0}")]
    TrailingData(&'static str),
    /// Marker not all ones (1,1).
    #[error("connection not synchronized (bad marker)")]
    BadMarker,
    /// Bad message length (1,2); the NOTIFICATION data is the length field.
    #[error("bad message length {0}")]
    BadLength(u16),
    /// Unknown message type (1,3); the NOTIFICATION data is the type.
    #[error("bad message type {0}")]
    BadType(u8),
    /// OPEN version other than 4 (2,1); data is the version we support, 4.
    #[error("unsupported version number {0}")]
    UnsupportedVersion(u8),
    /// OPEN "My Autonomous System" (after ASN4 resolution) is not the configured one (2,2).
    #[error("bad peer AS {0}")]
    BadPeerAs(u32),
    /// OPEN BGP Identifier is 0, or ours on an iBGP session (2,3).
    #[error("bad BGP identifier {0}")]
    BadBgpIdentifier(Ipv4Addr),
    /// OPEN optional parameter of an unknown type (2,4).
    #[error("unsupported optional parameter {0}")]
    UnsupportedOptParam(u8),
    /// OPEN hold time 1 or 2 (2,6).
    #[error("unacceptable hold time {0}")]
    UnacceptableHoldTime(u16),
    /// A structure of the OPEN is malformed: optional parameter or capability lengths
    /// (2,0, RFC 4271 §6.2 "recognized but malformed").
    #[error("malformed OPEN: {0}")]
    MalformedOpen(&'static str),
    /// UPDATE lengths or an attribute that cannot be survived (3,1).
    #[error("malformed attribute list: {0}")]
    MalformedAttributeList(&'static str),
    /// A well-known attribute this crate does not recognise (3,2); data is the attribute.
    #[error("unrecognized well-known attribute {code}")]
    UnrecognizedWellKnown {
        /// Attribute type code.
        code: u8,
        /// The whole attribute (flags, type, length, value) for the NOTIFICATION data.
        data: Vec<u8>,
    },
    /// An NLRI field that cannot be parsed (3,10).
    #[error("invalid network field: {0}")]
    InvalidNetworkField(&'static str),
    /// ROUTE-REFRESH whose length is wrong (7,1, RFC 7313 §5); data is the message.
    #[error("invalid ROUTE-REFRESH length")]
    BadRouteRefreshLength(Vec<u8>),
    /// A message that is not acceptable in the current FSM state (5, subcode, RFC 6608).
    #[error("unexpected message in FSM state (subcode {0})")]
    FsmError(u8),
    /// Anything else, with the NOTIFICATION code, subcode and data to send.
    #[error("{what} (notification {code},{subcode})")]
    Other {
        /// What failed.
        what: &'static str,
        /// NOTIFICATION code.
        code: u8,
        /// NOTIFICATION subcode.
        subcode: u8,
        /// NOTIFICATION data.
        data: Vec<u8>,
    },
}

impl From<&WireError> for Notification {
    /// The NOTIFICATION that a decode failure calls for (RFC 4271 §6.1–6.3).
    fn from(e: &WireError) -> Self {
        use WireErrorKind as K;
        let (code, subcode, data) = match &e.kind {
            K::MissingData(_) | K::TrailingData(_) => (1, 2, Vec::new()),
            K::BadMarker => (1, 1, Vec::new()),
            K::BadLength(len) => (1, 2, len.to_be_bytes().to_vec()),
            K::BadType(t) => (1, 3, vec![*t]),
            K::UnsupportedVersion(_) => (2, 1, vec![0, 4]),
            K::BadPeerAs(_) => (2, 2, Vec::new()),
            K::BadBgpIdentifier(_) => (2, 3, Vec::new()),
            K::UnsupportedOptParam(_) => (2, 4, Vec::new()),
            K::UnacceptableHoldTime(_) => (2, 6, Vec::new()),
            K::MalformedOpen(_) => (2, 0, Vec::new()),
            K::MalformedAttributeList(_) => (3, 1, Vec::new()),
            K::UnrecognizedWellKnown { data, .. } => (3, 2, data.clone()),
            K::InvalidNetworkField(_) => (3, 10, Vec::new()),
            K::BadRouteRefreshLength(msg) => (7, 1, msg.clone()),
            K::FsmError(sub) => (5, *sub, Vec::new()),
            K::Other {
                code,
                subcode,
                data,
                ..
            } => (*code, *subcode, data.clone()),
        };
        Self {
            code,
            subcode,
            data,
        }
    }
}

/// An encode failure: the value cannot be put on the wire with this context.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum EncodeError {
    /// The message would exceed the negotiated maximum (4096, or 65535 with RFC 8654).
    #[error("message of {len} octets exceeds the maximum of {max}")]
    MessageTooLong {
        /// Length the message would have.
        len: usize,
        /// The maximum allowed.
        max: usize,
    },
    /// A length field cannot hold the value (attribute > 65535, OPEN parameters, strings).
    #[error("{0} too long for its length field")]
    FieldTooLong(&'static str),
    /// A value this crate cannot encode in that place (e.g. NLRI of another family).
    #[error("cannot encode {0}")]
    Unencodable(&'static str),
}
