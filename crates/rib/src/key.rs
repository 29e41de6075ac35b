//! Compact map keys for NLRI, so a table of a million IPv4 prefixes costs little more than
//! the prefixes themselves.
//!
//! IPv4 and IPv6 prefixes (with their optional RFC 7911 path identifier) are stored inline;
//! other NLRI kinds are boxed. Conversions are lossless in both directions.

use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use wire::{Nlri, PathId};

/// An NLRI as a hashable, compact key. The family is known from the table holding it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum RouteKey {
    /// An IPv4 prefix: address bits, prefix length, path identifier.
    V4 {
        addr: u32,
        len: u8,
        path_id: Option<u32>,
    },
    /// An IPv6 prefix.
    V6 {
        addr: [u8; 16],
        len: u8,
        path_id: Option<u32>,
    },
    /// Anything else.
    Other(Box<Nlri>),
}

impl RouteKey {
    /// The key of `nlri`.
    pub(crate) fn new(nlri: &Nlri) -> Self {
        match nlri {
            Nlri::Prefix {
                path_id,
                prefix: IpNet::V4(net),
            } => Self::V4 {
                addr: u32::from(net.network()),
                len: net.prefix_len(),
                path_id: path_id.map(|p| p.0),
            },
            Nlri::Prefix {
                path_id,
                prefix: IpNet::V6(net),
            } => Self::V6 {
                addr: net.network().octets(),
                len: net.prefix_len(),
                path_id: path_id.map(|p| p.0),
            },
            other => Self::Other(Box::new(other.clone())),
        }
    }

    /// The NLRI this key stands for.
    pub(crate) fn to_nlri(&self) -> Nlri {
        match self {
            Self::V4 { addr, len, path_id } => Nlri::Prefix {
                path_id: path_id.map(PathId),
                // Invariant: `len` came from a valid Ipv4Net, so it is at most 32.
                prefix: IpNet::V4(Ipv4Net::new(Ipv4Addr::from(*addr), *len).unwrap_or_default()),
            },
            Self::V6 { addr, len, path_id } => Nlri::Prefix {
                path_id: path_id.map(PathId),
                // Invariant: `len` came from a valid Ipv6Net, so it is at most 128.
                prefix: IpNet::V6(Ipv6Net::new(Ipv6Addr::from(*addr), *len).unwrap_or_default()),
            },
            Self::Other(nlri) => (**nlri).clone(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn round_trips() {
        for text in [
            "10.0.0.0/8",
            "1.2.3.4/32",
            "0.0.0.0/0",
            "2001:db8::/32",
            "::/0",
        ] {
            let net: IpNet = text.parse().unwrap();
            for path_id in [None, Some(PathId(7))] {
                let nlri = Nlri::Prefix {
                    path_id,
                    prefix: net,
                };
                assert_eq!(RouteKey::new(&nlri).to_nlri(), nlri);
            }
        }
        let opaque = Nlri::Opaque(vec![1, 2, 3]);
        assert_eq!(RouteKey::new(&opaque).to_nlri(), opaque);
    }

    #[test]
    fn path_id_is_part_of_the_key() {
        let net: IpNet = "10.0.0.0/8".parse().unwrap();
        let a = RouteKey::new(&Nlri::Prefix {
            path_id: None,
            prefix: net,
        });
        let b = RouteKey::new(&Nlri::Prefix {
            path_id: Some(PathId(0)),
            prefix: net,
        });
        assert_ne!(a, b);
    }

    #[test]
    fn key_is_compact() {
        assert!(std::mem::size_of::<RouteKey>() <= 32);
    }
}
