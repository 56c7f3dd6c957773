//! Giving up the least that makes a spec generate, on the JSON document (the pipeline then
//! runs again from the typed parse): a schema becomes any JSON (a newtype over
//! `serde_json::Value`, its docs kept); an operation's request body becomes any JSON, its
//! parameters with schemas progenitor cannot take become strings, and only then is the
//! operation left out.

use serde_json::{Value, json};

use crate::error::{escape_token, unescape_token};
use crate::openapi::Method;

/// The schema at `pointer`, made any JSON (its description kept, with why); whether there
/// was one.
pub(crate) fn schema(doc: &mut Value, pointer: &str, why: &str) -> bool {
    let Some(node) = doc.pointer_mut(pointer) else {
        return false;
    };
    let description = node
        .get("description")
        .and_then(Value::as_str)
        .map(|d| format!("{d}\n\n"))
        .unwrap_or_default();
    *node = json!({ "description": format!("{description}Any JSON here: {why}") });
    true
}

/// The JSON pointer of an operation.
pub(crate) fn operation_pointer(path: &str, method: Method) -> String {
    format!("/paths/{}/{}", escape_token(path), method.key())
}

/// The operation's request body, inlined where it refers to a component, for changing.
fn body_mut<'a>(doc: &'a mut Value, op: &str) -> Option<&'a mut Value> {
    let reference = doc
        .pointer(&format!("{op}/requestBody/$ref"))
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .map(str::to_owned);
    if let Some(target) = reference {
        let body = doc.pointer(&target)?.clone();
        *doc.pointer_mut(&format!("{op}/requestBody"))? = body;
    }
    doc.pointer_mut(&format!("{op}/requestBody"))
}

/// The operation's JSON request bodies made any JSON; whether any was typed otherwise.
pub(crate) fn raw_body(doc: &mut Value, op: &str) -> bool {
    let Some(Value::Object(content)) = body_mut(doc, op).and_then(|b| b.get_mut("content")) else {
        return false;
    };
    let mut changed = false;
    for (media_type, media) in content.iter_mut() {
        let json = crate::openapi::media::is_json(media_type);
        if let Value::Object(media) = media
            && json
            && media.get("schema") != Some(&json!({}))
        {
            media.insert("schema".into(), json!({}));
            changed = true;
        }
    }
    changed
}

/// The operation's parameter `name` made a string (inlined where it refers to a component);
/// its index among the operation's parameters, where it was there.
pub(crate) fn string_parameter(doc: &mut Value, op: &str, name: &str) -> Option<usize> {
    let components = doc.pointer("/components/parameters").cloned();
    let Some(Value::Array(parameters)) = doc.pointer_mut(&format!("{op}/parameters")) else {
        return None;
    };
    for (i, parameter) in parameters.iter_mut().enumerate() {
        if let Some(target) = parameter
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/parameters/"))
            && let Some(resolved) = components
                .as_ref()
                .and_then(|c| c.get(unescape_token(target)))
        {
            if resolved.get("name").and_then(Value::as_str) != Some(name) {
                continue;
            }
            *parameter = resolved.clone();
        }
        if parameter.get("name").and_then(Value::as_str) == Some(name) {
            parameter["schema"] = json!({"type": "string"});
            if let Value::Object(p) = parameter {
                p.shift_remove("content");
            }
            return Some(i);
        }
    }
    None
}

