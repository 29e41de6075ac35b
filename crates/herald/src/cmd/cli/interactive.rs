//! `herald cli` without a command: a prompt with line editing, history (kept in
//! `$XDG_STATE_HOME/herald/cli_history`, else `~/.local/state/herald/cli_history`) and
//! completion of the command words; each line is expanded and sent like a command given
//! on the command line. `quit`, `exit` or end of input leave.
//!
//! Line editing is rustyline's (maintained, used by many CLIs, pure Rust, no C library);
//! writing our own raw-terminal handling would be more code to get right than the rest of
//! the client.

use std::borrow::Cow;
use std::path::PathBuf;
use std::time::Duration;

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::DefaultHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use super::{exchange_and_report, prepare, Link};

/// Completes the word under the cursor from [`api::cli::completions`].
struct Words;

impl Completer for Words {
    type Candidate = Pair;

    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = &line[..pos];
        let start = head.rfind(char::is_whitespace).map_or(0, |i| i + 1);
        let before: Vec<&str> = head[..start].split_whitespace().collect();
        let expanded = api::cli::expand(&before);
        let prev: Vec<&str> = expanded.split_whitespace().collect();
        let word = &head[start..];
        let pairs = api::cli::completions(&prev)
            .iter()
            .filter(|w| w.starts_with(word))
            .map(|w| Pair {
                display: (*w).to_owned(),
                replacement: format!("{w} "),
            })
            .collect();
        Ok((start, pairs))
    }
}

impl Hinter for Words {
    type Hint = String;
}

impl Highlighter for Words {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
}

impl Validator for Words {}

impl Helper for Words {}

fn history_file() -> Option<PathBuf> {
    let base = std::env::var_os("XDG_STATE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".local/state")))?;
    Some(base.join("herald").join("cli_history"))
}

/// Runs the prompt until the user leaves; the exit code is that of the last command.
pub(crate) fn run(link: &mut Link, json: bool, timeout: Duration) -> anyhow::Result<u8> {
    let mut editor: Editor<Words, DefaultHistory> = Editor::new()?;
    editor.set_helper(Some(Words));
    let history = history_file();
    if let Some(path) = &history {
        let _ = editor.load_history(path);
    }
    let mut code = 0;
    loop {
        match editor.readline("herald> ") {
            Ok(line) => {
                let line = line.trim();
                if line.is_empty() {
                    continue;
                }
                if line == "quit" || line == "exit" {
                    break;
                }
                let _ = editor.add_history_entry(line);
                let words: Vec<&str> = line.split_whitespace().collect();
                let command = prepare(&words, json);
                let mut stdout = std::io::stdout().lock();
                code = exchange_and_report(link, &command, timeout, &mut stdout);
                if code == 2 {
                    break;
                }
            }
            Err(ReadlineError::Interrupted) => continue,
            Err(ReadlineError::Eof) => break,
            Err(e) => return Err(e.into()),
        }
    }
    if let Some(path) = &history {
        if let Some(dir) = path.parent() {
            let _ = std::fs::create_dir_all(dir);
        }
        let _ = editor.save_history(path);
    }
    Ok(code)
}
