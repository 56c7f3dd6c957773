//! `allOf` merges that never end. typify merges an `allOf` into one type by copying in what
//! each referenced branch holds; where a component whose root is an `allOf` holds, inline, an
//! `allOf` that refers back to it (`Transfer: {allOf: [.., {properties: {parent: {allOf:
//! [{$ref: Transfer}, ..]}}}]}`), the copying recurses until the stack overflows: a crash no
//! `catch_unwind` catches. Each such loop is broken before typify sees it:
//!
//! - an inline `allOf` on the loop becomes a component of its own (typify refers to a named
//!   type instead of copying it again; nothing is lost, no warning);
//! - where the loop is made of components' own `allOf`s alone (`A: {allOf: [{$ref: A}, ..]}`),
//!   the branch that refers back is left out, with a warning: `A` and all of `A` is `A`.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::{Value, json};

use super::names::{SCHEMAS, reference_to};
use crate::error::{escape_token, unescape_token};
use crate::names;

/// An `allOf` branch that refers to a component whose root is an `allOf` (typify merges it).
#[derive(Debug, Clone)]
struct Edge {
    /// The component it is in.
    from: String,
    /// The component it refers to.
    to: String,
    /// JSON pointer of the `allOf`'s schema inside the document.
    at: String,
    /// Its branch's index.
    branch: usize,
    /// Whether the `allOf` is the component's root.
    root: bool,
}

/// Breaks every endless merge; what was given up, as (JSON pointer, what and why).
pub(super) fn break_endless_merges(doc: &mut Value) -> Vec<(String, String)> {
    let mut given = Vec::new();
    recursive_property_merges(doc, &mut given);
    // Each pass breaks one loop; a document has fewer loops than `allOf` branches.
    for _ in 0..1024 {
        let Some(schemas) = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
        else {
            return given;
        };
        let mut edges = Vec::new();
        for (key, schema) in schemas {
            let at = format!("/components/schemas/{}", escape_token(key));
            collect(schema, key, &at, true, schemas, &mut edges);
        }
        let Some(cycle) = find_cycle(&edges) else {
            return given;
        };
        // An inline `allOf` on the loop, named, breaks it at no cost.
        if let Some(edge) = cycle.iter().find(|e| !e.root) {
            hoist(doc, &edge.at, &edge.from);
            continue;
        }
        let edge = &cycle[cycle.len() - 1];
        let Some(Value::Array(branches)) = doc.pointer_mut(&format!("{}/allOf", edge.at)) else {
            return given;
        };
        if edge.branch < branches.len() {
            branches.remove(edge.branch);
        }
        given.push((
            format!("{}/allOf/{}", edge.at, edge.branch),
            format!(
                "`allOf` branch left out: it refers back to `{}`, which it is part of (its \
                 properties are there already)",
                edge.to
            ),
        ));
    }
    given
}

