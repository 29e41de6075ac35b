//! Scripted sessions with a fake clock: every input is fed by hand and every output
//! checked, byte for byte where bytes go to the peer.
//!
//! OPENs come from ExaBGP's conformance corpus: `encoding/conf-cap-software-version.msg`
//! (what ExaBGP sends for `etc/conf-cap-software-version.conf`) is our OPEN, and the peer
//! answers with a copy whose router-id is one higher, as ExaBGP's test peer does.

use std::net::{Ipv4Addr, SocketAddr};
use std::time::{Duration, Instant};

use wire::{Asn, Capability, Family, Message, Notification};

use super::*;
use crate::config::SessionConfig;
use crate::negotiate::RefreshKind;

mod aigp;
mod extended_message;
mod malformed;
mod robustness;

// ----------------------------------------------------------------------------- helpers

/// Hex to bytes; colons and spaces are ignored (the `.msg` format).
pub(super) fn hex(s: &str) -> Vec<u8> {
    let digits: Vec<u8> = s.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits
        .chunks(2)
        .map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap())
        .collect()
}

pub(super) const MARKER: &str = "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF";

/// `encoding/conf-cap-software-version.msg`: ExaBGP's OPEN for AS 65533, hold 180,
/// router-id 10.0.0.2, MP ipv4/unicast, ASN4, extended message, software version.
pub(super) fn exabgp_open() -> Vec<u8> {
    hex(&format!(
        "{MARKER}:0049:01:04FFFD00B40A0000022C0206010400010001020641040000FFFD0202060002164B1413\
         4578614247502F352E302E302D302B74657374"
    ))
}

/// The same OPEN with router-id 10.0.0.3: the test peer's answer.
pub(super) fn peer_open() -> Vec<u8> {
    let mut open = exabgp_open();
    open[27] = 3;
    open
}

/// `decoding/bgp-open-sofware-version`: a real OPEN from AS 65533, id 10.0.0.2, hold 180.
pub(super) fn corpus_open_10_0_0_2() -> Vec<u8> {
    hex("FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFF00510104FFFD00B40A000002340206010400010001020641040000FFFD02224B\
         201F4578614247502F6D61696E2D633261326561386562642D3230323430373135")
}

pub(super) fn keepalive() -> Vec<u8> {
    hex(&format!("{MARKER}:0013:04"))
}

/// A real UPDATE from `encoding/*.msg`: ORIGIN igp, empty AS_PATH, NEXT_HOP 101.1.101.1,
/// LOCAL_PREF 100, NLRI 1.1.0.0/24.
pub(super) fn corpus_update() -> Vec<u8> {
    hex(&format!(
        "{MARKER}:0030:02:0000001540010100400200400304650165014005040000006418010100"
    ))
}

/// End-of-RIB for IPv4 unicast, as in many `encoding/*.msg`.
pub(super) fn eor_v4() -> Vec<u8> {
    hex(&format!("{MARKER}:0017:02:00000000"))
}

pub(super) fn notification(code: u8, subcode: u8, data: &[u8]) -> Vec<u8> {
    let mut raw = hex(MARKER);
    raw.extend_from_slice(&u16::try_from(21 + data.len()).unwrap().to_be_bytes());
    raw.extend_from_slice(&[3, code, subcode]);
    raw.extend_from_slice(data);
    raw
}

pub(super) fn config() -> SessionConfig {
    let mut cfg = SessionConfig::new(Asn(65533), Asn(65533), Ipv4Addr::new(10, 0, 0, 2));
    cfg.capabilities = vec![
        Capability::Multiprotocol(Family::IPV4_UNICAST),
        Capability::FourOctetAsn(Asn(65533)),
        Capability::ExtendedMessage,
        Capability::SoftwareVersion("ExaBGP/5.0.0-0+test".to_owned()),
    ];
    cfg
}

pub(super) fn addr(s: &str) -> SocketAddr {
    s.parse().unwrap()
}

pub(super) fn drain(s: &mut Session) -> Vec<Output> {
    std::iter::from_fn(|| s.poll_output()).collect()
}

pub(super) fn sent(outputs: &[Output]) -> Vec<Vec<u8>> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Send(raw) => Some(raw.clone()),
            _ => None,
        })
        .collect()
}

pub(super) fn states(outputs: &[Output]) -> Vec<(State, State)> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::StateChanged { from, to } => Some((*from, *to)),
            _ => None,
        })
        .collect()
}

