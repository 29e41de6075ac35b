//! Logging: `tracing` events printed as human lines, with ExaBGP's `exabgp.log.*` switches.
//!
//! ExaBGP's per-topic switches become tracing targets: `exabgp.log.processes=false` turns
//! off target `processes`, and so on for `configuration`, `reactor`, `daemon`, `network`,
//! `statistics` (on by default) and `packets`, `rib`, `message`, `timers`, `routes`,
//! `parser` (off by default, at debug level when on). `log.all` enables every topic;
//! `log.level` (syslog names: DEBUG, INFO, NOTICE, WARNING, ERR, CRIT …) is the threshold;
//! `log.destination` is `stdout` (default), `stderr`, `syslog` (the local `/dev/log`,
//! which journald also reads), `journald` (journald's native protocol, the topic in field
//! `TARGET`: see [`crate::journald`]), or a file name (`file:<path>` too); `host:<addr>`
//! falls back to stderr. `log.enable=false` silences all. `herald server --log-format json` writes
//! one JSON object per event, its fields at the top level (`timestamp`, `level`,
//! `target` = the topic, `message`, and the event's own fields such as `peer`, `process`),
//! which log shippers take as they are.

use std::fs::OpenOptions;
use std::sync::Mutex;

use tracing::level_filters::LevelFilter;
use tracing_subscriber::filter::Targets;
use tracing_subscriber::fmt::writer::BoxMakeWriter;
use tracing_subscriber::prelude::*;
use tracing_subscriber::Layer;

/// Topics on unless switched off.
const DEFAULT_ON: [&str; 6] = [
    "configuration",
    "reactor",
    "daemon",
    "processes",
    "network",
    "statistics",
];

/// Topics off unless switched on.
const DEFAULT_OFF: [&str; 6] = ["packets", "rib", "message", "timers", "routes", "parser"];

/// The logging switches, read from the environment settings.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct LogSettings {
    /// `log.enable`.
    pub(crate) enable: bool,
    /// `log.level`.
    pub(crate) level: String,
    /// `log.destination`.
    pub(crate) destination: String,
    /// `log.all`.
    pub(crate) all: bool,
    /// Per-topic switches that differ from the defaults: (topic, on).
    pub(crate) topics: Vec<(String, bool)>,
}

impl Default for LogSettings {
    fn default() -> Self {
        Self {
            enable: true,
            level: "INFO".into(),
            destination: "stdout".into(),
            all: false,
            topics: Vec::new(),
        }
    }
}

impl LogSettings {
    /// Reads `exabgp.log.*` from the environment settings.
    pub(crate) fn from_env(env: &config::Env) -> Self {
        Self {
            enable: env.log_enable(),
            level: env.log_level().to_owned(),
            destination: env.log_destination().to_owned(),
            all: env.bool("log", "all"),
            topics: DEFAULT_ON
                .iter()
                .chain(DEFAULT_OFF.iter())
                .map(|t| ((*t).to_owned(), env.bool("log", t)))
                .collect(),
        }
    }

    /// Raises everything to debug (`herald server -v/-d`).
    pub(crate) fn verbose(&mut self) {
        self.all = true;
        self.level = "DEBUG".into();
    }

    fn threshold(&self) -> LevelFilter {
        match self.level.to_ascii_uppercase().as_str() {
            "DEBUG" => LevelFilter::DEBUG,
            "INFO" | "NOTICE" => LevelFilter::INFO,
            "WARNING" | "WARN" => LevelFilter::WARN,
            "ERR" | "ERROR" | "CRIT" | "CRITICAL" | "ALERT" | "EMERG" | "FATAL" => {
                LevelFilter::ERROR
            }
            _ => LevelFilter::INFO,
        }
    }

    /// The per-target filter these switches describe.
    pub(crate) fn targets(&self) -> Targets {
        if !self.enable {
            return Targets::new().with_default(LevelFilter::OFF);
        }
        let level = self.threshold();
        let mut targets = Targets::new().with_default(level);
        for topic in DEFAULT_ON {
            let on = self.all || self.topic(topic).unwrap_or(true);
            targets = targets.with_target(topic, if on { level } else { LevelFilter::OFF });
        }
        for topic in DEFAULT_OFF {
            let on = self.all || self.topic(topic).unwrap_or(false);
            targets = targets.with_target(
                topic,
                if on {
                    level.max(LevelFilter::DEBUG)
                } else {
                    LevelFilter::OFF
                },
            );
        }
        targets
    }

