//! [`Speaker`]: the daemon as a library. `herald server` is a thin wrapper around it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use config::{Config, ConfigError, Env, Neighbor};
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::event::{PeerEvent, PeerHandle};
use crate::process::DEFAULT_QUEUE_BYTES;
use crate::signals::Signal;
use crate::supervisor::{ConfigLoader, PeerSpawner, Supervisor};

/// Settings of the runtime itself (the `exabgp.api.*` environment settings it honours).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `exabgp.api.ack`: answer `done`/`error` after each command (per-helper switches
    /// start from this).
    pub ack: bool,
    /// `exabgp.api.respawn`: restart dead helpers (when their `respawn` allows it).
    pub respawn: bool,
    /// `exabgp.api.terminate`: stop the daemon as soon as a helper dies.
    pub terminate: bool,
    /// `exabgp.api.compact`: IPv4/IPv6 unicast NLRI as plain strings in JSON.
    pub compact: bool,
    /// Byte limit of each helper's outbound queue (see [`crate::process::queue`]).
    pub queue_bytes: usize,
    /// Capacity of the channel from peer tasks to the supervisor.
    pub peer_event_capacity: usize,
}

impl Options {
    /// The options set by the `exabgp.api.*` environment settings.
    pub fn from_env(env: &Env) -> Self {
        Self {
            ack: env.api_ack(),
            respawn: env.api_respawn(),
            terminate: env.api_terminate(),
            compact: env.api_compact(),
            ..Self::default()
        }
    }
}

impl Default for Options {
    fn default() -> Self {
        Self {
            ack: true,
            respawn: true,
            terminate: false,
            compact: false,
            queue_bytes: DEFAULT_QUEUE_BYTES,
            peer_event_capacity: 4096,
        }
    }
}

/// A request to the running daemon.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Control {
    /// A Unix signal arrived (reported to helpers with `api { signal; }`, then acted on).
    Signal(Signal),
    /// Reload the configuration (like SIGUSR1).
    Reload,
    /// Restart every session and helper (like SIGALRM).
    Restart,
    /// Stop (like SIGTERM).
    Shutdown,
}

/// Why the daemon stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Asked to (signal, `shutdown` command, [`Speaker::shutdown`]).
    Normal,
    /// A helper died too often, or died with `api.terminate` set.
    HelperFailed,
}

impl Exit {
    /// The process exit code for it.
    pub fn code(self) -> i32 {
        match self {
            Self::Normal => 0,
            Self::HelperFailed => 1,
        }
    }
}

/// A running BGP speaker: helpers, peers, supervisor.
#[derive(Debug)]
pub struct Speaker {
    control: mpsc::UnboundedSender<Control>,
    task: JoinHandle<Exit>,
    /// The control socket served, removed when the daemon stops.
    socket: Option<PathBuf>,
    /// The address the metrics endpoint listens on.
    metrics: Option<SocketAddr>,
    /// Control socket, pipes and metrics tasks, ended with the daemon.
    servers: Vec<JoinHandle<()>>,
}

/// Sends control requests to a running [`Speaker`] from anywhere.
#[derive(Debug, Clone)]
pub struct SpeakerHandle {
    control: mpsc::UnboundedSender<Control>,
}

impl SpeakerHandle {
    /// Sends a control request (ignored once the speaker has stopped).
    pub fn control(&self, control: Control) {
        let _ = self.control.send(control);
    }
}

/// The parts a [`Speaker`] is built from, for embedding and tests.
pub struct Parts {
    /// The configuration to run.
    pub config: Config,
    /// Runtime settings.
    pub options: Options,
    /// Re-reads the configuration on reload; `None` makes reloads keep the running one.
    pub loader: Option<ConfigLoader>,
    /// Starts a peer task.
    pub spawner: PeerSpawner,
    /// Addresses to accept BGP connections on (empty: do not listen).
    pub listen: Vec<SocketAddr>,
    /// Settings of the peers started for the addresses of passive ranges.
    pub peer_settings: crate::peer::Settings,
    /// Serve the control socket at this path (see [`crate::control`]).
    pub control_socket: Option<PathBuf>,
    /// Serve ExaBGP's named pipes: the directory holding them and their base name.
    pub cli_pipes: Option<(PathBuf, String)>,
    /// Serve the Prometheus endpoint on this address (see [`crate::metrics`]).
    pub metrics: Option<SocketAddr>,
}

impl Parts {
    /// The parts of a daemon run from the environment settings: the `exabgp.api.*`
    /// options, peers started with [`crate::peer::spawn`], and listening on
    /// `exabgp.tcp.bind` × `exabgp.tcp.port` plus per-neighbor `listen` ports.
    pub fn from_env(config: Config, env: Arc<Env>, loader: Option<ConfigLoader>) -> Self {
        let listen =
            crate::listener::listen_addrs(&env.tcp_bind(), env.tcp_port(), &config.neighbors);
        let options = Options::from_env(&env);
        let peer_settings = crate::peer::Settings::from_env(&env);
        let spawner: PeerSpawner =
            Arc::new(move |neighbor, events| crate::peer::spawn(neighbor, env.clone(), events));
        Self {
            config,
            options,
            loader,
            spawner,
            listen,
            peer_settings,
            control_socket: None,
            cli_pipes: None,
            metrics: None,
        }
    }
}

