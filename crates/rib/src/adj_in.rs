//! Adj-RIB-In (RFC 4271 §3.2): the routes received from one peer, per family, with their
//! attributes interned like the Adj-RIB-Out's: a route holds a 4-octet set id and a
//! 4-octet arrival order, so an IPv4 prefix costs a 16-octet map entry.

use std::net::IpAddr;
use std::sync::Arc;

use wire::{Attribute, Family, Nlri, Update};

use crate::attrset::AttrSet;
use crate::hash::Keyed;
use crate::key::{v4_long, v4_slot, RouteKey, V4Short, V4Slot, V6Key};
use crate::prefix_hash::{KeyedPrefixMap, PrefixKeyed};
use crate::run_table::RunTable;
use crate::table::Sets;

/// A route's arrival order and attribute set id.
type Entry = (u32, u32);

/// One family's routes: key → (arrival order, attribute set id). IPv4 prefixes without
/// path identifier (16-octet entries) and IPv6 prefixes have tables of their own
/// ([`RunTable`]: a sorted run for the routes that arrive in address order, a hash map
/// for the others). Their maps and the map of other keys keep 16 consecutive prefixes
/// in 16 consecutive buckets, placed by a secret seed ([`crate::prefix_hash`]: a peer
/// chooses these keys); other NLRI are hashed whole.
#[derive(Debug, Default)]
struct Table {
    v4: RunTable<V4Short, Entry, PrefixKeyed>,
    v6: RunTable<V6Key, Entry, PrefixKeyed>,
    rest: KeyedPrefixMap<RouteKey, Entry>,
}

/// Which part of a [`Table`] holds a key.
enum Part<'k> {
    V4(V4Short),
    V6(&'k V6Key),
    Rest(&'k RouteKey),
}

fn part(key: &RouteKey) -> Part<'_> {
    match key {
        RouteKey::V4(long) => match v4_slot(long) {
            V4Slot::Short(short) => Part::V4(short),
            V4Slot::Long(_) => Part::Rest(key),
        },
        RouteKey::V6(k) => Part::V6(k),
        RouteKey::Other(_) => Part::Rest(key),
    }
}

impl Table {
    fn insert(&mut self, key: RouteKey, entry: Entry) -> Option<Entry> {
        match part(&key) {
            Part::V4(k) => self.v4.insert(k, entry),
            Part::V6(k) => self.v6.insert(*k, entry),
            Part::Rest(_) => self.rest.insert(key, entry),
        }
    }

    fn remove(&mut self, key: &RouteKey) -> Option<Entry> {
        match part(key) {
            Part::V4(k) => self.v4.remove(&k),
            Part::V6(k) => self.v6.remove(k),
            Part::Rest(k) => self.rest.remove(k),
        }
    }

    fn get(&self, key: &RouteKey) -> Option<&Entry> {
        match part(key) {
            Part::V4(k) => self.v4.get(&k),
            Part::V6(k) => self.v6.get(k),
            Part::Rest(k) => self.rest.get(k),
        }
    }

    fn len(&self) -> usize {
        self.v4.len() + self.v6.len() + self.rest.len()
    }

    fn entries_mut(&mut self) -> impl Iterator<Item = &mut Entry> {
        self.v4
            .values_mut()
            .chain(self.v6.values_mut())
            .chain(self.rest.values_mut())
    }

    fn entries(&self) -> impl Iterator<Item = &Entry> {
        self.v4
            .values()
            .chain(self.v6.values())
            .chain(self.rest.values())
    }

    fn iter(&self) -> impl Iterator<Item = (RouteKey, &Entry)> {
        self.v4
            .iter()
            .map(|(k, e)| (RouteKey::V4(v4_long(&k)), e))
            .chain(self.v6.iter().map(|(k, e)| (RouteKey::V6(k), e)))
            .chain(self.rest.iter().map(|(k, e)| (k.clone(), e)))
    }
}

/// The routes received from one peer.
#[derive(Debug, Default)]
pub struct AdjRibIn {
    /// Attribute sets, keyed by a random seed (a peer chooses them).
    sets: Sets<Keyed>,
    tables: Vec<(Family, Table)>,
    next_order: u32,
}

impl AdjRibIn {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    fn table(&mut self, family: Family) -> &mut Table {
        let index = match self.tables.iter().position(|(f, _)| *f == family) {
            Some(index) => index,
            None => {
                self.tables.push((family, Table::default()));
                self.tables.len() - 1
            }
        };
        &mut self.tables[index].1
    }

    /// Stores a received route, replacing the route of the same route key
    /// ([`Nlri::route_key`]).
    pub fn insert(&mut self, family: Family, nlri: &Nlri, attrs: Arc<AttrSet>) {
        let set = self.sets.acquire(attrs);
        self.insert_id(family, nlri, set);
    }

    /// Stores routes sharing one attribute set (an UPDATE's NLRI): the set is hashed
    /// once, not once per route.
    fn insert_all(&mut self, family: Family, nlri: &[Nlri], attrs: Arc<AttrSet>) {
        if nlri.is_empty() {
            return;
        }
        let set = self.sets.acquire(attrs);
        for nlri in nlri {
            self.sets.retain(set);
            self.insert_id(family, nlri, set);
        }
        self.sets.release(set);
    }

