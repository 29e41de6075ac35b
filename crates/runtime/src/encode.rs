//! Peer events → the lines a helper receives, in its encoder's format, following the
//! neighbor's `api { }` subscription (spec §1.11, §3).
//!
//! The formatting itself is the api crate's ([`api::JsonEncoder`], [`api::TextEncoder`]);
//! this module decides *what* a helper gets, as ExaBGP does:
//!
//! - `neighbor-changes`: `state` events (connected, up, down + reason);
//! - `fsm`, `negotiated`, `signal`: their events (JSON only: the text encoder has none);
//! - `receive { … }` / `send { … }`: a message of a listed type is reported as raw
//!   `packets` (when `packets` is set and `consolidate` is not), then as a parsed message
//!   with its `header`/`body` hex (`consolidate`) or without (`parsed`);
//! - with `negotiated`, parsed messages carry the session's `negotiated` object.
//!
//! The envelope's clock, host name and pids are filled here; the JSON `counter` is the
//! neighbor's (shared by every JSON helper, like ExaBGP's class-level counter).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

use api::{Envelope, JsonEncoder, MessageEvent, NeighborInfo, StateChange, TextEncoder};
use config::MessageFilter;
use wire::{Message, Rfc7606Action};

use crate::bindings::Subscription;
use crate::event::{Direction, PeerEvent, PeerEventKind, PeerInfo};
use crate::process::Encoding;
use crate::signals::Signal;
use crate::Options;

/// Everything [`event_text`] needs besides the event.
pub(crate) struct Context<'a> {
    /// Runtime settings (`api.compact`).
    pub(crate) options: &'a Options,
    /// The neighbor's JSON counter.
    pub(crate) counter: &'a mut u64,
    /// What the session negotiated, for helpers that asked for `negotiated`.
    pub(crate) negotiated: Option<&'a api::NegotiatedInfo>,
}

/// The text of `event` for a helper with `encoding` and subscription `sub` (possibly
/// several lines, each ending with `\n`; empty when the helper gets nothing).
pub(crate) fn event_text(
    event: &PeerEvent,
    sub: &Subscription,
    encoding: Encoding,
    ctx: &mut Context<'_>,
) -> String {
    let mut out = String::new();
    let peer = neighbor_info(&event.peer);
    let json = JsonEncoder::new(ctx.options.compact);
    match &event.kind {
        PeerEventKind::Connected | PeerEventKind::Up | PeerEventKind::Down { .. } => {
            if !sub.neighbor_changes {
                return out;
            }
            let change = match &event.kind {
                PeerEventKind::Connected => StateChange::Connected,
                PeerEventKind::Up => StateChange::Up,
                PeerEventKind::Down { reason } => StateChange::Down(reason),
                _ => return out,
            };
            match encoding {
                Encoding::Json => json.state(&mut out, &envelope(next(ctx.counter)), &peer, change),
                Encoding::Text => TextEncoder.state(&mut out, &peer, change),
            }
        }
        PeerEventKind::Fsm(state) if sub.fsm && encoding == Encoding::Json => {
            json.fsm(&mut out, &envelope(next(ctx.counter)), &peer, state.name());
        }
        PeerEventKind::Negotiated(info) if sub.negotiated && encoding == Encoding::Json => {
            let info = negotiated_info(info);
            json.negotiated(&mut out, &envelope(next(ctx.counter)), &peer, &info);
        }
        PeerEventKind::Message {
            direction,
            message,
            raw,
            issues,
        } => {
            let filter = match direction {
                Direction::Receive => &sub.receive,
                Direction::Send => &sub.send,
            };
            if !wants(filter, message) {
                return out;
            }
            let api_direction = match direction {
                Direction::Receive => api::Direction::Receive,
                Direction::Send => api::Direction::Send,
            };
            let negotiated = if sub.negotiated { ctx.negotiated } else { None };
            if filter.packets && !filter.consolidate {
                match encoding {
                    Encoding::Json => json.packets(
                        &mut out,
                        &envelope(next(ctx.counter)),
                        &peer,
                        api_direction,
                        raw,
                        negotiated,
                    ),
                    Encoding::Text => TextEncoder.packets(&mut out, &peer, api_direction, raw),
                }
            }
            if filter.consolidate || filter.parsed {
                let event = MessageEvent {
                    direction: api_direction,
                    message,
                    raw: filter.consolidate.then_some(raw.as_slice()),
                    negotiated,
                    treat_as_withdraw: issues
                        .iter()
                        .any(|i| i.action == Rfc7606Action::TreatAsWithdraw),
                };
                match encoding {
                    Encoding::Json => {
                        let mut line = String::new();
                        let counter = *ctx.counter + 1;
                        if json.message(&mut line, &envelope(counter), &peer, &event) {
                            *ctx.counter = counter;
                            out.push_str(&line);
                        }
                    }
                    Encoding::Text => {
                        TextEncoder.message(&mut out, &peer, &event);
                    }
                }
            }
        }
        // handled by the supervisor; `PeerEventKind` may grow new kinds
        _ => {}
    }
    out
}

