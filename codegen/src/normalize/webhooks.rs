//! Webhooks, declared as data: the events are the spec's (`webhooks` in OpenAPI 3.1, moved to
//! `x-webhooks` by the document rewrite, or `x-webhooks` in 3.0: a map from the event's type
//! to a path item whose `post` request body is the event's schema), the verification scheme
//! and the envelope's shape are the settings' `webhooks` entry. This module checks both into
//! the model's [`WebhookModel`]; `postprocess/layer/webhooks.rs` writes the crate's
//! `webhooks` module from it, over `finapi_runtime::webhook`.
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

use std::path::Path;

use openapiv3::OpenAPI;
use serde::Deserialize;
use serde_json::Value;

use crate::error::{Error, Result, Stage, pointer};
use crate::model::{EventModel, WebhookModel};
use crate::names;

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
    /// `sha256` or `sha512`.
    pub algorithm: String,
    /// The header that carries the signature.
    pub signature_header: String,
    /// The headers whose values are signed, in order.
    pub signed_headers: Vec<String>,
    /// What joins the signed values.
    pub separator: String,
    /// Whether the body follows the header values in the signed string.
    #[serde(default)]
    pub sign_body: bool,
    /// `hex` or `base64`.
    pub encoding: String,
    /// The header with the signing time.
    #[serde(default)]
    pub timestamp: Option<TimestampSettings>,
}

/// The header with the signing time.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TimestampSettings {
    /// Its name.
    pub header: String,
    /// `rfc3339` or `unix_seconds`.
    pub format: String,
}

/// A JWT scheme (`finapi_runtime::webhook::JwtScheme`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JwtSettings {
    /// The header that carries the JWT.
    pub header: String,
    /// The accepted `alg` values.
    pub algorithms: Vec<String>,
    /// The claim with the body's hex SHA-256.
    pub body_hash_claim: String,
    /// The operation that fetches the key set (its parameters all optional).
    pub jwks_operation: String,
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

/// Reads the spec's events and checks the settings against the spec.
pub(crate) fn webhooks(
    spec: &OpenAPI,
    settings: Option<&WebhookSettings>,
    operations: &[crate::model::OperationModel],
    file: &Path,
    settings_file: &Path,
) -> Result<Option<WebhookModel>> {
    let Some(settings) = settings else {
        return Ok(None);
    };
    let in_settings = |field: &str, message: String| {
        Error::at(
            Stage::Normalize,
            settings_file,
            pointer(["webhooks", field]),
            message,
        )
    };
    let Some(Value::Object(hooks)) = spec.extensions.get("x-webhooks") else {
        return Err(Error::at(
            Stage::Normalize,
            file,
            "",
            "the settings declare webhooks but the spec has no `webhooks` (3.1) or `x-webhooks` map",
        ));
    };
    let schemas = spec.components.as_ref().map(|c| &c.schemas);
    let has_schema = |name: &str| schemas.is_some_and(|s| s.contains_key(name));
    let mut events: Vec<EventModel> = Vec::new();
    for (wire, item) in hooks {
        let at = pointer(["x-webhooks", wire, "post", "requestBody"]);
        let located = |message: String| Error::at(Stage::Normalize, file, &at, message);
        let post = item
            .get("post")
            .ok_or_else(|| located("a webhook needs a `post`".into()))?;
        let reference = post
            .pointer("/requestBody/content/application~1json/schema/$ref")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                located("the event's body must be application/json with a `$ref` schema".into())
            })?;
        let schema = reference
            .strip_prefix("#/components/schemas/")
            .filter(|name| has_schema(name))
            .ok_or_else(|| located(format!("{reference:?} is no component schema")))?;
        let variant = names::pascal(wire);
        if variant.is_empty() || variant == "Unknown" {
            return Err(located(format!(
                "the event {wire:?} has no usable Rust name"
            )));
        }
        if let Some(other) = events.iter().find(|e| e.variant == variant) {
            return Err(located(format!(
                "the events {:?} and {wire:?} have the same Rust name {variant}",
                other.wire
            )));
        }
        let doc = ["summary", "description"]
            .iter()
            .find_map(|k| post.get(*k).and_then(Value::as_str))
            .unwrap_or_default()
            .to_owned();
        events.push(EventModel {
            wire: wire.clone(),
            variant,
            type_name: names::pascal(schema),
            doc,
        });
    }
    if events.is_empty() {
        return Err(Error::at(
            Stage::Normalize,
            file,
            "/x-webhooks",
            "the spec declares no webhook",
        ));
    }
    if settings.type_field.is_none() && events.len() > 1 {
        return Err(in_settings(
            "type_field",
            format!(
                "{} events need a type_field that tells them apart",
                events.len()
            ),
        ));
    }
    let envelope = match &settings.envelope {
        Some(name) if !has_schema(name) => {
            return Err(in_settings(
                "envelope",
                format!("the spec has no schema {name:?}"),
            ));
        }
        Some(name) => Some(names::pascal(name)),
        None => None,
    };
    match &settings.verify {
        VerifySettings::Hmac(h) => {
            if !["sha256", "sha512"].contains(&h.algorithm.as_str()) {
                return Err(in_settings(
                    "verify",
                    format!("unknown HMAC algorithm {:?}", h.algorithm),
                ));
            }
            if !["hex", "base64"].contains(&h.encoding.as_str()) {
                return Err(in_settings(
                    "verify",
                    format!("unknown encoding {:?}", h.encoding),
                ));
            }
            if let Some(t) = &h.timestamp
                && !["rfc3339", "unix_seconds"].contains(&t.format.as_str())
            {
                return Err(in_settings(
                    "verify",
                    format!("unknown timestamp format {:?}", t.format),
                ));
            }
            if h.signed_headers.is_empty() && !h.sign_body {
                return Err(in_settings("verify", "an HMAC that signs nothing".into()));
            }
        }
        VerifySettings::Jwt(j) => {
            if !j.algorithms.iter().any(|a| a == "ES256") {
                return Err(in_settings(
                    "verify",
                    "the runtime verifies ES256 JWTs only".into(),
                ));
            }
            if !operations.iter().any(|op| op.id == j.jwks_operation) {
                return Err(in_settings(
                    "verify",
                    format!("the spec has no operation {:?}", j.jwks_operation),
                ));
            }
        }
        VerifySettings::Inbound {} => {}
    }
    let jwks_method = match &settings.verify {
        VerifySettings::Jwt(j) => operations
            .iter()
            .find(|op| op.id == j.jwks_operation && op.alternate_of.is_none())
            .map(|op| op.fn_name.clone()),
        _ => None,
    };
    if let (Some(ReplayKeySettings::BodyField(_)), VerifySettings::Hmac(h)) =
        (&settings.replay_key, &settings.verify)
        && !h.sign_body
    {
        return Err(in_settings(
            "replay_key",
            "a body field is no replay key where the body is not signed".into(),
        ));
    }
    Ok(Some(WebhookModel {
        events,
        settings: settings.clone(),
        envelope,
        jwks_method,
    }))
}