    /// [`AdjRibIn::insert`] with the attribute set's reference already taken.
    fn insert_id(&mut self, family: Family, nlri: &Nlri, set: u32) {
        if self.next_order == u32::MAX {
            self.renumber();
        }
        self.next_order += 1;
        let order = self.next_order;
        let key = RouteKey::new(nlri);
        let table = self.table(family);
        // A map keeps the key first inserted: drop it so that a new version of the route
        // (an EVPN route with another label) is the one held.
        let replaced = match key {
            RouteKey::Other(_) => table.remove(&key),
            _ => None,
        };
        let old = table.insert(key, (order, set)).or(replaced);
        if let Some((_, old)) = old {
            self.sets.release(old);
        }
    }

    /// Numbers the routes 1..=n again, keeping their order (when the `u32` counter is
    /// exhausted: after four billion routes received).
    fn renumber(&mut self) {
        let mut orders: Vec<u32> = self
            .tables
            .iter()
            .flat_map(|(_, table)| table.entries().map(|(order, _)| *order))
            .collect();
        orders.sort_unstable();
        for (_, table) in &mut self.tables {
            for (order, _) in table.entries_mut() {
                // Orders are distinct: each insertion takes a new one.
                *order = orders.binary_search(order).map_or(0, |i| i as u32 + 1);
            }
        }
        self.next_order = orders.len() as u32;
    }

    /// Number of routes held per family, in first-use order (families with none left
    /// out), without copying the routes.
    pub fn counts(&self) -> Vec<(Family, usize)> {
        self.tables
            .iter()
            .map(|(family, table)| (*family, table.len()))
            .filter(|(_, n)| *n > 0)
            .collect()
    }

    /// Removes a route; true when it was there.
    pub fn withdraw(&mut self, family: Family, nlri: &Nlri) -> bool {
        let old = self.table(family).remove(&RouteKey::new(nlri));
        match old {
            Some((_, set)) => {
                self.sets.release(set);
                true
            }
            None => false,
        }
    }

    /// Applies a received UPDATE: withdrawn routes, NLRI (with the NEXT_HOP attribute),
    /// MP_UNREACH_NLRI and MP_REACH_NLRI (RFC 4760).
    pub fn apply(&mut self, update: &Update) {
        for nlri in &update.withdrawn {
            self.withdraw(Family::IPV4_UNICAST, nlri);
        }
        let mut next_hop: Option<IpAddr> = None;
        let mut others = Vec::new();
        for attr in &update.attributes {
            match attr {
                Attribute::NextHop(hop) => next_hop = Some(IpAddr::V4(*hop)),
                Attribute::MpReach(_) | Attribute::MpUnreach(_) => {}
                other => others.push(other.clone()),
            }
        }
        for attr in &update.attributes {
            if let Attribute::MpUnreach(unreach) = attr {
                for nlri in &unreach.nlri {
                    self.withdraw(unreach.family, nlri);
                }
            }
        }
        if !update.nlri.is_empty() {
            let attrs = Arc::new(AttrSet::new(next_hop, others.clone()));
            self.insert_all(Family::IPV4_UNICAST, &update.nlri, attrs);
        }
        for attr in &update.attributes {
            if let Attribute::MpReach(reach) = attr {
                if !reach.nlri.is_empty() {
                    let hop = reach.next_hop.first().copied();
                    let attrs = Arc::new(AttrSet::new(hop, others.clone()));
                    self.insert_all(reach.family, &reach.nlri, attrs);
                }
            }
        }
    }

    /// Forgets every route.
    pub fn clear(&mut self) {
        self.tables.clear();
        self.sets = Sets::default();
    }

    /// Forgets the routes of one family.
    pub fn clear_family(&mut self, family: Family) {
        if let Some(index) = self.tables.iter().position(|(f, _)| *f == family) {
            let (_, table) = self.tables.remove(index);
            for (_, set) in table.entries() {
                self.sets.release(*set);
            }
        }
    }

    /// The attributes of one route.
    pub fn get(&self, family: Family, nlri: &Nlri) -> Option<&Arc<AttrSet>> {
        let (_, table) = self.tables.iter().find(|(f, _)| *f == family)?;
        let (_, set) = table.get(&RouteKey::new(nlri))?;
        self.sets.get_ref(*set)
    }

    /// Every route, family by family, each in arrival order (`show adj-rib in`).
    pub fn routes(&self) -> Vec<(Family, Nlri, Arc<AttrSet>)> {
        let mut out = Vec::with_capacity(self.len());
        for (family, table) in &self.tables {
            let mut list: Vec<_> = table.iter().collect();
            list.sort_by_key(|(_, (order, _))| *order);
            out.extend(
                list.into_iter()
                    .map(|(key, (_, set))| (*family, key.to_nlri(), self.sets.get(*set))),
            );
        }
        out
    }

    /// Number of routes held.
    pub fn len(&self) -> usize {
        self.tables.iter().map(|(_, t)| t.len()).sum()
    }

