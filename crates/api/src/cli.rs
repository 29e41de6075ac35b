//! The operator's command line (`herald cli`, `exabgp cli`), without I/O: abbreviations,
//! the end of an answer, `--json`, and the words offered for completion.
//!
//! A CLI command is an ordinary API command ([`crate::parse`]); the daemon answers it with
//! zero or more lines followed by one terminator line: `done`, `error`, or — when the
//! daemon stops — `shutdown` (ExaBGP's JSON forms of these are recognised too, see
//! [`Terminator::of`]).
//!
//! Abbreviations follow `exabgp cli` 5.0.15: each word is replaced by the first name of
//! the table below that it abbreviates (it equals the short form, or is a prefix of the
//! name) and whose context matches, so `s a o e` is `show adj-rib out extensive` and
//! `s n s` is `show neighbor summary`. Two conditions are written as ExaBGP's code intends
//! rather than as it runs: "after an IP address" (ExaBGP compares list elements with `.`
//! and so never sees the address: `neighbor 192.0.2.1 a r …` stays unexpanded there) and
//! `r` → `route` after `announce`/`withdraw` (never expanded by 5.0.15). `v` expands to
//! `vpls` (5.0.15 writes `vps`).

/// A line that ends an answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Terminator {
    /// The command was carried out (`done`).
    Done,
    /// The command was refused (`error`).
    Error,
    /// The daemon is stopping; the command may not have run (`shutdown`).
    Shutdown,
}

impl Terminator {
    /// The terminator `line` is (trailing whitespace ignored), if it is one.
    pub fn of(line: &str) -> Option<Self> {
        match line.trim_end() {
            "done" | r#"{ "answer": "done", "message": "command completed" }"# => Some(Self::Done),
            "error" | r#"{ "answer": "error", "message": "this command does not exist" }"# => {
                Some(Self::Error)
            }
            "shutdown" | r#"{ "answer": "shutdown", "message": "exbgp exited" }"# => {
                Some(Self::Shutdown)
            }
            _ => None,
        }
    }
}

/// Where a word may be expanded: `pos` is its index, `prev` the words before it
/// (already expanded).
type Rule = fn(usize, &[String]) -> bool;

fn first(pos: usize, prev: &[String]) -> bool {
    pos == 0 || prev.last().is_some_and(|w| looks_like_ip(w))
}

fn after(prev: &[String], words: &[&str]) -> bool {
    prev.last().is_some_and(|w| words.contains(&w.as_str()))
}

fn looks_like_ip(word: &str) -> bool {
    word.matches('.').count() == 3 || word.contains(':')
}

/// ExaBGP 5.0.15's table, in its order: (short form, name, context).
const RULES: &[(&str, &str, Rule)] = &[
    ("a", "announce", first),
    ("a", "attributes", |_, p| {
        after(p, &["announce", "withdraw"])
    }),
    ("c", "configuration", |_, _| true),
    ("e", "eor", |_, p| after(p, &["announce"])),
    ("e", "extensive", |_, p| p.iter().any(|w| w == "show")),
    ("f", "flow", |_, p| after(p, &["announce", "withdraw"])),
    ("f", "flush", first),
    ("h", "help", |pos, _| pos == 0),
    ("i", "in", |_, p| after(p, &["adj-rib"])),
    ("n", "neighbor", |pos, p| pos == 0 || after(p, &["show"])),
    ("r", "route", |_, p| after(p, &["announce", "withdraw"])),
    ("rr", "route-refresh", |_, p| after(p, &["announce"])),
    ("s", "show", |pos, _| pos == 0),
    ("t", "teardown", first),
    ("s", "summary", |pos, _| pos != 0),
    ("v", "vpls", |_, p| after(p, &["announce", "withdraw"])),
    ("o", "operational", |_, p| after(p, &["announce"])),
    ("o", "out", |_, p| after(p, &["adj-rib"])),
    ("a", "adj-rib", |_, p| after(p, &["clear", "flush", "show"])),
    ("w", "withdraw", first),
    ("w", "watchdog", |_, p| after(p, &["announce", "withdraw"])),
    ("neighbour", "neighbor", |_, _| true),
    ("neigbour", "neighbor", |_, _| true),
    ("neigbor", "neighbor", |_, _| true),
];

/// Expands `exabgp cli`'s abbreviations in `words` and joins them with single spaces.
pub fn expand<S: AsRef<str>>(words: &[S]) -> String {
    let mut done: Vec<String> = Vec::with_capacity(words.len());
    for (pos, word) in words.iter().enumerate() {
        let word = word.as_ref();
        let expanded = RULES
            .iter()
            .find(|(short, name, rule)| {
                !word.is_empty() && (word == *short || name.starts_with(word)) && rule(pos, &done)
            })
            .map_or(word, |(_, name, _)| name);
        done.push(expanded.to_owned());
    }
    done.join(" ")
}

