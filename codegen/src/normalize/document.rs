//! Stage 3a, normalize the document: JSON-level rewrites that come before the typed parse,
//! for what openapiv3 cannot read or progenitor and typify cannot take. Each keeps the
//! document's meaning:
//!
//! - OpenAPI 3.1 becomes 3.0: `type: [T, "null"]` → `type: T, nullable: true` (several
//!   types → `oneOf`, one branch per type); `const` → a one-value `enum`; schema `examples`
//!   → `example`; numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with
//!   the boolean flag; `anyOf`/`oneOf` branches of type `null` → `nullable` (beside one
//!   inline branch: that branch, nullable); `$ref` with
//!   annotation siblings → the `$ref` (other siblings → `allOf: [$ref]` beside them);
//!   `webhooks` (calls the provider makes, not the client) are left out, with a note.
//! - Schema `title`s go (typify would name types after them, and they repeat); inline
//!   schemas typify would name like another type move to `components/schemas` under a
//!   unique name (a nullable constrained string or union as a nullable `…` around an
//!   `…Inner`); component keys that give the same Rust name are made unique.
//! - An `anyOf` of scalars becomes a `oneOf` (an untagged enum takes the first branch that
//!   matches, as `anyOf` reads).
//! - Keywords that do not apply to a schema's `type` (a `minimum` on a string, a `format` on
//!   an object) are dropped: JSON Schema ignores them, typify stops on them.
//! - Enums: `null` values become `nullable`, repeated values are listed once, and the values
//!   of a string enum that YAML read as booleans or numbers become the strings they were.
//! - Operations without an `operationId` get one from their method and path
//!   (`get /cards/{card_token}/balances` → `get_cards_by_card_token_balances`).
//! - Path items given by a local `$ref` are inlined; `security` requirements whose scopes
//!   are `null` get an empty scope list.

use serde_json::{Map, Value};

use crate::names;
use crate::validate::METHODS;

/// The rewritten document and notes for the crate's README.
#[derive(Debug, Clone)]
pub struct Rewritten {
    /// The document, now OpenAPI 3.0 that openapiv3 parses.
    pub value: Value,
    /// What changed that a user of the crate should know (one line each).
    pub notes: Vec<String>,
}

