//! The FlowSpec route grammar (ExaBGP spec §1.7, §2): `match { … }` components, `then {
//! … }` actions and `scope { interface-set … }`, shared by the `flow { route NAME { … } }`
//! block and the API's `announce flow route …` in both forms (block and one line).
//!
//! Components (RFC 8955 §4.2.2, RFC 8956 §3): numeric ones take `=`, `>`, `<`, `>=`,
//! `<=`, `!=`, `true`, `false` (no operator means `=`); bitmask ones `=`, `!`, `!=` or
//! nothing (include). `&` joins conditions with AND, list elements are ORed.
//!
//! Actions are extended communities (RFC 8955 §7): `discard` and `rate-limit` are
//! traffic-rate (0x8006, or 0x800c for `packets`), `redirect ASN:NN` 0x8008 (0x8208 for a
//! four-octet ASN, 0x8108 for IP:NN), `redirect <ip>` and `copy <ip>` set the next hop
//! and the redirect-to-nexthop community 0x0800 (draft-simpson-idr-flowspec-redirect),
//! `redirect-to-nexthop-ietf <ip>` 0x010c or the IPv6 0x000c
//! (draft-ietf-idr-flowspec-redirect-ip), `mark` 0x8009, `action` 0x8007, `interface-set`
//! 0x0702 / 0x4702 (draft-ietf-idr-flowspec-interfaceset).

use std::net::IpAddr;

use ipnet::{IpNet, Ipv6Net};
use wire::attr::{AttrCode, AttrFlags, ExtCommunity};
use wire::nlri::flow::{bitmask, numeric, text, Component, ComponentType, Op};
use wire::nlri::{Flow, RouteDistinguisher};
use wire::{Afi, Attribute, Family, Nlri, Safi};

use super::{add_attribute, apply_attribute, is_attribute_word, values as v, Cursor, RouteError};
use crate::model::{NextHop, Route};

/// Parses the words of one flow route (block words `{ } ;` and the section names
/// `match`, `then`, `scope` are accepted anywhere; a word glued to `;` is split). The
/// family is IPv4 or IPv6 from the prefixes and component names, `flow-vpn` with an RD.
pub fn parse_flow(words: &[&str]) -> Result<Route, RouteError> {
    let mut tokens: Vec<&str> = Vec::with_capacity(words.len());
    let mut origin: Vec<usize> = Vec::with_capacity(words.len());
    for (i, w) in words.iter().enumerate() {
        match w.strip_suffix(';') {
            Some(rest) if !rest.is_empty() => {
                tokens.extend([rest, ";"]);
                origin.extend([i, i]);
            }
            _ => {
                tokens.push(w);
                origin.push(i);
            }
        }
    }
    let mut cur = Cursor::new(tokens.clone());
    let mut state = State::default();
    while let Some(word) = cur.next() {
        let start = cur.position() - 1;
        state.word(word, &mut cur).map_err(|reason| {
            let index = cur.fault(start);
            RouteError {
                index: origin.get(index).copied().unwrap_or(words.len()),
                near: tokens.get(index).copied().unwrap_or("").to_owned(),
                reason,
            }
        })?;
    }
    state.finish().map_err(|reason| RouteError {
        index: words.len().saturating_sub(1),
        near: words.last().copied().unwrap_or("").to_owned(),
        reason,
    })
}

#[derive(Default)]
struct State {
    route: Option<Route>,
    flow: Flow,
    v6: bool,
    next_hop: Option<IpAddr>,
}

impl State {
    fn route(&mut self) -> &mut Route {
        self.route.get_or_insert_with(|| {
            Route::new(
                Family::new(Afi::IPV4, Safi::FLOW),
                Nlri::Flow(Flow::default()),
            )
        })
    }

    fn ext(&mut self, bytes: [u8; 8]) {
        add_attribute(
            &mut self.route().attributes,
            Attribute::ExtCommunities(vec![ExtCommunity(bytes)]),
        );
    }

