//! The route-carrying commands: `announce|withdraw route <prefix> <attributes…>`,
//! `… attributes <attributes…> nlri <prefix>…`, `… ipv4|ipv6 <safi> <prefix> <attributes…>`,
//! `… flow route …` (one line, or the `{ match { … } then { … } }` block; also `ipv4
//! flow …`), `… ipv4|ipv6 mup …` and `… evpn <route type> …`. The words are the
//! configuration's (spec §1.5, §1.7, `config::route`).

use config::route::{self as grammar, RouteError};
use config::{NextHop, Route};
use wire::{Afi, Family, Nlri, Safi};

use super::{Cursor, ParseError, PeerCommand, Routes, Word};

/// `route <prefix> <attributes…>`.
pub(super) fn parse_route(cur: &mut Cursor<'_>, announce: bool) -> Result<PeerCommand, ParseError> {
    let routes = read_route(cur, None)?;
    Ok(wrap(routes, announce))
}

/// `ipv4|ipv6 <safi> <prefix> <attributes…>`.
pub(super) fn parse_family(
    cur: &mut Cursor<'_>,
    afi_word: Word<'_>,
    announce: bool,
) -> Result<PeerCommand, ParseError> {
    let afi = if afi_word.text == "ipv4" {
        Afi::IPV4
    } else {
        Afi::IPV6
    };
    let safi_word = cur.expect("a SAFI (unicast, multicast)")?;
    let safi = match safi_word.text {
        "unicast" => Safi::UNICAST,
        "multicast" => Safi::MULTICAST,
        "nlri-mpls" | "labeled-unicast" => Safi::MPLS,
        "mpls-vpn" => Safi::MPLS_VPN,
        "flow" | "flow-vpn" => {
            let safi = if safi_word.text == "flow" {
                Safi::FLOW
            } else {
                Safi::FLOW_VPN
            };
            return parse_flow(cur, announce, Some((safi_word, Family::new(afi, safi))));
        }
        "mup" => return parse_mup(cur, afi, announce),
        "mcast-vpn" => return super::l2vpn::parse_mvpn(cur, afi, announce),
        _ => return Err(ParseError::new(safi_word, "unknown SAFI")),
    };
    let routes: Routes = read_route(cur, Some(Family::new(afi, safi)))?;
    // The labels and the route distinguisher decide the family (RFC 8277, RFC 4364): the
    // SAFI named must agree with them.
    if routes.as_slice().iter().any(|r| r.family.safi != safi) {
        let reason = match safi {
            Safi::MPLS => "nlri-mpls routes need a label",
            Safi::MPLS_VPN => "mpls-vpn routes need an rd",
            _ => "label and rd make the route nlri-mpls or mpls-vpn",
        };
        return Err(ParseError::new(safi_word, reason));
    }
    Ok(wrap(routes, announce))
}

