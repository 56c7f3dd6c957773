//! The bottom layer: what OpenAPI itself says, which every stage may use and none redefines:
//! the HTTP methods and a path item's slot for each ([`Method`]), media types parsed once
//! ([`media`]), local references followed ([`resolve`]), and which keys of a document hold
//! data rather than spec ([`is_data`]). Imports nothing of the generator but its errors.

pub(crate) mod media;
pub(crate) mod resolve;

use std::fmt;

use openapiv3::{Operation, PathItem};
use serde_json::Value;

/// An HTTP method a path item may hold an operation under.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// `get`
    Get,
    /// `put`
    Put,
    /// `post`
    Post,
    /// `delete`
    Delete,
    /// `options`
    Options,
    /// `head`
    Head,
    /// `patch`
    Patch,
    /// `trace`
    Trace,
}

impl Method {
    /// Every method, in the order a path item lists them.
    pub const ALL: [Method; 8] = [
        Method::Get,
        Method::Put,
        Method::Post,
        Method::Delete,
        Method::Options,
        Method::Head,
        Method::Patch,
        Method::Trace,
    ];

    /// The method a path item's key names (`get`), if it is one.
    pub fn from_key(key: &str) -> Option<Method> {
        Method::ALL.into_iter().find(|m| m.key() == key)
    }

    /// Its key in a path item: `get`.
    pub fn key(self) -> &'static str {
        match self {
            Method::Get => "get",
            Method::Put => "put",
            Method::Post => "post",
            Method::Delete => "delete",
            Method::Options => "options",
            Method::Head => "head",
            Method::Patch => "patch",
            Method::Trace => "trace",
        }
    }

    /// As HTTP writes it: `GET`.
    pub fn upper(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Put => "PUT",
            Method::Post => "POST",
            Method::Delete => "DELETE",
            Method::Options => "OPTIONS",
            Method::Head => "HEAD",
            Method::Patch => "PATCH",
            Method::Trace => "TRACE",
        }
    }

    /// The path item's operation under this method.
    pub fn slot(self, item: &mut PathItem) -> &mut Option<Operation> {
        match self {
            Method::Get => &mut item.get,
            Method::Put => &mut item.put,
            Method::Post => &mut item.post,
            Method::Delete => &mut item.delete,
            Method::Options => &mut item.options,
            Method::Head => &mut item.head,
            Method::Patch => &mut item.patch,
            Method::Trace => &mut item.trace,
        }
    }
}

impl fmt::Display for Method {
    /// As HTTP writes it: `GET`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.upper())
    }
}

/// Whether the keys of an object under `key` are names (of properties, of schemas, of
/// headers), never keywords, data or extensions; `parent`: the key above `key` (`components`
/// makes every map under it one of names; a property called `headers` is a schema).
pub(crate) fn keys_are_names(parent: &str, key: &str) -> bool {
    const SCHEMA_MAPS: [&str; 5] = [
        "properties",
        "patternProperties",
        "$defs",
        "definitions",
        "dependentSchemas",
    ];
    if SCHEMA_MAPS.contains(&parent) {
        // `key` is a property's name: what it holds is a schema.
        return false;
    }
    SCHEMA_MAPS.contains(&key)
        || matches!(key, "headers" | "encoding" | "callbacks" | "links")
        || (parent == "components" && !key.starts_with("x-"))
}

/// Whether the child `key` of the object at `at` is data, not spec: an example, a default,
/// an enum or const value, an extension's value. A `$ref` in data is data (a provider may
/// embed a JSON Schema in an example), never a reference. Walks of a document skip it.
pub(crate) fn is_data(at: &str, key: &str, value: &Value) -> bool {
    let mut tokens = at.rsplit('/');
    let last = tokens.next().unwrap_or_default();
    let parent = tokens.next().unwrap_or_default();
    is_data_under(parent, last, key, value)
}

/// [`is_data`], given the last two tokens of the object's pointer (`parent`, then `last`;
/// empty where the pointer is shorter), escaped or not: only names with neither `~` nor `/`
/// are compared.
pub(crate) fn is_data_under(parent: &str, last: &str, key: &str, value: &Value) -> bool {
    // Under `properties` (or another map of names), every key is a name: a property may be
    // called `x-id`, `example` or `enum`.
    // A property's name, or (under `responses`) the `default` response.
    if keys_are_names(parent, last) || (key == "default" && last == "responses") {
        return false;
    }
    matches!(key, "example" | "default" | "const" | "enum")
        || key.starts_with("x-")
        || (key == "examples" && value.is_array())
        || (key == "value" && parent == "examples")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn methods_read_and_write_as_openapi_and_http_do() {
        for m in Method::ALL {
            assert_eq!(Method::from_key(m.key()), Some(m));
            assert_eq!(m.upper(), m.key().to_ascii_uppercase());
            let mut item = PathItem::default();
            *m.slot(&mut item) = Some(Operation::default());
            assert!(m.slot(&mut item).is_some());
        }
        assert_eq!(Method::from_key("GET"), None);
        assert_eq!(Method::from_key("connect"), None);
    }
}
