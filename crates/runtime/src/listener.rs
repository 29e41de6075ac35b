//! Accepting BGP connections: listening sockets on `exabgp.tcp.bind` × `exabgp.tcp.port`
//! (an empty bind list means no listening) and on the per-neighbor `listen` ports, and
//! handing each accepted connection to the peer task of its neighbor.
//!
//! ```text
//!   accept loop (one per socket) ──(stream, local, remote)──▶ listener task
//!                                                               │ match by peer address
//!                       ┌───────────────────────────────────────┼──────────────────────┐
//!                       ▼                                       ▼                      ▼
//!         PeerCommand::Incoming to the       passive range: spawn a dynamic    no match: NOTIFICATION
//!         neighbor's task                    peer, PeerEvent Spawned + hand    Cease (6,3), close
//!                                            over the stream                   (6,5 if ambiguous)
//! ```
//!
//! Matching follows ExaBGP: the connection's remote address must be the neighbor's peer
//! address (or fall in its range), and its local address must be the neighbor's
//! `local-address` unless that is `auto`. A neighbor with a single address wins over a
//! range; two ranges matching is ambiguous and refused. TCP-MD5 keys of every registered
//! neighbor are installed on every listening socket, so a signed SYN is answered.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use ipnet::IpNet;
use tokio::io::AsyncWriteExt;
use tokio::net::{TcpListener, TcpStream};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;
use tracing::{debug, warn};
use wire::Notification;

use crate::event::{PeerCommand, PeerEvent, PeerEventKind, PeerHandle};
use crate::peer::{self, Settings};
use crate::socket::{self, SocketError, SocketOptions};

/// A command to the listener task.
enum Control {
    Register(PeerHandle),
    RegisterRange(Arc<config::Neighbor>),
    Unregister(IpNet),
    Accepted(TcpStream, SocketAddr, SocketAddr),
}

/// The supervisor's handle on the listener task.
#[derive(Debug, Clone)]
pub struct ListenerHandle {
    tx: mpsc::UnboundedSender<Control>,
    addrs: Vec<SocketAddr>,
}

impl std::fmt::Debug for Control {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Register(h) => write!(f, "Register({})", h.id),
            Self::RegisterRange(n) => write!(f, "RegisterRange({})", n.peer_address),
            Self::Unregister(n) => write!(f, "Unregister({n})"),
            Self::Accepted(_, l, r) => write!(f, "Accepted({l} <- {r})"),
        }
    }
}

impl ListenerHandle {
    /// Routes connections from the neighbor's address to this running peer task.
    pub fn register(&self, handle: PeerHandle) {
        let _ = self.tx.send(Control::Register(handle));
    }

    /// Accepts connections from any address of a passive range (`neighbor 10.0.0.0/24 {
    /// passive; }`): each new address gets its own peer task, started with the range's
    /// configuration narrowed to that address.
    pub fn register_range(&self, neighbor: Arc<config::Neighbor>) {
        let _ = self.tx.send(Control::RegisterRange(neighbor));
    }

    /// Stops routing connections for a neighbor address or range (the neighbor was
    /// removed by a reload). Dynamic peers already running are left to the supervisor.
    pub fn unregister(&self, peer_address: IpNet) {
        let _ = self.tx.send(Control::Unregister(peer_address));
    }

    /// The addresses bound when the listener started (with the real port when 0 was asked
    /// for). Ports of neighbors registered later are bound as they come.
    pub fn local_addrs(&self) -> &[SocketAddr] {
        &self.addrs
    }

    /// True when the listener task has ended.
    pub fn is_closed(&self) -> bool {
        self.tx.is_closed()
    }
}

/// The sockets to listen on: every `exabgp.tcp.bind` address with `exabgp.tcp.port`, and
/// `local-address:listen` of each neighbor that sets `listen`.
pub fn listen_addrs(bind: &[IpAddr], port: u16, neighbors: &[config::Neighbor]) -> Vec<SocketAddr> {
    let mut addrs: Vec<SocketAddr> = bind.iter().map(|ip| SocketAddr::new(*ip, port)).collect();
    for n in neighbors.iter().filter(|n| n.listen != 0) {
        let ip = n
            .local_address
            .unwrap_or(if n.peer_address.addr().is_ipv4() {
                IpAddr::from([0, 0, 0, 0])
            } else {
                IpAddr::from([0u16; 8])
            });
        let addr = SocketAddr::new(ip, n.listen);
        if !addrs.contains(&addr) {
            addrs.push(addr);
        }
    }
    addrs
}

