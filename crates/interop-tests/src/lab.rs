//! A lab: one peer (BIRD 2, GoBGP, FRR or ExaBGP 5) and the speakers under test, on a
//! loopback subnet of its own, with readback of what the peer holds from each speaker and a
//! route the peer can originate and withdraw.
//!
//! Addresses: the peer is host `.1`, speaker `i` is host `.2 + i` of the lab's [`Subnet`].
//! The peer is passive; speakers connect to it.
//!
//! How each peer is read and driven:
//!
//! | peer | session state | routes from a speaker | originate / withdraw |
//! |---|---|---|---|
//! | BIRD 2 | `birdc show protocols` | `birdc show route all protocol spk<i>` | static route from the start / `disable s4` |
//! | GoBGP | `gobgp -j neighbor` | `gobgp -j neighbor ADDR adj-in` | `gobgp global rib add` / `del` |
//! | FRR | `vtysh show bgp neighbors json` | `vtysh show bgp … json` | `network` from the start / `no network` |
//! | ExaBGP 5 | its JSON helper's `state` messages | its JSON helper's updates, replayed | `announce route` / `withdraw route` on its text helper |

use std::net::Ipv4Addr;
use std::time::Duration;

use crate::bird::{Bird, BirdConfig, BirdNeighbor};
use crate::error::Result;
use crate::exabgp::{ExabgpPeer, ExabgpPeerConfig};
use crate::frr::{Frr, FrrConfig};
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
    /// FRR's `bgpd`, standalone.
    Frr,
    /// ExaBGP 5 itself, passive, with a text helper and a JSON helper.
    Exabgp,
}

/// The running peer.
#[derive(Debug)]
pub enum Peer {
    /// BIRD 2, with one protocol `spk<i>` per speaker.
    Bird(Bird),
    /// GoBGP, with one neighbor per speaker.
    Gobgp(Gobgp),
    /// FRR, with one neighbor per speaker.
    Frr(Frr),
    /// ExaBGP 5, with one passive neighbor per speaker.
    Exabgp(ExabgpPeer),
}

/// An IPv4 route the peer originates, with the attributes it sets on it.
#[derive(Debug, Clone)]
pub struct Origin {
    /// The prefix.
    pub prefix: String,
    /// NEXT_HOP on export (never a loopback address: GoBGP would drop it).
    pub next_hop: Ipv4Addr,
    /// MULTI_EXIT_DISC.
    pub med: u32,
    /// One community `(asn, value)`.
    pub community: (u16, u16),
    /// One large community `(global, local 1, local 2)`.
    pub large_community: (u32, u32, u32),
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
    /// The route the peer can originate ([`Lab::originate`]) and withdraw.
    pub origin: Option<Origin>,
    /// Negotiate IPv6 unicast besides IPv4 unicast on every session.
    pub ipv6: bool,
    /// Negotiate IPv4 VPN and labeled unicast besides IPv4 unicast (GoBGP peers only).
    pub vpn: bool,
    /// Negotiate EVPN (`l2vpn evpn`) besides IPv4 unicast (GoBGP peers only).
    pub evpn: bool,
    /// Negotiate L2VPN VPLS and IPv4/IPv6 MCAST-VPN besides IPv4 unicast (ExaBGP peers
    /// only).
    pub l2: bool,
    /// Negotiate route target constraint (RFC 4684) besides IPv4 unicast (GoBGP peers
    /// only; the speakers negotiate every family).
    pub rtc: bool,
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
    vpn: bool,
    evpn: bool,
    origin: Option<Origin>,
    // Declared last: dropped after every process has stopped.
    tmp: TempDir,
}

/// Where a peer exports routes when the lab originates none.
const DEFAULT_NEXT_HOP: Ipv4Addr = Ipv4Addr::new(192, 0, 2, 254);

