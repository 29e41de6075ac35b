//! `neighbor { }` and `template { neighbor <name> { } }` bodies read into a [`Draft`]:
//! every key optional, so that templates can be merged before defaults are applied
//! (spec §1.2–§1.4, §1.11).

use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;
use wire::cap::AddPathMode;
use wire::{Afi, Family, Safi};

use super::{l2vpn, process_key, routes, values as v, Ctx, RouteList};
use crate::lexer::{Node, Token};
use crate::model::{
    ApiBinding, AsnSetting, Encoder, Location, Md5Base64, MessageFilter, NextHopFamily, Process,
    RawSection,
};

/// `capability { }` with every key optional.
#[derive(Debug, Clone, Default)]
pub(crate) struct CapDraft {
    pub(crate) route_refresh: Option<bool>,
    /// `Some(None)` = disabled, `Some(Some(0))` = the hold-time.
    pub(crate) graceful_restart: Option<Option<u16>>,
    pub(crate) add_path: Option<Option<AddPathMode>>,
    pub(crate) asn4: Option<bool>,
    pub(crate) multi_session: Option<bool>,
    pub(crate) operational: Option<bool>,
    pub(crate) extended_message: Option<bool>,
    pub(crate) nexthop: Option<bool>,
    pub(crate) aigp: Option<bool>,
    pub(crate) software_version: Option<bool>,
}

/// A neighbor or template body, before inheritance and defaults.
#[derive(Debug, Clone, Default)]
pub(crate) struct Draft {
    pub(crate) header: Option<Token>,
    pub(crate) location: Location,
    pub(crate) peer_address: Option<IpNet>,
    pub(crate) inherit: Vec<Token>,
    pub(crate) description: Option<String>,
    pub(crate) router_id: Option<Ipv4Addr>,
    pub(crate) local_address: Option<Option<IpAddr>>,
    pub(crate) source_interface: Option<String>,
    pub(crate) local_as: Option<AsnSetting>,
    pub(crate) peer_as: Option<AsnSetting>,
    pub(crate) hold_time: Option<u16>,
    pub(crate) passive: Option<bool>,
    pub(crate) listen: Option<u16>,
    pub(crate) connect: Option<u16>,
    pub(crate) md5_password: Option<String>,
    pub(crate) md5_base64: Option<Md5Base64>,
    pub(crate) md5_ip: Option<IpAddr>,
    pub(crate) outgoing_ttl: Option<Option<u8>>,
    pub(crate) incoming_ttl: Option<Option<u8>>,
    pub(crate) group_updates: Option<bool>,
    pub(crate) auto_flush: Option<bool>,
    pub(crate) adj_rib_in: Option<bool>,
    pub(crate) adj_rib_out: Option<bool>,
    pub(crate) manual_eor: Option<bool>,
    pub(crate) rate_limit: Option<u32>,
    pub(crate) host_name: Option<String>,
    pub(crate) domain_name: Option<String>,
    pub(crate) capability: CapDraft,
    /// Families of `family { }` blocks (`all` expanded), with the token of each.
    pub(crate) families: Vec<(Family, Token)>,
    pub(crate) family_block: bool,
    pub(crate) add_path: Vec<(Family, Token)>,
    pub(crate) nexthop: Vec<(NextHopFamily, Token)>,
    pub(crate) api: Vec<(ApiBinding, Token)>,
    pub(crate) routes: RouteList,
    pub(crate) raw: Vec<RawSection>,
    /// Keys whose value was refused (already reported): not "missing", and the neighbor
    /// is not built.
    pub(crate) invalid: Vec<String>,
}

/// Every family `family { all; }` stands for, in ExaBGP's order of registration.
pub(crate) fn all_families() -> Vec<Family> {
    let v4 = Afi::IPV4;
    let v6 = Afi::IPV6;
    let mut all = vec![
        Family::new(v4, Safi::MULTICAST),
        Family::new(v6, Safi::MULTICAST),
        Family::new(v6, Safi::UNICAST),
        Family::new(v4, Safi::UNICAST),
        Family::new(v6, Safi::MPLS),
        Family::new(v4, Safi::MPLS),
        Family::new(v6, Safi::MPLS_VPN),
        Family::new(v4, Safi::MPLS_VPN),
        Family::new(Afi::L2VPN, Safi::VPLS),
        Family::new(v6, Safi::FLOW_VPN),
        Family::new(v4, Safi::FLOW_VPN),
        Family::new(v6, Safi::FLOW),
        Family::new(v4, Safi::FLOW),
        Family::new(Afi::L2VPN, Safi::EVPN),
        Family::new(v4, Safi::RTC),
        Family::new(Afi::BGP_LS, Safi::BGP_LS_VPN),
        Family::new(Afi::BGP_LS, Safi::BGP_LS),
        Family::new(v6, Safi::MUP),
        Family::new(v4, Safi::MUP),
        Family::new(v6, Safi::MCAST_VPN),
        Family::new(v4, Safi::MCAST_VPN),
    ];
    all.sort();
    all.dedup();
    all
}

