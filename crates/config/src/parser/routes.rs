//! Route blocks of a neighbor: `static { route … }` (one-line and block forms),
//! `announce { ipv4 { unicast … } … }` (spec §1.5, §1.6; `mup …` lines through
//! [`route::mup`]), `flow { route … }` (§1.7), and
//! the blocks kept raw for the families without a typed model yet (`l2vpn`,
//! `operational`, spec §1.8–§1.9).

use wire::{Afi, Family, Safi};

use super::{At, Ctx, RouteList};
use crate::lexer::{self, Node, Token};
use crate::model::{NextHop, RawSection, Route};
use crate::route;

/// Parses `prefix attributes…` given as tokens, forcing `safi` when given, and records
/// errors against the right token.
fn route_from_tokens(ctx: &mut Ctx, toks: &[&Token], safi: Option<Safi>) -> Option<Route> {
    // words are copied only when parentheses must be split off (rare)
    let split;
    let toks: Vec<&Token> = if toks.iter().any(|t| lexer::has_parens(t)) {
        let owned: Vec<Token> = toks.iter().map(|t| (*t).clone()).collect();
        split = lexer::split_parens(&owned);
        split.iter().collect()
    } else {
        toks.to_vec()
    };
    let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
    let result = route::parse_route(&words).map(|mut r| {
        route::settle_family(&mut r, safi);
        r
    });
    match result {
        Ok(r) => Some(r),
        Err(e) => {
            if let Some(tok) = toks.get(e.index).or(toks.last()) {
                ctx.err(tok, e.reason);
            }
            None
        }
    }
}

/// Adds `route`, or with `split` its more-specifics, all written at `at`.
fn push_expanded(out: &mut RouteList, route: Route, at: At) {
    if route.split.is_none() {
        out.push(route, at);
    } else {
        for r in route::expand_split(route) {
            out.push(r, at);
        }
    }
}

/// ExaBGP refuses a unicast/multicast route without a next hop (labeled and VPN routes
/// may go without).
fn check_next_hop(ctx: &mut Ctx, tok: &Token, route: &Route) -> bool {
    let unicastish = matches!(route.family.safi, Safi::UNICAST | Safi::MULTICAST);
    if unicastish && route.next_hop == NextHop::None {
        ctx.err(tok, "invalid announcement (missing next-hop ?)");
        return false;
    }
    true
}

/// `route <prefix> …;` or `route <prefix> { … }` (inside `static`, or directly in a
/// neighbor as ExaBGP 3 allowed).
pub(crate) fn static_route(ctx: &mut Ctx, node: &Node, out: &mut RouteList) {
    let mut toks: Vec<&Token> = node.words.iter().skip(1).collect();
    if toks.is_empty() {
        ctx.err_missing(node, "route");
        return;
    }
    for child in node.children.iter().flatten() {
        if child.children.is_some() {
            ctx.err_node(child, format!("'{}' is not a block", child.keyword()));
            return;
        }
        if let Some(first) = child.words.first() {
            if !route::is_attribute_word(&first.text) {
                ctx.err(first, format!("unknown route attribute '{}'", first.text));
                return;
            }
        }
        toks.extend(child.words.iter());
    }
    let Some(first) = toks.first().copied() else {
        return;
    };
    if let Some(r) = route_from_tokens(ctx, &toks, None) {
        if let Err(reason) = route::check_split(&r) {
            ctx.err(first, reason);
            return;
        }
        if check_next_hop(ctx, first, &r) {
            push_expanded(out, r, ctx.here(first));
        }
    }
}

/// `static { route …; route … { … } }`: false when one of its statements was refused.
/// The statements were usually parsed while the file was lexed ([`super::stream`]).
pub(crate) fn static_block(ctx: &mut Ctx, node: &Node, out: &mut RouteList) -> bool {
    ctx.no_extra(node, 1);
    let mut ok = true;
    if let Some((routes, failed)) = ctx.statics.take(node.end) {
        out.append(routes);
        ok = !failed;
    }
    for child in node.children.iter().flatten() {
        static_statement(ctx, child, out);
    }
    ok
}

