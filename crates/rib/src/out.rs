//! Adj-RIB-Out (RFC 4271 §3.2, §9.2): the routes advertised to one peer and the changes
//! not sent yet.
//!
//! The table keeps, per family, each route's NLRI (compact key) and its interned
//! [`AttrSet`]. Changes are recorded in a pending set rather than a log: announcing a
//! prefix twice before a flush sends it once, a withdrawal cancels an announcement the peer
//! never saw, and an announcement replaces a pending withdrawal.
//!
//! Pending changes keep ExaBGP's order so that the UPDATEs are byte-for-byte the ones it
//! sends: changes are grouped by attribute set (in the order each set was first used since
//! the last flush), then by family (in first-use order within the set), then by the order
//! the prefix joined that group. See [`crate::pack`] for how groups become UPDATEs.

use std::collections::HashMap;
use std::sync::Arc;

use wire::{Family, Nlri};

use crate::attrset::{AttrSet, Interner};
use crate::key::RouteKey;

/// A route as held in the table.
#[derive(Debug, Clone)]
struct Route {
    attrs: Arc<AttrSet>,
    /// Insertion order, kept when the route is replaced (iteration and resend order).
    order: u64,
    /// The peer has some version of this route (an announcement of it went out and no
    /// withdrawal since).
    advertised: bool,
}

/// What a pending change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Send the route with its attributes.
    Announce,
    /// Withdraw the route.
    Withdraw,
}

/// A change waiting to be sent.
#[derive(Debug, Clone)]
pub(crate) struct Pending {
    pub(crate) action: Action,
    /// The attribute set the change is grouped under (for a withdrawal: the set it was
    /// withdrawn with, as ExaBGP does; some families send it along with MP_UNREACH).
    pub(crate) attrs: Arc<AttrSet>,
    pub(crate) bucket: u32,
    pub(crate) family_rank: u32,
    pub(crate) seq: u64,
}

/// The routes of one family.
#[derive(Debug, Default)]
struct FamilyTable {
    routes: HashMap<RouteKey, Route>,
    pending: HashMap<RouteKey, Pending>,
}

/// One pending change handed to the packer.
#[derive(Debug, Clone)]
pub struct Change {
    /// Family of the NLRI.
    pub family: Family,
    /// The NLRI.
    pub nlri: Nlri,
    /// Announce or withdraw.
    pub action: Action,
    /// The attribute set the change is grouped under.
    pub attrs: Arc<AttrSet>,
}

/// Routes with a watchdog name (ExaBGP's `watchdog NAME` route option and the
/// `announce watchdog NAME` / `withdraw watchdog NAME` commands).
#[derive(Debug, Default)]
struct Watchdog {
    /// Routes of the group currently announced.
    up: Vec<(Family, Nlri, Arc<AttrSet>)>,
    /// Routes of the group currently withdrawn.
    down: Vec<(Family, Nlri, Arc<AttrSet>)>,
}

/// A route-refresh re-send (RFC 2918 / RFC 7313) waiting for the next flush.
#[derive(Debug, Clone, Default)]
pub(crate) struct Refresh {
    pub(crate) families: Vec<Family>,
    pub(crate) enhanced: bool,
}

/// The Adj-RIB-Out of one peer. It survives reconnects: [`AdjRibOut::resend_all`] queues
/// everything again for a new session.
#[derive(Debug, Default)]
pub struct AdjRibOut {
    interner: Interner,
    /// Families in first-use order, with their tables.
    tables: Vec<(Family, FamilyTable)>,
    next_order: u64,
    next_seq: u64,
    /// Attribute-set buckets used since the last flush: pointer → (rank, set kept alive so
    /// the pointer cannot be reused).
    buckets: HashMap<usize, (u32, Arc<AttrSet>)>,
    /// (bucket, family) → rank.
    family_ranks: HashMap<(u32, Family), u32>,
    watchdogs: HashMap<String, Watchdog>,
    refresh: Option<Refresh>,
    pending_count: usize,
}

