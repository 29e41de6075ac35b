//! What the round-trip targets share.

use herald_wire::{Message, Nlri};

/// True when `nlri` is a label stack whose first label's value is one of RFC 3107's
/// whole-stack conventions (0, the next-hop one; 0x80000, the withdrawal one) but whose TC
/// bits kept the stack going: labels keep their 20-bit value only (crates/wire/README.md),
/// so it re-encodes as the convention, which ends the stack (as ExaBGP reads it too) — the
/// one kind of value that reads back otherwise.
pub fn relabeled(nlri: &Nlri) -> bool {
    matches!(nlri, Nlri::Labeled { labels, .. }
        if labels.len() > 1 && matches!(labels[0].value(), 0 | 0x80000))
}

/// True when any NLRI of `message` (an UPDATE's fields or its MP attributes) is
/// [`relabeled`].
pub fn has_relabeled(message: &Message) -> bool {
    let Message::Update(update) = message else {
        return false;
    };
    let mp_reach = update
        .mp_reach()
        .map(|mp| mp.nlri.as_slice())
        .unwrap_or_default();
    let mp_unreach = update
        .mp_unreach()
        .map(|mp| mp.nlri.as_slice())
        .unwrap_or_default();
    update
        .nlri
        .iter()
        .chain(&update.withdrawn)
        .chain(mp_reach)
        .chain(mp_unreach)
        .any(relabeled)
}
