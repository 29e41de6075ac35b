//! Adj-RIB-Out (RFC 4271 §3.2, §9.2): the routes advertised to one peer and the changes
//! not sent yet.
//!
//! The table keeps, per family, each route's NLRI as a compact key and a 12-octet value
//! (attribute-set id, order, pending-change index): an IPv4 route costs a 20-octet entry
//! plus the hash map's slack, with no allocation of its own; attribute sets are stored once.
//!
//! Changes are recorded in a pending set rather than replayed from a log: announcing a
//! prefix twice before a flush sends it once, a withdrawal replaces a pending announcement
//! (and is sent, as ExaBGP sends it), and an announcement replaces a pending withdrawal.
//!
//! Pending changes keep ExaBGP's order so that the UPDATEs are byte-for-byte the ones it
//! sends: changes are grouped by attribute set (in the order each set was first used since
//! the last flush), then by family (first-use order within the set), then by the order the
//! prefix joined that group (a change replaced within its group keeps its place). See
//! [`crate::pack`] for how groups become UPDATEs.

use std::collections::{HashMap, VecDeque};
use std::net::IpAddr;
use std::sync::Arc;

use wire::{Family, Nlri};

use crate::attrset::AttrSet;
use crate::changes::Changes;
use crate::key::RouteKey;
use crate::plan::Staged;
use crate::table::{Route, Sets, Slots, NONE};

/// What a pending change does.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Action {
    /// Send the route with its attributes.
    Announce,
    /// Withdraw the route.
    Withdraw,
}

/// One pending change, as handed to the packer.
#[derive(Debug, Clone)]
pub struct Change {
    /// Family of the NLRI.
    pub family: Family,
    /// The NLRI.
    pub nlri: Nlri,
    /// Announce or withdraw.
    pub action: Action,
    /// The attribute set the change is grouped under (for a withdrawal: the set it was
    /// withdrawn with, as ExaBGP does; some families send it along with MP_UNREACH).
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
    sets: Sets,
    /// Families in first-use order, with their routes.
    tables: Vec<(Family, Slots)>,
    live: usize,
    next_order: u32,
    /// The pending changes since the last flush.
    changes: Changes,
    watchdogs: HashMap<String, Watchdog>,
    refresh: Option<Refresh>,
    /// Set by [`AdjRibOut::resend_all`]: the next non-empty set of changes is the first of
    /// a session, and its withdrawals are dropped (the peer holds nothing from us yet), as
    /// ExaBGP leaves them out of its first UPDATE run.
    fresh_session: bool,
    /// Changes taken from `changes` and not packed yet ([`AdjRibOut::plan_some`]).
    pub(crate) staged: VecDeque<Staged>,
}

impl AdjRibOut {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The shared copy of `attrs` when a route already uses an equal set, else a new one.
    pub fn intern(&mut self, attrs: AttrSet) -> Arc<AttrSet> {
        match self.sets.find(&attrs) {
            Some(id) => self.sets.get(id),
            None => Arc::new(attrs),
        }
    }

    /// [`AdjRibOut::intern`] of `AttrSet::new(next_hop, attributes)`, without copying the
    /// attributes when they are those of the set used last (a run of routes sharing
    /// attributes, the common case).
    pub fn intern_parts(
        &mut self,
        next_hop: Option<IpAddr>,
        attributes: &[wire::Attribute],
    ) -> Arc<AttrSet> {
        if let Some(last) = self.sets.last() {
            if last.next_hop == next_hop && last.attributes == attributes {
                return Arc::clone(last);
            }
        }
        self.intern(AttrSet::new(next_hop, attributes.to_vec()))
    }

    /// Number of distinct attribute sets held.
    pub fn attr_sets(&self) -> usize {
        self.sets.len()
    }

    fn table_index(&mut self, family: Family) -> u16 {
        match self.tables.iter().position(|(f, _)| *f == family) {
            Some(index) => index as u16,
            None => {
                self.tables.push((family, Slots::default()));
                (self.tables.len() - 1) as u16
            }
        }
    }

    fn slots(&mut self, table: u16) -> &mut Slots {
        // Invariant: table indices come from table_index, and tables are never removed.
        &mut self.tables[usize::from(table)].1
    }

    /// Compacts insertion orders once the counter is exhausted.
    fn renumber(&mut self) {
        let mut all: Vec<(u16, RouteKey, u32)> = Vec::new();
        for (index, (_, slots)) in self.tables.iter().enumerate() {
            for (key, route) in slots.entries() {
                all.push((index as u16, key, route.order()));
            }
        }
        all.sort_by_key(|(_, _, order)| *order);
        for (n, (table, key, _)) in all.into_iter().enumerate() {
            if let Some(route) = self.slots(table).get_mut(&key) {
                route.set_order(n as u32 + 1);
            }
        }
        self.next_order = self.live as u32 + 1;
    }

