//! Routes of `static { }` blocks, parsed as the lexer completes each statement so that a
//! block of a million routes is never held as words (the block's node reaches the
//! neighbor walker empty), and the compact list the drafts keep routes in.

use std::collections::HashMap;

use super::{routes, Ctx};
use crate::lexer::{Block, Node};
use crate::model::{Location, Route};

/// Where a route was written: the index of its file in the parse, line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct At {
    pub(crate) file: u32,
    pub(crate) line: u32,
    pub(crate) col: u32,
}

impl At {
    /// The location in `files` (the source names, in parse order).
    pub(crate) fn location(self, files: &[String]) -> Location {
        Location {
            file: usize::try_from(self.file)
                .ok()
                .and_then(|i| files.get(i))
                .cloned()
                .unwrap_or_default(),
            line: self.line,
            col: self.col,
        }
    }
}

/// Routes in file order, kept so that they move into the [`crate::Neighbor`] without a
/// copy, and where those the neighbor's checks may refuse were written.
#[derive(Debug, Clone, Default)]
pub(crate) struct RouteList {
    pub(crate) routes: Vec<Route>,
    /// The index and location of each route [`may_be_refused`], in order.
    checked: Vec<(usize, At)>,
}

/// True when the checks made once the neighbor is complete (its families, its `nexthop`
/// entries) may refuse `route`: a route of another family than IPv4 unicast (implied),
/// or an IPv4 route with an IPv6 next hop (RFC 8950). The others need no location kept.
fn may_be_refused(route: &Route) -> bool {
    route.family != wire::Family::IPV4_UNICAST || crate::nexthop::needed(route).is_some()
}

impl RouteList {
    /// Adds a route.
    pub(crate) fn push(&mut self, route: Route, at: At) {
        if may_be_refused(&route) {
            self.checked.push((self.routes.len(), at));
        }
        self.routes.push(route);
    }

    /// Moves the routes of `other` after these.
    pub(crate) fn append(&mut self, mut other: Self) {
        if self.routes.is_empty() {
            std::mem::swap(self, &mut other);
        } else {
            let base = self.routes.len();
            self.routes.append(&mut other.routes);
            self.checked
                .extend(other.checked.into_iter().map(|(i, at)| (base + i, at)));
        }
    }

    /// Copies the routes of `other` after these (template inheritance).
    pub(crate) fn extend_from(&mut self, other: &Self) {
        let base = self.routes.len();
        self.routes.extend(other.routes.iter().cloned());
        self.checked
            .extend(other.checked.iter().map(|(i, at)| (base + i, *at)));
    }

    /// The routes the neighbor's checks may refuse, in order, with where each was written.
    pub(crate) fn to_check(&self) -> impl Iterator<Item = (&Route, At)> {
        self.checked
            .iter()
            .filter_map(|(i, at)| Some((self.routes.get(*i)?, *at)))
    }
}

/// The routes of one `static` block, parsed while the file was lexed.
#[derive(Debug, Default)]
pub(crate) struct Streamed {
    routes: RouteList,
    /// An error was reported for one of its statements.
    failed: bool,
}

impl Streamed {
    /// An empty list with room for `lines` routes (one per line left in the file, at
    /// most: the pages of the room not used are never touched, and growing a list of a
    /// million routes by doubling would copy it into fresh pages, which is most of the
    /// time of a large start).
    fn with_room(lines: usize) -> Self {
        let mut s = Self::default();
        // an estimate: when the room can not be had, the list grows as it goes
        let _ = s.routes.routes.try_reserve_exact(lines);
        s
    }

    /// The block is read: room much larger than the routes is given back.
    fn finish(mut self) -> Self {
        if self.routes.routes.capacity() / 2 > self.routes.routes.len() {
            self.routes.routes.shrink_to_fit();
        }
        self
    }
}

/// The `static` blocks of one file parsed while it was lexed, by the position of their
/// `{`, and the one being read.
#[derive(Debug, Default)]
pub(crate) struct StaticBlocks {
    done: HashMap<(u32, u32), Streamed>,
    current: Option<((u32, u32), Streamed)>,
}

impl StaticBlocks {
    /// The routes parsed for the block whose `{` is at `at`, and whether one of its
    /// statements was refused; `None` when the block was not streamed.
    pub(crate) fn take(&mut self, at: (u32, u32)) -> Option<(RouteList, bool)> {
        if self.current.as_ref().is_some_and(|(k, _)| *k == at) {
            let (_, s) = self.current.take()?;
            let s = s.finish();
            return Some((s.routes, s.failed));
        }
        self.done.remove(&at).map(|s| (s.routes, s.failed))
    }
}

/// True when `path` (the blocks around a statement) is the body of a `static` block that
/// the neighbor walker reads: `neighbor … { static { } }`, or `template { neighbor <name>
/// … { static { } } }` (a template block with words after `template` is refused whole,
/// and a template neighbor without a name is skipped).
fn in_static(path: &[Block]) -> bool {
    match path {
        [n, s] => n.keyword() == "neighbor" && s.keyword() == "static",
        [t, n, s] => {
            t.keyword() == "template"
                && t.words.len() == 1
                && n.keyword() == "neighbor"
                && n.words.len() >= 2
                && s.keyword() == "static"
        }
        _ => false,
    }
}

/// The [`crate::lexer::parse_with`] hook: a statement directly inside a `static` block
/// is parsed now (errors recorded as the neighbor walker would) and taken out of the tree;
/// every other node is kept. `room` estimates, from the first statement of a block, how
/// many routes it may hold (to size its list once).
pub(crate) fn divert(
    ctx: &mut Ctx,
    path: &[Block],
    node: Node,
    room: &mut dyn FnMut(&Node) -> usize,
) -> Option<Node> {
    if !in_static(path) {
        return Some(node);
    }
    let at = path.last()?.at;
    let mut current = match ctx.statics.current.take() {
        Some((k, s)) if k == at => s,
        other => {
            if let Some((k, s)) = other {
                ctx.statics.done.insert(k, s.finish());
            }
            Streamed::with_room(room(&node))
        }
    };
    let before = ctx.errors.len();
    routes::static_statement(ctx, &node, &mut current.routes);
    current.failed |= ctx.errors.len() > before;
    ctx.statics.current = Some((at, current));
    None
}
