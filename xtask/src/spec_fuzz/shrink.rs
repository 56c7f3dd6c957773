//! Shrinks a JSON document while a failure persists: whole halves of an object's entries or
//! an array's elements first, then one entry or element at a time, shallow before deep,
//! until no single removal keeps the failure or the budget is spent. It knows nothing of
//! OpenAPI: any document that fails (a generated one, or a user's spec) shrinks the same way.

use std::time::Instant;

use serde_json::Value;

/// How much shrinking may cost.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    /// At most this many tries of the failure.
    pub tries: usize,
    /// And no try begun after this instant.
    pub until: Option<Instant>,
}

impl Budget {
    fn spent(&self, tries: usize) -> bool {
        tries >= self.tries || self.until.is_some_and(|t| Instant::now() >= t)
    }
}

/// One step down into a document.
#[derive(Debug, Clone, PartialEq)]
enum Key {
    Field(String),
    Index(usize),
}

/// The smallest document found that still fails, and how many tries it took.
pub fn shrink(
    mut doc: Value,
    still_fails: &mut dyn FnMut(&Value) -> bool,
    budget: Budget,
) -> (Value, usize) {
    let mut tries = 0;
    'restart: loop {
        for path in containers(&doc) {
            let Some(node) = get(&doc, &path) else {
                continue;
            };
            let keys = children(node);
            // Halves first, where there are many: most of a big document is beside the point.
            let mut chunks: Vec<Vec<Key>> = Vec::new();
            if keys.len() > 3 {
                let mid = keys.len() / 2;
                chunks.push(keys[..mid].to_vec());
                chunks.push(keys[mid..].to_vec());
            }
            chunks.extend(keys.iter().map(|k| vec![k.clone()]));
            for chunk in chunks {
                if budget.spent(tries) {
                    return (doc, tries);
                }
                let mut candidate = doc.clone();
                if let Some(node) = get_mut(&mut candidate, &path) {
                    remove(node, &chunk);
                }
                tries += 1;
                if still_fails(&candidate) {
                    doc = candidate;
                    continue 'restart;
                }
            }
        }
        return (doc, tries);
    }
}

/// Every object and array in the document, shallow first.
fn containers(doc: &Value) -> Vec<Vec<Key>> {
    let mut out = Vec::new();
    let mut queue = std::collections::VecDeque::from([Vec::new()]);
    while let Some(path) = queue.pop_front() {
        let Some(node) = get(doc, &path) else {
            continue;
        };
        let keys = children(node);
        if keys.is_empty() {
            continue;
        }
        for k in keys {
            let mut child = path.clone();
            child.push(k);
            queue.push_back(child);
        }
        out.push(path);
    }
    out
}

fn children(node: &Value) -> Vec<Key> {
    match node {
        Value::Object(m) => m.keys().cloned().map(Key::Field).collect(),
        Value::Array(a) => (0..a.len()).map(Key::Index).collect(),
        _ => Vec::new(),
    }
}

fn get<'a>(doc: &'a Value, path: &[Key]) -> Option<&'a Value> {
    path.iter().try_fold(doc, |v, k| match k {
        Key::Field(f) => v.get(f),
        Key::Index(i) => v.get(i),
    })
}

fn get_mut<'a>(doc: &'a mut Value, path: &[Key]) -> Option<&'a mut Value> {
    path.iter().try_fold(doc, |v, k| match k {
        Key::Field(f) => v.get_mut(f),
        Key::Index(i) => v.get_mut(i),
    })
}

/// Removes these children (array indices from the highest down, so each still means what
/// it did).
fn remove(node: &mut Value, keys: &[Key]) {
    let mut indices: Vec<usize> = Vec::new();
    for k in keys {
        match (k, &mut *node) {
            (Key::Field(f), Value::Object(m)) => {
                m.shift_remove(f);
            }
            (Key::Index(i), Value::Array(_)) => indices.push(*i),
            _ => {}
        }
    }
    indices.sort_unstable();
    if let Value::Array(a) = node {
        for i in indices.into_iter().rev() {
            if i < a.len() {
                a.remove(i);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn unbounded() -> Budget {
        Budget {
            tries: usize::MAX,
            until: None,
        }
    }

    #[test]
    fn keeps_only_what_the_failure_needs() {
        let doc = json!({
            "openapi": "3.0.3",
            "paths": {"/a": {"get": {}}, "/b": {"get": {}}, "/c": {"get": {}}, "/d": {}},
            "components": {"schemas": {"Bad": {"enum": ["x", "y", "x"]}, "Good": {}}}
        });
        // Fails while `openapi` is there and some enum repeats a value.
        let mut fails = |d: &Value| {
            d.get("openapi").is_some()
                && d.pointer("/components/schemas/Bad/enum")
                    .and_then(Value::as_array)
                    .is_some_and(|a| a.len() == 2 && a[0] == a[1])
        };
        let (small, tries) = shrink(doc, &mut fails, unbounded());
        assert_eq!(
            small,
            json!({"openapi": "3.0.3", "components": {"schemas": {"Bad": {"enum": ["x", "x"]}}}})
        );
        assert!(tries > 0);
    }

    #[test]
    fn stops_when_the_budget_is_spent() {
        let doc = json!({"a": [1, 2, 3, 4, 5, 6, 7, 8], "b": {"c": 1}});
        let mut calls = 0;
        let mut fails = |_: &Value| {
            calls += 1;
            false
        };
        let budget = Budget {
            tries: 3,
            until: None,
        };
        let (same, tries) = shrink(doc.clone(), &mut fails, budget);
        assert_eq!((same, tries, calls), (doc, 3, 3));
    }

    #[test]
    fn array_elements_go_from_the_highest_index() {
        let mut v = json!([0, 1, 2, 3]);
        remove(&mut v, &[Key::Index(1), Key::Index(3)]);
        assert_eq!(v, json!([0, 2]));
    }
}
