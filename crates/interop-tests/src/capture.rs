//! UPDATEs captured from a real peer for the differential corpus (`tests/corpus/gobgp.hex`).
//!
//! [`capture_gobgp`] starts a [`FamilyLab`] (GoBGP and Herald, iBGP, every family of
//! [`GOBGP_ROUTES`]) whose JSON helper asks for the raw UPDATEs (`receive { packets;
//! update; }`, ExaBGP's raw-message events: `"message": { "header": …, "body": … }`). It
//! then has GoBGP
//! originate (`gobgp global rib -a FAMILY add …`) or withdraw each route in turn and records
//! the UPDATE that reaches Herald for it. iBGP, with fixed next hops and no addresses of the
//! test's own in the routes, makes the bytes the same on every run, so the committed file
//! can be checked against a new capture.
//!
//! The file has one message a line, `FAMILY | DESCRIPTION | HEX` (the hex of the whole
//! message, marker included), and `#` comment lines.

use std::fmt::Write as _;
use std::time::Duration;

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::family_lab::FamilyLab;
use crate::lab::ROUTE_LIMIT;
use crate::process::wait_while_alive;

/// One captured message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    /// The family, in ExaBGP's words (`ipv4 flow`).
    pub family: String,
    /// What GoBGP was asked to do.
    pub description: String,
    /// The whole message in upper-case hex.
    pub hex: String,
}

/// A route GoBGP originates (or withdraws) for the corpus.
#[derive(Debug, Clone, Copy)]
pub struct GobgpRoute {
    /// The family in ExaBGP's words.
    pub family: &'static str,
    /// GoBGP's name of the family (`-a`).
    pub gobgp_family: &'static str,
    /// `add` or `del`.
    pub verb: &'static str,
    /// The words after the verb.
    pub words: &'static str,
}

impl GobgpRoute {
    /// `gobgp global rib -a FAMILY VERB WORDS`, as written in the corpus file.
    pub fn description(&self) -> String {
        format!(
            "gobgp global rib -a {} {} {}",
            self.gobgp_family, self.verb, self.words
        )
    }
}

const fn route(
    family: &'static str,
    gobgp_family: &'static str,
    verb: &'static str,
    words: &'static str,
) -> GobgpRoute {
    GobgpRoute {
        family,
        gobgp_family,
        verb,
        words,
    }
}

