//! `show neighbor summary`, `show neighbor extensive` and `show neighbor json`.

use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr};

use wire::{Asn, Family};

use crate::render::json_str;

/// A capability as configured locally and as announced by the peer (`None` = not known
/// yet: no OPEN received).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct CapabilityStatus {
    /// Enabled in our configuration.
    pub local: Option<bool>,
    /// Announced by the peer.
    pub peer: Option<bool>,
}

/// One configured family.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FamilyStatus {
    /// The family.
    pub family: Family,
    /// Negotiated with the peer (`None` before its OPEN).
    pub peer: Option<bool>,
    /// We send ADD-PATH identifiers (`None` when not known yet).
    pub add_path_send: Option<bool>,
    /// We receive ADD-PATH identifiers.
    pub add_path_receive: Option<bool>,
}

/// Messages of one direction, by type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Counts {
    /// OPEN.
    pub open: u64,
    /// NOTIFICATION.
    pub notification: u64,
    /// KEEPALIVE.
    pub keepalive: u64,
    /// UPDATE.
    pub update: u64,
    /// ROUTE-REFRESH.
    pub refresh: u64,
}

impl Counts {
    fn rows(&self) -> [(&'static str, u64); 6] {
        let total = self.open + self.notification + self.keepalive + self.update + self.refresh;
        [
            ("open", self.open),
            ("notification", self.notification),
            ("keepalive", self.keepalive),
            ("update", self.update),
            ("refresh", self.refresh),
            ("total", total),
        ]
    }
}

/// What `show neighbor` reports about one peer (ExaBGP's `cli_data`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NeighborStatus {
    /// The peer address.
    pub peer_addr: IpAddr,
    /// Our address (`None` prints as `None`, ExaBGP's auto-discovery before connecting).
    pub local_addr: Option<IpAddr>,
    /// Our ASN.
    pub local_as: Asn,
    /// The peer's ASN.
    pub peer_as: Asn,
    /// Our router id.
    pub local_id: Ipv4Addr,
    /// The peer's router id, once its OPEN arrived.
    pub peer_id: Option<Ipv4Addr>,
    /// Our hold time.
    pub local_hold: u16,
    /// The peer's hold time, once its OPEN arrived.
    pub peer_hold: Option<u16>,
    /// The FSM state, ExaBGP's name (`ESTABLISHED`, `ACTIVE` …).
    pub state: String,
    /// Seconds since the session came up; `None` when it is not up.
    pub up_for: Option<u64>,
    /// Seconds the peer has been down (ExaBGP: last reset minus creation).
    pub down_for: u64,
    /// asn4, route-refresh, multi-session, operational, add-path, extended-message,
    /// graceful-restart — in that order.
    pub capabilities: [CapabilityStatus; 7],
    /// The configured families.
    pub families: Vec<FamilyStatus>,
    /// Messages sent.
    pub sent: Counts,
    /// Messages received.
    pub received: Counts,
}

/// The names of [`NeighborStatus::capabilities`], in order.
pub const CAPABILITY_NAMES: [&str; 7] = [
    "asn4",
    "route-refresh",
    "multi-session",
    "operational",
    "add-path",
    "extended-message",
    "graceful-restart",
];

fn enabled(value: Option<bool>) -> &'static str {
    match value {
        None => "n/a",
        Some(true) => "enabled",
        Some(false) => "disabled",
    }
}

fn add_path(send: Option<bool>, receive: Option<bool>) -> &'static str {
    match (send == Some(true), receive == Some(true)) {
        (true, true) => "send/receive",
        (true, false) => "send",
        (false, true) => "receive",
        (false, false) => "disabled",
    }
}

/// Python's `str(timedelta(seconds=…))`: `0:00:29`, `1 day, 2:03:04`.
fn timedelta(seconds: u64) -> String {
    let days = seconds / 86_400;
    let rest = seconds % 86_400;
    let clock = format!("{}:{:02}:{:02}", rest / 3600, rest % 3600 / 60, rest % 60);
    match days {
        0 => clock,
        1 => format!("1 day, {clock}"),
        n => format!("{n} days, {clock}"),
    }
}

fn or_na<T: ToString>(value: Option<T>) -> String {
    value.map_or_else(|| "n/a".to_owned(), |v| v.to_string())
}

fn local_text(status: &NeighborStatus) -> String {
    status
        .local_addr
        .map_or_else(|| "None".to_owned(), |ip| ip.to_string())
}

/// The summary header line.
pub fn summary_header(out: &mut String) {
    out.push_str("Peer            AS        up/down state       |     #sent     #recvd\n");
}

/// One `show neighbor summary` line.
pub fn summary(out: &mut String, status: &NeighborStatus) {
    let duration = status.up_for.map_or_else(|| "down".to_owned(), timedelta);
    let _ = writeln!(
        out,
        "{:<15} {:<7} {:>9} {:<12} {:>10} {:>10}",
        status.peer_addr.to_string(),
        status.peer_as.0.to_string(),
        duration,
        status.state.to_lowercase(),
        status.sent.update,
        status.received.update
    );
}

