//! OpenAPI 3.1 schemas in their 3.0 forms: type lists with `null`, `const`, `examples`,
//! numeric exclusive bounds, `null` branches, `$ref` siblings.

use serde_json::{Map, Value};

use super::keywords::{ANNOTATIONS, drop_inapplicable};

/// 3.1 keywords with no 3.0 counterpart the generator could use.
pub(super) const ONLY_31: [&str; 19] = [
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

/// The 3.1 forms of one schema (not its subschemas) in 3.0 terms.
pub(super) fn upgrade_31(map: &mut Map<String, Value>) {
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

pub(super) fn is_annotation_or_flag(key: &str) -> bool {
    ANNOTATIONS.contains(&key)
        || matches!(key, "nullable" | "readOnly" | "writeOnly")
        || key.starts_with("x-")
}

#[cfg(test)]
mod tests {

    use super::super::tests::one;
    use serde_json::json;

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
}
