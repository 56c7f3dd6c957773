//! The one error type of the pipeline: what went wrong, in which file, at which node.

use std::fmt;
use std::path::{Path, PathBuf};

/// Which stage refused the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Reading the spec or its settings from disk.
    Load,
    /// Checking the spec before anything else sees it.
    Validate,
    /// Rewriting constructs progenitor cannot take.
    Normalize,
    /// progenitor (and typify) generating code.
    Generate,
    /// Rewriting progenitor's output with syn / quote.
    PostProcess,
    /// Assembling the crate's files (manifest, README, examples).
    Package,
    /// Writing the crate to disk.
    Emit,
}

impl fmt::Display for Stage {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Stage::Load => "load",
            Stage::Validate => "validate",
            Stage::Normalize => "normalize",
            Stage::Generate => "generate",
            Stage::PostProcess => "post-process",
            Stage::Package => "package",
            Stage::Emit => "emit",
        })
    }
}

/// A located error: the file, the JSON pointer of the node (or a line and column where the
/// file does not parse), and a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    /// The stage that refused the input.
    pub stage: Stage,
    /// The file at fault.
    pub file: PathBuf,
    /// The JSON pointer of the node at fault (`""` is the whole document).
    pub pointer: Option<String>,
    /// Line and column (1-based), where the file could not be parsed at all.
    pub line_col: Option<(usize, usize)>,
    /// What is wrong.
    pub message: String,
}

/// The pipeline's result type.
pub type Result<T, E = Error> = std::result::Result<T, E>;

impl Error {
    /// An error at the JSON pointer `pointer` of `file`.
    pub fn at(
        stage: Stage,
        file: &Path,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        Self {
            stage,
            file: file.to_owned(),
            pointer: Some(pointer.into()),
            line_col: None,
            message: message.into(),
        }
    }

    /// An error about `file` as a whole (an I/O failure, for instance).
    pub fn file(stage: Stage, file: &Path, message: impl Into<String>) -> Self {
        Self {
            stage,
            file: file.to_owned(),
            pointer: None,
            line_col: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file.display())?;
        if let Some((line, col)) = self.line_col {
            write!(f, ":{line}:{col}")?;
        }
        if let Some(pointer) = &self.pointer {
            write!(f, ": at #{pointer}")?;
        }
        write!(f, ": {} (stage: {})", self.message, self.stage)
    }
}

impl std::error::Error for Error {}

/// Escapes one JSON pointer token (RFC 6901).
pub fn escape_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}

/// Unescapes one JSON pointer token (RFC 6901): `~1` → `/`, then `~0` → `~`.
pub fn unescape_token(token: &str) -> String {
    token.replace("~1", "/").replace("~0", "~")
}

/// Joins tokens into a JSON pointer (RFC 6901).
pub fn pointer<'a>(tokens: impl IntoIterator<Item = &'a str>) -> String {
    tokens
        .into_iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect()
}

/// Where an error found while post-processing is located: the spec's file and the JSON pointer
/// of the node the code at fault comes from.
#[derive(Debug, Clone, Copy)]
pub(crate) struct At<'a> {
    /// The spec's file (or the part of it the node came from).
    pub(crate) file: &'a Path,
    /// The node's JSON pointer.
    pub(crate) pointer: &'a str,
}

impl<'a> At<'a> {
    /// The node at `pointer` of `file`.
    pub(crate) fn new(file: &'a Path, pointer: &'a str) -> Self {
        Self { file, pointer }
    }

    /// An error here.
    pub(crate) fn error(&self, message: impl Into<String>) -> Error {
        Error::at(Stage::PostProcess, self.file, self.pointer, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pointers_escape_slashes_and_tildes() {
        assert_eq!(pointer(["paths", "/a/{b}", "post"]), "/paths/~1a~1{b}/post");
        assert_eq!(pointer(["x~y"]), "/x~0y");
        assert_eq!(unescape_token("~01~1b"), "~1/b");
    }

    #[test]
    fn display_names_file_pointer_and_stage() {
        let e = Error::at(Stage::Validate, Path::new("specs/x.yaml"), "/paths", "bad");
        assert_eq!(
            e.to_string(),
            "specs/x.yaml: at #/paths: bad (stage: validate)"
        );
    }
}
