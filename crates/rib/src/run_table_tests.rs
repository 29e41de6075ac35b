//! The sorted run and its hash map against a model map, under every kind of operation
//! and key order, for IPv4 and IPv6 keys.

use std::collections::BTreeMap;

use proptest::prelude::*;

use super::*;
use crate::prefix_hash::{PrefixFast, PrefixKeyed};

fn key(addr: u32, len: u8) -> V4Short {
    let [a, b, c, d] = addr.to_be_bytes();
    [len, a, b, c, d]
}

/// An IPv6 key: `addr` in the first 32 bits, with or without a path identifier.
fn key6(addr: u32, len: u8, path_id: Option<u32>) -> V6Key {
    let mut k = [0u8; 22];
    k[0] = len;
    k[1] = u8::from(path_id.is_some());
    k[2..6].copy_from_slice(&addr.to_be_bytes());
    k[18..].copy_from_slice(&path_id.unwrap_or(0).to_be_bytes());
    k
}

#[derive(Debug, Clone)]
enum Op<K> {
    Insert(K, u32),
    Entry(K, u32),
    Remove(K),
    RemoveOdd(K),
    GetMut(K, u32),
    RetainEven,
}

/// Keys from a small space (so they repeat), ascending runs and random ones mixed.
fn keys() -> impl Strategy<Value = V4Short> + Clone {
    (0u32..300, prop_oneof![Just(32u8), Just(24u8), 0u8..=32]).prop_map(|(a, len)| key(a, len))
}

/// IPv6 keys from a small space, some with a path identifier.
fn keys6() -> impl Strategy<Value = V6Key> + Clone {
    (
        0u32..200,
        prop_oneof![Just(128u8), Just(64u8), 0u8..=128],
        prop::option::of(0u32..3),
    )
        .prop_map(|(a, len, id)| key6(a, len, id))
}

fn op<K: std::fmt::Debug + Clone>(
    keys: impl Strategy<Value = K> + Clone,
) -> impl Strategy<Value = Op<K>> {
    prop_oneof![
        4 => (keys.clone(), any::<u32>()).prop_map(|(k, v)| Op::Insert(k, v)),
        2 => (keys.clone(), any::<u32>()).prop_map(|(k, v)| Op::Entry(k, v)),
        3 => keys.clone().prop_map(Op::Remove),
        1 => keys.clone().prop_map(Op::RemoveOdd),
        1 => (keys, any::<u32>()).prop_map(|(k, v)| Op::GetMut(k, v)),
        1 => Just(Op::RetainEven),
    ]
}

/// Applies `ops` to a table and to a model, comparing every answer and the contents.
fn check<K: RunKey + Ord + std::fmt::Debug>(prefix: Vec<K>, ops: Vec<Op<K>>) {
    let mut table: RunTable<K, u32, PrefixKeyed> = RunTable::default();
    let mut model: BTreeMap<K, u32> = BTreeMap::new();
    for (i, k) in prefix.into_iter().enumerate() {
        assert_eq!(table.insert(k, i as u32), model.insert(k, i as u32));
    }
    for op in ops {
        match op {
            Op::Insert(k, v) => assert_eq!(table.insert(k, v), model.insert(k, v)),
            Op::Entry(k, v) => {
                let held = model.contains_key(&k);
                let (slot, inserted) = table.entry(k, v);
                assert_eq!(inserted, !held);
                assert_eq!(*slot, *model.entry(k).or_insert(v));
            }
            Op::Remove(k) => assert_eq!(table.remove(&k), model.remove(&k)),
            Op::RemoveOdd(k) => {
                let expected = match model.get(&k) {
                    Some(v) if v % 2 == 1 => model.remove(&k),
                    _ => None,
                };
                assert_eq!(table.remove_if(&k, |v| v % 2 == 1), expected);
            }
            Op::GetMut(k, v) => {
                let got = table.get_mut(&k).map(|slot| {
                    *slot = v;
                });
                let want = model.get_mut(&k).map(|slot| {
                    *slot = v;
                });
                assert_eq!(got, want);
            }
            Op::RetainEven => {
                table.retain(|v| v % 2 == 0);
                model.retain(|_, v| *v % 2 == 0);
            }
        }
        assert_eq!(table.len(), model.len());
    }
    for (k, v) in &model {
        assert_eq!(table.get(k), Some(v));
    }
    let mut listed: Vec<(K, u32)> = table.iter().map(|(k, v)| (k, *v)).collect();
    listed.sort_unstable();
    assert_eq!(listed, model.into_iter().collect::<Vec<_>>());
    assert_eq!(table.values().count(), table.len());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Random operations on a table first filled with an ascending run.
    #[test]
    fn behaves_as_a_map_after_an_ascending_fill(n in 0u32..400, ops in prop::collection::vec(op(keys()), 0..400)) {
        check((0..n).map(|a| key(a, 32)).collect(), ops);
    }

    /// Random operations from empty.
    #[test]
    fn behaves_as_a_map(ops in prop::collection::vec(op(keys()), 0..600)) {
        check(Vec::new(), ops);
    }

    /// The same for IPv6 keys, with and without path identifiers.
    #[test]
    fn behaves_as_a_map_v6(n in 0u32..300, ops in prop::collection::vec(op(keys6()), 0..500)) {
        check((0..n).map(|a| key6(a, 128, None)).collect(), ops);
    }
}