impl AdjRibOut {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The shared copy of `attrs` (equal sets are stored once).
    pub fn intern(&mut self, attrs: AttrSet) -> Arc<AttrSet> {
        self.interner.intern(Arc::new(attrs))
    }

    /// Number of distinct attribute sets held.
    pub fn attr_sets(&self) -> usize {
        self.interner.len()
    }

    fn table_index(&mut self, family: Family) -> usize {
        match self.tables.iter().position(|(f, _)| *f == family) {
            Some(index) => index,
            None => {
                self.tables.push((family, FamilyTable::default()));
                self.tables.len() - 1
            }
        }
    }

    fn bucket(&mut self, attrs: &Arc<AttrSet>, family: Family) -> (u32, u32) {
        let next = self.buckets.len() as u32;
        let bucket = self
            .buckets
            .entry(Arc::as_ptr(attrs) as usize)
            .or_insert_with(|| (next, Arc::clone(attrs)))
            .0;
        let next = self.family_ranks.len() as u32;
        let rank = *self.family_ranks.entry((bucket, family)).or_insert(next);
        (bucket, rank)
    }

    /// Records a pending change for `key`, keeping its position when it stays in the same
    /// group (ExaBGP replaces a queued change in place).
    fn queue(
        &mut self,
        index: usize,
        family: Family,
        key: RouteKey,
        action: Action,
        attrs: Arc<AttrSet>,
    ) {
        let (bucket, family_rank) = self.bucket(&attrs, family);
        let table = &mut self.tables[index].1;
        let seq = match table.pending.get(&key) {
            Some(old) if old.bucket == bucket && action == Action::Announce => old.seq,
            _ => {
                self.next_seq += 1;
                self.next_seq
            }
        };
        let change = Pending {
            action,
            attrs,
            bucket,
            family_rank,
            seq,
        };
        if table.pending.insert(key, change).is_none() {
            self.pending_count += 1;
        }
    }

    fn unqueue(&mut self, index: usize, key: &RouteKey) {
        if self.tables[index].1.pending.remove(key).is_some() {
            self.pending_count -= 1;
        }
    }

    /// Announces `nlri` with `attrs` (replacing any previous version of the route).
    /// Announcing a route again with the same attributes while the peer has it is a no-op.
    pub fn announce(&mut self, family: Family, nlri: &Nlri, attrs: Arc<AttrSet>) {
        let attrs = self.interner.intern(attrs);
        let index = self.table_index(family);
        let key = RouteKey::new(nlri);
        let table = &mut self.tables[index].1;
        let pending_withdraw = table
            .pending
            .get(&key)
            .is_some_and(|p| p.action == Action::Withdraw);
        let order = match table.routes.get_mut(&key) {
            Some(route) if Arc::ptr_eq(&route.attrs, &attrs) => return,
            Some(route) => {
                let old = std::mem::replace(&mut route.attrs, Arc::clone(&attrs));
                self.interner.release(&old);
                None
            }
            None => {
                self.next_order += 1;
                Some(self.next_order)
            }
        };
        if let Some(order) = order {
            let table = &mut self.tables[index].1;
            table.routes.insert(
                key.clone(),
                Route {
                    attrs: Arc::clone(&attrs),
                    order,
                    // A pending withdrawal means the peer still has the old version.
                    advertised: pending_withdraw,
                },
            );
        }
        self.queue(index, family, key, Action::Announce, attrs);
    }

    /// Withdraws `nlri`. `attrs` is the attribute set the withdrawal is grouped under (the
    /// attributes given with the command); `None` uses the route's own.
    ///
    /// A route the peer never received is simply dropped with its pending announcement.
    /// Withdrawing a prefix the table does not hold still sends a withdrawal, as ExaBGP
    /// does (the peer may hold it from an earlier session or command).
    pub fn withdraw(&mut self, family: Family, nlri: &Nlri, attrs: Option<Arc<AttrSet>>) {
        let index = self.table_index(family);
        let key = RouteKey::new(nlri);
        let removed = self.tables[index].1.routes.remove(&key);
        let attrs = match (attrs, &removed) {
            (Some(attrs), _) => self.interner.intern(attrs),
            (None, Some(route)) => Arc::clone(&route.attrs),
            (None, None) => self.interner.intern(Arc::new(AttrSet::default())),
        };
        if let Some(route) = removed {
            self.interner.release(&route.attrs);
            if !route.advertised {
                self.unqueue(index, &key);
                return;
            }
        }
        self.queue(index, family, key, Action::Withdraw, attrs);
    }

