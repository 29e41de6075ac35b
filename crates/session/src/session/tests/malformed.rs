//! One test per row of `spec/malformed-messages.md` that the session handles (rows 1–17,
//! 52–55), each asserting the exact NOTIFICATION bytes sent.
//!
//! Malformed OPENs are ExaBGP's own OPEN (`encoding/conf-cap-software-version.msg`) with
//! the named octets changed; offsets are from the first marker octet.

use super::*;

/// Offsets in [`exabgp_open`].
const VERSION: usize = 19;
const MY_AS: usize = 20;
const HOLD: usize = 22;
const ID: usize = 24;
const OPT_LEN: usize = 28;
const PARAM_TYPE: usize = 29;
const MP_CAP_LEN: usize = 32;
const AS4_CAP_LEN: usize = 40;
const AS4_VALUE: usize = 41;

/// The peer's OPEN with `f` applied.
fn peer_open_with(f: impl FnOnce(&mut Vec<u8>)) -> Vec<u8> {
    let mut open = peer_open();
    f(&mut open);
    open
}

/// Sets the header length to the buffer's length.
fn fix_len(raw: &mut [u8]) {
    let len = u16::try_from(raw.len()).unwrap().to_be_bytes();
    raw[16..18].copy_from_slice(&len);
}

/// Feeds `bytes` to a session in OpenSent; returns the outputs.
fn in_open_sent(cfg: SessionConfig, bytes: &[u8]) -> Vec<Output> {
    let t0 = Instant::now();
    let mut s = open_sent(cfg, t0);
    s.handle_data(bytes, t0);
    drain(&mut s)
}

/// Feeds `bytes` to an established session; returns the outputs.
fn in_established(cfg: SessionConfig, bytes: &[u8]) -> Vec<Output> {
    let t0 = Instant::now();
    let mut s = established(cfg, t0);
    s.handle_data(bytes, t0);
    drain(&mut s)
}

/// A header of `len` and `kind` followed by `len - 19` zero octets.
fn message_of(len: u16, kind: u8) -> Vec<u8> {
    let mut raw = hex(MARKER);
    raw.extend_from_slice(&len.to_be_bytes());
    raw.push(kind);
    raw.resize(usize::from(len).max(19), 0);
    raw
}

#[test]
fn row_01_marker_not_all_ones() {
    let mut bad = keepalive();
    bad[3] = 0xfe;
    assert_reset(&in_established(config(), &bad), &notification(1, 1, &[]));
}

#[test]
fn row_02_length_below_19() {
    let mut bad = keepalive();
    bad[16..18].copy_from_slice(&[0x00, 0x12]);
    assert_reset(
        &in_established(config(), &bad),
        &notification(1, 2, &[0x00, 0x12]),
    );
}

#[test]
fn row_03_length_above_4096_without_extended_messages() {
    let mut cfg = config();
    cfg.capabilities
        .retain(|c| *c != Capability::ExtendedMessage);
    let out = in_established(cfg, &message_of(4097, 2));
    assert_reset(&out, &notification(1, 2, &[0x10, 0x01]));
}

#[test]
fn row_03_open_and_keepalive_above_4096_even_with_extended_messages() {
    let t0 = Instant::now();
    let s = established(config(), t0);
    assert!(s.negotiated().unwrap().extended_message);
    assert_reset(
        &in_established(config(), &message_of(4097, 4)),
        &notification(1, 2, &[0x10, 0x01]),
    );
    assert_reset(
        &in_established(config(), &message_of(5000, 1)),
        &notification(1, 2, &[0x13, 0x88]),
    );
}

#[test]
fn row_04_length_below_the_type_minimum() {
    assert_reset(
        &in_open_sent(config(), &message_of(28, 1)),
        &notification(1, 2, &[0x00, 0x1c]),
    );
    assert_reset(
        &in_established(config(), &message_of(22, 2)),
        &notification(1, 2, &[0x00, 0x16]),
    );
    assert_reset(
        &in_established(config(), &message_of(20, 3)),
        &notification(1, 2, &[0x00, 0x14]),
    );
    assert_reset(
        &in_established(config(), &message_of(20, 4)),
        &notification(1, 2, &[0x00, 0x14]),
    );
}

#[test]
fn row_05_unknown_message_type() {
    // encoding/unknown-message.msg: what ExaBGP answers to a message of type 255.
    let exabgp = hex(&format!(
        "{MARKER}:0039:03:010363616E206E6F74206465636F6465206D657373616765206F662074797065202232353522"
    ));
    assert_reset(&in_established(config(), &message_of(19, 255)), &exabgp);
    let out = in_established(config(), &message_of(19, 0));
    assert_reset(
        &out,
        &notification(1, 3, b"can not decode message of type \"0\""),
    );
}

#[test]
fn row_06_route_refresh_with_a_bad_length() {
    let bad = hex(&format!("{MARKER}:0018:05:00010001:00"));
    assert_reset(&in_established(config(), &bad), &notification(7, 1, &bad));
}

