//! FlowSpec (RFC 8955, RFC 8956; flow-vpn, RFC 8955 §8) between Herald and GoBGP, rule by
//! rule, both ways, in a [`FamilyLab`]:
//!
//! - [`announce_flow_rules`]: Herald announces the rules of [`ANNOUNCED`] (IPv4, IPv6 and
//!   flow-vpn, with every match component and action Herald's grammar has); GoBGP holds each
//!   with the components and actions the command asked for, read back from GoBGP's JSON
//!   ([`crate::gobgp_flow`]) field by field; a withdrawal removes one rule of each family and
//!   leaves the others.
//! - [`receive_flow_rules`]: GoBGP originates the rules of [`ORIGINATED`]; Herald's JSON
//!   (`receive { parsed; packets; update; }`) of each UPDATE equals what `exabgp decode`
//!   prints for the same bytes (taken from Herald's `packets` event), and names the rule's
//!   fields as the GoBGP command gave them.

use crate::error::Result;
use crate::family_lab::FamilyLab;
use crate::gobgp_flow::{flow_rules, FlowRule};
use crate::lab::ROUTE_LIMIT;
use crate::process::wait_while_alive;

/// A rule Herald announces and what GoBGP must hold for it.
#[derive(Debug, Clone, Copy)]
pub struct Announced {
    /// The API command.
    pub command: &'static str,
    /// GoBGP's family (`-a`).
    pub family: &'static str,
    /// The RD of a flow-vpn rule.
    pub rd: Option<&'static str>,
    /// `(component type, text)` as [`crate::gobgp_flow`] writes them, in type order (RFC
    /// 8955 §4.2: components are sent in increasing type order).
    pub components: &'static [(u64, &'static str)],
    /// The actions, in any order.
    pub actions: &'static [&'static str],
    /// COMMUNITIES.
    pub communities: &'static [&'static str],
}

/// Herald's rules. Expected values follow the RFCs: a list `[ =80 =443 ]` is two ORed
/// pairs, `>1024&<65535` two ANDed ones; TCP flags (§4.2.2.9) and fragment bits (§4.2.2.12)
/// are bitmask pairs, `=` for the match bit and `!` for not; `discard` is a traffic rate of
/// 0 (§7.3); `redirect-to-nexthop-ietf` is the redirect-to-IPv4 community (type 0x01,
/// subtype 0x0c); ExaBGP's `redirect <address>` is draft-simpson's redirect-to-IP (type
/// 0x08, subtype 0x00), which GoBGP keeps without naming it.
pub const ANNOUNCED: &[Announced] = &[
    Announced {
        command: "announce flow route { match { destination 198.51.100.1/32; \
                  source 192.0.2.0/24; protocol [ tcp udp ]; port =22; \
                  destination-port [ =80 =443 ]; source-port >1024&<65535; \
                  tcp-flags [ syn&ack ]; packet-length >100&<1500; dscp [ 10 46 ]; \
                  fragment [ is-fragment ]; } then { rate-limit 10000; community [ 65000:1 ]; } }",
        family: "ipv4-flowspec",
        rd: None,
        components: &[
            (1, "198.51.100.1/32"),
            (2, "192.0.2.0/24"),
            (3, "=6 =17"),
            (4, "=22"),
            (5, "=80 =443"),
            (6, ">1024 &<65535"),
            (9, "0x02 &0x10"),
            (10, ">100 &<1500"),
            (11, "=10 =46"),
            (12, "0x02"),
        ],
        actions: &["rate-limit:10000"],
        communities: &["65000:1"],
    },
    Announced {
        command: "announce flow route { match { destination 198.51.100.4/32; protocol icmp; \
                  icmp-type 8; icmp-code 0; } then { discard; } }",
        family: "ipv4-flowspec",
        rd: None,
        components: &[(1, "198.51.100.4/32"), (3, "=1"), (7, "=8"), (8, "=0")],
        actions: &["rate-limit:0"],
        communities: &[],
    },
    Announced {
        command: "announce flow route { match { destination 198.51.100.5/32; protocol tcp; \
                  tcp-flags [ =syn !=rst ]; } then { redirect 65000:100; mark 10; } }",
        family: "ipv4-flowspec",
        rd: None,
        components: &[(1, "198.51.100.5/32"), (3, "=6"), (9, "=0x02 !=0x04")],
        actions: &["redirect:65000:100", "mark:10"],
        communities: &[],
    },
    Announced {
        command: "announce flow route { match { destination 198.51.100.6/32; } \
                  then { redirect-to-nexthop-ietf 192.0.2.254; } }",
        family: "ipv4-flowspec",
        rd: None,
        components: &[(1, "198.51.100.6/32")],
        actions: &["redirect-ip:192.0.2.254"],
        communities: &[],
    },
    Announced {
        command: "announce flow route { match { destination 198.51.100.7/32; } \
                  then { redirect 192.0.2.253; } }",
        family: "ipv4-flowspec",
        rd: None,
        components: &[(1, "198.51.100.7/32")],
        actions: &["8-0"],
        communities: &[],
    },
    Announced {
        command: "announce flow route { match { destination-ipv6 2001:db8:6::/64/0; \
                  source-ipv6 2001:db8:7::/48/0; next-header tcp; destination-port =443; \
                  flow-label >100; traffic-class 10; } then { discard; } }",
        family: "ipv6-flowspec",
        rd: None,
        components: &[
            (1, "2001:db8:6::/64/0"),
            (2, "2001:db8:7::/48/0"),
            (3, "=6"),
            (5, "=443"),
            (11, "=10"),
            (13, ">100"),
        ],
        actions: &["rate-limit:0"],
        communities: &[],
    },
    Announced {
        command: "announce flow route { match { destination-ipv6 2001:db8:8::1/128/0; \
                  next-header udp; source-port =53; packet-length <512; \
                  fragment [ first-fragment last-fragment ]; } \
                  then { rate-limit 1000; mark 46; } }",
        family: "ipv6-flowspec",
        rd: None,
        components: &[
            (1, "2001:db8:8::1/128/0"),
            (3, "=17"),
            (6, "=53"),
            (10, "<512"),
            (12, "0x04 0x08"),
        ],
        actions: &["rate-limit:1000", "mark:46"],
        communities: &[],
    },
    Announced {
        command: "announce flow route { rd 65000:1; match { destination 198.51.100.8/32; \
                  protocol tcp; destination-port =25; } \
                  then { discard; extended-community [ target:65000:1 ]; } }",
        family: "ipv4-l3vpn-flowspec",
        rd: Some("65000:1"),
        components: &[(1, "198.51.100.8/32"), (3, "=6"), (5, "=25")],
        actions: &["rate-limit:0", "target:65000:1"],
        communities: &[],
    },
    Announced {
        command: "announce flow route { rd 65000:2; match { destination-ipv6 \
                  2001:db8:9::/64/0; next-header udp; } then { rate-limit 5000; } }",
        family: "ipv6-l3vpn-flowspec",
        rd: Some("65000:2"),
        components: &[(1, "2001:db8:9::/64/0"), (3, "=17")],
        actions: &["rate-limit:5000"],
        communities: &[],
    },
];

