//! Decodes arbitrary bytes as the NLRI field of one of the families Herald parses, chosen
//! with ADD-PATH and announce/withdraw by the first input octet, and checks that whatever
//! decodes re-encodes and decodes to the same value. FlowSpec has a target of its own
//! (`flow`), which also parses single rules.
#![no_main]

use herald_wire::{Afi, Family, Nlri, Reader, Safi, WireErrorKind};
use libfuzzer_sys::fuzz_target;

// each target uses part of it
#[allow(dead_code)]
#[path = "shared.rs"]
mod shared;

/// The families of the first octet's low four bits.
const FAMILIES: [(Afi, Safi); 16] = [
    (Afi::IPV4, Safi::UNICAST),
    (Afi::IPV6, Safi::UNICAST),
    (Afi::IPV4, Safi::MULTICAST),
    (Afi::IPV4, Safi::MPLS),
    (Afi::IPV6, Safi::MPLS),
    (Afi::IPV4, Safi::MPLS_VPN),
    (Afi::IPV6, Safi::MPLS_VPN),
    (Afi::L2VPN, Safi::EVPN),
    (Afi::L2VPN, Safi::VPLS),
    (Afi::IPV4, Safi::MCAST_VPN),
    (Afi::IPV6, Safi::MCAST_VPN),
    (Afi::IPV4, Safi::MUP),
    (Afi::IPV6, Safi::MUP),
    (Afi::BGP_LS, Safi::BGP_LS),
    (Afi::BGP_LS, Safi::BGP_LS_VPN),
    (Afi::IPV4, Safi::RTC),
];

fuzz_target!(|data: &[u8]| {
    let Some((&flags, field)) = data.split_first() else {
        return;
    };
    let (afi, safi) = FAMILIES[usize::from(flags & 0x0f)];
    let family = Family::new(afi, safi);
    let add_path = flags & 0x10 != 0;
    let withdraw = flags & 0x20 != 0;
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
    if !nlri.iter().any(shared::relabeled) {
        // The property under test: a panic here is the finding the fuzzer reports.
        assert_eq!(decode(&out).expect("re-encoded NLRI decodes"), nlri);
    }
});