/// Rewrites a validated document (see the module documentation).
pub fn document(mut doc: Value) -> Rewritten {
    let mut notes = Vec::new();
    let is31 = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."));
    if is31 && let Value::Object(root) = &mut doc {
        root.insert("openapi".into(), Value::from("3.0.3"));
        if let Some(Value::Object(hooks)) = root.remove("webhooks")
            && !hooks.is_empty()
        {
            let mut names: Vec<&String> = hooks.keys().collect();
            names.sort();
            notes.push(format!(
                "The spec's {} webhook(s) ({}) are calls the provider makes, not operations of this client.",
                names.len(),
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        root.remove("jsonSchemaDialect");
        root.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(Value::Object(info)) = root.get_mut("info") {
            info.remove("summary");
            if let Some(Value::Object(license)) = info.get_mut("license") {
                license.remove("identifier");
            }
        }
    }
    inline_path_items(&mut doc);
    if let Value::Object(root) = &mut doc
        && let Some(Value::Object(components)) = root.get_mut("components")
    {
        components.remove("pathItems");
    }
    name_operations(&mut doc);
    walk(&mut doc, is31, false);
    unique_component_names(&mut doc);
    hoist_named_schemas(&mut doc);
    Rewritten { value: doc, notes }
}

const SCHEMAS: &str = "#/components/schemas/";

/// Component schemas whose keys give the same Rust name (`OBRate1_0`, `OB_Rate1_0`) are
/// renamed (`…2`), and every `$ref` to them follows.
fn unique_component_names(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut taken = std::collections::BTreeSet::new();
    let mut renames = Vec::new();
    for key in schemas.keys() {
        let name = names::pascal(key);
        if taken.insert(name.clone()) {
            continue;
        }
        let new = names::first_free(key, "", |k| {
            !schemas.contains_key(k) && !taken.contains(&names::pascal(k))
        });
        taken.insert(names::pascal(&new));
        renames.push((key.clone(), new));
    }
    if renames.is_empty() {
        return;
    }
    if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
        let old = std::mem::take(schemas);
        for (k, v) in old {
            let k = renames
                .iter()
                .find(|(from, _)| *from == k)
                .map(|(_, to)| to.clone())
                .unwrap_or(k);
            schemas.insert(k, v);
        }
    }
    let map: std::collections::BTreeMap<String, String> = renames
        .into_iter()
        .map(|(from, to)| {
            (
                format!("{SCHEMAS}{}", crate::error::escape_token(&from)),
                format!("{SCHEMAS}{}", crate::error::escape_token(&to)),
            )
        })
        .collect();
    rewrite_refs(doc, &map);
}

fn rewrite_refs(node: &mut Value, map: &std::collections::BTreeMap<String, String>) {
    match node {
        Value::Object(obj) => {
            if let Some(Value::String(r)) = obj.get_mut("$ref") {
                let target = map.iter().find(|(from, _)| {
                    r == *from
                        || r.strip_prefix(from.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                });
                if let Some((from, to)) = target {
                    *r = format!("{to}{}", &r[from.len()..]);
                }
            }
            obj.values_mut().for_each(|v| rewrite_refs(v, map));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite_refs(v, map)),
        _ => {}
    }
}

/// Inline schemas inside component schemas that typify would make a named type of (an
/// object with properties, an enum, a composition, a constrained string) and would name
/// like a type already named (`Parent` + `Property`) move to `components/schemas` under that name made unique (`…2`). typify
/// gives two types of the same name one definition, or two clashing ones; named here, each
/// keeps its own. Schemas whose name is free stay where they are.
fn hoist_named_schemas(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return;
    };
    let mut taken: std::collections::BTreeSet<String> =
        schemas.keys().map(|k| names::pascal(k)).collect();
    // typify merges an `allOf` into one type and names the merged properties' inline types
    // after the merging schema: inside schemas an `allOf` refers to, every schema that
    // needs a name gets one here.
    let mut merged = std::collections::BTreeSet::new();
    collect_all_of_targets(&Value::Object(schemas.clone()), &mut merged);
    let mut hoisted = Vec::new();
    for (key, schema) in schemas.iter_mut() {
        let always = merged.contains(key);
        hoist_children(
            schema,
            &names::pascal(key),
            &mut taken,
            &mut hoisted,
            always,
        );
    }
    for (name, schema) in hoisted {
        schemas.insert(name, schema);
    }
}

/// The component keys `allOf` branches refer to.
fn collect_all_of_targets(node: &Value, out: &mut std::collections::BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::Array(branches)) = map.get("allOf") {
                for b in branches {
                    if let Some(r) = b.get("$ref").and_then(Value::as_str)
                        && let Some(key) = r.strip_prefix(SCHEMAS)
                    {
                        out.insert(crate::error::unescape_token(key));
                    }
                }
            }
            map.values().for_each(|v| collect_all_of_targets(v, out));
        }
        Value::Array(items) => items.iter().for_each(|v| collect_all_of_targets(v, out)),
        _ => {}
    }
}

fn needs_name(schema: &Map<String, Value>) -> bool {
    let constrained_string = schema.get("type").and_then(Value::as_str) == Some("string")
        && ["pattern", "minLength", "maxLength"]
            .iter()
            .any(|k| schema.contains_key(*k));
    schema
        .get("properties")
        .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
        || schema.contains_key("enum")
        || ["allOf", "anyOf", "oneOf"]
            .iter()
            .any(|k| schema.contains_key(*k))
        || constrained_string
}

