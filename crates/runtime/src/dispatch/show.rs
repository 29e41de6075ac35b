//! `show neighbor …` and `show adj-rib …`: snapshots are asked from the peer tasks by a
//! separate task, rendered with the api crate's renderers, and written to the helper
//! followed by `done`, so a slow peer never holds the supervisor up.

use std::fmt::Write;
use std::sync::Arc;
use std::time::Duration;

use api::command::{NeighborView, PeerIdentity, RibFilter, RibSide, Show};
use api::show::{self as render, CapabilityStatus, FamilyStatus, NeighborStatus, RibEntry};
use config::{AsnSetting, Neighbor};
use tokio::sync::oneshot;
use wire::{Capability, Family, Nlri, Safi};

use super::select::identity;
use crate::event::{Counts, FsmState, PeerCommand, PeerHandle, PeerSnapshot, ShowWhat};
use crate::process::OutQueue;
use crate::supervisor::Supervisor;

/// How long a peer task has to answer a `show`.
const SNAPSHOT_TIMEOUT: Duration = Duration::from_secs(2);

/// One peer to report on.
struct Target {
    handle: PeerHandle,
    identity: PeerIdentity,
}

/// Starts answering `what` for helper `process`.
pub(crate) fn start(sup: &Supervisor, process: &str, what: Show, line: &str) {
    let Some((queue, ack)) = sup.answer_queue(process) else {
        return;
    };
    let json_word = line.split_whitespace().any(|w| w == "json");
    let targets: Vec<Target> = sup
        .peers
        .values()
        .filter(|e| !e.stopping)
        .map(|e| Target {
            handle: e.handle.clone(),
            identity: identity(e),
        })
        .collect();
    let neighbors: Vec<Arc<Neighbor>> = sup.config.neighbors.clone();
    tokio::spawn(async move {
        let mut out = String::new();
        match what {
            Show::Neighbor { view, peer } => {
                let view = if json_word {
                    Some(NeighborView::Json)
                } else {
                    view
                };
                let targets: Vec<Target> = targets
                    .into_iter()
                    .filter(|t| peer.is_none_or(|ip| ip == t.identity.peer))
                    .collect();
                match view {
                    None => out.push_str(
                        "please specify summary, extensive or configuration\n\
                         you can filter by peer ip address adding it after the word neighbor\n",
                    ),
                    Some(NeighborView::Configuration) => {
                        for n in neighbors
                            .iter()
                            .filter(|n| peer.is_none_or(|ip| n.peer_address.contains(&ip)))
                        {
                            configuration(&mut out, n);
                        }
                    }
                    Some(view) => {
                        let statuses = collect(&targets, ShowWhat::default()).await;
                        let statuses: Vec<NeighborStatus> =
                            statuses.iter().map(|(n, s)| status(n, s)).collect();
                        match view {
                            NeighborView::Summary => {
                                render::summary_header(&mut out);
                                for s in &statuses {
                                    render::summary(&mut out, s);
                                }
                            }
                            NeighborView::Extensive => {
                                for s in &statuses {
                                    render::extensive(&mut out, s);
                                }
                            }
                            _ => render::json(&mut out, &statuses),
                        }
                    }
                }
            }
            Show::AdjRib {
                side,
                extensive,
                json,
                filter,
            } => {
                let json = json || json_word;
                let targets: Vec<Target> = targets
                    .into_iter()
                    .filter(|t| match filter {
                        RibFilter::Peer(ip) => ip == t.identity.peer,
                        _ => true,
                    })
                    .collect();
                let what = ShowWhat {
                    adj_rib_in: side == RibSide::In,
                    adj_rib_out: side == RibSide::Out,
                    counts: false,
                };
                for (neighbor, snapshot) in collect(&targets, what).await {
                    let rib = match side {
                        RibSide::In => &snapshot.adj_rib_in,
                        RibSide::Out => &snapshot.adj_rib_out,
                    };
                    let entries: Vec<RibEntry> = rib
                        .iter()
                        .filter(|e| family_filter(filter, e.family))
                        .map(|e| RibEntry {
                            family: e.family,
                            nlri: e.nlri.clone(),
                            next_hop: e.next_hop,
                            attributes: e.attributes.clone(),
                        })
                        .collect();
                    let ident = targets
                        .iter()
                        .find(|t| Arc::ptr_eq(&t.handle.neighbor, &neighbor))
                        .map(|t| t.identity.clone());
                    let Some(ident) = ident else { continue };
                    if json {
                        let status = extensive.then(|| status(&neighbor, &snapshot));
                        render::adj_rib_json(&mut out, ident.peer, &entries, status.as_ref());
                    } else {
                        render::adj_rib_text(&mut out, &ident, &entries, extensive);
                    }
                }
            }
        }
        write(&queue, out);
        if ack {
            write(&queue, "done\n".to_owned());
        }
    });
}

fn write(queue: &OutQueue, text: String) {
    if !text.is_empty() {
        queue.push(text.into());
    }
}

fn family_filter(filter: RibFilter, family: Family) -> bool {
    match filter {
        RibFilter::All | RibFilter::Peer(_) => true,
        RibFilter::Inet => matches!(
            family.safi,
            Safi::UNICAST | Safi::MULTICAST | Safi::MPLS | Safi::MPLS_VPN
        ),
        RibFilter::Flow => matches!(family.safi, Safi::FLOW | Safi::FLOW_VPN),
        RibFilter::L2vpn => family.afi == wire::Afi::L2VPN,
    }
}

