//! OPEN capabilities (RFC 5492) in ExaBGP 5's JSON and text forms.
//!
//! ExaBGP keeps capabilities in a map keyed by code, in the order each code was first
//! seen: repeated Multiprotocol capabilities become one list, repeated ADD-PATH ones one
//! map, and for other codes the last one wins. JSON prints the map in that order; text
//! prints it sorted by code and in lower case. The graceful-restart JSON labels are
//! swapped (ExaBGP 5.0's own quirk, kept for parity): the per-family F bit is printed as
//! `"restart"` and the R bit as `"forwarding"`.

use std::fmt::Write;

use wire::cap::{AddPathMode, GracefulRestart};
use wire::{Afi, Capability, Family};

use super::{hex_bare_upper, json_str};

/// The capabilities of one OPEN, grouped by code in first-seen order.
pub(crate) struct CapView<'a> {
    groups: Vec<(u8, Vec<&'a Capability>)>,
}

/// The code of a capability, `None` for kinds this renderer does not know.
fn code(cap: &Capability) -> Option<u8> {
    Some(match cap {
        Capability::Multiprotocol(_) => 1,
        Capability::RouteRefresh => 2,
        Capability::ExtendedNextHop(_) => 5,
        Capability::ExtendedMessage => 6,
        Capability::GracefulRestart(_) => 64,
        Capability::FourOctetAsn(_) => 65,
        Capability::Multisession(_) => 68,
        Capability::AddPath(_) => 69,
        Capability::EnhancedRouteRefresh => 70,
        Capability::Fqdn { .. } => 73,
        Capability::SoftwareVersion(_) => 75,
        Capability::CiscoRouteRefresh => 128,
        Capability::Operational => 185,
        Capability::Unknown { code, .. } => *code,
        _ => return None,
    })
}

impl<'a> CapView<'a> {
    /// Groups `caps` by code.
    pub(crate) fn new(caps: &'a [Capability]) -> Self {
        let mut groups: Vec<(u8, Vec<&Capability>)> = Vec::new();
        for cap in caps {
            let Some(code) = code(cap) else { continue };
            match groups.iter_mut().find(|(c, _)| *c == code) {
                Some((_, list)) => list.push(cap),
                None => groups.push((code, vec![cap])),
            }
        }
        Self { groups }
    }

    /// Appends the members of the JSON `capabilities` object (without braces).
    pub(crate) fn json(&self, out: &mut String) {
        for (i, (code, caps)) in self.groups.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{code}\": ");
            json_one(out, *code, caps);
        }
    }

    /// Appends the text list (the part inside `capabilities [ … ]`), lower-cased.
    pub(crate) fn text(&self, out: &mut String) {
        let mut sorted: Vec<&(u8, Vec<&Capability>)> = self.groups.iter().collect();
        sorted.sort_by_key(|(code, _)| *code);
        let mut s = String::new();
        for (i, (code, caps)) in sorted.iter().enumerate() {
            if i > 0 {
                s.push_str(", ");
            }
            text_one(&mut s, *code, caps);
        }
        let mut escaped = String::new();
        super::oneline(&mut escaped, &s);
        out.push_str(&escaped.to_lowercase());
    }
}

fn last<'a>(caps: &[&'a Capability]) -> Option<&'a Capability> {
    caps.last().copied()
}

fn families_of(caps: &[&Capability]) -> Vec<Family> {
    caps.iter()
        .filter_map(|c| match c {
            Capability::Multiprotocol(f) => Some(*f),
            _ => None,
        })
        .collect()
}

fn add_paths_of(caps: &[&Capability]) -> Vec<(Family, AddPathMode)> {
    let mut merged: Vec<(Family, AddPathMode)> = Vec::new();
    for cap in caps {
        if let Capability::AddPath(list) = cap {
            for (family, mode) in list {
                match merged.iter_mut().find(|(f, _)| f == family) {
                    Some(slot) => slot.1 = *mode,
                    None => merged.push((*family, *mode)),
                }
            }
        }
    }
    merged
}

fn mode_name(mode: AddPathMode) -> &'static str {
    match mode {
        AddPathMode::Receive => "receive",
        AddPathMode::Send => "send",
        AddPathMode::Both => "send/receive",
    }
}

