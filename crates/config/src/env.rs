//! The `exabgp.<section>.<key>` environment settings (spec §1.12), with ExaBGP's defaults
//! and lookup order, first hit wins:
//!
//! 1. the environment variable `exabgp.<section>.<key>`;
//! 2. the same with underscores, `exabgp_<section>_<key>`;
//! 3. the INI file (`--env-file`, else `$EXABGP_ENVFILE`, else
//!    `<root>/etc/exabgp/exabgp.env`), section `[exabgp.<section>]`;
//! 4. the built-in default.
//!
//! [`Env::list`] prints the settings like `exabgp env` (INI form, `-e` env form, `-d`
//! only what differs from the defaults).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::model::Encoder;

/// How a setting is read and written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// `1 yes on enable true` are true, anything else false; written lower case.
    Bool,
    /// An integer.
    Int,
    /// A float, written like Python (`1.0`).
    Real,
    /// A string, quotes stripped on read, written `'quoted'`.
    Str,
    /// A log level name, upper case.
    Level,
    /// `text` or `json`.
    Encoder,
    /// `v1` or `v2`.
    RoutesFormat,
    /// Space-separated IP addresses, written `'a b'`.
    IpList,
    /// Octal, written `'0o137'`.
    Umask,
}

struct Def {
    section: &'static str,
    key: &'static str,
    default: &'static str,
    kind: Kind,
}

const fn def(section: &'static str, key: &'static str, default: &'static str, kind: Kind) -> Def {
    Def {
        section,
        key,
        default,
        kind,
    }
}

/// Every setting, in ExaBGP's definition order (the order of `exabgp env -e`).
const DEFS: &[Def] = &[
    def("profile", "enable", "false", Kind::Bool),
    def("profile", "file", "", Kind::Str),
    def("pdb", "enable", "false", Kind::Bool),
    def("daemon", "pid", "", Kind::Str),
    def("daemon", "user", "nobody", Kind::Str),
    def("daemon", "daemonize", "false", Kind::Bool),
    def("daemon", "drop", "true", Kind::Bool),
    def("daemon", "umask", "0137", Kind::Umask),
    def("log", "enable", "true", Kind::Bool),
    def("log", "level", "INFO", Kind::Level),
    def("log", "destination", "stdout", Kind::Str),
    def("log", "all", "false", Kind::Bool),
    def("log", "configuration", "true", Kind::Bool),
    def("log", "reactor", "true", Kind::Bool),
    def("log", "daemon", "true", Kind::Bool),
    def("log", "processes", "true", Kind::Bool),
    def("log", "network", "true", Kind::Bool),
    def("log", "statistics", "true", Kind::Bool),
    def("log", "packets", "false", Kind::Bool),
    def("log", "rib", "false", Kind::Bool),
    def("log", "message", "false", Kind::Bool),
    def("log", "timers", "false", Kind::Bool),
    def("log", "routes", "false", Kind::Bool),
    def("log", "parser", "false", Kind::Bool),
    def("log", "short", "true", Kind::Bool),
    def("tcp", "once", "false", Kind::Bool),
    def("tcp", "attempts", "0", Kind::Int),
    def("tcp", "delay", "0", Kind::Int),
    def("tcp", "bind", "", Kind::IpList),
    def("tcp", "port", "179", Kind::Int),
    def("tcp", "acl", "", Kind::Bool),
    def("bgp", "passive", "false", Kind::Bool),
    def("bgp", "openwait", "60", Kind::Int),
    def("cache", "attributes", "true", Kind::Bool),
    def("cache", "nexthops", "true", Kind::Bool),
    def("api", "ack", "true", Kind::Bool),
    def("api", "chunk", "1", Kind::Int),
    def("api", "show-routes-format", "v1", Kind::RoutesFormat),
    def("api", "encoder", "json", Kind::Encoder),
    def("api", "compact", "false", Kind::Bool),
    def("api", "respawn", "true", Kind::Bool),
    def("api", "terminate", "false", Kind::Bool),
    def("api", "cli", "true", Kind::Bool),
    def("api", "pipename", "exabgp", Kind::Str),
    def("reactor", "speed", "1.0", Kind::Real),
    def("debug", "pdb", "false", Kind::Bool),
    def("debug", "memory", "false", Kind::Bool),
    def("debug", "configuration", "false", Kind::Bool),
    def("debug", "selfcheck", "false", Kind::Bool),
    def("debug", "route", "", Kind::Str),
    def("debug", "defensive", "false", Kind::Bool),
    def("debug", "rotate", "false", Kind::Bool),
];

