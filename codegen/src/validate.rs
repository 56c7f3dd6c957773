//! Stage 2, validate: check the document before anything else sees it, so that what
//! progenitor would reject with a panic is reported as a located error instead.

use std::collections::BTreeMap;

use openapiv3::OpenAPI;
use serde_json::Value;

use crate::error::{Error, Result, Stage, pointer};
use crate::load::{SpecSource, path_to_pointer};
use crate::names;

/// Checks a loaded document before it is rewritten: an OpenAPI 3.0 or 3.1 object whose
/// `$ref`s stay inside it (those that point at nothing only where `degrade` repairs them),
/// with `x-sensitive` only where it is honoured.
pub fn check(source: &SpecSource) -> Result<()> {
    let file = source.path.as_path();
    let err = |at: String, message: String| Error::at(Stage::Validate, file, at, message);
    let root = source
        .value
        .as_object()
        .ok_or_else(|| err(String::new(), "the document is not an object".into()))?;
    match root.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0.") || v.starts_with("3.1.") => {}
        Some(Value::String(v)) => {
            return Err(err(
                "/openapi".into(),
                format!("unsupported OpenAPI version {v:?}: this generator reads 3.0.x and 3.1.x"),
            ));
        }
        Some(_) => return Err(err("/openapi".into(), "`openapi` must be a string".into())),
        None if root.contains_key("swagger") => {
            return Err(err(
                "/swagger".into(),
                "Swagger 2.0 is not supported: convert the document to OpenAPI 3.0".into(),
            ));
        }
        None => {
            return Err(err(
                String::new(),
                "missing the `openapi` version field".into(),
            ));
        }
    }
    let root = &source.value;
    walk_objects(root, &mut String::new(), &mut |map, at| {
        check_ref(root, map, at)?;
        check_sensitive(map, at)
    })
    .map_err(|(at, m)| err(at, m))
}

/// Parses a checked and rewritten document ([`crate::normalize::document`]) into the typed
/// OpenAPI model, locating the node that does not parse.
pub fn parse(file: &std::path::Path, value: &Value) -> Result<OpenAPI> {
    let err = |at: String, message: String| Error::at(Stage::Validate, file, at, message);
    let spec: OpenAPI = serde_path_to_error::deserialize(value).map_err(|e| {
        // openapiv3 flattens extensions into most objects, which hides the path of an error;
        // find the deepest node that does not parse by trying each node with its own type.
        let (at, message) = find_bad_node(value, String::new(), Node::Document)
            .unwrap_or_else(|| (path_to_pointer(e.path()), e.inner().to_string()));
        err(at, message)
    })?;
    check_operations(&spec).map_err(|(at, m)| err(at, m))?;
    Ok(spec)
}

/// The kinds of node the search for a node that does not parse knows.
#[derive(Clone, Copy)]
enum Node {
    Document,
    Info,
    Server,
    Components,
    PathItem,
    Operation,
    Parameter,
    RequestBody,
    Response,
    Header,
    MediaType,
    Schema,
    SecurityScheme,
}

fn try_parse<T: serde::de::DeserializeOwned>(value: &Value) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| (path_to_pointer(e.path()), e.inner().to_string()))
}

