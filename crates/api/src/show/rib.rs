//! `show adj-rib in|out [extensive] [json]`: one line per route.

use std::fmt::Write;
use std::net::IpAddr;

use wire::{Attribute, Family, Nlri};

use super::neighbor::{json_members, NeighborStatus};
use crate::command::PeerIdentity;
use crate::render::attr::AttrView;
use crate::render::update::{nlri_text, nlri_text_tail};

/// One route of an Adj-RIB.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RibEntry {
    /// Address family.
    pub family: Family,
    /// The NLRI, with its path identifier.
    pub nlri: Nlri,
    /// The next hop (resolved when it was `self`).
    pub next_hop: Option<IpAddr>,
    /// The path attributes (no NEXT_HOP, no MP_*).
    pub attributes: Vec<Attribute>,
}

/// ExaBGP's full name of a neighbor, used by `show adj-rib … extensive`:
/// `neighbor <ip> local-ip <ip> local-as <asn> peer-as <asn> router-id <id> family-allowed <…>`.
pub fn neighbor_name(peer: &PeerIdentity) -> String {
    let auto = |v: Option<String>| v.unwrap_or_else(|| "auto".to_owned());
    format!(
        "neighbor {} local-ip {} local-as {} peer-as {} router-id {} family-allowed {}",
        peer.peer,
        auto(peer.local_ip.map(|ip| ip.to_string())),
        auto(peer.local_as.map(|a| a.0.to_string())),
        auto(peer.peer_as.map(|a| a.0.to_string())),
        peer.router_id
            .map_or_else(|| "None".to_owned(), |id| id.to_string()),
        peer.family_allowed
    )
}

/// The text lines of `show adj-rib` for one peer: `<ip> <afi> <safi> <route>`, or with
/// `extensive` `<neighbor name> <afi> <safi> <route> <attributes>`.
pub fn adj_rib_text(out: &mut String, peer: &PeerIdentity, entries: &[RibEntry], extensive: bool) {
    let name = if extensive {
        neighbor_name(peer)
    } else {
        peer.peer.to_string()
    };
    for entry in entries {
        let _ = write!(out, "{name} {} ", entry.family);
        if let wire::Nlri::Mvpn(route) = &entry.nlri {
            // ExaBGP prints an MCAST-VPN route by its short name, without next hop.
            crate::render::mvpn::short(out, route);
            if extensive {
                AttrView::new(&entry.attributes, false, None).text(out);
            }
            out.push('\n');
            continue;
        }
        nlri_text(out, entry.family, &entry.nlri);
        if let Some(hop) = entry.next_hop {
            let _ = write!(out, " next-hop {hop}");
        }
        nlri_text_tail(out, &entry.nlri);
        if extensive {
            AttrView::new(&entry.attributes, false, None).text(out);
        }
        out.push('\n');
    }
}

/// The JSON lines of `show adj-rib … json` for one peer (ExaBGP's `show-routes-format`
/// v1): one line per prefix route, `{"<ip>": {"routes": [{"prefix": …, "family": …}]}}`,
/// with the neighbor's `show neighbor json` members added when `status` is given
/// (`extensive`); labeled and VPN routes by their prefix. Other routes (FlowSpec, VPLS …)
/// are not listed.
pub fn adj_rib_json(
    out: &mut String,
    peer: IpAddr,
    entries: &[RibEntry],
    status: Option<&NeighborStatus>,
) {
    for entry in entries {
        let (Nlri::Prefix { prefix, .. } | Nlri::Labeled { prefix, .. }) = &entry.nlri else {
            continue;
        };
        let _ = write!(
            out,
            "{{\"{peer}\": {{\"routes\": [{{\"prefix\": \"{prefix}\", \"family\": \"{}\"}}]",
            entry.family
        );
        if let Some(status) = status {
            out.push_str(", ");
            json_members(out, status);
        }
        out.push_str("}}\n");
    }
}
