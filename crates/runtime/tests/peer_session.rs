//! Peer tasks over real TCP on loopback: two Herald peers reach Established and exchange
//! routes, routes come back after the connection is killed, TCP-MD5, and a raw client
//! speaking bytes gets the right NOTIFICATION (mini-redis style).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use herald_runtime::event::{Direction, PeerCommand, PeerEvent, PeerEventKind, ShowWhat};
use herald_runtime::listener::{self, ListenerHandle};
use herald_runtime::peer::{self, Settings};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpSocket, TcpStream};
use tokio::sync::{mpsc, oneshot, Notify};
use wire::attr::Origin;
use wire::message::RefreshSubtype;
use wire::{Attribute, Family, Message, Nlri};

const WAIT: Duration = Duration::from_secs(30);

/// A real OPEN sent by ExaBGP (conformance corpus, `decoding/bgp-open-sofware-version`):
/// AS 65533, hold time 180, router id 10.0.0.2, IPv4 unicast, ASN4, software version.
const EXABGP_OPEN: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00510104FFFD00B40A000002340206010400010001020641040000FFFD02224B201F4578614247502F6D61696E2D633261326561386562642D3230323430373135";

fn hex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// A neighbor from configuration text, as the daemon would get it.
fn neighbor(body: &str, peer: &str) -> config::Neighbor {
    let text = format!("neighbor {peer} {{\n{body}\n}}\n");
    let mut config = config::parse(&[config::Source::new("test.conf", text)]).unwrap();
    let mut neighbor = config.neighbors.remove(0);
    // Ask for every received message, as an `api { receive { parsed; update; … } }` does.
    neighbor.api = vec![config::ApiBinding {
        receive: config::MessageFilter {
            parsed: true,
            open: true,
            update: true,
            notification: true,
            keepalive: true,
            refresh: true,
            ..Default::default()
        },
        ..Default::default()
    }];
    neighbor
}

fn settings() -> Settings {
    Settings {
        open_wait: Duration::from_secs(10),
        ..Settings::default()
    }
}

/// Waits for the first event that `pred` accepts, skipping the others.
async fn wait_for(
    rx: &mut mpsc::Receiver<PeerEvent>,
    what: &str,
    mut pred: impl FnMut(&PeerEvent) -> bool,
) -> PeerEvent {
    let found = tokio::time::timeout(WAIT, async {
        while let Some(event) = rx.recv().await {
            if std::env::var("SHOW_EVENTS").is_ok() {
                eprintln!("{what}: {:?}", event.kind);
            }
            if pred(&event) {
                return Some(event);
            }
        }
        None
    })
    .await;
    match found {
        Ok(Some(event)) => event,
        Ok(None) => panic!("event channel closed while waiting for {what}"),
        Err(_) => panic!("timed out waiting for {what}"),
    }
}

fn is_up(e: &PeerEvent) -> bool {
    matches!(e.kind, PeerEventKind::Up)
}

fn is_down(e: &PeerEvent) -> bool {
    matches!(e.kind, PeerEventKind::Down { .. })
}

/// True for a received UPDATE announcing `prefix` with `next_hop`.
fn announces(e: &PeerEvent, prefix: &str, next_hop: &str) -> bool {
    let PeerEventKind::Message {
        direction: Direction::Receive,
        message: Message::Update(update),
        ..
    } = &e.kind
    else {
        return false;
    };
    let nlri = Nlri::prefix(prefix.parse().unwrap());
    let hop: std::net::Ipv4Addr = next_hop.parse().unwrap();
    update.nlri.contains(&nlri) && update.attributes.contains(&Attribute::NextHop(hop))
}

/// A route with `next_hop` (`None` = `next-hop self`).
fn route(prefix: &str, next_hop: Option<&str>) -> config::Route {
    let mut route = config::Route::new(Family::IPV4_UNICAST, Nlri::prefix(prefix.parse().unwrap()));
    route.next_hop = match next_hop {
        Some(ip) => config::NextHop::Ip(ip.parse().unwrap()),
        None => config::NextHop::SelfAddr,
    };
    route.attributes = vec![Attribute::Origin(Origin::Igp)];
    route
}

