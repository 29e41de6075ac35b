//! The typed configuration model: what an ExaBGP 5 configuration file means once parsed,
//! templates merged and defaults applied (spec §1.2–§1.11).
//!
//! Every ExaBGP `neighbor` key has a typed field here; the runtime builds sessions from
//! [`Neighbor`], and the API crate shares [`Route`] for the routes carried by commands.

use std::net::{IpAddr, Ipv4Addr};

use ipnet::IpNet;
pub use wire::cap::AddPathMode;
use wire::{Afi, Asn, Attribute, Family, Nlri};

/// A whole configuration: the helper processes and the neighbors.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Config {
    /// `process <name> { }` sections, in file order (plus ExaBGP 3 processes declared
    /// inside a neighbor).
    pub processes: Vec<Process>,
    /// `neighbor <ip> { }` sections, templates already merged.
    pub neighbors: Vec<Neighbor>,
}

impl Config {
    /// The process of that name, if configured.
    pub fn process(&self, name: &str) -> Option<&Process> {
        self.processes.iter().find(|p| p.name == name)
    }
}

/// Where something was written: file name, 1-based line and column.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct Location {
    /// The file name as given in the [`crate::Source`].
    pub file: String,
    /// 1-based line.
    pub line: u32,
    /// 1-based column (in characters).
    pub col: u32,
}

impl std::fmt::Display for Location {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.col)
    }
}

/// The format in which a helper process receives events (spec §1.10).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Encoder {
    /// One JSON object per line.
    #[default]
    Json,
    /// ExaBGP's text lines.
    Text,
}

/// `process <name> { run …; encoder …; respawn …; }` (spec §1.10).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Process {
    /// The section name, used by `api { processes [ … ] }`.
    pub name: String,
    /// Program and arguments, as written (the program is resolved by
    /// [`crate::program::resolve`]).
    pub run: Vec<String>,
    /// Event format.
    pub encoder: Encoder,
    /// Restart the helper when it dies (default true).
    pub respawn: bool,
    /// Where the `run` statement was written (for the program check's messages), and the
    /// directory of that file is where a relative program is looked up.
    pub location: Location,
}

/// `local-as` / `peer-as`: a number, or `auto` (taken from the OPEN).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AsnSetting {
    /// Learn it from the peer's OPEN.
    Auto,
    /// This ASN.
    Asn(Asn),
}

/// `md5-base64`: true, false or auto (detect).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Md5Base64 {
    /// The password is used as written.
    #[default]
    False,
    /// The password is base64 and is decoded first.
    True,
    /// Decode when it looks like base64.
    Auto,
}

/// `capability { }` (spec §1.3), with ExaBGP's defaults applied.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Capabilities {
    /// Route refresh (caps 2 and 70). Default off.
    pub route_refresh: bool,
    /// Graceful restart time (cap 64); `None` when disabled. `graceful-restart;` alone (or
    /// `0`) is resolved to the neighbor's hold-time.
    pub graceful_restart: Option<u16>,
    /// ADD-PATH mode (cap 69); `None` when disabled.
    pub add_path: Option<AddPathMode>,
    /// Four-octet ASN (cap 65). Default on.
    pub asn4: bool,
    /// Multi-session (cap 68). Default off.
    pub multi_session: bool,
    /// ExaBGP operational messages (cap 185). Default off.
    pub operational: bool,
    /// Extended message (cap 6). Default on.
    pub extended_message: bool,
    /// Extended next-hop (cap 5): `None` = automatic (on when a `nexthop { }` block exists).
    pub nexthop: Option<bool>,
    /// AIGP allowed; `None` when not written.
    pub aigp: Option<bool>,
    /// Software version (cap 75). Default off; `software-version;` alone is also off.
    pub software_version: bool,
}

impl Default for Capabilities {
    fn default() -> Self {
        Self {
            route_refresh: false,
            graceful_restart: None,
            add_path: None,
            asn4: true,
            multi_session: false,
            operational: false,
            extended_message: true,
            nexthop: None,
            aigp: None,
            software_version: false,
        }
    }
}

