//! The Moov crate against an in-process mock server: the exact requests each operation sends,
//! the pages' example responses, and every documented error status as its typed variant.

mod common;

use std::time::Duration;

use common::*;
use moov_client::types::{
    ApplicationScope, BankAccountHolderType, BankAccountIntegration, BankAccountPayload,
    BankAccountType, BankAccountWaitFor, LinkBankAccountRequest, MxAuthorizationCode, MxPayload,
    PlaidIntegration, PlaidLinkIntegration, PlaidLinkPayload, PlaidPayload, ShareScopes,
};
use moov_client::{
    ConnectAccountError, CreateAccessTokenError, Error, LinkBankAccountError, types,
};
use serde_json::{Value, json};
use wiremock::MockServer;

const ACCOUNT: &str = "456cb5b6-20dc-4585-97b4-745d013adb1f";
const PRINCIPAL: &str = "c520f1b9-0ba7-42f5-b977-248cdbe41c69";
fn account_id() -> uuid::Uuid {
    ACCOUNT.parse().expect("uuid")
}

fn client(server: &MockServer) -> moov_client::ClientBuilder {
    moov_client::Client::builder()
        .base_url(server.uri())
        .timeouts(Duration::from_secs(5), Duration::from_secs(10))
}

fn basic(server: &MockServer) -> moov_client::Client {
    client(server)
        .basic_auth("pk_test_public", "sk_test_private")
        .build()
        .expect("client")
}

/// `Basic base64("pk_test_public:sk_test_private")`.
const BASIC: &str = "Basic cGtfdGVzdF9wdWJsaWM6c2tfdGVzdF9wcml2YXRl";

/// The spec's own examples, so that a spec example that the types reject fails a test.
fn spec_example(pointer: &str) -> Value {
    common::spec_example("moov.yaml", pointer)
}

#[tokio::test]
async fn connect_account_sends_the_documented_request() {
    let server = MockServer::start().await;
    let shared = json!({
        "principalAccountID": PRINCIPAL,
        "subjectAccountID": ACCOUNT,
        "scopes": ["transfers.write", "payment-methods.read"],
    });
    mock(
        &server,
        "POST",
        &format!("/accounts/{ACCOUNT}/connections"),
        reply(201).set_body_json(&shared),
    )
    .await;
    let body = ShareScopes {
        principal_account_id: PRINCIPAL.into(),
        allow_scopes: vec![
            ApplicationScope::TransfersWrite,
            ApplicationScope::PaymentMethodsRead,
        ],
    };
    let response = basic(&server)
        .connect_account(&account_id(), &body)
        .await
        .expect("201");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.request_id(), Some(REQUEST_ID));
    let scopes = response.as_ref().expect("a body");
    assert_eq!(scopes.subject_account_id.as_deref(), Some(ACCOUNT));

    let request = only_request(&server).await;
    assert_eq!(request.method.as_str(), "POST");
    assert_eq!(header(&request, "authorization"), Some(BASIC));
    assert_eq!(header(&request, "x-moov-version"), Some("v2024.01.00"));
    assert_eq!(header(&request, "content-type"), Some("application/json"));
    assert_eq!(
        body_json(&request),
        json!({"principalAccountID": PRINCIPAL, "allowScopes": ["transfers.write", "payment-methods.read"]})
    );
    assert_only_documented_headers(&request, &["authorization", "x-moov-version"]);
}

#[tokio::test]
async fn connect_account_accepts_200_and_an_empty_201() {
    for status in [200, 201] {
        let server = MockServer::start().await;
        mock(
            &server,
            "POST",
            &format!("/accounts/{ACCOUNT}/connections"),
            reply(status),
        )
        .await;
        let body = ShareScopes {
            principal_account_id: PRINCIPAL.into(),
            allow_scopes: Vec::new(),
        };
        let response = basic(&server)
            .connect_account(&account_id(), &body)
            .await
            .unwrap_or_else(|e| panic!("{status}: {e}"));
        assert!(response.is_none(), "{status}: an empty body is no body");
        assert_eq!(response.request_id(), Some(REQUEST_ID));
        // An empty `allowScopes` is left out: "if none are provided, all intersecting scopes".
        assert_eq!(
            body_json(&only_request(&server).await),
            json!({"principalAccountID": PRINCIPAL})
        );
    }
}

