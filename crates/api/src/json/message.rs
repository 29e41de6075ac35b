//! The payload of parsed-message events (RFC 4271 §4 messages, RFC 2918/7313
//! ROUTE-REFRESH, ExaBGP OPERATIONAL).

use std::fmt::Write;

use wire::message::RefreshSubtype;
use wire::{Message, Notification, Open, Update};

use super::{negotiated_kv, JsonEncoder};
use crate::event::{Direction, MessageEvent};
use crate::render::attr::AttrView;
use crate::render::cap::CapView;
use crate::render::notification::shown_data;
use crate::render::operational::{Operational, OperationalKind};
use crate::render::update::{nlri_json, shape, Action, Shape};
use crate::render::{hex_upper, json_str};

/// The event `type` of a message, `None` when ExaBGP does not report it.
pub(super) fn kind(message: &Message) -> Option<&'static str> {
    Some(match message {
        Message::Open(_) => "open",
        Message::Update(_) => "update",
        Message::Notification(_) => "notification",
        Message::Keepalive => "keepalive",
        Message::RouteRefresh(_) => "refresh",
        Message::Operational(body) => {
            Operational::decode(body)?;
            "operational"
        }
        _ => return None,
    })
}

/// Writes the members of the `neighbor` object after `direction`.
pub(super) fn content(enc: &JsonEncoder, out: &mut String, event: &MessageEvent<'_>) {
    match event.message {
        Message::Open(open) => open_json(out, open),
        Message::Update(update) => {
            update_json(enc, out, update, event.treat_as_withdraw);
            if let Some(negotiated) = event.negotiated {
                out.push_str(", ");
                negotiated_kv(out, negotiated);
            }
        }
        Message::Notification(n) => notification_json(out, n, event.direction),
        Message::Keepalive => {}
        Message::RouteRefresh(rr) => {
            let subtype = match rr.subtype {
                RefreshSubtype::Query => "query",
                RefreshSubtype::Begin => "begin",
                RefreshSubtype::End => "end",
                RefreshSubtype::Other(_) => "invalid",
            };
            let _ = write!(
                out,
                "\"route-refresh\": {{ \"afi\": \"{}\", \"safi\": \"{}\", \"subtype\": \"{subtype}\" }}",
                rr.family.afi, rr.family.safi
            );
        }
        Message::Operational(body) => {
            if let Some(op) = Operational::decode(body) {
                operational_json(out, &op);
            }
        }
        _ => {}
    }
}

fn open_json(out: &mut String, open: &Open) {
    let _ = write!(
        out,
        "\"open\": {{ \"version\": {}, \"asn\": {}, \"hold_time\": {}, \"router_id\": \"{}\", \"capabilities\": {{ ",
        open.version, open.asn, open.hold_time, open.router_id
    );
    CapView::new(&open.capabilities).json(out);
    out.push_str(" } }");
}

fn notification_json(out: &mut String, n: &Notification, direction: Direction) {
    let data = shown_data(n.code, n.subcode, &n.data, direction);
    let _ = write!(
        out,
        "\"notification\": {{ \"code\": {}, \"subcode\": {}, \"data\": \"",
        n.code, n.subcode
    );
    hex_upper(out, &data);
    out.push_str("\", \"message\": ");
    json_str(out, &String::from_utf8_lossy(&data));
    out.push_str(" } ");
}

fn operational_json(out: &mut String, op: &Operational) {
    let _ = write!(
        out,
        "\"operational\": {{ \"name\": \"{}\", \"afi\": \"{}\", \"safi\": \"{}\"",
        op.name, op.family.afi, op.family.safi
    );
    match &op.kind {
        OperationalKind::Advisory(text) => {
            out.push_str(", \"advisory\": ");
            json_str(out, text);
        }
        OperationalKind::Query { .. } => {}
        OperationalKind::Counter {
            router_id,
            sequence,
            counter,
        } => {
            let _ = write!(
                out,
                ", \"router-id\": \"{router_id}\", \"sequence\": {sequence}, \"counter\": {counter}"
            );
        }
    }
    out.push_str(" }");
}

fn update_json(enc: &JsonEncoder, out: &mut String, update: &Update, treat_as_withdraw: bool) {
    let entries = match shape(update, treat_as_withdraw) {
        Shape::Eor(family) => {
            let _ = write!(
                out,
                "\"message\": {{ \"eor\": {{ \"afi\" : \"{}\", \"safi\" : \"{}\" }} }}",
                family.afi, family.safi
            );
            return;
        }
        Shape::Routes(entries) => entries,
    };
    let error = treat_as_withdraw.then_some("treat-as-withdraw");
    let attributes = AttrView::new(&update.attributes, true, error);
    out.push_str("\"message\": { \"update\": { ");
    let mut wrote = false;
    if attributes.present {
        out.push_str("\"attribute\": { ");
        attributes.json(out);
        out.push_str(" }");
        wrote = true;
    }

    // Announced routes: grouped by family, then by next hop, in first-seen order.
    let mut families: Vec<wire::Family> = Vec::new();
    for e in entries.iter().filter(|e| e.action == Action::Announce) {
        if !families.contains(&e.family) {
            families.push(e.family);
        }
    }
    if !families.is_empty() {
        if wrote {
            out.push_str(", ");
        }
        wrote = true;
        out.push_str("\"announce\": { ");
        for (i, family) in families.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{family}\": {{ ");
            let in_family = || {
                entries
                    .iter()
                    .filter(|e| e.action == Action::Announce && e.family == *family)
            };
            let mut hops = Vec::new();
            for e in in_family() {
                if !hops.contains(&e.next_hop) {
                    hops.push(e.next_hop);
                }
            }
            for (j, hop) in hops.iter().enumerate() {
                if j > 0 {
                    out.push_str(", ");
                }
                out.push('"');
                crate::render::update::next_hop_text(out, *hop);
                out.push_str("\": [ ");
                for (k, e) in in_family().filter(|e| e.next_hop == *hop).enumerate() {
                    if k > 0 {
                        out.push_str(", ");
                    }
                    nlri_json(out, e, enc.compact);
                }
                out.push_str(" ]");
            }
            out.push_str(" }");
        }
        out.push_str(" }");
    }

    let mut families: Vec<wire::Family> = Vec::new();
    for e in entries.iter().filter(|e| e.action == Action::Withdraw) {
        if !families.contains(&e.family) {
            families.push(e.family);
        }
    }
    if !families.is_empty() {
        if wrote {
            out.push_str(", ");
        }
        out.push_str("\"withdraw\": { ");
        for (i, family) in families.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{family}\": [ ");
            let in_family = entries
                .iter()
                .filter(|e| e.action == Action::Withdraw && e.family == *family);
            for (k, e) in in_family.enumerate() {
                if k > 0 {
                    out.push_str(", ");
                }
                nlri_json(out, e, enc.compact);
            }
            out.push_str(" ]");
        }
        out.push_str(" }");
    }
    out.push_str(" } }");
}
