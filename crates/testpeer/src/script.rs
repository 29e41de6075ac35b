//! The `.msg` case format of ExaBGP's functional tests (see the corpus README):
//!
//! ```text
//! [conn]<seq>:<kind>:<content>
//! option:<name>[:<value>]
//! ```
//!
//! `kind` is `raw` (a whole message in hex, `:` and spaces ignored, marker optional),
//! `notification` (the peer sends a Cease carrying the text) or `signal` (the peer sends a
//! signal to the speaker). Lines with `#` are comments. Rules are grouped by connection
//! letter (A when absent) then by sequence number; a group's messages may arrive in any
//! order, groups complete in order, connections in letter order.

use std::fmt;

/// An error in a `.msg` file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScriptError {
    /// 1-based line number.
    pub line: usize,
    /// What is wrong.
    pub reason: String,
}

impl fmt::Display for ScriptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "line {}: {}", self.line, self.reason)
    }
}

impl std::error::Error for ScriptError {}

/// One expectation or action of a group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// A message the speaker must send: the whole message, or the message without its
    /// 16-octet marker when `with_marker` is false.
    Raw {
        /// The octets to compare.
        bytes: Vec<u8>,
        /// True when `bytes` starts with the marker.
        with_marker: bool,
    },
    /// Send a Cease NOTIFICATION (6, 0) carrying this text.
    Notification(String),
    /// Send this signal (`SIGUSR1`, `SIGHUP` …) to the speaker.
    Signal(String),
}

/// A group: steps with one connection letter and sequence number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    /// Connection letter (`A` when the line had none).
    pub conn: char,
    /// Sequence number.
    pub seq: u32,
    /// The steps, in file order.
    pub steps: Vec<Step>,
}

/// The `option:` lines.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Options {
    /// `option:tcp_connections:N`.
    pub tcp_connections: Option<u32>,
    /// `option:bind:ipv6`: listen on ::1.
    pub ipv6: bool,
    /// `option:asn:N`: the ASN the peer uses in its OPEN.
    pub asn: Option<u32>,
    /// `option:open:send-unknown-capability`: add capability 66 to the OPEN.
    pub send_unknown_capability: bool,
    /// `option:open:inspect-open-message`: the speaker's OPEN is compared too.
    pub inspect_open: bool,
    /// `option:open:send-unknown-message`: the peer sends a message of type 255.
    pub send_unknown_message: bool,
    /// `option:update:send-default-route`: the peer announces 0.0.0.0/0.
    pub send_default_route: bool,
}

/// A parsed case.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Script {
    /// Options.
    pub options: Options,
    /// Groups in the order they must complete.
    pub groups: Vec<Group>,
}

/// Decodes hex, ignoring `:` and whitespace.
pub fn parse_hex(text: &str) -> Result<Vec<u8>, String> {
    let digits: Vec<u8> = text
        .bytes()
        .filter(|b| *b != b':' && !b.is_ascii_whitespace())
        .collect();
    if !digits.len().is_multiple_of(2) {
        return Err("odd number of hex digits".into());
    }
    digits
        .chunks(2)
        .map(|pair| {
            let text = std::str::from_utf8(pair).map_err(|_| "not hex".to_string())?;
            u8::from_str_radix(text, 16).map_err(|_| format!("not hex: {text:?}"))
        })
        .collect()
}

/// Parses a `.msg` file.
pub fn parse(text: &str) -> Result<Script, ScriptError> {
    let mut script = Script::default();
    for (index, raw_line) in text.lines().enumerate() {
        let line_no = index + 1;
        let err = |reason: String| ScriptError {
            line: line_no,
            reason,
        };
        let line = raw_line.trim();
        if line.is_empty() || line.contains('#') {
            continue;
        }
        if let Some(option) = line.strip_prefix("option:") {
            parse_option(&mut script.options, option).map_err(err)?;
            continue;
        }
        let mut parts = line.splitn(3, ':');
        let (Some(prefix), Some(kind), Some(content)) = (parts.next(), parts.next(), parts.next())
        else {
            return Err(err(format!(
                "expected <seq>:<kind>:<content>, got {line:?}"
            )));
        };
        let (conn, number) = match prefix.chars().next() {
            Some(c) if c.is_ascii_alphabetic() => (c.to_ascii_uppercase(), &prefix[1..]),
            _ => ('A', prefix),
        };
        let seq: u32 = number
            .trim()
            .parse()
            .map_err(|_| err(format!("bad sequence number {prefix:?}")))?;
        let step = match kind.trim().to_ascii_lowercase().as_str() {
            "raw" => {
                let bytes = parse_hex(content).map_err(err)?;
                let with_marker = bytes.len() >= 16 && bytes[..16].iter().all(|b| *b == 0xff);
                Step::Raw { bytes, with_marker }
            }
            "notification" => Step::Notification(content.to_string()),
            "signal" => Step::Signal(content.trim().to_ascii_uppercase()),
            other => return Err(err(format!("unknown kind {other:?}"))),
        };
        match script
            .groups
            .iter_mut()
            .find(|g| g.conn == conn && g.seq == seq)
        {
            Some(group) => group.steps.push(step),
            None => script.groups.push(Group {
                conn,
                seq,
                steps: vec![step],
            }),
        }
    }
    script.groups.sort_by_key(|g| (g.conn, g.seq));
    Ok(script)
}

