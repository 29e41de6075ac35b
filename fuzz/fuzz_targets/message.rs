//! Decodes arbitrary bytes as one BGP message with a context taken from the first input
//! octet, then re-encodes what decoded and checks that it decodes to the same value.
//!
//! Input layout: octet 0 selects the context (bit 0 ASN4, bit 1 extended message, bit 2
//! ADD-PATH IPv4 unicast, bit 3 ADD-PATH IPv6 unicast, bits 4–5 iBGP unknown / yes / no,
//! bit 6 enforce first AS 65000); the rest is the message body, after a header built
//! from octet 1 (the type) so that the fuzzer spends its time past framing. With bit 7
//! set the rest is taken as a whole message, header included.
#![no_main]

use herald_wire::{Asn, DecodeCtx, EncodeCtx, Family, Message};
use libfuzzer_sys::fuzz_target;

// each target uses part of it
#[allow(dead_code)]
#[path = "shared.rs"]
mod shared;

fn ctx(flags: u8) -> DecodeCtx {
    let mut add_path = Vec::new();
    if flags & 0x04 != 0 {
        add_path.push(Family::IPV4_UNICAST);
    }
    if flags & 0x08 != 0 {
        add_path.push(Family::IPV6_UNICAST);
    }
    DecodeCtx {
        asn4: flags & 0x01 != 0,
        extended_message: flags & 0x02 != 0,
        add_path,
        extended_next_hop: Vec::new(),
        ibgp: match (flags >> 4) & 0x03 {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        },
        first_as: (flags & 0x40 != 0).then_some(Asn(65000)),
        // AIGP read (RFC 7311 AIGP_SESSION enabled), so that its decoder is fuzzed too.
        aigp: true,
    }
}

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let ctx = ctx(flags);
    let message = if flags & 0x80 != 0 {
        rest.to_vec()
    } else {
        let Some((&kind, body)) = rest.split_first() else {
            return;
        };
        let mut m = vec![0xff; 16];
        m.extend_from_slice(&((19 + body.len()).min(0xffff) as u16).to_be_bytes());
        m.push(kind);
        m.extend_from_slice(body);
        m
    };
    let _ = herald_wire::frame(&message, ctx.max_message_len());
    let Ok(decoded) = Message::decode(&message, &ctx) else {
        return;
    };
    // Re-encode with four-octet ASNs (the two-octet form with AS4_PATH is lossy by
    // design, RFC 6793 §4.2.3) and compare.
    let ctx4 = DecodeCtx {
        asn4: true,
        ..ctx.clone()
    };
    let enc = EncodeCtx {
        asn4: true,
        extended_message: ctx.extended_message,
        add_path: ctx.add_path.clone(),
        extended_next_hop: Vec::new(),
        aigp: ctx.aigp,
    };
    let mut out = Vec::new();
    if decoded.message.encode(&enc, &mut out).is_err() {
        return;
    }
    if shared::has_relabeled(&decoded.message) {
        return;
    }
    let again = Message::decode(&out, &ctx4).expect("re-encoded message decodes");
    assert_eq!(again.message, decoded.message, "decode(encode(m)) == m");
});