/// A passive peer A (127.0.0.1, AS 65001) behind a listener on 127.0.0.1:0.
fn passive_a(
    extra: &str,
    events: mpsc::Sender<PeerEvent>,
) -> (herald_runtime::event::PeerHandle, ListenerHandle) {
    let a = neighbor(
        &format!(
            "router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002; \
             hold-time 30; passive; {extra}"
        ),
        "127.0.0.2",
    );
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let listener = listener::spawn(
        &[addr],
        std::slice::from_ref(&a),
        settings(),
        events.clone(),
    )
    .unwrap();
    let handle = peer::spawn_with(Arc::new(a), settings(), events);
    listener.register(handle.clone());
    (handle, listener)
}

/// An active peer B (127.0.0.2, AS 65002) connecting to 127.0.0.1:`port`.
fn active_b(
    port: u16,
    extra: &str,
    events: mpsc::Sender<PeerEvent>,
) -> herald_runtime::event::PeerHandle {
    let b = neighbor(
        &format!(
            "router-id 10.0.0.2; local-address 127.0.0.2; local-as 65002; peer-as 65001; \
             hold-time 30; connect {port}; {extra}"
        ),
        "127.0.0.1",
    );
    peer::spawn_with(Arc::new(b), settings(), events)
}

/// A TCP relay on 127.0.0.1:0 to `target`, connecting from 127.0.0.2; `kill` drops every
/// relayed connection at once.
async fn relay(target: SocketAddr, kill: Arc<Notify>) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let Ok((mut inbound, _)) = listener.accept().await else {
                return;
            };
            let socket = TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            let Ok(mut outbound) = socket.connect(target).await else {
                continue;
            };
            let kill = Arc::clone(&kill);
            tokio::spawn(async move {
                tokio::select! {
                    _ = tokio::io::copy_bidirectional(&mut inbound, &mut outbound) => {}
                    _ = kill.notified() => {}
                }
            });
        }
    });
    addr
}

#[tokio::test]
async fn two_peers_exchange_routes_and_resend_after_a_reconnect() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, mut b_rx) = mpsc::channel(1024);
    let (a, listener) = passive_a("", a_tx);
    let kill = Arc::new(Notify::new());
    let relay = relay(listener.local_addrs()[0], Arc::clone(&kill)).await;
    let b = active_b(relay.port(), "", b_tx);

    wait_for(&mut a_rx, "A up", is_up).await;
    let up = wait_for(&mut b_rx, "B up", is_up).await;
    assert_eq!(
        up.peer.local_addr,
        Some("127.0.0.2".parse::<IpAddr>().unwrap())
    );
    assert_eq!(up.peer.peer_as.0, 65001);

    // Announcements arrive; `next-hop self` is B's address on the session.
    let routes = vec![
        route("10.1.0.0/24", Some("192.0.2.2")),
        route("10.2.0.0/24", None),
    ];
    assert!(b.send(PeerCommand::Announce(routes)));
    wait_for(&mut a_rx, "the route on A", |e| {
        announces(e, "10.1.0.0/24", "192.0.2.2")
    })
    .await;
    wait_for(&mut a_rx, "the next-hop self route on A", |e| {
        announces(e, "10.2.0.0/24", "127.0.0.2")
    })
    .await;

    // A keeps them in its Adj-RIB-In, B in its Adj-RIB-Out.
    let (reply, answer) = oneshot::channel();
    let what = ShowWhat {
        adj_rib_in: true,
        adj_rib_out: true,
        counts: true,
    };
    assert!(a.send(PeerCommand::Show { what, reply }));
    let snapshot = answer.await.unwrap();
    assert_eq!(
        snapshot.count_in,
        [(Family::IPV4_UNICAST, snapshot.adj_rib_in.len())]
    );
    assert_eq!(snapshot.adj_rib_in.len(), 2, "{:?}", snapshot.adj_rib_in);
    assert_eq!(snapshot.status.state.name(), "ESTABLISHED");
    assert!(snapshot.status.counters.received.update >= 1);
    assert!(snapshot.status.counters.received.open == 1);
    let (reply, answer) = oneshot::channel();
    assert!(b.send(PeerCommand::Show { what, reply }));
    let snapshot = answer.await.unwrap();
    assert_eq!(snapshot.adj_rib_out.len(), 2);
    assert_eq!(snapshot.count_out, [(Family::IPV4_UNICAST, 2)]);
    assert_eq!(
        snapshot.adj_rib_out[1].next_hop,
        Some("127.0.0.2".parse::<IpAddr>().unwrap()),
        "next-hop self is B's address on the session"
    );

    // Kill the TCP connection under both sessions: both go down, come back, and B sends
    // its Adj-RIB-Out again.
    kill.notify_waiters();
    wait_for(&mut a_rx, "A down", is_down).await;
    wait_for(&mut b_rx, "B down", is_down).await;
    wait_for(&mut a_rx, "A up again", is_up).await;
    wait_for(&mut b_rx, "B up again", is_up).await;
    wait_for(&mut a_rx, "the route re-sent", |e| {
        announces(e, "10.1.0.0/24", "192.0.2.2")
    })
    .await;

    // A withdrawal goes through too.
    assert!(b.send(PeerCommand::Withdraw(vec![route("10.1.0.0/24", None)])));
    wait_for(&mut a_rx, "the withdrawal", |e| {
        matches!(&e.kind, PeerEventKind::Message { message: Message::Update(u), .. }
            if u.withdrawn.contains(&Nlri::prefix("10.1.0.0/24".parse().unwrap())))
    })
    .await;

    // Shutdown sends a Cease: A sees it and reports the session down.
    assert!(b.send(PeerCommand::Shutdown { notification: None }));
    let down = wait_for(&mut a_rx, "A down after B's shutdown", is_down).await;
    let PeerEventKind::Down { reason } = down.kind else {
        unreachable!()
    };
    assert_eq!(reason, "notification received (6,2)");
    wait_for(&mut b_rx, "B stopped", |e| {
        matches!(e.kind, PeerEventKind::Stopped)
    })
    .await;
}

