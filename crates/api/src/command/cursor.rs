//! The words of one command line, read one at a time without allocating.
//!
//! Words are separated by whitespace; `[ ] ( ) { } , ;` are words of their own; `"…"` and
//! `'…'` quote a word (the quotes are not part of it). Every word remembers its byte offset
//! in the line for error messages.

use super::ParseError;

/// One word of the line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Word<'a> {
    /// The word, without quotes.
    pub text: &'a str,
    /// Byte offset of the word in the line.
    pub offset: usize,
}

/// A cursor over the words of a line.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    line: &'a str,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the start of `line`.
    pub fn new(line: &'a str) -> Self {
        Self { line, pos: 0 }
    }

    /// The line being read.
    pub fn line(&self) -> &'a str {
        self.line
    }

    /// The next word, consumed.
    pub fn next_word(&mut self) -> Option<Word<'a>> {
        let (word, end) = self.scan()?;
        self.pos = end;
        Some(word)
    }

    /// The next word, not consumed.
    pub fn peek(&self) -> Option<Word<'a>> {
        self.scan().map(|(word, _)| word)
    }

    /// The text of the next word, not consumed.
    pub fn peek_text(&self) -> Option<&'a str> {
        self.peek().map(|w| w.text)
    }

    /// Consumes the next word if it is `text`.
    pub fn eat(&mut self, text: &str) -> bool {
        match self.scan() {
            Some((word, end)) if word.text == text => {
                self.pos = end;
                true
            }
            _ => false,
        }
    }

    /// The next word, which must exist (`what` names it in the error).
    pub fn expect(&mut self, what: &str) -> Result<Word<'a>, ParseError> {
        self.next_word()
            .ok_or_else(|| ParseError::at_end(self.line, format!("{what} expected")))
    }

    /// The next word, which must be one of `choices`.
    pub fn expect_one_of(&mut self, choices: &[&str]) -> Result<Word<'a>, ParseError> {
        match self.next_word() {
            Some(word) if choices.contains(&word.text) => Ok(word),
            Some(word) => Err(ParseError::new(
                word,
                format!("expected {}", choices.join(" | ")),
            )),
            None => Err(ParseError::at_end(
                self.line,
                format!("{} expected", choices.join(" | ")),
            )),
        }
    }

    /// Ok when every word was read; an error naming the first word left otherwise.
    pub fn finish(&self) -> Result<(), ParseError> {
        match self.peek() {
            None => Ok(()),
            Some(word) => Err(ParseError::new(word, "unexpected trailing word")),
        }
    }

    /// True when no word is left.
    pub fn is_empty(&self) -> bool {
        self.peek().is_none()
    }

    /// Byte offset of the next unread character.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// Everything not read yet, untrimmed.
    pub fn rest(&self) -> &'a str {
        self.line.get(self.pos..).unwrap_or_default()
    }

    /// Every word left, consumed.
    pub fn remaining(&mut self) -> Vec<Word<'a>> {
        let mut words = Vec::new();
        while let Some(word) = self.next_word() {
            words.push(word);
        }
        words
    }

    fn scan(&self) -> Option<(Word<'a>, usize)> {
        let bytes = self.line.as_bytes();
        let mut start = self.pos;
        while start < bytes.len() && bytes[start].is_ascii_whitespace() {
            start += 1;
        }
        let first = *bytes.get(start)?;
        if matches!(first, b'[' | b']' | b'(' | b')' | b'{' | b'}' | b',' | b';') {
            let text = self.line.get(start..start + 1)?;
            return Some((
                Word {
                    text,
                    offset: start,
                },
                start + 1,
            ));
        }
        if first == b'"' || first == b'\'' {
            let body = start + 1;
            let len = bytes.get(body..)?.iter().position(|&b| b == first);
            let (end, next) = match len {
                Some(len) => (body + len, body + len + 1),
                None => (bytes.len(), bytes.len()),
            };
            let text = self.line.get(body..end)?;
            return Some((
                Word {
                    text,
                    offset: start,
                },
                next,
            ));
        }
        let mut end = start;
        while end < bytes.len()
            && !bytes[end].is_ascii_whitespace()
            && !matches!(
                bytes[end],
                b'[' | b']' | b'(' | b')' | b'{' | b'}' | b',' | b';' | b'"' | b'\''
            )
        {
            end += 1;
        }
        let text = self.line.get(start..end)?;
        Some((
            Word {
                text,
                offset: start,
            },
            end,
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(line: &str) -> Vec<&str> {
        let mut cur = Cursor::new(line);
        cur.remaining().into_iter().map(|w| w.text).collect()
    }

    #[test]
    fn splits_like_the_configuration_lexer() {
        assert_eq!(
            words("community [65000:1 no-export] as-path ( 1 2 )"),
            [
                "community",
                "[",
                "65000:1",
                "no-export",
                "]",
                "as-path",
                "(",
                "1",
                "2",
                ")"
            ]
        );
        assert_eq!(words("a, b;c"), ["a", ",", "b", ";", "c"]);
        assert_eq!(
            words("advisory \"hello world\" x"),
            ["advisory", "hello world", "x"]
        );
        assert_eq!(words("  \t "), Vec::<&str>::new());
        assert_eq!(words("'open"), ["open"]);
    }

    #[test]
    fn offsets_and_finish() {
        let mut cur = Cursor::new("version  extra");
        assert_eq!(cur.next_word().unwrap().text, "version");
        let err = cur.finish().unwrap_err();
        assert_eq!(err.offset, 9);
        assert_eq!(err.token, "extra");
    }
}
