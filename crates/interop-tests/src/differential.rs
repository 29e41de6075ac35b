//! Differential decoding: `herald decode` against ExaBGP 5's own `exabgp decode` on the same
//! messages, compared as JSON without the volatile keys.
//!
//! The corpus is every UPDATE that ExaBGP's encoder wrote in the conformance suite
//! (`encoding/*.msg`, `raw` lines of type 2, decoded with ADD-PATH when the case's
//! configuration negotiates it) and every `decoding/*` case. ExaBGP runs once for the whole
//! corpus, through `scripts/exabgp_decode_many.py` (its `decode` command called in a loop in
//! one Python process); Herald runs once per message, as users run it.
//!
//! Two more corpora live in the repository, under `tests/corpus/` ([`repo_corpus_dir`]):
//!
//! - `commands.txt`: API commands; each UPDATE `herald encode COMMAND` makes for them is a
//!   case `commands.txt:LINE` (`commands.txt:LINE#N` for the N-th UPDATE of a command),
//!   so Herald's own encoder is checked against ExaBGP's decoder ([`command_cases`]);
//! - `gobgp.hex`: UPDATEs GoBGP sent to Herald, captured by `tests/capture.rs`
//!   ([`crate::capture`]); each is a case `gobgp.hex:LINE` ([`hex_file_cases`]).
//!
//! Each message has an id: `encoding/NAME.msg:LINE` or `decoding/NAME`. The differences
//! that remain are listed, with their reason, in `docs/decode-differences.md` at the
//! repository root; [`listed_differences`] reads that list.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use serde_json::Value;

use crate::error::{HarnessError, Result};
use crate::json::VOLATILE_KEYS;
use crate::process::which;

/// One message of the corpus and the `decode` arguments for it (options, then the hex).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Case {
    /// `encoding/NAME.msg:LINE` or `decoding/NAME`.
    pub id: String,
    /// The arguments of `decode`, the same for both programs.
    pub args: Vec<String>,
}

/// A message on which the two decoders disagree.
#[derive(Debug, Clone)]
pub struct Difference {
    /// The message's id.
    pub id: String,
    /// What Herald printed (comparable form, or the raw text when it was not JSON).
    pub herald: String,
    /// What ExaBGP printed.
    pub exabgp: String,
}

/// The conformance corpus folder beside the repository (`../shared/conformance/exabgp-5.0`).
pub fn corpus_dir() -> PathBuf {
    crate::herald::workspace_root().join("../shared/conformance/exabgp-5.0")
}

/// The repository's own corpus folder (`tests/corpus`: `commands.txt`, `gobgp.hex`).
pub fn repo_corpus_dir() -> PathBuf {
    crate::herald::workspace_root().join("tests/corpus")
}

/// One case per UPDATE that `herald encode` makes for each command of `file` (one API
/// command a line; empty lines and `#` comments skipped). A command Herald cannot encode is
/// an error: the list only holds commands Herald announces today.
pub fn command_cases(herald: &Path, file: &Path) -> Result<Vec<Case>> {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let mut cases = Vec::new();
    for (n, line) in read(file)?.lines().enumerate() {
        let command = line.trim();
        if command.is_empty() || command.starts_with('#') {
            continue;
        }
        let output = Command::new("timeout")
            .arg("10")
            .arg(herald)
            .arg("encode")
            .arg(command)
            .stdin(Stdio::null())
            .output()
            .map_err(|e| HarnessError::io("run herald encode", e))?;
        let stdout = String::from_utf8_lossy(&output.stdout);
        let messages: Vec<String> = stdout
            .lines()
            .map(|l| {
                l.chars()
                    .filter(char::is_ascii_hexdigit)
                    .collect::<String>()
            })
            .filter(|hex| !hex.is_empty())
            .collect();
        if !output.status.success() || messages.is_empty() {
            return Err(HarnessError::Command {
                command: format!("herald encode {command}"),
                status: output.status.to_string(),
                output: format!("{stdout}{}", String::from_utf8_lossy(&output.stderr)),
            });
        }
        let several = messages.len() > 1;
        for (i, hex) in messages.into_iter().enumerate() {
            let id = if several {
                format!("{name}:{}#{}", n + 1, i + 1)
            } else {
                format!("{name}:{}", n + 1)
            };
            cases.push(Case {
                id,
                args: vec![hex],
            });
        }
    }
    Ok(cases)
}

/// One case per message of a captured corpus file (`FAMILY | DESCRIPTION | HEX` a line,
/// see [`crate::capture`]); the id is `NAME:LINE`.
pub fn hex_file_cases(file: &Path) -> Result<Vec<Case>> {
    let name = file
        .file_name()
        .and_then(|n| n.to_str())
        .unwrap_or_default()
        .to_owned();
    let text = read(file)?;
    let entries = crate::capture::parse_corpus(&text).map_err(|reason| HarnessError::Parse {
        what: file.display().to_string(),
        reason,
    })?;
    Ok(entries
        .into_iter()
        .map(|(line, entry)| Case {
            id: format!("{name}:{line}"),
            args: vec![entry.hex],
        })
        .collect())
}