#[tokio::test]
async fn md5_on_both_ends() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, mut b_rx) = mpsc::channel(1024);
    let (_a, listener) = passive_a("md5-password \"herald\";", a_tx);
    let port = listener.local_addrs()[0].port();
    let _b = active_b(port, "md5-password \"herald\";", b_tx);
    wait_for(&mut a_rx, "A up with MD5", is_up).await;
    wait_for(&mut b_rx, "B up with MD5", is_up).await;
}

#[tokio::test]
async fn md5_mismatch_never_connects() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, _b_rx) = mpsc::channel(1024);
    let (_a, listener) = passive_a("md5-password \"herald\";", a_tx);
    let port = listener.local_addrs()[0].port();
    let _b = active_b(port, "md5-password \"other\";", b_tx);
    let connected = tokio::time::timeout(Duration::from_secs(3), async {
        while let Some(e) = a_rx.recv().await {
            if matches!(e.kind, PeerEventKind::Connected) {
                return true;
            }
        }
        false
    })
    .await;
    assert!(
        !matches!(connected, Ok(true)),
        "a connection with the wrong key was accepted"
    );
}

/// Reads whole messages until a NOTIFICATION; returns (code, subcode, data).
async fn read_notification(stream: &mut TcpStream) -> (u8, u8, Vec<u8>) {
    let mut buf = Vec::new();
    tokio::time::timeout(WAIT, async {
        loop {
            while buf.len() >= 19 {
                let len = usize::from(u16::from_be_bytes([buf[16], buf[17]]));
                if buf.len() < len {
                    break;
                }
                let message: Vec<u8> = buf.drain(..len).collect();
                if message[18] == 3 {
                    return (message[19], message[20], message[21..].to_vec());
                }
            }
            let mut chunk = [0u8; 4096];
            let n = stream.read(&mut chunk).await.unwrap();
            assert!(n > 0, "connection closed without a NOTIFICATION");
            buf.extend_from_slice(&chunk[..n]);
        }
    })
    .await
    .expect("no NOTIFICATION")
}

