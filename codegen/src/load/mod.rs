//! Stage 1, load: read a spec (YAML or JSON) and its settings from disk, and bring the
//! files a split spec refers to into one document ([`bundle`]). One of the two stages that
//! touch the disk.

pub mod bundle;
mod document;
mod yaml;

use std::path::{Path, PathBuf};

use serde_json::Value;

pub use self::document::parse_document;
use crate::error::{Error, Result, Stage};
use crate::settings::Settings;

/// A spec as read from disk: where it came from, and its document tree.
#[derive(Debug, Clone)]
pub struct SpecSource {
    /// The file, as named in error messages.
    pub path: PathBuf,
    /// The document, converted to JSON values (YAML keys become strings), with the parts
    /// of a split spec brought in.
    pub value: Value,
    /// Which parts of `value` came from other files (empty for a one-file spec).
    pub origins: Vec<bundle::Origin>,
}

impl SpecSource {
    /// An error located in the bundled document, located in the file the user wrote.
    pub fn locate(&self, error: Error) -> Error {
        bundle::locate(&self.origins, &self.path, error)
    }
}

/// One spec with its settings and flows, loaded: what the pure pipeline takes.
#[derive(Debug, Clone)]
pub(crate) struct Input {
    /// The spec.
    pub(crate) source: SpecSource,
    /// Its settings.
    pub(crate) settings: Settings,
    /// Where the settings came from (for error messages).
    pub(crate) settings_file: PathBuf,
    /// The flows kept beside the spec.
    pub(crate) flows: Vec<Flow>,
}

/// Where a spec's settings come from.
#[derive(Debug, Clone)]
pub(crate) enum SettingsFrom {
    /// Given by the caller.
    Given(Box<Settings>),
    /// This file.
    File(PathBuf),
    /// `<stem>.settings.yaml` beside the spec if there is one, else made from its title.
    Beside,
}

/// Loads a spec, its settings and (with `flows`) the flows beside it: the one way every
/// front end (the CLI, `build.rs`, this repository's workspace) reads a spec. `name`
/// overrides the settings' package name, checked as the settings' own is.
pub(crate) fn input(
    spec: &Path,
    settings: SettingsFrom,
    name: Option<&str>,
    flows: bool,
) -> Result<Input> {
    let source = crate::timings::stage("load", || load_spec(spec))?;
    let beside = settings_path(spec);
    let (mut settings, settings_file) = match settings {
        SettingsFrom::Given(settings) => (*settings, beside),
        SettingsFrom::File(file) => (load_settings(&file)?, file),
        SettingsFrom::Beside if beside.is_file() => (load_settings(&beside)?, beside),
        SettingsFrom::Beside => {
            let title = source
                .value
                .pointer("/info/title")
                .and_then(|t| t.as_str())
                .unwrap_or("api");
            (
                Settings::for_package(&package_name_from_title(title)),
                beside,
            )
        }
    };
    if let Some(name) = name {
        settings.package = name.to_owned();
        settings
            .check()
            .map_err(|(_, message)| Error::file(Stage::Load, spec, format!("--name: {message}")))?;
    }
    let flows = if flows { load_flows(spec)? } else { Vec::new() };
    Ok(Input {
        source,
        settings,
        settings_file,
        flows,
    })
}

/// A Cargo package name made from a spec title: `Moov API` → `moov-api-client`.
pub(crate) fn package_name_from_title(title: &str) -> String {
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

/// Reads and parses one spec file.
// Invariant (only `load` and `emit` touch the disk): reading specs and settings is here.
pub fn load_spec(path: &Path) -> Result<SpecSource> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::file(Stage::Load, path, format!("cannot read the spec: {e}")))?;
    let value = parse_document(path, &text)?;
    let (value, origins) = bundle::bundle(path, value)?;
    Ok(SpecSource {
        path: path.to_owned(),
        value,
        origins,
    })
}

/// The value of `key = "..."` in the `[section]` of a Cargo manifest (a line scan: enough for
/// the manifests this project writes).
fn manifest_value(manifest: &str, section: &str, key: &str) -> Option<String> {
    let mut current = String::new();
    for line in manifest.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            current = name.trim().to_owned();
        } else if current == section
            && let Some((k, v)) = line.split_once('=')
            && k.trim() == key
        {
            return Some(v.trim().trim_matches('"').to_owned());
        }
    }
    None
}