/// Every message of the corpus in `dir`, in a stable order.
pub fn corpus(dir: &Path) -> Result<Vec<Case>> {
    let mut cases = encoding_cases(dir)?;
    cases.extend(decoding_cases(dir)?);
    Ok(cases)
}

fn read(path: &Path) -> Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| HarnessError::io(format!("read {}", path.display()), e))
}

fn sorted_files(dir: &Path, extension: Option<&str>) -> Result<Vec<PathBuf>> {
    let entries = std::fs::read_dir(dir)
        .map_err(|e| HarnessError::io(format!("list {}", dir.display()), e))?;
    let mut files: Vec<PathBuf> = entries
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.is_file())
        .filter(|p| extension.is_none_or(|x| p.extension().is_some_and(|e| e == x)))
        .collect();
    files.sort();
    Ok(files)
}

/// Whether any configuration of an encoding case negotiates ADD-PATH.
fn case_has_add_path(dir: &Path, ci: &Path) -> Result<bool> {
    for conf in read(ci)?.split_whitespace() {
        if read(&dir.join("etc").join(conf))?.contains("add-path") {
            return Ok(true);
        }
    }
    Ok(false)
}

/// The hex of a `raw` line (`[conn]seq:raw:HEX`, colons and spaces in HEX ignored), when
/// it is a whole UPDATE message.
fn raw_update(line: &str) -> Option<String> {
    if line.contains('#') {
        return None;
    }
    let (_, hex) = line.split_once(":raw:")?;
    let hex: String = hex.chars().filter(|c| c.is_ascii_hexdigit()).collect();
    let update =
        hex.len() >= 38 && hex[..32].eq_ignore_ascii_case(&"F".repeat(32)) && &hex[36..38] == "02";
    update.then_some(hex)
}

fn encoding_cases(dir: &Path) -> Result<Vec<Case>> {
    let mut cases = Vec::new();
    for msg in sorted_files(&dir.join("encoding"), Some("msg"))? {
        let add_path = case_has_add_path(dir, &msg.with_extension("ci"))?;
        let name = msg
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default()
            .to_owned();
        for (n, line) in read(&msg)?.lines().enumerate() {
            let Some(hex) = raw_update(line) else {
                continue;
            };
            let mut args = Vec::new();
            if add_path {
                args.push("-i".to_owned());
            }
            args.push(hex);
            cases.push(Case {
                id: format!("encoding/{name}:{}", n + 1),
                args,
            });
        }
    }
    Ok(cases)
}

fn decoding_cases(dir: &Path) -> Result<Vec<Case>> {
    let mut cases = Vec::new();
    for file in sorted_files(&dir.join("decoding"), None)? {
        let text = read(&file)?;
        let mut lines = text.lines();
        let (Some(head), Some(hex)) = (lines.next(), lines.next()) else {
            continue;
        };
        let words: Vec<&str> = head.split_whitespace().collect();
        let mut args = Vec::new();
        match words.first() {
            Some(&"open") => args.push("--open".to_owned()),
            Some(&"nlri") => args.push("--nlri".to_owned()),
            _ => args.push("--update".to_owned()),
        }
        if let [_, afi, safi, ..] = words.as_slice() {
            args.push("-f".to_owned());
            args.push(format!("{afi} {safi}"));
        }
        args.push(hex.trim().to_owned());
        let name = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        cases.push(Case {
            id: format!("decoding/{name}"),
            args,
        });
    }
    Ok(cases)
}

/// The last JSON object a decoder printed, without the volatile keys (at any depth), or
/// `None` when it printed none.
pub fn comparable(output: &str) -> Option<Value> {
    let line = output
        .lines()
        .rev()
        .map(str::trim)
        .find(|l| l.starts_with('{'))?;
    let mut value: Value = serde_json::from_str(line).ok()?;
    strip(&mut value);
    Some(value)
}

fn strip(value: &mut Value) {
    match value {
        Value::Object(map) => {
            for key in VOLATILE_KEYS {
                map.remove(key);
            }
            map.values_mut().for_each(strip);
        }
        Value::Array(items) => items.iter_mut().for_each(strip),
        _ => {}
    }
}

/// What `herald decode ARGS` prints for each case (stdout, then stderr).
pub fn herald_outputs(herald: &Path, cases: &[Case]) -> Result<Vec<String>> {
    cases
        .iter()
        .map(|case| {
            let output = Command::new("timeout")
                .arg("10")
                .arg(herald)
                .arg("decode")
                .args(&case.args)
                .stdin(Stdio::null())
                .output()
                .map_err(|e| HarnessError::io("run herald decode", e))?;
            Ok(format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            ))
        })
        .collect()
}

