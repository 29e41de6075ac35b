//! Extended next hop (RFC 8950) between Herald and GoBGP, in a [`FamilyLab`]. GoBGP
//! advertises the Extended Next Hop Encoding capability for its IPv4 families; Herald does
//! for the families of its `nexthop { }` block.
//!
//! - [`exchange_ipv6_next_hops`]: with `nexthop { ipv4 unicast ipv6; ipv4 mpls-vpn ipv6; }`,
//!   Herald's IPv4 unicast and VPNv4 routes with IPv6 next hops reach GoBGP with those next
//!   hops (read back from `gobgp -j neighbor … adj-in`), and GoBGP's reach Herald, whose JSON
//!   of each UPDATE is what `exabgp decode` prints for the same bytes under a configuration
//!   with the same `nexthop` block.
//! - [`refuse_ipv6_next_hop_without_capability`]: without the block, `announce route …
//!   next-hop <IPv6>` is answered `error` (`herald cli` exits 1) and GoBGP never gets the
//!   route, while an IPv4 next hop is still `done` (exit 0) and arrives.

use std::process::Command;

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::family_lab::FamilyLab;
use crate::herald::herald_binary;
use crate::lab::ROUTE_LIMIT;
use crate::process::wait_while_alive;
use crate::scenario_flow::receive::{decoded_like_exabgp, received};

/// Herald's `nexthop` block.
const NEXTHOP: &str = "    nexthop { ipv4 unicast ipv6; ipv4 mpls-vpn ipv6; }\n";

/// Herald's routes: `(command, GoBGP family, GoBGP's key, next hop, labels)`.
const HERALD_ROUTES: [(&str, &str, &str, &str, &[u64]); 2] = [
    (
        "announce route 198.51.100.0/24 next-hop 2001:db8::1 med 7",
        "ipv4",
        "198.51.100.0/24",
        "2001:db8::1",
        &[],
    ),
    (
        "announce route 203.0.113.0/24 rd 65000:1 label 100 next-hop 2001:db8::2 \
         extended-community [ target:65000:1 ]",
        "vpnv4",
        "65000:1:203.0.113.0/24",
        "2001:db8::2",
        &[100],
    ),
];

/// GoBGP's routes: `(gobgp words after -a, ExaBGP family, next hop, prefix)`.
const GOBGP_ROUTES: [(&str, &str, &str, &str); 2] = [
    (
        "ipv4 add 192.0.2.0/24 nexthop 2001:db8::fe",
        "ipv4 unicast",
        "2001:db8::fe",
        "192.0.2.0/24",
    ),
    (
        "vpnv4 add 192.0.2.128/25 label 300 rd 65001:9 rt 65001:9 nexthop 2001:db8::fd",
        "ipv4 mpls-vpn",
        "2001:db8::fd",
        "192.0.2.128/25",
    ),
];

/// The configuration `exabgp decode -c` reads: `exabgp decode`'s own session (iBGP in AS
/// 65533), with the families and the `nexthop` block of the test.
const EXABGP_DECODE_CONF: &str = "neighbor 127.0.0.1 {\n    router-id 10.0.0.2;\n\
    local-address 127.0.0.1;\n    local-as 65533;\n    peer-as 65533;\n\
    family { ipv4 unicast; ipv4 mpls-vpn; ipv6 unicast; ipv6 mpls-vpn; }\n\
    capability { nexthop true; }\n\
    nexthop { ipv4 unicast ipv6; ipv4 mpls-vpn ipv6; }\n}\n";

/// The next hop and labels of the path GoBGP holds under `key` (its MP_REACH's next hop).
fn held(adj_in: &Value, key: &str) -> Option<(String, Vec<u64>)> {
    let path = adj_in.get(key)?.as_array()?.first()?;
    let next_hop = path
        .get("attrs")?
        .as_array()?
        .iter()
        .find(|a| a.get("type").and_then(Value::as_u64) == Some(14))?
        .get("nexthop")?
        .as_str()?
        .to_owned();
    let labels = path
        .pointer("/nlri/labels")
        .and_then(Value::as_array)
        .map(|l| l.iter().filter_map(Value::as_u64).collect())
        .unwrap_or_default();
    Some((next_hop, labels))
}

