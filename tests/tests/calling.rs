//! Calling a generated crate beyond its parameters, end to end on the `calling` fixture
//! crate against a server on 127.0.0.1: per-call options (`Client::with`), idempotency keys
//! where the spec declares the header, and interceptors set on the client builder.

mod common;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use common::*;
use finapi_runtime::{CallInfo, CallOptions, CallOutcome, Hook, Interceptor, RetryPolicy};
use snapshot_calling::{Client, types};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, Request, ResponseTemplate};

const PAYMENTS: &str = "/payments";
const CANCEL: &str = "/payments/p_1/cancel";

fn created() -> ResponseTemplate {
    reply_body(201, r#"{"id":"p_1","amount":1250,"currency":"EUR"}"#)
}

/// A policy that retries at once, so that tests do not wait.
fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(1),
        max_backoff: Duration::from_millis(5),
        ..RetryPolicy::default()
    }
}

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("tok_secret")
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
        .retry_policy(quick_retries())
        .build()
        .expect("client")
}

fn payment() -> types::NewPayment {
    types::NewPayment {
        amount: std::num::NonZeroU64::new(1250).expect("non-zero"),
        currency: "EUR".parse().expect("currency"),
        memo: None,
    }
}

fn keys(requests: &[Request]) -> Vec<Option<String>> {
    requests
        .iter()
        .map(|r| header(r, "idempotency-key").map(str::to_owned))
        .collect()
}

// ---------------------------------------------------------------- idempotency keys

#[tokio::test]
async fn a_declared_idempotency_header_gets_a_fresh_key_per_call_and_the_same_on_retries() {
    let server = MockServer::start().await;
    sequence(&server, "POST", PAYMENTS, reply(503), 1, created()).await;
    let client = client(&server);

    client
        .create_payment(None, &payment())
        .await
        .expect("retried");
    client
        .create_payment(None, &payment())
        .await
        .expect("second call");

    let keys = keys(&requests_to(&server, PAYMENTS).await);
    assert_eq!(
        keys.len(),
        3,
        "the 503 was retried once, the second call went once"
    );
    let first = keys[0].clone().expect("a generated key");
    assert_eq!(first.len(), 32, "128 random bits in hexadecimal: {first}");
    assert!(first.bytes().all(|b| b.is_ascii_hexdigit()));
    assert_eq!(keys[1], keys[0], "a retry repeats its call's key");
    assert_ne!(keys[2], keys[0], "each call has its own key");
}

#[tokio::test]
async fn the_callers_key_is_sent_from_options_or_from_the_parameter() {
    let server = MockServer::start().await;
    mock(&server, "POST", PAYMENTS, created()).await;
    let client = client(&server);

    client
        .with(CallOptions::new().idempotency_key("order-7f3a"))
        .create_payment(None, &payment())
        .await
        .expect("options' key");
    let parameter: types::CreatePaymentIdempotencyKey = "order-9b1c".parse().expect("key");
    client
        .with(CallOptions::new().idempotency_key("ignored"))
        .create_payment(Some(&parameter), &payment())
        .await
        .expect("the parameter's key");

    let keys = keys(&requests_to(&server, PAYMENTS).await);
    assert_eq!(
        keys,
        [Some("order-7f3a".to_owned()), Some("order-9b1c".to_owned())],
        "the operation's own parameter wins over the options"
    );
}

