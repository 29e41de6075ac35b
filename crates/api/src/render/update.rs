//! The routes of an UPDATE in the order and grouping ExaBGP 5 reports them.
//!
//! ExaBGP lists, in this order: the IPv4 Withdrawn Routes, the IPv4 NLRI (with the
//! NEXT_HOP), the MP_UNREACH_NLRI routes, then the MP_REACH_NLRI routes — each route once
//! per next hop when MP_REACH carries two (global and link-local, RFC 2545 §3). An UPDATE
//! with no route and no attribute besides an empty MP attribute is an End-of-RIB marker
//! (RFC 4724 §2).

use std::fmt::Write;
use std::net::IpAddr;

use wire::nlri::flow::text::component_name;
use wire::nlri::Flow;
use wire::{Afi, Attribute, Family, Nlri, Update};

use super::prefix::push_prefix;
use super::{hex_bare_upper, json_str};

/// Whether a route is announced or withdrawn.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Action {
    Announce,
    Withdraw,
}

/// One route of the UPDATE.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(crate) family: Family,
    pub(crate) action: Action,
    pub(crate) nlri: &'a Nlri,
    /// The next hop of an announced route; `None` prints as `no-nexthop`.
    pub(crate) next_hop: Option<IpAddr>,
}

/// What an UPDATE is, for printing.
#[derive(Debug)]
pub(crate) enum Shape<'a> {
    /// End-of-RIB for a family.
    Eor(Family),
    /// Routes (possibly none, when only attributes were sent).
    Routes(Vec<Entry<'a>>),
}

/// Sorts the routes of `update` into ExaBGP's order. With `treat_as_withdraw`, announced
/// routes are reported as withdrawn (RFC 7606 §2).
pub(crate) fn shape(update: &Update, treat_as_withdraw: bool) -> Shape<'_> {
    let mut reach = None;
    let mut unreach = None;
    let mut next_hop = None;
    let mut other_attributes = false;
    for attribute in &update.attributes {
        match attribute {
            Attribute::MpReach(r) => reach = reach.or(Some(r)),
            Attribute::MpUnreach(u) => unreach = unreach.or(Some(u)),
            Attribute::NextHop(ip) => {
                next_hop = next_hop.or(Some(IpAddr::V4(*ip)));
                other_attributes = true;
            }
            _ => other_attributes = true,
        }
    }
    let announce = if treat_as_withdraw {
        Action::Withdraw
    } else {
        Action::Announce
    };
    let mut entries = Vec::new();
    for nlri in &update.withdrawn {
        entries.push(Entry {
            family: Family::IPV4_UNICAST,
            action: Action::Withdraw,
            nlri,
            next_hop: None,
        });
    }
    for nlri in &update.nlri {
        entries.push(Entry {
            family: Family::IPV4_UNICAST,
            action: announce,
            nlri,
            next_hop,
        });
    }
    if let Some(u) = unreach {
        for nlri in &u.nlri {
            entries.push(Entry {
                family: u.family,
                action: Action::Withdraw,
                nlri,
                next_hop: None,
            });
        }
    }
    if let Some(r) = reach {
        for nlri in &r.nlri {
            if r.next_hop.is_empty() {
                entries.push(Entry {
                    family: r.family,
                    action: announce,
                    nlri,
                    next_hop: None,
                });
            }
            for hop in &r.next_hop {
                entries.push(Entry {
                    family: r.family,
                    action: announce,
                    nlri,
                    next_hop: Some(*hop),
                });
            }
        }
    }
    if entries.is_empty() && !other_attributes {
        let family = match (unreach, reach) {
            (Some(u), _) => u.family,
            (None, Some(r)) => r.family,
            (None, None) => Family::IPV4_UNICAST,
        };
        return Shape::Eor(family);
    }
    Shape::Routes(entries)
}

