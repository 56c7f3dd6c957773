//! The README section of webhooks: how a receiver verifies, handles and commits a delivery,
//! with the runtime's bounds (`runtime_bounds.rs`) in the prose.

use std::fmt::Write as _;

use super::model::WebhookModel;
use super::settings::{HmacAlgorithm, ReplayKeySettings, VerifySettings};
use crate::runtime_bounds::{
    JWKS_FAILURE_BACKOFF, JWKS_MAX_STALE, JWKS_REFETCH_INTERVAL, JWKS_TTL, REPLAY_GUARD_CAPACITY,
    WEBHOOK_LEEWAY, count, prose,
};

/// The webhooks section: how a receiver verifies, handles and commits a delivery.
pub(crate) fn readme(out: &mut String, hooks: Option<&WebhookModel>, krate: &str) {
    let Some(hooks) = hooks else { return };
    let settings = &hooks.settings;
    let (param, build, how) = match &settings.verify {
        VerifySettings::Hmac(h) => (
            "signing_secret: String".to_owned(),
            "webhooks::verifier(signing_secret)".to_owned(),
            format!(
                "`{}` is an HMAC-{} of the headers {} (joined by `{}`{}), compared in constant time.",
                h.signature_header,
                match h.algorithm {
                    HmacAlgorithm::Sha256 => "SHA256",
                    HmacAlgorithm::Sha512 => "SHA512",
                },
                crate::syntax::code_list(&h.signed_headers),
                h.separator,
                if h.sign_body { ", then the body" } else { "; **the body is not signed**: re-read the resource an event names before acting on its data" },
            ),
        ),
        VerifySettings::Jwt(j) => (
            format!("client: &{krate}::Client"),
            "webhooks::verifier(client)".to_owned(),
            format!(
                "`{header}` is an ES256 JWT, verified with the key its `kid` names from the provider's \
                 key set (fetched through the client with `{method}`, cached {ttl}, fetched again on \
                 an unknown `kid` at most every {refetch}); its `{claim}` claim must equal the body's \
                 SHA-256 (constant-time); its `iat` may lie at most {leeway} ahead (the leeway) and \
                 it passes until {leeway} after its `exp`. Key fetches happen in rounds: any number \
                 of concurrent deliveries wait on one fetch (with the client's retries) and get its \
                 result. During an outage of the key endpoint a failed fetch is remembered for \
                 {backoff}: until then deliveries get `WebhookError::KeyFetch` (answer 503) at once, \
                 without a request, so an outage costs at most one round per {backoff}; keys past \
                 their {ttl} keep verifying while refreshes fail, for at most {stale} more \
                 (`webhooks::keys(&client).ttl(..).failure_backoff(..).max_stale(..)` with \
                 `Verifier::jwt` changes these).",
                header = j.header,
                method = hooks.jwks_method.as_deref().unwrap_or_default(),
                claim = j.body_hash_claim,
                ttl = prose(JWKS_TTL),
                refetch = prose(JWKS_REFETCH_INTERVAL),
                leeway = prose(WEBHOOK_LEEWAY),
                backoff = prose(JWKS_FAILURE_BACKOFF),
                stale = prose(JWKS_MAX_STALE),
            ),
        ),
        VerifySettings::Inbound {} => (
            "password: String".to_owned(),
            "webhooks::verifier(webhooks::InboundAuth::basic(\"hooks\", password))".to_owned(),
            "The provider signs nothing: the verifier checks the credentials you configured it to \
             send (`InboundAuth::basic`, `bearer`, `header`, combined with `and`), in constant time. \
             Treat an event as a trigger and re-read the resource for its authoritative state."
                .to_owned(),
        ),
    };
    let first = match &settings.type_field {
        Some(_) => format!("Event::{}(data)", hooks.events[0].variant),
        None => "data".to_owned(),
    };
    let _ = write!(
        out,
        "\n## Webhooks\n\n\
         `{krate}::webhooks` (feature `webhooks`, off by default: turn it on where you receive \
         deliveries) verifies a delivery from its headers and raw body, then decodes it: {}. {how} A header the check reads (signature, signed \
         values, timestamp, credentials, replay key) that appears more than once is refused \
         (`WebhookError::RepeatedHeader`, answer 400), whichever of its values is genuine.\n\n",
        if settings.type_field.is_some() {
            "`Event` has a variant per event the spec declares and `Unknown { r#type, data }` for any other (never an error)".to_owned()
        } else {
            format!(
                "`Event` is the spec's one event, `{}`",
                hooks.events[0].wire
            )
        },
    );
    if let Some(key) = &settings.replay_key {
        let age = settings.max_age_secs;
        let key = match key {
            ReplayKeySettings::Header(h) => format!("header `{h}`"),
            ReplayKeySettings::BodyField(f) => format!("body field `{f}`"),
        };
        let _ = write!(
            out,
            "Replays: the {key} of a delivery is reserved while your handler runs and recorded only \
                 when you call `delivery.commit()`; a handler that fails (drops the delivery) leaves it \
                 free, so the provider's retry gets through, and a replay of a committed delivery is \
                 `WebhookError::Replayed` (answer 200: `e.status()` says so). The default guard is in \
                 memory ({} keys); behind several processes give `replay_guard` a shared \
                 `ReplayGuard`. {}\n\n",
            count(REPLAY_GUARD_CAPACITY),
            match age {
                Some(secs) => format!(
                    "Deliveries signed more than {secs} s ({} h) ago are refused (`max_age`, \
                         exactly: the clock leeway does not extend it), and so are deliveries signed \
                         more than {} ahead (`leeway`; `.leeway(Duration::ZERO)` makes that \
                         exact too): whether the provider signs a retry afresh is not documented, so \
                         the default outlasts its retries; if you confirm it does, \
                         `.max_age(Duration::from_secs(300))` narrows the window a stolen delivery can \
                         be replayed in.",
                    secs / 3600,
                    prose(WEBHOOK_LEEWAY),
                ),
                None => format!(
                    "No maximum age is set by default (a retry that keeps its first signature \
                     must pass); `.max_age(..)` sets one, exactly: a delivery passes when it was \
                     signed at most `max_age` ago and at most {} ahead (`leeway`).",
                    prose(WEBHOOK_LEEWAY)
                ),
            }
        );
    }
    let _ = write!(
        out,
        "```rust,no_run\n\
         # #[cfg(feature = \"webhooks\")]\n\
         # async fn receive({param}, headers: &finapi_runtime::export::HeaderMap, body: &[u8]) -> u16 {{\n\
         # #[allow(unused_imports)] use {krate}::webhooks::{{self, Event}};\n\
         let hooks = {build}; // once, at startup\n\
         let delivery = match hooks.verify(headers, body).await {{\n\
         \x20   Ok(delivery) => delivery,\n\
         \x20   Err(e) => return e.status(), // 4xx: refused; 200: a replay of a processed one\n\
         }};\n\
         #[allow(irrefutable_let_patterns)]\n\
         if let {first} = &delivery.event {{\n\
         \x20   let _ = data; // handle it\n\
         }}\n\
         match delivery.commit().await {{\n\
         \x20   Ok(_) => 200,\n\
         \x20   Err(e) => e.status(),\n\
         }}\n\
         # }}\n\
         ```\n\n\
         Tests sign deliveries as the provider does with `finapi_runtime::webhook::testing` \
         (`hmac_sign`, `TestKey::sign` and `TestKey::jwks` to serve) and `webhooks::SCHEME`.\n"
    );
}
