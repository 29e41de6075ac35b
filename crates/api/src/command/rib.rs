//! `flush adj-rib out` and `clear adj-rib in|out` (spec §2.3).

use super::{Cursor, ParseError, PeerCommand, RibSide};

/// Parses what follows `flush`.
pub(super) fn parse_flush(cur: &mut Cursor<'_>) -> Result<PeerCommand, ParseError> {
    cur.expect_one_of(&["adj-rib"])?;
    cur.expect_one_of(&["out"])?;
    cur.finish()?;
    Ok(PeerCommand::FlushAdjRibOut)
}

/// Parses what follows `clear`.
pub(super) fn parse_clear(cur: &mut Cursor<'_>) -> Result<PeerCommand, ParseError> {
    let word = cur.expect_one_of(&["adj-rib", "adj-rib-in", "adj-rib-out"])?;
    let side = match word.text {
        "adj-rib-in" => RibSide::In,
        "adj-rib-out" => RibSide::Out,
        _ => {
            if cur.expect_one_of(&["in", "out"])?.text == "in" {
                RibSide::In
            } else {
                RibSide::Out
            }
        }
    };
    cur.finish()?;
    Ok(PeerCommand::ClearAdjRib(side))
}
