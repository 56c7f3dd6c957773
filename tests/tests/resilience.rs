//! Production behaviour of every generated crate, against in-process servers on 127.0.0.1:
//! forward-compatible enums, retries and timeouts. (Redaction and tracing: `redaction.rs`, a
//! test binary of its own, since tracing caches per-callsite interest process-wide.)

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use finapi_runtime::RetryPolicy;
use serde_json::{Value, json};
use wiremock::MockServer;

const ACCOUNT: &str = "456cb5b6-20dc-4585-97b4-745d013adb1f";
const MK_ROUTE: &str = "/links/mk_1/accounts/acc_1";
const MOOV_LINK: &str = "/accounts/456cb5b6-20dc-4585-97b4-745d013adb1f/bank-accounts";
const MOOV_CONNECT: &str = "/accounts/456cb5b6-20dc-4585-97b4-745d013adb1f/connections";

fn moov(server: &MockServer) -> moov_client::ClientBuilder {
    moov_client::Client::builder()
        .base_url(server.uri())
        .basic_auth("pk_test", "sk_test_secret")
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
}

fn moneykit(base: String) -> moneykit_client::ClientBuilder {
    moneykit_client::Client::builder()
        .base_url(base)
        .bearer_token("mk_static_token")
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
}

fn account_id() -> uuid::Uuid {
    ACCOUNT.parse().expect("uuid")
}

fn plaid_body() -> moov_client::types::LinkBankAccountRequest {
    moov_client::types::LinkBankAccountRequest::PlaidPayload(moov_client::types::PlaidPayload {
        plaid: moov_client::types::PlaidIntegration {
            token: "processor-token-secret".into(),
        },
    })
}

fn share() -> moov_client::types::ShareScopes {
    moov_client::types::ShareScopes {
        principal_account_id: "c520f1b9-0ba7-42f5-b977-248cdbe41c69".into(),
        allow_scopes: Vec::new(),
    }
}

fn moneykit_page() -> Value {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/pages/moneykit-get-account.json"))
            .expect("fixture");
    serde_json::from_str(&text).expect("json")
}

// ---------------------------------------------------------------- forward compatibility

#[tokio::test]
async fn moov_values_the_spec_does_not_list_decode_and_encode_back_unchanged() {
    use moov_client::types::{BankAccountHolderType, BankAccountStatus, BankAccountType};
    let server = MockServer::start().await;
    let body = json!({
        "bankAccountID": "ec7e1848-dc80-4ab0-8827-dd7fc0737b43",
        "bankAccountType": "brokerage",
        "bankName": "Chase Bank",
        "exceptionDetails": {
            "achReturnCode": "R99",
            "rtpRejectionCode": "ZZ01",
            "fednowRejectionCode": "FN01",
            "description": "returned",
        },
        "fingerprint": "9948962d92a1ce40c9f918cd9ece3a22bde62fb325a2f1fe2e833969de672ba3",
        "holderName": "Jules Jackson",
        "holderType": "trust",
        "lastFourAccountNumber": "7000",
        "routingNumber": "123456789",
        "status": "suspended",
        "statusReason": "a-reason-added-later",
        "updatedOn": "2019-08-24T14:15:22Z",
        "paymentMethods": [{"paymentMethodID": "a8ea2d8c-4d5b-4a4c-9b0e-5e6e8f1a2b3c", "paymentMethodType": "instant-bank-credit"}],
        "someFieldAddedLater": {"nested": true},
    });
    mock(&server, "POST", MOOV_LINK, reply(200).set_body_json(&body)).await;
    let account = moov(&server)
        .build()
        .expect("client")
        .link_bank_account(&account_id(), None, &plaid_body())
        .await
        .expect("a response with new values decodes")
        .into_inner();
    assert_eq!(
        account.bank_account_type,
        BankAccountType::Unrecognized("brokerage".into())
    );
    assert_eq!(
        account.holder_type,
        BankAccountHolderType::Unrecognized("trust".into())
    );
    assert_eq!(
        account.status,
        BankAccountStatus::Unrecognized("suspended".into())
    );
    assert_eq!(account.status.as_str(), "suspended");
    assert_eq!(account.status.to_string(), "suspended");
    let encoded = serde_json::to_value(&account).expect("encode");
    for field in ["bankAccountType", "holderType", "status", "statusReason"] {
        assert_eq!(
            encoded[field], body[field],
            "{field} encodes back unchanged"
        );
    }
    assert_eq!(encoded["exceptionDetails"]["achReturnCode"], "R99");
    assert_eq!(encoded["exceptionDetails"]["rtpRejectionCode"], "ZZ01");
    assert_eq!(
        encoded["paymentMethods"][0]["paymentMethodType"],
        "instant-bank-credit"
    );
    // Known values stay typed.
    assert_eq!(
        "checking".parse::<BankAccountType>(),
        Ok(BankAccountType::Checking)
    );
    assert_eq!(BankAccountType::from("loan"), BankAccountType::Loan);
}