/// Binds every address and starts the listener task. `neighbors` gives the TCP-MD5 keys to
/// install before the first SYN. Dynamic peers of passive ranges are started with
/// `settings` (made ephemeral: they end when their session goes down) and report to
/// `events`; each one is announced by a [`PeerEventKind::Spawned`] event carrying its
/// handle.
pub fn spawn<'a>(
    addrs: &[SocketAddr],
    neighbors: impl IntoIterator<Item = &'a config::Neighbor>,
    settings: Settings,
    events: mpsc::Sender<PeerEvent>,
) -> Result<ListenerHandle, SocketError> {
    let neighbors: Vec<&config::Neighbor> = neighbors.into_iter().collect();
    let keys = md5_keys(&neighbors)?;
    let mut listeners = Vec::with_capacity(addrs.len());
    for addr in addrs {
        listeners.push(Arc::new(socket::listen(*addr, &keys)?));
    }
    let bound = listeners
        .iter()
        .map(|l| l.local_addr())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|source| SocketError::Io {
            what: "listening address",
            source,
        })?;
    let (tx, rx) = mpsc::unbounded_channel();
    let accept_loops = listeners
        .iter()
        .map(|l| tokio::spawn(accept_loop(Arc::clone(l), tx.downgrade())))
        .collect();
    let mut task = Task {
        weak: tx.downgrade(),
        bound: addrs.to_vec(),
        keys,
        ttl: None,
        rx,
        listeners,
        accept_loops,
        peers: Vec::new(),
        ranges: Vec::new(),
        dynamic: Vec::new(),
        settings: Settings {
            ephemeral: true,
            ..settings
        },
        events,
    };
    for neighbor in neighbors {
        task.install(neighbor);
    }
    tokio::spawn(task.run());
    Ok(ListenerHandle { tx, addrs: bound })
}

/// The MD5 keys of the neighbors that have one.
fn md5_keys(neighbors: &[&config::Neighbor]) -> Result<Vec<(IpNet, Vec<u8>)>, SocketError> {
    let mut keys = Vec::new();
    for n in neighbors {
        if let Some(key) = SocketOptions::for_neighbor(n)?.md5_key {
            keys.push((n.peer_address, key));
        }
    }
    Ok(keys)
}

async fn accept_loop(listener: Arc<TcpListener>, tx: mpsc::WeakUnboundedSender<Control>) {
    loop {
        match listener.accept().await {
            Ok((stream, remote)) => {
                let Some(tx) = tx.upgrade() else { return };
                let local = match stream.local_addr() {
                    Ok(local) => local,
                    Err(_) => continue,
                };
                if tx.send(Control::Accepted(stream, local, remote)).is_err() {
                    return;
                }
            }
            Err(e) => {
                // EMFILE and friends: back off a little instead of spinning.
                warn!(error = %e, "accept failed");
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
            }
        }
    }
}

struct Task {
    rx: mpsc::UnboundedReceiver<Control>,
    /// For the accept loops of sockets bound later.
    weak: mpsc::WeakUnboundedSender<Control>,
    /// TCP-MD5 keys installed, for sockets bound later.
    keys: Vec<(IpNet, Vec<u8>)>,
    /// TTL of the listening sockets (SYN-ACKs), when a neighbor runs GTSM.
    ttl: Option<u8>,
    /// Every address bound, as asked (port 0 included).
    bound: Vec<SocketAddr>,
    listeners: Vec<Arc<TcpListener>>,
    accept_loops: Vec<JoinHandle<()>>,
    /// Neighbors with one address.
    peers: Vec<PeerHandle>,
    /// Passive ranges.
    ranges: Vec<Arc<config::Neighbor>>,
    /// Dynamic peers started for addresses of a range.
    dynamic: Vec<PeerHandle>,
    /// Settings of dynamic peers.
    settings: Settings,
    /// Where dynamic peers report.
    events: mpsc::Sender<PeerEvent>,
}

