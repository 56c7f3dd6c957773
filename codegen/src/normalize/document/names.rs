//! Names: component keys that give one Rust name are made unique, and inline schemas typify
//! would name like another type move to `components/schemas` under a unique name (a nullable
//! constrained string or union as a nullable `…` around an `…Inner`).

use serde_json::{Map, Value};

use crate::names;

pub(super) const SCHEMAS: &str = "#/components/schemas/";

/// Names of the prelude that typify's and the generator's code in `mod types` use unqualified
/// (`TryFrom<String>`, `Default::default()`, `Ok(..)`): a schema of one of these names would
/// shadow it.
const PRELUDE: [&str; 10] = [
    "String", "Vec", "Box", "Option", "Default", "From", "Some", "None", "Ok", "Err",
];

/// Component schemas whose keys give the same Rust name (`OBRate1_0`, `OB_Rate1_0`), or the
/// name of a prelude item the generated code uses ([`PRELUDE`]), are renamed (`…2`), and
/// every `$ref` to them follows.
pub(super) fn unique_component_names(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return;
    };
    let mut taken: std::collections::BTreeSet<String> =
        PRELUDE.iter().map(|n| (*n).to_owned()).collect();
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
    rewrite_refs(doc, &map, "");
}

/// Points every `$ref` to a renamed schema (`map`: from → to) at its new name; data (an
/// example, a default, an extension's value) is left alone. `at_key`: the key the node sits
/// under; `names`: its keys are names (of components, of properties).
pub(super) fn rewrite_refs(
    node: &mut Value,
    map: &std::collections::BTreeMap<String, String>,
    at_key: &str,
) {
    rewrite_refs_in(node, map, at_key, false);
}

fn rewrite_refs_in(
    node: &mut Value,
    map: &std::collections::BTreeMap<String, String>,
    at_key: &str,
    names: bool,
) {
    match node {
        Value::Object(obj) => {
            if !names && let Some(Value::String(r)) = obj.get_mut("$ref") {
                let target = map.iter().find(|(from, _)| {
                    r == *from
                        || r.strip_prefix(from.as_str())
                            .is_some_and(|rest| rest.starts_with('/'))
                });
                if let Some((from, to)) = target {
                    *r = format!("{to}{}", &r[from.len()..]);
                }
            }
            for (key, child) in obj.iter_mut() {
                if names {
                    rewrite_refs_in(child, map, key, false);
                    continue;
                }
                // A `$ref` in data (an example, a default, an extension) is data.
                if crate::openapi::is_data(&format!("/{at_key}"), key, child) {
                    continue;
                }
                let names = crate::openapi::keys_are_names(at_key, key);
                rewrite_refs_in(child, map, key, names);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| rewrite_refs_in(v, map, "", false)),
        _ => {}
    }
}

/// Inline schemas inside component schemas that typify would make a named type of (an
/// object with properties, an enum, a composition, a constrained string) and would name
/// like a type already named (`Parent` + `Property`) move to `components/schemas` under that name made unique (`…2`). typify
/// gives two types of the same name one definition, or two clashing ones; named here, each
/// keeps its own. Schemas whose name is free stay where they are.
pub(super) fn hoist_named_schemas(doc: &mut Value) {
    let Some(Value::Object(schemas)) = doc.pointer_mut("/components/schemas") else {
        return;
    };
    let mut taken = names::Taken::new(schemas.keys());
    // typify merges an `allOf` into one type and names the merged properties' inline types
    // after the merging schema: inside schemas an `allOf` refers to, every schema that
    // needs a name gets one here.
    let mut merged = std::collections::BTreeSet::new();
    collect_all_of_targets(&Value::Object(schemas.clone()), &mut merged);
    let mut hoisted = Vec::new();
    // A nullable union, merged `allOf` or constrained string as a component: typify names
    // the nullable wrapper and its inner type alike (two definitions of one name), so the
    // inner schema becomes its own component (`…Inner`) and the component a nullable use
    // of it.
    for (key, schema) in schemas.iter_mut() {
        if let Some(inner) = split_nullable(schema, key, &mut taken) {
            hoisted.push(inner);
        }
    }
    for (name, schema) in std::mem::take(&mut hoisted) {
        schemas.insert(name, schema);
    }
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

/// A response's inline schema hoisted under `key` (a name claimed already), as component
/// schemas are named: the components to add, the schema's own (under `key`) first, then
/// its nullable inner part and the inline schemas inside it that need a name of their own.
pub(crate) fn hoist_response_schema(
    mut schema: Value,
    key: &str,
    taken: &mut names::Taken,
) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    let inner = split_nullable(&mut schema, key, taken);
    let mut hoisted = Vec::new();
    match inner {
        Some((inner_key, mut inner_schema)) => {
            own_names(
                &mut inner_schema,
                &names::pascal(&inner_key),
                taken,
                &mut hoisted,
            );
            out.push((key.to_owned(), schema));
            out.push((inner_key, inner_schema));
        }
        None => {
            own_names(&mut schema, &names::pascal(key), taken, &mut hoisted);
            out.push((key.to_owned(), schema));
        }
    }
    out.extend(hoisted);
    out
}

/// Inside a hoisted response schema, only what would take its parent's very name (a
/// property named by punctuation alone) is named here; the rest stays as typify names it.
fn own_names(
    node: &mut Value,
    base: &str,
    taken: &mut names::Taken,
    hoisted: &mut Vec<(String, Value)>,
) {
    let Value::Object(map) = node else { return };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (prop, child) in props.iter_mut() {
            let name = property_type_name(base, prop);
            if name == names::pascal(base) {
                hoist_site(child, &name, taken, hoisted, false, true);
            } else {
                own_names(child, &name, taken, hoisted);
            }
        }
    }
    for key in ["allOf", "anyOf", "oneOf"] {
        if let Some(Value::Array(branches)) = map.get_mut(key) {
            for b in branches {
                own_names(b, base, taken, hoisted);
            }
        }
    }
}

