//! Webhooks of the three crates, verified and decoded as a receiver meets them: every event
//! the spec declares decoded from its schema's example, an unknown type, tampered headers
//! and bodies, stale timestamps, replays committed or not, MoneyKit's key set served by
//! wiremock (fetches counted, an unknown kid, a failing endpoint), Open Finance's inbound
//! credentials, and what errors print. Servers listen on 127.0.0.1.

mod common;

use std::time::{Duration, SystemTime};

use finapi_runtime::export::HeaderMap;
use finapi_runtime::webhook::testing::{TestKey, hmac_sign, hmac_sign_at};
use finapi_runtime::webhook::{Events, InboundAuth, WebhookError};
use serde_json::{Value, json};
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

const SECRET: &str = "whsec-test-4f1c";

/// Every event of a spec's `x-webhooks` with its schema's example: (type, example).
fn events(spec: &str) -> Vec<(String, Value)> {
    let spec = common::spec(spec);
    spec["x-webhooks"]
        .as_object()
        .expect("x-webhooks")
        .iter()
        .map(|(wire, item)| {
            let reference = item
                .pointer("/post/requestBody/content/application~1json/schema/$ref")
                .and_then(Value::as_str)
                .expect("a $ref");
            let name = reference.rsplit('/').next().unwrap();
            let example = spec["components"]["schemas"][name]["example"].clone();
            assert!(example.is_object(), "{name} has an example");
            (wire.clone(), example)
        })
        .collect()
}

fn moov_body(kind: &str, data: &Value) -> Vec<u8> {
    serde_json::to_vec(&json!({
        "eventID": "262cb5c1-af4b-4b0e-ab74-4b0ea9fa1a39",
        "type": kind,
        "data": data,
        "createdOn": "2024-01-26T20:42:25Z",
    }))
    .unwrap()
}

fn printed(e: &WebhookError) -> String {
    finapi_runtime::testing::report(e)
}

#[tokio::test]
async fn moov_every_declared_event_decodes_into_its_variant() {
    use moov_client::webhooks::{self, Event};
    let hooks = webhooks::verifier(SECRET);
    let events = events("moov.yaml");
    assert_eq!(events.len(), 30);
    for (kind, data) in events {
        let body = moov_body(&kind, &data);
        let headers = hmac_sign(&webhooks::SCHEME, SECRET, &body);
        let delivery = hooks
            .verify(&headers, &body)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(delivery.event.event_type(), kind);
        assert!(!matches!(delivery.event, Event::Unknown { .. }), "{kind}");
        assert_eq!(delivery.envelope.type_, kind);
        delivery.commit().await.unwrap();
    }
    // The one a verification's outcome arrives by, field by field.
    let body = moov_body(
        "bankAccount.updated",
        &json!({"bankAccountID": "b1", "accountID": "a1", "status": "verified",
                "statusReason": "verification-successful"}),
    );
    let delivery = hooks
        .verify(&hmac_sign(&webhooks::SCHEME, SECRET, &body), &body)
        .await
        .unwrap();
    let Event::BankAccountUpdated(data) = &delivery.event else {
        panic!("{:?}", delivery.event)
    };
    assert_eq!(data.bank_account_id, "b1");
    assert_eq!(data.status, moov_client::types::BankAccountStatus::Verified);
}

