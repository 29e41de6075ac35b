//! AIGP_SESSION (RFC 7311 §3.1, §3.2) with GoBGP as the peer that sends AIGP, in a
//! [`FamilyLab`] (an internal session, AS 65001 on both ends).
//!
//! GoBGP originates `198.51.100.0/24` with `aigp metric 1000`. On the session with the
//! default AIGP_SESSION (enabled on IBGP, §3.1) Herald's JSON of the UPDATE carries the
//! `aigp` attribute; with `capability { aigp disable; }` it does not (§3.2: the attribute is
//! quietly ignored). In both cases Herald's JSON of the UPDATE is what `exabgp decode -c`
//! prints for the same bytes with a configuration of the same AIGP setting (`aigp enable`
//! for the first, nothing for the second, which ExaBGP reads as disabled).

use serde_json::Value;

use crate::differential::{comparable, exabgp_outputs, Case};
use crate::error::{HarnessError, Result};
use crate::family_lab::FamilyLab;
use crate::lab::ROUTE_LIMIT;
use crate::process::wait_while_alive;
use crate::scenario_flow::receive::{received, Received};

/// GoBGP's route, after `gobgp global rib -a ipv4 add`.
const ROUTE: &str = "198.51.100.0/24 nexthop 192.0.2.1 aigp metric 1000";
/// Its prefix, as Herald prints it.
const PREFIX: &str = "198.51.100.0/24";

/// `exabgp decode -c`'s session: iBGP in AS 65533, `capability` as given.
fn exabgp_conf(capability: &str) -> String {
    format!(
        "neighbor 127.0.0.1 {{\n    router-id 10.0.0.2;\n    local-address 127.0.0.1;\n\
         \x20   local-as 65533;\n    peer-as 65533;\n    family {{ ipv4 unicast; }}\n\
         \x20   capability {{ {capability} }}\n}}\n"
    )
}

/// Starts a lab with `extra` in Herald's neighbor block, has GoBGP originate [`ROUTE`] and
/// returns Herald's UPDATE carrying it.
fn receive_route(label: &str, extra: &str) -> Result<(FamilyLab, Received)> {
    let lab = FamilyLab::start_with(label, "parsed; packets; update;", extra)?;
    let mut args = vec!["global", "rib", "-a", "ipv4", "add"];
    args.extend(ROUTE.split_whitespace());
    lab.gobgp.cli(&args)?;
    let update = wait_while_alive(
        &format!("Herald prints {PREFIX}"),
        ROUTE_LIMIT,
        || lab.alive(),
        || {
            let all = received(&lab).map_err(|e| e.to_string())?;
            all.into_iter()
                .find(|r| {
                    r.parsed
                        .pointer("/neighbor/message/update/announce/ipv4 unicast")
                        .and_then(Value::as_object)
                        .is_some_and(|hops| {
                            hops.values()
                                .filter_map(Value::as_array)
                                .flatten()
                                .any(|n| n.get("nlri").and_then(Value::as_str) == Some(PREFIX))
                        })
                })
                .ok_or_else(|| "not yet".to_owned())
        },
    )
    .map_err(|e| lab.with_logs(e))?;
    Ok((lab, update))
}

/// Checks Herald's `aigp` against `expected` and its whole UPDATE against `exabgp decode -c`
/// with `capability`.
fn check(
    lab: &FamilyLab,
    update: &Received,
    capability: &str,
    expected: Option<&str>,
) -> Result<()> {
    let aigp = update
        .parsed
        .pointer("/neighbor/message/update/attribute/aigp")
        .and_then(Value::as_str);
    if aigp != expected {
        return Err(HarnessError::Parse {
            what: format!("the aigp attribute of {PREFIX} (expected {expected:?})"),
            reason: update.parsed.to_string(),
        });
    }
    let conf = lab.path("exabgp-decode.conf");
    std::fs::write(&conf, exabgp_conf(capability))
        .map_err(|e| HarnessError::io(format!("write {}", conf.display()), e))?;
    let case = Case {
        id: "aigp".into(),
        args: vec!["-c".into(), conf.display().to_string(), update.hex.clone()],
    };
    let printed = exabgp_outputs(&[case])?.pop().unwrap_or_default();
    let theirs = comparable(&printed).and_then(|v| v.pointer("/neighbor/message/update").cloned());
    let ours = update.parsed.pointer("/neighbor/message/update").cloned();
    if theirs.is_none() || theirs != ours {
        return Err(HarnessError::Parse {
            what: format!("Herald's JSON of {} against exabgp decode", update.hex),
            reason: format!("Herald: {ours:?}\nexabgp decode: {printed}"),
        });
    }
    Ok(())
}

/// On an internal session with AIGP_SESSION at its default, GoBGP's AIGP is read and
/// printed as ExaBGP prints it with `aigp enable`.
pub fn read_on_ibgp_by_default() -> Result<(), String> {
    let run = || -> Result<()> {
        let (lab, update) = receive_route("aigp-on", "")?;
        // 1000 = 0x3e8, as an eight-octet hexadecimal number (ExaBGP's form).
        check(&lab, &update, "aigp enable;", Some("0x00000000000003e8"))
            .map_err(|e| lab.with_logs(e))
    };
    run().map_err(|e| e.to_string())
}

/// With `capability { aigp disable; }`, GoBGP's AIGP is quietly ignored: the route is
/// printed without it, as ExaBGP prints it on a session without `aigp`.
pub fn ignored_where_disabled() -> Result<(), String> {
    let run = || -> Result<()> {
        let (lab, update) = receive_route("aigp-off", "    capability { aigp disable; }\n")?;
        if !update
            .hex
            .to_ascii_uppercase()
            .contains("801A0B01000B00000000000003E8")
        {
            return Err(HarnessError::Parse {
                what: "GoBGP's UPDATE (it should carry AIGP 1000)".into(),
                reason: update.hex,
            });
        }
        check(&lab, &update, "", None).map_err(|e| lab.with_logs(e))
    };
    run().map_err(|e| e.to_string())
}
