//! Path attributes in ExaBGP 5's text form (its `_generate_text()`): ` origin igp
//! as-path [ 65001 ] …`, one ` name value` per attribute, lists as ExaBGP writes them.

use std::fmt::Write;

use wire::attr::{Community, SegmentType};

use super::{ext6_name, origin_name, Item};
use crate::render::{self, extcomm, hex_lower, hex_upper};

fn segment_marks(kind: SegmentType) -> (&'static str, &'static str) {
    match kind {
        SegmentType::Set => ("[", "]"),
        SegmentType::Sequence => ("(", ")"),
        SegmentType::ConfedSequence => ("{(", ")}"),
        SegmentType::ConfedSet => ("{[", "]}"),
    }
}

/// Appends a standard community's text name (RFC 1997 well-known names, else `A:B`).
pub(crate) fn community_text(out: &mut String, c: Community) {
    match c {
        Community::NO_EXPORT => out.push_str("no-export"),
        Community::NO_ADVERTISE => out.push_str("no-advertise"),
        Community::NO_EXPORT_SUBCONFED => out.push_str("no-export-subconfed"),
        Community::NOPEER => out.push_str("no-peer"),
        Community::BLACKHOLE => out.push_str("blackhole"),
        Community(v) => {
            let _ = write!(out, "{}:{}", v >> 16, v & 0xffff);
        }
    }
}

/// Appends ExaBGP's list form: one member alone, several as `[ a b ]`, none as nothing.
fn text_list<T>(out: &mut String, items: &[T], mut one: impl FnMut(&mut String, &T)) {
    match items {
        [] => {}
        [only] => one(out, only),
        many => {
            out.push_str("[ ");
            for (i, item) in many.iter().enumerate() {
                if i > 0 {
                    out.push(' ');
                }
                one(out, item);
            }
            out.push_str(" ]");
        }
    }
}

impl Item<'_> {
    /// Appends the attribute as ExaBGP's text encoder writes it, with its leading space.
    pub(super) fn text(&self, out: &mut String) {
        match self {
            Self::Origin(o) => {
                let _ = write!(out, " origin {}", origin_name(*o));
            }
            Self::AsPath(path) => {
                out.push_str(" as-path ");
                for (i, segment) in path.0.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    let (head, tail) = segment_marks(segment.kind);
                    out.push_str(head);
                    out.push(' ');
                    for (j, asn) in segment.asns.iter().enumerate() {
                        if j > 0 {
                            out.push(' ');
                        }
                        let _ = write!(out, "{}", asn.0);
                    }
                    out.push(' ');
                    out.push_str(tail);
                }
            }
            Self::Med(v) => {
                let _ = write!(out, " med {v}");
            }
            Self::LocalPref(v) => {
                let _ = write!(out, " local-preference {v}");
            }
            Self::AtomicAggregate => out.push_str(" atomic-aggregate"),
            Self::Aggregator(a) => {
                let _ = write!(out, " aggregator ( {}:{} )", a.asn.0, a.ip);
            }
            Self::Communities(list) => {
                out.push_str(" community ");
                text_list(out, list, |out, c| community_text(out, *c));
            }
            Self::OriginatorId(ip) => {
                let _ = write!(out, " originator-id {ip}");
            }
            Self::ClusterList(list) => {
                // ExaBGP always brackets the cluster list, even a single id.
                out.push_str(" cluster-list [ ");
                for (i, ip) in list.iter().enumerate() {
                    if i > 0 {
                        out.push(' ');
                    }
                    let _ = write!(out, "{ip}");
                }
                out.push_str(" ]");
            }
            Self::ExtCommunities(list) => {
                out.push_str(" extended-community ");
                text_list(out, list, |out, c| extcomm::text(out, &c.0));
            }
            Self::Ext6Communities(list) => {
                out.push_str(" extended-community-ipv6 ");
                text_list(out, list, |out, c| {
                    if !ext6_name(out, c) {
                        hex_upper(out, c);
                    }
                });
            }
            Self::Aigp(v) => {
                let _ = write!(out, " aigp 0x{v:016x}");
            }
            Self::LargeCommunities(list) => {
                out.push_str(" large-community ");
                text_list(out, list, |out, c| {
                    let _ = write!(out, "{}:{}:{}", c.global, c.local1, c.local2);
                });
            }
            Self::PrefixSid(sid) => render::prefix_sid::text(out, sid),
            Self::LinkState(ls) => render::bgpls_text::text(out, ls),
            Self::Pmsi(pmsi) => {
                let _ = write!(out, " pmsi {pmsi}");
            }
            Self::Generic { code, flags, data } => {
                let _ = write!(out, " attribute [ 0x{code:02X} 0x{flags:02X} ");
                hex_lower(out, data);
                out.push_str(" ]");
            }
            Self::Error(what) => {
                out.push_str(" error ");
                render::oneline(out, what);
            }
        }
    }
}
