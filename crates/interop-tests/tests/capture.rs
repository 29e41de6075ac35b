//! The GoBGP part of the differential corpus, `tests/corpus/gobgp.hex`, is what GoBGP
//! sends: a new capture (GoBGP originating and withdrawing each route of
//! `capture::GOBGP_ROUTES` towards Herald, which hands the raw messages to its helper) gives
//! the same messages as the committed file, line for line.
//!
//! `HERALD_CORPUS_WRITE=1 cargo test -p herald-interop-tests --test capture` rewrites the
//! file from the new capture (after a change of the route list or of GoBGP).

use herald_interop_tests::capture::{capture_gobgp, parse_corpus, render_corpus, Entry};
use herald_interop_tests::differential::repo_corpus_dir;

#[test]
fn gobgp_corpus_is_what_gobgp_sends() {
    let captured = capture_gobgp().unwrap_or_else(|e| panic!("capture: {e}"));
    let path = repo_corpus_dir().join("gobgp.hex");
    if std::env::var("HERALD_CORPUS_WRITE").is_ok_and(|v| v == "1") {
        std::fs::write(&path, render_corpus(&captured)).expect("write the corpus");
        return;
    }
    let text = std::fs::read_to_string(&path).expect("the committed corpus");
    let committed: Vec<Entry> = parse_corpus(&text)
        .expect("a well-formed corpus")
        .into_iter()
        .map(|(_, e)| e)
        .collect();
    assert_eq!(
        committed.len(),
        captured.len(),
        "{} messages committed, {} captured",
        committed.len(),
        captured.len()
    );
    for (c, n) in committed.iter().zip(&captured) {
        assert_eq!(c, n, "the committed message differs from the new capture");
    }
}