    fn word(&mut self, word: &str, cur: &mut Cursor<'_>) -> Result<(), String> {
        match word {
            "{" | "}" | ";" | "match" | "then" | "scope" | "route" | "flow" => {}
            "rd" | "route-distinguisher" => {
                self.flow.rd = Some(RouteDistinguisher(v::route_distinguisher(
                    cur.value(word)?,
                )?));
            }
            "next-hop" => {
                let value = cur.value(word)?;
                let ip = v::next_hop(value)?
                    .ok_or_else(|| "a flow route needs an address as next-hop".to_owned())?;
                self.next_hop = Some(ip);
            }
            "accept" => {}
            "discard" => self.ext([0x80, 0x06, 0, 0, 0, 0, 0, 0]),
            "rate-limit" => {
                let value = cur.value(word)?;
                let rate: f64 = value
                    .parse::<u64>()
                    .map_err(|_| format!("invalid rate-limit '{value}'"))?
                    .min(1_000_000_000_000) as f64;
                let sub = match cur.peek() {
                    Some("packets") => {
                        cur.next();
                        0x0c
                    }
                    Some("bytes") => {
                        cur.next();
                        0x06
                    }
                    _ => 0x06,
                };
                let f = (rate as f32).to_be_bytes();
                self.ext([0x80, sub, 0, 0, f[0], f[1], f[2], f[3]]);
            }
            "redirect" => self.redirect(cur.value(word)?)?,
            "redirect-to-nexthop" => self.ext([0x08, 0, 0, 0, 0, 0, 0, 0]),
            "copy" => {
                let value = cur.value(word)?;
                self.next_hop = Some(ip(value)?);
                self.ext([0x08, 0, 0, 0, 0, 0, 0, 1]);
            }
            "redirect-to-nexthop-ietf" => self.redirect_ietf(ip(cur.value(word)?)?),
            "mark" => {
                let value = cur.value(word)?;
                let dscp = value
                    .parse::<u8>()
                    .ok()
                    .filter(|d| *d <= 63)
                    .ok_or_else(|| format!("invalid dscp '{value}' (0-63)"))?;
                self.ext([0x80, 0x09, 0, 0, 0, 0, 0, dscp]);
            }
            "action" => {
                let value = cur.value(word)?;
                let sample = value.contains("sample");
                let terminal = value.contains("terminal");
                if !sample && !terminal {
                    return Err(format!("invalid flow action '{value}'"));
                }
                let bits = u8::from(sample) << 1 | u8::from(terminal);
                self.ext([0x80, 0x07, 0, 0, 0, 0, 0, bits]);
            }
            "interface-set" => {
                for value in v::list(cur, word)? {
                    self.ext(interface_set(value)?);
                }
            }
            _ => {
                if let Some((kind, v6)) = component(word) {
                    self.v6 |= v6;
                    return self.component(kind, cur);
                }
                if is_attribute_word(word) {
                    return apply_attribute(self.route(), word, cur);
                }
                return Err(format!("unknown flow keyword '{word}'"));
            }
        }
        Ok(())
    }

    fn redirect(&mut self, value: &str) -> Result<(), String> {
        let colons = value.matches(':').count();
        if colons == 0 || (colons > 1 && !value.contains('[')) {
            self.next_hop = Some(ip(value)?);
            self.ext([0x08, 0, 0, 0, 0, 0, 0, 0]);
            return Ok(());
        }
        if let Some(inner) = value.strip_prefix('[').and_then(|s| s.strip_suffix(']')) {
            self.next_hop = Some(ip(inner)?);
            self.ext([0x08, 0, 0, 0, 0, 0, 0, 0]);
            return Ok(());
        }
        let (admin, local) = value
            .split_once(':')
            .ok_or_else(|| format!("invalid redirect '{value}'"))?;
        if let Ok(IpAddr::V4(a)) = admin.parse::<IpAddr>() {
            let nn: u16 = local
                .parse()
                .map_err(|_| format!("invalid redirect '{value}'"))?;
            let [a0, a1, a2, a3] = a.octets();
            let [n0, n1] = nn.to_be_bytes();
            self.ext([0x81, 0x08, a0, a1, a2, a3, n0, n1]);
            return Ok(());
        }
        let asn: u32 = admin
            .parse()
            .map_err(|_| format!("invalid redirect '{value}'"))?;
        let nn: u32 = local
            .parse()
            .map_err(|_| format!("invalid redirect '{value}'"))?;
        if let Ok(asn16) = u16::try_from(asn) {
            let [a0, a1] = asn16.to_be_bytes();
            let [n0, n1, n2, n3] = nn.to_be_bytes();
            self.ext([0x80, 0x08, a0, a1, n0, n1, n2, n3]);
        } else {
            let nn = u16::try_from(nn).map_err(|_| {
                format!("a four-octet ASN leaves 16 bits for the number: '{value}'")
            })?;
            let [a0, a1, a2, a3] = asn.to_be_bytes();
            let [n0, n1] = nn.to_be_bytes();
            self.ext([0x82, 0x08, a0, a1, a2, a3, n0, n1]);
        }
        Ok(())
    }

