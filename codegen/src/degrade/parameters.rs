//! Parameters the generated client cannot send as the spec writes them, given up one at a
//! time before progenitor sees them (each a located warning), instead of costing their
//! operation:
//!
//! - a header or path parameter whose type has no text form (an array, an object, a union, a
//!   nullable value) is sent as a string the caller formats (`a,b` in the `simple` style);
//! - a parameter given as `content` (`application/json` in a query) is a string the caller
//!   serializes;
//! - a path parameter in the `label` or `matrix` style, a query parameter in the
//!   `spaceDelimited` or `pipeDelimited` style, is a string the caller formats;
//! - a cookie parameter is left out (the client sends no cookies; a `Cookie` header does).
//!
//! Runs on the JSON document after 3.1 forms became 3.0 ones (one `type`, `nullable`).

use serde_json::{Value, json};

use super::repair::Given;
use crate::error::escape_token;
use crate::openapi::Method;

/// Gives up what cannot be sent, in path items, operations and `components/parameters`;
/// what was given up.
pub(crate) fn as_sendable(doc: &mut Value) -> Vec<Given> {
    let mut given = Vec::new();
    let schemas = doc
        .pointer("/components/schemas")
        .cloned()
        .unwrap_or(Value::Null);
    if let Some(Value::Object(params)) = doc.pointer_mut("/components/parameters") {
        let mut left_out = Vec::new();
        for (key, p) in params.iter_mut() {
            let at = format!("/components/parameters/{}", escape_token(key));
            if sendable(p, &at, &schemas, &mut given) == Sendable::LeftOut {
                left_out.push(format!("#/components/parameters/{}", escape_token(key)));
            }
        }
        // Uses of a parameter left out go too.
        if !left_out.is_empty() {
            drop_references(doc, &left_out);
        }
    }
    let components = doc
        .pointer("/components/parameters")
        .cloned()
        .unwrap_or(Value::Null);
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return given;
    };
    for (path, item) in paths.iter_mut() {
        one_location_per_name(path, item, &components, &mut given);
    }
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let item_at = format!("/paths/{}", escape_token(path));
        for (key, node) in item.iter_mut() {
            let list_at = match key.as_str() {
                "parameters" => format!("{item_at}/parameters"),
                k if Method::from_key(k).is_some() => format!("{item_at}/{k}/parameters"),
                _ => continue,
            };
            let list = if key == "parameters" {
                Some(node)
            } else {
                node.get_mut("parameters")
            };
            let Some(Value::Array(list)) = list else {
                continue;
            };
            let mut index = 0;
            list.retain_mut(|p| {
                let at = format!("{list_at}/{index}");
                index += 1;
                sendable(p, &at, &schemas, &mut given) != Sendable::LeftOut
            });
        }
    }
    given
}

#[derive(Debug, PartialEq, Eq)]
enum Sendable {
    Yes,
    LeftOut,
}

/// Makes one parameter sendable (a `$ref` is the component's business).
fn sendable(p: &mut Value, at: &str, schemas: &Value, given: &mut Vec<Given>) -> Sendable {
    let Value::Object(map) = p else {
        return Sendable::Yes;
    };
    if map.contains_key("$ref") {
        return Sendable::Yes;
    }
    let name = map
        .get("name")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    let location = map
        .get("in")
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned();
    if location == "cookie" {
        given.push((
            at.to_owned(),
            format!(
                "cookie parameter `{name}` left out: the client sends no cookies (send it in a \
                 `Cookie` header)"
            ),
        ));
        return Sendable::LeftOut;
    }
    let style = map.get("style").and_then(Value::as_str).unwrap_or_default();
    let why = if map.contains_key("content") {
        let media = map
            .get("content")
            .and_then(Value::as_object)
            .and_then(|c| c.keys().next().cloned())
            .unwrap_or_default();
        Some(format!(
            "its value is `{media}` content (the caller serializes it)"
        ))
    } else if matches!(
        (location.as_str(), style),
        ("path", "label" | "matrix") | ("query", "spaceDelimited" | "pipeDelimited")
    ) {
        Some(format!(
            "the `{style}` style is not generated (the caller formats it)"
        ))
    } else if matches!(location.as_str(), "header" | "path")
        && map
            .get("schema")
            .is_some_and(|s| !has_text_form(s, schemas, 0))
    {
        Some(format!(
            "a {location} parameter of this type has no text form (the caller formats it)"
        ))
    } else {
        None
    };
    if let Some(why) = why {
        let description = map.get("description").cloned();
        map.shift_remove("content");
        map.shift_remove("style");
        map.shift_remove("explode");
        map.insert("schema".into(), json!({"type": "string"}));
        if let Some(d) = description {
            map.insert("description".into(), d);
        }
        given.push((
            at.to_owned(),
            format!("parameter `{name}` sent as a string: {why}"),
        ));
    }
    Sendable::Yes
}

