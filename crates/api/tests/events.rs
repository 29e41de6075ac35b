//! The events that do not come straight from one decoded message, compared with ExaBGP
//! 5.0.15's own lines (`tests/golden/events.tsv`, written by `gen_events.py`).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr};

use herald_api::{
    Direction, Envelope, JsonEncoder, MessageEvent, NegotiatedInfo, NeighborInfo, RefreshKind,
    StateChange, TextEncoder,
};
use serde_json::Value;
use wire::message::{RefreshSubtype, RouteRefresh};
use wire::{Afi, Asn, DecodeCtx, Family, Message, Safi};

const UPDATE: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF0026020000000B40010100400304C0000201180A0000";

fn bytes(hex: &str) -> Vec<u8> {
    wire::hex::decode(hex).unwrap()
}

fn golden() -> HashMap<(String, String), String> {
    include_str!("golden/events.tsv")
        .lines()
        .map(|line| {
            let mut cols = line.splitn(3, '\t');
            let name = cols.next().unwrap().to_owned();
            let encoder = cols.next().unwrap().to_owned();
            ((name, encoder), cols.next().unwrap_or_default().to_owned())
        })
        .collect()
}

fn neighbor() -> NeighborInfo {
    NeighborInfo {
        local_addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 2)),
        peer_addr: IpAddr::V4(Ipv4Addr::new(127, 0, 0, 1)),
        local_as: Asn(65002),
        peer_as: Asn(65001),
        router_id: Some(Ipv4Addr::new(10, 0, 0, 2)),
    }
}

fn negotiated() -> NegotiatedInfo {
    let v4 = Family::IPV4_UNICAST;
    let v6 = Family::IPV6_UNICAST;
    NegotiatedInfo {
        message_size: 65535,
        hold_time: 30,
        asn4: true,
        multisession: false,
        operational: true,
        refresh: RefreshKind::Enhanced,
        families: vec![v4, Family::new(Afi::IPV4, Safi::FLOW), v6],
        nexthop: vec![(v4, Afi::IPV6)],
        add_path_send: vec![v4],
        add_path_receive: vec![v6, v4],
    }
}

fn comparable(line: &str) -> Value {
    let mut value: Value = serde_json::from_str(line).unwrap_or_else(|e| panic!("{e}: {line}"));
    for key in ["exabgp", "time", "host", "pid", "ppid", "counter"] {
        value.as_object_mut().unwrap().remove(key);
    }
    value
}

struct Check {
    golden: HashMap<(String, String), String>,
    env: Envelope<'static>,
}

