//! AIGP_SESSION (RFC 7311 §3.1): enabled by default on IBGP, disabled on EBGP, the
//! configuration wins; where disabled a received AIGP is ignored (§3.2) and none is sent.

use wire::attr::Origin;
use wire::{AttrCode, Attribute, Nlri, Update};

use super::*;

/// An UPDATE from the peer: ORIGIN IGP, empty AS_PATH, NEXT_HOP 101.1.101.1, AIGP with
/// metric 0x1234 (RFC 7311 §3: flags 0x80, type 26, TLV 1 of length 11), NLRI 1.1.0.0/24.
fn update_with_aigp() -> Vec<u8> {
    hex(&format!(
        "{MARKER}:0037:02:0000001C400101004002004003046501650180 1A 0B 01000B 0000000000001234 18010100"
    ))
}

/// Our ASN 65532 against the test peer's 65533: an external session.
fn ebgp_config() -> SessionConfig {
    let mut cfg = config();
    cfg.local_as = Some(Asn(65532));
    cfg
}

/// The AIGP metric of the first UPDATE the session passed up, if it kept one.
fn received_aigp(cfg: SessionConfig) -> Option<u64> {
    let t0 = Instant::now();
    let mut s = established(cfg, t0);
    s.handle_data(&update_with_aigp(), t0);
    let out = drain(&mut s);
    assert_eq!(s.state(), State::Established, "{out:?}");
    let Some(Output::Received {
        message, issues, ..
    }) = out.iter().find(|o| matches!(o, Output::Received { .. }))
    else {
        panic!("no UPDATE received in {out:?}");
    };
    assert!(issues.is_empty(), "{issues:?}");
    let Message::Update(u) = message else {
        panic!("not an UPDATE: {message:?}");
    };
    assert_eq!(u.nlri, vec![Nlri::prefix("1.1.0.0/24".parse().unwrap())]);
    u.attributes.iter().find_map(|a| match a {
        Attribute::Aigp(metric) => Some(*metric),
        _ => None,
    })
}

/// Whether an UPDATE whose attributes include AIGP goes out with it.
fn sends_aigp(cfg: SessionConfig) -> bool {
    let t0 = Instant::now();
    let mut s = established(cfg, t0);
    let update = Message::Update(Update {
        attributes: vec![
            Attribute::Origin(Origin::Igp),
            Attribute::AsPath(wire::attr::AsPath::default()),
            Attribute::NextHop([101, 1, 101, 1].into()),
            Attribute::Aigp(0x1234),
        ],
        nlri: vec![Nlri::prefix("1.1.0.0/24".parse().unwrap())],
        ..Update::default()
    });
    s.send(&update, t0).unwrap();
    let raw = sent(&drain(&mut s));
    assert_eq!(raw.len(), 1, "{raw:02x?}");
    let decoded = Message::decode(
        &raw[0],
        &wire::DecodeCtx {
            asn4: true,
            aigp: true,
            ..wire::DecodeCtx::default()
        },
    )
    .unwrap();
    let Message::Update(u) = decoded.message else {
        panic!("not an UPDATE");
    };
    u.attributes.iter().any(|a| a.code() == AttrCode::AIGP)
}

#[test]
fn ibgp_by_default_reads_and_sends_aigp() {
    let s = established(config(), Instant::now());
    let n = s.negotiated().unwrap();
    assert!(n.ibgp());
    assert!(n.decode.aigp && n.encode.aigp);
    assert_eq!(received_aigp(config()), Some(0x1234));
    assert!(sends_aigp(config()));
}

#[test]
fn ebgp_by_default_ignores_and_never_sends_aigp() {
    let s = established(ebgp_config(), Instant::now());
    let n = s.negotiated().unwrap();
    assert!(!n.ibgp());
    assert!(!n.decode.aigp && !n.encode.aigp);
    assert_eq!(received_aigp(ebgp_config()), None);
    assert!(!sends_aigp(ebgp_config()));
}

#[test]
fn aigp_disable_on_ibgp_ignores_and_never_sends() {
    let mut cfg = config();
    cfg.aigp = Some(false);
    assert_eq!(received_aigp(cfg.clone()), None);
    assert!(!sends_aigp(cfg));
}

#[test]
fn aigp_enable_on_ebgp_reads_and_sends() {
    let mut cfg = ebgp_config();
    cfg.aigp = Some(true);
    assert_eq!(received_aigp(cfg.clone()), Some(0x1234));
    assert!(sends_aigp(cfg));
}
