//! Stage 1, load (part two): a spec split over several files becomes one document.
//!
//! Every `$ref` that names another file (`schemas/card.yaml`, `../common.yaml#/Money`) is
//! read relative to the file it appears in, and brought into the root document:
//!
//! - a schema becomes a component under `components/schemas` (named after the last token of
//!   its pointer, or the file's stem, made unique), and the `$ref` points at it. A root
//!   component that is only a `$ref` to a file gives that file its name. Each target becomes
//!   one component however many files refer to it, so recursive schemas stay recursive;
//! - anything else (a path item, a response, a parameter...) is inlined where it was used.
//!
//! Inside another file, `#/...` means that file. References that come back to the root file
//! become local. Remote references (`https://...`) are refused: the generator reads no
//! network. Where each piece came from is kept ([`Origin`]), so later errors name the file
//! and pointer the user wrote.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Component, Path, PathBuf};

use serde_json::{Map, Value};

use crate::error::{Error, Result, Stage, escape_token, unescape_token};
use crate::names;

/// A part of the bundled document that came from another file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// The JSON pointer of the part in the bundled document.
    pub at: String,
    /// The file it was read from.
    pub file: PathBuf,
    /// Its JSON pointer in that file.
    pub pointer: String,
}

/// Where a node sits, which decides what a `$ref` in it means.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Ctx {
    /// Part of the OpenAPI document's own structure.
    Doc,
    /// A schema.
    Schema,
    /// A map of schemas (`properties`).
    SchemaMap,
    /// A list of schemas (`allOf`).
    SchemaList,
    /// Example or default data: `$ref` here is data, not a reference.
    Data,
}

/// One node being visited: the file it comes from (canonical), the file as shown to users,
/// its pointer in that file, and its pointer in the bundled document.
struct Place<'a> {
    file: &'a Path,
    shown: &'a Path,
    src: String,
    at: String,
}

struct Bundler {
    root: PathBuf,
    root_shown: PathBuf,
    /// Every file read, by canonical path: (the path as first reached, its document).
    files: BTreeMap<PathBuf, (PathBuf, Value)>,
    /// Schema targets (canonical file, pointer) → their component key.
    names: BTreeMap<(PathBuf, String), String>,
    /// Component keys in use.
    taken: BTreeSet<String>,
    /// Components that are a root component's `$ref`: filled in where that component is.
    owned_by_root: BTreeSet<String>,
    /// Components already filled in (or being filled in).
    filled: BTreeSet<String>,
    /// New components, in the order they were met.
    new_schemas: Vec<(String, Value)>,
    /// Non-schema targets being inlined (a cycle among them cannot be inlined).
    inlining: Vec<(PathBuf, String)>,
    origins: Vec<Origin>,
}

/// Brings every part of a split spec into the root document `value` read from `path`.
/// A document without references to other files comes back unchanged, with no origins.
// Invariant (split specs are one document after load): every reference to another file is
// brought in (or refused) here; `locate` maps later errors back to the part's file.
pub fn bundle(path: &Path, mut value: Value) -> Result<(Value, Vec<Origin>)> {
    if !has_external_ref(&value, Ctx::Doc, "") {
        return Ok((value, Vec::new()));
    }
    let root = std::fs::canonicalize(path)
        .map_err(|e| Error::file(Stage::Load, path, format!("cannot resolve the spec: {e}")))?;
    let taken = value
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut b = Bundler {
        root: root.clone(),
        root_shown: path.to_owned(),
        files: BTreeMap::new(),
        names: BTreeMap::new(),
        taken,
        owned_by_root: BTreeSet::new(),
        filled: BTreeSet::new(),
        new_schemas: Vec::new(),
        inlining: Vec::new(),
        origins: Vec::new(),
    };
    b.name_root_components(&value)?;
    let place = Place {
        file: &root,
        shown: path,
        src: String::new(),
        at: String::new(),
    };
    b.visit(&mut value, &place, Ctx::Doc)?;
    if !b.new_schemas.is_empty() {
        let Value::Object(doc) = &mut value else {
            return Err(Error::at(
                Stage::Load,
                path,
                "",
                "the spec is not an object",
            ));
        };
        let components = doc
            .entry("components")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(components) = components else {
            return Err(Error::at(
                Stage::Load,
                path,
                "/components",
                "`components` is not an object",
            ));
        };
        let schemas = components
            .entry("schemas")
            .or_insert_with(|| Value::Object(Map::new()));
        let Value::Object(schemas) = schemas else {
            return Err(Error::at(
                Stage::Load,
                path,
                "/components/schemas",
                "`components/schemas` is not an object",
            ));
        };
        for (name, schema) in b.new_schemas {
            schemas.insert(name, schema);
        }
    }
    Ok((value, b.origins))
}

