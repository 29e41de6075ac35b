//! The tables of prefixes, the bulk of most route tables: a sorted run that grows by
//! appending, and a hash map for the keys that arrive out of order.
//!
//! Why: helpers announce routes in address order, and peers send their tables in the
//! order of their own RIB walk, which is address order too. A hash map of a million
//! routes outgrows the caches and the TLB, and rehashes every entry each time it doubles
//! (the last time at 917,504 entries), so a table of 1M costs more than ten of 100k. A
//! sorted run takes a key greater than its last by appending it, finds a key next to the
//! one used before without searching, and grows by copying octets: its cost per route
//! does not depend on the table's size.
//!
//! How: keys are ordered by address, then length (`1.0.4.0/22` < `1.0.4.0/24` <
//! `1.0.5.0/24`, a RIB walk's order), then path identifier ([`RunKey`]). A key is in
//! exactly one of the two parts:
//!
//! - a key greater than the run's last key is appended to the run;
//! - a key the run holds (live or removed) stays there: removal only marks it, and
//!   inserting it again revives it in place;
//! - any other key (out of order) goes to the hash map, so every key in the map is less
//!   than the run's last key, and a lookup of a greater key needs neither part.
//!
//! When removed keys are more than half of the run, the live ones and the hash map's are
//! merged into a new run (each removal pays for one move), which keeps the rule above.
//! The map is the crate's prefix map with the hasher the caller chooses: keyed for the
//! Adj-RIB-In, whose keys a peer chooses. A peer sending keys in an adversarial order
//! only fills the hash map, which is what every key cost before this table.

use std::collections::HashMap;
use std::hash::{BuildHasher, Hash};

use crate::key::{V4Short, V6Key};

/// A prefix key that a run can hold: its ordinal orders keys by address, then length,
/// then path identifier, and gives the key back.
pub(crate) trait RunKey: Copy + Eq + Hash {
    /// The key as the run stores and orders it.
    type Ord: Copy + Ord;
    /// The ordinal of `self`.
    fn ordinal(&self) -> Self::Ord;
    /// The key of an ordinal.
    fn from_ordinal(ord: Self::Ord) -> Self;
}

/// An IPv4 key without path identifier as `address << 8 | length`.
impl RunKey for V4Short {
    type Ord = u64;

    fn ordinal(&self) -> u64 {
        let [len, a, b, c, d] = *self;
        u64::from(u32::from_be_bytes([a, b, c, d])) << 8 | u64::from(len)
    }

    fn from_ordinal(ord: u64) -> Self {
        let [a, b, c, d] = ((ord >> 8) as u32).to_be_bytes();
        [ord as u8, a, b, c, d]
    }
}

/// An IPv6 key ([`V6Key`]: length, path-identifier flag, address, path identifier) with
/// its address first.
impl RunKey for V6Key {
    type Ord = [u8; 22];

    fn ordinal(&self) -> [u8; 22] {
        let mut ord = [0u8; 22];
        ord[..16].copy_from_slice(&self[2..18]);
        ord[16] = self[0];
        ord[17] = self[1];
        ord[18..].copy_from_slice(&self[18..]);
        ord
    }

    fn from_ordinal(ord: [u8; 22]) -> Self {
        let mut key = [0u8; 22];
        key[0] = ord[16];
        key[1] = ord[17];
        key[2..18].copy_from_slice(&ord[..16]);
        key[18..].copy_from_slice(&ord[18..]);
        key
    }
}

/// Runs with fewer removed keys than this are not compacted (a handful of tombstones
/// cost less than copying the run).
const MIN_COMPACT: usize = 64;

/// Prefix keys → `V` (see the module documentation).
#[derive(Debug)]
pub(crate) struct RunTable<K: RunKey, V, S> {
    /// Ordinals, ascending.
    keys: Vec<K::Ord>,
    /// The value of `keys[i]` (stale for a removed key).
    values: Vec<V>,
    /// Bit `i` set: `keys[i]` was removed.
    removed: Vec<u64>,
    /// Removed keys in the run.
    dead: usize,
    /// Where the last operation ended: routes come in runs of neighbours.
    hint: usize,
    /// Keys that arrived out of order.
    rest: HashMap<K, V, S>,
}