/// The family of `<afi> <safi>` as the `family` block accepts it (spec §1.4).
pub(crate) fn family_words(afi: &str, safi: &str) -> Option<Family> {
    let ok = match afi {
        "ipv4" => matches!(
            safi,
            "unicast"
                | "multicast"
                | "nlri-mpls"
                | "mpls-vpn"
                | "mcast-vpn"
                | "flow"
                | "flow-vpn"
                | "mup"
                // RFC 4684; ExaBGP 5 negotiates it only through `all`.
                | "rtc"
        ),
        "ipv6" => matches!(
            safi,
            "unicast" | "nlri-mpls" | "mpls-vpn" | "mcast-vpn" | "mup" | "flow" | "flow-vpn"
        ),
        "l2vpn" => matches!(safi, "vpls" | "evpn"),
        "bgp-ls" => matches!(safi, "bgp-ls" | "bgp-ls-vpn"),
        _ => false,
    };
    if !ok {
        return None;
    }
    Family::from_words(afi, safi)
}

/// Reads a `neighbor` block (or a template's) into a draft.
pub(crate) fn neighbor(
    ctx: &mut Ctx,
    node: &Node,
    template: bool,
    processes: &mut Vec<Process>,
) -> Draft {
    let mut d = Draft {
        header: node.words.get(1).cloned(),
        location: node.words.first().map(|t| ctx.loc(t)).unwrap_or_default(),
        ..Draft::default()
    };
    if !template {
        match node.words.get(1) {
            Some(tok) => {
                d.peer_address = v::peer(ctx, tok);
                ctx.no_extra(node, 2);
            }
            None => ctx.err_node(node, "a neighbor needs an address"),
        }
    }
    for child in node.children.iter().flatten() {
        let before = ctx.errors.len();
        key(ctx, child, &mut d, processes);
        if ctx.errors.len() > before {
            d.invalid.push(child.keyword().to_owned());
        }
    }
    d
}

fn set<T>(slot: &mut Option<T>, value: Option<T>) {
    if value.is_some() {
        *slot = value;
    }
}

