//! The specs against Spectral (`spectral:oas` plus the generator's rules in `.spectral.yaml`,
//! pinned in `package.json` / the lockfile): every spec passes with zero errors, and the
//! generator's rules catch what the generator cannot take. The specs against Prism are the
//! `contract_<provider>.rs` tests.

mod common;

use std::process::Command;

use common::prism::{in_ci, installed};
use common::*;

/// Runs Spectral with the repository's ruleset; (exit success, output).
fn spectral(files: &[std::path::PathBuf]) -> Option<(bool, String)> {
    if !installed() {
        assert!(!in_ci(), "Spectral cannot be installed");
        eprintln!("SKIPPED: Spectral is not installed; CI runs this test");
        return None;
    }
    let output = Command::new(root().join("node_modules/.bin/spectral"))
        .arg("lint")
        .args(files)
        .args(["--ruleset", ".spectral.yaml", "--fail-severity", "error"])
        .current_dir(root())
        .output()
        .expect("run spectral");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    Some((output.status.success(), text))
}

#[test]
fn every_spec_passes_spectral_with_zero_errors() {
    let specs: Vec<_> = xtask::workspace::discover(&root().join("specs"))
        .expect("specs")
        .into_iter()
        .map(|(spec, _)| spec)
        .collect();
    assert!(specs.len() >= 3);
    let Some((ok, text)) = spectral(&specs) else {
        return;
    };
    assert!(ok, "{text}");
    assert!(
        text.contains("0 errors") || text.contains("No results"),
        "{text}"
    );
}

#[test]
fn the_generator_rules_catch_what_the_generator_cannot_take() {
    let bad = root().join("tests/fixtures/bad-specs");
    for (file, rule) in [
        ("external-ref.yaml", "finapi-local-refs"),
        (
            "duplicate-operation-id.yaml",
            "operation-operationId-unique",
        ),
        ("../specs/shapes.yaml", "operation-operationId"),
        ("unsupported-version.yaml", "finapi-openapi-3-0"),
        ("no-server.yaml", "oas3-api-servers"),
    ] {
        let Some((ok, text)) = spectral(&[bad.join(file)]) else {
            return;
        };
        assert!(!ok, "{file} passes Spectral:\n{text}");
        assert!(text.contains(rule), "{file}: no {rule}:\n{text}");
    }
}
