//! The build-script API: a client's code generated from `build.rs`, into `OUT_DIR`.
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
use crate::{Input, Layout, RuntimeDependency, Settings, load};

/// Generates a client's code for a build script: see the module documentation.
#[derive(Debug, Clone)]
pub struct Builder {
    spec: PathBuf,
    settings: Option<Settings>,
    settings_file: Option<PathBuf>,
}

impl Builder {
    /// A client for the spec at `spec` (relative paths are relative to the package's
    /// directory, where cargo runs build scripts). Its settings are read from
    /// `<stem>.settings.yaml` beside it when that file exists; else they are made from the
    /// spec's title.
    pub fn new(spec: impl Into<PathBuf>) -> Self {
        Self {
            spec: spec.into(),
            settings: None,
            settings_file: None,
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

    /// Generates the client's code into `out_dir` (the build script's `OUT_DIR`), as
    /// `<package>.rs` (`acme-client` → `acme_client.rs`); returns its path. Prints
    /// `cargo:rerun-if-changed` for the spec, every file of a split spec and the settings
    /// file, so that cargo runs the build script again when one of them changes. The file is
    /// rewritten only when its content changes.
    pub fn generate_into(self, out_dir: impl AsRef<Path>) -> Result<PathBuf> {
        let input = self.input()?;
        for file in self.watched(&input) {
            println!("cargo:rerun-if-changed={}", file.display());
        }
        let layout = Layout {
            runtime: RuntimeDependency::Registry,
            standalone: false,
            spec_label: crate::spec_label(&self.spec),
            publish: false,
            repository: None,
        };
        let files = crate::build_crate(&input, &layout)?;
        let code = files
            .files
            .get(Path::new("src/generated.rs"))
            .ok_or_else(|| Error::file(Stage::Emit, &self.spec, "no code was generated"))?;
        let path = out_dir
            .as_ref()
            .join(format!("{}.rs", input.settings.package.replace('-', "_")));
        // The re-exports a generated crate's lib.rs has, so that the module is a whole client.
        let content = format!("{code}\n{}", crate::package::REEXPORTS);
        crate::emit::write_file(&path, &content)?;
        Ok(path)
    }

    /// The spec and its settings, loaded.
    fn input(&self) -> Result<Input> {
        let settings_file = self
            .settings_file
            .clone()
            .unwrap_or_else(|| load::settings_path(&self.spec));
        let source = load::load_spec(&self.spec)?;
        let settings = match (&self.settings, &self.settings_file) {
            (Some(settings), _) => settings.clone(),
            (None, Some(file)) => load::load_settings(file)?,
            (None, None) if settings_file.is_file() => load::load_settings(&settings_file)?,
            (None, None) => {
                let title = source
                    .value
                    .pointer("/info/title")
                    .and_then(|t| t.as_str())
                    .unwrap_or("api");
                Settings::for_package(&crate::package_name_from_title(title))
            }
        };
        Ok(Input {
            source,
            settings,
            settings_file,
            examples: Vec::new(),
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
        let input = builder.input().expect("loads");
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
        let input = given.input().expect("loads");
        assert!(
            !given
                .watched(&input)
                .iter()
                .any(|p| p.ends_with("split.settings.yaml"))
        );
    }
}
