//! What the round-trip targets share.

use herald_wire::{Message, Nlri};

/// True when `nlri` is a label stack whose first label is 0 but whose TC bits kept the
/// stack going: it re-encodes as the RFC 3107 next-hop convention (a first field of zero
/// ends the stack, as ExaBGP reads it too), so it is the one value that reads back
/// otherwise. Labels keep their 20-bit value only (crates/wire/README.md).
pub fn relabeled(nlri: &Nlri) -> bool {
    matches!(nlri, Nlri::Labeled { labels, .. } if labels.len() > 1 && labels[0].value() == 0)
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
