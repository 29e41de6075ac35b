//! `herald cli` failures a user meets, and the daemon's control socket, with the real
//! binary: a daemon that is not running, a pipe nobody reads or answers, an unknown
//! command, two clients at once. Every process is bounded by `timeout(1)` or killed by PID.

use std::io::{BufRead, BufReader, Write};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

fn herald() -> Command {
    let mut cmd = Command::new("timeout");
    cmd.arg("30").arg(env!("CARGO_BIN_EXE_herald"));
    cmd.env("EXABGP_ENVFILE", "/nonexistent/herald-test.env");
    cmd.env_remove("HERALD_SOCKET");
    cmd
}

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("herald-control-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `herald cli ARGS` and checks it ends within `limit`.
fn cli(env: &[(&str, &Path)], args: &[&str], limit: Duration) -> Output {
    let started = Instant::now();
    let mut cmd = herald();
    cmd.arg("cli");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.args(args).output().unwrap();
    assert!(
        started.elapsed() < limit,
        "herald cli {args:?} took {:?}",
        started.elapsed()
    );
    out
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

fn mkfifo(path: &Path) {
    let status = Command::new("mkfifo").arg(path).status().unwrap();
    assert!(status.success());
}

#[test]
fn cli_without_a_daemon_says_so_and_exits_2() {
    let dir = scratch("nodaemon");
    let socket = dir.join("none.sock");
    let out = cli(
        &[],
        &["--socket", socket.to_str().unwrap(), "version"],
        Duration::from_secs(3),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("no daemon answers on"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn cli_with_pipes_nobody_reads_says_so_and_exits_2() {
    let root = scratch("pipes-unread");
    std::fs::create_dir_all(root.join("run")).unwrap();
    let name = format!("unread{}", std::process::id());
    mkfifo(&root.join(format!("run/{name}.in")));
    mkfifo(&root.join(format!("run/{name}.out")));
    let out = cli(
        &[("EXABGP_ROOT", &root)],
        &["--pipename", &name, "version"],
        Duration::from_secs(4),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nobody reads"), "{}", stderr(&out));
}

#[test]
fn cli_with_a_pipe_nobody_answers_times_out_and_exits_2() {
    let root = scratch("pipes-silent");
    std::fs::create_dir_all(root.join("run")).unwrap();
    let name = format!("silent{}", std::process::id());
    let input = root.join(format!("run/{name}.in"));
    mkfifo(&input);
    mkfifo(&root.join(format!("run/{name}.out")));
    // a reader that never answers: this test holds `.in` open
    let _reader = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .open(&input)
        .unwrap();
    let out = cli(
        &[("EXABGP_ROOT", &root)],
        &["--pipename", &name, "--timeout", "1", "version"],
        Duration::from_secs(4),
    );
    assert_eq!(out.status.code(), Some(2), "{}", stderr(&out));
    assert!(stderr(&out).contains("nobody answers"), "{}", stderr(&out));
}

#[test]
fn cli_without_pipes_or_socket_lists_where_it_looked() {
    let root = scratch("nothing");
    let out = cli(
        &[("EXABGP_ROOT", &root)],
        &["--pipename", "herald-no-such-pipe", "version"],
        Duration::from_secs(3),
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(
        stderr(&out).contains("herald-no-such-pipe.in"),
        "{}",
        stderr(&out)
    );
}

/// A daemon with one neighbor nobody answers, its control socket in `dir`.
struct Daemon {
    child: Child,
    socket: PathBuf,
}

impl Daemon {
    fn start(dir: &Path) -> Self {
        let conf = dir.join("herald.conf");
        std::fs::write(
            &conf,
            "neighbor 127.0.0.9 {\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
             local-as 65001;\n  peer-as 65002;\n  connect 1;\n  family { ipv4 unicast; }\n}\n",
        )
        .unwrap();
        let socket = dir.join("herald.sock");
        let child = herald()
            .arg("server")
            .arg(&conf)
            .env("HERALD_SOCKET", &socket)
            .env("exabgp_tcp_bind", "")
            .env("exabgp_api_cli", "false")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let deadline = Instant::now() + Duration::from_secs(10);
        while UnixStream::connect(&socket).is_err() {
            assert!(
                Instant::now() < deadline,
                "the daemon never served {socket:?}"
            );
            std::thread::sleep(Duration::from_millis(20));
        }
        Self { child, socket }
    }
}

impl Drop for Daemon {
    fn drop(&mut self) {
        // the `timeout` wrapper: it passes SIGTERM on to the daemon
        let _ = Command::new("kill")
            .arg(self.child.id().to_string())
            .status();
        let _ = self.child.wait();
    }
}

/// Sends one line on `stream` and reads the answer up to its terminator.
fn ask(reader: &mut BufReader<UnixStream>, line: &str) -> Vec<String> {
    reader
        .get_mut()
        .write_all(format!("{line}\n").as_bytes())
        .unwrap();
    let mut lines = Vec::new();
    loop {
        let mut text = String::new();
        assert!(
            reader.read_line(&mut text).unwrap() > 0,
            "closed: {lines:?}"
        );
        let text = text.trim_end().to_owned();
        let end = text == "done" || text == "error";
        lines.push(text);
        if end {
            return lines;
        }
    }
}

#[test]
fn unknown_command_is_an_error_with_exit_1() {
    let dir = scratch("unknown");
    let daemon = Daemon::start(&dir);
    let out = cli(
        &[("HERALD_SOCKET", &daemon.socket)],
        &["frobnicate", "everything"],
        Duration::from_secs(5),
    );
    assert_eq!(out.status.code(), Some(1), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("returns an error"),
        "{}",
        stderr(&out)
    );
    let out = cli(
        &[("HERALD_SOCKET", &daemon.socket)],
        &["version"],
        Duration::from_secs(5),
    );
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert_eq!(String::from_utf8_lossy(&out.stdout), "exabgp 5.0.15\n");
}

#[test]
fn two_clients_at_once_each_get_their_own_answers() {
    let dir = scratch("two");
    let daemon = Daemon::start(&dir);
    let mut a = BufReader::new(UnixStream::connect(&daemon.socket).unwrap());
    let mut b = BufReader::new(UnixStream::connect(&daemon.socket).unwrap());
    for s in [&a, &b] {
        s.get_ref()
            .set_read_timeout(Some(Duration::from_secs(5)))
            .unwrap();
    }
    // interleaved on two open connections
    assert_eq!(
        ask(&mut a, "announce route 10.1.0.0/24 next-hop 192.0.2.1"),
        ["done"]
    );
    assert_eq!(ask(&mut b, "bogus"), ["error"]);
    assert_eq!(ask(&mut a, "version"), ["exabgp 5.0.15", "done"]);
    let rib = ask(&mut b, "show adj-rib out");
    assert_eq!(
        rib,
        [
            "127.0.0.9 ipv4 unicast 10.1.0.0/24 next-hop 192.0.2.1",
            "done"
        ]
    );
    // pipelined on one connection: answered in order
    a.get_mut()
        .write_all(b"version\nshow adj-rib out json\n")
        .unwrap();
    let mut got = Vec::new();
    while got.iter().filter(|l: &&String| *l == "done").count() < 2 {
        let mut text = String::new();
        assert!(a.read_line(&mut text).unwrap() > 0);
        got.push(text.trim_end().to_owned());
    }
    assert_eq!(got[0], "exabgp 5.0.15");
    assert_eq!(got[1], "done");
    assert!(got[2].contains("10.1.0.0/24"), "{got:?}");
}

/// `herald cli` with no command, on a real terminal (`script(1)` gives it a pty): TAB
/// completes `ver` to `version`, the answer is printed, the line is kept in the history
/// file, and `quit` leaves.
#[test]
fn interactive_prompt_completes_answers_and_keeps_history() {
    let dir = scratch("interactive");
    let daemon = Daemon::start(&dir);
    let state = dir.join("state");
    let mut child = Command::new("timeout")
        .arg("20")
        .args(["script", "-qfec"])
        .arg(format!("{} cli", env!("CARGO_BIN_EXE_herald")))
        .arg("/dev/null")
        .env("HERALD_SOCKET", &daemon.socket)
        .env("XDG_STATE_HOME", &state)
        .env("EXABGP_ENVFILE", "/nonexistent/herald-test.env")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = BufReader::new(child.stdout.take().unwrap());
    let mut stdin = child.stdin.take().unwrap();
    // wait for the prompt before typing, as a person would
    let mut seen = String::new();
    let mut read_until = |want: &str, seen: &mut String| {
        let mut buf = [0u8; 256];
        while !seen.contains(want) {
            let n = std::io::Read::read(stdout.get_mut(), &mut buf).unwrap();
            assert!(n > 0, "the terminal closed; it showed: {seen:?}");
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        }
    };
    read_until("herald> ", &mut seen);
    stdin.write_all(b"ver\t\r").unwrap();
    read_until("exabgp 5.0.15", &mut seen);
    assert!(seen.contains("version "), "no completion: {seen:?}");
    stdin.write_all(b"quit\r").unwrap();
    drop(stdin);
    assert!(child.wait().unwrap().success());
    let history = std::fs::read_to_string(state.join("herald/cli_history")).unwrap();
    assert!(history.lines().any(|l| l == "version"), "{history:?}");
}
