//! The inputs of a parse: texts in memory, or files read a line at a time (a file of a
//! million `static` routes is never held whole), and how many routes a `static` block of
//! each may hold (to size its list once).

use std::cell::Cell;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::rc::Rc;

use super::{stream, Ctx};
use crate::lexer::{self, LexError, Node};
use crate::Source;

/// One configuration text of a parse.
pub(crate) enum Input<'a> {
    /// A text in memory.
    Text(&'a Source),
    /// An open file and the name used for it in messages.
    File { name: String, file: File },
}

impl Input<'_> {
    /// The name used in messages.
    pub(crate) fn name(&self) -> &str {
        match self {
            Self::Text(source) => &source.name,
            Self::File { name, .. } => name,
        }
    }

    /// Lexes the input, handing the statements of `static` blocks to
    /// [`stream::divert`]; a read error (or a file that is not UTF-8) is returned as is.
    pub(crate) fn lex(self, ctx: &mut Ctx) -> std::io::Result<(Vec<Node>, Vec<LexError>)> {
        match self {
            Self::Text(source) => {
                let mut lines: Option<usize> = None;
                // every line left may be a route
                let mut room = |first: &Node| {
                    let total = *lines.get_or_insert_with(|| source.text.lines().count());
                    let line = usize::try_from(first.end.0).unwrap_or(usize::MAX);
                    total.saturating_sub(line).saturating_add(1)
                };
                Ok(lexer::parse_with(&source.text, &mut |path, node| {
                    stream::divert(ctx, path, node, &mut room)
                }))
            }
            Self::File { file, .. } => {
                let size = file.metadata().map(|m| m.len()).unwrap_or(0);
                let read = Rc::new(Cell::new(0));
                let reader = Counted {
                    inner: BufReader::with_capacity(1 << 16, file),
                    read: Rc::clone(&read),
                };
                // the octets left, in lines as long as the block's first statement's
                let mut room = |first: &Node| {
                    let left = size.saturating_sub(read.get());
                    let line = u64::from(first.end.1).saturating_add(1);
                    usize::try_from(left / line)
                        .unwrap_or(usize::MAX)
                        .saturating_add(1)
                };
                lexer::parse_reader_with(reader, &mut |path, node| {
                    stream::divert(ctx, path, node, &mut room)
                })
            }
        }
    }
}

/// A reader that counts the octets read through it.
struct Counted<R> {
    inner: R,
    read: Rc<Cell<u64>>,
}

impl<R> Counted<R> {
    fn add(&self, n: usize) {
        let n = u64::try_from(n).unwrap_or(u64::MAX);
        self.read.set(self.read.get().saturating_add(n));
    }
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.add(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amt: usize) {
        self.inner.consume(amt);
        self.add(amt);
    }
}