/// The withdrawals of [`announce_flow_rules`]: one rule of each family, by index in
/// [`ANNOUNCED`].
const WITHDRAWN: &[(usize, &str)] = &[
    (
        1,
        "withdraw flow route { match { destination 198.51.100.4/32; protocol icmp; \
         icmp-type 8; icmp-code 0; } }",
    ),
    (
        5,
        "withdraw flow route { match { destination-ipv6 2001:db8:6::/64/0; \
         source-ipv6 2001:db8:7::/48/0; next-header tcp; destination-port =443; \
         flow-label >100; traffic-class 10; } }",
    ),
    (
        7,
        "withdraw flow route { rd 65000:1; match { destination 198.51.100.8/32; \
         protocol tcp; destination-port =25; } }",
    ),
];

const FLOW_FAMILIES: [&str; 4] = [
    "ipv4-flowspec",
    "ipv6-flowspec",
    "ipv4-l3vpn-flowspec",
    "ipv6-l3vpn-flowspec",
];

fn expected(rule: &Announced) -> FlowRule {
    let mut actions: Vec<String> = rule.actions.iter().map(|a| (*a).to_owned()).collect();
    actions.sort();
    FlowRule {
        rd: rule.rd.map(str::to_owned),
        components: rule
            .components
            .iter()
            .map(|(t, v)| (*t, (*v).to_owned()))
            .collect(),
        actions,
        communities: rule.communities.iter().map(|c| (*c).to_owned()).collect(),
    }
}

/// Every rule GoBGP holds from Herald, per family, actions sorted.
fn held(lab: &FamilyLab) -> Result<Vec<(&'static str, FlowRule)>> {
    let mut all = Vec::new();
    for family in FLOW_FAMILIES {
        for mut rule in flow_rules(&lab.adj_in(family)?)? {
            rule.actions.sort();
            all.push((family, rule));
        }
    }
    Ok(all)
}

