//! Query parameters in OpenAPI's `deepObject` style, which progenitor does not serialize.

use serde::Serialize;
use serde::ser::Error as _;
use serde_json::Value;

/// A query parameter serialized in the `deepObject` style: an object `{"gt": 1, "lt": 5}`
/// named `created_at` becomes `created_at[gt]=1&created_at[lt]=5`. Nested objects nest the
/// brackets (`a[b][c]=v`); array members repeat the key (`a[b]=1&a[b]=2`); `null` members
/// are left out. Generated code passes it to `reqwest::RequestBuilder::query`.
pub struct DeepObject<'a, T: ?Sized> {
    name: &'a str,
    value: &'a T,
}

impl<'a, T: ?Sized> DeepObject<'a, T> {
    /// The parameter `name` with its value.
    pub fn new(name: &'a str, value: &'a T) -> Self {
        Self { name, value }
    }
}

impl<T: Serialize + ?Sized> Serialize for DeepObject<'_, T> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let value = serde_json::to_value(self.value).map_err(S::Error::custom)?;
        let mut pairs = Vec::new();
        flatten(self.name.to_owned(), &value, &mut pairs);
        pairs.serialize(serializer)
    }
}

fn flatten(key: String, value: &Value, out: &mut Vec<(String, String)>) {
    match value {
        Value::Null => {}
        Value::Bool(b) => out.push((key, b.to_string())),
        Value::Number(n) => out.push((key, n.to_string())),
        Value::String(s) => out.push((key, s.clone())),
        Value::Array(items) => {
            for item in items {
                flatten(key.clone(), item, out);
            }
        }
        Value::Object(map) => {
            for (k, v) in map {
                flatten(format!("{key}[{k}]"), v, out);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn query(name: &str, value: &Value) -> String {
        let client = crate::http_client_builder().build().expect("client");
        let request = client
            .get("http://127.0.0.1/x")
            .query(&DeepObject::new(name, value))
            .build()
            .expect("request");
        request.url().query().unwrap_or_default().to_owned()
    }

    #[test]
    fn objects_become_bracketed_keys() {
        assert_eq!(
            query(
                "created_at",
                &json!({"gt": "2000-01-01T12:00:00Z", "lt": 5})
            ),
            "created_at%5Bgt%5D=2000-01-01T12%3A00%3A00Z&created_at%5Blt%5D=5"
        );
        assert_eq!(
            query("m", &json!({"a": {"b": true}, "n": null, "l": [1, 2]})),
            "m%5Ba%5D%5Bb%5D=true&m%5Bl%5D=1&m%5Bl%5D=2"
        );
        assert_eq!(query("m", &json!(null)), "");
    }
}
