//! The EVPN route grammar (AFI 25 / SAFI 70; RFC 7432 §7, RFC 9136 §3), Herald's own:
//! ExaBGP 5 decodes EVPN but has no syntax to announce it. One statement per route, used
//! by the API's `announce evpn …` / `withdraw evpn …` and the neighbor's `evpn { … }`
//! block:
//!
//! ```text
//! mac-advertisement rd 65000:1 [esi <esi>] [ethernet-tag 10] mac 00:11:22:33:44:55 [ip 10.0.0.1] label 100 <attributes…>
//! ethernet-ad       rd 65000:1 esi <esi> [ethernet-tag 10] [label 100] <attributes…>
//! multicast         rd 65000:1 [ethernet-tag 10] ip 192.0.2.1 [pmsi-tunnel ingress-replication 192.0.2.1 [label N | vni N] [leaf-information]] <attributes…>
//! ethernet-segment  rd 65000:1 esi <esi> ip 192.0.2.1 <attributes…>
//! ip-prefix         rd 65000:1 [esi <esi>] [ethernet-tag 10] 198.51.100.0/24 [gateway 192.0.2.9] label 100 <attributes…>
//! ```
//!
//! Aliases: `macadv`, `auto-discovery`, `inclusive-multicast`, `segment`, `prefix` for the
//! route types, `etag` for `ethernet-tag`, `gw` for `gateway`. `label N` is an MPLS label
//! (written `N << 4` with the bottom-of-stack bit, as ExaBGP writes labels; `label [ N M
//! ]` gives a MAC/IP route its second label); `vni N` puts the 24-bit value N in the label
//! field as it is (the VXLAN encoding of RFC 8365 §5.1.3, GoBGP's). An ESI is `-`, `0`
//! or ten hex octets joined by `:`. The attributes are the route grammar's (`next-hop`,
//! `extended-community [ target:65000:1 mac-mobility:1 … ]`, …). A withdrawal
//! ([`parse_evpn_withdrawal`]) names the route by its key (RFC 7432 §7, RFC 9136 §3.1):
//! the label, ESI and gateway may be left out.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

use ipnet::IpNet;
use wire::attr::PmsiTunnel;
use wire::nlri::evpn::{Esi, EvpnLabel, MacAddress};
use wire::nlri::{Evpn, EvpnRoute, Label, PathId, RouteDistinguisher};
use wire::{Afi, Family, Nlri, Safi};

use super::{apply_attribute, is_attribute_word, parse_prefix, values as v, Cursor, RouteError};
use crate::model::Route;

/// The EVPN family.
pub const EVPN: Family = Family::new(Afi::L2VPN, Safi::EVPN);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    EthernetAd,
    MacIp,
    Multicast,
    Segment,
    IpPrefix,
}

impl Kind {
    fn from_word(word: &str) -> Option<Self> {
        Some(match word {
            "ethernet-ad" | "auto-discovery" | "a-d" => Self::EthernetAd,
            "mac-advertisement" | "macadv" | "mac-ip" => Self::MacIp,
            "multicast" | "inclusive-multicast" => Self::Multicast,
            "ethernet-segment" | "segment" => Self::Segment,
            "ip-prefix" | "prefix" => Self::IpPrefix,
            _ => return None,
        })
    }
}

#[derive(Default)]
struct Fields {
    rd: Option<RouteDistinguisher>,
    esi: Esi,
    etag: u32,
    mac: Option<MacAddress>,
    ip: Option<IpAddr>,
    prefix: Option<IpNet>,
    gateway: Option<IpAddr>,
    labels: Vec<EvpnLabel>,
    path_id: Option<PathId>,
}

/// Parses the words of one EVPN route (the route type first). Errors carry the index of
/// the word at fault.
pub fn parse_evpn(words: &[&str]) -> Result<Route, RouteError> {
    parse(words, false)
}

