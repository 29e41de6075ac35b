//! A lab: one peer (BIRD 2 or GoBGP) and the speakers under test, on a loopback subnet of
//! its own, with readback of what the peer holds from each speaker.
//!
//! Addresses: the peer is host `.1`, speaker `i` is host `.2 + i` of the lab's [`Subnet`].
//! The peer is passive; speakers connect to it.

use std::net::Ipv4Addr;
use std::time::Duration;

use crate::bird::{Bird, BirdConfig, BirdNeighbor};
use crate::error::Result;
use crate::gobgp::{Gobgp, GobgpConfig};
use crate::net::{free_port, Subnet};
use crate::route::PeerRoute;
use crate::speaker::{Speaker, SpeakerConfig, SpeakerKind};
use crate::tmp::TempDir;

/// How long a session may take to come up (GoBGP's is the slowest, a few seconds).
pub const SESSION_LIMIT: Duration = Duration::from_secs(45);

/// How long a route may take to appear at, or vanish from, a peer.
pub const ROUTE_LIMIT: Duration = Duration::from_secs(30);

/// Which real BGP implementation is the peer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PeerKind {
    /// BIRD 2.
    Bird,
    /// GoBGP 3.
    Gobgp,
}

/// The running peer.
#[derive(Debug)]
pub enum Peer {
    /// BIRD 2, with one protocol `spk<i>` per speaker.
    Bird(Bird),
    /// GoBGP, with one neighbor per speaker.
    Gobgp(Gobgp),
}

/// What the lab is made of.
#[derive(Debug, Clone)]
pub struct LabConfig {
    /// The peer implementation.
    pub peer: PeerKind,
    /// The peer's AS.
    pub peer_as: u32,
    /// The speakers, each with its AS and optional router id.
    pub speakers: Vec<(SpeakerKind, u32, Option<Ipv4Addr>)>,
    /// BIRD static routes (BIRD syntax) the peer originates from the start; GoBGP routes are
    /// added with [`Gobgp::add_route`] instead.
    pub bird_static: Vec<String>,
    /// Statements BIRD's export filter runs on those routes (e.g. `bgp_med = 5;`).
    pub bird_export: Vec<String>,
    /// Negotiate IPv6 unicast besides IPv4 unicast on every session.
    pub ipv6: bool,
}

/// A peer and its speakers, all stopped (and the directory removed) when dropped.
#[derive(Debug)]
pub struct Lab {
    /// The speakers, in the order of [`LabConfig::speakers`]. Dropped before the peer.
    pub speakers: Vec<Speaker>,
    /// The peer.
    pub peer: Peer,
    subnet: Subnet,
    ipv6: bool,
    // Declared last: dropped after every process has stopped.
    tmp: TempDir,
}

impl Lab {
    /// Starts the peer, then every speaker.
    pub fn start(label: &str, config: &LabConfig) -> Result<Self> {
        let tmp = TempDir::new(label)?;
        let subnet = Subnet::next();
        let address = subnet.host(1);
        let port = free_port(address)?;
        let speaker_addr = |i: usize| subnet.host(2 + u8::try_from(i).unwrap_or(0));
        let peer = match config.peer {
            PeerKind::Bird => Peer::Bird(Bird::start(
                &tmp,
                &BirdConfig {
                    address,
                    port,
                    asn: config.peer_as,
                    neighbors: config
                        .speakers
                        .iter()
                        .enumerate()
                        .map(|(i, (_, asn, _))| BirdNeighbor {
                            name: format!("spk{i}"),
                            address: speaker_addr(i),
                            asn: *asn,
                        })
                        .collect(),
                    static_routes: config.bird_static.clone(),
                    export_next_hop: Ipv4Addr::new(192, 0, 2, 254),
                    export_statements: config.bird_export.clone(),
                    ipv6: config.ipv6,
                },
            )?),
            PeerKind::Gobgp => Peer::Gobgp(Gobgp::start(
                &tmp,
                &GobgpConfig {
                    address,
                    port,
                    asn: config.peer_as,
                    neighbors: config
                        .speakers
                        .iter()
                        .enumerate()
                        .map(|(i, (_, asn, _))| (speaker_addr(i), *asn))
                        .collect(),
                    ipv6: config.ipv6,
                },
            )?),
        };
        let mut speakers = Vec::new();
        for (i, (kind, asn, router_id)) in config.speakers.iter().enumerate() {
            speakers.push(Speaker::start(
                &tmp,
                &SpeakerConfig {
                    kind: *kind,
                    name: format!("{}{i}", kind.name()),
                    address: speaker_addr(i),
                    router_id: *router_id,
                    asn: *asn,
                    peer: address,
                    peer_as: config.peer_as,
                    peer_port: port,
                    ipv6: config.ipv6,
                },
            )?);
        }
        Ok(Self {
            speakers,
            peer,
            subnet,
            ipv6: config.ipv6,
            tmp,
        })
    }

    /// The address of speaker `i`.
    pub fn speaker_address(&self, i: usize) -> Ipv4Addr {
        self.subnet.host(2 + u8::try_from(i).unwrap_or(0))
    }

    /// Waits until the peer reports the session with speaker `i` Established; fails at
    /// once if a speaker exits meanwhile.
    pub fn wait_established(&self, i: usize) -> Result<()> {
        match &self.peer {
            Peer::Bird(bird) => {
                bird.wait_established(&format!("spk{i}"), SESSION_LIMIT, || self.alive())
            }
            Peer::Gobgp(gobgp) => {
                gobgp.wait_established(self.speaker_address(i), SESSION_LIMIT, || self.alive())
            }
        }
    }

    /// `Ok` while every speaker runs; the first one that exited, with its log, otherwise.
    pub fn alive(&self) -> Result<()> {
        self.speakers.iter().try_for_each(Speaker::alive)
    }

    /// The routes the peer holds from speaker `i` (IPv4, and IPv6 when negotiated).
    pub fn routes_from(&self, i: usize) -> Result<Vec<PeerRoute>> {
        match &self.peer {
            Peer::Bird(bird) => bird.routes(&format!("spk{i}")),
            Peer::Gobgp(gobgp) => {
                let mut routes = gobgp.adj_in(self.speaker_address(i), "ipv4")?;
                if self.ipv6 {
                    routes.extend(gobgp.adj_in(self.speaker_address(i), "ipv6")?);
                }
                Ok(routes)
            }
        }
    }

    /// Restarts the peer with the same configuration.
    pub fn restart_peer(&mut self) -> Result<()> {
        match &mut self.peer {
            Peer::Bird(bird) => bird.restart(),
            Peer::Gobgp(gobgp) => gobgp.restart(),
        }
    }

    /// The lab's directory.
    pub fn dir(&self) -> &TempDir {
        &self.tmp
    }

    /// The tails of every log, for a failure message.
    pub fn diagnostics(&self) -> String {
        let mut text = format!("lab directory: {}\n", self.tmp.path().display());
        text.push_str(&match &self.peer {
            Peer::Bird(bird) => bird.log_tail(),
            Peer::Gobgp(gobgp) => gobgp.log_tail(),
        });
        for speaker in &self.speakers {
            text.push('\n');
            text.push_str(&speaker.log_tail());
        }
        text
    }
}
