//! OPEN validation (RFC 4271 §6.2) and capability negotiation (RFC 5492).
//!
//! Given the OPEN we sent and the OPEN we received, [`negotiate`] decides what the session
//! may use, in both directions:
//!
//! | what | rule |
//! |---|---|
//! | hold time | the smaller of the two (§4.2); keepalive interval = hold / 3 |
//! | families | Multiprotocol capabilities both sent; a side with none offers IPv4 unicast (RFC 4760 §8) |
//! | four-octet ASN | both sent it (RFC 6793 §3) |
//! | ADD-PATH, per family | we send when we offer *send* and they offer *receive*; we receive when we offer *receive* and they offer *send* (RFC 7911 §4) |
//! | extended message | both sent it (RFC 8654 §3) |
//! | route refresh | enhanced when both sent RFC 7313, else normal when both sent RFC 2918 (or the pre-standard code 128) |
//! | graceful restart | both sent it (RFC 4724); the peer's value is kept |
//! | extended next hop | (family, next-hop AFI) pairs both sent (RFC 8950 §3) |
//!
//! [`validate_open`] checks the received OPEN before any of this, in the order of RFC 4271
//! §6.2, and names the NOTIFICATION to send when it is not acceptable.

use std::net::Ipv4Addr;

use wire::cap::{AddPathMode, GracefulRestart};
use wire::{Afi, Asn, Capability, DecodeCtx, EncodeCtx, Family, Notification, Open};

use crate::config::families_of;

/// Which kind of route refresh both sides support.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub enum RefreshKind {
    /// Not negotiated.
    #[default]
    Absent,
    /// RFC 2918 route refresh.
    Normal,
    /// RFC 7313 enhanced route refresh.
    Enhanced,
}

impl RefreshKind {
    /// ExaBGP's name, as printed in the `negotiated` JSON message.
    pub fn name(self) -> &'static str {
        match self {
            Self::Absent => "absent",
            Self::Normal => "normal",
            Self::Enhanced => "enhanced",
        }
    }
}

/// Which side is missing a family the other offered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Missing {
    /// The peer offered it, we did not.
    Local,
    /// We offered it, the peer did not.
    Peer,
}

/// Everything a session negotiated, fixed from OpenConfirm until it goes down.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Negotiated {
    /// Our ASN, as sent.
    pub local_as: Asn,
    /// The peer's ASN (the four-octet ASN capability's value when present).
    pub peer_as: Asn,
    /// Our BGP identifier.
    pub local_id: Ipv4Addr,
    /// The peer's BGP identifier.
    pub peer_id: Ipv4Addr,
    /// Negotiated hold time in seconds; 0 means neither keepalives nor a hold timer.
    pub hold_time: u16,
    /// Keepalive interval in seconds (hold time / 3, as ExaBGP computes it).
    pub keepalive: u16,
    /// Families both sides support, in the order of the peer's OPEN (as ExaBGP lists them
    /// in its `negotiated` message).
    pub families: Vec<Family>,
    /// Families one side offered and the other did not (routes of those can not be sent).
    pub mismatch: Vec<(Missing, Family)>,
    /// Four-octet ASNs in AS_PATH (RFC 6793).
    pub asn4: bool,
    /// Families for which we send ADD-PATH identifiers.
    pub add_path_send: Vec<Family>,
    /// Families for which the peer sends ADD-PATH identifiers.
    pub add_path_receive: Vec<Family>,
    /// Messages up to 65535 octets (RFC 8654).
    pub extended_message: bool,
    /// Route refresh support.
    pub refresh: RefreshKind,
    /// The peer's graceful restart capability, when both sides sent one (RFC 4724).
    pub graceful_restart: Option<GracefulRestart>,
    /// (NLRI family, next-hop AFI) pairs both sides accept (RFC 8950).
    pub extended_next_hop: Vec<(Family, Afi)>,
    /// ExaBGP's OPERATIONAL messages, both sides sent capability 185.
    pub operational: bool,
    /// Both sides sent the multisession capability.
    pub multisession: bool,
    /// The OPEN we sent.
    pub sent_open: Open,
    /// The OPEN we received.
    pub received_open: Open,
    /// How to decode what the peer sends.
    pub decode: DecodeCtx,
    /// How to encode what we send.
    pub encode: EncodeCtx,
}

