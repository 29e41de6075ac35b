//! The opt-in Prometheus endpoint (`herald server --metrics ADDR:PORT`, or the
//! `HERALD_METRICS` environment variable): `GET /metrics` answers the text exposition format 0.0.4.
//!
//! Values are pulled at scrape time: the HTTP task asks the supervisor
//! ([`ClientEvent::Metrics`]), which reads its own counters ([`Stats`]) and the helpers'
//! queues, asks every peer task for a snapshot (as `show neighbor` does, with a timeout),
//! and renders the text off the supervisor task. No registry is kept in between, so the
//! hot paths pay only for a few counter increments.
//!
//! Why no crate: the values live in the peer tasks and are gathered on demand, which fits a
//! registry crate (`prometheus-client`, `prometheus`) badly — its collectors are
//! synchronous and global — and the text format for gauges and counters is a few lines
//! ([`render`], tested). The HTTP side serves one fixed path to scrapers; a hand-written
//! responder of ~60 lines on tokio avoids pulling in hyper and its tree for that.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::io;
use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::{mpsc, oneshot};
use tokio::task::JoinHandle;
use wire::Family;

use crate::control::ClientEvent;
use crate::event::{Counts, FsmState, PeerCommand, PeerSnapshot, ShowWhat};
use crate::supervisor::Supervisor;

/// How long peers have to answer a scrape, and a scraper to send its request.
const SCRAPE_TIMEOUT: Duration = Duration::from_secs(2);

/// Counters the supervisor keeps for the endpoint.
#[derive(Debug, Default)]
pub(crate) struct Stats {
    /// API commands received (helpers and control clients).
    pub(crate) api_commands: AtomicU64,
    /// API commands answered `error`.
    pub(crate) api_errors: AtomicU64,
    /// Helpers restarted after they died.
    pub(crate) helper_restarts: u64,
    /// Routes handed to each peer by announce / withdraw commands: (peer, family) →
    /// (announced, withdrawn), except those in `recent`. Keyed by address, not text: it
    /// is updated for every command line, which must not allocate.
    routes: BTreeMap<(IpAddr, Family), (u64, u64)>,
    /// The counters of the (peer, family) counted last, not yet added to `routes`:
    /// consecutive lines for one peer and family, the common case, add to it without a
    /// map lookup (which was a tenth of S3's CPU time at 1M lines).
    recent: Option<((IpAddr, Family), (u64, u64))>,
}

impl Stats {
    /// Counts a command.
    pub(crate) fn command(&self) {
        self.api_commands.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts an `error` answer.
    pub(crate) fn error(&self) {
        self.api_errors.fetch_add(1, Ordering::Relaxed);
    }

    /// Counts `count` routes of `family` announced (or withdrawn) to `peer`.
    pub(crate) fn routes(&mut self, peer: IpAddr, family: Family, count: u64, announce: bool) {
        let key = (peer, family);
        if self.recent.as_ref().is_none_or(|(k, _)| *k != key) {
            if let Some((k, (a, w))) = self.recent.take() {
                let entry = self.routes.entry(k).or_default();
                entry.0 += a;
                entry.1 += w;
            }
        }
        let (_, entry) = self.recent.get_or_insert((key, (0, 0)));
        if announce {
            entry.0 += count;
        } else {
            entry.1 += count;
        }
    }

    /// The route counters: (peer, family) → (announced, withdrawn).
    pub(crate) fn route_counts(&self) -> BTreeMap<(IpAddr, Family), (u64, u64)> {
        let mut counts = self.routes.clone();
        if let Some((k, (a, w))) = self.recent {
            let entry = counts.entry(k).or_default();
            entry.0 += a;
            entry.1 += w;
        }
        counts
    }
}

/// One helper's line in a scrape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HelperMetrics {
    /// Its name.
    pub name: String,
    /// It is running.
    pub running: bool,
    /// Bytes waiting in its outbound queue.
    pub queued_bytes: u64,
    /// Lines dropped because its queue was full.
    pub dropped: u64,
    /// Lines read from it and not yet applied by the peers (flow control: its pipe is
    /// not read while this is at [`crate::process::MAX_LINES_IN_FLIGHT`]).
    pub lines_in_flight: u64,
}

