//! Helpers shared by the mock-server tests. Servers listen on 127.0.0.1 only.

#![allow(dead_code)]

pub mod prism;
pub mod wire;

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde_json::Value;
use wiremock::matchers::{method, path, path_regex};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

/// The request id every mock response carries.
pub const REQUEST_ID: &str = "2b9c5f7e-1f43-4a8e-9d7a-0d5f5b1c2e3a";

/// Headers of HTTP itself, allowed on any request. Everything else must be documented.
pub const TRANSPORT_HEADERS: &[&str] = &[
    "host",
    "content-type",
    "content-length",
    "accept",
    "user-agent",
];

/// Runs `cmd` with its output captured; kills it and fails the test if it runs past
/// `limit` (`what` names it in that failure).
pub fn output_within(cmd: &mut Command, limit: Duration, what: &str) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {what}: {e}"));
    let deadline = Instant::now() + limit;
    while child.try_wait().expect("wait").is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("{what} did not finish in time");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    child.wait_with_output().expect("output")
}

pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

/// An error case: a status, the body served with it, and the check that the error is the
/// right variant.
pub type Case<E> = (u16, &'static str, fn(&E) -> bool);

/// A response with the request id header.
pub fn reply(status: u16) -> ResponseTemplate {
    ResponseTemplate::new(status).insert_header("x-request-id", REQUEST_ID)
}

/// A response with a raw JSON body (or none, for `""`).
pub fn reply_body(status: u16, body: &str) -> ResponseTemplate {
    let response = reply(status);
    if body.is_empty() {
        response
    } else {
        response.set_body_raw(body.as_bytes().to_vec(), "application/json")
    }
}

pub async fn mock(server: &MockServer, verb: &str, route: &str, response: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(response)
        .mount(server)
        .await;
}

/// Serves `first` `n` times (matched before other mocks), then `then`.
pub async fn sequence(
    server: &MockServer,
    verb: &str,
    route: &str,
    first: ResponseTemplate,
    n: u64,
    then: ResponseTemplate,
) {
    Mock::given(method(verb))
        .and(path(route))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(server)
        .await;
    mock(server, verb, route, then).await;
}

/// A server on 127.0.0.1 that answers each connection (at most 20) with `response` (nothing,
/// if empty), then closes it; returns its base URL and a count of the connections.
pub fn raw_server(response: &'static [u8]) -> (String, Arc<Mutex<usize>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let count = Arc::new(Mutex::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { break };
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            *seen.lock().expect("lock") += 1;
            let _ = stream.write_all(response);
            let _ = stream.flush();
        }
    });
    (format!("http://{addr}"), count)
}

pub async fn requests_to(server: &MockServer, route: &str) -> Vec<Request> {
    server
        .received_requests()
        .await
        .expect("recording is on")
        .into_iter()
        .filter(|r| r.url.path() == route)
        .collect()
}

pub async fn only_request(server: &MockServer) -> Request {
    let mut requests = server.received_requests().await.expect("recording is on");
    assert_eq!(requests.len(), 1, "expected exactly one request");
    requests.remove(0)
}

pub fn header<'a>(request: &'a Request, name: &str) -> Option<&'a str> {
    request
        .headers
        .get(name)
        .map(|v| v.to_str().expect("ascii header"))
}

pub fn body_json(request: &Request) -> Value {
    serde_json::from_slice(&request.body).expect("JSON body")
}

/// Asserts that a request carries no header beyond the documented ones and HTTP's own.
pub fn assert_only_documented_headers(request: &Request, documented: &[&str]) {
    let allowed: BTreeSet<String> = TRANSPORT_HEADERS
        .iter()
        .chain(documented)
        .map(|h| h.to_ascii_lowercase())
        .collect();
    let sent: BTreeSet<String> = request
        .headers
        .keys()
        .map(|k| k.as_str().to_owned())
        .collect();
    let undocumented: Vec<_> = sent.difference(&allowed).collect();
    assert!(
        undocumented.is_empty(),
        "undocumented headers sent: {undocumented:?}"
    );
    assert!(header(request, "api-version").is_none());
}

/// A spec of `specs/` as JSON.
pub fn spec(name: &str) -> Value {
    let text = std::fs::read_to_string(root().join("specs").join(name)).expect("spec");
    let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
    serde_json::to_value(yaml).expect("json")
}

/// The value at `pointer` of a spec (the spec's own examples: an example the generated types
/// reject fails a test).
pub fn spec_example(name: &str, pointer: &str) -> Value {
    spec(name)
        .pointer(pointer)
        .unwrap_or_else(|| panic!("no example at {pointer} of {name}"))
        .clone()
}