pub(super) fn down(outputs: &[Output]) -> Option<String> {
    outputs.iter().find_map(|o| match o {
        Output::Down { reason } => Some(reason.clone()),
        _ => None,
    })
}

pub(super) fn received(outputs: &[Output]) -> Vec<Message> {
    outputs
        .iter()
        .filter_map(|o| match o {
            Output::Received { message, .. } => Some(message.clone()),
            _ => None,
        })
        .collect()
}

/// A session started at `t0`, connected, our OPEN sent (OpenSent).
pub(super) fn open_sent(cfg: SessionConfig, t0: Instant) -> Session {
    let mut s = Session::new(cfg, t0);
    s.handle_start(t0);
    s.handle_connected(addr("127.0.0.1:50000"), addr("127.0.0.1:179"), t0);
    drain(&mut s);
    assert_eq!(s.state(), State::OpenSent);
    s
}

/// A session that reached Established at `t0`.
pub(super) fn established(cfg: SessionConfig, t0: Instant) -> Session {
    let mut s = open_sent(cfg, t0);
    s.handle_data(&peer_open(), t0);
    s.handle_data(&keepalive(), t0);
    drain(&mut s);
    assert_eq!(s.state(), State::Established);
    s
}

/// Asserts that `outputs` is exactly a reset: the NOTIFICATION bytes, Close, Down, Idle.
pub(super) fn assert_reset(outputs: &[Output], expected: &[u8]) {
    assert_eq!(sent(outputs), vec![expected.to_vec()], "NOTIFICATION bytes");
    assert!(outputs.contains(&Output::Close), "{outputs:?}");
    let code = (expected[19], expected[20]);
    assert_eq!(
        down(outputs),
        Some(format!("notification sent ({},{})", code.0, code.1))
    );
    assert_eq!(states(outputs).last().map(|(_, to)| *to), Some(State::Idle));
}

// ----------------------------------------------------------------------------- scripts

#[test]
fn active_open_reaches_established_byte_for_byte() {
    let t0 = Instant::now();
    let mut s = Session::new(config(), t0);
    assert_eq!(
        (s.state(), s.poll_output(), s.poll_timeout()),
        (State::Idle, None, None)
    );

    s.handle_start(t0);
    let out = drain(&mut s);
    assert_eq!(
        out,
        [
            Output::StateChanged {
                from: State::Idle,
                to: State::Connect
            },
            Output::Connect
        ]
    );
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_secs(120)));

    s.handle_connected(addr("127.0.0.1:50000"), addr("127.0.0.1:179"), t0);
    let out = drain(&mut s);
    assert_eq!(
        out,
        [
            Output::Send(exabgp_open()),
            Output::StateChanged {
                from: State::Connect,
                to: State::OpenSent
            }
        ]
    );
    // open-wait is the OpenSent hold timer.
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_secs(60)));

    let t1 = t0 + Duration::from_secs(1);
    s.handle_data(&peer_open(), t1);
    let out = drain(&mut s);
    assert_eq!(received(&out).len(), 1);
    assert!(
        matches!(&received(&out)[0], Message::Open(o) if o.router_id == Ipv4Addr::new(10, 0, 0, 3))
    );
    assert_eq!(sent(&out), vec![keepalive()]);
    assert_eq!(states(&out), [(State::OpenSent, State::OpenConfirm)]);

    s.handle_data(&keepalive(), t1);
    let out = drain(&mut s);
    assert_eq!(received(&out), [Message::Keepalive]);
    assert_eq!(states(&out), [(State::OpenConfirm, State::Established)]);
    let Some(Output::Established(n)) = out.last() else {
        panic!("no Established in {out:?}");
    };
    assert_eq!(
        (n.hold_time, n.keepalive, n.asn4, n.extended_message),
        (180, 60, true, true)
    );
    assert_eq!(n.families, [Family::IPV4_UNICAST]);
    assert!(n.ibgp());
    assert_eq!(
        s.negotiated().map(|n| n.peer_id),
        Some(Ipv4Addr::new(10, 0, 0, 3))
    );
    assert_eq!(
        s.addresses(),
        Some((addr("127.0.0.1:50000"), addr("127.0.0.1:179")))
    );
    // keepalive at hold/3, hold at 180 s.
    assert_eq!(s.poll_timeout(), Some(t1 + Duration::from_secs(60)));
}

