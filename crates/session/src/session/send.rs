//! Commands from the application: messages to send once the session is established
//! (UPDATEs packed by the RIB, ROUTE-REFRESH, End-of-RIB).

use std::time::Instant;

use wire::error::EncodeError;
use wire::message::RefreshSubtype;
use wire::{Family, Message, RouteRefresh};

use super::Session;
use crate::negotiate::RefreshKind;
use crate::state::State;

/// Why something the application asked to send was not sent.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SendError {
    /// UPDATE, ROUTE-REFRESH and End-of-RIB need an established session.
    #[error("the session is not established")]
    NotEstablished,
    /// A ROUTE-REFRESH for a family that was not negotiated, or without the capability.
    #[error("route refresh not negotiated for {0}")]
    RefreshNotNegotiated(Family),
    /// The bytes given are not a whole BGP message of an allowed type and length.
    #[error("not a BGP message that may be sent: {0}")]
    NotAMessage(&'static str),
    /// The message cannot be encoded with the negotiated context.
    #[error(transparent)]
    Encode(#[from] EncodeError),
}

impl Session {
    /// Sends a message built by the application (UPDATE, ROUTE-REFRESH, OPERATIONAL …),
    /// encoded with the negotiated context. Only in Established.
    pub fn send(&mut self, message: &Message, now: Instant) -> Result<(), SendError> {
        let negotiated = self
            .negotiated
            .as_ref()
            .filter(|_| self.state == State::Established);
        let Some(negotiated) = negotiated else {
            return Err(SendError::NotEstablished);
        };
        if matches!(message, Message::Open(_) | Message::Notification(_)) {
            return Err(SendError::NotAMessage(
                "OPEN and NOTIFICATION are sent by the session itself",
            ));
        }
        let mut raw = Vec::new();
        message.encode(&negotiated.encode, &mut raw)?;
        self.push_sent(raw, now);
        Ok(())
    }

    /// Sends one or more whole messages already encoded (UPDATEs packed by the RIB with
    /// [`Negotiated::encode`](crate::Negotiated::encode)). Only in Established; each message is checked for its
    /// marker and a length within the negotiated maximum.
    pub fn send_update(&mut self, raw: Vec<u8>, now: Instant) -> Result<(), SendError> {
        let Some(negotiated) = self
            .negotiated
            .as_ref()
            .filter(|_| self.state == State::Established)
        else {
            return Err(SendError::NotEstablished);
        };
        check_messages(&raw, negotiated.max_message_len())?;
        self.push_sent(raw, now);
        Ok(())
    }

    /// Asks the peer to resend `family` (RFC 2918 §3). Needs the route refresh capability
    /// on both sides and the family negotiated.
    pub fn send_route_refresh(&mut self, family: Family, now: Instant) -> Result<(), SendError> {
        let Some(negotiated) = self
            .negotiated
            .as_ref()
            .filter(|_| self.state == State::Established)
        else {
            return Err(SendError::NotEstablished);
        };
        if negotiated.refresh == RefreshKind::Absent || !negotiated.has_family(family) {
            return Err(SendError::RefreshNotNegotiated(family));
        }
        let message = Message::RouteRefresh(RouteRefresh {
            family,
            subtype: RefreshSubtype::Query,
        });
        self.send(&message, now)
    }

    /// Sends End-of-RIB for `family` (RFC 4724 §2): an empty UPDATE for IPv4 unicast, an
    /// UPDATE holding only an empty MP_UNREACH_NLRI otherwise.
    pub fn send_eor(&mut self, family: Family, now: Instant) -> Result<(), SendError> {
        if self.state != State::Established {
            return Err(SendError::NotEstablished);
        }
        self.push_sent(eor(family), now);
        Ok(())
    }
}

/// End-of-RIB for a family (RFC 4724 §2), as ExaBGP encodes it: its MP_UNREACH_NLRI has
/// the extended-length flag (0x90) although three octets would fit in a short length.
fn eor(family: Family) -> Vec<u8> {
    let mut raw = vec![0xff; 16];
    if family == Family::IPV4_UNICAST {
        raw.extend_from_slice(&[0x00, 0x17, 0x02, 0x00, 0x00, 0x00, 0x00]);
        return raw;
    }
    raw.extend_from_slice(&[
        0x00, 0x1e, 0x02, 0x00, 0x00, 0x00, 0x07, 0x90, 0x0f, 0x00, 0x03,
    ]);
    raw.extend_from_slice(&family.afi.0.to_be_bytes());
    raw.push(family.safi.0);
    raw
}

/// Checks that `raw` is a sequence of whole messages of a type the application may send.
fn check_messages(raw: &[u8], max_len: usize) -> Result<(), SendError> {
    let mut rest = raw;
    if rest.is_empty() {
        return Err(SendError::NotAMessage("empty"));
    }
    while !rest.is_empty() {
        let header = rest
            .get(..19)
            .ok_or(SendError::NotAMessage("short header"))?;
        if header[..16].iter().any(|b| *b != 0xff) {
            return Err(SendError::NotAMessage("bad marker"));
        }
        let len = usize::from(u16::from_be_bytes([header[16], header[17]]));
        if !(19..=max_len).contains(&len) || len > rest.len() {
            return Err(SendError::NotAMessage("bad length"));
        }
        if !matches!(header[18], 2 | 5 | 6) {
            return Err(SendError::NotAMessage(
                "only UPDATE, ROUTE-REFRESH and OPERATIONAL",
            ));
        }
        rest = &rest[len..];
    }
    Ok(())
}
