//! The generator: one OpenAPI spec plus its settings in, one client crate out.
//!
//! A pipeline of small stages, one module each, in this order:
//! [`load`] → [`validate`] → [`normalize`] → [`generate`] (progenitor) → [`postprocess`]
//! (syn / quote) → [`format`](mod@format) (prettyplease) → [`package`] → [`emit`]. Only `load` and `emit`
//! touch the disk; everything between is a pure function of the spec and its settings.
//! [`compare()`] is the one comparison `cargo xtask check` and the snapshot tests share.

#![warn(missing_docs)]

mod builder;
pub mod cli;
pub mod compare;
pub mod emit;
pub mod error;
pub mod format;
pub mod generate;
pub mod load;
pub mod model;
pub mod names;
pub mod normalize;
pub mod openapi;
pub mod package;
pub mod pagination;
pub mod postprocess;
pub(crate) mod restore;
mod runtime_bounds;
pub mod settings;
mod syntax;
#[cfg(test)]
mod test_support;
pub mod timings;
pub mod validate;
pub mod webhooks;

use std::path::{Path, PathBuf};

pub use builder::Builder;
pub use compare::{Mismatch, compare, render};
pub use error::{Error, Result, Stage};
pub use load::SpecSource;
pub use package::{CrateFiles, Layout, RUNTIME_VERSION, Report, RuntimeDependency};
pub use settings::Settings;

/// The README's code blocks, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// One spec with its settings, loaded.
#[derive(Debug, Clone)]
pub struct Input {
    /// The spec.
    pub source: SpecSource,
    /// Its settings.
    pub settings: Settings,
    /// Where the settings came from (for error messages).
    pub settings_file: PathBuf,
    /// Hand-written examples kept beside the spec (`<stem>.examples/*.rs`), by name: copied
    /// into the crate's `examples/`.
    pub examples: Vec<(String, String)>,
}

/// The pure part of the pipeline: validate, normalize, generate, post-process, format and
/// package one loaded spec.
pub fn build_crate(input: &Input, layout: &Layout) -> Result<CrateFiles> {
    build(input, layout).map_err(|e| input.source.locate(e))
}

fn build(input: &Input, layout: &Layout) -> Result<CrateFiles> {
    let file = input.source.path.as_path();
    // Invariant (crates build anywhere): a local runtime is named by a relative path only.
    if let RuntimeDependency::Path(path) = &layout.runtime
        && Path::new(path).has_root()
    {
        return Err(Error::file(
            Stage::Emit,
            file,
            "the runtime's path must be relative to the crate, not absolute",
        ));
    }
    let (spec, model) = validate_and_normalize(input)?;
    let mut generated = timings::stage("generate", || generate::generate(&spec, file))?;
    // The normalized spec is not needed past progenitor: freed before post-process peaks.
    drop(spec);
    // post-process times its passes itself.
    let output = postprocess::postprocess(&mut generated, &model, file)?;
    let code = timings::stage("format", || {
        format::format_rust(&output.file, &layout.spec_label)
    });
    let mut examples: Vec<package::Example> = output
        .examples
        .iter()
        .map(|(method, file)| package::Example {
            name: package::example_name(&input.settings.package, method),
            operation: Some(method.clone()),
            code: format::format_rust(file, &layout.spec_label),
            flow: None,
        })
        .collect();
    for (name, text) in &input.examples {
        if examples.iter().any(|e| e.name == *name) {
            return Err(Error::file(
                Stage::Emit,
                &load::examples_dir(file).join(format!("{name}.rs")),
                format!("an operation's generated example is named `{name}` too"),
            ));
        }
        // What the flow does: the first line of its `//!` doc.
        let what = text
            .lines()
            .find_map(|l| l.strip_prefix("//!"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                Error::file(
                    Stage::Emit,
                    &load::examples_dir(file).join(format!("{name}.rs")),
                    "a flow example starts with a `//!` line that says what it does",
                )
            })?;
        examples.push(package::Example {
            name: name.clone(),
            operation: None,
            code: format::copied_example(text, name, &layout.spec_label),
            flow: Some(what.to_owned()),
        });
    }
    Ok(timings::stage("package", || {
        package::package(
            code,
            examples,
            &output.quickstart,
            &generated,
            &model,
            &input.settings,
            layout,
        )
    }))
}

