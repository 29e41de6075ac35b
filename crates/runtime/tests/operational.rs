//! `announce operational …` end to end (ExaBGP's draft-ietf-idr-operational-message): a
//! helper's command reaches a raw-bytes test peer as an OPERATIONAL message (type 6) when
//! the capability is negotiated, and is not sent otherwise. The expected bodies are what
//! ExaBGP 5.0.15's own classes encode for the same commands.

mod common;

use std::path::Path;

use common::{env, stop, Scratch, TestPeer, KEEPALIVE, UPDATE};
use herald_runtime::{Parts, Speaker};

/// OPERATIONAL, draft-ietf-idr-operational-message.
const OPERATIONAL: u8 = 6;

/// `Advisory.ADM(AFI.ipv4, SAFI.unicast, 'hello world').message(None)` in ExaBGP 5.0.15,
/// without its header: type 1, length 14, AFI 1, SAFI 1, the text.
const ADM: &str = "0001000e00010168656c6c6f20776f726c64";
/// ExaBGP's RPCQ for IPv4 unicast, router id 10.0.0.1, sequence 10 (`events.tsv` of
/// herald-api's golden data): type 3, length 11, AFI 1, SAFI 1, router id, sequence.
const RPCQ: [u8; 15] = [0, 3, 0, 11, 0, 1, 1, 10, 0, 0, 1, 0, 0, 0, 10];

fn unhex(text: &str) -> Vec<u8> {
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&text[i..i + 2], 16).unwrap())
        .collect()
}

/// Starts the daemon with one neighbor (the test peer) whose `capability` block is `caps`,
/// and a helper that sends two OPERATIONAL messages, then a route.
fn start(dir: &Scratch, port: u16, caps: &str) -> Speaker {
    let script = dir.script(
        "operational.sh",
        "#!/bin/sh\n\
         echo 'announce operational adm afi ipv4 safi unicast advisory \"hello world\"'\n\
         echo 'announce operational rpcq afi ipv4 safi unicast sequence 10'\n\
         echo 'announce route 192.0.2.1/32 next-hop 198.51.100.1'\n\
         exec cat > /dev/null\n",
    );
    let conf = dir.file(
        "herald.conf",
        &format!(
            "process helper {{\n  run {};\n  encoder text;\n}}\n\
             neighbor 127.0.0.1 {{\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
             local-as 65001;\n  peer-as 65001;\n  connect {port};\n  hold-time 30;\n  \
             family {{ ipv4 unicast; }}\n  capability {{ {caps} }}\n  \
             api {{ processes [ helper ]; }}\n}}\n",
            script.display()
        ),
    );
    let config = load(&conf);
    Speaker::start(Parts::from_env(config, env(port), None))
}

fn load(path: &Path) -> config::Config {
    config::load(&[path.to_path_buf()]).unwrap_or_else(|errors| panic!("{}", errors[0]))
}

/// The OPERATIONAL bodies the peer gets before the UPDATE of the route.
async fn operational_before_the_route(conn: &mut common::Conn) -> Vec<Vec<u8>> {
    let mut bodies = Vec::new();
    loop {
        let msg = conn.recv().await.expect("connection closed");
        match msg.kind {
            OPERATIONAL => bodies.push(msg.body),
            UPDATE if !msg.body.starts_with(&[0, 0, 0, 0]) || msg.body.len() > 4 => return bodies,
            UPDATE | KEEPALIVE => {}
            other => panic!("unexpected message type {other}: {msg:?}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operational_messages_are_sent_when_negotiated() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("operational");
    let speaker = start(&dir, peer.port, "operational enable;");
    // The test peer answers with a copy of Herald's OPEN: capability 185 on both sides.
    let mut conn = peer.accept().await;
    let bodies = operational_before_the_route(&mut conn).await;
    assert_eq!(bodies, vec![unhex(ADM), RPCQ.to_vec()]);
    stop(speaker).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn operational_messages_are_not_sent_without_the_capability() {
    let peer = TestPeer::bind().await;
    let dir = Scratch::new("operational-off");
    let speaker = start(&dir, peer.port, "operational disable;");
    let mut conn = peer.accept().await;
    let bodies = operational_before_the_route(&mut conn).await;
    assert_eq!(bodies, Vec::<Vec<u8>>::new());
    stop(speaker).await;
}