#[tokio::test]
async fn moov_an_unknown_event_type_is_delivered_raw() {
    use moov_client::webhooks::{self, Event};
    let hooks = webhooks::verifier(SECRET);
    let body = moov_body(
        "ticket.created",
        &json!({"accountID": "a1", "ticketID": "t1"}),
    );
    let delivery = hooks
        .verify(&hmac_sign(&webhooks::SCHEME, SECRET, &body), &body)
        .await
        .unwrap();
    let Event::Unknown { r#type, data } = &delivery.event else {
        panic!()
    };
    assert_eq!(r#type, "ticket.created");
    assert_eq!(data.value()["ticketID"], "t1");
    assert!(
        !format!("{:?}", delivery.event).contains("t1"),
        "Debug shows no data"
    );
}

#[tokio::test]
async fn moov_forgeries_stale_signatures_and_replays_are_refused() {
    use moov_client::webhooks;
    let hooks = webhooks::verifier(SECRET);
    let body = moov_body(
        "bankAccount.deleted",
        &json!({"bankAccountID": "b1", "accountID": "a1"}),
    );
    let headers = hmac_sign(&webhooks::SCHEME, SECRET, &body);

    for (name, value) in [
        ("x-nonce", "another"),
        ("x-webhook-id", "another"),
        ("x-signature", "00ff"),
    ] {
        let mut forged = headers.clone();
        forged.insert(name, value.parse().unwrap());
        let err = hooks.verify(&forged, &body).await.unwrap_err();
        assert!(matches!(err, WebhookError::BadSignature), "{name}: {err}");
        assert_eq!(err.status(), 401);
    }
    let forged = hmac_sign(&webhooks::SCHEME, "not-the-secret", &body);
    assert!(matches!(
        hooks.verify(&forged, &body).await,
        Err(WebhookError::BadSignature)
    ));
    // X-Signature twice, the genuine value first or second: refused either way, 400
    // (before, genuine-first passed and forged-first failed).
    for genuine_first in [true, false] {
        let mut doubled = headers.clone();
        let genuine = doubled.remove("x-signature").unwrap();
        let forged = "00ff".parse().unwrap();
        let (first, second) = if genuine_first {
            (genuine, forged)
        } else {
            (forged, genuine)
        };
        doubled.append("x-signature", first);
        doubled.append("x-signature", second);
        let err = hooks.verify(&doubled, &body).await.unwrap_err();
        assert!(matches!(err, WebhookError::RepeatedHeader { .. }), "{err}");
        assert_eq!(err.status(), 400);
    }
    let mut missing = headers.clone();
    missing.remove("x-timestamp");
    assert!(matches!(
        hooks.verify(&missing, &body).await,
        Err(WebhookError::MissingHeader { .. })
    ));

    // Signed 71 hours ago (a late retry that kept its signature): accepted by default.
    let day = Duration::from_secs(24 * 3600);
    let late = hmac_sign_at(
        &webhooks::SCHEME,
        SECRET,
        &body,
        SystemTime::now() - 3 * day + Duration::from_secs(3600),
    );
    let _ = hooks.verify(&late, &body).await.unwrap();
    // The README's bound, 259200 s, exactly (timestamps are whole seconds): just inside,
    // just outside, and 72 h + 2 min (accepted before max_age was made exact).
    let now = SystemTime::now();
    let inside = hmac_sign_at(
        &webhooks::SCHEME,
        SECRET,
        &body,
        now - Duration::from_secs(259_198),
    );
    let _ = hooks.verify(&inside, &body).await.unwrap();
    for ago in [259_202, 259_200 + 120, 4 * 24 * 3600] {
        let stale = hmac_sign_at(
            &webhooks::SCHEME,
            SECRET,
            &body,
            now - Duration::from_secs(ago),
        );
        let err = hooks.verify(&stale, &body).await.unwrap_err();
        assert!(
            matches!(err, WebhookError::StaleTimestamp { future: false, .. }),
            "{ago} s: {err}"
        );
    }
    let ahead = hmac_sign_at(
        &webhooks::SCHEME,
        SECRET,
        &body,
        SystemTime::now() + Duration::from_secs(3600),
    );
    assert!(matches!(
        hooks.verify(&ahead, &body).await,
        Err(WebhookError::StaleTimestamp { future: true, .. })
    ));

    // The nonce is recorded only when the handler commits.
    let failed = hooks.verify(&headers, &body).await.unwrap();
    drop(failed);
    let retried = hooks.verify(&headers, &body).await.unwrap();
    retried.commit().await.unwrap();
    let replay = hooks.verify(&headers, &body).await.unwrap_err();
    assert!(matches!(
        replay,
        WebhookError::Replayed { in_flight: false }
    ));
    assert_eq!(replay.status(), 200);
}

#[tokio::test]
async fn moov_malformed_events_name_the_path_and_never_a_value() {
    use moov_client::webhooks;
    let hooks = webhooks::verifier(SECRET);
    let marker = "routing-021000021-marker";
    let body = moov_body(
        "bankAccount.updated",
        &json!({"bankAccountID": "b", "accountID": "a", "status": 7, "statusReason": marker}),
    );
    let err = hooks
        .verify(&hmac_sign(&webhooks::SCHEME, SECRET, &body), &body)
        .await
        .unwrap_err();
    let WebhookError::Malformed(failure) = &err else {
        panic!("{err}")
    };
    assert_eq!(failure.path(), "data.status");
    let body = moov_body(
        "bankAccount.updated",
        &json!({"bankAccountID": 1, "accountID": marker}),
    );
    let err = hooks
        .verify(&hmac_sign(&webhooks::SCHEME, SECRET, &body), &body)
        .await
        .unwrap_err();
    for e in [&err, &WebhookError::BadSignature] {
        let out = printed(e);
        assert!(!out.contains(marker) && !out.contains(SECRET), "{out}");
    }
    assert!(!format!("{hooks:?}").contains(SECRET));
    let not_json = b"<html>";
    let err = hooks
        .verify(&hmac_sign(&webhooks::SCHEME, SECRET, not_json), not_json)
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::Malformed(_)));
}

