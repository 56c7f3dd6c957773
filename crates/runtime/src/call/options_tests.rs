//! Per-call options and interceptors, against wiremock on 127.0.0.1: each option changes the
//! one call it is given to and nothing else; an operation with an idempotency header sends
//! one key per call, the same on every attempt, and is then retried as a repeatable request;
//! interceptors run at their phases, in order, without credentials unless they ask.

#![allow(clippy::result_large_err)]

use std::sync::{Arc, Mutex};
use std::time::Duration;

use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

use super::tests::{client, op, run_call};
use super::*;
use crate::interceptor::{Hook, Interceptor};
use crate::options::CallOptions;
use crate::retry::RetryPolicy;

fn url(server: &MockServer) -> String {
    format!("{}/things", server.uri())
}

#[tokio::test]
async fn options_change_the_calls_they_are_given_to_and_no_other() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let runtime = client(&server.uri(), |_| {});
    // The client's policy: three attempts.
    let _ = run_call(&runtime, op("get_thing", "GET"), url(&server)).await;
    assert_eq!(server.received_requests().await.unwrap().len(), 3);
    server.reset().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    // No retries for this call, and an extra header.
    let once = runtime.with_options(
        CallOptions::new()
            .retry_policy(RetryPolicy::none())
            .header("x-trace-id", "t-1"),
    );
    let err = run_call(&once, op("get_thing", "GET"), url(&server))
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 1);
    assert_eq!(received[0].headers["x-trace-id"], "t-1");
    // The client itself is unchanged.
    let _ = run_call(&runtime, op("get_thing", "GET"), url(&server)).await;
    let received = server.received_requests().await.unwrap();
    assert_eq!(received.len(), 4);
    assert!(!received[3].headers.contains_key("x-trace-id"));
}

#[tokio::test]
async fn a_timeout_and_a_deadline_bound_the_call_they_are_given_to() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_millis(300)))
        .mount(&server)
        .await;
    let runtime = client(&server.uri(), |_| {});
    run_call(&runtime, op("get_thing", "GET"), url(&server))
        .await
        .expect("the client's own timeout allows 300 ms");
    let short = runtime.with_options(
        CallOptions::new()
            .timeout(Duration::from_millis(50))
            .retry_policy(RetryPolicy::none()),
    );
    let err = run_call(&short, op("get_thing", "GET"), url(&server))
        .await
        .unwrap_err();
    assert!(
        matches!(&err, Error::Transport(t) if t.is_timeout()),
        "{err:?}"
    );
    let started = Instant::now();
    let bounded = runtime.with_options(CallOptions::new().deadline(Duration::from_millis(80)));
    let err = run_call(&bounded, op("get_thing", "GET"), url(&server))
        .await
        .unwrap_err();
    assert!(matches!(&err, Error::Transport(_)), "{err:?}");
    assert!(started.elapsed() < Duration::from_millis(280));
}

#[tokio::test]
async fn an_invalid_header_option_names_the_header_not_its_value() {
    let server = MockServer::start().await;
    let runtime = client(&server.uri(), |_| {});
    let bad = runtime.with_options(CallOptions::new().header("x-note", "secret\nvalue"));
    let err = run_call(&bad, op("get_thing", "GET"), url(&server))
        .await
        .unwrap_err();
    let Error::InvalidRequest { message, .. } = &err else {
        panic!("{err:?}");
    };
    assert!(message.contains("x-note"), "{message}");
    assert!(!format!("{err:?}").contains("secret"), "{err:?}");
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A POST whose spec declares `Idempotency-Key`.
fn idempotent_post() -> Operation {
    Operation {
        idempotency_header: Some("idempotency-key"),
        ..op("post_thing", "POST")
    }
}

fn keys(received: &[Request]) -> Vec<String> {
    received
        .iter()
        .map(|r| {
            r.headers
                .get("idempotency-key")
                .map(|v| v.to_str().unwrap().to_owned())
                .unwrap_or_default()
        })
        .collect()
}

#[tokio::test]
async fn a_declared_idempotency_header_gets_one_key_per_call_and_makes_a_post_retryable() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/things"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let runtime = client(&server.uri(), |_| {});
    run_call(&runtime, idempotent_post(), url(&server))
        .await
        .expect("retried with its key, then created");
    let first = keys(&server.received_requests().await.unwrap());
    assert_eq!(first.len(), 2, "a 503 of a POST with a key is retried");
    assert_eq!(first[0], first[1], "the same key on every attempt");
    assert_eq!(first[0].len(), 32);
    // The next call, its own key; a caller's key when given.
    run_call(&runtime, idempotent_post(), url(&server))
        .await
        .expect("created");
    let chosen = runtime.with_options(CallOptions::new().idempotency_key("order-7f3a"));
    run_call(&chosen, idempotent_post(), url(&server))
        .await
        .expect("created");
    let all = keys(&server.received_requests().await.unwrap());
    assert_ne!(all[2], all[0]);
    assert_eq!(all[3], "order-7f3a");
    // Without a declared header: no key, and a POST's 503 is not retried.
    server.reset().await;
    Mock::given(method("POST"))
        .respond_with(ResponseTemplate::new(503))
        .mount(&server)
        .await;
    let _ = run_call(&runtime, op("post_thing", "POST"), url(&server)).await;
    let plain = server.received_requests().await.unwrap();
    assert_eq!(plain.len(), 1);
    assert!(!plain[0].headers.contains_key("idempotency-key"));
}

