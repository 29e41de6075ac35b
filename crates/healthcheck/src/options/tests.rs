use super::*;

fn parse_words(words: &[&str]) -> Result<Options, Refused> {
    parse(words.iter().map(OsString::from).collect())
}

fn refused(words: &[&str]) -> String {
    match parse_words(words) {
        Ok(o) => panic!("accepted {words:?}: {o:?}"),
        Err(e) => {
            assert_eq!(e.0.exit_code(), 2, "{words:?}");
            e.message()
        }
    }
}

#[test]
fn defaults_match_exabgp() {
    let o = parse_words(&[]).unwrap();
    assert_eq!((o.interval, o.fast_interval, o.timeout), (5.0, 1.0, 5));
    assert_eq!((o.rise, o.fall), (3, 3));
    assert!(o.ip_setup && !o.dynamic && !o.deaggregate && !o.debounce && !o.no_ack);
    assert_eq!(o.advertise, Advertise::default());
    assert_eq!(o.logging.syslog, Some(3));
    assert!(o.logging.console && !o.logging.debug);
    assert_eq!(o.start_ip, 0);
    assert!(o.command.is_none() && o.ips.is_empty());
}

#[test]
fn long_short_and_alias_spellings() {
    let o = parse_words(&[
        "-c",
        "true",
        "-i",
        "2.5",
        "-f",
        "0.5",
        "-t",
        "3",
        "-N",
        "198.51.100.1",
        "-n",
        "web",
        "-a",
        "-d",
        "--ip",
        "192.0.2.1",
        "--ip=2001:db8::/64",
    ])
    .unwrap();
    assert_eq!(o.command.as_deref(), Some("true"));
    assert_eq!((o.interval, o.fast_interval, o.timeout), (2.5, 0.5, 3));
    assert_eq!(o.advertise.next_hop, Some("198.51.100.1".parse().unwrap()));
    assert!(o.no_ack && o.logging.debug);
    // --debug turns syslog off, as in ExaBGP.
    assert_eq!(o.logging.syslog, None);
    assert_eq!(o.logging.name.as_deref(), Some("web"));
    let ips: Vec<String> = o.ips.iter().map(ToString::to_string).collect();
    assert_eq!(ips, ["192.0.2.1/32", "2001:db8::/64"]);
    for spelling in ["--cmd", "--command", "-c"] {
        let o = parse_words(&[spelling, "curl -sf http://127.0.0.1/"]).unwrap();
        assert_eq!(o.command.as_deref(), Some("curl -sf http://127.0.0.1/"));
    }
}

#[test]
fn argparse_style_abbreviations_and_overrides() {
    let o = parse_words(&["--inter", "7", "--interval", "9", "--withdraw-on", "--dyn"]).unwrap();
    assert_eq!(o.interval, 9.0);
    assert!(o.advertise.withdraw_on_down && o.dynamic);
}

#[test]
fn syslog_facility_forms() {
    assert_eq!(
        parse_words(&["-sF", "local0"]).unwrap().logging.syslog,
        Some(16)
    );
    assert_eq!(
        parse_words(&["--syslog-facility"]).unwrap().logging.syslog,
        Some(3)
    );
    assert_eq!(parse_words(&["--no-syslog"]).unwrap().logging.syslog, None);
    let silent = parse_words(&["-s"]).unwrap().logging;
    assert!(!silent.console);
    assert_eq!(silent.syslog, Some(3));
    assert!(refused(&["-sF", "nonsense"]).contains("unknown facility"));
    refused(&["--silent", "--no-syslog"]);
    refused(&["-s", "-sF", "user"]);
    refused(&["--no-syslog", "--syslog-facility", "user"]);
}

#[test]
fn repeatable_options_accumulate() {
    let o = parse_words(&[
        "--neighbor",
        "10.0.0.1",
        "--neighbor",
        "*",
        "--execute",
        "a",
        "--execute",
        "b",
        "--up-execute",
        "u",
        "--down-execute",
        "d",
        "--disabled-execute",
        "x",
    ])
    .unwrap();
    assert_eq!(
        o.advertise.neighbors,
        [Neighbor::Addr("10.0.0.1".parse().unwrap()), Neighbor::All]
    );
    assert_eq!(o.execute, ["a", "b"]);
    assert_eq!(
        (
            o.up_execute.len(),
            o.down_execute.len(),
            o.disabled_execute.len()
        ),
        (1, 1, 1)
    );
}