async fn connect_from(local: &str, to: SocketAddr) -> TcpStream {
    let socket = TcpSocket::new_v4().unwrap();
    socket.bind(format!("{local}:0").parse().unwrap()).unwrap();
    socket.connect(to).await.unwrap()
}

#[tokio::test]
async fn raw_client_with_a_bad_open_gets_the_right_notification() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (_a, listener) = passive_a("", a_tx);
    let addr = listener.local_addrs()[0];

    // ExaBGP's OPEN says AS 65533; A expects 65002: Bad Peer AS (2,2).
    let mut client = connect_from("127.0.0.2", addr).await;
    client.write_all(&hex(EXABGP_OPEN)).await.unwrap();
    let (code, subcode, _) = read_notification(&mut client).await;
    assert_eq!((code, subcode), (2, 2));
    let down = wait_for(&mut a_rx, "A down", is_down).await;
    let PeerEventKind::Down { reason } = down.kind else {
        unreachable!()
    };
    assert_eq!(reason, "notification sent (2,2)");

    // The same OPEN claiming version 3: Unsupported Version Number (2,1).
    let mut open = hex(EXABGP_OPEN);
    open[19] = 3;
    let mut client = connect_from("127.0.0.2", addr).await;
    client.write_all(&open).await.unwrap();
    let (code, subcode, _) = read_notification(&mut client).await;
    assert_eq!((code, subcode), (2, 1));

    // A connection from an address no neighbor has: Cease, no session configured (6,3).
    let mut stranger = connect_from("127.0.0.9", addr).await;
    let (code, subcode, data) = read_notification(&mut stranger).await;
    assert_eq!((code, subcode), (6, 3));
    assert_eq!(data, b"no session configured for the peer");
}

#[tokio::test]
async fn both_sides_connect_and_one_session_survives_the_collision() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, mut b_rx) = mpsc::channel(1024);
    let bind = |ip: &str| -> SocketAddr { format!("{ip}:0").parse().unwrap() };
    let a_conf = neighbor(
        "router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002; hold-time 30;",
        "127.0.0.2",
    );
    let b_conf = neighbor(
        "router-id 10.0.0.2; local-address 127.0.0.2; local-as 65002; peer-as 65001; hold-time 30;",
        "127.0.0.1",
    );
    let a_listener = listener::spawn(
        &[bind("127.0.0.1")],
        std::slice::from_ref(&a_conf),
        settings(),
        a_tx.clone(),
    )
    .unwrap();
    let b_listener = listener::spawn(
        &[bind("127.0.0.2")],
        std::slice::from_ref(&b_conf),
        settings(),
        b_tx.clone(),
    )
    .unwrap();
    // Each connects to the other's listener.
    let mut a_conf = a_conf;
    a_conf.connect = b_listener.local_addrs()[0].port();
    let mut b_conf = b_conf;
    b_conf.connect = a_listener.local_addrs()[0].port();
    let a = peer::spawn_with(Arc::new(a_conf), settings(), a_tx);
    let b = peer::spawn_with(Arc::new(b_conf), settings(), b_tx);
    a_listener.register(a.clone());
    b_listener.register(b.clone());

    wait_for(&mut a_rx, "A up", is_up).await;
    wait_for(&mut b_rx, "B up", is_up).await;
    // The session stays up: no Down within a few seconds on either side.
    let quiet = |rx: &mut mpsc::Receiver<PeerEvent>| {
        let mut downs = 0;
        while let Ok(e) = rx.try_recv() {
            downs += usize::from(is_down(&e));
        }
        downs
    };
    tokio::time::sleep(Duration::from_secs(2)).await;
    assert_eq!(quiet(&mut a_rx), 0);
    assert_eq!(quiet(&mut b_rx), 0);
    assert!(b.send(PeerCommand::Announce(vec![route(
        "10.3.0.0/24",
        Some("192.0.2.2")
    )])));
    wait_for(&mut a_rx, "the route on A", |e| {
        announces(e, "10.3.0.0/24", "192.0.2.2")
    })
    .await;
}