/// Validate and normalize: check the document, rewrite it as JSON, parse it, then rewrite
/// the typed model for progenitor.
fn validate_and_normalize(input: &Input) -> Result<(openapiv3::OpenAPI, model::Model)> {
    let file = input.source.path.as_path();
    timings::stage("validate", || validate::check(&input.source))?;
    let document = timings::stage("normalize (document)", || {
        normalize::document::document(input.source.value.clone())
    });
    let spec = timings::stage("parse", || validate::parse(file, &document.value))?;
    let (spec, mut model) = timings::stage("normalize", || {
        normalize::normalize(spec, &input.settings, file, &input.settings_file)
    })?;
    model.notes = document.notes;
    model.enum_values = document.enum_values;
    Ok((spec, model))
}

/// progenitor's output alone for a spec after validate and normalize, in the positional or
/// builder interface (for `cargo xtask bench`).
pub fn progenitor_only(input: &Input, builder: bool) -> Result<String> {
    let file = input.source.path.as_path();
    let (spec, _) = validate_and_normalize(input)?;
    generate::progenitor_only(&spec, builder, file)
}

/// Loads a spec and the settings next to it (`<name>.settings.yaml`).
pub fn load_input(spec: &Path) -> Result<Input> {
    let settings_file = load::settings_path(spec);
    let settings = load::load_settings(&settings_file)?;
    Ok(Input {
        source: load::load_spec(spec)?,
        settings,
        settings_file,
        examples: load::load_examples(spec)?,
    })
}

/// The label a spec gets in `@generated` lines: its file name.
pub fn spec_label(spec: &Path) -> String {
    spec.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| spec.display().to_string())
}

/// The layout of a crate under the workspace's `crates/` directory: publishable, beside the
/// runtime crate.
pub fn workspace_layout(spec: &Path) -> Layout {
    Layout {
        runtime: RuntimeDependency::Path("../runtime".to_owned()),
        standalone: false,
        spec_label: spec_label(spec),
        publish: true,
        repository: None,
    }
}

/// The fixture specs, each exercising one capability of the generator.
pub const FIXTURE_SPECS: &str = "tests/fixtures/specs";
/// Where the fixture specs' crates go (workspace members: they compile in CI).
pub const SNAPSHOTS: &str = "tests/snapshots";

/// Every crate of a workspace, generated in memory: (crate directory, files). The crates of
/// `specs/` go under `crates/`; where the workspace has fixture specs
/// ([`FIXTURE_SPECS`]), their snapshot crates go under [`SNAPSHOTS`].
pub fn generate_workspace(root: &Path) -> Result<Vec<(PathBuf, CrateFiles)>> {
    let mut out = Vec::new();
    let repository = load::workspace_repository(root)?;
    for (spec, _) in load::discover(&root.join("specs"))? {
        let input = load_input(&spec)?;
        let layout = Layout {
            repository: repository.clone(),
            ..workspace_layout(&spec)
        };
        let files = build_crate(&input, &layout)?;
        out.push((root.join("crates").join(&input.settings.crate_dir), files));
    }
    let fixtures = root.join(FIXTURE_SPECS);
    if fixtures.is_dir() {
        for (spec, _) in load::discover(&fixtures)? {
            let input = load_input(&spec)?;
            let layout = Layout {
                runtime: RuntimeDependency::Path("../../../crates/runtime".to_owned()),
                standalone: false,
                spec_label: spec_label(&spec),
                publish: false,
                repository: None,
            };
            let files = build_crate(&input, &layout)?;
            out.push((root.join(SNAPSHOTS).join(&input.settings.crate_dir), files));
        }
    }
    let mut dirs: Vec<_> = out.iter().map(|(d, _)| d).collect();
    dirs.sort();
    if let Some(w) = dirs.windows(2).find(|w| w[0] == w[1]) {
        return Err(Error::file(
            Stage::Load,
            &root.join("specs"),
            format!(
                "two specs generate the same crate directory {}",
                w[0].display()
            ),
        ));
    }
    Ok(out)
}