/// Records every hook it sees, signs each attempt, and checks what it is shown.
struct Recorder {
    name: &'static str,
    seen: Arc<Mutex<Vec<String>>>,
    credentials: bool,
}

impl Interceptor for Recorder {
    fn before_send<'a>(
        &'a self,
        call: &'a CallInfo,
        request: &'a mut reqwest::Request,
    ) -> Hook<'a> {
        Box::pin(async move {
            let auth = request.headers().contains_key(AUTHORIZATION);
            self.seen.lock().unwrap().push(format!(
                "{} before {} #{} auth={auth}",
                self.name, call.operation, call.attempt
            ));
            request.headers_mut().insert(
                HeaderName::from_static("x-signature"),
                HeaderValue::from_static("sig"),
            );
        })
    }

    fn after_response<'a>(
        &'a self,
        call: &'a CallInfo,
        status: reqwest::StatusCode,
        _headers: &'a reqwest::header::HeaderMap,
    ) -> Hook<'a> {
        Box::pin(async move {
            self.seen.lock().unwrap().push(format!(
                "{} response #{} {}",
                self.name,
                call.attempt,
                status.as_u16()
            ));
        })
    }

    fn after_call<'a>(&'a self, call: &'a CallInfo, outcome: &'a CallOutcome) -> Hook<'a> {
        Box::pin(async move {
            self.seen.lock().unwrap().push(format!(
                "{} done {} {:?} ok={} attempts={}",
                self.name,
                call.path,
                outcome.status.map(|s| s.as_u16()),
                outcome.succeeded,
                outcome.attempts
            ));
        })
    }

    fn sees_credentials(&self) -> bool {
        self.credentials
    }
}

#[tokio::test]
async fn interceptors_run_at_each_phase_in_order_without_credentials_unless_asked() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(503))
        .up_to_n_times(1)
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    let seen = Arc::new(Mutex::new(Vec::new()));
    let runtime = client(&server.uri(), |c| {
        c.add_interceptor(Recorder {
            name: "metrics",
            seen: Arc::clone(&seen),
            credentials: false,
        });
        c.add_interceptor(Recorder {
            name: "signer",
            seen: Arc::clone(&seen),
            credentials: true,
        });
    });
    run_call(&runtime, op("get_thing", "GET"), url(&server))
        .await
        .expect("the second attempt succeeds");
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "metrics before get_thing #1 auth=false",
            "signer before get_thing #1 auth=true",
            "metrics response #1 503",
            "signer response #1 503",
            "metrics before get_thing #2 auth=false",
            "signer before get_thing #2 auth=true",
            "metrics response #2 200",
            "signer response #2 200",
            "metrics done /things Some(200) ok=true attempts=2",
            "signer done /things Some(200) ok=true attempts=2",
        ]
    );
    // The credentials withheld from an interceptor are still sent; its header too.
    let received = server.received_requests().await.unwrap();
    assert!(
        received
            .iter()
            .all(|r| r.headers.contains_key("authorization"))
    );
    assert!(received.iter().all(|r| r.headers["x-signature"] == "sig"));
    // A call that fails before any response: its outcome says so.
    seen.lock().unwrap().clear();
    let err = run_call(&runtime, op("unknown", "GET"), url(&server))
        .await
        .unwrap_err();
    assert!(matches!(err, Error::InvalidRequest { .. }));
    let seen = seen.lock().unwrap();
    assert_eq!(seen.len(), 2, "{seen:?}");
    assert!(
        seen[0].starts_with("metrics done /things None ok=false attempts=0"),
        "{seen:?}"
    );
}