/// Whether values of the schema print as one piece of text (`Display`): scalars, their
/// enums, references to those; not arrays, objects, unions or nullable values.
fn has_text_form(schema: &Value, schemas: &Value, depth: usize) -> bool {
    if depth > 16 {
        return false;
    }
    let Value::Object(map) = schema else {
        return true;
    };
    if let Some(target) = map.get("$ref").and_then(Value::as_str) {
        let Some(key) = target.strip_prefix("#/components/schemas/") else {
            return false;
        };
        let key = crate::error::unescape_token(key);
        return schemas
            .get(&key)
            .is_some_and(|s| has_text_form(s, schemas, depth + 1));
    }
    if map.get("nullable") == Some(&Value::Bool(true)) {
        return false;
    }
    if let Some(Value::Array(all)) = map.get("allOf") {
        return all.len() == 1 && has_text_form(&all[0], schemas, depth + 1);
    }
    if map.contains_key("anyOf") || map.contains_key("oneOf") || map.contains_key("properties") {
        return false;
    }
    match map.get("type").and_then(Value::as_str) {
        Some("string") => map.get("format").and_then(Value::as_str) != Some("binary"),
        Some("integer" | "number" | "boolean") => true,
        Some(_) => false,
        // No type: any JSON, which prints.
        None => !map.contains_key("items") && !map.contains_key("additionalProperties"),
    }
}

/// progenitor keys an operation's parameters by name alone: where one name is used in two
/// locations (`id` in the path and in the query), the one in the path (else the first) is
/// kept and the others are left out.
fn one_location_per_name(path: &str, item: &mut Value, components: &Value, given: &mut Vec<Given>) {
    let Value::Object(item) = item else { return };
    let resolve = |p: &Value| -> Option<(String, String)> {
        let p = match p.get("$ref").and_then(Value::as_str) {
            Some(r) => components.get(crate::error::unescape_token(
                r.strip_prefix("#/components/parameters/")?,
            ))?,
            None => p,
        };
        let location = p.get("in")?.as_str()?;
        // Cookies go anyway (`sendable`): they hold no name.
        if location == "cookie" {
            return None;
        }
        Some((p.get("name")?.as_str()?.to_owned(), location.to_owned()))
    };
    let shared: Vec<(String, String)> = item
        .get("parameters")
        .and_then(Value::as_array)
        .map(|ps| ps.iter().filter_map(&resolve).collect())
        .unwrap_or_default();
    for (method, op) in item.iter_mut() {
        if Method::from_key(method).is_none() {
            continue;
        }
        let Some(Value::Array(list)) = op.get_mut("parameters") else {
            continue;
        };
        let own: Vec<Option<(String, String)>> = list.iter().map(&resolve).collect();
        // Every (name, location) the operation has: its own, and the path item's it keeps.
        let mut all: Vec<(String, String)> = own.iter().flatten().cloned().collect();
        let inherited: Vec<(String, String)> = shared
            .iter()
            .filter(|s| !all.contains(s))
            .cloned()
            .collect();
        all.extend(inherited);
        let kept_location = |name: &str| -> Option<String> {
            let locations: Vec<&String> = all
                .iter()
                .filter(|(n, _)| n == name)
                .map(|(_, l)| l)
                .collect();
            (locations.len() > 1).then(|| {
                locations
                    .iter()
                    .find(|l| l.as_str() == "path")
                    .unwrap_or(&locations[0])
                    .to_string()
            })
        };
        let mut index = 0;
        list.retain(|_| {
            let at = index;
            index += 1;
            let Some((name, location)) = &own[at] else {
                return true;
            };
            match kept_location(name) {
                Some(kept) if kept != *location => {
                    given.push((
                        format!("/paths/{}/{method}/parameters/{at}", escape_token(path)),
                        format!(
                            "{location} parameter `{name}` left out: the {kept} parameter has its \
                             name (the client keys parameters by name)"
                        ),
                    ));
                    false
                }
                _ => true,
            }
        });
    }
}

