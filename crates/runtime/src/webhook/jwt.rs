//! Signatures that are a JWT over the body's hash: MoneyKit's scheme. The JWT (ES256, JWS
//! compact form) names its key by `kid`, which [`Jwks`] (`jwks.rs`) holds. Signature checks
//! are RustCrypto's `p256`; the body hash is compared in constant time (`subtle`).

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use http::HeaderMap;
use p256::ecdsa::Signature;
use p256::ecdsa::signature::Verifier as _;
use serde::Deserialize;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::jwks::Jwks;
use super::{WebhookError, header};

/// A JWT signature scheme: the header that carries the JWT, the algorithms accepted, and the
/// claim that holds the body's hex SHA-256. Generated crates hold their provider's as
/// `webhooks::SCHEME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct JwtScheme {
    /// The header that carries the JWT.
    pub header: &'static str,
    /// The `alg` values accepted (this runtime verifies `ES256`; anything else is refused).
    pub algorithms: &'static [&'static str],
    /// The claim that holds the hex SHA-256 of the raw body.
    pub body_hash_claim: &'static str,
}

/// What a verified JWT says of time.
pub(super) struct Times {
    pub(super) issued_at: Option<SystemTime>,
    pub(super) expires_at: Option<SystemTime>,
    pub(super) not_before: Option<SystemTime>,
}

#[derive(Deserialize)]
struct JoseHeader {
    alg: String,
    kid: Option<String>,
}

impl JwtScheme {
    /// Checks the JWT's signature with the key it names, and the body hash it vouches for.
    pub(super) async fn verify(
        &self,
        keys: &Jwks,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<Times, WebhookError> {
        let token = header(headers, self.header)?.trim();
        let invalid = || WebhookError::InvalidHeader {
            name: self.header.to_owned(),
            expected: "a JWS compact JWT",
        };
        let mut parts = token.split('.');
        let (Some(head), Some(claims), Some(signature), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(invalid());
        };
        let head: JoseHeader = decode_json(head).ok_or_else(invalid)?;
        if head.alg != "ES256" || !self.algorithms.contains(&head.alg.as_str()) {
            return Err(WebhookError::UnsupportedAlgorithm);
        }
        let kid = head.kid.ok_or_else(invalid)?;
        let signature = URL
            .decode(signature)
            .ok()
            .and_then(|bytes| Signature::from_slice(&bytes).ok())
            .ok_or(WebhookError::BadSignature)?;
        let key = keys.key(&kid).await?;
        let signed = &token[..token.rfind('.').unwrap_or(0)];
        key.verify(signed.as_bytes(), &signature)
            .map_err(|_| WebhookError::BadSignature)?;

        let claims: serde_json::Map<String, serde_json::Value> =
            decode_json(claims).ok_or_else(invalid)?;
        let hash = claims
            .get(self.body_hash_claim)
            .and_then(|v| v.as_str())
            .and_then(|hex_hash| hex::decode(hex_hash).ok())
            .ok_or(WebhookError::BodyHashMismatch)?;
        let actual = Sha256::digest(body);
        // Invariant (webhooks are verified in constant time): subtle compares the hashes.
        if !bool::from(actual[..].ct_eq(&hash)) {
            return Err(WebhookError::BodyHashMismatch);
        }
        let time = |name: &str| {
            claims
                .get(name)
                .and_then(|v| v.as_f64())
                .filter(|secs| secs.is_finite() && *secs >= 0.0)
                .map(|secs| UNIX_EPOCH + Duration::from_secs_f64(secs.min(1e12)))
        };
        Ok(Times {
            issued_at: time("iat"),
            expires_at: time("exp"),
            not_before: time("nbf"),
        })
    }
}

pub(super) const URL: base64::engine::GeneralPurpose = base64::engine::GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    base64::engine::GeneralPurposeConfig::new()
        .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
        .with_encode_padding(false),
);

fn decode_json<T: serde::de::DeserializeOwned>(part: &str) -> Option<T> {
    serde_json::from_slice(&URL.decode(part).ok()?).ok()
}