async fn moneykit(jwks: ResponseTemplate) -> (MockServer, moneykit_client::Client) {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/.well-known/jwks.json"))
        .respond_with(jwks)
        .mount(&server)
        .await;
    let client = moneykit_client::Client::builder()
        .base_url(server.uri())
        .retry_policy(finapi_runtime::RetryPolicy::none())
        .build()
        .unwrap();
    (server, client)
}

async fn jwks_fetches(server: &MockServer) -> usize {
    common::requests_to(server, "/.well-known/jwks.json")
        .await
        .len()
}

#[tokio::test]
async fn moneykit_every_declared_event_decodes_with_keys_fetched_once() {
    use moneykit_client::webhooks::{self, Event};
    let key = TestKey::new("mk-2024-01");
    let (server, client) = moneykit(ResponseTemplate::new(200).set_body_json(key.jwks())).await;
    let hooks = webhooks::verifier(&client);
    let events = events("moneykit.yaml");
    assert_eq!(events.len(), 3);
    for (i, (kind, mut example)) in events.into_iter().enumerate() {
        example["webhook_event"] = json!(kind);
        example["webhook_idempotency_key"] = json!(format!("key-{i}"));
        let body = serde_json::to_vec(&example).unwrap();
        let mut headers = key.sign(&webhooks::SCHEME, &body);
        headers.insert("moneykit-delivery-token", "dt-1".parse().unwrap());
        headers.insert("moneykit-delivery-attempt", "2".parse().unwrap());
        let delivery = hooks
            .verify(&headers, &body)
            .await
            .unwrap_or_else(|e| panic!("{kind}: {e}"));
        assert_eq!(delivery.event.event_type(), kind);
        assert!(!matches!(delivery.event, Event::Unknown { .. }));
        assert_eq!(delivery.header("MoneyKit-Delivery-Attempt"), Some("2"));
        assert_eq!(delivery.header("moneykit-delivery-token"), Some("dt-1"));
        assert_eq!(delivery.envelope.link_id, "mk_eqkWN34UEoa2NxyALG8pcV");
        delivery.commit().await.unwrap();
    }
    assert_eq!(jwks_fetches(&server).await, 1);

    let body = br#"{"webhook_event":"link.state_changed","webhook_idempotency_key":"k","webhook_timestamp":"2023-02-18T14:25:07Z","link_id":"l","link_tags":[],"state":"error","error":"auth_expired"}"#;
    let delivery = hooks
        .verify(&key.sign(&webhooks::SCHEME, body), body)
        .await
        .unwrap();
    let Event::LinkStateChanged(change) = &delivery.event else {
        panic!()
    };
    assert_eq!(change.state, moneykit_client::types::LinkState::Error);
    drop(delivery);
    let unknown = br#"{"webhook_event":"product.state_changed","webhook_idempotency_key":"u","webhook_timestamp":"2023-02-18T14:25:07Z","link_id":"l","link_tags":[]}"#;
    let delivery = hooks
        .verify(&key.sign(&webhooks::SCHEME, unknown), unknown)
        .await
        .unwrap();
    assert!(
        matches!(&delivery.event, Event::Unknown { r#type, .. } if r#type == "product.state_changed")
    );
}

#[tokio::test]
async fn moneykit_tampering_unknown_keys_and_a_failing_key_set_are_typed() {
    use moneykit_client::webhooks;
    let key = TestKey::new("mk-2024-01");
    let (server, client) = moneykit(ResponseTemplate::new(200).set_body_json(key.jwks())).await;
    let hooks = webhooks::verifier(&client);
    let body = br#"{"webhook_event":"transactions.updates_available","webhook_idempotency_key":"k1","webhook_timestamp":"2023-02-18T14:25:07Z","link_id":"l","link_tags":[]}"#;
    let headers = key.sign(&webhooks::SCHEME, body);
    let tampered = body
        .iter()
        .copied()
        .map(|b| if b == b'k' { b'K' } else { b })
        .collect::<Vec<_>>();
    assert!(matches!(
        hooks.verify(&headers, &tampered).await,
        Err(WebhookError::BodyHashMismatch)
    ));
    let rotated = TestKey::new("mk-2025-07");
    let err = hooks
        .verify(&rotated.sign(&webhooks::SCHEME, body), body)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, WebhookError::UnknownKey { kid } if kid == "mk-2025-07"),
        "{err}"
    );
    assert_eq!(err.status(), 401);
    // The unknown kid came within 5 minutes of the first fetch: no second request.
    assert_eq!(jwks_fetches(&server).await, 1);
    let old = key.sign_at(
        &webhooks::SCHEME,
        body,
        SystemTime::now() - Duration::from_secs(3600),
    );
    assert!(matches!(
        hooks.verify(&old, body).await,
        Err(WebhookError::StaleTimestamp { .. })
    ));
    // Replays of a committed delivery (a retry keeps the idempotency key).
    hooks
        .verify(&headers, body)
        .await
        .unwrap()
        .commit()
        .await
        .unwrap();
    let resigned = key.sign(&webhooks::SCHEME, body);
    assert!(matches!(
        hooks.verify(&resigned, body).await,
        Err(WebhookError::Replayed { in_flight: false })
    ));
    let mut none = HeaderMap::new();
    none.insert("moneykit-signature", "not.a.jwt.at-all".parse().unwrap());
    assert!(matches!(
        hooks.verify(&none, body).await,
        Err(WebhookError::InvalidHeader { .. })
    ));

    let (server, client) = moneykit(ResponseTemplate::new(503).set_body_string("down")).await;
    let hooks = webhooks::verifier(&client);
    let err = hooks
        .verify(&key.sign(&webhooks::SCHEME, body), body)
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::KeyFetch(_)), "{err}");
    assert_eq!(err.status(), 503);
    assert_eq!(jwks_fetches(&server).await, 1);
    assert!(!printed(&err).contains("down"));
}

