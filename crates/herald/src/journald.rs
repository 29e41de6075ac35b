//! A `tracing` writer to journald in its native protocol (`systemd-journald.service(8)`,
//! "Native Journal Protocol"): one datagram per event to `/run/systemd/journal/socket`
//! (or the path in `HERALD_JOURNAL_SOCKET`), made of `KEY=value` lines — `MESSAGE` (the
//! event as printed, without time, level and target), `PRIORITY` (the syslog severity of
//! the level), `SYSLOG_IDENTIFIER=herald`, `SYSLOG_PID` and `TARGET` (the topic). A value
//! holding a newline is sent in the binary form: `KEY`, a newline, its length as a
//! little-endian 64-bit number, the value and a newline. An event that finds journald's
//! queue full for 50 ms, or that is larger than a datagram may be, is lost.

use std::io::{self, Write};
use std::os::unix::net::UnixDatagram;
use std::sync::Arc;
use std::time::Duration;

use tracing::Metadata;
use tracing_subscriber::fmt::MakeWriter;

use crate::syslog::severity;

/// journald's socket for native messages.
pub(crate) const SOCKET: &str = "/run/systemd/journal/socket";

/// How long an event may wait for room in journald's queue before it is dropped.
const SEND_LIMIT: Duration = Duration::from_millis(50);

/// The environment setting that replaces [`SOCKET`] (for tests).
pub(crate) const SOCKET_ENV: &str = "HERALD_JOURNAL_SOCKET";

/// The connected socket, shared by every event.
#[derive(Debug, Clone)]
pub(crate) struct Journald {
    socket: Arc<UnixDatagram>,
}

impl Journald {
    /// Connects to journald's socket, or to the one named by `HERALD_JOURNAL_SOCKET`;
    /// returns the path tried with the error.
    pub(crate) fn connect() -> Result<Self, (String, io::Error)> {
        let path = std::env::var(SOCKET_ENV)
            .ok()
            .filter(|p| !p.is_empty())
            .unwrap_or_else(|| SOCKET.to_owned());
        let socket = UnixDatagram::unbound().map_err(|e| (path.clone(), e))?;
        socket.connect(&path).map_err(|e| (path.clone(), e))?;
        // journald reads at once; a stalled one delays an event this much at most
        socket
            .set_write_timeout(Some(SEND_LIMIT))
            .map_err(|e| (path.clone(), e))?;
        Ok(Self {
            socket: Arc::new(socket),
        })
    }

    fn event(&self, priority: u8, target: &str) -> Event {
        Event {
            socket: self.socket.clone(),
            priority,
            target: target.to_owned(),
            buf: Vec::new(),
        }
    }
}

/// Appends one field: `KEY=value\n`, or the binary form when `value` holds a newline.
pub(crate) fn field(out: &mut Vec<u8>, key: &str, value: &[u8]) {
    out.extend_from_slice(key.as_bytes());
    if value.contains(&b'\n') {
        out.push(b'\n');
        out.extend_from_slice(&(value.len() as u64).to_le_bytes());
    } else {
        out.push(b'=');
    }
    out.extend_from_slice(value);
    out.push(b'\n');
}

/// One event being formatted; sent when dropped.
pub(crate) struct Event {
    socket: Arc<UnixDatagram>,
    priority: u8,
    target: String,
    buf: Vec<u8>,
}

impl Event {
    /// The datagram for the text written so far, `None` when it is empty.
    fn datagram(&self) -> Option<Vec<u8>> {
        let text = String::from_utf8_lossy(&self.buf);
        let text = text.trim_end();
        if text.is_empty() {
            return None;
        }
        let mut out = Vec::with_capacity(text.len() + 96);
        field(&mut out, "MESSAGE", text.as_bytes());
        field(&mut out, "PRIORITY", self.priority.to_string().as_bytes());
        field(&mut out, "SYSLOG_IDENTIFIER", b"herald");
        field(
            &mut out,
            "SYSLOG_PID",
            std::process::id().to_string().as_bytes(),
        );
        field(&mut out, "TARGET", self.target.as_bytes());
        Some(out)
    }
}

impl Write for Event {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(data);
        Ok(data.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Drop for Event {
    fn drop(&mut self) {
        if let Some(datagram) = self.datagram() {
            // a full or absent journal must never stop the daemon: the event is lost
            let _ = self.socket.send(&datagram);
        }
    }
}

impl<'a> MakeWriter<'a> for Journald {
    type Writer = Event;

    fn make_writer(&'a self) -> Event {
        self.event(6, "herald")
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Event {
        self.event(severity(meta.level()), meta.target())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn received(theirs: &UnixDatagram) -> Vec<u8> {
        let mut buf = [0u8; 512];
        let n = theirs.recv(&mut buf).unwrap();
        buf[..n].to_vec()
    }

    #[test]
    fn datagrams_carry_the_fields() {
        let (ours, theirs) = UnixDatagram::pair().unwrap();
        let journald = Journald {
            socket: Arc::new(ours),
        };
        {
            let mut event = journald.event(4, "reactor");
            event.write_all(b"peer down\n").unwrap();
        }
        let pid = std::process::id();
        assert_eq!(
            String::from_utf8(received(&theirs)).unwrap(),
            format!(
                "MESSAGE=peer down\nPRIORITY=4\nSYSLOG_IDENTIFIER=herald\n\
                 SYSLOG_PID={pid}\nTARGET=reactor\n"
            )
        );
    }

    #[test]
    fn a_value_with_a_newline_is_length_prefixed() {
        let mut out = Vec::new();
        field(&mut out, "MESSAGE", b"two\nlines");
        let mut want = b"MESSAGE\n".to_vec();
        want.extend_from_slice(&9u64.to_le_bytes());
        want.extend_from_slice(b"two\nlines\n");
        assert_eq!(out, want);
    }

    #[test]
    fn an_empty_event_sends_nothing() {
        let (ours, _theirs) = UnixDatagram::pair().unwrap();
        let journald = Journald {
            socket: Arc::new(ours),
        };
        assert!(journald.event(6, "reactor").datagram().is_none());
    }
}