#[tokio::test]
async fn a_post_without_a_key_is_not_retried_and_one_with_a_key_header_is() {
    let server = MockServer::start().await;
    mock(&server, "POST", CANCEL, reply(503)).await;
    let client = client(&server);

    let error = client.cancel_payment("p_1").await.expect_err("503");
    assert!(
        !error.is_retryable(),
        "a POST without a key may have been done"
    );
    assert_eq!(requests_to(&server, CANCEL).await.len(), 1);
    assert!(
        keys(&requests_to(&server, CANCEL).await)[0].is_none(),
        "no key where none is declared"
    );

    let error = client
        .with(CallOptions::new().header("Idempotency-Key", "cancel-p_1"))
        .cancel_payment("p_1")
        .await
        .expect_err("503 every time");
    assert!(
        error.is_retryable(),
        "with a key the POST is safe to send again"
    );
    let sent = requests_to(&server, CANCEL).await;
    assert_eq!(sent.len(), 1 + 3, "the keyed call used its three attempts");
    assert!(
        sent[1..]
            .iter()
            .all(|r| header(r, "idempotency-key") == Some("cancel-p_1"))
    );
}

// ---------------------------------------------------------------- per-call options

#[tokio::test]
async fn options_change_only_the_calls_made_through_the_client_they_give() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(CANCEL))
        .respond_with(reply(503))
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path(CANCEL))
        .respond_with(
            reply_body(200, r#"{"id":"p_1","amount":1,"currency":"EUR"}"#)
                .set_delay(Duration::from_millis(600)),
        )
        .mount(&server)
        .await;
    let client = client(&server);

    // No retries for this one call: the 503 comes back at once, with its extra header sent.
    let once = client.with(
        CallOptions::new()
            .retry_policy(RetryPolicy::none())
            .header("x-trace-id", "checkout-42"),
    );
    let error = once.cancel_payment("p_1").await.expect_err("503");
    assert_eq!(error.status().map(|s| s.as_u16()), Some(503));

    // A timeout shorter than the server's delay, for this call only.
    let started = Instant::now();
    let error = client
        .with(CallOptions::new().timeout(Duration::from_millis(100)))
        .cancel_payment("p_1")
        .await
        .expect_err("timed out");
    assert!(
        matches!(error, finapi_runtime::Error::Transport(_)),
        "{error}"
    );
    assert!(
        started.elapsed() < Duration::from_millis(550),
        "{:?}",
        started.elapsed()
    );

    // The client itself keeps its own timeout (2 s) and sends no extra header.
    let payment = client
        .cancel_payment("p_1")
        .await
        .expect("slow but in time");
    assert_eq!(payment.id, "p_1");

    let sent = requests_to(&server, CANCEL).await;
    assert_eq!(header(&sent[0], "x-trace-id"), Some("checkout-42"));
    assert!(sent[1..].iter().all(|r| header(r, "x-trace-id").is_none()));
}

#[tokio::test]
async fn a_deadline_bounds_the_whole_call_retries_included() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        PAYMENTS,
        reply(503).set_delay(Duration::from_millis(150)),
    )
    .await;
    let client = client(&server);

    let started = Instant::now();
    let error = client
        .with(CallOptions::new().deadline(Duration::from_millis(250)))
        .create_payment(None, &payment())
        .await
        .expect_err("past its deadline");
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    assert!(requests_to(&server, PAYMENTS).await.len() <= 2);
    assert!(
        error.is_retryable(),
        "a keyed POST may be made again: {error}"
    );
}

// ---------------------------------------------------------------- interceptors

#[derive(Default)]
struct Journal(Mutex<Vec<String>>);

impl Journal {
    fn push(&self, line: String) {
        self.0.lock().expect("journal").push(line);
    }
    fn lines(&self) -> Vec<String> {
        self.0.lock().expect("journal").clone()
    }
}

/// Logs every phase, and what it saw of the credentials.
struct Logging(Arc<Journal>);