#[tokio::test]
async fn passive_range_starts_a_dynamic_peer() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, mut b_rx) = mpsc::channel(1024);
    let range = neighbor(
        "router-id 10.0.0.1; local-as 65001; peer-as 65002; hold-time 30; passive;",
        "127.0.0.0/24",
    );
    let addr: SocketAddr = "127.0.0.1:0".parse().unwrap();
    let listener =
        listener::spawn(&[addr], std::slice::from_ref(&range), settings(), a_tx).unwrap();
    listener.register_range(Arc::new(range));
    let mut b_conf = neighbor(
        "router-id 10.0.0.5; local-address 127.0.0.5; local-as 65002; peer-as 65001; hold-time 30;",
        "127.0.0.1",
    );
    b_conf.connect = listener.local_addrs()[0].port();
    let b = peer::spawn_with(Arc::new(b_conf), settings(), b_tx);

    let spawned = wait_for(&mut a_rx, "a dynamic peer", |e| {
        matches!(e.kind, PeerEventKind::Spawned(_))
    })
    .await;
    let PeerEventKind::Spawned(dynamic) = spawned.kind else {
        unreachable!()
    };
    assert_eq!(
        dynamic.neighbor.peer_address,
        "127.0.0.5/32".parse().unwrap()
    );
    let up = wait_for(&mut a_rx, "the dynamic peer up", is_up).await;
    assert_eq!(up.id, dynamic.id);
    assert_eq!(
        up.peer.local_addr,
        Some("127.0.0.1".parse::<IpAddr>().unwrap())
    );
    wait_for(&mut b_rx, "B up", is_up).await;

    // When the session ends, so does the dynamic peer.
    assert!(b.send(PeerCommand::Shutdown { notification: None }));
    wait_for(&mut a_rx, "the dynamic peer stopped", |e| {
        e.id == dynamic.id && matches!(e.kind, PeerEventKind::Stopped)
    })
    .await;
    assert!(dynamic.is_closed());
}

#[tokio::test]
async fn route_refresh_is_answered_from_the_adj_rib_out() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, mut b_rx) = mpsc::channel(1024);
    let caps = "capability { route-refresh; }";
    let (a, listener) = passive_a(caps, a_tx);
    let b = active_b(listener.local_addrs()[0].port(), caps, b_tx);
    wait_for(&mut a_rx, "A up", is_up).await;
    wait_for(&mut b_rx, "B up", is_up).await;
    assert!(b.send(PeerCommand::Announce(vec![route(
        "10.4.0.0/24",
        Some("192.0.2.2")
    )])));
    wait_for(&mut a_rx, "the route", |e| {
        announces(e, "10.4.0.0/24", "192.0.2.2")
    })
    .await;

    assert!(a.send(PeerCommand::RouteRefresh(Family::IPV4_UNICAST)));
    // Enhanced route refresh (RFC 7313): BoRR, the routes, EoRR.
    let refresh = |e: &PeerEvent, want: RefreshSubtype| {
        matches!(&e.kind, PeerEventKind::Message { message: Message::RouteRefresh(r), .. }
            if r.subtype == want && r.family == Family::IPV4_UNICAST)
    };
    wait_for(&mut a_rx, "BoRR", |e| refresh(e, RefreshSubtype::Begin)).await;
    wait_for(&mut a_rx, "the route again", |e| {
        announces(e, "10.4.0.0/24", "192.0.2.2")
    })
    .await;
    wait_for(&mut a_rx, "EoRR", |e| refresh(e, RefreshSubtype::End)).await;
}

#[tokio::test]
async fn teardown_sends_the_shutdown_communication_and_comes_back() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, mut b_rx) = mpsc::channel(1024);
    let (_a, listener) = passive_a("", a_tx);
    let b = active_b(listener.local_addrs()[0].port(), "", b_tx);
    wait_for(&mut a_rx, "A up", is_up).await;
    wait_for(&mut b_rx, "B up", is_up).await;
    assert!(b.send(PeerCommand::Teardown {
        subcode: 2,
        text: Some("maintenance".into()),
    }));
    let got = wait_for(&mut a_rx, "the NOTIFICATION", |e| {
        matches!(
            &e.kind,
            PeerEventKind::Message {
                message: Message::Notification(_),
                ..
            }
        )
    })
    .await;
    let PeerEventKind::Message {
        message: Message::Notification(n),
        ..
    } = got.kind
    else {
        unreachable!()
    };
    assert_eq!((n.code, n.subcode), (6, 2));
    assert_eq!(n.data, b"\x0bmaintenance");
    wait_for(&mut b_rx, "B down", is_down).await;
    wait_for(&mut b_rx, "B up again", is_up).await;
    wait_for(&mut a_rx, "A up again", is_up).await;
}