/// As [`parse_evpn`] for a route to withdraw: a MAC/IP or IP Prefix route without a
/// label gets a zero label field. The label is no part of the route key, so the
/// Adj-RIB-Out withdraws the route as it was announced; a route it does not hold is
/// withdrawn with the zero label.
pub fn parse_evpn_withdrawal(words: &[&str]) -> Result<Route, RouteError> {
    parse(words, true)
}

fn parse(words: &[&str], withdrawal: bool) -> Result<Route, RouteError> {
    let error = |index: usize, reason: String| RouteError {
        index,
        near: words.get(index).copied().unwrap_or("").to_owned(),
        reason,
    };
    let kind = words
        .first()
        .and_then(|w| Kind::from_word(w))
        .ok_or_else(|| {
            error(
                0,
                "an EVPN route type expected (mac-advertisement, ethernet-ad, multicast, \
                 ethernet-segment, ip-prefix)"
                    .into(),
            )
        })?;
    let mut cur = Cursor::new(words.to_vec());
    cur.next();
    let mut route = Route::new(EVPN, Nlri::Opaque(Vec::new()));
    let mut fields = Fields::default();
    while let Some(word) = cur.next() {
        let start = cur.position() - 1;
        fields
            .word(word, kind, &mut cur, &mut route)
            .map_err(|reason| {
                let index = cur.fault(start);
                error(index, reason)
            })?;
    }
    let path_id = fields.path_id;
    if withdrawal && fields.labels.is_empty() && matches!(kind, Kind::MacIp | Kind::IpPrefix) {
        fields.labels.push(EvpnLabel::default());
    }
    let value = fields
        .build(kind)
        .map_err(|reason| error(words.len(), reason))?;
    route.nlri = Nlri::Evpn(Box::new(Evpn {
        path_id,
        route: value,
    }));
    Ok(route)
}

fn ip(value: &str) -> Result<IpAddr, String> {
    value
        .parse()
        .map_err(|_| format!("'{value}' is not an IP address"))
}

/// `pmsi-tunnel ingress-replication <ip> [label N | vni N] [leaf-information]`: the PMSI
/// Tunnel attribute of an Inclusive Multicast route (RFC 6514 §5, RFC 7432 §11.2), an
/// Ingress Replication tunnel to `<ip>`. `label N` writes `N << 4` (as ExaBGP packs a
/// PMSI label), `vni N` the 24-bit value as it is (RFC 8365 §5.1.3); no label is 0.
fn pmsi_tunnel(cur: &mut Cursor<'_>) -> Result<PmsiTunnel, String> {
    let kind = cur.value("pmsi-tunnel")?;
    if kind != "ingress-replication" {
        return Err(format!(
            "unsupported PMSI tunnel type '{kind}' (ingress-replication; any other through \
             attribute [ 0x16 0xc0 … ])"
        ));
    }
    let endpoint = ip(cur.value("ingress-replication")?)?;
    let mut field = 0;
    let mut flags = 0;
    loop {
        match cur.peek() {
            Some(word @ ("label" | "vni")) => {
                cur.next();
                let value = cur.value(word)?;
                field = match (word, v::decimal_u32(value)) {
                    ("label", Some(n)) if n <= Label::MAX => n << 4,
                    ("vni", Some(n)) if n <= 0x00ff_ffff => n,
                    _ => return Err(format!("invalid PMSI tunnel {word} '{value}'")),
                };
            }
            Some("leaf-information") => {
                cur.next();
                flags |= 1;
            }
            _ => break,
        }
    }
    Ok(PmsiTunnel::ingress_replication(endpoint, field, flags))
}

