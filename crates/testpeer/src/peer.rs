//! The network side: listen, answer the speaker's OPEN with a mirrored OPEN, feed every
//! message to the [`Checker`], perform the script's actions, and decide pass or fail.
//!
//! Like ExaBGP's test peer it answers every message with a KEEPALIVE; when the speaker
//! sends a ROUTE-REFRESH it sends back the UPDATEs received so far on the connection (the
//! routes it "has"), which api-rr checks.

use std::io::{self, Read, Write};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use crate::checker::{hex_message, is_eor, Action, Checker, Verdict};
use crate::script::{Options, Script};

/// How a run is set up.
#[derive(Debug, Clone)]
pub struct Config {
    /// Port to listen on.
    pub port: u16,
    /// Give up after this long.
    pub timeout: Duration,
    /// Where the speaker's pid can be read (for `signal:` steps).
    pub pid_file: Option<std::path::PathBuf>,
    /// Print every message.
    pub verbose: bool,
}

/// The result of a run.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// Every group matched.
    Pass,
    /// A message did not match, or something else went wrong: the report.
    Fail(String),
    /// The time ran out: what was still expected.
    Timeout(String),
}

/// A KEEPALIVE.
pub fn keepalive() -> Vec<u8> {
    let mut out = vec![0xff; 16];
    out.extend_from_slice(&[0, 19, 4]);
    out
}

/// A Cease NOTIFICATION (RFC 4271 §6.7) carrying `text` as data.
pub fn cease(text: &str) -> Vec<u8> {
    let mut out = vec![0xff; 16];
    let len = 21 + text.len();
    out.extend_from_slice(&(len as u16).to_be_bytes());
    out.extend_from_slice(&[3, 6, 0]);
    out.extend_from_slice(text.as_bytes());
    out
}

/// The UPDATE the peer sends with `option:update:send-default-route`: 0.0.0.0/32 as
/// ExaBGP's test peer sends it (ORIGIN IGP, empty AS_PATH, NEXT_HOP 127.0.0.1,
/// LOCAL_PREF 100).
pub fn default_route() -> Vec<u8> {
    let mut out = vec![0xff; 16];
    out.extend_from_slice(&[0x00, 0x31, 0x02, 0x00, 0x00, 0x00, 0x15]);
    out.extend_from_slice(&[0x40, 0x01, 0x01, 0x00, 0x40, 0x02, 0x00]);
    out.extend_from_slice(&[0x40, 0x03, 0x04, 0x7f, 0x00, 0x00, 0x01]);
    out.extend_from_slice(&[0x40, 0x05, 0x04, 0x00, 0x00, 0x00, 0x64]);
    out.extend_from_slice(&[0x20, 0x00, 0x00, 0x00, 0x00]);
    out
}

/// A message of type 255, which no speaker knows.
pub fn unknown_message() -> Vec<u8> {
    let mut out = vec![0xff; 16];
    out.extend_from_slice(&[0, 19, 255]);
    out
}

/// The OPEN to answer `open` with: the same message with the BGP identifier's last octet
/// plus one, the ASN replaced by `asn` (field and four-octet capability) when given, and
/// capability 66 appended when asked.
pub fn mirror_open(open: &[u8], options: &Options) -> Result<Vec<u8>, String> {
    if open.len() < 29 || open.get(18) != Some(&1) {
        return Err(format!(
            "first message is not an OPEN: {}",
            hex_message(open)
        ));
    }
    let mut out = open.to_vec();
    out[27] = out[27].wrapping_add(1);
    if let Some(asn) = options.asn {
        let two = if asn > 0xffff { 23456 } else { asn as u16 };
        out[20..22].copy_from_slice(&two.to_be_bytes());
        let params_len = usize::from(out[28]);
        let mut at = 29;
        let end = (29 + params_len).min(out.len());
        while at + 2 <= end {
            let (kind, len) = (out[at], usize::from(out[at + 1]));
            if kind == 2 {
                let mut cap = at + 2;
                while cap + 2 <= at + 2 + len && cap + 2 <= end {
                    let (code, cap_len) = (out[cap], usize::from(out[cap + 1]));
                    if code == 65 && cap_len == 4 && cap + 6 <= end {
                        out[cap + 2..cap + 6].copy_from_slice(&asn.to_be_bytes());
                    }
                    cap += 2 + cap_len;
                }
            }
            at += 2 + len;
        }
    }
    if options.send_unknown_capability {
        let content = b"loremipsum";
        let mut param = vec![2, (content.len() + 2) as u8, 66, content.len() as u8];
        param.extend_from_slice(content);
        out[28] = out[28].wrapping_add(param.len() as u8);
        out.extend_from_slice(&param);
        let len = out.len() as u16;
        out[16..18].copy_from_slice(&len.to_be_bytes());
    }
    Ok(out)
}

