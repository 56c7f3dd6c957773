//! Fault matrix against in-process servers on 127.0.0.1: each fault gives a typed error or a
//! successful decode, never a panic, with the number of attempts asserted. (Slow servers,
//! bursts of 429 and unknown enum values: `resilience.rs`.)

mod common;

use std::time::Duration;

use common::*;
use finapi_runtime::{Error, RetryPolicy};
use serde_json::json;
use wiremock::MockServer;

const MK_ROUTE: &str = "/links/mk_1/accounts/acc_1";
const MOOV_LINK: &str = "/accounts/456cb5b6-20dc-4585-97b4-745d013adb1f/bank-accounts";

fn quick() -> RetryPolicy {
    RetryPolicy {
        initial_backoff: Duration::from_millis(5),
        max_backoff: Duration::from_millis(20),
        ..RetryPolicy::default()
    }
}

fn moneykit(base: String) -> moneykit_client::Client {
    moneykit_client::Client::builder()
        .base_url(base)
        .bearer_token("tok")
        .retry_policy(quick())
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
        .build()
        .expect("client")
}

fn moov(base: String) -> moov_client::Client {
    moov_client::Client::builder()
        .base_url(base)
        .basic_auth("pk", "sk")
        .retry_policy(quick())
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
        .build()
        .expect("client")
}

async fn link(
    client: &moov_client::Client,
) -> Result<(), Error<moov_client::LinkBankAccountError>> {
    let body =
        moov_client::types::LinkBankAccountRequest::MxPayload(moov_client::types::MxPayload {
            mx: moov_client::types::MxAuthorizationCode {
                authorization_code: "code".into(),
            },
        });
    client
        .link_bank_account(
            &"456cb5b6-20dc-4585-97b4-745d013adb1f"
                .parse()
                .expect("uuid"),
            None,
            &body,
        )
        .await
        .map(|_| ())
}

const HTML_502: &str = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>";

#[tokio::test]
async fn an_html_502_is_an_undocumented_status_with_its_body_retried_only_when_safe() {
    // GET: retried, then returned with the HTML kept.
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        MK_ROUTE,
        reply(502).set_body_raw(HTML_502.as_bytes().to_vec(), "text/html"),
    )
    .await;
    let err = moneykit(server.uri())
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("502");
    let Some(moneykit_client::GetAccountError::Undocumented(e)) = err.api() else {
        panic!("{err:?}")
    };
    assert_eq!(&e.raw_body()[..], HTML_502.as_bytes());
    assert!(err.is_retryable());
    assert_eq!(requests_to(&server, MK_ROUTE).await.len(), 3);
    // POST without an idempotency key: one attempt.
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        MOOV_LINK,
        reply(502).set_body_raw(HTML_502.as_bytes().to_vec(), "text/html"),
    )
    .await;
    let err = link(&moov(server.uri())).await.expect_err("502");
    assert!(
        matches!(
            err.api(),
            Some(moov_client::LinkBankAccountError::Undocumented(_))
        ),
        "{err:?}"
    );
    assert_eq!(requests_to(&server, MOOV_LINK).await.len(), 1);
}

#[tokio::test]
async fn truncated_or_empty_json_is_a_decode_error_that_keeps_the_bytes() {
    let page =
        std::fs::read_to_string(root().join("tests/fixtures/pages/moneykit-get-account.json"))
            .expect("fixture");
    for body in [
        &page[..page.len() / 2],
        "",
        "null",
        "[]",
        "{\"account\": 5}",
    ] {
        let server = MockServer::start().await;
        mock(
            &server,
            "GET",
            MK_ROUTE,
            reply(200).set_body_raw(body.as_bytes().to_vec(), "application/json"),
        )
        .await;
        let err = moneykit(server.uri())
            .get_account("mk_1", "acc_1")
            .await
            .expect_err("not a valid body");
        let Error::Decode(d) = &err else {
            panic!("{body:?}: {err:?}")
        };
        assert_eq!(&d.raw_body()[..], body.as_bytes());
        assert_eq!(d.status().as_u16(), 200);
        assert_eq!(
            requests_to(&server, MK_ROUTE).await.len(),
            1,
            "a 200 is not retried"
        );
    }
}

#[tokio::test]
async fn extra_fields_missing_optional_fields_and_allowed_nulls_decode() {
    let server = MockServer::start().await;
    let minimal = json!({
        "account": {
            "account_id": "acc_1",
            "account_type": "depository.savings",
            "name": "Savings",
            "balances": {"currency": null, "available": null, "current": null, "limit": null, "balance_date": null},
            "closed": null,
            "original_id": null,
            "an_extra_field": {"deep": [1, 2, 3]},
        },
        "link": {
            "link_id": "mk_1",
            "institution_id": "chase",
            "institution_name": "Chase",
            "institution_avatar": "https://example.com/a.png",
            "state": "connected",
            "products": {},
            "available_products": [],
            "error_code": null,
            "another_extra": true,
        },
        "top_level_extra": "x",
    });
    mock(&server, "GET", MK_ROUTE, reply(200).set_body_json(&minimal)).await;
    let got = moneykit(server.uri())
        .get_account("mk_1", "acc_1")
        .await
        .expect("decodes")
        .into_inner();
    assert_eq!(got.account.balances.available, None);
    assert_eq!(got.account.nickname, None);
    assert_eq!(got.link.provider, None);
    assert!(got.link.products.accounts.is_none());
}