/// Whether a `$ref` anywhere in the document names another file.
fn has_external_ref(node: &Value, ctx: Ctx, at: &str) -> bool {
    match node {
        Value::Object(map) => {
            if ctx != Ctx::Data
                && let Some(Value::String(r)) = map.get("$ref")
                && !r.starts_with('#')
            {
                return true;
            }
            map.iter().any(|(k, v)| {
                let child_at = format!("{at}/{}", escape_token(k));
                has_external_ref(v, child_ctx(ctx, k, at), &child_at)
            })
        }
        Value::Array(items) => items.iter().any(|v| has_external_ref(v, item_ctx(ctx), at)),
        _ => false,
    }
}

/// What the items of an array in `ctx` are.
fn item_ctx(ctx: Ctx) -> Ctx {
    if ctx == Ctx::SchemaList {
        Ctx::Schema
    } else {
        ctx
    }
}

/// What the value under `key` of an object in `ctx` (at bundled pointer `at`) is.
fn child_ctx(ctx: Ctx, key: &str, at: &str) -> Ctx {
    match ctx {
        Ctx::Data => Ctx::Data,
        Ctx::SchemaMap => Ctx::Schema,
        Ctx::SchemaList => Ctx::Schema,
        Ctx::Schema => match key {
            "properties" | "patternProperties" | "$defs" | "definitions" | "dependentSchemas" => {
                Ctx::SchemaMap
            }
            "items"
            | "not"
            | "additionalProperties"
            | "additionalItems"
            | "contains"
            | "propertyNames"
            | "if"
            | "then"
            | "else"
            | "unevaluatedItems"
            | "unevaluatedProperties"
            | "contentSchema" => Ctx::Schema,
            "allOf" | "anyOf" | "oneOf" | "prefixItems" => Ctx::SchemaList,
            _ => Ctx::Data,
        },
        Ctx::Doc => match key {
            "schema" => Ctx::Schema,
            "schemas" if at == "/components" => Ctx::SchemaMap,
            // Under `responses`, `default` is a response, not a default value.
            "default" if at.ends_with("/responses") => Ctx::Doc,
            "example" | "value" | "default" | "const" | "enum" => Ctx::Data,
            k if k.starts_with("x-") => Ctx::Data,
            _ => Ctx::Doc,
        },
    }
}

/// A reference split into the file it names (empty: this file) and its pointer.
fn split_ref(reference: &str) -> (&str, &str) {
    match reference.split_once('#') {
        Some((file, pointer)) => (file, pointer),
        None => (reference, ""),
    }
}

/// `a/b/../c` → `a/c`, without touching the disk.
pub(crate) fn lexical(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for c in path.components() {
        match c {
            Component::ParentDir
                if matches!(out.components().next_back(), Some(Component::Normal(_))) =>
            {
                out.pop();
            }
            Component::CurDir => {}
            c => out.push(c),
        }
    }
    out
}

