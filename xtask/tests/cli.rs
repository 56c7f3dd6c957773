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

#[test]
fn a_bad_spec_exits_non_zero_names_the_node_and_writes_nothing() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("crate");
    let spec = root().join("tests/fixtures/bad-specs/dangling-ref.yaml");
    let output = xtask()
        .arg("generate")
        .arg(&spec)
        .arg("--out")
        .arg(&out)
        .output()
        .expect("run xtask");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("dangling-ref.yaml"), "{stderr}");
    assert!(
        stderr.contains("at #/paths/~1a/get/responses/200"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert!(!out.exists(), "a crate was written for a bad spec");
    assert_eq!(
        std::fs::read_dir(tmp.path()).expect("list").count(),
        0,
        "leftovers"
    );
}

#[test]
fn usage_errors_exit_non_zero() {
    let output = xtask().arg("generate").output().expect("run xtask");
    assert!(!output.status.success());
    assert!(String::from_utf8_lossy(&output.stderr).contains("usage"));
}

/// A crate written outside the workspace builds where it is written.
#[test]
fn a_standalone_crate_builds_outside_the_workspace() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("my-moov");
    let status = xtask()
        .arg("generate")
        .arg(root().join("specs/moov.yaml"))
        .args(["--out"])
        .arg(&out)
        .args(["--name", "my-moov"])
        .status()
        .expect("run xtask");
    assert!(status.success());
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    assert!(manifest.contains("name = \"my-moov\""), "{manifest}");
    assert!(manifest.contains("[workspace]"), "{manifest}");
    // A target directory of its own, kept between runs, so that only the first run pays for
    // the dependencies.
    let target = root().join("target/standalone");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let output = Command::new(cargo)
        .args(["check", "--quiet", "--lib"])
        .current_dir(&out)
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("run cargo");
    assert!(
        output.status.success(),
        "the standalone crate does not build:\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
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
