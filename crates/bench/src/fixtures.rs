//! Inputs of the micro-benchmarks, built once outside the timed loops.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use ipnet::{IpNet, Ipv4Net};
use rib::{AdjRibOut, AttrSet, OutCtx};
use wire::attr::{AsPath, AsSegment, Origin, SegmentType};
use wire::{Asn, Attribute, EncodeCtx, Family, Message, Nlri, Update};

use crate::routes::{self, Fam};

/// Prefixes in [`packed_update`]: as many /32s as fit a 4096-octet UPDATE with the
/// attributes below.
pub const PACKED_PREFIXES: u32 = 800;

/// The attributes of an eBGP route from AS 65001: ORIGIN IGP, AS_PATH 65001, NEXT_HOP
/// 192.0.2.1.
pub fn ebgp_attributes() -> Vec<Attribute> {
    vec![
        Attribute::Origin(Origin::Igp),
        Attribute::AsPath(AsPath(vec![AsSegment {
            kind: SegmentType::Sequence,
            asns: vec![Asn(65001)],
        }])),
        Attribute::NextHop(Ipv4Addr::new(192, 0, 2, 1)),
    ]
}

/// An IPv4 UPDATE with [`PACKED_PREFIXES`] /32 prefixes in its NLRI field.
pub fn packed_update() -> Update {
    let nlri = (0..u64::from(PACKED_PREFIXES))
        .map(|i| match routes::address(Fam::V4, i) {
            IpAddr::V4(a) => Nlri::prefix(IpNet::V4(Ipv4Net::from(a))),
            // Invariant: routes::address(Fam::V4, _) only makes IPv4 addresses.
            IpAddr::V6(_) => unreachable!("Fam::V4 gives IPv4 addresses"),
        })
        .collect();
    Update {
        withdrawn: Vec::new(),
        attributes: ebgp_attributes(),
        nlri,
    }
}

/// The encoding context of an ASN4 session without extended messages.
pub fn encode_ctx() -> EncodeCtx {
    EncodeCtx {
        asn4: true,
        ..EncodeCtx::default()
    }
}

/// [`packed_update`] encoded by herald-wire.
pub fn packed_update_bytes() -> Vec<u8> {
    let mut out = Vec::new();
    // The fixture is a valid UPDATE of 4 + 800 × 5 + 25 octets, under 4096.
    Message::Update(packed_update())
        .encode(&encode_ctx(), &mut out)
        // Invariant: the fixed fixture encodes (see the size above); no input reaches it.
        .expect("the fixture UPDATE fits 4096 octets");
    out
}

/// The packing context of an eBGP IPv4 unicast session (65000 → 65001).
pub fn out_ctx() -> OutCtx {
    OutCtx {
        encode: encode_ctx(),
        local_as: Asn(65000),
        peer_as: Asn(65001),
        group_updates: true,
        families: vec![Family::IPV4_UNICAST],
    }
}

/// `count` IPv4 /32 NLRI, routes `0..count` of a run.
pub fn nlri_v4(count: u64) -> Vec<Nlri> {
    (0..count)
        .map(|i| match routes::address(Fam::V4, i) {
            IpAddr::V4(a) => Nlri::prefix(IpNet::V4(Ipv4Net::from(a))),
            // Invariant: routes::address(Fam::V4, _) only makes IPv4 addresses.
            IpAddr::V6(_) => unreachable!("Fam::V4 gives IPv4 addresses"),
        })
        .collect()
}

/// `items` in a fixed pseudo-random order (Fisher-Yates driven by a xorshift generator
/// with a fixed seed, so every run measures the same order).
pub fn shuffled<T: Clone>(items: &[T]) -> Vec<T> {
    let mut out = items.to_vec();
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    for i in (1..out.len()).rev() {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        out.swap(i, (state % (i as u64 + 1)) as usize);
    }
    out
}

/// UPDATEs that carry `nlri` in order, [`PACKED_PREFIXES`] to an UPDATE, with the
/// attributes of [`packed_update`].
pub fn updates_of(nlri: &[Nlri]) -> Vec<Update> {
    nlri.chunks(PACKED_PREFIXES as usize)
        .map(|chunk| Update {
            withdrawn: Vec::new(),
            attributes: ebgp_attributes(),
            nlri: chunk.to_vec(),
        })
        .collect()
}

/// Announces every NLRI with one shared attribute set, the way the runtime does (intern
/// the set of each route, then announce).
pub fn fill_rib(rib: &mut AdjRibOut, nlri: &[Nlri]) {
    let next_hop = Some(routes::Fam::V4.next_hop());
    for n in nlri {
        let attrs: Arc<AttrSet> = rib.intern(AttrSet::new(next_hop, Vec::new()));
        rib.announce(Family::IPV4_UNICAST, n, attrs);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn packed_update_is_one_message_under_4096() {
        let bytes = packed_update_bytes();
        assert!(bytes.len() <= 4096, "{}", bytes.len());
        let counts = crate::bgp::count_update(&bytes[crate::bgp::HEADER..]);
        assert_eq!(
            counts.map(|c| c.announced),
            Some(u64::from(PACKED_PREFIXES))
        );
    }

    #[test]
    fn shuffled_is_a_fixed_permutation() {
        let items: Vec<u32> = (0..1000).collect();
        let a = shuffled(&items);
        assert_eq!(a, shuffled(&items), "the same order every time");
        assert_ne!(a, items);
        let mut sorted = a;
        sorted.sort_unstable();
        assert_eq!(sorted, items, "a permutation");
    }

    #[test]
    fn rib_drains_every_route() {
        let mut rib = AdjRibOut::new();
        fill_rib(&mut rib, &nlri_v4(5000));
        assert_eq!(rib.attr_sets(), 1);
        let (messages, errors) = rib.drain(&out_ctx());
        assert!(errors.is_empty());
        let announced: u64 = messages
            .iter()
            .filter_map(|m| crate::bgp::count_update(&m[crate::bgp::HEADER..]))
            .map(|c| c.announced)
            .sum();
        assert_eq!(announced, 5000);
    }
}
