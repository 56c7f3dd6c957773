//! Tidy: the house rules, checked on the sources (as rust-analyzer's tidy test does).
//!
//! - Every hand-written Rust file opens with a `//!` doc saying what it is.
//! - No hand-written file passes 800 lines (past that it holds several concerns).
//! - The generator matches syntax as syntax: no `to_string()` of tokens to find code, and no
//!   `Result<_, String>` that drops where an error is.
//! - The runtime's modules import in one direction: no import circle. So do the generator's,
//!   folder by folder: no stage imports a later one back, and no child module imports its
//!   folder's own file (shared helpers live in a sibling).
//! - Every invariant of ARCHITECTURE.md is named where the code keeps it
//!   (`// Invariant (<name>): ...`) and in the codemap entry that keeps it.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[path = "tidy/imports.rs"]
mod imports;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

/// Directories that hold no hand-written source: build output, dependencies, generated crates
/// and snapshots, fixtures (data).
const SKIPPED: &[&str] = &[
    "target",
    "node_modules",
    ".git",
    "tests/snapshots",
    "tests/fixtures",
    "specs",
];

/// Whether a file opens with the generator's `@generated ... do not edit` line.
fn is_generated(text: &str) -> bool {
    let first = text.lines().next().unwrap_or_default();
    ["// @generated", "# @generated", "<!-- @generated"]
        .iter()
        .any(|p| first.starts_with(p))
}

/// The hand-written files of the workspace with one of `extensions`, relative to the root.
fn hand_written(extensions: &[&str]) -> Vec<(PathBuf, String)> {
    fn walk(root: &Path, dir: &Path, extensions: &[&str], out: &mut Vec<(PathBuf, String)>) {
        let Ok(entries) = std::fs::read_dir(dir) else {
            return;
        };
        let mut entries: Vec<_> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
        entries.sort();
        for path in entries {
            let relative = path.strip_prefix(root).expect("under the root").to_owned();
            if SKIPPED.iter().any(|s| relative == Path::new(s)) {
                continue;
            }
            if path.is_dir() {
                walk(root, &path, extensions, out);
            } else if path
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| extensions.contains(&e))
                && let Ok(text) = std::fs::read_to_string(&path)
                && !is_generated(&text)
            {
                out.push((relative, text));
            }
        }
    }
    let root = root();
    let mut out = Vec::new();
    walk(&root, &root, extensions, &mut out);
    assert!(out.len() > 50, "the walk found the sources");
    out
}

#[test]
fn every_source_file_says_what_it_is() {
    let missing: Vec<_> = hand_written(&["rs"])
        .into_iter()
        .filter(|(_, text)| {
            !text
                .lines()
                .find(|l| !l.trim().is_empty())
                .is_some_and(|l| l.starts_with("//!"))
        })
        .map(|(path, _)| path.display().to_string())
        .collect();
    assert!(missing.is_empty(), "no `//!` doc at the top of {missing:?}");
}

#[test]
fn no_hand_written_file_passes_800_lines() {
    let long: Vec<_> = hand_written(&["rs", "md", "toml", "sh"])
        .into_iter()
        .filter_map(|(path, text)| {
            let lines = text.lines().count();
            (lines > 800).then(|| format!("{} ({lines} lines)", path.display()))
        })
        .collect();
    assert!(long.is_empty(), "split these by concern: {long:?}");
}

/// `Result<T, String>` (the error a `String`), outside generated code's `::std::result::Result`.
fn string_errors(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("Result<") {
        if text[..at].ends_with("::std::result::") {
            continue;
        }
        let rest = &text[at + "Result<".len()..];
        let (mut depth, mut comma, mut end) = (0i32, None, None);
        for (i, c) in rest.char_indices() {
            match c {
                '<' | '(' => depth += 1,
                '>' | ')' if depth == 0 => {
                    end = Some(i);
                    break;
                }
                '>' | ')' => depth -= 1,
                ',' if depth == 0 => comma = Some(i),
                _ => {}
            }
        }
        if let (Some(comma), Some(end)) = (comma, end)
            && matches!(
                rest[comma + 1..end].trim(),
                "String" | "std::string::String"
            )
        {
            found.push(format!("Result<{}>", &rest[..end]));
        }
    }
    found
}

#[test]
fn the_generator_matches_syntax_as_syntax_and_locates_its_errors() {
    let mut offences = Vec::new();
    for (path, text) in hand_written(&["rs"]) {
        if !path.starts_with("codegen/src") {
            continue;
        }
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            for pattern in [
                ".to_string().contains(",
                ".to_string() ==",
                ".to_string().starts_with(",
                ".to_string().ends_with(",
                "to_token_stream().to_string()",
            ] {
                if code.contains(pattern) {
                    offences.push(format!("{}:{}: {pattern}", path.display(), n + 1));
                }
            }
        }
        for found in string_errors(&text) {
            offences.push(format!("{}: {found}", path.display()));
        }
    }
    assert!(offences.is_empty(), "{offences:#?}");
}

#[test]
fn string_errors_are_found() {
    assert_eq!(
        string_errors("fn f() -> std::result::Result<Vec<u8>, String> {}"),
        vec!["Result<Vec<u8>, String>"]
    );
    assert!(string_errors("fn f() -> Result<String> {}").is_empty());
    assert!(
        string_errors("quote!(-> ::std::result::Result<(), ::std::string::String>)").is_empty()
    );
}