/// `%20` and the like in a reference.
fn percent_decode(s: &str) -> String {
    let bytes = s.as_bytes();
    let hex = |b: u8| (b as char).to_digit(16);
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        match (
            bytes[i],
            bytes.get(i + 1).copied().and_then(hex),
            bytes.get(i + 2).copied().and_then(hex),
        ) {
            (b'%', Some(hi), Some(lo)) => {
                out.push((hi * 16 + lo) as u8);
                i += 3;
            }
            (b, _, _) => {
                out.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

/// A pointer's tokens, unescaped.
fn tokens(pointer: &str) -> Vec<String> {
    pointer.split('/').skip(1).map(unescape_token).collect()
}

impl Bundler {
    /// Root components that are only a `$ref` to another file name that file's schema.
    fn name_root_components(&mut self, value: &Value) -> Result<()> {
        let Some(schemas) = value
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return Ok(());
        };
        for (key, schema) in schemas {
            let Some(Value::String(reference)) = schema.get("$ref") else {
                continue;
            };
            if schema.as_object().is_some_and(|m| m.len() > 1) || reference.starts_with('#') {
                continue;
            }
            let src = format!("/components/schemas/{}/$ref", escape_token(key));
            let root = self.root.clone();
            let shown = self.root_shown.clone();
            let (file, _, pointer) = self.target(&root, &shown, &src, reference)?;
            if file == self.root {
                continue;
            }
            self.names.entry((file, pointer)).or_insert_with(|| {
                self.owned_by_root.insert(key.clone());
                key.clone()
            });
        }
        Ok(())
    }

    /// Reads (once) the file a reference names, relative to the file it appears in:
    /// (canonical path, path as shown, pointer).
    fn target(
        &mut self,
        from: &Path,
        from_shown: &Path,
        src: &str,
        reference: &str,
    ) -> Result<(PathBuf, PathBuf, String)> {
        let (file_part, pointer) = split_ref(reference);
        if !pointer.is_empty() && !pointer.starts_with('/') {
            return Err(Error::at(
                Stage::Load,
                from_shown,
                src,
                format!(
                    "reference {reference:?}: only JSON pointers (`#/...`) are supported after `#`"
                ),
            ));
        }
        let pointer = percent_decode(pointer);
        if file_part.is_empty() {
            return Ok((from.to_owned(), from_shown.to_owned(), pointer));
        }
        if file_part.contains("://") || file_part.starts_with("urn:") {
            return Err(Error::at(
                Stage::Load,
                from_shown,
                src,
                format!(
                    "reference {reference:?} is remote: the generator reads no network; save the file beside the spec and refer to it by a relative path"
                ),
            ));
        }
        let relative = percent_decode(file_part);
        let base = from.parent().unwrap_or(Path::new(""));
        let shown_base = from_shown.parent().unwrap_or(Path::new(""));
        let shown = lexical(&shown_base.join(&relative));
        let unreadable = |e: std::io::Error| {
            Error::at(
                Stage::Load,
                from_shown,
                src,
                format!(
                    "reference {reference:?}: cannot read {}: {e}",
                    shown.display()
                ),
            )
        };
        let canonical = std::fs::canonicalize(base.join(&relative)).map_err(unreadable)?;
        if canonical != self.root && !self.files.contains_key(&canonical) {
            let text = std::fs::read_to_string(&canonical).map_err(unreadable)?;
            let value = super::document::parse_document(&shown, &text)?;
            self.files.insert(canonical.clone(), (shown.clone(), value));
        }
        let shown = match self.files.get(&canonical) {
            Some((first, _)) => first.clone(),
            None => self.root_shown.clone(),
        };
        Ok((canonical, shown, pointer))
    }

    /// The node at `pointer` of a file read before (not the root).
    fn node(&self, file: &Path, pointer: &str) -> Option<Value> {
        self.files.get(file)?.1.pointer(pointer).cloned()
    }

    fn visit(&mut self, node: &mut Value, place: &Place<'_>, ctx: Ctx) -> Result<()> {
        match node {
            Value::Object(_) => self.visit_object(node, place, ctx),
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    let child = Place {
                        file: place.file,
                        shown: place.shown,
                        src: format!("{}/{i}", place.src),
                        at: format!("{}/{i}", place.at),
                    };
                    self.visit(item, &child, item_ctx(ctx))?;
                }
                Ok(())
            }
            _ => Ok(()),
        }
    }

    fn visit_object(&mut self, node: &mut Value, place: &Place<'_>, ctx: Ctx) -> Result<()> {
        if ctx == Ctx::Data {
            return Ok(());
        }
        let reference = node.get("$ref").and_then(Value::as_str).map(str::to_owned);
        let in_root = place.file == self.root;
        if let Some(reference) = reference
            && !(in_root && reference.starts_with('#'))
        {
            let src = format!("{}/$ref", place.src);
            let (file, shown, pointer) = self.target(place.file, place.shown, &src, &reference)?;
            if file == self.root {
                // Back to the root file: a local reference.
                node["$ref"] = Value::from(format!("#{pointer}"));
            } else if ctx == Ctx::Schema {
                let name = self.schema(&file, &shown, &pointer, place, &src, &reference)?;
                let own = format!("/components/schemas/{}", escape_token(&name));
                if place.at == own && in_root {
                    // The root component that stands for this file: filled in here.
                    *node = self.fill(&file, &shown, &pointer, &name, place, &src, &reference)?;
                    return Ok(());
                } else {
                    node["$ref"] = Value::from(format!("#{own}"));
                }
            } else {
                let key = (file.clone(), pointer.clone());
                if self.inlining.contains(&key) {
                    return Err(Error::at(
                        Stage::Load,
                        place.shown,
                        src,
                        format!("reference {reference:?} refers back to itself"),
                    ));
                }
                let mut content = self
                    .node(&file, &pointer)
                    .ok_or_else(|| dangling(place.shown, &src, &reference, &shown, &pointer))?;
                self.inlining.push(key);
                let inner = Place {
                    file: &file,
                    shown: &shown,
                    src: pointer.clone(),
                    at: place.at.clone(),
                };
                self.visit(&mut content, &inner, ctx)?;
                self.inlining.pop();
                if let (Value::Object(content), Value::Object(siblings)) = (&mut content, &*node) {
                    for (k, v) in siblings {
                        if k != "$ref" {
                            content.insert(k.clone(), v.clone());
                        }
                    }
                }
                self.origins.push(Origin {
                    at: place.at.clone(),
                    file: shown.clone(),
                    pointer,
                });
                *node = content;
                return Ok(());
            }
        }
        let Value::Object(map) = node else {
            return Ok(());
        };
        if ctx == Ctx::Schema {
            self.discriminator_mapping(map, place)?;
        }
        for (key, child) in map.iter_mut() {
            if key == "$ref" {
                continue;
            }
            let token = escape_token(key);
            let child_place = Place {
                file: place.file,
                shown: place.shown,
                src: format!("{}/{token}", place.src),
                at: format!("{}/{token}", place.at),
            };
            self.visit(child, &child_place, child_ctx(ctx, key, &place.at))?;
        }
        Ok(())
    }

    /// `discriminator.mapping` values that name other files point at their components.
    fn discriminator_mapping(
        &mut self,
        map: &mut Map<String, Value>,
        place: &Place<'_>,
    ) -> Result<()> {
        let Some(Value::Object(mapping)) = map
            .get_mut("discriminator")
            .and_then(|d| d.get_mut("mapping"))
        else {
            return Ok(());
        };
        for (key, value) in mapping.iter_mut() {
            let Value::String(reference) = value else {
                continue;
            };
            let is_ref =
                reference.contains('#') || reference.contains('/') || reference.contains('.');
            if !is_ref || (place.file == self.root && reference.starts_with('#')) {
                continue;
            }
            let reference = reference.clone();
            let src = format!("{}/discriminator/mapping/{}", place.src, escape_token(key));
            let (file, shown, pointer) = self.target(place.file, place.shown, &src, &reference)?;
            *value = if file == self.root {
                Value::from(format!("#{pointer}"))
            } else {
                let name = self.schema(&file, &shown, &pointer, place, &src, &reference)?;
                Value::from(format!("#/components/schemas/{}", escape_token(&name)))
            };
        }
        Ok(())
    }

    /// The component key of a schema in another file; its content is added once.
    fn schema(
        &mut self,
        file: &Path,
        shown: &Path,
        pointer: &str,
        place: &Place<'_>,
        src: &str,
        reference: &str,
    ) -> Result<String> {
        let key = (file.to_owned(), pointer.to_owned());
        let name = match self.names.get(&key) {
            Some(name) => name.clone(),
            None => {
                let base = tokens(pointer)
                    .pop()
                    .filter(|t| !t.is_empty())
                    .unwrap_or_else(|| {
                        file.file_stem()
                            .map(|s| s.to_string_lossy().into_owned())
                            .unwrap_or_else(|| "Schema".into())
                    });
                let base = match base.split('.').next() {
                    Some(b) if !b.is_empty() => b.to_owned(),
                    _ => "Schema".to_owned(),
                };
                let name = names::first_free(&base, "", |n| !self.taken.contains(n));
                self.taken.insert(name.clone());
                self.names.insert(key, name.clone());
                name
            }
        };
        if !self.owned_by_root.contains(&name) && !self.filled.contains(&name) {
            let content = self.fill(file, shown, pointer, &name, place, src, reference)?;
            self.new_schemas.push((name.clone(), content));
        }
        Ok(name)
    }

    /// A schema of another file, its own references brought in.
    #[allow(clippy::too_many_arguments)]
    fn fill(
        &mut self,
        file: &Path,
        shown: &Path,
        pointer: &str,
        name: &str,
        place: &Place<'_>,
        src: &str,
        reference: &str,
    ) -> Result<Value> {
        self.filled.insert(name.to_owned());
        let mut content = self
            .node(file, pointer)
            .ok_or_else(|| dangling(place.shown, src, reference, shown, pointer))?;
        let at = format!("/components/schemas/{}", escape_token(name));
        let inner = Place {
            file,
            shown,
            src: pointer.to_owned(),
            at: at.clone(),
        };
        self.visit(&mut content, &inner, Ctx::Schema)?;
        if let Value::Object(map) = &mut content {
            // Containers of schemas the file's own references use: those are components
            // now, and 3.0 has no such keywords.
            map.remove("$defs");
            map.remove("definitions");
        }
        self.origins.push(Origin {
            at,
            file: shown.to_owned(),
            pointer: pointer.to_owned(),
        });
        Ok(content)
    }
}

