//! What a peer sends besides the session's own messages: the Adj-RIB-Out turned into
//! UPDATEs, at most `rate-limit` per second when that is set, then End-of-RIB once the
//! initial table is out (RFC 4724 §2).

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::{Duration, Instant};

use config::{NextHop, Route};
use rib::{AdjRibOut, AttrSet, OutCtx, Outgoing};
use wire::message::RefreshSubtype;
use wire::{Family, Message, Nlri, RouteRefresh};

use super::routes::{Routes, WireSizer};

/// One thing to send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Item {
    /// An UPDATE or a refresh marker.
    Message(Message),
    /// End-of-RIB for a family (the session encodes it).
    Eor(Family),
}

/// Pending changes planned into UPDATEs at a time (~20 ms of work): a table of 1M
/// routes goes out in steps, between which the task reads its socket and answers its
/// peer, and UPDATEs are ExaBGP's byte for byte when the changes fit one step
/// (`rib::AdjRibOut::plan_some`).
const PLAN_STEP: usize = 65_536;

/// The outgoing side of a peer: the Adj-RIB-Out and what is planned from it.
#[derive(Debug, Default)]
pub(crate) struct Outbound {
    /// The Adj-RIB-Out (survives reconnects).
    pub(crate) rib: AdjRibOut,
    /// Routes whose `next-hop self` waits for the local address.
    pub(crate) routes: Routes,
    /// Packing context of the established session.
    ctx: Option<OutCtx>,
    /// Planned messages not handed to the session yet (rate limiting).
    planned: VecDeque<Message>,
    /// `rate-limit`: messages per second, 0 = no limit.
    rate_limit: u32,
    /// Start of the current one-second window and messages released in it.
    window: Option<(Instant, u32)>,
    /// Families whose End-of-RIB is due once everything planned is out.
    eor_pending: Vec<Family>,
    /// Configured routes that a later configured route of the same NLRI replaced: the
    /// first session sends them too, as ExaBGP does (see [`Outbound::configure`]).
    superseded: Vec<(Family, Nlri, Arc<AttrSet>)>,
}

impl Outbound {
    /// An empty outbound side with ExaBGP's `rate-limit` (0 = none).
    pub(crate) fn new(rate_limit: u32) -> Self {
        Self {
            rate_limit,
            ..Self::default()
        }
    }

    /// Puts a configured route in the Adj-RIB-Out. When the configuration already
    /// defined the same NLRI with other attributes, that earlier definition is kept for the
    /// first session: ExaBGP's outgoing RIB leaves an earlier change in its attribute
    /// bucket when a later one of the same NLRI arrives, so its first session sends both
    /// (conformance case conf-l2vpn) while its RIB, and every later session, holds the last.
    pub(crate) fn configure(&mut self, route: &Route) {
        let plain = route.split.is_none()
            && route.watchdog.is_none()
            && !route.withdrawn
            && route.next_hop != NextHop::SelfAddr;
        if plain {
            if let Some(old) = self.rib.get(route.family, &route.nlri) {
                let next_hop = match route.next_hop {
                    NextHop::Ip(ip) => Some(ip),
                    _ => None,
                };
                if *old != AttrSet::new(next_hop, route.attributes.clone()) {
                    self.superseded
                        .push((route.family, route.nlri.clone(), old));
                }
            }
        }
        self.routes.announce(&mut self.rib, route);
    }

    /// A session came up: everything is sent again, then End-of-RIB for `eor` families.
    pub(crate) fn established(&mut self, ctx: OutCtx, eor: Vec<Family>) {
        self.ctx = Some(ctx);
        self.planned.clear();
        self.rib.resend_all();
        for (family, nlri, attrs) in std::mem::take(&mut self.superseded) {
            self.rib.queue_announce(family, &nlri, attrs);
        }
        self.eor_pending = eor;
    }

    /// The session went down: nothing more is planned until the next one.
    pub(crate) fn down(&mut self) {
        self.ctx = None;
        self.planned.clear();
        self.eor_pending.clear();
    }

    /// When the rate limit lets the next planned message go, if one waits for it.
    pub(crate) fn deadline(&self) -> Option<Instant> {
        match (self.planned.is_empty(), self.window) {
            (false, Some((start, used))) if self.rate_limit > 0 && used >= self.rate_limit => {
                Some(start + Duration::from_secs(1))
            }
            _ => None,
        }
    }

    /// True when [`Outbound::next`] would plan UPDATEs from the pending changes (the
    /// costly step, in proportion to the changes).
    pub(crate) fn will_plan(&self) -> bool {
        self.ctx.is_some() && self.planned.is_empty() && self.rib.has_pending()
    }

