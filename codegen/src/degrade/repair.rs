//! Repairs of the JSON document before the typed parse, for constructs real specs publish
//! that openapiv3, progenitor or typify cannot take, each costing as little as it can and
//! saying so (a located warning):
//!
//! - no server: the client has no default base URL (the builder needs one);
//! - a local `$ref` that points at nothing: in a schema, the schema becomes any JSON; a
//!   parameter goes; a request body is any JSON; a response has no body; a header goes;
//! - a `$ref` into the middle of a schema (`#/components/schemas/Company/properties/
//!   dataConnections/items`): the schema it points at becomes a component of its own
//!   (`CompanyDataConnectionsItem`), which both the reference and the place it came from
//!   use, so that it is one type (no warning: nothing is given up);
//! - a `discriminator` without its required `propertyName`: the union stays, untagged
//!   (serde's first fit picks a branch).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::error::{escape_token, unescape_token};
use crate::names;

/// What a repair gave up, and where: (JSON pointer, what and why).
pub(crate) type Given = (String, String);

const SCHEMAS: &str = "/components/schemas/";

/// Runs every repair; what each gave up, in document order.
pub(crate) fn repair(doc: &mut Value) -> Vec<Given> {
    let mut given = Vec::new();
    dangling_references(doc, &mut given);
    aliases_of_themselves(doc, &mut given);
    references_into_schemas(doc);
    discriminators_without_property(doc, &mut String::new(), &mut given);
    given
}

/// The pointer of the warning [`no_server`] gives (moot where the settings name a base URL).
pub(crate) const NO_SERVER: &str = "/servers";

/// A spec that names no server (valid: the server is then `/`, relative to where the spec
/// was served) gets `/`: the client has no default base URL, and says so when built.
pub(crate) fn no_server(doc: &mut Value, given: &mut Vec<Given>) {
    let Value::Object(root) = doc else { return };
    let named = root
        .get("servers")
        .and_then(Value::as_array)
        .is_some_and(|s| !s.is_empty());
    if named {
        return;
    }
    root.insert("servers".into(), serde_json::json!([{"url": "/"}]));
    given.push((
        NO_SERVER.to_owned(),
        "the spec names no server: the client has no default base URL (`ClientBuilder::base_url` \
         names one; building the client fails until then)"
            .into(),
    ));
}

/// A component schema that is only a reference to itself, directly or through other
/// references (`A: {$ref: A}`, `A: {allOf: [{$ref: B}]}, B: {anyOf: [{$ref: A}]}`), says nothing about
/// its values: it is any JSON (typify would make a type that holds only itself).
fn aliases_of_themselves(doc: &mut Value, given: &mut Vec<Given>) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    // The component a schema only refers to, if that is all it does.
    let alias_of = |schema: &Value| -> Option<String> {
        let map = schema.as_object()?;
        let one_branch = ["allOf", "anyOf", "oneOf"].iter().find_map(|k| map.get(*k));
        let reference = match one_branch {
            Some(Value::Array(all)) if all.len() == 1 => all[0].get("$ref")?,
            Some(_) => return None,
            None => map.get("$ref")?,
        };
        let bare = map.keys().all(|k| {
            matches!(
                k.as_str(),
                "$ref"
                    | "allOf"
                    | "anyOf"
                    | "oneOf"
                    | "nullable"
                    | "description"
                    | "title"
                    | "deprecated"
            )
        });
        let key = reference
            .as_str()?
            .strip_prefix("#")?
            .strip_prefix(SCHEMAS)?;
        (bare && !key.contains('/')).then(|| unescape_token(key))
    };
    // A union that lists itself among its alternatives (`A: {anyOf: [{$ref: A}, B]}`): that
    // alternative adds nothing (A is A or B: B), and typify would nest A in A without end.
    let mut self_branches = Vec::new();
    for (key, schema) in schemas {
        for union in ["anyOf", "oneOf"] {
            if let Some(Value::Array(branches)) = schema.get(union)
                && branches.len() > 1
            {
                let me = format!("#{SCHEMAS}{}", escape_token(key));
                for (i, b) in branches.iter().enumerate().rev() {
                    if b.get("$ref").and_then(Value::as_str) == Some(me.as_str()) {
                        self_branches.push((key.clone(), union, i));
                    }
                }
            }
        }
    }
    let mut looping = Vec::new();
    for key in schemas.keys() {
        let mut seen = BTreeSet::from([key.clone()]);
        let mut at = key.clone();
        while let Some(next) = schemas.get(&at).and_then(alias_of) {
            if next == *key {
                looping.push(key.clone());
                break;
            }
            if !seen.insert(next.clone()) {
                break;
            }
            at = next;
        }
    }
    for (key, union, i) in self_branches {
        let at = format!("{SCHEMAS}{}/{union}", escape_token(&key));
        if let Some(Value::Array(branches)) = doc.pointer_mut(&at) {
            branches.remove(i);
            given.push((
                format!("{at}/{i}"),
                format!("`{union}` branch left out: it is `{key}` itself (it adds nothing)"),
            ));
        }
    }
    for key in looping {
        let pointer = format!("{SCHEMAS}{}", escape_token(&key));
        if let Some(node) = doc.pointer_mut(&pointer) {
            *node = serde_json::json!({"description": "Any JSON: the spec's schema only refers to itself."});
            given.push((
                pointer,
                "typed as any JSON: the schema only refers to itself (through `$ref`s)".into(),
            ));
        }
    }
}

