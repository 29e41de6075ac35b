//! `show neighbor …` and `show adj-rib …` (spec §2.3).

use std::net::IpAddr;

use super::{Cursor, NeighborView, ParseError, RibFilter, RibSide, Show};

/// Parses what follows `show`.
pub(super) fn parse(cur: &mut Cursor<'_>) -> Result<Show, ParseError> {
    let what = cur.expect_one_of(&["neighbor", "adj-rib", "adj-rib-in", "adj-rib-out"])?;
    match what.text {
        "neighbor" => neighbor(cur),
        "adj-rib-in" => adj_rib(cur, RibSide::In),
        "adj-rib-out" => adj_rib(cur, RibSide::Out),
        _ => {
            let side = cur.expect_one_of(&["in", "out"])?;
            adj_rib(
                cur,
                if side.text == "in" {
                    RibSide::In
                } else {
                    RibSide::Out
                },
            )
        }
    }
}

fn neighbor(cur: &mut Cursor<'_>) -> Result<Show, ParseError> {
    let mut view = None;
    let mut json = false;
    let mut peer = None;
    while let Some(word) = cur.next_word() {
        match word.text {
            "summary" => view = view.or(Some(NeighborView::Summary)),
            "extensive" => view = view.or(Some(NeighborView::Extensive)),
            "configuration" => view = view.or(Some(NeighborView::Configuration)),
            "json" => json = true,
            "text" => {}
            _ if peer.is_none() => {
                peer = Some(
                    word.text
                        .parse::<IpAddr>()
                        .map_err(|_| ParseError::new(word, "a neighbor address expected"))?,
                );
            }
            _ => return Err(ParseError::new(word, "unexpected word")),
        }
    }
    if json {
        view = Some(NeighborView::Json);
    }
    Ok(Show::Neighbor { view, peer })
}

fn adj_rib(cur: &mut Cursor<'_>, side: RibSide) -> Result<Show, ParseError> {
    let mut extensive = false;
    let mut json = false;
    let mut filter = RibFilter::All;
    while let Some(word) = cur.next_word() {
        match word.text {
            "extensive" => extensive = true,
            "json" => json = true,
            "inet" => filter = RibFilter::Inet,
            "flow" => filter = RibFilter::Flow,
            "l2vpn" => filter = RibFilter::L2vpn,
            text => match text.parse::<IpAddr>() {
                Ok(ip) if filter == RibFilter::All => filter = RibFilter::Peer(ip),
                _ => return Err(ParseError::new(word, "unexpected word")),
            },
        }
    }
    Ok(Show::AdjRib {
        side,
        extensive,
        json,
        filter,
    })
}