/// One peer's line in a scrape.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PeerMetrics {
    /// The peer's address.
    pub peer: String,
    /// Session state.
    pub state: FsmState,
    /// Seconds since the session came up (0 when it is not established).
    pub uptime: u64,
    /// Messages sent by type.
    pub sent: Counts,
    /// Messages received by type.
    pub received: Counts,
    /// Routes held per family: (family, in the Adj-RIB-Out, in the Adj-RIB-In).
    pub held: Vec<(Family, u64, u64)>,
}

/// Everything one scrape reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scrape {
    /// The peers.
    pub peers: Vec<PeerMetrics>,
    /// The helpers.
    pub helpers: Vec<HelperMetrics>,
    /// (peer, family) → (announced, withdrawn) route counts.
    pub routes: Vec<((String, Family), (u64, u64))>,
    /// API commands received.
    pub api_commands: u64,
    /// API commands answered `error`.
    pub api_errors: u64,
    /// Helper restarts.
    pub helper_restarts: u64,
    /// Peer events waiting for the supervisor.
    pub peer_event_queue: u64,
    /// Control clients connected.
    pub clients: u64,
}

/// Gathers a scrape for `reply`: counters now, peer snapshots from a separate task.
pub(crate) fn start(sup: &Supervisor, reply: oneshot::Sender<String>) {
    let mut scrape = Scrape {
        helpers: sup
            .helpers
            .iter()
            .map(|(name, slot)| {
                let helper = slot.running.as_ref();
                HelperMetrics {
                    name: name.clone(),
                    running: helper.is_some(),
                    queued_bytes: helper.map_or(0, |h| h.queue().queued_bytes() as u64),
                    dropped: helper.map_or(0, |h| h.drops()),
                    lines_in_flight: helper.map_or(0, |h| h.lines_in_flight() as u64),
                }
            })
            .collect(),
        routes: sup
            .stats
            .route_counts()
            .into_iter()
            .map(|((peer, family), v)| ((peer.to_string(), family), v))
            .collect(),
        api_commands: sup.stats.api_commands.load(Ordering::Relaxed),
        api_errors: sup.stats.api_errors.load(Ordering::Relaxed),
        helper_restarts: sup.stats.helper_restarts,
        peer_event_queue: sup.peer_event_backlog() as u64,
        clients: sup.clients.len() as u64,
        peers: Vec::new(),
    };
    let handles: Vec<_> = sup
        .peers
        .values()
        .filter(|e| !e.stopping)
        .map(|e| e.handle.clone())
        .collect();
    tokio::spawn(async move {
        // counts only: a scrape must not copy a million-route table per peer
        let what = ShowWhat {
            counts: true,
            ..ShowWhat::default()
        };
        let mut pending = Vec::new();
        for handle in &handles {
            let (tx, rx) = oneshot::channel();
            if handle.send(PeerCommand::Show { what, reply: tx }) {
                pending.push(rx);
            }
        }
        for rx in pending {
            if let Ok(Ok(snapshot)) = tokio::time::timeout(SCRAPE_TIMEOUT, rx).await {
                scrape.peers.push(peer_metrics(&snapshot));
            }
        }
        let _ = reply.send(render(&scrape));
    });
}

fn peer_metrics(s: &PeerSnapshot) -> PeerMetrics {
    let mut held: BTreeMap<Family, (u64, u64)> = BTreeMap::new();
    for (family, n) in &s.count_out {
        held.entry(*family).or_default().0 += *n as u64;
    }
    for (family, n) in &s.count_in {
        held.entry(*family).or_default().1 += *n as u64;
    }
    let established = s.status.state == FsmState::Established;
    PeerMetrics {
        peer: s.peer.peer_addr.to_string(),
        state: s.status.state,
        uptime: if established {
            s.status.up_down.map_or(0, |d| d.as_secs())
        } else {
            0
        },
        sent: s.status.counters.sent,
        received: s.status.counters.received,
        held: held.into_iter().map(|(f, (o, i))| (f, o, i)).collect(),
    }
}

