//! A `tracing` writer to the local syslog socket (`/dev/log`, read by rsyslog and by
//! journald): one datagram per event, `<PRI>herald[PID]: message` (RFC 3164 without the
//! time and host, which the local daemon adds), the severity taken from the event's level
//! and the facility `daemon`.

use std::io::{self, Write};
use std::os::unix::net::UnixDatagram;
use std::sync::Arc;

use tracing::{Level, Metadata};
use tracing_subscriber::fmt::MakeWriter;

/// syslog's `daemon` facility.
const FACILITY_DAEMON: u8 = 3;

/// The connected socket, shared by every event.
#[derive(Debug, Clone)]
pub(crate) struct Syslog {
    socket: Arc<UnixDatagram>,
}

impl Syslog {
    /// Connects to `/dev/log`.
    pub(crate) fn connect() -> io::Result<Self> {
        let socket = UnixDatagram::unbound()?;
        socket.connect("/dev/log")?;
        Ok(Self {
            socket: Arc::new(socket),
        })
    }
}

/// The syslog severity of a tracing level.
pub(crate) fn severity(level: &Level) -> u8 {
    match *level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        Level::DEBUG | Level::TRACE => 7,
    }
}

/// One event being formatted; sent when dropped.
pub(crate) struct Event {
    socket: Arc<UnixDatagram>,
    priority: u8,
    buf: Vec<u8>,
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
        let text = String::from_utf8_lossy(&self.buf);
        let text = text.trim_end();
        if text.is_empty() {
            return;
        }
        let line = format!("<{}>herald[{}]: {text}", self.priority, std::process::id());
        // a full or absent syslog must never stop the daemon: the line is lost
        let _ = self.socket.send(line.as_bytes());
    }
}

impl<'a> MakeWriter<'a> for Syslog {
    type Writer = Event;

    fn make_writer(&'a self) -> Event {
        self.event(6)
    }

    fn make_writer_for(&'a self, meta: &Metadata<'_>) -> Event {
        self.event(severity(meta.level()))
    }
}

impl Syslog {
    fn event(&self, severity: u8) -> Event {
        Event {
            socket: self.socket.clone(),
            priority: FACILITY_DAEMON * 8 + severity,
            buf: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datagrams_carry_the_priority_and_the_line() {
        let (ours, theirs) = UnixDatagram::pair().unwrap();
        let syslog = Syslog {
            socket: Arc::new(ours),
        };
        {
            let mut event = syslog.event(severity(&Level::WARN));
            event.write_all(b"WARN reactor: peer down\n").unwrap();
        }
        let mut buf = [0u8; 256];
        let n = theirs.recv(&mut buf).unwrap();
        let got = String::from_utf8_lossy(&buf[..n]);
        assert_eq!(
            got,
            format!(
                "<28>herald[{}]: WARN reactor: peer down",
                std::process::id()
            )
        );
    }
}
