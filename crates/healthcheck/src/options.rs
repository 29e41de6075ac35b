//! The command line of `herald healthcheck`: ExaBGP 5.0.15's option names (long, short
//! and the argparse-style `-sF`), defaults and checks, plus the `--config` file.
//!
//! As with argparse, a long option may be shortened to any unambiguous prefix
//! (`--inter 2`), a repeated single-valued option keeps its last value, and a bad option
//! prints the usage and a one-line reason on stderr and exits with code 2.
//!
//! `--config FILE` holds one long option per line, `name = value` or a bare `name` for a
//! flag, `#` starting a comment line. Its options come first and the command line's
//! after, so the command line overrides the file (and repeatable options accumulate).

use std::ffi::OsString;
use std::fs::File;
use std::net::IpAddr;
use std::path::PathBuf;

use clap::error::ErrorKind;
use clap::{CommandFactory, Parser};
use ipnet::IpNet;

use crate::command::{Advertise, Neighbor};

/// The program name printed in the usage line.
const NAME: &str = "herald healthcheck";

/// The raw options, as clap parses them (see [`Options`] for the checked form).
#[derive(Debug, Parser)]
#[command(
    name = NAME,
    about = "Health checker for anycast service addresses: runs a check command and prints \
             ExaBGP API announce/withdraw commands for the daemon (same options as \
             `exabgp healthcheck`).",
    args_override_self = true,
    infer_long_args = true,
    disable_version_flag = true
)]
struct Args {
    /// don't log to console
    #[arg(long, short = 's', conflicts_with_all = ["syslog_facility", "no_syslog"])]
    silent: bool,
    /// log to syslog using FACILITY, default FACILITY is daemon (short form: -sF)
    #[arg(long, value_name = "FACILITY", num_args = 0..=1, default_missing_value = "daemon",
          conflicts_with = "no_syslog")]
    syslog_facility: Option<String>,
    /// disable syslog logging
    #[arg(long)]
    no_syslog: bool,
    /// enable debugging
    #[arg(long, short = 'd')]
    debug: bool,
    /// set for exabgp 3.4 or 4.x when exabgp.api.ack=false
    #[arg(long, short = 'a')]
    no_ack: bool,
    /// use sudo to setup ip addresses
    #[arg(long)]
    sudo: bool,
    /// name for this healthchecker
    #[arg(long, short = 'n', value_name = "NAME")]
    name: Option<String>,
    /// read configuration from a file
    #[arg(long, short = 'F', value_name = "FILE")]
    config: Option<PathBuf>,
    /// write PID to the provided file
    #[arg(long, short = 'p', value_name = "FILE")]
    pid: Option<PathBuf>,
    /// set user after setting ip addresses
    #[arg(long, value_name = "USER")]
    user: Option<String>,
    /// set group after setting ip addresses
    #[arg(long, value_name = "GROUP")]
    group: Option<String>,

    /// wait N seconds between each healthcheck (zero to exit after first announcement)
    #[arg(long, short = 'i', value_name = "N", default_value = "5", value_parser = seconds,
          help_heading = "checking healthiness")]
    interval: f64,
    /// when a state change is about to occur, wait N seconds between each healthcheck
    #[arg(long, short = 'f', value_name = "N", default_value = "1", value_parser = seconds,
          help_heading = "checking healthiness")]
    fast_interval: f64,
    /// wait N seconds for the check command to execute
    #[arg(long, short = 't', value_name = "N", default_value = "5",
          value_parser = clap::value_parser!(u32), help_heading = "checking healthiness")]
    timeout: u32,
    /// check N times before considering the service up
    #[arg(
        long,
        value_name = "N",
        default_value = "3",
        allow_negative_numbers = true,
        help_heading = "checking healthiness"
    )]
    rise: i64,
    /// check N times before considering the service down
    #[arg(
        long,
        value_name = "N",
        default_value = "3",
        allow_negative_numbers = true,
        help_heading = "checking healthiness"
    )]
    fall: i64,
    /// if FILE exists, the service is considered disabled
    #[arg(long, value_name = "FILE", help_heading = "checking healthiness")]
    disable: Option<PathBuf>,
    /// command to use for healthcheck
    #[arg(
        long = "command",
        visible_alias = "cmd",
        short = 'c',
        value_name = "CMD",
        help_heading = "checking healthiness"
    )]
    command: Option<String>,

    /// self IP address to use as next hop
    #[arg(
        long,
        short = 'N',
        value_name = "IP",
        help_heading = "advertising options"
    )]
    next_hop: Option<IpAddr>,
    /// advertise this IP address or network (CIDR notation)
    #[arg(long = "ip", value_name = "IP", value_parser = network,
          help_heading = "advertising options")]
    ips: Vec<IpNet>,
    /// bind this IP address or network (CIDR) to the given physical or logical interface
    /// (i.e. 192.165.14.1%eth0)
    #[arg(
        long = "ip-ifname",
        value_name = "IP%IFNAME",
        help_heading = "advertising options"
    )]
    ip_ifnames: Vec<String>,
    /// advertise with local preference P
    #[arg(
        long,
        value_name = "P",
        default_value = "-1",
        allow_negative_numbers = true,
        help_heading = "advertising options"
    )]
    local_preference: i64,
    /// Deaggregate Networks specified in --ip
    #[arg(long, help_heading = "advertising options")]
    deaggregate_networks: bool,
    /// don't setup missing IP addresses
    #[arg(long, help_heading = "advertising options")]
    no_ip_setup: bool,
    /// delete setup ips on state down and disabled, then restore them when up
    #[arg(long, help_heading = "advertising options")]
    dynamic_ip_setup: bool,
    /// use the provided label to match setup ip addresses
    #[arg(long, help_heading = "advertising options")]
    label: Option<String>,
    /// use the provided label to exactly match setup ip addresses, not a prefix match
    #[arg(long, help_heading = "advertising options")]
    label_exact_match: bool,
    /// index of the first IP in the list of IP addresses
    #[arg(
        long,
        value_name = "N",
        default_value = "0",
        allow_negative_numbers = true,
        help_heading = "advertising options"
    )]
    start_ip: i64,
    /// first IP get the metric M when the service is up
    #[arg(
        long,
        value_name = "M",
        default_value = "100",
        allow_negative_numbers = true,
        help_heading = "advertising options"
    )]
    up_metric: i64,
    /// first IP get the metric M when the service is down
    #[arg(
        long,
        value_name = "M",
        default_value = "1000",
        allow_negative_numbers = true,
        help_heading = "advertising options"
    )]
    down_metric: i64,
    /// first IP get the metric M when the service is disabled
    #[arg(
        long,
        value_name = "M",
        default_value = "500",
        allow_negative_numbers = true,
        help_heading = "advertising options"
    )]
    disabled_metric: i64,
    /// for each additional IP address, increase metric value by M
    #[arg(
        long,
        value_name = "M",
        default_value = "1",
        allow_negative_numbers = true,
        help_heading = "advertising options"
    )]
    increase: i64,
    /// announce IPs with the supplied community
    #[arg(long, value_name = "COMMUNITY", value_parser = attribute,
          help_heading = "advertising options")]
    community: Option<String>,
    /// announce IPs with the supplied extended community
    #[arg(long, value_name = "EXTENDEDCOMMUNITY", value_parser = attribute,
          help_heading = "advertising options")]
    extended_community: Option<String>,
    /// announce IPs with the supplied large community
    #[arg(long, value_name = "LARGECOMMUNITY", value_parser = attribute,
          help_heading = "advertising options")]
    large_community: Option<String>,
    /// announce IPs with the supplied community when disabled
    #[arg(long, value_name = "DISABLEDCOMMUNITY", value_parser = attribute,
          help_heading = "advertising options")]
    disabled_community: Option<String>,
    /// announce IPs with the supplied as-path
    #[arg(long, value_name = "ASPATH", value_parser = attribute,
          help_heading = "advertising options")]
    as_path: Option<String>,
    /// announce IPs with the supplied as-path when the service is up
    #[arg(long, value_name = "ASPATH", value_parser = attribute,
          help_heading = "advertising options")]
    up_as_path: Option<String>,
    /// announce IPs with the supplied as-path when the service is down
    #[arg(long, value_name = "ASPATH", value_parser = attribute,
          help_heading = "advertising options")]
    down_as_path: Option<String>,
    /// announce IPs with the supplied as-path when the service is disabled
    #[arg(long, value_name = "ASPATH", value_parser = attribute,
          help_heading = "advertising options")]
    disabled_as_path: Option<String>,
    /// Instead of increasing the metric on health failure, withdraw the route
    #[arg(long, help_heading = "advertising options")]
    withdraw_on_down: bool,
    /// path ID to advertise for the route
    #[arg(
        long,
        value_name = "PATHID",
        allow_negative_numbers = true,
        help_heading = "advertising options"
    )]
    path_id: Option<i64>,
    /// advertise the route to the selected neighbors (* for all)
    #[arg(long = "neighbor", value_name = "NEIGHBOR", value_parser = neighbor,
          help_heading = "advertising options")]
    neighbors: Vec<Neighbor>,
    /// announce only on state changes, instead of every iteration
    #[arg(long, help_heading = "advertising options")]
    debounce: bool,

    /// execute CMD on state change
    #[arg(long, value_name = "CMD", help_heading = "reporting")]
    execute: Vec<String>,
    /// execute CMD when the service becomes available
    #[arg(long, value_name = "CMD", help_heading = "reporting")]
    up_execute: Vec<String>,
    /// execute CMD when the service becomes unavailable
    #[arg(long, value_name = "CMD", help_heading = "reporting")]
    down_execute: Vec<String>,
    /// execute CMD when the service is disabled
    #[arg(long, value_name = "CMD", help_heading = "reporting")]
    disabled_execute: Vec<String>,
}

