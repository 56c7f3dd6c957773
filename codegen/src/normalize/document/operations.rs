//! Operations: path items given by a local `$ref` are inlined, and operations without an
//! `operationId` get one from their method and path.

use serde_json::Value;

use crate::error::escape_token;
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

/// Methods every generated client has (progenitor's raw client, the typed one): no
/// operation may take their names.
const CLIENT_METHODS: [&str; 11] = [
    "new",
    "with",
    "new_with_client",
    "baseurl",
    "base_url",
    "client",
    "api_version",
    "inner",
    "builder",
    "from_env",
    "raw",
];

/// The Rust names operation ids hold, and by which id.
#[derive(Default)]
struct Held {
    snake: std::collections::BTreeMap<String, String>,
    pascal: std::collections::BTreeMap<String, String>,
}

impl Held {
    /// Who holds a Rust name of `id` other than `id` itself, and that name.
    fn holder(&self, id: &str) -> Option<(String, String)> {
        let snake = names::snake(id);
        let pascal = names::pascal(id);
        let quoted = format!("{id:?}");
        [
            (self.snake.get(&snake), snake),
            (self.pascal.get(&pascal), pascal),
        ]
        .into_iter()
        .find_map(|(holder, name)| holder.filter(|h| **h != quoted).map(|h| (h.clone(), name)))
    }

    /// Whether any id holds a Rust name of `id`.
    fn holds(&self, id: &str) -> bool {
        self.snake.contains_key(&names::snake(id)) || self.pascal.contains_key(&names::pascal(id))
    }

    fn take(&mut self, id: &str) {
        self.snake.insert(names::snake(id), format!("{id:?}"));
        self.pascal.insert(names::pascal(id), format!("{id:?}"));
    }
}

/// Gives every operation without an `operationId` one made from its method and path,
/// unique among the document's operations; an `operationId` whose Rust name another one has
/// already (`listAccounts`, `list_accounts`) is renamed (`list_accounts_2`), with a warning
/// (`(pointer, what)`). One used twice as it is written is left to validation to refuse.
pub(super) fn name_operations(doc: &mut Value) -> Vec<(String, String)> {
    let mut given = Vec::new();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return given;
    };
    let written: Vec<String> = paths
        .values()
        .filter_map(Value::as_object)
        .flat_map(|item| Method::ALL.iter().filter_map(|m| item.get(m.key())))
        .filter_map(|op| op.get("operationId")?.as_str().map(str::to_owned))
        .collect();
    // Who holds each name: an operation's method (snake_case) and its types (PascalCase:
    // `ListAccounts2Error`) come from its id. The clients' own methods hold theirs.
    let mut taken = Held::default();
    for m in CLIENT_METHODS {
        taken
            .snake
            .insert(m.to_owned(), "the client's own method".to_owned());
    }
    for (path, item) in paths.iter_mut() {
        let Value::Object(item) = item else { continue };
        for method in Method::ALL.map(Method::key) {
            let Some(Value::Object(op)) = item.get_mut(method) else {
                continue;
            };
            let Some(id) = op
                .get("operationId")
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                continue;
            };
            match taken.holder(&id) {
                Some((other, rust)) => {
                    let free = |n: &str| !taken.holds(n) && !written.iter().any(|w| w == n);
                    let name = names::first_free(&id, "_", free);
                    given.push((
                        format!("/paths/{}/{method}/operationId", escape_token(path)),
                        format!("operationId {id:?} renamed {name:?}: {other} has its Rust name `{rust}`"),
                    ));
                    taken.take(&name);
                    op.insert("operationId".into(), Value::from(name));
                }
                None => taken.take(&id),
            }
        }
    }
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
            let name = names::first_free(&base, "_", |n| !taken.holds(n));
            taken.take(&name);
            op.insert("operationId".into(), Value::from(name));
        }
    }
    given
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
