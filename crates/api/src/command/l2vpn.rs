//! `announce|withdraw vpls <fields> <attributes…>` (RFC 4761, spec §2.3) and
//! `announce|withdraw ipv4|ipv6 mcast-vpn <type> <fields> <attributes…>` (RFC 6514): the
//! words are the configuration's (`config::route::vpls`, `config::route::mvpn`).

use config::route::{mvpn, vpls};
use wire::Afi;

use super::route::{route_error, statement, wrap};
use super::{Cursor, ParseError, PeerCommand, Routes};

/// `vpls …`: a withdrawal needs no next hop.
pub(super) fn parse_vpls(cur: &mut Cursor<'_>, announce: bool) -> Result<PeerCommand, ParseError> {
    let words = statement(cur);
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let route = vpls::parse_vpls(&texts, announce).map_err(|e| route_error(&words, e))?;
    Ok(wrap(Routes::from(route), announce))
}

/// `mcast-vpn …` of `afi`.
pub(super) fn parse_mvpn(
    cur: &mut Cursor<'_>,
    afi: Afi,
    announce: bool,
) -> Result<PeerCommand, ParseError> {
    let words = statement(cur);
    let texts: Vec<&str> = words.iter().map(|w| w.text).collect();
    let route = mvpn::parse_mvpn(&texts, afi).map_err(|e| route_error(&words, e))?;
    Ok(wrap(Routes::from(route), announce))
}