/// Where a node sits, by the keys above it: what a `$ref` there stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Position {
    Schema,
    Parameter,
    RequestBody,
    Response,
    Header,
    Other,
}

/// The position of the node at `at` (its tokens), read from its last keys.
fn position(tokens: &[String]) -> Position {
    let last = tokens.last().map(String::as_str).unwrap_or_default();
    let before = tokens
        .len()
        .checked_sub(2)
        .map(|i| tokens[i].as_str())
        .unwrap_or_default();
    match (before, last) {
        ("components", "schemas") => Position::Other,
        (_, "schema" | "items" | "additionalProperties" | "not") => Position::Schema,
        ("properties" | "schemas" | "allOf" | "anyOf" | "oneOf" | "patternProperties", _) => {
            Position::Schema
        }
        ("parameters", _) => Position::Parameter,
        (_, "requestBody") | ("requestBodies", _) => Position::RequestBody,
        ("responses", _) => Position::Response,
        ("headers", _) => Position::Header,
        _ => Position::Other,
    }
}

/// Whether a `$ref` at `at` (a JSON pointer) that points at nothing is repaired here (in a
/// schema, parameter, request body, response or header); validate refuses the others.
pub(crate) fn repairs_dangling(at: &str) -> bool {
    let tokens: Vec<String> = at.split('/').skip(1).map(unescape_token).collect();
    position(&tokens) != Position::Other
}

/// Every local `$ref` that points at nothing, replaced by the least that can stand for it.
fn dangling_references(doc: &mut Value, given: &mut Vec<Given>) {
    let mut dangling: Vec<(Vec<String>, String)> = Vec::new();
    find_dangling(doc, doc, &mut Vec::new(), &mut dangling);
    // Deepest first, and list items from the last, so that removing one moves no other.
    dangling.sort_by(|a, b| b.0.len().cmp(&a.0.len()).then_with(|| b.0.cmp(&a.0)));
    for (tokens, target) in dangling {
        let at = to_pointer(&tokens);
        let reference = format!("reference {target:?} points at nothing");
        match position(&tokens) {
            Position::Schema => {
                let description = format!("Any JSON: the spec's {reference}.");
                if let Some(node) = doc.pointer_mut(&at) {
                    *node = serde_json::json!({ "description": description });
                }
                given.push((
                    format!("{at}/$ref"),
                    format!("typed as any JSON: {reference}"),
                ));
            }
            Position::Parameter if remove_item(doc, &tokens) => {
                given.push((
                    format!("{at}/$ref"),
                    format!("parameter left out: {reference}"),
                ));
            }
            Position::RequestBody => {
                if let Some(node) = doc.pointer_mut(&at) {
                    *node = serde_json::json!({
                        "description": format!("Any JSON: the spec's {reference}."),
                        "content": {"application/json": {"schema": {}}}
                    });
                }
                given.push((
                    format!("{at}/$ref"),
                    format!("body sent as any JSON: {reference}"),
                ));
            }
            Position::Response => {
                if let Some(node) = doc.pointer_mut(&at) {
                    *node = serde_json::json!({
                        "description": format!("Undocumented: the spec's {reference}.")
                    });
                }
                given.push((
                    format!("{at}/$ref"),
                    format!("response without a body: {reference}"),
                ));
            }
            Position::Header if remove_item(doc, &tokens) => {
                given.push((
                    format!("{at}/$ref"),
                    format!("header left out: {reference}"),
                ));
            }
            // Where nothing smaller stands for it, the reference stays, for the typed parse
            // to refuse where it is.
            _ => {}
        }
    }
}

