//! Lexer and block structure of ExaBGP configuration files (spec §1.1).
//!
//! - A statement ends with `;`; `{` opens a block and `}` closes it.
//! - `[ ] ,` are words of their own (parentheses stay inside words, as in ExaBGP); inside
//!   `[ ]` or `( )`, `{` and `}` are words too (as-path confederation segments `[ { 1 2 } ]`).
//! - `"…"` and `'…'` quote a word (escapes `\n \t \r \b \f \uXXXX \<char>` are decoded).
//! - `#` starts a comment that runs to the end of the line.
//! - A line ending with `\` continues on the next one.
//! - As in ExaBGP, a statement must end on its own line: words left at the end of a line
//!   are an error (a missing `;`).
//! - As in ExaBGP, blocks still open at the end of the file are closed, and a `}` with no
//!   block to close at the top level is ignored.
//!
//! Every word keeps its 1-based line and column for error messages.

/// One word of the configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Token {
    /// The word, quotes removed.
    pub text: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// True when the word was quoted.
    pub quoted: bool,
}

/// A statement or block of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    /// The words before `;` or `{`.
    pub words: Vec<Token>,
    /// The statements inside, for a block.
    pub children: Option<Vec<Self>>,
    /// Position of the terminator (`;`, `{`), for messages about a missing value.
    pub end: (u32, u32),
}

impl Node {
    /// The first word, or `""`.
    pub fn keyword(&self) -> &str {
        self.words.first().map(|t| t.text.as_str()).unwrap_or("")
    }

    /// The position of the first word (or of the terminator when there is none).
    pub fn start(&self) -> (u32, u32) {
        self.words
            .first()
            .map(|t| (t.line, t.col))
            .unwrap_or(self.end)
    }
}

/// A lexing problem: line, column, reason and the text near it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LexError {
    /// 1-based line.
    pub line: u32,
    /// 1-based column.
    pub col: u32,
    /// What is wrong.
    pub reason: String,
    /// The word at fault.
    pub near: Option<String>,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum End {
    Semi,
    Open,
    Close,
}

struct Lexer {
    statements: Vec<(Vec<Token>, End, (u32, u32))>,
    errors: Vec<LexError>,
    words: Vec<Token>,
    word: String,
    word_start: (u32, u32),
    quote: Option<char>,
    quoted_start: (u32, u32),
    depth: u32,
}

impl Lexer {
    fn flush_word(&mut self) {
        if !self.word.is_empty() {
            let (line, col) = self.word_start;
            self.words.push(Token {
                text: std::mem::take(&mut self.word),
                line,
                col,
                quoted: false,
            });
        }
    }

    fn push_char(&mut self, c: char, pos: (u32, u32)) {
        if self.word.is_empty() {
            self.word_start = pos;
        }
        self.word.push(c);
    }

    fn end_statement(&mut self, end: End, pos: (u32, u32)) {
        self.flush_word();
        let words = std::mem::take(&mut self.words);
        self.depth = 0;
        self.statements.push((words, end, pos));
    }

    fn end_of_line(&mut self, line: u32, col: u32) {
        if let Some(q) = self.quote {
            self.errors.push(LexError {
                line: self.quoted_start.0,
                col: self.quoted_start.1,
                reason: format!("unterminated string (missing {q})"),
                near: Some(self.word.clone()),
            });
            self.quote = None;
            self.word.clear();
        }
        self.flush_word();
        if let Some(last) = self.words.last() {
            self.errors.push(LexError {
                line: last.line,
                col: last.col,
                reason: "statement does not end with ';' (or '{' / '}') on its line".into(),
                near: Some(last.text.clone()),
            });
            // recover as if the ';' was there
            self.end_statement(End::Semi, (line, col));
        }
        self.depth = 0;
    }
}

fn unescape(chars: &mut std::iter::Peekable<std::str::CharIndices<'_>>) -> Option<char> {
    let (_, esc) = chars.next()?;
    Some(match esc {
        'n' => '\n',
        't' => '\t',
        'r' => '\r',
        'b' => '\u{8}',
        'f' => '\u{c}',
        'u' => {
            let mut hex = String::new();
            for _ in 0..4 {
                if let Some((_, h)) = chars.next() {
                    hex.push(h);
                }
            }
            u32::from_str_radix(&hex, 16)
                .ok()
                .and_then(char::from_u32)
                .unwrap_or('\u{fffd}')
        }
        other => other,
    })
}

/// Splits a word's leading `(` and trailing `)` into words of their own (`(1:1.2.3.4)` →
/// `(`, `1:1.2.3.4`, `)`), keeping positions; the route grammar reads them as words.
pub fn split_parens(tokens: &[Token]) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    for tok in tokens {
        if tok.quoted
            || tok.text.len() < 2
            || !(tok.text.starts_with('(') || tok.text.ends_with(')'))
        {
            out.push(tok.clone());
            continue;
        }
        let mut text = tok.text.as_str();
        let mut col = tok.col;
        let mut closing = 0;
        while let Some(rest) = text.strip_prefix('(') {
            out.push(Token {
                text: "(".into(),
                line: tok.line,
                col,
                quoted: false,
            });
            col += 1;
            text = rest;
        }
        while let Some(rest) = text.strip_suffix(')') {
            closing += 1;
            text = rest;
        }
        if !text.is_empty() {
            out.push(Token {
                text: text.to_owned(),
                line: tok.line,
                col,
                quoted: false,
            });
            col += u32::try_from(text.chars().count()).unwrap_or(0);
        }
        for _ in 0..closing {
            out.push(Token {
                text: ")".into(),
                line: tok.line,
                col,
                quoted: false,
            });
            col += 1;
        }
    }
    out
}