#[test]
fn ascending_keys_stay_in_the_run() {
    let mut table: RunTable<V4Short, u32, PrefixFast> = RunTable::default();
    for a in 0..1000 {
        assert_eq!(table.insert(key(a, 32), a), None);
    }
    assert!(table.rest.is_empty());
    assert_eq!(table.keys.len(), 1000);
    // address first, then length: a RIB walk's order appends too
    let mut walk: RunTable<V4Short, u32, PrefixFast> = RunTable::default();
    for (addr, len) in [
        (0x0100_0000, 8),
        (0x0100_0000, 24),
        (0x0100_0400, 22),
        (0x0100_0400, 24),
    ] {
        walk.insert(key(addr, len), 0);
    }
    assert!(walk.rest.is_empty());
    assert_eq!(walk.keys.len(), 4);
}

#[test]
fn out_of_order_keys_go_to_the_map_and_removal_compacts() {
    let mut table: RunTable<V4Short, u32, PrefixFast> = RunTable::default();
    for a in (0..200).step_by(2) {
        table.insert(key(a, 32), a);
    }
    for a in (1..200).step_by(2) {
        table.insert(key(a, 32), a);
    }
    // 199 is greater than the run's last key (198): appended
    assert_eq!((table.keys.len(), table.rest.len()), (101, 99));
    // removing 64 keys, most of the run, merges the map into a new run
    for a in (0..128).step_by(2) {
        assert_eq!(table.remove(&key(a, 32)), Some(a));
    }
    assert_eq!(table.dead, 0, "compacted");
    assert!(table.rest.is_empty());
    assert_eq!(table.len(), 136);
    let listed: Vec<u32> = table.iter().map(|(_, v)| *v).collect();
    let want: Vec<u32> = (1..128).step_by(2).chain(128..200).collect();
    assert_eq!(listed, want, "the new run is in order");
    // a removed key comes back in place, in the run
    assert_eq!(table.remove(&key(129, 32)), Some(129));
    assert_eq!(table.insert(key(129, 32), 1290), None);
    assert!(table.rest.is_empty());
    assert_eq!(table.get(&key(129, 32)), Some(&1290));
    // removing every key frees the run
    let all: Vec<V4Short> = table.iter().map(|(k, _)| k).collect();
    for k in &all {
        assert!(table.remove(k).is_some());
    }
    assert_eq!(table.len(), 0);
    assert_eq!(table.keys.capacity(), 0, "an emptied table frees its run");
}

/// Ordinals order keys by address, then length, then path identifier, and give the key
/// back.
#[test]
fn ordinals_follow_a_rib_walk_and_round_trip() {
    let v4 = [
        key(0x0100_0000, 8),
        key(0x0100_0000, 24),
        key(0x0100_0400, 22),
        key(0x0200_0000, 7),
    ];
    for pair in v4.windows(2) {
        assert!(pair[0].ordinal() < pair[1].ordinal(), "{pair:?}");
    }
    let v6 = [
        key6(1, 32, None),
        key6(1, 48, None),
        key6(1, 48, Some(0)),
        key6(1, 48, Some(7)),
        key6(2, 16, None),
    ];
    for pair in v6.windows(2) {
        assert!(pair[0].ordinal() < pair[1].ordinal(), "{pair:?}");
    }
    for k in v4 {
        assert_eq!(V4Short::from_ordinal(k.ordinal()), k);
    }
    for k in v6 {
        assert_eq!(V6Key::from_ordinal(k.ordinal()), k);
    }
}
