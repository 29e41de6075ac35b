//! The command line, after `exabgp`'s 5.x subcommands (spec §5).

use std::ffi::OsString;
use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

/// Herald: a BGP speaker for applications, drop-in compatible with ExaBGP 5.
///
/// `herald CONFIG…` runs the daemon like `herald server CONFIG…`.
#[derive(Debug, Parser)]
#[command(name = "herald", version, args_conflicts_with_subcommands = true)]
pub(crate) struct Cli {
    /// The subcommand; without one, the arguments are configuration files to run.
    #[command(subcommand)]
    pub(crate) command: Option<Command>,
    /// Configuration files to run (same as `herald server CONFIG…`).
    #[arg(value_name = "CONFIG")]
    pub(crate) configs: Vec<PathBuf>,
    /// An INI file with `exabgp.*` settings (also `EXABGP_ENVFILE`).
    #[arg(long = "env-file", global = true, value_name = "FILE")]
    pub(crate) env_file: Option<PathBuf>,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Run the BGP daemon with these configuration files.
    Server(ServerArgs),
    /// Check configuration files; print every error as file:line:col and exit 1.
    Validate(ValidateArgs),
    /// Print the `exabgp.*` environment settings.
    Env(EnvArgs),
    /// Print the version.
    Version,
    /// Decode a BGP message given in hex and print ExaBGP's JSON for it.
    Decode(DecodeArgs),
    /// Print the UPDATE messages (hex) that API commands make, as a session would send them.
    Encode(EncodeArgs),
    /// Send a command to the running daemon and print the answer (like `exabgp cli`);
    /// without a command, an interactive prompt.
    Cli(CliArgs),
    /// Run a check command and print announce/withdraw commands for a `process`, with the
    /// options of `exabgp healthcheck`.
    #[command(disable_help_flag = true)]
    Healthcheck(HealthcheckArgs),
    /// Print a shell completion script (bash, zsh, fish, elvish, powershell).
    Completions(CompletionsArgs),
    /// Print the manual page (roff; `herald man | man -l -`).
    Man,
}

/// `herald completions`.
#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum, value_name = "SHELL")]
    pub(crate) shell: clap_complete::Shell,
}

/// `herald server`.
#[derive(Debug, Args)]
pub(crate) struct ServerArgs {
    /// Log everything at debug level.
    #[arg(short, long)]
    pub(crate) verbose: bool,
    /// Debug mode (implies -v).
    #[arg(short, long)]
    pub(crate) debug: bool,
    /// Send ourselves SIGUSR1 (reload) after this many seconds.
    #[arg(short, long, value_name = "SECONDS")]
    pub(crate) signal: Option<u64>,
    /// Only one connection attempt per peer.
    #[arg(short = '1', long)]
    pub(crate) once: bool,
    /// Only accept incoming connections (every peer passive).
    #[arg(short = 'P', long)]
    pub(crate) passive: bool,
    /// Serve Prometheus metrics on ADDR:PORT at /metrics (also `HERALD_METRICS`).
    #[arg(long, value_name = "ADDR:PORT")]
    pub(crate) metrics: Option<std::net::SocketAddr>,
    /// Log line format.
    #[arg(long = "log-format", value_enum, default_value_t = LogFormat::Text)]
    pub(crate) log_format: LogFormat,
    /// Configuration files.
    #[arg(required = true, value_name = "CONFIG")]
    pub(crate) configs: Vec<PathBuf>,
}

/// How log lines are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub(crate) enum LogFormat {
    /// Human-readable lines.
    Text,
    /// One JSON object per line.
    Json,
}

/// `herald cli`.
#[derive(Debug, Args)]
pub(crate) struct CliArgs {
    /// Use ExaBGP's named pipes NAME.in / NAME.out (default name: exabgp.api.pipename).
    #[arg(long, value_name = "NAME")]
    pub(crate) pipename: Option<String>,
    /// The daemon's control socket (default: HERALD_SOCKET, else the per-user path).
    #[arg(long, value_name = "PATH", conflicts_with = "pipename")]
    pub(crate) socket: Option<PathBuf>,
    /// Ask `show` commands for JSON.
    #[arg(long)]
    pub(crate) json: bool,
    /// Seconds to wait for an answer.
    #[arg(long, default_value_t = 5.0, value_name = "SECONDS")]
    pub(crate) timeout: f64,
    /// The command; ExaBGP's abbreviations are expanded (`s a o e`). None: interactive.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        value_name = "COMMAND"
    )]
    pub(crate) command: Vec<String>,
}

