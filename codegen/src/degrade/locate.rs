//! Finding what makes progenitor fail, fast: the schema or the operation whose presence
//! breaks generation, by bisection over prefixes (about `log2 n` generations, not one per
//! schema or operation).
//!
//! First the components alone: if they fail, the culprit is the first component schema whose
//! addition (all later ones any JSON) makes them fail, and inside it, where it is an object,
//! the first property whose addition (all later ones any JSON) makes it fail. Else the operations: the first whose
//! addition (all later ones left out) makes the spec fail; then, inside it, its request body
//! (if the spec passes with the body any JSON) or the first parameter whose addition (all
//! later ones strings) makes it fail. Failing is taken to be monotonic (a spec that fails
//! still fails with more in it); a failure that needs no one schema or operation is not
//! located.

use openapiv3::{AnySchema, OpenAPI, ReferenceOr, Schema, SchemaData, SchemaKind};

use crate::openapi::Method;

/// What a failure was found to come from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Culprit {
    /// The component schema with this key.
    Schema(String),
    /// A property of the component schema with this key (an object's): the schema holds,
    /// and only that property's schema is at fault.
    Property(String, String),
    /// The operation at this path and method, as a whole.
    Operation(String, Method),
    /// The request body of the operation at this path and method.
    Body(String, Method),
    /// The parameter of that name of the operation at this path and method.
    Parameter(String, Method, String),
    /// No one schema or operation.
    Unknown,
}

/// What makes `spec` fail, given `fails` (whether a spec fails to generate). Each call of
/// `fails` is one generation.
pub(crate) fn locate(spec: &OpenAPI, fails: &dyn Fn(&OpenAPI) -> bool) -> Culprit {
    let mut bare = spec.clone();
    bare.paths.paths.clear();
    if fails(&bare) {
        return schema(&bare, fails);
    }
    operation(spec, fails)
}

/// The first component schema whose addition makes the components fail.
fn schema(bare: &OpenAPI, fails: &dyn Fn(&OpenAPI) -> bool) -> Culprit {
    let keys: Vec<String> = bare
        .components
        .iter()
        .flat_map(|c| c.schemas.keys().cloned())
        .collect();
    // The first `kept` schemas as written, the rest any JSON.
    let with = |kept: usize| {
        let mut s = bare.clone();
        if let Some(components) = s.components.as_mut() {
            for key in &keys[kept..] {
                if let Some(schema) = components.schemas.get_mut(key) {
                    *schema = any_json(schema);
                }
            }
        }
        s
    };
    if fails(&with(0)) {
        return Culprit::Unknown;
    }
    let (mut passes, mut failing) = (0, keys.len());
    while failing - passes > 1 {
        let mid = passes + (failing - passes) / 2;
        if fails(&with(mid)) {
            failing = mid;
        } else {
            passes = mid;
        }
    }
    let Some(key) = keys.get(failing.wrapping_sub(1)) else {
        return Culprit::Unknown;
    };
    // Inside an object, the property at fault, where one is (the smallest unit to give up).
    let everything_before = with(failing);
    match property(&everything_before, key, fails) {
        Some(prop) => Culprit::Property(key.clone(), prop),
        None => Culprit::Schema(key.clone()),
    }
}

/// The first property of the object schema `key` whose addition (all later ones any JSON)
/// makes `spec` fail; `None` where the schema is no object, or fails with every property any
/// JSON (its fault is not one property's).
fn property(spec: &OpenAPI, key: &str, fails: &dyn Fn(&OpenAPI) -> bool) -> Option<String> {
    let object = |s: &OpenAPI| -> Option<openapiv3::ObjectType> {
        match &s
            .components
            .as_ref()?
            .schemas
            .get(key)?
            .as_item()?
            .schema_kind
        {
            SchemaKind::Type(openapiv3::Type::Object(o)) => Some(o.clone()),
            _ => None,
        }
    };
    let names: Vec<String> = object(spec)?.properties.keys().cloned().collect();
    let with = |kept: usize| {
        let mut s = spec.clone();
        if let Some(ReferenceOr::Item(Schema {
            schema_kind: SchemaKind::Type(openapiv3::Type::Object(o)),
            ..
        })) = s.components.as_mut().and_then(|c| c.schemas.get_mut(key))
        {
            for name in &names[kept..] {
                if let Some(p) = o.properties.get_mut(name) {
                    *p = match any_json(&p.clone().unbox()) {
                        ReferenceOr::Item(i) => ReferenceOr::Item(Box::new(i)),
                        ReferenceOr::Reference { reference } => {
                            ReferenceOr::Reference { reference }
                        }
                    };
                }
            }
        }
        s
    };
    if names.is_empty() || fails(&with(0)) {
        return None;
    }
    let (mut passes, mut failing) = (0, names.len());
    while failing - passes > 1 {
        let mid = passes + (failing - passes) / 2;
        if fails(&with(mid)) {
            failing = mid;
        } else {
            passes = mid;
        }
    }
    names.get(failing - 1).cloned()
}