/// A component schema (`key`) that is a nullable union, merged `allOf` or constrained string:
/// typify names the nullable wrapper and its inner type alike (two definitions of one name),
/// so the inner schema is returned as its own component (`…Inner`, a name claimed from
/// `taken`) and the schema becomes a nullable use of it. `None`: nothing to split.
pub(crate) fn split_nullable(
    schema: &mut Value,
    key: &str,
    taken: &mut names::Taken,
) -> Option<(String, Value)> {
    let Value::Object(map) = schema else {
        return None;
    };
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    let union = map.contains_key("anyOf") || map.contains_key("oneOf");
    let constrained_string = map.get("type").and_then(Value::as_str) == Some("string")
        && !map.contains_key("enum")
        && needs_name(map);
    if !(nullable && (union || constrained_string || merges(map))) || map.contains_key("$ref") {
        return None;
    }
    let inner = taken.claim(&format!("{}Inner", names::pascal(key)));
    map.remove("nullable");
    let mut wrapper = Map::new();
    if let Some(description) = map.get("description") {
        wrapper.insert("description".into(), description.clone());
    }
    wrapper.insert("allOf".into(), Value::Array(vec![reference_to(&inner)]));
    wrapper.insert("nullable".into(), Value::Bool(true));
    let moved = std::mem::replace(schema, Value::Object(wrapper));
    Some((inner, moved))
}

