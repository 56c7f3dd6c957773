//! The library's front door ([`Builder`]): a client generated from a spec, either as one file
//! of code for a build script (`generate_into(OUT_DIR)`) or as a whole crate in memory
//! (`generate_crate()`, which the `finapi-codegen` CLI and this repository's `cargo xtask`
//! write with [`CrateFiles::write_to`] or compare with [`CrateFiles::compare`]).
//!
//! ```no_run
//! // build.rs
//! fn main() -> Result<(), finapi_codegen::Error> {
//!     let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR");
//!     finapi_codegen::Builder::new("openapi.yaml").generate_into(out_dir)?;
//!     Ok(())
//! }
//! ```
//!
//! ```ignore
//! // src/lib.rs: the file is named after the settings' package (`acme-client` → acme_client.rs)
//! #[rustfmt::skip]
//! mod generated {
//!     include!(concat!(env!("OUT_DIR"), "/acme_client.rs"));
//! }
//! pub use generated::*;
//! ```
//!
//! The crate depends on what the generated code names: `finapi-runtime`, `progenitor-client`,
//! `reqwest`, `serde`, `serde_json`, and `chrono`, `uuid` or `regress` where the spec's
//! formats need them (a generated crate's `Cargo.toml` lists them).

use std::path::{Path, PathBuf};

use crate::error::{Error, Result, Stage};
use crate::load::{self, Input, SettingsFrom};
use crate::package::{CrateFiles, Layout, RuntimeDependency};
use crate::settings::Settings;

/// Generates a client from a spec: see the module documentation.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    settings: Option<Settings>,
    settings_file: Option<PathBuf>,
    name: Option<String>,
    runtime: Runtime,
    standalone: bool,
    publish: bool,
    repository: Option<String>,
    strict: bool,
}

/// How the crate will find the runtime.
#[derive(Debug, Clone)]
enum Runtime {
    /// As given.
    Dependency(RuntimeDependency),
    /// A local checkout, by a path relative to the crate's folder (resolved on generation).
    Checkout { dir: PathBuf, crate_dir: PathBuf },
}

