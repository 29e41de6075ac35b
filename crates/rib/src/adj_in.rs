//! Adj-RIB-In (RFC 4271 §3.2): the routes received from one peer, per family, with their
//! attributes interned like the Adj-RIB-Out's.

use std::net::IpAddr;
use std::sync::Arc;

use wire::{Attribute, Family, Nlri, Update};

use crate::attrset::{AttrSet, Interner};
use crate::key::{v4_long, v4_slot, RouteKey, V4Short, V4Slot};
use crate::prefix_hash::KeyedPrefixMap;

/// A route's arrival order and attributes.
type Entry = (u64, Arc<AttrSet>);

/// One family's routes: key → (arrival order, attributes). IPv4 prefixes without path
/// identifier have their own map with 5-octet keys (24-octet entries instead of 40). Both
/// maps keep 16 consecutive prefixes in 16 consecutive buckets, placed by a secret seed
/// ([`crate::prefix_hash`]: a peer chooses these keys); other NLRI are hashed whole.
#[derive(Debug, Default)]
struct Table {
    v4: KeyedPrefixMap<V4Short, Entry>,
    rest: KeyedPrefixMap<RouteKey, Entry>,
}

impl Table {
    fn insert(&mut self, key: RouteKey, entry: Entry) -> Option<Entry> {
        if let RouteKey::V4(long) = &key {
            if let V4Slot::Short(short) = v4_slot(long) {
                return self.v4.insert(short, entry);
            }
        }
        self.rest.insert(key, entry)
    }

    fn remove(&mut self, key: &RouteKey) -> Option<Entry> {
        if let RouteKey::V4(long) = key {
            if let V4Slot::Short(short) = v4_slot(long) {
                return self.v4.remove(&short);
            }
        }
        self.rest.remove(key)
    }

    fn get(&self, key: &RouteKey) -> Option<&Entry> {
        if let RouteKey::V4(long) = key {
            if let V4Slot::Short(short) = v4_slot(long) {
                return self.v4.get(&short);
            }
        }
        self.rest.get(key)
    }

    fn len(&self) -> usize {
        self.v4.len() + self.rest.len()
    }

    fn iter(&self) -> impl Iterator<Item = (RouteKey, &Entry)> {
        self.v4
            .iter()
            .map(|(k, e)| (RouteKey::V4(v4_long(k)), e))
            .chain(self.rest.iter().map(|(k, e)| (k.clone(), e)))
    }
}

/// The routes received from one peer.
#[derive(Debug, Default)]
pub struct AdjRibIn {
    interner: Interner,
    tables: Vec<(Family, Table)>,
    next_order: u64,
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
        let attrs = self.interner.intern(attrs);
        self.insert_interned(family, nlri, attrs);
    }

    /// [`AdjRibIn::insert`] with `attrs` already interned (an UPDATE's NLRI share one
    /// set: it is hashed once, not once per route).
    fn insert_interned(&mut self, family: Family, nlri: &Nlri, attrs: Arc<AttrSet>) {
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
        let old = table.insert(key, (order, attrs)).or(replaced);
        if let Some((_, old)) = old {
            self.interner.release(&old);
        }
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
            Some((_, attrs)) => {
                self.interner.release(&attrs);
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
            let attrs = self
                .interner
                .intern(Arc::new(AttrSet::new(next_hop, others.clone())));
            for nlri in &update.nlri {
                self.insert_interned(Family::IPV4_UNICAST, nlri, Arc::clone(&attrs));
            }
        }
        for attr in &update.attributes {
            if let Attribute::MpReach(reach) = attr {
                let attrs = self.interner.intern(Arc::new(AttrSet::new(
                    reach.next_hop.first().copied(),
                    others.clone(),
                )));
                for nlri in &reach.nlri {
                    self.insert_interned(reach.family, nlri, Arc::clone(&attrs));
                }
            }
        }
    }

    /// Forgets every route.
    pub fn clear(&mut self) {
        self.tables.clear();
        self.interner = Interner::new();
    }

    /// Forgets the routes of one family.
    pub fn clear_family(&mut self, family: Family) {
        self.tables.retain(|(f, _)| *f != family);
        self.interner.collect_garbage();
    }

    /// The attributes of one route.
    pub fn get(&self, family: Family, nlri: &Nlri) -> Option<&Arc<AttrSet>> {
        let (_, table) = self.tables.iter().find(|(f, _)| *f == family)?;
        table.get(&RouteKey::new(nlri)).map(|(_, attrs)| attrs)
    }

    /// Every route, family by family, each in arrival order (`show adj-rib in`).
    pub fn routes(&self) -> Vec<(Family, Nlri, Arc<AttrSet>)> {
        let mut out = Vec::with_capacity(self.len());
        for (family, table) in &self.tables {
            let mut list: Vec<_> = table.iter().collect();
            list.sort_by_key(|(_, (order, _))| *order);
            out.extend(
                list.into_iter()
                    .map(|(key, (_, attrs))| (*family, key.to_nlri(), Arc::clone(attrs))),
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
}