/// The modules of the runtime crate each module imports (`crate::<module>`).
fn runtime_imports() -> BTreeMap<String, BTreeSet<String>> {
    let dir = root().join("crates/runtime/src");
    let modules: BTreeSet<String> = std::fs::read_dir(&dir)
        .expect("runtime sources")
        .filter_map(Result::ok)
        .filter_map(|e| {
            e.path()
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
        })
        .filter(|m| m != "lib")
        .collect();
    modules
        .iter()
        .map(|module| {
            // A module is a file, or a directory whose files are read together.
            let file = dir.join(format!("{module}.rs"));
            let text = if file.is_file() {
                std::fs::read_to_string(file).expect("read")
            } else {
                let mut files: Vec<_> = std::fs::read_dir(dir.join(module))
                    .expect("module directory")
                    .filter_map(Result::ok)
                    .map(|e| e.path())
                    .collect();
                files.sort();
                files
                    .iter()
                    .map(|f| std::fs::read_to_string(f).expect("read"))
                    .map(|t| {
                        t.split("#[cfg(test)]")
                            .next()
                            .unwrap_or_default()
                            .to_owned()
                    })
                    .collect::<Vec<_>>()
                    .join("\n")
            };
            // Tests may reach anywhere; the crate's code may not.
            let code = text.split("#[cfg(test)]").next().unwrap_or_default();
            let imports = modules
                .iter()
                .filter(|other| {
                    *other != module
                        && (code.contains(&format!("crate::{other}::"))
                            || code.contains(&format!("crate::{other};")))
                })
                .cloned()
                .collect();
            (module.clone(), imports)
        })
        .collect()
}

#[test]
fn the_runtime_imports_in_one_direction() {
    let imports = runtime_imports();
    assert!(imports.len() >= 10, "{imports:?}");
    // Depth-first search for a cycle.
    fn visit(
        module: &str,
        imports: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(at) = path.iter().position(|m| m == module) {
            let mut cycle = path[at..].to_vec();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        if !done.insert(module.to_owned()) {
            return None;
        }
        path.push(module.to_owned());
        for next in imports.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, imports, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    for module in imports.keys() {
        if let Some(cycle) = visit(module, &imports, &mut Vec::new(), &mut done) {
            panic!("import circle in the runtime: {}", cycle.join(" -> "));
        }
    }
}

#[test]
fn the_generator_imports_in_one_direction_folder_by_folder() {
    let graphs = imports::graphs(&root().join("codegen/src"));
    assert!(graphs.len() >= 10, "{:?}", graphs.keys());
    let root_graph = &graphs[Path::new("")];
    assert!(root_graph["normalize"].contains("model"), "{root_graph:?}");
    let circles: Vec<String> = graphs
        .iter()
        .filter_map(|(dir, graph)| {
            let circle = imports::circle(graph)?;
            Some(format!(
                "codegen/src/{}: {}",
                dir.display(),
                circle.join(" -> ")
            ))
        })
        .collect();
    assert!(
        circles.is_empty(),
        "import circles:\n{}",
        circles.join("\n")
    );
}

/// The invariants ARCHITECTURE.md lists: the bold name of each item of its `## Invariants`.
fn invariants(architecture: &str) -> Vec<String> {
    let section = architecture
        .split("## Invariants")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("ARCHITECTURE.md has an Invariants section");
    section
        .lines()
        .filter_map(|l| l.strip_prefix("- **"))
        .filter_map(|l| l.split("**").next())
        .map(|name| name.trim_end_matches(['.', ';']).to_owned())
        .collect()
}

/// Lower case, without backticks: how invariant names are compared.
fn plain(text: &str) -> String {
    text.replace('`', "").to_lowercase()
}

#[test]
fn every_invariant_is_named_where_it_is_kept_and_in_the_codemap() {
    let architecture =
        std::fs::read_to_string(root().join("ARCHITECTURE.md")).expect("ARCHITECTURE.md");
    let names = invariants(&architecture);
    assert!(names.len() >= 15, "{names:?}");
    let codemap = plain(
        architecture
            .split("## Codemap")
            .nth(1)
            .and_then(|s| s.split("\n## ").next())
            .expect("a codemap"),
    );
    let comments: String = hand_written(&["rs"])
        .iter()
        .flat_map(|(_, text)| text.lines())
        .filter_map(|l| l.trim_start().strip_prefix("// Invariant ("))
        .map(|l| format!("{}\n", plain(l)))
        .collect();
    let mut missing = Vec::new();
    for name in &names {
        let key = plain(name);
        if !comments.lines().any(|c| c.starts_with(&key)) {
            missing.push(format!("no `// Invariant ({name})` in the code"));
        }
        if !codemap.contains(&key) {
            missing.push(format!("the codemap does not say where `{name}` is kept"));
        }
    }
    assert!(missing.is_empty(), "{missing:#?}");
}

#[test]
fn generated_crates_require_the_runtime_version_of_this_checkout() {
    let manifest = std::fs::read_to_string(root().join("crates/runtime/Cargo.toml"))
        .expect("crates/runtime/Cargo.toml");
    let version = manifest
        .lines()
        .find_map(|l| l.strip_prefix("version = "))
        .map(|v| v.trim().trim_matches('"'))
        .expect("crates/runtime/Cargo.toml has a version line");
    assert_eq!(
        finapi_codegen::RUNTIME_VERSION,
        version,
        "bump RUNTIME_VERSION in codegen/src/package/mod.rs with finapi-runtime's version"
    );
}