/// connectAccount documents 200 (a body) and 201 (none): a 204 is a success without a body.
#[tokio::test]
async fn connect_account_takes_an_undocumented_204_as_a_success_without_body() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        &format!("/accounts/{ACCOUNT}/connections"),
        reply(204),
    )
    .await;
    let body = ShareScopes {
        principal_account_id: PRINCIPAL.into(),
        allow_scopes: Vec::new(),
    };
    let response = basic(&server)
        .connect_account(&account_id(), &body)
        .await
        .expect("a 204 is a success");
    assert_eq!(response.status().as_u16(), 204);
    assert!(response.is_none());
}

#[tokio::test]
async fn bearer_tokens_and_version_overrides_are_sent() {
    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        &format!("/accounts/{ACCOUNT}/connections"),
        reply(200),
    )
    .await;
    let client = client(&server)
        .bearer_token("tok_live_abc")
        .moov_version("v2025.04.00")
        .build()
        .expect("client");
    let body = ShareScopes {
        principal_account_id: PRINCIPAL.into(),
        allow_scopes: Vec::new(),
    };
    client
        .connect_account(&account_id(), &body)
        .await
        .expect("200");
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer tok_live_abc")
    );
    assert_eq!(header(&request, "x-moov-version"), Some("v2025.04.00"));
    let agent = header(&request, "user-agent").expect("a user agent");
    assert!(agent.starts_with("moov-client/"), "{agent}");
}

fn link_shapes() -> Vec<(LinkBankAccountRequest, Value)> {
    vec![
        (
            LinkBankAccountRequest::BankAccountPayload(BankAccountPayload {
                account: BankAccountIntegration {
                    holder_name: "Jules Jackson".into(),
                    holder_type: BankAccountHolderType::Individual,
                    account_number: "0004321567000".into(),
                    bank_account_type: BankAccountType::Checking,
                    routing_number: "123456789".into(),
                },
            }),
            json!({"account": {
                "holderName": "Jules Jackson",
                "holderType": "individual",
                "accountNumber": "0004321567000",
                "bankAccountType": "checking",
                "routingNumber": "123456789",
            }}),
        ),
        (
            LinkBankAccountRequest::PlaidPayload(PlaidPayload {
                plaid: PlaidIntegration {
                    token: "processor-sandbox-0f3c".into(),
                },
            }),
            json!({"plaid": {"token": "processor-sandbox-0f3c"}}),
        ),
        (
            LinkBankAccountRequest::PlaidLinkPayload(PlaidLinkPayload {
                plaid_link: PlaidLinkIntegration {
                    public_token: "public-sandbox-9a1b".into(),
                },
            }),
            json!({"plaidLink": {"publicToken": "public-sandbox-9a1b"}}),
        ),
        (
            LinkBankAccountRequest::MxPayload(MxPayload {
                mx: MxAuthorizationCode {
                    authorization_code: "mx-auth-code-77".into(),
                },
            }),
            json!({"mx": {"authorizationCode": "mx-auth-code-77"}}),
        ),
    ]
}

#[tokio::test]
async fn link_bank_account_sends_each_of_the_four_shapes_exactly() {
    let example = spec_example(
        "/paths/~1accounts~1{accountID}~1bank-accounts/post/responses/200/content/application~1json/example",
    );
    for (body, expected) in link_shapes() {
        let server = MockServer::start().await;
        mock(
            &server,
            "POST",
            &format!("/accounts/{ACCOUNT}/bank-accounts"),
            reply(200).set_body_json(&example),
        )
        .await;
        let account = basic(&server)
            .link_bank_account(&account_id(), None, &body)
            .await
            .expect("200");
        assert_eq!(account.request_id(), Some(REQUEST_ID));
        let request = only_request(&server).await;
        assert_eq!(body_json(&request), expected);
        assert_eq!(header(&request, "authorization"), Some(BASIC));
        assert_eq!(header(&request, "x-moov-version"), Some("v2024.01.00"));
        assert!(header(&request, "x-wait-for").is_none());
        assert_only_documented_headers(&request, &["authorization", "x-moov-version"]);
    }
}