impl Fields {
    fn word(
        &mut self,
        word: &str,
        kind: Kind,
        cur: &mut Cursor<'_>,
        route: &mut Route,
    ) -> Result<(), String> {
        match word {
            "rd" | "route-distinguisher" => {
                self.rd = Some(RouteDistinguisher(v::route_distinguisher(
                    cur.value(word)?,
                )?));
            }
            "esi" => self.esi = cur.value(word)?.parse()?,
            "ethernet-tag" | "etag" => {
                let value = cur.value(word)?;
                self.etag = v::decimal_u32(value)
                    .ok_or_else(|| format!("invalid ethernet-tag '{value}'"))?;
            }
            "mac" => self.mac = Some(cur.value(word)?.parse()?),
            "ip" => self.ip = Some(ip(cur.value(word)?)?),
            "gateway" | "gw" => self.gateway = Some(ip(cur.value(word)?)?),
            "prefix" => self.prefix = Some(parse_prefix(cur.value(word)?)?),
            "label" => {
                for value in v::labels(cur)? {
                    // `labels` keeps 20-bit values only.
                    self.labels.extend(EvpnLabel::mpls(value));
                }
            }
            "vni" => {
                let value = cur.value(word)?;
                let vni = v::decimal_u32(value)
                    .filter(|n| *n <= 0x00ff_ffff)
                    .ok_or_else(|| format!("invalid vni '{value}' (24 bits)"))?;
                self.labels.push(EvpnLabel::from_raw(vni));
            }
            "pmsi-tunnel" => route.attributes.push(pmsi_tunnel(cur)?.to_attribute()),
            "path-information" => {
                self.path_id = Some(PathId(v::path_information(cur.value(word)?)?));
            }
            _ if kind == Kind::IpPrefix && word.contains('/') => {
                self.prefix = Some(parse_prefix(word)?);
            }
            _ if is_attribute_word(word) => apply_attribute(route, word, cur)?,
            _ => return Err(format!("unknown EVPN route word '{word}'")),
        }
        Ok(())
    }

    fn build(self, kind: Kind) -> Result<EvpnRoute, String> {
        let rd = self.rd.ok_or("an EVPN route needs an rd")?;
        let (esi, etag) = (self.esi, self.etag);
        Ok(match kind {
            Kind::EthernetAd => EvpnRoute::EthernetAd {
                rd,
                esi,
                etag,
                labels: self.labels,
            },
            Kind::MacIp => {
                if self.labels.is_empty() || self.labels.len() > 2 {
                    return Err("a mac-advertisement route needs one or two labels".into());
                }
                EvpnRoute::MacIp {
                    rd,
                    esi,
                    etag,
                    mac: self.mac.ok_or("a mac-advertisement route needs a mac")?,
                    ip: self.ip,
                    labels: self.labels,
                }
            }
            Kind::Multicast => EvpnRoute::Multicast {
                rd,
                etag,
                ip: self.ip.ok_or("a multicast route needs the router's ip")?,
            },
            Kind::Segment => EvpnRoute::EthernetSegment {
                rd,
                esi,
                ip: self
                    .ip
                    .ok_or("an ethernet-segment route needs the router's ip")?,
            },
            Kind::IpPrefix => {
                let prefix = self.prefix.ok_or("an ip-prefix route needs a prefix")?;
                let unspecified = match prefix {
                    IpNet::V4(_) => IpAddr::V4(Ipv4Addr::UNSPECIFIED),
                    IpNet::V6(_) => IpAddr::V6(Ipv6Addr::UNSPECIFIED),
                };
                let gateway = self.gateway.unwrap_or(unspecified);
                if gateway.is_ipv4() != prefix.addr().is_ipv4() {
                    return Err("the gateway and the prefix must be of one IP version".into());
                }
                let [label] = self.labels[..] else {
                    return Err("an ip-prefix route needs one label".into());
                };
                EvpnRoute::IpPrefix {
                    rd,
                    esi,
                    etag,
                    prefix_len: prefix.prefix_len(),
                    prefix: prefix.network(),
                    gateway,
                    label,
                }
            }
        })
    }
}

#[cfg(test)]
mod tests;
