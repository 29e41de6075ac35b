//! The small regular-expression subset used by `api { processes-match [ … ] }`.
//!
//! ExaBGP selects processes with Python's `re.match(pattern, name)`: the match is anchored
//! at the start of the name but not at its end. Process names are short identifiers, and
//! the patterns seen in configurations are prefixes (`"^add"`), alternations and simple
//! classes, so Herald implements this subset instead of pulling in a regex engine:
//! literals, `.`, `^`, `$`, `*`, `+`, `?`, `[…]` / `[^…]` classes with ranges, escapes
//! (`\d`, `\w`, `\s` and escaped punctuation) and top-level `|` alternation. Anything else
//! (groups, counted repetition) is refused with an error, so a pattern never silently
//! means something other than in ExaBGP.

/// A compiled `processes-match` pattern.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pattern {
    alternatives: Vec<Vec<Piece>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum Atom {
    Any,
    Char(char),
    Class {
        negated: bool,
        items: Vec<ClassItem>,
    },
    End,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum ClassItem {
    Range(char, char),
    Digit,
    Word,
    Space,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Repeat {
    One,
    ZeroOrOne,
    ZeroOrMore,
    OneOrMore,
}

#[derive(Debug, Clone, PartialEq, Eq)]
struct Piece {
    atom: Atom,
    repeat: Repeat,
}

/// Why a pattern was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unsupported processes-match pattern '{pattern}': {reason}")]
pub struct PatternError {
    /// The pattern as written.
    pub pattern: String,
    /// What is not supported or malformed.
    pub reason: &'static str,
}

impl Pattern {
    /// Compiles `pattern`.
    pub fn new(pattern: &str) -> Result<Self, PatternError> {
        let err = |reason| PatternError {
            pattern: pattern.to_owned(),
            reason,
        };
        let mut alternatives = Vec::new();
        for alt in pattern.split('|') {
            let mut pieces: Vec<Piece> = Vec::new();
            let mut chars = alt.chars().peekable();
            let mut first = true;
            while let Some(c) = chars.next() {
                let atom = match c {
                    '^' if first => {
                        first = false;
                        continue;
                    }
                    '.' => Atom::Any,
                    '$' if chars.peek().is_none() => Atom::End,
                    '\\' => match chars.next() {
                        Some('d') => class(vec![ClassItem::Digit]),
                        Some('w') => class(vec![ClassItem::Word]),
                        Some('s') => class(vec![ClassItem::Space]),
                        Some(c) if !c.is_ascii_alphanumeric() => Atom::Char(c),
                        _ => return Err(err("unknown escape")),
                    },
                    '[' => parse_class(&mut chars).ok_or_else(|| err("bad character class"))?,
                    '*' | '+' | '?' => {
                        let Some(last) = pieces.last_mut() else {
                            return Err(err("nothing to repeat"));
                        };
                        if last.repeat != Repeat::One {
                            return Err(err("multiple repeat"));
                        }
                        last.repeat = match c {
                            '*' => Repeat::ZeroOrMore,
                            '+' => Repeat::OneOrMore,
                            _ => Repeat::ZeroOrOne,
                        };
                        continue;
                    }
                    '(' | ')' | '{' | '}' | '^' | '$' | ']' => {
                        return Err(err(
                            "groups, counted repetition and inner anchors are not supported",
                        ))
                    }
                    c => Atom::Char(c),
                };
                first = false;
                pieces.push(Piece {
                    atom,
                    repeat: Repeat::One,
                });
            }
            alternatives.push(pieces);
        }
        Ok(Self { alternatives })
    }

    /// True when the pattern matches at the start of `name` (Python `re.match`).
    pub fn matches(&self, name: &str) -> bool {
        let chars: Vec<char> = name.chars().collect();
        self.alternatives
            .iter()
            .any(|pieces| match_here(pieces, &chars))
    }
}

fn class(items: Vec<ClassItem>) -> Atom {
    Atom::Class {
        negated: false,
        items,
    }
}

fn parse_class(chars: &mut std::iter::Peekable<std::str::Chars<'_>>) -> Option<Atom> {
    let negated = chars.peek() == Some(&'^');
    if negated {
        chars.next();
    }
    let mut items = Vec::new();
    let mut first = true;
    loop {
        let c = chars.next()?;
        let c = match c {
            ']' if !first => return Some(Atom::Class { negated, items }),
            '\\' => match chars.next()? {
                'd' => {
                    items.push(ClassItem::Digit);
                    first = false;
                    continue;
                }
                'w' => {
                    items.push(ClassItem::Word);
                    first = false;
                    continue;
                }
                's' => {
                    items.push(ClassItem::Space);
                    first = false;
                    continue;
                }
                other => other,
            },
            c => c,
        };
        first = false;
        if chars.peek() == Some(&'-') {
            let mut lookahead = chars.clone();
            lookahead.next();
            match lookahead.peek() {
                Some(&end) if end != ']' => {
                    chars.next();
                    chars.next();
                    items.push(ClassItem::Range(c, end));
                    continue;
                }
                _ => {}
            }
        }
        items.push(ClassItem::Range(c, c));
    }
}

fn atom_matches(atom: &Atom, c: char) -> bool {
    match atom {
        Atom::Any => c != '\n',
        Atom::Char(x) => *x == c,
        Atom::End => false,
        Atom::Class { negated, items } => {
            let hit = items.iter().any(|item| match item {
                ClassItem::Range(a, b) => (*a..=*b).contains(&c),
                ClassItem::Digit => c.is_ascii_digit(),
                ClassItem::Word => c.is_alphanumeric() || c == '_',
                ClassItem::Space => c.is_whitespace(),
            });
            hit != *negated
        }
    }
}

/// Backtracking match of `pieces` at the start of `text` (patterns and names are short).
fn match_here(pieces: &[Piece], text: &[char]) -> bool {
    let Some((piece, rest)) = pieces.split_first() else {
        return true;
    };
    if piece.atom == Atom::End {
        return text.is_empty();
    }
    let (min, max) = match piece.repeat {
        Repeat::One => (1, 1),
        Repeat::ZeroOrOne => (0, 1),
        Repeat::ZeroOrMore => (0, usize::MAX),
        Repeat::OneOrMore => (1, usize::MAX),
    };
    let mut count = 0;
    while count < max
        && text
            .get(count)
            .is_some_and(|&c| atom_matches(&piece.atom, c))
    {
        count += 1;
    }
    // greedy: try the longest run first
    (min..=count)
        .rev()
        .any(|n| text.get(n..).is_some_and(|tail| match_here(rest, tail)))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn m(p: &str, name: &str) -> bool {
        Pattern::new(p).unwrap().matches(name)
    }

    #[test]
    fn python_re_match_semantics() {
        assert!(m("^add", "add-remove"));
        assert!(m("add", "add-remove"));
        assert!(!m("remove", "add-remove")); // anchored at the start
        assert!(m("add-remove$", "add-remove"));
        assert!(!m("add$", "add-remove"));
        assert!(m("a.d", "and"));
        assert!(m("ab*c", "ac"));
        assert!(m("ab+c", "abbbc"));
        assert!(!m("ab+c", "ac"));
        assert!(m("colou?r", "color"));
        assert!(m("[a-c]+-x", "cab-x"));
        assert!(m("[^0-9]", "x"));
        assert!(!m("[^0-9]", "7"));
        assert!(m("svc\\d+", "svc42"));
        assert!(m("foo|bar", "bar1"));
        assert!(m("a\\.b", "a.b"));
        assert!(!m("a\\.b", "axb"));
        assert!(m(".*", ""));
    }

    #[test]
    fn unsupported_syntax_is_refused() {
        assert!(Pattern::new("(a|b)").is_err());
        assert!(Pattern::new("a{2}").is_err());
        assert!(Pattern::new("*a").is_err());
        assert!(Pattern::new("[abc").is_err());
    }
}
