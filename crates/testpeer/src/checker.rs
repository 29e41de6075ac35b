//! Matching what the speaker sends against a [`Script`], group by group.

use std::collections::VecDeque;

use crate::script::{Group, Script, Step};

/// Something the peer must do now (a step of the script that is an action, not a check).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Action {
    /// Send a Cease NOTIFICATION with this text.
    Notification(String),
    /// Send this signal to the speaker.
    Signal(String),
}

/// The outcome of one received message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Verdict {
    /// It matched a message of the current group.
    Matched,
    /// Not checked (KEEPALIVE, or an End-of-RIB after the last group).
    Ignored,
    /// It matched nothing: the report to print.
    Mismatch(String),
}

/// The matching state, shared by every connection of a case.
#[derive(Debug, Clone)]
pub struct Checker {
    pending: VecDeque<Group>,
    current: Vec<Step>,
    current_name: String,
    matched: usize,
}

/// Upper-case hex with the header split the way the corpus writes it.
pub fn hex_message(bytes: &[u8]) -> String {
    let hex: String = bytes.iter().map(|b| format!("{b:02X}")).collect();
    if hex.len() >= 38 {
        format!(
            "{}:{}:{}:{}",
            &hex[..32],
            &hex[32..36],
            &hex[36..38],
            &hex[38..]
        )
    } else {
        hex
    }
}

/// True for an End-of-RIB (RFC 4724 §2): an empty UPDATE, or one with only an empty
/// MP_UNREACH_NLRI.
pub fn is_eor(message: &[u8]) -> bool {
    let body = message.get(19..).unwrap_or_default();
    if message.get(18) != Some(&2) {
        return false;
    }
    body == [0, 0, 0, 0]
        || (body.len() == 11
            && body[..4] == [0, 0, 0, 7]
            && body[5] == 0x0f
            && body[6..8] == [0, 3])
        || (body.len() == 10 && body[..4] == [0, 0, 0, 6] && body[5] == 0x0f && body[6] == 3)
}

impl Checker {
    /// A checker at the first group of `script`.
    pub fn new(script: &Script) -> Self {
        let mut checker = Self {
            pending: script.groups.iter().cloned().collect(),
            current: Vec::new(),
            current_name: String::new(),
            matched: 0,
        };
        checker.advance();
        checker
    }

    fn advance(&mut self) {
        while self.current.is_empty() {
            match self.pending.pop_front() {
                Some(group) => {
                    self.current_name = format!("{}{}", group.conn, group.seq);
                    self.current = group.steps;
                }
                None => return,
            }
        }
    }

    /// The actions due now (signals and notifications at the head of the current group),
    /// removed from the script.
    pub fn actions(&mut self) -> Vec<Action> {
        let mut out = Vec::new();
        loop {
            let action = match self.current.first() {
                Some(Step::Notification(text)) => Action::Notification(text.clone()),
                Some(Step::Signal(name)) => Action::Signal(name.clone()),
                _ => break,
            };
            self.current.remove(0);
            out.push(action);
            self.advance();
        }
        out
    }

    /// True when every group has been matched.
    pub fn completed(&self) -> bool {
        self.current.is_empty() && self.pending.is_empty()
    }

    /// Number of messages matched so far.
    pub fn matched(&self) -> usize {
        self.matched
    }

    /// What is still expected, for a timeout report.
    pub fn remaining(&self) -> String {
        let mut out = format!("group {} still expects:\n", self.current_name);
        for step in &self.current {
            out.push_str(&format!("  {}\n", describe(step)));
        }
        for group in &self.pending {
            out.push_str(&format!(
                "then group {}{}: {} step(s)\n",
                group.conn,
                group.seq,
                group.steps.len()
            ));
        }
        out
    }

    /// Checks one whole message received from the speaker.
    pub fn receive(&mut self, message: &[u8]) -> Verdict {
        if message.len() <= 19 {
            // KEEPALIVE (or any body-less message): not part of the comparison.
            return Verdict::Ignored;
        }
        let found = self.current.iter().position(|step| match step {
            Step::Raw {
                bytes,
                with_marker: true,
            } => bytes == message,
            Step::Raw {
                bytes,
                with_marker: false,
            } => message.get(16..) == Some(bytes.as_slice()),
            _ => false,
        });
        if let Some(index) = found {
            self.current.remove(index);
            self.matched += 1;
            self.advance();
            return Verdict::Matched;
        }
        if self.completed() && is_eor(message) {
            return Verdict::Ignored;
        }
        let mut report = format!("unexpected message\nreceived   {}\n", hex_message(message));
        if self.completed() {
            report.push_str("(every group had already matched)\n");
        } else {
            report.push_str(&format!("group {} accepts any of:\n", self.current_name));
            for step in &self.current {
                report.push_str(&format!("  {}\n", describe(step)));
            }
            if let Some(diff) = self.closest_diff(message) {
                report.push_str(&diff);
            }
        }
        Verdict::Mismatch(report)
    }