fn find_dangling(
    root: &Value,
    node: &Value,
    at: &mut Vec<String>,
    out: &mut Vec<(Vec<String>, String)>,
) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref")
                && let Some(local) = target.strip_prefix('#')
                && root.pointer(local).is_none()
            {
                out.push((at.clone(), target.clone()));
                return;
            }
            for (key, value) in map {
                let (parent, last) = match at.as_slice() {
                    [.., parent, last] => (parent.as_str(), last.as_str()),
                    [last] => ("", last.as_str()),
                    [] => ("", ""),
                };
                if crate::openapi::is_data_under(parent, last, key, value) {
                    continue;
                }
                at.push(key.clone());
                find_dangling(root, value, at, out);
                at.pop();
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                at.push(i.to_string());
                find_dangling(root, value, at, out);
                at.pop();
            }
        }
        _ => {}
    }
}

/// Removes the node at `tokens` from its array or object; whether it was there.
fn remove_item(doc: &mut Value, tokens: &[String]) -> bool {
    let Some((last, parent)) = tokens.split_last() else {
        return false;
    };
    match doc.pointer_mut(&to_pointer(parent)) {
        Some(Value::Array(items)) => match last.parse::<usize>() {
            Ok(i) if i < items.len() => {
                items.remove(i);
                true
            }
            _ => false,
        },
        Some(Value::Object(map)) => map.shift_remove(last).is_some(),
        _ => false,
    }
}

fn to_pointer(tokens: &[String]) -> String {
    tokens
        .iter()
        .map(|t| format!("/{}", escape_token(t)))
        .collect()
}

/// `$ref`s into the middle of a component schema: the schema they point at becomes a
/// component of its own, used by them and by the place it came from.
fn references_into_schemas(doc: &mut Value) {
    let mut targets = BTreeSet::new();
    collect_deep_targets(doc, &mut String::new(), &mut targets);
    if targets.is_empty() {
        return;
    }
    let mut taken = match doc.pointer("/components/schemas") {
        Some(Value::Object(schemas)) => names::Taken::new(schemas.keys()),
        _ => return,
    };
    // Deepest first: a target inside another is moved out before its container.
    let mut targets: Vec<String> = targets.into_iter().collect();
    targets.sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
    let mut renames: BTreeMap<String, String> = BTreeMap::new();
    for target in targets {
        let Some(node) = doc.pointer_mut(&target) else {
            continue;
        };
        if !node.is_object() {
            continue;
        }
        let name = taken.claim(&component_name(&target));
        let reference = format!("#{SCHEMAS}{}", escape_token(&name));
        let schema = std::mem::replace(node, serde_json::json!({ "$ref": reference }));
        if let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") {
            schemas.insert(name, schema);
        }
        renames.insert(format!("#{target}"), reference);
    }
    rewrite(doc, &renames);
}