    fn topic(&self, name: &str) -> Option<bool> {
        self.topics
            .iter()
            .rev()
            .find(|(t, _)| t == name)
            .map(|(_, on)| *on)
    }
}

/// Installs the global subscriber: human lines, or one JSON object per line with `json`.
pub(crate) fn init(settings: &LogSettings, json: bool) {
    let targets = settings.targets();
    let destination = settings.destination.as_str();
    let file = destination.strip_prefix("file:").unwrap_or(destination);
    let writer = match destination {
        "stdout" | "" => BoxMakeWriter::new(std::io::stdout),
        "stderr" => BoxMakeWriter::new(std::io::stderr),
        "syslog" => match crate::syslog::Syslog::connect() {
            Ok(syslog) => BoxMakeWriter::new(syslog),
            Err(e) => {
                eprintln!("could not reach syslog (/dev/log): {e}; logging to stderr");
                BoxMakeWriter::new(std::io::stderr)
            }
        },
        "journald" => match crate::journald::Journald::connect() {
            Ok(journald) => BoxMakeWriter::new(journald),
            Err((path, e)) => {
                eprintln!("could not reach journald ({path}): {e}; logging to stderr");
                BoxMakeWriter::new(std::io::stderr)
            }
        },
        d if d.starts_with("host:") => {
            eprintln!("log destination {d} is not supported, logging to stderr");
            BoxMakeWriter::new(std::io::stderr)
        }
        _ => match OpenOptions::new().create(true).append(true).open(file) {
            Ok(f) => BoxMakeWriter::new(Mutex::new(f)),
            Err(e) => {
                eprintln!("could not open log file {file}: {e}; logging to stderr");
                BoxMakeWriter::new(std::io::stderr)
            }
        },
    };
    // syslog stamps its own time and host; journald its time and gets the level and the
    // target as fields of their own
    let timed = destination != "syslog" && destination != "journald";
    let journald = destination == "journald";
    let layer = tracing_subscriber::fmt::layer()
        .with_target(!journald)
        .with_level(!journald)
        .with_ansi(false)
        .with_writer(writer);
    let layer: Box<dyn Layer<_> + Send + Sync> = match (json, timed) {
        (true, _) => Box::new(layer.json().flatten_event(true).with_filter(targets)),
        (false, true) => Box::new(layer.with_filter(targets)),
        (false, false) => Box::new(layer.without_time().with_filter(targets)),
    };
    if let Err(e) = tracing_subscriber::registry().with(layer).try_init() {
        eprintln!("logging already initialised: {e}");
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(vars: &[(&str, &str)]) -> LogSettings {
        let env = config::Env::from_lookup(
            |name| {
                vars.iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            },
            None,
        )
        .unwrap();
        LogSettings::from_env(&env)
    }

    #[test]
    fn switches_map_to_targets() {
        let targets = settings(&[
            ("exabgp.log.processes", "false"),
            ("exabgp_log_packets", "true"),
            ("exabgp.log.level", "WARNING"),
        ])
        .targets();
        assert!(!targets.would_enable("processes", &tracing::Level::ERROR));
        assert!(targets.would_enable("packets", &tracing::Level::DEBUG));
        assert!(targets.would_enable("reactor", &tracing::Level::WARN));
        assert!(!targets.would_enable("reactor", &tracing::Level::INFO));
        assert!(!targets.would_enable("rib", &tracing::Level::ERROR));
    }

    #[test]
    fn disabled_logging_is_silent() {
        let targets = settings(&[("exabgp.log.enable", "false")]).targets();
        assert!(!targets.would_enable("reactor", &tracing::Level::ERROR));
    }

    #[test]
    fn log_all_enables_every_topic() {
        let targets = settings(&[("exabgp.log.all", "true")]).targets();
        assert!(targets.would_enable("rib", &tracing::Level::INFO));
    }
}
