//! Tests of the locality-preserving prefix hash: the placement the module documentation
//! promises, the spread of blocks, seeds, and that a map with it is still a map.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::hash::BuildHasher;

use ipnet::IpNet;
use proptest::prelude::*;
use wire::{Nlri, PathId};

use super::*;
use crate::key::{v4_slot, RouteKey, V4Slot};

/// The key of `prefix` as the tables build it.
fn route_key(prefix: &str, path_id: Option<u32>) -> RouteKey {
    let prefix: IpNet = prefix.parse().expect("test prefix");
    RouteKey::new(&Nlri::Prefix {
        path_id: path_id.map(PathId),
        prefix,
    })
}

/// The hash of `key` under `hasher`, through the key type each table uses.
fn hash_of(hasher: &impl BuildHasher, key: &RouteKey) -> u64 {
    match key {
        RouteKey::V4(long) => match v4_slot(long) {
            V4Slot::Short(short) => hasher.hash_one(short),
            V4Slot::Long(long) => hasher.hash_one(long),
        },
        RouteKey::V6(key) => hasher.hash_one(key),
        RouteKey::Other(_) => hasher.hash_one(key),
    }
}

/// The bits of a hash that place its block: neither the offset nor the tag.
fn block_bits(hash: u64) -> u64 {
    (hash << 7) >> 11
}

/// Sixteen consecutive prefixes (the first one's index a multiple of 16) of every kind
/// of key.
fn runs() -> Vec<Vec<RouteKey>> {
    let mut runs = Vec::new();
    let v4 = |f: &dyn Fn(u32) -> String, path| (0..16).map(|i| route_key(&f(i), path)).collect();
    runs.push(v4(&|i| format!("10.0.1.{}/32", 32 + i), None));
    runs.push(v4(&|i| format!("10.0.{}.0/24", 16 + i), None));
    runs.push(v4(&|i| format!("{}.0.0.0/8", 16 + i), None));
    runs.push(v4(&|i| format!("10.0.1.{}/32", 32 + i), Some(7)));
    runs.push(v4(&|i| format!("{}.0.0.0/4", i << 4), None));
    let v6 = |f: &dyn Fn(u32) -> String, path| (0..16).map(|i| route_key(&f(i), path)).collect();
    runs.push(v6(&|i| format!("2001:db8::{:x}/128", 0x20 + i), None));
    runs.push(v6(&|i| format!("2001:db8:0:{:x}::/64", 0x30 + i), None));
    runs.push(v6(&|i| format!("2001:db8::{:x}/128", 0x20 + i), Some(1)));
    runs
}

#[test]
fn sixteen_consecutive_prefixes_fill_one_block_in_order_with_distinct_tags() {
    for hasher in [PrefixKeyed::default(), PrefixKeyed::default()] {
        for run in runs() {
            let hashes: Vec<u64> = run.iter().map(|k| hash_of(&hasher, k)).collect();
            for (offset, hash) in hashes.iter().enumerate() {
                assert_eq!(hash & 15, offset as u64, "{:?}", run[offset]);
                assert_eq!(
                    block_bits(*hash),
                    block_bits(hashes[0]),
                    "{:?}",
                    run[offset]
                );
            }
            let tags: HashSet<u64> = hashes.iter().map(|h| h >> 57).collect();
            assert_eq!(tags.len(), 16, "tags of {:?}", run[0]);
        }
    }
    // The fixed hasher places them the same way.
    for run in runs() {
        let hashes: Vec<u64> = run.iter().map(|k| hash_of(&PrefixFast, k)).collect();
        assert!(hashes.iter().enumerate().all(|(i, h)| h & 15 == i as u64));
    }
}

#[test]
fn the_next_prefix_and_other_lengths_are_other_blocks() {
    let block = |text: &str, path| block_bits(hash_of(&PrefixFast, &route_key(text, path)));
    let first = block("10.0.1.32/32", None);
    assert_ne!(block("10.0.1.48/32", None), first, "the 17th prefix");
    assert_ne!(block("10.0.1.32/31", None), first, "another length");
    assert_ne!(block("10.0.1.32/32", Some(1)), first, "a path identifier");
    assert_ne!(
        block("10.0.1.32/32", Some(2)),
        block("10.0.1.32/32", Some(1))
    );
}

