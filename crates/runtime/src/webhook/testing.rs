//! Sign deliveries the way providers do, for the tests of code that receives them: HMAC
//! headers ([`hmac_headers`], [`hmac_sign`]) and ES256 JWTs with the key set to serve
//! ([`TestKey`]). Test keys are derived from a name: never use them outside tests.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use http::{HeaderMap, HeaderName, HeaderValue};
use p256::ecdsa::signature::Signer as _;
use p256::ecdsa::{Signature, SigningKey};
use sha2::{Digest, Sha256};

use super::jwt::URL;
use super::{HmacScheme, JwtScheme};

/// Headers of a delivery signed with `secret`: the signed headers with the values given
/// (by name, any case; in the scheme's order) and the signature header.
///
/// # Panics
/// If a signed header has no value in `values`, or a name or value is not a valid header.
pub fn hmac_headers(
    scheme: &HmacScheme,
    secret: &str,
    values: &[(&str, &str)],
    body: &[u8],
) -> HeaderMap {
    let ordered: Vec<&str> = scheme
        .signed_headers
        .iter()
        .map(|name| {
            values
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
                .map(|(_, v)| *v)
                .unwrap_or_else(|| panic!("no value for signed header {name}"))
        })
        .collect();
    let mut headers = HeaderMap::new();
    for (name, value) in scheme.signed_headers.iter().zip(&ordered) {
        insert(&mut headers, name, value);
    }
    insert(
        &mut headers,
        scheme.signature_header,
        &scheme.sign(secret, &ordered, body),
    );
    headers
}

/// Headers of a fresh delivery signed with `secret` now: the timestamp header holds the
/// current time, every other signed header (nonce, delivery id) a value never given before.
pub fn hmac_sign(scheme: &HmacScheme, secret: &str, body: &[u8]) -> HeaderMap {
    hmac_sign_at(scheme, secret, body, SystemTime::now())
}

/// As [`hmac_sign`], signed at `time` (to test tolerances).
pub fn hmac_sign_at(scheme: &HmacScheme, secret: &str, body: &[u8], time: SystemTime) -> HeaderMap {
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let stamp_header = scheme.timestamp.map(|t| t.header);
    let values: Vec<(&str, String)> = scheme
        .signed_headers
        .iter()
        .map(|name| {
            let value = if Some(*name) == stamp_header {
                scheme.format_time(time).unwrap_or_default()
            } else {
                let n = COUNTER.fetch_add(1, Ordering::Relaxed);
                let nanos = SystemTime::now()
                    .duration_since(UNIX_EPOCH)
                    .map_or(0, |d| d.as_nanos());
                format!("test-{nanos:x}-{n}")
            };
            (*name, value)
        })
        .collect();
    let borrowed: Vec<(&str, &str)> = values.iter().map(|(n, v)| (*n, v.as_str())).collect();
    hmac_headers(scheme, secret, &borrowed, body)
}

/// A P-256 key for tests, derived from its `kid`: signs JWTs as a provider does, and gives
/// the key set (JWKS) to serve for them.
pub struct TestKey {
    kid: String,
    key: SigningKey,
}

impl TestKey {
    /// The key named `kid` (the same name always gives the same key).
    pub fn new(kid: &str) -> Self {
        let mut seed = Sha256::digest(kid.as_bytes());
        loop {
            if let Ok(key) = SigningKey::from_slice(&seed) {
                return Self {
                    kid: kid.to_owned(),
                    key,
                };
            }
            seed = Sha256::digest(seed);
        }
    }

    /// Its `kid`.
    pub fn kid(&self) -> &str {
        &self.kid
    }

    /// The key set holding its public half, as the provider's JWKS endpoint serves it.
    pub fn jwks(&self) -> serde_json::Value {
        Self::jwks_of(&[self])
    }

    /// The key set holding several keys' public halves.
    pub fn jwks_of(keys: &[&TestKey]) -> serde_json::Value {
        let keys: Vec<_> = keys
            .iter()
            .map(|k| {
                let point = k.key.verifying_key().to_encoded_point(false);
                serde_json::json!({
                    "kty": "EC",
                    "crv": "P-256",
                    "alg": "ES256",
                    "use": "sig",
                    "kid": k.kid,
                    "x": URL.encode(point.x().map(|x| &x[..]).unwrap_or_default()),
                    "y": URL.encode(point.y().map(|y| &y[..]).unwrap_or_default()),
                })
            })
            .collect();
        serde_json::json!({ "keys": keys })
    }

    /// A JWT with this JOSE header and these claims, signed with this key.
    pub fn jwt(&self, header: &serde_json::Value, claims: &serde_json::Value) -> String {
        let signed = format!(
            "{}.{}",
            URL.encode(header.to_string()),
            URL.encode(claims.to_string())
        );
        let signature: Signature = self.key.sign(signed.as_bytes());
        format!("{signed}.{}", URL.encode(signature.to_bytes()))
    }

    /// The headers of a delivery of `body` signed now, as the provider signs it: `iat` now,
    /// `exp` in five minutes, the body's hex SHA-256 in the scheme's claim.
    pub fn sign(&self, scheme: &JwtScheme, body: &[u8]) -> HeaderMap {
        self.sign_at(scheme, body, SystemTime::now())
    }

    /// As [`TestKey::sign`], issued at `time`.
    pub fn sign_at(&self, scheme: &JwtScheme, body: &[u8], time: SystemTime) -> HeaderMap {
        let iat = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let exp = iat + Duration::from_secs(300).as_secs();
        let mut claims = serde_json::json!({ "iat": iat, "exp": exp });
        claims[scheme.body_hash_claim] = hex::encode(Sha256::digest(body)).into();
        let header = serde_json::json!({ "alg": "ES256", "typ": "JWT", "kid": self.kid });
        let mut headers = HeaderMap::new();
        insert(&mut headers, scheme.header, &self.jwt(&header, &claims));
        headers
    }
}

impl std::fmt::Debug for TestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TestKey")
            .field("kid", &self.kid)
            .finish_non_exhaustive()
    }
}

fn insert(headers: &mut HeaderMap, name: &str, value: &str) {
    let name = HeaderName::from_bytes(name.as_bytes()).expect("a valid header name");
    let value = HeaderValue::from_str(value).expect("a valid header value");
    headers.insert(name, value);
}
