//! `default` and `example` values that do not conform to their schema (a default that is not
//! one of the enum's values, a string where a number goes): typify refuses such a default,
//! and an example that does not fit is no example. Each is dropped with a located note for
//! the crate's README, never fatal. Only what can be told for certain is checked: the type,
//! the enum's values, a number's bounds.

use serde_json::{Map, Value};

use crate::error::escape_token;

/// Drops every nonconforming `default` and `example` of the document's schemas; one note each.
pub(super) fn drop_nonconforming(doc: &mut Value, notes: &mut Vec<String>) {
    walk(doc, &mut String::new(), notes);
}

fn walk(node: &mut Value, pointer: &mut String, notes: &mut Vec<String>) {
    match node {
        Value::Object(map) => {
            if map.contains_key("type") || map.contains_key("enum") {
                for key in ["default", "example"] {
                    if let Some(value) = map.get(key)
                        && let Some(why) = nonconforming(map, value)
                    {
                        notes.push(format!(
                            "The `{key}` at `#{pointer}` does not conform to its schema ({why}): left out."
                        ));
                        map.remove(key);
                    }
                }
            }
            for (key, child) in map.iter_mut() {
                if crate::openapi::is_data(pointer, key, child) {
                    continue;
                }
                let len = pointer.len();
                pointer.push('/');
                pointer.push_str(&escape_token(key));
                walk(child, pointer, notes);
                pointer.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter_mut().enumerate() {
                let len = pointer.len();
                pointer.push_str(&format!("/{i}"));
                walk(child, pointer, notes);
                pointer.truncate(len);
            }
        }
        _ => {}
    }
}

/// Why `value` does not conform to `schema`, where that is certain.
fn nonconforming(schema: &Map<String, Value>, value: &Value) -> Option<String> {
    let nullable = schema.get("nullable") == Some(&Value::Bool(true));
    if value.is_null() {
        return (!nullable && schema.contains_key("type"))
            .then(|| "null where none is allowed".to_owned());
    }
    if let Some(Value::Array(values)) = schema.get("enum")
        && !values.is_empty()
        && !values.contains(value)
    {
        return Some("not one of the enum's values".to_owned());
    }
    let fits = match schema.get("type").and_then(Value::as_str) {
        Some("string") => value.is_string(),
        Some("integer") => value.is_i64() || value.is_u64(),
        Some("number") => value.is_number(),
        Some("boolean") => value.is_boolean(),
        Some("array") => value.is_array(),
        Some("object") => value.is_object(),
        _ => true,
    };
    if !fits {
        return Some(format!(
            "a {} where the schema says {}",
            kind(value),
            schema["type"]
        ));
    }
    if let Some(n) = value.as_f64() {
        if schema
            .get("minimum")
            .and_then(Value::as_f64)
            .is_some_and(|min| n < min)
        {
            return Some("below its minimum".to_owned());
        }
        if schema
            .get("maximum")
            .and_then(Value::as_f64)
            .is_some_and(|max| n > max)
        {
            return Some("above its maximum".to_owned());
        }
    }
    None
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_default_outside_the_enum_and_a_mistyped_example_are_dropped_with_a_note() {
        let mut doc = json!({"components": {"schemas": {
            "State": {"type": "string", "enum": ["open", "paid"], "default": "all"},
            "Count": {"type": "integer", "minimum": 1, "example": "ten", "default": 5},
            "Fine": {"type": "string", "enum": ["a"], "default": "a", "example": "a"},
            "Odd": {"type": "object", "x-data": {"type": "string", "default": 1}},
        }}});
        let mut notes = Vec::new();
        drop_nonconforming(&mut doc, &mut notes);
        let schemas = &doc["components"]["schemas"];
        assert!(schemas["State"].get("default").is_none());
        assert!(schemas["Count"].get("example").is_none());
        assert_eq!(schemas["Count"]["default"], 5);
        assert_eq!(schemas["Fine"]["default"], "a");
        assert_eq!(
            schemas["Odd"]["x-data"]["default"], 1,
            "extension values are data"
        );
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].contains("#/components/schemas/State") && notes[0].contains("enum"),
            "{notes:?}"
        );
    }
}