/// The first operation whose addition makes the spec fail.
fn operation(spec: &OpenAPI, fails: &dyn Fn(&OpenAPI) -> bool) -> Culprit {
    let mut ops: Vec<(String, Method)> = Vec::new();
    for (path, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (key, _) in item.iter() {
            if let Some(m) = Method::from_key(key) {
                ops.push((path.clone(), m));
            }
        }
    }
    let with = |kept: usize| {
        let mut s = spec.clone();
        let keep = &ops[..kept];
        s.paths
            .paths
            .retain(|p, _| keep.iter().any(|(q, _)| q == p));
        for (path, item) in s.paths.paths.iter_mut() {
            let ReferenceOr::Item(item) = item else {
                continue;
            };
            for m in Method::ALL {
                if !keep.iter().any(|(p, q)| p == path && *q == m) {
                    *m.slot(item) = None;
                }
            }
        }
        s
    };
    let (mut passes, mut failing) = (0, ops.len());
    if !fails(&with(failing)) {
        return Culprit::Unknown;
    }
    while failing - passes > 1 {
        let mid = passes + (failing - passes) / 2;
        if fails(&with(mid)) {
            failing = mid;
        } else {
            passes = mid;
        }
    }
    let Some((path, method)) = ops.get(failing.wrapping_sub(1)).cloned() else {
        return Culprit::Unknown;
    };
    within(&with(failing), &path, method, fails)
}

/// What of the failing operation (the last of `spec`) is at fault: its body, a parameter,
/// or the whole of it.
fn within(spec: &OpenAPI, path: &str, method: Method, fails: &dyn Fn(&OpenAPI) -> bool) -> Culprit {
    let changed = |change: &dyn Fn(&mut openapiv3::Operation)| {
        let mut s = spec.clone();
        if let Some(ReferenceOr::Item(item)) = s.paths.paths.get_mut(path)
            && let Some(op) = method.slot(item).as_mut()
        {
            change(op);
        }
        s
    };
    let any_body = |op: &mut openapiv3::Operation| {
        if let Some(ReferenceOr::Item(body)) = op.request_body.as_mut() {
            for media in body.content.values_mut() {
                media.schema = Some(any_json(&ReferenceOr::Item(Schema {
                    schema_data: SchemaData::default(),
                    schema_kind: SchemaKind::Any(AnySchema::default()),
                })));
            }
        }
    };
    let has_body = matches!(
        spec.paths.paths.get(path).and_then(|i| i.as_item()),
        Some(item) if item.iter().any(|(k, op)| k == method.key() && op.request_body.is_some())
    );
    if has_body && !fails(&changed(&any_body)) {
        return Culprit::Body(path.to_owned(), method);
    }
    let components = spec.components.clone().unwrap_or_default();
    let names: Vec<String> = spec
        .paths
        .paths
        .get(path)
        .and_then(|i| i.as_item())
        .and_then(|item| {
            item.iter()
                .find(|(k, _)| *k == method.key())
                .map(|(_, op)| op)
        })
        .map(|op| {
            op.parameters
                .iter()
                .filter_map(|p| crate::openapi::resolve::parameter(p, &components))
                .map(|p| p.parameter_data_ref().name.clone())
                .collect()
        })
        .unwrap_or_default();
    // The first `kept` parameters as written, the later ones strings.
    let with = |kept: usize| {
        changed(&|op: &mut openapiv3::Operation| {
            for p in op.parameters.iter_mut() {
                let Some(resolved) = crate::openapi::resolve::parameter(p, &components).cloned()
                else {
                    continue;
                };
                let Some(i) = names
                    .iter()
                    .position(|n| *n == resolved.parameter_data_ref().name)
                else {
                    continue;
                };
                if i >= kept {
                    *p = ReferenceOr::Item(as_string(resolved));
                }
            }
        })
    };
    if names.is_empty() || fails(&with(0)) {
        return Culprit::Operation(path.to_owned(), method);
    }
    let (mut passes, mut failing) = (0, names.len());
    while failing - passes > 1 {
        let mid = passes + (failing - passes) / 2;
        if fails(&with(mid)) {
            failing = mid;
        } else {
            passes = mid;
        }
    }
    Culprit::Parameter(path.to_owned(), method, names[failing - 1].clone())
}

/// A parameter whose schema is a plain string.
fn as_string(mut parameter: openapiv3::Parameter) -> openapiv3::Parameter {
    let data = match &mut parameter {
        openapiv3::Parameter::Query { parameter_data, .. }
        | openapiv3::Parameter::Header { parameter_data, .. }
        | openapiv3::Parameter::Path { parameter_data, .. }
        | openapiv3::Parameter::Cookie { parameter_data, .. } => parameter_data,
    };
    data.format = openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(Schema {
        schema_data: SchemaData::default(),
        schema_kind: SchemaKind::Type(openapiv3::Type::String(Default::default())),
    }));
    parameter
}