const LEVELS: &[&str] = &[
    "FATAL", "CRITICAL", "ERROR", "WARNING", "INFO", "DEBUG", "NOTSET",
];

/// A setting's value.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    /// A boolean.
    Bool(bool),
    /// An integer.
    Int(i64),
    /// A float.
    Real(f64),
    /// A string (log level, encoder and format names included).
    Str(String),
    /// IP addresses.
    IpList(Vec<IpAddr>),
    /// A umask.
    Umask(u32),
}

/// A setting whose value could not be read.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("invalid value for {section}.{key} : {value}")]
pub struct EnvError {
    /// Section (`tcp`).
    pub section: String,
    /// Key (`port`).
    pub key: String,
    /// The value given.
    pub value: String,
}

fn unquote(s: &str) -> &str {
    s.trim().trim_matches(|c| c == '\'' || c == '"')
}

fn python_float(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 1e16 {
        format!("{v:.1}")
    } else {
        format!("{v}")
    }
}

fn read(kind: Kind, raw: &str) -> Option<Value> {
    Some(match kind {
        Kind::Bool => Value::Bool(matches!(
            raw.to_ascii_lowercase().as_str(),
            "1" | "yes" | "on" | "enable" | "true"
        )),
        Kind::Int => Value::Int(raw.trim().parse().ok()?),
        Kind::Real => Value::Real(raw.trim().parse().ok()?),
        Kind::Str => Value::Str(unquote(raw).to_owned()),
        Kind::Level => {
            let level = raw.to_ascii_uppercase();
            if !LEVELS.contains(&level.as_str()) {
                return None;
            }
            Value::Str(level)
        }
        Kind::Encoder => {
            let e = raw.to_ascii_lowercase();
            if e != "text" && e != "json" {
                return None;
            }
            Value::Str(e)
        }
        Kind::RoutesFormat => {
            let f = raw.to_ascii_lowercase();
            if f != "v1" && f != "v2" {
                return None;
            }
            Value::Str(f)
        }
        Kind::IpList => Value::IpList(
            unquote(raw)
                .split(' ')
                .filter(|s| !s.is_empty())
                .map(|s| s.parse().ok())
                .collect::<Option<Vec<IpAddr>>>()?,
        ),
        Kind::Umask => {
            Value::Umask(u32::from_str_radix(raw.trim().trim_start_matches("0o"), 8).ok()?)
        }
    })
}

fn write(value: &Value) -> String {
    match value {
        Value::Bool(b) => b.to_string(),
        Value::Int(i) => i.to_string(),
        Value::Real(r) => python_float(*r),
        Value::Str(s) => s.clone(),
        Value::IpList(ips) => {
            let joined: Vec<String> = ips.iter().map(IpAddr::to_string).collect();
            format!("'{}'", joined.join(" "))
        }
        Value::Umask(u) => format!("'0o{u:o}'"),
    }
}

fn write_kind(kind: Kind, value: &Value) -> String {
    match kind {
        Kind::Str => format!("'{}'", write(value)),
        _ => write(value),
    }
}