fn parse_option(options: &mut Options, option: &str) -> Result<(), String> {
    let option = option.trim();
    let number = |value: &str| {
        value
            .trim()
            .parse::<u32>()
            .map_err(|_| format!("bad number in option {option:?}"))
    };
    if let Some(value) = option.strip_prefix("tcp_connections:") {
        options.tcp_connections = Some(number(value)?);
    } else if let Some(value) = option.strip_prefix("asn:") {
        options.asn = Some(number(value)?);
    } else {
        match option {
            "bind:ipv6" => options.ipv6 = true,
            "open:send-unknown-capability" => options.send_unknown_capability = true,
            "open:inspect-open-message" => options.inspect_open = true,
            "open:send-unknown-message" => options.send_unknown_message = true,
            "update:send-default-route" => options.send_default_route = true,
            _ => return Err(format!("unknown option {option:?}")),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_by_connection_and_sequence() {
        // api-reload.msg, abridged
        let text = "A1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000\n\
                    A1:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001B:02:0004180200000000\n\
                    \n\
                    A2:signal:SIGUSR1\n\
                    A3:raw:FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001B:02:0004180200000000\n";
        let script = parse(text).unwrap();
        assert_eq!(script.groups.len(), 3);
        assert_eq!(script.groups[0].steps.len(), 2);
        assert_eq!(script.groups[1].steps, vec![Step::Signal("SIGUSR1".into())]);
        assert_eq!((script.groups[2].conn, script.groups[2].seq), ('A', 3));
        match &script.groups[0].steps[1] {
            Step::Raw { bytes, with_marker } => {
                assert!(with_marker);
                assert_eq!(bytes.len(), 0x1b);
                assert_eq!(&bytes[16..], &[0, 0x1b, 2, 0, 4, 0x18, 2, 0, 0, 0, 0]);
            }
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn sequences_sort_numerically_and_connections_by_letter() {
        let text = "B1:raw:0017:02:00000000\n10:raw:0017:02:00000000\n2:raw:0017:02:00000000\n";
        let script = parse(text).unwrap();
        let order: Vec<_> = script.groups.iter().map(|g| (g.conn, g.seq)).collect();
        assert_eq!(order, vec![('A', 2), ('A', 10), ('B', 1)]);
        assert_eq!(
            script.groups[0].steps[0],
            Step::Raw {
                bytes: vec![0, 0x17, 2, 0, 0, 0, 0],
                with_marker: false
            }
        );
    }

    #[test]
    fn options_comments_and_notifications() {
        let text = "# a comment 1:raw:00\noption:asn:65000\noption:bind:ipv6\n\
                    option:open:inspect-open-message\noption:update:send-default-route\n\
                    option:tcp_connections:2\noption:open:send-unknown-message\n\
                    option:open:send-unknown-capability\n\
                    A1:notification:closing session because we can\n";
        let script = parse(text).unwrap();
        assert_eq!(
            script.options,
            Options {
                tcp_connections: Some(2),
                ipv6: true,
                asn: Some(65000),
                send_unknown_capability: true,
                inspect_open: true,
                send_unknown_message: true,
                send_default_route: true,
            }
        );
        assert_eq!(
            script.groups[0].steps,
            vec![Step::Notification("closing session because we can".into())]
        );
    }

    #[test]
    fn rejects_garbage() {
        assert_eq!(parse("1:raw:0G\n").unwrap_err().line, 1);
        assert!(parse("\nx:raw:00\n").is_err());
        assert!(parse("1:bogus:00\n").is_err());
        assert!(parse("option:nope\n").is_err());
        assert!(parse("1:raw:123\n").is_err());
    }

    #[test]
    fn parses_the_whole_corpus() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../../shared/conformance/exabgp-5.0/encoding");
        let entries = std::fs::read_dir(&dir)
            .unwrap_or_else(|e| panic!("no conformance corpus at {}: {e}", dir.display()));
        let mut count = 0;
        for entry in entries.flatten() {
            let path = entry.path();
            if path.extension().is_some_and(|e| e == "msg") {
                let text = std::fs::read_to_string(&path).unwrap();
                let script = parse(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
                for group in &script.groups {
                    for step in &group.steps {
                        if let Step::Raw { bytes, with_marker } = step {
                            let at = if *with_marker { 16 } else { 0 };
                            let len = usize::from(bytes[at]) << 8 | usize::from(bytes[at + 1]);
                            let want = if *with_marker { len } else { len - 16 };
                            assert_eq!(bytes.len(), want, "{}: length field", path.display());
                        }
                    }
                }
                count += 1;
            }
        }
        assert!(count >= 50, "{count} cases");
    }
}