/// One line of `nexthop { <afi> <safi> <nh-afi>; }` (RFC 8950).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NextHopFamily {
    /// The NLRI family.
    pub family: Family,
    /// The AFI of the next hop carried for it.
    pub next_hop_afi: Afi,
}

/// Which messages and formats an `api { receive { } }` / `send { }` block asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct MessageFilter {
    /// `parsed`: decoded form.
    pub parsed: bool,
    /// `packets`: raw hex only.
    pub packets: bool,
    /// `consolidate`: decoded form plus header/body hex in one message.
    pub consolidate: bool,
    /// `open` messages.
    pub open: bool,
    /// `update` messages.
    pub update: bool,
    /// `notification` messages.
    pub notification: bool,
    /// `keepalive` messages.
    pub keepalive: bool,
    /// `refresh` (ROUTE-REFRESH) messages.
    pub refresh: bool,
    /// `operational` messages.
    pub operational: bool,
}

impl MessageFilter {
    /// True when at least one message kind is selected (a format word alone selects
    /// nothing, spec §1.11).
    pub fn any_message(&self) -> bool {
        self.open
            || self.update
            || self.notification
            || self.keepalive
            || self.refresh
            || self.operational
    }
}

/// `api [<name>] { }` inside a neighbor (spec §1.11).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct ApiBinding {
    /// The optional block name.
    pub name: Option<String>,
    /// `processes [ … ]`.
    pub processes: Vec<String>,
    /// `processes-match [ regex … ]`.
    pub processes_match: Vec<String>,
    /// `neighbor-changes`: emit `state` events.
    pub neighbor_changes: bool,
    /// `negotiated`: emit `negotiated` events.
    pub negotiated: bool,
    /// `fsm`: emit `fsm` events.
    pub fsm: bool,
    /// `signal`: emit `signal` events.
    pub signal: bool,
    /// `receive { }`.
    pub receive: MessageFilter,
    /// `send { }`.
    pub send: MessageFilter,
}

/// The next hop of a configured route.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum NextHop {
    /// An explicit address.
    Ip(IpAddr),
    /// `next-hop self`: the local address of the session, resolved per peer.
    SelfAddr,
    /// No next hop given (FlowSpec, or withdrawals).
    None,
}

/// One route, from `static`, `announce`, or an API command (spec §1.5).
///
/// Unicast and multicast routes carry [`Nlri::Prefix`] (with the ADD-PATH path-id from
/// `path-information`). Labeled (`nlri-mpls`, RFC 8277) and VPN (`mpls-vpn`, RFC 4364)
/// routes carry [`Nlri::Labeled`], built from `labels` and `rd` when the family is settled
/// (`route::settle_family`); `labels` and `rd` stay as written. FlowSpec routes (`flow {
/// }`, `announce flow route …`, RFC 8955/8956) carry [`Nlri::Flow`], their actions as
/// extended communities and the redirect address as next hop (`route::flow`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Route {
    /// Address family of the NLRI.
    pub family: Family,
    /// The NLRI (with its ADD-PATH path-id for prefixes).
    pub nlri: Nlri,
    /// Next hop.
    pub next_hop: NextHop,
    /// Path attributes (wire values; never NEXT_HOP or MP_REACH/MP_UNREACH), in the order
    /// they were written.
    pub attributes: Vec<Attribute>,
    /// `split /<len>`: announce as more-specifics of that length.
    pub split: Option<u8>,
    /// `watchdog <name>`.
    pub watchdog: Option<String>,
    /// `withdraw`: the route starts withdrawn.
    pub withdrawn: bool,
    /// `name <label>`: internal label, never sent.
    pub name: Option<String>,
    /// MPLS labels (`label`), for `nlri-mpls` and `mpls-vpn` routes.
    pub labels: Vec<u32>,
    /// Route distinguisher (`rd`), eight octets (RFC 4364 §4.2), for `mpls-vpn` routes.
    pub rd: Option<[u8; 8]>,
}

