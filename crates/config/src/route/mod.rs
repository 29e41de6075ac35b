//! The shared route-attribute grammar (spec §1.5): `<prefix> <word> <value> …` as written
//! in `static { route … }`, `announce { ipv4 { unicast … } }` and the API's
//! `announce route …` / `attributes … nlri …`.
//!
//! Words: `next-hop`, `origin`, `as-path`, `med`, `local-preference`, `atomic-aggregate`,
//! `aggregator`, `community`, `large-community`, `extended-community`, `originator-id`,
//! `cluster-list`, `label`, `rd`/`route-distinguisher`, `path-information`, `aigp`,
//! `bgp-prefix-sid`, `bgp-prefix-sid-srv6`, `attribute`, `split`, `watchdog`, `withdraw`,
//! `name`. Attribute values are the wire values of RFC 4271 §5, RFC 1997, RFC 4360,
//! RFC 8092, RFC 4456, RFC 7311, RFC 8669 and RFC 9252.
//!
//! As in ExaBGP, an attribute written twice keeps its first value, except
//! `extended-community` whose values are merged; communities of each kind are kept sorted
//! (large communities without duplicates).

pub mod evpn;
pub mod flow;
pub mod mup;
pub mod mvpn;
pub mod values;
pub mod vpls;

mod cursor;

pub use cursor::Cursor;

use std::net::IpAddr;

use ipnet::IpNet;
use thiserror::Error;
use wire::attr::AttrCode;
use wire::nlri::{is_labeled_family, Label, PathId, RouteDistinguisher};
use wire::{Afi, Attribute, Family, Nlri, Safi};

use crate::model::{NextHop, Route};

/// A route-grammar error: what is wrong, and the index of the word at fault.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{reason} (near '{near}')")]
pub struct RouteError {
    /// Index of the word at fault in the words given (for [`parse_route_words`], in the
    /// words after glued brackets were split off).
    pub index: usize,
    /// The word at fault (empty at the end of the input).
    pub near: String,
    /// What is wrong.
    pub reason: String,
}

/// Splits one line into words like the configuration lexer does: whitespace separates
/// words, `[ ] ( ) { } ,` are words of their own, and `"…"` / `'…'` quote a word.
pub fn split_words(line: &str) -> Vec<String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut quote: Option<char> = None;
    for c in line.chars() {
        match quote {
            Some(q) if c == q => {
                words.push(std::mem::take(&mut word));
                quote = None;
            }
            Some(_) => word.push(c),
            None if c == '"' || c == '\'' => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                quote = Some(c);
            }
            None if c.is_whitespace() => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
            }
            None if matches!(c, '[' | ']' | '(' | ')' | '{' | '}' | ',') => {
                if !word.is_empty() {
                    words.push(std::mem::take(&mut word));
                }
                words.push(c.to_string());
            }
            None => word.push(c),
        }
    }
    if !word.is_empty() || quote.is_some() {
        words.push(word);
    }
    words
}

/// Parses a prefix `<ip>/<len>` (or a bare address, a host route). Host bits must be zero.
pub fn parse_prefix(value: &str) -> Result<IpNet, String> {
    let net = match value.split_once('/') {
        Some(_) => value.parse::<IpNet>().ok(),
        None => value.parse::<IpAddr>().ok().map(IpNet::from),
    }
    .ok_or_else(|| format!("'{value}' is not a valid prefix"))?;
    if net.trunc() != net {
        return Err(format!(
            "invalid network {} for netmask {}",
            net.addr(),
            net.prefix_len()
        ));
    }
    Ok(net)
}

/// The family ExaBGP gives a bare prefix: IPv4 224.0.0.0/4 is multicast, everything else
/// unicast.
pub fn default_family(prefix: &IpNet) -> Family {
    match prefix {
        IpNet::V4(net) if net.addr().is_multicast() => Family::IPV4_MULTICAST,
        IpNet::V4(_) => Family::IPV4_UNICAST,
        IpNet::V6(_) => Family::IPV6_UNICAST,
    }
}

