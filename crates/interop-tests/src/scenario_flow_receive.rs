//! [`receive_flow_rules`]: GoBGP originates FlowSpec rules towards Herald; Herald's JSON of
//! each UPDATE is `exabgp decode`'s for the same bytes and names the rule's fields.

use serde_json::Value;

use super::{Originated, ORIGINATED};
use crate::capture::raw_update;
use crate::differential::{comparable, exabgp_outputs, Case};
use crate::error::{HarnessError, Result};
use crate::family_lab::FamilyLab;
use crate::lab::ROUTE_LIMIT;
use crate::process::wait_while_alive;

/// An UPDATE Herald received: its raw bytes (hex) and Herald's parsed JSON of it.
pub(crate) struct Received {
    /// The whole message in hex.
    pub(crate) hex: String,
    /// Herald's parsed JSON of it.
    pub(crate) parsed: Value,
}

/// Whether Herald printed each of `updates` as `exabgp decode ARGS` prints its bytes, the
/// arguments given by `args` from the message's hex; the cases are named `label-N`.
pub(crate) fn decoded_like_exabgp(
    updates: &[Received],
    label: &str,
    args: impl Fn(&str) -> Vec<String>,
) -> Result<()> {
    let cases: Vec<Case> = updates
        .iter()
        .enumerate()
        .map(|(i, u)| Case {
            id: format!("{label}-{i}"),
            args: args(&u.hex),
        })
        .collect();
    for (update, printed) in updates.iter().zip(exabgp_outputs(&cases)?) {
        let theirs =
            comparable(&printed).and_then(|v| v.pointer("/neighbor/message/update").cloned());
        let ours = update.parsed.pointer("/neighbor/message/update").cloned();
        if theirs.is_none() || theirs != ours {
            return Err(HarnessError::Parse {
                what: format!("Herald's JSON of {} against exabgp decode", update.hex),
                reason: format!("Herald: {ours:?}\nexabgp decode: {printed}"),
            });
        }
    }
    Ok(())
}

/// Pairs each `packets` event with the parsed event Herald writes right after it for the
/// same message (End-of-RIB markers included).
pub(crate) fn received(lab: &FamilyLab) -> Result<Vec<Received>> {
    let mut out = Vec::new();
    let mut raw: Option<String> = None;
    for message in lab.messages()? {
        if message.get("type").and_then(Value::as_str) != Some("update") {
            continue;
        }
        if let Some((header, body)) = raw_update(&message) {
            raw = Some(format!("{header}{body}"));
        } else if message.pointer("/neighbor/message/update").is_some() {
            if let Some(hex) = raw.take() {
                out.push(Received {
                    hex,
                    parsed: message,
                });
            }
        }
    }
    Ok(out)
}

/// The first NLRI entry of `family` announced (`announce`) or withdrawn in `update`.
fn entry<'a>(update: &'a Value, family: &str, announce: bool) -> Option<&'a Value> {
    let update = update.pointer("/neighbor/message/update")?;
    if announce {
        update
            .get("announce")?
            .get(family)?
            .as_object()?
            .values()
            .find_map(|hops| hops.as_array()?.first())
    } else {
        update.get("withdraw")?.get(family)?.as_array()?.first()
    }
}

/// Whether the entry has every field of `rule`.
fn has_fields(entry: &Value, rule: &Originated) -> bool {
    rule.fields.iter().all(|(key, json)| {
        serde_json::from_str::<Value>(json).is_ok_and(|want| entry.get(*key) == Some(&want))
    })
}

fn gobgp(lab: &FamilyLab, rule: &Originated, verb: &str) -> Result<()> {
    let mut args = vec!["global", "rib", "-a", rule.gobgp_family, verb];
    let words: Vec<&str> = rule.words.split_whitespace().collect();
    // `del` takes the match part only.
    let end = if verb == "del" {
        words
            .iter()
            .position(|w| *w == "then")
            .unwrap_or(words.len())
    } else {
        words.len()
    };
    args.extend(&words[..end]);
    lab.gobgp.cli(&args).map(drop)
}

/// Waits for Herald's UPDATE announcing (or withdrawing) `rule`.
fn wait_rule(lab: &FamilyLab, rule: &Originated, announce: bool) -> Result<Received> {
    let what = format!(
        "Herald's JSON {} the {} rule `{}`",
        if announce {
            "announcing"
        } else {
            "withdrawing"
        },
        rule.family,
        rule.words
    );
    wait_while_alive(
        &what,
        ROUTE_LIMIT,
        || lab.alive(),
        || {
            let all = received(lab).map_err(|e| e.to_string())?;
            let seen: Vec<String> = all.iter().map(|r| r.parsed.to_string()).collect();
            all.into_iter()
                .find(|r| {
                    entry(&r.parsed, rule.family, announce).is_some_and(|e| has_fields(e, rule))
                })
                .ok_or_else(|| format!("updates so far: {seen:#?}"))
        },
    )
    .map_err(|e| lab.with_logs(e))
}

/// GoBGP originates every rule of [`ORIGINATED`] and withdraws the first; Herald's JSON of
/// each UPDATE names the rule's fields and equals `exabgp decode` of the UPDATE's bytes.
pub fn receive_flow_rules() -> Result<(), String> {
    let run = || -> Result<()> {
        let lab = FamilyLab::start("flow-receive", "parsed; packets; update;")?;
        let mut updates = Vec::new();
        for rule in ORIGINATED {
            gobgp(&lab, rule, "add")?;
            updates.push(wait_rule(&lab, rule, true)?);
        }
        gobgp(&lab, &ORIGINATED[0], "del")?;
        updates.push(wait_rule(&lab, &ORIGINATED[0], false)?);
        decoded_like_exabgp(&updates, "flow", |hex| vec![hex.to_owned()])
    };
    run().map_err(|e| e.to_string())
}
