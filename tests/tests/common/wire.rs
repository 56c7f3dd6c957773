//! One operation on the wire, against wiremock on 127.0.0.1: the request it sends (method,
//! path, query, JSON body, headers) when its spec example answers, and each documented error
//! status decoded into its typed variant with the documented body.

use std::collections::BTreeSet;
use std::future::Future;

use serde_json::Value;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use super::prism::{Outcome, variant_for};
use super::{only_request, reply, serve_spec, spec};

/// The request an operation must send.
pub struct Expect {
    /// The HTTP method.
    pub method: &'static str,
    /// The path, with the API's prefix (`/v2/...`).
    pub path: String,
    /// Every query pair, in any order.
    pub query: Vec<(&'static str, String)>,
    /// The JSON body, if any.
    pub body: Option<Value>,
    /// Headers that must be there, with their values.
    pub headers: Vec<(&'static str, &'static str)>,
}

impl Expect {
    /// A request with no query, body or extra header.
    pub fn new(method: &'static str, path: impl Into<String>) -> Self {
        Self {
            method,
            path: path.into(),
            query: Vec::new(),
            body: None,
            headers: Vec::new(),
        }
    }

    /// With this query pair.
    pub fn query(mut self, key: &'static str, value: impl Into<String>) -> Self {
        self.query.push((key, value.into()));
        self
    }

    /// With this JSON body.
    pub fn body(mut self, body: Value) -> Self {
        self.body = Some(body);
        self
    }

    /// With this header.
    pub fn header(mut self, name: &'static str, value: &'static str) -> Self {
        self.headers.push((name, value));
        self
    }
}

/// The documented error statuses of `method path` in `spec`, with their JSON examples
/// (`$ref` responses resolved).
pub fn documented_errors(spec_name: &str, path: &str, method: &str) -> Vec<(u16, Option<Value>)> {
    let doc = spec(spec_name);
    let responses = doc["paths"][path][method]["responses"]
        .as_object()
        .unwrap_or_else(|| panic!("{spec_name}: no {method} {path}"))
        .clone();
    responses
        .into_iter()
        .filter_map(|(status, mut response)| {
            let status: u16 = status.parse().ok().filter(|s| *s >= 400)?;
            while let Some(reference) = response.get("$ref").and_then(Value::as_str) {
                response = doc
                    .pointer(reference.trim_start_matches('#'))
                    .expect("the reference resolves")
                    .clone();
            }
            let example = response
                .pointer("/content/application~1json/example")
                .cloned();
            Some((status, example))
        })
        .collect()
}

/// Checks one operation: `call` (given a base URL) must send `expect` and decode the spec's
/// success example, and decode each documented error status into its variant.
pub async fn check<F, Fut>(spec_name: &str, prefix: &str, op: (&str, &str), expect: Expect, call: F)
where
    F: Fn(String) -> Fut,
    Fut: Future<Output = Outcome>,
{
    let (method, path) = op;
    let server = MockServer::start().await;
    serve_spec(&server, spec_name, prefix).await;
    let got = call(format!("{}{prefix}", server.uri())).await;
    assert_eq!(got.kind, "Ok", "{method} {path}: {got:?}");
    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), expect.method, "{method} {path}");
    assert_eq!(request.url.path(), expect.path, "{method} {path}");
    let sent: BTreeSet<(String, String)> = request.url.query_pairs().into_owned().collect();
    let wanted: BTreeSet<(String, String)> = expect
        .query
        .iter()
        .map(|(k, v)| ((*k).to_owned(), v.clone()))
        .collect();
    assert_eq!(sent, wanted, "{method} {path}: query");
    match &expect.body {
        Some(body) => assert_eq!(
            &serde_json::from_slice::<Value>(&request.body).expect("a JSON body"),
            body,
            "{method} {path}: body"
        ),
        None => assert!(request.body.is_empty(), "{method} {path}: a body was sent"),
    }
    for (name, value) in &expect.headers {
        assert_eq!(
            super::header(&request, name),
            Some(*value),
            "{method} {path}: header {name}"
        );
    }
    for (status, example) in documented_errors(spec_name, path, method) {
        let server = MockServer::start().await;
        let mut response = reply(status);
        if let Some(example) = &example {
            response = response.set_body_json(example);
        }
        Mock::given(any())
            .respond_with(response)
            .mount(&server)
            .await;
        let got = call(format!("{}{prefix}", server.uri())).await;
        assert_eq!(got.status, Some(status), "{method} {path}: {got:?}");
        assert_eq!(
            got.kind,
            variant_for(status),
            "{method} {path} {status}: {got:?}"
        );
    }
}