/// `herald validate`.
#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// Print the neighbors parsed.
    #[arg(short, long)]
    pub(crate) neighbor: bool,
    /// Print the routes parsed.
    #[arg(short, long)]
    pub(crate) route: bool,
    /// Be verbose.
    #[arg(short, long)]
    pub(crate) verbose: bool,
    /// Configuration files.
    #[arg(required = true, value_name = "CONFIG")]
    pub(crate) configs: Vec<PathBuf>,
}

/// `herald env`.
#[derive(Debug, Args)]
pub(crate) struct EnvArgs {
    /// Only the settings that differ from the defaults.
    #[arg(short, long)]
    pub(crate) diff: bool,
    /// Environment-variable form instead of INI.
    #[arg(short, long)]
    pub(crate) env: bool,
}

/// `herald encode`.
#[derive(Debug, Args)]
pub(crate) struct EncodeArgs {
    /// Our AS.
    #[arg(long, default_value_t = 65533, value_name = "ASN")]
    pub(crate) local_as: u32,
    /// The peer's AS (iBGP when equal to --local-as).
    #[arg(long, default_value_t = 65533, value_name = "ASN")]
    pub(crate) peer_as: u32,
    /// Two-octet AS numbers (no four-octet ASN capability, RFC 6793).
    #[arg(long)]
    pub(crate) no_asn4: bool,
    /// ADD-PATH path identifiers (RFC 7911) for every family.
    #[arg(short = 'i', long = "path-information")]
    pub(crate) path_information: bool,
    /// Extended messages (RFC 8654): UPDATEs up to 65535 octets.
    #[arg(long)]
    pub(crate) extended_message: bool,
    /// One prefix per UPDATE (ExaBGP's `group-updates false`).
    #[arg(long)]
    pub(crate) no_group_updates: bool,
    /// The session's local address, used for `next-hop self`.
    #[arg(long, default_value = "127.0.0.1", value_name = "IP")]
    pub(crate) local_address: std::net::IpAddr,
    /// One API command (`announce route …`, `withdraw route …`, `announce attributes …`);
    /// `-` reads commands from standard input, one per line, applied as one batch.
    #[arg(required = true, num_args = 1.., value_name = "COMMAND")]
    pub(crate) command: Vec<String>,
}

/// `herald decode`.
#[derive(Debug, Args)]
pub(crate) struct DecodeArgs {
    /// The data is only the NLRI.
    #[arg(short, long)]
    pub(crate) nlri: bool,
    /// The data is an UPDATE message (the default).
    #[arg(short, long)]
    pub(crate) update: bool,
    /// The data is an OPEN message.
    #[arg(short, long)]
    pub(crate) open: bool,
    /// The family expected, like "ipv4 unicast".
    #[arg(short, long, value_name = "AFI SAFI")]
    pub(crate) family: Option<String>,
    /// Decode ADD-PATH path identifiers.
    #[arg(short = 'i', long = "path-information")]
    pub(crate) path_information: bool,
    /// Decode as each neighbor of this configuration would (its families, capabilities
    /// and addresses), once per neighbor; `--family` is then ignored, as by ExaBGP.
    #[arg(short = 'c', long, value_name = "FILE")]
    pub(crate) configuration: Option<std::path::PathBuf>,
    /// The message in hex (colons and spaces are ignored; the marker is optional).
    #[arg(required = true, num_args = 1.., value_name = "HEX")]
    pub(crate) payload: Vec<String>,
}

/// `herald healthcheck`: recognised before this parser runs (see
/// `cmd::healthcheck::intercept`); declared here for the help listing.
#[derive(Debug, Args)]
pub(crate) struct HealthcheckArgs {
    /// The health checker's options, passed on untouched.
    #[arg(
        trailing_var_arg = true,
        allow_hyphen_values = true,
        num_args = 0..,
        value_name = "OPTIONS"
    )]
    pub(crate) args: Vec<OsString>,
}
