//! BGP-4 wire codec: the messages of RFC 4271 and its extensions, decoded from and encoded to
//! bytes. No I/O, no clock, no allocation beyond the values themselves.
//!
//! What this crate does:
//! - frames and decodes OPEN, UPDATE, NOTIFICATION, KEEPALIVE and ROUTE-REFRESH (§4, RFC 2918,
//!   RFC 7313) with the context negotiated for a session ([`DecodeCtx`] / [`EncodeCtx`]);
//! - keeps anything it does not understand (capabilities, path attributes) as raw bytes that
//!   round-trip unchanged;
//! - classifies UPDATE errors into the RFC 7606 action to take ([`Rfc7606Action`]) and maps
//!   every fatal error to the NOTIFICATION to send ([`Notification::from`]).
//!
//! Entry points: [`message::frame`] (find a whole message in a buffer), [`Message::decode`]
//! (→ [`Decoded`]: the message and its RFC 7606 [`AttrIssue`]s, or a [`WireError`] whose
//! [`Notification`] ends the session), [`Message::encode`], [`encode_attributes`],
//! [`Nlri::encoded_len`], [`Update::end_of_rib`] / [`Update::is_end_of_rib`],
//! [`Update::into_withdraw`], [`Notification::cease`] / [`Notification::shutdown_text`].
//!
//! What it does not do: timers, state, sockets (see `herald-session` and `herald-runtime`);
//! checks that need configuration (peer AS, own router id, negotiated families).
//!
//! `README.md` in this crate has the coverage table (code point, RFC, test).

pub mod asn;
pub mod attr;
pub mod cap;
pub mod ctx;
pub mod error;
pub mod family;
pub mod hex;
pub mod message;
pub mod nlri;
pub mod reader;

pub use asn::Asn;
pub use attr::{encode_attributes, AttrCode, AttrFlags, Attribute};
pub use cap::Capability;
pub use ctx::{DecodeCtx, EncodeCtx};
pub use error::{EncodeError, Rfc7606Action, WireError, WireErrorKind};
pub use family::{Afi, Family, Safi};
pub use message::{
    frame, AttrIssue, Decoded, Message, MessageType, Notification, Open, RouteRefresh, Update,
};
pub use nlri::{Nlri, PathId};
pub use reader::Reader;