impl Negotiated {
    /// True for an internal session (same ASN on both sides).
    pub fn ibgp(&self) -> bool {
        self.local_as == self.peer_as
    }

    /// The largest message either side may send.
    pub fn max_message_len(&self) -> usize {
        if self.extended_message {
            65535
        } else {
            4096
        }
    }

    /// True when `family` was negotiated.
    pub fn has_family(&self, family: Family) -> bool {
        self.families.contains(&family)
    }

    /// A decoding context for messages *we* sent (our ADD-PATH send families), for
    /// showing sent UPDATEs to the API.
    pub fn sent_decode_ctx(&self) -> DecodeCtx {
        let mut ctx = self.decode.clone();
        ctx.add_path.clone_from(&self.encode.add_path);
        ctx
    }
}

/// Why a received OPEN is refused (RFC 4271 §6.2).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum OpenError {
    /// (2,1): version other than 4.
    #[error("unsupported version number {0}")]
    Version(u8),
    /// (2,2): the peer's ASN is not the configured one.
    #[error("ASN in OPEN ({got}) did not match ASN expected ({expected})")]
    PeerAs {
        /// What the OPEN carried.
        got: Asn,
        /// What the configuration says.
        expected: Asn,
    },
    /// (2,6): a hold time of 1 or 2 seconds.
    #[error("Hold Time is invalid ({0})")]
    HoldTime(u16),
    /// (2,3): BGP identifier 0.0.0.0.
    #[error("0.0.0.0 is an invalid router_id")]
    ZeroId,
    /// (2,3): the peer uses our own BGP identifier on an internal session (RFC 6286 §2.1).
    #[error("BGP Identifier collision, same router-id ({0}) on both sides of this IBGP session")]
    SameId(Ipv4Addr),
}

impl OpenError {
    /// The NOTIFICATION to send. Data as RFC 4271 §6.2 requires it: the supported version
    /// for (2,1), nothing otherwise.
    pub fn notification(&self) -> Notification {
        let (subcode, data) = match self {
            Self::Version(_) => (1, vec![0x00, 0x04]),
            Self::PeerAs { .. } => (2, Vec::new()),
            Self::ZeroId | Self::SameId(_) => (3, Vec::new()),
            Self::HoldTime(_) => (6, Vec::new()),
        };
        Notification {
            code: 2,
            subcode,
            data,
        }
    }
}

/// Checks a received OPEN, in the order of RFC 4271 §6.2.
///
/// `local_as` is ours (`None`: mirror the peer's, which makes the session internal);
/// `peer_as` is the configured peer ASN (`None`: any).
pub fn validate_open(
    open: &Open,
    local_as: Option<Asn>,
    peer_as: Option<Asn>,
    router_id: Ipv4Addr,
) -> Result<(), OpenError> {
    if open.version != 4 {
        return Err(OpenError::Version(open.version));
    }
    let asn = open.effective_asn();
    if let Some(expected) = peer_as {
        if asn != expected {
            return Err(OpenError::PeerAs { got: asn, expected });
        }
    }
    if open.hold_time == 1 || open.hold_time == 2 {
        return Err(OpenError::HoldTime(open.hold_time));
    }
    if open.router_id.is_unspecified() {
        return Err(OpenError::ZeroId);
    }
    let ibgp = local_as.is_none_or(|local| local == asn);
    if ibgp && open.router_id == router_id {
        return Err(OpenError::SameId(open.router_id));
    }
    Ok(())
}