fn iana(code: u8) -> &'static str {
    match code {
        70..=127 => "unassigned",
        128..=255 => "reserved",
        _ => "unknown",
    }
}

/// ExaBGP's name of a capability code, as listed in a multisession capability.
fn code_name(code: u8) -> String {
    let known = match code {
        0 => "reserved",
        1 => "multiprotocol",
        2 => "route-refresh",
        3 => "outbound-route-filtering",
        4 => "multiple-routes",
        5 => "nexthop",
        6 => "extended-message",
        64 => "graceful-restart",
        65 => "asn4",
        67 => "dynamic-capability",
        68 => "multi-session",
        69 => "add-path",
        70 => "enhanced-route-refresh",
        73 => "hostname",
        75 => "software-version",
        128 => "cisco-route-refresh",
        131 => "cisco-multi-sesion",
        185 => "operational",
        _ => "",
    };
    if !known.is_empty() {
        return known.to_owned();
    }
    match code {
        70..=127 => format!("unassigned-{code:#x}"),
        128..=255 => format!("reserved-{code:#x}"),
        _ => format!("capability-{code:#x}"),
    }
}

/// The session ids of a multisession capability: the octets after the flags octet.
fn multisession_codes(data: &[u8]) -> &[u8] {
    data.get(1..).unwrap_or(&[])
}

fn json_one(out: &mut String, code: u8, caps: &[&Capability]) {
    let Some(cap) = last(caps) else { return };
    match cap {
        Capability::Multiprotocol(_) => {
            out.push_str("{ \"name\": \"multiprotocol\", \"families\": [");
            for (i, f) in families_of(caps).iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, " \"{}\"", f.slash_name());
            }
            out.push_str(" ] }");
        }
        Capability::RouteRefresh => {
            out.push_str("{ \"name\": \"route-refresh\", \"variant\": \"RFC\" }");
        }
        Capability::CiscoRouteRefresh => {
            out.push_str("{ \"name\": \"route-refresh\", \"variant\": \"Cisco\" }");
        }
        Capability::ExtendedNextHop(list) => {
            out.push_str("{ \"name\": \"nexthop\", \"conversion\": [");
            for (i, (f, nh)) in list.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                let _ = write!(out, " \"{}/{}\"", f.slash_name(), nh);
            }
            out.push_str(" ] }");
        }
        Capability::ExtendedMessage => {
            out.push_str("{ \"name\": \"extended-message\", \"size\": 65535 }");
        }
        Capability::GracefulRestart(gr) => graceful_json(out, gr),
        Capability::FourOctetAsn(asn) => {
            let _ = write!(out, "{{ \"name\": \"asn4\", \"asn4\": {} }}", asn.0);
        }
        Capability::Multisession(data) => multisession_json(out, "RFC", data),
        Capability::AddPath(_) => {
            out.push_str("{ \"name\": \"addpath\"");
            for (i, (f, mode)) in add_paths_of(caps).iter().enumerate() {
                out.push_str(if i == 0 { ", " } else { "," });
                let _ = write!(out, "\"{}\": \"{}\"", f.slash_name(), mode_name(*mode));
            }
            out.push_str(" }");
        }
        Capability::EnhancedRouteRefresh => {
            out.push_str("{ \"name\": \"enhanced-route-refresh\" }");
        }
        Capability::Fqdn { host, domain } => {
            out.push_str("{ \"host-name\": ");
            json_str(out, host);
            out.push_str(", \"domain-name\": ");
            json_str(out, domain);
            out.push_str(" }");
        }
        Capability::SoftwareVersion(version) => {
            out.push_str("{ \"software\": ");
            json_str(out, version);
            out.push_str(" }");
        }
        Capability::Operational => out.push_str("{ \"name\": \"operational\" }"),
        Capability::Unknown { code: 131, data } => multisession_json(out, "Cisco", data),
        Capability::Unknown { data, .. } => {
            let _ = write!(
                out,
                "{{ \"name\": \"unknown\", \"iana\": \"{}\", \"value\": {code}, \"raw\": \"",
                iana(code)
            );
            hex_bare_upper(out, data);
            out.push_str("\" }");
        }
        _ => out.push_str("{ }"),
    }
}