fn key(ctx: &mut Ctx, n: &Node, d: &mut Draft, processes: &mut Vec<Process>) {
    match n.keyword() {
        "inherit" => {
            if let Some(names) = v::name_list(ctx, n) {
                let toks = n
                    .words
                    .iter()
                    .skip(1)
                    .filter(|t| !matches!(t.text.as_str(), "[" | "]" | ","));
                let toks: Vec<Token> = toks.cloned().collect();
                debug_assert_eq!(toks.len(), names.len());
                d.inherit.extend(toks);
            }
        }
        "description" => set(&mut d.description, v::string(ctx, n)),
        "router-id" => set(&mut d.router_id, v::ipv4(ctx, n, "router-id")),
        "local-address" => set(&mut d.local_address, v::ip_or_auto(ctx, n)),
        "peer-address" => {
            if let Some(tok) = n.words.get(1) {
                set(&mut d.peer_address, v::peer(ctx, tok));
                ctx.no_extra(n, 2);
            } else {
                ctx.err_missing(n, "peer-address");
            }
        }
        "source-interface" => set(&mut d.source_interface, v::string(ctx, n)),
        "local-as" => set(&mut d.local_as, v::asn(ctx, n)),
        "peer-as" => set(&mut d.peer_as, v::asn(ctx, n)),
        "hold-time" => set(&mut d.hold_time, v::hold_time(ctx, n)),
        "passive" => set(&mut d.passive, v::boolean(ctx, n, true)),
        "listen" => set(&mut d.listen, v::number(ctx, n, 65535).map(|p| p as u16)),
        "connect" => set(&mut d.connect, v::number(ctx, n, 65535).map(|p| p as u16)),
        "md5-password" => set(&mut d.md5_password, v::string(ctx, n)),
        "md5-base64" => set(&mut d.md5_base64, v::md5_base64(ctx, n)),
        "md5-ip" => set(&mut d.md5_ip, v::ip(ctx, n)),
        "outgoing-ttl" => set(&mut d.outgoing_ttl, v::ttl(ctx, n)),
        "incoming-ttl" => set(&mut d.incoming_ttl, v::ttl(ctx, n)),
        "group-updates" => set(&mut d.group_updates, v::boolean(ctx, n, true)),
        "auto-flush" => set(&mut d.auto_flush, v::boolean(ctx, n, true)),
        "adj-rib-in" => set(&mut d.adj_rib_in, v::boolean(ctx, n, false)),
        "adj-rib-out" => set(&mut d.adj_rib_out, v::boolean(ctx, n, false)),
        "manual-eor" => set(&mut d.manual_eor, v::boolean(ctx, n, false)),
        "rate-limit" => set(&mut d.rate_limit, v::rate_limit(ctx, n)),
        "host-name" => set(&mut d.host_name, v::fqdn(ctx, n)),
        "domain-name" => set(&mut d.domain_name, v::fqdn(ctx, n)),
        "capability" | "family" | "add-path" | "nexthop" | "api" | "static" | "announce"
        | "flow" | "l2vpn" | "operational" | "process" | "evpn"
            if n.children.is_none() =>
        {
            ctx.err_node(n, format!("'{}' must be a block {{ }}", n.keyword()));
        }
        "capability" => capability(ctx, n, &mut d.capability),
        "family" => {
            d.family_block = true;
            family_block(ctx, n, &mut d.families, true);
        }
        "add-path" => family_block(ctx, n, &mut d.add_path, false),
        "nexthop" => nexthop(ctx, n, &mut d.nexthop),
        "api" => api(ctx, n, &mut d.api),
        "process" => process_v3(ctx, n, d, processes),
        "static" => {
            if !routes::static_block(ctx, n, &mut d.routes) {
                // refused routes were reported while the file was lexed
                d.invalid.push("static".to_owned());
            }
        }
        "announce" => routes::announce_block(ctx, n, &mut d.routes, &mut d.raw),
        "flow" => routes::flow_block(ctx, n, &mut d.routes),
        "evpn" => super::evpn::evpn_block(ctx, n, &mut d.routes),
        "l2vpn" => l2vpn::l2vpn_block(ctx, n, &mut d.routes),
        "operational" => routes::raw_block(ctx, n, &mut d.raw),
        "route" => routes::static_route(ctx, n, &mut d.routes),
        other => ctx.err_node(n, format!("unknown neighbor key '{other}'")),
    }
}

fn capability(ctx: &mut Ctx, node: &Node, c: &mut CapDraft) {
    for n in node.children.iter().flatten() {
        match n.keyword() {
            "route-refresh" => set(&mut c.route_refresh, v::boolean(ctx, n, true)),
            "asn4" => set(&mut c.asn4, v::boolean(ctx, n, true)),
            "multi-session" => set(&mut c.multi_session, v::boolean(ctx, n, true)),
            "operational" => set(&mut c.operational, v::boolean(ctx, n, true)),
            "extended-message" => set(&mut c.extended_message, v::boolean(ctx, n, true)),
            "nexthop" => set(&mut c.nexthop, v::boolean(ctx, n, true)),
            "aigp" => set(&mut c.aigp, v::boolean(ctx, n, true)),
            "software-version" => set(&mut c.software_version, v::boolean(ctx, n, false)),
            "graceful-restart" => {
                if n.words.len() == 1 && n.children.is_none() {
                    c.graceful_restart = Some(Some(0));
                } else if let Some(tok) = v::one_token(ctx, n) {
                    let value = tok.text.as_str();
                    match value {
                        "disable" | "disabled" => c.graceful_restart = Some(None),
                        _ => match value.parse::<u16>() {
                            Ok(t) if t <= 0xFFF => c.graceful_restart = Some(Some(t)),
                            Ok(_) => {
                                ctx.err(tok, "graceful-restart must be smaller or equal to 4095")
                            }
                            Err(_) => ctx.err(
                                tok,
                                format!("\"{value}\" is an invalid graceful-restart time"),
                            ),
                        },
                    }
                }
            }
            "add-path" => {
                if let Some(tok) = v::one_token(ctx, n) {
                    let value = tok.text.as_str();
                    match value.to_ascii_lowercase().as_str() {
                        "disable" | "disabled" => c.add_path = Some(None),
                        "receive" => c.add_path = Some(Some(AddPathMode::Receive)),
                        "send" => c.add_path = Some(Some(AddPathMode::Send)),
                        "send/receive" => c.add_path = Some(Some(AddPathMode::Both)),
                        "receive/send" => ctx.err(tok, "the option is send/receive"),
                        _ => ctx.err(
                            tok,
                            format!("\"{value}\" is an invalid add-path, options are: send, receive, send/receive"),
                        ),
                    }
                }
            }
            other => ctx.err_node(n, format!("unknown capability '{other}'")),
        }
    }
}

