//! `announce operational <asm|adm|rpcq|rpcp|apcq|apcp|lpcq|lpcp> afi <afi> safi <safi> …`
//! (draft-ietf-idr-operational-message, ExaBGP's OPERATIONAL message):
//! advisories take `advisory "<text>"`, queries `sequence <n>`, replies `sequence <n>
//! counter <n>`; `router-id <ip>` may be given anywhere (default: ours on the session).
//! Unlike ExaBGP 5.0.15, a quoted advisory keeps its spaces.

use std::net::Ipv4Addr;

use wire::{Afi, Family, Safi};

use super::{Cursor, ParseError, PeerCommand};
use crate::render::operational::{Operational, OperationalKind};

/// An OPERATIONAL message to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationalCommand {
    /// The message; its router id is a placeholder when `router_id_given` is false.
    pub message: Operational,
    /// `router-id` was written on the command line.
    pub router_id_given: bool,
}

impl OperationalCommand {
    /// The OPERATIONAL body to send, using `our_router_id` unless one was given.
    pub fn body(&self, our_router_id: Ipv4Addr) -> Vec<u8> {
        let mut message = self.message.clone();
        if !self.router_id_given {
            match &mut message.kind {
                OperationalKind::Query { router_id, .. }
                | OperationalKind::Counter { router_id, .. } => {
                    *router_id = our_router_id;
                }
                OperationalKind::Advisory(_) => {}
            }
        }
        message.encode()
    }
}

/// Parses what follows `announce operational`.
pub(super) fn parse(cur: &mut Cursor<'_>) -> Result<PeerCommand, ParseError> {
    let what = cur.expect("asm | adm | rpcq | rpcp | apcq | apcp | lpcq | lpcp")?;
    let lower = what.text.to_ascii_lowercase();
    let (name, keys): (&'static str, &[&str]) = match lower.as_str() {
        "adm" => ("ADM", &["afi", "safi", "advisory"]),
        "asm" => ("ASM", &["afi", "safi", "advisory"]),
        "rpcq" => ("RPCQ", &["afi", "safi", "sequence"]),
        "apcq" => ("APCQ", &["afi", "safi", "sequence"]),
        "lpcq" => ("LPCQ", &["afi", "safi", "sequence"]),
        "rpcp" => ("RPCP", &["afi", "safi", "sequence", "counter"]),
        "apcp" => ("APCP", &["afi", "safi", "sequence", "counter"]),
        "lpcp" => ("LPCP", &["afi", "safi", "sequence", "counter"]),
        _ => return Err(ParseError::new(what, "unknown operational message")),
    };
    let (mut afi, mut safi, mut advisory, mut sequence, mut counter) =
        (None, None, None, None, None);
    let mut router_id = None;
    let mut expected = keys.iter();
    while let Some(key) = cur.next_word() {
        let value = cur.next_word().ok_or_else(|| {
            ParseError::at_end(cur.line(), format!("a value for {} expected", key.text))
        })?;
        let word = key.text.to_ascii_lowercase();
        if word == "router-id" {
            router_id = Some(
                value
                    .text
                    .parse::<Ipv4Addr>()
                    .map_err(|_| ParseError::new(value, "invalid router-id"))?,
            );
            continue;
        }
        if expected.next() != Some(&word.as_str()) {
            return Err(ParseError::new(
                key,
                format!("unexpected operational argument '{}'", key.text),
            ));
        }
        let number = || {
            value
                .text
                .parse::<u32>()
                .map_err(|_| ParseError::new(value, format!("invalid {word}")))
        };
        match word.as_str() {
            "afi" => {
                afi = Some(
                    Afi::from_name(value.text)
                        .ok_or_else(|| ParseError::new(value, "unknown AFI"))?,
                )
            }
            "safi" => {
                safi = Some(
                    Safi::from_name(value.text)
                        .ok_or_else(|| ParseError::new(value, "unknown SAFI"))?,
                )
            }
            "advisory" => advisory = Some(value.text.to_owned()),
            "sequence" => sequence = Some(number()?),
            _ => counter = Some(number()?),
        }
    }
    if let Some(missing) = expected.next() {
        return Err(ParseError::at_end(
            cur.line(),
            format!("{missing} expected"),
        ));
    }
    let (Some(afi), Some(safi)) = (afi, safi) else {
        return Err(ParseError::at_end(cur.line(), "afi and safi expected"));
    };
    let placeholder = router_id.unwrap_or(Ipv4Addr::UNSPECIFIED);
    let kind = match (advisory, sequence, counter) {
        (Some(text), _, _) => OperationalKind::Advisory(text),
        (None, Some(sequence), None) => OperationalKind::Query {
            router_id: placeholder,
            sequence,
        },
        (None, Some(sequence), Some(counter)) => OperationalKind::Counter {
            router_id: placeholder,
            sequence,
            counter,
        },
        _ => {
            return Err(ParseError::at_end(
                cur.line(),
                "incomplete operational message",
            ))
        }
    };
    Ok(PeerCommand::Operational(OperationalCommand {
        message: Operational {
            name,
            family: Family::new(afi, safi),
            kind,
        },
        router_id_given: router_id.is_some(),
    }))
}
