//! Token sources in all three crates, against in-process mock servers: a token is fetched
//! once and cached, refreshed before it expires, fetched once for 100 concurrent calls on an
//! expired token, refreshed once (and the call retried once) on a 401 that says it expired,
//! and never printed.

mod common;

use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use serde_json::{Value, json};
use wiremock::matchers::{header as has_header, method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

/// A JWT whose `exp` is `lifetime` seconds from now (negative: already expired).
fn jwt(subject: &str, lifetime: i64) -> String {
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .expect("clock")
        .as_secs() as i64;
    let claims = json!({"sub": subject, "exp": now + lifetime}).to_string();
    format!("eyJhbGciOiJIUzI1NiJ9.{}.sig", base64url(claims.as_bytes()))
}

fn base64url(input: &[u8]) -> String {
    const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut out = String::new();
    for chunk in input.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

/// Mounts a token response used `times` times (or forever), matched before later mounts.
async fn token_reply(
    server: &MockServer,
    route: &str,
    body: Value,
    times: Option<u64>,
    delay_ms: u64,
) {
    let mut mock = Mock::given(method("POST")).and(path(route)).respond_with(
        reply(if route == "/auth/token" { 201 } else { 200 })
            .set_body_json(body)
            .set_delay(Duration::from_millis(delay_ms)),
    );
    if let Some(n) = times {
        mock = mock.up_to_n_times(n).with_priority(1);
    }
    mock.mount(server).await;
}

/// Answers API calls: 200 with `ok_body` for `Bearer <good>`, `bad_status` for other tokens.
async fn api_reply(server: &MockServer, verb: &str, route: &str, good: &str, ok: ResponseTemplate) {
    Mock::given(method(verb))
        .and(path(route))
        .and(has_header(
            "authorization",
            format!("Bearer {good}").as_str(),
        ))
        .respond_with(ok)
        .with_priority(1)
        .mount(server)
        .await;
}

async fn count(server: &MockServer, route: &str) -> usize {
    requests_to(server, route).await.len()
}

macro_rules! token_source_tests {
    (
        $module:ident => $krate:ident,
        token_route: $token_route:expr,
        access: |$atok:ident, $alife:ident| $access:expr,
        token: |$tok:ident, $life:ident| $token_body:expr,
        api: ($verb:expr, $api_route:expr, $ok:expr),
        expired_401: $expired_401:expr,
        spec: $spec:expr,
        token_op: $token_op:expr,
        builder: |$server:ident| $builder:expr,
        call: |$c:ident| $call:expr,
        secrets: [$($secret:expr),*],
    ) => {
        mod $module {
            use super::*;

            /// The access token string the endpoint hands out for `tok` living `life` seconds.
            fn access($atok: &str, $alife: i64) -> String {
                $access
            }

            /// The token response carrying `access`.
            fn token_json($tok: &str, $life: i64) -> Value {
                $token_body
            }

            /// Mounts the token response for `tok`; returns its access token.
            async fn token(server: &MockServer, tok: &str, life: i64, times: Option<u64>, delay_ms: u64) -> String {
                let a = access(tok, life);
                token_reply(server, $token_route, token_json(&a, life), times, delay_ms).await;
                a
            }

            fn builder($server: &MockServer) -> ::$krate::ClientBuilder {
                $builder
            }

            fn client(server: &MockServer) -> Client {
                builder(server).build().expect("client")
            }

            type Client = ::$krate::Client;

            #[tokio::test]
            async fn fetches_one_token_and_caches_it() {
                let server = MockServer::start().await;
                let a = token(&server, "tok-a", 3600, None, 0).await;
                api_reply(&server, $verb, $api_route, &a, $ok).await;
                let $c = client(&server);
                for _ in 0..3 {
                    $call.await.expect("the call succeeds with the fetched token");
                }
                assert_eq!(count(&server, $token_route).await, 1);
                assert_eq!(count(&server, $api_route).await, 3);
            }

            #[tokio::test]
            async fn refreshes_the_token_before_it_expires() {
                let server = MockServer::start().await;
                let a = token(&server, "tok-a", 1, Some(1), 0).await;
                let b = token(&server, "tok-b", 3600, None, 0).await;
                api_reply(&server, $verb, $api_route, &a, $ok).await;
                api_reply(&server, $verb, $api_route, &b, $ok).await;
                let $c = client(&server);
                $call.await.expect("first call");
                $call.await.expect("second call, same token");
                assert_eq!(count(&server, $token_route).await, 1);
                tokio::time::sleep(Duration::from_millis(1100)).await;
                $call.await.expect("third call, after expiry");
                assert_eq!(count(&server, $token_route).await, 2);
                let last = requests_to(&server, $api_route).await.pop().expect("a call");
                assert_eq!(header(&last, "authorization"), Some(format!("Bearer {b}").as_str()));
            }

            #[tokio::test]
            async fn one_hundred_concurrent_calls_on_an_expired_token_fetch_one() {
                let server = MockServer::start().await;
                let a = token(&server, "tok-a", -10, Some(1), 0).await;
                // A slow token endpoint, so that every call is waiting while it answers.
                let b = token(&server, "tok-b", 3600, None, 300).await;
                api_reply(&server, $verb, $api_route, &a, $ok).await;
                api_reply(&server, $verb, $api_route, &b, $ok).await;
                let $c = client(&server);
                $call.await.expect("a call with the (at once expired) first token");
                assert_eq!(count(&server, $token_route).await, 1);
                let calls = (0..100).map(|_| {
                    let $c = $c.clone();
                    tokio::spawn(async move { $call.await.map(|_| ()).map_err(|e| e.to_string()) })
                });
                for result in futures_util_join(calls).await {
                    result.expect("join").expect("each concurrent call succeeds");
                }
                assert_eq!(count(&server, $token_route).await, 2, "exactly one token request for 100 calls");
                let api = requests_to(&server, $api_route).await;
                assert_eq!(api.len(), 101);
                let bearer_b = format!("Bearer {b}");
                assert!(api[1..].iter().all(|r| header(r, "authorization") == Some(bearer_b.as_str())));
            }

            #[tokio::test]
            async fn a_401_for_an_expired_token_refreshes_once_and_retries_once() {
                let server = MockServer::start().await;
                let a = token(&server, "tok-a", 3600, Some(1), 0).await;
                let b = token(&server, "tok-b", 3600, None, 0).await;
                api_reply(&server, $verb, $api_route, &b, $ok).await;
                mock(&server, $verb, $api_route, reply_body(401, $expired_401)).await;
                let $c = client(&server);
                $call.await.expect("the retried call succeeds");
                assert_eq!(count(&server, $token_route).await, 2);
                let api = requests_to(&server, $api_route).await;
                assert_eq!(api.len(), 2, "one call, one retry");
                assert_eq!(header(&api[0], "authorization"), Some(format!("Bearer {a}").as_str()));
                assert_eq!(header(&api[1], "authorization"), Some(format!("Bearer {b}").as_str()));
            }

            #[tokio::test]
            async fn a_lasting_401_is_retried_only_once() {
                let server = MockServer::start().await;
                token(&server, "tok-a", 3600, None, 0).await;
                mock(&server, $verb, $api_route, reply_body(401, $expired_401)).await;
                let $c = client(&server);
                let err = $call.await.expect_err("still 401");
                assert_eq!(err.status().map(|s| s.as_u16()), Some(401));
                assert_eq!(count(&server, $api_route).await, 2);
                assert_eq!(count(&server, $token_route).await, 2);
            }

            #[tokio::test]
            async fn a_failing_token_endpoint_is_an_auth_error_without_secrets() {
                let server = MockServer::start().await;
                mock(&server, "POST", $token_route, reply_body(401, r#"{"error":"bad client"}"#)).await;
                let $c = client(&server);
                let err = $call.await.expect_err("no token");
                let text = format!("{err} {err:?}");
                assert!(matches!(err, finapi_runtime::Error::Auth(_)), "{text}");
                assert!(text.contains("401"), "{text}");
                $(assert!(!text.contains($secret), "{text}");)*
                assert_eq!(count(&server, $api_route).await, 0);
            }

            /// 20 concurrent calls on a token endpoint answering 503 make one round: one token
            /// request without retries, one round of `max_attempts` with them. Every caller
            /// gets that round's error, typed, with the endpoint's status and request id.
            #[tokio::test]
            async fn a_failing_token_endpoint_is_asked_once_per_round() {
                for (policy, expected) in [(::$krate::RetryPolicy::none(), 1), (quick(), 3)] {
                    let server = MockServer::start().await;
                    mock(&server, "POST", $token_route, reply(503).set_delay(Duration::from_millis(100))).await;
                    let $c = builder(&server).retry_policy(policy).build().expect("client");
                    let calls = (0..20).map(|_| {
                        let $c = $c.clone();
                        tokio::spawn(async move { $call.await.map(|_| ()) })
                    });
                    for result in futures_util_join(calls).await {
                        let err = result.expect("join").expect_err("no token");
                        let finapi_runtime::Error::Auth(auth) = &err else { panic!("{err:?}") };
                        assert_eq!(auth.status().map(|s| s.as_u16()), Some(503), "{err}");
                        assert_eq!(err.status().map(|s| s.as_u16()), Some(503), "{err}");
                        assert_eq!(auth.request_id(), Some(REQUEST_ID));
                        assert!(err.is_retryable(), "{err}");
                    }
                    assert_eq!(count(&server, $token_route).await, expected, "token requests for 20 calls");
                    assert_eq!(count(&server, $api_route).await, 0);
                }
            }

            /// 8 concurrent calls on a token endpoint that never answers, with a 300 ms
            /// request timeout, all return within one round: they share its requests (a
            /// token request is safe to repeat, so the round retries a timeout as the policy
            /// allows: 3 attempts).
            #[tokio::test]
            async fn calls_waiting_on_a_token_endpoint_that_never_answers_share_one_timeout() {
                let server = MockServer::start().await;
                token(&server, "tok-a", 3600, None, 10_000).await;
                let $c = builder(&server)
                    .timeouts(Duration::from_secs(1), Duration::from_millis(300))
                    .build()
                    .expect("client");
                let started = Instant::now();
                let calls = (0..8).map(|_| {
                    let $c = $c.clone();
                    tokio::spawn(async move { ($call.await.map(|_| ()), started.elapsed()) })
                });
                let mut slowest = Duration::ZERO;
                for result in futures_util_join(calls).await {
                    let (result, elapsed) = result.expect("join");
                    slowest = slowest.max(elapsed);
                    let err = result.expect_err("no token");
                    let finapi_runtime::Error::Auth(auth) = &err else { panic!("{err:?}") };
                    assert!(auth.is_timeout(), "{err}");
                    assert!(err.is_retryable(), "{err}");
                    // One round is 3 timeouts of 300 ms and two waits of at most 200 and
                    // 400 ms: 1.5 s; eight rounds in a row (each waiter asking again) 12 s.
                    assert!(elapsed < Duration::from_millis(3000), "returned after {elapsed:?}");
                }
                eprintln!("{}: the slowest of 8 calls returned after {slowest:?}", stringify!($module));
                assert_eq!(count(&server, $token_route).await, 3, "one round");
            }

            /// A token endpoint answering a success without a token: one request for every
            /// waiting call, and an error that says so, not retryable.
            #[tokio::test]
            async fn a_token_endpoint_answering_garbage_is_asked_once() {
                let server = MockServer::start().await;
                mock(
                    &server,
                    "POST",
                    $token_route,
                    reply(200)
                        .set_body_raw(b"<html>maintenance</html>".to_vec(), "text/html")
                        .set_delay(Duration::from_millis(100)),
                )
                .await;
                let $c = client(&server);
                let calls = (0..20).map(|_| {
                    let $c = $c.clone();
                    tokio::spawn(async move { $call.await.map(|_| ()) })
                });
                for result in futures_util_join(calls).await {
                    let err = result.expect("join").expect_err("no token");
                    let finapi_runtime::Error::Auth(auth) = &err else { panic!("{err:?}") };
                    assert!(
                        matches!(auth.failure(), finapi_runtime::AuthFailure::InvalidResponse { .. }),
                        "{err:?}"
                    );
                    assert!(!err.is_retryable(), "{err}");
                    assert!(err.to_string().contains("not JSON"), "{err}");
                }
                assert_eq!(count(&server, $token_route).await, 1);
            }

            /// A token endpoint's 503 with `Retry-After` is waited for, within the policy.
            #[tokio::test]
            async fn a_token_endpoint_asking_to_come_back_later_is_waited_for() {
                let server = MockServer::start().await;
                Mock::given(method("POST"))
                    .and(path($token_route))
                    .respond_with(reply(503).insert_header("Retry-After", "1"))
                    .up_to_n_times(1)
                    .with_priority(1)
                    .mount(&server)
                    .await;
                let a = token(&server, "tok-a", 3600, None, 0).await;
                api_reply(&server, $verb, $api_route, &a, $ok).await;
                let $c = client(&server);
                let started = Instant::now();
                $call.await.expect("the token comes on the second request");
                assert!(started.elapsed() >= Duration::from_millis(950), "{:?}", started.elapsed());
                assert_eq!(count(&server, $token_route).await, 2);
            }

            /// The token endpoint's documented error body is kept, typed as its operation's
            /// error enum.
            #[tokio::test]
            async fn a_token_endpoint_error_keeps_its_documented_body() {
                let server = MockServer::start().await;
                let body = response_examples($spec)
                    .into_iter()
                    .find(|(op, status, _)| op == $token_op && *status == 400)
                    .expect("the token operation documents a 400")
                    .2;
                mock(&server, "POST", $token_route, reply_body(400, &body.to_string())).await;
                let $c = client(&server);
                let err = $call.await.expect_err("no token");
                let finapi_runtime::Error::Auth(auth) = &err else { panic!("{err:?}") };
                assert_eq!(auth.status().map(|s| s.as_u16()), Some(400));
                assert_eq!(err.request_id(), Some(REQUEST_ID));
                let typed = auth
                    .token_error()
                    .and_then(|e| e.downcast_ref::<::$krate::CreateAccessTokenError>());
                assert!(
                    matches!(typed, Some(::$krate::CreateAccessTokenError::BadRequest(_))),
                    "{err:?}"
                );
                assert!(!err.is_retryable(), "{err}");
            }

            #[tokio::test]
            async fn credentials_and_tokens_never_print() {
                let server = MockServer::start().await;
                let a = token(&server, "tok-very-secret", 3600, None, 0).await;
                api_reply(&server, $verb, $api_route, &a, $ok).await;
                let $c = client(&server);
                $call.await.expect("call");
                let text = format!("{:?} {:#?}", $c, $c);
                for secret in [$($secret,)* a.as_str()] {
                    assert!(!text.contains(secret), "{secret} printed: {text}");
                }
                let token_request = requests_to(&server, $token_route).await.pop().expect("token request");
                let sent = String::from_utf8_lossy(&token_request.body).into_owned();
                $(assert!(sent.contains($secret), "the token request carries the credentials: {sent}");)*
            }
        }
    };
}

/// Retries with short waits.
fn quick() -> finapi_runtime::RetryPolicy {
    finapi_runtime::RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..finapi_runtime::RetryPolicy::default()
    }
}

/// Joins spawned tasks without an extra dependency.
async fn futures_util_join<T>(
    handles: impl Iterator<Item = tokio::task::JoinHandle<T>>,
) -> Vec<Result<T, tokio::task::JoinError>> {
    let mut out = Vec::new();
    for h in handles.collect::<Vec<_>>() {
        out.push(h.await);
    }
    out
}

const MOOV_ACCOUNT: &str = "456cb5b6-20dc-4585-97b4-745d013adb1f";

token_source_tests! {
    moov => moov_client,
    token_route: "/oauth2/token",
    access: |tok, _life| tok.to_owned(),
    token: |tok, life| json!({
        "token_type": "Bearer",
        "access_token": tok,
        "refresh_token": "refresh",
        "expires_in": life.max(0),
        "scope": "/accounts.write",
    }),
    api: ("POST", "/accounts/456cb5b6-20dc-4585-97b4-745d013adb1f/connections", reply(200)),
    expired_401: "",
    spec: "moov.yaml",
    token_op: "createAccessToken",
    builder: |server| moov_client::Client::builder()
        .base_url(server.uri())
        .client_credentials("moov-client-id", "moov-client-secret")
        .token_scope("/accounts.write")
        .timeouts(Duration::from_secs(5), Duration::from_secs(10)),
    call: |c| c.connect_account(
        &MOOV_ACCOUNT.parse().expect("uuid"),
        &moov_client::types::ShareScopes {
            principal_account_id: "c520f1b9-0ba7-42f5-b977-248cdbe41c69".into(),
            allow_scopes: Vec::new(),
        },
    ),
    secrets: ["moov-client-secret"],
}

const MK_ROUTE: &str = "/links/mk_1/accounts/acc_1";

token_source_tests! {
    moneykit => moneykit_client,
    token_route: "/auth/token",
    access: |tok, _life| tok.to_owned(),
    token: |tok, life| json!({"access_token": tok, "token_type": "bearer", "expires_in": life.max(0)}),
    api: ("GET", MK_ROUTE, reply(200).set_body_json(serde_json::from_str::<Value>(
        &std::fs::read_to_string(root().join("tests/fixtures/pages/moneykit-get-account.json")).expect("fixture"),
    ).expect("json"))),
    expired_401: r#"{"error_code":"api_error.auth.expired_access_token","error_message":"Access token expired"}"#,
    spec: "moneykit.yaml",
    token_op: "create_access_token",
    builder: |server| moneykit_client::Client::builder()
        .base_url(server.uri())
        .client_credentials("mk-client-id", "mk-client-secret")
        .timeouts(Duration::from_secs(5), Duration::from_secs(10)),
    call: |c| c.get_account("mk_1", "acc_1"),
    secrets: ["mk-client-secret"],
}

token_source_tests! {
    open_finance => open_finance_client,
    token_route: "/oauth/token",
    // expiresIn is deliberately wrong: only the JWT's exp may decide.
    access: |tok, life| jwt(tok, life),
    token: |tok, _life| json!({"tokenType": "Bearer", "expiresIn": 999_999_999, "accessToken": tok}),
    api: ("POST", "/v2/connections", reply(201).set_body_json(json!({"id": "c1", "connectUrl": "https://connect.example"}))),
    expired_401: "",
    spec: "open-finance.yaml",
    token_op: "createAccessToken",
    builder: |server| open_finance_client::Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .client_credentials("of-client-id", "of-client-secret", "of-user-1")
        .timeouts(Duration::from_secs(5), Duration::from_secs(10)),
    call: |c| c.create_connection(&Default::default()),
    secrets: ["of-client-secret"],
}

/// MoneyKit's 401 that does not say the token expired is not retried.
#[tokio::test]
async fn moneykit_does_not_retry_other_401s() {
    let server = MockServer::start().await;
    token_reply(
        &server,
        "/auth/token",
        json!({"access_token": "tok-a", "token_type": "bearer", "expires_in": 3600}),
        None,
        0,
    )
    .await;
    mock(
        &server,
        "GET",
        MK_ROUTE,
        reply_body(401, r#"{"error_code":"link_error.unauthorized_access","error_message":"Unauthorized link access."}"#),
    )
    .await;
    let client = moneykit_client::Client::builder()
        .base_url(server.uri())
        .client_credentials("id", "secret")
        .build()
        .expect("client");
    let err = client.get_account("mk_1", "acc_1").await.expect_err("401");
    assert!(
        matches!(
            err.api(),
            Some(moneykit_client::GetAccountError::Unauthorized(_))
        ),
        "{err:?}"
    );
    assert_eq!(count(&server, MK_ROUTE).await, 1);
    assert_eq!(count(&server, "/auth/token").await, 1);
}

#[test]
fn incomplete_token_credentials_are_a_build_error() {
    let err = open_finance_client::Client::builder()
        .credentials(finapi_runtime::Credentials::Token(
            finapi_runtime::TokenCredentials::new(
                open_finance_endpoint(),
                vec![("client_id", "id".into())],
            ),
        ))
        .build()
        .expect_err("missing credentials");
    assert_eq!(
        err.to_string(),
        "incomplete credentials: the token endpoint needs user_id, client_secret"
    );
}

/// The Open Finance token endpoint, as a user holding `Credentials` would reach it.
fn open_finance_endpoint() -> &'static finapi_runtime::TokenEndpoint {
    &open_finance_client::TOKEN_ENDPOINT
}