#[test]
fn messages_split_across_reads_and_batched_in_one() {
    let t0 = Instant::now();
    let mut s = open_sent(config(), t0);
    let mut both = peer_open();
    both.extend(keepalive());
    for chunk in both.chunks(7) {
        s.handle_data(chunk, t0);
    }
    assert_eq!(s.state(), State::Established);
    let mut s = open_sent(config(), t0);
    s.handle_data(&both, t0);
    assert_eq!(s.state(), State::Established);
}

#[test]
fn passive_session_waits_in_active() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.passive = true;
    let mut s = Session::new(cfg, t0);
    s.handle_start(t0);
    assert_eq!(
        drain(&mut s),
        [Output::StateChanged {
            from: State::Idle,
            to: State::Active
        }]
    );
    assert_eq!(s.poll_timeout(), None);
    s.handle_connected(addr("127.0.0.1:179"), addr("127.0.0.1:50000"), t0);
    let out = drain(&mut s);
    assert_eq!(sent(&out), vec![exabgp_open()]);
    assert_eq!(states(&out), [(State::Active, State::OpenSent)]);
    // Down: straight back to Active, no Connect.
    s.handle_closed(t0);
    let out = drain(&mut s);
    assert_eq!(down(&out).as_deref(), Some("closing connection"));
    assert_eq!(
        states(&out),
        [(State::OpenSent, State::Idle), (State::Idle, State::Active)]
    );
    assert!(!out.contains(&Output::Connect));
}

#[test]
fn not_started_refuses_connections() {
    let t0 = Instant::now();
    let mut s = Session::new(config(), t0);
    s.handle_connected(addr("127.0.0.1:179"), addr("127.0.0.1:50000"), t0);
    assert_eq!(drain(&mut s), [Output::Close]);
    assert!(!s.is_connected());
}

#[test]
fn keepalives_every_third_of_the_hold_time() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    for i in 1..=3u64 {
        let t = t0 + Duration::from_secs(60 * i);
        assert_eq!(s.poll_timeout(), Some(t));
        s.handle_timeout(t);
        assert_eq!(drain(&mut s), [Output::Send(keepalive())]);
        // The peer's keepalives keep the hold timer from firing.
        s.handle_data(&keepalive(), t);
        drain(&mut s);
        assert_eq!(s.hold_deadline(), Some(t + Duration::from_secs(180)));
    }
    assert_eq!(s.state(), State::Established);
}

#[test]
fn sending_an_update_restarts_the_keepalive_timer() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    let t1 = t0 + Duration::from_secs(50);
    s.send_update(corpus_update(), t1).unwrap();
    assert_eq!(drain(&mut s), [Output::Send(corpus_update())]);
    assert_eq!(s.poll_timeout(), Some(t1 + Duration::from_secs(60)));
}

#[test]
fn zero_hold_time_runs_no_timers() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.hold_time = 0;
    let s = established(cfg, t0);
    assert_eq!(
        s.negotiated().map(|n| (n.hold_time, n.keepalive)),
        Some((0, 0))
    );
    assert_eq!(s.poll_timeout(), None);
    assert_eq!(s.hold_deadline(), None);
}

/// Malformed row 55: no KEEPALIVE/UPDATE within the hold time.
#[test]
fn row_55_hold_timer_expiry_sends_4_0() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    let t = t0 + Duration::from_secs(180);
    s.handle_timeout(t - Duration::from_secs(1));
    drain(&mut s);
    s.handle_timeout(t);
    let out = drain(&mut s);
    assert_reset(&out, &hex(&format!("{MARKER}:0015:03:0400")));
    assert_eq!(down(&out).as_deref(), Some("notification sent (4,0)"));
}

#[test]
fn open_wait_expiry_sends_4_0() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.open_wait = Duration::from_secs(5);
    let mut s = open_sent(cfg, t0);
    s.handle_timeout(t0 + Duration::from_secs(5));
    let out = drain(&mut s);
    assert_reset(&out, &notification(4, 0, &[]));
}

#[test]
fn failed_connections_back_off_like_exabgp() {
    let t0 = Instant::now();
    let mut s = Session::new(config(), t0);
    s.handle_start(t0);
    drain(&mut s);
    let mut now = t0;
    for expected in [0u64, 1, 2, 3, 4, 5, 7, 9] {
        s.handle_connect_failed(now);
        let out = drain(&mut s);
        assert_eq!(states(&out), [(State::Connect, State::Idle)]);
        assert_eq!(down(&out), None, "never connected, never down");
        let at = now + Duration::from_secs(expected);
        assert_eq!(s.poll_timeout(), Some(at));
        s.handle_timeout(at);
        assert_eq!(
            drain(&mut s),
            [
                Output::StateChanged {
                    from: State::Idle,
                    to: State::Connect
                },
                Output::Connect
            ]
        );
        now = at;
    }
}

