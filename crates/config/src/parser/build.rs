//! From drafts to [`Neighbor`]s: template inheritance, ExaBGP's defaults, and the semantic
//! checks ExaBGP applies when a neighbor section ends (spec §1.1–§1.4).

use std::collections::{HashMap, HashSet};
use std::net::IpAddr;

use wire::{Afi, Family};

use super::draft::{all_families, CapDraft, Draft};
use super::Collected;
use crate::error::ConfigError;
use crate::model::{Capabilities, Config, Location, Md5Base64, Neighbor, NextHopFamily, Process};
use crate::Options;

/// Longest TCP-MD5 key (RFC 2385 keys are limited to 80 octets by the kernel interface).
const MAX_MD5_PASSWORD_LENGTH: usize = 80;

fn error(
    errors: &mut Vec<ConfigError>,
    location: &Location,
    reason: impl Into<String>,
    near: Option<&str>,
) {
    errors.push(ConfigError::new(location.clone(), reason, near));
}

macro_rules! inherit_options {
    ($dst:expr, $src:expr, $($field:ident),* $(,)?) => {
        $( if $dst.$field.is_none() { $dst.$field = $src.$field.clone(); } )*
    };
}

fn merge_caps(dst: &mut CapDraft, src: &CapDraft) {
    inherit_options!(
        dst,
        src,
        route_refresh,
        graceful_restart,
        add_path,
        asn4,
        multi_session,
        operational,
        extended_message,
        nexthop,
        aigp,
        software_version,
    );
}

/// Merges `template` into `d`: keys set on the neighbor win, lists (families, api,
/// routes, raw sections) are extended.
fn merge(d: &mut Draft, t: &Draft) {
    inherit_options!(
        d,
        t,
        peer_address,
        description,
        router_id,
        local_address,
        source_interface,
        local_as,
        peer_as,
        hold_time,
        passive,
        listen,
        connect,
        md5_password,
        md5_base64,
        md5_ip,
        outgoing_ttl,
        incoming_ttl,
        group_updates,
        auto_flush,
        adj_rib_in,
        adj_rib_out,
        manual_eor,
        rate_limit,
        host_name,
        domain_name,
    );
    merge_caps(&mut d.capability, &t.capability);
    for (f, tok) in &t.families {
        if !d.families.iter().any(|(g, _)| g == f) {
            d.families.push((*f, tok.clone()));
        }
    }
    d.family_block |= t.family_block;
    d.add_path.extend(t.add_path.iter().cloned());
    d.nexthop.extend(t.nexthop.iter().cloned());
    d.api.extend(t.api.iter().cloned());
    d.routes.extend_from(&t.routes);
    d.raw.extend(t.raw.iter().cloned());
}

/// Standard base64 (RFC 4648 §4) decoding, padding optional; `None` when invalid.
pub(crate) fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::new();
    let mut acc: u32 = 0;
    let mut bits = 0;
    let trimmed = text.trim_end_matches('=');
    if text.len() - trimmed.len() > 2 {
        return None;
    }
    for c in trimmed.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        };
        acc = (acc << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
            acc &= (1 << bits) - 1;
        }
    }
    if bits >= 6 {
        return None;
    }
    Some(out)
}

fn afi_of(ip: IpAddr) -> Afi {
    match ip {
        IpAddr::V4(_) => Afi::IPV4,
        IpAddr::V6(_) => Afi::IPV6,
    }
}

/// Builds the configuration from what was collected, checking cross references.
pub(crate) fn build(
    collected: Collected,
    errors: &mut Vec<ConfigError>,
    options: &Options,
) -> Config {
    let Collected {
        files,
        processes,
        templates,
        neighbors: drafts,
    } = collected;
    let mut neighbors = Vec::new();
    let mut seen = HashSet::new();
    for mut d in drafts {
        resolve_inherit(&mut d, &templates, errors);
        if let Some(n) = neighbor(d, &processes, &files, errors, options) {
            let index = (n.peer_address, n.listen);
            if !seen.insert(index) {
                error(
                    errors,
                    &n.location,
                    format!("duplicate peer definition {}", n.peer_address.addr()),
                    None,
                );
                continue;
            }
            neighbors.push(n);
        }
    }
    Config {
        processes,
        neighbors,
    }
}