#[test]
fn row_07_route_refresh_for_a_family_not_negotiated_is_ignored() {
    let v6 = hex(&format!("{MARKER}:0017:05:00020001"));
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    s.handle_data(&v6, t0);
    assert_eq!(drain(&mut s), []);
    assert_eq!(s.state(), State::Established);
    // An unknown subtype (RFC 7313 §5) is ignored too.
    s.handle_data(&hex(&format!("{MARKER}:0017:05:00010701")), t0);
    assert_eq!(drain(&mut s), []);
    let v4 = hex(&format!("{MARKER}:0017:05:00010001"));
    s.handle_data(&v4, t0);
    let out = drain(&mut s);
    assert!(
        matches!(&received(&out)[..], [Message::RouteRefresh(r)] if r.family == Family::IPV4_UNICAST)
    );
}

#[test]
fn row_08_update_or_keepalive_before_established() {
    // RFC 6608: (5,1) in OpenSent, (5,2) in OpenConfirm, (5,3) in Established; data = type.
    assert_reset(
        &in_open_sent(config(), &corpus_update()),
        &notification(5, 1, &[2]),
    );
    assert_reset(
        &in_open_sent(config(), &keepalive()),
        &notification(5, 1, &[4]),
    );
    let t0 = Instant::now();
    for (bytes, kind) in [(corpus_update(), 2), (peer_open(), 1)] {
        let mut s = open_sent(config(), t0);
        s.handle_data(&peer_open(), t0);
        drain(&mut s);
        assert_eq!(s.state(), State::OpenConfirm);
        s.handle_data(&bytes, t0);
        assert_reset(&drain(&mut s), &notification(5, 2, &[kind]));
    }
    assert_reset(
        &in_established(config(), &peer_open()),
        &notification(5, 3, &[1]),
    );
}

#[test]
fn row_09_open_version_other_than_4() {
    let open = peer_open_with(|o| o[VERSION] = 3);
    assert_reset(&in_open_sent(config(), &open), &notification(2, 1, &[0, 4]));
}

#[test]
fn row_10_hold_time_1_or_2() {
    for hold in [1, 2] {
        let open = peer_open_with(|o| o[HOLD + 1] = hold);
        assert_reset(&in_open_sent(config(), &open), &notification(2, 6, &[]));
    }
    // 0 is legal.
    let open = peer_open_with(|o| o[HOLD..HOLD + 2].copy_from_slice(&[0, 0]));
    let out = in_open_sent(config(), &open);
    assert_eq!(states(&out), [(State::OpenSent, State::OpenConfirm)]);
}

#[test]
fn row_11_bgp_identifier_zero_or_ours_on_ibgp() {
    let zero = peer_open_with(|o| o[ID..ID + 4].copy_from_slice(&[0, 0, 0, 0]));
    assert_reset(&in_open_sent(config(), &zero), &notification(2, 3, &[]));
    // ExaBGP's unchanged OPEN carries our own identifier, 10.0.0.2, on an iBGP session.
    assert_reset(
        &in_open_sent(config(), &exabgp_open()),
        &notification(2, 3, &[]),
    );
    // On eBGP the same identifier is accepted (RFC 6286 §2.1 only asks it within an AS).
    let mut cfg = config();
    cfg.local_as = Some(Asn(65000));
    let out = in_open_sent(cfg, &exabgp_open());
    assert_eq!(s_state(&out), Some(State::OpenConfirm));
}

fn s_state(outputs: &[Output]) -> Option<State> {
    states(outputs).last().map(|(_, to)| *to)
}

#[test]
fn row_12_peer_as_mismatch_after_as4_resolution() {
    let mut cfg = config();
    cfg.peer_as = Some(Asn(65534));
    assert_reset(&in_open_sent(cfg, &peer_open()), &notification(2, 2, &[]));

    // My AS = AS_TRANS, the four-octet capability says 4200000000.
    let as_trans = peer_open_with(|o| {
        o[MY_AS..MY_AS + 2].copy_from_slice(&23456u16.to_be_bytes());
        o[AS4_VALUE..AS4_VALUE + 4].copy_from_slice(&4_200_000_000u32.to_be_bytes());
    });
    let mut cfg = config();
    cfg.peer_as = Some(Asn(4_200_000_000));
    assert_eq!(
        s_state(&in_open_sent(cfg.clone(), &as_trans)),
        Some(State::OpenConfirm)
    );
    cfg.peer_as = Some(Asn(23456));
    assert_reset(&in_open_sent(cfg, &as_trans), &notification(2, 2, &[]));
}

#[test]
fn row_13_unknown_optional_parameter() {
    let open = peer_open_with(|o| o[PARAM_TYPE] = 3);
    assert_reset(&in_open_sent(config(), &open), &notification(2, 4, &[]));
}

