//! End-to-end tests of [`crate::parse`]: the conformance configurations, every neighbor
//! key, templates, the errors and their positions.

use std::path::Path;

use crate::{parse, Source};

const ETC: &str = "/work/shared/conformance/exabgp-5.0/etc";

#[test]
fn every_conformance_file_parses() {
    let dir = Path::new(ETC);
    if !dir.exists() {
        return;
    }
    let mut failures = Vec::new();
    let mut count = 0;
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        if path.extension().and_then(|e| e.to_str()) != Some("conf") {
            continue;
        }
        count += 1;
        let text = std::fs::read_to_string(&path).unwrap();
        if let Err(errors) = parse(&[Source::new(path.display().to_string(), text)]) {
            for e in errors {
                failures.push(e.to_string());
            }
        }
    }
    assert_eq!(count, 86);
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