/// Splits `text` into statements and blocks.
pub fn parse(text: &str) -> (Vec<Node>, Vec<LexError>) {
    let mut lx = Lexer {
        statements: Vec::new(),
        errors: Vec::new(),
        words: Vec::new(),
        word: String::new(),
        word_start: (0, 0),
        quote: None,
        quoted_start: (0, 0),
        depth: 0,
    };
    for (index, raw) in text.lines().enumerate() {
        let line = u32::try_from(index + 1).unwrap_or(u32::MAX);
        let trimmed = raw.trim_end();
        let continued = trimmed.ends_with('\\') && lx.quote.is_none();
        let body = if continued {
            trimmed.get(..trimmed.len() - 1).unwrap_or("")
        } else {
            raw
        };
        let mut chars = body.char_indices().peekable();
        let mut col: u32 = 0;
        while let Some((_, c)) = chars.next() {
            col += 1;
            let pos = (line, col);
            if let Some(q) = lx.quote {
                if c == q {
                    let (l, cl) = lx.quoted_start;
                    lx.words.push(Token {
                        text: std::mem::take(&mut lx.word),
                        line: l,
                        col: cl,
                        quoted: true,
                    });
                    lx.quote = None;
                } else if c == '\\' {
                    if let Some(u) = unescape(&mut chars) {
                        lx.word.push(u);
                        col += 1;
                    }
                } else {
                    lx.word.push(c);
                }
                continue;
            }
            match c {
                '#' => break,
                '"' | '\'' => {
                    lx.flush_word();
                    lx.quote = Some(c);
                    lx.quoted_start = pos;
                }
                '\\' => {
                    if let Some(u) = unescape(&mut chars) {
                        col += 1;
                        lx.push_char(u, pos);
                    }
                }
                ';' => lx.end_statement(End::Semi, pos),
                '{' | '}' if lx.depth > 0 => {
                    lx.flush_word();
                    lx.words.push(Token {
                        text: c.to_string(),
                        line,
                        col,
                        quoted: false,
                    });
                }
                '{' => lx.end_statement(End::Open, pos),
                '}' => lx.end_statement(End::Close, pos),
                // like ExaBGP, parentheses stay inside words (`md5-password a(b)`); the
                // route grammar splits them off (see `split_parens`)
                '(' => {
                    lx.depth += 1;
                    lx.push_char(c, pos);
                }
                ')' => {
                    lx.depth = lx.depth.saturating_sub(1);
                    lx.push_char(c, pos);
                }
                '[' | ']' | ',' => {
                    lx.flush_word();
                    if c == '[' {
                        lx.depth += 1;
                    } else if c == ']' {
                        lx.depth = lx.depth.saturating_sub(1);
                    }
                    lx.words.push(Token {
                        text: c.to_string(),
                        line,
                        col,
                        quoted: false,
                    });
                }
                c if c.is_whitespace() => lx.flush_word(),
                c => lx.push_char(c, pos),
            }
        }
        if continued {
            lx.flush_word();
        } else {
            lx.end_of_line(line, col + 1);
        }
    }
    let last_line = u32::try_from(text.lines().count().max(1)).unwrap_or(u32::MAX);
    lx.end_of_line(last_line, 1);
    let Lexer {
        statements,
        mut errors,
        ..
    } = lx;
    let mut iter = statements.into_iter();
    let nodes = build(&mut iter, None, &mut errors);
    (nodes, errors)
}

fn build(
    iter: &mut std::vec::IntoIter<(Vec<Token>, End, (u32, u32))>,
    opened: Option<(u32, u32, String)>,
    errors: &mut Vec<LexError>,
) -> Vec<Node> {
    let mut nodes = Vec::new();
    while let Some((words, end, pos)) = iter.next() {
        match end {
            End::Semi => nodes.push(Node {
                words,
                children: None,
                end: pos,
            }),
            End::Open => {
                let name = words.first().map(|t| t.text.clone()).unwrap_or_default();
                let children = build(iter, Some((pos.0, pos.1, name)), errors);
                nodes.push(Node {
                    words,
                    children: Some(children),
                    end: pos,
                });
            }
            End::Close => {
                if !words.is_empty() {
                    nodes.push(Node {
                        words,
                        children: None,
                        end: pos,
                    });
                }
                if opened.is_none() {
                    // ExaBGP ignores a '}' with no block to close at the top level
                    continue;
                }
                return nodes;
            }
        }
    }
    // ExaBGP closes the blocks still open at the end of the file
    let _ = (opened, errors);
    nodes
}

#[cfg(test)]
mod tests {
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
}
