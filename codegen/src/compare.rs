//! The one comparison between generated files and files on disk
//! ([`CrateFiles::compare`]). `cargo xtask check` and the snapshot tests both call it, so
//! they cannot disagree.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use crate::package::CrateFiles;

/// How one file differs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Mismatch {
    /// Generated, but not on disk.
    Missing(PathBuf),
    /// On disk, but not generated.
    Extra(PathBuf),
    /// On disk with other content; the unified diff from disk to generated.
    Differs(PathBuf, String),
}

impl CrateFiles {
    /// How the folder `dir` differs from the crate (empty: it is the crate).
    // Invariant (one comparison): `cargo xtask check` and the snapshot tests both call this.
    pub fn compare(&self, dir: &Path) -> Vec<Mismatch> {
        compare(self, dir)
    }
}

/// Compares what would be generated with the directory `dir`. Empty means identical.
pub(crate) fn compare(expected: &CrateFiles, dir: &Path) -> Vec<Mismatch> {
    let mut out = Vec::new();
    for (rel, want) in &expected.files {
        match std::fs::read_to_string(dir.join(rel)) {
            Ok(have) if have == *want => {}
            Ok(have) => out.push(Mismatch::Differs(
                rel.clone(),
                unified_diff(rel, &have, want),
            )),
            Err(_) => out.push(Mismatch::Missing(rel.clone())),
        }
    }
    let mut on_disk = Vec::new();
    list_files(dir, Path::new(""), &mut on_disk);
    for rel in on_disk {
        if !expected.files.contains_key(&rel) {
            out.push(Mismatch::Extra(rel));
        }
    }
    out
}

fn list_files(root: &Path, rel: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(root.join(rel)) else {
        return;
    };
    let mut entries: Vec<_> = entries.filter_map(|e| e.ok()).collect();
    entries.sort_by_key(|e| e.file_name());
    for entry in entries {
        let name = entry.file_name();
        if name == "target" || name == "Cargo.lock" {
            continue;
        }
        let child = rel.join(&name);
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            list_files(root, &child, out);
        } else {
            out.push(child);
        }
    }
}

/// A unified diff, `a/` being the file on disk and `b/` what generation produces.
pub fn unified_diff(path: &Path, old: &str, new: &str) -> String {
    let name = path.display().to_string();
    similar::TextDiff::from_lines(old, new)
        .unified_diff()
        .context_radius(3)
        .header(&format!("a/{name}"), &format!("b/{name}"))
        .to_string()
}

/// A readable report of the mismatches of the crate in `dir`.
pub fn render(dir: &Path, mismatches: &[Mismatch]) -> String {
    let mut out = String::new();
    for m in mismatches {
        match m {
            Mismatch::Missing(p) => {
                let _ = writeln!(
                    out,
                    "{}: missing (generation writes it)",
                    dir.join(p).display()
                );
            }
            Mismatch::Extra(p) => {
                let _ = writeln!(
                    out,
                    "{}: not generated (remove it, or regenerate)",
                    dir.join(p).display()
                );
            }
            Mismatch::Differs(p, diff) => {
                let _ = writeln!(
                    out,
                    "{}: differs from what generation writes:",
                    dir.join(p).display()
                );
                out.push_str(diff);
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_missing_extra_and_changed_files() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir_all(dir.path().join("src")).expect("mkdir");
        std::fs::write(dir.path().join("src/lib.rs"), "a\nb\nc\n").expect("write");
        std::fs::write(dir.path().join("stale.rs"), "x").expect("write");
        let mut expected = CrateFiles::default();
        expected
            .files
            .insert("src/lib.rs".into(), "a\nB\nc\n".into());
        expected.files.insert("Cargo.toml".into(), "".into());
        let m = compare(&expected, dir.path());
        assert_eq!(m.len(), 3, "{m:?}");
        assert!(m.contains(&Mismatch::Missing("Cargo.toml".into())));
        assert!(m.contains(&Mismatch::Extra("stale.rs".into())));
        let diff = m
            .iter()
            .find_map(|m| match m {
                Mismatch::Differs(_, d) => Some(d.clone()),
                _ => None,
            })
            .expect("a diff");
        assert!(diff.contains("--- a/src/lib.rs"), "{diff}");
        assert!(diff.contains("-b\n+B\n"), "{diff}");
    }

    #[test]
    fn identical_trees_compare_clean() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("Cargo.toml"), "x").expect("write");
        let mut expected = CrateFiles::default();
        expected.files.insert("Cargo.toml".into(), "x".into());
        assert!(compare(&expected, dir.path()).is_empty());
    }
}
