//! A neighbor's `evpn { <route type> …; … }` block: one EVPN route per statement, in the
//! grammar of [`crate::route::evpn`] (Herald's own; ExaBGP 5 cannot announce EVPN).
//!
//! ```text
//! evpn {
//!     mac-advertisement rd 65000:1 etag 10 mac 00:11:22:33:44:55 ip 10.0.0.1 label 100 next-hop 192.0.2.1;
//!     multicast rd 65000:1 etag 10 ip 192.0.2.1 next-hop 192.0.2.1 extended-community [ target:65000:1 ];
//! }
//! ```

use super::{Ctx, RouteList};
use crate::lexer::{self, Node, Token};
use crate::model::NextHop;
use crate::route;

/// Parses the block's statements into routes; every route needs a next hop.
pub(crate) fn evpn_block(ctx: &mut Ctx, node: &Node, out: &mut RouteList) {
    ctx.no_extra(node, 1);
    for child in node.children.iter().flatten() {
        let Some(first) = child.words.first() else {
            continue;
        };
        if child.children.is_some() {
            ctx.err(first, format!("'{}' is not a block", child.keyword()));
            continue;
        }
        let owned: Vec<Token> = child.words.clone();
        let split = lexer::split_parens(&owned);
        let toks: Vec<&Token> = split.iter().collect();
        let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
        match route::evpn::parse_evpn(&words) {
            Ok(r) if r.next_hop == NextHop::None => {
                ctx.err(first, "invalid announcement (missing next-hop ?)");
            }
            Ok(r) => out.push(r, ctx.here(first)),
            Err(e) => {
                let tok = toks.get(e.index).or(toks.last()).copied().unwrap_or(first);
                ctx.err(tok, e.reason);
            }
        }
    }
}