#[tokio::test]
async fn moneykit_values_the_spec_does_not_list_decode() {
    use moneykit_client::types::{
        LinkState, Product, ProductErrorCode, ProductErrorCodeInner, Provider,
    };
    let server = MockServer::start().await;
    let mut body = moneykit_page();
    body["link"]["state"] = json!("paused");
    body["link"]["provider"] = json!("newco");
    body["link"]["error_code"] = json!("brand_new_error");
    body["link"]["available_products"] = json!(["accounts", "payroll"]);
    body["link"]["products"]["accounts"]["error_code"] = json!("throttled");
    body["account"]["account_type"] = json!("crypto.wallet");
    body["account"]["field_from_the_future"] = json!(1);
    mock(&server, "GET", MK_ROUTE, reply(200).set_body_json(&body)).await;
    let got = moneykit(server.uri())
        .build()
        .expect("client")
        .get_account("mk_1", "acc_1")
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(got.link.state, LinkState::Unrecognized("paused".into()));
    assert_eq!(
        got.link.provider,
        Some(Provider::Unrecognized("newco".into()))
    );
    assert_eq!(
        got.link.available_products,
        vec![Product::Accounts, Product::Unrecognized("payroll".into())]
    );
    let product = got.link.products.accounts.as_ref().expect("accounts");
    assert_eq!(
        product.error_code,
        Some(ProductErrorCode(Some(ProductErrorCodeInner::Unrecognized(
            "throttled".into()
        ))))
    );
    assert_eq!(got.account.account_type, "crypto.wallet");
    let encoded = serde_json::to_value(&got).expect("encode");
    assert_eq!(encoded["link"]["error_code"], "brand_new_error");
    assert_eq!(
        encoded["link"]["available_products"],
        json!(["accounts", "payroll"])
    );
}

#[tokio::test]
async fn open_finance_values_the_spec_does_not_list_decode_and_can_be_sent() {
    use open_finance_client::types::{
        CreateConnectionRequestRestrictedToItem as Restricted, ErrorType,
    };
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        "/v2/connections",
        reply_body(
            400,
            r#"{"type":"QUOTA_ERROR","message":"too many","hint":"new field"}"#,
        ),
    )
    .await;
    let client = open_finance_client::Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .bearer_token("of_token")
        .build()
        .expect("client");
    let request = open_finance_client::types::CreateConnectionRequest {
        restricted_to: vec![Restricted::Cacc, Restricted::from("PENS")],
        ..Default::default()
    };
    let err = client.create_connection(&request).await.expect_err("400");
    let Some(open_finance_client::CreateConnectionError::BadRequest(e)) = err.api() else {
        panic!("{err:?}")
    };
    assert_eq!(
        e.body().type_,
        ErrorType::Unrecognized("QUOTA_ERROR".into())
    );
    let sent = body_json(&only_request(&server).await);
    assert_eq!(
        sent["restrictedTo"],
        json!(["CACC", "PENS"]),
        "a value the spec does not list yet is sent"
    );
}

