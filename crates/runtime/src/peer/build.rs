//! A [`session::SessionConfig`] from a configured neighbor: the OPEN's capabilities in
//! ExaBGP's order (so a capture of Herald's OPEN matches ExaBGP's), ASNs, router id and the
//! `exabgp.*` settings that shape the session.

use std::net::{IpAddr, Ipv4Addr, SocketAddr, UdpSocket};
use std::time::Duration;

use config::{AsnSetting, Neighbor};
use session::SessionConfig;
use wire::cap::{AddPathMode, GracefulRestart};
use wire::{Afi, Asn, Capability, Family, Safi};

/// The `exabgp.*` settings a peer task uses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Settings {
    /// `exabgp.tcp.port`: the destination port when the neighbor has no `connect`.
    pub port: u16,
    /// `exabgp.tcp.attempts`: connection attempts before giving up (0 = unlimited).
    pub attempts: u32,
    /// `exabgp.bgp.openwait`: seconds to wait for the peer's OPEN.
    pub open_wait: Duration,
    /// `exabgp.bgp.passive`: every peer is passive.
    pub passive: bool,
    /// End the task when its session goes down (the dynamic peers the listener starts for
    /// addresses of a passive range).
    pub ephemeral: bool,
    /// The text of the software-version capability (draft-abraitis-bgp-version-capability):
    /// `Herald/<version>`, or `ExaBGP/<value>` when the environment variable
    /// `exabgp_version` is set, which is how ExaBGP lets a run announce another version
    /// (its own test suite sets `5.0.0-0+test`).
    pub software_version: String,
}

/// The software version Herald announces by default.
pub(crate) const SOFTWARE_VERSION: &str = concat!("Herald/", env!("CARGO_PKG_VERSION"));

/// The software-version text for an `exabgp_version` override, if any.
fn software_version(exabgp_version: Option<String>) -> String {
    match exabgp_version {
        Some(v) if !v.is_empty() => format!("ExaBGP/{v}"),
        _ => SOFTWARE_VERSION.to_owned(),
    }
}