/// Keys that share a block are at most 16 and are 16 consecutive prefixes of one length:
/// sequential runs, random addresses at every length, and the same with path identifiers.
#[test]
fn no_more_than_sixteen_keys_share_a_block() {
    let mut rng = 0x1234_5678_9abc_def0_u64;
    let mut next = move || {
        rng ^= rng << 13;
        rng ^= rng >> 7;
        rng ^= rng << 17;
        rng
    };
    let mut keys = HashSet::new();
    for i in 0..50_000u32 {
        keys.insert(route_key(
            &format!("{}/32", std::net::Ipv4Addr::from(0x0a00_0000 + i)),
            None,
        ));
        keys.insert(route_key(
            &format!("{}/24", std::net::Ipv4Addr::from(i << 8)),
            None,
        ));
        let len = (next() % 33) as u8;
        let net = ipnet::Ipv4Net::new(std::net::Ipv4Addr::from(next() as u32), len)
            .expect("length at most 32")
            .trunc();
        keys.insert(route_key(&net.to_string(), (i % 3 == 0).then_some(i % 5)));
        let len = (next() % 129) as u8;
        let addr = u128::from(next()) << 64 | u128::from(next());
        let net = ipnet::Ipv6Net::new(std::net::Ipv6Addr::from(addr), len)
            .expect("length at most 128")
            .trunc();
        keys.insert(route_key(&net.to_string(), None));
    }
    for hasher in [PrefixKeyed::default(), PrefixKeyed::default()] {
        let mut blocks: HashMap<(bool, u64), Vec<&RouteKey>> = HashMap::new();
        for key in &keys {
            let long = matches!(key, RouteKey::V4(k) if matches!(v4_slot(k), V4Slot::Long(_)));
            let kind = long || matches!(key, RouteKey::V6(_));
            let hash = hash_of(&hasher, key);
            blocks
                .entry((kind, block_bits(hash)))
                .or_default()
                .push(key);
        }
        for members in blocks.values() {
            assert!(members.len() <= 16, "{} keys in one block", members.len());
            let prefixes: Vec<(u8, u128)> = members
                .iter()
                .map(|k| match k.to_nlri() {
                    Nlri::Prefix { prefix, .. } => {
                        let bits = match prefix.network() {
                            std::net::IpAddr::V4(a) => u128::from(u32::from(a)) << 96,
                            std::net::IpAddr::V6(a) => u128::from(a),
                        };
                        let index = bits.checked_shr(128 - u32::from(prefix.prefix_len()));
                        (prefix.prefix_len(), index.unwrap_or(0) >> 4)
                    }
                    other => panic!("not a prefix: {other:?}"),
                })
                .collect();
            assert!(
                prefixes.iter().all(|p| *p == prefixes[0]),
                "one block holds {prefixes:?}"
            );
        }
    }
}

/// Where blocks land in a table of 4096 groups: spread like random placements (about
/// 1 − 1/e of the groups used), and differently under two seeds.
#[test]
fn seeds_scatter_blocks_differently() {
    const GROUPS: u64 = 4096;
    let firsts: Vec<RouteKey> = (0..GROUPS as u32)
        .map(|b| {
            route_key(
                &format!("{}/32", std::net::Ipv4Addr::from(0x0a00_0000 + b * 16)),
                None,
            )
        })
        .collect();
    let place = |hasher: &dyn Fn(&RouteKey) -> u64| -> Vec<u64> {
        firsts.iter().map(|k| (hasher(k) >> 4) % GROUPS).collect()
    };
    let (a, b) = (PrefixKeyed::default(), PrefixKeyed::default());
    let fixed = place(&|k| hash_of(&PrefixFast, k));
    let (a, b) = (place(&|k| hash_of(&a, k)), place(&|k| hash_of(&b, k)));
    for placement in [&fixed, &a, &b] {
        let used: HashSet<_> = placement.iter().collect();
        // 1 − 1/e of 4096 is 2589; a hash blind to some bits of the block uses far fewer
        assert!(used.len() > 2_400, "{} groups used", used.len());
    }
    // Under independent seeds a block lands in the same group with probability 1/4096.
    let same = a.iter().zip(&b).filter(|(x, y)| x == y).count();
    assert!(
        same < 16,
        "{same} blocks in the same group under both seeds"
    );
}

