//! Decodes arbitrary bytes as the path attribute list of an UPDATE announcing 10.0.0.0/8,
//! with a context from the first input octet (same bits as the `message` target), and
//! checks that whatever decodes re-encodes to the same value.
#![no_main]

use herald_wire::{DecodeCtx, EncodeCtx, Family, Message};
use libfuzzer_sys::fuzz_target;

// each target uses part of it
#[allow(dead_code)]
#[path = "shared.rs"]
mod shared;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, attrs)) = data.split_first() else {
        return;
    };
    let Ok(attr_len) = u16::try_from(attrs.len()) else {
        return;
    };
    let mut add_path = Vec::new();
    if flags & 0x04 != 0 {
        add_path.push(Family::IPV4_UNICAST);
    }
    if flags & 0x08 != 0 {
        add_path.push(Family::IPV6_UNICAST);
    }
    let ctx = DecodeCtx {
        asn4: flags & 0x01 != 0,
        extended_message: true,
        add_path: add_path.clone(),
        ibgp: match (flags >> 4) & 0x03 {
            1 => Some(true),
            2 => Some(false),
            _ => None,
        },
        // AIGP read (RFC 7311 AIGP_SESSION enabled), so that its decoder is fuzzed too.
        aigp: true,
        ..DecodeCtx::default()
    };
    let nlri: &[u8] = if flags & 0x04 != 0 {
        &[0, 0, 0, 1, 8, 10]
    } else {
        &[8, 10]
    };
    let len = 19 + 4 + attrs.len() + nlri.len();
    let Ok(len) = u16::try_from(len) else {
        return;
    };
    let mut m = vec![0xff; 16];
    m.extend_from_slice(&len.to_be_bytes());
    m.extend_from_slice(&[2, 0, 0]);
    m.extend_from_slice(&attr_len.to_be_bytes());
    m.extend_from_slice(attrs);
    m.extend_from_slice(nlri);
    let Ok(decoded) = Message::decode(&m, &ctx) else {
        return;
    };
    let ctx4 = DecodeCtx { asn4: true, ..ctx };
    let enc = EncodeCtx {
        asn4: true,
        extended_message: true,
        add_path,
        aigp: true,
        ..EncodeCtx::default()
    };
    let Ok(bytes) = decoded.message.to_bytes(&enc) else {
        return;
    };
    if shared::has_relabeled(&decoded.message) {
        return;
    }
    let again = Message::decode(&bytes, &ctx4).expect("re-encoded message decodes");
    assert_eq!(again.message, decoded.message, "decode(encode(m)) == m");
});
