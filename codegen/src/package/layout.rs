//! Where a crate will live and what it holds besides its code: how it depends on the runtime
//! ([`Layout`], [`RuntimeDependency`]), and its examples ([`Example`]) with their names.

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

/// What an operation's example names start with: the package's name, `-client` dropped.
pub(super) fn example_prefix(package: &str) -> String {
    package
        .strip_suffix("-client")
        .unwrap_or(package)
        .replace('-', "_")
}
