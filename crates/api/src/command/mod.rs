//! The ExaBGP 5 API command grammar (spec §2): one line from a helper → one [`Command`].
//!
//! Lines are read through a [`Cursor`] over their words; each verb has its own module and
//! every parser ends with [`Cursor::finish`], so trailing words are an error. A failure is
//! a [`ParseError`] naming the word (and its byte offset) at fault; the runtime answers it
//! with `error`.
//!
//! Routes are read with the configuration's route grammar (`config::route`, spec §1.5).
//! The common line `announce route <prefix> next-hop <ip>` takes a fast path that
//! allocates nothing but the route itself.

mod announce;
pub mod cursor;
mod daemon;
mod help;
mod l2vpn;
mod operational;
mod peer;
mod rib;
mod route;
mod selector;
mod show;
mod teardown;

use std::net::IpAddr;

use ipnet::IpNet;
use thiserror::Error;
use wire::Family;

pub use cursor::{Cursor, Word};
pub use help::HELP;
pub use operational::OperationalCommand;
pub use selector::{PeerIdentity, Selector};

/// One parsed command.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum Command {
    /// A command for peers. An empty `selectors` means every peer bound to the process.
    Peer {
        /// `neighbor …` selectors (ORed).
        selectors: Vec<Selector>,
        /// What to do.
        command: PeerCommand,
    },
    /// `show neighbor …` / `show adj-rib …`.
    Show(Show),
    /// `version`: answer `exabgp 5.0.15`-style version text.
    Version,
    /// `help`: answer [`HELP`].
    Help,
    /// `reload`: like SIGUSR1.
    Reload,
    /// `restart`: like SIGALRM.
    Restart,
    /// `shutdown`: like SIGTERM.
    Shutdown,
    /// `reset`: drop this process's queued asynchronous work; no answer.
    Reset,
    /// `crash`: ExaBGP's self-test; Herald answers `error`.
    Crash,
    /// `enable-ack`.
    EnableAck,
    /// `disable-ack`: answer `done` once, then stop acking.
    DisableAck,
    /// `silence-ack`: stop acking at once.
    SilenceAck,
    /// A `#` comment: logged, acked `done`.
    Comment,
    /// Herald's `neighbor <ip|prefix> create { <neighbor body> }`: add a neighbor at run
    /// time. `config` is the whole `neighbor <ip> { … }` block, ready for the
    /// configuration parser.
    NeighborCreate {
        /// The peer address (a prefix for a passive range).
        address: IpNet,
        /// `neighbor <address> { <body> }`.
        config: String,
    },
    /// Herald's `neighbor <ip|prefix> delete`: tear the session down and forget the
    /// neighbor.
    NeighborDelete {
        /// The peer address (a prefix for a passive range).
        address: IpNet,
    },
}

/// A command run on the selected peers.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub enum PeerCommand {
    /// `announce route|attributes|ipv4|ipv6 …`: routes to add to the Adj-RIB-Out.
    Announce(Routes),
    /// `withdraw route|attributes|ipv4|ipv6 …`: routes to withdraw.
    Withdraw(Routes),
    /// `announce eor [<afi> <safi>]` (`None` = IPv4 unicast).
    Eor(Option<Family>),
    /// `announce route-refresh <afi> <safi>`.
    RouteRefresh(Family),
    /// `announce watchdog [<name>]` (`None` = the process name).
    AnnounceWatchdog(Option<String>),
    /// `withdraw watchdog [<name>]`.
    WithdrawWatchdog(Option<String>),
    /// `teardown <cease subcode>`.
    Teardown(u8),
    /// `flush adj-rib out`.
    FlushAdjRibOut,
    /// `clear adj-rib in|out`.
    ClearAdjRib(RibSide),
    /// `announce operational …`: an OPERATIONAL message to send.
    Operational(OperationalCommand),
}

/// The routes of one command: usually one, without a separate allocation.
#[derive(Debug, Clone, PartialEq)]
pub enum Routes {
    /// A single route.
    One(config::Route),
    /// Several routes (`split`, `attributes … nlri …`).
    Many(Vec<config::Route>),
}

impl Routes {
    /// The routes as a slice.
    pub fn as_slice(&self) -> &[config::Route] {
        match self {
            Self::One(route) => std::slice::from_ref(route),
            Self::Many(routes) => routes,
        }
    }