    fn redirect_ietf(&mut self, ip: IpAddr) {
        match ip {
            IpAddr::V4(a) => {
                let [a0, a1, a2, a3] = a.octets();
                self.ext([0x01, 0x0c, a0, a1, a2, a3, 0, 0]);
            }
            IpAddr::V6(a) => {
                // IPv6 Address Specific Extended Community (RFC 5701), attribute 25.
                let mut data = vec![0x00, 0x0c];
                data.extend_from_slice(&a.octets());
                data.extend_from_slice(&[0, 0]);
                add_attribute(
                    &mut self.route().attributes,
                    Attribute::Raw {
                        flags: AttrFlags(AttrFlags::OPTIONAL | AttrFlags::TRANSITIVE),
                        code: AttrCode(25),
                        data,
                    },
                );
            }
        }
    }

    fn component(&mut self, kind: ComponentType, cur: &mut Cursor<'_>) -> Result<(), String> {
        let name = text::component_name(kind, Afi::IPV4);
        let items = if cur.peek() == Some("[") {
            v::list(cur, name)?
        } else {
            vec![cur.value(name)?]
        };
        if kind.is_prefix() {
            for item in items {
                let (prefix, offset) = flow_prefix(item)?;
                self.v6 |= matches!(prefix, IpNet::V6(_));
                self.flow.insert(Component::prefix(kind, prefix, offset));
            }
            return Ok(());
        }
        let mut ops = Vec::new();
        for item in items {
            for (i, part) in item.split('&').enumerate() {
                if part.is_empty() && i == 0 {
                    continue;
                }
                let and = i > 0 && !ops.is_empty();
                ops.push(condition(kind, part, and)?);
            }
        }
        if ops.is_empty() {
            return Err(format!("{name} needs a value"));
        }
        self.flow.push_ops(kind, ops);
        Ok(())
    }

    fn finish(mut self) -> Result<Route, String> {
        if self.flow.components.is_empty() {
            return Err("a flow route needs at least one match component".to_owned());
        }
        let afi = if self.v6 { Afi::IPV6 } else { Afi::IPV4 };
        for c in &self.flow.components {
            if let Component::Prefix { prefix, .. } = c {
                if matches!(prefix, IpNet::V6(_)) != self.v6 {
                    return Err("a flow route mixes IPv4 and IPv6 prefixes".to_owned());
                }
            }
            if c.kind() == ComponentType::FLOW_LABEL && !self.v6 {
                return Err("flow-label is an IPv6 component".to_owned());
            }
        }
        let safi = if self.flow.rd.is_some() {
            Safi::FLOW_VPN
        } else {
            Safi::FLOW
        };
        let mut route = self
            .route
            .take()
            .unwrap_or_else(|| Route::new(Family::new(afi, safi), Nlri::Flow(Flow::default())));
        route.family = Family::new(afi, safi);
        route.rd = self.flow.rd.map(|rd| rd.0);
        route.nlri = Nlri::Flow(self.flow);
        route.next_hop = self.next_hop.map_or(NextHop::None, NextHop::Ip);
        Ok(route)
    }
}

/// The component a word names, and whether the name is IPv6's own.
fn component(word: &str) -> Option<(ComponentType, bool)> {
    Some(match word {
        "destination" | "destination-ipv4" => (ComponentType::DESTINATION, false),
        "destination-ipv6" => (ComponentType::DESTINATION, true),
        "source" | "source-ipv4" => (ComponentType::SOURCE, false),
        "source-ipv6" => (ComponentType::SOURCE, true),
        "protocol" => (ComponentType::PROTOCOL, false),
        "next-header" => (ComponentType::PROTOCOL, true),
        "port" => (ComponentType::PORT, false),
        "destination-port" => (ComponentType::DESTINATION_PORT, false),
        "source-port" => (ComponentType::SOURCE_PORT, false),
        "icmp-type" => (ComponentType::ICMP_TYPE, false),
        "icmp-code" => (ComponentType::ICMP_CODE, false),
        "tcp-flags" => (ComponentType::TCP_FLAGS, false),
        "packet-length" => (ComponentType::PACKET_LENGTH, false),
        "dscp" => (ComponentType::DSCP, false),
        "traffic-class" => (ComponentType::DSCP, true),
        "fragment" => (ComponentType::FRAGMENT, false),
        "flow-label" => (ComponentType::FLOW_LABEL, true),
        _ => return None,
    })
}