/// Shared state of a run.
struct Shared {
    checker: Checker,
    outcome: Option<Outcome>,
}

/// Runs `script` until it passes, fails or times out.
pub fn run(script: &Script, config: &Config) -> io::Result<Outcome> {
    let addr: SocketAddr = if script.options.ipv6 {
        (Ipv6Addr::LOCALHOST, config.port).into()
    } else {
        (Ipv4Addr::LOCALHOST, config.port).into()
    };
    let listener = TcpListener::bind(addr)?;
    listener.set_nonblocking(true)?;
    println!("listening on {addr}");
    io::stdout().flush()?;

    let deadline = Instant::now() + config.timeout;
    let shared = Arc::new(Mutex::new(Shared {
        checker: Checker::new(script),
        outcome: None,
    }));
    let (done_tx, done_rx) = mpsc::channel::<()>();
    let mut connections = 0u32;
    loop {
        if let Some(outcome) = lock(&shared).outcome.clone() {
            return Ok(outcome);
        }
        if Instant::now() >= deadline {
            let remaining = lock(&shared).checker.remaining();
            return Ok(Outcome::Timeout(remaining));
        }
        match listener.accept() {
            Ok((stream, from)) => {
                connections += 1;
                println!("connection {connections} from {from}");
                let shared = Arc::clone(&shared);
                let options = script.options.clone();
                let config = config.clone();
                let done = done_tx.clone();
                thread::spawn(move || {
                    let result = serve(stream, &shared, &options, &config, deadline);
                    if let Err(err) = result {
                        println!("connection {connections} closed: {err}");
                    }
                    let _ = done.send(());
                });
            }
            Err(err) if err.kind() == io::ErrorKind::WouldBlock => {
                let _ = done_rx.recv_timeout(Duration::from_millis(50));
            }
            Err(err) => return Err(err),
        }
    }
}

fn lock(shared: &Mutex<Shared>) -> std::sync::MutexGuard<'_, Shared> {
    // A panicking connection thread must not hide the verdict of the others.
    shared
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reads whole messages from `stream` into `buf`, returning the next one.
fn next_message(
    stream: &mut TcpStream,
    buf: &mut Vec<u8>,
    deadline: Instant,
    shared: &Mutex<Shared>,
) -> io::Result<Option<Vec<u8>>> {
    loop {
        if buf.len() >= 19 {
            let len = usize::from(u16::from_be_bytes([buf[16], buf[17]]));
            if len < 19 {
                return Err(io::Error::new(
                    io::ErrorKind::InvalidData,
                    format!("bad length {len}"),
                ));
            }
            if buf.len() >= len {
                let rest = buf.split_off(len);
                return Ok(Some(std::mem::replace(buf, rest)));
            }
        }
        if Instant::now() >= deadline || lock(shared).outcome.is_some() {
            return Ok(None);
        }
        let mut chunk = [0u8; 65536];
        match stream.read(&mut chunk) {
            Ok(0) => {
                return Err(io::Error::new(
                    io::ErrorKind::UnexpectedEof,
                    "speaker closed the connection",
                ))
            }
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
            Err(err)
                if matches!(
                    err.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) => {}
            Err(err) => return Err(err),
        }
    }
}

fn perform(actions: Vec<Action>, stream: &mut TcpStream, config: &Config) -> io::Result<()> {
    for action in actions {
        match action {
            Action::Notification(text) => {
                println!("sending notification {text:?}");
                stream.write_all(&cease(&text))?;
            }
            Action::Signal(name) => {
                let Some(path) = &config.pid_file else {
                    return Err(io::Error::other(format!(
                        "signal {name} asked but no --pid-file given"
                    )));
                };
                let pid = std::fs::read_to_string(path)?.trim().to_string();
                println!("sending {name} to pid {pid}");
                let status = std::process::Command::new("kill")
                    .arg(format!("-{}", name.trim_start_matches("SIG")))
                    .arg(&pid)
                    .status()?;
                if !status.success() {
                    return Err(io::Error::other(format!("kill -{name} {pid} failed")));
                }
            }
        }
    }
    Ok(())
}