/// The deepest node under `at` that does not parse as what it should be, with the error.
fn find_bad_node(value: &Value, at: String, node: Node) -> Option<(String, String)> {
    if value.get("$ref").is_some() {
        return None;
    }
    let map_children = |key: &str, kind: Node| -> Vec<(String, &Value, Node)> {
        match value.get(key) {
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| {
                    (
                        format!("{at}/{key}/{}", crate::error::escape_token(k)),
                        v,
                        kind,
                    )
                })
                .collect(),
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (format!("{at}/{key}/{i}"), v, kind))
                .collect(),
            _ => Vec::new(),
        }
    };
    let one = |key: &str, kind: Node| -> Vec<(String, &Value, Node)> {
        value
            .get(key)
            .filter(|v| v.is_object())
            .map(|v| vec![(format!("{at}/{key}"), v, kind)])
            .unwrap_or_default()
    };
    let components = |key: &str, kind: Node| -> Vec<(String, &Value, Node)> {
        match value.get("components").and_then(|c| c.get(key)) {
            Some(Value::Object(m)) => m
                .iter()
                .map(|(k, v)| {
                    (
                        format!("{at}/components/{key}/{}", crate::error::escape_token(k)),
                        v,
                        kind,
                    )
                })
                .collect(),
            _ => Vec::new(),
        }
    };
    let children: Vec<(String, &Value, Node)> = match node {
        Node::Document => [
            one("info", Node::Info),
            map_children("servers", Node::Server),
            map_children("paths", Node::PathItem),
            components("schemas", Node::Schema),
            components("responses", Node::Response),
            components("parameters", Node::Parameter),
            components("requestBodies", Node::RequestBody),
            components("headers", Node::Header),
            components("securitySchemes", Node::SecurityScheme),
            one("components", Node::Components),
        ]
        .concat(),
        Node::PathItem => {
            let mut c = map_children("parameters", Node::Parameter);
            for m in crate::openapi::Method::ALL.map(crate::openapi::Method::key) {
                c.extend(one(m, Node::Operation));
            }
            c
        }
        Node::Operation => [
            map_children("parameters", Node::Parameter),
            one("requestBody", Node::RequestBody),
            map_children("responses", Node::Response),
        ]
        .concat(),
        Node::Response => [
            map_children("headers", Node::Header),
            map_children("content", Node::MediaType),
        ]
        .concat(),
        Node::RequestBody => map_children("content", Node::MediaType),
        Node::MediaType | Node::Parameter | Node::Header => one("schema", Node::Schema),
        Node::Schema => [
            map_children("properties", Node::Schema),
            one("items", Node::Schema),
            one("additionalProperties", Node::Schema),
            one("not", Node::Schema),
            map_children("allOf", Node::Schema),
            map_children("anyOf", Node::Schema),
            map_children("oneOf", Node::Schema),
        ]
        .concat(),
        Node::Info | Node::Server | Node::Components | Node::SecurityScheme => Vec::new(),
    };
    for (child_at, child, kind) in children {
        if let Some(found) = find_bad_node(child, child_at, kind) {
            return Some(found);
        }
    }
    let failure = parse_as(value, node);
    let (rel, message) = failure?;
    if rel.is_empty() {
        // Tagged and flattened types lose the field's name: the culprit is the field whose
        // removal, or whose replacement by a well-typed value, makes the node parse.
        if let Value::Object(map) = value {
            let parses = |candidate: serde_json::Map<String, Value>| {
                parse_as(&Value::Object(candidate), node).is_none()
            };
            let removal = map.keys().find(|key| {
                let mut without = map.clone();
                without.remove(*key);
                parses(without)
            });
            let replacement = || {
                map.keys().find(|key| {
                    [
                        Value::Bool(true),
                        Value::from(""),
                        Value::from(0),
                        Value::Array(vec![]),
                        Value::Object(Default::default()),
                    ]
                    .into_iter()
                    .any(|v| {
                        let mut with = map.clone();
                        with.insert((*key).clone(), v);
                        parses(with)
                    })
                })
            };
            if let Some(key) = removal.or_else(replacement) {
                return Some((format!("{at}/{}", crate::error::escape_token(key)), message));
            }
        }
    }
    Some((format!("{at}{rel}"), message))
}