impl Interceptor for Logging {
    fn before_send<'a>(
        &'a self,
        call: &'a CallInfo,
        request: &'a mut reqwest::Request,
    ) -> Hook<'a> {
        Box::pin(async move {
            let auth = request.headers().contains_key("authorization");
            self.0.push(format!(
                "log before_send {} #{} auth={auth}",
                call.operation, call.attempt
            ));
        })
    }
    fn after_response<'a>(
        &'a self,
        call: &'a CallInfo,
        status: reqwest::StatusCode,
        _headers: &'a reqwest::header::HeaderMap,
    ) -> Hook<'a> {
        Box::pin(async move {
            self.0.push(format!(
                "log after_response #{} {}",
                call.attempt,
                status.as_u16()
            ));
        })
    }
    fn after_call<'a>(&'a self, call: &'a CallInfo, outcome: &'a CallOutcome) -> Hook<'a> {
        Box::pin(async move {
            self.0.push(format!(
                "log after_call {} {:?} attempts={} ok={}",
                call.operation,
                outcome.status.map(|s| s.as_u16()),
                outcome.attempts,
                outcome.succeeded
            ));
        })
    }
}

/// Signs each request's body: a header computed from the request as it is sent.
struct Signing(Arc<Journal>);

impl Interceptor for Signing {
    fn before_send<'a>(
        &'a self,
        call: &'a CallInfo,
        request: &'a mut reqwest::Request,
    ) -> Hook<'a> {
        Box::pin(async move {
            let body = request
                .body()
                .and_then(|b| b.as_bytes())
                .unwrap_or_default();
            let auth = request.headers().contains_key("authorization");
            let signature = format!("len={};attempt={}", body.len(), call.attempt);
            request
                .headers_mut()
                .insert("x-signature", signature.parse().expect("header value"));
            self.0
                .push(format!("sign before_send #{} auth={auth}", call.attempt));
        })
    }
    fn sees_credentials(&self) -> bool {
        true
    }
}

#[tokio::test]
async fn interceptors_run_at_each_phase_in_order_and_see_credentials_only_when_asked() {
    let server = MockServer::start().await;
    sequence(&server, "POST", PAYMENTS, reply(503), 1, created()).await;
    let journal = Arc::new(Journal::default());
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("tok_secret")
        .retry_policy(quick_retries())
        .interceptor(Logging(journal.clone()))
        .interceptor(Signing(journal.clone()))
        .build()
        .expect("client");

    client
        .create_payment(None, &payment())
        .await
        .expect("created");

    assert_eq!(
        journal.lines(),
        [
            "log before_send createPayment #1 auth=false",
            "sign before_send #1 auth=true",
            "log after_response #1 503",
            "log before_send createPayment #2 auth=false",
            "sign before_send #2 auth=true",
            "log after_response #2 201",
            "log after_call createPayment Some(201) attempts=2 ok=true",
        ]
    );
    let sent = requests_to(&server, PAYMENTS).await;
    let length = sent[0].body.len();
    for (i, request) in sent.iter().enumerate() {
        assert_eq!(
            header(request, "x-signature"),
            Some(format!("len={length};attempt={}", i + 1).as_str()),
            "the signing header is computed per attempt"
        );
        assert_eq!(
            header(request, "authorization"),
            Some("Bearer tok_secret"),
            "credentials withheld from an interceptor are put back"
        );
    }
}

#[tokio::test]
async fn an_interceptor_hears_how_a_failed_call_ended() {
    let server = MockServer::start().await;
    mock(&server, "POST", CANCEL, reply_body(404, "")).await;
    let journal = Arc::new(Journal::default());
    let client = Client::builder()
        .base_url(server.uri())
        .bearer_token("tok_secret")
        .interceptor(Logging(journal.clone()))
        .build()
        .expect("client");

    client.cancel_payment("p_1").await.expect_err("404");
    assert_eq!(
        journal.lines().last().map(String::as_str),
        Some("log after_call cancelPayment Some(404) attempts=1 ok=false")
    );

    // No response at all: no status, and every hook but `after_response` still ran.
    let journal = Arc::new(Journal::default());
    let client = Client::builder()
        .base_url(refused_url())
        .bearer_token("tok_secret")
        .retry_policy(RetryPolicy::none())
        .interceptor(Logging(journal.clone()))
        .build()
        .expect("client");
    client.cancel_payment("p_1").await.expect_err("refused");
    assert_eq!(
        journal.lines(),
        [
            "log before_send cancelPayment #1 auth=false",
            "log after_call cancelPayment None attempts=1 ok=false",
        ]
    );
}