/// Serves every operation of a spec with its first success response and that response's
/// example, under `prefix` (the server's path, such as `/v2`; a path-level server's path
/// replaces it).
pub async fn serve_spec(server: &MockServer, name: &str, prefix: &str) {
    let spec = spec(name);
    for (route, item) in spec["paths"].as_object().expect("paths") {
        let item_prefix = item
            .pointer("/servers/0/url")
            .and_then(Value::as_str)
            .map(|url| {
                let after_scheme = url.split("://").nth(1).unwrap_or(url);
                after_scheme
                    .find('/')
                    .map(|i| after_scheme[i..].to_owned())
                    .unwrap_or_default()
            })
            .unwrap_or_else(|| prefix.to_owned());
        for (verb, op) in item.as_object().expect("path item") {
            let Some(responses) = op.get("responses").and_then(Value::as_object) else {
                continue;
            };
            let Some((status, response)) = responses.iter().find(|(s, _)| s.starts_with('2'))
            else {
                continue;
            };
            let mut template = reply(status.parse().expect("status"));
            if let Some(example) = response.pointer("/content/application~1json/example") {
                template = template.set_body_json(example);
            }
            let regex = format!(
                "^{}{}$",
                regex_escape(&item_prefix),
                route
                    .split('/')
                    .map(|s| if s.starts_with('{') {
                        "[^/]+".to_owned()
                    } else {
                        regex_escape(s)
                    })
                    .collect::<Vec<_>>()
                    .join("/")
            );
            // A literal segment wins over a template (`/accounts/numbers` over
            // `/accounts/{account_id}`), as servers route.
            let templated = route.split('/').filter(|s| s.starts_with('{')).count();
            Mock::given(method(verb.to_ascii_uppercase().as_str()))
                .and(path_regex(regex))
                .respond_with(template)
                .with_priority(u8::try_from(templated + 1).unwrap_or(u8::MAX))
                .mount(server)
                .await;
        }
    }
}

fn regex_escape(s: &str) -> String {
    s.chars()
        .flat_map(|c| {
            if "\\.+*?()|[]{}^$".contains(c) {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect()
}

/// Every JSON response example of a spec's operations: (operationId, status, example).
/// Responses given by `$ref` are followed.
pub fn response_examples(name: &str) -> Vec<(String, u16, Value)> {
    let spec = spec(name);
    let resolve = |node: &Value| {
        let mut node = node.clone();
        while let Some(reference) = node.get("$ref").and_then(Value::as_str) {
            node = spec
                .pointer(reference.trim_start_matches('#'))
                .unwrap_or_else(|| panic!("{name}: {reference} resolves"))
                .clone();
        }
        node
    };
    let mut out = Vec::new();
    for item in spec["paths"].as_object().expect("paths").values() {
        for op in item.as_object().expect("path item").values() {
            let (Some(id), Some(responses)) = (
                op.get("operationId").and_then(Value::as_str),
                op.get("responses").and_then(Value::as_object),
            ) else {
                continue;
            };
            for (status, response) in responses {
                let Ok(status) = status.parse::<u16>() else {
                    continue;
                };
                if let Some(example) =
                    resolve(response).pointer("/content/application~1json/example")
                {
                    out.push((id.to_owned(), status, example.clone()));
                }
            }
        }
    }
    out
}

/// The JSON pointers of every node of `value` below its root: object fields and array items.
pub fn pointers(value: &Value) -> Vec<String> {
    fn walk(v: &Value, at: &str, out: &mut Vec<String>) {
        let children: Vec<(String, &Value)> = match v {
            Value::Object(m) => m
                .iter()
                .map(|(k, v)| (k.replace('~', "~0").replace('/', "~1"), v))
                .collect(),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (i.to_string(), v))
                .collect(),
            _ => return,
        };
        for (key, child) in children {
            let here = format!("{at}/{key}");
            out.push(here.clone());
            walk(child, &here, out);
        }
    }
    let mut out = Vec::new();
    walk(value, "", &mut out);
    out
}

/// A server on 127.0.0.1 that accepts connections (at most 20), reads the request and never
/// answers, holding each connection open; returns its base URL and a count of connections.
pub fn silent_server() -> (String, Arc<Mutex<usize>>) {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let count = Arc::new(Mutex::new(0));
    let seen = count.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().take(20) {
            let Ok(mut stream) = stream else { break };
            let mut buf = [0u8; 8192];
            let _ = stream.read(&mut buf);
            *seen.lock().expect("lock") += 1;
            held.push(stream);
        }
    });
    (format!("http://{addr}"), count)
}

/// A base URL on 127.0.0.1 where nothing listens: connections are refused.
pub fn refused_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    format!("http://{addr}")
}

/// Answers `GET route` whose query has `key=value` (or lacks `key`) with `body` (and the
/// request id), and expects exactly one such request: one page of a stream.
pub async fn page_once(
    server: &MockServer,
    route: &str,
    key: &str,
    value: Option<&str>,
    body: Value,
) {
    use wiremock::matchers::{query_param, query_param_is_missing};
    let mock = Mock::given(method("GET")).and(path(route));
    let mock = match value {
        Some(v) => mock.and(query_param(key, v)),
        None => mock.and(query_param_is_missing(key)),
    };
    mock.respond_with(reply(200).set_body_json(body))
        .expect(1)
        .mount(server)
        .await;
}