/// Asks every target for a snapshot; peers that do not answer in time are left out.
async fn collect(targets: &[Target], what: ShowWhat) -> Vec<(Arc<Neighbor>, PeerSnapshot)> {
    let mut pending = Vec::new();
    for t in targets {
        let (reply, rx) = oneshot::channel();
        if t.handle.send(PeerCommand::Show { what, reply }) {
            pending.push((t.handle.neighbor.clone(), rx));
        }
    }
    let mut out = Vec::new();
    for (neighbor, rx) in pending {
        if let Ok(Ok(snapshot)) = tokio::time::timeout(SNAPSHOT_TIMEOUT, rx).await {
            out.push((neighbor, snapshot));
        }
    }
    out
}

fn counts(c: &Counts) -> render::Counts {
    render::Counts {
        open: c.open,
        notification: c.notification,
        keepalive: c.keepalive,
        update: c.update,
        refresh: c.refresh,
    }
}

/// `show neighbor` data of one peer from its configuration and snapshot.
fn status(neighbor: &Neighbor, snapshot: &PeerSnapshot) -> NeighborStatus {
    let st = &snapshot.status;
    let peer_caps = st.peer_open.as_ref().map(|o| o.capabilities.as_slice());
    let has = |f: &dyn Fn(&Capability) -> bool| peer_caps.map(|caps| caps.iter().any(f));
    let cap = neighbor.capability.clone();
    let capabilities = [
        CapabilityStatus {
            local: Some(cap.asn4),
            peer: has(&|c| matches!(c, Capability::FourOctetAsn(_))),
        },
        CapabilityStatus {
            local: Some(cap.route_refresh),
            peer: has(&|c| {
                matches!(
                    c,
                    Capability::RouteRefresh | Capability::EnhancedRouteRefresh
                )
            }),
        },
        CapabilityStatus {
            local: Some(cap.multi_session),
            peer: has(&|c| matches!(c, Capability::Multisession(_))),
        },
        CapabilityStatus {
            local: Some(cap.operational),
            peer: has(&|c| matches!(c, Capability::Operational)),
        },
        CapabilityStatus {
            local: Some(cap.add_path.is_some()),
            peer: has(&|c| matches!(c, Capability::AddPath(_))),
        },
        CapabilityStatus {
            local: Some(cap.extended_message),
            peer: has(&|c| matches!(c, Capability::ExtendedMessage)),
        },
        CapabilityStatus {
            local: Some(cap.graceful_restart.is_some()),
            peer: has(&|c| matches!(c, Capability::GracefulRestart(_))),
        },
    ];
    let negotiated = st.negotiated.as_ref();
    let families = neighbor
        .families
        .iter()
        .map(|f| FamilyStatus {
            family: *f,
            peer: negotiated.map(|n| n.families.contains(f)),
            add_path_send: negotiated.map(|n| n.add_path_send.contains(f)),
            add_path_receive: negotiated.map(|n| n.add_path_receive.contains(f)),
        })
        .collect();
    let established = st.state == FsmState::Established;
    let secs = st.up_down.map_or(0, |d| d.as_secs());
    NeighborStatus {
        peer_addr: snapshot.peer.peer_addr,
        local_addr: snapshot.peer.local_addr,
        local_as: snapshot.peer.local_as,
        peer_as: snapshot.peer.peer_as,
        local_id: snapshot.peer.router_id,
        peer_id: st.peer_open.as_ref().map(|o| o.router_id),
        local_hold: neighbor.hold_time,
        peer_hold: st.peer_open.as_ref().map(|o| o.hold_time),
        state: st.state.name().to_owned(),
        up_for: established.then_some(secs),
        down_for: if established { 0 } else { secs },
        capabilities,
        families,
        sent: counts(&st.counters.sent),
        received: counts(&st.counters.received),
    }
}

/// `show neighbor configuration`: the main settings of a neighbor in configuration syntax.
fn configuration(out: &mut String, n: &Neighbor) {
    let asn = |a: AsnSetting| match a {
        AsnSetting::Asn(a) => a.0.to_string(),
        AsnSetting::Auto => "auto".to_owned(),
    };
    let address = if n.peer_address.prefix_len() == n.peer_address.max_prefix_len() {
        n.peer_address.addr().to_string()
    } else {
        n.peer_address.to_string()
    };
    let _ = writeln!(out, "neighbor {address} {{");
    if !n.description.is_empty() {
        let _ = writeln!(out, "\tdescription \"{}\";", n.description);
    }
    if let Some(id) = n.router_id {
        let _ = writeln!(out, "\trouter-id {id};");
    }
    if let Some(local) = n.local_address {
        let _ = writeln!(out, "\tlocal-address {local};");
    }
    let _ = writeln!(out, "\tlocal-as {};", asn(n.local_as));
    let _ = writeln!(out, "\tpeer-as {};", asn(n.peer_as));
    let _ = writeln!(out, "\thold-time {};", n.hold_time);
    if n.passive {
        out.push_str("\tpassive true;\n");
    }
    out.push_str("\tfamily {\n");
    for f in &n.families {
        let _ = writeln!(out, "\t\t{f};");
    }
    out.push_str("\t}\n");
    let prefixes: Vec<_> = n
        .routes
        .iter()
        .filter_map(|r| match &r.nlri {
            Nlri::Prefix { prefix, .. } => Some((prefix, r.next_hop)),
            _ => None,
        })
        .collect();
    if !prefixes.is_empty() {
        out.push_str("\tstatic {\n");
        for (prefix, next_hop) in prefixes {
            let _ = write!(out, "\t\troute {prefix}");
            match next_hop {
                config::NextHop::Ip(ip) => {
                    let _ = write!(out, " next-hop {ip}");
                }
                config::NextHop::SelfAddr => out.push_str(" next-hop self"),
                config::NextHop::None => {}
            }
            out.push_str(";\n");
        }
        out.push_str("\t}\n");
    }
    out.push_str("}\n");
}
