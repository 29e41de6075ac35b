//! Decode errors, their NOTIFICATION, and RFC 7606 actions.

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

/// The structure that failed to decode, with the NOTIFICATION it calls for.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum WireErrorKind {
    /// Fewer octets than the structure needs.
    #[error("missing data in {0}")]
    MissingData(&'static str),
    /// Octets left over after the structure.
    #[error("trailing data in {0}")]
    TrailingData(&'static str),
    /// Marker not all ones (1,1).
    #[error("connection not synchronized (bad marker)")]
    BadMarker,
    /// Bad message length (1,2).
    #[error("bad message length {0}")]
    BadLength(u16),
    /// Unknown message type (1,3).
    #[error("bad message type {0}")]
    BadType(u8),
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