    /// The messages to send now: planned from the pending Adj-RIB-Out changes, within the
    /// rate limit; then the End-of-RIB markers that are due.
    pub(crate) fn next(&mut self, now: Instant) -> Vec<Item> {
        let Some(ctx) = &self.ctx else {
            return Vec::new();
        };
        if self.planned.is_empty() && self.rib.has_pending() {
            let sizer = WireSizer(&ctx.encode);
            self.planned.extend(
                self.rib
                    .plan_some(ctx, &sizer, PLAN_STEP)
                    .into_iter()
                    .map(message),
            );
        }
        let mut out = Vec::new();
        while !self.planned.is_empty() {
            if self.rate_limit > 0 {
                let (start, used) = match self.window {
                    Some((start, used)) if now < start + Duration::from_secs(1) => (start, used),
                    _ => (now, 0),
                };
                if used >= self.rate_limit {
                    self.window = Some((start, used));
                    break;
                }
                self.window = Some((start, used + 1));
            }
            if let Some(message) = self.planned.pop_front() {
                out.push(Item::Message(message));
            }
        }
        if self.planned.is_empty() && !self.rib.has_pending() {
            out.extend(
                std::mem::take(&mut self.eor_pending)
                    .into_iter()
                    .map(Item::Eor),
            );
        }
        out
    }
}

/// The message for one planned item.
fn message(outgoing: Outgoing) -> Message {
    match outgoing {
        Outgoing::Update(update) => Message::Update(update),
        Outgoing::RefreshMarker { family, begin } => Message::RouteRefresh(RouteRefresh {
            family,
            subtype: if begin {
                RefreshSubtype::Begin
            } else {
                RefreshSubtype::End
            },
        }),
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use rib::AttrSet;
    use wire::{Asn, EncodeCtx, Nlri};

    use super::*;

    fn ctx() -> OutCtx {
        OutCtx {
            encode: EncodeCtx::default(),
            local_as: Asn(65001),
            peer_as: Asn(65002),
            group_updates: false,
            families: vec![Family::IPV4_UNICAST],
        }
    }

    fn announce(out: &mut Outbound, prefix: &str) {
        let attrs = Arc::new(AttrSet::new(Some("192.0.2.1".parse().unwrap()), Vec::new()));
        out.rib.announce(
            Family::IPV4_UNICAST,
            &Nlri::prefix(prefix.parse().unwrap()),
            attrs,
        );
    }

    #[test]
    fn eor_follows_the_initial_table() {
        let mut out = Outbound::new(0);
        announce(&mut out, "10.0.0.0/24");
        assert!(
            out.next(Instant::now()).is_empty(),
            "nothing before a session"
        );
        out.established(ctx(), vec![Family::IPV4_UNICAST]);
        let sent = out.next(Instant::now());
        assert_eq!(sent.len(), 2);
        assert!(matches!(sent[0], Item::Message(Message::Update(_))));
        assert_eq!(sent[1], Item::Eor(Family::IPV4_UNICAST));
        assert!(out.next(Instant::now()).is_empty());
    }

    #[test]
    fn a_route_configured_twice_goes_out_twice_on_the_first_session_only() {
        let mut out = Outbound::new(0);
        let nlri = Nlri::prefix("10.0.0.0/24".parse().unwrap());
        for med in [1, 2] {
            let mut route = Route::new(Family::IPV4_UNICAST, nlri.clone());
            route.next_hop = NextHop::Ip("192.0.2.1".parse().unwrap());
            route.attributes = vec![wire::Attribute::Med(med)];
            out.configure(&route);
        }
        let updates = |items: Vec<Item>| {
            items
                .into_iter()
                .filter(|i| matches!(i, Item::Message(Message::Update(_))))
                .count()
        };
        out.established(ctx(), Vec::new());
        assert_eq!(updates(out.next(Instant::now())), 2);
        out.down();
        out.established(ctx(), Vec::new());
        assert_eq!(updates(out.next(Instant::now())), 1);
    }

    #[test]
    fn rate_limit_spreads_updates_over_seconds() {
        let mut out = Outbound::new(2);
        for i in 0..5 {
            announce(&mut out, &format!("10.0.{i}.0/24"));
        }
        out.established(ctx(), vec![Family::IPV4_UNICAST]);
        let t0 = Instant::now();
        assert_eq!(out.next(t0).len(), 2);
        assert_eq!(out.deadline(), Some(t0 + Duration::from_secs(1)));
        assert!(out.next(t0 + Duration::from_millis(500)).is_empty());
        let t1 = t0 + Duration::from_secs(1);
        assert_eq!(out.next(t1).len(), 2);
        // the last UPDATE, then End-of-RIB
        let last = out.next(t1 + Duration::from_secs(1));
        assert_eq!(last.len(), 2);
        assert_eq!(last[1], Item::Eor(Family::IPV4_UNICAST));
        assert_eq!(out.deadline(), None);
    }
}
