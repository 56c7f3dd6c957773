//! The normalize side of webhooks: the spec's events (`webhooks` in OpenAPI 3.1, moved to
//! `x-webhooks` by the document rewrite, or `x-webhooks` in 3.0: a map from the event's type
//! to a path item whose `post` request body is the event's schema), checked with the
//! settings into a [`WebhookModel`].

use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;

use super::model::{EventModel, WebhookModel};
use super::settings::{ReplayKeySettings, VerifySettings, WebhookSettings};
use crate::error::{Error, Result, Stage, pointer};
use crate::names;

/// Reads the spec's events and checks the settings against the spec.
/// `method_of` gives the method name of the operation with an `operationId` (the key set's
/// operation, for a JWT scheme), `None` where the spec has none.
pub(crate) fn check(
    spec: &OpenAPI,
    settings: Option<&WebhookSettings>,
    method_of: &dyn Fn(&str) -> Option<String>,
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
    // The closed sets (algorithms, encodings, formats) are enums the settings loader has
    // checked already; what is left is how the values fit together and fit the spec.
    let jwks_method = match &settings.verify {
        VerifySettings::Hmac(h) => {
            if h.signed_headers.is_empty() && !h.sign_body {
                return Err(in_settings("verify", "an HMAC that signs nothing".into()));
            }
            None
        }
        VerifySettings::Jwt(j) => {
            if j.algorithms.is_empty() {
                return Err(in_settings(
                    "verify",
                    "a JWT scheme needs the algorithms it accepts (ES256)".into(),
                ));
            }
            Some(method_of(&j.jwks_operation).ok_or_else(|| {
                in_settings(
                    "verify",
                    format!("the spec has no operation {:?}", j.jwks_operation),
                )
            })?)
        }
        VerifySettings::Inbound {} => None,
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