impl Check {
    fn json(&self, name: &str, write: impl FnOnce(&mut String, &Envelope<'_>)) {
        let mut out = String::new();
        write(&mut out, &self.env);
        assert!(out.ends_with('\n'), "{name}: {out}");
        let want = &self.golden[&(name.to_owned(), "json".to_owned())];
        assert_eq!(
            comparable(&out),
            comparable(want),
            "{name}\n got: {out}want: {want}"
        );
        // The counter is the caller's, and present except on the daemon shutdown.
        assert_eq!(
            out.contains("\"counter\": 7,"),
            want.contains("\"counter\""),
            "{name}"
        );
    }

    fn text(&self, name: &str, write: impl FnOnce(&mut String)) {
        let mut out = String::new();
        write(&mut out);
        let want = &self.golden[&(name.to_owned(), "text".to_owned())];
        assert_eq!(
            out.replace('\n', "|").trim_end_matches('|'),
            want.trim_end_matches('|'),
            "{name}"
        );
    }
}

#[test]
fn events_equal_exabgp() {
    let c = Check {
        golden: golden(),
        env: Envelope {
            time: 1_795_587_562.420_651,
            host: "vm",
            pid: 31565,
            ppid: 31564,
            counter: 7,
        },
    };
    let n = neighbor();
    let json = JsonEncoder::default();
    let text = TextEncoder;
    for (name, change) in [
        ("connected", StateChange::Connected),
        ("up", StateChange::Up),
        ("down", StateChange::Down("notification received (6,2)")),
        (
            "down-escape",
            StateChange::Down("bad \"x\"\nneighbor 1.1.1.1 up"),
        ),
    ] {
        c.json(name, |out, env| json.state(out, env, &n, change));
        c.text(name, |out| text.state(out, &n, change));
    }
    c.json("fsm", |out, env| json.fsm(out, env, &n, "OPENCONFIRM"));
    c.json("negotiated", |out, env| {
        json.negotiated(out, env, &n, &negotiated())
    });
    c.json("signal", |out, env| {
        json.signal(out, env, &n, 15, "SIGTERM")
    });
    c.json("shutdown", |out, env| json.shutdown(out, env));

    let keepalive = Message::Keepalive;
    let event = MessageEvent::new(Direction::Receive, &keepalive);
    c.json("keepalive", |out, env| {
        assert!(json.message(out, env, &n, &event))
    });
    c.text("keepalive", |out| assert!(text.message(out, &n, &event)));
    let raw = bytes("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF001304");
    let event = MessageEvent {
        raw: Some(&raw),
        ..MessageEvent::new(Direction::Send, &keepalive)
    };
    c.json("keepalive-consolidate", |out, env| {
        assert!(json.message(out, env, &n, &event))
    });
    c.text("keepalive-consolidate", |out| {
        assert!(text.message(out, &n, &event))
    });

    let refresh = Message::RouteRefresh(RouteRefresh {
        family: Family::IPV4_UNICAST,
        subtype: RefreshSubtype::Begin,
    });
    let event = MessageEvent::new(Direction::Receive, &refresh);
    c.json("refresh", |out, env| {
        assert!(json.message(out, env, &n, &event))
    });
    c.text("refresh", |out| assert!(text.message(out, &n, &event)));

    let raw = bytes(UPDATE);
    c.json("packets", |out, env| {
        json.packets(out, env, &n, Direction::Receive, &raw, None)
    });
    c.text("packets", |out| {
        text.packets(out, &n, Direction::Receive, &raw)
    });
    let neg = negotiated();
    c.json("packets-negotiated", |out, env| {
        json.packets(out, env, &n, Direction::Send, &raw, Some(&neg))
    });

    let update = Message::decode(
        &raw,
        &DecodeCtx {
            asn4: true,
            ..DecodeCtx::default()
        },
    )
    .unwrap()
    .message;
    let event = MessageEvent {
        raw: Some(&raw),
        ..MessageEvent::new(Direction::Receive, &update)
    };
    c.json("update-consolidate", |out, env| {
        assert!(json.message(out, env, &n, &event))
    });
    c.text("update-consolidate", |out| {
        assert!(text.message(out, &n, &event))
    });
    let event = MessageEvent {
        negotiated: Some(&neg),
        ..MessageEvent::new(Direction::Receive, &update)
    };
    c.json("update-negotiated", |out, env| {
        assert!(json.message(out, env, &n, &event))
    });
    let event = MessageEvent::new(Direction::Receive, &update);
    c.json("update-compact", |out, env| {
        assert!(JsonEncoder::new(true).message(out, env, &n, &event))
    });

    for name in ["operational-adm", "operational-rpcq", "operational-rpcp"] {
        let body = bytes(&c.golden[&(name.to_owned(), "body".to_owned())]);
        let message = Message::Operational(body);
        let event = MessageEvent::new(Direction::Receive, &message);
        c.json(name, |out, env| assert!(json.message(out, env, &n, &event)));
        if name == "operational-adm" {
            // ExaBGP prints the advisory as a Python bytes literal (`"b'hello world'"`);
            // Herald prints the text.
            let mut out = String::new();
            assert!(text.message(&mut out, &n, &event));
            assert_eq!(
                out,
                "neighbor 127.0.0.1 receive operational ADM afi ipv4 safi unicast advisory \"hello world\"\n"
            );
        } else {
            c.text(name, |out| assert!(text.message(out, &n, &event)));
        }
    }
    let unknown = Message::Operational(vec![0, 9, 0, 3, 0, 1, 1]);
    let event = MessageEvent::new(Direction::Receive, &unknown);
    let mut out = String::new();
    assert!(!json.message(&mut out, &c.env, &n, &event));
    assert!(!text.message(&mut out, &n, &event));
    assert!(out.is_empty());
}

#[test]
fn treat_as_withdraw_reports_withdrawn_routes_and_the_error() {
    let raw = bytes(UPDATE);
    let update = Message::decode(&raw, &DecodeCtx::default())
        .unwrap()
        .message;
    let event = MessageEvent {
        treat_as_withdraw: true,
        ..MessageEvent::new(Direction::Receive, &update)
    };
    let env = Envelope {
        time: 1.0,
        host: "h",
        pid: 1,
        ppid: 1,
        counter: 1,
    };
    let mut out = String::new();
    assert!(JsonEncoder::default().message(&mut out, &env, &neighbor(), &event));
    let value = comparable(&out);
    let update = &value["neighbor"]["message"]["update"];
    assert_eq!(update["attribute"]["error"], "treat-as-withdraw");
    assert_eq!(update["withdraw"]["ipv4 unicast"][0]["nlri"], "10.0.0.0/24");
    assert!(update.get("announce").is_none());
    let mut out = String::new();
    assert!(TextEncoder.message(&mut out, &neighbor(), &event));
    assert_eq!(
        out,
        "neighbor 127.0.0.1 receive update start\n\
         neighbor 127.0.0.1 receive update withdrawn 10.0.0.0/24 next-hop 192.0.2.1\n\
         neighbor 127.0.0.1 receive update end\n"
    );
}

#[test]
fn shutdown_text_and_json_version() {
    let mut out = String::new();
    TextEncoder.shutdown(&mut out, 12, 1);
    assert_eq!(out, "shutdown 12 1\n");
    let mut out = String::new();
    JsonEncoder::default().shutdown(
        &mut out,
        &Envelope {
            time: 5.0,
            host: "h",
            pid: 12,
            ppid: 1,
            counter: 9,
        },
    );
    assert_eq!(
        out,
        "{ \"exabgp\": \"5.0.0\", \"time\": 5.0, \"host\" : \"h\", \"pid\" : 12, \"ppid\" : 1, \"type\": \"notification\", \"notification\": \"shutdown\" }\n"
    );
}