#[tokio::test]
async fn link_bank_account_decodes_the_pages_example_and_sends_x_wait_for() {
    let server = MockServer::start().await;
    let example = spec_example(
        "/paths/~1accounts~1{accountID}~1bank-accounts/post/responses/200/content/application~1json/example",
    );
    mock(
        &server,
        "POST",
        &format!("/accounts/{ACCOUNT}/bank-accounts"),
        reply(200).set_body_json(&example),
    )
    .await;
    let (body, _) = link_shapes().remove(0);
    let account = basic(&server)
        .link_bank_account(
            &account_id(),
            Some(BankAccountWaitFor::PaymentMethod),
            &body,
        )
        .await
        .expect("200")
        .into_inner();
    assert_eq!(
        account.bank_account_id.to_string(),
        "ec7e1848-dc80-4ab0-8827-dd7fc0737b43"
    );
    assert_eq!(account.bank_name, "Chase Bank");
    assert_eq!(account.bank_account_type, BankAccountType::Checking);
    assert_eq!(account.holder_type, BankAccountHolderType::Individual);
    assert_eq!(account.status, types::BankAccountStatus::New);
    assert_eq!(
        account.status_reason,
        Some(types::BankAccountStatusReason::BankAccountCreated)
    );
    assert_eq!(account.last_four_account_number, "7000");
    let details = account.exception_details.expect("exceptionDetails");
    assert_eq!(details.ach_return_code, Some(types::AchReturnCode::R02));
    assert_eq!(
        details.rtp_rejection_code,
        Some(types::RtpRejectionCode::Ac03)
    );
    assert_eq!(account.updated_on.to_rfc3339(), "2019-08-24T14:15:22+00:00");
    let request = only_request(&server).await;
    assert_eq!(header(&request, "x-wait-for"), Some("payment-method"));
    assert_only_documented_headers(&request, &["authorization", "x-moov-version", "x-wait-for"]);
}

#[tokio::test]
async fn create_access_token_sends_json_and_decodes_the_token() {
    let server = MockServer::start().await;
    let example =
        spec_example("/paths/~1oauth2~1token/post/responses/200/content/application~1json/example");
    mock(
        &server,
        "POST",
        "/oauth2/token",
        reply(200).set_body_json(&example),
    )
    .await;
    let request_body = types::AuthTokenRequest {
        grant_type: types::AuthTokenRequestGrantType::ClientCredentials,
        client_id: Some("client-1".into()),
        client_secret: Some("secret-1".into()),
        scope: Some("/accounts.read /accounts.write".into()),
        refresh_token: None,
    };
    let token = basic(&server)
        .create_access_token(&request_body)
        .await
        .expect("200");
    assert_eq!(token.expires_in, 1735689600);
    assert_eq!(token.scope, "/accounts.read /accounts.write");
    assert_eq!(token.request_id(), Some(REQUEST_ID));
    let request = only_request(&server).await;
    assert_eq!(
        body_json(&request),
        json!({"grant_type": "client_credentials", "client_id": "client-1", "client_secret": "secret-1", "scope": "/accounts.read /accounts.write"})
    );
    assert_eq!(header(&request, "authorization"), Some(BASIC));
    assert_only_documented_headers(&request, &["authorization", "x-moov-version"]);
}

#[tokio::test]
async fn a_bearer_client_calls_the_token_endpoint_without_credentials() {
    let server = MockServer::start().await;
    let example =
        spec_example("/paths/~1oauth2~1token/post/responses/200/content/application~1json/example");
    mock(
        &server,
        "POST",
        "/oauth2/token",
        reply(200).set_body_json(&example),
    )
    .await;
    let client = client(&server).bearer_token("tok").build().expect("client");
    let body = types::AuthTokenRequest {
        grant_type: types::AuthTokenRequestGrantType::RefreshToken,
        client_id: None,
        client_secret: None,
        scope: None,
        refresh_token: Some("refresh-1".into()),
    };
    client.create_access_token(&body).await.expect("200");
    // The operation accepts Basic or nothing: a bearer token is not sent to it.
    assert!(header(&only_request(&server).await, "authorization").is_none());
}

/// Serves `status` with `body` (JSON text, or empty) and returns the typed error.
async fn connect_error(status: u16, body: &str) -> Error<ConnectAccountError> {
    let server = MockServer::start().await;
    let mut response = reply(status);
    if !body.is_empty() {
        response = response.set_body_raw(body.as_bytes().to_vec(), "application/json");
    }
    mock(
        &server,
        "POST",
        &format!("/accounts/{ACCOUNT}/connections"),
        response,
    )
    .await;
    let body = ShareScopes {
        principal_account_id: PRINCIPAL.into(),
        allow_scopes: Vec::new(),
    };
    basic(&server)
        .connect_account(&account_id(), &body)
        .await
        .expect_err("an error status")
}