    /// Where the received message first differs from the most similar expected one.
    fn closest_diff(&self, message: &[u8]) -> Option<String> {
        let (bytes, offset) = self
            .current
            .iter()
            .filter_map(|step| match step {
                Step::Raw { bytes, with_marker } => {
                    let received = if *with_marker {
                        message
                    } else {
                        message.get(16..)?
                    };
                    let common = bytes
                        .iter()
                        .zip(received)
                        .take_while(|(a, b)| a == b)
                        .count();
                    Some((bytes, common + if *with_marker { 0 } else { 16 }))
                }
                _ => None,
            })
            .max_by_key(|(_, common)| *common)?;
        Some(format!(
            "closest expected differs at octet {offset} (expected {} octets, received {})\n",
            bytes.len(),
            message.len()
        ))
    }
}

fn describe(step: &Step) -> String {
    match step {
        Step::Raw { bytes, with_marker } => {
            let mut full = Vec::new();
            if !with_marker {
                full.extend_from_slice(&[0xff; 16]);
            }
            full.extend_from_slice(bytes);
            format!("expected   {}", hex_message(&full))
        }
        Step::Notification(text) => format!("(send notification {text:?})"),
        Step::Signal(name) => format!("(send signal {name})"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::script::{parse, parse_hex};

    const EOR: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0017:02:00000000";
    const U1: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0030:02:0000001540010100400200400304040000004005040000006418010000";
    const U2: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0030:02:0000001540010100400200400304040000004005040000006418020000";

    fn msg(text: &str) -> Vec<u8> {
        parse_hex(text).unwrap()
    }

    #[test]
    fn any_order_within_a_group_then_next_group() {
        let script = parse(&format!("1:raw:{U1}\n1:raw:{EOR}\n2:raw:{U2}\n")).unwrap();
        let mut checker = Checker::new(&script);
        assert_eq!(checker.receive(&msg(EOR)), Verdict::Matched);
        // U2 belongs to the next group: too early.
        assert!(matches!(checker.receive(&msg(U2)), Verdict::Mismatch(_)));
        assert_eq!(checker.receive(&msg(U1)), Verdict::Matched);
        assert!(!checker.completed());
        assert_eq!(checker.receive(&msg(U2)), Verdict::Matched);
        assert!(checker.completed());
        // A trailing End-of-RIB is accepted, anything else is not.
        assert_eq!(checker.receive(&msg(EOR)), Verdict::Ignored);
        assert!(matches!(checker.receive(&msg(U1)), Verdict::Mismatch(_)));
    }

    #[test]
    fn keepalives_are_ignored() {
        let script = parse(&format!("1:raw:{U1}\n")).unwrap();
        let mut checker = Checker::new(&script);
        let keepalive = msg("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:0013:04");
        assert_eq!(checker.receive(&keepalive), Verdict::Ignored);
        assert_eq!(checker.matched(), 0);
    }

    #[test]
    fn lines_without_marker_compare_from_the_length() {
        let script = parse("1:raw:0017:02:00000000\n").unwrap();
        let mut checker = Checker::new(&script);
        assert_eq!(checker.receive(&msg(EOR)), Verdict::Matched);
    }

    #[test]
    fn actions_come_when_their_group_is_reached() {
        let script = parse(&format!("A1:raw:{U1}\nA2:signal:SIGUSR1\nA3:raw:{U2}\n")).unwrap();
        let mut checker = Checker::new(&script);
        assert!(checker.actions().is_empty());
        assert_eq!(checker.receive(&msg(U1)), Verdict::Matched);
        assert_eq!(checker.actions(), vec![Action::Signal("SIGUSR1".into())]);
        assert!(checker.actions().is_empty());
        assert_eq!(checker.receive(&msg(U2)), Verdict::Matched);
        assert!(checker.completed());
    }

    #[test]
    fn mismatch_report_names_the_difference() {
        let script = parse(&format!("1:raw:{U1}\n")).unwrap();
        let mut checker = Checker::new(&script);
        let Verdict::Mismatch(report) = checker.receive(&msg(U2)) else {
            panic!("should not match");
        };
        assert!(report.contains("differs at octet 45"), "{report}");
        assert!(report.contains("18020000"), "{report}");
    }

    #[test]
    fn eor_detection() {
        assert!(is_eor(&msg(EOR)));
        assert!(is_eor(&msg(
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:001E:02:00000007900F0003000201"
        )));
        assert!(!is_eor(&msg(U1)));
    }
}