#[tokio::test]
async fn open_finance_checks_the_configured_credentials() {
    use open_finance_client::webhooks;
    let hooks = webhooks::verifier(
        InboundAuth::basic("hooks", "s3cr3t-pass")
            .and(InboundAuth::header("X-Hook-Token", "t0k3n")),
    );
    let (_, example) = events("open-finance.yaml").remove(0);
    let body = serde_json::to_vec(&example).unwrap();
    let mut headers = HeaderMap::new();
    headers.insert(
        "authorization",
        "Basic aG9va3M6czNjcjN0LXBhc3M=".parse().unwrap(),
    );
    headers.insert("x-hook-token", "t0k3n".parse().unwrap());
    let delivery = hooks.verify(&headers, &body).await.unwrap();
    assert_eq!(
        delivery.event.connection_id.as_deref(),
        Some("0b5c7e2a-6f1d-4c3b-9a8e-2d4f6b8a1c3e")
    );
    let _ = delivery.commit().await.unwrap();
    // Unknown fields and an empty object both decode: every field is optional.
    let _ = hooks
        .verify(&headers, br#"{"somethingNew":1}"#)
        .await
        .unwrap();
    headers.insert("authorization", "Basic aG9va3M6d3Jvbmc=".parse().unwrap());
    let err = hooks.verify(&headers, &body).await.unwrap_err();
    assert!(matches!(err, WebhookError::Unauthorized));
    assert!(!printed(&err).contains("s3cr3t") && !format!("{hooks:?}").contains("s3cr3t"));
}

mod fuzz {
    use super::*;
    use proptest::prelude::*;

    fn config() -> ProptestConfig {
        let cases = std::env::var("FUZZ_CASES")
            .ok()
            .and_then(|c| c.parse().ok())
            .unwrap_or(256);
        ProptestConfig {
            cases,
            failure_persistence: None,
            ..ProptestConfig::default()
        }
    }

    fn json() -> impl Strategy<Value = Value> {
        let leaf = prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::from),
            any::<i64>().prop_map(Value::from),
            "[a-zA-Z.]{0,20}".prop_map(Value::from),
        ];
        leaf.prop_recursive(3, 24, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..4).prop_map(Value::from),
                prop::collection::btree_map(
                    prop_oneof![
                        Just("type".to_owned()),
                        Just("data".to_owned()),
                        Just("webhook_event".to_owned()),
                        Just("status".to_owned()),
                        "[a-zA-Z]{1,8}"
                    ],
                    inner,
                    0..6
                )
                .prop_map(|m| Value::Object(m.into_iter().collect())),
            ]
        })
    }

    proptest! {
        #![proptest_config(config())]

        #[test]
        fn event_decoders_never_panic_on_bytes(bytes in prop::collection::vec(any::<u8>(), 0..256)) {
            let _ = moov_client::webhooks::Event::decode(&bytes);
            let _ = moneykit_client::webhooks::Event::decode(&bytes);
            let _ = open_finance_client::webhooks::Event::decode(&bytes);
        }

        #[test]
        fn event_decoders_never_panic_on_json(value in json(), kind in prop_oneof![Just("bankAccount.updated".to_owned()), Just("link.state_changed".to_owned()), Just("transfer.updated".to_owned()), "[a-z.]{0,12}"]) {
            let mut value = value;
            if let Value::Object(map) = &mut value {
                map.insert("type".into(), json!(kind));
                map.insert("webhook_event".into(), json!(kind));
            }
            let bytes = serde_json::to_vec(&value).unwrap();
            let _ = moov_client::webhooks::Event::decode(&bytes);
            let _ = moneykit_client::webhooks::Event::decode(&bytes);
            let _ = open_finance_client::webhooks::Event::decode(&bytes);
        }
    }
}

