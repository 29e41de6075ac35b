//! Extended messages (RFC 8654): with the capability on both sides an UPDATE may be up to
//! 65535 octets, in both directions; without it 4096 is the limit (§3, §4).

use super::*;

/// An UPDATE of ORIGIN IGP, empty AS_PATH, NEXT_HOP 101.1.101.1 and `count` /32 NLRI
/// (10.0.x.y/32): 19 + 4 + 14 + 5 × count octets (RFC 4271 §4.3).
fn big_update(count: u16) -> Vec<u8> {
    let mut body = vec![0, 0, 0, 14];
    body.extend_from_slice(&hex("40010100 400200 400304 65016501"));
    for i in 0..count {
        body.push(32);
        body.extend_from_slice(&[10, 0]);
        body.extend_from_slice(&i.to_be_bytes());
    }
    let mut raw = hex(MARKER);
    raw.extend_from_slice(&u16::try_from(19 + body.len()).unwrap().to_be_bytes());
    raw.push(2);
    raw.extend_from_slice(&body);
    raw
}

fn without_extended_message() -> SessionConfig {
    let mut cfg = config();
    cfg.capabilities
        .retain(|c| *c != Capability::ExtendedMessage);
    cfg
}

#[test]
fn an_update_above_4096_is_received_when_negotiated() {
    let raw = big_update(2000);
    assert_eq!(raw.len(), 19 + 4 + 14 + 5 * 2000);
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    s.handle_data(&raw, t0);
    let out = drain(&mut s);
    assert_eq!(s.state(), State::Established, "{out:?}");
    match received(&out).as_slice() {
        [Message::Update(u)] => assert_eq!(u.nlri.len(), 2000),
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_update_above_4096_is_sent_only_when_negotiated() {
    let raw = big_update(2000);
    let t0 = Instant::now();
    let mut s = established(config(), t0);
    s.send_update(raw.clone(), t0).unwrap();
    assert_eq!(sent(&drain(&mut s)), vec![raw.clone()]);

    let mut s = established(without_extended_message(), t0);
    assert!(!s.negotiated().unwrap().extended_message);
    assert!(matches!(
        s.send_update(raw, t0),
        Err(SendError::NotAMessage(_))
    ));
    // 4096 octets exactly is still fine (RFC 4271 §4.1).
    let fits = big_update((4096 - 37) / 5);
    assert!(fits.len() <= 4096);
    s.send_update(fits.clone(), t0).unwrap();
    assert_eq!(sent(&drain(&mut s)), vec![fits]);
}