/// `family { }` (with `all`) and `add-path { }`: `<afi> <safi>;` lines.
fn family_block(ctx: &mut Ctx, node: &Node, out: &mut Vec<(Family, Token)>, allow_all: bool) {
    let mut all = false;
    let mut seen = Vec::new();
    for n in node.children.iter().flatten() {
        if !ctx.expect_statement(n) {
            continue;
        }
        let Some(first) = n.words.first() else {
            continue;
        };
        if n.keyword() == "all" && allow_all {
            ctx.no_extra(n, 1);
            if all || !seen.is_empty() {
                ctx.err(first, "all can not be used with any other options");
                continue;
            }
            all = true;
            for f in all_families() {
                seen.push(f);
                out.push((f, first.clone()));
            }
            continue;
        }
        if n.keyword() == "minimal" {
            ctx.err(first, "family minimal is deprecated");
            continue;
        }
        let Some(safi) = n.words.get(1) else {
            ctx.err_missing(n, n.keyword());
            continue;
        };
        // like ExaBGP, words after the SAFI are ignored
        if all {
            ctx.err(first, "can not add any family once family all is set");
            continue;
        }
        let safi_name = safi.text.to_ascii_lowercase();
        match family_words(&first.text, &safi_name) {
            Some(f) if seen.contains(&f) => {
                ctx.err(
                    safi,
                    format!("duplicate afi/safi pair {}/{}", first.text, safi_name),
                );
            }
            Some(f) => {
                seen.push(f);
                out.push((f, first.clone()));
            }
            None => ctx.err(
                safi,
                format!("invalid afi/safi pair {}/{}", first.text, safi_name),
            ),
        }
    }
}

/// `nexthop { <afi> <safi> <nh-afi>; }` (RFC 8950).
fn nexthop(ctx: &mut Ctx, node: &Node, out: &mut Vec<(NextHopFamily, Token)>) {
    for n in node.children.iter().flatten() {
        if !ctx.expect_statement(n) {
            continue;
        }
        let words: Vec<&str> = n.words.iter().map(|t| t.text.as_str()).collect();
        let Some(first) = n.words.first() else {
            continue;
        };
        let parsed = match words.as_slice() {
            ["ipv4", safi @ ("unicast" | "multicast" | "nlri-mpls" | "mpls-vpn"), "ipv6"] => {
                Family::from_words("ipv4", safi).map(|f| (f, Afi::IPV6))
            }
            ["ipv6", safi @ ("unicast" | "multicast" | "nlri-mpls" | "mpls-vpn"), "ipv4"] => {
                Family::from_words("ipv6", safi).map(|f| (f, Afi::IPV4))
            }
            _ => None,
        };
        match parsed {
            Some((family, next_hop_afi)) => out.push((
                NextHopFamily {
                    family,
                    next_hop_afi,
                },
                first.clone(),
            )),
            None => ctx.err(
                first,
                format!("invalid nexthop entry '{}'", words.join(" ")),
            ),
        }
    }
}

/// `receive { }` / `send { }` of an api block. With `v3` (ExaBGP 3's `process` in a
/// neighbor), `updates` and `neighbor-changes` are accepted there too.
fn direction(ctx: &mut Ctx, node: &Node, f: &mut MessageFilter, mut v3: Option<&mut bool>) {
    for n in node.children.iter().flatten() {
        let Some(b) = v::boolean(ctx, n, true) else {
            continue;
        };
        match (n.keyword(), v3.as_deref_mut()) {
            ("updates", Some(_)) => f.update = b,
            ("neighbor-changes", Some(changes)) => *changes = b,
            _ => {}
        }
        match n.keyword() {
            "updates" | "neighbor-changes" if v3.is_some() => {}
            "parsed" => f.parsed = b,
            "packets" => f.packets = b,
            "consolidate" => f.consolidate = b,
            "open" => f.open = b,
            "update" => f.update = b,
            "notification" => f.notification = b,
            "keepalive" => f.keepalive = b,
            "refresh" => f.refresh = b,
            "operational" => f.operational = b,
            other => ctx.err_node(
                n,
                format!("unknown api {} option '{other}'", node.keyword()),
            ),
        }
    }
}