// ---------------------------------------------------------------- corpus specs

/// The operations of a spec that declare an idempotency header (path-level parameters and
/// `$ref`s to `components/parameters` included).
fn declared_idempotency(spec: &serde_json::Value) -> usize {
    let resolve = |p: &serde_json::Value| -> serde_json::Value {
        match p.get("$ref").and_then(|r| r.as_str()) {
            Some(r) => spec
                .pointer(r.trim_start_matches('#'))
                .cloned()
                .unwrap_or_default(),
            None => p.clone(),
        }
    };
    let keyed = |params: Option<&serde_json::Value>| {
        params.and_then(|p| p.as_array()).is_some_and(|params| {
            params.iter().map(resolve).any(|p| {
                p["in"] == "header"
                    && ["idempotency-key", "x-idempotency-key"].contains(
                        &p["name"]
                            .as_str()
                            .unwrap_or("")
                            .to_ascii_lowercase()
                            .as_str(),
                    )
            })
        })
    };
    let mut n = 0;
    for item in spec["paths"].as_object().expect("paths").values() {
        for verb in [
            "get", "put", "post", "delete", "patch", "head", "options", "trace",
        ] {
            if let Some(op) = item.get(verb) {
                n += usize::from(keyed(op.get("parameters")) || keyed(item.get("parameters")));
            }
        }
    }
    n
}

#[test]
fn corpus_specs_that_declare_an_idempotency_key_send_one_on_those_operations() {
    let corpus = root().join("../shared/corpus");
    if !corpus.is_dir() {
        // As `.ci/run` does: the corpus lives beside the repository, not in it.
        eprintln!("skipped: {} not found", corpus.display());
        return;
    }
    for (file, expected) in [
        ("lithic-openapi-2023-09.yml", 34),
        ("moderntreasury-mt_openapi_spec_v1.yaml", 43),
    ] {
        let path = corpus.join(file);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| {
            panic!(
                "{}: {e} (the corpus sits beside the checkout)",
                path.display()
            )
        });
        let spec: serde_json::Value = serde_yaml::from_str(&text).expect("yaml");
        assert_eq!(declared_idempotency(&spec), expected, "{file}: declared");
        let files = finapi_codegen::Builder::new(&path)
            .generate_crate()
            .unwrap_or_else(|e| panic!("{file}: {e}"));
        let code = &files.files[std::path::Path::new("src/generated.rs")];
        // Distinct operations: one the crate calls through two methods (a body of two media
        // types) counts once.
        let sent: std::collections::BTreeSet<&str> = code
            .split("::finapi_runtime::Operation {")
            .skip(1)
            .filter_map(|block| {
                let id = block.split("id: \"").nth(1)?.split('"').next()?;
                let header = block.split("idempotency_header: ").nth(1)?.lines().next()?;
                (header == "::std::option::Option::Some(\"idempotency-key\"),").then_some(id)
            })
            .collect();
        assert_eq!(
            sent.len(),
            expected,
            "{file}: every declaring operation sends a key"
        );
        let readme = &files.files[std::path::Path::new("README.md")];
        assert!(
            readme.contains("send a key on every call"),
            "{file}: README"
        );
        // Every operation whose responses document headers has them typed.
        let documented = spec["paths"]
            .as_object()
            .expect("paths")
            .values()
            .flat_map(|item| item.as_object().into_iter().flat_map(|o| o.values()))
            .filter(|op| {
                op["responses"]
                    .as_object()
                    .is_some_and(|responses| responses.values().any(|r| r.get("headers").is_some()))
            })
            .count();
        let typed = code
            .matches("impl ::finapi_runtime::FromHeaders for")
            .count();
        assert_eq!(typed, documented, "{file}: typed headers");
    }
}

// ---------------------------------------------------------------- request bodies