fn hoist_children(
    node: &mut Value,
    base: &str,
    taken: &mut std::collections::BTreeSet<String>,
    hoisted: &mut Vec<(String, Value)>,
    always: bool,
) {
    let Value::Object(map) = node else { return };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (prop, child) in props.iter_mut() {
            let name = format!("{base}{}", names::pascal(prop));
            hoist_site(child, &name, taken, hoisted, always);
        }
    }
    if let Some(child @ Value::Object(_)) = map.get_mut("items") {
        hoist_site(child, &format!("{base}Item"), taken, hoisted, always);
    }
    if let Some(child @ Value::Object(_)) = map.get_mut("additionalProperties") {
        hoist_site(child, &format!("{base}Value"), taken, hoisted, always);
    }
    // Branches stay where they are (typify merges `allOf`, names `oneOf` variants); what
    // they hold is named after the schema.
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            for branch in branches {
                hoist_children(branch, base, taken, hoisted, always);
            }
        }
    }
}

fn hoist_site(
    child: &mut Value,
    name: &str,
    taken: &mut std::collections::BTreeSet<String>,
    hoisted: &mut Vec<(String, Value)>,
    always: bool,
) {
    let Value::Object(map) = child else { return };
    if map.contains_key("$ref") {
        return;
    }
    if !needs_name(map) {
        hoist_children(child, name, taken, hoisted, always);
        return;
    }
    // typify names an inline schema after its parent and property (titles are gone).
    // A nullable one becomes a wrapper around an inner type; typify gives an inline wrapper
    // and its inner type the same name, so those are always named here.
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    if !always && !nullable && taken.insert(names::pascal(name)) {
        // The name typify will give it is free: it stays inline, and keeps it.
        hoist_children(child, name, taken, hoisted, always);
        return;
    }
    let unique = names::first_free(name, "", |n| !taken.contains(&names::pascal(n)));
    taken.insert(names::pascal(&unique));
    hoist_children(child, &unique, taken, hoisted, always);
    let constrained_string =
        child.get("type").and_then(Value::as_str) == Some("string") && child.get("enum").is_none();
    let union = child.get("anyOf").is_some() || child.get("oneOf").is_some();
    if nullable && (constrained_string || union) {
        // typify gives a nullable constrained string or union and its inner type one name,
        // as a component or inline: the inner schema becomes its own component (`…Inner`),
        // and the named one a nullable use of it.
        let inner = names::first_free(&format!("{unique}Inner"), "", |n| {
            !taken.contains(&names::pascal(n))
        });
        taken.insert(names::pascal(&inner));
        if let Value::Object(map) = child {
            map.remove("nullable");
        }
        let mut wrapper = Map::new();
        wrapper.insert("allOf".into(), Value::Array(vec![reference_to(&inner)]));
        wrapper.insert("nullable".into(), Value::Bool(true));
        let string = std::mem::replace(child, reference_to(&unique));
        hoisted.push((inner, string));
        hoisted.push((unique, Value::Object(wrapper)));
    } else {
        let schema = std::mem::replace(child, reference_to(&unique));
        hoisted.push((unique, schema));
    }
}

fn reference_to(key: &str) -> Value {
    let mut reference = Map::new();
    reference.insert("$ref".into(), Value::from(format!("{SCHEMAS}{key}")));
    Value::Object(reference)
}

/// Replaces path items given by a local `$ref` with what they point at.
fn inline_path_items(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return;
    };
    let resolved: Vec<(String, Value)> = paths
        .iter()
        .filter_map(|(path, item)| {
            let target = item.get("$ref")?.as_str()?.strip_prefix('#')?;
            let mut value = doc.pointer(target)?.clone();
            // Siblings of the `$ref` (a summary, parameters) are kept where the target has none.
            if let (Value::Object(into), Value::Object(from)) = (&mut value, item) {
                for (k, v) in from {
                    if k != "$ref" && !into.contains_key(k) {
                        into.insert(k.clone(), v.clone());
                    }
                }
            }
            Some((path.clone(), value))
        })
        .collect();
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, value) in resolved {
            paths.insert(path, value);
        }
    }
}