/// What GoBGP is asked to originate and withdraw, in order. Next hops are documentation
/// addresses (GoBGP keeps them on iBGP); FlowSpec rules have none.
pub const GOBGP_ROUTES: &[GobgpRoute] = &[
    route(
        "ipv4 unicast",
        "ipv4",
        "add",
        "192.0.2.0/24 nexthop 198.51.100.1 origin egp aspath 65010,65020 med 10 \
         local-pref 200 community 65000:1,no-export large-community 65000:1:2 \
         aggregator 65010:192.0.2.254",
    ),
    route(
        "ipv6 unicast",
        "ipv6",
        "add",
        "2001:db8:1::/48 nexthop 2001:db8::1 med 20 community 65000:2",
    ),
    route(
        "ipv4 nlri-mpls",
        "ipv4-mpls",
        "add",
        "198.51.100.128/25 100/200 nexthop 192.0.2.2",
    ),
    route(
        "ipv6 nlri-mpls",
        "ipv6-mpls",
        "add",
        "2001:db8:2::/48 300 nexthop 2001:db8::2",
    ),
    route(
        "ipv4 mpls-vpn",
        "vpnv4",
        "add",
        "203.0.113.0/24 label 1000 rd 65001:9 rt 65001:9 nexthop 192.0.2.3 med 5",
    ),
    route(
        "ipv4 mpls-vpn",
        "vpnv4",
        "add",
        "203.0.113.128/25 label 1001 rd 192.0.2.1:7 rt 65001:7 nexthop 192.0.2.3",
    ),
    route(
        "ipv6 mpls-vpn",
        "vpnv6",
        "add",
        "2001:db8:3::/48 label 1002 rd 65001:10 rt 65001:10 nexthop 2001:db8::3",
    ),
    route(
        "ipv4 flow",
        "ipv4-flowspec",
        "add",
        "match destination 198.51.100.1/32 source 192.0.2.0/24 protocol tcp \
         destination-port ==80 ==443 then discard",
    ),
    route(
        "ipv4 flow",
        "ipv4-flowspec",
        "add",
        "match destination 198.51.100.2/32 protocol udp source-port >=1024&<=65535 \
         packet-length >100&<1500 dscp ==10 ==46 fragment =is-fragment then rate-limit 10000",
    ),
    route(
        "ipv4 flow",
        "ipv4-flowspec",
        "add",
        "match destination 198.51.100.3/32 protocol tcp tcp-flags =S =SA port ==22 \
         then redirect 65000:100",
    ),
    route(
        "ipv4 flow",
        "ipv4-flowspec",
        "add",
        "match destination 198.51.100.4/32 protocol icmp icmp-type ==8 icmp-code ==0 \
         then mark 10",
    ),
    route(
        "ipv6 flow",
        "ipv6-flowspec",
        "add",
        "match destination 2001:db8:6::/64 source 2001:db8:7::/48 protocol tcp \
         destination-port ==443 label >100 then discard",
    ),
    route(
        "ipv6 flow",
        "ipv6-flowspec",
        "add",
        "match destination 2001:db8:8::1/128 protocol udp source-port ==53 \
         then rate-limit 1000",
    ),
    route(
        "ipv4 flow-vpn",
        "ipv4-l3vpn-flowspec",
        "add",
        "rd 65001:1 match destination 198.51.100.6/32 protocol tcp destination-port ==25 \
         then discard",
    ),
    route(
        "ipv6 flow-vpn",
        "ipv6-l3vpn-flowspec",
        "add",
        "rd 65001:2 match destination 2001:db8:9::/64 protocol udp then redirect 65000:200",
    ),
    route(
        "ipv4 mpls-vpn",
        "vpnv4",
        "del",
        "203.0.113.0/24 label 1000 rd 65001:9",
    ),
    route(
        "ipv4 flow",
        "ipv4-flowspec",
        "del",
        "match destination 198.51.100.4/32 protocol icmp icmp-type ==8 icmp-code ==0",
    ),
    route(
        "ipv6 mpls-vpn",
        "vpnv6",
        "del",
        "2001:db8:3::/48 label 1002 rd 65001:10",
    ),
    // EVPN (RFC 7432, RFC 9136), route types 1 to 5. The Inclusive Multicast route has no
    // PMSI Tunnel attribute (GoBGP sends one only with `pmsi …`).
    route(
        "l2vpn evpn",
        "evpn",
        "add",
        "a-d esi ARBITRARY 11:22:33:44:55:66:77:88:99 etag 40 label 400 rd 65000:4 \
         rt 65000:4 esi-label 500 nexthop 192.0.2.4",
    ),
    route(
        "l2vpn evpn",
        "evpn",
        "add",
        "macadv aa:bb:cc:dd:ee:04 10.0.0.4 etag 10 label 100 rd 65000:1 rt 65000:1 \
         encap vxlan nexthop 192.0.2.1",
    ),
    route(
        "l2vpn evpn",
        "evpn",
        "add",
        "macadv aa:bb:cc:dd:ee:06 2001:db8::6 esi ARBITRARY 11:22:33:44:55:66:77:88:99 \
         etag 11 label 101 rd 65000:1 rt 65000:1 default-gateway \
         router-mac aa:bb:cc:dd:ee:07 nexthop 192.0.2.1",
    ),
    route(
        "l2vpn evpn",
        "evpn",
        "add",
        "multicast 10.0.0.5 etag 20 rd 65000:2 rt 65000:2 nexthop 192.0.2.2",
    ),
    route(
        "l2vpn evpn",
        "evpn",
        "add",
        "multicast 10.0.0.6 etag 21 rd 65000:2 rt 65000:2 encap vxlan \
         pmsi ingress-repl 100 10.0.0.6 nexthop 192.0.2.2",
    ),
    route(
        "l2vpn evpn",
        "evpn",
        "add",
        "esi 192.0.2.5 esi ARBITRARY 11:22:33:44:55:66:77:88:99 rd 65000:5 rt 65000:5 \
         nexthop 192.0.2.5",
    ),
    route(
        "l2vpn evpn",
        "evpn",
        "add",
        "prefix 198.51.100.0/24 gw 192.0.2.9 etag 30 label 300 rd 65000:3 rt 65000:3 \
         router-mac aa:bb:cc:dd:ee:05 nexthop 192.0.2.3",
    ),
    route(
        "l2vpn evpn",
        "evpn",
        "add",
        "prefix 2001:db8:10::/64 gw 2001:db8::9 etag 31 label 301 rd 65000:3 rt 65000:3 \
         nexthop 192.0.2.3",
    ),
    route(
        "l2vpn evpn",
        "evpn",
        "del",
        "macadv aa:bb:cc:dd:ee:04 10.0.0.4 etag 10 label 100 rd 65000:1",
    ),
];

/// Parses a corpus file: `(line number, entry)` for every message line.
pub fn parse_corpus(text: &str) -> std::result::Result<Vec<(usize, Entry)>, String> {
    let mut entries = Vec::new();
    for (n, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let mut cells = line.split(" | ");
        let (Some(family), Some(description), Some(hex), None) =
            (cells.next(), cells.next(), cells.next(), cells.next())
        else {
            return Err(format!(
                "line {}: not `FAMILY | DESCRIPTION | HEX`: {line}",
                n + 1
            ));
        };
        if hex.is_empty() || !hex.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(format!("line {}: not hex: {hex}", n + 1));
        }
        entries.push((
            n + 1,
            Entry {
                family: family.to_owned(),
                description: description.to_owned(),
                hex: hex.to_owned(),
            },
        ));
    }
    Ok(entries)
}

