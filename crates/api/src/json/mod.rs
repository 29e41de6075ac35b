//! The JSON encoder: ExaBGP 5's JSON events (spec §3), one line each.
//!
//! Lines are written straight into the caller's buffer, each ended by `\n`. The shapes and
//! key order are ExaBGP 5.0.15's, including its spacing quirks (`"host" : …`,
//! `"router-id": "…" ,`), so that even a consumer comparing bytes sees the same thing;
//! `"exabgp"` is the JSON format version `5.0.0`. Strings that come from a peer are
//! escaped.
//!
//! ```text
//! { "exabgp": "5.0.0", "time": …, "host" : …, "pid" : …, "ppid" : …, "counter": N,
//!   "type": "<type>", ["header": "0x…", "body": "0x…",]
//!   "neighbor": { "address": {…}, "asn": {…}, "router-id": "…" , ["direction": "…",] <payload> } }
//! ```

mod message;

use std::fmt::Write;

use crate::event::{
    message_type_name, split_raw, Direction, Envelope, MessageEvent, NegotiatedInfo, NeighborInfo,
    StateChange,
};
use crate::render::{hex_upper, json_str, python_float};

/// The JSON format version ExaBGP 5 prints in the `exabgp` key.
pub const JSON_VERSION: &str = "5.0.0";

/// Encodes events as ExaBGP 5 JSON lines.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct JsonEncoder {
    /// `exabgp.api.compact`: IPv4/IPv6 unicast NLRI without a path identifier printed as
    /// plain strings.
    pub compact: bool,
}

impl JsonEncoder {
    /// An encoder; `compact` is `exabgp.api.compact`.
    pub fn new(compact: bool) -> Self {
        Self { compact }
    }

    /// A `state` event: `connected`, `up`, or `down` with its reason.
    pub fn state(
        &self,
        out: &mut String,
        env: &Envelope<'_>,
        peer: &NeighborInfo,
        change: StateChange<'_>,
    ) {
        let mut content = String::new();
        match change {
            StateChange::Connected => content.push_str("\"state\": \"connected\""),
            StateChange::Up => content.push_str("\"state\": \"up\""),
            StateChange::Down(reason) => {
                content.push_str("\"state\": \"down\", \"reason\": ");
                json_str(&mut content, reason);
            }
        }
        envelope(out, env, Some(env.counter), "state", None, |out| {
            neighbor(out, peer, None, &content);
        });
    }

    /// An `fsm` event with ExaBGP's state name (`IDLE`, `ACTIVE`, … `ESTABLISHED`).
    pub fn fsm(&self, out: &mut String, env: &Envelope<'_>, peer: &NeighborInfo, state: &str) {
        let mut content = String::from("\"state\": ");
        json_str(&mut content, state);
        envelope(out, env, Some(env.counter), "fsm", None, |out| {
            neighbor(out, peer, None, &content)
        });
    }

    /// A `negotiated` event.
    pub fn negotiated(
        &self,
        out: &mut String,
        env: &Envelope<'_>,
        peer: &NeighborInfo,
        negotiated: &NegotiatedInfo,
    ) {
        let mut content = String::new();
        negotiated_kv(&mut content, negotiated);
        envelope(out, env, Some(env.counter), "negotiated", None, |out| {
            neighbor(out, peer, None, &content);
        });
    }

    /// A `signal` event (`code` is the signal number, `name` e.g. `SIGTERM`).
    pub fn signal(
        &self,
        out: &mut String,
        env: &Envelope<'_>,
        peer: &NeighborInfo,
        code: i32,
        name: &str,
    ) {
        let mut content = format!("\"code\": \"{code}\", \"name\": ");
        json_str(&mut content, name);
        envelope(out, env, Some(env.counter), "signal", None, |out| {
            neighbor(out, peer, None, &content)
        });
    }

    /// The daemon `shutdown` notification (no neighbor, no counter).
    pub fn shutdown(&self, out: &mut String, env: &Envelope<'_>) {
        envelope(out, env, None, "notification", None, |out| {
            out.push_str("\"notification\": \"shutdown\"");
        });
    }

    /// A raw `packets` event: the message's header and body in hex, typed by its name.
    pub fn packets(
        &self,
        out: &mut String,
        env: &Envelope<'_>,
        peer: &NeighborInfo,
        direction: Direction,
        raw: &[u8],
        negotiated: Option<&NegotiatedInfo>,
    ) {
        let (header, body) = split_raw(raw);
        let category = header.get(18).copied().unwrap_or(0);
        let mut content = format!("\"message\": {{ \"category\": {category}, \"header\": \"");
        hex_upper(&mut content, header);
        content.push_str("\", \"body\": \"");
        hex_upper(&mut content, body);
        content.push_str("\" } ");
        if let Some(negotiated) = negotiated {
            content.push_str(", ");
            negotiated_kv(&mut content, negotiated);
        }
        envelope(
            out,
            env,
            Some(env.counter),
            message_type_name(category),
            None,
            |out| {
                neighbor(out, peer, Some(direction), &content);
            },
        );
    }