fn serve(
    mut stream: TcpStream,
    shared: &Mutex<Shared>,
    options: &Options,
    config: &Config,
    deadline: Instant,
) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(Duration::from_millis(100)))?;
    stream.set_nodelay(true)?;
    let mut buf = Vec::new();
    let Some(open) = next_message(&mut stream, &mut buf, deadline, shared)? else {
        return Ok(());
    };
    println!("open recv  {}", hex_message(&open));
    let reply = match mirror_open(&open, options) {
        Ok(reply) => reply,
        Err(report) => {
            lock(shared).outcome.get_or_insert(Outcome::Fail(report));
            return Ok(());
        }
    };
    if options.inspect_open {
        let verdict = lock(shared).checker.receive(&open);
        if let Verdict::Mismatch(report) = verdict {
            lock(shared)
                .outcome
                .get_or_insert(Outcome::Fail(format!("OPEN: {report}")));
            return Ok(());
        }
    }
    println!("open sent  {}", hex_message(&reply));
    stream.write_all(&reply)?;
    stream.write_all(&keepalive())?;
    let actions = lock(shared).checker.actions();
    perform(actions, &mut stream, config)?;
    if options.send_default_route {
        stream.write_all(&default_route())?;
    }
    if options.send_unknown_message {
        stream.write_all(&unknown_message())?;
    }
    if lock(shared).checker.completed() {
        lock(shared).outcome.get_or_insert(Outcome::Pass);
    }
    // UPDATEs received on this connection, replayed when the speaker asks for a refresh.
    let mut updates: Vec<Vec<u8>> = Vec::new();
    while let Some(message) = next_message(&mut stream, &mut buf, deadline, shared)? {
        if config.verbose || message.len() > 19 {
            println!("msg  recv  {}", hex_message(&message));
        }
        // ExaBGP's peer answers every message with a KEEPALIVE.
        stream.write_all(&keepalive())?;
        match message.get(18) {
            Some(2) if !is_eor(&message) => updates.push(message.clone()),
            Some(5) => {
                // A ROUTE-REFRESH asks for our routes again: the peer "has" what it was
                // sent, and sends it back.
                println!("replaying {} update(s)", updates.len());
                for update in &updates {
                    stream.write_all(update)?;
                }
                if options.send_default_route {
                    stream.write_all(&default_route())?;
                }
            }
            _ => {}
        }
        let (verdict, actions, completed) = {
            let mut state = lock(shared);
            let verdict = state.checker.receive(&message);
            let actions = state.checker.actions();
            (verdict, actions, state.checker.completed())
        };
        match verdict {
            Verdict::Mismatch(report) if message.get(18) == Some(&5) => {
                // An unexpected ROUTE-REFRESH is not an error of the speaker.
                println!("skipping route-refresh\n{report}");
            }
            Verdict::Mismatch(report) => {
                lock(shared).outcome.get_or_insert(Outcome::Fail(report));
                return Ok(());
            }
            Verdict::Matched | Verdict::Ignored => {}
        }
        perform(actions, &mut stream, config)?;
        if completed {
            lock(shared).outcome.get_or_insert(Outcome::Pass);
            return Ok(());
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::parse_hex;

    // conf-hostname.msg's OPEN (ExaBGP's bytes).
    const OPEN: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0055:01:04FFFD00B40A000002380206010400010001020641040000FFFD02020600022249200C6D792D686F73742D6E616D65126D792D646F6D61696E2D6E616D652E636F6D";

    #[test]
    fn mirrored_open_bumps_the_router_id() {
        let open = parse_hex(OPEN).unwrap();
        let reply = mirror_open(&open, &Options::default()).unwrap();
        assert_eq!(reply.len(), open.len());
        assert_eq!(&reply[24..28], &[10, 0, 0, 3]);
        assert_eq!(&reply[..24], &open[..24]);
        assert_eq!(&reply[28..], &open[28..]);
    }

    #[test]
    fn mirrored_open_takes_the_asn_option() {
        let open = parse_hex(OPEN).unwrap();
        let options = Options {
            asn: Some(65000),
            ..Options::default()
        };
        let reply = mirror_open(&open, &options).unwrap();
        assert_eq!(&reply[20..22], &65000u16.to_be_bytes());
        let hex = hex_message(&reply);
        assert!(hex.contains("41040000FDE8"), "{hex}");
    }

    #[test]
    fn unknown_capability_is_appended() {
        let open = parse_hex(OPEN).unwrap();
        let options = Options {
            send_unknown_capability: true,
            ..Options::default()
        };
        let reply = mirror_open(&open, &options).unwrap();
        assert_eq!(reply.len(), open.len() + 14);
        assert_eq!(
            usize::from(u16::from_be_bytes([reply[16], reply[17]])),
            reply.len()
        );
        assert_eq!(reply[28], open[28] + 14);
    }

    #[test]
    fn canned_messages_have_consistent_lengths() {
        for message in [
            keepalive(),
            cease("bye"),
            default_route(),
            unknown_message(),
        ] {
            assert_eq!(
                usize::from(u16::from_be_bytes([message[16], message[17]])),
                message.len()
            );
        }
    }

    #[test]
    fn rejects_a_non_open_first_message() {
        assert!(mirror_open(&keepalive(), &Options::default()).is_err());
    }
}
