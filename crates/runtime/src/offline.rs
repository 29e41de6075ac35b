//! API commands → the UPDATE messages a session would send for them, with no session: what
//! `herald encode` prints.
//!
//! The commands go through the same path as a helper's lines on a live session: the API
//! grammar ([`api::parse`]), `split` and `next-hop self` ([`crate::peer`]'s route
//! handling), the Adj-RIB-Out and its UPDATE packing, and the wire codec. Only the session
//! is replaced by [`Session`], the values a negotiation would have given.

use std::net::IpAddr;

use api::command::{Command, PeerCommand};
use rib::{AdjRibOut, OutCtx};
use wire::{Asn, EncodeCtx, Family};

use crate::peer::routes::Routes;

/// What a negotiated session would tell the encoder.
#[derive(Debug, Clone)]
pub struct Session {
    /// Our AS.
    pub local_as: u32,
    /// The peer's AS (iBGP when equal to `local_as`: LOCAL_PREF is added, no AS prepended).
    pub peer_as: u32,
    /// Four-octet AS numbers (RFC 6793).
    pub asn4: bool,
    /// ADD-PATH path identifiers for every family (RFC 7911).
    pub add_path: bool,
    /// Extended messages (RFC 8654): UPDATEs up to 65535 octets instead of 4096.
    pub extended_message: bool,
    /// ExaBGP's `group-updates`: several prefixes with the same attributes per UPDATE.
    pub group_updates: bool,
    /// The session's local address, for `next-hop self`.
    pub local_address: IpAddr,
}

impl Default for Session {
    /// iBGP in AS 65533 over 127.0.0.1 with four-octet ASNs, as `exabgp decode` assumes.
    fn default() -> Self {
        Self {
            local_as: 65533,
            peer_as: 65533,
            asn4: true,
            add_path: false,
            extended_message: false,
            group_updates: true,
            local_address: IpAddr::from([127, 0, 0, 1]),
        }
    }
}

