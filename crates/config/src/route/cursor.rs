//! A cursor over the words of one statement, and where it puts the blame for an error.

use super::RouteError;

/// A cursor over the words of one statement.
#[derive(Debug, Clone)]
pub struct Cursor<'a> {
    words: Vec<&'a str>,
    pos: usize,
}

impl<'a> Cursor<'a> {
    /// A cursor at the first word.
    pub fn new(words: Vec<&'a str>) -> Self {
        Self { words, pos: 0 }
    }

    /// The next word, consumed.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> Option<&'a str> {
        let word = self.words.get(self.pos).copied();
        if word.is_some() {
            self.pos += 1;
        }
        word
    }

    /// The next word, not consumed.
    pub fn peek(&self) -> Option<&'a str> {
        self.words.get(self.pos).copied()
    }

    /// The next word, which must exist: the value of `what`.
    pub fn value(&mut self, what: &str) -> Result<&'a str, String> {
        self.next()
            .ok_or_else(|| format!("{what} requires a value"))
    }

    /// Index of the next word.
    pub fn position(&self) -> usize {
        self.pos
    }

    /// True when every word was consumed.
    pub fn is_empty(&self) -> bool {
        self.pos >= self.words.len()
    }

    /// The index of the word at fault for an error in the item whose keyword is at `start`:
    /// the value (the last word read) when the item took one, the keyword otherwise.
    pub fn fault(&self, start: usize) -> usize {
        if self.pos > start + 1 {
            self.pos - 1
        } else {
            start
        }
    }

    pub(super) fn word_at(&self, index: usize) -> &'a str {
        self.words.get(index).copied().unwrap_or("")
    }

    /// The error `reason` about the word at `index`.
    pub(crate) fn error(&self, index: usize, reason: String) -> RouteError {
        RouteError {
            index,
            near: self.word_at(index).to_owned(),
            reason,
        }
    }
}
