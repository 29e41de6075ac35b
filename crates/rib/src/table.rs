//! Storage of the Adj-RIB-Out: per-family route maps with compact keys and small values,
//! and attribute sets numbered and reference-counted so a route holds a 4-octet id rather
//! than a pointer.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::Arc;

use crate::attrset::AttrSet;
use crate::hash::{Fast, FastMap};
use crate::key::{v4_long, v4_slot, Keyed, RouteKey, V4Key, V4Short, V4Slot, V6Key};
use crate::prefix_hash::{PrefixFast, PrefixMap};
use crate::run_table::RunTable;

/// "No value" for the `u32` fields of [`Route`].
pub(crate) const NONE: u32 = u32::MAX;

/// A route's value in the map: 12 octets.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Route {
    /// Attribute set id, or [`NONE`] while a withdrawal of the route is pending.
    pub(crate) set: u32,
    /// Insertion order.
    order: u32,
    /// Index of the pending change in the change log, or [`NONE`].
    pub(crate) pending: u32,
}

impl Route {
    /// A route in the table with no pending change.
    pub(crate) fn new(set: u32, order: u32) -> Self {
        Self {
            set,
            order,
            pending: NONE,
        }
    }

    /// Insertion order.
    pub(crate) fn order(&self) -> u32 {
        self.order
    }

    /// Sets the insertion order.
    pub(crate) fn set_order(&mut self, order: u32) {
        self.order = order;
    }

    /// True when the route is in the table (not only a pending withdrawal).
    pub(crate) fn live(&self) -> bool {
        self.set != NONE
    }
}

/// The routes of one family, in maps by key kind (empty maps allocate nothing). IPv4
/// prefixes without a path identifier, the bulk of most tables, have their own table
/// with shorter keys. IPv4 and IPv6 prefixes are in sorted runs for the routes
/// announced in address order ([`RunTable`]). Prefix maps keep 16 consecutive prefixes in 16 consecutive buckets
/// ([`crate::prefix_hash`]).
#[derive(Debug, Default)]
pub(crate) struct Slots {
    v4: RunTable<V4Short, Route, PrefixFast>,
    v4_path: PrefixMap<V4Key, Route>,
    v6: RunTable<V6Key, Route, PrefixFast>,
    other: FastMap<Keyed, Route>,
}

/// The route at a key of `map`, inserting `new` when there is none; true when inserted.
fn entry_in<K: std::hash::Hash + Eq, S: std::hash::BuildHasher>(
    map: &mut HashMap<K, Route, S>,
    key: K,
    new: Route,
) -> (&mut Route, bool) {
    use std::collections::hash_map::Entry;
    match map.entry(key) {
        Entry::Occupied(e) => (e.into_mut(), false),
        Entry::Vacant(e) => (e.insert(new), true),
    }
}

impl Slots {
    pub(crate) fn get(&self, key: &RouteKey) -> Option<&Route> {
        match key {
            RouteKey::V4(k) => match v4_slot(k) {
                V4Slot::Short(k) => self.v4.get(&k),
                V4Slot::Long(k) => self.v4_path.get(&k),
            },
            RouteKey::V6(k) => self.v6.get(k),
            RouteKey::Other(k) => self.other.get(k),
        }
    }

    pub(crate) fn get_mut(&mut self, key: &RouteKey) -> Option<&mut Route> {
        match key {
            RouteKey::V4(k) => match v4_slot(k) {
                V4Slot::Short(k) => self.v4.get_mut(&k),
                V4Slot::Long(k) => self.v4_path.get_mut(&k),
            },
            RouteKey::V6(k) => self.v6.get_mut(k),
            RouteKey::Other(k) => self.other.get_mut(k),
        }
    }

    /// The route at `key`, inserting `new` when there is none (one hash lookup); true
    /// when it was inserted.
    pub(crate) fn entry(&mut self, key: &RouteKey, new: Route) -> (&mut Route, bool) {
        match key {
            RouteKey::V4(k) => match v4_slot(k) {
                V4Slot::Short(k) => self.v4.entry(k, new),
                V4Slot::Long(k) => entry_in(&mut self.v4_path, k, new),
            },
            RouteKey::V6(k) => self.v6.entry(*k, new),
            RouteKey::Other(k) => entry_in(&mut self.other, k.clone(), new),
        }
    }

