//! Random valid OpenAPI documents, from a seed, built of what published fintech specs use:
//! `allOf` / `oneOf` / `anyOf` with and without discriminators and mappings, nullable schemas
//! and 3.1 type arrays, enums of every value type with duplicates, odd characters, sign
//! prefixes and defaults, recursive and mutual `$ref`s, `$ref`s into the middle of a schema,
//! `additionalProperties` and (3.1) `patternProperties`, every string format,
//! `readOnly` / `writeOnly`, parameters of every location and style, many media types,
//! response headers, bodiless and mixed responses, shared components (parameters, bodies,
//! responses), security schemes, tags, and (3.1) webhooks.
//!
//! Valid means valid by the OpenAPI version the document declares: path parameters are
//! declared and required, `operationId`s are unique (though some differ only by case or
//! punctuation), every `$ref` resolves, 3.0 documents use `nullable` and boolean
//! `exclusiveMinimum`, 3.1 documents type arrays and numeric ones.

mod schemas;
mod words;

use serde_json::{Map, Value, json};

use self::words::*;

/// The document of one seed: the same seed, the same document.
pub fn document(seed: u64) -> Value {
    Gen::new(seed).document()
}

pub(super) struct Gen {
    pub(super) rng: fastrand::Rng,
    pub(super) v31: bool,
    /// Component schema names, chosen first so any schema may refer to any other.
    pub(super) names: Vec<String>,
    /// Pointers into the middle of schemas generated so far (a property or items of one).
    pub(super) deep: Vec<String>,
    /// Component schemas made along the way (a discriminated union's variants).
    pub(super) extra: Vec<(String, Value)>,
    /// Operation ids taken.
    pub(super) ids: Vec<String>,
    pub(super) depth: u32,
}
impl Gen {
    fn new(seed: u64) -> Self {
        Self {
            rng: fastrand::Rng::with_seed(seed),
            v31: false,
            names: Vec::new(),
            deep: Vec::new(),
            extra: Vec::new(),
            ids: Vec::new(),
            depth: 0,
        }
    }

    pub(super) fn chance(&mut self, percent: u32) -> bool {
        self.rng.u32(0..100) < percent
    }

