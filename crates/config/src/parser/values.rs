//! Single-value statements (`key value;`) of the configuration: each reads the value of
//! `node`, records an error (with the token) when it is bad, and returns `None` then.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;

use super::Ctx;
use crate::lexer::Node;
use crate::model::{AsnSetting, Md5Base64};
use crate::route::values::{decimal_u64, parse_asn};

/// The value of `node`: the first word after the keyword.
pub(crate) fn one<'a>(ctx: &mut Ctx, node: &'a Node) -> Option<&'a str> {
    one_token(ctx, node).map(|t| t.text.as_str())
}

/// The token of the value of `node` (errors when it is missing or `node` is a block).
pub(crate) fn one_token<'a>(ctx: &mut Ctx, node: &'a Node) -> Option<&'a crate::lexer::Token> {
    if !ctx.expect_statement(node) {
        return None;
    }
    let Some(tok) = node.words.get(1) else {
        ctx.err_missing(node, node.keyword());
        return None;
    };
    // like ExaBGP, words after the value are ignored (`description foo bar;` is "foo")
    Some(tok)
}

fn bad(ctx: &mut Ctx, node: &Node, reason: String) {
    match node.words.get(1) {
        Some(tok) => ctx.err(tok, reason),
        None => ctx.err_node(node, reason),
    }
}

/// `true|enable|enabled|false|disable|disabled`; the keyword alone means `default`.
pub(crate) fn boolean(ctx: &mut Ctx, node: &Node, default: bool) -> Option<bool> {
    if node.words.len() == 1 && node.children.is_none() {
        return Some(default);
    }
    let value = one(ctx, node)?;
    match value.to_ascii_lowercase().as_str() {
        "true" | "enable" | "enabled" => Some(true),
        "false" | "disable" | "disabled" => Some(false),
        _ => {
            bad(ctx, node, format!("invalid value ({value}) for a boolean"));
            None
        }
    }
}

/// `md5-base64`: a boolean or `auto`; alone means false.
pub(crate) fn md5_base64(ctx: &mut Ctx, node: &Node) -> Option<Md5Base64> {
    if node.words.get(1).map(|t| t.text.as_str()) == Some("auto") {
        ctx.no_extra(node, 2);
        return Some(Md5Base64::Auto);
    }
    boolean(ctx, node, false).map(|b| if b { Md5Base64::True } else { Md5Base64::False })
}

/// An IP address.
pub(crate) fn ip(ctx: &mut Ctx, node: &Node) -> Option<IpAddr> {
    let value = one(ctx, node)?;
    match value.parse() {
        Ok(ip) => Some(ip),
        Err(_) => {
            bad(ctx, node, format!("\"{value}\" is an invalid IP address"));
            None
        }
    }
}

/// An IPv4 address (router-id).
pub(crate) fn ipv4(ctx: &mut Ctx, node: &Node, what: &str) -> Option<Ipv4Addr> {
    let value = one(ctx, node)?;
    match value.parse() {
        Ok(ip) => Some(ip),
        Err(_) => {
            bad(ctx, node, format!("\"{value}\" is an invalid {what}"));
            None
        }
    }
}

/// `local-address <ip>|auto`: `Some(None)` is auto.
pub(crate) fn ip_or_auto(ctx: &mut Ctx, node: &Node) -> Option<Option<IpAddr>> {
    if node.words.get(1).map(|t| t.text.as_str()) == Some("auto") {
        ctx.no_extra(node, 2);
        return Some(None);
    }
    ip(ctx, node).map(Some)
}

/// A peer address: an IP or a prefix (passive ranges).
pub(crate) fn peer(ctx: &mut Ctx, tok: &crate::lexer::Token) -> Option<IpNet> {
    let value = tok.text.as_str();
    let net = if value.contains('/') {
        value.parse::<IpNet>().ok()
    } else {
        value.parse::<IpAddr>().ok().map(IpNet::from)
    };
    if net.is_none() {
        ctx.err(tok, format!("\"{value}\" is an invalid IP address"));
    }
    net
}