/// The path, relative to the crate directory `out`, of the `finapi-runtime` crate at `dir`;
/// an error unless `dir` holds that crate.
// Invariant (crates build anywhere): the path written is relative to the crate's folder.
pub fn runtime_path_from(dir: &Path, out: &Path) -> Result<String> {
    let err = |message: String| Error::file(Stage::Load, dir, message);
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml"))
        .map_err(|e| err(format!("--runtime-path: no Cargo.toml there ({e})")))?;
    if manifest_value(&manifest, "package", "name").as_deref() != Some("finapi-runtime") {
        return Err(err(
            "--runtime-path: the crate there is not finapi-runtime".into()
        ));
    }
    let runtime = dir
        .canonicalize()
        .map_err(|e| err(format!("--runtime-path: {e}")))?;
    let out = canonical_to_be(out).map_err(|e| {
        Error::file(
            Stage::Load,
            out,
            format!("cannot resolve the output folder: {e}"),
        )
    })?;
    Ok(relative(&out, &runtime).display().to_string())
}

/// `path` made absolute, its longest existing ancestor resolved (links followed), the rest
/// appended: the path a folder will have once created.
fn canonical_to_be(path: &Path) -> std::io::Result<PathBuf> {
    let path = bundle::lexical(&std::path::absolute(path)?);
    let mut existing = path.as_path();
    let mut rest = Vec::new();
    while !existing.exists() {
        rest.push(existing.file_name().unwrap_or_default().to_owned());
        existing = existing.parent().unwrap_or(Path::new("/"));
    }
    let mut out = existing.canonicalize()?;
    out.extend(rest.iter().rev());
    Ok(out)
}

/// The path from the folder `from` to `to` (both absolute, resolved): `../runtime`.
fn relative(from: &Path, to: &Path) -> PathBuf {
    let (from, to): (Vec<_>, Vec<_>) = (from.components().collect(), to.components().collect());
    let common = from.iter().zip(&to).take_while(|(a, b)| a == b).count();
    let mut out = PathBuf::new();
    for _ in common..from.len() {
        out.push("..");
    }
    for c in &to[common..] {
        out.push(c);
    }
    out
}

/// The settings file that belongs to a spec: `specs/moov.yaml` → `specs/moov.settings.yaml`.
pub fn settings_path(spec: &Path) -> PathBuf {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.settings.yaml"))
}

/// The folder of hand-written examples beside a spec: `<stem>.examples/`.
pub fn examples_dir(spec: &Path) -> PathBuf {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.examples"))
}

/// A whole flow written by hand beside a spec (`<stem>.examples/<name>.rs`), copied into the
/// crate's `examples/` and listed in its README.
#[derive(Debug, Clone)]
pub(crate) struct Flow {
    /// Its name: its file's stem, the cargo example's name.
    pub(crate) name: String,
    /// Its file, for errors.
    pub(crate) file: PathBuf,
    /// Its code.
    pub(crate) code: String,
    /// What it does: the first line of its `//!` doc.
    pub(crate) what: String,
}

impl Flow {
    /// A flow from its file: it must open with a `//!` line that says what it does (the
    /// README lists it).
    pub(crate) fn new(name: String, file: PathBuf, code: String) -> Result<Flow> {
        let what = code
            .lines()
            .find_map(|l| l.strip_prefix("//!"))
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .ok_or_else(|| {
                Error::file(
                    Stage::Load,
                    &file,
                    "a flow example starts with a `//!` line that says what it does",
                )
            })?
            .to_owned();
        Ok(Flow {
            name,
            file,
            code,
            what,
        })
    }
}

