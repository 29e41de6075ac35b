//! FlowSpec components as ExaBGP 5 writes them: component names per family, operators
//! (`=`, `>=`, `&<`, `!=` …), value names (protocols, ICMP types and codes, TCP flags,
//! fragment bits, well-known ports), and the reverse, names to values, for the
//! configuration and API grammars.

use std::fmt::Write as _;
use std::net::IpAddr;

use ipnet::IpNet;

use super::{Component, ComponentType, Flow, Op};
use crate::family::Afi;

/// IP protocol numbers ExaBGP names (its `Protocol` table).
const PROTOCOLS: &[(&str, u64)] = &[
    ("icmp", 1),
    ("igmp", 2),
    ("tcp", 6),
    ("egp", 8),
    ("udp", 17),
    ("rsvp", 46),
    ("gre", 47),
    ("esp", 50),
    ("ah", 51),
    ("ospf", 89),
    ("ipip", 94),
    ("pim", 103),
    ("sctp", 132),
];

/// ICMP types ExaBGP names.
const ICMP_TYPES: &[(&str, u64)] = &[
    ("echo-reply", 0),
    ("unreachable", 3),
    ("redirect", 5),
    ("echo-request", 8),
    ("router-advertisement", 9),
    ("router-solicit", 10),
    ("time-exceeded", 11),
    ("parameter-problem", 12),
    ("timestamp", 13),
    ("timestamp-reply", 14),
    ("photuris", 40),
    ("experimental-mobility", 41),
    ("extended-echo-request", 42),
    ("extended-echo-reply", 43),
    ("experimental-one", 253),
    ("experimental-two", 254),
];

/// ICMP codes ExaBGP accepts by name. Several names share a value, so ExaBGP 5.0.15 keeps
/// no value-to-name table for codes and prints every code as its number (`=0`, checked
/// against `exabgp decode` by the differential corpus).
const ICMP_CODES: &[(&str, u64)] = &[
    ("network-unreachable", 0),
    ("host-unreachable", 1),
    ("protocol-unreachable", 2),
    ("port-unreachable", 3),
    ("fragmentation-needed", 4),
    ("source-route-failed", 5),
    ("destination-network-unknown", 6),
    ("destination-host-unknown", 7),
    ("source-host-isolated", 8),
    ("destination-network-prohibited", 9),
    ("destination-host-prohibited", 10),
    ("network-unreachable-for-tos", 11),
    ("host-unreachable-for-tos", 12),
    ("communication-prohibited-by-filtering", 13),
    ("host-precedence-violation", 14),
    ("precedence-cutoff-in-effect", 15),
    ("redirect-for-network", 0),
    ("redirect-for-host", 1),
    ("redirect-for-tos-and-net", 2),
    ("redirect-for-tos-and-host", 3),
    ("ttl-eq-zero-during-transit", 0),
    ("ttl-eq-zero-during-reassembly", 1),
    ("required-option-missing", 1),
    ("ip-header-bad", 2),
];

/// TCP flags (RFC 8955 §4.2.2.9), in the order ExaBGP prints them.
const TCP_FLAGS: &[(&str, u64)] = &[
    ("fin", 0x01),
    ("syn", 0x02),
    ("rst", 0x04),
    ("push", 0x08),
    ("ack", 0x10),
    ("urg", 0x20),
    ("ece", 0x40),
    ("cwr", 0x80),
    ("ns", 0x100),
];

/// Fragment bits (RFC 8955 §4.2.2.12).
const FRAGMENTS: &[(&str, u64)] = &[
    ("dont-fragment", 0x01),
    ("is-fragment", 0x02),
    ("first-fragment", 0x04),
    ("last-fragment", 0x08),
];

/// A few well-known ports accepted by name (IANA service names).
const PORTS: &[(&str, u64)] = &[
    ("ftp-data", 20),
    ("ftp", 21),
    ("ssh", 22),
    ("telnet", 23),
    ("smtp", 25),
    ("domain", 53),
    ("dns", 53),
    ("bootps", 67),
    ("bootpc", 68),
    ("tftp", 69),
    ("http", 80),
    ("www", 80),
    ("pop3", 110),
    ("ntp", 123),
    ("imap", 143),
    ("snmp", 161),
    ("snmptrap", 162),
    ("bgp", 179),
    ("ldap", 389),
    ("https", 443),
    ("syslog", 514),
    ("memcache", 11211),
];

/// The name of a component in `afi` (`destination-ipv4`, `next-header`, …).
pub fn component_name(kind: ComponentType, afi: Afi) -> &'static str {
    let v6 = afi == Afi::IPV6;
    match kind.0 {
        1 if v6 => "destination-ipv6",
        1 => "destination-ipv4",
        2 if v6 => "source-ipv6",
        2 => "source-ipv4",
        3 if v6 => "next-header",
        3 => "protocol",
        4 => "port",
        5 => "destination-port",
        6 => "source-port",
        7 => "icmp-type",
        8 => "icmp-code",
        9 => "tcp-flags",
        10 => "packet-length",
        11 if v6 => "traffic-class",
        11 => "dscp",
        12 => "fragment",
        13 => "flow-label",
        _ => "unknown",
    }
}