#[tokio::test]
async fn a_31_spec_webhook_signed_over_the_body_with_unix_time() {
    use snapshot_openapi31::webhooks;
    let hooks = webhooks::verifier(SECRET);
    let body =
        br#"{"token":"7ef7d65c-9023-4da3-b113-3b8583fd7951","kind":"VIRTUAL","spend_limit":500}"#;
    let headers = hmac_sign(&webhooks::SCHEME, SECRET, body);
    assert!(
        headers["webhook-timestamp"]
            .to_str()
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    let delivery = hooks.verify(&headers, body).await.unwrap();
    let card: &webhooks::Event = &delivery.event;
    assert_eq!(card.spend_limit.get(), 500);
    // The body is signed here: changing it breaks the signature.
    let changed = body
        .to_vec()
        .iter()
        .map(|b| if *b == b'5' { b'6' } else { *b })
        .collect::<Vec<_>>();
    assert!(matches!(
        hooks.verify(&headers, &changed).await,
        Err(WebhookError::BadSignature)
    ));
    // At most 300 s old, exactly (whole seconds: 298 s passes, 302 s does not).
    let now = SystemTime::now();
    let recent = hmac_sign_at(
        &webhooks::SCHEME,
        SECRET,
        body,
        now - Duration::from_secs(298),
    );
    let _ = hooks.verify(&recent, body).await.unwrap();
    let old = hmac_sign_at(
        &webhooks::SCHEME,
        SECRET,
        body,
        now - Duration::from_secs(302),
    );
    assert!(matches!(
        hooks.verify(&old, body).await,
        Err(WebhookError::StaleTimestamp { future: false, .. })
    ));
}

#[tokio::test]
async fn moov_scheme_matches_the_published_test_vector() {
    // moov-go's event_test.go: the generated SCHEME signs as Moov does.
    let values = [
        ("X-Timestamp", "2024-04-26T21:20:55Z"),
        (
            "X-Nonce",
            "LwxF1Uk7QOeDq2nzB3theslHbtAo7y3uuncB1PoijwCZZaRZsd8DOtffBT7p",
        ),
        ("X-Webhook-ID", "dff0a709-f982-4475-81e8-214b435c74ab"),
    ];
    let headers = finapi_runtime::webhook::testing::hmac_headers(
        &moov_client::webhooks::SCHEME,
        "my-webhook-signing-secret",
        &values,
        b"",
    );
    assert_eq!(
        headers["x-signature"],
        "6231d03752de6963087e6aea1c78a27a0617b6df1c071195f30ed85defe34e02fd0bf3995949fe12dafd747c42de9cfae03b8aafcf69cceba5495f4c7b719d82"
    );
    // Signed in 2024: the crate's default 72-hour maximum age refuses it, a verifier without
    // one accepts it.
    let hooks = moov_client::webhooks::verifier("my-webhook-signing-secret");
    let body = moov_body("event.test", &json!({"ping": true}));
    assert!(matches!(
        hooks.verify(&headers, &body).await,
        Err(WebhookError::StaleTimestamp { .. })
    ));
    let ageless = hooks.no_max_age();
    let delivery = ageless.verify(&headers, &body).await.unwrap();
    assert!(matches!(
        delivery.event,
        moov_client::webhooks::Event::EventTest(_)
    ));
}

/// One wave of `n` concurrent MoneyKit deliveries (each its own idempotency key): each one's
/// outcome, and the slowest one's wait.
async fn wave(
    hooks: &std::sync::Arc<moneykit_client::webhooks::Webhooks>,
    key: &TestKey,
    n: usize,
    wave: usize,
) -> (Vec<Result<(), WebhookError>>, Duration) {
    let start = std::time::Instant::now();
    let tasks: Vec<_> = (0..n)
        .map(|i| {
            let hooks = std::sync::Arc::clone(hooks);
            let body = format!(
                r#"{{"webhook_event":"transactions.updates_available","webhook_idempotency_key":"w{wave}-{i}","webhook_timestamp":"2023-02-18T14:25:07Z","link_id":"l","link_tags":[]}}"#
            );
            let headers = key.sign(&moneykit_client::webhooks::SCHEME, body.as_bytes());
            tokio::spawn(async move {
                let outcome = hooks.verify(&headers, body.as_bytes()).await.map(drop);
                (outcome, start.elapsed())
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    let mut slowest = Duration::ZERO;
    for task in tasks {
        let (outcome, waited) = task.await.unwrap();
        outcomes.push(outcome);
        slowest = slowest.max(waited);
    }
    (outcomes, slowest)
}

/// A MoneyKit client whose key endpoint answers `first` once (if given), then 503 for good.
async fn key_endpoint_down(
    first: Option<Value>,
    policy: finapi_runtime::RetryPolicy,
) -> (MockServer, moneykit_client::Client) {
    let server = MockServer::start().await;
    if let Some(set) = first {
        Mock::given(method("GET"))
            .and(path("/.well-known/jwks.json"))
            .respond_with(ResponseTemplate::new(200).set_body_json(set))
            .up_to_n_times(1)
            .with_priority(1)
            .mount(&server)
            .await;
    }
    Mock::given(method("GET"))
        .and(path("/.well-known/jwks.json"))
        .respond_with(ResponseTemplate::new(503).set_body_string("down"))
        .mount(&server)
        .await;
    let client = moneykit_client::Client::builder()
        .base_url(server.uri())
        .retry_policy(policy)
        .build()
        .unwrap();
    (server, client)
}

// 100 concurrent deliveries during an outage of the key endpoint: one round of requests (its
// attempts) for all of them, cold or warm (keys past their TTL), and none in the back-off.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moneykit_a_key_endpoint_outage_costs_one_round_per_backoff() {
    use moneykit_client::webhooks;
    let key = TestKey::new("mk-2024-01");
    for policy in [
        finapi_runtime::RetryPolicy::none(),
        finapi_runtime::RetryPolicy::default(),
    ] {
        let attempts = policy.max_attempts as usize;
        // Cold: no keys yet. One round (its attempts) for all 100; each gets its failure.
        let (server, client) = key_endpoint_down(None, policy.clone()).await;
        let hooks = std::sync::Arc::new(webhooks::verifier(&client));
        let (outcomes, slowest) = wave(&hooks, &key, 100, 0).await;
        let requests = jwks_fetches(&server).await;
        eprintln!(
            "cold outage, {attempts} attempt(s) per round: {requests} requests, slowest wait {slowest:?}"
        );
        assert_eq!(requests, attempts);
        for outcome in &outcomes {
            let err = outcome.as_ref().unwrap_err();
            assert!(matches!(err, WebhookError::KeyFetch(_)), "{err}");
            assert_eq!(err.status(), 503);
            assert!(!printed(err).contains("down"));
        }
        // Within the back-off: no request at all.
        let (outcomes, _) = wave(&hooks, &key, 100, 1).await;
        assert!(
            outcomes
                .iter()
                .all(|o| matches!(o, Err(WebhookError::KeyFetch(_))))
        );
        assert_eq!(jwks_fetches(&server).await, attempts);

        // Warm: keys fetched, then past their TTL. One round; every delivery verifies.
        let (server, client) = key_endpoint_down(Some(key.jwks()), policy).await;
        let keys = webhooks::keys(&client).ttl(Duration::from_millis(50));
        let hooks = std::sync::Arc::new(finapi_runtime::webhook::Verifier::jwt(
            webhooks::SCHEME,
            keys,
        ));
        let (outcomes, _) = wave(&hooks, &key, 1, 0).await;
        assert!(outcomes[0].is_ok());
        tokio::time::sleep(Duration::from_millis(100)).await;
        let (outcomes, slowest) = wave(&hooks, &key, 100, 1).await;
        let requests = jwks_fetches(&server).await - 1;
        eprintln!(
            "warm outage, {attempts} attempt(s) per round: {requests} requests, slowest wait {slowest:?}"
        );
        assert!(outcomes.iter().all(Result::is_ok));
        assert_eq!(requests, attempts);
        let (outcomes, _) = wave(&hooks, &key, 100, 2).await;
        assert!(outcomes.iter().all(Result::is_ok));
        assert_eq!(
            jwks_fetches(&server).await - 1,
            attempts,
            "the back-off holds"
        );
    }
}
