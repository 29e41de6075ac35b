//! Whatever the peer sends, the session neither panics nor stalls: it either keeps going or
//! answers with at most one NOTIFICATION and closes.

use proptest::prelude::*;

use super::*;

/// Checks the outputs after arbitrary input: at most one `Send` after the first `Close`
/// would be a bug, and a `Close` always comes with a `Down`.
fn check(out: &[Output]) {
    if let Some(close) = out.iter().position(|o| *o == Output::Close) {
        assert!(
            !out[close..].iter().any(|o| matches!(o, Output::Send(_))),
            "{out:?}"
        );
        assert!(down(out).is_some(), "{out:?}");
        let notifications = sent(out)
            .iter()
            .filter(|raw| raw.get(18) == Some(&3))
            .count();
        assert!(notifications <= 1, "{out:?}");
    }
}

proptest! {
    #[test]
    fn random_bytes_in_open_sent(data in proptest::collection::vec(any::<u8>(), 0..200)) {
        let t0 = Instant::now();
        let mut s = open_sent(config(), t0);
        s.handle_data(&data, t0);
        check(&drain(&mut s));
    }

    #[test]
    fn random_bodies_after_a_valid_header(kind in 0u8..8, body in proptest::collection::vec(any::<u8>(), 0..120)) {
        let t0 = Instant::now();
        let mut s = established(config(), t0);
        let mut raw = hex(MARKER);
        raw.extend_from_slice(&u16::try_from(19 + body.len()).unwrap().to_be_bytes());
        raw.push(kind);
        raw.extend_from_slice(&body);
        s.handle_data(&raw, t0);
        check(&drain(&mut s));
    }

    #[test]
    fn mutated_open(at in 19usize..73, value in any::<u8>()) {
        let t0 = Instant::now();
        let mut s = open_sent(config(), t0);
        let mut open = peer_open();
        open[at] = value;
        s.handle_data(&open, t0);
        s.handle_data(&keepalive(), t0);
        check(&drain(&mut s));
    }

    #[test]
    fn split_anywhere(cut in 1usize..91) {
        let t0 = Instant::now();
        let mut s = open_sent(config(), t0);
        let mut both = peer_open();
        both.extend(keepalive());
        s.handle_data(&both[..cut], t0);
        s.handle_data(&both[cut..], t0);
        prop_assert_eq!(s.state(), State::Established);
    }
}
