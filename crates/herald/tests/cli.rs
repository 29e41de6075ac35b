//! The `herald` binary as a user runs it.

use std::path::PathBuf;
use std::process::Command;

fn herald() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_herald"));
    // no INI file of the developer's machine
    cmd.env("EXABGP_ENVFILE", "/nonexistent/herald-test.env");
    cmd
}

fn scratch(name: &str, text: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("herald-cli-{}-{name}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path
}

#[test]
fn validate_reports_every_error_with_its_position_and_exits_1() {
    let path = scratch(
        "bad.conf",
        "neighbor 127.0.0.1 {\n  local-as 65001;\n  peer-as 65002;\n  hold-time 2;\n  bogus-key 1;\n}\n",
    );
    let out = herald().arg("validate").arg(&path).output().unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    let file = path.display().to_string();
    let lines: Vec<&str> = stderr.lines().filter(|l| l.starts_with(&file)).collect();
    assert!(lines.len() >= 2, "expected two errors, got:\n{stderr}");
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("{file}:4:"))),
        "{stderr}"
    );
    assert!(
        lines.iter().any(|l| l.starts_with(&format!("{file}:5:"))),
        "{stderr}"
    );
}

#[test]
fn validate_accepts_a_good_file() {
    let path = scratch(
        "good.conf",
        "neighbor 127.0.0.1 {\n  router-id 10.0.0.1;\n  local-as 65001;\n  peer-as 65002;\n  static { route 10.0.0.0/24 next-hop 127.0.0.1; }\n}\n",
    );
    let out = herald().arg("validate").arg(&path).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn env_prints_settings_in_both_forms() {
    let out = herald()
        .args(["env", "-e"])
        .env("exabgp_tcp_port", "1790")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.lines().any(|l| l == "exabgp.tcp.port=1790"), "{text}");
    let out = herald()
        .args(["env", "-d"])
        .env("exabgp.api.ack", "false")
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.contains("[exabgp.api]"), "{text}");
    assert!(text.lines().any(|l| l == "ack = false"), "{text}");
    assert!(!text.contains("[exabgp.tcp]"), "{text}");
}

#[test]
fn decode_prints_exabgp_json() {
    let out = herald()
        .args([
            "decode",
            "-f",
            "ipv4 unicast",
            "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF003C020000001C4001010040020040030465016501800404000000C840050400000064000000002001010101",
        ])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let json: serde_json::Value =
        serde_json::from_str(String::from_utf8_lossy(&out.stdout).trim()).unwrap();
    assert_eq!(json["type"], "update");
    assert_eq!(json["neighbor"]["direction"], "in");
    assert_eq!(
        json["neighbor"]["message"]["update"]["announce"]["ipv4 unicast"]["101.1.101.1"][4]["nlri"],
        "1.1.1.1/32"
    );
}

#[test]
fn version_names_both() {
    let out = herald().arg("version").output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(text.starts_with("Herald : "), "{text}");
    assert!(text.contains("5.0.15"), "{text}");
}

/// `herald encode` prints what ExaBGP's encoder wrote for the same route (conformance
/// corpus, conf-new-v4.msg), and `herald decode` reads its output back.
#[test]
fn encode_prints_exabgps_bytes_and_decode_reads_them_back() {
    let out = herald()
        .args(["encode", "announce route 10.0.3.0/24 next-hop 10.0.255.254"])
        .args(["community", "[", "30740:30740", "30740:0", "]"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let hex = String::from_utf8(out.stdout).unwrap();
    assert_eq!(
        hex.trim(),
        "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF:003B:02:00000020400101004002004003040A00FFFE\
         40050400000064C008087814000078147814180A0003"
    );
    let out = herald().arg("decode").arg(hex.trim()).output().unwrap();
    let json = String::from_utf8(out.stdout).unwrap();
    assert!(
        json.contains(r#""10.0.255.254": [ { "nlri": "10.0.3.0/24" } ]"#),
        "{json}"
    );
}

#[test]
fn encode_refuses_what_makes_no_update() {
    let out = herald()
        .args(["encode", "show", "neighbor"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&out.stderr).contains("only announce and withdraw"));
}

#[test]
fn server_refuses_a_helper_queue_size_it_cannot_read() {
    let path = scratch(
        "queue.conf",
        "neighbor 127.0.0.1 {\n  router-id 10.0.0.1;\n  local-as 65001;\n  peer-as 65002;\n}\n",
    );
    for bad in ["10X", "1K", "lots"] {
        let out = herald()
            .args(["server"])
            .arg(&path)
            .env("HERALD_HELPER_QUEUE", bad)
            .env("HERALD_SOCKET", "off")
            .env("exabgp_tcp_bind", "")
            .output()
            .unwrap();
        assert_eq!(out.status.code(), Some(1), "{bad}");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            stderr.contains(&format!("HERALD_HELPER_QUEUE={bad}: not a size")),
            "{stderr}"
        );
    }
}
