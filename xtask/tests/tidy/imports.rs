//! The import graph of a crate's modules, read as syntax (syn): which module names which,
//! folder by folder, for the no-circle rule. Paths are read from `use` items and from code
//! (never from macro bodies such as `quote!`, whose paths are the generated code's), with
//! comments and `#[cfg(test)]` items left out: tests may reach anywhere.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use syn::visit::Visit;

/// One folder's graph: its child modules (a file, or a subfolder read whole) and `mod` (the
/// folder's own `mod.rs` or `lib.rs`), each with the siblings it names. A child that names an
/// item of its folder's own file imports `mod`: upward.
pub type Graph = BTreeMap<String, BTreeSet<String>>;

/// Every folder of the crate rooted at `src` with its graph, by path relative to `src`.
pub fn graphs(src: &Path) -> BTreeMap<PathBuf, Graph> {
    let mut out = BTreeMap::new();
    let mut dirs = vec![src.to_owned()];
    while let Some(dir) = dirs.pop() {
        let module: Vec<String> = dir
            .strip_prefix(src)
            .expect("under src")
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        let children = children(&dir);
        let mut graph: Graph = children
            .keys()
            .map(|k| (k.clone(), BTreeSet::new()))
            .collect();
        for (node, files) in &children {
            for file in files {
                for path in references(src, file) {
                    let Some(rest) = path.strip_prefix(module.as_slice()) else {
                        continue;
                    };
                    let Some(next) = rest.first() else { continue };
                    if children.contains_key(next) {
                        if next != node {
                            graph.get_mut(node).expect("node").insert(next.clone());
                        }
                    } else if node != "mod" && children.contains_key("mod") {
                        graph.get_mut(node).expect("node").insert("mod".to_owned());
                    }
                }
            }
        }
        out.insert(dir.strip_prefix(src).expect("under src").to_owned(), graph);
        for entry in std::fs::read_dir(&dir)
            .expect("folder")
            .filter_map(Result::ok)
        {
            if entry.path().is_dir() {
                dirs.push(entry.path());
            }
        }
    }
    out
}

/// A circle in a graph, if there is one: the modules along it, the first repeated at the end.
pub fn circle(graph: &Graph) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &Graph,
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
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|m| visit(m, graph, &mut Vec::new(), &mut done))
}

/// A folder's child modules and their files: `x.rs`, or `x/` read whole; `mod` for the
/// folder's own `mod.rs` / `lib.rs` (a binary's `main.rs` is no module of the library).
fn children(dir: &Path) -> BTreeMap<String, Vec<PathBuf>> {
    let mut out: BTreeMap<String, Vec<PathBuf>> = BTreeMap::new();
    for entry in std::fs::read_dir(dir)
        .expect("folder")
        .filter_map(Result::ok)
    {
        let path = entry.path();
        let name = entry.file_name().to_string_lossy().into_owned();
        if path.is_dir() {
            out.entry(name).or_default().extend(rust_files(&path));
        } else if let Some(stem) = name.strip_suffix(".rs") {
            let key = match stem {
                "mod" | "lib" => "mod",
                "main" => continue,
                other => other,
            };
            out.entry(key.to_owned()).or_default().push(path);
        }
    }
    out
}

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)
        .expect("folder")
        .filter_map(Result::ok)
    {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out
}

/// The module path of a file: `webhooks/render.rs` → `[webhooks, render]`,
/// `webhooks/mod.rs` → `[webhooks]`, `lib.rs` → `[]`.
fn module_of(src: &Path, file: &Path) -> Vec<String> {
    let mut parts: Vec<String> = file
        .strip_prefix(src)
        .expect("under src")
        .with_extension("")
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    if matches!(
        parts.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        parts.pop();
    }
    parts
}

/// Every crate-relative module path a file names outside its tests, made absolute.
fn references(src: &Path, file: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(file).expect("read");
    let Ok(syntax) = syn::parse_file(&text) else {
        panic!("{} does not parse", file.display());
    };
    let mut visitor = Paths {
        module: module_of(src, file),
        children: syntax
            .items
            .iter()
            .filter_map(|item| match item {
                syn::Item::Mod(m) => Some(m.ident.to_string()),
                _ => None,
            })
            .collect(),
        found: Vec::new(),
    };
    visitor.visit_file(&syntax);
    visitor.found
}

struct Paths {
    module: Vec<String>,
    /// Modules this file declares: a bare `x::` names one of them.
    children: BTreeSet<String>,
    found: Vec<Vec<String>>,
}

impl Paths {
    /// A path's segments made absolute, where it starts at the crate, a parent, this module or
    /// one of its children.
    fn absolute(&self, segments: &[String]) -> Option<Vec<String>> {
        let first = segments.first()?;
        let (mut base, rest) = match first.as_str() {
            "crate" => (Vec::new(), &segments[1..]),
            "self" => (self.module.clone(), &segments[1..]),
            "super" => {
                let mut base = self.module.clone();
                let mut rest = segments;
                while rest.first().map(String::as_str) == Some("super") {
                    base.pop();
                    rest = &rest[1..];
                }
                (base, rest)
            }
            name if self.children.contains(name) => (self.module.clone(), segments),
            _ => return None,
        };
        base.extend(rest.iter().take(1).cloned());
        Some(base)
    }

    fn record(&mut self, segments: Vec<String>) {
        if let Some(path) = self.absolute(&segments) {
            self.found.push(path);
        }
    }
}

fn is_test(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| {
        a.path().is_ident("cfg")
            && a.parse_args::<syn::Meta>()
                .is_ok_and(|m| m.path().is_ident("test"))
    })
}

/// The paths a `use` tree names: `a::{b, c::d}` → `a::b`, `a::c::d`.
fn use_paths(tree: &syn::UseTree, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    match tree {
        syn::UseTree::Path(p) => {
            prefix.push(p.ident.to_string());
            use_paths(&p.tree, prefix, out);
            prefix.pop();
        }
        syn::UseTree::Name(n) => {
            let mut path = prefix.clone();
            path.push(n.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Rename(r) => {
            let mut path = prefix.clone();
            path.push(r.ident.to_string());
            out.push(path);
        }
        syn::UseTree::Glob(_) => out.push(prefix.clone()),
        syn::UseTree::Group(g) => {
            for tree in &g.items {
                use_paths(tree, prefix, out);
            }
        }
    }
}

impl<'ast> Visit<'ast> for Paths {
    fn visit_item_mod(&mut self, item: &'ast syn::ItemMod) {
        if !is_test(&item.attrs) {
            syn::visit::visit_item_mod(self, item);
        }
    }

    fn visit_item_fn(&mut self, item: &'ast syn::ItemFn) {
        if !is_test(&item.attrs) {
            syn::visit::visit_item_fn(self, item);
        }
    }

    fn visit_item_use(&mut self, item: &'ast syn::ItemUse) {
        if is_test(&item.attrs) {
            return;
        }
        let mut paths = Vec::new();
        use_paths(&item.tree, &mut Vec::new(), &mut paths);
        for path in paths {
            self.record(path);
        }
    }

    fn visit_path(&mut self, path: &'ast syn::Path) {
        let segments: Vec<String> = path.segments.iter().map(|s| s.ident.to_string()).collect();
        if segments.len() > 1 {
            self.record(segments);
        }
        syn::visit::visit_path(self, path);
    }

    fn visit_attribute(&mut self, _: &'ast syn::Attribute) {
        // Docs and attributes name no module the code depends on.
    }
}
