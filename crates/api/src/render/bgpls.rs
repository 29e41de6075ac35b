//! BGP-LS NLRI (RFC 7752 §3.2, RFC 9514 §6) and RTC NLRI (RFC 4684) in ExaBGP 5's JSON.
//!
//! One object per NLRI, in ExaBGP's key order and spacing (an empty list is `[  ]`):
//! `{ "ls-nlri-type": "bgpls-link", "l3-routing-topology": 0, "protocol-id": 3,
//! "local-node-descriptors": [ { "autonomous-system": 1 }, … ], "remote-node-descriptors":
//! [ … ], "interface-addresses": [ "10.1.1.1" ], "neighbor-addresses": [ … ],
//! "multi-topology-ids": [ 2 ], "link-identifiers": [ { "link-local-id": 16,
//! "link-remote-id": 0 } ] }`. Node and Prefix NLRI end with `"nexthop"` (`"None"` for a
//! withdrawn route); a VPN NLRI with `"rd"`. An NLRI of an unknown type is `{ "code": 9,
//! "parsed": false, "raw": "<header and value in hex>" }`.
//!
//! An RTC NLRI is `{ "origin": 65000, "route-target": "target:65000:100" }`, the default
//! route `{ "origin": 0, "route-target": null }`.

use std::fmt::Write;
use std::net::IpAddr;

use wire::nlri::bgpls::view::{Descriptors, NodeSub, Srv6Item};
use wire::nlri::bgpls::{self, BgpLs, LsBody};
use wire::nlri::Rtc;

use super::{extcomm, hex_upper, json_str, typed_nlri_head};

/// Appends the JSON object of a BGP-LS NLRI; `next_hop` is the route's (Node and Prefix
/// NLRI print it).
pub(crate) fn json(out: &mut String, nlri: &BgpLs, next_hop: Option<IpAddr>) {
    let (protocol, identifier) = match &nlri.body {
        LsBody::Objects {
            protocol,
            identifier,
            ..
        } => (*protocol, *identifier),
        LsBody::Unknown(_) => return unknown(out, nlri),
    };
    // A decoded NLRI always parses (it was checked on receipt); one built by hand that
    // does not is shown as unknown.
    let Ok(d) = Descriptors::parse(nlri) else {
        return unknown(out, nlri);
    };
    let name = match nlri.code {
        bgpls::NODE => "bgpls-node",
        bgpls::LINK => "bgpls-link",
        bgpls::PREFIX_V4 => "bgpls-prefix-v4",
        bgpls::PREFIX_V6 => "bgpls-prefix-v6",
        _ => "bgpls-srv6sid",
    };
    let _ = write!(
        out,
        "{{ \"ls-nlri-type\": \"{name}\", \"l3-routing-topology\": {identifier}, \"protocol-id\": {protocol}, "
    );
    match nlri.code {
        bgpls::LINK => {
            list(out, "local-node-descriptors", &d.local, node);
            out.push_str(", ");
            list(out, "remote-node-descriptors", &d.remote, node);
            out.push_str(", ");
            list(out, "interface-addresses", &d.interfaces, |o, ip| {
                let _ = write!(o, "\"{ip}\"");
            });
            out.push_str(", ");
            list(out, "neighbor-addresses", &d.neighbors, |o, ip| {
                let _ = write!(o, "\"{ip}\"");
            });
            out.push_str(", ");
            list(out, "multi-topology-ids", &d.mt_ids, |o, id| {
                let _ = write!(o, "{id}");
            });
            out.push_str(", ");
            let ids: Vec<(u32, u32)> = d.link_ids.into_iter().collect();
            list(out, "link-identifiers", &ids, |o, (l, r)| {
                let _ = write!(o, "{{ \"link-local-id\": {l}, \"link-remote-id\": {r} }}");
            });
        }
        bgpls::SRV6_SID => {
            list(out, "node-descriptors", &d.local, node);
            out.push_str(", \"srv6-sid-descriptors\": ");
            srv6_descriptors(out, &d);
        }
        _ => {
            list(out, "node-descriptors", &d.local, node);
            if let Some(reach) = d.reach {
                let _ = write!(
                    out,
                    ", \"ip-reachability-tlv\": \"{0}\", \"ip-reach-prefix\": \"{0}/{1}\"",
                    reach.prefix, reach.bits
                );
            }
            match next_hop {
                Some(ip) => {
                    let _ = write!(out, ", \"nexthop\": \"{ip}\"");
                }
                None => out.push_str(", \"nexthop\": \"None\""),
            }
            if let Some(kind) = d.ospf_route_type {
                let _ = write!(out, ", \"ospf-route-type\": {kind}");
            }
        }
    }
    if let Some(rd) = &nlri.rd {
        let _ = write!(out, ", \"rd\": \"{rd}\"");
    }
    out.push_str(" }");
}