/// The lines [`event_text`] makes of a message event for `sub` (0 for other events and
/// for messages `sub` does not take): the raw packet, the parsed message, or both.
pub(crate) fn message_lines(event: &PeerEvent, sub: &Subscription) -> u64 {
    let PeerEventKind::Message {
        direction, message, ..
    } = &event.kind
    else {
        return 0;
    };
    let filter = match direction {
        Direction::Receive => &sub.receive,
        Direction::Send => &sub.send,
    };
    if !wants(filter, message) {
        return 0;
    }
    u64::from(filter.packets && !filter.consolidate)
        + u64::from(filter.consolidate || filter.parsed)
}

/// The `signal` event for a helper (JSON only; the text encoder has none).
pub(crate) fn signal_text(
    peer: &PeerInfo,
    signal: Signal,
    encoding: Encoding,
    counter: &mut u64,
) -> Option<String> {
    if encoding != Encoding::Json {
        return None;
    }
    let mut out = String::new();
    JsonEncoder::default().signal(
        &mut out,
        &envelope(next(counter)),
        &neighbor_info(peer),
        signal.number(),
        signal.name(),
    );
    Some(out)
}

/// What a helper receives when the daemon stops: `shutdown <pid> <ppid>` (text) or the
/// JSON `notification: shutdown` (no neighbor, no counter).
pub(crate) fn shutdown_text(encoding: Encoding) -> String {
    let mut out = String::new();
    match encoding {
        Encoding::Json => JsonEncoder::default().shutdown(&mut out, &envelope(0)),
        Encoding::Text => TextEncoder.shutdown(&mut out, std::process::id(), parent_pid()),
    }
    out
}

/// True when `filter` lists the type of `message`.
fn wants(filter: &MessageFilter, message: &Message) -> bool {
    match message {
        Message::Open(_) => filter.open,
        Message::Update(_) => filter.update,
        Message::Notification(_) => filter.notification,
        Message::Keepalive => filter.keepalive,
        Message::RouteRefresh(_) => filter.refresh,
        Message::Operational(_) => filter.operational,
        _ => false,
    }
}

fn next(counter: &mut u64) -> u64 {
    *counter += 1;
    *counter
}

/// The envelope values: now, host name, pid, ppid and `counter`.
fn envelope(counter: u64) -> Envelope<'static> {
    let time = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0.0, |d| d.as_secs_f64());
    Envelope {
        time,
        host: host_name(),
        pid: std::process::id(),
        ppid: parent_pid(),
        counter,
    }
}

fn parent_pid() -> u32 {
    std::os::unix::process::parent_id()
}

/// The host name (as `socket.gethostname()`), read once.
pub(crate) fn host_name() -> &'static str {
    static HOST: OnceLock<String> = OnceLock::new();
    HOST.get_or_init(|| {
        std::fs::read_to_string("/proc/sys/kernel/hostname")
            .ok()
            .map(|h| h.trim().to_owned())
            .filter(|h| !h.is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_else(|| "localhost".to_owned())
    })
}