impl<K: RunKey, V, S: Default> Default for RunTable<K, V, S> {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            values: Vec::new(),
            removed: Vec::new(),
            dead: 0,
            hint: 0,
            rest: HashMap::default(),
        }
    }
}

/// Where a key is.
enum Place {
    /// In the run, at this index (live or removed). Indexing `keys`, `values` and
    /// `removed` with it cannot fail: the three grow together (`push`) and are replaced
    /// together (compaction), and the index was found in `keys`.
    Run(usize),
    /// Greater than every key: not held, appended when inserted.
    After,
    /// Out of the run's order: in the hash map if anywhere.
    Rest,
}

/// Bit `i` of a bitmap.
fn bit(map: &[u64], i: usize) -> bool {
    map.get(i / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
}

/// Sets bit `i` of a bitmap to `on`.
fn set_bit(map: &mut [u64], i: usize, on: bool) {
    if let Some(w) = map.get_mut(i / 64) {
        if on {
            *w |= 1 << (i % 64);
        } else {
            *w &= !(1 << (i % 64));
        }
    }
}

impl<K: RunKey, V: Copy, S: BuildHasher> RunTable<K, V, S> {
    fn live_at(&self, i: usize) -> bool {
        !bit(&self.removed, i)
    }

    /// The place of `ord`, trying the hint and its predecessor before searching.
    fn place(&self, ord: K::Ord) -> Place {
        match self.keys.last() {
            None => return Place::After,
            Some(&last) if ord > last => return Place::After,
            Some(_) => {}
        }
        for i in [self.hint, self.hint.wrapping_sub(1)] {
            if self.keys.get(i) == Some(&ord) {
                return Place::Run(i);
            }
        }
        match self.keys.binary_search(&ord) {
            Ok(i) => Place::Run(i),
            Err(_) => Place::Rest,
        }
    }

    /// Appends a key greater than every other.
    fn push(&mut self, ord: K::Ord, value: V) {
        if self.keys.len().is_multiple_of(64) {
            self.removed.push(0);
        }
        self.keys.push(ord);
        self.values.push(value);
    }

    /// The value at `key`.
    pub(crate) fn get(&self, key: &K) -> Option<&V> {
        match self.place(key.ordinal()) {
            Place::Run(i) => self.live_at(i).then(|| &self.values[i]),
            Place::After => None,
            Place::Rest => self.rest.get(key),
        }
    }

    /// The value at `key`, to change it.
    pub(crate) fn get_mut(&mut self, key: &K) -> Option<&mut V> {
        match self.place(key.ordinal()) {
            Place::Run(i) => {
                self.hint = i + 1;
                self.live_at(i).then(|| &mut self.values[i])
            }
            Place::After => None,
            Place::Rest => self.rest.get_mut(key),
        }
    }

    /// The value at `key`, inserting `new` when there is none; true when inserted.
    pub(crate) fn entry(&mut self, key: K, new: V) -> (&mut V, bool) {
        let ord = key.ordinal();
        match self.place(ord) {
            Place::Run(i) => {
                self.hint = i + 1;
                let inserted = !self.live_at(i);
                if inserted {
                    set_bit(&mut self.removed, i, false);
                    self.values[i] = new;
                    self.dead -= 1;
                }
                (&mut self.values[i], inserted)
            }
            Place::After => {
                self.push(ord, new);
                self.hint = self.keys.len();
                let last = self.values.len() - 1;
                (&mut self.values[last], true)
            }
            Place::Rest => {
                use std::collections::hash_map::Entry;
                match self.rest.entry(key) {
                    Entry::Occupied(e) => (e.into_mut(), false),
                    Entry::Vacant(e) => (e.insert(new), true),
                }
            }
        }
    }

    /// Sets the value at `key`; the value it replaces, if any.
    pub(crate) fn insert(&mut self, key: K, value: V) -> Option<V> {
        let (slot, inserted) = self.entry(key, value);
        if inserted {
            None
        } else {
            Some(std::mem::replace(slot, value))
        }
    }

    /// Removes `key`; its value, if it was held.
    pub(crate) fn remove(&mut self, key: &K) -> Option<V> {
        self.remove_if(key, |_| true)
    }

    /// Removes `key` if its value is one `remove` accepts (one lookup); the value removed.
    pub(crate) fn remove_if(&mut self, key: &K, remove: impl FnOnce(&V) -> bool) -> Option<V> {
        match self.place(key.ordinal()) {
            Place::Run(i) => {
                self.hint = i + 1;
                if !self.live_at(i) || !remove(&self.values[i]) {
                    return None;
                }
                set_bit(&mut self.removed, i, true);
                self.dead += 1;
                let value = self.values[i];
                self.compact_if_sparse();
                Some(value)
            }
            Place::After => None,
            Place::Rest => {
                use std::collections::hash_map::Entry;
                match self.rest.entry(*key) {
                    Entry::Occupied(e) if remove(e.get()) => Some(e.remove()),
                    _ => None,
                }
            }
        }
    }

    /// Number of keys held.
    pub(crate) fn len(&self) -> usize {
        self.keys.len() - self.dead + self.rest.len()
    }

    /// The run's live entries, in order.
    fn run(&self) -> impl Iterator<Item = (K::Ord, &V)> {
        let removed = &self.removed;
        self.keys
            .iter()
            .zip(&self.values)
            .enumerate()
            .filter(move |(i, _)| !bit(removed, *i))
            .map(|(_, (k, v))| (*k, v))
    }

    /// Every key and value: the run's in order, then the others.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (K, &V)> {
        self.run()
            .map(|(k, v)| (K::from_ordinal(k), v))
            .chain(self.rest.iter().map(|(k, v)| (*k, v)))
    }

    /// Every value.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    /// Every value, to change it.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        let removed = &self.removed;
        self.values
            .iter_mut()
            .enumerate()
            .filter(move |(i, _)| !bit(removed, *i))
            .map(|(_, v)| v)
            .chain(self.rest.values_mut())
    }

    /// Keeps the entries whose value `keep` accepts.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        for (i, v) in self.values.iter().enumerate() {
            if !bit(&self.removed, i) && !keep(v) {
                set_bit(&mut self.removed, i, true);
                self.dead += 1;
            }
        }
        self.rest.retain(|_, v| keep(v));
        self.compact_if_sparse();
    }

    /// Rebuilds the run from its live keys and the hash map's when removed keys are more
    /// than half of it (or all of it: the memory is freed).
    fn compact_if_sparse(&mut self) {
        let emptied = self.dead == self.keys.len() && self.rest.is_empty();
        if !emptied && (self.dead < MIN_COMPACT || self.dead * 2 <= self.keys.len()) {
            return;
        }
        let mut rest: Vec<(K::Ord, V)> = self.rest.drain().map(|(k, v)| (k.ordinal(), v)).collect();
        rest.sort_unstable_by_key(|(k, _)| *k);
        let live = self.keys.len() - self.dead + rest.len();
        let keys = std::mem::replace(&mut self.keys, Vec::with_capacity(live));
        let values = std::mem::replace(&mut self.values, Vec::with_capacity(live));
        let removed = std::mem::replace(&mut self.removed, Vec::with_capacity(live.div_ceil(64)));
        self.dead = 0;
        self.hint = 0;
        let run = keys.into_iter().zip(values).enumerate();
        let mut rest = rest.into_iter().peekable();
        for (_, (k, v)) in run.filter(|(i, _)| !bit(&removed, *i)) {
            while let Some((rk, rv)) = rest.next_if(|(rk, _)| *rk < k) {
                self.push(rk, rv);
            }
            self.push(k, v);
        }
        for (rk, rv) in rest {
            self.push(rk, rv);
        }
    }
}

#[cfg(test)]
#[path = "run_table_tests.rs"]
mod tests;