/// The Python of ExaBGP's installation: the interpreter named on the first line of the
/// `exabgp` script.
fn exabgp_python() -> Result<PathBuf> {
    let script = which("exabgp")?;
    let text = read(&script)?;
    let shebang = text.lines().next().unwrap_or_default();
    let python = shebang
        .trim_start_matches("#!")
        .split_whitespace()
        .next()
        .unwrap_or_default();
    which(python)
}

/// What `exabgp decode ARGS` prints for each case, from one run of the driver script.
pub fn exabgp_outputs(cases: &[Case]) -> Result<Vec<String>> {
    let script =
        crate::herald::workspace_root().join("crates/interop-tests/scripts/exabgp_decode_many.py");
    let mut input = String::new();
    for case in cases {
        let request = serde_json::json!({ "id": case.id, "args": case.args });
        input.push_str(&request.to_string());
        input.push('\n');
    }
    let mut child = Command::new("timeout")
        .arg("300")
        .arg(exabgp_python()?)
        .arg(&script)
        .env("exabgp_tcp_bind", "")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| HarnessError::io("run the exabgp decode driver", e))?;
    // Invariant: stdin was set to Stdio::piped() above, so the child has one.
    let mut stdin = child.stdin.take().expect("piped stdin");
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child
        .wait_with_output()
        .map_err(|e| HarnessError::io("wait for the exabgp decode driver", e))?;
    let _ = writer.join();
    let mut by_id = BTreeMap::new();
    for line in String::from_utf8_lossy(&output.stdout).lines() {
        let Ok(reply) = serde_json::from_str::<Value>(line) else {
            continue;
        };
        if let (Some(id), Some(text)) = (reply["id"].as_str(), reply["output"].as_str()) {
            by_id.insert(id.to_owned(), text.to_owned());
        }
    }
    cases
        .iter()
        .map(|case| {
            by_id.remove(&case.id).ok_or_else(|| HarnessError::Command {
                command: format!("exabgp decode {}", case.args.join(" ")),
                status: output.status.to_string(),
                output: format!(
                    "no answer for {}: {}",
                    case.id,
                    String::from_utf8_lossy(&output.stderr)
                ),
            })
        })
        .collect()
}

/// The cases on which the outputs differ (both compared as JSON; a decoder that printed no
/// JSON differs from one that did).
pub fn differences(cases: &[Case], herald: &[String], exabgp: &[String]) -> Vec<Difference> {
    cases
        .iter()
        .zip(herald.iter().zip(exabgp))
        .filter_map(|(case, (h, e))| {
            let (hv, ev) = (comparable(h), comparable(e));
            if hv.is_some() && hv == ev {
                return None;
            }
            let show = |v: Option<Value>, raw: &str| {
                v.map_or_else(|| raw.trim().to_owned(), |v| v.to_string())
            };
            Some(Difference {
                id: case.id.clone(),
                herald: show(hv, h),
                exabgp: show(ev, e),
            })
        })
        .collect()
}

/// The ids listed in the differences document: the first cell, in backquotes, of each
/// table row (`| \`encoding/api-flow.msg:3\` | FlowSpec is not decoded yet |`).
pub fn listed_differences(document: &str) -> Vec<String> {
    document
        .lines()
        .filter_map(|l| l.trim().strip_prefix("| `"))
        .filter_map(|rest| rest.split_once('`').map(|(id, _)| id.to_owned()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn raw_update_lines() {
        let line = "1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000";
        assert_eq!(
            raw_update(line).as_deref(),
            Some("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00170200000000")
        );
        assert_eq!(
            raw_update("A1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0013:04"),
            None
        );
        assert_eq!(raw_update("1:notification:closing session"), None);
        assert_eq!(raw_update("# 1:raw:FFFF"), None);
    }

    #[test]
    fn comparable_drops_volatile_keys_and_takes_the_last_json_line() {
        let text = "warning: x\n{ \"exabgp\": \"5.0.0\", \"time\": 1.5, \"type\": \"update\", \"neighbor\": { \"counter\": 2, \"ip\": \"1.1.1.1\" } }\n";
        let v = comparable(text).unwrap();
        assert_eq!(
            v,
            serde_json::json!({ "type": "update", "neighbor": { "ip": "1.1.1.1" } })
        );
        assert_eq!(comparable("invalid payload"), None);
    }

    #[test]
    fn no_json_on_either_side_is_a_difference() {
        let cases = [Case {
            id: "x".into(),
            args: vec![],
        }];
        let d = differences(&cases, &["error".into()], &["error".into()]);
        assert_eq!(d.len(), 1);
    }

    #[test]
    fn listed_ids_are_the_first_cell() {
        let doc = "| id | reason |\n|---|---|\n| `encoding/a.msg:3` | FlowSpec |\n| `decoding/b` | x |\ntext `c` here\n";
        assert_eq!(listed_differences(doc), ["encoding/a.msg:3", "decoding/b"]);
    }
}