fn assert_carries(err: &Error<impl finapi_runtime::OperationError>, status: u16) {
    assert_eq!(err.status().map(|s| s.as_u16()), Some(status), "{err:?}");
    assert_eq!(err.request_id(), Some(REQUEST_ID), "{err:?}");
}

#[tokio::test]
async fn every_connect_account_error_status_has_its_variant() {
    use ConnectAccountError as E;
    let generic = r#"{"error":"something failed"}"#;
    let page_422 = r#"{"principalAccountID":"string","allowScopes":{"0":"first element failed validation..."}}"#;
    let cases: [Case<E>; 10] = [
        (
            400,
            generic,
            |e| matches!(e, E::BadRequest(b) if b.body().error == "something failed"),
        ),
        (401, "", |e| matches!(e, E::Unauthorized(_))),
        (403, "", |e| matches!(e, E::Forbidden(_))),
        (404, "", |e| matches!(e, E::NotFound(_))),
        (
            409,
            generic,
            |e| matches!(e, E::Conflict(b) if b.body().error == "something failed"),
        ),
        (422, page_422, |e| {
            matches!(e, E::UnprocessableEntity(b)
                if b.body().allow_scopes.get("0").map(String::as_str) == Some("first element failed validation..."))
        }),
        (429, "", |e| matches!(e, E::TooManyRequests(_))),
        (500, "", |e| matches!(e, E::InternalServerError(_))),
        (504, "", |e| matches!(e, E::GatewayTimeout(_))),
        (
            418,
            "I'm a teapot",
            |e| matches!(e, E::Undocumented(b) if &b.body()[..] == b"I'm a teapot"),
        ),
    ];
    for (status, body, is_variant) in cases {
        let err = connect_error(status, body).await;
        assert_carries(&err, status);
        let api = err
            .api()
            .unwrap_or_else(|| panic!("{status}: not an API error: {err:?}"));
        assert!(is_variant(api), "{status}: wrong variant {api:?}");
        assert_eq!(&api.raw_body()[..], body.as_bytes());
        let text = err.to_string();
        assert!(
            text.contains("connectAccount") && text.contains(&status.to_string()),
            "{text}"
        );
    }
}

#[tokio::test]
async fn every_link_bank_account_error_status_has_its_variant() {
    use LinkBankAccountError as E;
    let generic = r#"{"error":"Duplicate bank account"}"#;
    let invalid = r#"{"account":"routingNumber must be 9 digits"}"#;
    let cases: [Case<E>; 10] = [
        (400, generic, |e| matches!(e, E::BadRequest(_))),
        (401, "", |e| matches!(e, E::Unauthorized(_))),
        (403, "", |e| matches!(e, E::Forbidden(_))),
        (404, "", |e| matches!(e, E::NotFound(_))),
        (
            409,
            generic,
            |e| matches!(e, E::Conflict(b) if b.body().error == "Duplicate bank account"),
        ),
        (
            422,
            invalid,
            |e| matches!(e, E::UnprocessableEntity(b) if b.body().account.as_deref() == Some("routingNumber must be 9 digits")),
        ),
        (429, "", |e| matches!(e, E::TooManyRequests(_))),
        (500, "", |e| matches!(e, E::InternalServerError(_))),
        (504, "", |e| matches!(e, E::GatewayTimeout(_))),
        (503, "", |e| matches!(e, E::Undocumented(_))),
    ];
    for (status, body, is_variant) in cases {
        let server = MockServer::start().await;
        let mut response = reply(status).insert_header("X-Retry-In", "250");
        if !body.is_empty() {
            response = response.set_body_raw(body.as_bytes().to_vec(), "application/json");
        }
        mock(
            &server,
            "POST",
            &format!("/accounts/{ACCOUNT}/bank-accounts"),
            response,
        )
        .await;
        let (request, _) = link_shapes().remove(1);
        let err = basic(&server)
            .link_bank_account(&account_id(), None, &request)
            .await
            .expect_err("an error status");
        assert_carries(&err, status);
        let api = err.api().expect("an API error");
        assert!(is_variant(api), "{status}: wrong variant {api:?}");
        assert_eq!(api.headers()["x-retry-in"], "250");
    }
}

