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
//!
//! The file is lexed a line at a time as [`parse_with`] builds the blocks, and a caller
//! may take statements out of the tree as they complete (a `static` block of a million
//! routes is then never held as words all at once).

mod tree;

use std::collections::VecDeque;
use std::io::BufRead;

pub use tree::{parse, parse_reader_with, parse_with, Block};

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

impl Drop for Node {
    /// Without recursion: blocks may nest as deep as the file goes.
    fn drop(&mut self) {
        let mut below = self.children.take().unwrap_or_default();
        while let Some(mut node) = below.pop() {
            below.extend(node.children.take().into_iter().flatten());
        }
    }
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

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum End {
    Semi,
    Open,
    Close,
}

/// What ended a statement, its words and the position of its terminator.
type Statement = (Vec<Token>, End, (u32, u32));

struct Lexer {
    /// Statements ended but not handed out yet.
    statements: VecDeque<Statement>,
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
        self.statements.push_back((words, end, pos));
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

/// True for a character that is part of a word whatever comes before it (not a blank,
/// nor a character the lexer gives a meaning to).
fn is_ordinary(c: char) -> bool {
    match u8::try_from(c) {
        Ok(b) if b.is_ascii() => ORDINARY[usize::from(b)],
        _ => !c.is_whitespace(),
    }
}

/// [`is_ordinary`] for the ASCII characters (a table: this runs for every character of a
/// configuration of a million routes).
static ORDINARY: [bool; 128] = {
    let mut table = [false; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        table[b] = !c.is_ascii_whitespace()
            // `char::is_whitespace` also counts the vertical tab as a blank
            && c != 0x0b
            && !matches!(
                c,
                b'#' | b'"' | b'\'' | b'\\' | b';' | b'{' | b'}' | b'(' | b')' | b'[' | b']' | b','
            );
        b += 1;
    }
    table
};

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

/// True when [`split_parens`] would split `tok`.
pub fn has_parens(tok: &Token) -> bool {
    !tok.quoted && tok.text.len() >= 2 && (tok.text.starts_with('(') || tok.text.ends_with(')'))
}

/// Splits a word's leading `(` and trailing `)` into words of their own (`(1:1.2.3.4)` →
/// `(`, `1:1.2.3.4`, `)`), keeping positions; the route grammar reads them as words.
pub fn split_parens(tokens: &[Token]) -> Vec<Token> {
    let mut out = Vec::with_capacity(tokens.len());
    for tok in tokens {
        if !has_parens(tok) {
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

impl Lexer {
    fn new() -> Self {
        Self {
            statements: VecDeque::new(),
            errors: Vec::new(),
            words: Vec::new(),
            word: String::new(),
            word_start: (0, 0),
            quote: None,
            quoted_start: (0, 0),
            depth: 0,
        }
    }

    /// Lexes one line of the file (`line` is 1-based).
    fn line(&mut self, line: u32, raw: &str) {
        let trimmed = raw.trim_end();
        let continued = trimmed.ends_with('\\') && self.quote.is_none();
        let body = if continued {
            trimmed.get(..trimmed.len() - 1).unwrap_or("")
        } else {
            raw
        };
        let mut chars = body.char_indices().peekable();
        let mut col: u32 = 0;
        while let Some((index, c)) = chars.next() {
            col += 1;
            let pos = (line, col);
            if let Some(q) = self.quote {
                if c == q {
                    let (l, cl) = self.quoted_start;
                    self.words.push(Token {
                        text: std::mem::take(&mut self.word),
                        line: l,
                        col: cl,
                        quoted: true,
                    });
                    self.quote = None;
                } else if c == '\\' {
                    if let Some(u) = unescape(&mut chars) {
                        self.word.push(u);
                        col += 1;
                    }
                } else {
                    self.word.push(c);
                }
                continue;
            }
            match c {
                '#' => break,
                '"' | '\'' => {
                    self.flush_word();
                    self.quote = Some(c);
                    self.quoted_start = pos;
                }
                '\\' => {
                    if let Some(u) = unescape(&mut chars) {
                        col += 1;
                        self.push_char(u, pos);
                    }
                }
                ';' => self.end_statement(End::Semi, pos),
                '{' | '}' if self.depth > 0 => {
                    self.flush_word();
                    self.words.push(Token {
                        text: c.to_string(),
                        line,
                        col,
                        quoted: false,
                    });
                }
                '{' => self.end_statement(End::Open, pos),
                '}' => self.end_statement(End::Close, pos),
                // like ExaBGP, parentheses stay inside words (`md5-password a(b)`); the
                // route grammar splits them off (see `split_parens`)
                '(' => {
                    self.depth += 1;
                    self.push_char(c, pos);
                }
                ')' => {
                    self.depth = self.depth.saturating_sub(1);
                    self.push_char(c, pos);
                }
                '[' | ']' | ',' => {
                    self.flush_word();
                    if c == '[' {
                        self.depth += 1;
                    } else if c == ']' {
                        self.depth = self.depth.saturating_sub(1);
                    }
                    self.words.push(Token {
                        text: c.to_string(),
                        line,
                        col,
                        quoted: false,
                    });
                }
                c if c.is_whitespace() => self.flush_word(),
                c => {
                    // the run of ordinary characters from here is taken whole
                    let mut end = index + c.len_utf8();
                    while let Some(&(next, n)) = chars.peek() {
                        if !is_ordinary(n) {
                            break;
                        }
                        chars.next();
                        col += 1;
                        end = next + n.len_utf8();
                    }
                    if self.word.is_empty() {
                        self.word_start = pos;
                    }
                    self.word.push_str(body.get(index..end).unwrap_or_default());
                }
            }
        }
        if continued {
            self.flush_word();
        } else {
            self.end_of_line(line, col + 1);
        }
    }
}

/// Where the lines of a file come from.
enum Lines<'a> {
    /// A text in memory.
    Text(std::str::Lines<'a>),
    /// A reader, a line at a time into `buf` (a file is never held whole); a read error
    /// (or a text that is not UTF-8) ends the lines.
    Reader {
        reader: Box<dyn BufRead + 'a>,
        buf: String,
        error: Option<std::io::Error>,
    },
}

impl Lines<'_> {
    /// The next line without its `\n` or `\r\n`, as [`str::lines`] gives it.
    fn next_line(&mut self) -> Option<&str> {
        match self {
            Self::Text(lines) => lines.next(),
            Self::Reader { reader, buf, error } => {
                buf.clear();
                match reader.read_line(buf) {
                    Ok(0) => None,
                    Ok(_) => {
                        if buf.ends_with('\n') {
                            buf.pop();
                            if buf.ends_with('\r') {
                                buf.pop();
                            }
                        }
                        Some(buf.as_str())
                    }
                    Err(e) => {
                        *error = Some(e);
                        None
                    }
                }
            }
        }
    }
}

/// The statements of a text, lexed one line at a time as they are asked for, so that a
/// large file is never held as words all at once.
struct Statements<'a> {
    lines: Lines<'a>,
    /// Lines read so far.
    count: u32,
    lx: Lexer,
    done: bool,
}

impl<'a> Statements<'a> {
    fn new(text: &'a str) -> Self {
        Self::from_lines(Lines::Text(text.lines()))
    }

    fn from_reader(reader: impl BufRead + 'a) -> Self {
        Self::from_lines(Lines::Reader {
            reader: Box::new(reader),
            buf: String::new(),
            error: None,
        })
    }

    fn from_lines(lines: Lines<'a>) -> Self {
        Self {
            lines,
            count: 0,
            lx: Lexer::new(),
            done: false,
        }
    }

    /// The read error that ended the lines early, if any.
    fn take_read_error(&mut self) -> Option<std::io::Error> {
        match &mut self.lines {
            Lines::Text(_) => None,
            Lines::Reader { error, .. } => error.take(),
        }
    }

    /// The lexing errors found so far (all of them once the iterator is exhausted).
    fn take_errors(&mut self) -> Vec<LexError> {
        std::mem::take(&mut self.lx.errors)
    }
}

impl Iterator for Statements<'_> {
    type Item = Statement;

    fn next(&mut self) -> Option<Statement> {
        loop {
            if let Some(statement) = self.lx.statements.pop_front() {
                return Some(statement);
            }
            if self.done {
                return None;
            }
            match self.lines.next_line() {
                Some(raw) => {
                    self.count = self.count.saturating_add(1);
                    self.lx.line(self.count, raw);
                }
                None => {
                    self.done = true;
                    self.lx.end_of_line(self.count.max(1), 1);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests;