impl Speaker {
    /// Starts a speaker from its parts (inside a tokio runtime) and returns at once; the
    /// daemon runs until [`Speaker::shutdown`], a signal forwarded by
    /// [`Speaker::forward_signals`], or the `shutdown` API command.
    pub fn start(parts: Parts) -> Self {
        let (control, control_rx) = mpsc::unbounded_channel();
        let (client_tx, client_rx) = mpsc::channel(256);
        let mut servers = Vec::new();
        let mut socket = None;
        if let Some(path) = &parts.control_socket {
            match crate::control::bind_socket(path) {
                Ok(listener) => {
                    tracing::info!(target: "daemon", "control socket {}", path.display());
                    servers.push(crate::control::serve_socket(listener, client_tx.clone()));
                    socket = Some(path.clone());
                }
                Err(e) => {
                    tracing::error!(target: "daemon", "control socket {}: {e}", path.display())
                }
            }
        }
        if let Some((dir, name)) = &parts.cli_pipes {
            match crate::control::serve_pipes(dir, name, client_tx.clone()) {
                Ok(task) => {
                    tracing::info!(target: "daemon", "named pipes for the cli: {}/{name}.in and .out", dir.display());
                    servers.push(task);
                }
                Err(e) => {
                    tracing::error!(target: "daemon", "named pipes {}/{name}.{{in,out}}: {e}", dir.display())
                }
            }
        }
        let mut metrics = None;
        if let Some(addr) = parts.metrics {
            match crate::metrics::serve(addr, client_tx.clone()) {
                Ok((task, local)) => {
                    tracing::info!(target: "daemon", "metrics on http://{local}/metrics");
                    servers.push(task);
                    metrics = Some(local);
                }
                Err(e) => tracing::error!(target: "daemon", "metrics endpoint {addr}: {e}"),
            }
        }
        drop(client_tx);
        let supervisor = Supervisor::new(
            parts.config,
            parts.options,
            parts.loader,
            parts.spawner,
            parts.listen,
            parts.peer_settings,
            crate::supervisor::Inputs {
                control: control_rx,
                clients: client_rx,
            },
        );
        let task = tokio::spawn(supervisor.run());
        Self {
            control,
            task,
            socket,
            metrics,
            servers,
        }
    }

    /// A spawner that runs the given function for every neighbor (for tests and embedders
    /// that bring their own peer implementation).
    pub fn spawner(
        f: impl Fn(Arc<Neighbor>, mpsc::Sender<PeerEvent>) -> PeerHandle + Send + Sync + 'static,
    ) -> PeerSpawner {
        Arc::new(f)
    }

    /// A loader from a function (typically `config::load` of the files given at start).
    pub fn loader(
        f: impl FnMut() -> Result<Config, Vec<ConfigError>> + Send + 'static,
    ) -> ConfigLoader {
        Box::new(f)
    }

    /// Forwards SIGTERM/SIGHUP/SIGINT/SIGUSR1/SIGUSR2/SIGALRM to this speaker.
    pub fn forward_signals(&self) -> std::io::Result<()> {
        crate::signals::forward(self.control.clone())
    }

    /// Asks the daemon to reload its configuration.
    pub fn reload(&self) {
        let _ = self.control.send(Control::Reload);
    }

    /// Asks the daemon to restart every session and helper.
    pub fn restart(&self) {
        let _ = self.control.send(Control::Restart);
    }

    /// Asks the daemon to stop.
    pub fn shutdown(&self) {
        let _ = self.control.send(Control::Shutdown);
    }

    /// Sends a control request.
    pub fn control(&self, control: Control) {
        let _ = self.control.send(control);
    }

    /// A cloneable handle that sends control requests to this speaker.
    pub fn handle(&self) -> SpeakerHandle {
        SpeakerHandle {
            control: self.control.clone(),
        }
    }

    /// The control socket this daemon serves, if any.
    pub fn control_socket(&self) -> Option<&std::path::Path> {
        self.socket.as_deref()
    }

    /// The address of the metrics endpoint, if it runs.
    pub fn metrics_addr(&self) -> Option<SocketAddr> {
        self.metrics
    }

    /// Waits until the daemon has stopped; then ends the control and metrics servers and
    /// removes the control socket.
    pub async fn wait(self) -> Exit {
        let exit = match self.task.await {
            Ok(exit) => exit,
            Err(e) => {
                tracing::error!(target: "reactor", "supervisor task failed: {e}");
                Exit::HelperFailed
            }
        };
        for server in &self.servers {
            server.abort();
        }
        if let Some(path) = &self.socket {
            let _ = std::fs::remove_file(path);
        }
        exit
    }
}
