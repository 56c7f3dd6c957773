//! The Open Finance crate against an in-process mock server: the exact requests (paths under
//! `/v2`, the token call outside it), the 201 body, and every documented error status.

mod common;

use std::time::Duration;

use common::*;
use open_finance_client::{CreateConnectionError, types};
use serde_json::json;
use wiremock::MockServer;

fn client(server: &MockServer) -> open_finance_client::Client {
    open_finance_client::Client::builder()
        .base_url(format!("{}/v2", server.uri()))
        .bearer_token("of_tok_static")
        .timeouts(Duration::from_secs(5), Duration::from_secs(10))
        .build()
        .expect("client")
}

fn request_body() -> types::CreateConnectionRequest {
    types::CreateConnectionRequest {
        provider_ids: vec!["open-finance-sandbox".into()],
        include_fake_providers: true,
        language: Some(types::CreateConnectionRequestLanguage::En),
        redirect_url: Some("https://example.com/done".into()),
        restricted_to: vec![types::CreateConnectionRequestRestrictedToItem::Cacc],
        psu_id: Some("123456789".parse().expect("valid psuId")),
        ..Default::default()
    }
}

/// Open Finance answering 200 where its spec says 201: the documented body, the real status.
#[tokio::test]
async fn an_undocumented_2xx_decodes_as_the_documented_body() {
    let server = MockServer::start().await;
    let example = spec_example(
        "open-finance.yaml",
        "/paths/~1connections/post/responses/201/content/application~1json/example",
    );
    mock(
        &server,
        "POST",
        "/v2/connections",
        reply(200).set_body_json(&example),
    )
    .await;
    let response = client(&server)
        .create_connection(&request_body())
        .await
        .expect("a 200 is a success too");
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(response.id, "8f1c2a9e-4b7d-4c1a-9e2f-3d5b6a7c8e9f");

    // A 2xx outside the spec without the documented body is still a decode error, not a
    // silent success.
    let server = MockServer::start().await;
    mock(&server, "POST", "/v2/connections", reply(202)).await;
    let err = client(&server)
        .create_connection(&request_body())
        .await
        .expect_err("an empty 202 has no connection");
    assert!(matches!(err, finapi_runtime::Error::Decode(_)), "{err:?}");
    assert_eq!(err.status().map(|s| s.as_u16()), Some(202));
}

#[tokio::test]
async fn create_connection_sends_the_documented_request() {
    let server = MockServer::start().await;
    let example = spec_example(
        "open-finance.yaml",
        "/paths/~1connections/post/responses/201/content/application~1json/example",
    );
    mock(
        &server,
        "POST",
        "/v2/connections",
        reply(201).set_body_json(&example),
    )
    .await;
    let response = client(&server)
        .create_connection(&request_body())
        .await
        .expect("201");
    assert_eq!(response.status().as_u16(), 201);
    assert_eq!(response.request_id(), Some(common::REQUEST_ID));
    assert_eq!(response.id, "8f1c2a9e-4b7d-4c1a-9e2f-3d5b6a7c8e9f");
    assert!(
        response
            .connect_url
            .starts_with("https://connect.open-finance.ai/")
    );

    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "authorization"),
        Some("Bearer of_tok_static")
    );
    assert_eq!(
        body_json(&request),
        json!({
            "providerIds": ["open-finance-sandbox"],
            "includeFakeProviders": true,
            "language": "en",
            "redirectUrl": "https://example.com/done",
            "restrictedTo": ["CACC"],
            "psuId": "123456789",
            "refreshData": false,
            "iframe": false,
            "allowBusiness": false,
            "connectionMode": "PSD2",
        })
    );
    let agent =
        header(&request, "user-agent").expect("a user agent: the provider's firewall wants one");
    assert!(agent.starts_with("open-finance-client/"), "{agent}");
    assert_only_documented_headers(&request, &["authorization"]);
}

#[test]
fn constraints_of_the_spec_are_enforced_on_the_way_out() {
    // psuId: 5 to 9 digits.
    assert!(
        "1234"
            .parse::<types::CreateConnectionRequestPsuId>()
            .is_err()
    );
    assert!(
        "12345678x"
            .parse::<types::CreateConnectionRequestPsuId>()
            .is_err()
    );
    assert!(
        "12345"
            .parse::<types::CreateConnectionRequestPsuId>()
            .is_ok()
    );
}

#[tokio::test]
async fn every_create_connection_error_status_has_its_variant() {
    use CreateConnectionError as E;
    let bad = r#"{"type":"CLIENT_ERROR","message":"Production access is not enabled, please include fake providers"}"#;
    let cases: [Case<E>; 6] = [
        (400, bad, |e| {
            matches!(e, E::BadRequest(b) if b.body().type_ == types::ErrorType::ClientError
                && b.body().message.starts_with("Production access"))
        }),
        (401, "", |e| matches!(e, E::Unauthorized(_))),
        (403, "", |e| matches!(e, E::Forbidden(_))),
        (404, "", |e| matches!(e, E::NotFound(_))),
        (500, "", |e| matches!(e, E::InternalServerError(_))),
        (502, "<html>bad gateway</html>", |e| {
            matches!(e, E::Undocumented(_))
        }),
    ];
    for (status, body, is_variant) in cases {
        let server = MockServer::start().await;
        mock(&server, "POST", "/v2/connections", reply_body(status, body)).await;
        let err = client(&server)
            .create_connection(&request_body())
            .await
            .expect_err("an error status");
        assert_eq!(err.status().map(|s| s.as_u16()), Some(status));
        assert_eq!(err.request_id(), Some(common::REQUEST_ID));
        let api = err.api().unwrap_or_else(|| panic!("{status}: {err:?}"));
        assert!(is_variant(api), "{status}: wrong variant {api:?}");
        assert_eq!(&api.raw_body()[..], body.as_bytes());
    }
}

#[tokio::test]
async fn the_token_call_goes_to_its_own_server_outside_v2() {
    let server = MockServer::start().await;
    let example = spec_example(
        "open-finance.yaml",
        "/paths/~1oauth~1token/post/responses/200/content/application~1json/example",
    );
    mock(
        &server,
        "POST",
        "/oauth/token",
        reply(200).set_body_json(&example),
    )
    .await;
    let body = types::TokenRequest {
        user_id: "user-1234".into(),
        client_id: "client-abc".into(),
        client_secret: "secret-xyz".into(),
    };
    let token = client(&server)
        .create_access_token(&body)
        .await
        .expect("200")
        .into_inner();
    // Milliseconds, per the provider's reference: a day.
    assert_eq!(token.expires_in, 86_400_000);
    let request = only_request(&server).await;
    assert_eq!(request.url.path(), "/oauth/token");
    assert_eq!(
        body_json(&request),
        json!({"userId": "user-1234", "clientId": "client-abc", "clientSecret": "secret-xyz"})
    );
    assert!(
        header(&request, "authorization").is_none(),
        "the token call takes no credentials"
    );
}