/// `flow route <components…> <actions…>` or `flow route { [rd …;] match { … } then { … } }`
/// (spec §2.3); `family` is the one named by `ipv4 flow …`, which the route must agree
/// with (an `rd` makes it flow-vpn, an IPv6 prefix IPv6).
pub(super) fn parse_flow(
    cur: &mut Cursor<'_>,
    announce: bool,
    family: Option<(Word<'_>, Family)>,
) -> Result<PeerCommand, ParseError> {
    cur.eat("route");
    let words = statement(cur);
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let route = grammar::flow::parse_flow(&texts).map_err(|e| route_error(&words, e))?;
    if let Some((word, family)) = family {
        if route.family != family {
            return Err(ParseError::new(
                word,
                format!("the flow route is {} (rd makes flow-vpn)", route.family),
            ));
        }
    }
    Ok(wrap(Routes::from(route), announce))
}

/// `evpn <route type> <fields…> <attributes…>`: one EVPN route in Herald's grammar
/// (`config::route::evpn`; ExaBGP 5 has none).
pub(super) fn parse_evpn(cur: &mut Cursor<'_>, announce: bool) -> Result<PeerCommand, ParseError> {
    let words = statement(cur);
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let parse = if announce {
        grammar::evpn::parse_evpn
    } else {
        grammar::evpn::parse_evpn_withdrawal
    };
    let route = parse(&texts).map_err(|e| route_error(&words, e))?;
    Ok(wrap(Routes::from(route), announce))
}

/// `ipv4|ipv6 mup <route type> <fields…> <attributes…>` (draft-mpmz-bess-mup-safi; the
/// grammar is [`grammar::mup::parse_mup`]'s).
fn parse_mup(cur: &mut Cursor<'_>, afi: Afi, announce: bool) -> Result<PeerCommand, ParseError> {
    let words = statement(cur);
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let route = grammar::mup::parse_mup(afi, &texts).map_err(|e| route_error(&words, e))?;
    Ok(wrap(Routes::from(route), announce))
}

/// `attributes <attributes…> nlri <prefix> <prefix>…`.
pub(super) fn parse_attributes(
    cur: &mut Cursor<'_>,
    announce: bool,
) -> Result<PeerCommand, ParseError> {
    let mut words = Vec::new();
    let mut nlri_word = None;
    while let Some(word) = cur.next_word() {
        if word.text == "nlri" {
            nlri_word = Some(word);
            break;
        }
        words.push(word);
    }
    let Some(nlri_word) = nlri_word else {
        return Err(ParseError::at_end(
            cur.line(),
            "'nlri' and the prefixes expected",
        ));
    };
    let prefixes = statement(cur);
    if prefixes.is_empty() {
        return Err(ParseError::new(
            nlri_word,
            "at least one prefix expected after 'nlri'",
        ));
    }
    // The attributes are read once, onto a template route.
    let mut template = Route::new(Family::IPV4_UNICAST, Nlri::prefix(ipnet::IpNet::default()));
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let mut attrs = grammar::Cursor::new(texts);
    grammar::parse_attributes(&mut template, &mut attrs).map_err(|e| route_error(&words, e))?;
    let mut routes = Vec::with_capacity(prefixes.len());
    for word in &prefixes {
        let prefix =
            grammar::parse_prefix(word.text).map_err(|reason| ParseError::new(*word, reason))?;
        let mut route = template.clone();
        route.nlri = grammar::with_prefix(&template.nlri, prefix);
        grammar::settle_family(&mut route, None);
        routes.extend(grammar::expand_split(route));
    }
    Ok(wrap(Routes::from_vec(routes), announce))
}

pub(super) fn wrap(routes: Routes, announce: bool) -> PeerCommand {
    if announce {
        PeerCommand::Announce(routes)
    } else {
        PeerCommand::Withdraw(routes)
    }
}

/// Reads `<prefix> <attributes…>` to the end of the line. `family` is the one named by
/// the command (`ipv4 unicast …`), `None` for `route …`.
fn read_route<R: From<Vec<Route>> + From<Route>>(
    cur: &mut Cursor<'_>,
    family: Option<Family>,
) -> Result<R, ParseError> {
    let first = cur.expect("a prefix")?;
    let prefix =
        grammar::parse_prefix(first.text).map_err(|reason| ParseError::new(first, reason))?;
    if let Some(family) = family {
        let afi = match prefix {
            ipnet::IpNet::V4(_) => Afi::IPV4,
            ipnet::IpNet::V6(_) => Afi::IPV6,
        };
        if afi != family.afi {
            return Err(ParseError::new(
                first,
                format!("not an {} prefix", family.afi),
            ));
        }
    }
    let safi = family.map(|f| f.safi);
    let mut route = Route::new(grammar::default_family(&prefix), Nlri::prefix(prefix));

    // Fast path: `<prefix> next-hop <ip>` and nothing else.
    let checkpoint = cur.clone();
    if cur.eat("next-hop") {
        if let Some(value) = cur.next_word() {
            if cur.is_empty() {
                if let Ok(hop) = grammar::values::next_hop(value.text) {
                    route.next_hop = hop.map_or(NextHop::SelfAddr, NextHop::Ip);
                    grammar::settle_family(&mut route, safi);
                    return Ok(R::from(route));
                }
            }
        }
    }
    *cur = checkpoint;

    let words = statement(cur);
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let mut attrs = grammar::Cursor::new(texts);
    grammar::parse_attributes(&mut route, &mut attrs).map_err(|e| route_error(&words, e))?;
    grammar::settle_family(&mut route, safi);
    Ok(R::from(grammar::expand_split(route)))
}

impl From<Route> for Routes {
    fn from(route: Route) -> Self {
        Self::One(route)
    }
}

impl From<Vec<Route>> for Routes {
    fn from(routes: Vec<Route>) -> Self {
        Self::from_vec(routes)
    }
}

/// The words left, without the `;` that ends a configuration statement (accepted at the
/// end of a command, as the configuration tokenizer does).
pub(super) fn statement<'a>(cur: &mut Cursor<'a>) -> Vec<Word<'a>> {
    let mut words = cur.remaining();
    if words.last().is_some_and(|w| w.text == ";") {
        words.pop();
    }
    words
}

/// Maps a route-grammar error (an index into `words`) to a parse error on the line.
pub(super) fn route_error(words: &[Word<'_>], e: RouteError) -> ParseError {
    match words.get(e.index) {
        Some(word) => ParseError::new(*word, e.reason),
        None => ParseError {
            offset: words.last().map_or(0, |w| w.offset + w.text.len()),
            token: e.near,
            reason: e.reason,
        },
    }
}
