//! This repository's generated crates, as policy: `specs/<name>.yaml` (with its settings
//! beside it) becomes `crates/<crate_dir>/`, a workspace member depending on `../runtime`;
//! each fixture spec of `tests/fixtures/specs/` becomes a snapshot crate under
//! `tests/snapshots/`. `regen` generates every crate in memory before writing any; `check`
//! compares them with what is committed, through `CrateFiles::compare`, the one comparison.

use std::path::{Path, PathBuf};

use finapi_codegen::{Builder, CrateFiles, Mismatch, RuntimeDependency};

/// The fixture specs, each exercising one capability of the generator.
pub const FIXTURE_SPECS: &str = "tests/fixtures/specs";
/// Where the fixture specs' crates go (workspace members: they compile in CI).
pub const SNAPSHOTS: &str = "tests/snapshots";

/// What went wrong, with where: a spec refused (the generator's located error), or the
/// workspace not as this policy expects.
#[derive(Debug)]
pub enum Error {
    /// The generator refused a spec.
    Generator(finapi_codegen::Error),
    /// A folder or file of the workspace.
    Workspace {
        /// Where.
        path: PathBuf,
        /// What.
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Generator(e) => e.fmt(f),
            Error::Workspace { path, message } => write!(f, "{}: {message}", path.display()),
        }
    }
}

impl std::error::Error for Error {}

impl From<finapi_codegen::Error> for Error {
    fn from(e: finapi_codegen::Error) -> Self {
        Error::Generator(e)
    }
}

fn workspace_error(path: &Path, message: impl Into<String>) -> Error {
    Error::Workspace {
        path: path.to_owned(),
        message: message.into(),
    }
}

/// The specs of a folder that have settings, sorted by file name: (spec, settings). A spec
/// without its settings file is an error.
pub fn discover(specs_dir: &Path) -> Result<Vec<(PathBuf, PathBuf)>, Error> {
    let entries = std::fs::read_dir(specs_dir)
        .map_err(|e| workspace_error(specs_dir, format!("cannot list specs: {e}")))?;
    let mut specs = Vec::new();
    for entry in entries {
        let path = entry
            .map_err(|e| workspace_error(specs_dir, format!("cannot list specs: {e}")))?
            .path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        let is_spec = [".yaml", ".yml", ".json"]
            .iter()
            .any(|ext| name.ends_with(ext))
            && !name.contains(".settings.");
        if is_spec {
            let settings = settings_path(&path);
            if !settings.is_file() {
                return Err(workspace_error(
                    &path,
                    format!("no settings file: expected {}", settings.display()),
                ));
            }
            specs.push((path, settings));
        }
    }
    specs.sort();
    Ok(specs)
}

/// The settings file beside a spec: `specs/moov.yaml` → `specs/moov.settings.yaml`.
pub fn settings_path(spec: &Path) -> PathBuf {
    let stem = spec
        .file_stem()
        .and_then(|s| s.to_str())
        .unwrap_or_default();
    spec.with_file_name(format!("{stem}.settings.yaml"))
}

/// What the workspace reads of a spec's settings: where its crate goes and its package.
/// (The generator reads and checks the whole file.)
#[derive(Debug, Clone, serde::Deserialize)]
pub struct Names {
    /// The crate's folder under `crates/` (or `tests/snapshots/`).
    pub crate_dir: String,
    /// The package's name.
    pub package: String,
}

/// The names a spec's settings give its crate.
pub fn names_of(spec: &Path) -> Result<Names, Error> {
    let path = settings_path(spec);
    let text = std::fs::read_to_string(&path)
        .map_err(|e| workspace_error(&path, format!("cannot read: {e}")))?;
    serde_yaml::from_str(&text).map_err(|e| workspace_error(&path, e.to_string()))
}

/// The `repository` of the workspace's `[workspace.package]`, if it names one (a line scan:
/// enough for this repository's manifest).
pub fn workspace_repository(root: &Path) -> Result<Option<String>, Error> {
    let path = root.join("Cargo.toml");
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(workspace_error(&path, format!("cannot read: {e}"))),
    };
    let mut section = String::new();
    for line in text.lines().map(str::trim) {
        if let Some(name) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            section = name.trim().to_owned();
        } else if section == "workspace.package"
            && let Some((key, value)) = line.split_once('=')
            && key.trim() == "repository"
        {
            return Ok(Some(value.trim().trim_matches('"').to_owned()));
        }
    }
    Ok(None)
}

/// How a provider spec of `specs/` is generated: a publishable workspace member beside the
/// runtime crate, strict (a construct the generator cannot type is an error: the specs are
/// ours to write typed).
pub fn provider(spec: &Path) -> Builder {
    Builder::new(spec)
        .runtime(RuntimeDependency::Path("../runtime".to_owned()))
        .standalone(false)
        .strict(true)
}

/// How a fixture spec is generated: a snapshot crate, never published, three folders below
/// the runtime's parent; not strict (a fixture may show what is given up, and how).
pub fn fixture(spec: &Path) -> Builder {
    Builder::new(spec)
        .runtime(RuntimeDependency::Path(
            "../../../crates/runtime".to_owned(),
        ))
        .standalone(false)
        .publishable(false)
}

/// Every crate of the workspace at `root`, generated in memory: (crate directory, files).
pub fn generate_workspace(root: &Path) -> Result<Vec<(PathBuf, CrateFiles)>, Error> {
    let mut out = Vec::new();
    let repository = workspace_repository(root)?;
    for (spec, _) in discover(&root.join("specs"))? {
        let mut builder = provider(&spec);
        if let Some(url) = &repository {
            builder = builder.repository(url.clone());
        }
        let crate_dir = names_of(&spec)?.crate_dir;
        out.push((
            root.join("crates").join(crate_dir),
            builder.generate_crate()?,
        ));
    }
    let fixtures = root.join(FIXTURE_SPECS);
    if fixtures.is_dir() {
        for (spec, _) in discover(&fixtures)? {
            let crate_dir = names_of(&spec)?.crate_dir;
            let files = fixture(&spec).generate_crate()?;
            out.push((root.join(SNAPSHOTS).join(crate_dir), files));
        }
    }
    let mut dirs: Vec<_> = out.iter().map(|(d, _)| d).collect();
    dirs.sort();
    if let Some(w) = dirs.windows(2).find(|w| w[0] == w[1]) {
        return Err(workspace_error(
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
/// them; if any spec fails, nothing is written. Each crate directory, and whether it changed.
// Invariant (never a half-written crate): every crate is generated before any is written.
pub fn regen(root: &Path) -> Result<Vec<(PathBuf, bool)>, Error> {
    let crates = generate_workspace(root)?;
    crates
        .iter()
        .map(|(dir, files)| {
            files
                .write_to(dir)
                .map(|changed| (dir.clone(), changed))
                .map_err(Error::from)
        })
        .collect()
}

/// `cargo xtask check`: what differs between the committed crates and regeneration.
pub fn check(root: &Path) -> Result<Vec<(PathBuf, Vec<Mismatch>)>, Error> {
    Ok(generate_workspace(root)?
        .into_iter()
        .map(|(dir, files)| {
            let mismatches = files.compare(&dir);
            (dir, mismatches)
        })
        .filter(|(_, m)| !m.is_empty())
        .collect())
}
