//! The call engine on its own, against wiremock on 127.0.0.1: each step of a call (build,
//! prepare, send, classify, collect, decode) and its typed failures, with a request built by
//! hand as generated raw methods build theirs.

// Errors are built once per call, as generated decoders build theirs.
#![allow(clippy::result_large_err)]

use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use bytes::Bytes;
use wiremock::matchers::{header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

use super::*;
use crate::auth::{Credentials, OperationSecurity, Scheme};
use crate::config::{Api, ClientConfig, OperationServer};
use crate::error::{ApiError, AuthFailure};
use crate::meta::ResponseMeta;
use crate::retry::RetryPolicy;
use crate::token::{Expiry, TokenCredentials, TokenEndpoint, TokenField};

const BASIC: &[Scheme] = &[Scheme::Basic];
const BEARER: &[Scheme] = &[Scheme::Bearer];

const SECURITY: &[OperationSecurity] = &[
    OperationSecurity {
        operation: "get_thing",
        schemes: BASIC,
        anonymous: false,
    },
    OperationSecurity {
        operation: "post_thing",
        schemes: BASIC,
        anonymous: true,
    },
    OperationSecurity {
        operation: "bearer_only",
        schemes: BEARER,
        anonymous: false,
    },
    OperationSecurity {
        operation: "token",
        schemes: &[],
        anonymous: true,
    },
];

pub(super) fn op(name: &'static str, method: &'static str) -> Operation {
    Operation {
        id: name,
        name,
        method,
        path: "/things",
        idempotency_header: None,
    }
}

fn quick() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        max_elapsed: Duration::from_secs(5),
        ..RetryPolicy::default()
    }
}

pub(super) fn client(base: &str, configure: impl FnOnce(&mut ClientConfig)) -> Runtime {
    runtime_with(base, &[], configure)
}

fn runtime_with(
    base: &str,
    servers: &'static [OperationServer],
    configure: impl FnOnce(&mut ClientConfig),
) -> Runtime {
    let mut config = ClientConfig::new("https://api.example.test", "engine-test/1");
    config.set_base_url(base);
    config.set_retry_policy(quick());
    config.set_credentials(Credentials::basic("user", "pa55"));
    configure(&mut config);
    let api = Api {
        security: SECURITY,
        servers,
        request_id_header: "x-request-id",
    };
    Runtime::new(config, api).expect("runtime").2
}

/// A request as a raw method builds one: the URL under the base URL, nothing sent.
fn request(runtime: &Runtime, verb: &str, url: &str) -> reqwest::Request {
    let verb = reqwest::Method::from_bytes(verb.as_bytes()).expect("method");
    runtime
        .inner()
        .http
        .request(verb, url)
        .body("{}")
        .build()
        .expect("request")
}

/// The tests' error type: the raw error response.
#[derive(Debug)]
pub(super) struct Failed(ApiError<Bytes>);

impl std::ops::Deref for Failed {
    type Target = ResponseMeta;

    fn deref(&self) -> &ResponseMeta {
        &self.0
    }
}

/// The decoder of the tests: any 2xx is the raw response's metadata; anything else an error
/// that keeps it.
fn decode(raw: RawResponse) -> Result<Response<ResponseMeta>, Error<Failed>> {
    let meta = raw.meta().clone();
    match raw.status() {
        200..=299 => raw.bytes().map(|r| r.map(|_| meta)),
        _ => Err(raw.error_raw(Failed)),
    }
}

pub(super) async fn run_call(
    runtime: &Runtime,
    operation: Operation,
    url: String,
) -> Result<Response<ResponseMeta>, Error<Failed>> {
    let built = request(runtime, operation.method, &url);
    call(runtime, operation, move || Ok(built), decode).await
}

#[tokio::test]
async fn a_call_prepares_sends_collects_and_decodes() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/things"))
        .and(header("authorization", "Basic dXNlcjpwYTU1"))
        .and(header("x-api-version", "2024-01-01"))
        .and(header("user-agent", "engine-test/1"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("x-request-id", "req-7")
                .set_body_string("{\"id\":1}"),
        )
        .expect(1)
        .mount(&server)
        .await;
    let runtime = client(&server.uri(), |c| {
        c.set_header("X-Api-Version", "2024-01-01")
    });
    let response = run_call(
        &runtime,
        op("get_thing", "GET"),
        format!("{}/things", server.uri()),
    )
    .await
    .expect("a success");
    assert_eq!(response.request_id(), Some("req-7"));
    assert_eq!(response.raw_body(), &Bytes::from_static(b"{\"id\":1}"));
}

