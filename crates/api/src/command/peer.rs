//! Herald's run-time neighbors: `neighbor <ip|prefix> create { <neighbor body> }` and
//! `neighbor <ip|prefix> delete` (ExaBGP issue #294; ExaBGP 6 has `peer create|delete`).

use ipnet::IpNet;

use super::{Command, Cursor, ParseError};

/// Parses `neighbor <addr> create {…}` / `neighbor <addr> delete`; `Ok(None)` (cursor
/// untouched) when the line is something else.
pub(super) fn parse_create_delete(cur: &mut Cursor<'_>) -> Result<Option<Command>, ParseError> {
    let mut look = cur.clone();
    look.next_word();
    let (Some(addr), Some(verb)) = (look.next_word(), look.next_word()) else {
        return Ok(None);
    };
    if verb.text != "create" && verb.text != "delete" {
        return Ok(None);
    }
    let address = parse_address(addr.text)
        .ok_or_else(|| ParseError::new(addr, "invalid neighbor address"))?;
    *cur = look;
    if verb.text == "delete" {
        cur.finish()?;
        return Ok(Some(Command::NeighborDelete { address }));
    }
    let open = cur.expect("'{' and the neighbor configuration")?;
    if open.text != "{" {
        return Err(ParseError::new(open, "'{' expected"));
    }
    let line = cur.line();
    let body_start = open.offset + 1;
    let close = line.trim_end();
    if !close.ends_with('}') || close.len() <= body_start {
        return Err(ParseError::at_end(
            line,
            "the neighbor configuration must end with '}'",
        ));
    }
    let body = line.get(body_start..close.len() - 1).unwrap_or_default();
    let config = format!("neighbor {addr} {{{body}}}\n", addr = addr.text);
    Ok(Some(Command::NeighborCreate { address, config }))
}

/// An address (a host prefix) or a prefix.
fn parse_address(text: &str) -> Option<IpNet> {
    if let Ok(net) = text.parse::<IpNet>() {
        return Some(net);
    }
    text.parse::<std::net::IpAddr>().ok().map(IpNet::from)
}