/// The text of a corpus file for `entries`, with its header comment.
pub fn render_corpus(entries: &[Entry]) -> String {
    let mut text = String::from(
        "# UPDATE messages GoBGP sent to Herald (iBGP, AS 65001), captured by\n\
         # crates/interop-tests/tests/capture.rs; rewrite with\n\
         # HERALD_CORPUS_WRITE=1 cargo test -p herald-interop-tests --test capture\n\
         # FAMILY | what GoBGP was asked | the whole message in hex\n",
    );
    for entry in entries {
        let _ = writeln!(
            text,
            "{} | {} | {}",
            entry.family, entry.description, entry.hex
        );
    }
    text
}

/// Whether a message body is an End-of-RIB marker (RFC 4724 §2): an empty UPDATE, or one
/// with only an empty MP_UNREACH_NLRI.
fn end_of_rib(body: &str) -> bool {
    let body = body.to_ascii_uppercase();
    body == "00000000"
        || (body.len() == 20 && body.starts_with("00000006800F03"))
        || (body.len() == 22 && body.starts_with("00000007900F0003"))
}

/// The UPDATEs (whole messages, hex) Herald's helper has been handed so far, End-of-RIB
/// markers left out.
fn received_updates(lab: &FamilyLab) -> Result<Vec<String>> {
    Ok(lab
        .messages()?
        .iter()
        .filter(|m| m.get("type").and_then(Value::as_str) == Some("update"))
        .filter_map(raw_update)
        .filter(|(_, body)| !end_of_rib(body))
        .map(|(header, body)| format!("{header}{body}"))
        .collect())
}

/// The header and body (upper-case hex, without `0x`) of a `packets` event.
pub fn raw_update(message: &Value) -> Option<(String, String)> {
    let message = message.pointer("/neighbor/message")?;
    let hex = |key: &str| {
        message.get(key)?.as_str().map(|s| {
            s.trim_start_matches("0x")
                .trim_start_matches("0X")
                .to_ascii_uppercase()
        })
    };
    Some((hex("header")?, hex("body")?))
}

/// Has GoBGP originate or withdraw every route of [`GOBGP_ROUTES`] towards Herald, one at a
/// time, and returns the UPDATE Herald received for each.
pub fn capture_gobgp() -> Result<Vec<Entry>> {
    let lab = FamilyLab::start("capture-gobgp", "packets; update;")?;
    // Let the End-of-RIB markers and anything else of the session's start arrive first.
    std::thread::sleep(Duration::from_secs(1));
    let mut entries = Vec::new();
    for route in GOBGP_ROUTES {
        let before = received_updates(&lab)?.len();
        let mut args = vec!["global", "rib", "-a", route.gobgp_family, route.verb];
        args.extend(route.words.split_whitespace());
        lab.gobgp.cli(&args)?;
        let what = format!("Herald receives the UPDATE of `{}`", route.description());
        let updates = wait_while_alive(
            &what,
            ROUTE_LIMIT,
            || lab.alive(),
            || {
                let updates = received_updates(&lab).map_err(|e| e.to_string())?;
                if updates.len() > before {
                    Ok(updates)
                } else {
                    Err(format!("{} UPDATEs", updates.len()))
                }
            },
        )
        .map_err(|e| lab.with_logs(e))?;
        // One route, one UPDATE: anything more would not be tied to its description.
        std::thread::sleep(Duration::from_millis(500));
        let count = received_updates(&lab)?.len();
        if count != before + 1 {
            return Err(HarnessError::Parse {
                what: route.description(),
                reason: format!("{} UPDATEs instead of one", count - before),
            });
        }
        entries.push(Entry {
            family: route.family.to_owned(),
            description: route.description(),
            hex: updates[before].clone(),
        });
    }
    Ok(entries)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn corpus_file_round_trips() {
        let entries = vec![Entry {
            family: "ipv4 flow".into(),
            description: "gobgp global rib -a ipv4-flowspec add match x then discard".into(),
            hex: "FFFF00".into(),
        }];
        let text = render_corpus(&entries);
        let parsed: Vec<Entry> = parse_corpus(&text)
            .unwrap()
            .into_iter()
            .map(|(_, e)| e)
            .collect();
        assert_eq!(parsed, entries);
        assert!(parse_corpus("ipv4 flow | x | GG\n").is_err());
        assert!(parse_corpus("ipv4 flow | x\n").is_err());
    }

    #[test]
    fn end_of_rib_markers() {
        assert!(end_of_rib("00000000"));
        assert!(end_of_rib("00000006800F03000185"));
        assert!(end_of_rib("00000007900F0003000185"));
        assert!(!end_of_rib("0000000E4001010040020040050400000064"));
    }
}
