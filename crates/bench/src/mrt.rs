//! An MRT routing-table dump (RFC 6396 §4.3, TABLE_DUMP_V2) of the routes of a run, the
//! input of `gobgp mrt inject global`: how S1 feeds GoBGP through its API without a gRPC
//! client of our own.
//!
//! ```text
//! MRT header:        timestamp (4) | type 13 (2) | subtype (2) | length (4)
//! PEER_INDEX_TABLE:  collector id (4) | view name len (2) = 0 | peer count (2) = 1 |
//!                    peer type 0x02 (AS4, IPv4) | peer id (4) | peer address (4) | peer AS (4)
//! RIB_IPV4_UNICAST / RIB_IPV6_UNICAST: sequence (4) | prefix len (1) | prefix |
//!                    entry count (2) = 1 | peer index (2) | originated (4) | attr len (2) | attrs
//! ```
//!
//! Attributes: ORIGIN IGP, an empty AS_PATH (locally originated), MED for `sets` > 1, and
//! NEXT_HOP (IPv4) or the abbreviated MP_REACH_NLRI of §4.3.4 (next-hop length and next
//! hop only, IPv6).

use std::net::IpAddr;

use crate::routes::{self, Fam};

const TABLE_DUMP_V2: u16 = 13;
const PEER_INDEX_TABLE: u16 = 1;
const RIB_IPV4_UNICAST: u16 = 2;
const RIB_IPV6_UNICAST: u16 = 4;

fn record(out: &mut Vec<u8>, subtype: u16, body: &[u8]) {
    out.extend_from_slice(&0u32.to_be_bytes());
    out.extend_from_slice(&TABLE_DUMP_V2.to_be_bytes());
    out.extend_from_slice(&subtype.to_be_bytes());
    out.extend_from_slice(&(body.len() as u32).to_be_bytes());
    out.extend_from_slice(body);
}

fn attr(out: &mut Vec<u8>, flags: u8, code: u8, value: &[u8]) {
    out.extend_from_slice(&[flags, code, value.len() as u8]);
    out.extend_from_slice(value);
}

/// The dump of routes `0..count` of `fam`, one peer (127.0.0.1, AS 65000).
pub fn table_dump(fam: Fam, count: u64, sets: u64) -> Vec<u8> {
    let mut out = Vec::with_capacity(usize::try_from(count).unwrap_or(0) * 40 + 64);
    let mut peers = Vec::new();
    peers.extend_from_slice(&[127, 0, 0, 1]);
    peers.extend_from_slice(&0u16.to_be_bytes());
    peers.extend_from_slice(&1u16.to_be_bytes());
    peers.push(0x02);
    peers.extend_from_slice(&[127, 0, 0, 1, 127, 0, 0, 1]);
    peers.extend_from_slice(&65000u32.to_be_bytes());
    record(&mut out, PEER_INDEX_TABLE, &peers);
    let mut body = Vec::with_capacity(64);
    for i in 0..count {
        body.clear();
        body.extend_from_slice(&(i as u32).to_be_bytes());
        let len = fam.host_len();
        body.push(len);
        match routes::address(fam, i) {
            IpAddr::V4(a) => body.extend_from_slice(&a.octets()),
            IpAddr::V6(a) => body.extend_from_slice(&a.octets()),
        }
        body.extend_from_slice(&1u16.to_be_bytes());
        body.extend_from_slice(&0u16.to_be_bytes());
        body.extend_from_slice(&0u32.to_be_bytes());
        let mut attrs = Vec::with_capacity(40);
        attr(&mut attrs, 0x40, 1, &[0]);
        attr(&mut attrs, 0x40, 2, &[]);
        if let Some(med) = routes::med(i, sets) {
            attr(&mut attrs, 0x80, 4, &med.to_be_bytes());
        }
        match fam.next_hop() {
            IpAddr::V4(nh) => attr(&mut attrs, 0x40, 3, &nh.octets()),
            IpAddr::V6(nh) => {
                let mut value = vec![16];
                value.extend_from_slice(&nh.octets());
                attr(&mut attrs, 0x80, 14, &value);
            }
        }
        body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
        body.extend_from_slice(&attrs);
        let subtype = match fam {
            Fam::V4 => RIB_IPV4_UNICAST,
            Fam::V6 => RIB_IPV6_UNICAST,
        };
        record(&mut out, subtype, &body);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Walks the records: (subtype, body) pairs, checking every length adds up.
    fn records(mut dump: &[u8]) -> Vec<(u16, Vec<u8>)> {
        let mut out = Vec::new();
        while !dump.is_empty() {
            assert!(dump.len() >= 12);
            assert_eq!(u16::from_be_bytes([dump[4], dump[5]]), TABLE_DUMP_V2);
            let subtype = u16::from_be_bytes([dump[6], dump[7]]);
            let len = u32::from_be_bytes([dump[8], dump[9], dump[10], dump[11]]) as usize;
            out.push((subtype, dump[12..12 + len].to_vec()));
            dump = &dump[12 + len..];
        }
        out
    }

    #[test]
    fn one_peer_table_then_one_record_per_route() {
        for (fam, subtype, prefix_octets) in [(Fam::V4, 2, 4), (Fam::V6, 4, 16)] {
            let recs = records(&table_dump(fam, 300, 7));
            assert_eq!(recs.len(), 301);
            assert_eq!(recs[0].0, PEER_INDEX_TABLE);
            for (i, (st, body)) in recs[1..].iter().enumerate() {
                assert_eq!(*st, subtype);
                assert_eq!(body[..4], (i as u32).to_be_bytes());
                let at = 5 + prefix_octets;
                assert_eq!(body[at..at + 2], [0, 1], "one entry");
                let alen = usize::from(u16::from_be_bytes([body[at + 8], body[at + 9]]));
                assert_eq!(body.len(), at + 10 + alen);
            }
        }
    }
}