/// RFC 4271 §8 state number (Idle 1 … Established 6).
fn state_number(state: FsmState) -> u8 {
    match state {
        FsmState::Idle => 1,
        FsmState::Connect => 2,
        FsmState::Active => 3,
        FsmState::OpenSent => 4,
        FsmState::OpenConfirm => 5,
        FsmState::Established => 6,
    }
}

/// A label value escaped as the exposition format wants (`\\`, `\"`, `\n`).
fn escape(value: &str) -> String {
    value
        .replace('\\', r"\\")
        .replace('"', "\\\"")
        .replace('\n', r"\n")
}

fn family_label(f: Family) -> String {
    escape(&f.to_string())
}

/// Renders a scrape in the Prometheus text exposition format 0.0.4.
pub fn render(s: &Scrape) -> String {
    let mut out = String::new();
    let head = |out: &mut String, name: &str, kind: &str, help: &str| {
        let _ = writeln!(out, "# HELP {name} {help}\n# TYPE {name} {kind}");
    };
    head(
        &mut out,
        "herald_peer_state",
        "gauge",
        "BGP FSM state (1 Idle, 2 Connect, 3 Active, 4 OpenSent, 5 OpenConfirm, 6 Established).",
    );
    for p in &s.peers {
        let _ = writeln!(
            out,
            "herald_peer_state{{peer=\"{}\"}} {}",
            escape(&p.peer),
            state_number(p.state)
        );
    }
    head(
        &mut out,
        "herald_peer_established",
        "gauge",
        "1 when the session is established.",
    );
    for p in &s.peers {
        let up = u8::from(p.state == FsmState::Established);
        let _ = writeln!(
            out,
            "herald_peer_established{{peer=\"{}\"}} {up}",
            escape(&p.peer)
        );
    }
    head(
        &mut out,
        "herald_peer_uptime_seconds",
        "gauge",
        "Seconds since the session came up (0 when down).",
    );
    for p in &s.peers {
        let _ = writeln!(
            out,
            "herald_peer_uptime_seconds{{peer=\"{}\"}} {}",
            escape(&p.peer),
            p.uptime
        );
    }
    for (dir, name) in [
        ("sent", "herald_messages_sent_total"),
        ("received", "herald_messages_received_total"),
    ] {
        head(
            &mut out,
            name,
            "counter",
            &format!("BGP messages {dir}, by type."),
        );
        for p in &s.peers {
            let c = if dir == "sent" { &p.sent } else { &p.received };
            for (kind, n) in [
                ("open", c.open),
                ("update", c.update),
                ("notification", c.notification),
                ("keepalive", c.keepalive),
                ("refresh", c.refresh),
                ("operational", c.operational),
            ] {
                let _ = writeln!(
                    out,
                    "{name}{{peer=\"{}\",type=\"{kind}\"}} {n}",
                    escape(&p.peer)
                );
            }
        }
    }
    head(
        &mut out,
        "herald_prefixes_held",
        "gauge",
        "Routes held per family: rib=\"out\" announced to the peer, rib=\"in\" received from it.",
    );
    for p in &s.peers {
        for (family, out_n, in_n) in &p.held {
            let (peer, fam) = (escape(&p.peer), family_label(*family));
            let _ = writeln!(
                out,
                "herald_prefixes_held{{peer=\"{peer}\",family=\"{fam}\",rib=\"out\"}} {out_n}"
            );
            let _ = writeln!(
                out,
                "herald_prefixes_held{{peer=\"{peer}\",family=\"{fam}\",rib=\"in\"}} {in_n}"
            );
        }
    }
    for (i, name, help) in [
        (
            0,
            "herald_prefixes_announced_total",
            "Routes announced to the peer by API commands, per family.",
        ),
        (
            1,
            "herald_prefixes_withdrawn_total",
            "Routes withdrawn from the peer by API commands, per family.",
        ),
    ] {
        head(&mut out, name, "counter", help);
        for ((peer, family), (a, w)) in &s.routes {
            let n = if i == 0 { a } else { w };
            let _ = writeln!(
                out,
                "{name}{{peer=\"{}\",family=\"{}\"}} {n}",
                escape(peer),
                family_label(*family)
            );
        }
    }
    head(
        &mut out,
        "herald_helper_running",
        "gauge",
        "1 while the helper process runs.",
    );
    for h in &s.helpers {
        let _ = writeln!(
            out,
            "herald_helper_running{{helper=\"{}\"}} {}",
            escape(&h.name),
            u8::from(h.running)
        );
    }
    head(
        &mut out,
        "herald_helper_queue_bytes",
        "gauge",
        "Bytes waiting in the helper's outbound queue.",
    );
    for h in &s.helpers {
        let _ = writeln!(
            out,
            "herald_helper_queue_bytes{{helper=\"{}\"}} {}",
            escape(&h.name),
            h.queued_bytes
        );
    }
    head(
        &mut out,
        "herald_helper_lines_in_flight",
        "gauge",
        "Lines read from the helper not yet applied by the peers (its pipe waits at 16384).",
    );
    for h in &s.helpers {
        let _ = writeln!(
            out,
            "herald_helper_lines_in_flight{{helper=\"{}\"}} {}",
            escape(&h.name),
            h.lines_in_flight
        );
    }
    head(
        &mut out,
        "herald_helper_dropped_events_total",
        "counter",
        "Lines dropped because the helper's queue was full.",
    );
    for h in &s.helpers {
        let _ = writeln!(
            out,
            "herald_helper_dropped_events_total{{helper=\"{}\"}} {}",
            escape(&h.name),
            h.dropped
        );
    }
    for (name, kind, help, value) in [
        (
            "herald_helper_restarts_total",
            "counter",
            "Helpers restarted after they died.",
            s.helper_restarts,
        ),
        (
            "herald_api_commands_total",
            "counter",
            "API commands received from helpers and the CLI.",
            s.api_commands,
        ),
        (
            "herald_api_errors_total",
            "counter",
            "API commands answered error.",
            s.api_errors,
        ),
        (
            "herald_peer_event_queue_depth",
            "gauge",
            "Peer events waiting for the supervisor.",
            s.peer_event_queue,
        ),
        (
            "herald_cli_clients",
            "gauge",
            "Control clients connected.",
            s.clients,
        ),
    ] {
        head(&mut out, name, kind, help);
        let _ = writeln!(out, "{name} {value}");
    }
    out
}