/// A stable operationId from a method and path.
pub fn operation_name(method: &str, path: &str) -> String {
    let mut words = vec![method.to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            words.push("by".into());
            words.push(names::snake(param));
        } else {
            let word = names::snake(segment);
            if !word.is_empty() {
                words.push(word);
            }
        }
    }
    words.join("_")
}

/// Gives every operation without an `operationId` one made from its method and path,
/// unique among the document's operations.
fn name_operations(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let mut taken: std::collections::BTreeSet<String> = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| METHODS.iter().filter_map(|m| item.get(*m)))
        .filter_map(|op| op.get("operationId")?.as_str())
        .map(names::snake)
        .collect();
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for method in METHODS {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            if op.get("operationId").is_some_and(Value::is_string) {
                continue;
            }
            let base = operation_name(method, path);
            let name = names::first_free(&base, "_", |n| !taken.contains(&names::snake(n)));
            taken.insert(names::snake(&name));
            op.insert("operationId".into(), Value::from(name));
        }
    }
}

/// Walks the document outside schemas; `schema` values and `components/schemas` entries
/// are schemas. Examples and extensions are data, left alone.
fn walk(node: &mut Value, is31: bool, in_security: bool) {
    match node {
        Value::Object(map) => {
            if map.get("in").and_then(Value::as_str) == Some("path")
                && let Some(Value::Object(schema)) = map.get_mut("schema")
            {
                string_union_as_string(schema);
            }
            for (key, child) in map.iter_mut() {
                match key.as_str() {
                    "schema" => schema(child, is31),
                    "schemas" => {
                        if let Value::Object(schemas) = child {
                            schemas.values_mut().for_each(|s| schema(s, is31));
                        }
                    }
                    "example" | "examples" => {}
                    k if k.starts_with("x-") => {}
                    "security" => walk(child, is31, true),
                    _ if in_security && child.is_null() => *child = Value::Array(Vec::new()),
                    _ => walk(child, is31, false),
                }
            }
        }
        Value::Array(items) => items.iter_mut().for_each(|v| walk(v, is31, in_security)),
        _ => {}
    }
}

/// A path parameter is text in the URL; where its schema is a union of string schemas
/// (`uuid` or `"latest"`), typify would make a struct that cannot be put in a path, so the
/// parameter is a string (the union's branches are listed in its description).
fn string_union_as_string(schema: &mut Map<String, Value>) {
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = schema.get(key) else {
            continue;
        };
        let all_strings = !branches.is_empty()
            && branches
                .iter()
                .all(|b| b.get("type").and_then(Value::as_str) == Some("string"));
        if !all_strings {
            continue;
        }
        let described: Vec<String> = branches
            .iter()
            .map(|b| match (b.get("format"), b.get("enum")) {
                (Some(f), _) => format!("a `{}` string", f.as_str().unwrap_or("string")),
                (None, Some(Value::Array(e))) => e
                    .iter()
                    .map(|v| format!("`{}`", v.as_str().unwrap_or_default()))
                    .collect::<Vec<_>>()
                    .join(" or "),
                _ => "a string".to_owned(),
            })
            .collect();
        schema.remove(key);
        schema.insert("type".into(), Value::from("string"));
        let text = format!("One of: {}.", described.join("; "));
        let description = match schema.get("description").and_then(Value::as_str) {
            Some(d) => format!("{d}\n\n{text}"),
            None => text,
        };
        schema.insert("description".into(), Value::from(description));
    }
}

const ANNOTATIONS: [&str; 8] = [
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "default",
    "deprecated",
    "$comment",
];