/// Drops `$ref`s to the parameters `targets` from every parameter list.
fn drop_references(doc: &mut Value, targets: &[String]) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let refers = |p: &Value| {
        p.get("$ref")
            .and_then(Value::as_str)
            .is_some_and(|r| targets.iter().any(|t| t == r))
    };
    for item in paths.values_mut() {
        let Value::Object(item) = item else { continue };
        for (key, node) in item.iter_mut() {
            let list = if key == "parameters" {
                Some(node)
            } else if Method::from_key(key).is_some() {
                node.get_mut("parameters")
            } else {
                None
            };
            if let Some(Value::Array(list)) = list {
                list.retain(|p| !refers(p));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_cannot_be_sent_is_a_string_or_left_out() {
        let mut doc = json!({
            "paths": {"/a/{id}": {
                "parameters": [{"name": "id", "in": "path", "required": true, "style": "matrix",
                    "schema": {"type": "string"}}],
                "get": {"parameters": [
                    {"name": "tags", "in": "header", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "ok", "in": "header", "schema": {"$ref": "#/components/schemas/Code"}},
                    {"name": "filter", "in": "query", "content": {"application/json": {"schema": {"type": "object"}}}},
                    {"name": "ids", "in": "query", "style": "pipeDelimited", "schema": {"type": "array", "items": {"type": "string"}}},
                    {"name": "session", "in": "cookie", "schema": {"type": "string"}},
                    {"$ref": "#/components/parameters/Trace"},
                    {"name": "plain", "in": "query", "schema": {"type": "array", "items": {"type": "string"}}}
                ]}
            }},
            "components": {
                "schemas": {"Code": {"type": "string", "enum": ["a"]}},
                "parameters": {"Trace": {"name": "t", "in": "cookie", "schema": {"type": "string"}}}
            }
        });
        let given = as_sendable(&mut doc);
        let at: Vec<&str> = given.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(
            at,
            [
                "/components/parameters/Trace",
                "/paths/~1a~1{id}/parameters/0",
                "/paths/~1a~1{id}/get/parameters/0",
                "/paths/~1a~1{id}/get/parameters/2",
                "/paths/~1a~1{id}/get/parameters/3",
                "/paths/~1a~1{id}/get/parameters/4",
            ]
        );
        let get = &doc["paths"]["/a/{id}"]["get"]["parameters"];
        let names: Vec<&str> = get
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["name"].as_str().unwrap())
            .collect();
        assert_eq!(names, ["tags", "ok", "filter", "ids", "plain"]);
        assert_eq!(get[0]["schema"], json!({"type": "string"}));
        assert_eq!(
            get[1]["schema"],
            json!({"$ref": "#/components/schemas/Code"})
        );
        assert!(get[2].get("content").is_none());
        assert!(get[3].get("style").is_none());
        assert_eq!(
            get[4]["schema"]["type"], "array",
            "a form query array is sent as is"
        );
        assert!(
            doc["paths"]["/a/{id}"]["parameters"][0]
                .get("style")
                .is_none()
        );
        assert!(given[0].1.contains("cookie parameter `t` left out"));
    }
}
