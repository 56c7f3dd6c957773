//! Synthetic OpenAPI documents, made here for the benchmarks that need a spec of a chosen size
//! and shape (the corpus has few sizes): `ops` operations over `ops / 2` resources, each
//! resource a component schema with `strings` constrained string properties (`maxLength`, a
//! `pattern`) and an inline object nested `depth` deep, each level with the same strings.

use serde_json::{Map, Value, json};

/// One resource's schema: `strings` constrained strings and an inline object `depth` deep.
fn object(resource: usize, strings: usize, depth: usize) -> Value {
    let mut properties = Map::new();
    for k in 0..strings {
        properties.insert(
            format!("field{k}"),
            json!({
                "type": "string",
                "maxLength": 8 + (resource + k) % 64,
                "pattern": "^[A-Za-z0-9 _-]*$",
                "description": format!("Field {k} of resource {resource}."),
            }),
        );
    }
    properties.insert("id".into(), json!({"type": "string", "format": "uuid"}));
    properties.insert(
        "count".into(),
        json!({"type": "integer", "format": "int64"}),
    );
    if depth > 0 {
        properties.insert("nested".into(), object(resource, strings, depth - 1));
    }
    json!({"type": "object", "required": ["id"], "properties": properties})
}

/// A document of `ops` operations (a GET and a POST per resource), resources nested `depth`
/// deep with `strings` constrained strings per level.
pub(super) fn document(ops: usize, depth: usize, strings: usize) -> Value {
    let resources = ops.div_ceil(2);
    let mut paths = Map::new();
    let mut schemas = Map::new();
    for r in 0..resources {
        let name = format!("Resource{r}");
        schemas.insert(name.clone(), object(r, strings, depth));
        let reference = json!({"$ref": format!("#/components/schemas/{name}")});
        let ok = |what: &str| {
            json!({
                "description": what,
                "content": {"application/json": {"schema": reference.clone()}},
            })
        };
        paths.insert(
            format!("/resources{r}/{{id}}"),
            json!({"get": {
                "operationId": format!("getResource{r}"),
                "tags": [format!("group{}", r % 8)],
                "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "string"}}],
                "responses": {"200": ok("The resource."), "404": {"description": "No such resource."}},
            }}),
        );
        if 2 * r + 1 < ops {
            paths.insert(
                format!("/resources{r}"),
                json!({"post": {
                    "operationId": format!("createResource{r}"),
                    "tags": [format!("group{}", r % 8)],
                    "requestBody": {"required": true, "content": {"application/json": {"schema": reference.clone()}}},
                    "responses": {"201": ok("Created."), "422": {"description": "Invalid."}},
                }}),
            );
        }
    }
    json!({
        "openapi": "3.0.3",
        "info": {"title": "Synthetic", "version": "1"},
        "servers": [{"url": "https://api.synthetic.test"}],
        "paths": paths,
        "components": {"schemas": schemas},
    })
}

/// Writes `document(ops, depth, strings)` as `<dir>/<name>.json`, with settings beside it.
pub(super) fn write(
    dir: &std::path::Path,
    name: &str,
    (ops, depth, strings): (usize, usize, usize),
) -> Result<std::path::PathBuf, String> {
    std::fs::create_dir_all(dir).map_err(|e| e.to_string())?;
    let spec = dir.join(format!("{name}.json"));
    let text =
        serde_json::to_string_pretty(&document(ops, depth, strings)).map_err(|e| e.to_string())?;
    std::fs::write(&spec, text).map_err(|e| e.to_string())?;
    std::fs::write(
        dir.join(format!("{name}.settings.yaml")),
        format!("crate_dir: {name}\npackage: {name}-client\n"),
    )
    .map_err(|e| e.to_string())?;
    Ok(spec)
}