    /// True when no route is held.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use wire::PathId;

    use super::*;

    fn v4(prefix: &str, path_id: Option<u32>) -> Nlri {
        Nlri::Prefix {
            path_id: path_id.map(PathId),
            prefix: prefix.parse().unwrap(),
        }
    }

    /// Prefixes with and without path identifier (kept in two maps) are distinct routes,
    /// listed in arrival order.
    #[test]
    fn path_ids_and_short_keys_are_distinct_routes() {
        let mut rib = AdjRibIn::new();
        let set = Arc::new(AttrSet::new(Some("192.0.2.1".parse().unwrap()), Vec::new()));
        let routes = [
            v4("10.0.0.0/8", Some(7)),
            v4("10.0.0.0/8", None),
            v4("10.0.0.0/8", Some(0)),
            v4("10.0.0.0/9", None),
        ];
        for nlri in &routes {
            rib.insert(Family::IPV4_UNICAST, nlri, Arc::clone(&set));
        }
        assert_eq!(rib.len(), 4);
        let listed: Vec<Nlri> = rib.routes().into_iter().map(|(_, n, _)| n).collect();
        assert_eq!(listed, routes);
        assert!(rib.withdraw(Family::IPV4_UNICAST, &routes[1]));
        assert!(!rib.withdraw(Family::IPV4_UNICAST, &routes[1]));
        assert!(rib.get(Family::IPV4_UNICAST, &routes[2]).is_some());
        assert!(rib.get(Family::IPV4_UNICAST, &routes[1]).is_none());
        assert_eq!(rib.len(), 3);
    }

    #[test]
    fn an_ipv4_entry_is_sixteen_octets() {
        // with the run's 8-octet ordinal
        assert_eq!(std::mem::size_of::<Entry>(), 8);
    }

    /// A set is held while a route uses it: replaced, withdrawn and cleared routes let go
    /// of theirs, and a route keeps the set of its UPDATE.
    #[test]
    fn sets_are_released_with_their_last_route() {
        let mut rib = AdjRibIn::new();
        let a = Arc::new(AttrSet::new(Some("192.0.2.1".parse().unwrap()), Vec::new()));
        let b = Arc::new(AttrSet::new(Some("192.0.2.2".parse().unwrap()), Vec::new()));
        let v6 = Family::IPV6_UNICAST;
        rib.insert_all(
            Family::IPV4_UNICAST,
            &[v4("10.0.0.0/8", None), v4("10.0.0.0/9", None)],
            Arc::clone(&a),
        );
        rib.insert(
            v6,
            &Nlri::prefix("2001:db8::/32".parse().unwrap()),
            Arc::clone(&b),
        );
        assert_eq!(rib.sets.len(), 2);
        assert_eq!(
            rib.get(Family::IPV4_UNICAST, &v4("10.0.0.0/9", None)),
            Some(&a)
        );
        // replacing one route's set keeps `a` for the other
        rib.insert(
            Family::IPV4_UNICAST,
            &v4("10.0.0.0/8", None),
            Arc::clone(&b),
        );
        assert_eq!(rib.sets.len(), 2);
        assert_eq!(
            rib.get(Family::IPV4_UNICAST, &v4("10.0.0.0/8", None)),
            Some(&b)
        );
        assert!(rib.withdraw(Family::IPV4_UNICAST, &v4("10.0.0.0/9", None)));
        assert_eq!(rib.sets.len(), 1, "a is no longer used");
        rib.clear_family(Family::IPV4_UNICAST);
        assert_eq!(rib.sets.len(), 1, "b is still used by the IPv6 route");
        rib.clear_family(v6);
        assert_eq!(rib.sets.len(), 0);
        assert!(rib.is_empty());
    }

    /// When the 32-bit arrival counter runs out, routes are numbered again in the same
    /// order, and later routes come after them.
    #[test]
    fn arrival_order_survives_renumbering() {
        let mut rib = AdjRibIn::new();
        let set = Arc::new(AttrSet::new(Some("192.0.2.1".parse().unwrap()), Vec::new()));
        let routes = [
            v4("10.0.0.3/32", None),
            v4("10.0.0.1/32", None),
            v4("10.0.0.2/32", Some(1)),
        ];
        rib.insert(Family::IPV4_UNICAST, &routes[0], Arc::clone(&set));
        rib.next_order = u32::MAX - 2;
        rib.insert(Family::IPV4_UNICAST, &routes[1], Arc::clone(&set));
        rib.insert(Family::IPV4_UNICAST, &routes[2], Arc::clone(&set));
        assert_eq!(rib.next_order, u32::MAX);
        let later = v4("10.0.0.0/32", None);
        rib.insert(Family::IPV4_UNICAST, &later, Arc::clone(&set));
        assert_eq!(rib.next_order, 4, "renumbered 1..=3, then the new route");
        let listed: Vec<Nlri> = rib.routes().into_iter().map(|(_, n, _)| n).collect();
        let mut expected = routes.to_vec();
        expected.push(later);
        assert_eq!(listed, expected);
    }
}