/// Adds `attr` as ExaBGP does: a second value of the same attribute is ignored, except
/// extended communities which are merged; community lists stay sorted.
pub fn add_attribute(attributes: &mut Vec<Attribute>, attr: Attribute) {
    let code = attr_code(&attr);
    let existing = attributes.iter_mut().find(|a| attr_code(a) == code);
    match (existing, attr) {
        (Some(Attribute::ExtCommunities(have)), Attribute::ExtCommunities(more)) => {
            have.extend(more);
            have.sort();
        }
        (Some(_), _) => {}
        (None, mut attr) => {
            match &mut attr {
                Attribute::Communities(c) => c.sort(),
                Attribute::ExtCommunities(c) => c.sort(),
                Attribute::LargeCommunities(c) => {
                    c.sort();
                    c.dedup();
                }
                _ => {}
            }
            attributes.push(attr);
        }
    }
}

/// The type code of an attribute value.
pub fn attr_code(attr: &Attribute) -> AttrCode {
    match attr {
        Attribute::Origin(_) => AttrCode::ORIGIN,
        Attribute::AsPath(_) => AttrCode::AS_PATH,
        Attribute::NextHop(_) => AttrCode::NEXT_HOP,
        Attribute::Med(_) => AttrCode::MED,
        Attribute::LocalPref(_) => AttrCode::LOCAL_PREF,
        Attribute::AtomicAggregate => AttrCode::ATOMIC_AGGREGATE,
        Attribute::Aggregator(_) => AttrCode::AGGREGATOR,
        Attribute::Communities(_) => AttrCode::COMMUNITIES,
        Attribute::OriginatorId(_) => AttrCode::ORIGINATOR_ID,
        Attribute::ClusterList(_) => AttrCode::CLUSTER_LIST,
        Attribute::MpReach(_) => AttrCode::MP_REACH_NLRI,
        Attribute::MpUnreach(_) => AttrCode::MP_UNREACH_NLRI,
        Attribute::ExtCommunities(_) => AttrCode::EXTENDED_COMMUNITIES,
        Attribute::Aigp(_) => AttrCode::AIGP,
        Attribute::LargeCommunities(_) => AttrCode::LARGE_COMMUNITIES,
        Attribute::Raw { code, .. } => *code,
        other => other.code(),
    }
}

/// True when `word` is a word of the route grammar.
pub fn is_attribute_word(word: &str) -> bool {
    matches!(
        word,
        "next-hop"
            | "origin"
            | "as-path"
            | "med"
            | "local-preference"
            | "atomic-aggregate"
            | "aggregator"
            | "community"
            | "large-community"
            | "extended-community"
            | "originator-id"
            | "cluster-list"
            | "label"
            | "rd"
            | "route-distinguisher"
            | "path-information"
            | "aigp"
            | "bgp-prefix-sid"
            | "bgp-prefix-sid-srv6"
            | "attribute"
            | "split"
            | "watchdog"
            | "withdraw"
            | "name"
    )
}