#[test]
fn row_14_capability_or_parameter_length_overrun() {
    let cap_overrun = peer_open_with(|o| o[MP_CAP_LEN] = 9);
    assert_reset(
        &in_open_sent(config(), &cap_overrun),
        &notification(2, 0, &[]),
    );
    let param_overrun = peer_open_with(|o| o[OPT_LEN] += 1);
    assert_reset(
        &in_open_sent(config(), &param_overrun),
        &notification(2, 0, &[]),
    );
}

#[test]
fn row_15_rfc_9072_extended_parameters_truncated() {
    // Non-Ext OP Len 255, Non-Ext OP Type 255, then the message ends before the
    // two-octet Extended Opt. Parm. Length.
    let mut open = peer_open();
    open.truncate(OPT_LEN);
    open.extend_from_slice(&[0xff, 0xff]);
    fix_len(&mut open);
    assert_reset(&in_open_sent(config(), &open), &notification(2, 0, &[]));
    // The length is there but larger than what follows.
    open.extend_from_slice(&[0x00, 0x10, 0x02]);
    fix_len(&mut open);
    assert_reset(&in_open_sent(config(), &open), &notification(2, 0, &[]));
}

#[test]
fn row_16_multiprotocol_or_as4_capability_length_not_4() {
    // Shorten the capability value by one octet and every length around it.
    for cap_len_at in [MP_CAP_LEN, AS4_CAP_LEN] {
        let open = peer_open_with(|o| {
            o[cap_len_at] = 3;
            o[cap_len_at - 2] -= 1; // parameter length
            o[OPT_LEN] -= 1;
            o.remove(cap_len_at + 1);
            fix_len(o);
        });
        assert_reset(&in_open_sent(config(), &open), &notification(2, 0, &[]));
    }
}

#[test]
fn row_17_unknown_capability_is_ignored() {
    let open = peer_open_with(|o| {
        o.extend_from_slice(&[0x02, 0x03, 0xf0, 0x01, 0xaa]);
        o[OPT_LEN] += 5;
        fix_len(o);
    });
    let out = in_open_sent(config(), &open);
    assert_eq!(sent(&out), vec![keepalive()]);
    assert_eq!(s_state(&out), Some(State::OpenConfirm));
}

#[test]
fn row_52_end_of_rib_is_not_an_error() {
    // ExaBGP's (encoding/*.msg, extended length) and the short form other speakers use.
    let mp_eor = hex(&format!("{MARKER}:001E:02:00000007900F0003000104"));
    let mp_eor_short = hex(&format!("{MARKER}:001D:02:0000000680:0F:03:0002:01"));
    for eor in [eor_v4(), mp_eor, mp_eor_short] {
        let out = in_established(config(), &eor);
        assert!(sent(&out).is_empty(), "{out:?}");
        assert!(
            matches!(&received(&out)[..], [Message::Update(_)]),
            "{out:?}"
        );
        assert_eq!(states(&out), []);
    }
}

#[test]
fn row_53_notification_with_odd_text_is_logged_escaped_and_closes() {
    // Cease / Administrative Shutdown whose RFC 9003 length says 255 but 6 octets follow,
    // some of them invalid UTF-8.
    let odd = notification(6, 2, &[0xff, 0xc3, 0x28, b'a', b'\n', 0x00, 0xfe]);
    let out = in_established(config(), &odd);
    assert!(sent(&out).is_empty(), "a NOTIFICATION is never answered");
    assert!(out.contains(&Output::Close));
    assert_eq!(down(&out).as_deref(), Some("notification received (6,2)"));
    let [Message::Notification(n)] = &received(&out)[..] else {
        panic!("{out:?}")
    };
    assert_eq!(crate::notification_text(n), "\\xff\\xc3(a\\n\\u{0}\\xfe");
    // A well-formed shutdown communication is shown as its text.
    let mut data = vec![4];
    data.extend_from_slice(b"bye!");
    let n = Notification {
        code: 6,
        subcode: 2,
        data,
    };
    assert_eq!(crate::notification_text(&n), "bye!");
    // An unknown code is reported the same way.
    let out = in_established(config(), &notification(99, 1, b"?"));
    assert_eq!(down(&out).as_deref(), Some("notification received (99,1)"));
    // Overlong text is cut.
    let n = Notification {
        code: 6,
        subcode: 4,
        data: vec![0xff; 5000],
    };
    assert!(crate::notification_text(&n).len() < 1100);
}

#[test]
fn treat_as_withdraw_arrives_as_withdrawals() {
    // ORIGIN value 5 (row 29): treat-as-withdraw.
    let mut update = corpus_update();
    update[26] = 5;
    let out = in_established(config(), &update);
    assert!(sent(&out).is_empty(), "{out:?}");
    let Some(Output::Received {
        message: Message::Update(u),
        issues,
        ..
    }) = out.iter().find(|o| matches!(o, Output::Received { .. }))
    else {
        panic!("{out:?}")
    };
    assert!(u.nlri.is_empty(), "{u:?}");
    assert_eq!(u.withdrawn.len(), 1);
    assert!(issues
        .iter()
        .any(|i| i.action == wire::Rfc7606Action::TreatAsWithdraw));
}