#[test]
fn slow_connect_is_retried_after_connect_retry_time() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.connect_retry = Duration::from_secs(30);
    let mut s = Session::new(cfg, t0);
    s.handle_start(t0);
    drain(&mut s);
    s.handle_timeout(t0 + Duration::from_secs(30));
    assert_eq!(drain(&mut s), [Output::Connect]);
    assert_eq!(s.state(), State::Connect);
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_secs(60)));
}

#[test]
fn max_attempts_stops_the_session() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.max_attempts = Some(2);
    let mut s = Session::new(cfg, t0);
    s.handle_start(t0);
    s.handle_connect_failed(t0);
    s.handle_timeout(t0);
    s.handle_connect_failed(t0);
    let out = drain(&mut s);
    assert_eq!(out.iter().filter(|o| **o == Output::Connect).count(), 2);
    assert_eq!(
        (s.state(), s.poll_timeout(), s.is_started()),
        (State::Idle, None, false)
    );
}

#[test]
fn stop_sends_cease_administrative_shutdown() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    s.handle_stop(None, t0);
    let out = drain(&mut s);
    assert_reset(&out, &hex(&format!("{MARKER}:0015:03:0602")));
    // Stopped: no restart.
    assert_eq!(s.poll_timeout(), None);
    assert!(!s.is_started());
}

#[test]
fn stop_with_a_shutdown_communication() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    let cease = Notification::cease(2, "maintenance");
    s.handle_stop(Some(cease), t0);
    let out = drain(&mut s);
    let mut data = vec![11];
    data.extend_from_slice(b"maintenance");
    assert_reset(&out, &notification(6, 2, &data));
}

#[test]
fn stop_while_connecting_abandons_the_attempt() {
    let t0 = Instant::now();
    let mut s = Session::new(config(), t0);
    s.handle_start(t0);
    drain(&mut s);
    s.handle_stop(None, t0);
    let out = drain(&mut s);
    assert_eq!(
        out,
        [
            Output::Close,
            Output::StateChanged {
                from: State::Connect,
                to: State::Idle
            }
        ]
    );
    assert_eq!(s.poll_timeout(), None);
}

#[test]
fn graceful_restart_closes_without_notification() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.capabilities
        .push(Capability::GracefulRestart(wire::cap::GracefulRestart {
            restart_state: false,
            restart_time: 120,
            families: vec![(Family::IPV4_UNICAST, false)],
        }));
    cfg.restarting = true;
    let mut s = Session::new(cfg, t0);
    s.handle_start(t0);
    s.handle_connected(addr("127.0.0.1:50000"), addr("127.0.0.1:179"), t0);
    let out = drain(&mut s);
    let open = sent(&out).remove(0);
    let decoded = Message::decode(&open, &wire::DecodeCtx::default())
        .unwrap()
        .message;
    let Message::Open(ours) = decoded else {
        panic!()
    };
    assert!(ours
        .capabilities
        .iter()
        .any(|c| matches!(c, Capability::GracefulRestart(gr) if gr.restart_state)));
    // The peer answers with the same OPEN (GR included), id + 1.
    let mut theirs = ours;
    theirs.router_id = Ipv4Addr::new(10, 0, 0, 3);
    let mut raw = Vec::new();
    Message::Open(theirs)
        .encode(&wire::EncodeCtx::default(), &mut raw)
        .unwrap();
    s.handle_data(&raw, t0);
    s.handle_data(&keepalive(), t0);
    drain(&mut s);
    assert_eq!(s.state(), State::Established);
    s.handle_stop(None, t0);
    let out = drain(&mut s);
    assert!(sent(&out).is_empty());
    assert_eq!(
        down(&out).as_deref(),
        Some("graceful restarted negotiated, closing without sending any notification")
    );
    // The next OPEN no longer claims a restart.
    s.handle_start(t0);
    s.handle_connected(addr("127.0.0.1:50001"), addr("127.0.0.1:179"), t0);
    let open = sent(&drain(&mut s)).remove(0);
    let Message::Open(again) = Message::decode(&open, &wire::DecodeCtx::default())
        .unwrap()
        .message
    else {
        panic!()
    };
    assert!(again
        .capabilities
        .iter()
        .any(|c| matches!(c, Capability::GracefulRestart(gr) if !gr.restart_state)));
}