    /// Withdraws every route (`clear adj-rib out`); each withdrawal is grouped under the
    /// route's own attributes.
    pub fn clear(&mut self) {
        for (family, nlri, _) in self.routes() {
            self.withdraw(family, &nlri, None);
        }
    }

    /// The peer lost every route (a new session): drops the pending changes and queues
    /// every route of the table as an announcement, in table order.
    pub fn resend_all(&mut self) {
        self.drop_pending();
        self.refresh = None;
        for (_, table) in &mut self.tables {
            for route in table.routes.values_mut() {
                route.advertised = false;
            }
        }
        for (family, nlri, attrs) in self.routes() {
            let index = self.table_index(family);
            self.queue(index, family, RouteKey::new(&nlri), Action::Announce, attrs);
        }
    }

    /// Asks for every route of `family` (every family when `None`) to be sent again on the
    /// same session (a ROUTE-REFRESH from the peer, or `flush adj-rib out`). With
    /// `enhanced` (RFC 7313) the routes are framed by BoRR / EoRR messages.
    pub fn refresh(&mut self, family: Option<Family>, enhanced: bool) {
        let families: Vec<Family> = match family {
            Some(family) => vec![family],
            None => self.tables.iter().map(|(f, _)| *f).collect(),
        };
        let refresh = self.refresh.get_or_insert_with(Refresh::default);
        refresh.enhanced |= enhanced;
        for family in families {
            if !refresh.families.contains(&family) {
                refresh.families.push(family);
            }
        }
    }

    fn drop_pending(&mut self) {
        for (_, table) in &mut self.tables {
            table.pending.clear();
        }
        self.pending_count = 0;
        self.buckets.clear();
        self.family_ranks.clear();
    }

    /// True when something is waiting to be sent.
    pub fn has_pending(&self) -> bool {
        self.pending_count != 0 || self.refresh.is_some()
    }

    /// Number of pending route changes.
    pub fn pending_len(&self) -> usize {
        self.pending_count
    }

    /// Takes the pending changes, in ExaBGP's send order, and the pending route-refresh
    /// re-send; marks announced routes as advertised.
    pub(crate) fn take_changes(&mut self) -> (Option<(Refresh, Vec<Change>)>, Vec<Change>) {
        let refresh = self.refresh.take().map(|refresh| {
            let mut routes = Vec::new();
            for family in &refresh.families {
                if let Some(index) = self.tables.iter().position(|(f, _)| f == family) {
                    let table = &mut self.tables[index].1;
                    let mut list: Vec<(&RouteKey, &mut Route)> = table.routes.iter_mut().collect();
                    list.sort_by_key(|(_, route)| route.order);
                    for (key, route) in list {
                        route.advertised = true;
                        routes.push((key.clone(), *family, Arc::clone(&route.attrs)));
                    }
                }
            }
            // The re-send carries the latest attributes: a queued announcement of the same
            // route is consumed by it.
            let mut changes = Vec::with_capacity(routes.len());
            for (key, family, attrs) in routes {
                if let Some(index) = self.tables.iter().position(|(f, _)| *f == family) {
                    let consumed = self.tables[index]
                        .1
                        .pending
                        .get(&key)
                        .is_some_and(|p| p.action == Action::Announce);
                    if consumed {
                        self.unqueue(index, &key);
                    }
                }
                changes.push(Change {
                    family,
                    nlri: key.to_nlri(),
                    action: Action::Announce,
                    attrs,
                });
            }
            (refresh, changes)
        });

        let mut all: Vec<(u32, u32, u64, Change)> = Vec::with_capacity(self.pending_count);
        for (family, table) in &mut self.tables {
            for (key, pending) in table.pending.drain() {
                if pending.action == Action::Announce {
                    if let Some(route) = table.routes.get_mut(&key) {
                        route.advertised = true;
                    }
                }
                all.push((
                    pending.bucket,
                    pending.family_rank,
                    pending.seq,
                    Change {
                        family: *family,
                        nlri: key.to_nlri(),
                        action: pending.action,
                        attrs: pending.attrs,
                    },
                ));
            }
        }
        self.pending_count = 0;
        self.buckets.clear();
        self.family_ranks.clear();
        all.sort_unstable_by_key(|(bucket, rank, seq, _)| (*bucket, *rank, *seq));
        let changes = all.into_iter().map(|(_, _, _, change)| change).collect();
        self.interner.collect_garbage();
        (refresh, changes)
    }