/// The command with `json` added when it is a `show` command without it (`--json`).
pub fn with_json(command: &str) -> String {
    let mut words = command.split_whitespace();
    let is_show = words.next() == Some("show");
    if !is_show || command.split_whitespace().any(|w| w == "json") {
        return command.to_owned();
    }
    format!("{} json", command.trim_end())
}

/// The words offered for completion after the words `prev` (ExaBGP's command table).
pub fn completions(prev: &[&str]) -> &'static [&'static str] {
    match prev {
        [] => &[
            "show",
            "announce",
            "withdraw",
            "neighbor",
            "flush",
            "clear",
            "teardown",
            "reload",
            "restart",
            "shutdown",
            "version",
            "help",
            "enable-ack",
            "disable-ack",
            "silence-ack",
        ],
        ["show"] => &["neighbor", "adj-rib"],
        ["show", "neighbor", ..] => &["summary", "extensive", "configuration", "json"],
        ["show", "adj-rib"] => &["in", "out"],
        ["show", "adj-rib", _, ..] => &["extensive", "json", "inet", "flow", "l2vpn"],
        ["announce" | "withdraw"] => &[
            "route",
            "attributes",
            "flow",
            "vpls",
            "eor",
            "route-refresh",
            "watchdog",
            "ipv4",
            "ipv6",
            "operational",
        ],
        ["announce" | "withdraw", "route", _, ..] => &[
            "next-hop",
            "med",
            "local-preference",
            "community",
            "large-community",
            "extended-community",
            "as-path",
            "origin",
            "path-information",
            "split",
        ],
        ["flush" | "clear"] => &["adj-rib"],
        ["flush", "adj-rib"] => &["out"],
        ["clear", "adj-rib"] => &["in", "out"],
        _ => &[],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ex(line: &str) -> String {
        expand(&line.split_whitespace().collect::<Vec<_>>())
    }

    #[test]
    fn exabgp_abbreviations() {
        assert_eq!(ex("s a o e"), "show adj-rib out extensive");
        assert_eq!(ex("s a i"), "show adj-rib in");
        assert_eq!(ex("s n s"), "show neighbor summary");
        assert_eq!(ex("s n e"), "show neighbor extensive");
        assert_eq!(ex("s n c"), "show neighbor configuration");
        assert_eq!(ex("sh nei sum"), "show neighbor summary");
        assert_eq!(ex("f a o"), "flush adj-rib out");
        assert_eq!(ex("a e ipv4 unicast"), "announce eor ipv4 unicast");
        assert_eq!(
            ex("a rr ipv4 unicast"),
            "announce route-refresh ipv4 unicast"
        );
        assert_eq!(ex("w w dns"), "withdraw watchdog dns");
        assert_eq!(ex("h"), "help");
        assert_eq!(ex("neighbour 10.0.0.1 t 2"), "neighbor 10.0.0.1 teardown 2");
    }

    #[test]
    fn abbreviations_keep_arguments() {
        assert_eq!(
            ex("a r 10.0.0.0/24 next-hop 192.0.2.1"),
            "announce route 10.0.0.0/24 next-hop 192.0.2.1"
        );
        assert_eq!(
            ex("neighbor 192.0.2.1 w r 10.0.0.0/24"),
            "neighbor 192.0.2.1 withdraw route 10.0.0.0/24"
        );
        assert_eq!(ex("version"), "version");
        assert_eq!(ex("show adj-rib out json"), "show adj-rib out json");
    }

    #[test]
    fn terminators() {
        assert_eq!(Terminator::of("done"), Some(Terminator::Done));
        assert_eq!(Terminator::of("error\n"), Some(Terminator::Error));
        assert_eq!(Terminator::of("shutdown"), Some(Terminator::Shutdown));
        assert_eq!(
            Terminator::of(r#"{ "answer": "done", "message": "command completed" }"#),
            Some(Terminator::Done)
        );
        assert_eq!(Terminator::of("donee"), None);
        assert_eq!(Terminator::of("shutdown in progress"), None);
    }

    #[test]
    fn json_flag() {
        assert_eq!(
            with_json("show neighbor summary"),
            "show neighbor summary json"
        );
        assert_eq!(with_json("show adj-rib out json"), "show adj-rib out json");
        assert_eq!(with_json("version"), "version");
    }

    #[test]
    fn completion_words() {
        assert!(completions(&[]).contains(&"show"));
        assert!(completions(&["show", "adj-rib"]).contains(&"out"));
        assert!(completions(&["show", "neighbor", "10.0.0.1"]).contains(&"summary"));
        assert!(completions(&["version"]).is_empty());
    }
}
