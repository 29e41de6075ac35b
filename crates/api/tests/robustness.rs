//! Nothing a helper writes or a peer sends makes the parser or the encoders panic, and the
//! JSON encoder always writes one valid JSON line.

use std::net::{IpAddr, Ipv4Addr};

use herald_api::{
    parse, Direction, Envelope, JsonEncoder, MessageEvent, NeighborInfo, TextEncoder,
};
use proptest::prelude::*;
use wire::{Asn, DecodeCtx, Family, Message};

fn neighbor() -> NeighborInfo {
    NeighborInfo {
        local_addr: IpAddr::V4(Ipv4Addr::LOCALHOST),
        peer_addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
        local_as: Asn(1),
        peer_as: Asn(2),
        router_id: Some(Ipv4Addr::new(1, 1, 1, 1)),
    }
}

/// Words of the command grammar, so that random lines get past the first word.
const WORDS: &[&str] = &[
    "announce",
    "withdraw",
    "route",
    "attributes",
    "nlri",
    "ipv4",
    "ipv6",
    "unicast",
    "eor",
    "route-refresh",
    "watchdog",
    "neighbor",
    "*",
    ",",
    "local-as",
    "teardown",
    "show",
    "adj-rib",
    "in",
    "out",
    "extensive",
    "json",
    "next-hop",
    "self",
    "10.0.0.0/24",
    "2001:db8::/32",
    "1.2.3.4",
    "as-path",
    "[",
    "]",
    "(",
    ")",
    "{",
    "}",
    "community",
    "65000:1",
    "split",
    "/25",
    "med",
    "100",
    "create",
    "delete",
    "label",
    "rd",
    "65000:1",
    "path-information",
    "#",
];

fn encode_all(message: &Message) {
    let env = Envelope {
        time: 1.5,
        host: "h\"ost",
        pid: 1,
        ppid: 1,
        counter: 3,
    };
    for treat_as_withdraw in [false, true] {
        for direction in [Direction::Receive, Direction::Send] {
            let event = MessageEvent {
                treat_as_withdraw,
                ..MessageEvent::new(direction, message)
            };
            let mut json = String::new();
            if JsonEncoder::default().message(&mut json, &env, &neighbor(), &event) {
                assert_eq!(json.matches('\n').count(), 1, "{json}");
                serde_json::from_str::<serde_json::Value>(&json)
                    .unwrap_or_else(|e| panic!("{e}: {json}"));
            }
            let mut text = String::new();
            TextEncoder.message(&mut text, &neighbor(), &event);
        }
    }
}