#[tokio::test]
async fn a_caller_can_send_a_scope_the_spec_does_not_list() {
    use moov_client::types::ApplicationScope;
    let server = MockServer::start().await;
    mock(&server, "POST", MOOV_CONNECT, reply(200)).await;
    let body = moov_client::types::ShareScopes {
        principal_account_id: "c520f1b9-0ba7-42f5-b977-248cdbe41c69".into(),
        allow_scopes: vec![
            ApplicationScope::TransfersRead,
            ApplicationScope::from("ledger.read"),
        ],
    };
    moov(&server)
        .build()
        .expect("client")
        .connect_account(&account_id(), &body)
        .await
        .expect("200");
    assert_eq!(
        body_json(&only_request(&server).await)["allowScopes"],
        json!(["transfers.read", "ledger.read"])
    );
}

// ---------------------------------------------------------------- retries

fn quick_retries() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(10),
        max_backoff: Duration::from_millis(50),
        ..RetryPolicy::default()
    }
}

#[tokio::test]
async fn a_429_is_retried_after_x_retry_in() {
    let server = MockServer::start().await;
    sequence(
        &server,
        "POST",
        MOOV_CONNECT,
        reply(429).insert_header("X-Retry-In", "150"),
        1,
        reply(200),
    )
    .await;
    let started = Instant::now();
    let response = moov(&server)
        .build()
        .expect("client")
        .connect_account(&account_id(), &share())
        .await;
    assert!(response.is_ok(), "{response:?}");
    assert!(
        started.elapsed() >= Duration::from_millis(150),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(requests_to(&server, MOOV_CONNECT).await.len(), 2);
}

#[tokio::test]
async fn a_429_is_retried_after_retry_after_seconds_or_an_http_date() {
    // Two seconds ahead, as an IMF-fixdate (whole seconds: at least one second's wait).
    let date = || {
        let at = SystemTime::now() + Duration::from_secs(2);
        imf_fixdate(
            at.duration_since(SystemTime::UNIX_EPOCH)
                .expect("clock")
                .as_secs(),
        )
    };
    for retry_after in [|| "1".to_owned(), date] {
        let retry_after = retry_after();
        let server = MockServer::start().await;
        sequence(
            &server,
            "GET",
            MK_ROUTE,
            reply(429).insert_header("Retry-After", retry_after.as_str()),
            1,
            reply(200).set_body_json(moneykit_page()),
        )
        .await;
        let started = Instant::now();
        moneykit(server.uri())
            .build()
            .expect("client")
            .get_account("mk_1", "acc_1")
            .await
            .expect("retried");
        assert!(
            started.elapsed() >= Duration::from_millis(900),
            "{retry_after}: waited {:?}",
            started.elapsed()
        );
        assert_eq!(
            requests_to(&server, MK_ROUTE).await.len(),
            2,
            "{retry_after}"
        );
    }
}

#[tokio::test]
async fn a_429_asking_for_too_long_a_wait_is_returned_at_once() {
    let server = MockServer::start().await;
    let limited =
        r#"{"error_code":"api_error.rate_limit_exceeded","error_message":"Rate limit exceeded"}"#;
    mock(
        &server,
        "GET",
        MK_ROUTE,
        reply_body(429, limited).insert_header("Retry-After", "3600"),
    )
    .await;
    let started = Instant::now();
    let err = moneykit(server.uri())
        .build()
        .expect("client")
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("429");
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(
        matches!(
            err.api(),
            Some(moneykit_client::GetAccountError::TooManyRequests(_))
        ),
        "{err:?}"
    );
    assert!(err.is_retryable());
    assert_eq!(requests_to(&server, MK_ROUTE).await.len(), 1);

    // The same 429 with an empty body: not the documented body, still a retryable status.
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        MK_ROUTE,
        reply(429).insert_header("Retry-After", "3600"),
    )
    .await;
    let err = moneykit(server.uri())
        .build()
        .expect("client")
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("429");
    assert!(matches!(err, finapi_runtime::Error::Decode(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert!(err.is_retryable());
}

#[tokio::test]
async fn a_burst_of_429s_stops_after_the_attempt_bound() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        MOOV_CONNECT,
        reply(429).insert_header("X-Retry-In", "20"),
    )
    .await;
    let err = moov(&server)
        .build()
        .expect("client")
        .connect_account(&account_id(), &share())
        .await
        .expect_err("429");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(429));
    assert_eq!(
        requests_to(&server, MOOV_CONNECT).await.len(),
        3,
        "3 attempts by default"
    );

    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        MOOV_CONNECT,
        reply(429).insert_header("X-Retry-In", "20"),
    )
    .await;
    let client = moov(&server)
        .retry_policy(RetryPolicy {
            max_attempts: 5,
            ..quick_retries()
        })
        .build()
        .expect("client");
    client
        .connect_account(&account_id(), &share())
        .await
        .expect_err("429");
    assert_eq!(requests_to(&server, MOOV_CONNECT).await.len(), 5);

    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        MOOV_CONNECT,
        reply(429).insert_header("X-Retry-In", "20"),
    )
    .await;
    let client = moov(&server)
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client");
    client
        .connect_account(&account_id(), &share())
        .await
        .expect_err("429");
    assert_eq!(requests_to(&server, MOOV_CONNECT).await.len(), 1);
}