    /// Makes the table hold `key`'s version of its route (an NLRI that is the same route
    /// with other non-key fields, such as an EVPN route's labels). True when the held
    /// version changed; false when it was already `key`'s or the route is not held.
    pub(crate) fn replace_key(&mut self, key: &RouteKey) -> bool {
        let RouteKey::Other(new) = key else {
            return false;
        };
        let changed = self
            .other
            .get_key_value(new)
            .is_some_and(|(held, _)| !held.identical(new));
        if changed {
            if let Some(route) = self.other.remove(new) {
                self.other.insert(new.clone(), route);
            }
        }
        changed
    }

    /// The version of `key`'s route the table holds (see [`Slots::replace_key`]).
    pub(crate) fn held_key(&self, key: &RouteKey) -> Option<RouteKey> {
        match key {
            RouteKey::Other(k) => self
                .other
                .get_key_value(k)
                .map(|(held, _)| RouteKey::Other(held.clone())),
            _ => self.get(key).map(|_| key.clone()),
        }
    }

    /// Removes the entry at `key` if it is only a pending withdrawal (one lookup).
    pub(crate) fn remove_withdrawn(&mut self, key: &RouteKey) {
        fn one<K: std::hash::Hash + Eq, S: std::hash::BuildHasher>(
            map: &mut HashMap<K, Route, S>,
            key: K,
        ) {
            use std::collections::hash_map::Entry;
            if let Entry::Occupied(e) = map.entry(key) {
                if !e.get().live() {
                    e.remove();
                }
            }
        }
        match key {
            RouteKey::V4(k) => match v4_slot(k) {
                V4Slot::Short(k) => {
                    self.v4.remove_if(&k, |r| !r.live());
                }
                V4Slot::Long(k) => one(&mut self.v4_path, k),
            },
            RouteKey::V6(k) => {
                self.v6.remove_if(k, |r| !r.live());
            }
            RouteKey::Other(k) => {
                if self.other.get(k).is_some_and(|r| !r.live()) {
                    self.other.remove(k);
                }
            }
        }
    }

    /// Every entry (live or pending withdrawal): prefixes in address order where they
    /// were added in order, otherwise in no particular order.
    pub(crate) fn entries(&self) -> impl Iterator<Item = (RouteKey, Route)> + '_ {
        let v4 = self.v4.iter().map(|(k, r)| (RouteKey::V4(v4_long(&k)), *r));
        let v4_path = self.v4_path.iter().map(|(k, r)| (RouteKey::V4(*k), *r));
        let v6 = self.v6.iter().map(|(k, r)| (RouteKey::V6(k), *r));
        let other = self
            .other
            .iter()
            .map(|(k, r)| (RouteKey::Other(k.clone()), *r));
        v4.chain(v4_path).chain(v6).chain(other)
    }

    /// Number of entries (live or pending withdrawal).
    pub(crate) fn len(&self) -> usize {
        self.v4.len() + self.v4_path.len() + self.v6.len() + self.other.len()
    }

    /// Number of routes in the table (pending withdrawals left out).
    pub(crate) fn live_len(&self) -> usize {
        let live = |r: &&Route| r.live();
        self.v4.values().filter(live).count()
            + self.v4_path.values().filter(live).count()
            + self.v6.values().filter(live).count()
            + self.other.values().filter(live).count()
    }

    /// Applies `f` to every entry.
    pub(crate) fn for_each_mut(&mut self, mut f: impl FnMut(&mut Route)) {
        self.v4.values_mut().for_each(&mut f);
        self.v4_path.values_mut().for_each(&mut f);
        self.v6.values_mut().for_each(&mut f);
        self.other.values_mut().for_each(&mut f);
    }

    /// Keeps the entries for which `keep` is true.
    pub(crate) fn retain(&mut self, mut keep: impl FnMut(&Route) -> bool) {
        self.v4.retain(&mut keep);
        self.v4_path.retain(|_, r| keep(r));
        self.v6.retain(&mut keep);
        self.other.retain(|_, r| keep(r));
    }
}