/// Parses an INI file into `(section, key) → value` (keys lower-cased, values unquoted,
/// `#` and `;` comment lines, `=` or `:` separators).
pub fn parse_ini(text: &str) -> HashMap<(String, String), String> {
    let mut out = HashMap::new();
    let mut section = String::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_owned();
            continue;
        }
        let split = line.find(['=', ':']);
        let (key, value) = match split {
            Some(i) => (line.get(..i).unwrap_or(""), line.get(i + 1..).unwrap_or("")),
            None => (line, ""),
        };
        out.insert(
            (section.clone(), key.trim().to_ascii_lowercase()),
            unquote(value).to_owned(),
        );
    }
    out
}

/// The environment settings.
#[derive(Debug, Clone, PartialEq)]
pub struct Env {
    values: Vec<Value>,
}

impl Default for Env {
    /// Every setting at its default.
    fn default() -> Self {
        Self::from_lookup(|_| None, None).unwrap_or(Self { values: Vec::new() })
    }
}

impl Env {
    /// Builds the settings from `lookup` (the environment variables: given a name, its
    /// value) and the INI file's text, if any.
    pub fn from_lookup(
        lookup: impl Fn(&str) -> Option<String>,
        ini: Option<&str>,
    ) -> Result<Self, EnvError> {
        let ini = ini.map(parse_ini).unwrap_or_default();
        let mut values = Vec::with_capacity(DEFS.len());
        for d in DEFS {
            let dotted = format!("exabgp.{}.{}", d.section, d.key);
            let underscored = dotted.replace('.', "_");
            let raw = lookup(&dotted)
                .or_else(|| lookup(&underscored))
                .or_else(|| {
                    ini.get(&(format!("exabgp.{}", d.section), d.key.to_owned()))
                        .cloned()
                })
                .unwrap_or_else(|| d.default.to_owned());
            let value = read(d.kind, &raw).ok_or_else(|| EnvError {
                section: d.section.into(),
                key: d.key.into(),
                value: raw.clone(),
            })?;
            values.push(value);
        }
        let mut env = Self { values };
        // tcp.connections is an alias of tcp.attempts; tcp.once (deprecated) means one
        // attempt when tcp.attempts was not set
        let either = |name: &str| {
            lookup(&format!("exabgp.tcp.{name}")).or_else(|| lookup(&format!("exabgp_tcp_{name}")))
        };
        let connections = either("connections").filter(|s| !s.is_empty());
        let once = either("once").filter(|s| !s.is_empty());
        let attempts = either("attempts").filter(|s| !s.is_empty());
        if let Some(c) = &connections {
            let n = c.trim().parse().map_err(|_| EnvError {
                section: "tcp".into(),
                key: "connections".into(),
                value: c.clone(),
            })?;
            env.set("tcp", "attempts", Value::Int(n));
        }
        if once.is_some() && attempts.is_none() && connections.is_none() {
            let n = i64::from(env.bool("tcp", "once"));
            env.set("tcp", "attempts", Value::Int(n));
        }
        Ok(env)
    }

    /// The settings of this process: its environment variables and the INI file
    /// `env_file`, else `$EXABGP_ENVFILE`, else [`default_env_file`] (a missing file is
    /// not an error).
    pub fn from_process(env_file: Option<&Path>) -> Result<Self, EnvError> {
        let path = env_file
            .map(Path::to_path_buf)
            .or_else(|| std::env::var_os("EXABGP_ENVFILE").map(PathBuf::from))
            .or_else(default_env_file);
        let ini = path.and_then(|p| std::fs::read_to_string(p).ok());
        Self::from_lookup(|name| std::env::var(name).ok(), ini.as_deref())
    }

    fn index(section: &str, key: &str) -> Option<usize> {
        DEFS.iter()
            .position(|d| d.section == section && d.key == key)
    }

    /// The value of `exabgp.<section>.<key>`, if it is a known setting.
    pub fn get(&self, section: &str, key: &str) -> Option<&Value> {
        Self::index(section, key).and_then(|i| self.values.get(i))
    }