#[tokio::test]
async fn a_post_without_an_idempotency_key_is_not_retried_on_503() {
    let server = MockServer::start().await;
    sequence(&server, "POST", MOOV_CONNECT, reply(503), 1, reply(200)).await;
    let client = moov(&server)
        .retry_policy(quick_retries())
        .build()
        .expect("client");
    let err = client
        .connect_account(&account_id(), &share())
        .await
        .expect_err("503 returned");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(503));
    // One rule for the retry loop and is_retryable: a gateway may have passed the POST on.
    assert!(!err.is_retryable(), "not safe to send again");
    assert_eq!(requests_to(&server, MOOV_CONNECT).await.len(), 1);
}

#[tokio::test]
async fn idempotent_requests_are_retried_on_408_502_503_504() {
    for status in [408, 502, 503, 504] {
        let server = MockServer::start().await;
        sequence(
            &server,
            "GET",
            MK_ROUTE,
            reply(status),
            2,
            reply(200).set_body_json(moneykit_page()),
        )
        .await;
        let client = moneykit(server.uri())
            .retry_policy(quick_retries())
            .build()
            .expect("client");
        client
            .get_account("mk_1", "acc_1")
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        assert_eq!(requests_to(&server, MK_ROUTE).await.len(), 3, "{status}");
    }
    // 500 is not retried: the server failed, and may fail the same way.
    let server = MockServer::start().await;
    sequence(
        &server,
        "GET",
        MK_ROUTE,
        reply(500),
        1,
        reply(200).set_body_json(moneykit_page()),
    )
    .await;
    let client = moneykit(server.uri())
        .retry_policy(quick_retries())
        .build()
        .expect("client");
    client.get_account("mk_1", "acc_1").await.expect_err("500");
    assert_eq!(requests_to(&server, MK_ROUTE).await.len(), 1);
}

#[tokio::test]
async fn connection_errors_are_retried_only_for_repeatable_requests() {
    let (base, count) = raw_server(b"");
    let client = moneykit(base)
        .retry_policy(quick_retries())
        .build()
        .expect("client");
    let err = client
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("no answer");
    assert!(
        matches!(err, finapi_runtime::Error::Transport(_)),
        "{err:?}"
    );
    assert_eq!(*count.lock().expect("lock"), 3, "a GET is retried");

    let (base, count) = raw_server(b"");
    let client = moov_client::Client::builder()
        .base_url(base)
        .basic_auth("pk", "sk")
        .retry_policy(quick_retries())
        .build()
        .expect("client");
    client
        .connect_account(&account_id(), &share())
        .await
        .expect_err("no answer");
    assert_eq!(
        *count.lock().expect("lock"),
        1,
        "a POST the server may have received is not retried"
    );
}