/// Attribute sets by id, hash-consed and reference-counted. `S` hashes the sets: the
/// fixed-seed [`Fast`] for the Adj-RIB-Out, whose attributes are ours, a keyed hasher
/// for the Adj-RIB-In, whose attributes a peer chooses.
#[derive(Debug, Default)]
pub(crate) struct Sets<S = Fast> {
    slots: Vec<Option<(Arc<AttrSet>, u32)>>,
    index: HashMap<Arc<AttrSet>, u32, S>,
    free: Vec<u32>,
    /// The id acquired last: routes come in runs sharing one set, and the same `Arc`
    /// is recognised by its address without hashing the attributes.
    last: Option<u32>,
}

impl<S: BuildHasher> Sets<S> {
    /// The id of `set` (interned), with one more reference.
    pub(crate) fn acquire(&mut self, set: Arc<AttrSet>) -> u32 {
        if let Some(id) = self.last {
            if let Some(Some((last, refs))) = self.slots.get_mut(id as usize) {
                if Arc::ptr_eq(last, &set) {
                    *refs += 1;
                    return id;
                }
            }
        }
        let id = self.acquire_slow(set);
        self.last = Some(id);
        id
    }

    fn acquire_slow(&mut self, set: Arc<AttrSet>) -> u32 {
        if let Some(&id) = self.index.get(&set) {
            self.retain(id);
            return id;
        }
        let id = match self.free.pop() {
            Some(id) => id,
            None => {
                self.slots.push(None);
                (self.slots.len() - 1) as u32
            }
        };
        if let Some(slot) = self.slots.get_mut(id as usize) {
            *slot = Some((Arc::clone(&set), 1));
        }
        self.index.insert(set, id);
        id
    }

    /// One more reference to `id`.
    pub(crate) fn retain(&mut self, id: u32) {
        if let Some(Some((_, refs))) = self.slots.get_mut(id as usize) {
            *refs += 1;
        }
    }

    /// One reference less to `id`; the set is forgotten at zero.
    pub(crate) fn release(&mut self, id: u32) {
        let Some(slot) = self.slots.get_mut(id as usize) else {
            return;
        };
        let Some((set, refs)) = slot else {
            return;
        };
        *refs -= 1;
        if *refs == 0 {
            self.index.remove(&*set);
            *slot = None;
            self.free.push(id);
        }
    }

    /// The set with id `id`. Ids handed out by [`Sets::acquire`] stay valid while
    /// referenced; an unknown id yields an empty set.
    pub(crate) fn get(&self, id: u32) -> Arc<AttrSet> {
        match self.slots.get(id as usize) {
            Some(Some((set, _))) => Arc::clone(set),
            _ => Arc::new(AttrSet::default()),
        }
    }

    /// The set with id `id`, if it is held (without cloning the `Arc`).
    pub(crate) fn get_ref(&self, id: u32) -> Option<&Arc<AttrSet>> {
        match self.slots.get(id as usize) {
            Some(Some((set, _))) => Some(set),
            _ => None,
        }
    }

    /// The set acquired last, if it is still held.
    pub(crate) fn last(&self) -> Option<&Arc<AttrSet>> {
        match self.slots.get(self.last? as usize) {
            Some(Some((set, _))) => Some(set),
            _ => None,
        }
    }

    /// The id of an already-interned set, if any.
    pub(crate) fn find(&self, set: &AttrSet) -> Option<u32> {
        self.index.get(set).copied()
    }

    /// Number of distinct sets referenced.
    pub(crate) fn len(&self) -> usize {
        self.index.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn route_value_is_small() {
        assert_eq!(std::mem::size_of::<Route>(), 12);
    }

    #[test]
    fn sets_are_counted_and_reused() {
        let mut sets: Sets = Sets::default();
        let a = Arc::new(AttrSet::default());
        let id = sets.acquire(Arc::clone(&a));
        assert_eq!(sets.acquire(Arc::new(AttrSet::default())), id);
        sets.release(id);
        assert_eq!(sets.len(), 1);
        sets.release(id);
        assert_eq!(sets.len(), 0);
        assert_eq!(sets.find(&a), None);
    }
}