    /// Overrides one setting (for `--env` style command-line switches and tests).
    pub fn set(&mut self, section: &str, key: &str, value: Value) {
        if let Some(slot) = Self::index(section, key).and_then(|i| self.values.get_mut(i)) {
            *slot = value;
        }
    }

    /// A boolean setting (false when unknown or not a boolean).
    pub fn bool(&self, section: &str, key: &str) -> bool {
        matches!(self.get(section, key), Some(Value::Bool(true)))
    }

    /// An integer setting (0 when unknown or not an integer).
    pub fn int(&self, section: &str, key: &str) -> i64 {
        match self.get(section, key) {
            Some(Value::Int(i)) => *i,
            _ => 0,
        }
    }

    /// A string setting (empty when unknown or not a string).
    pub fn str(&self, section: &str, key: &str) -> &str {
        match self.get(section, key) {
            Some(Value::Str(s)) => s,
            _ => "",
        }
    }

    /// `exabgp.tcp.port`: listen port and default connect port.
    pub fn tcp_port(&self) -> u16 {
        u16::try_from(self.int("tcp", "port")).unwrap_or(179)
    }

    /// `exabgp.tcp.bind`: addresses to listen on; empty means do not listen.
    pub fn tcp_bind(&self) -> Vec<IpAddr> {
        match self.get("tcp", "bind") {
            Some(Value::IpList(ips)) => ips.clone(),
            _ => Vec::new(),
        }
    }

    /// `exabgp.tcp.attempts`: connection attempts per peer, 0 = unlimited.
    pub fn tcp_attempts(&self) -> u32 {
        u32::try_from(self.int("tcp", "attempts")).unwrap_or(0)
    }

    /// `exabgp.tcp.delay`: start announcing when minute-of-hour mod N == 0.
    pub fn tcp_delay(&self) -> u32 {
        u32::try_from(self.int("tcp", "delay")).unwrap_or(0)
    }

    /// `exabgp.api.ack`.
    pub fn api_ack(&self) -> bool {
        self.bool("api", "ack")
    }

    /// `exabgp.api.encoder`.
    pub fn api_encoder(&self) -> Encoder {
        if self.str("api", "encoder") == "text" {
            Encoder::Text
        } else {
            Encoder::Json
        }
    }

    /// `exabgp.api.respawn`.
    pub fn api_respawn(&self) -> bool {
        self.bool("api", "respawn")
    }

    /// `exabgp.api.terminate`.
    pub fn api_terminate(&self) -> bool {
        self.bool("api", "terminate")
    }

    /// `exabgp.api.cli`.
    pub fn api_cli(&self) -> bool {
        self.bool("api", "cli")
    }

    /// `exabgp.api.pipename`.
    pub fn api_pipename(&self) -> &str {
        self.str("api", "pipename")
    }

    /// `exabgp.api.compact`.
    pub fn api_compact(&self) -> bool {
        self.bool("api", "compact")
    }

    /// `exabgp.api.chunk`.
    pub fn api_chunk(&self) -> i64 {
        self.int("api", "chunk")
    }

    /// `exabgp.api.show-routes-format` (`v1` or `v2`).
    pub fn api_show_routes_format(&self) -> &str {
        self.str("api", "show-routes-format")
    }

    /// `exabgp.bgp.passive`.
    pub fn bgp_passive(&self) -> bool {
        self.bool("bgp", "passive")
    }

    /// `exabgp.bgp.openwait` in seconds.
    pub fn bgp_openwait(&self) -> u32 {
        u32::try_from(self.int("bgp", "openwait")).unwrap_or(60)
    }

    /// `exabgp.log.enable`.
    pub fn log_enable(&self) -> bool {
        self.bool("log", "enable")
    }

    /// `exabgp.log.level` (upper-case name).
    pub fn log_level(&self) -> &str {
        self.str("log", "level")
    }

    /// `exabgp.log.destination`.
    pub fn log_destination(&self) -> &str {
        self.str("log", "destination")
    }

