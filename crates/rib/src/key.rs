//! Compact map keys for NLRI, so a table of a million IPv4 prefixes costs little more than
//! the prefixes themselves.
//!
//! An IPv4 prefix with its optional RFC 7911 path identifier packs into 9 octets, an IPv6
//! one into 22, both stored inline (no allocation); other NLRI kinds are kept whole, and
//! compared and hashed by their route key ([`Nlri::route_key`]: an EVPN route without its
//! labels and ESI, a VPN prefix without its labels), so that a new version of a route
//! replaces the old one. Conversions are lossless in both directions.

use std::hash::{Hash, Hasher};
use std::net::{Ipv4Addr, Ipv6Addr};

use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use wire::{Nlri, PathId};

/// IPv4 key: prefix length (bit 7 set when a path identifier is present), address, path
/// identifier.
pub(crate) type V4Key = [u8; 9];
/// IPv6 key: prefix length, path-identifier flag, address, path identifier.
pub(crate) type V6Key = [u8; 22];

/// An NLRI as a hashable, compact key. The family is known from the table holding it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum RouteKey {
    /// An IPv4 prefix.
    V4(V4Key),
    /// An IPv6 prefix.
    V6(V6Key),
    /// Anything else.
    Other(Keyed),
}

/// A whole NLRI that is equal to another, and hashes the same, when both are the same
/// route ([`Nlri::same_route`]). A map keyed by it keeps the key first inserted: replace
/// it (remove, insert) to hold a newer version of the route.
#[derive(Debug, Clone)]
pub(crate) struct Keyed(pub(crate) Box<Nlri>);

impl PartialEq for Keyed {
    fn eq(&self, other: &Self) -> bool {
        self.0.same_route(&other.0)
    }
}

impl Eq for Keyed {}

impl Hash for Keyed {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.0.route_key().hash(state);
    }
}

impl Keyed {
    /// True when `self` and `other` are the same NLRI, field by field (not only the same
    /// route).
    pub(crate) fn identical(&self, other: &Self) -> bool {
        *self.0 == *other.0
    }
}

impl RouteKey {
    /// The key of `nlri`.
    pub(crate) fn new(nlri: &Nlri) -> Self {
        match nlri {
            Nlri::Prefix {
                path_id,
                prefix: IpNet::V4(net),
            } => {
                let mut key = [0u8; 9];
                key[0] = net.prefix_len() | if path_id.is_some() { 0x80 } else { 0 };
                key[1..5].copy_from_slice(&net.network().octets());
                key[5..9].copy_from_slice(&path_id.map_or(0, |p| p.0).to_be_bytes());
                Self::V4(key)
            }
            Nlri::Prefix {
                path_id,
                prefix: IpNet::V6(net),
            } => {
                let mut key = [0u8; 22];
                key[0] = net.prefix_len();
                key[1] = u8::from(path_id.is_some());
                key[2..18].copy_from_slice(&net.network().octets());
                key[18..22].copy_from_slice(&path_id.map_or(0, |p| p.0).to_be_bytes());
                Self::V6(key)
            }
            other => Self::Other(Keyed(Box::new(other.clone()))),
        }
    }

    /// The NLRI this key stands for.
    pub(crate) fn to_nlri(&self) -> Nlri {
        match self {
            Self::V4(key) => v4_nlri(key),
            Self::V6(key) => v6_nlri(key),
            Self::Other(nlri) => (*nlri.0).clone(),
        }
    }
}

/// An IPv4 key without path identifier: prefix length and address (5 octets, so a map
/// entry of the Adj-RIB-Out is 20 octets rather than 24 with the 9-octet key).
pub(crate) type V4Short = [u8; 5];

/// Where an IPv4 key lives in a table split by key length: the short map when it has
/// no path identifier.
pub(crate) enum V4Slot {
    /// No path identifier: the short key.
    Short(V4Short),
    /// With a path identifier: the whole key.
    Long(V4Key),
}

/// The slot of an IPv4 key.
pub(crate) fn v4_slot(key: &V4Key) -> V4Slot {
    if key[0] & 0x80 == 0 && key[5..] == [0; 4] {
        V4Slot::Short([key[0], key[1], key[2], key[3], key[4]])
    } else {
        V4Slot::Long(*key)
    }
}

/// The whole key of a short one.
pub(crate) fn v4_long(short: &V4Short) -> V4Key {
    let mut key = [0u8; 9];
    key[..5].copy_from_slice(short);
    key
}

fn word(bytes: &[u8]) -> u32 {
    let mut word = [0u8; 4];
    word.copy_from_slice(bytes);
    u32::from_be_bytes(word)
}

/// The NLRI of an IPv4 key.
pub(crate) fn v4_nlri(key: &V4Key) -> Nlri {
    let len = key[0] & 0x7f;
    let addr = Ipv4Addr::from(word(&key[1..5]));
    Nlri::Prefix {
        path_id: (key[0] & 0x80 != 0).then(|| PathId(word(&key[5..9]))),
        // Invariant: the length came from a valid Ipv4Net, so it is at most 32.
        prefix: IpNet::V4(Ipv4Net::new(addr, len).unwrap_or_default()),
    }
}

/// The NLRI of an IPv6 key.
pub(crate) fn v6_nlri(key: &V6Key) -> Nlri {
    let mut octets = [0u8; 16];
    octets.copy_from_slice(&key[2..18]);
    Nlri::Prefix {
        path_id: (key[1] != 0).then(|| PathId(word(&key[18..22]))),
        // Invariant: the length came from a valid Ipv6Net, so it is at most 128.
        prefix: IpNet::V6(Ipv6Net::new(Ipv6Addr::from(octets), key[0]).unwrap_or_default()),
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
            "ff::1/128",
        ] {
            let net: IpNet = text.parse().unwrap();
            for path_id in [None, Some(PathId(0)), Some(PathId(0xdead_beef))] {
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
    fn other_keys_are_route_keys() {
        use wire::nlri::Label;
        let vpn = |label: u32| Nlri::Labeled {
            path_id: None,
            labels: vec![Label::new(label).unwrap()],
            rd: None,
            prefix: "10.0.0.0/24".parse().unwrap(),
        };
        let (a, b) = (RouteKey::new(&vpn(1)), RouteKey::new(&vpn(2)));
        assert_eq!(a, b);
        let hash = |k: &RouteKey| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            k.hash(&mut h);
            h.finish()
        };
        assert_eq!(hash(&a), hash(&b));
        // The key still holds the whole NLRI.
        assert_eq!(b.to_nlri(), vpn(2));
        let (RouteKey::Other(a), RouteKey::Other(b)) = (a, b) else {
            panic!("labeled NLRI are kept whole");
        };
        assert!(!a.identical(&b));
    }

    #[test]
    fn keys_are_compact() {
        assert_eq!(std::mem::size_of::<V4Key>(), 9);
        assert_eq!(std::mem::size_of::<V6Key>(), 22);
        assert!(std::mem::size_of::<RouteKey>() <= 24);
    }
}
