//! What a session negotiated that changes how bytes are read and written.

use crate::family::{Afi, Family};

/// Context for decoding messages received on one session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DecodeCtx {
    /// Both sides sent the four-octet ASN capability (RFC 6793): AS_PATH carries 4-octet ASNs.
    pub asn4: bool,
    /// Extended messages (RFC 8654): UPDATEs up to 65535 octets.
    pub extended_message: bool,
    /// Families for which we receive ADD-PATH identifiers (RFC 7911).
    pub add_path: Vec<Family>,
    /// Extended next-hop (RFC 8950): (NLRI family, next-hop AFI) pairs accepted.
    pub extended_next_hop: Vec<(Family, Afi)>,
    /// `Some(true)` on an iBGP session, `Some(false)` on eBGP, `None` when unknown (a
    /// decode tool): enables the RFC 7606 §7.5/§7.9/§7.10 checks (LOCAL_PREF,
    /// ORIGINATOR_ID, CLUSTER_LIST from an external peer are discarded) and rejects
    /// AS_CONFED segments from an external peer (§7.2).
    pub ibgp: Option<bool>,
    /// When set, the leftmost AS of AS_PATH must be this ASN (RFC 4271 §6.3, "enforce
    /// first AS"), else the UPDATE is treated as withdraw. Leave unset for route servers.
    pub first_as: Option<crate::asn::Asn>,
    /// AIGP_SESSION (RFC 7311 §3.1): the AIGP attribute is enabled on this session. When
    /// false (the default, as for an EBGP session) a received AIGP attribute is treated as
    /// an unrecognised non-transitive attribute (§3.2): quietly ignored and not kept.
    pub aigp: bool,
}

impl DecodeCtx {
    /// True when NLRI of `family` carry a path identifier.
    pub fn add_path(&self, family: Family) -> bool {
        self.add_path.contains(&family)
    }

    /// The largest message accepted (RFC 8654 §3).
    pub fn max_message_len(&self) -> usize {
        if self.extended_message {
            65535
        } else {
            4096
        }
    }
}

/// Context for encoding messages sent on one session.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EncodeCtx {
    /// Both sides sent the four-octet ASN capability (RFC 6793).
    pub asn4: bool,
    /// Extended messages (RFC 8654).
    pub extended_message: bool,
    /// Families for which we send ADD-PATH identifiers (RFC 7911).
    pub add_path: Vec<Family>,
    /// Extended next-hop (RFC 8950): (NLRI family, next-hop AFI) pairs we may use.
    pub extended_next_hop: Vec<(Family, Afi)>,
    /// AIGP_SESSION (RFC 7311 §3.1): the AIGP attribute may be sent on this session. When
    /// false (the default) an [`crate::Attribute::Aigp`] is left out of what is sent.
    pub aigp: bool,
}

impl EncodeCtx {
    /// True when NLRI of `family` carry a path identifier.
    pub fn add_path(&self, family: Family) -> bool {
        self.add_path.contains(&family)
    }

    /// The largest message we may send (RFC 8654 §3).
    pub fn max_message_len(&self) -> usize {
        if self.extended_message {
            65535
        } else {
            4096
        }
    }
}