/// The flows kept beside a spec, by name, in name order; none where there is no such
/// folder. Each must be named in snake_case and open with a `//!` line that says what it
/// does (the README lists it); a located error otherwise.
pub(crate) fn load_flows(spec: &Path) -> Result<Vec<Flow>> {
    let dir = examples_dir(spec);
    if !dir.is_dir() {
        return Ok(Vec::new());
    }
    let err = |e: std::io::Error| Error::file(Stage::Load, &dir, format!("cannot read: {e}"));
    let mut flows = Vec::new();
    for entry in std::fs::read_dir(&dir).map_err(err)? {
        let path = entry.map_err(err)?.path();
        if path.extension().and_then(|e| e.to_str()) != Some("rs") {
            continue;
        }
        let name = path
            .file_stem()
            .and_then(|s| s.to_str())
            .filter(|n| {
                n.starts_with(|c: char| c.is_ascii_lowercase())
                    && n.chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
            })
            .ok_or_else(|| {
                Error::file(
                    Stage::Load,
                    &path,
                    "an example's file name must be snake_case (it names a cargo example)",
                )
            })?
            .to_owned();
        let code = std::fs::read_to_string(&path)
            .map_err(|e| Error::file(Stage::Load, &path, format!("cannot read: {e}")))?;
        flows.push(Flow::new(name, path, code)?);
    }
    flows.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(flows)
}

/// Reads a settings file.
pub fn load_settings(path: &Path) -> Result<Settings> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| Error::file(Stage::Load, path, format!("cannot read the settings: {e}")))?;
    let value = parse_document(path, &text)?;
    let settings: Settings = serde_path_to_error::deserialize(&value).map_err(|e| {
        Error::at(
            Stage::Load,
            path,
            path_to_pointer(e.path()),
            e.inner().to_string(),
        )
    })?;
    settings
        .check()
        .map_err(|(pointer, message)| Error::at(Stage::Load, path, pointer, message))?;
    Ok(settings)
}

/// Turns a serde_path_to_error path into a JSON pointer.
pub fn path_to_pointer(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => out.push_str(&format!("/{index}")),
            Segment::Map { key } => {
                out.push('/');
                out.push_str(&crate::error::escape_token(key));
            }
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_between_folders_are_relative() {
        assert_eq!(
            relative(Path::new("/a/b/crate"), Path::new("/a/runtime")),
            Path::new("../../runtime")
        );
        assert_eq!(
            relative(Path::new("/w/crates/moov"), Path::new("/w/crates/runtime")),
            Path::new("../runtime")
        );
        assert_eq!(relative(Path::new("/x"), Path::new("/x/y")), Path::new("y"));
    }

    #[test]
    fn manifest_values_are_read_from_their_section() {
        let manifest = "[package]\nname = \"finapi-runtime\"\n[workspace.package]\nrepository = \"https://example.test/r\"\n";
        assert_eq!(
            manifest_value(manifest, "package", "name").as_deref(),
            Some("finapi-runtime")
        );
        assert_eq!(
            manifest_value(manifest, "workspace.package", "repository").as_deref(),
            Some("https://example.test/r")
        );
        assert_eq!(manifest_value(manifest, "package", "repository"), None);
    }

    #[test]
    fn numeric_and_boolean_keys_become_strings() {
        let v = parse_document(
            Path::new("x.yaml"),
            "responses:\n  200: {description: ok}\n  true: 1\n",
        )
        .expect("parse");
        assert_eq!(v["responses"]["200"]["description"], "ok");
        assert_eq!(v["responses"]["true"], 1);
    }

    #[test]
    fn yaml_errors_carry_line_and_column() {
        let e = parse_document(Path::new("x.yaml"), "a: [1, 2\nb: c\n").unwrap_err();
        assert!(e.line_col.is_some(), "{e}");
        assert!(e.message.starts_with("invalid YAML"), "{e}");
    }

    #[test]
    fn duplicate_keys_are_located() {
        let e = parse_document(Path::new("x.yaml"), "a:\n  b: 1\n  b: 2\n").unwrap_err();
        assert_eq!(e.file, Path::new("x.yaml"), "{e}");
        assert!(e.message.contains("duplicate"), "{e}");
    }

    #[test]
    fn empty_files_are_refused() {
        let e = parse_document(Path::new("x.yaml"), "  \n").unwrap_err();
        assert_eq!(e.message, "the file is empty");
    }
}
