//! The MoneyKit crate against an in-process mock server: the exact requests, the page's
//! example response, and every documented error status as its typed variant.

mod common;

use std::time::Duration;

use common::*;
use moneykit_client::{CreateAccessTokenError, Error, GetAccountError, types};
use serde_json::Value;
use wiremock::MockServer;

const LINK: &str = "mk_eqkWN34UEoa2NxyALG8pcV";
const ACCOUNT: &str = "acc_6Tef269B6ZArSVpYrxtjBV";
const ROUTE: &str = "/links/mk_eqkWN34UEoa2NxyALG8pcV/accounts/acc_6Tef269B6ZArSVpYrxtjBV";

fn client(server: &MockServer) -> moneykit_client::Client {
    moneykit_client::Client::builder()
        .base_url(server.uri())
        .bearer_token("mk_tok_static")
        .timeouts(Duration::from_secs(5), Duration::from_secs(10))
        .build()
        .expect("client")
}

fn page_example() -> Value {
    let text =
        std::fs::read_to_string(root().join("tests/fixtures/pages/moneykit-get-account.json"))
            .expect("fixture");
    serde_json::from_str(&text).expect("valid JSON")
}

#[tokio::test]
async fn get_account_sends_the_documented_request_and_decodes_the_pages_example() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        ROUTE,
        reply(200).set_body_json(page_example()),
    )
    .await;
    let response = client(&server)
        .get_account(LINK, ACCOUNT)
        .await
        .expect("200");
    assert_eq!(response.request_id(), Some(common::REQUEST_ID));
    let body = response.into_inner();
    assert_eq!(body.account.account_id, ACCOUNT);
    assert_eq!(body.account.account_type, "depository.checking");
    assert_eq!(body.account.balances.available, Some(340.12));
    assert_eq!(body.account.balances.currency.as_deref(), Some("USD"));
    assert_eq!(body.account.original_id, None);
    assert_eq!(body.account.closed, Some(true));
    assert_eq!(body.link.state, types::LinkState::Connected);
    // `"error_code": null` decodes as no error code.
    assert_eq!(body.link.error_code, None);
    assert_eq!(
        body.link.provider, None,
        "the page's example has no provider"
    );
    assert_eq!(
        body.link.available_products,
        vec![types::Product::AccountNumbers]
    );
    let accounts = body.link.products.accounts.expect("accounts product");
    assert_eq!(
        accounts.error_code,
        Some(types::ProductErrorCode(Some(
            types::ProductErrorCodeInner::RateLimit
        )))
    );
    assert_eq!(
        accounts.refreshed_at.as_deref(),
        Some("2023-02-16T09:14:11")
    );

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "GET");
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer mk_tok_static")
    );
    assert_eq!(header(&request, "moneykit-version"), Some("2023-02-18"));
    assert!(request.body.is_empty());
    assert_only_documented_headers(&request, &["authorization", "moneykit-version"]);
}

#[tokio::test]
async fn the_spec_example_decodes_too() {
    let server = MockServer::start().await;
    let example = spec_example(
        "moneykit.yaml",
        "/paths/~1links~1{id}~1accounts~1{account_id}/get/responses/200/content/application~1json/example",
    );
    mock(&server, "GET", ROUTE, reply(200).set_body_json(example)).await;
    let body = client(&server)
        .get_account(LINK, ACCOUNT)
        .await
        .expect("200")
        .into_inner();
    assert_eq!(
        body.link.link_tags,
        vec!["smoke_test".to_owned(), "user_type:admin".to_owned()]
    );
}