/// Parses `value` as the type of `node`; the error, if any.
fn parse_as(value: &Value, node: Node) -> Option<(String, String)> {
    use openapiv3 as o;
    match node {
        Node::Document => try_parse::<OpenAPI>(value),
        Node::Info => try_parse::<o::Info>(value),
        Node::Server => try_parse::<o::Server>(value),
        Node::Components => try_parse::<o::Components>(value),
        Node::PathItem => try_parse::<o::PathItem>(value),
        Node::Operation => try_parse::<o::Operation>(value),
        Node::Parameter => try_parse::<o::Parameter>(value),
        Node::RequestBody => try_parse::<o::RequestBody>(value),
        Node::Response => try_parse::<o::Response>(value),
        Node::Header => try_parse::<o::Header>(value),
        Node::MediaType => try_parse::<o::MediaType>(value),
        Node::Schema => try_parse::<o::Schema>(value),
        Node::SecurityScheme => try_parse::<o::SecurityScheme>(value),
    }
}

/// A located problem: (JSON pointer, message).
type Located = (String, String);

/// What [`walk_objects`] calls on each object: the object and its JSON pointer.
type ObjectVisitor<'a> =
    dyn FnMut(&serde_json::Map<String, Value>, &str) -> std::result::Result<(), Located> + 'a;

/// Calls `visit` on every object of the document that is spec, not data
/// ([`is_data`](crate::openapi::is_data)),
/// with its JSON pointer, depth first.
fn walk_objects(
    node: &Value,
    at: &mut String,
    visit: &mut ObjectVisitor<'_>,
) -> std::result::Result<(), (String, String)> {
    match node {
        Value::Object(map) => {
            visit(map, at)?;
            for (key, value) in map {
                if crate::openapi::is_data(at, key, value) {
                    continue;
                }
                let len = at.len();
                at.push('/');
                at.push_str(&crate::error::escape_token(key));
                walk_objects(value, at, visit)?;
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, value) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                walk_objects(value, at, visit)?;
                at.truncate(len);
            }
        }
        _ => {}
    }
    Ok(())
}

/// `x-sensitive: true` is honoured on properties of named schemas
/// (`#/components/schemas/<S>/properties/<p>`); anywhere else it would be silently ignored,
/// so it is refused.
fn check_sensitive(
    map: &serde_json::Map<String, Value>,
    at: &str,
) -> std::result::Result<(), (String, String)> {
    let Some(v) = map.get("x-sensitive") else {
        return Ok(());
    };
    let here = format!("{at}/x-sensitive");
    let parts: Vec<&str> = at.split('/').collect();
    if !matches!(
        parts.as_slice(),
        ["", "components", "schemas", _, "properties", _]
    ) {
        return Err((
            here,
            "x-sensitive is honoured on properties of schemas under #/components/schemas only"
                .into(),
        ));
    }
    if !v.is_boolean() {
        return Err((here, "x-sensitive must be true or false".into()));
    }
    if map.contains_key("$ref") {
        return Err((
            here,
            "x-sensitive beside $ref is ignored by OpenAPI 3.0: mark the property inline".into(),
        ));
    }
    Ok(())
}

/// Every `$ref` must point at a node of this document.
fn check_ref(
    root: &Value,
    map: &serde_json::Map<String, Value>,
    at: &str,
) -> std::result::Result<(), (String, String)> {
    let Some(Value::String(target)) = map.get("$ref") else {
        return Ok(());
    };
    let here = format!("{at}/$ref");
    let Some(local) = target.strip_prefix('#') else {
        return Err((
            here,
            format!("reference {target:?} points outside this document, which is not supported"),
        ));
    };
    // One that points at nothing where something smaller can stand for it (a schema, a
    // parameter, ...) is repaired with a warning (`degrade`); elsewhere it is refused.
    if root.pointer(local).is_none() && !crate::degrade::repairs_dangling(at) {
        return Err((here, format!("reference {target:?} points at nothing")));
    }
    Ok(())
}