/// The operation's parameters whose schemas are more than a scalar, made strings; the
/// names of those changed.
pub(crate) fn string_parameters(doc: &mut Value, op: &str) -> Vec<String> {
    let components = doc.pointer("/components/parameters").cloned();
    let Some(Value::Array(parameters)) = doc.pointer_mut(&format!("{op}/parameters")) else {
        return Vec::new();
    };
    let mut changed = Vec::new();
    for parameter in parameters.iter_mut() {
        // A referenced parameter is inlined: the component may serve other operations.
        if let Some(target) = parameter
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/components/parameters/"))
            && let Some(resolved) = components
                .as_ref()
                .and_then(|c| c.get(unescape_token(target)))
        {
            *parameter = resolved.clone();
        }
        let scalar = parameter.get("schema").is_some_and(|s| {
            s.as_object().is_some_and(|s| {
                s.keys().all(|k| {
                    matches!(
                        k.as_str(),
                        "type" | "format" | "description" | "default" | "example"
                    )
                }) && matches!(
                    s.get("type").and_then(Value::as_str),
                    Some("string" | "integer" | "number" | "boolean")
                )
            })
        });
        if scalar || parameter.get("schema").is_none() {
            continue;
        }
        parameter["schema"] = json!({"type": "string"});
        if let Some(name) = parameter.get("name").and_then(Value::as_str) {
            changed.push(name.to_owned());
        }
    }
    changed
}

/// Leaves the operation out of its path item (the path item out where it held no other);
/// whether it was there.
pub(crate) fn leave_out(doc: &mut Value, path: &str, method: Method) -> bool {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return false;
    };
    let Some(Value::Object(item)) = paths.get_mut(path) else {
        return false;
    };
    let removed = item.shift_remove(method.key()).is_some();
    if !Method::ALL.iter().any(|m| item.contains_key(m.key())) {
        paths.shift_remove(path);
    }
    removed
}

/// An alternate's media type left out of its operation's request body; whether it was there.
pub(crate) fn leave_out_media_type(doc: &mut Value, op: &str, media_type: &str) -> bool {
    match body_mut(doc, op).and_then(|b| b.get_mut("content")) {
        Some(Value::Object(content)) => content.shift_remove(media_type).is_some(),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_operation_gives_up_its_body_types_then_its_parameter_types_then_itself() {
        let mut doc = json!({
            "paths": {"/a": {
                "post": {
                    "parameters": [
                        {"name": "q", "in": "query", "schema": {"type": "string", "not": {"type": "object"}}},
                        {"name": "n", "in": "query", "schema": {"type": "integer"}}
                    ],
                    "requestBody": {"$ref": "#/components/requestBodies/B"}
                },
                "get": {}
            }},
            "components": {"requestBodies": {"B": {"content": {
                "application/json": {"schema": {"type": "object"}},
                "application/xml": {"schema": {"type": "object"}}
            }}}}
        });
        let op = operation_pointer("/a", Method::Post);
        assert!(raw_body(&mut doc, &op));
        assert_eq!(
            doc["paths"]["/a"]["post"]["requestBody"]["content"]["application/json"]["schema"],
            json!({})
        );
        assert_eq!(
            doc["components"]["requestBodies"]["B"]["content"]["application/json"]["schema"],
            json!({"type": "object"}),
            "the component other operations may use is untouched"
        );
        assert!(!raw_body(&mut doc, &op), "nothing left to give up there");
        assert_eq!(string_parameters(&mut doc, &op), ["q"]);
        assert!(leave_out_media_type(&mut doc, &op, "application/xml"));
        assert!(leave_out(&mut doc, "/a", Method::Post));
        assert!(doc["paths"]["/a"].get("post").is_none());
        assert!(leave_out(&mut doc, "/a", Method::Get));
        assert!(doc["paths"].get("/a").is_none(), "an empty path item goes");
    }

    #[test]
    fn a_schema_becomes_any_json_and_keeps_its_description() {
        let mut doc =
            json!({"components": {"schemas": {"A": {"type": "object", "description": "An A."}}}});
        assert!(schema(
            &mut doc,
            "/components/schemas/A",
            "typify refused it"
        ));
        assert_eq!(
            doc["components"]["schemas"]["A"],
            json!({"description": "An A.\n\nAny JSON here: typify refused it"})
        );
        assert!(!schema(&mut doc, "/components/schemas/Nope", "x"));
    }
}