/// Applies one attribute word (already consumed) and its value to `route`.
pub fn apply_attribute(route: &mut Route, word: &str, cur: &mut Cursor<'_>) -> Result<(), String> {
    use values as v;
    let attr = match word {
        "next-hop" => {
            let value = cur.value(word)?;
            route.next_hop = match v::next_hop(value)? {
                Some(ip) => NextHop::Ip(ip),
                None => NextHop::SelfAddr,
            };
            return Ok(());
        }
        "origin" => v::origin(cur)?,
        "as-path" => v::as_path(cur)?,
        "med" => Attribute::Med(v::u32_value(cur, "med")?),
        "local-preference" => Attribute::LocalPref(v::u32_value(cur, "local-preference")?),
        "atomic-aggregate" => Attribute::AtomicAggregate,
        "aggregator" => v::aggregator(cur)?,
        "community" => Attribute::Communities(
            v::list(cur, word)?
                .into_iter()
                .map(v::community)
                .collect::<Result<_, _>>()?,
        ),
        "large-community" => Attribute::LargeCommunities(
            v::list(cur, word)?
                .into_iter()
                .map(v::large_community)
                .collect::<Result<_, _>>()?,
        ),
        "extended-community" => Attribute::ExtCommunities(
            v::list(cur, word)?
                .into_iter()
                .map(v::ext_community)
                .collect::<Result<_, _>>()?,
        ),
        "originator-id" => {
            let value = cur.value(word)?;
            Attribute::OriginatorId(
                v::ipv4(value).ok_or_else(|| format!("invalid originator-id '{value}'"))?,
            )
        }
        "cluster-list" => v::cluster_list(cur)?,
        "aigp" => {
            let value = cur.value(word)?;
            Attribute::Aigp(v::number_u64(value).ok_or_else(|| {
                format!("aigp requires a number (decimal or 0x hexadecimal), not '{value}'")
            })?)
        }
        "bgp-prefix-sid" => v::prefix_sid(cur)?,
        "bgp-prefix-sid-srv6" => v::prefix_sid_srv6(cur)?,
        "attribute" => v::generic(cur)?,
        "label" => {
            route.labels = v::labels(cur)?;
            return Ok(());
        }
        "rd" | "route-distinguisher" => {
            route.rd = Some(v::route_distinguisher(cur.value(word)?)?);
            return Ok(());
        }
        "path-information" => {
            let id = v::path_information(cur.value(word)?)?;
            if let Nlri::Prefix { path_id, .. } | Nlri::Labeled { path_id, .. } = &mut route.nlri {
                *path_id = Some(PathId(id));
            }
            return Ok(());
        }
        "split" => {
            let value = cur.value(word)?;
            let len = value
                .strip_prefix('/')
                .and_then(|l| l.parse::<u8>().ok())
                .ok_or_else(|| format!("split /<number> expected, not '{value}'"))?;
            route.split = Some(len);
            return Ok(());
        }
        "watchdog" => {
            let value = cur.value(word)?;
            if matches!(value.to_ascii_lowercase().as_str(), "announce" | "withdraw") {
                return Err(format!("invalid watchdog name '{value}'"));
            }
            route.watchdog = Some(value.to_owned());
            return Ok(());
        }
        "withdraw" => {
            route.withdrawn = true;
            return Ok(());
        }
        "name" => {
            route.name = Some(cur.value(word)?.to_owned());
            return Ok(());
        }
        _ => return Err(format!("unknown route attribute '{word}'")),
    };
    add_attribute(&mut route.attributes, attr);
    Ok(())
}

/// Parses the words after `<prefix>` onto `route`, stopping at the end. Errors carry the
/// index of the word at fault.
pub fn parse_attributes(route: &mut Route, cur: &mut Cursor<'_>) -> Result<(), RouteError> {
    while let Some(word) = cur.next() {
        let start = cur.position() - 1;
        apply_attribute(route, word, cur).map_err(|reason| cur.error(cur.fault(start), reason))?;
    }
    Ok(())
}

/// Sets the route's family from what was written: `rd` makes it `mpls-vpn`, `label`
/// `nlri-mpls`, otherwise `safi` (or the prefix's default family when `None`). The NLRI of
/// a labeled or VPN route becomes [`Nlri::Labeled`] with the route's labels and RD (RFC
/// 8277, RFC 4364 §4.3.4).
pub fn settle_family(route: &mut Route, safi: Option<Safi>) {
    let (prefix, path_id) = match &route.nlri {
        Nlri::Prefix { prefix, path_id }
        | Nlri::Labeled {
            prefix, path_id, ..
        } => (*prefix, *path_id),
        _ => return,
    };
    let afi = match prefix {
        IpNet::V4(_) => Afi::IPV4,
        IpNet::V6(_) => Afi::IPV6,
    };
    route.family = if route.rd.is_some() {
        Family::new(afi, Safi::MPLS_VPN)
    } else if !route.labels.is_empty() {
        Family::new(afi, Safi::MPLS)
    } else if let Some(safi) = safi {
        Family::new(afi, safi)
    } else {
        default_family(&prefix)
    };
    route.nlri = if is_labeled_family(route.family) {
        let rd = (route.family.safi == Safi::MPLS_VPN)
            .then(|| RouteDistinguisher(route.rd.unwrap_or_default()));
        Nlri::Labeled {
            path_id,
            // `labels` keeps only 20-bit values (values::labels).
            labels: route.labels.iter().filter_map(|l| Label::new(*l)).collect(),
            rd,
            prefix,
        }
    } else {
        Nlri::Prefix { path_id, prefix }
    };
}

