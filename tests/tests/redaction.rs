//! No secret and no field marked sensitive reaches Debug, Display or tracing output, and each
//! call has a tracing span with its operation, method, path template, status, request id and
//! attempt. Alone in its test binary: tracing caches, process-wide, whether a callsite is of
//! interest, and tests running without a subscriber would turn this one's off.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::*;
use wiremock::MockServer;

const ACCOUNT: &str = "456cb5b6-20dc-4585-97b4-745d013adb1f";
const MOOV_LINK: &str = "/accounts/456cb5b6-20dc-4585-97b4-745d013adb1f/bank-accounts";

fn account_id() -> uuid::Uuid {
    ACCOUNT.parse().expect("uuid")
}

/// A writer into a shared buffer, for capturing tracing output.
#[derive(Clone, Default)]
struct Capture(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Capture {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().expect("lock").extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl<'a> tracing_subscriber::fmt::MakeWriter<'a> for Capture {
    type Writer = Capture;
    fn make_writer(&'a self) -> Capture {
        self.clone()
    }
}

const SECRETS: &[&str] = &[
    "4321567000111",
    "4321567000222",
    "sk_test_secret",
    "pk_test",
    "0004321567000",
    "processor-token-secret",
    "123456789",
    "hook-secret",
    "hook-password",
    "tok-secret-value",
    "client-secret-value",
];

#[tokio::test]
async fn no_secret_or_sensitive_field_reaches_debug_display_or_tracing() {
    let capture = Capture::default();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(capture.clone())
        .with_max_level(tracing::Level::TRACE)
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start().await;
    sequence(
        &server,
        "POST",
        MOOV_LINK,
        reply(429).insert_header("X-Retry-In", "10"),
        1,
        reply_body(400, r#"{"error":"account 0004321567000 rejected"}"#),
    )
    .await;
    let client = moov_client::Client::builder()
        .base_url(server.uri())
        .basic_auth("pk_test", "sk_test_secret")
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
        .build()
        .expect("client");
    let body = moov_client::types::LinkBankAccountRequest::BankAccountPayload(
        moov_client::types::BankAccountPayload {
            account: moov_client::types::BankAccountIntegration {
                holder_name: "Jules Jackson".into(),
                holder_type: moov_client::types::BankAccountHolderType::Individual,
                account_number: "0004321567000".into(),
                bank_account_type: moov_client::types::BankAccountType::Checking,
                routing_number: "021000021".into(),
            },
        },
    );
    let err = client
        .link_bank_account(&account_id(), None, &body)
        .await
        .expect_err("400");

    let of = open_finance_client::types::CreateConnectionRequest {
        psu_id: Some("123456789".parse().expect("psuId")),
        callback_information: Some(open_finance_client::types::CallbackInformation {
            webhooks: Some(open_finance_client::types::Webhooks(Some(
                open_finance_client::types::WebhooksInner {
                    oauth: Some(open_finance_client::types::WebhookOauth(Some(
                        open_finance_client::types::WebhookOauthInner {
                            client_secret: Some("hook-secret".into()),
                            ..Default::default()
                        },
                    ))),
                    basic: Some(open_finance_client::types::WebhookBasic(Some(
                        open_finance_client::types::WebhookBasicInner {
                            password: Some("hook-password".into()),
                            ..Default::default()
                        },
                    ))),
                    ..Default::default()
                },
            ))),
        }),
        ..Default::default()
    };
    let token = moov_client::types::AuthToken {
        token_type: moov_client::types::AuthTokenTokenType::Bearer,
        access_token: "tok-secret-value".into(),
        refresh_token: "tok-secret-value".into(),
        expires_in: 1,
        scope: "s".into(),
    };
    let token_request = moneykit_client::types::AccessTokenRequest {
        grant_type: moneykit_client::types::AccessTokenRequestGrantType::ClientCredentials,
        scope: None,
        client_id: Some("id".into()),
        client_secret: Some("client-secret-value".into()),
    };

    // A drifted response: the account number where a number is expected. Its decode error
    // says where and what kind of value, never the value.
    let drifted = MockServer::start().await;
    let mut account = common::spec_example(
        "moov.yaml",
        "/paths/~1accounts~1{accountID}~1bank-accounts/post/responses/200/content/application~1json/example",
    );
    account["holderName"] = serde_json::json!(4_321_567_000_111u64);
    account["lastFourAccountNumber"] = serde_json::json!(4_321_567_000_222u64);
    mock(
        &drifted,
        "POST",
        MOOV_LINK,
        reply(200).set_body_json(&account),
    )
    .await;
    let drift = moov_client::Client::builder()
        .base_url(drifted.uri())
        .basic_auth("pk_test", "sk_test_secret")
        .build()
        .expect("client")
        .link_bank_account(&account_id(), None, &body)
        .await
        .expect_err("a number where a string is");
    let drift_report = finapi_runtime::testing::report(&drift);
    assert!(
        drift_report.contains("invalid type: number"),
        "{drift_report}"
    );

    // The newtype of a sensitive field, printed alone.
    let psu_id = of.psu_id.clone().expect("psuId");

    let printed = format!(
        "{client:?}\n{client:#?}\n{body:?}\n{body:#?}\n{err}\n{err:?}\n{of:?}\n{token:?}\n{token_request:?}\n{drift_report}\n{psu_id:?}\n{psu_id:#?}"
    );
    drop(_guard);
    let traced = String::from_utf8(capture.0.lock().expect("lock").clone()).expect("utf-8");
    for secret in SECRETS {
        assert!(!printed.contains(secret), "{secret} printed:\n{printed}");
        assert!(!traced.contains(secret), "{secret} traced:\n{traced}");
    }
    assert!(printed.contains(finapi_runtime::REDACTED));
    assert!(
        printed.contains("Jules Jackson"),
        "non-sensitive fields still print"
    );
    // The span names the call and what came back.
    for field in [
        "finapi.call",
        "operation=\"linkBankAccount\"",
        "method=\"POST\"",
        "path=\"/accounts/{accountID}/bank-accounts\"",
        "attempt=2",
        "status=400",
        &format!("request_id=\"{}\"", common::REQUEST_ID),
    ] {
        assert!(traced.contains(field), "tracing lacks {field}:\n{traced}");
    }
}