/// typify also merges the properties of an `allOf`'s branches (a property two branches have,
/// one branch's properties against another's `additionalProperties`) and distributes its
/// branches into a union one of them is; each merge resolves the `$ref`s it meets. Where an
/// `allOf` that merges so reaches a recursive schema (one that refers back to itself), or
/// merges a chain of references that comes back to it, the merging never ends. Such an
/// `allOf` (anywhere: a component, a body, a response) loses, in order, until it is safe:
/// its inline branches' `additionalProperties` (which allow what the merge allows anyway),
/// a property an inline branch repeats (kept where it came first), the branch that refers
/// back to the schema that holds it; else it is any JSON. Each with a warning.
fn recursive_property_merges(doc: &mut Value, given: &mut Vec<(String, String)>) {
    // The component schemas, and those on a loop of references, as the document is now.
    let read = |doc: &Value| {
        let schemas = doc
            .pointer("/components/schemas")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let recursive: BTreeSet<String> = schemas
            .iter()
            .filter(|(key, schema)| {
                let mut seen = BTreeSet::new();
                references(schema, &schemas, &mut seen);
                seen.contains(*key)
            })
            .map(|(key, _)| key.clone())
            .collect();
        (schemas, recursive)
    };
    let (mut schemas, mut recursive) = read(doc);
    let mut sites = Vec::new();
    all_of_sites_in(doc, "", "", &mut sites);
    for (pointer, holder, _) in sites {
        let Some(Value::Array(branches)) = doc.pointer(&format!("{pointer}/allOf")) else {
            continue;
        };
        if !dangerous(branches, &schemas, &recursive) {
            continue;
        }
        let Some(Value::Array(branches)) = doc.pointer_mut(&format!("{pointer}/allOf")) else {
            continue;
        };
        // The properties referenced branches bring: an inline one repeating them goes.
        let referenced: Vec<Value> = branches
            .iter()
            .filter(|b| component(b).is_some())
            .cloned()
            .collect();
        let mut names: BTreeSet<String> = flatten(&referenced, &schemas, &mut Vec::new())
            .0
            .iter()
            .filter_map(|b| b.get("properties").and_then(Value::as_object))
            .flat_map(|p| p.keys().cloned())
            .collect();
        for (i, b) in branches.iter_mut().enumerate() {
            let Value::Object(b) = b else { continue };
            if b.contains_key("$ref") {
                continue;
            }
            if b.get("additionalProperties")
                .is_some_and(|a| *a != Value::Bool(false))
            {
                b.shift_remove("additionalProperties");
                given.push((
                    format!("{pointer}/allOf/{i}/additionalProperties"),
                    "`additionalProperties` of a recursive `allOf` branch left out (other \
                     properties are kept by no field)"
                        .into(),
                ));
            }
            if let Some(Value::Object(props)) = b.get_mut("properties") {
                let repeated: Vec<String> = props
                    .keys()
                    .filter(|p| names.contains(*p))
                    .cloned()
                    .collect();
                for p in repeated {
                    props.shift_remove(&p);
                    given.push((
                        format!("{pointer}/allOf/{i}/properties/{}", escape_token(&p)),
                        format!(
                            "property `{p}` of a recursive `allOf` branch left out: an earlier \
                             branch has it"
                        ),
                    ));
                }
                names.extend(props.keys().cloned());
            }
        }
        // A branch whose references lead back to the schema that holds the `allOf`.
        if dangerous(branches, &schemas, &recursive)
            && let Some(holder) = &holder
            && let Some(i) = branches.iter().position(|b| {
                let mut seen = BTreeSet::new();
                component(b).is_some() && {
                    references(b, &schemas, &mut seen);
                    seen.contains(holder)
                }
            })
        {
            branches.remove(i);
            given.push((
                format!("{pointer}/allOf/{i}"),
                format!(
                    "`allOf` branch left out: it refers back to `{holder}`, which holds it, and \
                     the merge would not end"
                ),
            ));
        }
        if dangerous(branches, &schemas, &recursive)
            && let Some(node) = doc.pointer_mut(&pointer)
        {
            let note = "Any JSON: an `allOf` whose merge would not end.";
            let description = match node.get("description").and_then(Value::as_str) {
                Some(d) => format!("{d}\n\n{note}"),
                None => note.to_owned(),
            };
            *node = json!({ "description": description });
            given.push((
                pointer.clone(),
                "typed as any JSON: an `allOf` over a recursive schema whose merge would not end"
                    .into(),
            ));
        }
        (schemas, recursive) = read(doc);
    }
}

/// Whether typify's merge of these branches may never end: it follows a chain of references
/// back to where it started, or it resolves references (properties meet, a union is
/// distributed) and reaches a recursive schema.
fn dangerous(
    branches: &[Value],
    schemas: &serde_json::Map<String, Value>,
    recursive: &BTreeSet<String>,
) -> bool {
    let (flat, looped) = flatten(branches, schemas, &mut Vec::new());
    if looped {
        return true;
    }
    if !merges_properties(&flat) && !flat.iter().any(has_union) {
        return false;
    }
    let mut seen = BTreeSet::new();
    for b in branches {
        references(b, schemas, &mut seen);
    }
    seen.iter().any(|k| recursive.contains(k))
}

