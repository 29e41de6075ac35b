//! BGP-LS Attribute, type 29 (RFC 7752 §3.3, RFC 9552 §5.3): optional non-transitive, a
//! list of Node, Link and Prefix Attribute TLVs, with the Segment Routing (RFC 9085) and
//! SRv6 (RFC 9514) extensions.
//!
//! ```text
//! +-------------------------------+-------------------------------+
//! |  Type (2 octets)              |  Length (2 octets)            |
//! +-------------------------------+-------------------------------+
//! //  Value (Length octets)                                       //
//! +---------------------------------------------------------------+   … repeated
//! ```
//!
//! The TLVs are kept in wire order ([`LinkState::tlvs`]) so that the attribute re-encodes
//! octet for octet; [`LinkState::values`] reads each one into an [`LsValue`] (see
//! [`tlv`] for the code points and their layouts).
//!
//! Errors (RFC 7752 §8.2.2, RFC 9552 §8.2.2, RFC 7606 §2): a truncated TLV header, a TLV
//! length overrunning the attribute, or a value a known TLV cannot hold (wrong fixed
//! size, truncated SID, sub-TLV overrun …) makes the attribute malformed → attribute
//! discard; the routes stay. The checks are those ExaBGP 5 makes on receipt. An empty
//! attribute is discarded too (ExaBGP 5 treats it as withdraw, by its rule for any known
//! attribute of length 0).

pub mod tlv;

use super::AttrError;
use crate::error::{EncodeError, Rfc7606Action, WireErrorKind};
use crate::nlri::bgpls::{next_tlv, LsTlv};
use crate::reader::Reader;

pub use tlv::{EndXNeighbor, LsValue, SrAdjacency, Srv6EndX};

/// The BGP-LS Attribute: its TLVs in wire order.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct LinkState {
    /// Node, Link and Prefix Attribute TLVs.
    pub tlvs: Vec<LsTlv>,
}

impl LinkState {
    /// Each TLV read into its value, in wire order; `Err` gives the code of the first
    /// malformed one and what is wrong with it.
    pub fn values(&self) -> Result<Vec<(u16, LsValue<'_>)>, (u16, &'static str)> {
        self.tlvs
            .iter()
            .map(|t| {
                LsValue::parse(t.code, &t.value)
                    .map(|v| (t.code, v))
                    .map_err(|why| (t.code, why))
            })
            .collect()
    }

    /// Appends the value (the TLVs).
    pub fn encode(&self, out: &mut Vec<u8>) -> Result<(), EncodeError> {
        for tlv in &self.tlvs {
            tlv.encode(out)?;
        }
        Ok(())
    }
}

/// Decodes the value; a malformed attribute is discarded (RFC 7752 §8.2.2).
pub(crate) fn decode(r: Reader<'_>) -> Result<LinkState, AttrError> {
    let discard = |what| {
        AttrError::new(
            Rfc7606Action::AttributeDiscard,
            r.error(WireErrorKind::MalformedAttributeList(what)),
        )
    };
    let mut rest = r.peek_rest();
    if rest.is_empty() {
        // An attribute without a single TLV says nothing about the object.
        return Err(discard("empty BGP-LS attribute"));
    }
    let mut tlvs = Vec::new();
    while !rest.is_empty() {
        let (code, value, next) =
            next_tlv(rest).ok_or_else(|| discard("BGP-LS attribute TLV truncated"))?;
        tlvs.push(LsTlv {
            code,
            value: value.to_vec(),
        });
        rest = next;
    }
    let attr = LinkState { tlvs };
    if let Err((_, why)) = attr.values() {
        return Err(discard(why));
    }
    Ok(attr)
}

#[cfg(test)]
mod tests;
