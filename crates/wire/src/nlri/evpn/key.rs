//! The EVPN route key: the fields BGP compares to tell whether two NLRI are the same route
//! (an announcement replaces the route of the same key, a withdrawal names it).
//!
//! | type | key (besides the RD and the ADD-PATH identifier) | not in the key |
//! |---|---|---|
//! | 1 Ethernet A-D | ESI, Ethernet Tag (RFC 7432 §7.1) | MPLS label |
//! | 2 MAC/IP | Ethernet Tag, MAC, IP (RFC 7432 §7.2) | ESI, MPLS Label1 and Label2 |
//! | 3 Inclusive Multicast | every field (RFC 7432 §7.3) | — |
//! | 4 Ethernet Segment | every field (RFC 7432 §7.4) | — |
//! | 5 IP Prefix | Ethernet Tag, prefix length, prefix (RFC 9136 §3.1) | ESI, gateway IP, label |
//!
//! ExaBGP 5 keys its Adj-RIB-Out on the whole packed EVPN NLRI (its `index()`), and its
//! `__eq__` / `__hash__` also leave the ESI out of types 1 and 4; ExaBGP cannot announce
//! EVPN routes, so Herald follows the RFCs here.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use super::{Esi, Evpn, EvpnLabel, EvpnRoute};

impl Evpn {
    /// This entry with the fields that are not part of its route key cleared (no labels,
    /// zero ESI, unspecified gateway): two entries are the same route exactly when their
    /// keys are equal.
    pub fn route_key(&self) -> Self {
        Self {
            path_id: self.path_id,
            route: self.route.route_key(),
        }
    }

    /// True when the route key is the whole entry (the fields it leaves out are already
    /// cleared).
    pub fn is_route_key(&self) -> bool {
        self.route == self.route.route_key()
    }
}

impl EvpnRoute {
    /// The route with the fields that are not part of its route key cleared.
    pub fn route_key(&self) -> Self {
        match self {
            Self::EthernetAd { rd, esi, etag, .. } => Self::EthernetAd {
                rd: *rd,
                esi: *esi,
                etag: *etag,
                labels: Vec::new(),
            },
            Self::MacIp {
                rd, etag, mac, ip, ..
            } => Self::MacIp {
                rd: *rd,
                esi: Esi::default(),
                etag: *etag,
                mac: *mac,
                ip: *ip,
                labels: Vec::new(),
            },
            Self::IpPrefix {
                rd,
                etag,
                prefix_len,
                prefix,
                ..
            } => Self::IpPrefix {
                rd: *rd,
                esi: Esi::default(),
                etag: *etag,
                prefix_len: *prefix_len,
                prefix: *prefix,
                gateway: match prefix {
                    IpAddr::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                    IpAddr::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                },
                label: EvpnLabel::default(),
            },
            Self::Multicast { .. } | Self::EthernetSegment { .. } | Self::Unknown { .. } => {
                self.clone()
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::MacAddress;
    use super::*;
    use crate::nlri::{PathId, RouteDistinguisher};

    const RD: RouteDistinguisher = RouteDistinguisher([0, 0, 0xfd, 0xe8, 0, 0, 0, 1]);

    fn mac_ip(esi: u8, labels: &[u32]) -> Evpn {
        Evpn {
            path_id: None,
            route: EvpnRoute::MacIp {
                rd: RD,
                esi: Esi([esi; 10]),
                etag: 10,
                mac: MacAddress([0, 0x11, 0x22, 0x33, 0x44, 0x55]),
                ip: Some("10.0.0.1".parse().unwrap()),
                labels: labels.iter().filter_map(|&l| EvpnLabel::mpls(l)).collect(),
            },
        }
    }

    #[test]
    fn mac_ip_key_leaves_out_esi_and_labels() {
        // RFC 7432 §7.2: ESI, MPLS Label1 and Label2 are route attributes.
        let a = mac_ip(0, &[100]);
        assert_eq!(a.route_key(), mac_ip(7, &[200, 300]).route_key());
        assert_eq!(a.route_key(), mac_ip(0, &[]));
        assert!(!a.is_route_key());
        assert!(mac_ip(0, &[]).is_route_key());
        // The MAC, IP, Ethernet Tag, RD and path identifier are the route.
        let mut other = mac_ip(0, &[100]);
        if let EvpnRoute::MacIp { ip, .. } = &mut other.route {
            *ip = None;
        }
        assert_ne!(a.route_key(), other.route_key());
        let mut other = mac_ip(0, &[100]);
        other.path_id = Some(PathId(1));
        assert_ne!(a.route_key(), other.route_key());
    }

    #[test]
    fn ethernet_ad_key_keeps_the_esi() {
        // RFC 7432 §7.1: only the ESI and the Ethernet Tag (with the RD) are the route.
        let ad = |esi: u8, label: u32| EvpnRoute::EthernetAd {
            rd: RD,
            esi: Esi([esi; 10]),
            etag: 1,
            labels: EvpnLabel::mpls(label).into_iter().collect(),
        };
        assert_eq!(ad(1, 100).route_key(), ad(1, 200).route_key());
        assert_ne!(ad(1, 100).route_key(), ad(2, 100).route_key());
    }

    #[test]
    fn ip_prefix_key_leaves_out_esi_gateway_and_label() {
        // RFC 9136 §3.1: RD, Ethernet Tag, prefix length and prefix are the key.
        let p = |esi: u8, gw: &str, label: u32, len: u8| EvpnRoute::IpPrefix {
            rd: RD,
            esi: Esi([esi; 10]),
            etag: 0,
            prefix_len: len,
            prefix: "198.51.100.0".parse().unwrap(),
            gateway: gw.parse().unwrap(),
            label: EvpnLabel::mpls(label).unwrap(),
        };
        assert_eq!(
            p(0, "192.0.2.1", 100, 24).route_key(),
            p(3, "192.0.2.9", 200, 24).route_key()
        );
        assert_ne!(
            p(0, "192.0.2.1", 100, 24).route_key(),
            p(0, "192.0.2.1", 100, 25).route_key()
        );
        // The cleared gateway keeps the prefix's version, so the key still encodes.
        let mut out = Vec::new();
        p(0, "192.0.2.1", 1, 24)
            .route_key()
            .encode(&mut out)
            .unwrap();
        assert_eq!(out.len(), 2 + 34);
    }

    #[test]
    fn multicast_and_segment_keys_are_the_route() {
        let m = EvpnRoute::Multicast {
            rd: RD,
            etag: 0,
            ip: "192.0.2.1".parse().unwrap(),
        };
        assert_eq!(m.route_key(), m);
        let s = EvpnRoute::EthernetSegment {
            rd: RD,
            esi: Esi([1; 10]),
            ip: "192.0.2.1".parse().unwrap(),
        };
        assert_eq!(s.route_key(), s);
    }
}