/// Where log lines go.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logging {
    /// `--debug`: debug messages too (and no syslog, as in ExaBGP).
    pub debug: bool,
    /// Log lines on stderr (not `--silent`).
    pub console: bool,
    /// The syslog facility code (`--syslog-facility`, `daemon` by default), or `None`
    /// with `--no-syslog` or `--debug`.
    pub syslog: Option<u8>,
    /// `--name`: the syslog tag is `healthcheck-NAME`.
    pub name: Option<String>,
}

/// The checked options.
#[derive(Debug)]
pub struct Options {
    /// Log destinations.
    pub logging: Logging,
    /// Do not read a reply line after each command (`--no-ack`).
    pub no_ack: bool,
    /// `--sudo`: change addresses with `sudo ip address …` instead of netlink.
    pub sudo: bool,
    /// The PID file, already created (ExaBGP opens it while parsing).
    pub pid: Option<File>,
    /// `--user`.
    pub user: Option<String>,
    /// `--group`.
    pub group: Option<String>,
    /// `--interval` in seconds (0: stop after the first announcement).
    pub interval: f64,
    /// `--fast-interval` in seconds.
    pub fast_interval: f64,
    /// `--timeout` in seconds (0: none).
    pub timeout: u32,
    /// `--rise`.
    pub rise: i64,
    /// `--fall`.
    pub fall: i64,
    /// `--disable`.
    pub disable: Option<PathBuf>,
    /// `--command` (no command: always healthy).
    pub command: Option<String>,
    /// `--ip` networks, in order (empty: the addresses found on lo).
    pub ips: Vec<IpNet>,
    /// `--ip-ifname`: the interface of a `--ip` network, when not lo.
    pub ip_ifnames: Vec<(IpNet, String)>,
    /// `--deaggregate-networks`.
    pub deaggregate: bool,
    /// Set up missing addresses (not `--no-ip-setup`).
    pub ip_setup: bool,
    /// `--dynamic-ip-setup`.
    pub dynamic: bool,
    /// `--label`.
    pub label: Option<String>,
    /// `--label-exact-match`.
    pub label_exact_match: bool,
    /// `--start-ip`.
    pub start_ip: i64,
    /// What the command lines carry.
    pub advertise: Advertise,
    /// `--debounce`.
    pub debounce: bool,
    /// `--execute`.
    pub execute: Vec<String>,
    /// `--up-execute`.
    pub up_execute: Vec<String>,
    /// `--down-execute`.
    pub down_execute: Vec<String>,
    /// `--disabled-execute`.
    pub disabled_execute: Vec<String>,
}