impl Lab {
    /// Starts the peer, then every speaker.
    pub fn start(label: &str, config: &LabConfig) -> Result<Self> {
        let tmp = TempDir::new(label)?;
        let subnet = Subnet::next();
        let address = subnet.host(1);
        let port = free_port(address)?;
        let speaker_addr = |i: usize| subnet.host(2 + u8::try_from(i).unwrap_or(0));
        let neighbors: Vec<(Ipv4Addr, u32)> = config
            .speakers
            .iter()
            .enumerate()
            .map(|(i, (_, asn, _))| (speaker_addr(i), *asn))
            .collect();
        let next_hop = config
            .origin
            .as_ref()
            .map_or(DEFAULT_NEXT_HOP, |o| o.next_hop);
        let peer = match config.peer {
            PeerKind::Bird => {
                let origin = config.origin.as_ref();
                Peer::Bird(Bird::start(
                    &tmp,
                    &BirdConfig {
                        address,
                        port,
                        asn: config.peer_as,
                        neighbors: neighbors
                            .iter()
                            .enumerate()
                            .map(|(i, (address, asn))| BirdNeighbor {
                                name: format!("spk{i}"),
                                address: *address,
                                asn: *asn,
                            })
                            .collect(),
                        static_routes: origin
                            .map(|o| {
                                let (a, b) = o.community;
                                let (g, l1, l2) = o.large_community;
                                format!(
                                    "route {} blackhole {{ bgp_community.add(({a},{b})); \
                                     bgp_large_community.add(({g},{l1},{l2})); }}",
                                    o.prefix
                                )
                            })
                            .into_iter()
                            .collect(),
                        // BIRD zeroes MED on eBGP export unless the export filter sets it.
                        export_statements: origin
                            .map(|o| format!("bgp_med = {};", o.med))
                            .into_iter()
                            .collect(),
                        export_next_hop: next_hop,
                        ipv6: config.ipv6,
                    },
                )?)
            }
            PeerKind::Gobgp => Peer::Gobgp(Gobgp::start(
                &tmp,
                &GobgpConfig {
                    address,
                    port,
                    asn: config.peer_as,
                    neighbors,
                    ipv6: config.ipv6,
                    vpn: config.vpn,
                    flowspec: false,
                    evpn: config.evpn,
                    rtc: config.rtc,
                },
            )?),
            PeerKind::Frr => {
                let origin = config.origin.as_ref();
                Peer::Frr(Frr::start(
                    &tmp,
                    &FrrConfig {
                        address,
                        port,
                        asn: config.peer_as,
                        neighbors,
                        networks: origin.map(|o| o.prefix.clone()).into_iter().collect(),
                        origin_sets: origin
                            .map(|o| {
                                let (a, b) = o.community;
                                let (g, l1, l2) = o.large_community;
                                vec![
                                    format!("set metric {}", o.med),
                                    format!("set community {a}:{b}"),
                                    format!("set large-community {g}:{l1}:{l2}"),
                                ]
                            })
                            .unwrap_or_default(),
                        export_next_hop: next_hop,
                        ipv6: config.ipv6,
                    },
                )?)
            }
            PeerKind::Exabgp => Peer::Exabgp(ExabgpPeer::start(
                &tmp,
                &ExabgpPeerConfig {
                    address,
                    port,
                    asn: config.peer_as,
                    neighbors,
                    ipv6: config.ipv6,
                    l2: config.l2,
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
                    vpn: config.vpn,
                    evpn: config.evpn,
                    l2: config.l2,
                    all_families: config.rtc,
                },
            )?);
        }
        Ok(Self {
            speakers,
            peer,
            subnet,
            ipv6: config.ipv6,
            vpn: config.vpn,
            evpn: config.evpn,
            origin: config.origin.clone(),
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
        let alive = || self.alive();
        let address = self.speaker_address(i);
        match &self.peer {
            Peer::Bird(bird) => bird.wait_established(&format!("spk{i}"), SESSION_LIMIT, alive),
            Peer::Gobgp(gobgp) => gobgp.wait_established(address, SESSION_LIMIT, alive),
            Peer::Frr(frr) => frr.wait_established(address, SESSION_LIMIT, alive),
            Peer::Exabgp(exabgp) => exabgp.wait_established(address, SESSION_LIMIT, alive),
        }
    }

    /// `Ok` while every speaker runs; the first one that exited, with its log, otherwise.
    pub fn alive(&self) -> Result<()> {
        self.speakers.iter().try_for_each(Speaker::alive)
    }

    /// The routes the peer holds from speaker `i` (IPv4, and IPv6 when negotiated).
    pub fn routes_from(&self, i: usize) -> Result<Vec<PeerRoute>> {
        let address = self.speaker_address(i);
        let mut afis = vec!["ipv4"];
        if self.ipv6 {
            afis.push("ipv6");
        }
        if self.vpn {
            afis.extend(["vpnv4", "ipv4-mpls"]);
        }
        if self.evpn {
            afis.push("evpn");
        }
        let mut routes = Vec::new();
        match &self.peer {
            // One protocol holds both families.
            Peer::Bird(bird) => routes = bird.routes(&format!("spk{i}"))?,
            Peer::Gobgp(gobgp) => {
                for afi in afis {
                    routes.extend(gobgp.adj_in(address, afi)?);
                }
            }
            Peer::Frr(frr) => {
                for afi in afis {
                    routes.extend(frr.routes_from(address, afi)?);
                }
            }
            // Replayed from the JSON helper: both families at once.
            Peer::Exabgp(exabgp) => routes = exabgp.routes_from(address)?,
        }
        Ok(routes)
    }

    /// Has the peer announce [`LabConfig::origin`] (BIRD and FRR announce it from the
    /// start; GoBGP now, with `gobgp global rib add`; ExaBGP now, with `announce route` on
    /// its text helper).
    pub fn originate(&self) -> Result<()> {
        let Some(o) = &self.origin else {
            return Ok(());
        };
        let (a, b) = o.community;
        let (g, l1, l2) = o.large_community;
        match &self.peer {
            Peer::Gobgp(gobgp) => gobgp.add_route(&[
                &o.prefix,
                "origin",
                "igp",
                "nexthop",
                &o.next_hop.to_string(),
                "med",
                &o.med.to_string(),
                "community",
                &format!("{a}:{b}"),
                "large-community",
                &format!("{g}:{l1}:{l2}"),
            ]),
            Peer::Exabgp(exabgp) => exabgp.send(&format!(
                "announce route {} next-hop {} med {} community [{a}:{b}] \
                 large-community [{g}:{l1}:{l2}]",
                o.prefix, o.next_hop, o.med
            )),
            Peer::Bird(_) | Peer::Frr(_) => Ok(()),
        }
    }

    /// Has the peer withdraw [`LabConfig::origin`].
    pub fn withdraw_origin(&self) -> Result<()> {
        let Some(o) = &self.origin else {
            return Ok(());
        };
        match &self.peer {
            Peer::Bird(bird) => bird.birdc(&["disable", "s4"]).map(drop),
            Peer::Gobgp(gobgp) => gobgp.del_route(&[&o.prefix]),
            Peer::Frr(frr) => frr.withdraw_network(&o.prefix),
            Peer::Exabgp(exabgp) => exabgp.send(&format!("withdraw route {}", o.prefix)),
        }
    }

    /// Restarts the peer with the same configuration.
    pub fn restart_peer(&mut self) -> Result<()> {
        match &mut self.peer {
            Peer::Bird(bird) => bird.restart(),
            Peer::Gobgp(gobgp) => gobgp.restart(),
            Peer::Frr(frr) => frr.restart(),
            Peer::Exabgp(exabgp) => exabgp.restart(),
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
            Peer::Frr(frr) => frr.log_tail(),
            Peer::Exabgp(exabgp) => exabgp.log_tail(),
        });
        for speaker in &self.speakers {
            text.push('\n');
            text.push_str(&speaker.log_tail());
        }
        text
    }
}
