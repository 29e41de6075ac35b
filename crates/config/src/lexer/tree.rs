//! The block tree: statements of [`super::Statements`] nested by `{` / `}`.

use std::io::BufRead;

use super::{End, LexError, Node, Statements, Token};

/// A block still open around the statement being handed to a [`parse_with`] hook.
#[derive(Debug)]
pub struct Block {
    /// The words before its `{`.
    pub words: Vec<Token>,
    /// The position of its `{` (the [`Node::end`] its node gets), unique in a file.
    pub at: (u32, u32),
    /// The statements kept so far.
    children: Vec<Node>,
}

impl Block {
    /// The first word, or `""`.
    pub fn keyword(&self) -> &str {
        self.words.first().map(|t| t.text.as_str()).unwrap_or("")
    }
}

/// Splits `text` into statements and blocks.
pub fn parse(text: &str) -> (Vec<Node>, Vec<LexError>) {
    parse_with(text, &mut |_, node| Some(node))
}

/// [`parse`], handing every statement and block to `hook` once it is complete, with the
/// blocks around it (outermost first): the node is kept in the tree when `hook` gives it
/// back, and dropped when `hook` takes it. Nodes come in file order (a block after the
/// statements inside it).
pub fn parse_with(
    text: &str,
    hook: &mut dyn FnMut(&[Block], Node) -> Option<Node>,
) -> (Vec<Node>, Vec<LexError>) {
    build(&mut Statements::new(text), hook)
}

/// [`parse_with`] reading the text a line at a time from `reader` (a large file is never
/// held whole), or the read error (or invalid UTF-8) that stopped it.
pub fn parse_reader_with(
    reader: impl BufRead,
    hook: &mut dyn FnMut(&[Block], Node) -> Option<Node>,
) -> Result<(Vec<Node>, Vec<LexError>), std::io::Error> {
    let mut statements = Statements::from_reader(reader);
    let parsed = build(&mut statements, hook);
    match statements.take_read_error() {
        Some(e) => Err(e),
        None => Ok(parsed),
    }
}

fn build(
    statements: &mut Statements<'_>,
    hook: &mut dyn FnMut(&[Block], Node) -> Option<Node>,
) -> (Vec<Node>, Vec<LexError>) {
    let mut open: Vec<Block> = Vec::new();
    let mut top = Vec::new();
    let mut emit = |open: &mut Vec<Block>, node: Node| {
        if let Some(node) = hook(open, node) {
            match open.last_mut() {
                Some(block) => block.children.push(node),
                None => top.push(node),
            }
        }
    };
    for (words, end, pos) in statements.by_ref() {
        match end {
            End::Semi => emit(
                &mut open,
                Node {
                    words,
                    children: None,
                    end: pos,
                },
            ),
            End::Open => open.push(Block {
                words,
                at: pos,
                children: Vec::new(),
            }),
            End::Close => {
                if !words.is_empty() {
                    emit(
                        &mut open,
                        Node {
                            words,
                            children: None,
                            end: pos,
                        },
                    );
                }
                // ExaBGP ignores a '}' with no block to close at the top level
                if let Some(block) = open.pop() {
                    emit(&mut open, block.into_node());
                }
            }
        }
    }
    // ExaBGP closes the blocks still open at the end of the file
    while let Some(block) = open.pop() {
        emit(&mut open, block.into_node());
    }
    (top, statements.take_errors())
}

impl Block {
    fn into_node(self) -> Node {
        Node {
            words: self.words,
            children: Some(self.children),
            end: self.at,
        }
    }
}