/// `cargo xtask regen`: generates every crate (and fixture snapshot) in memory, then writes
/// them. If any spec fails, nothing is written. Returns each crate directory and whether it
/// changed.
// Invariant (never a half-written crate): every crate is generated before any is written.
pub fn regen(root: &Path) -> Result<Vec<(PathBuf, bool)>> {
    let crates = generate_workspace(root)?;
    crates
        .iter()
        .map(|(dir, files)| emit::emit(files, dir).map(|changed| (dir.clone(), changed)))
        .collect()
}

/// `cargo xtask check`: what differs between the committed crates and regeneration.
pub fn check(root: &Path) -> Result<Vec<(PathBuf, Vec<Mismatch>)>> {
    Ok(generate_workspace(root)?
        .into_iter()
        .map(|(dir, files)| {
            let mismatches = compare(&files, &dir);
            (dir, mismatches)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect())
}

/// How [`generate_standalone`] names a crate, finds its settings and depends on the runtime.
#[derive(Debug, Clone, Copy, Default)]
pub struct Standalone<'a> {
    /// The package name (default: the settings', else one made from the spec's title).
    pub name: Option<&'a str>,
    /// The settings file (default: `<stem>.settings.yaml` beside the spec, if there is one).
    pub settings: Option<&'a Path>,
    /// A local copy of `finapi-runtime` to depend on by a relative path (default: the
    /// registry's, by version).
    pub runtime: Option<&'a Path>,
}

/// `finapi-codegen generate` (and `cargo xtask generate`): a standalone crate for any spec,
/// to be written to `out`. Uses the settings given, or those next to the spec when there are
/// some; otherwise the package is named after the spec's title. The crate depends on
/// `finapi-runtime` by version, or on a local copy by a path relative to `out`.
pub fn generate_standalone(spec: &Path, out: &Path, options: Standalone<'_>) -> Result<CrateFiles> {
    let Standalone {
        name,
        settings: settings_given,
        runtime,
    } = options;
    let settings_file = settings_given.map_or_else(|| load::settings_path(spec), Path::to_owned);
    let source = timings::stage("load", || load::load_spec(spec))?;
    let mut settings = if settings_given.is_some() || settings_file.is_file() {
        load::load_settings(&settings_file)?
    } else {
        let title = source
            .value
            .pointer("/info/title")
            .and_then(|t| t.as_str())
            .unwrap_or("api");
        Settings::for_package(&package_name_from_title(title))
    };
    if let Some(name) = name {
        settings.package = name.to_owned();
        settings
            .check()
            .map_err(|(_, message)| Error::file(Stage::Load, spec, format!("--name: {message}")))?;
    }
    let runtime = match runtime {
        None => RuntimeDependency::Registry,
        Some(dir) => RuntimeDependency::Path(load::runtime_path_from(dir, out)?),
    };
    let layout = Layout {
        runtime,
        standalone: true,
        spec_label: spec_label(spec),
        publish: true,
        repository: None,
    };
    let input = Input {
        source,
        settings,
        settings_file,
        examples: load::load_examples(spec)?,
    };
    build_crate(&input, &layout)
}

/// A Cargo package name made from a spec title: `Moov API` → `moov-api-client`.
pub fn package_name_from_title(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let mut name = words.join("-");
    if !name.starts_with(|c: char| c.is_ascii_alphabetic()) {
        name = format!("api-{name}");
    }
    format!("{}-client", name.trim_end_matches('-'))
}
