//! NLRI: the destinations an UPDATE announces or withdraws (RFC 4271 §4.3, RFC 4760 §5,
//! RFC 7911 for path identifiers).
//!
//! ```text
//! +---------------------------+
//! |   Length (1 octet, bits)  |
//! +---------------------------+
//! |   Prefix (variable)       |
//! +---------------------------+
//! ```

use std::fmt;

use ipnet::IpNet;

/// An ADD-PATH path identifier (RFC 7911 §3). ExaBGP prints it as a dotted quad.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct PathId(pub u32);

impl fmt::Display for PathId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let b = self.0.to_be_bytes();
        write!(f, "{}.{}.{}.{}", b[0], b[1], b[2], b[3])
    }
}

/// One NLRI entry. The family is not stored here: it is known from where the entry sits
/// (the UPDATE's own fields are IPv4 unicast; MP_REACH / MP_UNREACH name theirs).
///
/// New families (labeled, VPN, FlowSpec, VPLS, EVPN …) are added as variants.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[non_exhaustive]
pub enum Nlri {
    /// An IPv4 or IPv6 prefix of a unicast or multicast family. Host bits are always zero.
    Prefix {
        /// ADD-PATH identifier, present when ADD-PATH is negotiated for the family.
        path_id: Option<PathId>,
        /// The prefix, with host bits cleared.
        prefix: IpNet,
    },
    /// The whole undecoded NLRI field of a family this crate does not parse, kept so that
    /// it can be shown (as hex) and re-encoded unchanged.
    Opaque(Vec<u8>),
}

impl Nlri {
    /// A prefix NLRI without a path identifier; host bits are cleared.
    pub fn prefix(prefix: IpNet) -> Self {
        Self::Prefix {
            path_id: None,
            prefix: prefix.trunc(),
        }
    }

    /// The ADD-PATH identifier, if any.
    pub fn path_id(&self) -> Option<PathId> {
        match self {
            Self::Prefix { path_id, .. } => *path_id,
            Self::Opaque(_) => None,
        }
    }
}