/// Every schema holding an `allOf` in the document, with the component holding it (if one).
fn all_of_sites_in(
    node: &Value,
    at: &str,
    holder: &str,
    out: &mut Vec<(String, Option<String>, Value)>,
) {
    walk_sites(node, at, holder, false, out);
}

/// `names`: the node's keys are names (a property may be called `$ref` or `allOf`).
fn walk_sites(
    node: &Value,
    at: &str,
    holder: &str,
    names: bool,
    out: &mut Vec<(String, Option<String>, Value)>,
) {
    match node {
        Value::Object(map) => {
            if !names && map.contains_key("$ref") {
                return;
            }
            if !names && map.contains_key("allOf") {
                let holder = (!holder.is_empty()).then(|| holder.to_owned());
                out.push((at.to_owned(), holder, node.clone()));
            }
            let last = at.rsplit('/').next().unwrap_or_default();
            for (key, child) in map {
                if !names && crate::openapi::is_data(at, key, child) {
                    continue;
                }
                let here = format!("{at}/{}", escape_token(key));
                let holder = if at == "/components/schemas" {
                    key.as_str()
                } else {
                    holder
                };
                let child_names = !names && crate::openapi::keys_are_names(last, key);
                walk_sites(child, &here, holder, child_names, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_sites(child, &format!("{at}/{i}"), holder, false, out);
            }
        }
        _ => {}
    }
}

/// An `allOf`'s branches as typify merges them: referenced ones read (through chains of
/// references), nested `allOf`s flattened; and whether a chain came back to a schema it is
/// resolving (a loop; a schema merged twice by two ways, a diamond, is none).
fn flatten(
    branches: &[Value],
    schemas: &serde_json::Map<String, Value>,
    stack: &mut Vec<String>,
) -> (Vec<Value>, bool) {
    let mut out = Vec::new();
    let mut looped = false;
    for b in branches {
        let depth = stack.len();
        let mut resolved = b.clone();
        while let Some(k) = component(&resolved) {
            if stack.contains(&k) {
                looped = true;
                break;
            }
            stack.push(k.clone());
            match schemas.get(&k) {
                Some(target) => resolved = target.clone(),
                None => break,
            }
        }
        if component(&resolved).is_none() {
            match resolved.get("allOf") {
                Some(Value::Array(inner)) => {
                    let (more, again) = flatten(inner, schemas, stack);
                    out.extend(more);
                    looped |= again;
                    // The schema's own properties beside its `allOf` are merged too.
                    let mut rest = resolved.clone();
                    if let Value::Object(m) = &mut rest {
                        m.shift_remove("allOf");
                    }
                    out.push(rest);
                }
                _ => out.push(resolved),
            }
        }
        stack.truncate(depth);
    }
    (out, looped)
}

/// Whether merging these branches merges properties' schemas: a property two have, or one's
/// properties against another's `additionalProperties`.
fn merges_properties(branches: &[Value]) -> bool {
    let props = |b: &Value| -> Vec<String> {
        b.get("properties")
            .and_then(Value::as_object)
            .map(|p| p.keys().cloned().collect())
            .unwrap_or_default()
    };
    let open = |b: &Value| {
        b.get("additionalProperties")
            .is_some_and(|a| *a != Value::Bool(false))
    };
    let mut seen = BTreeSet::new();
    for (i, b) in branches.iter().enumerate() {
        for p in props(b) {
            if !seen.insert(p) {
                return true;
            }
        }
        if open(b)
            && branches
                .iter()
                .enumerate()
                .any(|(j, o)| j != i && !props(o).is_empty())
        {
            return true;
        }
    }
    false
}

/// Whether a schema is a union typify distributes an `allOf`'s other branches into.
fn has_union(schema: &Value) -> bool {
    ["anyOf", "oneOf", "not"]
        .iter()
        .any(|k| schema.get(*k).is_some())
}

/// Every component `node` leads to through `$ref`s, at any depth.
fn references(node: &Value, schemas: &serde_json::Map<String, Value>, seen: &mut BTreeSet<String>) {
    references_under(node, schemas, seen, false);
}

/// `names`: the node's keys are property names (`default` is a property, not data).
fn references_under(
    node: &Value,
    schemas: &serde_json::Map<String, Value>,
    seen: &mut BTreeSet<String>,
    names: bool,
) {
    match node {
        Value::Object(map) => {
            if !names && let Some(k) = component(node) {
                if seen.insert(k.clone())
                    && let Some(target) = schemas.get(&k)
                {
                    references_under(target, schemas, seen, false);
                }
                return;
            }
            for (key, v) in map {
                if names {
                    references_under(v, schemas, seen, false);
                } else if !matches!(key.as_str(), "example" | "default" | "enum" | "const")
                    && !key.starts_with("x-")
                {
                    let names = matches!(key.as_str(), "properties" | "patternProperties");
                    references_under(v, schemas, seen, names);
                }
            }
        }
        Value::Array(items) => items
            .iter()
            .for_each(|v| references_under(v, schemas, seen, false)),
        _ => {}
    }
}

/// The merge edges of `node` (inside component `from`, at `at`), through inline schemas.
fn collect(
    node: &Value,
    from: &str,
    at: &str,
    root: bool,
    schemas: &serde_json::Map<String, Value>,
    out: &mut Vec<Edge>,
) {
    let Value::Object(map) = node else { return };
    if map.contains_key("$ref") {
        return;
    }
    // A reference beside annotations alone (`allOf: [{$ref: X}, {description: ..}]`) is X to
    // typify: no merge.
    let annotates = |branches: &[Value]| {
        branches.iter().filter(|b| component(b).is_some()).count() == 1
            && branches.iter().all(|b| {
                component(b).is_some()
                    || b.as_object().is_some_and(|o| {
                        o.keys().all(|k| {
                            super::keywords::ANNOTATIONS.contains(&k.as_str())
                                || matches!(k.as_str(), "readOnly" | "writeOnly")
                                || k.starts_with("x-")
                        })
                    })
            })
    };
    if let Some(Value::Array(branches)) = map.get("allOf")
        && !annotates(branches)
    {
        for (i, b) in branches.iter().enumerate() {
            // Through chains of references: the schema whose content the merge copies.
            if let Some(to) = final_component(b, schemas) {
                out.push(Edge {
                    from: from.to_owned(),
                    to,
                    at: at.to_owned(),
                    branch: i,
                    root,
                });
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get(key) {
            for (i, b) in branches.iter().enumerate() {
                // A root `allOf`'s inline branches are the component itself.
                let root = root && key == "allOf";
                collect(b, from, &format!("{at}/{key}/{i}"), root, schemas, out);
            }
        }
    }
    if let Some(Value::Object(props)) = map.get("properties") {
        for (p, s) in props {
            let at = format!("{at}/properties/{}", escape_token(p));
            collect(s, from, &at, false, schemas, out);
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(s) = map.get(key) {
            collect(s, from, &format!("{at}/{key}"), false, schemas, out);
        }
    }
}

/// The component a reference leads to through chains of bare references.
fn final_component(schema: &Value, schemas: &serde_json::Map<String, Value>) -> Option<String> {
    let mut key = component(schema)?;
    let mut seen = BTreeSet::from([key.clone()]);
    while let Some(next) = schemas.get(&key).and_then(component) {
        if !seen.insert(next.clone()) {
            break;
        }
        key = next;
    }
    Some(key)
}

fn component(schema: &Value) -> Option<String> {
    let r = schema.get("$ref")?.as_str()?;
    let key = r.strip_prefix(SCHEMAS)?;
    (!key.contains('/')).then(|| unescape_token(key))
}

/// One loop among the edges, as the edges that make it.
fn find_cycle(edges: &[Edge]) -> Option<Vec<Edge>> {
    let mut out: BTreeMap<&str, Vec<&Edge>> = BTreeMap::new();
    for e in edges {
        out.entry(e.from.as_str()).or_default().push(e);
    }
    let mut done: BTreeSet<&str> = BTreeSet::new();
    for start in out.keys().copied().collect::<Vec<_>>() {
        let mut path: Vec<&Edge> = Vec::new();
        if let Some(cycle) = dfs(start, &out, &mut path, &mut done) {
            return Some(cycle);
        }
    }
    None
}

fn dfs<'a>(
    node: &'a str,
    out: &BTreeMap<&'a str, Vec<&'a Edge>>,
    path: &mut Vec<&'a Edge>,
    done: &mut BTreeSet<&'a str>,
) -> Option<Vec<Edge>> {
    if done.contains(node) {
        return None;
    }
    if let Some(i) = path.iter().position(|e| e.from == node) {
        return Some(path[i..].iter().map(|e| (*e).clone()).collect());
    }
    for e in out.get(node).into_iter().flatten() {
        path.push(e);
        if let Some(cycle) = dfs(&e.to, out, path, done) {
            return Some(cycle);
        }
        path.pop();
    }
    done.insert(node);
    None
}

/// The inline schema at `at` (inside component `from`) becomes a component, named after it.
fn hoist(doc: &mut Value, at: &str, from: &str) {
    let taken_keys: Vec<String> = doc
        .pointer("/components/schemas")
        .and_then(Value::as_object)
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default();
    let mut taken = names::Taken::new(taken_keys.iter());
    let key = taken.claim(&format!("{}AllOf", names::pascal(from)));
    let Some(node) = doc.pointer_mut(at) else {
        return;
    };
    let schema = std::mem::replace(node, reference_to(&key));
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        schemas.insert(key, schema);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_inline_merge_that_refers_back_is_named() {
        let mut doc = json!({"components": {"schemas": {"T": {"allOf": [
            {"type": "object", "properties": {"parent": {"allOf": [
                {"$ref": "#/components/schemas/T"}, {"type": "object"}
            ]}}}
        ]}}}});
        assert!(break_endless_merges(&mut doc).is_empty());
        assert_eq!(
            doc["components"]["schemas"]["T"]["allOf"][0]["properties"]["parent"],
            json!({"$ref": "#/components/schemas/TAllOf"})
        );
        assert_eq!(
            doc["components"]["schemas"]["TAllOf"]["allOf"][0],
            json!({"$ref": "#/components/schemas/T"})
        );
    }

    #[test]
    fn a_recursive_merge_of_open_branches_stops_feeding_itself() {
        // typify's stack overflowed on this (a fuzzer finding, kept in tests/fixtures/fuzz).
        let mut doc = json!({"components": {"schemas": {"T": {"allOf": [
            {"properties": {"id": {"anyOf": [{"allOf": [
                {"$ref": "#/components/schemas/T"},
                {"additionalProperties": {}}
            ]}]}}}
        ]}}}});
        let given = break_endless_merges(&mut doc);
        assert_eq!(given.len(), 1, "{given:?}");
        assert!(
            given[0].0.ends_with("/allOf/1/additionalProperties"),
            "{given:?}"
        );
    }

    #[test]
    fn a_root_merge_of_itself_loses_that_branch_alone() {
        let mut doc = json!({"components": {"schemas": {
            "A": {"allOf": [{"$ref": "#/components/schemas/B"}, {"type": "object"}]},
            "B": {"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]},
            "C": {"allOf": [{"$ref": "#/components/schemas/A"}]}
        }}});
        let given = break_endless_merges(&mut doc);
        assert_eq!(given.len(), 1, "{given:?}");
        assert_eq!(given[0].0, "/components/schemas/A/allOf/0");
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"allOf": [{"type": "object"}]})
        );
        assert_eq!(
            doc["components"]["schemas"]["B"],
            json!({"allOf": [{"$ref": "#/components/schemas/A"}, {"type": "object"}]})
        );
        assert_eq!(
            doc["components"]["schemas"]["C"],
            json!({"allOf": [{"$ref": "#/components/schemas/A"}]})
        );
    }
}