#[test]
fn delay_open_waits_then_sends() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.delay_open = Some(Duration::from_secs(5));
    let mut s = Session::new(cfg.clone(), t0);
    s.handle_start(t0);
    s.handle_connected(addr("127.0.0.1:50000"), addr("127.0.0.1:179"), t0);
    let out = drain(&mut s);
    assert_eq!(sent(&out), Vec::<Vec<u8>>::new());
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_secs(5)));
    s.handle_timeout(t0 + Duration::from_secs(5));
    let out = drain(&mut s);
    assert_eq!(sent(&out), vec![exabgp_open()]);
    assert_eq!(s.state(), State::OpenSent);

    // The peer's OPEN during the delay: ours and a KEEPALIVE go at once.
    let mut s = Session::new(cfg, t0);
    s.handle_start(t0);
    s.handle_connected(addr("127.0.0.1:50000"), addr("127.0.0.1:179"), t0);
    drain(&mut s);
    s.handle_data(&peer_open(), t0);
    let out = drain(&mut s);
    assert_eq!(sent(&out), vec![exabgp_open(), keepalive()]);
    assert_eq!(states(&out), [(State::Connect, State::OpenConfirm)]);
}

#[test]
fn local_as_auto_mirrors_the_peer() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.local_as = None;
    cfg.peer_as = None;
    cfg.router_id = Ipv4Addr::new(10, 0, 0, 1);
    let mut s = Session::new(cfg, t0);
    s.handle_start(t0);
    s.handle_connected(addr("127.0.0.1:50000"), addr("127.0.0.1:179"), t0);
    assert!(sent(&drain(&mut s)).is_empty());
    s.handle_data(&corpus_open_10_0_0_2(), t0);
    let out = drain(&mut s);
    let ours = sent(&out);
    assert_eq!(ours.len(), 2);
    let Message::Open(open) = Message::decode(&ours[0], &wire::DecodeCtx::default())
        .unwrap()
        .message
    else {
        panic!()
    };
    assert_eq!((open.asn, open.effective_asn()), (65533, Asn(65533)));
    assert_eq!(ours[1], keepalive());
    assert_eq!(s.state(), State::OpenConfirm);
}

/// Malformed row 54 (RFC 9687): the peer stops reading.
#[test]
fn row_54_send_hold_timer_sends_8_0() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    s.handle_send_blocked(t0);
    // max(8 minutes, 2 × 180 s)
    let limit = t0 + Duration::from_secs(480);
    // Our own keepalives still come due while blocked; the peer keeps the hold timer alive.
    let mut now = t0;
    while now + Duration::from_secs(60) < limit {
        now += Duration::from_secs(60);
        s.handle_timeout(now);
        s.handle_data(&keepalive(), now);
        drain(&mut s);
    }
    s.handle_timeout(limit);
    assert_reset(&drain(&mut s), &notification(8, 0, &[]));
}

#[test]
fn send_progress_stops_the_send_hold_timer() {
    let t0 = Instant::now();
    let mut cfg = config();
    cfg.send_hold = SendHold::Fixed(Duration::from_secs(10));
    let mut s = established(cfg, t0);
    s.handle_send_blocked(t0);
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_secs(10)));
    s.handle_send_progress(t0 + Duration::from_secs(5));
    assert_eq!(s.poll_timeout(), Some(t0 + Duration::from_secs(60)));
}

#[test]
fn commands_need_established() {
    let t0 = Instant::now();
    let mut s = open_sent(config(), t0);
    assert_eq!(
        s.send_update(corpus_update(), t0),
        Err(SendError::NotEstablished)
    );
    assert_eq!(
        s.send_eor(Family::IPV4_UNICAST, t0),
        Err(SendError::NotEstablished)
    );
    assert_eq!(
        s.send_route_refresh(Family::IPV4_UNICAST, t0),
        Err(SendError::NotEstablished)
    );
    assert!(drain(&mut s).is_empty());
}

#[test]
fn send_update_checks_framing() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    let mut truncated = corpus_update();
    truncated.pop();
    assert!(matches!(
        s.send_update(truncated, t0),
        Err(SendError::NotAMessage(_))
    ));
    assert!(matches!(
        s.send_update(keepalive(), t0),
        Err(SendError::NotAMessage(_))
    ));
    let mut two = corpus_update();
    two.extend(eor_v4());
    s.send_update(two.clone(), t0).unwrap();
    assert_eq!(drain(&mut s), [Output::Send(two)]);
}

