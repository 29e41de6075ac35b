//! The service files: the systemd unit passes `systemd-analyze verify`, and the daemon
//! tells systemd it is ready (`Type=notify`) over `$NOTIFY_SOCKET`.

use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("herald-service-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn unit() -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../packaging/systemd/herald.service");
    std::fs::read_to_string(&path).unwrap()
}

#[test]
fn systemd_unit_passes_systemd_analyze_verify() {
    let dir = scratch("verify");
    // verify checks that the programs exist: point the unit at the binary under test
    let text = unit().replace("/usr/bin/herald", env!("CARGO_BIN_EXE_herald"));
    let path = dir.join("herald.service");
    std::fs::write(&path, text).unwrap();
    let out = Command::new("timeout")
        // the man page is installed by the package, not here
        .args(["60", "systemd-analyze", "verify", "--man=no"])
        .arg(&path)
        .output()
        .expect("systemd-analyze (apt package systemd; scripts/install-peers installs it)");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    let about_unit: Vec<&str> = stderr
        .lines()
        .filter(|l| l.contains("herald.service"))
        .collect();
    assert!(about_unit.is_empty(), "{stderr}");
}

#[test]
fn systemd_unit_is_notify_with_validation_and_reload_by_sigusr1() {
    let text = unit();
    for line in [
        "Type=notify",
        "ExecStartPre=/usr/bin/herald validate /etc/herald/herald.conf",
        "ExecReload=/bin/kill -USR1 $MAINPID",
        "NoNewPrivileges=yes",
        "ProtectSystem=strict",
    ] {
        assert!(text.lines().any(|l| l == line), "missing {line}");
    }
}

#[test]
fn server_sends_ready_to_notify_socket() {
    let dir = scratch("notify");
    let notify = dir.join("notify.sock");
    let listener = UnixDatagram::bind(&notify).unwrap();
    listener
        .set_read_timeout(Some(Duration::from_secs(10)))
        .unwrap();
    let conf = dir.join("herald.conf");
    std::fs::write(
        &conf,
        "neighbor 127.0.0.9 {\n  router-id 10.0.0.1;\n  local-address 127.0.0.1;\n  \
         local-as 65001;\n  peer-as 65002;\n  connect 1;\n  family { ipv4 unicast; }\n}\n",
    )
    .unwrap();
    let mut child = Command::new("timeout")
        .arg("20")
        .arg(env!("CARGO_BIN_EXE_herald"))
        .arg("server")
        .arg(&conf)
        .env("EXABGP_ENVFILE", "/nonexistent/herald-test.env")
        .env("NOTIFY_SOCKET", &notify)
        .env("HERALD_SOCKET", dir.join("herald.sock"))
        .env("exabgp_tcp_bind", "")
        .env("exabgp_api_cli", "false")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut buf = [0u8; 64];
    let got = listener.recv(&mut buf);
    let _ = Command::new("kill").arg(child.id().to_string()).status();
    let _ = child.wait();
    let n = got.expect("READY=1 within 10 s");
    assert_eq!(&buf[..n], b"READY=1");
}
