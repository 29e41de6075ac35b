//! The descriptors of a BGP-LS NLRI read from its TLVs (RFC 7752 §3.2.1–§3.2.3, RFC 9514
//! §6), with the validity checks of RFC 7752 §8.2.2 as ExaBGP 5 applies them.
//!
//! Node Descriptor sub-TLVs (§3.2.1.4): 512 Autonomous System (4 octets), 513 BGP-LS
//! Identifier (4), 514 OSPF Area-ID (4, or 16 as ExaBGP accepts), 515 IGP Router-ID (IS-IS:
//! 6-octet System-ID, 7 with the pseudonode number; OSPF: 4-octet Router-ID, 8 with the DR's
//! interface address); other codes, and a Router-ID of another protocol, are kept as they
//! are. Sub-TLVs must come in strictly ascending order (RFC 9552 §5.2.1).
//!
//! Link descriptors (§3.2.2): 258 Link Local/Remote Identifiers, 259/261 interface
//! addresses, 260/262 neighbor addresses, 263 Multi-Topology ID. Prefix descriptors
//! (§3.2.3): 263, 264 OSPF Route Type, 265 IP Reachability (mandatory). SRv6 SID
//! descriptors (RFC 9514 §6.1): 263, 518 SRv6 SID Information (16 octets).

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{next_tlv, BgpLs, LsBody, LINK, NODE, PREFIX_V4, PREFIX_V6, SRV6_SID};

/// Local Node Descriptors TLV.
pub const LOCAL_NODE: u16 = 256;
/// Remote Node Descriptors TLV.
pub const REMOTE_NODE: u16 = 257;
/// Link Local/Remote Identifiers TLV.
pub const LINK_IDS: u16 = 258;
/// Multi-Topology Identifier TLV.
pub const MT_ID: u16 = 263;
/// OSPF Route Type TLV.
pub const OSPF_ROUTE_TYPE: u16 = 264;
/// IP Reachability Information TLV.
pub const IP_REACH: u16 = 265;
/// SRv6 SID Information TLV (RFC 9514 §6.1).
pub const SRV6_SID_INFO: u16 = 518;

/// One Node Descriptor sub-TLV.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NodeSub<'a> {
    /// 512: Autonomous System.
    As(u32),
    /// 513: BGP-LS Identifier.
    BgpLsId(u32),
    /// 514: OSPF Area-ID.
    OspfArea(IpAddr),
    /// 515 from IS-IS: the System-ID octets (7 with the pseudonode number, `psn`).
    IsisRouter {
        /// The value octets (System-ID, and PSN when present).
        id: &'a [u8],
        /// The pseudonode number, for a 7-octet value.
        psn: Option<u8>,
    },
    /// 515 from OSPF (and Direct/Static as ExaBGP reads them): Router-ID and, for a
    /// pseudonode, the DR's interface address.
    OspfRouter {
        /// Router-ID.
        id: Ipv4Addr,
        /// DR interface address (8-octet value).
        dr: Option<Ipv4Addr>,
    },
    /// Any other sub-TLV (or a Router-ID of a protocol without a known layout).
    Other {
        /// Sub-TLV type.
        code: u16,
        /// Value octets.
        value: &'a [u8],
    },
}

/// One member of the SRv6 SID descriptors, in first-seen order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Srv6Item<'a> {
    /// 518: the SID (the last one seen).
    Sid(Ipv6Addr),
    /// Another TLV code and every value of it, in order.
    Other(u16, Vec<&'a [u8]>),
}

/// IP Reachability Information (RFC 7752 §3.2.3.2): prefix length and the address with
/// the octets sent (zero-filled).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct IpReach {
    /// Prefix length in bits.
    pub bits: u8,
    /// The prefix octets as an address.
    pub prefix: IpAddr,
}