#[tokio::test]
async fn a_body_built_by_its_builder_is_the_struct_literal_on_the_wire() {
    let server = MockServer::start().await;
    mock(&server, "POST", PAYMENTS, created()).await;
    let client = client(&server);

    let built = types::NewPayment::builder()
        .amount(1250u64)
        .currency("EUR")
        .build()
        .expect("valid");
    assert_eq!(built, payment(), "the same value as the struct literal");
    client.create_payment(None, &built).await.expect("created");
    let sent = only_request(&server).await;
    assert_eq!(
        body_json(&sent),
        serde_json::json!({"amount": 1250, "currency": "EUR"})
    );
}

#[test]
fn a_builder_names_the_field_it_refuses_never_the_value() {
    let missing = types::NewPayment::builder()
        .amount(1u64)
        .build()
        .expect_err("no currency");
    assert_eq!(missing.type_name, "NewPayment");
    assert_eq!(missing.field, "currency");
    assert_eq!(
        missing.to_string(),
        "NewPayment.currency: required, not set"
    );

    let pattern = types::NewPayment::builder()
        .amount(1u64)
        .currency("euro-secret")
        .build()
        .expect_err("pattern");
    assert_eq!(pattern.field, "currency");
    assert!(pattern.reason.contains("pattern"), "{pattern}");
    assert!(!pattern.to_string().contains("euro-secret"), "{pattern}");

    let long = types::NewPayment::builder()
        .amount(1u64)
        .currency("EUR")
        .memo("x".repeat(141))
        .build()
        .expect_err("maxLength");
    assert_eq!(long.field, "memo");

    let zero = types::NewPayment::builder()
        .amount(0u64)
        .currency("EUR")
        .build()
        .expect_err("minimum 1");
    assert_eq!(zero.field, "amount");
}

// ---------------------------------------------------------------- typed response headers

#[tokio::test]
async fn documented_response_headers_are_typed_on_the_response_and_on_the_error() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path(PAYMENTS))
        .respond_with(
            created()
                .insert_header("Location", "/payments/p_1")
                .insert_header("X-RateLimit-Remaining", "41")
                .insert_header("Retry-After-Date", "2026-12-07T10:00:00Z"),
        )
        .up_to_n_times(1)
        .with_priority(1)
        .mount(&server)
        .await;
    mock(
        &server,
        "POST",
        PAYMENTS,
        reply_body(429, r#"{"code":"slow_down"}"#)
            .insert_header("X-RateLimit-Remaining", "not-a-number")
            .insert_header("Retry-After", "3600"),
    )
    .await;
    let client = client(&server);

    let response = client
        .create_payment(None, &payment())
        .await
        .expect("created");
    let headers = response.headers_as::<snapshot_calling::CreatePaymentHeaders>();
    assert_eq!(headers.location.as_deref(), Some("/payments/p_1"));
    assert_eq!(headers.x_rate_limit_remaining, Some(41));
    assert_eq!(
        headers.retry_after_date,
        Some("2026-12-07T10:00:00Z".parse().expect("date"))
    );
    assert_eq!(headers.x_request_id.as_deref(), Some(REQUEST_ID));
    // The raw headers are there as well.
    assert_eq!(
        response
            .headers()
            .get("x-ratelimit-remaining")
            .map(|v| v.as_bytes()),
        Some(&b"41"[..])
    );

    let error = client
        .with(CallOptions::new().retry_policy(RetryPolicy::none()))
        .create_payment(None, &payment())
        .await
        .expect_err("429");
    let finapi_runtime::Error::Api(snapshot_calling::CreatePaymentError::TooManyRequests(e)) =
        &error
    else {
        panic!("the documented 429: {error:?}")
    };
    let headers = e.headers_as::<snapshot_calling::CreatePaymentHeaders>();
    assert_eq!(headers.x_rate_limit_remaining, None, "does not parse: None");
    assert_eq!(headers.location, None, "absent: None");
}
