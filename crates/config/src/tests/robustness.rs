//! Arbitrary text and routes never panic the parser.

use proptest::prelude::*;

use crate::{parse, route, Source};

const WORDS: &[&str] = &[
    "neighbor",
    "10.0.0.1",
    "10.0.0.0/24",
    "2001:db8::/32",
    "{",
    "}",
    ";",
    "[",
    "]",
    "(",
    ")",
    ",",
    "\"",
    "'",
    "#",
    "\\\n",
    "\n",
    "local-as",
    "peer-as",
    "router-id",
    "1.1.1.1",
    "65000",
    "auto",
    "static",
    "route",
    "next-hop",
    "self",
    "as-path",
    "community",
    "split",
    "/32",
    "/0",
    "0.0.0.0/0",
    "extended-community",
    "target:1:1",
    "0x",
    "0xzz",
    "family",
    "ipv4",
    "unicast",
    "all",
    "api",
    "processes",
    "process",
    "run",
    "encoder",
    "json",
    "template",
    "inherit",
    "capability",
    "graceful-restart",
    "add-path",
    "flow",
    "match",
    "announce",
    "label",
    "rd",
    "1:1",
    "bgp-prefix-sid",
    "bgp-prefix-sid-srv6",
    "l3-service",
    "attribute",
    "\\u12",
    "é",
    "passive",
    "hold-time",
    "0",
    "99999999999999999999",
];

proptest! {
    #[test]
    fn parse_never_panics(picks in proptest::collection::vec(0..WORDS.len(), 0..80)) {
        let text: Vec<&str> = picks.iter().map(|i| WORDS[*i]).collect();
        let _ = parse(&[Source::new("fuzz", text.join(" "))]);
    }

    #[test]
    fn route_words_never_panic(picks in proptest::collection::vec(0..WORDS.len(), 0..40)) {
        let words: Vec<&str> = picks.iter().map(|i| WORDS[*i]).collect();
        if let Ok(routes) = route::parse_route(&words) {
            let _ = route::check_split(&routes);
        }
        let _ = route::parse_route_words(&words).map(|r| r.len());
    }

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        let _ = parse(&[Source::new("fuzz", text)]);
    }
}

#[test]
fn blocks_nested_a_hundred_thousand_deep_do_not_overflow_the_stack() {
    let deep = "x { ".repeat(100_000);
    let head = "neighbor 10.0.0.1 { local-as 1; peer-as 2; router-id 1.1.1.1;\n";
    // kept raw: every word of the nest is there, `x`, `{` and the `}` closing each block
    let text = format!("{head}operational {{\n{deep}\n");
    let c = parse(&[Source::new("t.conf", text)]).unwrap();
    assert_eq!(c.neighbors[0].raw[0].words.len(), 300_000);
    for inner in [
        "flow { route r {",
        "static { route 10.0.0.0/8 {",
        "announce { ipv4 {",
        "l2vpn {",
        "capability {",
    ] {
        let text = format!("{head}{inner}\n{deep}\n");
        assert!(parse(&[Source::new("t.conf", text)]).is_err(), "{inner}");
    }
    let text = format!("{deep}\n");
    assert!(parse(&[Source::new("t.conf", text)]).is_err());
}
