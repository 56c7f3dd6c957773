//! Snapshot tests: the fixture specs under `fixtures/specs/` generate exactly the crates
//! committed under `snapshots/`, and the specs under `specs/` exactly the crates under
//! `crates/`. Both use `CrateFiles::compare`, the comparison `cargo xtask check` uses.
//! The snapshot crates are workspace members, so the test suite also compiles them.
//!
//! `cargo xtask regen` (or `UPDATE_SNAPSHOTS=1 cargo test -p tests --test snapshots`)
//! rewrites the snapshots.

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

fn fixtures() -> Vec<PathBuf> {
    let dir = root().join("tests/fixtures/specs");
    let specs: Vec<_> = xtask::workspace::discover(&dir)
        .expect("fixture specs")
        .into_iter()
        .map(|(spec, _)| spec)
        .collect();
    assert!(
        specs.len() >= 2,
        "fixture specs are missing from {}",
        dir.display()
    );
    specs
}

/// The stale crates under `dir` (relative to the workspace), as unified diffs.
fn stale_under(dir: &str) -> String {
    xtask::workspace::check(&root())
        .expect("specs generate")
        .iter()
        .filter(|(crate_dir, _)| crate_dir.starts_with(root().join(dir)))
        .map(|(crate_dir, m)| finapi_codegen::render(crate_dir, m))
        .collect()
}

#[test]
fn fixture_specs_match_their_snapshots() {
    if std::env::var_os("UPDATE_SNAPSHOTS").is_some() {
        xtask::workspace::regen(&root()).expect("regen");
    }
    assert!(fixtures().len() >= 2);
    let report = stale_under(xtask::workspace::SNAPSHOTS);
    assert!(
        report.is_empty(),
        "snapshots differ (`cargo xtask regen` rewrites them):\n{report}"
    );
}

#[test]
fn committed_crates_match_their_specs() {
    let report = stale_under("crates");
    assert!(report.is_empty(), "run `cargo xtask regen`:\n{report}");
}

#[test]
fn generation_is_deterministic() {
    for spec in fixtures()
        .into_iter()
        .chain([root().join("specs/moov.yaml")])
    {
        let builder = if spec.starts_with(root().join("specs")) {
            xtask::workspace::provider(&spec)
        } else {
            xtask::workspace::fixture(&spec)
        };
        let first = builder.generate_crate().expect("generates");
        let second = builder.generate_crate().expect("generates again");
        assert_eq!(
            first,
            second,
            "{} generates differently twice",
            spec.display()
        );
    }
}

#[test]
fn generated_files_start_with_the_generated_line() {
    let spec = root().join("specs/moov.yaml");
    let files = xtask::workspace::provider(&spec)
        .generate_crate()
        .expect("generates");
    for (path, content) in &files.files {
        let first = content.lines().next().unwrap_or_default();
        assert!(
            first.contains("@generated") && first.contains("do not edit"),
            "{}: first line is {first:?}",
            path.display()
        );
    }
}

/// What the fixtures are there to show, checked on the generated code itself, so that a
/// snapshot accepted by mistake still fails here.
#[test]
fn fixtures_keep_every_status_typed() {
    let spec = root().join("tests/fixtures/specs/responses.yaml");
    let files = xtask::workspace::provider(&spec)
        .generate_crate()
        .expect("generates");
    let squash = |s: &str| s.split_whitespace().collect::<String>();
    let code = squash(&files.files[Path::new("src/generated.rs")]);
    for expected in [
        "NotFound(::finapi_runtime::ApiError<()>",
        "Conflict(::finapi_runtime::ApiError<types::Problem>",
        "UnprocessableEntity(::finapi_runtime::ApiError<types::GetWidgetUnprocessableEntityBody>",
        "Status4xx(::finapi_runtime::ApiError<()>",
        "Default(::finapi_runtime::ApiError<::finapi_runtime::export::Bytes>",
        "::finapi_runtime::Response<::std::option::Option<types::Widget>>",
        "pub fn api_version(",
        "pub const DEFAULT_BASE_URL: &'static str = \"https://api.example.test/v1\";",
    ] {
        assert!(
            code.contains(&squash(expected)),
            "generated code lacks {expected}"
        );
    }
    assert!(
        !code.contains("\"api-version\""),
        "progenitor's api-version header survived"
    );
    assert!(
        !code.contains("x_api_version"),
        "the lifted header is still a method parameter"
    );
}

/// What `cargo xtask check` reports when a committed generated file was edited by hand.
#[test]
fn check_reports_a_hand_edit_as_a_unified_diff() {
    let tmp = tempfile::tempdir().expect("tempdir");
    std::fs::create_dir_all(tmp.path().join("specs")).expect("mkdir");
    for name in ["moov.yaml", "moov.settings.yaml"] {
        std::fs::copy(
            root().join("specs").join(name),
            tmp.path().join("specs").join(name),
        )
        .expect("copy");
    }
    assert_eq!(xtask::workspace::regen(tmp.path()).expect("regen").len(), 1);
    assert!(
        xtask::workspace::check(tmp.path())
            .expect("check")
            .is_empty()
    );

    let file = tmp.path().join("crates/moov/src/generated.rs");
    let code = std::fs::read_to_string(&file).expect("read");
    let edited = code.replacen("pub struct Client {", "pub struct Client { // hand edit", 1);
    assert_ne!(code, edited);
    std::fs::write(&file, edited).expect("write");
    let stale = xtask::workspace::check(tmp.path()).expect("check");
    assert_eq!(stale.len(), 1);
    let report = finapi_codegen::render(&stale[0].0, &stale[0].1);
    assert!(report.contains("--- a/src/generated.rs"), "{report}");
    let lines: Vec<&str> = report.lines().collect();
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with('-') && l.ends_with("pub struct Client { // hand edit")),
        "{report}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with('+') && l.ends_with("pub struct Client {")),
        "{report}"
    );
}
