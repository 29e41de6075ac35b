use super::*;

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02X}")).collect()
}

fn parse(text: &str) -> Route {
    let words = super::super::split_words(text);
    let words: Vec<&str> = words.iter().map(String::as_str).collect();
    parse_flow(&words).unwrap()
}

fn nlri(route: &Route) -> String {
    let mut out = Vec::new();
    route.nlri.encode(route.family, false, &mut out).unwrap();
    hex(&out)
}

fn ext(route: &Route) -> Vec<String> {
    route
        .attributes
        .iter()
        .filter_map(|a| match a {
            Attribute::ExtCommunities(c) => Some(c.iter().map(|c| hex(&c.0)).collect::<Vec<_>>()),
            _ => None,
        })
        .flatten()
        .collect()
}

#[test]
fn conf_flow_routes_encode_as_the_corpus() {
    // Bytes from encoding/conf-flow.msg.
    let r = parse("rd 65535:65536; match { source 10.0.0.1/32; } then { discard; }");
    assert_eq!(r.family, Family::new(Afi::IPV4, Safi::FLOW_VPN));
    assert_eq!(nlri(&r), "0E0000FFFF0001000002200A000001");
    assert_eq!(ext(&r), ["8006000000000000"]);

    let r = parse(
        "match { source 10.0.0.9/32; destination 192.168.0.1/32; port [ =80 =8080 ]; \
         destination-port [ >8080&<8088 =3128 ]; source-port >1024; protocol [ udp tcp ]; } \
         then { redirect 65500:12345; }",
    );
    assert_eq!(
        nlri(&r),
        "250120C0A8000102200A0000090301118106040150911F9005121F90541F98910C3806920400"
    );
    assert_eq!(ext(&r), ["8008FFDC00003039"]);

    let r = parse("match { destination 192.168.0.1/32; } then { redirect 1.2.3.4; }");
    assert_eq!(r.next_hop, NextHop::Ip("1.2.3.4".parse().unwrap()));
    assert_eq!(ext(&r), ["0800000000000000"]);

    let r = parse(
        "match { source ::1/128/120; destination 2a02:b80:15::7aca:39ff:feae:a87a/128/0; \
         next-header udp; traffic-class 101; flow-label 2013; } then { discard; }",
    );
    assert_eq!(r.family, Family::new(Afi::IPV6, Safi::FLOW));
    assert_eq!(
        nlri(&r),
        "300180002A020B80001500007ACA39FFFEAEA87A0280780000000000000000000000000000000103811\
         10B81650D9107DD"
    );

    let r = parse(
        "match { source 10.0.0.1/32; destination 10.0.0.2/32; destination-port =3128; \
         protocol tcp; tcp-flags [SYN RST&FIN&!=push]; } then { discard; }",
    );
    assert_eq!(
        nlri(&r),
        "1C01200A00000202200A00000103810605910C3809000200044001C308"
    );

    let r = parse("match { packet-length [ >200&<300 >400&<500 ]; } then { mark 10; }");
    assert_eq!(nlri(&r), "0C0A02C854012C120190D401F4");
    assert_eq!(ext(&r), ["800900000000000A"]);

    let r = parse("match { fragment [ last-fragment ]; } then { action sample-terminal; }");
    assert_eq!(nlri(&r), "030C8008");
    assert_eq!(ext(&r), ["8007000000000003"]);

    let r = parse(
        "match { source 10.0.0.10/32; destination 192.168.0.1/32; port [ !=0 ]; \
         destination-port [ !=443 ]; source-port [ !=80 !=8080 ]; protocol [ !=tcp ]; } \
         then { discard; }",
    );
    assert_eq!(
        nlri(&r),
        "1C0120C0A8000102200A00000A038606048600059601BB060650961F90"
    );
}

#[test]
fn api_one_line_and_actions() {
    let r = parse("destination 198.51.100.6/32 rate-limit 1000 packets");
    assert_eq!(ext(&r), ["800C0000447A0000"]);
    let r = parse("source 10.0.0.0/24 destination-port =3128 protocol tcp rate-limit 9600");
    assert_eq!(ext(&r), ["8006000046160000"]);
    let r = parse("destination 10.0.0.0/8 redirect 258:33756718 community [ 65000:666 ]");
    assert_eq!(ext(&r), ["80080102020316 2E".replace(' ', "")]);
    assert!(matches!(r.attributes[1], Attribute::Communities(_)) || r.attributes.len() == 2);
    let r = parse("destination 10.0.0.0/8 redirect 4200000000:1");
    assert_eq!(ext(&r), ["8208FA56EA000001"]);
    let r = parse("destination 10.0.0.0/8 copy 1.2.3.4");
    assert_eq!(ext(&r), ["0800000000000001"]);
    let r = parse("destination 10.0.0.0/8 redirect-to-nexthop-ietf 1.2.3.4");
    assert_eq!(ext(&r), ["010C010203040000"]);
    let r = parse("destination 10.0.0.0/8 discard interface-set transitive:input:1234:1234");
    assert_eq!(
        ext(&r),
        [
            "070200000 4D244D2".replace(' ', ""),
            "8006000000000000".to_owned()
        ]
    );
}

#[test]
fn errors_point_at_the_word() {
    let words = ["destination", "10.0.0.0/8", "protocol", "bogus"];
    let e = parse_flow(&words).unwrap_err();
    assert_eq!(e.index, 3);
    let e = parse_flow(&["discard"]).unwrap_err();
    assert!(e.reason.contains("match component"));
    assert!(parse_flow(&["source", "10.0.0.0/8", "destination", "::1/128"]).is_err());
    assert!(parse_flow(&["source", "10.0.0.0/8", "flow-label", "1"]).is_err());
}