#[tokio::test]
async fn what_cannot_be_built_or_prepared_is_a_typed_error_and_nothing_is_sent() {
    let server = MockServer::start().await;
    let runtime = client(&server.uri(), |_| {});
    let url = format!("{}/things", server.uri());
    // The raw method could not build the request.
    let err = call(
        &runtime,
        op("get_thing", "GET"),
        || {
            Err(progenitor_client::Error::InvalidRequest(
                "bad header".into(),
            ))
        },
        decode,
    )
    .await
    .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidRequest {
                operation: "get_thing",
                ..
            }
        ),
        "{err:?}"
    );
    // No security requirements generated for the operation: an error, not a default.
    let err = run_call(&runtime, op("unknown", "GET"), url.clone())
        .await
        .unwrap_err();
    assert!(
        matches!(
            err,
            Error::InvalidRequest {
                operation: "unknown",
                ..
            }
        ),
        "{err:?}"
    );
    // Credentials the operation does not accept: typed, as an auth error.
    let err = run_call(&runtime, op("bearer_only", "GET"), url)
        .await
        .unwrap_err();
    let Error::Auth(auth) = &err else {
        panic!("{err:?}")
    };
    assert!(
        matches!(auth.failure(), AuthFailure::Unsupported { .. }),
        "{err:?}"
    );
    assert!(!err.is_retryable());
    assert!(server.received_requests().await.unwrap().is_empty());
}

/// A server answering `first` to the first `n` requests, then 200.
async fn answering(first: ResponseTemplate, n: u64) -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(first)
        .up_to_n_times(n)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200))
        .mount(&server)
        .await;
    server
}

async fn requests(server: &MockServer) -> usize {
    server.received_requests().await.unwrap().len()
}

#[tokio::test]
async fn attempts_are_repeated_as_classify_and_the_policy_say() {
    // A GET after a 503: again.
    let server = answering(ResponseTemplate::new(503), 1).await;
    let runtime = client(&server.uri(), |_| {});
    let url = format!("{}/things", server.uri());
    run_call(&runtime, op("get_thing", "GET"), url.clone())
        .await
        .expect("retried");
    assert_eq!(requests(&server).await, 2);
    // A POST after a 503: not again, and not retryable either (one rule for both).
    let server = answering(ResponseTemplate::new(503), 1).await;
    let url = format!("{}/things", server.uri());
    let runtime = client(&server.uri(), |_| {});
    let err = run_call(&runtime, op("post_thing", "POST"), url)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    assert!(!err.is_retryable());
    assert_eq!(requests(&server).await, 1);
    // A POST after a 429: again, after the wait it asked for.
    let server = answering(
        ResponseTemplate::new(429).insert_header("x-retry-in", "30"),
        1,
    )
    .await;
    let url = format!("{}/things", server.uri());
    let runtime = client(&server.uri(), |_| {});
    let started = Instant::now();
    run_call(&runtime, op("post_thing", "POST"), url)
        .await
        .expect("retried");
    assert!(started.elapsed() >= Duration::from_millis(30));
    assert_eq!(requests(&server).await, 2);
    // At most max_attempts: three 503s for a GET, the last one returned, retryable.
    let server = answering(ResponseTemplate::new(503), 5).await;
    let url = format!("{}/things", server.uri());
    let runtime = client(&server.uri(), |_| {});
    let err = run_call(&runtime, op("get_thing", "GET"), url)
        .await
        .unwrap_err();
    assert!(err.is_retryable());
    assert_eq!(requests(&server).await, 3);
}

/// A server whose every answer takes 5 s.
async fn slow_server() -> MockServer {
    let server = MockServer::start().await;
    Mock::given(path("/things"))
        .respond_with(ResponseTemplate::new(200).set_delay(Duration::from_secs(5)))
        .mount(&server)
        .await;
    server
}

/// Calls `operation` on the slow server: the call must fail well before the answer comes,
/// timed out.
async fn timed_out(runtime: &Runtime, operation: Operation, server: &MockServer) -> TransportError {
    let started = Instant::now();
    let err = run_call(runtime, operation, format!("{}/things", server.uri()))
        .await
        .unwrap_err();
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let Error::Transport(t) = err else {
        panic!("{err:?}")
    };
    assert!(t.is_timeout(), "{t:?}");
    t
}

