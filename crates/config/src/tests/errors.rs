//! Errors: each names its file, line, column and the word at fault, with ExaBGP's reason;
//! all of a configuration's errors are reported at once.

use super::{errs, ok};
use crate::{parse_with, Options, Source};

#[test]
fn vpls_and_mvpn_errors_have_positions_and_reasons() {
    let head = "neighbor 10.0.0.1 {\n  local-as 1; peer-as 1; router-id 1.1.1.1;\n  family { l2vpn vpls; ipv4 mcast-vpn; }\n";
    let cases: &[(&str, &str)] = &[
        (
            "  l2vpn { vpls rd 1:1 endpoint 70000 base 1 offset 1 size 8 next-hop 1.1.1.1; }\n",
            "t.conf:4:32: invalid l2vpn vpls endpoint '70000' (0 to 65535) (near '70000')",
        ),
        (
            "  l2vpn { vpls site { endpoint 5; base 1; offset 1; size 8; next-hop 1.1.1.1; } }\n",
            "route-distinguisher missing",
        ),
        (
            "  announce { ipv4 { mcast-vpn source-ad source fd00::1 group 239.1.1.1 rd 1:1; } }\n",
            "t.conf:4:48: source 'fd00::1' is not an ipv4 address (near 'fd00::1')",
        ),
    ];
    for (body, want) in cases {
        let errors = errs(&format!("{head}{body}}}\n"));
        assert!(
            errors.iter().any(|e| e.contains(want)),
            "{body}: {errors:?}"
        );
    }
}

#[test]
fn prefix_neighbor_needs_passive() {
    let text = "neighbor 10.0.0.0/24 { local-as 1; peer-as 2; router-id 1.1.1.1; }\n";
    assert_eq!(
        errs(text),
        ["t.conf:1:1: can only use ip ranges for the peer address with passive neighbors (near '10.0.0.0/24')"]
    );
    let options = Options {
        bgp_passive: true,
        ..Options::default()
    };
    assert!(parse_with(&[Source::new("t.conf", text)], &options).is_ok());
    let c = ok("neighbor 10.0.0.0/24 { local-as 1; peer-as 2; router-id 1.1.1.1; passive; }\n");
    assert_eq!(c.neighbors[0].peer_address.prefix_len(), 24);
}

#[test]
fn error_positions_and_reasons() {
    let cases: &[(&str, &str)] = &[
        (
            "neighbor 10.0.0.1 {\n  local-as 1;\n  router-id 1.1.1.1;\n}\n",
            "t.conf:1:1: incomplete neighbor, missing peer-as (near '10.0.0.1')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  hold-time 2;\n}\n",
            "t.conf:3:13: holdtime must be zero or at least 3 seconds (near '2')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  hold-time 70000;\n}\n",
            "t.conf:3:13: 'hold-time' must be at most 65535 (near '70000')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  colour blue;\n}\n",
            "t.conf:3:3: unknown neighbor key 'colour' (near 'colour')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  passive maybe;\n}\n",
            "t.conf:3:11: invalid value (maybe) for a boolean (near 'maybe')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  static {\n    route 10.0.0.0/8 next-hop 1.1.1.1 med x;\n  }\n}\n",
            "t.conf:4:43: invalid med 'x' (near 'x')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  static {\n    route 10.0.0.0/8 med 1;\n  }\n}\n",
            "t.conf:4:11: invalid announcement (missing next-hop ?) (near '10.0.0.0/8')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  family { ipv4 unicast; }\n  static { route 2001:db8::/32 next-hop ::1; }\n}\n",
            "t.conf:4:18: Trying to announce a route of type ipv6,unicast when we are not announcing the family to our peer",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  api { processes [ nope ]; }\n}\n",
            "t.conf:3:3: the process \"nope\" is not defined (near 'nope')",
        ),
        (
            "process p {\n  run ./x;\n}\n",
            "t.conf:1:9: unset process sections: encoder (near 'p')",
        ),
        (
            "process p {\n  run ./x;\n  encoder xml;\n}\n",
            "t.conf:3:11: invalid encoder (text or json) (near 'xml')",
        ),
        (
            "neighbor 10.0.0.1 {\n  inherit nope;\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n}\n",
            "t.conf:2:11: unknown template 'nope' (near 'nope')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1\n  peer-as 2; router-id 1.1.1.1;\n}\n",
            "t.conf:2:12: statement does not end with ';' (or '{' / '}') on its line (near '1')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  family { ipv6 multicast; }\n}\n",
            "t.conf:3:17: invalid afi/safi pair ipv6/multicast (near 'multicast')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  local-address 2001:db8::1;\n}\n",
            "t.conf:1:1: local-address and peer-address must be of the same family (near '10.0.0.1')",
        ),
        (
            "neighbor 2001:db8::1 {\n  local-as 1; peer-as 2;\n}\n",
            "t.conf:1:1: incomplete neighbor, missing router-id (near '2001:db8::1')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  md5-password \"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\";\n}\n",
            "t.conf:1:1: MD5 password must be no larger than 80 characters (near '10.0.0.1')",
        ),
        (
            "bogus { }\n",
            "t.conf:1:1: unknown section 'bogus' (expected process, template or neighbor) (near 'bogus')",
        ),
        (
            "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  capability { add-path receive/send; }\n}\n",
            "t.conf:3:25: the option is send/receive (near 'receive/send')",
        ),
    ];
    for (text, want) in cases {
        assert_eq!(errs(text), [*want], "{text}");
    }
}

#[test]
fn all_errors_are_collected() {
    let e = errs(
        "neighbor 10.0.0.1 {\n  local-as x;\n  peer-as 2;\n  router-id 1.1.1.1;\n  hold-time 1;\n  ttl 5;\n}\nneighbor 10.0.0.2 {\n  router-id 300.1.1.1;\n}\n",
    );
    assert_eq!(
        e,
        [
            "t.conf:2:12: 'x' is an invalid ASN (near 'x')",
            "t.conf:5:13: holdtime must be zero or at least 3 seconds (near '1')",
            "t.conf:6:3: unknown neighbor key 'ttl' (near 'ttl')",
            "t.conf:8:1: incomplete neighbor, missing local-as, peer-as (near '10.0.0.2')",
            "t.conf:9:13: \"300.1.1.1\" is an invalid router-id (near '300.1.1.1')",
        ]
    );
}

#[test]
fn duplicates_are_refused() {
    let e = errs("neighbor 10.0.0.1 { local-as 1; peer-as 2; router-id 1.1.1.1; }\nneighbor 10.0.0.1 { local-as 1; peer-as 2; router-id 1.1.1.1; }\n");
    assert_eq!(e, ["t.conf:2:1: duplicate peer definition 10.0.0.1"]);
    let e = errs("process a { run x; encoder text; }\nprocess a { run y; encoder text; }\n");
    assert_eq!(
        e,
        ["t.conf:2:1: a process section called \"a\" already exists (near 'process')"]
    );
}
