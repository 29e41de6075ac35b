//! Tests of the lexer and the block tree.

use super::*;

fn texts(node: &Node) -> Vec<&str> {
    node.words.iter().map(|t| t.text.as_str()).collect()
}

#[test]
fn statements_blocks_lists() {
    let (nodes, errors) = parse(
        "neighbor 10.0.0.1 { # comment\n  description \"a b;c\";\n  community [1:1,2:2];\n}\n",
    );
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(nodes.len(), 1);
    assert_eq!(texts(&nodes[0]), ["neighbor", "10.0.0.1"]);
    let kids = nodes[0].children.as_ref().unwrap();
    assert_eq!(texts(&kids[0]), ["description", "a b;c"]);
    assert!(kids[0].words[1].quoted);
    assert_eq!(texts(&kids[1]), ["community", "[", "1:1", ",", "2:2", "]"]);
    assert_eq!((kids[1].words[2].line, kids[1].words[2].col), (3, 14));
}

#[test]
fn continuation_and_confed_braces() {
    let (nodes, errors) = parse("route 1.0.0.0/8 \\\n   as-path [ { 1 2 } ] ;\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        texts(&nodes[0]),
        [
            "route",
            "1.0.0.0/8",
            "as-path",
            "[",
            "{",
            "1",
            "2",
            "}",
            "]"
        ]
    );
    assert_eq!((nodes[0].words[2].line, nodes[0].words[2].col), (2, 4));
}

#[test]
fn missing_semicolon_and_brace() {
    let (nodes, errors) = parse("process a {\n  run foo\n  encoder text;\n");
    assert_eq!(errors.len(), 1);
    assert_eq!((errors[0].line, errors[0].col), (2, 7));
    assert!(errors[0].reason.contains("does not end with ';'"));
    // the unclosed block is closed at the end of the file, like ExaBGP
    assert_eq!(nodes[0].children.as_ref().map(Vec::len), Some(2));
    let (nodes, errors) = parse("}\na;\n");
    assert!(errors.is_empty());
    assert_eq!(nodes.len(), 1);
}

#[test]
fn parentheses_stay_in_words() {
    let (nodes, errors) = parse("md5-password a(b);\nx (1:2) ( { 3 } );\n");
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(texts(&nodes[0]), ["md5-password", "a(b)"]);
    assert_eq!(texts(&nodes[1]), ["x", "(1:2)", "(", "{", "3", "}", ")"]);
    let split = split_parens(&nodes[1].words);
    let cols: Vec<(&str, u32)> = split.iter().map(|t| (t.text.as_str(), t.col)).collect();
    assert_eq!(
        cols,
        [
            ("x", 1),
            ("(", 3),
            ("1:2", 4),
            (")", 7),
            ("(", 9),
            ("{", 11),
            ("3", 13),
            ("}", 15),
            (")", 17)
        ]
    );
}

#[test]
fn words_before_close_brace() {
    let (nodes, errors) = parse("a { b c }\n");
    assert!(errors.is_empty());
    assert_eq!(texts(&nodes[0].children.as_ref().unwrap()[0]), ["b", "c"]);
}

#[test]
fn unterminated_quote() {
    let (_, errors) = parse("description \"abc;\n");
    assert!(errors[0].reason.contains("unterminated string"));
}

#[test]
fn hook_sees_enclosing_blocks_and_may_take_nodes() {
    let text = "n 1 {\n  s {\n    r a;\n    r b { x; }\n  }\n  k v;\n}\n";
    let mut seen = Vec::new();
    let (nodes, errors) = parse_with(text, &mut |path, node| {
        let keys: Vec<&str> = path.iter().map(Block::keyword).collect();
        seen.push((keys.join("/"), node.keyword().to_owned(), node.end));
        // take the statements directly inside `s`, keep everything else
        (keys != ["n", "s"]).then_some(node)
    });
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(
        seen,
        [
            ("n/s".to_owned(), "r".to_owned(), (3, 8)),
            ("n/s/r".to_owned(), "x".to_owned(), (4, 12)),
            ("n/s".to_owned(), "r".to_owned(), (4, 9)),
            ("n".to_owned(), "s".to_owned(), (2, 5)),
            ("n".to_owned(), "k".to_owned(), (6, 6)),
            (String::new(), "n".to_owned(), (1, 5)),
        ]
    );
    let kids = nodes[0].children.as_ref().unwrap();
    assert_eq!(kids[0].keyword(), "s");
    assert_eq!(kids[0].children.as_ref().map(Vec::len), Some(0));
    assert_eq!(texts(&kids[1]), ["k", "v"]);
}

#[test]
fn deep_nesting_does_not_overflow_the_stack() {
    let text = "a {".repeat(200_000);
    let (nodes, errors) = parse(&text);
    assert!(errors.is_empty());
    assert_eq!(nodes.len(), 1);
    let mut depth = 0;
    let mut node = &nodes[0];
    while let Some(child) = node.children.as_ref().and_then(|c| c.first()) {
        node = child;
        depth += 1;
    }
    assert_eq!(depth, 199_999);
    // and the tree is dropped without recursion
    drop(nodes);
}

#[test]
fn a_reader_gives_the_lines_of_the_text() {
    let text = "a \"b\\\"c\";\r\nd \\\r\n  e; # f\r\ng {\n h;\r\n}\r\ni";
    let keep = &mut |_: &[Block], node: Node| Some(node);
    let from_text = parse_with(text, keep);
    let from_reader = parse_reader_with(std::io::Cursor::new(text), keep).unwrap();
    assert_eq!(from_reader, from_text);
    // the last line, without a ';', is an error at its position
    assert_eq!((from_text.1[0].line, from_text.1[0].col), (7, 1));
    assert_eq!(texts(&from_text.0[1]), ["d", "e"]);
}

#[test]
fn a_reader_stops_at_invalid_utf8() {
    let bytes: &[u8] = b"a;\nb \xff;\nc;\n";
    let err = parse_reader_with(bytes, &mut |_, node| Some(node)).unwrap_err();
    assert_eq!(err.kind(), std::io::ErrorKind::InvalidData);
}

#[test]
fn the_ordinary_table_agrees_with_the_definition() {
    for b in 0u8..128 {
        let c = char::from(b);
        let special = matches!(
            c,
            '#' | '"' | '\'' | '\\' | ';' | '{' | '}' | '(' | ')' | '[' | ']' | ','
        );
        assert_eq!(is_ordinary(c), !c.is_whitespace() && !special, "{b:#x}");
    }
    assert!(is_ordinary('é'));
    assert!(!is_ordinary('\u{a0}'));
}
