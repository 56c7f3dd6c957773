//! The schemes on small inputs: Moov's published test vector, tampering, times, replays, a
//! JWT's key set fetched, refetched on an unknown kid (counted) and failing.

use std::sync::atomic::{AtomicUsize, Ordering};

use super::testing::{TestKey, hmac_headers, hmac_sign, hmac_sign_at};
use super::*;

const MOOV: HmacScheme = HmacScheme {
    algorithm: HmacAlgorithm::Sha512,
    signature_header: "X-Signature",
    signed_headers: &["X-Timestamp", "X-Nonce", "X-Webhook-ID"],
    separator: "|",
    sign_body: false,
    encoding: SignatureEncoding::Hex,
    timestamp: Some(TimestampHeader {
        header: "X-Timestamp",
        format: TimestampFormat::Rfc3339,
    }),
};

const JWT: JwtScheme = JwtScheme {
    header: "MoneyKit-Signature",
    algorithms: &["ES256"],
    body_hash_claim: "request_body_sha256",
};

type Any = Verifier<NoEnvelope, Raw>;

/// Any JSON body as an event.
#[derive(Debug)]
struct Raw;

impl Events for Raw {
    fn decode(body: &[u8]) -> Result<Self, crate::decode_error::DecodeFailure> {
        payload::<serde_json::Value>(body, None).map(|_| Raw)
    }
}

const VECTOR: [(&str, &str); 3] = [
    ("X-Timestamp", "2024-04-26T21:20:55Z"),
    (
        "X-Nonce",
        "LwxF1Uk7QOeDq2nzB3theslHbtAo7y3uuncB1PoijwCZZaRZsd8DOtffBT7p",
    ),
    ("X-Webhook-ID", "dff0a709-f982-4475-81e8-214b435c74ab"),
];
const VECTOR_SIGNATURE: &str = "6231d03752de6963087e6aea1c78a27a0617b6df1c071195f30ed85defe34e02fd0bf3995949fe12dafd747c42de9cfae03b8aafcf69cceba5495f4c7b719d82";

