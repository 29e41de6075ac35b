//! ExaBGP's OPERATIONAL message (draft-ietf-idr-operational-message, message type 6),
//! decoded from the raw body the wire crate keeps.
//!
//! ```text
//! +---------------+---------------+------------------------------+
//! |  Type (2)     |  Length (2)   |  AFI (2) SAFI (1) ...        |
//! +---------------+---------------+------------------------------+
//! ```
//! Advisories (ADM 1, ASM 2) carry text after the family; queries (RPCQ 3, APCQ 5,
//! LPCQ 7) a router-id and a sequence number; replies (RPCP 4, APCP 6, LPCP 8) also a
//! counter.

use std::net::Ipv4Addr;

use wire::{Afi, Family, Safi};

/// One decoded OPERATIONAL message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Operational {
    /// ExaBGP's name of the type (`ADM`, `RPCQ` …).
    pub name: &'static str,
    /// The family it is about.
    pub family: Family,
    /// What the message carries.
    pub kind: OperationalKind,
}

/// The three shapes of OPERATIONAL messages ExaBGP reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OperationalKind {
    /// ADM / ASM: free text (decoded as UTF-8, invalid sequences replaced).
    Advisory(String),
    /// RPCQ / APCQ / LPCQ.
    Query {
        /// Router id.
        router_id: Ipv4Addr,
        /// Sequence number.
        sequence: u32,
    },
    /// RPCP / APCP / LPCP.
    Counter {
        /// Router id.
        router_id: Ipv4Addr,
        /// Sequence number.
        sequence: u32,
        /// The prefix count.
        counter: u32,
    },
}

/// The longest advisory text ExaBGP sends; longer ones are cut and end with `...`.
pub const MAX_ADVISORY: usize = 2048;

impl Operational {
    /// The type code of the message (ADM 1 … LPCP 8).
    pub fn code(&self) -> u16 {
        match self.name {
            "ADM" => 1,
            "ASM" => 2,
            "RPCQ" => 3,
            "RPCP" => 4,
            "APCQ" => 5,
            "APCP" => 6,
            "LPCQ" => 7,
            _ => 8,
        }
    }

    /// The message body (what follows the BGP header), as ExaBGP encodes it.
    pub fn encode(&self) -> Vec<u8> {
        let mut value = Vec::new();
        value.extend_from_slice(&self.family.afi.0.to_be_bytes());
        value.push(self.family.safi.0);
        match &self.kind {
            OperationalKind::Advisory(text) => {
                let bytes = text.as_bytes();
                if bytes.len() > MAX_ADVISORY {
                    value.extend_from_slice(&bytes[..MAX_ADVISORY - 3]);
                    value.extend_from_slice(b"...");
                } else {
                    value.extend_from_slice(bytes);
                }
            }
            OperationalKind::Query {
                router_id,
                sequence,
            } => {
                value.extend_from_slice(&router_id.octets());
                value.extend_from_slice(&sequence.to_be_bytes());
            }
            OperationalKind::Counter {
                router_id,
                sequence,
                counter,
            } => {
                value.extend_from_slice(&router_id.octets());
                value.extend_from_slice(&sequence.to_be_bytes());
                value.extend_from_slice(&counter.to_be_bytes());
            }
        }
        let mut body = Vec::with_capacity(value.len() + 4);
        body.extend_from_slice(&self.code().to_be_bytes());
        body.extend_from_slice(&(value.len().min(usize::from(u16::MAX)) as u16).to_be_bytes());
        body.extend_from_slice(&value);
        body
    }

    /// The name ExaBGP gives a type code.
    pub(crate) fn name_of(code: u16) -> Option<&'static str> {
        Some(match code {
            1 => "ADM",
            2 => "ASM",
            3 => "RPCQ",
            4 => "RPCP",
            5 => "APCQ",
            6 => "APCP",
            7 => "LPCQ",
            8 => "LPCP",
            _ => return None,
        })
    }

    /// Decodes an OPERATIONAL body; `None` for types ExaBGP does not report or a body too
    /// short for its type (ExaBGP ignores the former and resets on the latter).
    pub fn decode(body: &[u8]) -> Option<Self> {
        let kind = u16::from_be_bytes([*body.first()?, *body.get(1)?]);
        let length = usize::from(u16::from_be_bytes([*body.get(2)?, *body.get(3)?]));
        let family = Family::new(
            Afi(u16::from_be_bytes([*body.get(4)?, *body.get(5)?])),
            Safi(*body.get(6)?),
        );
        let name = Self::name_of(kind)?;
        let u32_at = |i: usize| -> Option<u32> {
            let b = body.get(i..i + 4)?;
            Some(u32::from_be_bytes([b[0], b[1], b[2], b[3]]))
        };
        let kind = match kind {
            1 | 2 => {
                let end = (length + 4).min(body.len()).max(7);
                let text = body.get(7..end).unwrap_or_default();
                OperationalKind::Advisory(String::from_utf8_lossy(text).into_owned())
            }
            3 | 5 | 7 => OperationalKind::Query {
                router_id: Ipv4Addr::from(u32_at(7)?),
                sequence: u32_at(11)?,
            },
            _ => OperationalKind::Counter {
                router_id: Ipv4Addr::from(u32_at(7)?),
                sequence: u32_at(11)?,
                counter: u32_at(15)?,
            },
        };
        Some(Self { name, family, kind })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_the_three_shapes() {
        let adm = [0, 1, 0, 8, 0, 1, 1, b'h', b'e', b'l', b'l', b'o'];
        let op = Operational::decode(&adm).unwrap();
        assert_eq!(op.name, "ADM");
        assert_eq!(op.kind, OperationalKind::Advisory("hello".into()));
        let rpcq = [0, 3, 0, 11, 0, 1, 1, 10, 0, 0, 1, 0, 0, 0, 9];
        let op = Operational::decode(&rpcq).unwrap();
        assert_eq!(
            op.kind,
            OperationalKind::Query {
                router_id: Ipv4Addr::new(10, 0, 0, 1),
                sequence: 9
            }
        );
        assert_eq!(op.encode(), rpcq);
        assert!(Operational::decode(&rpcq[..10]).is_none());
        assert!(Operational::decode(&[0, 9, 0, 3, 0, 1, 1]).is_none());
    }
}
