//! Stage 7, emit: write crates to disk, all or nothing. The other stage that touches the disk.
//!
//! A crate is written into a fresh sibling directory, then swapped in by renames, so that a
//! failure never leaves a half-written crate. A crate that would not change is not touched
//! (its files keep their modification times, which spares cargo a rebuild).

use std::path::{Path, PathBuf};

use crate::compare::compare;
use crate::error::{Error, Result, Stage};
use crate::package::CrateFiles;

/// Writes `content` as the file `path` (a sibling first, renamed over it), unless it already
/// holds that; returns whether it changed. For `build.rs` outputs, whose modification time
/// cargo watches.
pub fn write_file(path: &Path, content: &str) -> Result<bool> {
    if std::fs::read_to_string(path).is_ok_and(|old| old == content) {
        return Ok(false);
    }
    let io = |what: &str, e: std::io::Error| {
        Error::file(Stage::Emit, path, format!("cannot {what}: {e}"))
    };
    let staging = path.with_extension("rs.new");
    std::fs::write(&staging, content).map_err(|e| io("write", e))?;
    std::fs::rename(&staging, path).map_err(|e| {
        let _ = std::fs::remove_file(&staging);
        io("replace", e)
    })?;
    Ok(true)
}

impl CrateFiles {
    /// Writes the crate as the folder `dir`, all or nothing: into a sibling folder first,
    /// swapped in by rename; a crate that would not change is not touched. Returns whether
    /// anything changed.
    pub fn write_to(&self, dir: &Path) -> Result<bool> {
        emit(self, dir)
    }
}

/// Writes `files` as the directory `dir`; returns whether anything changed.
// Invariant (only `load` and `emit` touch the disk): writing a crate is here.
// Invariant (never a half-written crate): the crate is written into a sibling directory and
// swapped in by rename.
pub fn emit(files: &CrateFiles, dir: &Path) -> Result<bool> {
    if dir.is_dir() && compare(files, dir).is_empty() {
        return Ok(false);
    }
    let io = |path: &Path, what: &str, e: std::io::Error| {
        Error::file(Stage::Emit, path, format!("cannot {what}: {e}"))
    };
    let parent = dir
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    std::fs::create_dir_all(parent).map_err(|e| io(parent, "create the directory", e))?;
    let name = dir
        .file_name()
        .and_then(|n| n.to_str())
        .ok_or_else(|| Error::file(Stage::Emit, dir, "the output directory has no name"))?;
    let staging = sibling(parent, name, "new");
    let _ = std::fs::remove_dir_all(&staging);
    let written = (|| {
        for (rel, content) in &files.files {
            let path = staging.join(rel);
            if let Some(p) = path.parent() {
                std::fs::create_dir_all(p).map_err(|e| io(p, "create the directory", e))?;
            }
            std::fs::write(&path, content).map_err(|e| io(&path, "write", e))?;
        }
        Ok(())
    })();
    if let Err(e) = written {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(e);
    }
    let old = sibling(parent, name, "old");
    let _ = std::fs::remove_dir_all(&old);
    let had_old = dir.exists();
    if had_old {
        if let Err(e) = std::fs::rename(dir, &old) {
            let _ = std::fs::remove_dir_all(&staging);
            return Err(io(dir, "move the previous crate aside", e));
        }
        // Keep the build directory of a standalone crate: generation does not own it.
        let target = old.join("target");
        if target.exists() {
            let _ = std::fs::rename(&target, staging.join("target"));
        }
    }
    if let Err(e) = std::fs::rename(&staging, dir) {
        if had_old {
            let _ = std::fs::rename(&old, dir);
        }
        let _ = std::fs::remove_dir_all(&staging);
        return Err(io(dir, "move the new crate into place", e));
    }
    if had_old {
        let _ = std::fs::remove_dir_all(&old);
    }
    Ok(true)
}

fn sibling(parent: &Path, name: &str, what: &str) -> PathBuf {
    parent.join(format!(".{name}.{what}-{}", std::process::id()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(content: &str) -> CrateFiles {
        let mut f = CrateFiles::default();
        f.files.insert("src/lib.rs".into(), content.into());
        f.files.insert("Cargo.toml".into(), "[package]".into());
        f
    }

    #[test]
    fn replaces_the_whole_directory_and_reports_changes() {
        let tmp = tempfile::tempdir().expect("tempdir");
        let dir = tmp.path().join("crates/x");
        assert!(emit(&files("one"), &dir).expect("first"));
        std::fs::write(dir.join("stale.rs"), "old").expect("write");
        assert!(emit(&files("two"), &dir).expect("second"));
        assert_eq!(
            std::fs::read_to_string(dir.join("src/lib.rs")).expect("read"),
            "two"
        );
        assert!(!dir.join("stale.rs").exists());
        assert!(
            !emit(&files("two"), &dir).expect("third"),
            "unchanged crates are not rewritten"
        );
        let leftovers: Vec<_> = std::fs::read_dir(tmp.path().join("crates"))
            .expect("list")
            .map(|e| e.expect("entry").file_name())
            .collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("x")]);
    }
}