    /// Announces `nlri` with `attrs`, replacing any previous version of the route (the
    /// same route key, [`Nlri::route_key`]: an EVPN route announced again with another
    /// label replaces the first). Announcing a route again, identical and with the same
    /// attributes, is a no-op.
    pub fn announce(&mut self, family: Family, nlri: &Nlri, attrs: Arc<AttrSet>) {
        let set = self.sets.acquire(attrs);
        let table = self.table_index(family);
        let key = RouteKey::new(nlri);
        if self.next_order >= (1 << 31) - 1 {
            self.renumber();
        }
        // another version of a held route (no lookup for IPv4/IPv6 prefixes)
        let new_version = self.tables[usize::from(table)].1.replace_key(&key);
        let order = self.next_order + 1;
        // one lookup: the route's slot, found or made
        let (route, inserted) = self.tables[usize::from(table)]
            .1
            .entry(&key, Route::new(set, order));
        if inserted {
            self.next_order = order;
            self.live += 1;
        } else if route.set == set && !new_version {
            self.sets.release(set);
            return;
        } else {
            if route.live() {
                self.sets.release(route.set);
            } else {
                self.live += 1;
            }
            route.set = set;
        }
        self.changes
            .queue(&mut self.sets, route, table, &key, Action::Announce, set);
    }

    /// Queues an announcement of `nlri` with `attrs` without changing the table: the
    /// change is sent with the next flush, but the table keeps (and later re-sends) the
    /// route's current attributes. This is how ExaBGP treats a route its configuration
    /// defines twice: the first session sends both definitions (conformance case
    /// conf-l2vpn), later ones only the last.
    pub fn queue_announce(&mut self, family: Family, nlri: &Nlri, attrs: Arc<AttrSet>) {
        let set = self.sets.acquire(attrs);
        let table = self.table_index(family);
        self.changes
            .push_detached(table, RouteKey::new(nlri), Action::Announce, set);
    }

    /// Withdraws `nlri`. `attrs` is the attribute set the withdrawal is grouped under (the
    /// attributes given with the command); `None` uses the route's own.
    ///
    /// The withdrawal is sent even when the peer never received the route (its pending
    /// announcement is replaced), and for a prefix the table does not hold, as ExaBGP does
    /// (the peer may hold it from an earlier session or command). Before a session is up
    /// nothing is sent: [`AdjRibOut::resend_all`] drops pending withdrawals.
    ///
    /// An EVPN withdrawal names the route by its key (RFC 7432 §7): the one sent is the
    /// version the table holds (with the labels it was announced with), or `nlri` as
    /// given when the table holds none. Other families send `nlri` as given, as ExaBGP
    /// sends the command's labels.
    pub fn withdraw(&mut self, family: Family, nlri: &Nlri, attrs: Option<Arc<AttrSet>>) {
        let table = self.table_index(family);
        let mut key = RouteKey::new(nlri);
        if matches!(nlri, Nlri::Evpn(_)) {
            if let Some(held) = self.tables[usize::from(table)].1.held_key(&key) {
                key = held;
            }
        }
        // one lookup: a prefix the table does not hold gets a slot for its withdrawal
        let (route, inserted) = self.tables[usize::from(table)]
            .1
            .entry(&key, Route::new(NONE, 0));
        let set = match (&attrs, inserted) {
            (Some(attrs), _) => self.sets.acquire(Arc::clone(attrs)),
            (None, false) if route.live() => {
                self.sets.retain(route.set);
                route.set
            }
            (None, false) => match self
                .changes
                .of(route.pending, table, &key)
                .and_then(|index| self.changes.get(index))
            {
                Some(entry) => {
                    let set = entry.set;
                    self.sets.retain(set);
                    set
                }
                None => self.sets.acquire(Arc::new(AttrSet::default())),
            },
            (None, true) => self.sets.acquire(Arc::new(AttrSet::default())),
        };
        if !inserted && route.live() {
            self.live -= 1;
            self.sets.release(route.set);
            route.set = NONE;
        }
        self.changes
            .queue(&mut self.sets, route, table, &key, Action::Withdraw, set);
        self.sets.release(set);
    }

    /// Withdraws every route (`clear adj-rib out`); each withdrawal is grouped under the
    /// route's own attributes.
    pub fn clear(&mut self) {
        for (family, nlri, _) in self.routes() {
            self.withdraw(family, &nlri, None);
        }
    }

    fn drop_pending(&mut self) {
        self.staged.clear();
        self.changes.clear(&mut self.sets);
        for (_, slots) in &mut self.tables {
            slots.retain(Route::live);
            slots.for_each_mut(|route| route.pending = NONE);
        }
    }

