//! Which schema keywords are annotations, and which apply to which `type`: what the schema
//! walk (`schema.rs`) and the 3.1 rewrite (`openapi31.rs`) both drop by.

use serde_json::{Map, Value};

pub(super) const ANNOTATIONS: [&str; 8] = [
    "description",
    "title",
    "summary",
    "example",
    "examples",
    "default",
    "deprecated",
    "$comment",
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

/// Drops keywords that do not apply to the schema's one `type`.
pub(super) fn drop_inapplicable(map: &mut Map<String, Value>) {
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