/// Why a command could not be encoded.
#[derive(Debug, thiserror::Error)]
pub enum OfflineError {
    /// The API grammar refused the command.
    #[error("line {line}: {reason}")]
    Parse {
        /// 1-based line number among the commands.
        line: usize,
        /// What the parser said.
        reason: String,
    },
    /// The command is valid but makes no UPDATE (`show`, `teardown` …).
    #[error("line {line}: only announce and withdraw commands make UPDATEs")]
    NotRoutes {
        /// 1-based line number among the commands.
        line: usize,
    },
    /// The codec refused a message (an attribute too long for its field).
    #[error("{0}")]
    Encode(#[from] wire::EncodeError),
}

/// The UPDATE messages (whole, with their header) for `commands`, applied in order as one
/// batch, as the lines of one read of a helper are. Empty lines and `#` comments are
/// skipped; neighbor selectors are accepted and ignored.
pub fn encode(commands: &[&str], session: &Session) -> Result<Vec<Vec<u8>>, OfflineError> {
    let mut rib = AdjRibOut::new();
    let mut routes = Routes::default();
    routes.set_local(&mut rib, session.local_address);
    let mut families: Vec<Family> = Vec::new();
    for (n, line) in commands.iter().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let parsed = api::parse(line).map_err(|e| OfflineError::Parse {
            line: n + 1,
            reason: e.to_string(),
        })?;
        let Command::Peer { command, .. } = parsed else {
            return Err(OfflineError::NotRoutes { line: n + 1 });
        };
        match command {
            PeerCommand::Announce(list) => {
                for route in list.as_slice() {
                    routes.announce(&mut rib, route);
                    families.push(route.family);
                }
            }
            PeerCommand::Withdraw(list) => {
                for route in list.as_slice() {
                    routes.withdraw(&mut rib, route);
                    families.push(route.family);
                }
            }
            _ => return Err(OfflineError::NotRoutes { line: n + 1 }),
        }
    }
    families.sort();
    families.dedup();
    let ctx = OutCtx {
        encode: EncodeCtx {
            asn4: session.asn4,
            extended_message: session.extended_message,
            add_path: if session.add_path {
                families.clone()
            } else {
                Vec::new()
            },
            // As if RFC 8950 extended next hop were negotiated for every IPv4 family: a
            // route with an IPv6 next hop is written as a session with the capability
            // sends it (a live session without it refuses the route).
            extended_next_hop: families
                .iter()
                .filter(|f| f.afi == wire::Afi::IPV4)
                .map(|f| (*f, wire::Afi::IPV6))
                .collect(),
            // AIGP_SESSION's default (RFC 7311 §3.1): enabled on IBGP only, as ExaBGP's
            // encoder also sends AIGP on an internal session.
            aigp: session.local_as == session.peer_as,
        },
        local_as: Asn(session.local_as),
        peer_as: Asn(session.peer_as),
        group_updates: session.group_updates,
        families,
    };
    let (messages, mut errors) = rib.drain(&ctx);
    match errors.pop() {
        Some(error) => Err(error.into()),
        None => Ok(messages),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(bytes: &[u8]) -> String {
        bytes.iter().map(|b| format!("{b:02X}")).collect()
    }

    /// ExaBGP's own encoder wrote these bytes (conformance corpus, conf-new-v4.msg).
    #[test]
    fn one_route_is_exabgps_bytes() {
        let out = encode(
            &["announce route 10.0.3.0/24 next-hop 10.0.255.254 community [ 30740:30740 30740:0 ]"],
            &Session::default(),
        )
        .unwrap();
        assert_eq!(out.len(), 1);
        assert_eq!(
            hex(&out[0]),
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003B0200000020400101004002004003040A00FFFE\
             40050400000064C008087814000078147814180A0003"
        );
    }

    #[test]
    fn one_batch_packs_and_cancels_like_a_helper_read() {
        let lines = [
            "announce route 10.0.1.0/24 next-hop 192.0.2.1",
            "announce route 10.0.2.0/24 next-hop 192.0.2.1",
            "neighbor 127.0.0.1 announce route 10.0.3.0/24 next-hop self",
            "# a comment",
            "withdraw route 10.0.9.0/24",
        ];
        let out = encode(&lines, &Session::default()).unwrap();
        let ctx = wire::DecodeCtx {
            asn4: true,
            ..wire::DecodeCtx::default()
        };
        let updates: Vec<wire::Update> = out
            .iter()
            .map(|m| match wire::Message::decode(m, &ctx).unwrap().message {
                wire::Message::Update(u) => u,
                other => panic!("{other:?}"),
            })
            .collect();
        // one UPDATE for the two routes with 192.0.2.1, one for self, one withdrawal
        assert_eq!(updates.len(), 3, "{updates:?}");
        let hop = |ip: &str| wire::Attribute::NextHop(ip.parse().unwrap());
        let packed = updates
            .iter()
            .find(|u| u.attributes.contains(&hop("192.0.2.1")));
        assert_eq!(packed.map(|u| u.nlri.len()), Some(2));
        let own = updates
            .iter()
            .find(|u| u.attributes.contains(&hop("127.0.0.1")));
        assert_eq!(own.map(|u| u.nlri.len()), Some(1));
        assert_eq!(updates.iter().filter(|u| u.withdrawn.len() == 1).count(), 1);
    }

    #[test]
    fn bad_and_unsuitable_commands_are_errors() {
        let e = encode(
            &["announce route 10.0.0.0/33 next-hop 1.1.1.1"],
            &Session::default(),
        );
        assert!(
            matches!(e, Err(OfflineError::Parse { line: 1, .. })),
            "{e:?}"
        );
        let e = encode(&["", "show neighbor"], &Session::default());
        assert!(
            matches!(e, Err(OfflineError::NotRoutes { line: 2 })),
            "{e:?}"
        );
    }
}