    /// A parsed message event (`open`, `update`, `notification`, `keepalive`, `refresh`,
    /// `operational`). Returns false, writing nothing, for a message ExaBGP does not
    /// report (an OPERATIONAL of an unknown type).
    pub fn message(
        &self,
        out: &mut String,
        env: &Envelope<'_>,
        peer: &NeighborInfo,
        event: &MessageEvent<'_>,
    ) -> bool {
        let Some(kind) = message::kind(event.message) else {
            return false;
        };
        let empty = matches!(event.message, wire::Message::Keepalive);
        envelope(out, env, Some(env.counter), kind, event.raw, |out| {
            neighbor_with(out, peer, Some(event.direction), !empty, |out| {
                message::content(self, out, event);
            });
        });
        true
    }

    /// One NLRI alone, as `exabgp decode --nlri` prints it (`{ "nlri": "10.0.0.0/24" }`,
    /// a flow with its `"string"`), ended by `\n`. The route is shown as announced, with
    /// no next hop.
    pub fn nlri(&self, out: &mut String, family: wire::Family, nlri: &wire::Nlri) {
        let entry = crate::render::update::Entry {
            family,
            action: crate::render::update::Action::Announce,
            nlri,
            next_hop: None,
        };
        crate::render::update::nlri_json(out, &entry, false);
        out.push('\n');
    }
}

/// Writes the envelope around `payload` and ends the line.
fn envelope(
    out: &mut String,
    env: &Envelope<'_>,
    counter: Option<u64>,
    kind: &str,
    raw: Option<&[u8]>,
    payload: impl FnOnce(&mut String),
) {
    let _ = write!(out, "{{ \"exabgp\": \"{JSON_VERSION}\", \"time\": ");
    python_float(out, env.time);
    out.push_str(", \"host\" : ");
    json_str(out, env.host);
    let _ = write!(out, ", \"pid\" : {}, \"ppid\" : {}, ", env.pid, env.ppid);
    if let Some(counter) = counter {
        let _ = write!(out, "\"counter\": {counter}, ");
    }
    let _ = write!(out, "\"type\": \"{kind}\", ");
    if let Some(raw) = raw {
        let (header, body) = split_raw(raw);
        if !header.is_empty() {
            out.push_str("\"header\": \"");
            hex_upper(out, header);
            out.push_str("\", ");
        }
        if !body.is_empty() {
            out.push_str("\"body\": \"");
            hex_upper(out, body);
            out.push_str("\", ");
        }
    }
    payload(out);
    out.push_str(" }\n");
}

/// Writes the `neighbor` object with `content` as its last members.
fn neighbor(out: &mut String, peer: &NeighborInfo, direction: Option<Direction>, content: &str) {
    neighbor_with(out, peer, direction, !content.is_empty(), |out| {
        out.push_str(content)
    });
}

/// Writes the `neighbor` object; `content` writes its last members (`has_content` false
/// when it writes nothing).
fn neighbor_with(
    out: &mut String,
    peer: &NeighborInfo,
    direction: Option<Direction>,
    has_content: bool,
    content: impl FnOnce(&mut String),
) {
    let _ = write!(
        out,
        "\"neighbor\": {{ \"address\": {{ \"local\": \"{}\", \"peer\": \"{}\" }}, \"asn\": {{ \"local\": {}, \"peer\": {} }}",
        peer.local_addr, peer.peer_addr, peer.local_as.0, peer.peer_as.0
    );
    if let Some(id) = peer.router_id {
        let _ = write!(out, ", \"router-id\": \"{id}\"");
    }
    out.push(' ');
    if let Some(direction) = direction {
        let _ = write!(out, ", \"direction\": \"{}\"", direction.as_str());
    }
    out.push_str(if has_content { ", " } else { " " });
    content(out);
    out.push_str(" }");
}

/// Writes `"negotiated": { … } ` (ExaBGP's trailing space included).
pub(crate) fn negotiated_kv(out: &mut String, n: &NegotiatedInfo) {
    let _ = write!(
        out,
        "\"negotiated\": {{ \"message_size\": {}, \"hold_time\": {}, \"asn4\": {}, \"multisession\": {}, \"operational\": {}, \"refresh\": \"{}\", \"families\": [",
        n.message_size,
        n.hold_time,
        n.asn4,
        n.multisession,
        n.operational,
        n.refresh.as_str()
    );
    let list = |out: &mut String, families: &[wire::Family]| {
        for (i, f) in families.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{f}\"");
        }
    };
    list(out, &n.families);
    out.push_str("], \"nexthop\": [");
    for (i, (f, afi)) in n.nexthop.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "\"{f} {afi}\"");
    }
    out.push_str("], \"add_path\": {\"send\": [");
    // ExaBGP lists the ADD-PATH families in the order of the negotiated families.
    let send: Vec<_> = n
        .families
        .iter()
        .copied()
        .filter(|f| n.add_path_send.contains(f))
        .collect();
    let receive: Vec<_> = n
        .families
        .iter()
        .copied()
        .filter(|f| n.add_path_receive.contains(f))
        .collect();
    list(out, &send);
    out.push_str("], \"receive\": [");
    list(out, &receive);
    out.push_str("]} } ");
}

#[cfg(test)]
mod tests;