/// The pointers (`/components/schemas/X/...`) that local `$ref`s name below a component.
fn collect_deep_targets(node: &Value, at: &mut String, out: &mut BTreeSet<String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get("$ref")
                && let Some(local) = target.strip_prefix('#')
                && let Some(rest) = local.strip_prefix(SCHEMAS)
                && rest.contains('/')
            {
                out.insert(local.to_owned());
            }
            for (key, value) in map {
                if !crate::openapi::is_data(at, key, value) {
                    let len = at.len();
                    at.push('/');
                    at.push_str(&escape_token(key));
                    collect_deep_targets(value, at, out);
                    at.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                collect_deep_targets(v, at, out);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

/// A component's name for the schema at `pointer`: its component's, then each property's,
/// `Item` for array items: `/components/schemas/Company/properties/dataConnections/items`
/// → `CompanyDataConnectionsItem`.
fn component_name(pointer: &str) -> String {
    let tokens: Vec<String> = pointer
        .trim_start_matches(SCHEMAS)
        .split('/')
        .map(unescape_token)
        .collect();
    let mut name = String::new();
    let mut previous = "";
    for token in &tokens {
        match token.as_str() {
            "properties" | "allOf" | "anyOf" | "oneOf" => {}
            "items" => name.push_str("Item"),
            "additionalProperties" => name.push_str("Value"),
            t if t.parse::<usize>().is_ok() && matches!(previous, "allOf" | "anyOf" | "oneOf") => {
                name.push_str(&format!("Branch{t}"));
            }
            t => name.push_str(&names::pascal(t)),
        }
        previous = token;
    }
    if name.is_empty() {
        "Schema".into()
    } else {
        name
    }
}

/// Every `$ref` whose target `renames` names points at its new place instead.
fn rewrite(node: &mut Value, renames: &BTreeMap<String, String>) {
    match node {
        Value::Object(map) => {
            if let Some(Value::String(target)) = map.get_mut("$ref")
                && let Some(new) = renames.get(target.as_str())
            {
                *target = new.clone();
            }
            map.values_mut().for_each(|v| rewrite(v, renames));
        }
        Value::Array(items) => items.iter_mut().for_each(|v| rewrite(v, renames)),
        _ => {}
    }
}

/// A `discriminator` without `propertyName` (invalid, published anyway) goes: the union it
/// sits on stays, untagged.
fn discriminators_without_property(node: &mut Value, at: &mut String, given: &mut Vec<Given>) {
    match node {
        Value::Object(map) => {
            // In a map of properties, `discriminator` names a property, not the keyword.
            let names_properties =
                at.ends_with("/properties") || at.ends_with("/patternProperties");
            let lacks_property = !names_properties
                && map
                    .get("discriminator")
                    .is_some_and(|d| d.get("propertyName").is_none_or(|p| !p.is_string()));
            if lacks_property {
                map.shift_remove("discriminator");
                given.push((
                    format!("{at}/discriminator"),
                    "a discriminator without `propertyName`: the union is untagged (the first \
                     branch that fits is taken)"
                        .into(),
                ));
            }
            for (key, value) in map.iter_mut() {
                if crate::openapi::is_data(at, key, value) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&escape_token(key));
                discriminators_without_property(value, at, given);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter_mut().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                discriminators_without_property(value, at, given);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_dangling_reference_costs_only_what_it_stands_for() {
        let mut doc = json!({
            "paths": {"/a": {"post": {
                "parameters": [{"$ref": "#/components/parameters/Gone"}, {"name": "q", "in": "query"}],
                "requestBody": {"$ref": "#/components/requestBodies/Gone"},
                "responses": {"200": {"$ref": "#/components/responses/Gone"}}
            }}},
            "components": {"schemas": {"A": {"type": "object", "properties": {
                "fine": {"type": "string"},
                "broken": {"$ref": "#/components/schemas/Missing"}
            }}}}
        });
        let given = repair(&mut doc);
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["broken"]["description"],
            "Any JSON: the spec's reference \"#/components/schemas/Missing\" points at nothing."
        );
        let op = &doc["paths"]["/a"]["post"];
        assert_eq!(op["parameters"], json!([{"name": "q", "in": "query"}]));
        assert_eq!(
            op["requestBody"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert!(op["responses"]["200"].get("content").is_none());
        let pointers: Vec<&str> = given.iter().map(|(p, _)| p.as_str()).collect();
        assert!(
            pointers.contains(&"/components/schemas/A/properties/broken/$ref"),
            "{given:?}"
        );
        assert!(
            pointers.contains(&"/paths/~1a/post/parameters/0/$ref"),
            "{given:?}"
        );
        assert_eq!(given.len(), 4, "{given:?}");
    }

    #[test]
    fn a_reference_into_a_schema_makes_what_it_names_a_component() {
        let mut doc = json!({
            "paths": {"/c": {"get": {"responses": {"200": {"description": "ok", "content": {
                "application/json": {"schema": {"$ref": "#/components/schemas/Company/properties/dataConnections/items"}}
            }}}}}},
            "components": {"schemas": {
                "Company": {"type": "object", "properties": {"dataConnections": {
                    "type": "array", "items": {"type": "object", "properties": {"id": {"type": "string"}}}
                }}},
                "Other": {"properties": {"c": {"$ref": "#/components/schemas/Company/properties/dataConnections/items"}}}
            }}
        });
        assert!(repair(&mut doc).is_empty(), "nothing is given up");
        let r = json!({"$ref": "#/components/schemas/CompanyDataConnectionsItem"});
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["CompanyDataConnectionsItem"]["properties"]["id"]["type"],
            "string"
        );
        assert_eq!(
            schemas["Company"]["properties"]["dataConnections"]["items"],
            r
        );
        assert_eq!(schemas["Other"]["properties"]["c"], r);
        assert_eq!(
            doc["paths"]["/c"]["get"]["responses"]["200"]["content"]["application/json"]["schema"],
            r
        );
    }

    #[test]
    fn a_property_named_discriminator_is_a_property() {
        let mut doc = json!({"components": {"schemas": {"Idl": {"type": "object", "properties": {
            "discriminator": {"type": "array", "items": {"type": "integer"}}
        }}}}});
        let before = doc.clone();
        assert!(repair(&mut doc).is_empty());
        assert_eq!(doc, before);
    }

    #[test]
    fn a_discriminator_without_its_property_goes_and_the_union_stays() {
        let mut doc = json!({"components": {"schemas": {"Pet": {
            "oneOf": [{"$ref": "#/components/schemas/Cat"}],
            "discriminator": {"mapping": {"cat": "#/components/schemas/Cat"}}
        }, "Cat": {"type": "object"}}}});
        let given = repair(&mut doc);
        assert!(
            doc["components"]["schemas"]["Pet"]
                .get("discriminator")
                .is_none()
        );
        assert!(doc["components"]["schemas"]["Pet"]["oneOf"].is_array());
        assert_eq!(given[0].0, "/components/schemas/Pet/discriminator");
    }
}