/// The api crate's view of a peer. Before the first connection with `local-address auto`
/// the local address is unknown; the unspecified address of the peer's family stands in.
pub(crate) fn neighbor_info(peer: &PeerInfo) -> NeighborInfo {
    let unspecified = if peer.peer_addr.is_ipv4() {
        IpAddr::V4(Ipv4Addr::UNSPECIFIED)
    } else {
        IpAddr::V6(Ipv6Addr::UNSPECIFIED)
    };
    NeighborInfo {
        local_addr: peer.local_addr.unwrap_or(unspecified),
        peer_addr: peer.peer_addr,
        local_as: peer.local_as,
        peer_as: peer.peer_as,
        router_id: Some(peer.router_id),
    }
}

/// The api crate's view of what a session negotiated.
pub(crate) fn negotiated_info(info: &crate::event::NegotiatedInfo) -> api::NegotiatedInfo {
    api::NegotiatedInfo {
        message_size: u32::try_from(info.message_size).unwrap_or(u32::MAX),
        hold_time: info.hold_time,
        asn4: info.asn4,
        multisession: info.multisession,
        operational: info.operational,
        refresh: match info.refresh {
            crate::event::RefreshKind::Absent => api::RefreshKind::Absent,
            crate::event::RefreshKind::Normal => api::RefreshKind::Normal,
            crate::event::RefreshKind::Enhanced => api::RefreshKind::Enhanced,
        },
        families: info.families.clone(),
        nexthop: info.nexthop.clone(),
        add_path_send: info.add_path_send.clone(),
        add_path_receive: info.add_path_receive.clone(),
    }
}

#[cfg(test)]
mod tests {
    use wire::{Nlri, Update};

    use super::*;
    use crate::event::PeerId;

    fn event(direction: Direction, message: Message) -> PeerEvent {
        PeerEvent {
            id: PeerId(1),
            peer: PeerInfo {
                local_addr: Some(IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1))),
                peer_addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
                local_as: wire::Asn(65000),
                peer_as: wire::Asn(65001),
                router_id: Ipv4Addr::new(127, 0, 0, 1),
            },
            kind: PeerEventKind::Message {
                direction,
                message,
                raw: vec![0xff; 19],
                issues: Vec::new(),
            },
        }
    }

    /// `message_lines` (what a skipped event counts as) is the number of lines
    /// `event_text` makes, for every format and message switch, both directions.
    #[test]
    fn message_lines_counts_what_event_text_makes() {
        let update = Message::Update(Update {
            withdrawn: vec![Nlri::prefix("10.0.0.0/8".parse().unwrap())],
            attributes: Vec::new(),
            nlri: Vec::new(),
        });
        let options = Options::default();
        for bits in 0u8..16 {
            let filter = MessageFilter {
                parsed: bits & 1 != 0,
                packets: bits & 2 != 0,
                consolidate: bits & 4 != 0,
                update: bits & 8 != 0,
                ..MessageFilter::default()
            };
            for direction in [Direction::Receive, Direction::Send] {
                let sub = match direction {
                    Direction::Receive => Subscription {
                        receive: filter,
                        ..Subscription::default()
                    },
                    Direction::Send => Subscription {
                        send: filter,
                        ..Subscription::default()
                    },
                };
                for message in [update.clone(), Message::Keepalive] {
                    let event = event(direction, message);
                    let mut counter = 0;
                    let mut ctx = Context {
                        options: &options,
                        counter: &mut counter,
                        negotiated: None,
                    };
                    let text = event_text(&event, &sub, Encoding::Json, &mut ctx);
                    let made = text.lines().count() as u64;
                    assert_eq!(
                        message_lines(&event, &sub),
                        made,
                        "{filter:?} {direction:?}"
                    );
                    assert_eq!(counter, made, "the counter moves once per line");
                }
            }
        }
    }
}