/// Why the options were refused, or that help was asked for.
#[derive(Debug)]
pub struct Refused(clap::Error);

impl Refused {
    /// Prints the usage and reason (or the help) and returns the exit code: 2 for an
    /// error, 0 for `--help`.
    pub fn report(&self) -> i32 {
        if self.0.use_stderr() {
            eprint!("{}", self.message());
        } else {
            let _ = self.0.print();
        }
        self.0.exit_code()
    }

    /// The message, as printed: for an error, always with the usage line (clap leaves it
    /// out of some value errors; argparse prints it for every error).
    pub fn message(&self) -> String {
        let text = self.0.render().to_string();
        if !self.0.use_stderr() || text.contains("Usage:") {
            return text;
        }
        let usage = Args::command().render_usage().to_string();
        format!("{usage}\n\n{text}")
    }
}

/// Parses the options (without the program name), reading `--config` if given.
pub fn parse(args: Vec<OsString>) -> Result<Options, Refused> {
    let args = spell_out(args);
    let first = parse_raw(args.clone())?;
    let Some(config) = &first.config else {
        return check(first);
    };
    let text = std::fs::read_to_string(config).map_err(|e| {
        usage_error(
            ErrorKind::Io,
            format!(
                "argument --config/-F: can't open '{}': {e}",
                config.display()
            ),
        )
    })?;
    let mut all = config_args(&text);
    all.extend(args);
    check(parse_raw(all)?)
}