#[test]
fn end_of_rib_bytes() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    s.send_eor(Family::IPV4_UNICAST, t0).unwrap();
    s.send_eor(Family::new(wire::Afi::IPV4, wire::Safi::MPLS), t0)
        .unwrap();
    s.send_eor(Family::new(wire::Afi::IPV4, wire::Safi::MPLS_VPN), t0)
        .unwrap();
    // encoding/*.msg: ExaBGP's End-of-RIB for ipv4 unicast, nlri-mpls and mpls-vpn.
    assert_eq!(
        sent(&drain(&mut s)),
        vec![
            eor_v4(),
            hex(&format!("{MARKER}:001E:02:00000007900F0003000104")),
            hex(&format!("{MARKER}:001E:02:00000007900F0003000180")),
        ]
    );
}

#[test]
fn route_refresh_needs_the_capability() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    assert_eq!(
        s.send_route_refresh(Family::IPV4_UNICAST, t0),
        Err(SendError::RefreshNotNegotiated(Family::IPV4_UNICAST))
    );
    let mut cfg = config();
    cfg.capabilities.push(Capability::RouteRefresh);
    let mut s = open_sent(cfg, t0);
    let mut raw = Vec::new();
    let Message::Open(mut theirs) = Message::decode(&peer_open(), &wire::DecodeCtx::default())
        .unwrap()
        .message
    else {
        panic!()
    };
    theirs.capabilities.push(Capability::RouteRefresh);
    Message::Open(theirs)
        .encode(&wire::EncodeCtx::default(), &mut raw)
        .unwrap();
    s.handle_data(&raw, t0);
    s.handle_data(&keepalive(), t0);
    drain(&mut s);
    s.send_route_refresh(Family::IPV4_UNICAST, t0).unwrap();
    assert_eq!(
        sent(&drain(&mut s)),
        vec![hex(&format!("{MARKER}:0017:05:00010001"))]
    );
    assert_eq!(
        s.send_route_refresh(Family::IPV6_UNICAST, t0),
        Err(SendError::RefreshNotNegotiated(Family::IPV6_UNICAST))
    );
}

// ----------------------------------------------------------------------------- back to back

/// Two sessions joined by a fake TCP connection (quinn's `Pair`).
struct Pair {
    a: Session,
    b: Session,
    now: Instant,
    /// Everything but `Send` that each side produced.
    a_events: Vec<Output>,
    b_events: Vec<Output>,
}

impl Pair {
    fn new(a: SessionConfig, b: SessionConfig) -> Self {
        let now = Instant::now();
        Self {
            a: Session::new(a, now),
            b: Session::new(b, now),
            now,
            a_events: Vec::new(),
            b_events: Vec::new(),
        }
    }

    /// Delivers outputs until both sides are quiet.
    fn drive(&mut self) {
        let (la, lb) = (addr("127.0.0.1:50000"), addr("127.0.0.2:179"));
        loop {
            let mut progress = false;
            while let Some(o) = self.a.poll_output() {
                progress = true;
                match o {
                    Output::Send(raw) => self.b.handle_data(&raw, self.now),
                    Output::Connect => {
                        self.b.handle_connected(lb, la, self.now);
                        self.a.handle_connected(la, lb, self.now);
                    }
                    Output::Close => self.b.handle_closed(self.now),
                    other => self.a_events.push(other),
                }
            }
            while let Some(o) = self.b.poll_output() {
                progress = true;
                match o {
                    Output::Send(raw) => self.a.handle_data(&raw, self.now),
                    Output::Close => self.a.handle_closed(self.now),
                    other => self.b_events.push(other),
                }
            }
            if !progress {
                break;
            }
        }
    }

    fn advance(&mut self, by: Duration) {
        self.now += by;
        self.a.handle_timeout(self.now);
        self.b.handle_timeout(self.now);
        self.drive();
    }
}

fn pair_configs() -> (SessionConfig, SessionConfig) {
    let mut a = SessionConfig::new(Asn(65001), Asn(65002), Ipv4Addr::new(1, 1, 1, 1));
    a.capabilities = vec![
        Capability::Multiprotocol(Family::IPV4_UNICAST),
        Capability::Multiprotocol(Family::IPV6_UNICAST),
        Capability::RouteRefresh,
        Capability::FourOctetAsn(Asn(65001)),
    ];
    a.hold_time = 90;
    let mut b = SessionConfig::new(Asn(65002), Asn(65001), Ipv4Addr::new(2, 2, 2, 2));
    b.capabilities = vec![
        Capability::Multiprotocol(Family::IPV4_UNICAST),
        Capability::RouteRefresh,
        Capability::FourOctetAsn(Asn(65002)),
    ];
    b.passive = true;
    (a, b)
}