proptest! {
    #[test]
    fn parser_never_panics(line in "\\PC{0,80}") {
        let _ = parse(&line);
    }

    #[test]
    fn parser_never_panics_on_grammar_words(words in prop::collection::vec(prop::sample::select(WORDS), 0..14)) {
        let _ = parse(&words.join(" "));
    }

    #[test]
    fn encoders_never_panic_on_updates(body in prop::collection::vec(any::<u8>(), 0..120), add_path in any::<bool>()) {
        let mut raw = vec![0xff; 16];
        raw.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
        raw.push(2);
        raw.extend_from_slice(&body);
        let ctx = DecodeCtx {
            asn4: true,
            add_path: if add_path { vec![Family::IPV4_UNICAST, Family::IPV6_UNICAST] } else { Vec::new() },
            ..DecodeCtx::default()
        };
        if let Ok(decoded) = Message::decode(&raw, &ctx) {
            encode_all(&decoded.message);
        }
    }

    #[test]
    fn encoders_never_panic_on_framed_updates(
        attributes in prop::collection::vec(
            (prop::sample::select(&[0x40u8, 0x80, 0xc0, 0xe0, 0x50][..]),
             prop::sample::select(&[1u8, 2, 3, 4, 5, 6, 7, 8, 9, 10, 14, 15, 16, 17, 18, 22, 25, 26, 32, 99][..]),
             prop::collection::vec(any::<u8>(), 0..24)),
            0..6),
        prefixes in prop::collection::vec((0u8..=32, any::<[u8; 4]>()), 0..4),
    ) {
        let mut attrs = Vec::new();
        for (flags, code, data) in &attributes {
            attrs.push(*flags);
            attrs.push(*code);
            if flags & 0x10 != 0 {
                attrs.extend_from_slice(&(data.len() as u16).to_be_bytes());
            } else {
                attrs.push(data.len() as u8);
            }
            attrs.extend_from_slice(data);
        }
        let mut body = vec![0, 0];
        body.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
        body.extend_from_slice(&attrs);
        for (len, addr) in &prefixes {
            body.push(*len);
            body.extend_from_slice(&addr[..usize::from(len.div_ceil(8))]);
        }
        let mut raw = vec![0xff; 16];
        raw.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
        raw.push(2);
        raw.extend_from_slice(&body);
        if let Ok(decoded) = Message::decode(&raw, &DecodeCtx { asn4: true, ..DecodeCtx::default() }) {
            encode_all(&decoded.message);
        }
    }

    #[test]
    fn encoders_never_panic_on_other_messages(kind in 1u8..7, body in prop::collection::vec(any::<u8>(), 0..80)) {
        let mut raw = vec![0xff; 16];
        raw.extend_from_slice(&((19 + body.len()) as u16).to_be_bytes());
        raw.push(kind);
        raw.extend_from_slice(&body);
        if let Ok(decoded) = Message::decode(&raw, &DecodeCtx::default()) {
            encode_all(&decoded.message);
        }
        encode_all(&Message::Operational(body));
    }

    #[test]
    fn encoders_never_panic_on_bgp_ls_and_rtc(
        tlvs in prop::collection::vec(
            (prop_oneof![1024u16..1040, 1088u16..1110, 1152u16..1175, 1250u16..1253, any::<u16>()],
             prop::collection::vec(any::<u8>(), 0..40)),
            1..6),
        nlri_type in 1u16..8,
        protocol in 0u8..10,
        descriptors in prop::collection::vec(any::<u8>(), 0..40),
        rtc in prop::collection::vec(any::<u8>(), 0..30),
    ) {
        // A BGP-LS UPDATE: MP_REACH (AFI 16388, SAFI 71) with one NLRI whose descriptors
        // are random but framed, and the BGP-LS attribute with random TLV values.
        let mut ls = Vec::new();
        for (code, value) in &tlvs {
            ls.extend_from_slice(&code.to_be_bytes());
            ls.extend_from_slice(&(value.len() as u16).to_be_bytes());
            ls.extend_from_slice(value);
        }
        let mut body = vec![protocol];
        body.extend_from_slice(&[0; 8]);
        body.extend_from_slice(&256u16.to_be_bytes());
        body.extend_from_slice(&(descriptors.len() as u16).to_be_bytes());
        body.extend_from_slice(&descriptors);
        let mut nlri = nlri_type.to_be_bytes().to_vec();
        nlri.extend_from_slice(&(body.len() as u16).to_be_bytes());
        nlri.extend_from_slice(&body);
        for (afi, safi, field) in [(16388u16, 71u8, &nlri), (1, 132, &rtc)] {
            let mut mp = afi.to_be_bytes().to_vec();
            mp.extend_from_slice(&[safi, 4, 10, 0, 0, 1, 0]);
            mp.extend_from_slice(field);
            let mut attrs = vec![0x40, 1, 1, 0, 0x40, 2, 0, 0x90, 14];
            attrs.extend_from_slice(&(mp.len() as u16).to_be_bytes());
            attrs.extend_from_slice(&mp);
            attrs.extend_from_slice(&[0x90, 29]);
            attrs.extend_from_slice(&(ls.len() as u16).to_be_bytes());
            attrs.extend_from_slice(&ls);
            let mut raw = vec![0xff; 16];
            raw.extend_from_slice(&((23 + attrs.len()) as u16).to_be_bytes());
            raw.extend_from_slice(&[2, 0, 0]);
            raw.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
            raw.extend_from_slice(&attrs);
            if let Ok(decoded) = Message::decode(&raw, &DecodeCtx { asn4: true, ..DecodeCtx::default() }) {
                encode_all(&decoded.message);
            }
        }
    }
}
