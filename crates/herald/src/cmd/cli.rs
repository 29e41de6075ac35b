//! `herald cli [COMMAND…]`: sends API commands to a running daemon and prints the answer,
//! like `exabgp cli`.
//!
//! Where the daemon is found, first match wins:
//! 1. `--pipename NAME`: ExaBGP's named pipes `NAME.in` / `NAME.out`, looked up in
//!    ExaBGP's directories ([`runtime::control::find_pipes`]) — works with ExaBGP too;
//! 2. `--socket PATH`, else `HERALD_SOCKET`: Herald's control socket;
//! 3. the per-user default socket ([`runtime::control::default_socket_path`]) if it exists;
//! 4. the named pipes of `exabgp.api.pipename` (default `exabgp`) if they exist.
//!
//! The words are expanded as `exabgp cli` expands them (`s a o e` → `show adj-rib out
//! extensive`, [`api::cli::expand`]); the expanded command is echoed on stderr when it
//! differs. `--json` adds `json` to `show` commands. The answer is printed up to its
//! terminator: exit 0 after `done`, 1 after `error` (with a message on stderr), 2 when the
//! daemon cannot be reached, does not answer within `--timeout` seconds, or stops.
//! Without a command, an interactive prompt with history and completion starts.

mod interactive;
mod pipe;

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::time::Duration;

use api::cli::Terminator;

use crate::cli::CliArgs;

/// The environment variable naming the control socket (for the daemon and the client).
pub(crate) const SOCKET_ENV: &str = "HERALD_SOCKET";

/// Exit code when the daemon cannot be reached or does not answer.
const UNREACHABLE: u8 = 2;

/// A way to the daemon.
pub(crate) enum Link {
    /// A connected control socket.
    Socket(BufReader<UnixStream>, PathBuf),
    /// ExaBGP's named pipes in a directory.
    Pipe(pipe::Pipes),
}

/// How an exchange ended.
pub(crate) enum Outcome {
    /// An answer ending with this terminator (`None`: the command gets no answer).
    Answered(Option<Terminator>),
    /// No (complete) answer: why.
    Failed(String),
}

/// Runs `herald cli`.
pub(crate) fn run(args: &CliArgs, env_file: Option<&Path>) -> anyhow::Result<u8> {
    let timeout = Duration::from_secs_f64(args.timeout.max(0.1));
    let mut link = match connect(args, env_file) {
        Ok(link) => link,
        Err(message) => {
            eprintln!("herald cli: {message}");
            return Ok(UNREACHABLE);
        }
    };
    if args.command.is_empty() {
        return interactive::run(&mut link, args.json, timeout);
    }
    let command = prepare(&args.command, args.json);
    let mut stdout = std::io::stdout().lock();
    Ok(exchange_and_report(
        &mut link,
        &command,
        timeout,
        &mut stdout,
    ))
}

/// Expands abbreviations (and adds `json` with `--json`), echoing the result on stderr
/// when it differs from what was typed.
pub(crate) fn prepare<S: AsRef<str>>(words: &[S], json: bool) -> String {
    let typed = words
        .iter()
        .map(AsRef::as_ref)
        .collect::<Vec<_>>()
        .join(" ");
    let mut command = api::cli::expand(words);
    if json {
        command = api::cli::with_json(&command);
    }
    if command != typed.trim() {
        eprintln!("command: {command}");
    }
    command
}

/// Sends `command`, prints its answer, and returns the exit code.
pub(crate) fn exchange_and_report(
    link: &mut Link,
    command: &str,
    timeout: Duration,
    out: &mut dyn Write,
) -> u8 {
    match exchange(link, command, timeout, out) {
        Outcome::Answered(None | Some(Terminator::Done)) => 0,
        Outcome::Answered(Some(Terminator::Error)) => {
            eprintln!("herald cli: the daemon returns an error for `{command}` (see its log; `help` lists the commands)");
            1
        }
        Outcome::Answered(Some(Terminator::Shutdown)) => {
            eprintln!("herald cli: the daemon is shutting down, command aborted");
            UNREACHABLE
        }
        Outcome::Failed(why) => {
            eprintln!("herald cli: {why}");
            UNREACHABLE
        }
    }
}

/// Sends one command and copies the answer lines (without the terminator) to `out`.
fn exchange(link: &mut Link, command: &str, timeout: Duration, out: &mut dyn Write) -> Outcome {
    match link {
        Link::Socket(reader, path) => {
            let sent = reader
                .get_mut()
                .write_all(format!("{command}\n").as_bytes());
            if let Err(e) = sent {
                return Outcome::Failed(format!("could not send to {}: {e}", path.display()));
            }
            let _ = reader.get_ref().set_read_timeout(Some(timeout));
            let mut line = String::new();
            loop {
                line.clear();
                match reader.read_line(&mut line) {
                    Ok(0) => {
                        return Outcome::Failed(format!(
                            "the daemon closed {} before answering",
                            path.display()
                        ))
                    }
                    Ok(_) => {}
                    Err(e)
                        if matches!(
                            e.kind(),
                            std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
                        ) =>
                    {
                        return Outcome::Failed(format!(
                            "no answer from the daemon on {} within {:.1} s",
                            path.display(),
                            timeout.as_secs_f64()
                        ))
                    }
                    Err(e) => return Outcome::Failed(format!("read {}: {e}", path.display())),
                }
                if let Some(end) = Terminator::of(&line) {
                    return Outcome::Answered(Some(end));
                }
                let _ = out.write_all(line.as_bytes());
                let _ = out.flush();
            }
        }
        Link::Pipe(pipes) => pipes.exchange(command, timeout, out),
    }
}

/// Finds the daemon (see the module documentation).
fn connect(args: &CliArgs, env_file: Option<&Path>) -> Result<Link, String> {
    if let Some(name) = &args.pipename {
        return pipe::Pipes::find(name).map(Link::Pipe);
    }
    let explicit = args
        .socket
        .clone()
        .or_else(|| std::env::var_os(SOCKET_ENV).map(PathBuf::from));
    if let Some(path) = explicit {
        return socket(&path);
    }
    let default = runtime::control::default_socket_path();
    if default.exists() {
        return socket(&default);
    }
    let name = config::Env::from_process(env_file)
        .map(|env| env.api_pipename().to_owned())
        .unwrap_or_else(|_| "exabgp".to_owned());
    pipe::Pipes::find(&name).map(Link::Pipe).map_err(|pipes| {
        format!(
            "no running daemon found: no control socket at {} and {pipes}",
            default.display()
        )
    })
}

fn socket(path: &Path) -> Result<Link, String> {
    match UnixStream::connect(path) {
        Ok(stream) => Ok(Link::Socket(BufReader::new(stream), path.to_path_buf())),
        Err(e) => Err(format!(
            "no daemon answers on {} ({e}); is herald running? (--socket PATH or {SOCKET_ENV} \
             name another socket)",
            path.display()
        )),
    }
}
