//! The text encoder: ExaBGP 5's text events (spec §3.2), each line ended by `\n`.
//!
//! ```text
//! neighbor 127.0.0.1 up
//! neighbor 127.0.0.1 receive update start
//! neighbor 127.0.0.1 receive update announced 10.1.0.0/24 next-hop 127.0.0.1 origin igp …
//! neighbor 127.0.0.1 receive update end
//! ```
//!
//! The text stream has no `fsm`, `negotiated` or `signal` events and no counter. Text
//! that comes from a peer is escaped so that it stays on its line (ExaBGP's `oneline`).
//! AS_PATH sequences print as `( … )` and sets as `[ … ]`, as ExaBGP does.

use std::fmt::Write;

use wire::message::RefreshSubtype;
use wire::{Message, Notification, Open, Update};

use crate::event::{split_raw, Direction, MessageEvent, NeighborInfo, StateChange};
use crate::render::attr::AttrView;
use crate::render::cap::CapView;
use crate::render::notification::shown_data;
use crate::render::operational::{Operational, OperationalKind};
use crate::render::update::{next_hop_text, nlri_text, nlri_text_tail, shape, Action, Shape};
use crate::render::{hex_upper, oneline};

/// Encodes events as ExaBGP 5 text lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextEncoder;

impl TextEncoder {
    /// `neighbor <ip> connected|up`, or `neighbor <ip> down - <reason>`.
    pub fn state(&self, out: &mut String, peer: &NeighborInfo, change: StateChange<'_>) {
        let _ = write!(out, "neighbor {} ", peer.peer_addr);
        match change {
            StateChange::Connected => out.push_str("connected"),
            StateChange::Up => out.push_str("up"),
            StateChange::Down(reason) => {
                out.push_str("down - ");
                oneline(out, reason);
            }
        }
        out.push('\n');
    }

    /// The daemon exit line, `shutdown <pid> <ppid>`.
    pub fn shutdown(&self, out: &mut String, pid: u32, ppid: u32) {
        let _ = writeln!(out, "shutdown {pid} {ppid}");
    }

    /// A raw `packets` event: `neighbor <ip> <direction> <type code> header 0x… body 0x…`.
    pub fn packets(&self, out: &mut String, peer: &NeighborInfo, direction: Direction, raw: &[u8]) {
        let (header, _) = split_raw(raw);
        let category = header.get(18).copied().unwrap_or(0);
        let _ = write!(
            out,
            "neighbor {} {} {category}",
            peer.peer_addr,
            direction.as_str()
        );
        header_body(out, Some(raw));
        out.push('\n');
    }

    /// A parsed message. Returns false, writing nothing, for a message ExaBGP does not
    /// report.
    pub fn message(&self, out: &mut String, peer: &NeighborInfo, event: &MessageEvent<'_>) -> bool {
        let prefix = |out: &mut String| {
            let _ = write!(
                out,
                "neighbor {} {} ",
                peer.peer_addr,
                event.direction.as_str()
            );
        };
        match event.message {
            Message::Open(open) => {
                prefix(out);
                open_text(out, open);
                header_body(out, event.raw);
                out.push('\n');
            }
            Message::Update(update) => update_text(out, peer, event, update),
            Message::Notification(n) => {
                prefix(out);
                notification_text(out, n, event.direction);
                header_body(out, event.raw);
                out.push('\n');
            }
            Message::Keepalive => {
                prefix(out);
                out.push_str("keepalive");
                header_body(out, event.raw);
                out.push('\n');
            }
            Message::RouteRefresh(rr) => {
                prefix(out);
                let subtype = match rr.subtype {
                    RefreshSubtype::Query => "query",
                    RefreshSubtype::Begin => "begin",
                    RefreshSubtype::End => "end",
                    RefreshSubtype::Other(_) => "invalid",
                };
                let _ = write!(
                    out,
                    "route-refresh afi {} safi {} {subtype}",
                    rr.family.afi, rr.family.safi
                );
                header_body(out, event.raw);
                out.push('\n');
            }
            Message::Operational(body) => {
                let Some(op) = Operational::decode(body) else {
                    return false;
                };
                prefix(out);
                let _ = write!(
                    out,
                    "operational {} afi {} safi {}",
                    op.name, op.family.afi, op.family.safi
                );
                match &op.kind {
                    OperationalKind::Advisory(text) => {
                        out.push_str(" advisory \"");
                        oneline(out, text);
                        out.push('"');
                    }
                    OperationalKind::Query { .. } => {}
                    OperationalKind::Counter {
                        router_id,
                        sequence,
                        counter,
                    } => {
                        let _ = write!(
                            out,
                            " router-id {router_id} sequence {sequence} counter {counter}"
                        );
                    }
                }
                header_body(out, event.raw);
                out.push('\n');
            }
            _ => return false,
        }
        true
    }
}