    /// Every route, family by family (first-use order), each family in insertion order:
    /// what `show adj-rib out` lists.
    pub fn routes(&self) -> Vec<(Family, Nlri, Arc<AttrSet>)> {
        let mut out = Vec::with_capacity(self.len());
        for (family, table) in &self.tables {
            let mut list: Vec<(&RouteKey, &Route)> = table.routes.iter().collect();
            list.sort_by_key(|(_, route)| route.order);
            out.extend(
                list.into_iter()
                    .map(|(key, route)| (*family, key.to_nlri(), Arc::clone(&route.attrs))),
            );
        }
        out
    }

    /// The attributes of one route, if the table holds it.
    pub fn get(&self, family: Family, nlri: &Nlri) -> Option<&Arc<AttrSet>> {
        let (_, table) = self.tables.iter().find(|(f, _)| *f == family)?;
        table
            .routes
            .get(&RouteKey::new(nlri))
            .map(|route| &route.attrs)
    }

    /// Number of routes held.
    pub fn len(&self) -> usize {
        self.tables.iter().map(|(_, t)| t.routes.len()).sum()
    }

    /// True when no route is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Families that have held routes, in first-use order.
    pub fn families(&self) -> impl Iterator<Item = Family> + '_ {
        self.tables.iter().map(|(f, _)| *f)
    }

    /// Adds a route belonging to watchdog group `name`. With `withdrawn` (the route's
    /// `withdraw` option) it is kept aside until `announce watchdog NAME`; otherwise it is
    /// announced now.
    pub fn watchdog_add(
        &mut self,
        name: &str,
        family: Family,
        nlri: Nlri,
        attrs: Arc<AttrSet>,
        withdrawn: bool,
    ) {
        let attrs = self.interner.intern(attrs);
        let group = self.watchdogs.entry(name.to_string()).or_default();
        group.up.retain(|(f, n, _)| !(*f == family && *n == nlri));
        group.down.retain(|(f, n, _)| !(*f == family && *n == nlri));
        if withdrawn {
            group.down.push((family, nlri, attrs));
        } else {
            group.up.push((family, nlri.clone(), Arc::clone(&attrs)));
            self.announce(family, &nlri, attrs);
        }
    }

    /// `announce watchdog NAME`: announces every withdrawn route of the group. Returns the
    /// number of routes announced.
    pub fn watchdog_announce(&mut self, name: &str) -> usize {
        let Some(group) = self.watchdogs.get_mut(name) else {
            return 0;
        };
        let down = std::mem::take(&mut group.down);
        group.up.extend(down.iter().cloned());
        for (family, nlri, attrs) in &down {
            self.announce(*family, nlri, Arc::clone(attrs));
        }
        down.len()
    }

    /// `withdraw watchdog NAME`: withdraws every announced route of the group. Returns the
    /// number of routes withdrawn.
    pub fn watchdog_withdraw(&mut self, name: &str) -> usize {
        let Some(group) = self.watchdogs.get_mut(name) else {
            return 0;
        };
        let up = std::mem::take(&mut group.up);
        group.down.extend(up.iter().cloned());
        for (family, nlri, attrs) in &up {
            self.withdraw(*family, nlri, Some(Arc::clone(attrs)));
        }
        up.len()
    }
}