/// What the descriptor TLVs of a BGP-LS NLRI say. Where a TLV appears twice, the last one
/// is kept, as ExaBGP does (the first only for a Node NLRI's Local Node Descriptors).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Descriptors<'a> {
    /// Local Node Descriptors.
    pub local: Vec<NodeSub<'a>>,
    /// Remote Node Descriptors (Link NLRI).
    pub remote: Vec<NodeSub<'a>>,
    /// Link Local/Remote Identifiers (Link NLRI).
    pub link_ids: Option<(u32, u32)>,
    /// Interface addresses (Link NLRI).
    pub interfaces: Vec<IpAddr>,
    /// Neighbor addresses (Link NLRI).
    pub neighbors: Vec<IpAddr>,
    /// Multi-Topology IDs: the first ID of each TLV, R bits cleared.
    pub mt_ids: Vec<u16>,
    /// OSPF Route Type (Prefix NLRI).
    pub ospf_route_type: Option<u8>,
    /// IP Reachability (Prefix NLRI).
    pub reach: Option<IpReach>,
    /// SRv6 SID descriptors other than the MT-IDs (SRv6 SID NLRI).
    pub srv6: Vec<Srv6Item<'a>>,
}

impl<'a> Descriptors<'a> {
    /// Reads the descriptors of `nlri`; `Err` names what is malformed. An NLRI of an
    /// unknown type has none.
    pub fn parse(nlri: &'a BgpLs) -> Result<Self, &'static str> {
        let LsBody::Objects { protocol, tlvs, .. } = &nlri.body else {
            return Ok(Self::default());
        };
        let mut d = Self::default();
        match nlri.code {
            NODE | SRV6_SID => {
                let first = tlvs.first().ok_or("no Local Node Descriptors")?;
                if first.code != LOCAL_NODE {
                    return Err("first TLV is not the Local Node Descriptors");
                }
                d.local = node_descriptors(&first.value, *protocol)?;
                if nlri.code == SRV6_SID {
                    for tlv in &tlvs[1..] {
                        d.srv6_tlv(tlv.code, &tlv.value)?;
                    }
                }
            }
            LINK => {
                for tlv in tlvs {
                    d.link_tlv(tlv.code, &tlv.value, *protocol)?;
                }
            }
            PREFIX_V4 | PREFIX_V6 => {
                for tlv in tlvs {
                    d.prefix_tlv(tlv.code, &tlv.value, *protocol, nlri.code == PREFIX_V6)?;
                }
                if d.reach.is_none() {
                    return Err("no IP Reachability Information");
                }
            }
            _ => {}
        }
        Ok(d)
    }

    fn link_tlv(&mut self, code: u16, value: &'a [u8], protocol: u8) -> Result<(), &'static str> {
        match code {
            LOCAL_NODE => self.local = node_descriptors(value, protocol)?,
            REMOTE_NODE => self.remote = node_descriptors(value, protocol)?,
            LINK_IDS => {
                let ids = value.get(..8).ok_or("Link Identifiers shorter than 8")?;
                self.link_ids = Some((be32(&ids[..4]), be32(&ids[4..])));
            }
            259 | 261 => self
                .interfaces
                .push(address(value).ok_or("interface address length")?),
            260 | 262 => self
                .neighbors
                .push(address(value).ok_or("neighbor address length")?),
            MT_ID => self.mt_ids.push(mt_id(value)?),
            _ => {}
        }
        Ok(())
    }

    fn prefix_tlv(
        &mut self,
        code: u16,
        value: &'a [u8],
        protocol: u8,
        v6: bool,
    ) -> Result<(), &'static str> {
        match code {
            LOCAL_NODE => self.local = node_descriptors(value, protocol)?,
            OSPF_ROUTE_TYPE => match value {
                [kind] => self.ospf_route_type = Some(*kind),
                _ => return Err("OSPF Route Type length"),
            },
            IP_REACH => self.reach = Some(ip_reach(value, v6)?),
            _ => {}
        }
        Ok(())
    }

    fn srv6_tlv(&mut self, code: u16, value: &'a [u8]) -> Result<(), &'static str> {
        match code {
            MT_ID => self.mt_ids.push(mt_id(value)?),
            SRV6_SID_INFO => {
                let octets: [u8; 16] = value.try_into().map_err(|_| "SRv6 SID length")?;
                let sid = Ipv6Addr::from(octets);
                match self.srv6.iter_mut().find(|i| matches!(i, Srv6Item::Sid(_))) {
                    Some(item) => *item = Srv6Item::Sid(sid),
                    None => self.srv6.push(Srv6Item::Sid(sid)),
                }
            }
            _ => match self
                .srv6
                .iter_mut()
                .find(|i| matches!(i, Srv6Item::Other(c, _) if *c == code))
            {
                Some(Srv6Item::Other(_, values)) => values.push(value),
                _ => self.srv6.push(Srv6Item::Other(code, vec![value])),
            },
        }
        Ok(())
    }
}

fn be32(b: &[u8]) -> u32 {
    b.iter().fold(0, |acc, x| (acc << 8) | u32::from(*x))
}

/// A 4- or 16-octet address.
pub(crate) fn address(value: &[u8]) -> Option<IpAddr> {
    if let Ok(a) = <[u8; 4]>::try_from(value) {
        return Some(IpAddr::V4(Ipv4Addr::from(a)));
    }
    let a = <[u8; 16]>::try_from(value).ok()?;
    Some(IpAddr::V6(Ipv6Addr::from(a)))
}

fn mt_id(value: &[u8]) -> Result<u16, &'static str> {
    match value {
        [a, b, ..] => Ok(u16::from_be_bytes([*a, *b]) & 0x0fff),
        _ => Err("Multi-Topology ID shorter than 2"),
    }
}

fn ip_reach(value: &[u8], v6: bool) -> Result<IpReach, &'static str> {
    let (&bits, octets) = value
        .split_first()
        .ok_or("IP Reachability without length")?;
    let max = if v6 { 128 } else { 32 };
    if bits > max {
        return Err("IP Reachability prefix length");
    }
    if octets.len() > usize::from(bits).div_ceil(8) {
        return Err("IP Reachability prefix longer than its length");
    }
    let prefix = if v6 {
        let mut a = [0u8; 16];
        a[..octets.len()].copy_from_slice(octets);
        IpAddr::V6(Ipv6Addr::from(a))
    } else {
        let mut a = [0u8; 4];
        a[..octets.len()].copy_from_slice(octets);
        IpAddr::V4(Ipv4Addr::from(a))
    };
    Ok(IpReach { bits, prefix })
}