/// One statement of a `static` block.
pub(crate) fn static_statement(ctx: &mut Ctx, child: &Node, out: &mut RouteList) {
    match child.keyword() {
        "route" => static_route(ctx, child, out),
        other => ctx.err_node(
            child,
            format!("unknown static option '{other}' (expected route)"),
        ),
    }
}

/// The words of a node and its children, blocks as `{ … }` and statements ended by `;`.
/// Without recursion: blocks may nest as deep as the file goes.
fn flatten(node: &Node, out: &mut Vec<String>) {
    enum Step<'a> {
        Node(&'a Node),
        Close,
    }
    let mut steps = vec![Step::Node(node)];
    while let Some(step) = steps.pop() {
        let node = match step {
            Step::Close => {
                out.push("}".into());
                continue;
            }
            Step::Node(node) => node,
        };
        out.extend(node.words.iter().map(|t| t.text.clone()));
        match &node.children {
            Some(children) => {
                out.push("{".into());
                steps.push(Step::Close);
                steps.extend(children.iter().rev().map(Step::Node));
            }
            None => out.push(";".into()),
        }
    }
}

/// A FlowSpec route's family: `flow-vpn` when it has an `rd`, IPv6 when a prefix in it is.
fn flow_family(words: &[String]) -> Family {
    let vpn = words
        .iter()
        .any(|w| w == "rd" || w == "route-distinguisher");
    let v6 = words.windows(2).any(|w| {
        matches!(
            w[0].as_str(),
            "source" | "destination" | "source-ipv6" | "destination-ipv6"
        ) && w[1].contains(':')
    });
    let afi = if v6 { Afi::IPV6 } else { Afi::IPV4 };
    Family::new(afi, if vpn { Safi::FLOW_VPN } else { Safi::FLOW })
}

/// `flow { route <name> { rd …; next-hop …; match { … } scope { … } then { … } } }` (spec
/// §1.7): one typed route per `route`, parsed by [`route::flow::parse_flow`].
pub(crate) fn flow_block(ctx: &mut Ctx, node: &Node, out: &mut RouteList) {
    ctx.no_extra(node, 1);
    for child in node.children.iter().flatten() {
        let Some(first) = child.words.first() else {
            continue;
        };
        if child.keyword() != "route" {
            ctx.err_node(child, format!("unknown flow option '{}'", child.keyword()));
            continue;
        }
        let mut words = Vec::new();
        flatten(child, &mut words);
        let name = child
            .words
            .get(1)
            .map(|t| t.text.clone())
            .filter(|_| child.children.is_some());
        let skip = if name.is_some() { 2 } else { 1 };
        let refs: Vec<&str> = words.iter().skip(skip).map(String::as_str).collect();
        match route::flow::parse_flow(&refs) {
            Ok(mut r) => {
                r.name = name;
                out.push(r, ctx.here(first));
            }
            Err(e) => ctx.err(first, e.to_string()),
        }
    }
}

/// `l2vpn { }`, `operational { }`: one [`RawSection`] per statement or block.
pub(crate) fn raw_block(ctx: &mut Ctx, node: &Node, out: &mut Vec<RawSection>) {
    let kind = node.keyword().to_owned();
    ctx.no_extra(node, 1);
    for child in node.children.iter().flatten() {
        let mut words = Vec::new();
        flatten(child, &mut words);
        let family = match (kind.as_str(), child.keyword()) {
            ("flow", "route") => Some(flow_family(&words)),
            ("l2vpn", "vpls") => Some(Family::new(Afi::L2VPN, Safi::VPLS)),
            ("operational", _) => None,
            (_, other) => {
                ctx.err_node(child, format!("unknown {kind} option '{other}'"));
                continue;
            }
        };
        let location = child.words.first().map(|t| ctx.loc(t)).unwrap_or_default();
        out.push(RawSection {
            kind: kind.clone(),
            family,
            words,
            location,
        });
    }
}

