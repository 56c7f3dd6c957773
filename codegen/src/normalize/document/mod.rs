//! Stage 3a, normalize the document: JSON-level rewrites that come before the typed parse,
//! for what openapiv3 cannot read or progenitor and typify cannot take. Each keeps the
//! document's meaning:
//!
//! - OpenAPI 3.1 becomes 3.0: `type: [T, "null"]` → `type: T, nullable: true` (several
//!   types → `oneOf`, one branch per type); `const` → a one-value `enum`; schema `examples`
//!   → `example`; numeric `exclusiveMinimum`/`exclusiveMaximum` → `minimum`/`maximum` with
//!   the boolean flag; `anyOf`/`oneOf` branches of type `null` → `nullable` (beside one
//!   inline branch: that branch, nullable); `$ref` with
//!   annotation siblings → the `$ref` (other siblings → `allOf: [$ref]` beside them);
//!   `webhooks` (calls the provider makes, not the client) are left out, with a note.
//! - Schema `title`s go (typify would name types after them, and they repeat); inline
//!   schemas typify would name like another type move to `components/schemas` under a
//!   unique name (a nullable constrained string or union as a nullable `…` around an
//!   `…Inner`); component keys that give the same Rust name are made unique.
//! - An `anyOf` of scalars becomes a `oneOf` (an untagged enum takes the first branch that
//!   matches, as `anyOf` reads).
//! - Keywords that do not apply to a schema's `type` (a `minimum` on a string, a `format` on
//!   an object) are dropped: JSON Schema ignores them, typify stops on them.
//! - Enums: `null` values become `nullable`, repeated values are listed once, and the values
//!   of a string enum that YAML read as booleans or numbers become the strings they were;
//!   values typify cannot name get substitutes (`crate::restore::wire_names`).
//! - `default` and `example` values that do not conform to their schema are left out, each
//!   with a located note.
//! - Operations without an `operationId` get one from their method and path
//!   (`get /cards/{card_token}/balances` → `get_cards_by_card_token_balances`); one whose
//!   Rust names another id (or the client's own methods) has already is renamed, with a
//!   warning.
//! - An `allOf` merge typify would copy into itself without end becomes a component of its
//!   own (or, made of components' own `allOf`s alone, loses the branch that refers back,
//!   with a warning): `merges.rs`.
//! - Path parameters the path does not hold are left out, with a note.
//! - Path items given by a local `$ref` are inlined; `security` requirements whose scopes
//!   are `null` get an empty scope list.

mod conform;
mod keywords;
mod merges;
mod names;
pub(crate) use names::hoist_response_schema;
mod openapi31;
mod operations;
mod schema;

use serde_json::{Map, Value};

use names::{hoist_named_schemas, unique_component_names};
use operations::{drop_unplaced_path_parameters, inline_path_items, name_operations};
use schema::walk;

/// The rewritten document and notes for the crate's README.
#[derive(Debug, Clone)]
pub struct Rewritten {
    /// The document, now OpenAPI 3.0 that openapiv3 parses.
    pub value: Value,
    /// What changed that a user of the crate should know (one line each).
    pub notes: Vec<String>,
    /// Enum values typify cannot name, by their substitutes (`crate::restore::wire_names`).
    pub enum_values: std::collections::BTreeMap<String, String>,
    /// What the repairs gave up (`crate::degrade`): (JSON pointer, what and why).
    pub repairs: Vec<(String, String)>,
}

/// Rewrites a validated document (see the module documentation).
pub fn document(mut doc: Value) -> Rewritten {
    let mut notes = Vec::new();
    let is31 = doc
        .get("openapi")
        .and_then(Value::as_str)
        .is_some_and(|v| v.starts_with("3.1."));
    if is31 && let Value::Object(root) = &mut doc {
        root.insert("openapi".into(), Value::from("3.0.3"));
        if let Some(Value::Object(hooks)) = root.remove("webhooks")
            && !hooks.is_empty()
        {
            // Kept as the 3.0 extension: the settings may declare how they are verified.
            if !root.contains_key("x-webhooks") {
                root.insert("x-webhooks".into(), Value::Object(hooks.clone()));
            }
            let mut names: Vec<&String> = hooks.keys().collect();
            names.sort();
            notes.push(format!(
                "The spec's {} webhook(s) ({}) are calls the provider makes, not operations of this client (a `webhooks` entry in the settings verifies and decodes them).",
                names.len(),
                names
                    .iter()
                    .map(|n| format!("`{n}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            ));
        }
        root.remove("jsonSchemaDialect");
        root.entry("paths")
            .or_insert_with(|| Value::Object(Map::new()));
        if let Some(Value::Object(info)) = root.get_mut("info") {
            info.remove("summary");
            if let Some(Value::Object(license)) = info.get_mut("license") {
                license.remove("identifier");
            }
        }
    }
    // Before anything walks the schemas: references that point at nothing or into the
    // middle of a schema, discriminators without their property.
    let mut repairs = Vec::new();
    crate::degrade::no_server(&mut doc, &mut repairs);
    repairs.extend(crate::degrade::repair(&mut doc));
    inline_path_items(&mut doc);
    drop_unplaced_path_parameters(&mut doc, &mut notes);
    if let Value::Object(root) = &mut doc
        && let Some(Value::Object(components)) = root.get_mut("components")
    {
        components.remove("pathItems");
    }
    repairs.extend(name_operations(&mut doc));
    walk(&mut doc, is31, false);
    repairs.extend(crate::degrade::as_sendable(&mut doc));
    repairs.extend(merges::break_endless_merges(&mut doc));
    unique_component_names(&mut doc);
    hoist_named_schemas(&mut doc);
    conform::drop_nonconforming(&mut doc, &mut notes);
    let enum_values = crate::restore::wire_names::rename(&mut doc);
    Rewritten {
        value: doc,
        notes,
        enum_values,
        repairs,
    }
}

#[cfg(test)]
pub(super) mod tests {
    use super::*;
    use serde_json::json;

    /// One component schema of a 3.1 document, rewritten.
    pub(crate) fn one(schema_31: Value) -> Value {
        // `T`: what the schemas under test refer to.
        let doc = json!({"openapi": "3.1.0", "components": {"schemas": {
            "S": schema_31,
            "T": {"type": "object"}
        }}});
        let schemas = document(doc).value["components"]["schemas"].clone();
        // A nullable union or constrained string is split into `S` around `SInner`: the
        // schema the rewrite made is the inner one, nullable.
        match schemas.get("SInner") {
            Some(Value::Object(inner)) => {
                let mut inner = inner.clone();
                inner.insert("nullable".into(), Value::Bool(true));
                Value::Object(inner)
            }
            _ => schemas["S"].clone(),
        }
    }

    #[test]
    fn path_item_refs_null_scopes_and_webhooks() {
        let doc = json!({"openapi": "3.1.0",
            "paths": {"/a": {"$ref": "#/components/pathItems/A"}},
            "security": [{"oauth": null}],
            "webhooks": {"card.created": {}},
            "components": {"pathItems": {"A": {"get": {"operationId": "a"}}}}});
        let out = document(doc);
        assert_eq!(
            out.value["paths"]["/a"],
            json!({"get": {"operationId": "a"}})
        );
        assert_eq!(out.value["security"], json!([{"oauth": []}]));
        assert!(out.value.get("webhooks").is_none());
        assert!(out.notes[0].contains("`card.created`"), "{:?}", out.notes);
    }
}