    /// The peer lost every route (a new session): drops the pending changes and queues
    /// every route of the table as an announcement, in insertion order. Call it each time
    /// a session reaches Established (the first time too: it is the same as what was
    /// pending since startup).
    pub fn resend_all(&mut self) {
        self.drop_pending();
        self.refresh = None;
        self.fresh_session = true;
        // Global insertion order (not family by family): ExaBGP's attribute-set buckets
        // are first used in the order the routes were configured.
        let mut all = self.ordered(None);
        all.sort_by_key(|(_, _, route)| route.order());
        for (table, key, _) in all {
            let Self {
                tables,
                sets,
                changes,
                ..
            } = self;
            if let Some(route) = tables[usize::from(table)].1.get_mut(&key) {
                let set = route.set;
                changes.queue(sets, route, table, &key, Action::Announce, set);
            }
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

    /// Live routes of one table (or all) in insertion order.
    fn ordered(&self, only: Option<u16>) -> Vec<(u16, RouteKey, Route)> {
        let mut out = Vec::new();
        for (index, (_, slots)) in self.tables.iter().enumerate() {
            if only.is_some_and(|t| usize::from(t) != index) {
                continue;
            }
            let start = out.len();
            out.reserve(slots.len());
            out.extend(
                slots
                    .entries()
                    .filter(|(_, r)| r.live())
                    .map(|(k, r)| (index as u16, k, r)),
            );
            // Already in order when the routes were added in address order: one pass.
            out[start..].sort_by_key(|(_, _, r)| r.order());
        }
        out
    }

    /// True when something is waiting to be sent.
    pub fn has_pending(&self) -> bool {
        self.changes.len() != 0 || self.refresh.is_some() || !self.staged.is_empty()
    }

    /// Number of pending route changes (taken for planning or not).
    pub fn pending_len(&self) -> usize {
        self.changes.len() + self.staged.len()
    }

    /// Takes the pending route-refresh re-send and the pending changes, in ExaBGP's send
    /// order; records what the peer now has.
    pub(crate) fn take_changes(&mut self) -> (Option<(Refresh, Vec<Change>)>, Vec<Change>) {
        let refresh = self.refresh.take().map(|refresh| {
            let mut changes = Vec::new();
            for family in &refresh.families {
                let Some(table) = self.tables.iter().position(|(f, _)| f == family) else {
                    continue;
                };
                let table = table as u16;
                for (_, key, route) in self.ordered(Some(table)) {
                    // The re-send carries the latest attributes: a queued announcement of
                    // the same route is consumed by it.
                    let queued = self.changes.of(route.pending, table, &key).filter(|&i| {
                        self.changes
                            .get(i)
                            .is_some_and(|e| e.action == Action::Announce)
                    });
                    if let Some(index) = queued {
                        self.changes.forget(&mut self.sets, index);
                    }
                    changes.push(Change {
                        family: *family,
                        nlri: key.to_nlri(),
                        action: Action::Announce,
                        attrs: self.sets.get(route.set),
                    });
                }
            }
            (refresh, changes)
        });

        let entries = self.changes.take();
        let first_of_session = !entries.is_empty() && std::mem::take(&mut self.fresh_session);
        let mut changes = Vec::with_capacity(entries.len());
        for entry in entries {
            let family = self.tables[usize::from(entry.table)].0;
            let slots = self.slots(entry.table);
            // an announced route keeps its (now stale) change index: see `changes`
            match entry.action {
                Action::Announce => {}
                Action::Withdraw => {
                    slots.remove_withdrawn(&entry.key);
                    if first_of_session {
                        self.sets.release(entry.set);
                        continue;
                    }
                }
            }
            changes.push(Change {
                family,
                nlri: entry.key.to_nlri(),
                action: entry.action,
                attrs: self.sets.get(entry.set),
            });
            self.sets.release(entry.set);
        }
        (refresh, changes)
    }

    /// Every route, family by family (first-use order), each family in insertion order:
    /// what `show adj-rib out` lists.
    pub fn routes(&self) -> Vec<(Family, Nlri, Arc<AttrSet>)> {
        self.ordered(None)
            .into_iter()
            .map(|(table, key, route)| {
                (
                    self.tables[usize::from(table)].0,
                    key.to_nlri(),
                    self.sets.get(route.set),
                )
            })
            .collect()
    }

    /// The attributes of one route, if the table holds it.
    pub fn get(&self, family: Family, nlri: &Nlri) -> Option<Arc<AttrSet>> {
        let (_, slots) = self.tables.iter().find(|(f, _)| *f == family)?;
        let route = slots.get(&RouteKey::new(nlri))?;
        route.live().then(|| self.sets.get(route.set))
    }

    /// Number of routes held.
    pub fn len(&self) -> usize {
        self.live
    }

    /// True when no route is held.
    pub fn is_empty(&self) -> bool {
        self.live == 0
    }

    /// Number of routes held per family, in first-use order (families with none left
    /// out), without copying the routes: what metrics need.
    pub fn counts(&self) -> Vec<(Family, usize)> {
        self.tables
            .iter()
            .map(|(family, slots)| (*family, slots.live_len()))
            .filter(|(_, n)| *n > 0)
            .collect()
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
        let group = self.watchdogs.entry(name.to_string()).or_default();
        group
            .up
            .retain(|(f, n, _)| !(*f == family && n.same_route(&nlri)));
        group
            .down
            .retain(|(f, n, _)| !(*f == family && n.same_route(&nlri)));
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