#[test]
fn negative_numbers_are_values() {
    let o = parse_words(&["--up-metric", "-5", "--increase", "-1", "--start-ip", "-1"]).unwrap();
    assert_eq!(
        (o.advertise.up_metric, o.advertise.increase, o.start_ip),
        (-5, -1, -1)
    );
}

#[test]
fn bad_values_are_usage_errors() {
    refused(&["--bogus"]);
    refused(&["--interval"]);
    refused(&["--interval", "soon"]);
    refused(&["--interval", "-1"]);
    refused(&["--interval", "nan"]);
    refused(&["--timeout", "-3"]);
    refused(&["--rise", "x"]);
    assert!(refused(&["--ip", "10.0.0.1/24"]).contains("host bits"));
    refused(&["--ip", "300.0.0.1"]);
    refused(&["--next-hop", "self"]);
    refused(&["--neighbor", "peer1"]);
    refused(&["--no"]);
    assert!(refused(&["--community", "65000:1\nneighbor * withdraw"]).contains("control"));
    refused(&["--as-path", "65001\u{7f}"]);
    refused(&["--large-community", "1:1:1\u{2028}"]);
    let usage = refused(&["--bogus"]);
    assert!(usage.contains("Usage: herald healthcheck"), "{usage}");
}

#[test]
fn tabs_and_spaces_are_allowed_in_attributes() {
    let o = parse_words(&["--community", "65000:1\t65000:2 65000:3"]).unwrap();
    assert_eq!(
        o.advertise.community.as_deref(),
        Some("65000:1\t65000:2 65000:3")
    );
}

#[test]
fn ip_ifname_must_name_a_given_ip_and_a_valid_interface() {
    let o = parse_words(&["--ip", "192.0.2.1", "--ip-ifname", "192.0.2.1%eth0:1"]).unwrap();
    assert_eq!(
        o.ip_ifnames,
        [("192.0.2.1/32".parse().unwrap(), "eth0:1".to_owned())]
    );
    assert!(refused(&["--ip", "192.0.2.1", "--ip-ifname", "192.0.2.2%eth0"]).contains("no --ip"));
    refused(&["--ip", "192.0.2.1", "--ip-ifname", "192.0.2.1"]);
    refused(&["--ip", "192.0.2.1", "--ip-ifname", "192.0.2.1%eth0%x"]);
    refused(&[
        "--ip",
        "192.0.2.1",
        "--ip-ifname",
        "192.0.2.1%name-longer-than-15",
    ]);
    refused(&["--ip", "192.0.2.1", "--ip-ifname", "192.0.2.1%eth 0"]);
}

#[test]
fn config_file_lines_become_options_before_the_command_line() {
    assert_eq!(
        config_args("# comment\n\n debug\nname = haproxy\ncommand = curl -sf http://x/?a=b\n"),
        [
            "--debug",
            "--name",
            "haproxy",
            "--command",
            "curl -sf http://x/?a=b"
        ]
        .map(OsString::from)
    );
    let dir = std::env::temp_dir().join(format!("herald-hc-opt-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("hc.conf");
    std::fs::write(&file, "interval = 10\nip = 192.0.2.1\nno-ack\nrise = 4\n").unwrap();
    let path = file.to_str().unwrap();
    let o = parse_words(&["-F", path, "--interval", "3", "--ip", "192.0.2.2"]).unwrap();
    assert_eq!(o.interval, 3.0);
    assert_eq!(o.rise, 4);
    assert!(o.no_ack);
    assert_eq!(o.ips.len(), 2);
    std::fs::write(&file, "bogus = 1\n").unwrap();
    refused(&["--config", path]);
    let missing = dir.join("missing.conf");
    assert!(refused(&["-F", missing.to_str().unwrap()]).contains("can't open"));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn pid_file_is_created_while_parsing() {
    let dir = std::env::temp_dir().join(format!("herald-hc-pid-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let pid = dir.join("hc.pid");
    let o = parse_words(&["-p", pid.to_str().unwrap()]).unwrap();
    assert!(o.pid.is_some() && pid.exists());
    refused(&["--pid", "/nonexistent-dir/hc.pid"]);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn help_exits_zero() {
    let Err(help) = parse_words(&["--help"]) else {
        panic!("help parsed as options")
    };
    assert_eq!(help.0.exit_code(), 0);
    let text = help.message();
    for option in [
        "--fast-interval",
        "--disabled-metric",
        "--label-exact-match",
        "--no-ack",
    ] {
        assert!(text.contains(option), "{option} missing from help");
    }
}