/// Negotiates a session from the two OPENs (see the module documentation for the rules).
pub fn negotiate(sent: &Open, received: &Open) -> Negotiated {
    let ours = &sent.capabilities;
    let theirs = &received.capabilities;
    let both =
        |wanted: fn(&Capability) -> bool| ours.iter().any(wanted) && theirs.iter().any(wanted);

    let hold_time = sent.hold_time.min(received.hold_time);
    let asn4 = both(|c| matches!(c, Capability::FourOctetAsn(_)));
    let extended_message = both(|c| matches!(c, Capability::ExtendedMessage));

    let our_families = families_of(ours);
    let their_families = families_of(theirs);
    // In the order of the peer's OPEN, as ExaBGP lists them.
    let families: Vec<Family> = their_families
        .iter()
        .copied()
        .filter(|f| our_families.contains(f))
        .collect();
    let mut mismatch: Vec<(Missing, Family)> = our_families
        .iter()
        .filter(|f| !their_families.contains(f))
        .map(|f| (Missing::Peer, *f))
        .collect();
    mismatch.extend(
        their_families
            .iter()
            .filter(|f| !our_families.contains(f))
            .map(|f| (Missing::Local, *f)),
    );

    let our_add_path = add_path_modes(ours);
    let their_add_path = add_path_modes(theirs);
    let mut add_path_send = Vec::new();
    let mut add_path_receive = Vec::new();
    for family in &families {
        let mine = mode_of(&our_add_path, *family);
        let peer = mode_of(&their_add_path, *family);
        if sends(mine) && receives(peer) {
            add_path_send.push(*family);
        }
        if receives(mine) && sends(peer) {
            add_path_receive.push(*family);
        }
    }

    let refresh = if both(|c| matches!(c, Capability::EnhancedRouteRefresh)) {
        RefreshKind::Enhanced
    } else if both(|c| matches!(c, Capability::RouteRefresh | Capability::CiscoRouteRefresh)) {
        RefreshKind::Normal
    } else {
        RefreshKind::Absent
    };

    let graceful_restart = if ours
        .iter()
        .any(|c| matches!(c, Capability::GracefulRestart(_)))
    {
        theirs.iter().find_map(|c| match c {
            Capability::GracefulRestart(gr) => Some(gr.clone()),
            _ => None,
        })
    } else {
        None
    };

    let our_nh = next_hops(ours);
    let extended_next_hop: Vec<(Family, Afi)> = next_hops(theirs)
        .into_iter()
        .filter(|pair| our_nh.contains(pair))
        .collect();

    let decode = DecodeCtx {
        asn4,
        extended_message,
        add_path: add_path_receive.clone(),
        extended_next_hop: extended_next_hop.clone(),
        ..DecodeCtx::default()
    };
    // wire may add settings to the context; they keep their defaults.
    #[allow(clippy::needless_update)]
    let encode = EncodeCtx {
        asn4,
        extended_message,
        add_path: add_path_send.clone(),
        extended_next_hop: extended_next_hop.clone(),
        ..EncodeCtx::default()
    };

    Negotiated {
        local_as: sent.effective_asn(),
        peer_as: received.effective_asn(),
        local_id: sent.router_id,
        peer_id: received.router_id,
        hold_time,
        keepalive: hold_time / 3,
        families,
        mismatch,
        asn4,
        add_path_send,
        add_path_receive,
        extended_message,
        refresh,
        graceful_restart,
        extended_next_hop,
        operational: both(|c| matches!(c, Capability::Operational)),
        multisession: both(|c| matches!(c, Capability::Multisession(_))),
        sent_open: sent.clone(),
        received_open: received.clone(),
        decode,
        encode,
    }
}

/// Every (family, mode) pair of the ADD-PATH capabilities in a list.
fn add_path_modes(caps: &[Capability]) -> Vec<(Family, AddPathMode)> {
    caps.iter()
        .filter_map(|c| match c {
            Capability::AddPath(pairs) => Some(pairs.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect()
}

/// The ADD-PATH mode offered for a family, if any.
fn mode_of(modes: &[(Family, AddPathMode)], family: Family) -> Option<AddPathMode> {
    modes.iter().find(|(f, _)| *f == family).map(|(_, m)| *m)
}

fn sends(mode: Option<AddPathMode>) -> bool {
    matches!(mode, Some(AddPathMode::Send | AddPathMode::Both))
}

fn receives(mode: Option<AddPathMode>) -> bool {
    matches!(mode, Some(AddPathMode::Receive | AddPathMode::Both))
}

/// Every (family, next-hop AFI) pair of the extended next hop capabilities in a list.
fn next_hops(caps: &[Capability]) -> Vec<(Family, Afi)> {
    caps.iter()
        .filter_map(|c| match c {
            Capability::ExtendedNextHop(pairs) => Some(pairs.iter().copied()),
            _ => None,
        })
        .flatten()
        .collect()
}

#[cfg(test)]
mod tests;