#[test]
fn every_key_bit_counts_and_odd_layouts_do_not_panic() {
    fn check(hasher: impl BuildHasher) {
        // host bits (never in a valid key) are hashed, not dropped
        let a = hasher.hash_one([24u8, 10, 0, 0, 0]);
        let b = hasher.hash_one([24u8, 10, 0, 0, 1]);
        assert_ne!(a, b);
        // lengths above the family's are not prefix layouts: folded, still deterministic
        assert_eq!(hasher.hash_one([200u8; 5]), hasher.hash_one([200u8; 5]));
        assert_eq!(hasher.hash_one([0xffu8; 9]), hasher.hash_one([0xffu8; 9]));
        assert_eq!(hasher.hash_one([129u8; 22]), hasher.hash_one([129u8; 22]));
        assert_ne!(hasher.hash_one([0u8; 5]), hasher.hash_one([0u8; 9]));
    }
    check(PrefixFast);
    check(PrefixKeyed::default());
}

/// One operation on a map: insert, remove or look up.
#[derive(Debug, Clone)]
enum Op<K> {
    Insert(K, u32),
    Remove(K),
    Get(K),
}

/// Applies `ops` to a hash map and to a `BTreeMap` and compares every answer and the
/// final contents.
fn same_as_btree<K, S>(mut map: HashMap<K, u32, S>, ops: Vec<Op<K>>) -> Result<(), TestCaseError>
where
    K: std::hash::Hash + Ord + Clone + std::fmt::Debug,
    S: BuildHasher,
{
    let mut model = BTreeMap::new();
    for op in ops {
        match op {
            Op::Insert(k, v) => prop_assert_eq!(map.insert(k.clone(), v), model.insert(k, v)),
            Op::Remove(k) => prop_assert_eq!(map.remove(&k), model.remove(&k)),
            Op::Get(k) => prop_assert_eq!(map.get(&k), model.get(&k)),
        }
        prop_assert_eq!(map.len(), model.len());
    }
    let contents: BTreeMap<K, u32> = map.into_iter().collect();
    prop_assert_eq!(contents, model);
    Ok(())
}

/// Operations on keys drawn from few lengths and a narrow address range, so that blocks
/// fill, overlap and hold both live and removed keys.
fn ops<K: std::fmt::Debug + Clone>(
    key: impl Strategy<Value = K> + Clone,
) -> impl Strategy<Value = Vec<Op<K>>> {
    prop::collection::vec(
        prop_oneof![
            (key.clone(), any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
            key.clone().prop_map(Op::Remove),
            key.prop_map(Op::Get),
        ],
        0..600,
    )
}

fn v4_short() -> impl Strategy<Value = V4Short> + Clone {
    (prop::sample::select(vec![0u8, 8, 24, 31, 32]), 0u32..300).prop_map(|(len, i)| {
        let addr = if len == 0 {
            0
        } else {
            (0x0a00_0000 + i) & (u32::MAX << (32 - len))
        };
        let a = addr.to_be_bytes();
        [len, a[0], a[1], a[2], a[3]]
    })
}

fn v6_key() -> impl Strategy<Value = V6Key> + Clone {
    (
        prop::sample::select(vec![64u8, 127, 128]),
        0u128..300,
        0u8..2,
    )
        .prop_map(|(len, i, path)| {
            let addr = (0x2001_0db8_u128 << 96 | i) & (u128::MAX << (128 - len));
            let mut key = [0u8; 22];
            key[0] = len;
            key[1] = path;
            key[2..18].copy_from_slice(&addr.to_be_bytes());
            key[18..22].copy_from_slice(&u32::from(path).to_be_bytes());
            key
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_v4_map_is_a_map(ops in ops(v4_short())) {
        same_as_btree(PrefixMap::default(), ops.clone())?;
        same_as_btree(KeyedPrefixMap::default(), ops)?;
    }

    #[test]
    fn a_v6_map_is_a_map(ops in ops(v6_key())) {
        same_as_btree(PrefixMap::default(), ops.clone())?;
        same_as_btree(KeyedPrefixMap::default(), ops)?;
    }

    #[test]
    fn a_map_of_other_keys_is_a_map(ops in ops(0u64..500)) {
        same_as_btree(KeyedPrefixMap::default(), ops)?;
    }
}