/// ` header 0x… body 0x…` for `consolidate`, nothing otherwise.
fn header_body(out: &mut String, raw: Option<&[u8]>) {
    let Some(raw) = raw else { return };
    let (header, body) = split_raw(raw);
    if header.is_empty() {
        return;
    }
    out.push_str(" header ");
    hex_upper(out, header);
    if !body.is_empty() {
        out.push_str(" body ");
        hex_upper(out, body);
    }
}

fn open_text(out: &mut String, open: &Open) {
    let _ = write!(
        out,
        "open version {} asn {} hold_time {} router_id {} capabilities [",
        open.version, open.asn, open.hold_time, open.router_id
    );
    CapView::new(&open.capabilities).text(out);
    out.push(']');
}

fn notification_text(out: &mut String, n: &Notification, direction: Direction) {
    let _ = write!(
        out,
        "notification code {} subcode {} data ",
        n.code, n.subcode
    );
    hex_upper(out, &shown_data(n.code, n.subcode, &n.data, direction));
}

fn update_text(out: &mut String, peer: &NeighborInfo, event: &MessageEvent<'_>, update: &Update) {
    let mut prefix = String::new();
    let _ = write!(
        prefix,
        "neighbor {} {} update",
        peer.peer_addr,
        event.direction.as_str()
    );
    let _ = writeln!(out, "{prefix} start");
    match shape(update, event.treat_as_withdraw) {
        Shape::Eor(family) => {
            let _ = writeln!(
                out,
                "{prefix} route eor {}/{} ({} {})",
                family.afi.0, family.safi.0, family.afi, family.safi
            );
        }
        Shape::Routes(entries) => {
            let error = event.treat_as_withdraw.then_some("treat-as-withdraw");
            // ExaBGP decodes the UPDATEs it sends too, so both directions follow the
            // decoder's rules for unknown attributes.
            let view = AttrView::new(&update.attributes, true, error);
            let mut attributes = String::new();
            view.text(&mut attributes);
            for entry in entries {
                out.push_str(&prefix);
                // ExaBGP has no text form of its own for RTC and BGP-LS routes: it names
                // the family, without the next hop.
                let family_only = matches!(entry.nlri, wire::Nlri::Rtc(_) | wire::Nlri::BgpLs(_));
                match (entry.action, entry.next_hop) {
                    (Action::Announce, _) if family_only => {
                        out.push_str(" announced ");
                        nlri_text(out, entry.family, entry.nlri);
                        out.push_str(&attributes);
                    }
                    (Action::Withdraw, _) if family_only => {
                        out.push_str(" withdrawn ");
                        nlri_text(out, entry.family, entry.nlri);
                    }
                    (Action::Announce, Some(_)) => {
                        out.push_str(" announced ");
                        nlri_text(out, entry.family, entry.nlri);
                        // ExaBGP's text of an MCAST-VPN route is its family, no next hop.
                        if !matches!(entry.nlri, wire::Nlri::Mvpn(_)) {
                            out.push_str(" next-hop ");
                            next_hop_text(out, entry.next_hop);
                        }
                        nlri_text_tail(out, entry.nlri);
                        out.push_str(&attributes);
                    }
                    (Action::Announce, None) if matches!(entry.nlri, wire::Nlri::Flow(_)) => {
                        out.push_str(" announced ");
                        nlri_text(out, entry.family, entry.nlri);
                        out.push_str(&attributes);
                    }
                    (Action::Announce, None) => {
                        out.push(' ');
                        nlri_text(out, entry.family, entry.nlri);
                        nlri_text_tail(out, entry.nlri);
                        out.push(' ');
                        out.push_str(&attributes);
                    }
                    (Action::Withdraw, hop) => {
                        out.push_str(" withdrawn ");
                        nlri_text(out, entry.family, entry.nlri);
                        if hop.is_some() {
                            out.push_str(" next-hop ");
                            next_hop_text(out, hop);
                        } else if matches!(entry.nlri, wire::Nlri::Vpls(_)) {
                            // ExaBGP's VPLS text ends with a space where the next hop goes.
                            out.push(' ');
                        }
                        nlri_text_tail(out, entry.nlri);
                    }
                }
                out.push('\n');
            }
        }
    }
    if event.raw.is_some() {
        header_body(out, event.raw);
        out.push('\n');
    }
    let _ = writeln!(out, "{prefix} end");
}

#[cfg(test)]
mod tests;
