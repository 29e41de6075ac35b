//! Property tests for FlowSpec NLRI (RFC 8955, RFC 8956): `decode(encode(f)) == f` for
//! flows of every component type, and no input makes the component parser panic (what
//! decodes reads back after re-encoding).

use std::net::{Ipv4Addr, Ipv6Addr};

use herald_wire::nlri::flow::{parse_components, Component, ComponentType, Op};
use herald_wire::nlri::{Flow, RouteDistinguisher};
use herald_wire::{Afi, Family, Nlri, Reader, Safi, WireErrorKind};
use ipnet::{IpNet, Ipv4Net, Ipv6Net};
use proptest::prelude::*;

fn family() -> impl Strategy<Value = Family> {
    (prop::bool::ANY, prop::bool::ANY).prop_map(|(v6, vpn)| {
        Family::new(
            if v6 { Afi::IPV6 } else { Afi::IPV4 },
            if vpn { Safi::FLOW_VPN } else { Safi::FLOW },
        )
    })
}

fn prefix_component(kind: ComponentType, afi: Afi) -> BoxedStrategy<Component> {
    if afi == Afi::IPV4 {
        (any::<u32>(), 0u8..=32)
            .prop_map(move |(a, len)| {
                let net = IpNet::V4(Ipv4Net::new(Ipv4Addr::from(a), len).unwrap());
                Component::prefix(kind, net, 0)
            })
            .boxed()
    } else {
        (any::<u128>(), 1u8..=128, any::<u8>())
            .prop_map(move |(a, len, off)| {
                let net = IpNet::V6(Ipv6Net::new(Ipv6Addr::from(a), len).unwrap());
                Component::prefix(kind, net, off % len)
            })
            .boxed()
    }
}

fn ops(kind: ComponentType) -> impl Strategy<Value = Component> {
    let limit = kind.value_limit();
    let mask = if kind.is_bitmask() { 3 } else { 7 };
    let fragment = kind == ComponentType::FRAGMENT;
    prop::collection::vec((any::<bool>(), any::<u8>(), 0..limit), 1..5).prop_map(move |v| {
        let ops = v
            .into_iter()
            .enumerate()
            .map(|(i, (and, bits, value))| {
                // IPv6 has no don't-fragment bit; both families keep the low nibble.
                let value = if fragment { value & 0x0e } else { value };
                Op::new(and && i > 0, bits & mask, value)
            })
            .collect();
        Component::Ops { kind, ops }
    })
}

fn flow(family: Family) -> impl Strategy<Value = Flow> {
    let afi = family.afi;
    let last = if afi == Afi::IPV6 { 13u8 } else { 12 };
    let kinds = prop::collection::btree_set(1u8..=last, 1..6);
    let rd = any::<[u8; 8]>().prop_map(RouteDistinguisher);
    (kinds, rd).prop_flat_map(move |(kinds, rd)| {
        let comps: Vec<BoxedStrategy<Component>> = kinds
            .into_iter()
            .map(|k| {
                let kind = ComponentType(k);
                if kind.is_prefix() {
                    prefix_component(kind, afi)
                } else {
                    ops(kind).boxed()
                }
            })
            .collect();
        let vpn = family.safi == Safi::FLOW_VPN;
        comps.prop_map(move |components| Flow {
            path_id: None,
            rd: vpn.then_some(rd),
            components,
        })
    })
}

fn decode(bytes: &[u8], family: Family) -> Result<Vec<Nlri>, herald_wire::WireError> {
    Nlri::decode_field(
        &mut Reader::new(bytes),
        family,
        false,
        WireErrorKind::MalformedAttributeList,
    )
}

proptest! {
    #[test]
    fn flow_round_trips((family, flow) in family().prop_flat_map(|f| (Just(f), flow(f)))) {
        let nlri = Nlri::Flow(flow);
        let mut out = Vec::new();
        nlri.encode(family, false, &mut out).unwrap();
        prop_assert_eq!(out.len(), nlri.encoded_len(family, false));
        prop_assert_eq!(decode(&out, family).unwrap(), vec![nlri]);
    }

    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..64), v6 in any::<bool>()) {
        let afi = if v6 { Afi::IPV6 } else { Afi::IPV4 };
        if let Some(components) = parse_components(&bytes, afi) {
            let flow = Flow { path_id: None, rd: None, components };
            let family = Family::new(afi, Safi::FLOW);
            let mut out = Vec::new();
            Nlri::Flow(flow.clone()).encode(family, false, &mut out).unwrap();
            prop_assert_eq!(decode(&out, family).unwrap(), vec![Nlri::Flow(flow)]);
        }
        for family in [Family::new(afi, Safi::FLOW), Family::new(afi, Safi::FLOW_VPN)] {
            let _ = decode(&bytes, family);
        }
    }
}
