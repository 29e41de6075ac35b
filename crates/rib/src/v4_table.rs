//! The table of IPv4 prefixes without path identifier, the bulk of most route tables: a
//! sorted run that grows by appending, and a hash map for the keys that arrive out of
//! order.
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
//! `1.0.5.0/24`, a RIB walk's order), as the `u64` `address << 8 | length`. A key is in
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
use std::hash::BuildHasher;

use crate::key::V4Short;

/// A removed key in the run.
const DEAD: u64 = 1 << 63;
/// Runs with fewer removed keys than this are not compacted (a handful of tombstones
/// cost less than copying the run).
const MIN_COMPACT: usize = 64;

/// The run's ordering of a key: address, then length.
fn ordinal(key: &V4Short) -> u64 {
    let [len, a, b, c, d] = *key;
    u64::from(u32::from_be_bytes([a, b, c, d])) << 8 | u64::from(len)
}

/// The key of an ordinal (flag bits dropped).
fn key_of(ordinal: u64) -> V4Short {
    let [a, b, c, d] = ((ordinal >> 8) as u32).to_be_bytes();
    [ordinal as u8, a, b, c, d]
}

/// IPv4 prefixes without path identifier → `V` (see the module documentation).
#[derive(Debug)]
pub(crate) struct V4Table<V, S> {
    /// Ordinals, ascending; removed ones carry [`DEAD`].
    keys: Vec<u64>,
    /// The value of `keys[i]` (stale for a removed key).
    values: Vec<V>,
    /// Removed keys in the run.
    dead: usize,
    /// Where the last operation ended: routes come in runs of neighbours.
    hint: usize,
    /// Keys that arrived out of order.
    rest: HashMap<V4Short, V, S>,
}

impl<V, S: Default> Default for V4Table<V, S> {
    fn default() -> Self {
        Self {
            keys: Vec::new(),
            values: Vec::new(),
            dead: 0,
            hint: 0,
            rest: HashMap::default(),
        }
    }
}

/// Where a key is.
enum Place {
    /// In the run, at this index (live or removed).
    Run(usize),
    /// Greater than every key: not held, appended when inserted.
    After,
    /// Out of the run's order: in the hash map if anywhere.
    Rest,
}

impl<V: Copy, S: BuildHasher> V4Table<V, S> {
    fn live_at(&self, i: usize) -> bool {
        self.keys[i] & DEAD == 0
    }

    /// The place of `ord`, trying the hint and its successor before searching.
    fn place(&self, ord: u64) -> Place {
        let n = self.keys.len();
        match self.keys.last() {
            None => return Place::After,
            Some(&last) if ord > last & !DEAD => return Place::After,
            Some(_) => {}
        }
        for i in [self.hint, self.hint.wrapping_sub(1)] {
            if self.keys.get(i).is_some_and(|&k| k & !DEAD == ord) {
                return Place::Run(i);
            }
        }
        let i = self.keys.partition_point(|&k| k & !DEAD < ord);
        if i < n && self.keys[i] & !DEAD == ord {
            Place::Run(i)
        } else {
            Place::Rest
        }
    }

    /// The value at `key`.
    pub(crate) fn get(&self, key: &V4Short) -> Option<&V> {
        match self.place(ordinal(key)) {
            Place::Run(i) => self.live_at(i).then(|| &self.values[i]),
            Place::After => None,
            Place::Rest => self.rest.get(key),
        }
    }

    /// The value at `key`, to change it.
    pub(crate) fn get_mut(&mut self, key: &V4Short) -> Option<&mut V> {
        match self.place(ordinal(key)) {
            Place::Run(i) => {
                self.hint = i + 1;
                self.live_at(i).then(|| &mut self.values[i])
            }
            Place::After => None,
            Place::Rest => self.rest.get_mut(key),
        }
    }

    /// The value at `key`, inserting `new` when there is none; true when inserted.
    pub(crate) fn entry(&mut self, key: V4Short, new: V) -> (&mut V, bool) {
        let ord = ordinal(&key);
        match self.place(ord) {
            Place::Run(i) => {
                self.hint = i + 1;
                let inserted = !self.live_at(i);
                if inserted {
                    self.keys[i] = ord;
                    self.values[i] = new;
                    self.dead -= 1;
                }
                (&mut self.values[i], inserted)
            }
            Place::After => {
                self.keys.push(ord);
                self.values.push(new);
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
    pub(crate) fn insert(&mut self, key: V4Short, value: V) -> Option<V> {
        let (slot, inserted) = self.entry(key, value);
        if inserted {
            None
        } else {
            Some(std::mem::replace(slot, value))
        }
    }

    /// Removes `key`; its value, if it was held.
    pub(crate) fn remove(&mut self, key: &V4Short) -> Option<V> {
        self.remove_if(key, |_| true)
    }

    /// Removes `key` if its value is one `remove` accepts (one lookup); the value removed.
    pub(crate) fn remove_if(
        &mut self,
        key: &V4Short,
        remove: impl FnOnce(&V) -> bool,
    ) -> Option<V> {
        match self.place(ordinal(key)) {
            Place::Run(i) => {
                self.hint = i + 1;
                if !self.live_at(i) || !remove(&self.values[i]) {
                    return None;
                }
                self.keys[i] |= DEAD;
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

    /// Every key and value: the run's in order, then the others.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (V4Short, &V)> {
        self.keys
            .iter()
            .zip(&self.values)
            .filter(|(k, _)| *k & DEAD == 0)
            .map(|(k, v)| (key_of(*k), v))
            .chain(self.rest.iter().map(|(k, v)| (*k, v)))
    }

    /// Every value.
    pub(crate) fn values(&self) -> impl Iterator<Item = &V> {
        self.iter().map(|(_, v)| v)
    }

    /// Every value, to change it.
    pub(crate) fn values_mut(&mut self) -> impl Iterator<Item = &mut V> {
        self.keys
            .iter()
            .zip(&mut self.values)
            .filter(|(k, _)| *k & DEAD == 0)
            .map(|(_, v)| v)
            .chain(self.rest.values_mut())
    }

    /// Keeps the entries whose value `keep` accepts.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&V) -> bool) {
        for (k, v) in self.keys.iter_mut().zip(&self.values) {
            if *k & DEAD == 0 && !keep(v) {
                *k |= DEAD;
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
        let mut rest: Vec<(u64, V)> = self.rest.drain().map(|(k, v)| (ordinal(&k), v)).collect();
        rest.sort_unstable_by_key(|(k, _)| *k);
        let live = self.keys.len() - self.dead + rest.len();
        let mut keys = Vec::with_capacity(live);
        let mut values = Vec::with_capacity(live);
        let mut rest = rest.into_iter().peekable();
        let run = self.keys.iter().zip(&self.values);
        for (&k, &v) in run.filter(|(k, _)| **k & DEAD == 0) {
            while let Some((rk, rv)) = rest.next_if(|(rk, _)| *rk < k) {
                keys.push(rk);
                values.push(rv);
            }
            keys.push(k);
            values.push(v);
        }
        for (rk, rv) in rest {
            keys.push(rk);
            values.push(rv);
        }
        self.keys = keys;
        self.values = values;
        self.dead = 0;
        self.hint = 0;
    }
}

#[cfg(test)]
#[path = "v4_table_tests.rs"]
mod tests;