/// What to do with an accepted connection.
enum Match {
    Peer(PeerHandle),
    Range(Arc<config::Neighbor>),
    Ambiguous,
    None,
}

impl Task {
    async fn run(mut self) {
        while let Some(control) = self.rx.recv().await {
            match control {
                Control::Register(handle) => {
                    self.listen_port(&handle.neighbor);
                    self.install(&handle.neighbor);
                    self.peers.retain(|p| p.id != handle.id);
                    self.peers.push(handle);
                }
                Control::RegisterRange(neighbor) => {
                    self.listen_port(&neighbor);
                    self.install(&neighbor);
                    self.ranges
                        .retain(|n| n.peer_address != neighbor.peer_address);
                    self.ranges.push(neighbor);
                }
                Control::Unregister(net) => {
                    self.peers.retain(|p| p.neighbor.peer_address != net);
                    self.ranges.retain(|n| n.peer_address != net);
                }
                Control::Accepted(stream, local, remote) => self.accepted(stream, local, remote),
            }
        }
        for task in &self.accept_loops {
            task.abort();
        }
    }

    /// Binds the neighbor's own `listen` port if it is not bound yet (a neighbor added by a
    /// reload or the API).
    fn listen_port(&mut self, neighbor: &config::Neighbor) {
        for addr in listen_addrs(&[], 0, std::slice::from_ref(neighbor)) {
            let covered = self.bound.iter().any(|b| {
                *b == addr
                    || (b.port() == addr.port()
                        && b.ip().is_unspecified()
                        && b.is_ipv4() == addr.is_ipv4())
            });
            if covered {
                continue;
            }
            match socket::listen(addr, &self.keys) {
                Ok(listener) => {
                    if let Some(ttl) = self.ttl {
                        apply_ttl(&listener, ttl);
                    }
                    let listener = Arc::new(listener);
                    let task = tokio::spawn(accept_loop(Arc::clone(&listener), self.weak.clone()));
                    self.accept_loops.push(task);
                    self.listeners.push(listener);
                    self.bound.push(addr);
                }
                Err(e) => warn!(%addr, error = %e, "could not listen"),
            }
        }
    }

    /// Installs what the neighbor needs before its SYN arrives on every listening socket:
    /// its TCP-MD5 key, and the TTL our SYN-ACK must carry when it runs GTSM (the largest
    /// sending TTL asked for by any neighbor; accepted connections then set their own).
    fn install(&mut self, neighbor: &config::Neighbor) {
        let options = match SocketOptions::for_neighbor(neighbor) {
            Ok(options) => options,
            Err(e) => {
                warn!(peer = %neighbor.peer_address, error = %e, "bad md5-password");
                return;
            }
        };
        if let Some(ttl) = options
            .sending_ttl
            .filter(|t| self.ttl.is_none_or(|max| *t > max))
        {
            self.ttl = Some(ttl);
            for listener in &self.listeners {
                apply_ttl(listener, ttl);
            }
        }
        let Some(key) = options.md5_key else { return };
        for listener in &self.listeners {
            install_key(listener, neighbor.peer_address, &key);
        }
        self.keys.retain(|(net, _)| *net != neighbor.peer_address);
        self.keys.push((neighbor.peer_address, key));
    }

    fn find(&mut self, local: IpAddr, remote: IpAddr) -> Match {
        let fits = |n: &config::Neighbor| {
            n.peer_address.contains(&remote) && n.local_address.is_none_or(|l| l == local)
        };
        self.peers.retain(|p| !p.is_closed());
        self.dynamic.retain(|p| !p.is_closed());
        let exact = self.peers.iter().chain(self.dynamic.iter()).find(|p| {
            fits(&p.neighbor) && p.neighbor.peer_address.prefix_len() == host_len(remote)
        });
        if let Some(handle) = exact {
            return Match::Peer(handle.clone());
        }
        let mut ranges = self.ranges.iter().filter(|n| fits(n));
        match (ranges.next(), ranges.next()) {
            (Some(range), None) => Match::Range(Arc::clone(range)),
            (Some(_), Some(_)) => Match::Ambiguous,
            _ => Match::None,
        }
    }