fn graceful_json(out: &mut String, gr: &GracefulRestart) {
    let _ = write!(
        out,
        "{{ \"name\": \"graceful restart\", \"time\": {}, \"address-family-flags\": {{ ",
        gr.restart_time
    );
    for (i, (family, forwarding)) in gr.families.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(
            out,
            "\"{}\": [{} ] ",
            family.slash_name(),
            if *forwarding { " \"restart\"" } else { "" }
        );
    }
    let _ = write!(
        out,
        "}}, \"restart-flags\": [{}]  }}",
        if gr.restart_state {
            " \"forwarding\" "
        } else {
            " "
        }
    );
}

fn multisession_json(out: &mut String, variant: &str, data: &[u8]) {
    let _ = write!(
        out,
        "{{ \"name\": \"multisession\", \"variant\": \"{variant}\", \"capabilities\": ["
    );
    for (i, code) in multisession_codes(data).iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        let _ = write!(out, " \"{}\"", code_name(*code));
    }
    out.push_str(" ] }");
}

fn family_words(f: Family) -> String {
    format!("{} {}", f.afi, f.safi)
}

fn text_one(out: &mut String, code: u8, caps: &[&Capability]) {
    let Some(cap) = last(caps) else { return };
    match cap {
        Capability::Multiprotocol(_) => {
            let list: Vec<String> = families_of(caps).into_iter().map(family_words).collect();
            let _ = write!(out, "Multiprotocol({})", list.join(","));
        }
        Capability::RouteRefresh => out.push_str("Route Refresh"),
        Capability::CiscoRouteRefresh => out.push_str("Cisco Route Refresh"),
        Capability::ExtendedNextHop(list) => {
            let list: Vec<String> = list
                .iter()
                .map(|(f, nh): &(Family, Afi)| format!("{} {nh}", family_words(*f)))
                .collect();
            let _ = write!(out, "NextHop({})", list.join(","));
        }
        Capability::ExtendedMessage => out.push_str("Extended Message(65535)"),
        Capability::GracefulRestart(gr) => {
            let families: Vec<String> = gr
                .families
                .iter()
                .map(|(f, forwarding)| {
                    format!(
                        "{}={}",
                        f.slash_name(),
                        if *forwarding { "0x80" } else { "0x0" }
                    )
                })
                .collect();
            let _ = write!(
                out,
                "Graceful Restart Flags {} Time {} {}",
                if gr.restart_state { "0x8" } else { "0x0" },
                gr.restart_time,
                families.join(" ")
            );
        }
        Capability::FourOctetAsn(asn) => {
            let _ = write!(out, "ASN4({})", asn.0);
        }
        Capability::Multisession(data) => multisession_text(out, " (RFC)", data),
        Capability::AddPath(_) => {
            let list: Vec<String> = add_paths_of(caps)
                .into_iter()
                .map(|(f, mode)| format!("{} {}", mode_name(mode), family_words(f)))
                .collect();
            let _ = write!(out, "AddPath({})", list.join(","));
        }
        Capability::EnhancedRouteRefresh => out.push_str("Enhanced Route Refresh"),
        Capability::Fqdn { host, domain } => {
            let _ = write!(out, "Hostname({host} {domain})");
        }
        Capability::SoftwareVersion(version) => {
            let _ = write!(out, "Software({version})");
        }
        Capability::Operational => out.push_str("Operational"),
        Capability::Unknown { code: 131, data } => multisession_text(out, "", data),
        Capability::Unknown { .. } => {
            let kind = match iana(code) {
                "unassigned" => "Unassigned",
                "reserved" => "Reserved",
                _ => "Unknown",
            };
            let _ = write!(out, "{kind} {code}");
        }
        _ => {}
    }
}

fn multisession_text(out: &mut String, info: &str, data: &[u8]) {
    let names: Vec<String> = multisession_codes(data)
        .iter()
        .map(|c| code_name(*c))
        .collect();
    let _ = write!(out, "Multisession{info} {}", names.join(" "));
}