/// One statement or block of an api block (also used by ExaBGP 3's `process` in a
/// neighbor). Returns false when the keyword is not an api key.
fn api_key(ctx: &mut Ctx, n: &Node, a: &mut ApiBinding) -> bool {
    match (n.keyword(), n.children.is_some()) {
        ("processes", false) => {
            if let Some(list) = v::name_list(ctx, n) {
                a.processes.extend(list);
            }
        }
        ("processes-match", false) => {
            if let Some(list) = v::name_list(ctx, n) {
                a.processes_match.extend(list);
            }
        }
        ("neighbor-changes", false) => set_flag(&mut a.neighbor_changes, v::boolean(ctx, n, true)),
        ("negotiated", false) => set_flag(&mut a.negotiated, v::boolean(ctx, n, true)),
        ("fsm", false) => set_flag(&mut a.fsm, v::boolean(ctx, n, true)),
        ("signal", false) => set_flag(&mut a.signal, v::boolean(ctx, n, true)),
        ("receive", true) => direction(ctx, n, &mut a.receive, None),
        ("send", true) => direction(ctx, n, &mut a.send, None),
        _ => return false,
    }
    true
}

fn set_flag(flag: &mut bool, value: Option<bool>) {
    if let Some(v) = value {
        *flag = v;
    }
}

/// `api [<name>] { }` (spec §1.11).
fn api(ctx: &mut Ctx, node: &Node, out: &mut Vec<(ApiBinding, Token)>) {
    let mut a = ApiBinding {
        name: node.words.get(1).map(|t| t.text.clone()),
        ..ApiBinding::default()
    };
    ctx.no_extra(node, 2);
    for n in node.children.iter().flatten() {
        if !api_key(ctx, n, &mut a) {
            ctx.err_node(n, format!("unknown api option '{}'", n.keyword()));
        }
    }
    if let Some(tok) = node.words.first() {
        out.push((a, tok.clone()));
    }
}

/// ExaBGP 3's `process <name> { run …; encoder …; receive { … }; neighbor-changes; }` inside
/// a neighbor: defines the process (text encoder unless told otherwise) and binds it to
/// the neighbor.
fn process_v3(ctx: &mut Ctx, node: &Node, d: &mut Draft, processes: &mut Vec<Process>) {
    let Some(name) = node.words.get(1) else {
        ctx.err_node(node, "a process needs a name");
        return;
    };
    ctx.no_extra(node, 2);
    let mut run = None;
    let mut encoder = None;
    let mut respawn = None;
    let mut binding = ApiBinding {
        processes: vec![name.text.clone()],
        ..ApiBinding::default()
    };
    for n in node.children.iter().flatten() {
        if process_key(ctx, n, &mut run, &mut encoder, &mut respawn) {
            continue;
        }
        // ExaBGP 3 spellings
        match n.keyword() {
            "receive" | "send" if n.children.is_some() => {
                let filter = if n.keyword() == "receive" {
                    &mut binding.receive
                } else {
                    &mut binding.send
                };
                direction(ctx, n, filter, Some(&mut binding.neighbor_changes));
            }
            "parse-routes" | "receive-routes" | "peer-updates" => {
                set_flag(&mut binding.receive.parsed, v::boolean(ctx, n, true));
                binding.receive.update = binding.receive.parsed;
            }
            "send-packets" => {
                set_flag(&mut binding.send.packets, v::boolean(ctx, n, true));
                binding.send.update = binding.send.packets;
            }
            "receive-packets" => {
                set_flag(&mut binding.receive.packets, v::boolean(ctx, n, true));
                binding.receive.update = binding.receive.packets;
            }
            _ => {
                if !api_key(ctx, n, &mut binding) {
                    ctx.err_node(n, format!("unknown process option '{}'", n.keyword()));
                }
            }
        }
    }
    match (run, processes.iter().find(|p| p.name == name.text)) {
        (Some((run, location)), None) => processes.push(Process {
            name: name.text.clone(),
            run,
            encoder: encoder.unwrap_or(Encoder::Text),
            respawn: respawn.unwrap_or(true),
            location,
        }),
        (Some((run, _)), Some(existing)) if existing.run != run => {
            ctx.err(
                name,
                format!("a process section called \"{}\" already exists", name.text),
            );
        }
        (None, None) => ctx.err(name, "unset process sections: run"),
        _ => {}
    }
    d.api.push((binding, name.clone()));
}