fn unknown(out: &mut String, nlri: &BgpLs) {
    let mut bytes = Vec::new();
    // An NLRI that was decoded always re-encodes; otherwise the raw field is left empty.
    let _ = nlri.encode(false, &mut bytes);
    typed_nlri_head(out, nlri.code, &bytes, None);
}

/// `"name": [ a, b ]`, and `[  ]` when empty (ExaBGP joins into `[ {} ]`).
fn list<T>(out: &mut String, name: &str, items: &[T], mut one: impl FnMut(&mut String, &T)) {
    let _ = write!(out, "\"{name}\": [ ");
    for (i, item) in items.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        one(out, item);
    }
    out.push_str(" ]");
}

/// One node descriptor sub-TLV as its own object.
fn node(out: &mut String, sub: &NodeSub<'_>) {
    out.push_str("{ ");
    match sub {
        NodeSub::As(asn) => {
            let _ = write!(out, "\"autonomous-system\": {asn}");
        }
        NodeSub::BgpLsId(id) => {
            let _ = write!(out, "\"bgp-ls-identifier\": \"{id}\"");
        }
        NodeSub::OspfArea(ip) => {
            let _ = write!(out, "\"ospf-area-id\": \"{ip}\"");
        }
        NodeSub::IsisRouter { id, psn } => {
            out.push_str("\"router-id\": \"");
            for b in *id {
                let _ = write!(out, "{b:02x}");
            }
            out.push('"');
            if let Some(psn) = psn.filter(|p| *p != 0) {
                let _ = write!(out, ", \"psn\": \"{psn}\"");
            }
        }
        NodeSub::OspfRouter { id, dr } => {
            let _ = write!(out, "\"router-id\": \"{id}\"");
            if let Some(dr) = dr {
                let _ = write!(out, ", \"designated-router-id\": \"{dr}\"");
            }
        }
        NodeSub::Other { code, value } => {
            let _ = write!(out, "\"generic-node-descriptor-{code}\": \"");
            hex_upper(out, value);
            out.push('"');
        }
    }
    out.push_str(" }");
}

/// The SRv6 SID descriptors as Python's `json.dumps` writes ExaBGP's dictionary: the
/// MT-IDs first (as strings), then the SID and other TLVs in first-seen order.
fn srv6_descriptors(out: &mut String, d: &Descriptors<'_>) {
    out.push_str("{\"multi-topology-ids\": [");
    for (i, id) in d.mt_ids.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "\"{id}\"");
    }
    out.push(']');
    for item in &d.srv6 {
        match item {
            Srv6Item::Sid(sid) => {
                let _ = write!(out, ", \"srv6-sid\": \"{sid}\"");
            }
            Srv6Item::Other(code, values) => {
                let _ = write!(out, ", \"generic-tlv-{code}\": [");
                for (i, v) in values.iter().enumerate() {
                    if i > 0 {
                        out.push_str(", ");
                    }
                    out.push('"');
                    hex_upper(out, v);
                    out.push('"');
                }
                out.push(']');
            }
        }
    }
    out.push('}');
}

/// Appends the JSON object of an RTC NLRI.
pub(crate) fn rtc_json(out: &mut String, rtc: &Rtc) {
    if rtc.bits == 0 {
        out.push_str("{ \"origin\": 0, \"route-target\": null }");
        return;
    }
    let _ = write!(out, "{{ \"origin\": {}, \"route-target\": ", rtc.origin);
    let mut name = String::new();
    extcomm::text(&mut name, &rtc_target(rtc));
    json_str(out, &name);
    out.push_str(" }");
}

/// The route target as an extended community, its type's Transitive and IANA bits cleared
/// as ExaBGP reads it.
fn rtc_target(rtc: &Rtc) -> [u8; 8] {
    let mut rt = rtc.route_target;
    rt[0] &= 0x3f;
    rt
}