#[tokio::test]
async fn a_slow_supervisor_does_not_stop_keepalives() {
    // Room for one event: B's task must keep its session up while nobody reads.
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, mut b_rx) = mpsc::channel(1);
    let (_a, listener) = passive_a("hold-time 3;", a_tx);
    let _b = active_b(listener.local_addrs()[0].port(), "hold-time 3;", b_tx);
    wait_for(&mut a_rx, "A up", is_up).await;
    // Do not read B's events for more than twice the hold time.
    tokio::time::sleep(Duration::from_secs(7)).await;
    while let Ok(e) = a_rx.try_recv() {
        assert!(!is_down(&e), "A saw the session go down: {:?}", e.kind);
    }
    // B's events were kept, in order: it reached Up, and never went down.
    let mut seen_up = false;
    while let Ok(Some(e)) = tokio::time::timeout(Duration::from_millis(500), b_rx.recv()).await {
        assert!(!is_down(&e), "B went down: {:?}", e.kind);
        seen_up |= is_up(&e);
    }
    assert!(seen_up);
}

#[tokio::test]
async fn a_peer_that_does_not_read_does_not_stall_the_task() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (a, listener) = passive_a("", a_tx);
    // ExaBGP's OPEN, from AS 65002 (0xFDEA) as A expects.
    let open = EXABGP_OPEN
        .replace("FFFD00B4", "FDEA00B4")
        .replace("41040000FFFD", "41040000FDEA");
    // A small receive buffer (no autotuning), so that A's writes soon find no room.
    let socket = TcpSocket::new_v4().unwrap();
    socket.set_recv_buffer_size(4096).unwrap();
    socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
    let mut client = socket.connect(listener.local_addrs()[0]).await.unwrap();
    client.write_all(&hex(&open)).await.unwrap();
    client.write_all(&[0xff; 16]).await.unwrap();
    client.write_all(&[0, 19, 4]).await.unwrap();
    wait_for(&mut a_rx, "A up", is_up).await;

    // Routes with distinct MEDs: one UPDATE each, megabytes the client never reads.
    let routes: Vec<config::Route> = (0..150_000u32)
        .map(|i| {
            let prefix = format!("{}.{}.{}.0/24", 11 + i / 65536, i / 256 % 256, i % 256);
            let mut r = route(&prefix, Some("192.0.2.2"));
            r.attributes.push(Attribute::Med(i));
            r
        })
        .collect();
    assert!(a.send(PeerCommand::Announce(routes)));
    // Once the announce is applied (seconds for 150k routes in a debug build on a loaded
    // machine: not what this test measures), the task still answers promptly, with the
    // session up, while its writes find no room.
    let (reply, answer) = oneshot::channel();
    assert!(a.send(PeerCommand::Show {
        what: ShowWhat::default(),
        reply
    }));
    tokio::time::timeout(Duration::from_secs(60), answer)
        .await
        .expect("the task never answered after the announce")
        .unwrap();
    for _ in 0..3 {
        let (reply, answer) = oneshot::channel();
        let started = std::time::Instant::now();
        assert!(a.send(PeerCommand::Show {
            what: ShowWhat::default(),
            reply
        }));
        let snapshot = tokio::time::timeout(Duration::from_secs(10), answer)
            .await
            .unwrap()
            .unwrap();
        assert_eq!(snapshot.status.state.name(), "ESTABLISHED");
        assert!(
            started.elapsed() < Duration::from_secs(5),
            "{:?}",
            started.elapsed()
        );
        tokio::time::sleep(Duration::from_millis(300)).await;
    }
    // Keepalives still go out while the queue is full: the client's hold timer is safe.
    drop(client);
}