impl Settings {
    /// The settings of the daemon's environment.
    pub fn from_env(env: &config::Env) -> Self {
        Self {
            port: env.tcp_port(),
            attempts: env.tcp_attempts(),
            open_wait: Duration::from_secs(u64::from(env.bgp_openwait())),
            passive: env.bgp_passive(),
            ephemeral: false,
            software_version: software_version(std::env::var("exabgp_version").ok()),
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        Self {
            port: 179,
            attempts: 0,
            open_wait: session::config::DEFAULT_OPEN_WAIT,
            passive: false,
            ephemeral: false,
            software_version: SOFTWARE_VERSION.to_owned(),
        }
    }
}

/// Families ExaBGP offers ADD-PATH for, in its order.
const ADD_PATH_FAMILIES: [Family; 6] = [
    Family::new(Afi::IPV4, Safi::UNICAST),
    Family::new(Afi::IPV6, Safi::UNICAST),
    Family::new(Afi::IPV4, Safi::MPLS),
    Family::new(Afi::IPV6, Safi::MPLS),
    Family::new(Afi::IPV4, Safi::MPLS_VPN),
    Family::new(Afi::IPV6, Safi::MPLS_VPN),
];

/// Capability 131: Cisco's pre-standard multisession.
const CISCO_MULTISESSION: u8 = 131;

/// The ASN of a setting, `None` for `auto`.
pub(crate) fn asn(setting: AsnSetting) -> Option<Asn> {
    match setting {
        AsnSetting::Asn(asn) => Some(asn),
        AsnSetting::Auto => None,
    }
}

/// The local address the kernel would use to reach `peer` (ExaBGP's `local-address auto`),
/// found without sending anything: a UDP socket is connected, and its address read.
pub(crate) fn discover_local(peer: IpAddr) -> Option<IpAddr> {
    let any: IpAddr = if peer.is_ipv4() {
        Ipv4Addr::UNSPECIFIED.into()
    } else {
        std::net::Ipv6Addr::UNSPECIFIED.into()
    };
    let socket = UdpSocket::bind(SocketAddr::new(any, 0)).ok()?;
    socket.connect(SocketAddr::new(peer, 179)).ok()?;
    socket.local_addr().ok().map(|a| a.ip())
}

/// Our router id: `router-id`, else the local address when it is IPv4 (configured, or
/// discovered towards the peer).
pub(crate) fn router_id(neighbor: &Neighbor) -> Ipv4Addr {
    if let Some(id) = neighbor.router_id {
        return id;
    }
    let local = neighbor
        .local_address
        .or_else(|| discover_local(neighbor.peer_address.addr()));
    match local {
        Some(IpAddr::V4(v4)) => v4,
        _ => Ipv4Addr::UNSPECIFIED,
    }
}

/// The session configuration of a neighbor.
pub(crate) fn session_config(neighbor: &Neighbor, settings: &Settings) -> SessionConfig {
    let local_as = asn(neighbor.local_as);
    let mut config = SessionConfig::new(
        local_as.unwrap_or_default(),
        asn(neighbor.peer_as).unwrap_or_default(),
        router_id(neighbor),
    );
    config.local_as = local_as;
    config.peer_as = asn(neighbor.peer_as);
    config.hold_time = neighbor.hold_time;
    config.passive = neighbor.passive || settings.passive;
    config.capabilities = capabilities(
        neighbor,
        local_as.unwrap_or_default(),
        &settings.software_version,
    );
    config.max_attempts = (settings.attempts != 0).then_some(settings.attempts);
    config.open_wait = settings.open_wait;
    config.restarting = neighbor.capability.graceful_restart.is_some();
    config.aigp = neighbor.capability.aigp;
    config
}

/// The capabilities of our OPEN, in ExaBGP's order: multiprotocol (one per family),
/// four-octet ASN, extended next hop, ADD-PATH, graceful restart, route refresh and
/// enhanced route refresh, operational, extended message, FQDN, software version,
/// multisession.
pub(crate) fn capabilities(
    neighbor: &Neighbor,
    local_as: Asn,
    software_version: &str,
) -> Vec<Capability> {
    let caps = &neighbor.capability;
    let mut out: Vec<Capability> = neighbor
        .families
        .iter()
        .map(|f| Capability::Multiprotocol(*f))
        .collect();
    if caps.asn4 {
        out.push(Capability::FourOctetAsn(local_as));
    }
    if !neighbor.nexthop.is_empty() && caps.nexthop != Some(false) {
        out.push(Capability::ExtendedNextHop(
            neighbor
                .nexthop
                .iter()
                .map(|n| (n.family, n.next_hop_afi))
                .collect(),
        ));
    }
    if let Some(mode) = caps.add_path {
        let families: Vec<(Family, AddPathMode)> = ADD_PATH_FAMILIES
            .iter()
            .filter(|f| neighbor.add_path.contains(f))
            .map(|f| (*f, mode))
            .collect();
        out.push(Capability::AddPath(families));
    }
    if let Some(time) = caps.graceful_restart {
        out.push(Capability::GracefulRestart(GracefulRestart {
            restart_state: false,
            restart_time: time,
            families: neighbor.families.iter().map(|f| (*f, true)).collect(),
        }));
    }
    if caps.route_refresh {
        out.push(Capability::RouteRefresh);
        out.push(Capability::EnhancedRouteRefresh);
    }
    if caps.operational {
        out.push(Capability::Operational);
    }
    if caps.extended_message {
        out.push(Capability::ExtendedMessage);
    }
    if let Some(host) = neighbor.host_name.as_ref().filter(|h| !h.is_empty()) {
        out.push(Capability::Fqdn {
            host: host.clone(),
            domain: neighbor.domain_name.clone().unwrap_or_default(),
        });
    }
    if caps.software_version {
        out.push(Capability::SoftwareVersion(software_version.to_owned()));
    }
    if caps.multi_session {
        // ExaBGP sends the flags octet and the Session Id code as two TLVs, for 68 and 131.
        out.push(Capability::Multisession(vec![0]));
        out.push(Capability::Multisession(vec![1]));
        out.push(Capability::Unknown {
            code: CISCO_MULTISESSION,
            data: vec![0],
        });
        out.push(Capability::Unknown {
            code: CISCO_MULTISESSION,
            data: vec![1],
        });
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn software_version_is_herald_unless_exabgp_version_is_set() {
        assert_eq!(software_version(None), SOFTWARE_VERSION);
        assert!(SOFTWARE_VERSION.starts_with("Herald/"));
        assert_eq!(software_version(Some(String::new())), SOFTWARE_VERSION);
        assert_eq!(
            software_version(Some("5.0.0-0+test".into())),
            "ExaBGP/5.0.0-0+test"
        );
    }
}
