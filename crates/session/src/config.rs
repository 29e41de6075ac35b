//! What a session is told about itself and its peer before it starts.
//!
//! The runtime builds a [`SessionConfig`] from a configured neighbor; this crate does not
//! depend on the configuration grammar. Every duration has the default ExaBGP uses (or the
//! RFC's suggested value where ExaBGP has none).

use std::net::Ipv4Addr;
use std::time::Duration;

use wire::{Asn, Capability, Family};

/// RFC 4271 §10 suggests 120 s for the ConnectRetryTimer.
pub const DEFAULT_CONNECT_RETRY: Duration = Duration::from_secs(120);
/// ExaBGP's `exabgp.bgp.openwait`: how long to wait for the peer's OPEN once TCP is up.
pub const DEFAULT_OPEN_WAIT: Duration = Duration::from_secs(60);
/// ExaBGP caps the delay between connection attempts at 60 s.
pub const DEFAULT_BACKOFF_CAP: Duration = Duration::from_secs(60);
/// RFC 9687 §3: the SendHoldTime is at least eight minutes.
pub const MIN_SEND_HOLD_TIME: Duration = Duration::from_secs(480);

/// How long the session tolerates a peer that does not read what we send (RFC 9687).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SendHold {
    /// The larger of eight minutes and twice the negotiated hold time (RFC 9687 §3).
    #[default]
    Auto,
    /// A fixed duration.
    Fixed(Duration),
    /// Never give up on a peer that stopped reading.
    Disabled,
}

/// The configuration of one BGP session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionConfig {
    /// Our ASN. `None` is ExaBGP's `local-as auto`: wait for the peer's OPEN and use the
    /// ASN it carries, so our OPEN is sent only after the peer's arrived.
    pub local_as: Option<Asn>,
    /// The ASN the peer must have. `None` accepts any (ExaBGP's `peer-as auto`).
    pub peer_as: Option<Asn>,
    /// Our BGP identifier (RFC 4271 §4.2, RFC 6286).
    pub router_id: Ipv4Addr,
    /// The hold time we propose, in seconds: 0 (no keepalives) or at least 3.
    pub hold_time: u16,
    /// Never connect; wait for the peer to connect to us.
    pub passive: bool,
    /// The capabilities of our OPEN, in the order they are sent. The families we support
    /// are those of the Multiprotocol capabilities (none: IPv4 unicast only, RFC 4760 §8).
    /// The value of a `FourOctetAsn` capability is replaced by our ASN, and the Restart
    /// State bit of a `GracefulRestart` capability is set by the session (see
    /// [`SessionConfig::restarting`]).
    pub capabilities: Vec<Capability>,
    /// ConnectRetryTime (RFC 4271 §8.1.2): how long one TCP connection attempt may take
    /// before it is abandoned and a new one started.
    pub connect_retry: Duration,
    /// Cap on the delay between attempts after a failure or a session going down. The delay
    /// grows as ExaBGP's does: 0, 1, 2, 3, 4, 5, 7, 9, 11, 14 … seconds (×1.2 + 1).
    pub backoff_cap: Duration,
    /// Give up after this many connection attempts without reaching Established
    /// (ExaBGP's `exabgp.tcp.attempts`; `None` = never).
    pub max_attempts: Option<u32>,
    /// How long to wait for the peer's OPEN once TCP is up (ExaBGP `exabgp.bgp.openwait`);
    /// the hold timer of the OpenSent state (RFC 4271 §8.2.2 suggests 4 minutes).
    pub open_wait: Duration,
    /// DelayOpen (RFC 4271 §8.1.1 attributes 14–15): wait this long after TCP is up before
    /// sending our OPEN, unless the peer's OPEN arrives first.
    pub delay_open: Option<Duration>,
    /// The RFC 9687 send hold timer.
    pub send_hold: SendHold,
    /// The Restart State bit (RFC 4724 §3) of the first OPEN we send, if we send the
    /// graceful restart capability. ExaBGP sets it (it cannot know whether it restarted);
    /// it is cleared once a session has been established.
    pub restarting: bool,
    /// With graceful restart negotiated, close an established session without a
    /// NOTIFICATION when stopped, as ExaBGP does, so that the peer keeps our routes.
    pub graceful_close: bool,
    /// AIGP_SESSION as configured (ExaBGP's `capability { aigp enable|disable; }`); `None`
    /// when not written, for the RFC 7311 §3.1 default (see [`SessionConfig::aigp_session`]).
    pub aigp: Option<bool>,
}

impl SessionConfig {
    /// A configuration with every optional setting at its default.
    pub fn new(local_as: Asn, peer_as: Asn, router_id: Ipv4Addr) -> Self {
        Self {
            local_as: Some(local_as),
            peer_as: Some(peer_as),
            router_id,
            hold_time: 180,
            passive: false,
            capabilities: vec![
                Capability::Multiprotocol(Family::IPV4_UNICAST),
                Capability::FourOctetAsn(local_as),
            ],
            connect_retry: DEFAULT_CONNECT_RETRY,
            backoff_cap: DEFAULT_BACKOFF_CAP,
            max_attempts: None,
            open_wait: DEFAULT_OPEN_WAIT,
            delay_open: None,
            send_hold: SendHold::Auto,
            restarting: false,
            graceful_close: true,
            aigp: None,
        }
    }

    /// True for an internal session, when both ASNs are configured.
    pub fn ibgp(&self) -> Option<bool> {
        Some(self.local_as? == self.peer_as?)
    }

    /// AIGP_SESSION (RFC 7311 §3.1) of a session that turned out internal (`ibgp`) or not:
    /// the configured value, else enabled on IBGP and disabled on EBGP. Where disabled a
    /// received AIGP attribute is ignored (§3.2) and none is sent.
    ///
    /// ExaBGP 5.0.15 differs where nothing is configured on an IBGP session (it reads no
    /// AIGP there but sends one) and where `aigp disable` is written on one (it still sends).
    pub fn aigp_session(&self, ibgp: bool) -> bool {
        self.aigp.unwrap_or(ibgp)
    }

    /// The families we offer: those of our Multiprotocol capabilities, or IPv4 unicast
    /// when there are none (RFC 4760 §8).
    pub fn families(&self) -> Vec<Family> {
        families_of(&self.capabilities)
    }
}

/// The families a list of capabilities offers (IPv4 unicast without any MP capability).
pub(crate) fn families_of(capabilities: &[Capability]) -> Vec<Family> {
    let mut families: Vec<Family> = Vec::new();
    for cap in capabilities {
        if let Capability::Multiprotocol(family) = cap {
            if !families.contains(family) {
                families.push(*family);
            }
        }
    }
    if families.is_empty() {
        families.push(Family::IPV4_UNICAST);
    }
    families
}