#[tokio::test]
async fn moovs_test_vector_verifies_and_any_change_breaks_it() {
    let values: Vec<&str> = VECTOR.iter().map(|(_, v)| *v).collect();
    assert_eq!(
        MOOV.sign("my-webhook-signing-secret", &values, b""),
        VECTOR_SIGNATURE
    );
    let headers = hmac_headers(&MOOV, "my-webhook-signing-secret", &VECTOR, b"{}");
    assert_eq!(headers["x-signature"], VECTOR_SIGNATURE);
    let verifier = Any::hmac(MOOV, "my-webhook-signing-secret");
    let _ = verifier.verify(&headers, b"{}").await.unwrap();
    // The body is not signed: another body passes the signature (and must be re-read).
    let _ = verifier.verify(&headers, br#"{"a":1}"#).await.unwrap();

    for (name, value) in [
        ("x-timestamp", "2024-04-26T21:20:56Z"),
        (
            "x-nonce",
            "LwxF1Uk7QOeDq2nzB3theslHbtAo7y3uuncB1PoijwCZZaRZsd8DOtffBT7q",
        ),
        ("x-webhook-id", "eff0a709-f982-4475-81e8-214b435c74ab"),
        ("x-signature", &VECTOR_SIGNATURE.replace('6', "7")),
    ] {
        let mut tampered = headers.clone();
        tampered.insert(name, value.parse().unwrap());
        assert!(
            matches!(
                verifier.verify(&tampered, b"{}").await,
                Err(WebhookError::BadSignature)
            ),
            "{name}"
        );
    }
    let wrong = Any::hmac(MOOV, "another-secret");
    assert!(matches!(
        wrong.verify(&headers, b"{}").await,
        Err(WebhookError::BadSignature)
    ));
    let mut missing = headers.clone();
    missing.remove("x-nonce");
    assert!(
        matches!(verifier.verify(&missing, b"{}").await, Err(WebhookError::MissingHeader { name }) if name == "X-Nonce")
    );
    let mut not_hex = headers.clone();
    not_hex.insert("x-signature", "zz".parse().unwrap());
    assert!(matches!(
        verifier.verify(&not_hex, b"{}").await,
        Err(WebhookError::InvalidHeader { .. })
    ));
}

#[tokio::test]
async fn the_signing_time_is_checked_against_max_age_and_leeway() {
    let hour = Duration::from_secs(3600);
    let verifier = Any::hmac(MOOV, "s").max_age(hour);
    let now = SystemTime::now();
    let _ = verifier
        .verify(&hmac_sign_at(&MOOV, "s", b"{}", now - hour / 2), b"{}")
        .await
        .unwrap();
    let old = verifier
        .verify(&hmac_sign_at(&MOOV, "s", b"{}", now - 2 * hour), b"{}")
        .await;
    assert!(matches!(
        old,
        Err(WebhookError::StaleTimestamp { future: false, .. })
    ));
    let ahead = verifier
        .verify(&hmac_sign_at(&MOOV, "s", b"{}", now + hour), b"{}")
        .await;
    assert!(matches!(
        ahead,
        Err(WebhookError::StaleTimestamp { future: true, .. })
    ));
    // Without a maximum age, a retry that keeps its first signature passes.
    let _ = Any::hmac(MOOV, "s")
        .verify(&hmac_sign_at(&MOOV, "s", b"{}", now - 48 * hour), b"{}")
        .await
        .unwrap();
    let mut garbled = hmac_sign(&MOOV, "s", b"{}");
    garbled.insert("x-timestamp", "yesterday".parse().unwrap());
    let garbled = hmac_headers(
        &MOOV,
        "s",
        &[
            ("X-Timestamp", "yesterday"),
            ("X-Nonce", garbled["x-nonce"].to_str().unwrap()),
            ("X-Webhook-ID", "w"),
        ],
        b"",
    );
    assert!(matches!(
        verifier.verify(&garbled, b"{}").await,
        Err(WebhookError::InvalidHeader { .. })
    ));
}

const UNIX: HmacScheme = HmacScheme {
    algorithm: HmacAlgorithm::Sha256,
    signature_header: "Webhook-Signature",
    signed_headers: &["Webhook-Timestamp"],
    separator: ".",
    sign_body: true,
    encoding: SignatureEncoding::Base64,
    timestamp: Some(TimestampHeader {
        header: "Webhook-Timestamp",
        format: TimestampFormat::UnixSeconds,
    }),
};

/// Whether a verification passed, was refused as signed too long ago (`Some(false)`), or as
/// signed too far ahead (`Some(true)`).
fn timing(outcome: Result<Delivery<NoEnvelope, Raw>, WebhookError>) -> Result<(), Option<bool>> {
    match outcome {
        Ok(_) => Ok(()),
        Err(WebhookError::StaleTimestamp { future, .. }) => Err(Some(future)),
        Err(e) => panic!("{e}"),
    }
}

// A leeway added to the age bound would let 420 s and 590 s through a max_age of 300 s.
#[tokio::test]
async fn max_age_is_exact_and_the_leeway_covers_clocks_ahead_only() {
    let secs = Duration::from_secs;
    let max = secs(300);
    let now = SystemTime::now();
    // Timestamps are whole seconds, rounded down: 298 / 302 s are just inside / outside.
    for scheme in [MOOV, UNIX] {
        let verifier = Any::hmac(scheme, "s").max_age(max);
        let at = |time| hmac_sign_at(&scheme, "s", b"{}", time);
        assert_eq!(
            timing(verifier.verify(&at(now - secs(298)), b"{}").await),
            Ok(())
        );
        assert_eq!(
            timing(verifier.verify(&at(now - secs(302)), b"{}").await),
            Err(Some(false))
        );
        assert_eq!(
            timing(verifier.verify(&at(now - secs(420)), b"{}").await),
            Err(Some(false))
        );
        assert_eq!(
            timing(verifier.verify(&at(now + secs(298)), b"{}").await),
            Ok(())
        );
        assert_eq!(
            timing(verifier.verify(&at(now + secs(302)), b"{}").await),
            Err(Some(true))
        );
        // No leeway: exact both ways.
        let exact = Any::hmac(scheme, "s").max_age(max).leeway(Duration::ZERO);
        assert_eq!(
            timing(exact.verify(&at(now + secs(2)), b"{}").await),
            Err(Some(true))
        );
        assert_eq!(
            timing(exact.verify(&at(now - secs(298)), b"{}").await),
            Ok(())
        );
    }
    let key = TestKey::new("k");
    // A JWT's age is its `iat`'s (its `exp` is iat + 300 s here, within the leeway).
    let jwt = Any::jwt(JWT, Jwks::fixed(&key.jwks())).max_age(max);
    let at = |time| key.sign_at(&JWT, b"{}", time);
    assert_eq!(
        timing(jwt.verify(&at(now - secs(298)), b"{}").await),
        Ok(())
    );
    assert_eq!(
        timing(jwt.verify(&at(now - secs(302)), b"{}").await),
        Err(Some(false))
    );
    assert_eq!(
        timing(jwt.verify(&at(now + secs(298)), b"{}").await),
        Ok(())
    );
    assert_eq!(
        timing(jwt.verify(&at(now + secs(302)), b"{}").await),
        Err(Some(true))
    );
    // Without a max age, `exp` (iat + 300 s) holds within the leeway: iat 598 s ago passes,
    // 602 s ago does not.
    let jwt = Any::jwt(JWT, Jwks::fixed(&key.jwks()));
    assert_eq!(
        timing(jwt.verify(&at(now - secs(598)), b"{}").await),
        Ok(())
    );
    assert_eq!(
        timing(jwt.verify(&at(now - secs(602)), b"{}").await),
        Err(Some(false))
    );
    let exact = Any::jwt(JWT, Jwks::fixed(&key.jwks())).leeway(Duration::ZERO);
    assert_eq!(
        timing(exact.verify(&at(now - secs(298)), b"{}").await),
        Ok(())
    );
    assert_eq!(
        timing(exact.verify(&at(now - secs(302)), b"{}").await),
        Err(Some(false))
    );
}

#[tokio::test]
async fn a_nonce_is_recorded_only_when_committed() {
    let verifier = Any::hmac(MOOV, "s").replay_guard(
        ReplayKey::Header("X-Nonce"),
        Arc::new(MemoryReplayGuard::default()),
    );
    let headers = hmac_sign(&MOOV, "s", b"{}");
    let first = verifier.verify(&headers, b"{}").await.unwrap();
    assert!(matches!(
        verifier.verify(&headers, b"{}").await,
        Err(WebhookError::Replayed { in_flight: true })
    ));
    drop(first); // the handler failed
    let retry = verifier.verify(&headers, b"{}").await.unwrap();
    retry.commit().await.unwrap();
    let replay = verifier.verify(&headers, b"{}").await.unwrap_err();
    assert!(matches!(
        replay,
        WebhookError::Replayed { in_flight: false }
    ));
    assert_eq!(replay.status(), 200);
    // A malformed body reserves nothing.
    let other = hmac_sign(&MOOV, "s", b"");
    assert!(matches!(
        verifier.verify(&other, b"not json").await,
        Err(WebhookError::Malformed(_))
    ));
    let _ = verifier
        .verify(&other, b"{}")
        .await
        .unwrap()
        .commit()
        .await
        .unwrap();
}

fn counted(set: serde_json::Value, fail: bool) -> (Jwks, Arc<AtomicUsize>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let counter = Arc::clone(&calls);
    let fetch: FetchKeys = Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let set = set.clone();
        Box::pin(async move {
            if fail {
                Err::<serde_json::Value, StoreError>("503".into())
            } else {
                Ok(set)
            }
        })
    });
    (Jwks::fetched_with(fetch), calls)
}