/// `announce { ipv4 { <safi> …; } ipv6 { … } l2vpn { vpls …; } }` (spec §1.6).
pub(crate) fn announce_block(
    ctx: &mut Ctx,
    node: &Node,
    routes: &mut RouteList,
    raw: &mut Vec<RawSection>,
) {
    ctx.no_extra(node, 1);
    for afi_node in node.children.iter().flatten() {
        let afi = match afi_node.keyword() {
            "ipv4" => Afi::IPV4,
            "ipv6" => Afi::IPV6,
            "l2vpn" => Afi::L2VPN,
            other => {
                ctx.err_node(
                    afi_node,
                    format!("unknown announce section '{other}' (ipv4, ipv6 or l2vpn)"),
                );
                continue;
            }
        };
        let Some(children) = &afi_node.children else {
            ctx.err_node(
                afi_node,
                format!("'{}' must be a block {{ }}", afi_node.keyword()),
            );
            continue;
        };
        ctx.no_extra(afi_node, 1);
        for line in children {
            announce_line(ctx, afi, line, routes, raw);
        }
    }
}

fn announce_line(
    ctx: &mut Ctx,
    afi: Afi,
    line: &Node,
    routes: &mut RouteList,
    raw: &mut Vec<RawSection>,
) {
    let Some(first) = line.words.first() else {
        return;
    };
    let safi_name = first.text.as_str();
    let typed = matches!(
        safi_name,
        "unicast" | "multicast" | "nlri-mpls" | "mpls-vpn"
    );
    let known = if afi == Afi::L2VPN {
        safi_name == "vpls"
    } else {
        typed || matches!(safi_name, "mcast-vpn" | "flow" | "flow-vpn" | "mup")
    };
    let Some(safi) = Safi::from_name(safi_name).filter(|_| known) else {
        ctx.err(first, format!("unknown {} family '{safi_name}'", afi));
        return;
    };
    if line.children.is_some() {
        ctx.err(
            first,
            format!("section {safi_name} is invalid in {afi}, neighbor/announce/{afi}"),
        );
        return;
    }
    if safi == Safi::MUP && afi != Afi::L2VPN {
        mup_line(ctx, afi, line, routes);
        return;
    }
    if afi == Afi::L2VPN {
        super::l2vpn::vpls(ctx, line, routes);
        return;
    }
    if safi == Safi::MCAST_VPN {
        super::l2vpn::mvpn(ctx, afi, line, routes);
        return;
    }
    if !typed {
        let mut words = Vec::new();
        flatten(line, &mut words);
        let family = if safi == Safi::FLOW || safi == Safi::FLOW_VPN {
            let f = flow_family(&words);
            Family::new(afi, f.safi.max(safi))
        } else {
            Family::new(afi, safi)
        };
        raw.push(RawSection {
            kind: "announce".into(),
            family: Some(family),
            words,
            location: ctx.loc(first),
        });
        return;
    }
    let toks: Vec<&Token> = line.words.iter().skip(1).collect();
    let Some(prefix_tok) = toks.first().copied() else {
        ctx.err_missing(line, safi_name);
        return;
    };
    let Some(r) = route_from_tokens(ctx, &toks, Some(safi)) else {
        return;
    };
    let route_afi = r.family.afi;
    if route_afi != afi {
        ctx.err(prefix_tok, format!("this prefix is not {afi}"));
        return;
    }
    if let Err(reason) = route::check_split(&r) {
        ctx.err(prefix_tok, reason);
        return;
    }
    if !check_next_hop(ctx, prefix_tok, &r) {
        return;
    }
    push_expanded(routes, r, ctx.here(prefix_tok));
}

/// `mup mup-isd … ;` (and the other MUP route types) in `announce { ipv4|ipv6 { } }`:
/// one typed route, parsed by [`route::mup::parse_mup`].
fn mup_line(ctx: &mut Ctx, afi: Afi, line: &Node, routes: &mut RouteList) {
    let owned: Vec<Token> = line.words.iter().skip(1).cloned().collect();
    let split = lexer::split_parens(&owned);
    let toks: Vec<&Token> = split.iter().collect();
    let Some(first) = toks.first().copied() else {
        ctx.err_missing(line, "mup");
        return;
    };
    let words: Vec<&str> = toks.iter().map(|t| t.text.as_str()).collect();
    match route::mup::parse_mup(afi, &words) {
        Ok(r) => routes.push(r, ctx.here(first)),
        Err(e) => {
            let tok = toks.get(e.index).or(toks.last()).copied().unwrap_or(first);
            ctx.err(tok, e.reason);
        }
    }
}
