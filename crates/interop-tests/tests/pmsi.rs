//! The PMSI Tunnel attribute (type 22, RFC 6514 §5) on an EVPN Inclusive Multicast route
//! (RFC 7432 §11.2): `herald decode` prints what `exabgp decode` (ExaBGP 5.0.15) prints
//! for the same UPDATE, for every tunnel type form ExaBGP distinguishes; the malformed
//! values are handled per RFC 7606 (treat-as-withdraw) where ExaBGP differs.

use herald_interop_tests::differential::{comparable, exabgp_outputs, herald_outputs, Case};
use herald_interop_tests::herald::herald_binary;

fn hex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// An iBGP UPDATE: ORIGIN, empty AS_PATH, LOCAL_PREF, route target 65000:2, the PMSI
/// attribute with `flags` (two length octets with Extended Length) and `value`, and an
/// MP_REACH_NLRI with the EVPN type 3 route RD 65000:2, Ethernet Tag 20, originating
/// router 192.0.2.1, next hop 192.0.2.1.
fn update(flags: u8, value: &str) -> String {
    let mut attrs = hex(concat!(
        "40010100",
        "400200",
        "40050400000064",
        "c010080002fde800000002"
    ));
    let value = hex(value);
    attrs.extend_from_slice(&[flags, 0x16]);
    if flags & 0x10 != 0 {
        attrs.extend_from_slice(&(value.len() as u16).to_be_bytes());
    } else {
        attrs.push(value.len() as u8);
    }
    attrs.extend_from_slice(&value);
    // AFI 25, SAFI 70, next hop, reserved, the route.
    let mp = hex(concat!(
        "001946",
        "04c0000201",
        "00",
        "03110000fde8000000020000001420c0000201"
    ));
    attrs.extend_from_slice(&[0x80, 0x0e, mp.len() as u8]);
    attrs.extend_from_slice(&mp);
    let mut msg = vec![0xff; 16];
    msg.extend_from_slice(&((19 + 4 + attrs.len()) as u16).to_be_bytes());
    msg.extend_from_slice(&[2, 0, 0]);
    msg.extend_from_slice(&(attrs.len() as u16).to_be_bytes());
    msg.extend_from_slice(&attrs);
    msg.iter().map(|b| format!("{b:02x}")).collect()
}

fn run(cases: &[(&str, String)]) -> Vec<(String, String, String)> {
    let cases: Vec<Case> = cases
        .iter()
        .map(|(id, hex)| Case {
            id: (*id).to_owned(),
            args: vec![hex.clone()],
        })
        .collect();
    let herald = herald_outputs(&herald_binary().expect("herald"), &cases).expect("herald decode");
    let exabgp = exabgp_outputs(&cases).expect("exabgp decode");
    cases
        .into_iter()
        .zip(herald.into_iter().zip(exabgp))
        .map(|(c, (h, e))| (c.id, h, e))
        .collect()
}

#[test]
fn herald_prints_the_pmsi_tunnel_as_exabgp_does() {
    let cases = [
        (
            "ingress replication, IPv4, MPLS label",
            update(0xc0, "0006000641c0000201"),
        ),
        (
            "ingress replication, IPv4, VNI",
            update(0xc0, "000600012cc0000201"),
        ),
        (
            "ingress replication, zero label",
            update(0xc0, "0006000000c0000201"),
        ),
        (
            "ingress replication, IPv6",
            update(0xc0, "000600064120010db8000000000000000000000001"),
        ),
        (
            "ingress replication, identifier of 3 octets",
            update(0xc0, "0006000641c00002"),
        ),
        (
            "leaf information required",
            update(0xc0, "0106000641c0000201"),
        ),
        ("no tunnel", update(0xc0, "0100000000")),
        ("no tunnel with a label", update(0xc0, "0000000641")),
        (
            "RSVP-TE P2MP",
            update(0xc0, "01010000000001000200030004c0000201"),
        ),
        ("mLDP P2MP", update(0xc0, "000200000006010004c0000201")),
        ("PIM-SSM", update(0xc0, "000300000ac0000201e8000001")),
        ("mLDP MP2MP", update(0xc0, "000700000006010004c0000201")),
        ("unknown type", update(0xc0, "00ff000000aabb")),
        ("extended length", update(0xd0, "0006000641c0000201")),
    ];
    let mut failures = Vec::new();
    for (id, herald, exabgp) in run(&cases) {
        let (h, e) = (comparable(&herald), comparable(&exabgp));
        let shown = e.as_ref().and_then(|v| {
            v.pointer("/neighbor/message/update/attribute/pmsi")
                .cloned()
        });
        if shown.is_none() {
            failures.push(format!("{id}: ExaBGP printed no pmsi: {exabgp}"));
        } else if h.is_none() || h != e {
            failures.push(format!("{id}:\n  herald: {herald}\n  exabgp: {exabgp}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// RFC 7606: a PMSI tunnel shorter than its 5-octet fixed part, or with flags in conflict
/// with optional transitive (§3 c), makes the UPDATE treat-as-withdraw. ExaBGP 5.0.15
/// resets the session on the first (its decode prints `invalid payload`) and drops the
/// attribute on the second, announcing the route.
#[test]
fn malformed_pmsi_tunnel_is_treat_as_withdraw() {
    let cases = [
        ("short", update(0xc0, "00060000")),
        (
            "optional non-transitive",
            update(0x80, "0006000641c0000201"),
        ),
    ];
    let results = run(&cases);
    for (id, herald, _) in &results {
        let h = comparable(herald).unwrap_or_else(|| panic!("{id}: no JSON: {herald}"));
        let update = &h["neighbor"]["message"]["update"];
        assert_eq!(
            update["attribute"]["error"], "treat-as-withdraw",
            "{id}: {h}"
        );
        assert!(update["announce"].is_null(), "{id}: {h}");
        assert_eq!(
            update["withdraw"]["l2vpn evpn"][0]["ip"], "192.0.2.1",
            "{id}: {h}"
        );
    }
    assert!(results[0].2.contains("invalid payload"), "{}", results[0].2);
    let e = comparable(&results[1].2).expect("exabgp JSON");
    assert!(e
        .pointer("/neighbor/message/update/attribute/pmsi")
        .is_none());
    assert!(e.pointer("/neighbor/message/update/announce").is_some());
}
