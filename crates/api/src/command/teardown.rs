//! `teardown <cease subcode>` (spec §2.3): close the selected sessions with a Cease
//! NOTIFICATION (RFC 4486 subcodes).

use super::{Cursor, ParseError, PeerCommand};

/// Parses what follows `teardown`.
pub(super) fn parse(cur: &mut Cursor<'_>) -> Result<PeerCommand, ParseError> {
    let code = cur.expect("a Cease subcode")?;
    if !code.text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ParseError::new(code, "the Cease subcode must be a number"));
    }
    let subcode = code
        .text
        .parse::<u8>()
        .map_err(|_| ParseError::new(code, "the Cease subcode must be 0 to 255"))?;
    cur.finish()?;
    Ok(PeerCommand::Teardown(subcode))
}