/// 3.1 keywords with no 3.0 counterpart the generator could use.
const ONLY_31: [&str; 19] = [
    "$schema",
    "$id",
    "$anchor",
    "$dynamicAnchor",
    "$comment",
    "contentMediaType",
    "contentEncoding",
    "contentSchema",
    "unevaluatedProperties",
    "unevaluatedItems",
    "prefixItems",
    "dependentRequired",
    "dependentSchemas",
    "if",
    "then",
    "else",
    "patternProperties",
    "propertyNames",
    "contains",
];

const NUMERIC: [&str; 5] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
];
const STRING: [&str; 3] = ["minLength", "maxLength", "pattern"];
const ARRAY: [&str; 4] = ["items", "minItems", "maxItems", "uniqueItems"];
const OBJECT: [&str; 6] = [
    "properties",
    "required",
    "additionalProperties",
    "minProperties",
    "maxProperties",
    "discriminator",
];

/// Rewrites one schema and, depth first, its subschemas.
fn schema(node: &mut Value, is31: bool) {
    let Value::Object(map) = node else { return };
    if map.contains_key("$ref") && map.len() > 1 {
        if !is31 {
            // OpenAPI 3.0: siblings of `$ref` are ignored.
            map.retain(|k, _| k == "$ref");
            return;
        }
        map.retain(|k, _| k == "$ref" || !ANNOTATIONS.contains(&k.as_str()));
        if map.len() > 1 {
            let reference = map.remove("$ref").unwrap_or_default();
            let mut only = Map::new();
            only.insert("$ref".into(), reference);
            match map.get_mut("allOf") {
                Some(Value::Array(all)) => all.insert(0, Value::Object(only)),
                _ => {
                    map.insert("allOf".into(), Value::Array(vec![Value::Object(only)]));
                }
            }
        }
    }
    if map.contains_key("$ref") {
        return;
    }
    if is31 {
        upgrade_31(map);
    }
    // typify names types after titles, which repeat across a spec and often equal the
    // component's own name (a nullable `account_type` titled "Account Type" would define
    // `AccountType` twice); names come from component keys and properties instead.
    map.remove("title");
    scalar_any_of_as_one_of(map);
    fix_enum(map);
    drop_inapplicable(map);
    for key in ["properties"] {
        if let Some(Value::Object(props)) = map.get_mut(key) {
            props.values_mut().for_each(|s| schema(s, is31));
        }
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child @ Value::Object(_)) = map.get_mut(key) {
            schema(child, is31);
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            branches.iter_mut().for_each(|s| schema(s, is31));
        }
    }
}

/// An `anyOf` of inline scalars and arrays (`ipv4` or `ipv6`) becomes a `oneOf`. typify
/// makes an `anyOf` it cannot prove exclusive a struct of flattened optional branches, which
/// serde cannot fill from a string; a `oneOf` becomes an untagged enum, which takes the first
/// branch that matches: what `anyOf` means for a reader.
fn scalar_any_of_as_one_of(map: &mut Map<String, Value>) {
    if map.contains_key("oneOf") {
        return;
    }
    let Some(Value::Array(branches)) = map.get("anyOf") else {
        return;
    };
    let scalar = |b: &Value| {
        b.get("$ref").is_none()
            && matches!(
                b.get("type").and_then(Value::as_str),
                Some("string" | "integer" | "number" | "boolean" | "array")
            )
    };
    if !branches.is_empty() && branches.iter().all(scalar) {
        let branches = map.remove("anyOf").unwrap_or_default();
        map.insert("oneOf".into(), branches);
    }
}

