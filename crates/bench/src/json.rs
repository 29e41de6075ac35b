//! Counting the prefixes of a JSON event line without parsing it into a tree.
//!
//! ExaBGP 5 (and Herald) report an UPDATE as one line:
//!
//! ```text
//! { …, "type": "update", "neighbor": { …, "message": { "update": { "attribute": {…},
//!   "announce": { "ipv4 unicast": { "192.0.2.1": [ { "nlri": "10.0.0.0/32" }, … ] } },
//!   "withdraw": { "ipv4 unicast": [ { "nlri": "10.0.0.1/32" }, … ] } } } } }
//! ```
//!
//! (`exabgp.api.compact` prints the prefixes as plain strings.) A prefix is a JSON string
//! holding a `/` after an `"announce":` or `"withdraw":` key; no other string of an UPDATE
//! event (families, next hops, attribute values, hex) holds one. GoBGP's `monitor -j`
//! prints paths as `{"nlri":{"prefix":"10.0.0.0/32"},…,"withdrawal":true}`; in
//! [`Dialect::Gobgp`] every such string counts, as withdrawn when the line says
//! `"withdrawal":true`.
//!
//! The scan is one pass over the bytes: the helper must cost far less than the speaker
//! it measures.

use crate::bgp::Counts;

/// Whose JSON a line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// ExaBGP 4/5 and Herald: prefixes under `announce` / `withdraw`.
    Exabgp,
    /// GoBGP's `gobgp monitor … -j`.
    Gobgp,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Section {
    None,
    Announce,
    Withdraw,
}

/// Counts the prefixes announced and withdrawn in one JSON line.
pub fn count_line(line: &[u8], dialect: Dialect) -> Counts {
    let mut counts = Counts::default();
    let mut section = match dialect {
        Dialect::Exabgp => Section::None,
        Dialect::Gobgp if contains(line, b"\"withdrawal\":true") => Section::Withdraw,
        Dialect::Gobgp => Section::Announce,
    };
    let mut i = 0;
    while i < line.len() {
        if line[i] != b'"' {
            i += 1;
            continue;
        }
        // A string: find its end, noting a '/' inside.
        let start = i + 1;
        let mut j = start;
        let mut slash = false;
        while j < line.len() && line[j] != b'"' {
            match line[j] {
                b'\\' => j += 1,
                b'/' => slash = true,
                _ => {}
            }
            j += 1;
        }
        let text = &line[start..j.min(line.len())];
        i = j + 1;
        let is_key = line[i.min(line.len())..]
            .iter()
            .find(|b| !b.is_ascii_whitespace())
            == Some(&b':');
        if dialect == Dialect::Exabgp && is_key {
            match text {
                b"announce" => section = Section::Announce,
                b"withdraw" => section = Section::Withdraw,
                _ => {}
            }
        } else if slash && !is_key {
            match section {
                Section::Announce => counts.announced += 1,
                Section::Withdraw => counts.withdrawn += 1,
                Section::None => {}
            }
        }
    }
    counts
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::net::{IpAddr, Ipv4Addr};

    use api::{Direction, Envelope, JsonEncoder, MessageEvent, NeighborInfo};
    use wire::{Asn, Message, Update};

    use crate::fixtures::{ebgp_attributes, nlri_v4, packed_update, PACKED_PREFIXES};

    fn herald_json(message: &Message, compact: bool) -> String {
        let peer = NeighborInfo {
            local_addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)),
            peer_addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
            local_as: Asn(65000),
            peer_as: Asn(65001),
            router_id: Some(Ipv4Addr::new(127, 0, 0, 1)),
        };
        let env = Envelope {
            time: 1.5,
            host: "h/o\"st",
            pid: 1,
            ppid: 1,
            counter: 1,
        };
        let mut out = String::new();
        JsonEncoder::new(compact).message(
            &mut out,
            &env,
            &peer,
            &MessageEvent::new(Direction::Receive, message),
        );
        out
    }

    #[test]
    fn counts_herald_json_of_announces_and_withdrawals() {
        for compact in [false, true] {
            let announce = herald_json(&Message::Update(packed_update()), compact);
            assert_eq!(
                count_line(announce.as_bytes(), Dialect::Exabgp),
                Counts {
                    announced: u64::from(PACKED_PREFIXES),
                    withdrawn: 0
                },
                "{announce}"
            );
            let withdraw = Message::Update(Update {
                withdrawn: nlri_v4(300),
                attributes: Vec::new(),
                nlri: Vec::new(),
            });
            let line = herald_json(&withdraw, compact);
            assert_eq!(
                count_line(line.as_bytes(), Dialect::Exabgp),
                Counts {
                    announced: 0,
                    withdrawn: 300
                },
                "{line}"
            );
            let both = Message::Update(Update {
                withdrawn: nlri_v4(3),
                attributes: ebgp_attributes(),
                nlri: nlri_v4(20)[10..].to_vec(),
            });
            let line = herald_json(&both, compact);
            assert_eq!(
                count_line(line.as_bytes(), Dialect::Exabgp),
                Counts {
                    announced: 10,
                    withdrawn: 3
                },
                "{line}"
            );
        }
    }

    #[test]
    fn ignores_other_events_and_counts_exabgp_and_gobgp_lines() {
        let state = br#"{ "exabgp": "5.0.0", "type": "state", "neighbor": { "state": "up" } }"#;
        assert_eq!(count_line(state, Dialect::Exabgp), Counts::default());
        // ExaBGP 5.0.15's shape, abridged.
        let exa = br#"{ "type": "update", "neighbor": { "message": { "update": { "attribute": { "origin": "igp" }, "announce": { "ipv4 unicast": { "192.0.2.1": [ { "nlri": "10.0.0.0/32" }, { "nlri": "10.0.0.1/32" } ] } } } } } }"#;
        assert_eq!(count_line(exa, Dialect::Exabgp).announced, 2);
        let gobgp = br#"[{"nlri":{"prefix":"10.0.0.0/32"},"age":1,"best":true,"attrs":[{"type":3,"nexthop":"192.0.2.1"}]},{"nlri":{"prefix":"10.0.0.1/32"}}]"#;
        assert_eq!(count_line(gobgp, Dialect::Gobgp).announced, 2);
        let gone = br#"[{"nlri":{"prefix":"10.0.0.0/32"},"withdrawal":true}]"#;
        assert_eq!(count_line(gone, Dialect::Gobgp).withdrawn, 1);
    }
}
