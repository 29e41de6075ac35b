//! `static` blocks parsed while the file is lexed, and files read a line at a time: the
//! routes, their order and every error (file:line:col, reason) are those of a walk of the
//! whole tree; positions are computed here from the text written.

use std::fmt::Write as _;
use std::path::PathBuf;

use super::{errs, ok};
use crate::{load_with, parse, Options, Source};

const HEAD: &str = "neighbor 10.0.0.1 {\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n";

fn prefixes(c: &crate::Config, n: usize) -> Vec<String> {
    c.neighbors[n]
        .routes
        .iter()
        .map(|r| format!("{:?}", r.nlri))
        .collect()
}

/// A file in the temporary directory, removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(tag: &str, content: &[u8]) -> Self {
        let path =
            std::env::temp_dir().join(format!("herald-config-{tag}-{}.conf", std::process::id()));
        std::fs::write(&path, content).unwrap();
        Self(path)
    }

    fn name(&self) -> String {
        self.0.display().to_string()
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn load(file: &TempFile) -> Result<crate::Config, Vec<String>> {
    let options = Options {
        check_programs: false,
        ..Options::default()
    };
    load_with(std::slice::from_ref(&file.0), &options)
        .map_err(|e| e.iter().map(ToString::to_string).collect())
}

#[test]
fn a_bad_route_in_a_million_line_static_block_keeps_its_position() {
    let mut text = format!("{HEAD}  static {{\n");
    let bad = 700_000;
    let mut at = (0, 0);
    for i in 0..1_000_000u32 {
        let [_, a, b, c] = i.to_be_bytes();
        let med = if i == bad { "med x " } else { "" };
        let line = format!("    route 10.{a}.{b}.{c}/32 next-hop 192.0.2.1 {med};\n");
        if i == bad {
            // lines 1-3 are the head and `static {`; the column is 1-based, in characters
            at = (i + 4, line.find("x ").unwrap() + 1);
        }
        text.push_str(&line);
    }
    text.push_str("  }\n}\n");
    let file = TempFile::new("million", text.as_bytes());
    let (line, col) = at;
    assert_eq!(
        load(&file).unwrap_err(),
        [format!(
            "{}:{line}:{col}: invalid med 'x' (near 'x')",
            file.name()
        )]
    );
}

#[test]
fn one_line_and_block_routes_keep_file_order() {
    let c = ok(&format!(
        "{HEAD}  static {{\n    route 10.0.0.0/8 next-hop 1.1.1.1;\n    route 10.1.0.0/16 {{\n      next-hop 1.1.1.1;\n    }}\n    route 10.2.0.0/16 next-hop 1.1.1.1;\n  }}\n  static {{ route 10.3.0.0/16 next-hop 1.1.1.1; }}\n}}\n"
    ));
    let p = prefixes(&c, 0);
    let order: Vec<usize> = ["10.0.0.0/8", "10.1.0.0/16", "10.2.0.0/16", "10.3.0.0/16"]
        .iter()
        .map(|want| p.iter().position(|r| r.contains(want)).unwrap())
        .collect();
    assert_eq!(order, [0, 1, 2, 3], "{p:?}");
}

#[test]
fn routes_of_templates_come_after_the_neighbors_own() {
    let c = ok(
        "template {\n  neighbor t {\n    static { route 1.0.0.0/8 next-hop 1.1.1.1; }\n  }\n}\nneighbor 10.0.0.1 {\n  inherit t;\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  static { route 2.0.0.0/8 next-hop 1.1.1.1; }\n}\n",
    );
    let p = prefixes(&c, 0);
    assert_eq!(p.len(), 2);
    assert!(
        p[0].contains("2.0.0.0/8") && p[1].contains("1.0.0.0/8"),
        "{p:?}"
    );
}

#[test]
fn static_blocks_the_walker_skips_report_nothing_of_their_routes() {
    // a template block with a name is refused whole; a template neighbor without a name
    // is skipped: their routes are not read, so a bad one is not reported
    let text = "template extra {\n  neighbor t {\n    static { route bad; }\n  }\n}\n";
    assert_eq!(
        errs(text),
        ["t.conf:1:10: unexpected value for 'template' (near 'extra')"]
    );
    let text = "template {\n  neighbor {\n    static { route bad; }\n  }\n}\n";
    assert_eq!(
        errs(text),
        ["t.conf:2:3: a template neighbor needs a name (near 'neighbor')"]
    );
}

#[test]
fn a_bad_static_route_refuses_its_neighbor_only() {
    let text = format!(
        "{HEAD}  static {{\n    route 10.0.0.0/8 next-hop 1.1.1.1;\n    route 10.1.0.0/8 next-hop 1.1.1.1;\n    colour blue;\n  }}\n}}\nneighbor 10.0.0.2 {{\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  static {{ route 10.2.0.0/16 next-hop 1.1.1.1; }}\n}}\n"
    );
    // 10.1.0.0/8 has host bits; `colour` is no static option
    assert_eq!(
        errs(&text),
        [
            "t.conf:5:11: invalid network 10.1.0.0 for netmask 8 (near '10.1.0.0/8')",
            "t.conf:6:5: unknown static option 'colour' (expected route) (near 'colour')",
        ]
    );
}

#[test]
fn lexer_and_route_errors_of_one_statement_are_both_reported() {
    let text =
        format!("{HEAD}  static {{\n    route 10.0.0.0/8 next-hop 1.1.1.1 med x\n  }}\n}}\n");
    assert_eq!(
        errs(&text),
        [
            "t.conf:4:43: statement does not end with ';' (or '{' / '}') on its line (near 'x')",
            "t.conf:4:43: invalid med 'x' (near 'x')",
        ]
    );
}

#[test]
fn a_file_read_line_by_line_parses_as_its_text() {
    let mut text = String::new();
    write!(
        text,
        "{HEAD}  family {{ ipv4 unicast; ipv6 unicast; }}\r\n  static {{\r\n    route 10.0.0.0/8 \\\r\n      next-hop 1.1.1.1 community [ 1:1 ];\r\n    route 2001:db8::/32 next-hop ::1; # comment\r\n  }}\r\n  description \"a b\";\r\n}}"
    )
    .unwrap();
    let file = TempFile::new("lines", text.as_bytes());
    let from_file = load(&file).unwrap();
    let from_text = parse(&[Source::new(file.name(), text)]).unwrap();
    assert_eq!(from_file, from_text);
    assert_eq!(from_file.neighbors[0].routes.len(), 2);
    assert_eq!(from_file.neighbors[0].description, "a b");
}

#[test]
fn a_file_that_is_not_utf8_is_reported_as_unreadable() {
    let mut bytes = HEAD.as_bytes().to_vec();
    bytes.extend_from_slice(b"  description \"\xff\";\n}\n");
    let file = TempFile::new("latin1", &bytes);
    assert_eq!(
        load(&file).unwrap_err(),
        [format!(
            "{}:1:1: can not read the configuration: stream did not contain valid UTF-8",
            file.name()
        )]
    );
}

#[test]
fn routes_refused_by_the_neighbor_checks_keep_their_locations() {
    // the neighbor announces IPv4 unicast only: the IPv6 route of the template and the
    // IPv4 route with an IPv6 next hop (no `nexthop` entry, RFC 8950) are refused where
    // they were written, after plain routes that need no check
    let text = "template {\n  neighbor t {\n    static { route 2001:db8::/32 next-hop ::1; }\n  }\n}\nneighbor 10.0.0.1 {\n  inherit t;\n  local-as 1; peer-as 2; router-id 1.1.1.1;\n  family { ipv4 unicast; }\n  static {\n    route 10.0.0.0/8 next-hop 1.1.1.1;\n    route 10.1.0.0/16 next-hop 1.1.1.1;\n    route 10.2.0.0/16 next-hop 2001:db8::1;\n  }\n}\n";
    let errors = errs(text);
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert!(
        errors[0].starts_with("t.conf:3:20: Trying to announce a route of type ipv6,unicast"),
        "{errors:?}"
    );
    assert!(
        errors[1].starts_with("t.conf:13:11: an ipv4 unicast route with an IPv6 next hop"),
        "{errors:?}"
    );
}