    fn accepted(&mut self, stream: TcpStream, local: SocketAddr, remote: SocketAddr) {
        let (local_ip, remote_ip) = (canonical(local.ip()), canonical(remote.ip()));
        match self.find(local_ip, remote_ip) {
            Match::Peer(handle) => {
                debug!(%remote, peer = %handle.id, "connection handed to peer");
                if !handle.send(PeerCommand::Incoming(stream)) {
                    debug!(%remote, "peer task ended before taking the connection");
                }
            }
            Match::Range(range) => {
                let mut neighbor = (*range).clone();
                neighbor.peer_address = IpNet::from(remote_ip);
                if neighbor.local_address.is_none() {
                    neighbor.local_address = Some(local_ip);
                }
                if neighbor.router_id.is_none() {
                    if let IpAddr::V4(v4) = local_ip {
                        neighbor.router_id = Some(v4);
                    }
                }
                neighbor.passive = true;
                let neighbor = Arc::new(neighbor);
                let info = peer::info(&neighbor);
                let handle = peer::spawn_with(neighbor, self.settings.clone(), self.events.clone());
                debug!(%remote, peer = %handle.id, "dynamic peer for a passive range");
                handle.send(PeerCommand::Incoming(stream));
                let event = PeerEvent {
                    id: handle.id,
                    peer: info,
                    kind: PeerEventKind::Spawned(handle.clone()),
                };
                // The supervisor learns of the peer before its own events, unless the channel
                // is full: then the peer's first events may come first (both carry its id).
                if let Err(mpsc::error::TrySendError::Full(event)) = self.events.try_send(event) {
                    let events = self.events.clone();
                    tokio::spawn(async move {
                        let _ = events.send(event).await;
                    });
                }
                self.dynamic.push(handle);
            }
            Match::Ambiguous => {
                debug!(%remote, "connection matches more than one range");
                refuse(
                    stream,
                    5,
                    "could not accept the connection (more than one neighbor match)",
                );
            }
            Match::None => {
                debug!(%remote, "no session configured for the peer");
                refuse(stream, 3, "no session configured for the peer");
            }
        }
    }
}

impl Drop for Task {
    fn drop(&mut self) {
        for task in &self.accept_loops {
            task.abort();
        }
    }
}

/// Whether a listening socket is IPv6.
fn is_v6(listener: &TcpListener) -> bool {
    listener.local_addr().map(|a| a.is_ipv6()).unwrap_or(false)
}

/// Sets the sending TTL of a listening socket.
fn apply_ttl(listener: &TcpListener, ttl: u8) {
    if let Err(e) = socket::set_sending_ttl(listener, ttl, is_v6(listener)) {
        warn!(error = %e, "could not set the TTL of a listening socket");
    }
}

/// Installs a TCP-MD5 key on a listening socket (IPv4 peers also on IPv6 sockets).
fn install_key(listener: &TcpListener, peer: IpNet, key: &[u8]) {
    let v6 = is_v6(listener);
    if v6 || peer.addr().is_ipv4() {
        if let Err(e) = socket::set_md5(listener, peer, key, v6) {
            warn!(%peer, error = %e, "could not install TCP-MD5 key");
        }
    }
}

/// The prefix length of a host route for `ip`.
fn host_len(ip: IpAddr) -> u8 {
    if ip.is_ipv4() {
        32
    } else {
        128
    }
}

/// An IPv4-mapped IPv6 address (accepted on a `[::]` socket) as plain IPv4.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        IpAddr::V4(_) => ip,
    }
}

/// Sends a Cease NOTIFICATION with `text` as its data (as ExaBGP does for refused
/// connections) and closes, without holding up the listener.
fn refuse(mut stream: TcpStream, subcode: u8, text: &'static str) {
    let notification = Notification {
        code: 6,
        subcode,
        data: text.as_bytes().to_vec(),
    };
    tokio::spawn(async move {
        let bytes = crate::peer::encode_notification(&notification);
        let write = async {
            stream.write_all(&bytes).await?;
            stream.shutdown().await
        };
        let _ = tokio::time::timeout(std::time::Duration::from_secs(5), write).await;
    });
}
