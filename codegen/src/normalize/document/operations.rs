//! Operations: path items given by a local `$ref` are inlined, and operations without an
//! `operationId` get one from their method and path.

use serde_json::Value;

use crate::names;
use crate::openapi::Method;

/// Replaces path items given by a local `$ref` with what they point at.
pub(super) fn inline_path_items(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get("paths") else {
        return;
    };
    let resolved: Vec<(String, Value)> = paths
        .iter()
        .filter_map(|(path, item)| {
            let target = item.get("$ref")?.as_str()?.strip_prefix('#')?;
            let mut value = doc.pointer(target)?.clone();
            // Siblings of the `$ref` (a summary, parameters) are kept where the target has none.
            if let (Value::Object(into), Value::Object(from)) = (&mut value, item) {
                for (k, v) in from {
                    if k != "$ref" && !into.contains_key(k) {
                        into.insert(k.clone(), v.clone());
                    }
                }
            }
            Some((path.clone(), value))
        })
        .collect();
    if let Some(Value::Object(paths)) = doc.get_mut("paths") {
        for (path, value) in resolved {
            paths.insert(path, value);
        }
    }
}

/// A stable operationId from a method and path.
pub fn operation_name(method: &str, path: &str) -> String {
    let mut words = vec![method.to_ascii_lowercase()];
    for segment in path.split('/').filter(|s| !s.is_empty()) {
        if let Some(param) = segment.strip_prefix('{').and_then(|s| s.strip_suffix('}')) {
            words.push("by".into());
            words.push(names::snake(param));
        } else {
            let word = names::snake(segment);
            if !word.is_empty() {
                words.push(word);
            }
        }
    }
    words.join("_")
}

/// Gives every operation without an `operationId` one made from its method and path,
/// unique among the document's operations.
pub(super) fn name_operations(doc: &mut Value) {
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    let mut taken: std::collections::BTreeSet<String> = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| Method::ALL.iter().filter_map(|m| item.get(m.key())))
        .filter_map(|op| op.get("operationId")?.as_str())
        .map(names::snake)
        .collect();
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for method in Method::ALL.map(Method::key) {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            if op.get("operationId").is_some_and(Value::is_string) {
                continue;
            }
            let base = operation_name(method, path);
            let name = names::first_free(&base, "_", |n| !taken.contains(&names::snake(n)));
            taken.insert(names::snake(&name));
            op.insert("operationId".into(), Value::from(name));
        }
    }
}

/// Path parameters an operation declares but its path does not hold (`site_id` on
/// `/invoices/{invoice_id}`): nothing can carry them, and progenitor panics on them. They go,
/// one note each.
pub(super) fn drop_unplaced_path_parameters(doc: &mut Value, notes: &mut Vec<String>) {
    let parameters = doc.pointer("/components/parameters").cloned();
    let resolve = |p: &Value| -> Option<(String, String)> {
        let p = match p.get("$ref").and_then(Value::as_str) {
            Some(r) => parameters.as_ref()?.get(crate::error::unescape_token(
                r.strip_prefix("#/components/parameters/")?,
            ))?,
            None => p,
        };
        Some((
            p.get("in")?.as_str()?.to_owned(),
            p.get("name")?.as_str()?.to_owned(),
        ))
    };
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        let placed = |name: &str| path.contains(&format!("{{{name}}}"));
        let mut scopes: Vec<String> = vec!["parameters".to_owned()];
        scopes.extend(
            Method::ALL
                .iter()
                .map(|m| format!("{}/parameters", m.key())),
        );
        for scope in scopes {
            let list = match scope.split_once('/') {
                None => item.get_mut("parameters"),
                Some((method, _)) => item.get_mut(method).and_then(|op| op.get_mut("parameters")),
            };
            let Some(Value::Array(list)) = list else {
                continue;
            };
            list.retain(|p| match resolve(p) {
                Some((place, name)) if place == "path" && !placed(&name) => {
                    let at = crate::error::escape_token(path);
                    notes.push(format!(
                        "The path parameter `{name}` of `#/paths/{at}/{scope}` is not in the path: left out."
                    ));
                    false
                }
                _ => true,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::document;

    use serde_json::json;

    #[test]
    fn missing_operation_ids_come_from_method_and_path() {
        let doc = json!({"openapi": "3.0.3", "paths": {
            "/cards/{card_token}/balances": {"get": {}, "post": {"operationId": "x"}},
            "/cards/{cardToken}/balances/": {"get": {}}
        }});
        let out = document(doc).value;
        assert_eq!(
            out["paths"]["/cards/{card_token}/balances"]["get"]["operationId"],
            "get_cards_by_card_token_balances"
        );
        assert_eq!(
            out["paths"]["/cards/{cardToken}/balances/"]["get"]["operationId"],
            "get_cards_by_card_token_balances_2"
        );
    }
}
