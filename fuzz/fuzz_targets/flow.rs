//! The FlowSpec component parser (RFC 8955 §4.2, RFC 8956 §3) on arbitrary bytes: the
//! first octet picks IPv4 or IPv6 and flow or flow-vpn, the rest is one NLRI field. It
//! must never panic, and what decodes as a flow must re-encode and decode to the same
//! value.
#![no_main]

use herald_wire::nlri::flow::parse_components;
use herald_wire::nlri::Flow;
use herald_wire::{Afi, Family, Nlri, Reader, Safi, WireErrorKind};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&flags, rest)) = data.split_first() else {
        return;
    };
    let afi = if flags & 1 == 0 { Afi::IPV4 } else { Afi::IPV6 };
    let safi = if flags & 2 == 0 {
        Safi::FLOW
    } else {
        Safi::FLOW_VPN
    };
    let family = Family::new(afi, safi);
    if let Some(components) = parse_components(rest, afi) {
        let flow = Nlri::Flow(Flow {
            path_id: None,
            rd: None,
            components,
        });
        let plain = Family::new(afi, Safi::FLOW);
        let mut out = Vec::new();
        if flow.encode(plain, false, &mut out).is_ok() {
            let again = Nlri::decode_field(
                &mut Reader::new(&out),
                plain,
                false,
                WireErrorKind::MalformedAttributeList,
            )
            // The property under test: a panic here is the finding the fuzzer reports.
            .expect("re-encoded flow decodes");
            assert_eq!(again, vec![flow]);
        }
    }
    let Ok(nlri) = Nlri::decode_field(
        &mut Reader::new(rest),
        family,
        flags & 4 != 0,
        WireErrorKind::MalformedAttributeList,
    ) else {
        return;
    };
    let mut out = Vec::new();
    for n in &nlri {
        n.encode(family, flags & 4 != 0, &mut out)
            // The property under test: a panic here is the finding the fuzzer reports.
            .expect("decoded NLRI encodes");
    }
    let again = Nlri::decode_field(
        &mut Reader::new(&out),
        family,
        flags & 4 != 0,
        WireErrorKind::MalformedAttributeList,
    )
    // The property under test: a panic here is the finding the fuzzer reports.
    .expect("re-encoded NLRI decodes");
    assert_eq!(again, nlri, "decode(encode(n)) == n");
});
