//! `cargo xtask generate` as a user runs it.

use std::path::{Path, PathBuf};
use std::process::Command;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

fn xtask() -> Command {
    Command::new(env!("CARGO_BIN_EXE_xtask"))
}

/// `cargo xtask generate` is the installable generator's command line (its tests:
/// codegen/tests/cli.rs): the same exit statuses.
#[test]
fn xtask_generate_runs_the_generators_command_line() {
    let output = xtask()
        .args(["generate", "spec.yaml", "--frobnicate"])
        .output()
        .expect("run xtask");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("unknown option"));
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("crate");
    let output = xtask()
        .arg("generate")
        .arg(root().join("tests/fixtures/bad-specs/unsupported-version.yaml"))
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run xtask");
    assert_eq!(output.status.code(), Some(1));
    assert!(!out.exists());
}

/// `cargo xtask corpus` on a fast subset of the real-world corpus: a 3.1 document, and two
/// Open Banking UK specs whose operations mix error schemas. Every crate generates, keeps
/// every operation and passes `cargo check --all-targets`.
#[test]
fn the_corpus_command_generates_and_checks_a_subset() {
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() {
        eprintln!("SKIPPED: no corpus at {}", corpus.display());
        return;
    }
    let output = xtask()
        .args(["corpus"])
        .arg(&corpus)
        .args([
            "--only",
            "adyen-LegalEntityService-v3.openapi31,obuk-confirmation-funds-openapi,obuk-events-openapi",
        ])
        .output()
        .expect("run xtask");
    let stdout = String::from_utf8_lossy(&output.stdout);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stdout}\n{stderr}");
    for (spec, ops) in [
        ("adyen-LegalEntityService-v3.openapi31", 34),
        ("obuk-confirmation-funds-openapi", 4),
        ("obuk-events-openapi", 5),
    ] {
        let row = stdout
            .lines()
            .find(|l| l.starts_with(&format!("| {spec} |")))
            .unwrap_or_else(|| panic!("no row for {spec}:\n{stdout}"));
        assert!(row.contains(&format!("| {ops} | {ops} |")), "{row}");
        assert!(row.contains("| ok ("), "{row}");
    }
}
