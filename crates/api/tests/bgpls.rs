//! BGP-LS (RFC 7752, RFC 9085, RFC 9514) and RTC (RFC 4684) UPDATEs printed exactly as
//! ExaBGP 5.0.15 prints them.
//!
//! `tests/golden/bgp-ls-rtc.tsv`: name, the UPDATE body in hex (hand-made by
//! `tests/golden/gen_bgp_ls.py` to cover every BGP-LS attribute TLV ExaBGP decodes, the
//! merging of repeated TLVs, each NLRI type, withdrawals, and RTC routes), and the
//! `"message": …` part of the line `exabgp decode` printed for it. The comparison is on
//! the text, so duplicated keys (`"sr-adj"` twice) and their order count.

use std::net::{IpAddr, Ipv4Addr};

use herald_api::{Direction, Envelope, JsonEncoder, MessageEvent, NeighborInfo};
use wire::{Asn, DecodeCtx, Message};

fn unhex(hex: &str) -> Vec<u8> {
    wire::hex::decode(hex).unwrap()
}

#[test]
fn messages_equal_exabgp_text() {
    let table = include_str!("golden/bgp-ls-rtc.tsv");
    let env = Envelope {
        time: 1.0,
        host: "vm",
        pid: 1,
        ppid: 1,
        counter: 1,
    };
    let neighbor = NeighborInfo {
        local_addr: IpAddr::V4(Ipv4Addr::LOCALHOST),
        peer_addr: IpAddr::V4(Ipv4Addr::LOCALHOST),
        local_as: Asn(65533),
        peer_as: Asn(65533),
        router_id: Some(Ipv4Addr::new(10, 0, 0, 2)),
    };
    let ctx = DecodeCtx {
        asn4: true,
        extended_message: true,
        ..DecodeCtx::default()
    };
    let mut checked = 0;
    for line in table.lines().filter(|l| !l.is_empty()) {
        let mut fields = line.splitn(3, '\t');
        let (name, hex, want) = (
            fields.next().unwrap(),
            fields.next().unwrap(),
            fields.next().unwrap(),
        );
        let body = unhex(hex);
        let mut frame = vec![0xff; 16];
        frame.extend_from_slice(&u16::try_from(body.len() + 19).unwrap().to_be_bytes());
        frame.push(2);
        frame.extend_from_slice(&body);
        let decoded = Message::decode(&frame, &ctx).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!decoded.treat_as_withdraw(), "{name}: {:?}", decoded.issues);
        let event = MessageEvent::new(Direction::Receive, &decoded.message);
        let mut json = String::new();
        assert!(JsonEncoder::default().message(&mut json, &env, &neighbor, &event));
        let got = &json[json.find("\"message\"").unwrap()..];
        assert_eq!(got.trim_end(), want, "{name}");
        checked += 1;
    }
    assert_eq!(checked, 7);
}