#[tokio::test]
async fn a_jwt_is_verified_with_the_key_it_names_and_the_body_it_hashes() {
    let key = TestKey::new("k1");
    let (keys, calls) = counted(key.jwks(), false);
    let verifier = Any::jwt(JWT, keys);
    let body = br#"{"webhook_event":"link.state_changed"}"#;
    let headers = key.sign(&JWT, body);
    let _ = verifier.verify(&headers, body).await.unwrap();
    let _ = verifier.verify(&headers, body).await.unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1, "the key set is cached");

    let tampered = br#"{"webhook_event":"link.state_changed "}"#;
    assert!(matches!(
        verifier.verify(&headers, tampered).await,
        Err(WebhookError::BodyHashMismatch)
    ));
    let stranger = TestKey::new("k1-forged-elsewhere");
    let forged = TestKey::jwt(
        &stranger,
        &serde_json::json!({"alg": "ES256", "kid": "k1"}),
        &serde_json::json!({"request_body_sha256": hex::encode(Sha256Hash::of(body))}),
    );
    let mut forged_headers = HeaderMap::new();
    forged_headers.insert("moneykit-signature", forged.parse().unwrap());
    assert!(matches!(
        verifier.verify(&forged_headers, body).await,
        Err(WebhookError::BadSignature)
    ));
    let none = key.jwt(
        &serde_json::json!({"alg": "none", "kid": "k1"}),
        &serde_json::json!({}),
    );
    forged_headers.insert("moneykit-signature", none.parse().unwrap());
    assert!(matches!(
        verifier.verify(&forged_headers, body).await,
        Err(WebhookError::UnsupportedAlgorithm)
    ));
    let expired = key.sign_at(&JWT, body, SystemTime::now() - Duration::from_secs(3600));
    assert!(matches!(
        verifier.verify(&expired, body).await,
        Err(WebhookError::StaleTimestamp { future: false, .. })
    ));
    let early = key.sign_at(&JWT, body, SystemTime::now() + Duration::from_secs(3600));
    assert!(matches!(
        verifier.verify(&early, body).await,
        Err(WebhookError::StaleTimestamp { future: true, .. })
    ));
}