    pub(super) fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[self.rng.usize(0..from.len())]
    }

    /// `n` distinct picks.
    pub(super) fn distinct<'a>(&mut self, from: &[&'a str], n: usize) -> Vec<&'a str> {
        let mut out: Vec<&str> = Vec::new();
        let mut tries = 0;
        while out.len() < n && tries < n * 8 {
            tries += 1;
            let p = self.pick(from);
            if !out.contains(&p) {
                out.push(p);
            }
        }
        out
    }

    fn document(mut self) -> Value {
        self.v31 = self.chance(35);
        let count = self.rng.usize(1..7);
        self.names = self
            .distinct(SCHEMA_NAMES, count)
            .into_iter()
            .map(str::to_owned)
            .collect();
        let mut schemas = Map::new();
        for name in self.names.clone() {
            let schema = self.component(&name);
            schemas.insert(name, schema);
        }
        let mut components = Map::new();
        let parameters = self.shared_parameters();
        let bodies = self.shared_bodies();
        let responses = self.shared_responses();
        let mut paths = Map::new();
        let mut shapes = Vec::new();
        for _ in 0..self.rng.usize(1..6) {
            let (path, item) = self.path_item(&parameters, &bodies, &responses);
            // Paths that differ only in their parameters' names are one path (invalid twice).
            let shape = template_shape(&path);
            if !shapes.contains(&shape) {
                shapes.push(shape);
                paths.insert(path, item);
            }
        }
        let mut doc = json!({
            "openapi": if self.v31 { "3.1.0" } else { "3.0.3" },
            "info": {
                "title": self.title(),
                "version": "1.0.0",
                "description": self.description(),
            },
            "servers": self.servers(),
            "paths": paths,
        });
        if self.v31 && self.chance(40) {
            let mut hooks = Map::new();
            for i in 0..self.rng.usize(1..3) {
                hooks.insert(format!("event{i}.happened"), self.webhook());
            }
            doc["webhooks"] = Value::Object(hooks);
        }
        for (name, schema) in std::mem::take(&mut self.extra) {
            schemas.insert(name, schema);
        }
        components.insert("schemas".into(), Value::Object(schemas));
        if !parameters.is_empty() {
            components.insert("parameters".into(), Value::Object(parameters));
        }
        if !bodies.is_empty() {
            components.insert("requestBodies".into(), Value::Object(bodies));
        }
        if !responses.is_empty() {
            components.insert("responses".into(), Value::Object(responses));
        }
        if self.chance(60) {
            let (schemes, requirement) = self.security();
            components.insert("securitySchemes".into(), schemes);
            doc["security"] = requirement;
        }
        doc["components"] = Value::Object(components);
        if self.chance(50) {
            let tags: Vec<Value> = self
                .distinct(TAGS, 3)
                .into_iter()
                .map(|t| json!({"name": t, "description": "A tag."}))
                .collect();
            doc["tags"] = Value::Array(tags);
        }
        doc
    }

    fn title(&mut self) -> String {
        self.pick(&[
            "Payments API",
            "Open Banking: Accounts (v3.1)",
            "client",
            "Ünïcode Bank",
            "API",
            "type",
        ])
        .to_owned()
    }

    pub(super) fn description(&mut self) -> String {
        self.pick(&[
            "Plain words.",
            "Markdown *emphasis*, `code`, [a link](https://example.com) and <b>HTML</b>.",
            "A fenced block:\n\n```json\n{\"a\": 1}\n```\n",
            "```\nfn main() { panic!() }\n```",
            "Ends a comment */ and opens one /* here.",
            "Braces {{ }} and #[attr] and \\backslashes\\.",
            "Indented:\n\n    code block\n",
            "",
        ])
        .to_owned()
    }

    fn servers(&mut self) -> Value {
        match self.rng.u32(0..4) {
            0 => json!([{"url": "https://api.example.com/v1"}]),
            1 => json!([{"url": "/v2"}]),
            2 => json!([{
                "url": "https://{environment}.example.com/{version}",
                "variables": {
                    "environment": {"default": "sandbox", "enum": ["sandbox", "production"]},
                    "version": {"default": "v1"}
                }
            }]),
            _ => json!([]),
        }
    }

    fn parameter_schema(&mut self, location: &str) -> (Value, Option<&'static str>) {
        let roll = self.rng.u32(0..10);
        match roll {
            0..=4 => (self.scalar(), None),
            5 | 6 => {
                let mut e = self.enumeration();
                if e.get("type").is_none() {
                    e["type"] = json!("string");
                    e["enum"] = json!(["a", "b"]);
                }
                (e, None)
            }
            7 | 8 => {
                let style = match location {
                    "query" => {
                        Some(self.pick(&["form", "form", "spaceDelimited", "pipeDelimited"]))
                    }
                    "path" => Some(self.pick(&["simple", "simple", "label", "matrix"])),
                    "cookie" => Some("form"),
                    _ => Some("simple"),
                };
                let items = self.scalar();
                (json!({"type": "array", "items": items}), style)
            }
            _ if location == "query" => {
                let object = json!({"type": "object", "properties": {
                    "status": {"type": "string"}, "min": {"type": "integer"}}});
                (object, Some("deepObject"))
            }
            _ => (self.scalar(), None),
        }
    }

    fn parameter(&mut self, location: &str, name: &str) -> Value {
        let (schema, style) = self.parameter_schema(location);
        let mut p = json!({"name": name, "in": location});
        // A path parameter is required; others are, two times in five.
        if location == "path" || self.chance(40) {
            p["required"] = json!(true);
        }
        if location == "query" && self.chance(8) {
            p["content"] = json!({"application/json": {"schema": self.object()}});
        } else {
            p["schema"] = schema;
            if let Some(style) = style {
                p["style"] = json!(style);
                if self.chance(50) {
                    p["explode"] = json!(self.chance(50));
                }
            }
        }
        if self.chance(20) {
            p["description"] = json!(self.description());
        }
        if self.chance(5) {
            p["deprecated"] = json!(true);
        }
        p
    }

    fn shared_parameters(&mut self) -> Map<String, Value> {
        let mut out = Map::new();
        if self.chance(40) {
            for name in self.distinct(PARAMETER_NAMES, 2) {
                let location = self.pick(&["query", "header", "cookie"]);
                let p = self.parameter(location, name);
                out.insert(format!("{}Param", component_key(name)), p);
            }
        }
        out
    }

    fn body(&mut self) -> Value {
        let n = if self.chance(75) {
            1
        } else {
            self.rng.usize(2..4)
        };
        let mut content = Map::new();
        for media in self.distinct(REQUEST_MEDIA, n) {
            let schema = match media {
                "application/x-www-form-urlencoded" => self.object(),
                "multipart/form-data" => json!({"type": "object", "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "purpose": {"type": "string"}}}),
                "application/octet-stream" | "application/pdf" | "*/*" => {
                    json!({"type": "string", "format": "binary"})
                }
                "text/plain" => json!({"type": "string"}),
                _ => self.schema(),
            };
            content.insert(media.to_owned(), json!({"schema": schema}));
        }
        let mut b = json!({"content": content});
        if self.chance(60) {
            b["required"] = json!(true);
        }
        if self.chance(20) {
            b["description"] = json!(self.description());
        }
        b
    }

    fn shared_bodies(&mut self) -> Map<String, Value> {
        let mut out = Map::new();
        if self.chance(25) {
            out.insert("SharedBody".into(), self.body());
        }
        out
    }

    fn response(&mut self, status: &str) -> Value {
        let mut r = json!({"description": self.description()});
        let bodiless = matches!(status, "204" | "304" | "301") || self.chance(20);
        if !bodiless {
            let n = if self.chance(80) { 1 } else { 2 };
            let mut content = Map::new();
            for media in self.distinct(RESPONSE_MEDIA, n) {
                let schema = match media {
                    "application/octet-stream" | "application/pdf" | "image/png" => {
                        json!({"type": "string", "format": "binary"})
                    }
                    "text/plain" | "text/csv" | "text/html" => json!({"type": "string"}),
                    _ => self.schema(),
                };
                let mut m = json!({"schema": schema});
                if self.chance(10) {
                    m["example"] = json!({"id": "x"});
                }
                content.insert(media.to_owned(), m);
            }
            r["content"] = Value::Object(content);
        }
        if self.chance(25) {
            let mut headers = Map::new();
            for name in self.distinct(
                &["X-Rate-Limit", "Retry-After", "Location", "ETag", "x-next"],
                2,
            ) {
                let schema = self.scalar();
                headers.insert(
                    name.to_owned(),
                    json!({"schema": schema, "description": "A header."}),
                );
            }
            r["headers"] = Value::Object(headers);
        }
        r
    }

    fn shared_responses(&mut self) -> Map<String, Value> {
        let mut out = Map::new();
        if self.chance(35) {
            let r = self.response("400");
            out.insert("Problem".into(), r);
        }
        out
    }

    fn operation_id(&mut self) -> Option<String> {
        if self.chance(10) {
            return None;
        }
        for _ in 0..8 {
            let word = self.pick(OPERATION_WORDS).to_owned();
            let id = if self.chance(50) {
                word
            } else {
                format!("{word}{}", self.ids.len())
            };
            if !self.ids.contains(&id) {
                self.ids.push(id.clone());
                return Some(id);
            }
        }
        let id = format!("operation{}", self.ids.len());
        self.ids.push(id.clone());
        Some(id)
    }

    fn operation(
        &mut self,
        method: &str,
        path_params: &[String],
        parameters: &Map<String, Value>,
        bodies: &Map<String, Value>,
        responses: &Map<String, Value>,
    ) -> Value {
        let mut op = Map::new();
        if let Some(id) = self.operation_id() {
            op.insert("operationId".into(), json!(id));
        }
        if self.chance(40) {
            op.insert("summary".into(), json!(self.description()));
        }
        if self.chance(40) {
            let n = self.rng.usize(1..3);
            let tags = self.distinct(TAGS, n);
            op.insert("tags".into(), json!(tags));
        }
        let mut params = Vec::new();
        for name in path_params {
            params.push(self.parameter("path", name));
        }
        let mut taken: Vec<(String, String)> = Vec::new();
        for _ in 0..self.rng.usize(0..4) {
            let name = self.pick(PARAMETER_NAMES);
            let location = self.pick(&["query", "query", "header", "cookie"]);
            if taken.iter().any(|(n, l)| n == name && l == location)
                || (path_params.iter().any(|p| p == name) && location == "path")
            {
                continue;
            }
            taken.push((name.to_owned(), location.to_owned()));
            params.push(self.parameter(location, name));
        }
        for key in parameters.keys() {
            let (name, location) = {
                let p = &parameters[key];
                (
                    p["name"].as_str().unwrap_or_default().to_owned(),
                    p["in"].as_str().unwrap_or_default().to_owned(),
                )
            };
            if self.chance(50) && !taken.iter().any(|(n, l)| *n == name && *l == location) {
                taken.push((name, location));
                params.push(json!({"$ref": format!("#/components/parameters/{key}")}));
            }
        }
        if !params.is_empty() {
            op.insert("parameters".into(), Value::Array(params));
        }
        let has_body =
            matches!(method, "post" | "put" | "patch") || (method == "delete" && self.chance(10));
        if has_body && self.chance(80) {
            let body = if !bodies.is_empty() && self.chance(30) {
                json!({"$ref": "#/components/requestBodies/SharedBody"})
            } else {
                self.body()
            };
            op.insert("requestBody".into(), body);
        }
        let mut rs = Map::new();
        let n = self.rng.usize(1..4);
        for status in self.distinct(STATUSES, n) {
            let r = if !responses.is_empty() && status.starts_with('4') && self.chance(50) {
                json!({"$ref": "#/components/responses/Problem"})
            } else {
                self.response(status)
            };
            rs.insert(status.to_owned(), r);
        }
        op.insert("responses".into(), Value::Object(rs));
        if self.chance(10) {
            op.insert("deprecated".into(), json!(true));
        }
        if self.chance(10) {
            op.insert("security".into(), json!([]));
        }
        Value::Object(op)
    }

    fn path_item(
        &mut self,
        parameters: &Map<String, Value>,
        bodies: &Map<String, Value>,
        responses: &Map<String, Value>,
    ) -> (String, Value) {
        let base = self.pick(&[
            "accounts",
            "bank-accounts",
            "transfers",
            "v1/items",
            "type",
            "a.b",
        ]);
        let mut path = format!("/{base}");
        let mut path_params = Vec::new();
        for _ in 0..self.rng.usize(0..3) {
            let name = self.pick(&["id", "accountID", "transfer-id", "type", "self", "item_id"]);
            if path_params.iter().any(|p: &String| p == name) {
                continue;
            }
            path.push_str(&format!("/{{{name}}}"));
            if self.chance(40) {
                path.push_str("/sub");
            }
            path_params.push(name.to_owned());
        }
        let methods = ["get", "post", "put", "patch", "delete", "head", "options"];
        let n = self.rng.usize(1..4);
        let mut item = Map::new();
        for method in self.distinct(&methods, n) {
            let op = self.operation(method, &path_params, parameters, bodies, responses);
            item.insert(method.to_owned(), op);
        }
        if self.chance(10) {
            item.insert("summary".into(), json!("A path."));
        }
        (path, Value::Object(item))
    }

    fn webhook(&mut self) -> Value {
        let schema = self.schema();
        json!({"post": {
            "requestBody": {"content": {"application/json": {"schema": schema}}},
            "responses": {"200": {"description": "Received."}}
        }})
    }

    fn security(&mut self) -> (Value, Value) {
        let scheme = match self.rng.u32(0..6) {
            0 => json!({"type": "http", "scheme": "bearer", "bearerFormat": "JWT"}),
            1 => json!({"type": "http", "scheme": "basic"}),
            2 => json!({"type": "apiKey", "in": "header", "name": "X-Api-Key"}),
            3 => json!({"type": "apiKey", "in": "query", "name": "api_key"}),
            4 => json!({"type": "apiKey", "in": "cookie", "name": "session"}),
            _ => json!({"type": "oauth2", "flows": {"clientCredentials": {
                "tokenUrl": "https://auth.example.com/token",
                "scopes": {"read": "Read.", "write": "Write."}}}}),
        };
        let scopes = if scheme["type"] == "oauth2" {
            json!(["read"])
        } else {
            json!([])
        };
        (json!({"auth": scheme}), json!([{"auth": scopes}]))
    }
}

/// A JSON pointer token: `~` and `/` escaped, then percent-encoded as a URI fragment needs.
pub(super) fn pointer_escape(name: &str) -> String {
    let token = name.replace('~', "~0").replace('/', "~1");
    let mut out = String::new();
    for b in token.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(b as char)
            }
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A path with its parameters' names erased: `/a/{id}` and `/a/{type}` are one path.
fn template_shape(path: &str) -> String {
    let mut out = String::new();
    let mut inside = false;
    for c in path.chars() {
        match c {
            '{' => {
                inside = true;
                out.push('{');
            }
            '}' => {
                inside = false;
                out.push('}');
            }
            _ if inside => {}
            c => out.push(c),
        }
    }
    out
}

/// A component key (`^[a-zA-Z0-9.\-_]+$`) made of a name.
fn component_key(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_makes_one_document() {
        assert_eq!(document(7), document(7));
        assert_ne!(document(7), document(8));
    }

    #[test]
    fn every_reference_resolves() {
        for seed in 0..300 {
            let doc = document(seed);
            let mut refs = Vec::new();
            collect_refs(&doc, &mut refs);
            for r in refs {
                let pointer = percent_decode(r.trim_start_matches('#'));
                assert!(
                    doc.pointer(&pointer).is_some(),
                    "seed {seed}: {r} points at nothing"
                );
            }
        }
    }

    #[test]
    fn path_parameters_are_declared_and_required() {
        for seed in 0..300 {
            let doc = document(seed);
            for (path, item) in doc["paths"].as_object().unwrap() {
                let templated: Vec<&str> = path
                    .split('{')
                    .skip(1)
                    .filter_map(|s| s.split('}').next())
                    .collect();
                for (_, op) in item.as_object().unwrap() {
                    let Some(op) = op.as_object() else { continue };
                    let declared: Vec<&Value> = op
                        .get("parameters")
                        .and_then(Value::as_array)
                        .map(|ps| ps.iter().filter(|p| p["in"] == "path").collect())
                        .unwrap_or_default();
                    for name in &templated {
                        assert!(
                            declared
                                .iter()
                                .any(|p| p["name"] == *name && p["required"] == true),
                            "seed {seed}: {path} declares no required {name}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_constructs_named_occur() {
        let docs: Vec<String> = (0..200).map(|s| document(s).to_string()).collect();
        for needle in [
            "\"discriminator\"",
            "\"mapping\"",
            "\"nullable\":true",
            "\"null\"",
            "\"allOf\"",
            "\"anyOf\"",
            "\"oneOf\"",
            "/properties/",
            "\"patternProperties\"",
            "\"additionalProperties\"",
            "\"readOnly\"",
            "\"writeOnly\"",
            "\"deepObject\"",
            "\"cookie\"",
            "\"multipart/form-data\"",
            "\"application/x-www-form-urlencoded\"",
            "\"webhooks\"",
            "\"headers\"",
            "\"-lastModifiedTime\"",
            "\"3.1.0\"",
            "\"3.0.3\"",
        ] {
            assert!(
                docs.iter().any(|d| d.contains(needle)),
                "no document in 200 has {needle}"
            );
        }
    }

    fn collect_refs(v: &Value, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => {
                for (k, v) in m {
                    match (k.as_str(), v) {
                        ("$ref", Value::String(r)) => out.push(r.clone()),
                        _ => collect_refs(v, out),
                    }
                }
            }
            Value::Array(a) => a.iter().for_each(|v| collect_refs(v, out)),
            _ => {}
        }
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                let hex = std::str::from_utf8(&bytes[i + 1..i + 3]).unwrap();
                out.push(u8::from_str_radix(hex, 16).unwrap());
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).unwrap()
    }
}
