//! Any valid OpenAPI document yields a crate: random documents of the spec fuzzer
//! (`xtask::spec_fuzz`) and every document a fuzz run once found failing
//! (`tests/fixtures/fuzz/`) go through the generator in-process, as a user's spec would (not
//! strict): none is refused, none panics. That their crates compile is `cargo xtask
//! fuzz-specs`'s part (CI runs it: one `cargo check` of every crate).
//!
//! Bounded: `SPEC_FUZZ_CASES` random documents (default 48), from seed 1 000 000 (the CI run
//! of `cargo xtask fuzz-specs` starts at 0).

mod common;

use std::path::PathBuf;

use serde_json::Value;
use xtask::spec_fuzz::{FINDINGS, Failure, document, generate};

/// One test, so that the panic hook `generate` installs is never raced by another test's.
#[test]
fn every_document_generates_without_refusal_or_panic() {
    let root = common::root();
    let runtime = root.join("crates/runtime");
    let work = tempfile::tempdir().expect("temp dir");
    let crate_dir = work.path().join("crate");
    // The harness itself: a document that is not OpenAPI at all is refused (the property
    // below could not fail otherwise).
    let not_openapi =
        serde_json::json!({"openapi": "2.5.0", "info": {"title": "x", "version": "1"}});
    let refused = generate(
        &not_openapi,
        &work.path().join("bad.json"),
        "fuzz-case",
        &runtime,
        &crate_dir,
    );
    assert!(
        matches!(&refused, Err(Failure::Refused { stage, .. }) if stage == "Validate"),
        "{:?}",
        refused.err()
    );

    let mut failures: Vec<String> = Vec::new();
    let mut run = |name: &str, doc: &Value| {
        let spec = work.path().join(format!("{name}.json"));
        if let Err(failure) = generate(doc, &spec, "fuzz-case", &runtime, &crate_dir) {
            failures.push(format!("{name}: {failure}"));
        }
    };

    let mut saved: Vec<PathBuf> = std::fs::read_dir(root.join(FINDINGS))
        .expect("the kept findings")
        .map(|e| e.expect("entry").path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    saved.sort();
    assert!(!saved.is_empty(), "the findings folder holds documents");
    for file in &saved {
        let doc: Value = serde_json::from_str(&std::fs::read_to_string(file).expect("read"))
            .expect("a finding is JSON");
        run(&file.file_stem().expect("a name").to_string_lossy(), &doc);
    }

    let cases: u64 = std::env::var("SPEC_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(48);
    for seed in 1_000_000..1_000_000 + cases {
        run(&format!("seed-{seed}"), &document(seed));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