    /// `exabgp.log.short`.
    pub fn log_short(&self) -> bool {
        self.bool("log", "short")
    }

    /// A per-topic log switch (`configuration`, `reactor`, `packets` …), or `log.all`.
    pub fn log_topic(&self, topic: &str) -> bool {
        self.bool("log", "all") || self.bool("log", topic)
    }

    /// `exabgp.daemon.pid`.
    pub fn daemon_pid(&self) -> &str {
        self.str("daemon", "pid")
    }

    /// `exabgp.daemon.user`.
    pub fn daemon_user(&self) -> &str {
        self.str("daemon", "user")
    }

    /// `exabgp.daemon.daemonize`.
    pub fn daemon_daemonize(&self) -> bool {
        self.bool("daemon", "daemonize")
    }

    /// `exabgp.daemon.drop`.
    pub fn daemon_drop(&self) -> bool {
        self.bool("daemon", "drop")
    }

    /// `exabgp.daemon.umask`.
    pub fn daemon_umask(&self) -> u32 {
        match self.get("daemon", "umask") {
            Some(Value::Umask(u)) => *u,
            _ => 0o137,
        }
    }

    /// `exabgp.reactor.speed`.
    pub fn reactor_speed(&self) -> f64 {
        match self.get("reactor", "speed") {
            Some(Value::Real(r)) => *r,
            _ => 1.0,
        }
    }

    /// The settings as `exabgp env` prints them: INI form (`[exabgp.<section>]` then
    /// `key = value`, sorted), or with `env_form` the `exabgp.<section>.<key>=value`
    /// lines in definition order; `diff` keeps only values that differ from the
    /// defaults. `debug.*` is never listed. Each line ends with a newline.
    pub fn list(&self, env_form: bool, diff: bool) -> String {
        let defaults = Self::from_lookup(|_| None, None).ok();
        let differs = |i: usize| {
            let default = defaults.as_ref().and_then(|d| d.values.get(i));
            !diff || default != self.values.get(i)
        };
        let mut out = String::new();
        let shown = |d: &Def| d.section != "debug";
        if env_form {
            for (i, d) in DEFS.iter().enumerate().filter(|(_, d)| shown(d)) {
                if let (true, Some(v)) = (differs(i), self.values.get(i)) {
                    let _ = writeln!(
                        out,
                        "exabgp.{}.{}={}",
                        d.section,
                        d.key,
                        write_kind(d.kind, v)
                    );
                }
            }
            return out;
        }
        let mut order: Vec<usize> = (0..DEFS.len())
            .filter(|i| DEFS.get(*i).is_some_and(shown))
            .collect();
        order.sort_by_key(|i| DEFS.get(*i).map(|d| (d.section, d.key)));
        let mut current = "";
        for i in order {
            let (Some(d), Some(v)) = (DEFS.get(i), self.values.get(i)) else {
                continue;
            };
            if !differs(i) {
                continue;
            }
            if d.section != current {
                current = d.section;
                let _ = write!(out, "\n[exabgp.{}]\n", d.section);
            }
            let _ = writeln!(out, "{} = {}", d.key, write_kind(d.kind, v));
        }
        out
    }
}

/// `<root>/etc/exabgp/exabgp.env` where `<root>` is `$EXABGP_ROOT`, else the directory of
/// the executable (its parent when that is a `bin` or `sbin` directory).
pub fn default_env_file() -> Option<PathBuf> {
    let root = match std::env::var_os("EXABGP_ROOT") {
        Some(r) if !r.is_empty() => PathBuf::from(r),
        _ => {
            let exe = std::env::current_exe().ok()?;
            let dir = exe.parent()?.to_path_buf();
            if dir.ends_with("bin") || dir.ends_with("sbin") {
                dir.parent()?.to_path_buf()
            } else {
                dir
            }
        }
    };
    Some(root.join("etc").join("exabgp").join("exabgp.env"))
}

#[cfg(test)]
mod tests;
