//! Planning UPDATEs from the Adj-RIB-Out's pending changes, a bounded number of changes
//! at a time.
//!
//! Taking the pending changes ([`AdjRibOut::take_changes`]) is one pass over the change
//! log; packing and encoding them is most of the work (a new session with 1M routes:
//! ~0.3 s). The taken changes wait in a staged queue and [`AdjRibOut::plan_some`] packs
//! up to a given number of them per call, so a peer task sends its first UPDATEs at once
//! and answers its socket between steps instead of going silent while a whole table is
//! planned. Groups are packed as [`crate::pack`] packs them; a group larger than the step
//! is packed in parts (its last UPDATE of a part may be less than full), so UPDATEs are
//! ExaBGP's byte for byte whenever the pending changes fit one step.

use std::collections::VecDeque;

use crate::out::{AdjRibOut, Change};
use crate::pack::{self, OutCtx, Outgoing, Sizer};

/// Room of the staged queue kept once it is empty (a helper's read is ~1,500 changes).
const KEEP_STAGED: usize = 16 * 1024;

/// A taken change or marker, waiting to be packed.
#[derive(Debug)]
pub(crate) enum Staged {
    /// Sent as it is (an enhanced route refresh's BoRR or EoRR).
    Ready(Outgoing),
    /// A route re-sent for a route refresh: one UPDATE of its own, as ExaBGP sends it.
    Alone(Change),
    /// A pending change, packed with its neighbours of the same attribute set and family.
    Grouped(Change),
}

impl AdjRibOut {
    /// Takes every pending change and returns the messages to send, in order (see
    /// [`AdjRibOut::plan_some`]).
    pub fn plan(&mut self, ctx: &OutCtx, sizer: &dyn Sizer) -> Vec<Outgoing> {
        let mut out = Vec::new();
        while self.has_pending() {
            out.extend(self.plan_some(ctx, sizer, usize::MAX));
        }
        out
    }

    /// The next messages to send, from at most `changes` changes (at least one): an
    /// enhanced-refresh BoRR, the refreshed routes (one UPDATE each, as ExaBGP), the
    /// EoRR, then the pending changes packed by attribute set. The pending changes are
    /// taken when nothing taken earlier is left; what the peer has is recorded then.
    pub fn plan_some(&mut self, ctx: &OutCtx, sizer: &dyn Sizer, changes: usize) -> Vec<Outgoing> {
        if self.staged.is_empty() {
            self.stage(ctx);
        }
        let mut out = Vec::new();
        let mut budget = changes.max(1);
        let mut group: Vec<Change> = Vec::new();
        while budget > 0 {
            match self.staged.pop_front() {
                None => break,
                Some(Staged::Grouped(change)) => group.push(change),
                Some(Staged::Ready(message)) => {
                    pack::pack_changes(&std::mem::take(&mut group), ctx, sizer, &mut out);
                    out.push(message);
                }
                Some(Staged::Alone(change)) => {
                    pack::pack_changes(&std::mem::take(&mut group), ctx, sizer, &mut out);
                    pack::pack_changes(std::slice::from_ref(&change), ctx, sizer, &mut out);
                }
            }
            budget -= 1;
        }
        pack::pack_changes(&group, ctx, sizer, &mut out);
        if self.staged.is_empty() && self.staged.capacity() > KEEP_STAGED {
            // a whole table went through: do not keep its room
            self.staged = VecDeque::new();
        }
        out
    }

    /// Takes the pending route-refresh re-send and the pending changes into the staged
    /// queue, in the order they are sent.
    fn stage(&mut self, ctx: &OutCtx) {
        let (refresh, changes) = self.take_changes();
        let staged: &mut VecDeque<Staged> = &mut self.staged;
        if let Some((refresh, routes)) = refresh {
            let families: Vec<_> = refresh
                .families
                .iter()
                .filter(|f| ctx.families.contains(f))
                .copied()
                .collect();
            let marker = |family, begin| Staged::Ready(Outgoing::RefreshMarker { family, begin });
            if refresh.enhanced {
                staged.extend(families.iter().map(|&family| marker(family, true)));
            }
            staged.extend(routes.into_iter().map(Staged::Alone));
            if refresh.enhanced {
                staged.extend(families.iter().map(|&family| marker(family, false)));
            }
        }
        staged.extend(changes.into_iter().map(Staged::Grouped));
    }
}