impl Route {
    /// A route for `prefix` with no attributes, next hop unset.
    pub fn new(family: Family, nlri: Nlri) -> Self {
        Self {
            family,
            nlri,
            next_hop: NextHop::None,
            attributes: Vec::new(),
            split: None,
            watchdog: None,
            withdrawn: false,
            name: None,
            labels: Vec::new(),
            rd: None,
        }
    }
}

/// A block of a family the typed model does not cover yet (`l2vpn`, `operational`, and
/// `announce` lines for MVPN, FlowSpec, VPLS): kept as its statements so that the
/// file validates and the families work can build on it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct RawSection {
    /// `l2vpn`, `operational` or `announce`.
    pub kind: String,
    /// The family the section announces, when it is known from the syntax.
    pub family: Option<Family>,
    /// The statement, words in order; nested blocks are flattened as `{` … `}` words.
    pub words: Vec<String>,
    /// Where it was written.
    pub location: Location,
}

/// `neighbor <ip|prefix> { }` (spec §1.2), templates merged, defaults applied.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Neighbor {
    /// The peer address, or a prefix for a passive range (a host prefix for one peer).
    pub peer_address: IpNet,
    /// `description`.
    pub description: String,
    /// `router-id`; defaults to the local address for IPv4 peers.
    pub router_id: Option<Ipv4Addr>,
    /// `local-address`; `None` = `auto` (discovered from the socket).
    pub local_address: Option<IpAddr>,
    /// `source-interface`.
    pub source_interface: Option<String>,
    /// `local-as`.
    pub local_as: AsnSetting,
    /// `peer-as`.
    pub peer_as: AsnSetting,
    /// `hold-time`: 0 or 3..=65535, default 180.
    pub hold_time: u16,
    /// `passive`: accept only.
    pub passive: bool,
    /// `listen`: per-neighbor listening port, 0 = the global listener.
    pub listen: u16,
    /// `connect`: destination port, 0 = `exabgp.tcp.port`.
    pub connect: u16,
    /// `md5-password`.
    pub md5_password: Option<String>,
    /// `md5-base64`.
    pub md5_base64: Md5Base64,
    /// `md5-ip`: defaults to the local address.
    pub md5_ip: Option<IpAddr>,
    /// `outgoing-ttl` (GTSM of sent packets); `None` = unset/disable.
    pub outgoing_ttl: Option<u8>,
    /// `incoming-ttl` (minimum TTL accepted); `None` = unset/disable.
    pub incoming_ttl: Option<u8>,
    /// `group-updates` (default true).
    pub group_updates: bool,
    /// `auto-flush` (default true).
    pub auto_flush: bool,
    /// `adj-rib-in` (default true).
    pub adj_rib_in: bool,
    /// `adj-rib-out` (default true; forced on with route-refresh).
    pub adj_rib_out: bool,
    /// `manual-eor` (default false).
    pub manual_eor: bool,
    /// `rate-limit` in messages per second; 0 = disabled.
    pub rate_limit: u32,
    /// `host-name` (FQDN capability).
    pub host_name: Option<String>,
    /// `domain-name` (FQDN capability).
    pub domain_name: Option<String>,
    /// `capability { }`.
    pub capability: Capabilities,
    /// `family { }`: every known family when absent or `all`.
    pub families: Vec<Family>,
    /// Families using ADD-PATH: the `add-path { }` block restricted to `families`, or
    /// every family when the block is absent; empty when the capability is disabled.
    pub add_path: Vec<Family>,
    /// `nexthop { }` entries in effect (only when the nexthop capability is on and both
    /// families are negotiated).
    pub nexthop: Vec<NextHopFamily>,
    /// `api { }` blocks.
    pub api: Vec<ApiBinding>,
    /// Routes from `static { }` and `announce { }`.
    pub routes: Vec<Route>,
    /// `l2vpn`, `operational` blocks and `announce` lines of families without a
    /// typed model yet.
    pub raw: Vec<RawSection>,
    /// Where the neighbor section starts.
    pub location: Location,
}