/// The component keys `allOf` branches refer to.
pub(super) fn collect_all_of_targets(node: &Value, out: &mut std::collections::BTreeSet<String>) {
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

pub(super) fn needs_name(schema: &Map<String, Value>) -> bool {
    let constrained_string = schema.get("type").and_then(Value::as_str) == Some("string")
        && ["pattern", "minLength", "maxLength"]
            .iter()
            .any(|k| schema.contains_key(*k));
    schema
        .get("properties")
        .is_some_and(|p| p.as_object().is_some_and(|p| !p.is_empty()))
        // A closed object (no property allowed) is a struct of its own too.
        || schema.get("additionalProperties") == Some(&Value::Bool(false))
        || schema.contains_key("enum")
        || ["allOf", "anyOf", "oneOf"]
            .iter()
            .any(|k| schema.contains_key(*k))
        || constrained_string
}

pub(super) fn hoist_children(
    node: &mut Value,
    base: &str,
    taken: &mut names::Taken,
    hoisted: &mut Vec<(String, Value)>,
    always: bool,
) {
    let Value::Object(map) = node else { return };
    if map.contains_key("$ref") {
        return;
    }
    if let Some(Value::Object(props)) = map.get_mut("properties") {
        for (prop, child) in props.iter_mut() {
            let name = property_type_name(base, prop);
            // A property named by punctuation alone (`_`) would give its type the parent's
            // own name, whatever typify makes of it: it always gets a name of its own.
            let force = name == names::pascal(base);
            hoist_site(child, &name, taken, hoisted, always, force);
        }
    }
    if let Some(child @ Value::Object(_)) = map.get_mut("items") {
        hoist_site(child, &format!("{base}Item"), taken, hoisted, always, false);
    }
    if let Some(child @ Value::Object(_)) = map.get_mut("additionalProperties") {
        hoist_site(
            child,
            &format!("{base}Value"),
            taken,
            hoisted,
            always,
            false,
        );
    }
    // typify names the type of a property it merges from `allOf` branches after the schema
    // and property (`…LineItemsItemProration`): a nullable property of an inline branch,
    // which is always hoisted, must not take that name.
    if let Some(Value::Array(branches)) = map.get("allOf") {
        for branch in branches {
            if let Some(Value::Object(props)) = branch.get("properties") {
                for (prop, child) in props {
                    let nullable = child.get("nullable") == Some(&Value::Bool(true));
                    if nullable && child.as_object().is_some_and(needs_name) {
                        taken.insert(&property_type_name(base, prop));
                    }
                }
            }
        }
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

/// The name typify gives the type of an inline property schema: the parent's name, `_` and
/// the property's in snake case, made PascalCase as a whole (a property `_` gives the
/// parent's own name; `2fa` gives `Parent2fa`).
fn property_type_name(base: &str, prop: &str) -> String {
    use heck::ToSnakeCase;
    names::pascal(&format!("{base}_{}", prop.to_snake_case()))
}

/// `force`: named here whatever it is (its type would take its parent's name).
pub(super) fn hoist_site(
    child: &mut Value,
    name: &str,
    taken: &mut names::Taken,
    hoisted: &mut Vec<(String, Value)>,
    always: bool,
    force: bool,
) {
    let Value::Object(map) = child else { return };
    if map.contains_key("$ref") {
        return;
    }
    if !force && !needs_name(map) {
        hoist_children(child, name, taken, hoisted, always);
        return;
    }
    // typify names an inline schema after its parent and property (titles are gone).
    // A nullable one becomes a wrapper around an inner type; typify gives an inline wrapper
    // and its inner type the same name, so those are always named here.
    let nullable = map.get("nullable") == Some(&Value::Bool(true));
    if !force && !always && !nullable && taken.insert(name) {
        // The name typify will give it is free: it stays inline, and keeps it.
        hoist_children(child, name, taken, hoisted, always);
        return;
    }
    let unique = taken.claim(name);
    hoist_children(child, &unique, taken, hoisted, always);
    let constrained_string =
        child.get("type").and_then(Value::as_str) == Some("string") && child.get("enum").is_none();
    let union = child.get("anyOf").is_some() || child.get("oneOf").is_some();
    let merged = child.as_object().is_some_and(merges);
    if nullable && (constrained_string || union || merged) {
        // typify gives a nullable constrained string, union or merged `allOf` and its inner
        // type one name, as a component or inline: the inner schema becomes its own
        // component (`…Inner`), and the named one a nullable use of it.
        let inner = taken.claim(&format!("{unique}Inner"));
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

/// Whether typify merges the schema's `allOf` into a struct of its own (more than a bare
/// reference to one other schema): a nullable one would be named as its wrapper is.
fn merges(schema: &Map<String, Value>) -> bool {
    let Some(Value::Array(branches)) = schema.get("allOf") else {
        return false;
    };
    let bare_reference = matches!(branches.as_slice(), [Value::Object(one)]
        if one.len() == 1 && one.contains_key("$ref"));
    !bare_reference || schema.contains_key("properties")
}

pub(super) fn reference_to(key: &str) -> Value {
    let mut reference = Map::new();
    reference.insert("$ref".into(), Value::from(format!("{SCHEMAS}{key}")));
    Value::Object(reference)
}

#[cfg(test)]
mod tests {
    use super::super::document;

    use serde_json::json;

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
}