/// Providers written in Go send `null` for an empty list or map.
#[tokio::test]
async fn null_lists_and_maps_decode_as_empty() {
    let mut page: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/pages/moneykit-get-account.json"))
            .expect("fixture"),
    )
    .expect("json");
    for field in ["link_tags", "tags", "available_products"] {
        page["link"][field] = serde_json::Value::Null;
    }
    let server = MockServer::start().await;
    mock(&server, "GET", MK_ROUTE, reply(200).set_body_json(&page)).await;
    let got = moneykit(server.uri())
        .get_account("mk_1", "acc_1")
        .await
        .expect("null lists decode")
        .into_inner();
    assert!(got.link.link_tags.is_empty());
    assert!(got.link.tags.is_empty());
    assert!(got.link.available_products.is_empty());

    let mut account = spec_example(
        "moov.yaml",
        "/paths/~1accounts~1{accountID}~1bank-accounts/post/responses/200/content/application~1json/example",
    );
    account["paymentMethods"] = serde_json::Value::Null;
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        MOOV_LINK,
        reply(200).set_body_json(&account),
    )
    .await;
    let client = moov(server.uri());
    let body =
        moov_client::types::LinkBankAccountRequest::MxPayload(moov_client::types::MxPayload {
            mx: moov_client::types::MxAuthorizationCode {
                authorization_code: "code".into(),
            },
        });
    let got = client
        .link_bank_account(
            &"456cb5b6-20dc-4585-97b4-745d013adb1f"
                .parse()
                .expect("uuid"),
            None,
            &body,
        )
        .await
        .expect("a null list decodes")
        .into_inner();
    assert!(got.payment_methods.is_empty());

    // A map: Moov's 422 names the failing scopes in `allowScopes`.
    let server = MockServer::start().await;
    let connect = "/accounts/456cb5b6-20dc-4585-97b4-745d013adb1f/connections";
    mock(
        &server,
        "POST",
        connect,
        reply_body(422, r#"{"principalAccountID":"bad","allowScopes":null}"#),
    )
    .await;
    let err = moov(server.uri())
        .connect_account(
            &"456cb5b6-20dc-4585-97b4-745d013adb1f"
                .parse()
                .expect("uuid"),
            &moov_client::types::ShareScopes {
                principal_account_id: "c520f1b9-0ba7-42f5-b977-248cdbe41c69".into(),
                allow_scopes: Vec::new(),
            },
        )
        .await
        .expect_err("422");
    let Some(moov_client::ConnectAccountError::UnprocessableEntity(e)) = err.api() else {
        panic!("a null map decodes into the documented 422: {err:?}")
    };
    assert!(e.body().allow_scopes.is_empty());
}

#[tokio::test]
async fn a_null_the_spec_does_not_allow_is_a_decode_error_naming_the_field() {
    let server = MockServer::start().await;
    let mut body: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("tests/fixtures/pages/moneykit-get-account.json"))
            .expect("fixture"),
    )
    .expect("json");
    body["account"]["name"] = serde_json::Value::Null;
    mock(&server, "GET", MK_ROUTE, reply(200).set_body_json(&body)).await;
    let err = moneykit(server.uri())
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("name is required");
    assert!(err.to_string().contains("at `account.name`"), "{err}");
}

#[tokio::test]
async fn a_json_body_with_another_content_type_still_decodes() {
    let server = MockServer::start().await;
    let page = std::fs::read(root().join("tests/fixtures/pages/moneykit-get-account.json"))
        .expect("fixture");
    mock(
        &server,
        "GET",
        MK_ROUTE,
        reply(200).set_body_raw(page, "text/plain"),
    )
    .await;
    moneykit(server.uri())
        .get_account("mk_1", "acc_1")
        .await
        .expect("the body is what counts");
}

#[tokio::test]
async fn a_connection_reset_mid_body_is_a_transport_error() {
    const CUT: &[u8] =
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 4000\r\nx-request-id: r-1\r\n\r\n{\"account\": {\"account_id\": \"acc";
    let (base, count) = raw_server(CUT);
    let err = moneykit(base)
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("cut short");
    let Error::Transport(t) = &err else {
        panic!("{err:?}")
    };
    assert!(t.to_string().contains("get_account"), "{t}");
    // The headers arrived: the request was answered, so it is not sent again.
    assert_eq!(*count.lock().expect("lock"), 1);
}

#[tokio::test]
async fn garbage_instead_of_http_is_a_transport_error() {
    let (base, count) = raw_server(b"this is not HTTP at all\r\n\r\n");
    let err = moneykit(base)
        .get_account("mk_1", "acc_1")
        .await
        .expect_err("not HTTP");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(*count.lock().expect("lock") >= 1);
}
