//! The BGP session set-up and keepalives shared by `bgp-sink` and `bgp-blast`.
//!
//! Both tools are passive: the speaker under test connects to them (`connect <port>` in
//! its configuration), they answer with an OPEN offering IPv4 and IPv6 unicast, route
//! refresh and four-octet ASNs, and the session is Established once the speaker's
//! KEEPALIVE arrives. Every write goes through one mutex so that the keepalive thread
//! never splits a message.

use std::io::{self, Write};
use std::net::{Ipv4Addr, TcpStream};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::bgp::{self, kind, Framer};

/// The writing half of a session, shared with its keepalive thread.
pub type Writer = Arc<Mutex<TcpStream>>;

/// What the peer's OPEN said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Negotiated {
    /// The negotiated hold time (the smaller of both, RFC 4271 §4.2).
    pub hold_time: u16,
}

/// Writes `bytes` whole while holding the writer's lock.
pub fn write(writer: &Writer, bytes: &[u8]) -> io::Result<()> {
    let mut stream = writer
        .lock()
        .map_err(|_| io::Error::other("writer lock poisoned"))?;
    stream.write_all(bytes)
}

/// Runs the OPEN exchange on a connected `stream`: sends an OPEN (AS `asn`, hold time
/// `hold`), reads the peer's OPEN, sends a KEEPALIVE and reads until the peer's KEEPALIVE.
pub fn handshake(
    stream: &TcpStream,
    framer: &mut Framer,
    asn: u32,
    router_id: Ipv4Addr,
    hold: u16,
) -> io::Result<(Writer, Negotiated)> {
    stream.set_nodelay(true)?;
    let writer: Writer = Arc::new(Mutex::new(stream.try_clone()?));
    write(&writer, &bgp::open(asn, hold, router_id))?;
    let mut reader = stream.try_clone()?;
    let mut negotiated = None;
    loop {
        let Some((kind, msg)) = framer.next(&mut reader)? else {
            return Err(io::Error::new(
                io::ErrorKind::UnexpectedEof,
                "peer closed during the OPEN exchange",
            ));
        };
        match kind {
            kind::OPEN => {
                let theirs = bgp::open_hold_time(&msg[bgp::HEADER..]).unwrap_or(0);
                negotiated = Some(Negotiated {
                    hold_time: theirs.min(hold),
                });
                write(&writer, &bgp::keepalive())?;
            }
            kind::KEEPALIVE => {
                if let Some(negotiated) = negotiated {
                    return Ok((writer, negotiated));
                }
            }
            kind::NOTIFICATION => {
                let code = msg.get(bgp::HEADER..bgp::HEADER + 2).unwrap_or_default();
                return Err(io::Error::other(format!(
                    "NOTIFICATION {code:?} during the OPEN exchange"
                )));
            }
            _ => {}
        }
    }
}

/// Sends a KEEPALIVE every third of `hold_time` seconds from a thread, until a write fails
/// (the session is gone). No thread for a hold time of 0.
pub fn keepalives(writer: &Writer, hold_time: u16) {
    if hold_time == 0 {
        return;
    }
    let writer = Arc::clone(writer);
    let every = Duration::from_millis(u64::from(hold_time) * 1000 / 3);
    std::thread::spawn(move || loop {
        std::thread::sleep(every);
        if write(&writer, &bgp::keepalive()).is_err() {
            return;
        }
    });
}

/// Splits a stream of whole messages into chunks of whole messages of about `size` octets,
/// so that a sender can release the write lock between chunks.
pub fn chunks(stream: &[u8], size: usize) -> Vec<&[u8]> {
    let mut out = Vec::new();
    let (mut start, mut at) = (0, 0);
    while at + bgp::HEADER <= stream.len() {
        let len = usize::from(u16::from_be_bytes([stream[at + 16], stream[at + 17]]));
        at += len.max(bgp::HEADER);
        if at - start >= size {
            out.push(&stream[start..at.min(stream.len())]);
            start = at;
        }
    }
    if start < stream.len() {
        out.push(&stream[start..]);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::routes::Fam;
    use std::net::TcpListener;

    #[test]
    fn chunks_keep_messages_whole() {
        let stream = bgp::encode_announcements(Fam::V4, 10_000, 1, 65001);
        let parts = chunks(&stream, 10_000);
        assert!(parts.len() > 1);
        assert_eq!(parts.concat(), stream);
        for part in parts {
            let mut framer = Framer::new();
            let mut r = part;
            let mut total = 0;
            while let Some((_, msg)) = framer.next(&mut r).expect("whole messages") {
                total += msg.len();
            }
            assert_eq!(total, part.len());
        }
    }

    #[test]
    fn two_tools_establish_a_session_with_each_other() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let other = std::thread::spawn(move || {
            let stream = TcpStream::connect(addr).expect("connect");
            let mut framer = Framer::new();
            handshake(&stream, &mut framer, 65002, Ipv4Addr::new(127, 0, 0, 3), 30)
                .expect("handshake")
                .1
        });
        let (stream, _) = listener.accept().expect("accept");
        let mut framer = Framer::new();
        let (_, ours) = handshake(&stream, &mut framer, 65001, Ipv4Addr::new(127, 0, 0, 2), 9)
            .expect("handshake");
        let theirs = other.join().expect("thread");
        assert_eq!(ours.hold_time, 9);
        assert_eq!(theirs.hold_time, 9);
    }
}