impl Builder {
    /// A client for the spec at `spec` (in a build script, relative to the package's
    /// directory). Its settings are read from `<stem>.settings.yaml` beside it when that file
    /// exists; else they are made from the spec's title. By default the crate depends on
    /// `finapi-runtime` from the registry, is its own workspace and may be published.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Self {
            spec: spec.into(),
            settings: None,
            settings_file: None,
            name: None,
            runtime: Runtime::Dependency(RuntimeDependency::Registry),
            standalone: true,
            publish: true,
            repository: None,
            strict: false,
        }
    }

    /// Uses these settings.
    pub fn settings(mut self, settings: Settings) -> Self {
        self.settings = Some(settings);
        self
    }

    /// Reads the settings from this file.
    pub fn settings_file(mut self, path: impl Into<PathBuf>) -> Self {
        self.settings_file = Some(path.into());
        self
    }

    /// Names the package (overriding the settings' `package`; checked as it is).
    pub fn package_name(mut self, name: impl Into<String>) -> Self {
        self.name = Some(name.into());
        self
    }

    /// How the crate depends on `finapi-runtime` (a path must be relative to the crate).
    pub fn runtime(mut self, runtime: RuntimeDependency) -> Self {
        self.runtime = Runtime::Dependency(runtime);
        self
    }

    /// Depends on the `finapi-runtime` checkout at `dir`, by its path relative to
    /// `crate_dir`, where the crate will be written (checked when generating: `dir` must hold
    /// `finapi-runtime`).
    pub fn runtime_checkout(
        mut self,
        dir: impl Into<PathBuf>,
        crate_dir: impl Into<PathBuf>,
    ) -> Self {
        self.runtime = Runtime::Checkout {
            dir: dir.into(),
            crate_dir: crate_dir.into(),
        };
        self
    }

    /// Whether the crate is its own workspace (default), or a member of one around it.
    pub fn standalone(mut self, standalone: bool) -> Self {
        self.standalone = standalone;
        self
    }

    /// Whether the crate may be published (default); a test crate says it may not.
    pub fn publishable(mut self, publish: bool) -> Self {
        self.publish = publish;
        self
    }

    /// The source repository's URL, where the settings name none.
    pub fn repository(mut self, url: impl Into<String>) -> Self {
        self.repository = Some(url.into());
        self
    }

    /// Refuses, with its located error, what would otherwise be given up with a warning (a
    /// schema typed as any JSON, a body, a parameter, an operation left out). Off by default:
    /// a valid spec with a construct the generator cannot type costs that construct.
    pub fn strict(mut self, strict: bool) -> Self {
        self.strict = strict;
        self
    }

    /// The whole crate in memory: `Cargo.toml`, `README.md`, `src/`, `examples/` (the
    /// operations', and the flows kept in `<stem>.examples/` beside the spec). Nothing is
    /// written: [`CrateFiles::write_to`] writes it, all or nothing.
    pub fn generate_crate(&self) -> Result<CrateFiles> {
        let input = self.input(true)?;
        let layout = self.layout()?;
        crate::pipeline::build_crate(&input, &layout, self.strict)
    }

    /// Generates the client's code into `out_dir` (the build script's `OUT_DIR`), as
    /// `<package>.rs` (`acme-client` → `acme_client.rs`); returns its path. Prints
    /// `cargo:rerun-if-changed` for the spec, every file of a split spec and the settings
    /// file, so that cargo runs the build script again when one of them changes. The file is
    /// rewritten only when its content changes.
    pub fn generate_into(self, out_dir: impl AsRef<Path>) -> Result<PathBuf> {
        let input = self.input(false)?;
        for file in self.watched(&input) {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        let layout = Layout {
            publish: false,
            standalone: false,
            ..self.layout()?
        };
        let files = crate::pipeline::build_crate(&input, &layout, self.strict)?;
        for warning in &files.report.warnings {
            println!("cargo:warning={warning}");
        }
        let code = files
            .files
            .get(Path::new("src/generated.rs"))
            .ok_or_else(|| Error::file(Stage::Package, &self.spec, "no code was generated"))?;
        let path = out_dir
            .as_ref()
            .join(format!("{}.rs", input.settings.package.replace('-', "_")));
        // The re-exports a generated crate's lib.rs has, so that the module is a whole client.
        let content = format!("{code}\n{}", crate::package::REEXPORTS);
        crate::emit::write_file(&path, &content)?;
        Ok(path)
    }

    /// How many operations the spec declares, as written (a path item given by `$ref`
    /// counts none): a tool's first look at a spec, before generating anything.
    pub fn operations(&self) -> Result<usize> {
        let source = load::load_spec(&self.spec)?;
        let paths = source.value.get("paths").and_then(|p| p.as_object());
        Ok(paths
            .into_iter()
            .flat_map(|paths| paths.values())
            .filter_map(|item| item.as_object())
            .map(|item| {
                crate::openapi::Method::ALL
                    .iter()
                    .filter(|m| item.contains_key(m.key()))
                    .count()
            })
            .sum())
    }

    /// progenitor's output alone for the spec after validate and normalize, in its
    /// positional or builder interface: for this repository's benchmarks, not part of the
    /// supported API.
    #[doc(hidden)]
    pub fn progenitor_only(&self, builder_interface: bool) -> Result<String> {
        crate::pipeline::progenitor_only(&self.input(false)?, builder_interface)
    }

    /// The spec, its settings and (with `flows`) its flows, loaded: the one load path.
    fn input(&self, flows: bool) -> Result<Input> {
        let settings = match (&self.settings, &self.settings_file) {
            (Some(settings), _) => SettingsFrom::Given(Box::new(settings.clone())),
            (None, Some(file)) => SettingsFrom::File(file.clone()),
            (None, None) => SettingsFrom::Beside,
        };
        load::input(&self.spec, settings, self.name.as_deref(), flows)
    }

    fn layout(&self) -> Result<Layout> {
        let runtime = match &self.runtime {
            Runtime::Dependency(runtime) => runtime.clone(),
            Runtime::Checkout { dir, crate_dir } => {
                RuntimeDependency::Path(load::runtime_path_from(dir, crate_dir)?)
            }
        };
        Ok(Layout {
            runtime,
            standalone: self.standalone,
            spec_label: spec_label(&self.spec),
            publish: self.publish,
            repository: self.repository.clone(),
        })
    }

    /// The files whose change makes the client's code change: the spec, its parts, the
    /// settings file (where one is read).
    fn watched(&self, input: &Input) -> Vec<PathBuf> {
        let mut files = vec![self.spec.clone()];
        files.extend(input.source.origins.iter().map(|o| o.file.clone()));
        if self.settings.is_none() && input.settings_file.is_file() {
            files.push(input.settings_file.clone());
        }
        files.sort();
        files.dedup();
        files
    }
}

/// The label a spec gets in `@generated` lines: its file name, never a path of this machine.
fn spec_label(spec: &Path) -> String {
    spec.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.display().to_string())
}
#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_build_script_is_rerun_when_any_file_of_the_spec_or_its_settings_changes() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../tests/fixtures/specs")
            .canonicalize()
            .expect("fixtures");
        let builder = Builder::new(root.join("split.yaml"));
        let input = builder.input(false).expect("loads");
        let mut watched: Vec<String> = builder
            .watched(&input)
            .iter()
            .map(|p| {
                let p = p.canonicalize().expect("a file that exists");
                p.strip_prefix(&root)
                    .expect("under the fixtures")
                    .display()
                    .to_string()
            })
            .collect();
        watched.sort();
        assert_eq!(
            watched,
            [
                "split.settings.yaml",
                "split.yaml",
                "split/parameters.yaml",
                "split/paths/account.yaml",
                "split/responses.yaml",
                "split/schemas/account.yaml",
                "split/schemas/owner.yaml",
            ]
        );
        // Settings given in code: no settings file to watch.
        let given = Builder::new(root.join("split.yaml")).settings(Settings::for_package("x"));
        let input = given.input(false).expect("loads");
        assert!(
            !given
                .watched(&input)
                .iter()
                .any(|p| p.ends_with("split.settings.yaml"))
        );
    }
}