/// Each operation has an operationId, unique also once turned into a Rust name.
fn check_operations(spec: &OpenAPI) -> std::result::Result<(), (String, String)> {
    let mut seen: BTreeMap<String, (String, String)> = BTreeMap::new();
    for (path, item) in spec.paths.iter() {
        let openapiv3::ReferenceOr::Item(item) = item else {
            return Err((
                pointer(["paths", path]),
                "path items given by `$ref` are not supported".into(),
            ));
        };
        for (method, op) in item.iter() {
            let at = pointer(["paths", path, method]);
            let Some(id) = &op.operation_id else {
                return Err((at, "the operation has no operationId".into()));
            };
            let rust = names::snake(id);
            if let Some((other_id, other_at)) = seen.get(&rust) {
                let what = if other_id == id {
                    format!("duplicate operationId {id:?} (also at #{other_at})")
                } else {
                    format!(
                        "operationId {id:?} gives the same Rust name `{rust}` as {other_id:?} at #{other_at}"
                    )
                };
                return Err((format!("{at}/operationId"), what));
            }
            seen.insert(rust, (id.clone(), at));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::PathBuf;

    fn source(text: &str) -> SpecSource {
        let path = PathBuf::from("t.yaml");
        let value = crate::load::parse_document(&path, text).expect("parse");
        SpecSource {
            path,
            value,
            origins: Vec::new(),
        }
    }

    fn validate(source: &SpecSource) -> Result<OpenAPI> {
        check(source)?;
        let doc = crate::normalize::document::document(source.value.clone());
        parse(&source.path, &doc.value)
    }

    const HEAD: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\n";

    #[test]
    fn dangling_refs_are_refused_where_nothing_smaller_stands_for_them() {
        // In a schema, `degrade` repairs it with a warning: not refused here.
        let repaired = format!(
            "{HEAD}paths: {{}}\ncomponents:\n  schemas:\n    A: {{$ref: '#/components/schemas/B'}}\n"
        );
        assert!(validate(&source(&repaired)).is_ok());
        let e = validate(&source(&format!(
            "{HEAD}paths:\n  /a: {{$ref: '#/components/pathItems/Gone'}}\n"
        )))
        .unwrap_err();
        assert_eq!(e.pointer.as_deref(), Some("/paths/~1a/$ref"));
        assert!(e.message.contains("points at nothing"), "{e}");
    }

    #[test]
    fn duplicate_operation_ids_are_located() {
        let e = validate(&source(&format!(
            "{HEAD}paths:\n  /a:\n    get: {{operationId: x, responses: {{'200': {{description: ok}}}}}}\n  /b:\n    get: {{operationId: x, responses: {{'200': {{description: ok}}}}}}\n"
        )))
        .unwrap_err();
        assert_eq!(e.pointer.as_deref(), Some("/paths/~1b/get/operationId"));
    }

    #[test]
    fn wrong_types_are_located() {
        let e = validate(&source(&format!(
            "{HEAD}paths:\n  /a:\n    get: {{operationId: x, responses: {{'200': {{description: [1]}}}}}}\n"
        )))
        .unwrap_err();
        assert_eq!(
            e.pointer.as_deref(),
            Some("/paths/~1a/get/responses/200/description")
        );
        assert!(e.message.contains("expected a string"), "{e}");
    }

    #[test]
    fn unsupported_versions_are_refused() {
        let e = validate(&source(
            "openapi: 3.2.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
        ))
        .unwrap_err();
        assert_eq!(e.pointer.as_deref(), Some("/openapi"));
    }

    #[test]
    fn a_ref_inside_data_is_data() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    A:\n      type: object\n      example: {$ref: '#/nowhere'}\n      default: {$ref: 'other.yaml'}\n      enum: [{$ref: '#/x'}]\n      x-source: {$ref: '#/y'}\n  examples:\n    E:\n      value: {$ref: '#/z'}\n";
        check(&source(spec)).expect("refs in data are not references");
        let broken = spec.replace("value: {$ref: '#/z'}", "$ref: '#/z'");
        assert!(
            check(&source(&broken)).is_err(),
            "a real reference still resolves"
        );
    }
}
