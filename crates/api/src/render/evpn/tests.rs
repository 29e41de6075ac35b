//! Expected strings are ExaBGP 5.0.15's `str()` and `json()` of the same routes
//! (printed by its `EVPN.unpack_nlri` from the hex below).

use wire::{Afi, Family, Nlri, Reader, Safi, WireErrorKind};

use super::{json, text};

fn route(hex: &str) -> wire::nlri::Evpn {
    let bytes = wire::hex::decode(hex).unwrap();
    let nlri = Nlri::decode_field(
        &mut Reader::new(&bytes),
        Family::new(Afi::L2VPN, Safi::EVPN),
        false,
        WireErrorKind::MalformedAttributeList,
    )
    .unwrap();
    match nlri.as_slice() {
        [Nlri::Evpn(r)] => (**r).clone(),
        other => panic!("not one EVPN route: {other:?}"),
    }
}

const CASES: &[(&str, &str, &str)] = &[
    (
        "02250001252C372E0001000000000000000000000000051530E88088308BE9200A22100A000000",
        "evpn:macadv::37.44.55.46:1:-:1301:E8:80:88:30:8B:E9/48:10.34.16.10: label 0",
        r#"{ "code": 2, "parsed": true, "raw": "02250001252C372E0001000000000000000000000000051530E88088308BE9200A22100A000000", "name": "MAC/IP advertisement", "rd": "37.44.55.46:1", "esi": "-", "ethernet-tag": 1301, "mac": "E8:80:88:30:8B:E9", "label": [ [0] ], "ip": "10.34.16.10" }"#,
    ),
    (
        "01190000FDE800000064001122334455667788990000000A000641",
        "evpn:ethernetad::65000:100:00:11:22:33:44:55:66:77:88:99:10: label 100 (1601)",
        r#"{ "code": 1, "parsed": true, "raw": "01190000FDE800000064001122334455667788990000000A000641", "name": "Ethernet Auto-Discovery", "rd": "65000:100", "esi": "00:11:22:33:44:55:66:77:88:99", "ethernet-tag": 10, "label": [ [100, 1601] ] }"#,
    ),
    (
        "03110000FDE8000000640000000020C0000201",
        "evpn:multicast::65000:100:0:192.0.2.1",
        r#"{ "code": 3, "parsed": true, "raw": "03110000FDE8000000640000000020C0000201", "name": "Inclusive Multicast Ethernet Tag", "rd": "65000:100", "ethernet-tag": 0, "ip": "192.0.2.1" }"#,
    ),
    (
        "05220000FDE800000064001122334455667788990000000118C6336400C0000201000641",
        "evpn:prfxadv::65000:100:00:11:22:33:44:55:66:77:88:99:1:198.51.100.0/24:192.0.2.1: label 100 (1601)",
        r#"{ "code": 5, "parsed": true, "raw": "05220000FDE800000064001122334455667788990000000118C6336400C0000201000641", "name": "IP Prefix Advertisement", "rd": "65000:100", "esi": "00:11:22:33:44:55:66:77:88:99", "ethernet-tag": 1, "label": [ [100, 1601] ], "ip": "198.51.100.0", "iplen": 24, "gateway": "192.0.2.1" }"#,
    ),
    (
        "08030102AB",
        "evpn:unknown:0x0102ab",
        r#"{ "code": 8, "parsed": false, "raw": "08030102AB" }"#,
    ),
    (
        "02210001252C37230007000000000000000000000000029630F4A739D1F0B000000000",
        "evpn:macadv::37.44.55.35:7:-:662:F4:A7:39:D1:F0:B0/48:: label 0",
        r#"{ "code": 2, "parsed": true, "raw": "02210001252C37230007000000000000000000000000029630F4A739D1F0B000000000", "name": "MAC/IP advertisement", "rd": "37.44.55.35:7", "esi": "-", "ethernet-tag": 662, "mac": "F4:A7:39:D1:F0:B0", "label": [ [0] ] }"#,
    ),
    (
        "04170000FDE8000000640011223344556677889920C0000201",
        "evpn:segment::65000:100:00:11:22:33:44:55:66:77:88:99:192.0.2.1",
        r#"{ "code": 4, "parsed": true, "raw": "04170000FDE8000000640011223344556677889920C0000201", "name": "Ethernet Segment", "rd": "65000:100", "esi": "00:11:22:33:44:55:66:77:88:99", "ip": "192.0.2.1" }"#,
    ),
];

#[test]
fn json_and_text_are_exabgps() {
    for (hex, want_text, want_json) in CASES {
        let r = route(hex);
        let mut out = String::new();
        json(&mut out, &r);
        assert_eq!(out, *want_json);
        out.clear();
        text(&mut out, &r);
        assert_eq!(out, *want_text);
    }
}
