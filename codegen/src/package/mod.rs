//! Assembles the files of a crate from the formatted code: Cargo.toml (`cargo_toml.rs`),
//! README.md (`readme.rs`), src/lib.rs (`lib_rs.rs`), src/generated.rs and the examples.
//! Pure: emit writes them.

mod cargo_toml;
mod lib_rs;
mod readme;

use std::collections::BTreeMap;
use std::path::PathBuf;

use crate::generate::Generated;
use crate::model::Model;
use crate::settings::Settings;

use self::cargo_toml::cargo_toml;
pub use self::lib_rs::REEXPORTS;
use self::lib_rs::lib_rs;
use self::readme::{flows, readme};

/// The files of one crate, by path relative to the crate directory. Sorted, so that output
/// is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateFiles {
    /// File contents by relative path.
    pub files: BTreeMap<PathBuf, String>,
    /// What the generation kept and left out (not written to disk).
    pub report: Report,
}

/// What a generation kept of the spec's operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The spec's operations the crate has a method for.
    pub kept: usize,
    /// Methods made for the other request media types of operations (`…_as_xml`).
    pub alternates: usize,
    /// One located line per operation left out (also listed in the crate's README).
    pub warnings: Vec<String>,
}

/// The version of `finapi-runtime` generated crates depend on (the runtime crate's own).
pub const RUNTIME_VERSION: &str = "0.1.0";

/// How a generated crate depends on `finapi-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// By version, from the registry: a crate that builds anywhere.
    Registry,
    /// A local copy, by a path relative to the crate's directory (and the version, which the
    /// registry copy must match when the crate is published).
    Path(String),
}

/// Where the crate will live, which decides how it finds the runtime crate and whether it
/// may be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// How the crate depends on the runtime. Never an absolute path: a crate must build on
    /// another machine.
    pub runtime: RuntimeDependency,
    /// A standalone crate is its own workspace, so that it builds wherever it is written.
    pub standalone: bool,
    /// The spec's name as the `@generated` line shows it.
    pub spec_label: String,
    /// Whether the crate may be published (test snapshots may not).
    pub publish: bool,
    /// The source repository's URL, where the settings name none.
    pub repository: Option<String>,
}

/// An example file of the crate: an operation's (generated) or a flow's (hand-written
/// beside the spec, with the first line of its doc for the README).
#[derive(Debug, Clone)]
pub struct Example {
    /// Its target name (`examples/<name>.rs`, `cargo run --example <name>`): an operation's
    /// is [`example_name`], a flow's the name of its file beside the spec.
    pub name: String,
    /// The operation it calls (its method name), for an operation's example.
    pub operation: Option<String>,
    /// Its code.
    pub code: String,
    /// For a flow, what it does (the first line of its `//!` doc).
    pub flow: Option<String>,
}

/// The example target of an operation: the method's name after the package's (`-client`
/// dropped): `moov_get_account`. Unique across crates, so that the examples of several
/// generated crates in one workspace never share an output file (cargo warns of that, and
/// may refuse it).
pub fn example_name(package: &str, method: &str) -> String {
    format!("{}_{method}", example_prefix(package))
}

fn example_prefix(package: &str) -> String {
    package
        .strip_suffix("-client")
        .unwrap_or(package)
        .replace('-', "_")
}

/// Assembles the crate's files.
// Invariant (deterministic output): the files in a sorted map, each a pure function of the
// spec and its settings; `@generated` lines name the spec's file name, never a path.
pub fn package(
    generated_rs: String,
    examples: Vec<Example>,
    quickstart: &[String],
    generated: &Generated,
    model: &Model,
    settings: &Settings,
    layout: &Layout,
) -> CrateFiles {
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("Cargo.toml"),
        cargo_toml(generated, model, settings, layout, &examples),
    );
    files.insert(
        PathBuf::from("README.md"),
        readme(
            model,
            settings,
            layout,
            (quickstart, &flows(&examples)),
            generated_rs.contains("deny_unknown_fields"),
        ),
    );
    files.insert(PathBuf::from("src/lib.rs"), lib_rs(layout));
    files.insert(PathBuf::from("src/generated.rs"), generated_rs);
    for example in examples {
        files.insert(
            PathBuf::from(format!("examples/{}.rs", example.name)),
            example.code,
        );
    }
    CrateFiles {
        files,
        report: Report {
            kept: model
                .operations
                .iter()
                .filter(|op| op.alternate_of.is_none())
                .count(),
            alternates: model
                .operations
                .iter()
                .filter(|op| op.alternate_of.is_some())
                .count(),
            warnings: model.left_out.clone(),
        },
    }
}

#[cfg(test)]
mod tests {
    use crate::RuntimeDependency;
    use crate::test_support::build_with_runtime;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Snap, version: "1"}
servers: [{url: "https://api.snap.test"}]
paths:
  /ping:
    get:
      operationId: ping
      responses: {"204": {description: pong}}
"#;

    fn runtime_line(runtime: RuntimeDependency) -> String {
        let files = build_with_runtime(SPEC, runtime).expect("the spec generates");
        let manifest = &files.files[std::path::Path::new("Cargo.toml")];
        manifest
            .lines()
            .find(|l| l.starts_with("finapi-runtime"))
            .expect("a finapi-runtime dependency")
            .to_owned()
    }

    #[test]
    fn a_flow_beside_the_spec_is_copied_under_its_own_generated_line_and_listed() {
        use crate::test_support::generate_with_examples;
        let flow = "//! Ping twice.\n\nfn main() {}\n";
        let files = generate_with_examples(SPEC, vec![("ping_twice".into(), flow.into())])
            .expect("generates");
        let copied = &files.files[std::path::Path::new("examples/ping_twice.rs")];
        assert_eq!(
            copied,
            &format!(
                "// @generated by finapi-codegen from test.examples/ping_twice.rs; do not edit: \
                 edit that file and run `cargo xtask regen`.\n\n{flow}"
            )
        );
        let readme = &files.files[std::path::Path::new("README.md")];
        assert!(readme.contains("## Flows"), "{readme}");
        assert!(readme.contains("- `ping_twice`: Ping twice."), "{readme}");

        // An operation's example is named after the package (snap-client's ping: snap_ping).
        assert!(
            files
                .files
                .contains_key(std::path::Path::new("examples/snap_ping.rs"))
        );
        assert!(readme.contains("--example snap_<method>`"), "{readme}");
        let err = generate_with_examples(SPEC, vec![("snap_ping".into(), flow.into())])
            .expect_err("the operation's example is named snap_ping");
        assert!(err.message.contains("named `snap_ping` too"), "{err}");
        let err =
            generate_with_examples(SPEC, vec![("undocumented".into(), "fn main() {}".into())])
                .expect_err("no doc line");
        assert!(err.message.contains("`//!` line"), "{err}");
    }

    #[test]
    fn the_runtime_is_a_version_or_a_relative_path() {
        assert_eq!(
            runtime_line(RuntimeDependency::Registry),
            r#"finapi-runtime = { version = "0.1.0", default-features = false }"#
        );
        assert_eq!(
            runtime_line(RuntimeDependency::Path("../../runtime".into())),
            r#"finapi-runtime = { path = "../../runtime", version = "0.1.0", default-features = false }"#
        );
        let err = build_with_runtime(SPEC, RuntimeDependency::Path("/home/me/runtime".into()))
            .expect_err("an absolute runtime path is refused");
        assert!(err.message.contains("must be relative"), "{err}");
    }
}