/// The route's NLRI for `prefix` instead of its own (split more-specifics, the prefixes of
/// `attributes … nlri`): the same kind, path identifier, labels and RD.
pub fn with_prefix(nlri: &Nlri, prefix: IpNet) -> Nlri {
    match nlri {
        Nlri::Labeled {
            path_id,
            labels,
            rd,
            ..
        } => Nlri::Labeled {
            path_id: *path_id,
            labels: labels.clone(),
            rd: *rd,
            prefix,
        },
        other => Nlri::Prefix {
            path_id: other.path_id(),
            prefix,
        },
    }
}

/// Parses one route without expanding `split`: `words[0]` is the prefix, the rest are
/// attribute words.
pub fn parse_route(words: &[&str]) -> Result<Route, RouteError> {
    let mut cur = Cursor::new(words.to_vec());
    let first = cur.next().ok_or_else(|| RouteError {
        index: 0,
        near: String::new(),
        reason: "a prefix is required".into(),
    })?;
    let prefix = parse_prefix(first).map_err(|reason| RouteError {
        index: 0,
        near: first.to_owned(),
        reason,
    })?;
    let mut route = Route::new(default_family(&prefix), Nlri::prefix(prefix));
    parse_attributes(&mut route, &mut cur)?;
    settle_family(&mut route, None);
    Ok(route)
}

/// Parses one route (`<prefix> <attributes…>`) and expands `split` into its
/// more-specifics (refused beyond [`MAX_SPLIT_ROUTES`]). Words glued to brackets (`[65000:1`) are split first.
pub fn parse_route_words(words: &[&str]) -> Result<Vec<Route>, RouteError> {
    let split: Vec<String> = words.iter().flat_map(|w| split_words(w)).collect();
    let refs: Vec<&str> = split.iter().map(String::as_str).collect();
    let route = parse_route(&refs)?;
    check_split(&route).map_err(|reason| {
        let index = refs.iter().rposition(|w| *w == "split").unwrap_or(0);
        RouteError {
            index,
            near: refs.get(index + 1).copied().unwrap_or("").to_owned(),
            reason,
        }
    })?;
    Ok(expand_split(route))
}

/// The most routes one `split` may create (2^20): more is refused rather than exhausting
/// memory (`0.0.0.0/0 split /32` would be four billion routes).
pub const MAX_SPLIT_ROUTES: u64 = 1 << 20;

/// How many routes [`expand_split`] would return for `route`, saturating at `u64::MAX`.
pub fn split_count(route: &Route) -> u64 {
    match (&route.nlri, route.split) {
        (Nlri::Prefix { prefix, .. } | Nlri::Labeled { prefix, .. }, Some(len))
            if len > prefix.prefix_len() =>
        {
            if len > prefix.max_prefix_len() {
                return 0;
            }
            1u64.checked_shl(u32::from(len - prefix.prefix_len()))
                .unwrap_or(u64::MAX)
        }
        _ => 1,
    }
}

/// Checks that `split` is no longer than the address and creates at most
/// [`MAX_SPLIT_ROUTES`] routes.
pub fn check_split(route: &Route) -> Result<(), String> {
    match split_count(route) {
        0 => Err(format!(
            "split /{} is longer than the address",
            route.split.unwrap_or_default()
        )),
        n if n > MAX_SPLIT_ROUTES => Err(format!(
            "split /{} would create {n} routes (at most {MAX_SPLIT_ROUTES})",
            route.split.unwrap_or_default()
        )),
        _ => Ok(()),
    }
}

/// The more-specifics of `split /<len>`; the route itself when there is no split or the
/// prefix is already at least that long. The routes returned have `split` cleared.
pub fn expand_split(mut route: Route) -> Vec<Route> {
    let Some(len) = route.split.take() else {
        return vec![route];
    };
    let prefix = match &route.nlri {
        Nlri::Prefix { prefix, .. } | Nlri::Labeled { prefix, .. } => *prefix,
        _ => return vec![route],
    };
    if prefix.prefix_len() >= len {
        return vec![route];
    }
    let Ok(subnets) = prefix.subnets(len) else {
        return vec![route];
    };
    subnets
        .map(|net| {
            let mut r = route.clone();
            r.nlri = with_prefix(&route.nlri, net);
            r
        })
        .collect()
}

#[cfg(test)]
mod tests;
