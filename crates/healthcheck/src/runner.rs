//! The main loop: check, step the state machine, run hooks, print commands, wait for
//! the daemon's replies, sleep; and the EXIT path on SIGTERM or SIGINT.
//!
//! Replies: after each command line a line is read from stdin (the daemon answers
//! `done` or `error`), unless `--no-ack` is given or stdout is a terminal (someone runs
//! the checker by hand), exactly when ExaBGP reads them. The reply's text is only
//! logged. Stdin is read by a thread of its own, so a signal is handled even while a
//! reply is awaited; on EXIT each reply is awaited at most [`EXIT_REPLY_LIMIT`].

use std::io::{IsTerminal, Write};
use std::time::Duration;

use ipnet::IpNet;
use tokio::signal::unix::{signal, Signal, SignalKind};
use tokio::sync::mpsc;

use crate::addresses::{hosts, on_loopback, Addresses, Selection};
use crate::check;
use crate::command::plan;
use crate::netlink::Netlink;
use crate::options::Options;
use crate::state::{pause, Machine, Pause, State};
use crate::sys;

/// How long a reply is awaited while exiting (ExaBGP waits forever).
pub const EXIT_REPLY_LIMIT: Duration = Duration::from_secs(5);

/// A fatal error before or during the loop (exit code 1).
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    /// No `--ip` and nothing on lo.
    #[error("No IP found")]
    NoIp,
    /// Addresses could not be read or set up.
    #[error("{0}")]
    Addresses(#[from] crate::addresses::AddressError),
    /// `--user` / `--group` failed.
    #[error("{0}")]
    Privileges(String),
    /// The PID file could not be written, or signals not installed.
    #[error("{0}")]
    Io(#[from] std::io::Error),
}

/// Runs the checker until a signal (exit code 0), `--interval 0` (0), or a fatal error.
pub async fn run(mut options: Options) -> Result<(), RunError> {
    if let Some(mut file) = options.pid.take() {
        writeln!(file, "{}", std::process::id())?;
    }
    let mut term = signal(SignalKind::terminate())?;
    let mut int = signal(SignalKind::interrupt())?;

    let selection = Selection {
        label: options.label.clone(),
        exact: options.label_exact_match,
    };
    let mut netlink = Netlink::open().map_err(crate::addresses::AddressError::from)?;
    // Addresses found on lo belong to the operator: they are advertised, never removed.
    let given = !options.ips.is_empty();
    let networks = if given {
        options.ips.clone()
    } else {
        on_loopback(&mut netlink, &selection)?
    };
    if networks.is_empty() {
        return Err(RunError::NoIp);
    }
    let mut addresses = if given && (options.ip_setup || options.dynamic) {
        Some(Addresses::new(
            netlink,
            &networks,
            &options.ip_ifnames,
            selection,
            options.sudo,
        )?)
    } else {
        None
    };
    if options.ip_setup {
        if let Some(a) = addresses.as_mut() {
            a.setup()?;
        }
    }
    sys::drop_privileges(options.user.as_deref(), options.group.as_deref())
        .map_err(RunError::Privileges)?;

    let mut prefixes = if options.deaggregate {
        let mut all = Vec::new();
        for net in &networks {
            all.extend(hosts(net)?);
        }
        all
    } else {
        networks
    };
    rotate(&mut prefixes, options.start_ip);

    let mut runner = Runner {
        replies: Replies::new(options.no_ack),
        options,
        prefixes,
        addresses,
    };
    runner.main_loop(&mut term, &mut int).await;
    Ok(())
}

/// `--start-ip N`: the list starts at its N-th element (Python's `deque.rotate(-N)`).
pub fn rotate(prefixes: &mut [IpNet], start: i64) {
    let Ok(len) = i64::try_from(prefixes.len()) else {
        return;
    };
    if len == 0 {
        return;
    }
    let by = usize::try_from(start.rem_euclid(len)).unwrap_or(0);
    prefixes.rotate_left(by);
}

struct Runner {
    options: Options,
    prefixes: Vec<IpNet>,
    addresses: Option<Addresses>,
    replies: Replies,
}

/// Why the loop stopped.
enum Stop {
    Signal,
    End,
    /// stdout is closed: the daemon is gone.
    Pipe(std::io::Error),
}

impl Runner {
    async fn main_loop(&mut self, term: &mut Signal, int: &mut Signal) {
        let stop = tokio::select! {
            stop = self.iterate() => stop,
            _ = term.recv() => Stop::Signal,
            _ = int.recv() => Stop::Signal,
        };
        match stop {
            Stop::End => {}
            Stop::Signal => {
                self.replies.limit = Some(EXIT_REPLY_LIMIT);
                if let Err(e) = self.announce(State::Exit).await {
                    tracing::error!("cannot write to the daemon: {e}");
                    self.remove_on_exit();
                }
            }
            Stop::Pipe(e) => {
                tracing::error!("cannot write to the daemon: {e}");
                self.remove_on_exit();
            }
        }
    }

    async fn iterate(&mut self) -> Stop {
        let mut machine = Machine::new(self.options.rise, self.options.fall);
        loop {
            let disabled = self.options.disable.as_ref().is_some_and(|p| p.exists());
            let healthy = match (&self.options.command, disabled) {
                (Some(command), false) => check::run(command, self.options.timeout).await.healthy(),
                _ => true,
            };
            let step = machine.step(disabled, healthy);
            if let Some(entered) = step.entered {
                tracing::debug!("Transition to {entered}");
                self.hooks(entered).await;
            }
            if step.announce(self.options.debounce) {
                if let Err(e) = self.announce(step.state).await {
                    return Stop::Pipe(e);
                }
            }
            let seconds = match pause(step.state, self.options.interval == 0.0) {
                Pause::Fast => self.options.fast_interval,
                Pause::Interval => self.options.interval,
                Pause::End => {
                    tracing::info!("interval set to zero, exiting after the announcement");
                    return Stop::End;
                }
            };
            tokio::time::sleep(Duration::from_secs_f64(seconds)).await;
        }
    }

    async fn hooks(&self, state: State) {
        let specific = match state {
            State::Up => self.options.up_execute.as_slice(),
            State::Down => self.options.down_execute.as_slice(),
            State::Disabled => self.options.disabled_execute.as_slice(),
            _ => &[],
        };
        let all: Vec<&String> = specific.iter().chain(&self.options.execute).collect();
        check::execute(&all, state.name()).await;
    }

    /// Prints the commands of `target` with the address changes around them.
    async fn announce(&mut self, target: State) -> std::io::Result<()> {
        let plan = plan(
            &self.options.advertise,
            target,
            &self.prefixes,
            self.options.ip_setup,
            self.options.dynamic,
        );
        if !target.announces() {
            return Ok(());
        }
        if plan.setup_before {
            tracing::info!("service up, restoring loopback and ip-ifname ips");
            if let Some(Err(e)) = self.addresses.as_mut().map(Addresses::setup) {
                tracing::error!("cannot restore the addresses: {e}");
            }
        }
        tracing::info!("send announces for {target} state to ExaBGP");
        let mut stdout = std::io::stdout().lock();
        for line in &plan.lines {
            tracing::debug!("exabgp: {line}");
            writeln!(stdout, "{line}")?;
            stdout.flush()?;
            self.replies.wait().await;
        }
        drop(stdout);
        if plan.remove_after {
            if target == State::Exit {
                tracing::info!("exiting, deleting setup ips");
            } else {
                tracing::info!("service down, deleting setup ips");
            }
            if let Some(a) = self.addresses.as_mut() {
                a.remove();
            }
        }
        Ok(())
    }

    /// The address clean-up of EXIT, when the commands could not be printed.
    fn remove_on_exit(&mut self) {
        if self.options.ip_setup || self.options.dynamic {
            if let Some(a) = self.addresses.as_mut() {
                a.remove();
            }
        }
    }
}

/// The daemon's reply lines, read by a thread (absent when replies are not awaited).
struct Replies {
    lines: Option<mpsc::UnboundedReceiver<String>>,
    limit: Option<Duration>,
}

impl Replies {
    fn new(no_ack: bool) -> Self {
        if no_ack || std::io::stdout().is_terminal() {
            return Self {
                lines: None,
                limit: None,
            };
        }
        let (tx, rx) = mpsc::unbounded_channel();
        let spawned = std::thread::Builder::new()
            .name("healthcheck-stdin".into())
            .spawn(move || {
                for line in std::io::stdin().lines() {
                    let Ok(line) = line else { break };
                    if tx.send(line).is_err() {
                        break;
                    }
                }
            });
        if let Err(e) = spawned {
            tracing::error!("cannot read replies from stdin: {e}");
        }
        Self {
            lines: Some(rx),
            limit: None,
        }
    }

    /// Waits for one reply (returns at once at end of input, like `readline`).
    async fn wait(&mut self) {
        let Some(lines) = self.lines.as_mut() else {
            return;
        };
        let reply = match self.limit {
            None => lines.recv().await,
            Some(limit) => match tokio::time::timeout(limit, lines.recv()).await {
                Ok(reply) => reply,
                Err(_) => {
                    tracing::warn!("no reply from the daemon within {limit:?}");
                    return;
                }
            },
        };
        match reply {
            Some(reply) if reply.trim() == "done" => tracing::debug!("daemon replied done"),
            Some(reply) => tracing::warn!("daemon replied {reply:?}"),
            None => tracing::debug!("no reply: stdin is closed"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rotation_follows_python_deque() {
        let base: Vec<IpNet> = ["10.0.0.1/32", "10.0.0.2/32", "10.0.0.3/32"]
            .iter()
            .map(|s| s.parse().unwrap())
            .collect();
        let first = |start: i64| {
            let mut v = base.clone();
            rotate(&mut v, start);
            v[0].to_string()
        };
        assert_eq!(first(0), "10.0.0.1/32");
        assert_eq!(first(1), "10.0.0.2/32");
        assert_eq!(first(4), "10.0.0.2/32");
        assert_eq!(first(-1), "10.0.0.3/32");
        let mut empty: Vec<IpNet> = Vec::new();
        rotate(&mut empty, 3);
    }
}
