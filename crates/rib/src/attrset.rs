//! Interned attribute sets: the path attributes shared by many routes, stored once.
//!
//! A route's attributes (RFC 4271 §5) are an [`AttrSet`]: the next hop plus the other path
//! attributes. Most tables announce a few distinct sets for many prefixes, so the RIB keeps
//! each distinct set once (hash-consing) and routes hold an `Arc` to it. Interning also makes
//! "same attributes" a pointer comparison, which is what UPDATE packing groups by.

use std::collections::HashSet;
use std::net::IpAddr;
use std::sync::Arc;

use wire::Attribute;

/// The attributes of a route: its next hop and every other path attribute (never NEXT_HOP,
/// MP_REACH_NLRI or MP_UNREACH_NLRI, which the RIB builds from the next hop and the NLRI).
///
/// The order of `attributes` does not matter on the wire (they are sent sorted by type
/// code); [`AttrSet::new`] sorts them by type code so that the same attributes given in
/// another order (`local-preference 200 community X` and `community X local-preference
/// 200`) are one set, packed into one UPDATE as ExaBGP packs them.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default, PartialOrd, Ord)]
pub struct AttrSet {
    /// The next hop, resolved (`next-hop self` is replaced by the session's local address
    /// before the route reaches the RIB). `None` for families without one (FlowSpec) and
    /// for withdrawals.
    pub next_hop: Option<IpAddr>,
    /// The other path attributes.
    pub attributes: Vec<Attribute>,
}

impl AttrSet {
    /// A set with a next hop and attributes, put in type-code order (a stable sort: two
    /// attributes of one code keep their order).
    pub fn new(next_hop: Option<IpAddr>, mut attributes: Vec<Attribute>) -> Self {
        if !attributes.is_sorted_by_key(crate::pack::code_of) {
            attributes.sort_by_key(crate::pack::code_of);
        }
        Self {
            next_hop,
            attributes,
        }
    }
}

/// A hash-consing table of [`AttrSet`]s: equal sets come back as the same `Arc`.
#[derive(Debug, Default)]
pub struct Interner {
    sets: HashSet<Arc<AttrSet>, crate::hash::Keyed>,
}

impl Interner {
    /// An empty table.
    pub fn new() -> Self {
        Self::default()
    }

    /// The shared copy of `set`, adding it when it is new.
    pub fn intern(&mut self, set: Arc<AttrSet>) -> Arc<AttrSet> {
        if let Some(existing) = self.sets.get(&set) {
            return Arc::clone(existing);
        }
        self.sets.insert(Arc::clone(&set));
        set
    }

    /// Forgets `set` when the table holds the last reference besides the caller's (called
    /// when a route lets go of its set, so unused sets do not accumulate).
    pub fn release(&mut self, set: &Arc<AttrSet>) {
        // Two references: the table's and the caller's.
        if Arc::strong_count(set) <= 2 {
            self.sets.remove(set);
        }
    }

    /// Number of distinct sets held.
    pub fn len(&self) -> usize {
        self.sets.len()
    }

    /// True when no set is held.
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Drops every set no route uses any more.
    pub fn collect_garbage(&mut self) {
        self.sets.retain(|set| Arc::strong_count(set) > 1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::attr::Origin;

    fn set(med: u32) -> Arc<AttrSet> {
        Arc::new(AttrSet::new(
            Some("1.1.1.1".parse().unwrap()),
            vec![Attribute::Origin(Origin::Igp), Attribute::Med(med)],
        ))
    }

    #[test]
    fn equal_sets_share_one_allocation() {
        let mut table = Interner::new();
        let a = table.intern(set(1));
        let b = table.intern(set(1));
        let c = table.intern(set(2));
        assert!(Arc::ptr_eq(&a, &b));
        assert!(!Arc::ptr_eq(&a, &c));
        assert_eq!(table.len(), 2);
    }

    #[test]
    fn attribute_order_is_not_part_of_the_identity() {
        use wire::attr::Community;
        let hop = Some("10.0.255.254".parse().unwrap());
        let communities = Attribute::Communities(vec![Community(0x7814_7814)]);
        let a = AttrSet::new(hop, vec![Attribute::LocalPref(200), communities.clone()]);
        let b = AttrSet::new(hop, vec![communities, Attribute::LocalPref(200)]);
        assert_eq!(a, b);
        assert!(matches!(a.attributes[0], Attribute::LocalPref(200)));
    }

    #[test]
    fn release_forgets_unused_sets_only() {
        let mut table = Interner::new();
        let a = table.intern(set(1));
        let b = table.intern(set(1));
        table.release(&a);
        assert_eq!(table.len(), 1, "b still uses the set");
        drop(a);
        table.release(&b);
        assert!(table.is_empty());
    }

    #[test]
    fn garbage_collection_keeps_used_sets() {
        let mut table = Interner::new();
        let kept = table.intern(set(1));
        drop(table.intern(set(2)));
        table.collect_garbage();
        assert_eq!(table.len(), 1);
        assert!(Arc::ptr_eq(&kept, &table.intern(set(1))));
    }
}