#[tokio::test]
async fn every_get_account_error_status_has_its_variant() {
    use GetAccountError as E;
    use types::UnauthorizedErrorErrorCode as U;
    let cases: [Case<E>; 10] = [
        (
            401,
            r#"{"error_code":"api_error.auth.expired_access_token","error_message":"Access token expired","documentation_url":"https://docs.moneykit.com"}"#,
            |e| matches!(e, E::Unauthorized(b) if b.body().error_code == U::ApiErrorAuthExpiredAccessToken),
        ),
        (
            401,
            r#"{"error_code":"api_error.auth.unauthorized","error_message":"Unauthorized"}"#,
            |e| matches!(e, E::Unauthorized(b) if b.body().error_code == U::ApiErrorAuthUnauthorized),
        ),
        (
            401,
            r#"{"error_code":"link_error.unauthorized_access","error_message":"Unauthorized link access."}"#,
            |e| matches!(e, E::Unauthorized(b) if b.body().error_code == U::LinkErrorUnauthorizedAccess),
        ),
        (
            403,
            r#"{"error_code":"link_error.forbidden_action","error_message":"Accounts access not permitted"}"#,
            |e| matches!(e, E::Forbidden(b) if b.body().error_message == "Accounts access not permitted"),
        ),
        (
            404,
            r#"{"error_code":"link_error.not_found","error_message":"Link not found."}"#,
            |e| matches!(e, E::NotFound(b) if b.body().error_message == "Link not found."),
        ),
        (
            410,
            r#"{"error_code":"link_error.deleted","error_message":"This link was deleted at some earlier time."}"#,
            |e| matches!(e, E::Gone(_)),
        ),
        (
            422,
            r#"{"error_code":"link_error.bad_state","error_message":"relink","link_error_code":"auth_expired"}"#,
            |e| matches!(e, E::UnprocessableEntity(b) if b.body().link_error_code.as_deref() == Some("auth_expired")),
        ),
        (
            422,
            r#"{"error_code":"api_error.request.validation_failed","error_message":"bad","validation_errors":[{"location":["path","account_id",0],"message":"too short","type":"value_error"}]}"#,
            |e| matches!(e, E::UnprocessableEntity(b) if b.body().validation_errors.len() == 1),
        ),
        (
            429,
            r#"{"error_code":"api_error.rate_limit_exceeded","error_message":"Rate limit exceeded"}"#,
            |e| matches!(e, E::TooManyRequests(_)),
        ),
        (500, "", |e| matches!(e, E::Undocumented(_))),
    ];
    for (status, body, is_variant) in cases {
        let server = MockServer::start().await;
        mock(&server, "GET", ROUTE, reply_body(status, body)).await;
        let err = client(&server)
            .get_account(LINK, ACCOUNT)
            .await
            .expect_err("an error status");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
        assert_eq!(err.request_id(), Some(common::REQUEST_ID));
        let api = err.api().unwrap_or_else(|| panic!("{status}: {err:?}"));
        assert!(is_variant(api), "{status}: wrong variant {api:?}");
        assert_eq!(&api.raw_body()[..], body.as_bytes());
    }
}

#[tokio::test]
async fn create_access_token_sends_a_form_and_decodes_the_token() {
    let server = MockServer::start().await;
    let example = spec_example(
        "moneykit.yaml",
        "/paths/~1auth~1token/post/responses/201/content/application~1json/example",
    );
    mock(
        &server,
        "POST",
        "/auth/token",
        reply(201).set_body_json(&example),
    )
    .await;
    let body = types::AccessTokenRequest {
        grant_type: types::AccessTokenRequestGrantType::ClientCredentials,
        scope: Some("accounts transactions".into()),
        client_id: Some("client_abc123".into()),
        client_secret: Some("secret_xyz789".into()),
    };
    let token = client(&server)
        .create_access_token(&body)
        .await
        .expect("201")
        .into_inner();
    assert_eq!(token.expires_in, 3600);
    assert_eq!(token.token_type, types::AccessTokenTokenType::Bearer);
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    let mut form: Vec<(String, String)> = url_pairs(&request.body);
    form.sort();
    assert_eq!(
        form,
        vec![
            ("client_id".into(), "client_abc123".into()),
            ("client_secret".into(), "secret_xyz789".into()),
            ("grant_type".into(), "client_credentials".into()),
            ("scope".into(), "accounts transactions".into()),
        ]
    );
    // The token endpoint takes Basic or nothing: the static bearer token is not sent to it.
    assert!(header(&request, "authorization").is_none());
    assert_only_documented_headers(&request, &["moneykit-version"]);
}

#[tokio::test]
async fn token_endpoint_errors_are_typed() {
    for (status, code) in [
        (400, "api_error.request.bad_request"),
        (401, "api_error.auth.unauthorized"),
    ] {
        let server = MockServer::start().await;
        let body = format!(r#"{{"error_code":"{code}","error_message":"no"}}"#);
        mock(&server, "POST", "/auth/token", reply_body(status, &body)).await;
        let request = types::AccessTokenRequest {
            grant_type: types::AccessTokenRequestGrantType::ClientCredentials,
            scope: None,
            client_id: None,
            client_secret: None,
        };
        let err = client(&server)
            .create_access_token(&request)
            .await
            .expect_err("error");
        let ok = match err.api() {
            Some(CreateAccessTokenError::BadRequest(b)) => {
                status == 400 && b.body().error_code == code
            }
            Some(CreateAccessTokenError::Unauthorized(b)) => {
                status == 401 && b.body().error_code == code
            }
            _ => false,
        };
        assert!(ok, "{status}: {err:?}");
        assert!(matches!(err, Error::Api(_)));
    }
}

/// Decodes `application/x-www-form-urlencoded` pairs.
fn url_pairs(body: &[u8]) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%' && i + 2 < bytes.len() {
                out.push(u8::from_str_radix(&s[i + 1..i + 3], 16).expect("hex"));
                i += 3;
            } else {
                out.push(bytes[i]);
                i += 1;
            }
        }
        String::from_utf8(out).expect("utf-8")
    };
    std::str::from_utf8(body)
        .expect("utf-8")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}