/// A schema that takes any JSON, keeping the original's description (typify makes a
/// newtype over `serde_json::Value` of it).
pub(crate) fn any_json(schema: &ReferenceOr<Schema>) -> ReferenceOr<Schema> {
    let description = schema
        .as_item()
        .and_then(|s| s.schema_data.description.clone());
    ReferenceOr::Item(Schema {
        schema_data: SchemaData {
            description,
            ..SchemaData::default()
        },
        schema_kind: SchemaKind::Any(AnySchema::default()),
    })
}

#[cfg(test)]
mod tests {
    use std::cell::Cell;

    use super::*;

    fn spec(yaml: &str) -> OpenAPI {
        serde_yaml::from_str(yaml).expect("spec")
    }

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a: {get: {responses: {"204": {description: ok}}}}
  /b: {get: {responses: {"204": {description: ok}}}, post: {responses: {"204": {description: ok}}}}
  /c: {get: {responses: {"204": {description: ok}}}}
components:
  schemas:
    A: {type: string}
    B: {type: integer}
    Bad: {type: object, description: the bad one}
    C: {type: boolean}
"#;

    #[test]
    fn the_schema_whose_presence_fails_is_found_in_log_n_generations() {
        let spec = spec(SPEC);
        let runs = Cell::new(0);
        // Fails while `Bad` is an object.
        let fails = |s: &OpenAPI| {
            runs.set(runs.get() + 1);
            let bad = &s.components.as_ref().unwrap().schemas["Bad"];
            matches!(
                bad.as_item().map(|b| &b.schema_kind),
                Some(SchemaKind::Type(_))
            )
        };
        assert_eq!(locate(&spec, &fails), Culprit::Schema("Bad".into()));
        assert!(runs.get() <= 5, "{} generations", runs.get());
    }

    #[test]
    fn inside_an_object_the_property_at_fault_is_found() {
        let spec = spec(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths: {}
components:
  schemas:
    A: {type: string}
    Holder:
      type: object
      properties:
        fine: {type: string}
        odd: {type: integer}
        later: {type: boolean}
"#,
        );
        // Fails while `odd` is an integer.
        let fails = |s: &OpenAPI| {
            let holder = &s.components.as_ref().unwrap().schemas["Holder"];
            matches!(
                holder.as_item().map(|h| &h.schema_kind),
                Some(SchemaKind::Type(openapiv3::Type::Object(o)))
                    if matches!(o.properties.get("odd").and_then(|p| p.as_item()).map(|p| &p.schema_kind),
                        Some(SchemaKind::Type(openapiv3::Type::Integer(_))))
            )
        };
        assert_eq!(
            locate(&spec, &fails),
            Culprit::Property("Holder".into(), "odd".into())
        );
    }

    #[test]
    fn the_operation_whose_presence_fails_is_found() {
        let spec = spec(SPEC);
        let fails = |s: &OpenAPI| {
            s.paths
                .paths
                .get("/b")
                .and_then(|i| i.as_item())
                .is_some_and(|i| i.post.is_some())
        };
        assert_eq!(
            locate(&spec, &fails),
            Culprit::Operation("/b".into(), Method::Post)
        );
        assert_eq!(locate(&spec, &|_| true), Culprit::Unknown);
    }

    #[test]
    fn inside_an_operation_the_parameter_at_fault_is_found() {
        let spec = spec(
            r#"
openapi: 3.0.3
info: {title: T, version: "1"}
paths:
  /a:
    get:
      parameters:
        - {name: fine, in: query, schema: {type: integer}}
        - {name: odd, in: query, schema: {type: object}}
        - {name: later, in: query, schema: {type: object}}
      responses: {"204": {description: ok}}
"#,
        );
        // Fails while `odd` is an object.
        let fails = |s: &OpenAPI| {
            let Some(op) = s
                .paths
                .paths
                .get("/a")
                .and_then(|i| i.as_item()?.get.as_ref())
            else {
                return false;
            };
            op.parameters.iter().any(|p| {
                let data = p.as_item().unwrap().parameter_data_ref();
                data.name == "odd"
                    && matches!(&data.format, openapiv3::ParameterSchemaOrContent::Schema(ReferenceOr::Item(s))
                        if matches!(s.schema_kind, SchemaKind::Type(openapiv3::Type::Object(_))))
            })
        };
        assert_eq!(
            locate(&spec, &fails),
            Culprit::Parameter("/a".into(), Method::Get, "odd".into())
        );
    }

    #[test]
    fn any_json_keeps_the_description() {
        let spec = spec(SPEC);
        let bad = &spec.components.as_ref().unwrap().schemas["Bad"];
        let any = any_json(bad);
        let item = any.as_item().unwrap();
        assert_eq!(item.schema_data.description.as_deref(), Some("the bad one"));
        assert!(matches!(item.schema_kind, SchemaKind::Any(_)));
    }
}