/// Listens on `addr` and answers `GET /metrics` with the values the supervisor gathers.
/// Returns the task and the bound address (port 0 picks a free one).
pub fn serve(
    addr: SocketAddr,
    events: mpsc::Sender<ClientEvent>,
) -> io::Result<(JoinHandle<()>, SocketAddr)> {
    let listener = std::net::TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    let listener = TcpListener::from_std(listener)?;
    let local = listener.local_addr()?;
    let task = tokio::spawn(async move {
        loop {
            let accepted = tokio::select! {
                accepted = listener.accept() => accepted,
                () = events.closed() => return,
            };
            if let Ok((stream, _)) = accepted {
                let events = events.clone();
                tokio::spawn(async move {
                    let _ = tokio::time::timeout(SCRAPE_TIMEOUT * 3, answer(stream, events)).await;
                });
            }
        }
    });
    Ok((task, local))
}

/// Reads one request head and answers it; the connection is closed after the answer.
async fn answer(mut stream: TcpStream, events: mpsc::Sender<ClientEvent>) -> io::Result<()> {
    let mut head = Vec::new();
    let mut buf = [0u8; 1024];
    while !head.windows(4).any(|w| w == b"\r\n\r\n") && !head.windows(2).any(|w| w == b"\n\n") {
        let n = stream.read(&mut buf).await?;
        if n == 0 {
            break;
        }
        head.extend_from_slice(&buf[..n]);
        if head.len() > 16 * 1024 {
            return respond(&mut stream, "431 Request Header Fields Too Large", "").await;
        }
    }
    let head = String::from_utf8_lossy(&head);
    let mut words = head.lines().next().unwrap_or("").split_whitespace();
    let (method, path) = (words.next().unwrap_or(""), words.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or("");
    if method != "GET" && method != "HEAD" {
        return respond(&mut stream, "405 Method Not Allowed", "only GET\n").await;
    }
    if path != "/metrics" {
        return respond(&mut stream, "404 Not Found", "see /metrics\n").await;
    }
    let (tx, rx) = oneshot::channel();
    if events
        .send(ClientEvent::Metrics { reply: tx })
        .await
        .is_err()
    {
        return respond(&mut stream, "503 Service Unavailable", "stopping\n").await;
    }
    match rx.await {
        Ok(text) => respond(&mut stream, "200 OK", &text).await,
        Err(_) => respond(&mut stream, "503 Service Unavailable", "stopping\n").await,
    }
}

async fn respond(stream: &mut TcpStream, status: &str, body: &str) -> io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: text/plain; version=0.0.4; charset=utf-8\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body.as_bytes()).await?;
    stream.shutdown().await
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Counts interleaved across peers, families and directions add up, whether they sit
    /// in the map or in the last-used slot.
    #[test]
    fn route_counts_add_up() {
        let mut stats = Stats::default();
        let (a, b): (IpAddr, IpAddr) = ("127.0.0.2".parse().unwrap(), "::1".parse().unwrap());
        let (v4, v6) = (Family::IPV4_UNICAST, Family::IPV6_UNICAST);
        for _ in 0..3 {
            stats.routes(a, v4, 2, true);
            stats.routes(a, v4, 1, false);
            stats.routes(b, v6, 5, true);
            stats.routes(a, v6, 1, true);
        }
        stats.routes(a, v6, 1, false);
        let counts = stats.route_counts();
        assert_eq!(counts[&(a, v4)], (6, 3));
        assert_eq!(counts[&(b, v6)], (15, 0));
        assert_eq!(counts[&(a, v6)], (3, 1));
        assert_eq!(counts.len(), 3);
    }

    #[test]
    fn renders_counters_and_labels() {
        let scrape = Scrape {
            peers: vec![PeerMetrics {
                peer: "127.0.0.2".into(),
                state: FsmState::Established,
                uptime: 42,
                sent: Counts {
                    update: 3,
                    ..Counts::default()
                },
                received: Counts::default(),
                held: vec![(Family::IPV4_UNICAST, 2, 1)],
            }],
            helpers: vec![HelperMetrics {
                name: "a\"b".into(),
                running: true,
                queued_bytes: 7,
                dropped: 1,
                lines_in_flight: 3,
            }],
            routes: vec![(("127.0.0.2".into(), Family::IPV4_UNICAST), (5, 2))],
            api_commands: 9,
            api_errors: 1,
            helper_restarts: 2,
            ..Scrape::default()
        };
        let text = render(&scrape);
        for line in [
            "herald_peer_state{peer=\"127.0.0.2\"} 6",
            "herald_peer_uptime_seconds{peer=\"127.0.0.2\"} 42",
            "herald_messages_sent_total{peer=\"127.0.0.2\",type=\"update\"} 3",
            "herald_prefixes_held{peer=\"127.0.0.2\",family=\"ipv4 unicast\",rib=\"out\"} 2",
            "herald_prefixes_held{peer=\"127.0.0.2\",family=\"ipv4 unicast\",rib=\"in\"} 1",
            "herald_prefixes_announced_total{peer=\"127.0.0.2\",family=\"ipv4 unicast\"} 5",
            "herald_prefixes_withdrawn_total{peer=\"127.0.0.2\",family=\"ipv4 unicast\"} 2",
            "herald_helper_queue_bytes{helper=\"a\\\"b\"} 7",
            "herald_helper_lines_in_flight{helper=\"a\\\"b\"} 3",
            "herald_helper_restarts_total 2",
            "herald_api_commands_total 9",
            "herald_api_errors_total 1",
            "# TYPE herald_api_errors_total counter",
        ] {
            assert!(
                text.lines().any(|l| l == line),
                "missing {line:?} in\n{text}"
            );
        }
        // every sample line is `name{labels} value` or `name value`
        for l in text.lines().filter(|l| !l.starts_with('#')) {
            let value = l.rsplit(' ').next().unwrap();
            assert!(value.parse::<f64>().is_ok(), "{l}");
        }
    }
}