/// The arguments a configuration file stands for: `--name value` per line.
pub fn config_args(text: &str) -> Vec<OsString> {
    let mut out = Vec::new();
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let option = format!("--{line}");
        match option.split_once('=') {
            Some((name, value)) => {
                out.push(name.trim().into());
                out.push(value.trim().into());
            }
            None => out.push(option.trim().into()),
        }
    }
    out
}

/// argparse accepts the multi-letter single-dash option `-sF`; clap does not, so it is
/// spelled out before parsing.
fn spell_out(args: Vec<OsString>) -> Vec<OsString> {
    args.into_iter()
        .map(|a| {
            if a == "-sF" {
                "--syslog-facility".into()
            } else {
                a
            }
        })
        .collect()
}

fn parse_raw(args: Vec<OsString>) -> Result<Args, Refused> {
    let argv = std::iter::once(OsString::from(NAME)).chain(args);
    Args::try_parse_from(argv).map_err(Refused)
}

fn usage_error(kind: ErrorKind, message: String) -> Refused {
    Refused(Args::command().error(kind, message))
}

/// Checks what clap cannot check alone and builds [`Options`].
fn check(args: Args) -> Result<Options, Refused> {
    let invalid = |m: String| usage_error(ErrorKind::ValueValidation, m);
    let mut ip_ifnames = Vec::new();
    for value in &args.ip_ifnames {
        ip_ifnames.push(ip_ifname(value, &args.ips).map_err(invalid)?);
    }
    let syslog = match &args.syslog_facility {
        _ if args.no_syslog || args.debug => None,
        None => Some(facility("daemon").unwrap_or(3)),
        Some(name) => Some(facility(name).ok_or_else(|| {
            invalid(format!(
                "argument --syslog-facility/-sF: unknown facility '{name}'"
            ))
        })?),
    };
    let pid = match &args.pid {
        None => None,
        Some(path) => Some(File::create(path).map_err(|e| {
            usage_error(
                ErrorKind::Io,
                format!("argument --pid/-p: can't open '{}': {e}", path.display()),
            )
        })?),
    };
    Ok(Options {
        logging: Logging {
            debug: args.debug,
            console: !args.silent,
            syslog,
            name: args.name,
        },
        no_ack: args.no_ack,
        sudo: args.sudo,
        pid,
        user: args.user,
        group: args.group,
        interval: args.interval,
        fast_interval: args.fast_interval,
        timeout: args.timeout,
        rise: args.rise,
        fall: args.fall,
        disable: args.disable,
        command: args.command,
        ips: args.ips,
        ip_ifnames,
        deaggregate: args.deaggregate_networks,
        ip_setup: !args.no_ip_setup,
        dynamic: args.dynamic_ip_setup,
        label: args.label,
        label_exact_match: args.label_exact_match,
        start_ip: args.start_ip,
        advertise: Advertise {
            neighbors: args.neighbors,
            next_hop: args.next_hop,
            up_metric: args.up_metric.into(),
            down_metric: args.down_metric.into(),
            disabled_metric: args.disabled_metric.into(),
            increase: args.increase.into(),
            local_preference: args.local_preference.into(),
            community: args.community,
            disabled_community: args.disabled_community,
            extended_community: args.extended_community,
            large_community: args.large_community,
            as_path: args.as_path,
            up_as_path: args.up_as_path,
            down_as_path: args.down_as_path,
            disabled_as_path: args.disabled_as_path,
            withdraw_on_down: args.withdraw_on_down,
            path_id: args.path_id.map(i128::from),
        },
        debounce: args.debounce,
        execute: args.execute,
        up_execute: args.up_execute,
        down_execute: args.down_execute,
        disabled_execute: args.disabled_execute,
    })
}