/// `local-as` / `peer-as`: an ASN or `auto`.
pub(crate) fn asn(ctx: &mut Ctx, node: &Node) -> Option<AsnSetting> {
    let value = one(ctx, node)?;
    if value == "auto" {
        return Some(AsnSetting::Auto);
    }
    match parse_asn(value) {
        Ok(asn) => Some(AsnSetting::Asn(asn)),
        Err(e) => {
            bad(ctx, node, e);
            None
        }
    }
}

/// An unsigned integer no larger than `max`.
pub(crate) fn number(ctx: &mut Ctx, node: &Node, max: u64) -> Option<u64> {
    let value = one(ctx, node)?;
    match decimal_u64(value) {
        Some(n) if n <= max => Some(n),
        Some(_) => {
            bad(
                ctx,
                node,
                format!("'{}' must be at most {max}", node.keyword()),
            );
            None
        }
        None => {
            bad(
                ctx,
                node,
                format!("\"{value}\" is an invalid {}", node.keyword()),
            );
            None
        }
    }
}

/// `hold-time`: 0 or 3..=65535 (RFC 4271 §4.2).
pub(crate) fn hold_time(ctx: &mut Ctx, node: &Node) -> Option<u16> {
    let n = number(ctx, node, u64::from(u16::MAX))?;
    if n != 0 && n < 3 {
        bad(
            ctx,
            node,
            "holdtime must be zero or at least 3 seconds".into(),
        );
        return None;
    }
    u16::try_from(n).ok()
}

/// `outgoing-ttl` / `incoming-ttl`: 1..=255 or `disable`; `Some(None)` is disabled.
pub(crate) fn ttl(ctx: &mut Ctx, node: &Node) -> Option<Option<u8>> {
    let value = one(ctx, node)?;
    if matches!(value, "false" | "disable" | "disabled") {
        return Some(None);
    }
    match decimal_u64(value) {
        Some(n) if n <= 255 => Some(Some(n as u8)),
        Some(_) => {
            bad(ctx, node, "ttl must be smaller than 256".into());
            None
        }
        None => {
            bad(ctx, node, format!("invalid ttl-security \"{value}\""));
            None
        }
    }
}

/// `rate-limit`: messages per second or `disable` (0).
pub(crate) fn rate_limit(ctx: &mut Ctx, node: &Node) -> Option<u32> {
    let value = one(ctx, node)?;
    if matches!(value.to_ascii_lowercase().as_str(), "disable" | "disabled") {
        return Some(0);
    }
    match decimal_u64(value).and_then(|n| u32::try_from(n).ok()) {
        Some(n) if n > 0 => Some(n),
        _ => {
            bad(ctx, node, format!("\"{value}\" is an invalid rate-limit"));
            None
        }
    }
}

/// `host-name` / `domain-name`: letters, digits, `.` and `-`, alphanumeric at both ends,
/// no `..`, at most 255 characters.
pub(crate) fn fqdn(ctx: &mut Ctx, node: &Node) -> Option<String> {
    let value = one(ctx, node)?;
    let what = node.keyword();
    let ok = !value.is_empty()
        && value.len() <= 255
        && value
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && value
            .chars()
            .last()
            .is_some_and(|c| c.is_ascii_alphanumeric())
        && !value.contains("..")
        && value
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-');
    if !ok {
        bad(ctx, node, format!("bad {what}"));
        return None;
    }
    Some(value.to_owned())
}

/// A string value (quoted or not).
pub(crate) fn string(ctx: &mut Ctx, node: &Node) -> Option<String> {
    one(ctx, node).map(str::to_owned)
}

/// `[ a b c ]` (commas ignored) or a single word: the words of `node` after the keyword.
pub(crate) fn name_list(ctx: &mut Ctx, node: &Node) -> Option<Vec<String>> {
    if !ctx.expect_statement(node) {
        return None;
    }
    let words: Vec<&str> = node.words.iter().skip(1).map(|t| t.text.as_str()).collect();
    match words.as_slice() {
        [] => {
            ctx.err_missing(node, node.keyword());
            None
        }
        [single] if *single != "[" => Some(vec![(*single).to_owned()]),
        ["[", inner @ .., "]"] => Some(
            inner
                .iter()
                .filter(|w| **w != ",")
                .map(|w| (*w).to_owned())
                .collect(),
        ),
        _ => {
            bad(ctx, node, format!("invalid {} list", node.keyword()));
            None
        }
    }
}