fn resolve_inherit(
    d: &mut Draft,
    templates: &HashMap<String, Draft>,
    errors: &mut Vec<ConfigError>,
) {
    let names = std::mem::take(&mut d.inherit);
    for tok in names {
        match templates.get(&tok.text) {
            Some(t) => {
                if !t.inherit.is_empty() {
                    let mut t = t.clone();
                    // templates may inherit other templates, one level at a time
                    let nested = std::mem::take(&mut t.inherit);
                    for inner in nested {
                        if let Some(tt) = templates.get(&inner.text) {
                            merge(&mut t, tt);
                        }
                    }
                    merge(d, &t);
                } else {
                    merge(d, t);
                }
            }
            None => {
                let loc = Location {
                    file: d.location.file.clone(),
                    line: tok.line,
                    col: tok.col,
                };
                error(
                    errors,
                    &loc,
                    format!("unknown template '{}'", tok.text),
                    Some(&tok.text),
                );
            }
        }
    }
}

fn neighbor(
    d: Draft,
    processes: &[Process],
    files: &[String],
    errors: &mut Vec<ConfigError>,
    options: &Options,
) -> Option<Neighbor> {
    let loc = d.location.clone();
    let near = d.header.as_ref().map(|t| t.text.clone());
    let near = near.as_deref();
    let mut missing = Vec::new();
    let invalid = |key: &str| d.invalid.iter().any(|k| k == key);
    if d.local_as.is_none() && !invalid("local-as") {
        missing.push("local-as");
    }
    if d.peer_as.is_none() && !invalid("peer-as") {
        missing.push("peer-as");
    }
    if !missing.is_empty() {
        error(
            errors,
            &loc,
            format!("incomplete neighbor, missing {}", missing.join(", ")),
            near,
        );
        return None;
    }
    if !d.invalid.is_empty() {
        // the errors are reported already; checking further would only repeat them
        return None;
    }
    let peer_address = d.peer_address?;
    let local_address = d.local_address.flatten();
    let auto_discovery = local_address.is_none();
    let router_id = d.router_id.or(match local_address {
        Some(IpAddr::V4(ip)) if afi_of(peer_address.addr()) == Afi::IPV4 => Some(ip),
        _ => None,
    });
    let listen = d.listen.unwrap_or(0);
    if listen > 0 && auto_discovery {
        error(
            errors,
            &loc,
            "incomplete neighbor, missing local-address",
            near,
        );
        return None;
    }
    if router_id.is_none() {
        error(errors, &loc, "incomplete neighbor, missing router-id", near);
        return None;
    }
    if let Some(local) = local_address {
        if afi_of(local) != afi_of(peer_address.addr()) {
            error(
                errors,
                &loc,
                "local-address and peer-address must be of the same family",
                near,
            );
            return None;
        }
    }
    let passive = d.passive.unwrap_or(false);
    let is_range = peer_address.prefix_len() < peer_address.max_prefix_len();
    if is_range && !(passive || options.bgp_passive) {
        error(
            errors,
            &loc,
            "can only use ip ranges for the peer address with passive neighbors",
            near,
        );
        return None;
    }
    let md5_base64 = d.md5_base64.unwrap_or_default();
    if let Some(password) = &d.md5_password {
        let decoded = match md5_base64 {
            Md5Base64::True => match base64_decode(password) {
                Some(bytes) => bytes.len(),
                None => {
                    error(errors, &loc, "Invalid MD5 password: not valid base64", near);
                    return None;
                }
            },
            Md5Base64::Auto => base64_decode(password).map_or(password.len(), |b| b.len()),
            Md5Base64::False => password.len(),
        };
        if decoded > MAX_MD5_PASSWORD_LENGTH {
            error(
                errors,
                &loc,
                format!("MD5 password must be no larger than {MAX_MD5_PASSWORD_LENGTH} characters"),
                near,
            );
            return None;
        }
    }

    // families: sorted like ExaBGP (afi, then safi)
    let mut families: Vec<Family> = d.families.iter().map(|(f, _)| *f).collect();
    if families.is_empty() {
        families = all_families();
    }
    families.sort();
    families.dedup();

    let hold_time = d.hold_time.unwrap_or(180);
    let c = &d.capability;
    let mut capability = Capabilities {
        route_refresh: c.route_refresh.unwrap_or(false),
        graceful_restart: c
            .graceful_restart
            .flatten()
            .map(|t| if t == 0 { hold_time } else { t }),
        add_path: c.add_path.flatten(),
        asn4: c.asn4.unwrap_or(true),
        multi_session: c.multi_session.unwrap_or(false),
        operational: c.operational.unwrap_or(false),
        extended_message: c.extended_message.unwrap_or(true),
        nexthop: c.nexthop,
        aigp: c.aigp,
        software_version: c.software_version.unwrap_or(false),
    };

    let mut add_path = Vec::new();
    if capability.add_path.is_some() {
        if d.add_path.is_empty() {
            add_path = families.clone();
        } else {
            add_path = d
                .add_path
                .iter()
                .map(|(f, _)| *f)
                .filter(|f| families.contains(f))
                .collect();
            add_path.sort();
            add_path.dedup();
        }
    }

    if capability.nexthop.is_none() && !d.nexthop.is_empty() {
        capability.nexthop = Some(true);
    }
    let mut nexthop: Vec<NextHopFamily> = Vec::new();
    if capability.nexthop == Some(true) {
        for (nh, _) in &d.nexthop {
            let both = families.contains(&nh.family)
                && families.contains(&Family::new(nh.next_hop_afi, nh.family.safi));
            if both && !nexthop.contains(nh) {
                nexthop.push(*nh);
            }
        }
    }

    let mut adj_rib_out = d.adj_rib_out.unwrap_or(true);
    if capability.route_refresh {
        adj_rib_out = true;
    }

    // every process named by an api block must exist
    let mut ok = true;
    for (api, tok) in &d.api {
        for name in &api.processes {
            if !processes.iter().any(|p| &p.name == name) {
                let l = Location {
                    file: loc.file.clone(),
                    line: tok.line,
                    col: tok.col,
                };
                error(
                    errors,
                    &l,
                    format!("the process \"{name}\" is not defined"),
                    Some(name),
                );
                ok = false;
            }
        }
    }

    // the family errors are reported before the next-hop ones; the routes no check can
    // refuse (most of a large `static` block) are not read again
    let mut family_refused = Vec::new();
    let mut next_hop_refused = Vec::new();
    for (route, at) in d.routes.to_check() {
        // a route of a family not announced to the peer is refused (IPv4 unicast is implied)
        let f = route.family;
        if !families.contains(&f) && f != Family::IPV4_UNICAST {
            family_refused.push((at, family_error(f)));
        }
        // an IPv4 route with an IPv6 next hop needs its `nexthop` entry (RFC 8950)
        if let Some(reason) = crate::nexthop::refusal(&nexthop, route) {
            next_hop_refused.push((at, reason));
        }
    }
    for (at, reason) in family_refused.into_iter().chain(next_hop_refused) {
        error(errors, &at.location(files), reason, None);
        ok = false;
    }
    for raw in &d.raw {
        if let Some(f) = raw.family {
            if !families.contains(&f) && f != Family::IPV4_UNICAST {
                error(errors, &raw.location, family_error(f), None);
                ok = false;
            }
        }
    }
    if !ok {
        return None;
    }

    Some(Neighbor {
        peer_address,
        description: d.description.unwrap_or_default(),
        router_id,
        local_address,
        source_interface: d.source_interface,
        local_as: d.local_as?,
        peer_as: d.peer_as?,
        hold_time,
        passive,
        listen,
        connect: d.connect.unwrap_or(0),
        md5_password: d.md5_password,
        md5_base64,
        md5_ip: d.md5_ip.or(local_address),
        outgoing_ttl: d.outgoing_ttl.flatten(),
        incoming_ttl: d.incoming_ttl.flatten(),
        group_updates: d.group_updates.unwrap_or(true),
        auto_flush: d.auto_flush.unwrap_or(true),
        adj_rib_in: d.adj_rib_in.unwrap_or(true),
        adj_rib_out,
        manual_eor: d.manual_eor.unwrap_or(false),
        rate_limit: d.rate_limit.unwrap_or(0),
        host_name: d.host_name,
        domain_name: d.domain_name,
        capability,
        families,
        add_path,
        nexthop,
        api: d.api.into_iter().map(|(a, _)| a).collect(),
        routes: d.routes.routes,
        raw: d.raw,
        location: loc,
    })
}

fn family_error(f: Family) -> String {
    format!(
        "Trying to announce a route of type {},{} when we are not announcing the family to our peer",
        f.afi, f.safi
    )
}