struct Sha256Hash;

impl Sha256Hash {
    fn of(body: &[u8]) -> Vec<u8> {
        use sha2::Digest as _;
        sha2::Sha256::digest(body).to_vec()
    }
}

#[tokio::test]
async fn an_unknown_kid_refetches_the_set_at_most_once_per_interval() {
    let old = TestKey::new("old");
    let new = TestKey::new("new");
    let (keys, calls) = counted(TestKey::jwks_of(&[&old, &new]), false);
    let verifier = Any::jwt(JWT, keys.refetch_interval(Duration::from_millis(200)));
    let _ = verifier
        .verify(&old.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap();
    let _ = verifier
        .verify(&new.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    let rotated = TestKey::new("rotated");
    // Within the interval of the last fetch: no refetch.
    let err = verifier
        .verify(&rotated.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap_err();
    assert!(matches!(&err, WebhookError::UnknownKey { .. }));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    tokio::time::sleep(Duration::from_millis(250)).await;
    for _ in 0..3 {
        let err = verifier
            .verify(&rotated.sign(&JWT, b"{}"), b"{}")
            .await
            .unwrap_err();
        assert!(matches!(&err, WebhookError::UnknownKey { kid } if kid == "rotated"));
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        2,
        "one refetch for the unknown kid"
    );
    assert_eq!(verifier.keys().unwrap().fetches(), 2);
}

#[tokio::test]
async fn a_failing_key_endpoint_is_a_typed_retryable_error() {
    let key = TestKey::new("k");
    let (keys, calls) = counted(key.jwks(), true);
    let verifier = Any::jwt(JWT, keys);
    let err = verifier
        .verify(&key.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::KeyFetch(_)));
    assert_eq!(err.status(), 503);
    assert_eq!(calls.load(Ordering::SeqCst), 1);
}

/// A key set whose endpoint answers with `set` while `up` holds, else fails; each fetch takes
/// 20 ms (so concurrent verifications overlap it) and is counted.
fn switchable(
    set: serde_json::Value,
) -> (Jwks, Arc<AtomicUsize>, Arc<std::sync::atomic::AtomicBool>) {
    let calls = Arc::new(AtomicUsize::new(0));
    let up = Arc::new(std::sync::atomic::AtomicBool::new(true));
    let (counter, flag) = (Arc::clone(&calls), Arc::clone(&up));
    let fetch: FetchKeys = Arc::new(move || {
        counter.fetch_add(1, Ordering::SeqCst);
        let (set, up) = (set.clone(), flag.load(Ordering::SeqCst));
        Box::pin(async move {
            tokio::time::sleep(Duration::from_millis(20)).await;
            if up {
                Ok(set)
            } else {
                Err::<serde_json::Value, StoreError>("503".into())
            }
        })
    });
    (Jwks::fetched_with(fetch), calls, up)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_verifications_share_one_failed_round_and_its_backoff() {
    let key = TestKey::new("k");
    let (keys, calls, up) = switchable(key.jwks());
    up.store(false, Ordering::SeqCst);
    let verifier = Arc::new(Any::jwt(
        JWT,
        keys.failure_backoff(Duration::from_millis(300)),
    ));
    let tasks: Vec<_> = (0..50)
        .map(|_| {
            let (verifier, headers) = (Arc::clone(&verifier), key.sign(&JWT, b"{}"));
            tokio::spawn(async move { verifier.verify(&headers, b"{}").await.map(drop) })
        })
        .collect();
    for task in tasks {
        let err = task.await.unwrap().unwrap_err();
        assert!(matches!(err, WebhookError::KeyFetch(_)), "{err}");
    }
    assert_eq!(
        calls.load(Ordering::SeqCst),
        1,
        "one round for every waiter"
    );
    // Within the back-off: the remembered failure, at once.
    let err = verifier.verify(&key.sign(&JWT, b"{}"), b"{}").await;
    assert!(matches!(err, Err(WebhookError::KeyFetch(_))));
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    // After it, a new round, which now succeeds.
    tokio::time::sleep(Duration::from_millis(350)).await;
    up.store(true, Ordering::SeqCst);
    let _ = verifier
        .verify(&key.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
}

#[tokio::test]
async fn keys_past_their_ttl_verify_while_refreshes_fail_up_to_the_stale_bound() {
    let key = TestKey::new("k");
    let (keys, calls, up) = switchable(key.jwks());
    let verifier = Any::jwt(
        JWT,
        keys.ttl(Duration::from_millis(100))
            .max_stale(Duration::from_millis(400))
            .failure_backoff(Duration::from_millis(100)),
    );
    let _ = verifier
        .verify(&key.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    up.store(false, Ordering::SeqCst);
    tokio::time::sleep(Duration::from_millis(150)).await;
    // Past the TTL, within the stale bound: the refresh fails, the held keys verify.
    let _ = verifier
        .verify(&key.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Within the back-off: the held keys, no fetch.
    let _ = verifier
        .verify(&key.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 2);
    // Past TTL + stale bound (500 ms after the fetch): refused, retryable.
    tokio::time::sleep(Duration::from_millis(400)).await;
    let err = verifier
        .verify(&key.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap_err();
    assert!(matches!(err, WebhookError::KeyFetch(_)), "{err}");
    assert_eq!(err.status(), 503);
    assert_eq!(calls.load(Ordering::SeqCst), 3);
    // The endpoint is back (after the back-off): fresh keys.
    tokio::time::sleep(Duration::from_millis(150)).await;
    up.store(true, Ordering::SeqCst);
    let _ = verifier
        .verify(&key.sign(&JWT, b"{}"), b"{}")
        .await
        .unwrap();
    assert_eq!(calls.load(Ordering::SeqCst), 4);
}

#[tokio::test]
async fn inbound_credentials_must_all_match() {
    let auth = InboundAuth::basic("hooks", "pa55").and(InboundAuth::header("X-Hook-Key", "k3y"));
    let verifier = Any::inbound(auth);
    let mut headers = HeaderMap::new();
    headers.insert("authorization", "Basic aG9va3M6cGE1NQ==".parse().unwrap());
    headers.insert("x-hook-key", "k3y".parse().unwrap());
    let _ = verifier.verify(&headers, b"{}").await.unwrap();
    headers.insert("x-hook-key", "k3y2".parse().unwrap());
    assert!(matches!(
        verifier.verify(&headers, b"{}").await,
        Err(WebhookError::Unauthorized)
    ));
    headers.remove("x-hook-key");
    assert!(matches!(
        verifier.verify(&headers, b"{}").await,
        Err(WebhookError::MissingHeader { .. })
    ));
    let bearer = Any::inbound(InboundAuth::bearer("t0k"));
    let mut headers = HeaderMap::new();
    headers.insert("authorization", "bearer t0k".parse().unwrap());
    let _ = bearer.verify(&headers, b"{}").await.unwrap();
    headers.insert("authorization", "Basic t0k".parse().unwrap());
    assert!(matches!(
        bearer.verify(&headers, b"{}").await,
        Err(WebhookError::Unauthorized)
    ));
}

/// `headers` with a second value for `name` (after the first, or before it).
fn twice(headers: &HeaderMap, name: &str, value: &str, genuine_first: bool) -> HeaderMap {
    let name = http::HeaderName::from_bytes(name.as_bytes()).unwrap();
    let genuine = headers.get(&name).unwrap().clone();
    let extra: http::HeaderValue = value.parse().unwrap();
    let mut out = headers.clone();
    out.remove(&name);
    let (first, second) = if genuine_first {
        (genuine, extra)
    } else {
        (extra, genuine)
    };
    out.append(name.clone(), first);
    out.append(name, second);
    out
}

fn repeated(outcome: Result<Delivery<NoEnvelope, Raw>, WebhookError>, name: &str) {
    match outcome {
        Err(e @ WebhookError::RepeatedHeader { .. }) => {
            assert!(e.to_string().contains(name), "{e}");
            assert_eq!(e.status(), 400);
        }
        Err(e) => panic!("{name}: {e}"),
        Ok(_) => panic!("{name}: accepted"),
    }
}

// Reading the first of two values would let a forged second one through, or the other way.
#[tokio::test]
async fn a_header_a_check_reads_may_appear_only_once() {
    let verifier = Any::hmac(MOOV, "s").replay_guard(
        ReplayKey::Header("X-Nonce"),
        Arc::new(MemoryReplayGuard::default()),
    );
    let headers = hmac_sign(&MOOV, "s", b"{}");
    for name in ["X-Signature", "X-Timestamp", "X-Nonce", "X-Webhook-ID"] {
        for genuine_first in [true, false] {
            let doubled = twice(&headers, name, "2024-04-26T21:20:55Z", genuine_first);
            repeated(verifier.verify(&doubled, b"{}").await, name);
            // The same value twice is as ambiguous to a proxy that joins them.
            let value = headers[name].to_str().unwrap().to_owned();
            repeated(
                verifier
                    .verify(&twice(&headers, name, &value, genuine_first), b"{}")
                    .await,
                name,
            );
        }
    }
    let _ = verifier.verify(&headers, b"{}").await.unwrap();

    let key = TestKey::new("k");
    let jwt = Any::jwt(JWT, Jwks::fixed(&key.jwks()));
    let signed = key.sign(&JWT, b"{}");
    let other = key.sign(&JWT, b"[]");
    let other = other["moneykit-signature"].to_str().unwrap();
    for genuine_first in [true, false] {
        let doubled = twice(&signed, "MoneyKit-Signature", other, genuine_first);
        repeated(jwt.verify(&doubled, b"{}").await, "MoneyKit-Signature");
    }

    let inbound =
        Any::inbound(InboundAuth::bearer("t0k").and(InboundAuth::header("X-Hook-Key", "k3y")));
    let mut headers = HeaderMap::new();
    headers.insert("authorization", "Bearer t0k".parse().unwrap());
    headers.insert("x-hook-key", "k3y".parse().unwrap());
    let _ = inbound.verify(&headers, b"{}").await.unwrap();
    for (name, value) in [("authorization", "Bearer nope"), ("x-hook-key", "nope")] {
        for genuine_first in [true, false] {
            repeated(
                inbound
                    .verify(&twice(&headers, name, value, genuine_first), b"{}")
                    .await,
                name,
            );
        }
    }
}

#[test]
fn no_error_prints_a_secret_or_a_value() {
    let errors = [
        WebhookError::BadSignature,
        WebhookError::MissingHeader {
            name: "X-Nonce".into(),
        },
        WebhookError::Replayed { in_flight: false },
        WebhookError::StaleTimestamp {
            skew: Duration::from_secs(7),
            future: true,
        },
        WebhookError::Malformed(
            payload::<u32>(
                br#"{"secret-marker":"my-webhook-signing-secret"}"#,
                Some("secret-marker"),
            )
            .unwrap_err(),
        ),
    ];
    for e in &errors {
        let printed = format!("{e} {e:?} {e:#?}");
        assert!(!printed.contains("my-webhook-signing-secret"), "{printed}");
    }
    let verifier = Any::hmac(MOOV, "my-webhook-signing-secret");
    assert!(!format!("{verifier:?}").contains("my-webhook-signing-secret"));
    let verifier = Any::inbound(InboundAuth::basic("u", "my-webhook-signing-secret"));
    assert!(!format!("{verifier:?}").contains("my-webhook-signing-secret"));
}