// ---------------------------------------------------------------- timeouts

#[tokio::test]
async fn a_server_slower_than_the_timeout_is_a_timeout_error() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        MOOV_CONNECT,
        reply(200).set_delay(Duration::from_secs(3)),
    )
    .await;
    let client = moov(&server)
        .timeouts(Duration::from_secs(1), Duration::from_millis(300))
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client
        .connect_account(&account_id(), &share())
        .await
        .expect_err("too slow");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let finapi_runtime::Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_timeout(), "{t}");
    // A POST without an idempotency key that may have reached the server: not safe to repeat.
    assert!(!err.is_retryable(), "{err}");
    assert!(
        err.to_string().starts_with("connectAccount: timed out"),
        "{err}"
    );
}

// ---------------------------------------------------------------- cheap clients

/// Building a client reads no CA roots: the process read them once, for every client.
#[test]
fn clients_share_the_process_tls_configuration() {
    for _ in 0..5 {
        moov_client::Client::builder().build().expect("client");
        moneykit_client::Client::builder().build().expect("client");
        open_finance_client::Client::builder()
            .build()
            .expect("client");
        moneykit_client::http_client_builder()
            .build()
            .expect("a caller's client");
    }
    assert_eq!(finapi_runtime::testing::tls_root_loads(), 1);
}

// ---------------------------------------------------------------- one deadline per call

/// `max_elapsed` bounds the whole call: the second attempt gets only the time left.
#[tokio::test]
async fn max_elapsed_bounds_the_whole_call_attempts_included() {
    let (base, count) = silent_server();
    let client = moneykit(base)
        .timeouts(Duration::from_secs(1), Duration::from_millis(800))
        .retry_policy(RetryPolicy {
            max_elapsed: Duration::from_secs(1),
            // A jittered wait of at most 50 ms: a second attempt always starts (with the
            // default's up to 200 ms, the wait could outlast the time left, and no retry
            // would start at all).
            initial_backoff: Duration::from_millis(50),
            ..RetryPolicy::default()
        })
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("no answer");
    let elapsed = started.elapsed();
    eprintln!("max_elapsed 1 s, 800 ms per attempt: returned after {elapsed:?}");
    // Attempt 1: 800 ms, a wait of at most 50 ms, attempt 2: what is left of the second.
    // (Each attempt a whole request timeout would end after 1.6 s or more.)
    assert!(elapsed >= Duration::from_millis(950), "{elapsed:?}");
    assert!(elapsed < Duration::from_millis(1400), "{elapsed:?}");
    let finapi_runtime::Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_timeout(), "{t}");
    assert!(err.is_retryable(), "a GET may be sent again");
    assert_eq!(*count.lock().expect("lock"), 2, "two attempts");
}

/// With the default policy each attempt has the whole request timeout.
#[tokio::test]
async fn each_attempt_is_bounded_by_the_request_timeout() {
    let (base, count) = silent_server();
    let client = moneykit(base)
        .timeouts(Duration::from_secs(1), Duration::from_millis(300))
        .retry_policy(quick_retries())
        .build()
        .expect("client");
    let started = Instant::now();
    client
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("no answer");
    let elapsed = started.elapsed();
    eprintln!("3 attempts of 300 ms: returned after {elapsed:?}");
    assert!(elapsed >= Duration::from_millis(900), "{elapsed:?}");
    assert!(elapsed < Duration::from_secs(3), "{elapsed:?}");
    assert_eq!(*count.lock().expect("lock"), 3, "three attempts");
}

