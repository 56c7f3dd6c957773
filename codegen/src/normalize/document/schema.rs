//! Every schema of the document, walked: keywords that do not apply to its `type` go, enums
//! are repaired, an `anyOf` of scalars becomes a `oneOf`, string unions in path parameters
//! become strings, titles go; 3.1 schemas take their 3.0 forms on the way ([`super::openapi31`]).

use serde_json::{Map, Value};

use super::keywords::{ANNOTATIONS, drop_inapplicable};
use super::openapi31::upgrade_31;

/// Walks the document outside schemas; `schema` values and `components/schemas` entries
/// are schemas. Examples and extensions are data, left alone.
pub(super) fn walk(node: &mut Value, is31: bool, in_security: bool) {
    walk_under(node, is31, in_security, "", false);
}

/// `at_key`: the key the node sits under; `names`: its keys are names (a component's, a
/// header's), not keywords or extensions.
fn walk_under(node: &mut Value, is31: bool, in_security: bool, at_key: &str, names: bool) {
    match node {
        Value::Object(map) => {
            if map.get("in").and_then(Value::as_str) == Some("path")
                && let Some(Value::Object(schema)) = map.get_mut("schema")
            {
                string_union_as_string(schema);
            }
            for (key, child) in map.iter_mut() {
                if names {
                    if at_key == "schemas" {
                        schema(child, is31);
                    } else {
                        walk_under(child, is31, false, key, false);
                    }
                    continue;
                }
                match key.as_str() {
                    "schema" => schema(child, is31),
                    "example" | "examples" => {}
                    k if k.starts_with("x-") => {}
                    "security" => walk_under(child, is31, true, key, false),
                    _ if in_security && child.is_null() => *child = Value::Array(Vec::new()),
                    _ => {
                        let names = crate::openapi::keys_are_names(at_key, key);
                        walk_under(child, is31, false, key, names);
                    }
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| walk_under(v, is31, in_security, at_key, false)),
        _ => {}
    }
}

/// A path parameter is text in the URL; where its schema is a union of string schemas
/// (`uuid` or `"latest"`), typify would make a struct that cannot be put in a path, so the
/// parameter is a string (the union's branches are listed in its description).
pub(super) fn string_union_as_string(schema: &mut Map<String, Value>) {
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

/// A `not` that only forbids properties' presence (`not: {required: [x]}`, or an `anyOf` of
/// such) beside other keywords: typify cannot take it (it panics), and a Rust type has no
/// way to say a field must be absent; the type of the object is the same without it.
fn drop_presence_not(map: &mut Map<String, Value>) {
    fn presence_only(node: &Value) -> bool {
        let Value::Object(m) = node else { return false };
        m.iter().all(|(k, v)| match k.as_str() {
            "required" => true,
            "anyOf" | "oneOf" | "allOf" => {
                v.as_array().is_some_and(|b| b.iter().all(presence_only))
            }
            "description" => true,
            _ => false,
        })
    }
    if map.len() > 1 && map.get("not").is_some_and(presence_only) {
        map.remove("not");
    }
}

/// Rewrites one schema and, depth first, its subschemas.
pub(super) fn schema(node: &mut Value, is31: bool) {
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
    drop_presence_not(map);
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
pub(super) fn scalar_any_of_as_one_of(map: &mut Map<String, Value>) {
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

/// `null` in an enum → `nullable`; each value once; a string enum's values as strings.
pub(super) fn fix_enum(map: &mut Map<String, Value>) {
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
    one_enum_per_type(map);
}

/// An enum without a `type` whose values are of several types (`["a", 1, true]`; typify
/// panics on it) becomes a `oneOf` of one enum per type, in the order the types first
/// appear: every value stays allowed, each typed.
fn one_enum_per_type(map: &mut Map<String, Value>) {
    if map.contains_key("type") {
        return;
    }
    let Some(Value::Array(values)) = map.get("enum") else {
        return;
    };
    let type_of = |v: &Value| match v {
        Value::String(_) => Some("string"),
        Value::Bool(_) => Some("boolean"),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
        Value::Number(_) => Some("number"),
        _ => None,
    };
    let mut groups: Vec<(&str, Vec<Value>)> = Vec::new();
    for v in values {
        let Some(ty) = type_of(v) else { return };
        match groups.iter_mut().find(|(t, _)| *t == ty) {
            Some((_, group)) => group.push(v.clone()),
            None => groups.push((ty, vec![v.clone()])),
        }
    }
    if groups.len() < 2 {
        return;
    }
    map.remove("enum");
    map.remove("default");
    let branches = groups
        .into_iter()
        .map(|(ty, values)| {
            let mut branch = Map::new();
            branch.insert("type".into(), Value::from(ty));
            branch.insert("enum".into(), Value::Array(values));
            Value::Object(branch)
        })
        .collect();
    map.insert("oneOf".into(), Value::Array(branches));
}

#[cfg(test)]
mod tests {
    use super::super::document;
    use super::super::tests::one;
    use serde_json::json;

    #[test]
    fn an_enum_of_several_types_becomes_one_enum_per_type() {
        assert_eq!(
            one(json!({"enum": ["a", 1, true, "b", null], "default": "a"})),
            json!({"nullable": true, "oneOf": [
                {"type": "string", "enum": ["a", "b"]},
                {"type": "integer", "enum": [1]},
                {"type": "boolean", "enum": [true]}
            ]})
        );
        assert_eq!(
            one(json!({"enum": ["a", "b"]})),
            json!({"enum": ["a", "b"]})
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
}
