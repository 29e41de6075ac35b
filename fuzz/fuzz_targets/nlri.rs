//! Decodes arbitrary bytes as the NLRI field of a labeled (RFC 8277), VPN (RFC 4364,
//! 4659), unicast, multicast, BGP-LS (RFC 7752, SAFI 71/72) or RTC (RFC 4684) family,
//! chosen with ADD-PATH and announce/withdraw by the first input octet, and checks that
//! whatever decodes re-encodes and decodes to the same value (for BGP-LS and RTC, to the
//! same octets).
#![no_main]

use herald_wire::{Afi, Family, Nlri, Reader, Safi, WireErrorKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, field)) = data.split_first() else {
        return;
    };
    let afi = if flags & 0x01 != 0 { Afi::IPV6 } else { Afi::IPV4 };
    let safi = match (flags >> 1) & 0x03 {
        0 => Safi::MPLS,
        1 => Safi::MPLS_VPN,
        2 => Safi::UNICAST,
        _ => Safi::MULTICAST,
    };
    let family = match (flags >> 5) & 0x03 {
        1 => Family::new(Afi::BGP_LS, Safi::BGP_LS),
        2 => Family::new(Afi::BGP_LS, Safi::BGP_LS_VPN),
        3 => Family::new(Afi::IPV4, Safi::RTC),
        _ => Family::new(afi, safi),
    };
    let exact = (flags >> 5) & 0x03 != 0;
    let add_path = flags & 0x08 != 0;
    let withdraw = flags & 0x10 != 0;
    let decode = |bytes: &[u8]| {
        let mut r = Reader::new(bytes);
        let kind = WireErrorKind::MalformedAttributeList;
        if withdraw {
            Nlri::decode_withdrawn(&mut r, family, add_path, kind)
        } else {
            Nlri::decode_field(&mut r, family, add_path, kind)
        }
    };
    let Ok(nlri) = decode(field) else {
        return;
    };
    let mut out = Vec::new();
    for n in &nlri {
        n.encode(family, add_path, &mut out)
            // The property under test: a panic here is the finding the fuzzer reports.
            .expect("a decoded NLRI encodes");
    }
    if exact {
        // The property under test: BGP-LS and RTC entries keep their octets.
        assert_eq!(out, field);
    }
    // A first label of 0 whose TC bits kept the stack going re-encodes as the RFC 3107
    // next-hop convention, which ends the stack: the one value that reads back otherwise.
    let ambiguous = nlri.iter().any(|n| {
        matches!(n, Nlri::Labeled { labels, .. } if labels.len() > 1 && labels[0].value() == 0)
    });
    if !ambiguous {
        // The property under test: a panic here is the finding the fuzzer reports.
    assert_eq!(decode(&out).expect("re-encoded NLRI decodes"), nlri);
    }
});
