//! The manual page and the shell completions, generated from the clap definition: the
//! page renders with groff without a warning and documents every subcommand; the bash
//! completion, loaded in bash, offers every subcommand `herald --help` lists.

use std::io::Write;
use std::process::{Command, Output, Stdio};

fn herald(args: &[&str]) -> Output {
    let out = Command::new("timeout")
        .arg("20")
        .arg(env!("CARGO_BIN_EXE_herald"))
        .args(args)
        .env("EXABGP_ENVFILE", "/nonexistent/herald-test.env")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "herald {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

/// The subcommands `herald --help` lists (but `help`).
fn subcommands() -> Vec<String> {
    let help = String::from_utf8(herald(&["--help"]).stdout).unwrap();
    let names: Vec<String> = help
        .lines()
        .skip_while(|l| !l.starts_with("Commands:"))
        .skip(1)
        .take_while(|l| l.starts_with("  "))
        .filter_map(|l| l.split_whitespace().next())
        .filter(|n| *n != "help")
        .map(str::to_owned)
        .collect();
    assert!(names.len() >= 9, "{help}");
    names
}

/// Pipes `input` through `program args` (bounded by `timeout`).
fn pipe(program: &str, args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new("timeout")
        .arg("30")
        .arg(program)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("{program} (scripts/install-peers installs it): {e}"));
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn man_page_renders_and_documents_every_subcommand() {
    let roff = herald(&["man"]).stdout;
    // -k: preconv for the UTF-8 text; -ww: every warning
    let out = pipe("groff", &["-k", "-man", "-Tutf8", "-ww"], &roff);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success() && stderr.is_empty(), "{stderr}");
    let text = String::from_utf8_lossy(&out.stdout);
    // groff's tty output overstrikes bold (c\bc): take the plain characters
    let plain: String = {
        let mut s = String::new();
        for c in text.chars() {
            if c == '\u{8}' {
                s.pop();
            } else {
                s.push(c);
            }
        }
        s
    };
    for name in subcommands() {
        let heading = format!("HERALD {}", name.to_uppercase());
        assert!(plain.contains(&heading), "no {heading} section:\n{plain}");
    }
    for needle in ["SIGUSR1", "--log-format", "HERALD_SOCKET", "--pipename"] {
        assert!(plain.contains(needle), "no {needle}:\n{plain}");
    }
}

#[test]
fn bash_completion_offers_every_subcommand() {
    let script = String::from_utf8(herald(&["completions", "bash"]).stdout).unwrap();
    for name in subcommands() {
        assert!(script.contains(&format!("herald,{name})")), "{name}");
    }
    // loaded in bash, completing `herald <TAB>` and `herald cli --<TAB>`
    let driver = format!(
        "{script}\n\
         COMP_WORDS=(herald ''); COMP_CWORD=1; _herald herald '' herald\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"; echo ---\n\
         COMP_WORDS=(herald cli --); COMP_CWORD=2; _herald herald -- cli\n\
         printf '%s\\n' \"${{COMPREPLY[@]}}\"\n"
    );
    let out = pipe("bash", &["--norc", "--noprofile"], driver.as_bytes());
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let (top, cli) = stdout.split_once("---\n").unwrap();
    let offered: Vec<&str> = top.lines().collect();
    for name in subcommands() {
        assert!(
            offered.contains(&name.as_str()),
            "{name} not in {offered:?}"
        );
    }
    for option in ["--pipename", "--socket", "--json", "--timeout"] {
        assert!(cli.lines().any(|l| l == option), "{option} not in {cli}");
    }
}

#[test]
fn completions_for_the_other_shells() {
    for (shell, needle) in [
        ("zsh", "#compdef herald"),
        ("fish", "complete -c herald"),
        ("elvish", "herald"),
        ("powershell", "herald"),
    ] {
        let text = String::from_utf8(herald(&["completions", shell]).stdout).unwrap();
        assert!(text.contains(needle), "{shell}: {text}");
        assert!(text.contains("healthcheck"), "{shell}");
    }
}