/// The `show neighbor extensive` block of one peer.
pub fn extensive(out: &mut String, status: &NeighborStatus) {
    let row = |out: &mut String, label: &str, a: &str, b: &str, c: &str| {
        let _ = writeln!(out, "   {label:<20} {a:>15} {b:>15} {c:<15}");
    };
    let _ = writeln!(out, "Neighbor {}\n", status.peer_addr);
    out.push_str("    Session                       Local\n");
    row(out, "local", &local_text(status), "", "");
    row(out, "state", &status.state, "", "");
    match status.up_for {
        Some(up) => row(out, "up for", &timedelta(up), "", ""),
        None => row(out, "down for", &timedelta(status.down_for), "", ""),
    }
    out.push_str("\n    Setup                         Local          Remote\n");
    row(
        out,
        "AS",
        &status.local_as.0.to_string(),
        &status.peer_as.0.to_string(),
        "",
    );
    row(
        out,
        "ID",
        &status.local_id.to_string(),
        &or_na(status.peer_id),
        "",
    );
    row(
        out,
        "hold-time",
        &status.local_hold.to_string(),
        &or_na(status.peer_hold),
        "",
    );
    out.push_str("\n    Capability                    Local          Remote\n");
    for (name, cap) in CAPABILITY_NAMES.iter().zip(&status.capabilities) {
        row(
            out,
            &format!("{name}:"),
            enabled(cap.local),
            enabled(cap.peer),
            "",
        );
    }
    out.push_str("\n    Families                      Local          Remote        Add-Path\n");
    for f in &status.families {
        // ExaBGP prints the ADD-PATH mode of this table with send and receive swapped.
        row(
            out,
            &format!("{}:", f.family),
            enabled(Some(true)),
            enabled(f.peer),
            add_path(f.add_path_receive, f.add_path_send),
        );
    }
    out.push_str("\n    Message Statistic              Sent        Received\n");
    for ((name, sent), (_, received)) in status.sent.rows().iter().zip(status.received.rows()) {
        row(
            out,
            &format!("{name}:"),
            &sent.to_string(),
            &received.to_string(),
            "",
        );
    }
    out.push('\n');
}

fn json_bool(out: &mut String, value: Option<bool>) {
    out.push_str(match value {
        None => "null",
        Some(true) => "true",
        Some(false) => "false",
    });
}

/// The JSON object of one peer (`show neighbor json` lists them; `show adj-rib …
/// extensive json` merges it into each route line).
pub(crate) fn json_members(out: &mut String, status: &NeighborStatus) {
    let up = status.up_for.is_some();
    let _ = write!(
        out,
        "\"state\": \"{}\", \"duration\": {}, \"fsm\": ",
        if up { "up" } else { "down" },
        status.up_for.unwrap_or(status.down_for)
    );
    json_str(out, &status.state);
    for (side, local) in [("local", true), ("peer", false)] {
        let _ = write!(out, ", \"{side}\": {{\"capabilities\": {{");
        for (i, (name, cap)) in CAPABILITY_NAMES
            .iter()
            .zip(&status.capabilities)
            .enumerate()
        {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{name}\": ");
            json_bool(out, if local { cap.local } else { cap.peer });
        }
        out.push_str("}, \"families\": {");
        for (i, f) in status.families.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{}\": ", f.family);
            json_bool(out, if local { Some(true) } else { f.peer });
        }
        out.push_str("}, \"add-path\": {");
        for (i, f) in status.families.iter().enumerate() {
            if i > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{}\": ", f.family);
            json_bool(
                out,
                if local {
                    f.add_path_send
                } else {
                    f.add_path_receive
                },
            );
        }
        out.push_str("}, \"address\": ");
        if local {
            json_str(out, &local_text(status));
            let _ = write!(
                out,
                ", \"as\": {}, \"id\": \"{}\", \"hold\": {}}}",
                status.local_as.0, status.local_id, status.local_hold
            );
        } else {
            let _ = write!(
                out,
                "\"{}\", \"as\": {}, \"id\": ",
                status.peer_addr, status.peer_as.0
            );
            match status.peer_id {
                Some(id) => {
                    let _ = write!(out, "\"{id}\"");
                }
                None => out.push_str("null"),
            }
            out.push_str(", \"hold\": ");
            match status.peer_hold {
                Some(hold) => {
                    let _ = write!(out, "{hold}");
                }
                None => out.push_str("null"),
            }
            out.push('}');
        }
    }
    out.push_str(", \"messages\": {");
    for (i, (side, counts)) in [("sent", &status.sent), ("received", &status.received)]
        .iter()
        .enumerate()
    {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(out, "\"{side}\": {{");
        for (j, (name, n)) in counts.rows().iter().enumerate() {
            if j > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "\"{name}\": {n}");
        }
        out.push('}');
    }
    out.push_str("}, \"capabilities\": [");
    let mut first = true;
    for (name, cap) in CAPABILITY_NAMES.iter().zip(&status.capabilities) {
        if cap.peer == Some(true) {
            if !first {
                out.push_str(", ");
            }
            first = false;
            let _ = write!(out, "\"{name}\"");
        }
    }
    out.push_str("], \"families\": [");
    let mut first = true;
    for f in status.families.iter().filter(|f| f.peer == Some(true)) {
        if !first {
            out.push_str(", ");
        }
        first = false;
        let _ = write!(out, "\"{}\"", f.family);
    }
    out.push_str("], \"add-path\": {");
    for (i, f) in status.families.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        let _ = write!(
            out,
            "\"{}\": \"{}\"",
            f.family,
            add_path(f.add_path_send, f.add_path_receive)
        );
    }
    out.push('}');
}

/// The `show neighbor json` line: a JSON list of every peer.
pub fn json(out: &mut String, peers: &[NeighborStatus]) {
    out.push('[');
    for (i, status) in peers.iter().enumerate() {
        if i > 0 {
            out.push_str(", ");
        }
        out.push('{');
        json_members(out, status);
        out.push('}');
    }
    out.push_str("]\n");
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timedeltas_print_like_python() {
        assert_eq!(timedelta(29), "0:00:29");
        assert_eq!(timedelta(3600 * 25 + 61), "1 day, 1:01:01");
        assert_eq!(timedelta(86_400 * 3), "3 days, 0:00:00");
    }
}
