//! Neighbor selectors (spec §2.2):
//! `neighbor <ip>|* [local-ip <ip>] [local-as <asn>] [peer-as <asn>] [router-id <id>]
//! [family-allowed <families>] [, neighbor …] <command>`.

use std::net::{IpAddr, Ipv4Addr};

use wire::Asn;

use super::{Cursor, ParseError};

/// One `neighbor …` selector: every key given must match.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Selector {
    /// The peer address; `None` for `neighbor *` (every peer).
    pub peer: Option<IpAddr>,
    /// `local-ip`.
    pub local_ip: Option<IpAddr>,
    /// `local-as`.
    pub local_as: Option<Asn>,
    /// `peer-as`.
    pub peer_as: Option<Asn>,
    /// `router-id`.
    pub router_id: Option<Ipv4Addr>,
    /// `family-allowed` (`in-open`, or `ipv4-unicast/ipv6-unicast` with multi-session).
    pub family_allowed: Option<String>,
}

/// What a selector is matched against: how ExaBGP names a peer
/// (`neighbor <ip> local-ip <ip> local-as <asn> peer-as <asn> router-id <id>
/// family-allowed <…>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerIdentity {
    /// The peer address.
    pub peer: IpAddr,
    /// Our address on the session, when known.
    pub local_ip: Option<IpAddr>,
    /// Our ASN, when known (not `auto`).
    pub local_as: Option<Asn>,
    /// The peer's ASN, when known (not `auto`).
    pub peer_as: Option<Asn>,
    /// Our router id.
    pub router_id: Option<Ipv4Addr>,
    /// `in-open`, or the multi-session family list.
    pub family_allowed: String,
}

impl Selector {
    /// True when `peer` matches every key of the selector.
    pub fn matches(&self, peer: &PeerIdentity) -> bool {
        fn key<T: PartialEq>(want: &Option<T>, have: &Option<T>) -> bool {
            want.as_ref().is_none_or(|w| have.as_ref() == Some(w))
        }
        self.peer.is_none_or(|ip| ip == peer.peer)
            && key(&self.local_ip, &peer.local_ip)
            && key(&self.local_as, &peer.local_as)
            && key(&self.peer_as, &peer.peer_as)
            && key(&self.router_id, &peer.router_id)
            && self
                .family_allowed
                .as_ref()
                .is_none_or(|f| *f == peer.family_allowed)
    }

    /// True for `neighbor *` with no other key.
    pub fn is_any(&self) -> bool {
        *self == Self::default()
    }
}

/// Parses `neighbor …[, neighbor …]`, leaving the cursor on the command.
pub(super) fn parse_selectors(cur: &mut Cursor<'_>) -> Result<Vec<Selector>, ParseError> {
    let mut selectors = Vec::new();
    loop {
        cur.expect_one_of(&["neighbor"])?;
        let peer = cur.expect("a neighbor address or '*'")?;
        let mut selector = Selector::default();
        if peer.text != "*" {
            selector.peer = Some(
                peer.text
                    .parse()
                    .map_err(|_| ParseError::new(peer, "invalid neighbor address"))?,
            );
        }
        while let Some(key) = cur.peek() {
            let parse_asn = |w: super::Word<'_>| {
                config::route::values::parse_asn(w.text)
                    .map_err(|reason| ParseError::new(w, reason))
            };
            match key.text {
                "local-ip" | "local-as" | "peer-as" | "router-id" | "family-allowed" => {
                    cur.next_word();
                    let value = cur.next_word().ok_or_else(|| {
                        ParseError::at_end(cur.line(), format!("a value for {} expected", key.text))
                    })?;
                    let invalid = || ParseError::new(value, format!("invalid {}", key.text));
                    match key.text {
                        "local-ip" => {
                            selector.local_ip = Some(value.text.parse().map_err(|_| invalid())?)
                        }
                        "local-as" => selector.local_as = Some(parse_asn(value)?),
                        "peer-as" => selector.peer_as = Some(parse_asn(value)?),
                        "router-id" => {
                            selector.router_id = Some(value.text.parse().map_err(|_| invalid())?)
                        }
                        _ => selector.family_allowed = Some(value.text.to_owned()),
                    }
                }
                _ => break,
            }
        }
        selectors.push(selector);
        if !cur.eat(",") {
            return Ok(selectors);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn identity() -> PeerIdentity {
        PeerIdentity {
            peer: "127.0.0.2".parse().unwrap(),
            local_ip: Some("127.0.0.1".parse().unwrap()),
            local_as: Some(Asn(65001)),
            peer_as: Some(Asn(65002)),
            router_id: Some(Ipv4Addr::new(10, 0, 0, 1)),
            family_allowed: "in-open".into(),
        }
    }

    #[test]
    fn matching() {
        let mut cur = Cursor::new("neighbor 127.0.0.2 local-as 65001 peer-as 65002 , neighbor * x");
        let selectors = parse_selectors(&mut cur).unwrap();
        assert_eq!(cur.peek_text(), Some("x"));
        assert_eq!(selectors.len(), 2);
        assert!(selectors[0].matches(&identity()));
        assert!(selectors[1].is_any());
        let mut cur = Cursor::new("neighbor 127.0.0.2 peer-as 65003 x");
        assert!(!parse_selectors(&mut cur).unwrap()[0].matches(&identity()));
        let mut cur = Cursor::new("neighbor 127.0.0.2 family-allowed in-open router-id 10.0.0.1 x");
        assert!(parse_selectors(&mut cur).unwrap()[0].matches(&identity()));
    }

    #[test]
    fn bad_selectors() {
        let err = parse_selectors(&mut Cursor::new("neighbor 1.2.3 announce")).unwrap_err();
        assert_eq!(err.token, "1.2.3");
        let err = parse_selectors(&mut Cursor::new("neighbor 1.2.3.4 local-as x")).unwrap_err();
        assert_eq!(err.token, "x");
    }
}