#[test]
fn pair_reaches_established_and_exchanges_an_update() {
    let (a, b) = pair_configs();
    let mut pair = Pair::new(a, b);
    pair.b.handle_start(pair.now);
    pair.a.handle_start(pair.now);
    pair.drive();
    assert_eq!(
        (pair.a.state(), pair.b.state()),
        (State::Established, State::Established)
    );
    for (events, peer_as) in [(&pair.a_events, 65002), (&pair.b_events, 65001)] {
        let n = events
            .iter()
            .find_map(|o| match o {
                Output::Established(n) => Some(n.clone()),
                _ => None,
            })
            .unwrap();
        assert_eq!(
            (n.hold_time, n.peer_as, n.refresh),
            (90, Asn(peer_as), RefreshKind::Normal)
        );
        assert_eq!(n.families, [Family::IPV4_UNICAST]);
        assert!(!n.ibgp());
    }
    assert_eq!(
        states(&pair.a_events),
        [
            (State::Idle, State::Connect),
            (State::Connect, State::OpenSent),
            (State::OpenSent, State::OpenConfirm),
            (State::OpenConfirm, State::Established)
        ]
    );

    pair.a.send_update(corpus_update(), pair.now).unwrap();
    pair.drive();
    let got = pair.b_events.iter().rev().find_map(|o| match o {
        Output::Received {
            message,
            raw,
            issues,
        } => Some((message.clone(), raw.clone(), issues.clone())),
        _ => None,
    });
    let (message, raw, issues) = got.unwrap();
    assert!(matches!(message, Message::Update(ref u) if u.nlri.len() == 1));
    assert_eq!(raw, corpus_update());
    assert!(issues.is_empty());

    // And the other way, through the encoder.
    pair.b.send(&message, pair.now).unwrap();
    pair.drive();
    assert!(
        matches!(received(&pair.a_events).last(), Some(Message::Update(u)) if u.nlri.len() == 1)
    );

    // Keepalives keep both up for a long time.
    for _ in 0..20 {
        pair.advance(Duration::from_secs(30));
    }
    assert_eq!(
        (pair.a.state(), pair.b.state()),
        (State::Established, State::Established)
    );

    // A stop on one side is a notification received on the other.
    pair.a.handle_stop(None, pair.now);
    pair.drive();
    assert_eq!(
        down(&pair.a_events).as_deref(),
        Some("notification sent (6,2)")
    );
    assert_eq!(
        down(&pair.b_events).as_deref(),
        Some("notification received (6,2)")
    );
    assert_eq!(pair.b.state(), State::Active);
}

#[test]
fn pair_with_a_wrong_peer_as_fails_on_both_sides() {
    let (a, mut b) = pair_configs();
    b.peer_as = Some(Asn(65003));
    let mut pair = Pair::new(a, b);
    pair.b.handle_start(pair.now);
    pair.a.handle_start(pair.now);
    pair.drive();
    assert_eq!(
        down(&pair.b_events).as_deref(),
        Some("notification sent (2,2)")
    );
    assert_eq!(
        down(&pair.a_events).as_deref(),
        Some("notification received (2,2)")
    );
}

/// Delivers every `Send` of `from` to `to`; returns `from`'s other outputs.
fn pump(from: &mut Session, to: &mut Session, now: Instant) -> Vec<Output> {
    let mut rest = Vec::new();
    while let Some(o) = from.poll_output() {
        match o {
            Output::Send(raw) => to.handle_data(&raw, now),
            Output::Close => to.handle_closed(now),
            other => rest.push(other),
        }
    }
    rest
}

