//! Daemon and process commands (spec §2.1, §2.3): `version`, `help`, `reload`, `restart`,
//! `shutdown`, `reset`, `crash`, and the ack switches.

use super::{Command, Cursor, ParseError, Word};

/// Parses a daemon command whose first word is `verb`.
pub(super) fn parse(verb: Word<'_>, cur: &mut Cursor<'_>) -> Result<Command, ParseError> {
    let command = match verb.text {
        "version" => Command::Version,
        "help" => Command::Help,
        "reload" => Command::Reload,
        "restart" => Command::Restart,
        "shutdown" => Command::Shutdown,
        "reset" => Command::Reset,
        "crash" => Command::Crash,
        "enable-ack" => Command::EnableAck,
        "disable-ack" => Command::DisableAck,
        "silence-ack" => Command::SilenceAck,
        _ => return Err(ParseError::new(verb, "unknown command")),
    };
    cur.finish()?;
    Ok(command)
}
