//! A raw-bytes BGP test peer and helpers for the daemon tests (mini-redis style: the daemon
//! runs in-process, the peer speaks bytes over 127.0.0.1).

#![allow(dead_code, unreachable_pub)]

use std::collections::HashMap;
use std::net::IpAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use herald_runtime::Speaker;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

mod shared;
pub use shared::{parse_update, Scratch};

pub const OPEN: u8 = 1;
pub const UPDATE: u8 = 2;
pub const NOTIFICATION: u8 = 3;
pub const KEEPALIVE: u8 = 4;

/// The settings of the daemon under test: no listening, connect to the test peer's `port`.
pub fn env(port: u16) -> Arc<config::Env> {
    let env = config::Env::from_lookup(
        |name| match name {
            "exabgp.tcp.bind" => Some(String::new()),
            "exabgp.tcp.port" => Some(port.to_string()),
            _ => None,
        },
        None,
    )
    .unwrap();
    Arc::new(env)
}

/// Stops the daemon and waits (15 s at most) until it has.
pub async fn stop(speaker: Speaker) {
    speaker.shutdown();
    tokio::time::timeout(Duration::from_secs(15), speaker.wait())
        .await
        .expect("the daemon did not stop");
}

/// A BGP message as read: type and body (header removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Msg {
    pub kind: u8,
    pub body: Vec<u8>,
}

/// A passive test peer: listens on 127.0.0.1:0 and waits for the daemon to connect.
pub struct TestPeer {
    pub listener: TcpListener,
    pub port: u16,
}

impl TestPeer {
    pub async fn bind() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        Self { listener, port }
    }

    /// Accepts the daemon's connection and completes OPEN/KEEPALIVE by answering with a
    /// copy of its OPEN (router id + 1), like ExaBGP's own test peer.
    pub async fn accept(&self) -> Conn {
        let (stream, _) = tokio::time::timeout(Duration::from_secs(20), self.listener.accept())
            .await
            .expect("the daemon did not connect")
            .unwrap();
        let mut conn = Conn { stream };
        let open = conn.recv_kind(OPEN).await;
        let mut answer = open.body.clone();
        // version(1) asn(2) hold(2) router-id(4)
        answer[8] = answer[8].wrapping_add(1);
        conn.send(OPEN, &answer).await;
        conn.send(KEEPALIVE, &[]).await;
        conn.recv_kind(KEEPALIVE).await;
        conn
    }
}

/// One TCP connection with the daemon.
pub struct Conn {
    pub stream: TcpStream,
}

impl Conn {
    pub async fn send(&mut self, kind: u8, body: &[u8]) {
        let len = (19 + body.len()) as u16;
        let mut out = vec![0xff; 16];
        out.extend_from_slice(&len.to_be_bytes());
        out.push(kind);
        out.extend_from_slice(body);
        self.stream.write_all(&out).await.unwrap();
    }

    /// Next message, or None on EOF; panics after 20 s.
    pub async fn recv(&mut self) -> Option<Msg> {
        tokio::time::timeout(Duration::from_secs(20), self.recv_inner())
            .await
            .expect("timed out waiting for a message")
    }

    async fn recv_inner(&mut self) -> Option<Msg> {
        let mut header = [0u8; 19];
        self.stream.read_exact(&mut header).await.ok()?;
        assert_eq!(&header[..16], &[0xff; 16], "bad marker");
        let len = u16::from_be_bytes([header[16], header[17]]) as usize;
        let mut body = vec![0u8; len - 19];
        self.stream.read_exact(&mut body).await.ok()?;
        Some(Msg {
            kind: header[18],
            body,
        })
    }

    /// Next message of `kind`, skipping KEEPALIVEs (unless that is the kind wanted).
    pub async fn recv_kind(&mut self, kind: u8) -> Msg {
        loop {
            let msg = self.recv().await.expect("connection closed");
            if msg.kind == kind {
                return msg;
            }
            assert_eq!(msg.kind, KEEPALIVE, "unexpected message {msg:?}");
        }
    }

    /// Reads UPDATEs until `pred` holds for the routes seen so far (announced minus
    /// withdrawn), skipping KEEPALIVEs.
    pub async fn routes_until(&mut self, routes: &mut Routes, pred: impl Fn(&Routes) -> bool) {
        while !pred(routes) {
            let msg = self.recv_kind(UPDATE).await;
            let update = parse_update(&msg.body);
            for prefix in &update.withdrawn {
                routes.remove(prefix);
            }
            for prefix in update.announced {
                routes.insert(prefix, update.next_hop);
            }
        }
    }
}

/// The IPv4 unicast routes the test peer holds: prefix (`a.b.c.d/len`) → next hop.
pub type Routes = HashMap<String, Option<IpAddr>>;

/// Waits until `path` exists and `pred` holds for its content (20 s at most).
pub async fn wait_file(path: &Path, pred: impl Fn(&str) -> bool) -> String {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    loop {
        if let Ok(text) = std::fs::read_to_string(path) {
            if pred(&text) {
                return text;
            }
        }
        if tokio::time::Instant::now() > deadline {
            panic!(
                "timed out waiting for {}: {:?}",
                path.display(),
                std::fs::read_to_string(path).ok()
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