    /// The routes as a vector.
    pub fn into_vec(self) -> Vec<config::Route> {
        match self {
            Self::One(route) => vec![route],
            Self::Many(routes) => routes,
        }
    }

    fn from_vec(mut routes: Vec<config::Route>) -> Self {
        if routes.len() == 1 {
            if let Some(route) = routes.pop() {
                return Self::One(route);
            }
        }
        Self::Many(routes)
    }
}

/// Which Adj-RIB.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RibSide {
    /// Adj-RIB-In (received routes).
    In,
    /// Adj-RIB-Out (announced routes).
    Out,
}

/// A `show` command.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Show {
    /// `show neighbor [summary|extensive|configuration|json] [<ip>]`.
    Neighbor {
        /// The view asked for; `None` when none was (ExaBGP then prints a usage hint).
        view: Option<NeighborView>,
        /// Only this peer.
        peer: Option<IpAddr>,
    },
    /// `show adj-rib in|out [extensive] [json] [<ip>|inet|flow|l2vpn]`.
    AdjRib {
        /// Which RIB.
        side: RibSide,
        /// `extensive`: the neighbor's full name and the attributes.
        extensive: bool,
        /// `json`.
        json: bool,
        /// Which routes.
        filter: RibFilter,
    },
}

/// The views of `show neighbor`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NeighborView {
    /// One line per peer.
    Summary,
    /// The per-peer table.
    Extensive,
    /// The configuration of each neighbor.
    Configuration,
    /// A JSON list.
    Json,
}

/// Which routes `show adj-rib` lists.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum RibFilter {
    /// Every route of every peer.
    All,
    /// The routes of one peer.
    Peer(IpAddr),
    /// IPv4/IPv6 prefix routes (`inet`).
    Inet,
    /// FlowSpec routes.
    Flow,
    /// VPLS and EVPN routes.
    L2vpn,
}

/// A command that could not be parsed: why, and where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{reason} at offset {offset} (near '{token}')")]
pub struct ParseError {
    /// Byte offset of the word at fault (the line's length when a word is missing).
    pub offset: usize,
    /// The word at fault (empty when a word is missing).
    pub token: String,
    /// What is wrong.
    pub reason: String,
}

impl ParseError {
    /// An error about `word`.
    pub fn new(word: Word<'_>, reason: impl Into<String>) -> Self {
        Self {
            offset: word.offset,
            token: word.text.to_owned(),
            reason: reason.into(),
        }
    }

    /// An error about a missing word at the end of `line`.
    pub fn at_end(line: &str, reason: impl Into<String>) -> Self {
        Self {
            offset: line.len(),
            token: String::new(),
            reason: reason.into(),
        }
    }
}

/// Parses one command line (without its newline).
pub fn parse(line: &str) -> Result<Command, ParseError> {
    let mut cur = Cursor::new(line);
    let Some(first) = cur.peek() else {
        return Err(ParseError::at_end(line, "empty command"));
    };
    if first.text.starts_with('#') {
        return Ok(Command::Comment);
    }
    if first.text == "neighbor" {
        if let Some(command) = peer::parse_create_delete(&mut cur)? {
            return Ok(command);
        }
        let selectors = selector::parse_selectors(&mut cur)?;
        let verb = cur.expect("a command after the neighbor selector")?;
        return match peer_command(verb, &mut cur)? {
            Some(command) => Ok(Command::Peer { selectors, command }),
            None => Err(ParseError::new(
                verb,
                "this command does not take a neighbor selector",
            )),
        };
    }
    let verb = cur.expect("a command")?;
    if let Some(command) = peer_command(verb, &mut cur)? {
        return Ok(Command::Peer {
            selectors: Vec::new(),
            command,
        });
    }
    match verb.text {
        "show" => show::parse(&mut cur).map(Command::Show),
        _ => daemon::parse(verb, &mut cur),
    }
}

/// Parses a peer-scoped command starting with `verb`; `Ok(None)` when `verb` is not one.
fn peer_command(verb: Word<'_>, cur: &mut Cursor<'_>) -> Result<Option<PeerCommand>, ParseError> {
    Ok(Some(match verb.text {
        "announce" => announce::parse(cur, true)?,
        "withdraw" => announce::parse(cur, false)?,
        "teardown" => teardown::parse(cur)?,
        "flush" => rib::parse_flush(cur)?,
        "clear" => rib::parse_clear(cur)?,
        _ => return Ok(None),
    }))
}

#[cfg(test)]
mod tests;
