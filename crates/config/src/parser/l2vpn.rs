//! Typed VPLS and MCAST-VPN routes of a neighbor (spec §1.6, §1.8): `l2vpn { vpls …; vpls
//! <name> { … } }`, `announce { l2vpn { vpls … } }` and `announce { ipv4 { mcast-vpn …
//! } }`, parsed by [`route::vpls`] and [`route::mvpn`].

use wire::Afi;

use super::{Ctx, RouteList};
use crate::lexer::{self, Node, Token};
use crate::route::{self, RouteError};

/// `l2vpn { vpls …; vpls <name> { <statement>; … } }`.
pub(crate) fn l2vpn_block(ctx: &mut Ctx, node: &Node, out: &mut RouteList) {
    ctx.no_extra(node, 1);
    for child in node.children.iter().flatten() {
        if child.keyword() != "vpls" {
            ctx.err_node(
                child,
                format!("unknown l2vpn option '{}' (expected vpls)", child.keyword()),
            );
            continue;
        }
        vpls(ctx, child, out);
    }
}

/// One `vpls` statement or block (the words after `vpls`; a block's name is skipped).
pub(crate) fn vpls(ctx: &mut Ctx, node: &Node, out: &mut RouteList) {
    let Some(first) = node.words.first() else {
        return;
    };
    let mut toks: Vec<&Token> = node.words.iter().skip(1).collect();
    if let Some(children) = &node.children {
        // `vpls <name> { … }`: the name only labels the block.
        if toks.len() > 1 {
            ctx.err(toks[1], "unexpected value for 'vpls'");
            return;
        }
        toks.clear();
        for child in children {
            if child.children.is_some() {
                ctx.err_node(child, format!("'{}' is not a block", child.keyword()));
                return;
            }
            if !route::vpls::is_vpls_word(child.keyword()) {
                ctx.err_node(
                    child,
                    format!("unknown vpls attribute '{}'", child.keyword()),
                );
                return;
            }
            toks.extend(child.words.iter());
        }
    }
    let toks = split(&toks);
    let refs: Vec<&Token> = toks.iter().collect();
    let words: Vec<&str> = refs.iter().map(|t| t.text.as_str()).collect();
    match route::vpls::parse_vpls(&words, true) {
        Ok(r) => out.push(r, ctx.here(first)),
        Err(e) => report(ctx, node, &refs, e),
    }
}

/// `mcast-vpn <type> …;` inside `announce { ipv4 { } }` or `ipv6`.
pub(crate) fn mvpn(ctx: &mut Ctx, afi: Afi, node: &Node, out: &mut RouteList) {
    let Some(first) = node.words.first() else {
        return;
    };
    let toks: Vec<&Token> = node.words.iter().skip(1).collect();
    let toks = split(&toks);
    let refs: Vec<&Token> = toks.iter().collect();
    let words: Vec<&str> = refs.iter().map(|t| t.text.as_str()).collect();
    match route::mvpn::parse_mvpn(&words, afi) {
        Ok(r) => out.push(r, ctx.here(first)),
        Err(e) => report(ctx, node, &refs, e),
    }
}

fn split(toks: &[&Token]) -> Vec<Token> {
    let owned: Vec<Token> = toks.iter().map(|t| (*t).clone()).collect();
    lexer::split_parens(&owned)
}

/// Records a route-grammar error against its word, or at the end of the statement.
fn report(ctx: &mut Ctx, node: &Node, toks: &[&Token], e: RouteError) {
    match toks.get(e.index).or(toks.last()) {
        Some(tok) => ctx.err(tok, e.reason),
        None => ctx.err_node(node, e.reason),
    }
}