#[tokio::test]
async fn a_neighbor_listen_port_is_bound_when_it_registers() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let port = {
        let probe = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        probe.local_addr().unwrap().port()
    };
    let a = neighbor(
        &format!(
            "router-id 10.0.0.1; local-address 127.0.0.1; local-as 65001; peer-as 65002; \
             passive; listen {port};"
        ),
        "127.0.0.2",
    );
    // No global listening address (exabgp.tcp.bind empty).
    let listener = listener::spawn(&[], &[], settings(), a_tx.clone()).unwrap();
    let handle = peer::spawn_with(Arc::new(a), settings(), a_tx);
    listener.register(handle);
    let addr: SocketAddr = format!("127.0.0.1:{port}").parse().unwrap();
    let mut client = tokio::time::timeout(WAIT, async {
        loop {
            let socket = TcpSocket::new_v4().unwrap();
            socket.bind("127.0.0.2:0".parse().unwrap()).unwrap();
            match socket.connect(addr).await {
                Ok(stream) => return stream,
                Err(_) => tokio::time::sleep(Duration::from_millis(20)).await,
            }
        }
    })
    .await
    .unwrap();
    wait_for(&mut a_rx, "A connected", |e| {
        matches!(e.kind, PeerEventKind::Connected)
    })
    .await;
    // A sends its OPEN at once.
    let mut header = [0u8; 19];
    client.read_exact(&mut header).await.unwrap();
    assert_eq!(header[18], 1);
}

#[tokio::test]
async fn ipv6_session_with_gtsm() {
    let (a_tx, mut a_rx) = mpsc::channel(1024);
    let (b_tx, mut b_rx) = mpsc::channel(1024);
    // GTSM (RFC 5082): both send with hop limit 255 and accept nothing lower.
    let gtsm = "incoming-ttl 255; family { ipv6 unicast; }";
    let a = neighbor(
        &format!(
            "router-id 10.0.0.1; local-address ::1; local-as 65001; peer-as 65002; passive; {gtsm}"
        ),
        "::1",
    );
    let addr: SocketAddr = "[::1]:0".parse().unwrap();
    let listener =
        listener::spawn(&[addr], std::slice::from_ref(&a), settings(), a_tx.clone()).unwrap();
    let a = peer::spawn_with(Arc::new(a), settings(), a_tx);
    listener.register(a.clone());
    let mut b = neighbor(
        &format!("router-id 10.0.0.2; local-address ::1; local-as 65002; peer-as 65001; {gtsm}"),
        "::1",
    );
    b.connect = listener.local_addrs()[0].port();
    let b = peer::spawn_with(Arc::new(b), settings(), b_tx);
    wait_for(&mut b_rx, "B up", is_up).await;
    wait_for(&mut a_rx, "A up", is_up).await;
    let mut r = config::Route::new(
        Family::IPV6_UNICAST,
        Nlri::prefix("2001:db8:7::/48".parse().unwrap()),
    );
    r.next_hop = config::NextHop::SelfAddr;
    assert!(b.send(PeerCommand::Announce(vec![r])));
    let got = wait_for(&mut a_rx, "the IPv6 route", |e| {
        matches!(&e.kind, PeerEventKind::Message { message: Message::Update(u), .. }
            if u.attributes.iter().any(|a| matches!(a, Attribute::MpReach(_))))
    })
    .await;
    let PeerEventKind::Message {
        message: Message::Update(update),
        ..
    } = got.kind
    else {
        unreachable!()
    };
    let reach = update
        .attributes
        .iter()
        .find_map(|a| match a {
            Attribute::MpReach(reach) => Some(reach),
            _ => None,
        })
        .unwrap();
    assert_eq!(reach.family, Family::IPV6_UNICAST);
    assert_eq!(reach.next_hop, vec!["::1".parse::<IpAddr>().unwrap()]);
    assert_eq!(
        reach.nlri,
        vec![Nlri::prefix("2001:db8:7::/48".parse().unwrap())]
    );
}
