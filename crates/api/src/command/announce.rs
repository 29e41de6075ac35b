//! `announce …` and `withdraw …` (spec §2.3): routes, End-of-RIB (RFC 4724 §2),
//! ROUTE-REFRESH requests (RFC 2918) and watchdogs.

use wire::Family;

use super::{operational, route, Cursor, ParseError, PeerCommand};

/// Parses what follows `announce` (`announce` true) or `withdraw`.
pub(super) fn parse(cur: &mut Cursor<'_>, announce: bool) -> Result<PeerCommand, ParseError> {
    let what = cur.expect(
        "route | attributes | ipv4 | ipv6 | flow | evpn | eor | route-refresh | watchdog",
    )?;
    let command = match what.text {
        "route" => route::parse_route(cur, announce)?,
        "attribute" | "attributes" => route::parse_attributes(cur, announce)?,
        "ipv4" | "ipv6" => route::parse_family(cur, what, announce)?,
        "eor" if announce => PeerCommand::Eor(parse_optional_family(cur)?),
        "route-refresh" if announce => {
            let family = parse_family_words(cur)?;
            PeerCommand::RouteRefresh(family)
        }
        "watchdog" => {
            let name = cur.next_word().map(|w| w.text.to_owned());
            if announce {
                PeerCommand::AnnounceWatchdog(name)
            } else {
                PeerCommand::WithdrawWatchdog(name)
            }
        }
        "operational" if announce => operational::parse(cur)?,
        "flow" => route::parse_flow(cur, announce, None)?,
        "evpn" => route::parse_evpn(cur, announce)?,
        "vpls" => super::l2vpn::parse_vpls(cur, announce)?,
        _ => return Err(ParseError::new(what, "unknown announce/withdraw command")),
    };
    cur.finish()?;
    Ok(command)
}

/// `[<afi> <safi>]`.
fn parse_optional_family(cur: &mut Cursor<'_>) -> Result<Option<Family>, ParseError> {
    if cur.is_empty() {
        return Ok(None);
    }
    parse_family_words(cur).map(Some)
}

/// `<afi> <safi>` with ExaBGP's names (`ipv4 unicast`).
pub(super) fn parse_family_words(cur: &mut Cursor<'_>) -> Result<Family, ParseError> {
    let afi = cur.expect("an AFI (ipv4, ipv6, l2vpn, bgp-ls)")?;
    let safi = cur.expect("a SAFI (unicast, multicast, …)")?;
    let afi_value =
        wire::Afi::from_name(afi.text).ok_or_else(|| ParseError::new(afi, "unknown AFI"))?;
    let safi_value =
        wire::Safi::from_name(safi.text).ok_or_else(|| ParseError::new(safi, "unknown SAFI"))?;
    Ok(Family::new(afi_value, safi_value))
}