/// The 3.1 forms of one schema (not its subschemas) in 3.0 terms.
fn upgrade_31(map: &mut Map<String, Value>) {
    for k in ONLY_31 {
        map.remove(k);
    }
    if let Some(value) = map.remove("const")
        && !map.contains_key("enum")
    {
        map.insert("enum".into(), Value::Array(vec![value]));
    }
    match map.remove("examples") {
        Some(Value::Array(mut examples)) if !examples.is_empty() => {
            map.entry("example")
                .or_insert_with(|| examples.swap_remove(0));
        }
        _ => {}
    }
    for (exclusive, inclusive) in [
        ("exclusiveMinimum", "minimum"),
        ("exclusiveMaximum", "maximum"),
    ] {
        if let Some(n @ Value::Number(_)) = map.get(exclusive).cloned() {
            map.insert(inclusive.into(), n);
            map.insert(exclusive.into(), Value::Bool(true));
        }
    }
    for key in ["anyOf", "oneOf"] {
        let Some(Value::Array(branches)) = map.get_mut(key) else {
            continue;
        };
        let before = branches.len();
        branches.retain(|b| b.get("type").and_then(Value::as_str) != Some("null"));
        if branches.len() < before {
            map.insert("nullable".into(), Value::Bool(true));
            let lone_inline = match map.get(key) {
                Some(Value::Array(branches)) if branches.is_empty() => {
                    map.remove(key);
                    false
                }
                Some(Value::Array(branches)) => {
                    branches.len() == 1
                        && branches[0].is_object()
                        && branches[0].get("$ref").is_none()
                        && map.keys().all(|k| k == key || is_annotation_or_flag(k))
                }
                _ => false,
            };
            // `oneOf: [null, {inline schema}]` is that schema, nullable: a one-branch union
            // would be a type named like the branch inside it.
            if lone_inline
                && let Some(Value::Array(mut branches)) = map.remove(key)
                && let Some(Value::Object(mut merged)) = branches.pop()
            {
                for (k, v) in std::mem::take(map) {
                    merged.insert(k, v);
                }
                *map = merged;
                upgrade_31(map);
                return;
            }
        }
    }
    let types = match map.get("type") {
        Some(Value::Array(types)) => types.clone(),
        Some(Value::String(t)) if t == "null" => vec![Value::from("null")],
        _ => return,
    };
    let nullable = types.iter().any(|t| t == "null");
    let rest: Vec<Value> = types.into_iter().filter(|t| t != "null").collect();
    map.remove("type");
    if nullable {
        map.insert("nullable".into(), Value::Bool(true));
    }
    match rest.as_slice() {
        [] => {}
        [one] => {
            map.insert("type".into(), one.clone());
        }
        several => {
            // One branch per type, each with the keywords that apply to it.
            let shared: Map<String, Value> = map
                .iter()
                .filter(|(k, _)| !is_annotation_or_flag(k))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            map.retain(|k, _| is_annotation_or_flag(k));
            let branches = several
                .iter()
                .map(|t| {
                    let mut branch = shared.clone();
                    branch.insert("type".into(), t.clone());
                    drop_inapplicable(&mut branch);
                    Value::Object(branch)
                })
                .collect();
            map.insert("oneOf".into(), Value::Array(branches));
        }
    }
}

fn is_annotation_or_flag(key: &str) -> bool {
    ANNOTATIONS.contains(&key)
        || matches!(key, "nullable" | "readOnly" | "writeOnly")
        || key.starts_with("x-")
}

/// `null` in an enum → `nullable`; each value once; a string enum's values as strings.
fn fix_enum(map: &mut Map<String, Value>) {
    let is_string = map.get("type").and_then(Value::as_str) == Some("string");
    let Some(Value::Array(values)) = map.get_mut("enum") else {
        return;
    };
    let before = values.len();
    values.retain(|v| !v.is_null());
    let had_null = values.len() < before;
    if is_string {
        for v in values.iter_mut() {
            match v {
                Value::Bool(b) => *v = Value::from(b.to_string()),
                Value::Number(n) => *v = Value::from(n.to_string()),
                _ => {}
            }
        }
    }
    let mut seen = Vec::with_capacity(values.len());
    values.retain(|v| {
        if seen.contains(v) {
            false
        } else {
            seen.push(v.clone());
            true
        }
    });
    if values.is_empty() {
        map.remove("enum");
    }
    if had_null {
        map.insert("nullable".into(), Value::Bool(true));
    }
}

