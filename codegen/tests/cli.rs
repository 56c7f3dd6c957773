//! The installable `finapi-codegen` binary as a user runs it: the crate it writes builds
//! outside this repository, against the registry's `finapi-runtime` (here a `[patch]` of the
//! local copy, as one tests an unpublished version), and bad input gives one located error, an
//! exit status that says which kind, and nothing written.

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

fn generator(args: &[OsString]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_finapi-codegen"))
        .args(args)
        .output()
        .expect("run finapi-codegen")
}

fn os(s: impl AsRef<std::ffi::OsStr>) -> OsString {
    s.as_ref().to_owned()
}

/// `cargo check` of a crate written outside the workspace, with `finapi-runtime` patched to
/// the local copy (a target directory kept between runs, so that the dependencies build once).
fn check_outside(dir: &Path, patch: bool) -> Output {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["check", "--quiet", "--lib"])
        .current_dir(dir)
        .env("CARGO_TARGET_DIR", root().join("target/standalone"));
    if patch {
        let runtime = root().join("crates/runtime");
        cmd.arg("--config").arg(format!(
            "patch.crates-io.finapi-runtime.path={:?}",
            runtime.display().to_string()
        ));
    }
    cmd.output().expect("run cargo")
}

/// A spec of the real-world corpus where there is one beside the repository (CI has it),
/// else one of this repository's.
fn a_providers_spec() -> PathBuf {
    let corpus = root().join("../shared/corpus/xero-bankfeeds.yaml");
    if corpus.is_file() {
        corpus
    } else {
        root().join("specs/moov.yaml")
    }
}

#[test]
fn a_crate_written_anywhere_depends_on_the_runtime_by_version_and_builds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("bank-feeds");
    let output = generator(&[
        os("generate"),
        os(a_providers_spec()),
        os("--out"),
        os(&out),
        os("--name"),
        os("bank-feeds"),
    ]);
    assert!(output.status.success(), "{output:?}");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    assert!(
        manifest.contains("finapi-runtime = { version = \"0.1.0\", default-features = false")
            && !manifest.contains("finapi-runtime = { path"),
        "{manifest}"
    );
    assert!(
        !manifest.contains(&root().display().to_string()) && !manifest.contains("path ="),
        "a path of the generating machine: {manifest}"
    );
    assert!(manifest.contains("[workspace]"), "{manifest}");
    let built = check_outside(&out, true);
    assert!(
        built.status.success(),
        "the crate does not build:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
}

#[test]
fn runtime_path_writes_a_relative_path_that_builds() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("deep/my-moov");
    let output = generator(&[
        os("generate"),
        os(root().join("specs/moov.yaml")),
        os("--out"),
        os(&out),
        os("--name"),
        os("my-moov"),
        os("--runtime-path"),
        os(root().join("crates/runtime")),
    ]);
    assert!(output.status.success(), "{output:?}");
    let manifest = std::fs::read_to_string(out.join("Cargo.toml")).expect("manifest");
    let line = manifest
        .lines()
        .find(|l| l.starts_with("finapi-runtime"))
        .expect("the runtime dependency");
    // Relative to the crate: it moves with the two folders, and names no machine's layout.
    assert!(line.contains("path = \"../"), "{line}");
    assert!(!line.contains("path = \"/"), "{line}");
    let built = check_outside(&out, false);
    assert!(
        built.status.success(),
        "the crate does not build:\n{}",
        String::from_utf8_lossy(&built.stderr)
    );
}

/// Bad input: one clear error, the exit status of its kind, nothing written.
#[test]
fn bad_input_is_one_error_an_exit_status_and_nothing_written() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("crate");
    let moov = root().join("specs/moov.yaml");
    let a_file = tmp.path().join("a-file");
    std::fs::write(&a_file, "not a folder").expect("write");
    let cases: Vec<(Vec<OsString>, i32, String)> = vec![
        (
            vec![
                os("generate"),
                os(&moov),
                os("--out"),
                os(&out),
                os("--frobnicate"),
            ],
            2,
            "unknown option \"--frobnicate\"".into(),
        ),
        (vec![os("generate"), os(&moov)], 2, "no --out".into()),
        (
            vec![
                os("generate"),
                os(root().join("tests/fixtures/bad-specs/dangling-ref.yaml")),
                os("--out"),
                os(&out),
                os("--strict"),
            ],
            1,
            "at #/paths/~1a/get/responses/200".into(),
        ),
        (
            vec![
                os("generate"),
                os(tmp.path().join("missing.yaml")),
                os("--out"),
                os(&out),
            ],
            1,
            "missing.yaml".into(),
        ),
        (
            vec![
                os("generate"),
                os(&moov),
                os("--out"),
                os(&out),
                os("--runtime-path"),
                os(tmp.path().join("no-runtime-here")),
            ],
            1,
            "--runtime-path".into(),
        ),
        (
            vec![
                os("generate"),
                os(&moov),
                os("--out"),
                os(&out),
                os("--runtime-path"),
                os(root().join("codegen")),
            ],
            1,
            "not finapi-runtime".into(),
        ),
        (
            vec![
                os("generate"),
                os(&moov),
                os("--out"),
                os(a_file.join("crate")),
            ],
            1,
            "cannot".into(),
        ),
    ];
    #[cfg(unix)]
    let cases = {
        use std::os::unix::ffi::OsStringExt;
        let mut cases = cases;
        cases.push((
            vec![
                os("generate"),
                OsString::from_vec(b"spec-\xff.yaml".to_vec()),
                os("--out"),
                os(&out),
            ],
            2,
            "not valid UTF-8".into(),
        ));
        cases
    };
    for (args, status, expected) in cases {
        let output = generator(&args);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(status), "{args:?}: {stderr}");
        assert!(stderr.contains(&expected), "{args:?}: {stderr}");
        assert_eq!(
            stderr.lines().filter(|l| l.starts_with("error:")).count(),
            1,
            "{stderr}"
        );
        assert!(!stderr.contains("panicked"), "{stderr}");
        assert!(!out.exists(), "{args:?} wrote a crate");
    }
    let left: Vec<_> = std::fs::read_dir(tmp.path())
        .expect("list")
        .map(|e| e.expect("entry").file_name())
        .collect();
    assert_eq!(left, vec![std::ffi::OsString::from("a-file")], "leftovers");
}

#[test]
fn help_and_version_exit_zero() {
    let help = generator(&[os("--help")]);
    assert!(help.status.success());
    let text = String::from_utf8_lossy(&help.stdout);
    assert!(
        text.contains("--runtime-path") && text.contains("EXIT STATUS"),
        "{text}"
    );
    let version = generator(&[os("--version")]);
    assert!(String::from_utf8_lossy(&version.stdout).starts_with("finapi-codegen 0."));
}