/// A client given its own `reqwest::Client` (whose timeout is long) still ends by the deadline.
#[tokio::test]
async fn the_deadline_holds_with_a_callers_http_client() {
    let (base, _) = silent_server();
    let http = moneykit_client::http_client_builder()
        .timeout(Duration::from_secs(30))
        .build()
        .expect("http client");
    let client = moneykit(base)
        .http_client(http)
        .retry_policy(RetryPolicy {
            max_elapsed: Duration::from_millis(500),
            ..RetryPolicy::default()
        })
        .build()
        .expect("client");
    let started = Instant::now();
    let err = client
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("no answer");
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let finapi_runtime::Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_timeout(), "{t}");
    assert!(err.to_string().contains("deadline"), "{err}");
    assert!(err.is_retryable(), "{err}");
}

// ---------------------------------------------------------------- is_retryable tells the truth

#[tokio::test]
async fn a_refused_connection_sent_nothing_and_is_retryable_whatever_the_method() {
    let client = moov_client::Client::builder()
        .base_url(refused_url())
        .basic_auth("pk", "sk")
        .retry_policy(quick_retries())
        .build()
        .expect("client");
    let err = client
        .connect_account(&account_id(), &share())
        .await
        .expect_err("refused");
    let finapi_runtime::Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.is_connect(), "{t}");
    assert!(
        err.is_retryable(),
        "a POST that never left is safe to send again"
    );
}

#[tokio::test]
async fn a_connection_lost_after_sending_is_retryable_only_for_a_repeatable_request() {
    let (base, count) = raw_server(b"");
    let err = moov_client::Client::builder()
        .base_url(base)
        .basic_auth("pk", "sk")
        .retry_policy(quick_retries())
        .build()
        .expect("client")
        .connect_account(&account_id(), &share())
        .await
        .expect_err("no answer");
    assert!(
        !err.is_retryable(),
        "the server may have received the POST: {err}"
    );
    assert_eq!(*count.lock().expect("lock"), 1);

    let (base, count) = raw_server(b"");
    let err = moneykit(base)
        .retry_policy(quick_retries())
        .build()
        .expect("client")
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("no answer");
    assert!(err.is_retryable(), "a GET may be sent again: {err}");
    assert_eq!(*count.lock().expect("lock"), 3);
}

#[tokio::test]
async fn a_timeout_is_retryable_only_for_a_repeatable_request() {
    let (base, _) = silent_server();
    let err = moneykit(base)
        .timeouts(Duration::from_secs(1), Duration::from_millis(200))
        .retry_policy(RetryPolicy::none())
        .build()
        .expect("client")
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("timeout");
    assert!(err.is_retryable(), "a GET that timed out: {err}");

    let (base, _) = silent_server();
    let err = moov_client::Client::builder()
        .base_url(base)
        .basic_auth("pk", "sk")
        .timeouts(Duration::from_secs(1), Duration::from_millis(200))
        .build()
        .expect("client")
        .connect_account(&account_id(), &share())
        .await
        .expect_err("timeout");
    assert!(
        !err.is_retryable(),
        "a POST that timed out may have been received: {err}"
    );
}

/// An IMF-fixdate for a Unix time.
fn imf_fixdate(secs: u64) -> String {
    let days = secs / 86_400;
    let (h, m, s) = ((secs % 86_400) / 3600, (secs % 3600) / 60, secs % 60);
    let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][(days % 7) as usize];
    // Civil date from days (Howard Hinnant).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    let name = [
        "Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
    ][(month - 1) as usize];
    format!("{weekday}, {day:02} {name} {year} {h:02}:{m:02}:{s:02} GMT")
}

#[test]
fn imf_fixdates_are_formatted_right() {
    assert_eq!(imf_fixdate(784_111_777), "Sun, 06 Nov 1994 08:49:37 GMT");
    assert_eq!(imf_fixdate(0), "Thu, 01 Jan 1970 00:00:00 GMT");
}