/// Appends the JSON object of one NLRI (`{ "nlri": "10.0.0.0/24" }`, or the bare string in
/// compact mode when there is no path identifier); a flow as ExaBGP prints it, see
/// [`flow_json`].
pub(crate) fn nlri_json(out: &mut String, entry: &Entry<'_>, compact: bool) {
    match entry.nlri {
        Nlri::Flow(flow) => flow_json(out, flow, entry.family.afi, entry.next_hop),
        Nlri::Prefix {
            path_id: Some(id),
            prefix,
        } => {
            out.push_str("{ \"nlri\": \"");
            push_prefix(out, prefix);
            let _ = write!(out, "\", \"path-information\": \"{id}\" }}");
        }
        Nlri::Prefix {
            path_id: None,
            prefix,
        } => {
            out.push_str(if compact { "\"" } else { "{ \"nlri\": \"" });
            push_prefix(out, prefix);
            out.push_str(if compact { "\"" } else { "\" }" });
        }
        Nlri::Labeled {
            path_id,
            labels,
            rd,
            prefix,
        } => {
            // ExaBGP's order: path-information, label, rd.
            out.push_str("{ \"nlri\": \"");
            push_prefix(out, prefix);
            out.push('"');
            if let Some(id) = path_id {
                let _ = write!(out, ", \"path-information\": \"{id}\"");
            }
            if !labels.is_empty() {
                out.push_str(", \"label\": [ ");
                for (i, label) in labels.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    let _ = write!(out, "[{label}]");
                }
                out.push_str(" ]");
            }
            if let Some(rd) = rd {
                let _ = write!(out, ", \"rd\": \"{rd}\"");
            }
            out.push_str(" }");
        }
        Nlri::Mup(route) => super::mup::json(out, route),
        Nlri::Evpn(route) => super::evpn::json(out, route),
        Nlri::Vpls(route) => super::vpls::json(out, route),
        Nlri::Mvpn(route) => super::mvpn::json(out, route),
        Nlri::BgpLs(ls) => super::bgpls::json(out, ls, entry.next_hop),
        Nlri::Rtc(rtc) => super::bgpls::rtc_json(out, rtc),
        Nlri::Opaque(bytes) => {
            out.push_str("{ \"parsed\": false, \"raw\": \"");
            hex_bare_upper(out, bytes);
            out.push_str("\" }");
        }
        _ => out.push_str("{ }"),
    }
}

/// Appends the text form of one NLRI (`10.0.0.0/24 path-information 0.0.0.1`, for a
/// labeled route `… label 1000` or `… label [ 16 3 ]`, for a flow `flow destination-ipv4
/// … [rd …]`); a VPN route's RD comes after the next hop, see [`nlri_text_tail`].
pub(crate) fn nlri_text(out: &mut String, family: Family, nlri: &Nlri) {
    match nlri {
        Nlri::Flow(flow) => out.push_str(&flow.text(family.afi, None)),
        Nlri::Prefix { path_id, prefix } => {
            push_prefix(out, prefix);
            if let Some(id) = path_id {
                let _ = write!(out, " path-information {id}");
            }
        }
        Nlri::Labeled {
            path_id,
            labels,
            prefix,
            ..
        } => {
            push_prefix(out, prefix);
            if let Some(id) = path_id {
                let _ = write!(out, " path-information {id}");
            }
            match labels.as_slice() {
                [] => {}
                [one] => {
                    let _ = write!(out, " label {one}");
                }
                many => {
                    out.push_str(" label [");
                    for label in many {
                        let _ = write!(out, " {label}");
                    }
                    out.push_str(" ]");
                }
            }
        }
        Nlri::Mup(route) => super::mup::text(out, route),
        Nlri::Evpn(route) => super::evpn::text(out, route),
        Nlri::Vpls(route) => super::vpls::text(out, route),
        Nlri::Mvpn(_) => super::mvpn::text(out, family),
        Nlri::Rtc(_) | Nlri::BgpLs(_) => {
            let _ = write!(out, "afi {} safi {}", family.afi, family.safi);
        }
        Nlri::Opaque(bytes) => {
            out.push_str("0x");
            hex_bare_upper(out, bytes);
        }
        _ => {}
    }
}

/// Appends what ExaBGP prints after an NLRI's next hop: ` rd <rd>` for a VPN route.
pub(crate) fn nlri_text_tail(out: &mut String, nlri: &Nlri) {
    if let Nlri::Labeled { rd: Some(rd), .. } = nlri {
        let _ = write!(out, " rd {rd}");
    }
}

/// Appends a flow's JSON object as ExaBGP 5 prints it: one member per component (values
/// ORed, ANDed pairs joined), `rd`, `next-hop` of an announced route, and `string`.
pub(crate) fn flow_json(out: &mut String, flow: &Flow, afi: Afi, next_hop: Option<IpAddr>) {
    out.push_str("{ ");
    for c in &flow.components {
        let _ = write!(out, "\"{}\": [ ", component_name(c.kind(), afi));
        for (i, v) in c.values().iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            json_str(out, v);
        }
        out.push_str(" ], ");
    }
    if let Some(rd) = &flow.rd {
        let _ = write!(out, "\"rd\": \"{rd}\", ");
    }
    if let Some(ip) = next_hop {
        let _ = write!(out, "\"next-hop\": \"{ip}\", ");
    }
    out.push_str("\"string\": ");
    json_str(out, &flow.text(afi, next_hop));
    out.push_str(" }");
}

/// Appends the next hop as ExaBGP names it.
pub(crate) fn next_hop_text(out: &mut String, next_hop: Option<IpAddr>) {
    match next_hop {
        Some(ip) => {
            let _ = write!(out, "{ip}");
        }
        None => out.push_str("no-nexthop"),
    }
}