#[tokio::test]
async fn the_deadline_bounds_the_call_and_says_whether_it_may_be_made_again() {
    let server = slow_server().await;
    /// An interceptor that does nothing: with one, a timer bounds the call; without, the
    /// attempt's own timeout (the time left) does.
    struct Quiet;
    impl crate::Interceptor for Quiet {}
    for with_interceptor in [false, true] {
        let runtime = client(&server.uri(), |c| {
            c.set_retry_policy(RetryPolicy {
                max_elapsed: Duration::from_millis(200),
                ..quick()
            });
            if with_interceptor {
                c.add_interceptor(Quiet);
            }
        });
        assert_eq!(bounded_by_attempts(&runtime), !with_interceptor);
        for (operation, repeatable) in [
            (op("get_thing", "GET"), true),
            (op("post_thing", "POST"), false),
        ] {
            let t = timed_out(&runtime, operation, &server).await;
            assert!(
                t.to_string()
                    .ends_with("the call's deadline (RetryPolicy::max_elapsed) passed"),
                "{t}"
            );
            assert_eq!(t.is_retryable(), repeatable, "{t:?}");
        }
    }
}

#[tokio::test]
async fn an_attempt_that_times_out_before_the_deadline_is_the_attempts_timeout() {
    let server = slow_server().await;
    let runtime = client(&server.uri(), |c| {
        c.set_timeouts(Duration::from_secs(1), Duration::from_millis(100));
        c.set_retry_policy(RetryPolicy {
            max_attempts: 1,
            ..quick()
        });
    });
    assert!(bounded_by_attempts(&runtime));
    let t = timed_out(&runtime, op("get_thing", "GET"), &server).await;
    // reqwest's error, not the deadline's: the call had seconds left.
    assert!(!t.to_string().contains("deadline"), "{t}");
    assert!(std::error::Error::source(&t).is_some(), "{t:?}");
}

#[tokio::test]
async fn an_operation_with_its_own_server_is_sent_there() {
    static SERVERS: &[OperationServer] = &[OperationServer {
        operation: "token",
        url: "https://api.example.test/v1",
    }];
    let server = MockServer::start().await;
    Mock::given(path("/v1/things"))
        .respond_with(ResponseTemplate::new(200))
        .expect(1)
        .mount(&server)
        .await;
    // On the API's origin: pointed at a mock, the client's origin replaces it.
    let runtime = runtime_with(&format!("{}/api", server.uri()), SERVERS, |_| {});
    let url = format!("{}/api/things", server.uri());
    run_call(&runtime, op("token", "POST"), url)
        .await
        .expect("sent to its server");
}

static TOKEN: TokenEndpoint = TokenEndpoint {
    operation: "token",
    method_name: "token",
    method: "POST",
    path: "/token",
    server: None,
    form: true,
    body: &[
        ("grant_type", TokenField::Literal("client_credentials")),
        ("client_id", TokenField::Credential("client_id")),
    ],
    access_token: "access_token",
    expiry: Expiry::Seconds("expires_in"),
    expired_marker: None,
    decode_error: |_| None,
};

#[tokio::test]
async fn a_401_gets_a_new_token_once() {
    let server = MockServer::start().await;
    let issued = AtomicUsize::new(0);
    Mock::given(method("POST"))
        .and(path("/token"))
        .respond_with(move |_: &wiremock::Request| {
            let n = issued.fetch_add(1, Ordering::SeqCst);
            ResponseTemplate::new(200).set_body_json(
                serde_json::json!({"access_token": format!("t{n}"), "expires_in": 3600}),
            )
        })
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .and(header("authorization", "Bearer t0"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    Mock::given(path("/things"))
        .and(header("authorization", "Bearer t1"))
        .respond_with(ResponseTemplate::new(401))
        .mount(&server)
        .await;
    let runtime = client(&server.uri(), |c| {
        c.set_credentials(Credentials::Token(TokenCredentials::new(
            &TOKEN,
            vec![("client_id", "c".into())],
        )));
    });
    let url = format!("{}/things", server.uri());
    let err = run_call(&runtime, op("bearer_only", "GET"), url)
        .await
        .unwrap_err();
    assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
    let received = server.received_requests().await.unwrap();
    let paths: Vec<&str> = received.iter().map(|r| r.url.path()).collect();
    // A token, the call, a new token, the call once more: then the 401 is returned.
    assert_eq!(paths, ["/token", "/things", "/token", "/things"]);
}
