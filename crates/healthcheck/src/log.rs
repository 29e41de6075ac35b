//! Log lines the way ExaBGP's healthcheck writes them: `LEVEL[healthcheck] message` on
//! stderr (stdout carries the API commands), and `healthcheck[-NAME][PID]: message` to
//! the local syslog socket (RFC 3164 framing, `<PRI>` = facility × 8 + severity).
//!
//! It is a `tracing` layer installed for the current thread only, so that `herald`
//! can call [`crate::main_with_args`] whatever global subscriber it has.

use std::fmt::Write as _;
use std::os::unix::net::UnixDatagram;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};

use crate::options::Logging;

/// The local syslog socket on Linux.
const SYSLOG_SOCKET: &str = "/dev/log";

/// The destinations of log lines.
#[derive(Debug)]
pub struct Sinks {
    debug: bool,
    console: bool,
    syslog: Option<Syslog>,
}

#[derive(Debug)]
struct Syslog {
    socket: UnixDatagram,
    facility: u8,
    tag: String,
    path: PathBuf,
    /// Set after the first failed send, which is reported once on stderr.
    failed: AtomicBool,
}

impl Sinks {
    /// The sinks `logging` asks for.
    pub fn new(logging: &Logging) -> Self {
        let syslog = logging.syslog.and_then(|facility| {
            let socket = UnixDatagram::unbound().ok()?;
            let tag = match &logging.name {
                Some(name) => format!("healthcheck-{name}"),
                None => "healthcheck".to_owned(),
            };
            Some(Syslog {
                socket,
                facility,
                tag,
                path: PathBuf::from(SYSLOG_SOCKET),
                failed: AtomicBool::new(false),
            })
        });
        Self {
            debug: logging.debug,
            console: logging.console,
            syslog,
        }
    }

    fn write(&self, level: Level, message: &str) {
        if self.console {
            eprintln!("{}[healthcheck] {message}", level_name(level));
        }
        if let Some(syslog) = &self.syslog {
            let line = format!(
                "<{}>{}[{}]: {message}",
                u32::from(syslog.facility) * 8 + severity(level),
                syslog.tag,
                std::process::id()
            );
            if let Err(e) = syslog.socket.send_to(line.as_bytes(), &syslog.path) {
                if !syslog.failed.swap(true, Ordering::Relaxed) && self.console {
                    eprintln!(
                        "WARNING[healthcheck] cannot log to syslog ({}: {e})",
                        syslog.path.display()
                    );
                }
            }
        }
    }
}

impl<S: Subscriber> Layer<S> for Sinks {
    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let meta = event.metadata();
        if !meta.target().starts_with("healthcheck") {
            return;
        }
        if *meta.level() == Level::DEBUG && !self.debug || *meta.level() == Level::TRACE {
            return;
        }
        let mut message = Message(String::new());
        event.record(&mut message);
        self.write(*meta.level(), &message.0);
    }
}

/// Python's level names.
fn level_name(level: Level) -> &'static str {
    match level {
        Level::ERROR => "ERROR",
        Level::WARN => "WARNING",
        Level::INFO => "INFO",
        Level::DEBUG | Level::TRACE => "DEBUG",
    }
}

/// RFC 5424 §6.2.1 severities.
fn severity(level: Level) -> u32 {
    match level {
        Level::ERROR => 3,
        Level::WARN => 4,
        Level::INFO => 6,
        Level::DEBUG | Level::TRACE => 7,
    }
}

/// Collects an event's message and any other fields as `name=value`.
struct Message(String);

impl Visit for Message {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        if field.name() == "message" {
            let _ = write!(self.0, "{value:?}");
        } else {
            let _ = write!(self.0, " {}={value:?}", field.name());
        }
    }

    fn record_str(&mut self, field: &Field, value: &str) {
        if field.name() == "message" {
            self.0.push_str(value);
        } else {
            let _ = write!(self.0, " {}={value}", field.name());
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_severities() {
        assert_eq!(level_name(Level::WARN), "WARNING");
        assert_eq!(severity(Level::ERROR), 3);
        assert_eq!(severity(Level::INFO), 6);
    }

    #[test]
    fn syslog_datagrams_carry_priority_tag_and_pid() {
        let dir = std::env::temp_dir().join(format!("herald-hc-log-{}", std::process::id()));
        let _ = std::fs::create_dir_all(&dir);
        let path = dir.join("log.sock");
        let _ = std::fs::remove_file(&path);
        let server = UnixDatagram::bind(&path).unwrap();
        let sinks = Sinks {
            debug: false,
            console: false,
            syslog: Some(Syslog {
                socket: UnixDatagram::unbound().unwrap(),
                facility: 16,
                tag: "healthcheck-web".into(),
                path,
                failed: AtomicBool::new(false),
            }),
        };
        sinks.write(Level::WARN, "hello");
        let mut buf = [0u8; 128];
        let n = server.recv(&mut buf).unwrap();
        let expected = format!("<132>healthcheck-web[{}]: hello", std::process::id());
        assert_eq!(String::from_utf8_lossy(&buf[..n]), expected);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