fn ip(value: &str) -> Result<IpAddr, String> {
    value
        .parse()
        .map_err(|_| format!("invalid IP address '{value}'"))
}

/// `10.0.0.0/24`, `2001:db8::/64` or the IPv6 form with an offset, `::1/128/120`.
fn flow_prefix(value: &str) -> Result<(IpNet, u8), String> {
    if value.contains(':') && value.matches('/').count() == 2 {
        if let Some((net, offset)) = value.rsplit_once('/') {
            let net: Ipv6Net = net
                .parse()
                .map_err(|_| format!("invalid IPv6 prefix '{value}'"))?;
            let offset: u8 = offset
                .parse()
                .ok()
                .filter(|o| *o < net.prefix_len().max(1))
                .ok_or_else(|| format!("invalid IPv6 offset in '{value}'"))?;
            return Ok((IpNet::V6(net), offset));
        }
    }
    let net: IpNet = match value.parse() {
        Ok(net) => net,
        Err(_) => match value.parse::<IpAddr>() {
            Ok(ip) => IpNet::from(ip),
            Err(_) => return Err(format!("invalid prefix '{value}'")),
        },
    };
    Ok((net, 0))
}

/// One condition (`>=1024`, `!=tcp`, `=syn`, `!is-fragment`, `true`).
fn condition(kind: ComponentType, part: &str, and: bool) -> Result<Op, String> {
    let bad = || {
        format!(
            "invalid {} value '{part}'",
            text::component_name(kind, Afi::IPV4)
        )
    };
    let (bits, rest) = if kind.is_bitmask() {
        if let Some(r) = part.strip_prefix("!=") {
            (bitmask::NOT | bitmask::MATCH, r)
        } else if let Some(r) = part.strip_prefix('!') {
            (bitmask::NOT, r)
        } else if let Some(r) = part.strip_prefix('=') {
            (bitmask::MATCH, r)
        } else {
            (0, part)
        }
    } else {
        match part {
            "true" => return Ok(Op::new(and, 7, 0)),
            "false" => return Ok(Op::new(and, 0, 0)),
            _ => {}
        }
        let table: [(&str, u8); 6] = [
            (">=", numeric::GT | numeric::EQ),
            ("<=", numeric::LT | numeric::EQ),
            ("!=", numeric::LT | numeric::GT),
            ("=", numeric::EQ),
            (">", numeric::GT),
            ("<", numeric::LT),
        ];
        table
            .iter()
            .find_map(|(sym, bits)| part.strip_prefix(sym).map(|r| (*bits, r)))
            .unwrap_or((numeric::EQ, part))
    };
    let value = text::parse_value(kind, rest).ok_or_else(bad)?;
    Ok(Op::new(and, bits, value))
}

/// `transitive|non-transitive:input|output|input-output:<asn>:<group-id>`.
fn interface_set(value: &str) -> Result<[u8; 8], String> {
    let bad = || format!("invalid interface-set '{value}'");
    let mut parts = value.split(':');
    let (Some(trans), Some(dir), Some(asn), Some(group), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Err(bad());
    };
    let kind = match trans {
        "transitive" => 0x07,
        "non-transitive" => 0x47,
        _ => return Err(bad()),
    };
    let dir: u16 = match dir {
        "input" => 1,
        "output" => 2,
        "input-output" => 3,
        _ => return Err(bad()),
    };
    let asn: u32 = asn.parse().map_err(|_| bad())?;
    let group: u16 = group
        .parse()
        .ok()
        .filter(|g| *g < 1 << 14)
        .ok_or_else(bad)?;
    let [a0, a1, a2, a3] = asn.to_be_bytes();
    let [g0, g1] = (dir << 14 | group).to_be_bytes();
    Ok([kind, 0x02, a0, a1, a2, a3, g0, g1])
}

#[cfg(test)]
mod tests;
