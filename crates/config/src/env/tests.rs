use std::collections::HashMap;

use super::*;

fn lookup(vars: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
    let map: HashMap<String, String> = vars
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect();
    move |name| map.get(name).cloned()
}

#[test]
fn defaults_print_like_exabgp_env() {
    let env = Env::default();
    assert_eq!(
        env.list(false, false),
        include_str!("../../tests/data/exabgp-env.txt")
    );
    assert_eq!(
        env.list(true, false),
        include_str!("../../tests/data/exabgp-env-e.txt")
    );
    assert_eq!(env.list(false, true), "");
}

#[test]
fn diff_forms_match_exabgp() {
    let env = Env::from_lookup(
        lookup(&[
            ("exabgp_tcp_port", "1790"),
            ("exabgp.api.ack", "false"),
            ("exabgp_tcp_bind", "127.0.0.1 ::1"),
            ("exabgp_log_level", "debug"),
        ]),
        None,
    )
    .unwrap();
    assert_eq!(
        env.list(false, true),
        include_str!("../../tests/data/exabgp-env-d.txt")
    );
    // ExaBGP prints -e in definition order; ours is the same order
    let listed = env.list(true, true);
    let mut ours: Vec<&str> = listed.lines().collect();
    let mut theirs: Vec<&str> = include_str!("../../tests/data/exabgp-env-de.txt")
        .lines()
        .collect();
    ours.sort_unstable();
    theirs.sort_unstable();
    assert_eq!(ours, theirs);
    assert_eq!(env.tcp_port(), 1790);
    assert!(!env.api_ack());
    assert_eq!(
        env.tcp_bind(),
        vec![
            "127.0.0.1".parse::<IpAddr>().unwrap(),
            "::1".parse().unwrap()
        ]
    );
    assert_eq!(env.log_level(), "DEBUG");
}

#[test]
fn lookup_order() {
    let ini = "[exabgp.tcp]\nport = 1791\nattempts: 3\n[exabgp.api]\nencoder = 'text'\n";
    // INI over default
    let env = Env::from_lookup(lookup(&[]), Some(ini)).unwrap();
    assert_eq!(
        (env.tcp_port(), env.tcp_attempts(), env.api_encoder()),
        (1791, 3, Encoder::Text)
    );
    // underscore variable over INI
    let env = Env::from_lookup(lookup(&[("exabgp_tcp_port", "1792")]), Some(ini)).unwrap();
    assert_eq!(env.tcp_port(), 1792);
    // dotted variable over underscore variable
    let env = Env::from_lookup(
        lookup(&[("exabgp_tcp_port", "1792"), ("exabgp.tcp.port", "1793")]),
        Some(ini),
    )
    .unwrap();
    assert_eq!(env.tcp_port(), 1793);
}

#[test]
fn typed_values_and_errors() {
    let env = Env::default();
    assert_eq!(env.tcp_port(), 179);
    assert!(env.tcp_bind().is_empty());
    assert!(env.api_ack() && env.api_respawn() && env.api_cli() && !env.api_terminate());
    assert_eq!(env.api_pipename(), "exabgp");
    assert_eq!(env.api_encoder(), Encoder::Json);
    assert!(!env.bgp_passive());
    assert_eq!(env.bgp_openwait(), 60);
    assert_eq!(env.daemon_umask(), 0o137);
    assert_eq!(env.daemon_user(), "nobody");
    assert!(env.log_topic("configuration") && !env.log_topic("packets"));
    let e = Env::from_lookup(lookup(&[("exabgp.tcp.port", "abc")]), None).unwrap_err();
    assert_eq!(e.to_string(), "invalid value for tcp.port : abc");
    assert!(Env::from_lookup(lookup(&[("exabgp.api.encoder", "xml")]), None).is_err());
    // booleans: only 1/yes/on/enable/true are true
    let env = Env::from_lookup(
        lookup(&[("exabgp.bgp.passive", "YES"), ("exabgp.api.ack", "nope")]),
        None,
    )
    .unwrap();
    assert!(env.bgp_passive() && !env.api_ack());
}

#[test]
fn tcp_aliases() {
    let env = Env::from_lookup(lookup(&[("exabgp_tcp_once", "true")]), None).unwrap();
    assert_eq!(env.tcp_attempts(), 1);
    let env = Env::from_lookup(
        lookup(&[("exabgp_tcp_once", "true"), ("exabgp_tcp_attempts", "5")]),
        None,
    )
    .unwrap();
    assert_eq!(env.tcp_attempts(), 5);
    let env = Env::from_lookup(lookup(&[("exabgp.tcp.connections", "7")]), None).unwrap();
    assert_eq!(env.tcp_attempts(), 7);
}

#[test]
fn quoted_empty_bind() {
    let env = Env::from_lookup(lookup(&[("exabgp_tcp_bind", "''")]), None).unwrap();
    assert!(env.tcp_bind().is_empty());
    assert!(Env::from_lookup(lookup(&[("exabgp_tcp_bind", "nope")]), None).is_err());
}
