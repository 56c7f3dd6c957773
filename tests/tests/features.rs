//! Cargo features per tag: each tag's feature builds alone, with only the operations of that
//! tag (and untagged ones) and the types they reach; the default builds everything. Checked
//! with `cargo check` of the library and its examples (an example of an operation left out is
//! skipped, by its `required-features`) on the tags fixture's crate and on a provider crate.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;

/// `cargo check -p <package> --lib --examples --no-default-features --features <features>`,
/// bounded in time.
fn check(package: &str, features: &str) -> (bool, String) {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = output_within(
        Command::new(cargo)
            .args([
                "check",
                "--quiet",
                "--package",
                package,
                "--lib",
                "--examples",
            ])
            .args(["--no-default-features", "--features", features])
            .current_dir(root()),
        Duration::from_secs(600),
        &format!("cargo check of {package} [{features}]"),
    );
    let text = String::from_utf8_lossy(&output.stderr).into_owned();
    (output.status.success(), text)
}

#[test]
fn each_tag_builds_alone() {
    let manifest = std::fs::read_to_string(root().join("tests/snapshots/tags/Cargo.toml"))
        .expect("the tags fixture's crate");
    assert!(
        manifest.contains("all-operations = [\"accounts\", \"card-programs\"]"),
        "{manifest}"
    );
    for features in ["rustls", "rustls,accounts", "rustls,card-programs"] {
        let (ok, text) = check("snapshot-tags", features);
        assert!(ok, "snapshot-tags [{features}] does not build:\n{text}");
        // Nothing unused is left behind by a narrow feature set.
        assert!(!text.contains("warning"), "[{features}]:\n{text}");
    }
}

#[test]
fn a_provider_crate_builds_with_one_tag() {
    for features in ["rustls,bank-accounts", "rustls,webhooks,payment-methods"] {
        let (ok, text) = check("moov-client", features);
        assert!(ok, "moov-client [{features}] does not build:\n{text}");
    }
}