/// Drops keywords that do not apply to the schema's one `type`.
fn drop_inapplicable(map: &mut Map<String, Value>) {
    let Some(Value::String(t)) = map.get("type") else {
        return;
    };
    let keep_format = matches!(t.as_str(), "string" | "integer" | "number");
    let drop: Vec<&str> = match t.as_str() {
        "string" => [&NUMERIC[..], &ARRAY, &OBJECT].concat(),
        "integer" | "number" => [&STRING[..], &ARRAY, &OBJECT].concat(),
        "boolean" => [&NUMERIC[..], &STRING, &ARRAY, &OBJECT].concat(),
        "array" => [&NUMERIC[..], &STRING, &OBJECT].concat(),
        "object" => [&NUMERIC[..], &STRING, &ARRAY].concat(),
        _ => return,
    };
    for k in drop {
        map.remove(k);
    }
    if !keep_format {
        map.remove("format");
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn one(schema_31: Value) -> Value {
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": {"S": schema_31}}});
        document(doc).value["components"]["schemas"]["S"].clone()
    }

    #[test]
    fn type_lists_with_null_become_nullable() {
        assert_eq!(
            one(json!({"type": ["string", "null"], "maxLength": 3})),
            json!({"type": "string", "nullable": true, "maxLength": 3})
        );
        assert_eq!(
            one(json!({"type": ["string", "integer"], "maxLength": 3, "description": "d"})),
            json!({"description": "d", "oneOf": [
                {"type": "string", "maxLength": 3}, {"type": "integer"}
            ]})
        );
    }

    #[test]
    fn const_examples_and_exclusive_bounds_take_their_30_forms() {
        assert_eq!(
            one(json!({"type": "integer", "const": 3, "examples": [3, 4], "exclusiveMinimum": 1})),
            json!({"type": "integer", "enum": [3], "example": 3, "minimum": 1, "exclusiveMinimum": true})
        );
    }

    #[test]
    fn null_branches_and_ref_siblings() {
        assert_eq!(
            one(json!({"anyOf": [{"$ref": "#/components/schemas/T"}, {"type": "null"}]})),
            json!({"anyOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
        assert_eq!(
            one(json!({"$ref": "#/components/schemas/T", "description": "d"})),
            json!({"$ref": "#/components/schemas/T"})
        );
        assert_eq!(
            one(json!({"$ref": "#/components/schemas/T", "nullable": true})),
            json!({"allOf": [{"$ref": "#/components/schemas/T"}], "nullable": true})
        );
    }

    #[test]
    fn a_null_branch_beside_one_inline_schema_makes_that_schema_nullable() {
        assert_eq!(
            one(json!({"oneOf": [
                {"type": "null", "description": "absent"},
                {"type": ["string", "null"], "maxLength": 3, "description": "code"}
            ]})),
            json!({"type": "string", "maxLength": 3, "nullable": true, "description": "code"})
        );
        // Beside other keywords the union stays a union.
        assert_eq!(
            one(json!({"oneOf": [{"type": "null"}, {"type": "string"}], "enum": ["a", null]})),
            json!({"oneOf": [{"type": "string"}], "nullable": true, "enum": ["a"]})
        );
    }

    #[test]
    fn an_any_of_of_scalars_becomes_a_one_of_and_of_objects_stays() {
        let scalars = json!([{"type": "string", "format": "ipv4"}, {"type": "integer"}]);
        assert_eq!(
            one(json!({"anyOf": scalars.clone()})),
            json!({"oneOf": scalars})
        );
        let objects = json!([
            {"type": "object", "properties": {"a": {"type": "string"}}},
            {"$ref": "#/components/schemas/T"}
        ]);
        assert_eq!(
            one(json!({"anyOf": objects.clone()})),
            json!({"anyOf": objects})
        );
    }

    #[test]
    fn nullable_constrained_strings_and_unions_get_an_inner_component() {
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": {"m": {
            "type": "object",
            "properties": {
                "code": {"oneOf": [{"type": "null"}, {"type": "string", "minLength": 3}]},
                "ip": {"anyOf": [
                    {"type": "string", "format": "ipv4"},
                    {"type": "string", "format": "ipv6"},
                    {"type": "null"}
                ]}
            }
        }}}});
        let schemas = document(doc).value["components"]["schemas"].clone();
        let r = |k: &str| json!({"$ref": format!("#/components/schemas/{k}")});
        assert_eq!(schemas["m"]["properties"]["code"], r("MCode"));
        assert_eq!(
            schemas["MCode"],
            json!({"allOf": [r("MCodeInner")], "nullable": true})
        );
        assert_eq!(
            schemas["MCodeInner"],
            json!({"type": "string", "minLength": 3})
        );
        assert_eq!(schemas["m"]["properties"]["ip"], r("MIp"));
        assert_eq!(
            schemas["MIp"],
            json!({"allOf": [r("MIpInner")], "nullable": true})
        );
        assert_eq!(
            schemas["MIpInner"],
            json!({"oneOf": [
                {"type": "string", "format": "ipv4"},
                {"type": "string", "format": "ipv6"}
            ]})
        );
    }

    #[test]
    fn enums_lose_nulls_and_repeats_and_keep_their_strings() {
        let doc = json!({"openapi": "3.0.3", "components": {"schemas": {
            "S": {"type": "string", "enum": ["WEEK", "WEEK", true, 1, null]}
        }}});
        assert_eq!(
            document(doc).value["components"]["schemas"]["S"],
            json!({"type": "string", "enum": ["WEEK", "true", "1"], "nullable": true})
        );
    }

    #[test]
    fn inapplicable_keywords_go() {
        let doc = json!({"openapi": "3.0.3", "paths": {"/a": {"get": {"parameters": [
            {"name": "q", "in": "query", "schema": {"type": "string", "minimum": 1, "maxLength": 2}}
        ]}}}, "components": {"schemas": {"O": {"type": "object", "format": "x", "properties": {
            "n": {"type": "boolean", "format": "b"}
        }}}}});
        let out = document(doc).value;
        assert_eq!(
            out["paths"]["/a"]["get"]["parameters"][0]["schema"],
            json!({"type": "string", "maxLength": 2})
        );
        assert_eq!(
            out["components"]["schemas"]["O"],
            json!({"type": "object", "properties": {"n": {"type": "boolean"}}})
        );
    }

    #[test]
    fn missing_operation_ids_come_from_method_and_path() {
        let doc = json!({"openapi": "3.0.3", "paths": {
            "/cards/{card_token}/balances": {"get": {}, "post": {"operationId": "x"}},
            "/cards/{cardToken}/balances/": {"get": {}}
        }});
        let out = document(doc).value;
        assert_eq!(
            out["paths"]["/cards/{card_token}/balances"]["get"]["operationId"],
            "get_cards_by_card_token_balances"
        );
        assert_eq!(
            out["paths"]["/cards/{cardToken}/balances/"]["get"]["operationId"],
            "get_cards_by_card_token_balances_2"
        );
    }

    #[test]
    fn path_item_refs_null_scopes_and_webhooks() {
        let doc = json!({"openapi": "3.1.0",
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "security": [{"oauth": null}],
            "webhooks": {"card.created": {}},
            "components": {"pathItems": {"A": {"get": {"operationId": "a"}}}}});
        let out = document(doc);
        assert_eq!(
            out.value["paths"]["/a"],
            json!({"get": {"operationId": "a"}})
        );
        assert_eq!(out.value["security"], json!([{"oauth": []}]));
        assert!(out.value.get("webhooks").is_none());
        assert!(out.notes[0].contains("`card.created`"), "{:?}", out.notes);
    }
}