/// Reads Node Descriptor sub-TLVs (RFC 7752 §3.2.1.4), in strictly ascending type order.
pub fn node_descriptors(mut value: &[u8], protocol: u8) -> Result<Vec<NodeSub<'_>>, &'static str> {
    let mut out = Vec::new();
    let mut previous = None;
    while !value.is_empty() {
        let (code, v, rest) = next_tlv(value).ok_or("node descriptor sub-TLV overruns")?;
        if previous.is_some_and(|p| code <= p) {
            return Err("node descriptor sub-TLVs out of order");
        }
        previous = Some(code);
        out.push(node_sub(code, v, protocol)?);
        value = rest;
    }
    Ok(out)
}

fn node_sub(code: u16, v: &[u8], protocol: u8) -> Result<NodeSub<'_>, &'static str> {
    Ok(match code {
        512 => NodeSub::As(be32(<&[u8; 4]>::try_from(v).map_err(|_| "AS length")?)),
        513 => NodeSub::BgpLsId(be32(
            <&[u8; 4]>::try_from(v).map_err(|_| "BGP-LS Identifier length")?,
        )),
        514 => NodeSub::OspfArea(address(v).ok_or("OSPF Area-ID length")?),
        515 if matches!(protocol, 1 | 2) => match v.len() {
            6 => NodeSub::IsisRouter { id: v, psn: None },
            7 => NodeSub::IsisRouter {
                id: v,
                psn: v.get(6).copied(),
            },
            _ => return Err("IS-IS Router-ID length"),
        },
        515 if matches!(protocol, 3 | 5 | 6 | 227) => {
            let ip = |b: &[u8]| Ipv4Addr::new(b[0], b[1], b[2], b[3]);
            match v.len() {
                4 => NodeSub::OspfRouter {
                    id: ip(v),
                    dr: None,
                },
                8 => NodeSub::OspfRouter {
                    id: ip(&v[..4]),
                    dr: Some(ip(&v[4..])),
                },
                _ => return Err("OSPF Router-ID length"),
            }
        }
        _ => NodeSub::Other { code, value: v },
    })
}