#[test]
fn collision_keeps_the_connection_of_the_higher_identifier() {
    use crate::collision::{resolve, Direction, Resolution, Speaker};
    let t0 = Instant::now();
    let (mut cfg_a, mut cfg_b) = pair_configs();
    cfg_b.passive = false;
    // Both speakers connect to each other at once: connection 1 is A→B, connection 2 B→A.
    let mut a_out = Session::new(cfg_a.clone(), t0);
    let mut b_out = Session::new(cfg_b.clone(), t0);
    cfg_a.passive = true;
    cfg_b.passive = true;
    let mut a_in = Session::new(cfg_a, t0);
    let mut b_in = Session::new(cfg_b, t0);
    for s in [&mut a_out, &mut b_out, &mut a_in, &mut b_in] {
        s.handle_start(t0);
    }
    let (a, b) = (addr("10.0.0.1:179"), addr("10.0.0.2:179"));
    a_out.handle_connected(addr("10.0.0.1:40000"), b, t0);
    b_in.handle_connected(b, addr("10.0.0.1:40000"), t0);
    b_out.handle_connected(addr("10.0.0.2:40000"), a, t0);
    a_in.handle_connected(a, addr("10.0.0.2:40000"), t0);
    // Exchange the OPENs only (each side's first output after its state change).
    let open_of = |s: &mut Session| -> Vec<u8> {
        let out = drain(s);
        sent(&out).remove(0)
    };
    let (o1, o2, o3, o4) = (
        open_of(&mut a_out),
        open_of(&mut b_in),
        open_of(&mut b_out),
        open_of(&mut a_in),
    );
    b_in.handle_data(&o1, t0);
    a_out.handle_data(&o2, t0);
    a_in.handle_data(&o3, t0);
    b_out.handle_data(&o4, t0);
    for s in [&a_out, &b_out, &a_in, &b_in] {
        assert_eq!(s.state(), State::OpenConfirm);
    }

    // Each runtime resolves with what it knows: its identifier and the peer's from OPEN.
    let speaker = |s: &Session, remote: bool| {
        let n = s.negotiated().unwrap();
        if remote {
            Speaker {
                id: n.peer_id,
                asn: n.peer_as,
            }
        } else {
            Speaker {
                id: n.local_id,
                asn: n.local_as,
            }
        }
    };
    let at_a = resolve(
        Direction::Outgoing,
        a_out.state(),
        Direction::Incoming,
        speaker(&a_in, false),
        speaker(&a_in, true),
    );
    let at_b = resolve(
        Direction::Outgoing,
        b_out.state(),
        Direction::Incoming,
        speaker(&b_in, false),
        speaker(&b_in, true),
    );
    // 2.2.2.2 > 1.1.1.1: B's connection (2, B→A) survives on both sides.
    assert_eq!(
        (at_a, at_b),
        (Resolution::KeepNew, Resolution::KeepExisting)
    );

    // The KEEPALIVEs of OpenConfirm were queued; the losers' never leave.
    drain(&mut a_out);
    drain(&mut b_in);
    a_out.handle_stop(Some(crate::collision::notification()), t0);
    b_in.handle_stop(Some(crate::collision::notification()), t0);
    let out = drain(&mut a_out);
    assert_reset(&out[..], &crate::collision::notification_bytes());
    // Connection 2 completes.
    let _ = pump(&mut b_out, &mut a_in, t0);
    let _ = pump(&mut a_in, &mut b_out, t0);
    assert_eq!(
        (a_in.state(), b_out.state()),
        (State::Established, State::Established)
    );
}

#[test]
fn incoming_connection_while_connecting_wins_and_a_late_outgoing_is_ignored() {
    let t0 = Instant::now();
    let mut s = Session::new(config(), t0);
    s.handle_start(t0);
    drain(&mut s);
    assert_eq!(s.state(), State::Connect);
    // The peer connects first: the session takes it (RFC 4271 §8.2.2 Connect, event 17).
    s.handle_connected(addr("127.0.0.1:179"), addr("127.0.0.1:50000"), t0);
    let out = drain(&mut s);
    assert_eq!(sent(&out), vec![exabgp_open()]);
    assert_eq!(
        s.addresses(),
        Some((addr("127.0.0.1:179"), addr("127.0.0.1:50000")))
    );
    // Our own attempt completing later changes nothing; the runtime drops that socket.
    s.handle_connected(addr("127.0.0.1:50001"), addr("127.0.0.1:179"), t0);
    s.handle_connect_failed(t0);
    assert_eq!(drain(&mut s), []);
    assert_eq!(s.state(), State::OpenSent);
    assert_eq!(
        s.addresses(),
        Some((addr("127.0.0.1:179"), addr("127.0.0.1:50000")))
    );
}

#[test]
fn data_after_close_is_ignored() {
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    s.handle_closed(t0);
    let out = drain(&mut s);
    assert_eq!(down(&out).as_deref(), Some("closing connection"));
    s.handle_data(&keepalive(), t0);
    s.handle_closed(t0);
    assert_eq!(drain(&mut s), []);
    // The first reconnection is immediate, as ExaBGP's.
    assert_eq!(s.poll_timeout(), Some(t0));
}