/// Herald's IPv4 and VPNv4 routes with IPv6 next hops reach GoBGP, and GoBGP's reach Herald,
/// printed as `exabgp decode` prints their bytes.
pub fn exchange_ipv6_next_hops() -> Result<(), String> {
    let run = || -> Result<()> {
        let lab = FamilyLab::start_with("nexthop", "parsed; packets; update;", NEXTHOP)?;
        for (command, ..) in HERALD_ROUTES {
            lab.send(command)?;
        }
        for (_, family, key, next_hop, labels) in HERALD_ROUTES {
            let what = format!("GoBGP holds {key} via {next_hop}");
            wait_while_alive(
                &what,
                ROUTE_LIMIT,
                || lab.alive(),
                || {
                    let adj_in = lab.adj_in(family).map_err(|e| e.to_string())?;
                    match held(&adj_in, key) {
                        Some((nh, l)) if nh == next_hop && l == labels => Ok(()),
                        _ => Err(adj_in.to_string()),
                    }
                },
            )
            .map_err(|e| lab.with_logs(e))?;
        }
        let mut updates = Vec::new();
        for (words, family, next_hop, prefix) in GOBGP_ROUTES {
            let mut args = vec!["global", "rib", "-a"];
            args.extend(words.split_whitespace());
            lab.gobgp.cli(&args)?;
            let what = format!("Herald prints {prefix} via {next_hop}");
            let update = wait_while_alive(
                &what,
                ROUTE_LIMIT,
                || lab.alive(),
                || {
                    let all = received(&lab).map_err(|e| e.to_string())?;
                    all.into_iter()
                        .find(|r| {
                            r.parsed
                                .pointer("/neighbor/message/update/announce")
                                .and_then(|a| a.get(family))
                                .and_then(|hops| hops.get(next_hop))
                                .and_then(Value::as_array)
                                .is_some_and(|l| {
                                    l.iter().any(|n| n.get("nlri") == Some(&prefix.into()))
                                })
                        })
                        .ok_or_else(|| "not yet".to_owned())
                },
            )
            .map_err(|e| lab.with_logs(e))?;
            updates.push(update);
        }
        let conf = lab.path("exabgp-decode.conf");
        std::fs::write(&conf, EXABGP_DECODE_CONF)
            .map_err(|e| HarnessError::io(format!("write {}", conf.display()), e))?;
        decoded_like_exabgp(&updates, "nexthop", |hex| {
            vec!["-c".into(), conf.display().to_string(), hex.to_owned()]
        })
    };
    run().map_err(|e| e.to_string())
}

/// `herald cli --socket S COMMAND`: its exit code (0 after `done`, 1 after `error`) and
/// what it printed.
fn cli(lab: &FamilyLab, command: &str) -> Result<(Option<i32>, String)> {
    let output = Command::new("timeout")
        .arg("20")
        .arg(herald_binary()?)
        .arg("cli")
        .arg("--socket")
        .arg(lab.control_socket())
        .arg(command)
        .output()
        .map_err(|e| HarnessError::io("run herald cli", e))?;
    Ok((
        output.status.code(),
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        ),
    ))
}

/// Without a `nexthop` block, an IPv4 route with an IPv6 next hop is refused with `error`
/// and never reaches GoBGP; the same route via an IPv4 next hop is `done` and arrives.
pub fn refuse_ipv6_next_hop_without_capability() -> Result<(), String> {
    let run = || -> Result<()> {
        let lab = FamilyLab::start("nexthop-refused", "parsed; update;")?;
        let refused = cli(&lab, "announce route 198.51.100.0/24 next-hop 2001:db8::1")?;
        let accepted = cli(&lab, "announce route 198.51.100.128/25 next-hop 192.0.2.1")?;
        if refused.0 != Some(1) || accepted.0 != Some(0) {
            return Err(HarnessError::Parse {
                what: "the answers to the two announces".into(),
                reason: format!("IPv6 next hop: {refused:?}; IPv4 next hop: {accepted:?}"),
            });
        }
        wait_while_alive(
            "GoBGP holds the route via 192.0.2.1 only",
            ROUTE_LIMIT,
            || lab.alive(),
            || {
                let adj_in = lab.adj_in("ipv4").map_err(|e| e.to_string())?;
                let object = adj_in.as_object().cloned().unwrap_or_default();
                if object.contains_key("198.51.100.128/25") && object.len() == 1 {
                    Ok(())
                } else {
                    Err(adj_in.to_string())
                }
            },
        )
        .map(drop)
        .map_err(|e| lab.with_logs(e))
    };
    run().map_err(|e| e.to_string())
}