fn wait_held(lab: &FamilyLab, what: &str, want: &[(&'static str, FlowRule)]) -> Result<()> {
    wait_while_alive(
        what,
        ROUTE_LIMIT,
        || lab.alive(),
        || {
            let held = held(lab).map_err(|e| e.to_string())?;
            let missing: Vec<_> = want.iter().filter(|w| !held.contains(w)).collect();
            if missing.is_empty() && held.len() == want.len() {
                Ok(())
            } else {
                Err(format!("GoBGP holds {held:#?}\nmissing {missing:#?}"))
            }
        },
    )
    .map(drop)
    .map_err(|e| lab.with_logs(e))
}

/// Herald announces [`ANNOUNCED`]; GoBGP holds every rule as asked; withdrawing one rule of
/// IPv4, IPv6 and flow-vpn leaves exactly the others.
pub fn announce_flow_rules() -> Result<(), String> {
    let run = || -> Result<()> {
        let lab = FamilyLab::start("flow-announce", "parsed; update;")?;
        for rule in ANNOUNCED {
            lab.send(rule.command)?;
        }
        let mut want: Vec<(&str, FlowRule)> =
            ANNOUNCED.iter().map(|r| (r.family, expected(r))).collect();
        wait_held(&lab, "GoBGP holds every rule Herald announced", &want)?;
        for (_, command) in WITHDRAWN {
            lab.send(command)?;
        }
        let gone: Vec<FlowRule> = WITHDRAWN
            .iter()
            .map(|(i, _)| expected(&ANNOUNCED[*i]))
            .collect();
        want.retain(|(_, rule)| !gone.contains(rule));
        wait_held(
            &lab,
            "GoBGP holds the rules left after the withdrawals",
            &want,
        )
    };
    run().map_err(|e| e.to_string())
}

/// A rule GoBGP originates: its `gobgp global rib -a FAMILY add` words, the family in
/// ExaBGP's words, and fields Herald's JSON must show for it (JSON pointer below the NLRI
/// entry, value).
#[derive(Debug, Clone, Copy)]
pub struct Originated {
    /// GoBGP's family (`-a`).
    pub gobgp_family: &'static str,
    /// The words after `add`.
    pub words: &'static str,
    /// ExaBGP's family name in the JSON.
    pub family: &'static str,
    /// `(key of the NLRI entry, JSON value)` pairs the entry must have.
    pub fields: &'static [(&'static str, &'static str)],
}

/// GoBGP's rules; the expected fields are the GoBGP command's values in ExaBGP's JSON
/// notation (`=` for GoBGP's `==`, protocols by name).
pub const ORIGINATED: &[Originated] = &[
    Originated {
        gobgp_family: "ipv4-flowspec",
        words: "match destination 198.51.100.1/32 source 192.0.2.0/24 protocol tcp \
                destination-port ==80 ==443 then discard",
        family: "ipv4 flow",
        fields: &[
            ("destination-ipv4", r#"["198.51.100.1/32"]"#),
            ("source-ipv4", r#"["192.0.2.0/24"]"#),
            ("protocol", r#"["=tcp"]"#),
            ("destination-port", r#"["=80", "=443"]"#),
        ],
    },
    Originated {
        gobgp_family: "ipv6-flowspec",
        words: "match destination 2001:db8:6::/64 protocol udp source-port ==53 \
                label >100 then rate-limit 1000",
        family: "ipv6 flow",
        fields: &[
            ("destination-ipv6", r#"["2001:db8:6::/64/0"]"#),
            ("next-header", r#"["=udp"]"#),
            ("source-port", r#"["=53"]"#),
            ("flow-label", r#"[">100"]"#),
        ],
    },
    Originated {
        gobgp_family: "ipv4-l3vpn-flowspec",
        words: "rd 65001:1 match destination 198.51.100.6/32 protocol tcp \
                destination-port ==25 then redirect 65000:200",
        family: "ipv4 flow-vpn",
        fields: &[
            ("rd", r#""65001:1""#),
            ("destination-ipv4", r#"["198.51.100.6/32"]"#),
            ("destination-port", r#"["=25"]"#),
        ],
    },
    Originated {
        gobgp_family: "ipv6-l3vpn-flowspec",
        words: "rd 65001:2 match destination 2001:db8:9::/64 protocol udp then mark 10",
        family: "ipv6 flow-vpn",
        fields: &[
            ("rd", r#""65001:2""#),
            ("destination-ipv6", r#"["2001:db8:9::/64/0"]"#),
            ("next-header", r#"["=udp"]"#),
        ],
    },
];

#[path = "scenario_flow_receive.rs"]
pub(crate) mod receive;

pub use receive::receive_flow_rules;