#[tokio::test]
async fn every_create_access_token_error_status_has_its_variant() {
    use CreateAccessTokenError as E;
    let cases: [Case<E>; 8] = [
        (
            400,
            r#"{"error":"invalid_grant"}"#,
            |e| matches!(e, E::BadRequest(b) if b.body().error == "invalid_grant"),
        ),
        (401, "", |e| matches!(e, E::Unauthorized(_))),
        (403, "", |e| matches!(e, E::Forbidden(_))),
        (
            422,
            r#"{"scope":"unknown scope"}"#,
            |e| matches!(e, E::UnprocessableEntity(b) if b.body().scope.as_deref() == Some("unknown scope")),
        ),
        (429, "", |e| matches!(e, E::TooManyRequests(_))),
        (500, "", |e| matches!(e, E::InternalServerError(_))),
        (504, "", |e| matches!(e, E::GatewayTimeout(_))),
        (404, "", |e| matches!(e, E::Undocumented(_))),
    ];
    for (status, body, is_variant) in cases {
        let server = MockServer::start().await;
        let mut response = reply(status);
        if !body.is_empty() {
            response = response.set_body_raw(body.as_bytes().to_vec(), "application/json");
        }
        mock(&server, "POST", "/oauth2/token", response).await;
        let request = types::AuthTokenRequest {
            grant_type: types::AuthTokenRequestGrantType::ClientCredentials,
            client_id: None,
            client_secret: None,
            scope: None,
            refresh_token: None,
        };
        let err = basic(&server)
            .create_access_token(&request)
            .await
            .expect_err("an error status");
        assert_carries(&err, status);
        assert!(
            is_variant(err.api().expect("an API error")),
            "{status}: {err:?}"
        );
    }
}

#[tokio::test]
async fn a_documented_status_with_a_malformed_body_is_a_decode_error_that_keeps_the_body() {
    let err = connect_error(400, r#"{"error": 42}"#).await;
    let Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.status().as_u16(), 400);
    assert_eq!(decode.request_id(), Some(REQUEST_ID));
    assert_eq!(&decode.raw_body()[..], br#"{"error": 42}"#);
    assert!(err.to_string().contains("at `error`"), "{err}");

    let server = MockServer::start().await;
    mock(
        &server,
        "POST",
        &format!("/accounts/{ACCOUNT}/bank-accounts"),
        reply(200).set_body_raw(b"<html>502 Bad Gateway</html>".to_vec(), "text/html"),
    )
    .await;
    let (request, _) = link_shapes().remove(0);
    let err = basic(&server)
        .link_bank_account(&account_id(), None, &request)
        .await
        .expect_err("HTML is not a bank account");
    assert!(
        matches!(&err, Error::Decode(d) if d.raw_body().starts_with(b"<html>")),
        "{err:?}"
    );
}

#[tokio::test]
async fn an_unreachable_server_is_a_transport_error() {
    // Port 1 (tcpmux) has no listener here, and lies outside the ephemeral range, so neither
    // another test's server nor the client's own socket (a self-connect) can answer on it.
    let client = moov_client::Client::builder()
        .base_url("http://127.0.0.1:1")
        .basic_auth("pk", "sk")
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
        .build()
        .expect("client");
    let body = ShareScopes {
        principal_account_id: PRINCIPAL.into(),
        allow_scopes: Vec::new(),
    };
    let err = client
        .connect_account(&account_id(), &body)
        .await
        .expect_err("nothing listens");
    let Error::Transport(t) = &err else {
        panic!("expected a transport error, got {err:?}")
    };
    assert!(t.is_connect(), "{t}");
    assert!(
        err.to_string()
            .starts_with("connectAccount: could not connect"),
        "{err}"
    );
}

#[test]
fn invalid_configuration_is_a_build_error() {
    let err = moov_client::Client::builder()
        .base_url("not a url")
        .build()
        .expect_err("bad URL");
    assert!(
        matches!(err, moov_client::BuildError::BaseUrl { .. }),
        "{err}"
    );
    let err = moov_client::Client::builder()
        .moov_version("v2024\n.01")
        .build()
        .expect_err("bad header");
    assert_eq!(err.to_string(), "invalid value for header X-Moov-Version");
}

#[test]
fn debug_output_never_shows_credentials() {
    let client = moov_client::Client::builder()
        .basic_auth("pk_live_visible?", "sk_live_secret")
        .build()
        .expect("client");
    let text = format!("{client:?}");
    assert!(
        !text.contains("pk_live_visible?") && !text.contains("sk_live_secret"),
        "{text}"
    );
    assert!(text.contains(finapi_runtime::REDACTED), "{text}");
}
