use super::*;
use crate::hex::bytes as hex;

fn decode(bytes: &[u8], family: Family) -> Result<Vec<Nlri>, WireError> {
    Nlri::decode_field(
        &mut Reader::new(bytes),
        family,
        false,
        WireErrorKind::MalformedAttributeList,
    )
}

fn flow4() -> Family {
    Family::new(Afi::IPV4, Safi::FLOW)
}

fn flow6() -> Family {
    Family::new(Afi::IPV6, Safi::FLOW)
}

fn round_trip(bytes: &[u8], family: Family) -> Flow {
    let nlri = decode(bytes, family).unwrap();
    assert_eq!(nlri.len(), 1);
    let Nlri::Flow(flow) = &nlri[0] else {
        panic!("not a flow: {nlri:?}");
    };
    let mut out = Vec::new();
    nlri[0].encode(family, false, &mut out).unwrap();
    assert_eq!(out, bytes);
    assert_eq!(nlri[0].encoded_len(family, false), bytes.len());
    flow.clone()
}

#[test]
fn conf_flow_redirect_route() {
    // conf-flow: destination 192.168.0.1/32 source 10.0.0.2/32 protocol [ =udp =tcp ]
    // port [ =80 =8080 ] destination-port [ >8080&<8088 =3128 ] source-port >1024
    let bytes = hex("250120C0A8000102200A0000020301118106040150911F9005121F90541F98910C3806920400");
    let flow = round_trip(&bytes, flow4());
    assert_eq!(
        flow.text(Afi::IPV4, None),
        "flow destination-ipv4 192.168.0.1/32 source-ipv4 10.0.0.2/32 protocol [ =udp =tcp ] \
         port [ =80 =8080 ] destination-port [ >8080&<8088 =3128 ] source-port >1024"
    );
    assert_eq!(
        flow.components[4].values(),
        [">8080&<8088".to_owned(), "=3128".to_owned()]
    );
}

#[test]
fn ipv6_prefix_with_offset_and_flow_label() {
    // conf-flow: destination 2a02:b80:15::7aca:39ff:feae:a87a/128/0 source ::1/128/120
    // next-header =UDP traffic-class =101 flow-label =2013
    let bytes = hex(
        "300180002A020B80001500007ACA39FFFEAEA87A02807800000000000000000000000000000001\
         0381110B81650D9107DD",
    );
    let flow = round_trip(&bytes, flow6());
    assert_eq!(
        flow.text(Afi::IPV6, None),
        "flow destination-ipv6 2a02:b80:15:0:7aca:39ff:feae:a87a/128/0 source-ipv6 ::1/128/120 \
         next-header =udp traffic-class =101 flow-label =2013"
    );
}

#[test]
fn ipv6_offset_takes_the_whole_prefix() {
    // ExaBGP 5.0's form: /64 with offset 32 carries 8 octets.
    let bytes = hex("0B0140200000000020010DB8");
    let flow = round_trip(&bytes, flow6());
    assert_eq!(flow.components[0].values(), ["0:0:2001:db8::/64/32"]);
}

#[test]
fn bitmask_operators() {
    let flow = round_trip(&hex("050901048109"), flow4());
    assert_eq!(
        flow.text(Afi::IPV4, None),
        "flow tcp-flags [ =rst =fin+push ]"
    );
    let flow = round_trip(&hex("05090090C241"), flow4());
    assert_eq!(flow.components[0].values(), ["ack+cwr&!fin+ece"]);
    assert_eq!(
        flow.text(Afi::IPV4, None),
        "flow tcp-flags [ ack+cwr&!fin+ece ]"
    );
}

#[test]
fn vpn_and_extended_length() {
    let vpn = Family::new(Afi::IPV4, Safi::FLOW_VPN);
    let flow = round_trip(&hex("0E0000FFFF0001000002200A000001"), vpn);
    assert_eq!(
        flow.text(Afi::IPV4, Some("1.2.3.4".parse().unwrap())),
        "flow source-ipv4 10.0.0.1/32 rd 65535:65536 next-hop 1.2.3.4"
    );
    // 300 octets of value: 0xf12c.
    let mut big = Flow::default();
    let ops = (0..149).map(|i| Op::new(false, numeric::EQ, i)).collect();
    big.push_ops(ComponentType::PACKET_LENGTH, ops);
    let mut out = Vec::new();
    Nlri::Flow(big.clone())
        .encode(flow4(), false, &mut out)
        .unwrap();
    assert_eq!(&out[..2], &[0xf1, 0x2b]);
    assert_eq!(decode(&out, flow4()).unwrap(), vec![Nlri::Flow(big)]);
}

#[test]
fn malformed_values_stay_opaque() {
    for bad in [
        "00",                // no component (FRR CVE-2023-38406)
        "0303810603810A",    // protocol twice
        "06050181500381 06", // out of order
        "020E00",            // unknown type 14
        "020D81",            // flow label in IPv4
        "0303910106",        // protocol of 262 (two octets)
        "020381",            // truncated value
        "0301210A",          // /33
    ] {
        let bytes = hex(&bad.replace(' ', ""));
        let Ok(nlri) = decode(&bytes, flow4()) else {
            continue;
        };
        assert!(
            matches!(nlri.as_slice(), [Nlri::Opaque(_)]),
            "{bad}: {nlri:?}"
        );
    }
    // The length overruns the field: (3,10).
    let e = decode(&hex("0501200A00"), flow4()).unwrap_err();
    assert!(matches!(e.kind, WireErrorKind::InvalidNetworkField(_)));
    let e = decode(&hex("F1"), flow4()).unwrap_err();
    assert!(matches!(e.kind, WireErrorKind::InvalidNetworkField(_)));
}

#[test]
fn reception_ignores_reserved_bits() {
    // Numeric 0x09 (reserved 0x08 set) reads as =; the first AND bit is cleared.
    let nlri = decode(&hex("0303C906"), flow4()).unwrap();
    let Nlri::Flow(flow) = &nlri[0] else { panic!() };
    assert_eq!(flow.text(Afi::IPV4, None), "flow protocol =tcp");
    // IPv6 has no don't-fragment bit.
    let nlri = decode(&hex("030C8103"), flow6()).unwrap();
    let Nlri::Flow(flow) = &nlri[0] else { panic!() };
    assert_eq!(flow.text(Afi::IPV6, None), "flow fragment =is-fragment");
}

#[test]
fn names_parse() {
    use text::parse_value;
    assert_eq!(parse_value(ComponentType::PROTOCOL, "TCP"), Some(6));
    assert_eq!(
        parse_value(ComponentType::DESTINATION_PORT, "https"),
        Some(443)
    );
    assert_eq!(parse_value(ComponentType::TCP_FLAGS, "syn+ack"), Some(0x12));
    assert_eq!(parse_value(ComponentType::TCP_FLAGS, "urgent"), Some(0x20));
    assert_eq!(
        parse_value(ComponentType::FRAGMENT, "is-fragment"),
        Some(0x02)
    );
    assert_eq!(
        parse_value(ComponentType::ICMP_TYPE, "echo-request"),
        Some(8)
    );
    assert_eq!(parse_value(ComponentType::PROTOCOL, "300"), None);
    assert_eq!(parse_value(ComponentType::PROTOCOL, "bogus"), None);
}