/// A network in CIDR notation (a bare address is a host network); host bits must be
/// clear, as for Python's `ip_network`.
fn network(value: &str) -> Result<IpNet, String> {
    let net: IpNet = match value.parse() {
        Ok(net) => net,
        Err(_) => value
            .parse::<IpAddr>()
            .map(IpNet::from)
            .map_err(|_| format!("'{value}' does not appear to be an IPv4 or IPv6 network"))?,
    };
    if net.trunc() != net {
        return Err(format!("'{value}' has host bits set"));
    }
    Ok(net)
}

/// Seconds: a finite, non-negative number.
fn seconds(value: &str) -> Result<f64, String> {
    match value.trim().parse::<f64>() {
        Ok(n) if n.is_finite() && n >= 0.0 => Ok(n),
        _ => Err(format!("invalid number of seconds: '{value}'")),
    }
}

/// `*` or an address.
fn neighbor(value: &str) -> Result<Neighbor, String> {
    if value.trim() == "*" {
        return Ok(Neighbor::All);
    }
    value
        .parse()
        .map(Neighbor::Addr)
        .map_err(|_| format!("'{value}' is neither '*' nor an IP address"))
}

/// Raw attribute text spliced into a command line: refused if it holds a character that
/// is not printable on one line (tab allowed), like ExaBGP since 5.0.12.
fn attribute(value: &str) -> Result<String, String> {
    match value.chars().find(|&c| !printable(c)) {
        Some(c) => Err(format!("'{value}' contains the control character {c:?}")),
        None => Ok(value.to_owned()),
    }
}

/// Python's `str.isprintable()` for the characters that matter here: control and format
/// characters, line and paragraph separators and spaces other than U+0020 are not.
fn printable(c: char) -> bool {
    if c == '\t' || c == ' ' {
        return true;
    }
    !(c.is_control()
        || c.is_whitespace()
        || matches!(c,
            '\u{00AD}' | '\u{061C}' | '\u{180E}' | '\u{200B}'..='\u{200F}'
            | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2064}' | '\u{2066}'..='\u{206F}'
            | '\u{FEFF}' | '\u{FFF9}'..='\u{FFFB}' | '\u{E000}'..='\u{F8FF}'))
}

/// `IP%IFNAME`: the network must be one of the `--ip` values, the name a valid interface
/// name (at most 15 of `[A-Za-z0-9._:-]`).
fn ip_ifname(value: &str, ips: &[IpNet]) -> Result<(IpNet, String), String> {
    let parts: Vec<&str> = value.split('%').collect();
    let [ip, ifname] = parts.as_slice() else {
        return Err(format!(
            "argument --ip-ifname: expected <ip_address>%<ifname>, got '{value}'"
        ));
    };
    let net = network(ip).map_err(|e| format!("argument --ip-ifname: {e}"))?;
    if !ips.contains(&net) {
        return Err(format!(
            "argument --ip-ifname: no --ip has been given for '{value}'"
        ));
    }
    let valid = (1..=15).contains(&ifname.len())
        && ifname
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | ':' | '-'));
    if !valid {
        return Err(format!(
            "argument --ip-ifname: expected an interface name, got '{ifname}'"
        ));
    }
    Ok((net, (*ifname).to_owned()))
}

/// The syslog facility code of a name (Python's `SysLogHandler.LOG_*` names).
fn facility(name: &str) -> Option<u8> {
    let code = match name.to_ascii_lowercase().as_str() {
        "kern" => 0,
        "user" => 1,
        "mail" => 2,
        "daemon" => 3,
        "auth" => 4,
        "syslog" => 5,
        "lpr" => 6,
        "news" => 7,
        "uucp" => 8,
        "cron" => 9,
        "authpriv" => 10,
        "ftp" => 11,
        "ntp" => 12,
        "security" => 13,
        "console" => 14,
        "solcron" => 15,
        "local0" => 16,
        "local1" => 17,
        "local2" => 18,
        "local3" => 19,
        "local4" => 20,
        "local5" => 21,
        "local6" => 22,
        "local7" => 23,
        _ => return None,
    };
    Some(code)
}

#[cfg(test)]
mod tests;
