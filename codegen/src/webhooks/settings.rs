//! The settings' `webhooks` entry, typed: every closed set of values is an enum, so an
//! unknown algorithm, encoding or timestamp format is refused where the settings file says
//! it (a located error from the settings loader), never read as a default.
//!
//! ```yaml
//! webhooks:
//!   type_field: type            # the body field that names the event (absent: one event)
//!   data_field: data            # where the event's own fields are (absent: the whole body)
//!   envelope: WebhookEnvelope   # component schema of the fields every event shares
//!   verify:
//!     hmac: { algorithm: sha512, signature_header: X-Signature, separator: '|',
//!             signed_headers: [X-Timestamp, X-Nonce, X-Webhook-ID], encoding: hex,
//!             timestamp: { header: X-Timestamp, format: rfc3339 } }
//!     # jwt: { header: MoneyKit-Signature, algorithms: [ES256],
//!     #        body_hash_claim: request_body_sha256, jwks_operation: get_jwks }
//!     # inbound: {}             # credentials the integrator configures
//!   replay_key: { header: X-Nonce }     # or { body_field: webhook_idempotency_key }
//!   max_age_secs: 259200        # optional: refuse deliveries signed longer ago
//!   expose_headers: [MoneyKit-Delivery-Token]
//! ```

use serde::Deserialize;

/// A crate's webhooks: the envelope's shape and the verification scheme.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WebhookSettings {
    /// The body field that names the event type (absent: the spec declares one event).
    #[serde(default)]
    pub type_field: Option<String>,
    /// The body field that holds the event's own fields (absent: the whole body).
    #[serde(default)]
    pub data_field: Option<String>,
    /// The component schema of the fields every event shares.
    #[serde(default)]
    pub envelope: Option<String>,
    /// How deliveries are verified.
    pub verify: VerifySettings,
    /// Where a delivery's replay key is (absent: no replay guard).
    #[serde(default)]
    pub replay_key: Option<ReplayKeySettings>,
    /// Refuse deliveries signed longer ago than this many seconds (absent: any age).
    #[serde(default)]
    pub max_age_secs: Option<u64>,
    /// Delivery headers kept on the `Delivery`.
    #[serde(default)]
    pub expose_headers: Vec<String>,
}

/// How deliveries prove where they come from.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum VerifySettings {
    /// An HMAC of header values (and optionally the body).
    Hmac(HmacSettings),
    /// An ES256 JWT over the body's SHA-256, its key from the provider's JWKS.
    Jwt(JwtSettings),
    /// Credentials the integrator configured the provider to send.
    Inbound {},
}

/// An HMAC scheme (`finapi_runtime::webhook::HmacScheme`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HmacSettings {
    /// The hash under the HMAC.
    pub algorithm: HmacAlgorithm,
    /// The header that carries the signature.
    pub signature_header: String,
    /// The headers whose values are signed, in order.
    pub signed_headers: Vec<String>,
    /// What joins the signed values.
    pub separator: String,
    /// Whether the body follows the header values in the signed string.
    #[serde(default)]
    pub sign_body: bool,
    /// How the signature is written.
    pub encoding: SignatureEncoding,
    /// The header with the signing time.
    #[serde(default)]
    pub timestamp: Option<TimestampSettings>,
}

/// The hash under an HMAC (`finapi_runtime::webhook::HmacAlgorithm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum HmacAlgorithm {
    /// `sha256`
    Sha256,
    /// `sha512`
    Sha512,
}

/// How a signature header writes the MAC (`finapi_runtime::webhook::SignatureEncoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SignatureEncoding {
    /// `hex`
    Hex,
    /// `base64`
    Base64,
}

/// The header with the signing time.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimestampSettings {
    /// Its name.
    pub header: String,
    /// How it writes the time.
    pub format: TimestampFormat,
}

/// How a timestamp header writes the signing time
/// (`finapi_runtime::webhook::TimestampFormat`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TimestampFormat {
    /// `rfc3339`
    Rfc3339,
    /// `unix_seconds`
    UnixSeconds,
}

/// A JWT scheme (`finapi_runtime::webhook::JwtScheme`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwtSettings {
    /// The header that carries the JWT.
    pub header: String,
    /// The accepted `alg` values (the runtime verifies `ES256`).
    pub algorithms: Vec<JwtAlgorithm>,
    /// The claim with the body's hex SHA-256.
    pub body_hash_claim: String,
    /// The operation that fetches the key set (its parameters all optional).
    pub jwks_operation: String,
}

/// A JWT `alg` the runtime verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum JwtAlgorithm {
    /// ECDSA with P-256 and SHA-256.
    ES256,
}

impl JwtAlgorithm {
    /// As a JOSE header names it.
    pub fn as_str(self) -> &'static str {
        match self {
            JwtAlgorithm::ES256 => "ES256",
        }
    }
}

/// Where a delivery's replay key is.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ReplayKeySettings {
    /// A header.
    Header(String),
    /// A top-level string field of a signed body.
    BodyField(String),
}

#[cfg(test)]
mod tests {
    use super::*;

    /// As the settings loader reads them: YAML into JSON values, errors with their path.
    fn read(yaml: &str) -> std::result::Result<WebhookSettings, Refused> {
        let value: serde_json::Value = serde_yaml::from_str(yaml).expect("YAML");
        serde_path_to_error::deserialize(value)
            .map_err(|e| Refused(format!("{}: {}", e.path(), e.inner())))
    }

    /// Where and why settings were refused.
    #[derive(Debug)]
    struct Refused(String);

    impl std::ops::Deref for Refused {
        type Target = str;

        fn deref(&self) -> &str {
            &self.0
        }
    }

    #[test]
    fn an_unknown_value_is_refused_where_it_is_not_read_as_a_default() {
        let base = "verify: {hmac: {algorithm: sha256, signature_header: S, signed_headers: [T], separator: '.', encoding: hex, timestamp: {header: T, format: unix_seconds}}}";
        assert!(read(base).is_ok());
        for (from, to, at) in [
            ("sha256", "sha1", "verify.hmac.algorithm"),
            ("encoding: hex", "encoding: base32", "verify.hmac.encoding"),
            (
                "unix_seconds",
                "unix_millis",
                "verify.hmac.timestamp.format",
            ),
        ] {
            let err = read(&base.replace(from, to)).unwrap_err();
            assert!(err.starts_with(at), "{err:?}");
            assert!(err.contains("unknown variant"), "{err:?}");
        }
        let jwt = "verify: {jwt: {header: S, algorithms: [RS256], body_hash_claim: h, jwks_operation: keys}}";
        let err = read(jwt).unwrap_err();
        assert!(err.contains("unknown variant `RS256`"), "{err:?}");
    }
}