fn name_of(table: &[(&'static str, u64)], value: u64) -> Option<&'static str> {
    table
        .iter()
        .rev()
        .find(|(_, v)| *v == value)
        .map(|(n, _)| *n)
}

/// Bits named in table order, then ExaBGP's `unknown <what> type <n>` for the rest.
fn bits_text(table: &[(&str, u64)], what: &str, value: u64) -> String {
    let mut left = value;
    let mut parts = Vec::new();
    for (name, bit) in table {
        if left & bit != 0 {
            parts.push((*name).to_owned());
            left &= !bit;
        }
    }
    if left != 0 {
        parts.push(format!("unknown {what} type {value}"));
    }
    parts.join("+")
}

/// A value as ExaBGP prints it for `kind`.
pub fn value_text(kind: ComponentType, value: u64) -> String {
    let named = match kind.0 {
        3 => name_of(PROTOCOLS, value),
        7 => name_of(ICMP_TYPES, value),
        9 => return bits_text(TCP_FLAGS, "tcp flag", value),
        12 => return bits_text(FRAGMENTS, "fragment", value),
        _ => None,
    };
    named.map_or_else(|| value.to_string(), str::to_owned)
}

/// One pair as ExaBGP prints it, the `&` of an AND included (`>=1024`, `&<300`, `!=tcp`,
/// `=syn`; numeric true/false without a value unless ANDed, as ExaBGP does).
pub fn op_text(kind: ComponentType, op: &Op) -> String {
    let mut out = String::new();
    if op.and {
        out.push('&');
    }
    if kind.is_bitmask() {
        out.push_str(match op.bits & 0x03 {
            0 => "",
            1 => "=",
            2 => "!",
            _ => "!=",
        });
    } else {
        let sym = match op.bits & 0x07 {
            0 => "false",
            1 => "=",
            2 => ">",
            3 => ">=",
            4 => "<",
            5 => "<=",
            6 => "!=",
            _ => "true",
        };
        out.push_str(sym);
        if !op.and && matches!(op.bits & 0x07, 0 | 7) {
            return out;
        }
    }
    out.push_str(&value_text(kind, op.value));
    out
}

fn prefix_text(prefix: &IpNet, offset: u8) -> String {
    match prefix {
        IpNet::V4(net) => net.to_string(),
        IpNet::V6(net) => format!("{net}/{offset}"),
    }
}

impl Component {
    /// The JSON values of the component: one per ORed pair, ANDed pairs joined
    /// (`[ ">200&<300", ">400&<500" ]`).
    pub fn values(&self) -> Vec<String> {
        match self {
            Self::Prefix { prefix, offset, .. } => vec![prefix_text(prefix, *offset)],
            Self::Ops { kind, ops } => {
                let mut out: Vec<String> = Vec::new();
                for (i, op) in ops.iter().enumerate() {
                    let text = op_text(*kind, op);
                    match out.last_mut() {
                        Some(last) if i > 0 && op.and => last.push_str(&text),
                        _ => out.push(text),
                    }
                }
                out
            }
        }
    }

    /// The text of the component's conditions: one pair bare, several in `[ … ]`
    /// (ExaBGP's `_rules`).
    fn conditions(&self) -> String {
        let Self::Ops { kind, ops } = self else {
            return self.values().concat();
        };
        let mut parts = Vec::new();
        for (i, op) in ops.iter().enumerate() {
            if i > 0 && !op.and {
                parts.push(" ".to_owned());
            }
            parts.push(op_text(*kind, op));
        }
        if parts.len() > 1 {
            format!("[ {} ]", parts.concat())
        } else {
            parts.concat()
        }
    }
}

impl Flow {
    /// ExaBGP's text of the route: `flow <name> <conditions>… [rd <rd>] [next-hop <ip>]`.
    pub fn text(&self, afi: Afi, next_hop: Option<IpAddr>) -> String {
        let mut out = String::from("flow");
        for c in &self.components {
            let _ = write!(out, " {} {}", component_name(c.kind(), afi), c.conditions());
        }
        if let Some(rd) = &self.rd {
            let _ = write!(out, " rd {rd}");
        }
        if let Some(ip) = next_hop {
            let _ = write!(out, " next-hop {ip}");
        }
        out
    }
}

fn number(word: &str) -> Option<u64> {
    if let Some(hex) = word.strip_prefix("0x") {
        return u64::from_str_radix(hex, 16).ok();
    }
    word.parse().ok()
}

fn lookup(table: &[(&str, u64)], word: &str) -> Option<u64> {
    let lower = word.to_ascii_lowercase().replace('_', "-");
    table
        .iter()
        .find(|(n, _)| *n == lower)
        .map(|(_, v)| *v)
        .or_else(|| number(word))
}

/// The value of a word for `kind`: a number, or a name of the kind's table (`tcp`,
/// `http`, `echo-request`, `syn+ack`, `is-fragment`); `None` when unknown or too large.
pub fn parse_value(kind: ComponentType, word: &str) -> Option<u64> {
    let value = match kind.0 {
        3 => lookup(PROTOCOLS, word)?,
        4..=6 => lookup(PORTS, word)?,
        7 => lookup(ICMP_TYPES, word)?,
        8 => lookup(ICMP_CODES, word)?,
        9 | 12 => {
            let table = if kind.0 == 9 { TCP_FLAGS } else { FRAGMENTS };
            let mut sum = 0u64;
            for part in word.split('+') {
                let v = if part.eq_ignore_ascii_case("urgent") {
                    0x20
                } else {
                    lookup(table, part)?
                };
                sum = sum.checked_add(v)?;
            }
            sum
        }
        10 => number(word).filter(|v| *v <= 0xffff)?,
        11 => number(word)?,
        13 => number(word).filter(|v| *v <= 0xf_ffff)?,
        _ => return None,
    };
    (value < kind.value_limit()).then_some(value)
}
