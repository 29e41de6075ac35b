//! Unix signals, mapped to daemon actions as ExaBGP 5 does (spec §5):
//!
//! | signal | action |
//! |---|---|
//! | SIGTERM, SIGHUP, SIGINT | shutdown: Cease NOTIFICATION to every peer, `shutdown` to helpers |
//! | SIGUSR1 | reload: diff neighbors and routes, keep helpers (start new, stop removed) |
//! | SIGUSR2 | full reload: the same, but every helper is restarted |
//! | SIGALRM | restart: every session and helper restarted |
//!
//! Signals are reported to helpers whose neighbor has `api { signal; }` before the action.

use tokio::signal::unix::{signal, SignalKind};
use tokio::sync::mpsc;

use crate::Control;

/// A signal the daemon acts on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Signal {
    /// SIGTERM.
    Term,
    /// SIGHUP (shutdown, not reload, as in ExaBGP 5).
    Hup,
    /// SIGINT (Ctrl-C).
    Int,
    /// SIGUSR1.
    Usr1,
    /// SIGUSR2.
    Usr2,
    /// SIGALRM.
    Alrm,
}

impl Signal {
    /// Every signal handled.
    pub const ALL: [Self; 6] = [
        Self::Term,
        Self::Hup,
        Self::Int,
        Self::Usr1,
        Self::Usr2,
        Self::Alrm,
    ];

    /// The signal's name (`SIGTERM`), as in ExaBGP's `signal` event.
    pub fn name(self) -> &'static str {
        match self {
            Self::Term => "SIGTERM",
            Self::Hup => "SIGHUP",
            Self::Int => "SIGINT",
            Self::Usr1 => "SIGUSR1",
            Self::Usr2 => "SIGUSR2",
            Self::Alrm => "SIGALRM",
        }
    }

    /// The signal number on Linux, as in ExaBGP's `signal` event (`"code": "15"`).
    pub fn number(self) -> i32 {
        match self {
            Self::Term => libc::SIGTERM,
            Self::Hup => libc::SIGHUP,
            Self::Int => libc::SIGINT,
            Self::Usr1 => libc::SIGUSR1,
            Self::Usr2 => libc::SIGUSR2,
            Self::Alrm => libc::SIGALRM,
        }
    }

    fn kind(self) -> SignalKind {
        SignalKind::from_raw(self.number())
    }
}

/// Installs the handlers (signals arriving from now on are queued) and forwards each
/// signal to `control` until it is closed. Must be called inside a tokio runtime.
pub fn forward(control: mpsc::UnboundedSender<Control>) -> std::io::Result<()> {
    for sig in Signal::ALL {
        let mut stream = signal(sig.kind())?;
        let control = control.clone();
        tokio::spawn(async move {
            while stream.recv().await.is_some() {
                if control.send(Control::Signal(sig)).is_err() {
                    return;
                }
            }
        });
    }
    Ok(())
}
