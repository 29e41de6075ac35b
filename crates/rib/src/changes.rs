//! The Adj-RIB-Out's log of pending changes since the last flush, in ExaBGP's order
//! (see [`crate::out`]): each change is grouped under an attribute-set bucket and a
//! family rank, in first-use order.
//!
//! A route's `pending` field is the index of its change in the log. The log is emptied
//! on each flush without visiting the routes, so an index may be stale; it is trusted
//! only when the entry at that index is for the same table and key ([`Changes::of`]).
//! This holds because whenever a change is logged for a key, the route's index is set to
//! it: in the current log, the only live entry for a key is the one its route points to.

use crate::hash::FastMap;
use crate::key::RouteKey;
use crate::out::Action;
use crate::table::{Route, Sets};

/// Log capacity kept from one flush to the next: a helper's read of `announce` lines is
/// about 1,500 changes; what is above this is given back.
const KEEP_LOG: usize = 16 * 1024;

/// An entry of the change log.
#[derive(Debug)]
pub(crate) struct Pending {
    pub(crate) table: u16,
    pub(crate) key: RouteKey,
    pub(crate) action: Action,
    pub(crate) set: u32,
    pub(crate) bucket: u32,
    pub(crate) rank: u32,
    /// Logged by [`Changes::push_detached`]: no route's `pending` points here.
    pub(crate) detached: bool,
}

/// The pending changes.
#[derive(Debug, Default)]
pub(crate) struct Changes {
    /// The change log since the last flush; `None` marks a change superseded.
    log: Vec<Option<Pending>>,
    /// Live entries of the log.
    pending: usize,
    /// Attribute set id → bucket rank, since the last flush.
    buckets: FastMap<u32, u32>,
    /// (bucket, table) → rank.
    family_ranks: FastMap<(u32, u16), u32>,
    /// The last (set, table) ranked and its (bucket, rank): changes come in runs.
    last: Option<((u32, u16), (u32, u32))>,
}

impl Changes {
    /// Number of live changes.
    pub(crate) fn len(&self) -> usize {
        self.pending
    }

    /// The index of the pending change of the route at (`table`, `key`) whose `pending`
    /// field is `index`, if it really has one (see the module documentation).
    pub(crate) fn of(&self, index: u32, table: u16, key: &RouteKey) -> Option<u32> {
        match self.log.get(index as usize) {
            Some(Some(entry)) if entry.table == table && !entry.detached && entry.key == *key => {
                Some(index)
            }
            _ => None,
        }
    }

    /// The live change at `index`.
    pub(crate) fn get(&self, index: u32) -> Option<&Pending> {
        self.log.get(index as usize).and_then(Option::as_ref)
    }

    fn ranks(&mut self, set: u32, table: u16) -> (u32, u32) {
        if let Some((key, ranks)) = self.last {
            if key == (set, table) {
                return ranks;
            }
        }
        let ranks = self.ranks_slow(set, table);
        self.last = Some(((set, table), ranks));
        ranks
    }

    fn ranks_slow(&mut self, set: u32, table: u16) -> (u32, u32) {
        let next = self.buckets.len() as u32;
        let bucket = *self.buckets.entry(set).or_insert(next);
        let next = self.family_ranks.len() as u32;
        let rank = *self.family_ranks.entry((bucket, table)).or_insert(next);
        (bucket, rank)
    }

    /// Drops the pending change at `index`, releasing its set.
    pub(crate) fn forget(&mut self, sets: &mut Sets, index: u32) {
        if let Some(slot) = self.log.get_mut(index as usize) {
            if let Some(old) = slot.take() {
                sets.release(old.set);
                self.pending -= 1;
            }
        }
    }

    /// Records a pending change for `route` (at `table`, `key`). A change replacing one of
    /// the same group (attribute set and family) keeps its place, as ExaBGP replaces a
    /// queued change in place, a withdrawal too (its api-fast case); anything else goes to
    /// the end.
    #[allow(clippy::too_many_arguments)]
    pub(crate) fn queue(
        &mut self,
        sets: &mut Sets,
        route: &mut Route,
        table: u16,
        key: &RouteKey,
        action: Action,
        set: u32,
    ) {
        let (bucket, rank) = self.ranks(set, table);
        sets.retain(set);
        if let Some(current) = self.of(route.pending, table, key) {
            if let Some(Some(entry)) = self.log.get_mut(current as usize) {
                if entry.bucket == bucket {
                    let old = std::mem::replace(&mut entry.set, set);
                    entry.action = action;
                    if let RouteKey::Other(_) = key {
                        // the same route, maybe another version of it (an EVPN label)
                        entry.key = key.clone();
                    }
                    sets.release(old);
                    return;
                }
            }
            self.forget(sets, current);
        }
        let index = self.log.len() as u32;
        self.log.push(Some(Pending {
            table,
            key: key.clone(),
            action,
            set,
            bucket,
            rank,
            detached: false,
        }));
        self.pending += 1;
        route.pending = index;
    }

    /// Logs a change that no route of the table points to, holding a reference to `set`
    /// taken by the caller (see `AdjRibOut::queue_announce`): it is sent with the others
    /// and never replaced by a later change of the same route.
    pub(crate) fn push_detached(&mut self, table: u16, key: RouteKey, action: Action, set: u32) {
        let (bucket, rank) = self.ranks(set, table);
        self.log.push(Some(Pending {
            table,
            key,
            action,
            set,
            bucket,
            rank,
            detached: true,
        }));
        self.pending += 1;
    }

    /// Drops every pending change (releasing their sets).
    pub(crate) fn clear(&mut self, sets: &mut Sets) {
        for index in 0..self.log.len() as u32 {
            self.forget(sets, index);
        }
        self.log.clear();
        self.buckets.clear();
        self.family_ranks.clear();
        self.last = None;
    }

    /// Takes the live changes, sorted in send order (stable: within a group, log order).
    /// The log keeps its capacity for the next batch.
    pub(crate) fn take(&mut self) -> Vec<Pending> {
        let mut entries = Vec::with_capacity(self.pending);
        entries.extend(self.log.drain(..).flatten());
        // a full re-send must not keep its log's memory
        self.log.shrink_to(KEEP_LOG);
        self.buckets.clear();
        self.family_ranks.clear();
        self.last = None;
        self.pending = 0;
        entries.sort_by_key(|p| (p.bucket, p.rank));
        entries
    }
}