fn dangling(from: &Path, src: &str, reference: &str, shown: &Path, pointer: &str) -> Error {
    Error::at(
        Stage::Load,
        from,
        src,
        format!(
            "reference {reference:?} points at nothing: {} has no #{pointer}",
            shown.display()
        ),
    )
}

/// Maps an error located in the bundled document back to the file and pointer it came from.
pub fn locate(origins: &[Origin], root: &Path, mut error: Error) -> Error {
    if error.file != root {
        return error;
    }
    let Some(pointer) = error.pointer.clone() else {
        return error;
    };
    let best = origins
        .iter()
        .filter(|o| {
            pointer == o.at
                || (pointer.starts_with(&o.at) && pointer[o.at.len()..].starts_with('/'))
        })
        .max_by_key(|o| o.at.len());
    if let Some(origin) = best {
        error.file = origin.file.clone();
        error.pointer = Some(format!("{}{}", origin.pointer, &pointer[origin.at.len()..]));
    }
    error
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Writes `files` (relative path, YAML text) under a temporary folder and bundles the
    /// first one.
    fn bundled(files: &[(&str, &str)]) -> (tempfile::TempDir, Result<(Value, Vec<Origin>)>) {
        let dir = tempfile::tempdir().expect("tempdir");
        for (name, text) in files {
            let path = dir.path().join(name);
            std::fs::create_dir_all(path.parent().expect("parent")).expect("mkdir");
            std::fs::write(&path, text).expect("write");
        }
        let root = dir.path().join(files[0].0);
        let value = crate::load::parse_document(&root, files[0].1).expect("parse");
        let result = bundle(&root, value);
        (dir, result)
    }

    #[test]
    fn a_one_file_spec_is_left_as_it_is() {
        let (_dir, result) = bundled(&[(
            "a.yaml",
            "paths: {}\ncomponents: {schemas: {A: {$ref: '#/components/schemas/B'}, B: {type: string}}}\n",
        )]);
        let (value, origins) = result.expect("bundle");
        assert_eq!(
            value["components"]["schemas"]["A"]["$ref"],
            "#/components/schemas/B"
        );
        assert!(origins.is_empty());
    }

    #[test]
    fn one_target_is_one_component_and_names_stay_unique() {
        let (_dir, result) = bundled(&[
            (
                "api.yaml",
                "components:\n  schemas:\n    Thing: {type: integer}\n    A: {$ref: 'parts/a.yaml'}\n    B: {$ref: 'parts/b.yaml'}\n",
            ),
            // Both parts use the same Thing of things.yaml, which is not the root's Thing.
            (
                "parts/a.yaml",
                "properties: {t: {$ref: 'things.yaml#/Thing'}}\n",
            ),
            ("parts/b.yaml", "items: {$ref: './things.yaml#/Thing'}\n"),
            ("parts/things.yaml", "Thing: {type: string}\n"),
        ]);
        let (value, _) = result.expect("bundle");
        let schemas = &value["components"]["schemas"];
        assert_eq!(schemas["Thing"], json!({"type": "integer"}));
        assert_eq!(schemas["Thing2"], json!({"type": "string"}));
        assert_eq!(
            schemas["A"]["properties"]["t"]["$ref"],
            "#/components/schemas/Thing2"
        );
        assert_eq!(schemas["B"]["items"]["$ref"], "#/components/schemas/Thing2");
        assert_eq!(schemas.as_object().expect("schemas").len(), 4);
    }

    #[test]
    fn references_back_to_the_root_become_local_and_percent_escapes_are_read() {
        let (_dir, result) = bundled(&[
            (
                "api.yaml",
                "paths:\n  /a: {$ref: 'my%20paths/a.yaml'}\ncomponents: {schemas: {Money: {type: integer}}}\n",
            ),
            (
                "my paths/a.yaml",
                "get:\n  responses:\n    '200':\n      description: ok\n      content: {application/json: {schema: {$ref: '../api.yaml#/components/schemas/Money'}}}\n",
            ),
        ]);
        let (value, origins) = result.expect("bundle");
        assert_eq!(
            value["paths"]["/a"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
                ["$ref"],
            "#/components/schemas/Money"
        );
        assert_eq!(origins.len(), 1);
        assert_eq!(origins[0].at, "/paths/~1a");
        assert!(origins[0].file.ends_with("my paths/a.yaml"));
    }

    #[test]
    fn examples_keep_their_ref_keys_as_data() {
        let (_dir, result) = bundled(&[
            (
                "api.yaml",
                "components:\n  schemas:\n    A:\n      $ref: a.yaml\n",
            ),
            (
                "a.yaml",
                "type: object\nexample: {$ref: 'not/a/file.yaml'}\n",
            ),
        ]);
        let (value, _) = result.expect("bundle");
        assert_eq!(
            value["components"]["schemas"]["A"]["example"]["$ref"],
            "not/a/file.yaml"
        );
    }

    #[test]
    fn cycles_of_inlined_parts_are_refused_with_their_place() {
        let (_dir, result) = bundled(&[
            ("api.yaml", "paths:\n  /a: {$ref: 'a.yaml'}\n"),
            ("a.yaml", "get: {$ref: 'b.yaml'}\n"),
            ("b.yaml", "$ref: 'a.yaml#/get'\n"),
        ]);
        let e = result.expect_err("a cycle");
        assert!(e.message.contains("refers back to itself"), "{e}");
        // a.yaml → b.yaml → a.yaml#/get → b.yaml again: found at a.yaml's `get`.
        assert!(e.file.ends_with("a.yaml"), "{e}");
        assert_eq!(e.pointer.as_deref(), Some("/get/$ref"));
    }

    #[test]
    fn errors_in_bundled_parts_are_located_in_their_files() {
        let origins = vec![
            Origin {
                at: "/paths/~1a".into(),
                file: "parts/a.yaml".into(),
                pointer: String::new(),
            },
            Origin {
                at: "/paths/~1a/get/responses/404".into(),
                file: "responses.yaml".into(),
                pointer: "/NotFound".into(),
            },
        ];
        let root = Path::new("api.yaml");
        let at = |p: &str| {
            let e = locate(&origins, root, Error::at(Stage::Validate, root, p, "bad"));
            (e.file.display().to_string(), e.pointer.unwrap_or_default())
        };
        assert_eq!(at("/paths/~1a/get"), ("parts/a.yaml".into(), "/get".into()));
        assert_eq!(
            at("/paths/~1a/get/responses/404/description"),
            ("responses.yaml".into(), "/NotFound/description".into())
        );
        // A prefix that is not a whole token does not match.
        assert_eq!(at("/paths/~1ab"), ("api.yaml".into(), "/paths/~1ab".into()));
    }
}
