//! Herald's JSON equals `exabgp decode`'s (ExaBGP 5.0.15) for every UPDATE of ExaBGP's
//! conformance corpus, every decoding case, every UPDATE Herald's own encoder makes for the
//! API commands of `tests/corpus/commands.txt` and every UPDATE GoBGP sent in
//! `tests/corpus/gobgp.hex`, after removing the volatile keys — except the differences
//! listed, each with its reason, in `docs/decode-differences.md`.
//!
//! The test fails on a difference that is not listed (fix it, or list it with the reason)
//! and on a listed one that no longer differs (take it off the list), so the document stays
//! exactly what Herald does.

use herald_interop_tests::differential::{
    command_cases, corpus, corpus_dir, differences, exabgp_outputs, herald_outputs, hex_file_cases,
    listed_differences, repo_corpus_dir,
};
use herald_interop_tests::herald::{herald_binary, workspace_root};

#[test]
fn herald_decodes_the_corpus_as_exabgp_does() {
    let mut cases = corpus(&corpus_dir()).expect("reading the conformance corpus");
    assert!(
        cases.len() > 200,
        "only {} messages in the corpus",
        cases.len()
    );
    let binary = herald_binary().expect("herald");
    let ours = repo_corpus_dir();
    let encoded = command_cases(&binary, &ours.join("commands.txt")).expect("herald encode");
    let captured = hex_file_cases(&ours.join("gobgp.hex")).expect("the GoBGP corpus");
    assert!(
        encoded.len() > 30 && captured.len() > 15,
        "{} encoder-made and {} captured messages",
        encoded.len(),
        captured.len()
    );
    cases.extend(encoded);
    cases.extend(captured);
    let herald = herald_outputs(&binary, &cases).expect("herald decode");
    let exabgp = exabgp_outputs(&cases).expect("exabgp decode");
    let found = differences(&cases, &herald, &exabgp);
    let document = workspace_root().join("docs/decode-differences.md");
    let listed = listed_differences(&std::fs::read_to_string(&document).expect("the document"));
    let unlisted: Vec<String> = found
        .iter()
        .filter(|d| !listed.contains(&d.id))
        .map(|d| format!("{}\n  herald: {}\n  exabgp: {}", d.id, d.herald, d.exabgp))
        .collect();
    let stale: Vec<&String> = listed
        .iter()
        .filter(|id| !found.iter().any(|d| &d.id == *id))
        .collect();
    assert!(
        unlisted.is_empty() && stale.is_empty(),
        "{} of {} messages differ from exabgp decode without being listed in {}:\n{}\n\n\
         listed but no longer different (take them off the list): {stale:?}",
        unlisted.len(),
        cases.len(),
        document.display(),
        unlisted.join("\n")
    );
}
