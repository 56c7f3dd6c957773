//! The post-process side of webhooks: the crate's `webhooks` module (behind its `webhooks`
//! feature), from the [`WebhookModel`]: the scheme as a constant, `verifier(...)` that builds
//! a `finapi_runtime::webhook::Verifier` from it and the user's secret, client or
//! credentials, and `Event`, a variant per event the spec declares plus `Unknown`.
//! Verification, replay protection and decoding are the runtime's; this writes data and a
//! `match`.

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::Signature;

use super::model::WebhookModel;
use super::settings::{
    HmacAlgorithm, HmacSettings, JwtSettings, ReplayKeySettings, SignatureEncoding,
    TimestampFormat, VerifySettings,
};
use crate::error::{At, Result};
use crate::runtime_bounds::{
    JWKS_FAILURE_BACKOFF, JWKS_MAX_STALE, JWKS_REFETCH_INTERVAL, JWKS_TTL, prose,
};

/// The `webhooks` module, or nothing where the crate has no webhooks. `names` are the types
/// typify generated; `signatures` the client's methods; errors are located `at`.
pub(crate) fn module(
    hooks: Option<&WebhookModel>,
    signatures: &BTreeMap<String, Signature>,
    names: &BTreeSet<String>,
    at: At<'_>,
) -> Result<TokenStream> {
    let Some(hooks) = hooks else {
        return Ok(TokenStream::new());
    };
    let settings = &hooks.settings;
    let ty = |name: &str| -> Result<TokenStream> {
        if !names.contains(name) {
            return Err(at.error(format!("typify generated no type `{name}` for a webhook")));
        }
        let ident = format_ident!("{}", name);
        Ok(quote!(super::types::#ident))
    };
    let envelope = match &hooks.envelope {
        Some(name) => ty(name)?,
        None => quote!(::finapi_runtime::webhook::NoEnvelope),
    };
    let field = |f: &Option<String>| match f {
        Some(f) => quote!(::std::option::Option::Some(#f)),
        None => quote!(::std::option::Option::None),
    };
    let data_field = field(&settings.data_field);

    let event = match &settings.type_field {
        Some(type_field) => {
            let mut variants = Vec::new();
            let mut arms = Vec::new();
            let mut wires = Vec::new();
            for e in &hooks.events {
                let variant = format_ident!("{}", e.variant);
                let payload = ty(&e.type_name)?;
                let wire = &e.wire;
                let doc = if e.doc.is_empty() {
                    format!("`{wire}`.")
                } else {
                    format!("`{wire}`: {}", e.doc)
                };
                variants.push(quote!(#[doc = #doc] #variant(#payload)));
                arms.push(quote!(#wire => Self::#variant(::finapi_runtime::webhook::payload(body, #data_field)?)));
                wires.push(quote!(Self::#variant(_) => #wire));
            }
            let unknown_data = match &settings.data_field {
                Some(_) => quote!(::finapi_runtime::webhook::payload(body, #data_field)?),
                None => quote!(::finapi_runtime::webhook::payload(
                    body,
                    ::std::option::Option::None
                )?),
            };
            quote! {
                /// An event the provider delivers: a variant per event the spec declares, and
                /// `Unknown` for any other type (an event the provider adds is delivered, never
                /// an error).
                #[derive(Debug, Clone)]
                pub enum Event {
                    #(#variants,)*
                    /// An event type this crate does not know (yet): its type and its data as
                    /// received (`Debug` shows neither's content).
                    Unknown {
                        /// The event's type.
                        r#type: ::std::string::String,
                        /// Its data, raw JSON.
                        data: ::finapi_runtime::Unlisted,
                    },
                }

                impl Event {
                    /// The event's type, as the body names it.
                    pub fn event_type(&self) -> &str {
                        match self {
                            #(#wires,)*
                            Self::Unknown { r#type, .. } => r#type,
                        }
                    }
                }

                impl ::finapi_runtime::webhook::Events for Event {
                    fn decode(body: &[u8]) -> ::std::result::Result<Self, ::finapi_runtime::DecodeFailure> {
                        let kind = ::finapi_runtime::webhook::event_type(body, #type_field)?;
                        ::std::result::Result::Ok(match kind.as_str() {
                            #(#arms,)*
                            _ => Self::Unknown { r#type: kind, data: #unknown_data },
                        })
                    }
                }
            }
        }
        None => {
            let only = &hooks.events[0];
            let payload = ty(&only.type_name)?;
            let doc = format!("The event the provider delivers (`{}`).", only.wire);
            quote! {
                #[doc = #doc]
                pub type Event = #payload;

                impl ::finapi_runtime::webhook::Events for #payload {
                    fn decode(body: &[u8]) -> ::std::result::Result<Self, ::finapi_runtime::DecodeFailure> {
                        ::finapi_runtime::webhook::payload(body, #data_field)
                    }
                }
            }
        }
    };

    let (scheme, constructor) = match &settings.verify {
        VerifySettings::Hmac(h) => hmac(h),
        VerifySettings::Jwt(j) => jwt(j, hooks, signatures, at)?,
        VerifySettings::Inbound {} => (
            TokenStream::new(),
            (
                quote!(credentials: ::finapi_runtime::webhook::InboundAuth),
                quote!(::finapi_runtime::webhook::Verifier::inbound(credentials)),
                "the credentials you configured the provider to send",
            ),
        ),
    };
    let (params, build, what) = constructor;
    let mut options = Vec::new();
    if let Some(secs) = settings.max_age_secs {
        let secs = Literal::u64_unsuffixed(secs);
        options.push(quote!(.max_age(::std::time::Duration::from_secs(#secs))));
    }
    let replay_doc = match &settings.replay_key {
        Some(key) => {
            let (key, doc) = match key {
                ReplayKeySettings::Header(h) => (
                    quote!(::finapi_runtime::webhook::ReplayKey::Header(#h)),
                    format!("`{h}` header"),
                ),
                ReplayKeySettings::BodyField(f) => (
                    quote!(::finapi_runtime::webhook::ReplayKey::BodyField(#f)),
                    format!("`{f}` field"),
                ),
            };
            options.push(quote!(.replay_guard(#key, ::std::sync::Arc::new(::finapi_runtime::webhook::MemoryReplayGuard::default()))));
            format!(
                " A delivery whose {doc} was committed before is refused as a replay (an in-memory guard; give a shared one with `replay_guard`)."
            )
        }
        None => String::new(),
    };
    let exposed = &settings.expose_headers;
    if !exposed.is_empty() {
        options.push(quote!(.expose_headers(&[#(#exposed),*])));
    }
    let age_doc = match settings.max_age_secs {
        Some(secs) => format!(" Deliveries signed more than {secs} s ago are refused."),
        None => String::new(),
    };
    let doc = format!("A verifier of the provider's deliveries, from {what}.{age_doc}{replay_doc}");
    Ok(quote! {
        /// The provider's webhooks: verify a delivery, then decode its event.
        ///
        /// ```text
        /// let delivery = verifier.verify(&headers, &body).await?;
        /// // ... handle delivery.event ...
        /// delivery.commit().await?; // a replay of it is now refused
        /// ```
        #[cfg(feature = "webhooks")]
        pub mod webhooks {
            pub use ::finapi_runtime::webhook::{InboundAuth, WebhookError};

            #scheme

            /// The fields every event shares.
            pub type Envelope = #envelope;

            /// Verifies deliveries and decodes them into a [`Delivery`].
            pub type Webhooks = ::finapi_runtime::webhook::Verifier<Envelope, Event>;

            /// A verified delivery: its envelope, its event, and the receipt to commit.
            pub type Delivery = ::finapi_runtime::webhook::Delivery<Envelope, Event>;

            #[doc = #doc]
            pub fn verifier(#params) -> Webhooks {
                #build #(#options)*
            }

            #event
        }
    })
}

/// What a verifier's constructor takes, what it builds, and what the argument is.
type Constructor = (TokenStream, TokenStream, &'static str);

/// An HMAC scheme's constant and constructor.
fn hmac(h: &HmacSettings) -> (TokenStream, Constructor) {
    let algorithm = match h.algorithm {
        HmacAlgorithm::Sha256 => format_ident!("Sha256"),
        HmacAlgorithm::Sha512 => format_ident!("Sha512"),
    };
    let encoding = match h.encoding {
        SignatureEncoding::Hex => format_ident!("Hex"),
        SignatureEncoding::Base64 => format_ident!("Base64"),
    };
    let signature_header = &h.signature_header;
    let signed = &h.signed_headers;
    let separator = &h.separator;
    let sign_body = h.sign_body;
    let timestamp = match &h.timestamp {
        Some(t) => {
            let header = &t.header;
            let format = match t.format {
                TimestampFormat::Rfc3339 => format_ident!("Rfc3339"),
                TimestampFormat::UnixSeconds => format_ident!("UnixSeconds"),
            };
            quote!(::std::option::Option::Some(::finapi_runtime::webhook::TimestampHeader {
                header: #header,
                format: ::finapi_runtime::webhook::TimestampFormat::#format,
            }))
        }
        None => quote!(::std::option::Option::None),
    };
    (
        quote! {
            /// How the provider signs deliveries (an HMAC of these headers).
            pub const SCHEME: ::finapi_runtime::webhook::HmacScheme = ::finapi_runtime::webhook::HmacScheme {
                algorithm: ::finapi_runtime::webhook::HmacAlgorithm::#algorithm,
                signature_header: #signature_header,
                signed_headers: &[#(#signed),*],
                separator: #separator,
                sign_body: #sign_body,
                encoding: ::finapi_runtime::webhook::SignatureEncoding::#encoding,
                timestamp: #timestamp,
            };
        },
        (
            quote!(signing_secret: impl ::std::convert::Into<::finapi_runtime::Secret>),
            quote!(::finapi_runtime::webhook::Verifier::hmac(
                SCHEME,
                signing_secret
            )),
            "the webhook's signing secret",
        ),
    )
}

/// A JWT scheme's constant, its key set through the client, and its constructor.
fn jwt(
    j: &JwtSettings,
    hooks: &WebhookModel,
    signatures: &BTreeMap<String, Signature>,
    at: At<'_>,
) -> Result<(TokenStream, Constructor)> {
    let header = &j.header;
    let algorithms = j.algorithms.iter().map(|a| a.as_str());
    let claim = &j.body_hash_claim;
    let method = hooks.jwks_method.as_deref().unwrap_or_default();
    let sig = signatures.get(method).ok_or_else(|| {
        at.error(format!(
            "progenitor generated no method `{method}` for the key set"
        ))
    })?;
    let nones: Vec<TokenStream> = sig
        .inputs
        .iter()
        .skip(1)
        .map(|arg| match arg {
            syn::FnArg::Typed(t) if is_option(&t.ty) => Ok(quote!(::std::option::Option::None)),
            _ => Err(at.error(format!(
                "the key set's operation `{method}` has a required parameter"
            ))),
        })
        .collect::<Result<_>>()?;
    let method = format_ident!("{}", method);
    let keys_doc = format!(
        " The provider's signing keys, fetched through `client` in rounds (one fetch for \
                 every verification that waits on it): cached {}, fetched again on an unknown \
                 `kid` at most every {}, not at all for {} after a failed fetch; keys past their \
                 {} keep verifying while refreshes fail, for at most {} more (see \
                 [`::finapi_runtime::webhook::Jwks`]).",
        prose(JWKS_TTL),
        prose(JWKS_REFETCH_INTERVAL),
        prose(JWKS_FAILURE_BACKOFF),
        prose(JWKS_TTL),
        prose(JWKS_MAX_STALE),
    );
    Ok((
        quote! {
            /// How the provider signs deliveries (an ES256 JWT over the body's hash).
            pub const SCHEME: ::finapi_runtime::webhook::JwtScheme = ::finapi_runtime::webhook::JwtScheme {
                header: #header,
                algorithms: &[#(#algorithms),*],
                body_hash_claim: #claim,
            };

            #[doc = #keys_doc]
            pub fn keys(client: &super::Client) -> ::finapi_runtime::webhook::Jwks {
                let client = client.clone();
                ::finapi_runtime::webhook::Jwks::fetched_with(::std::sync::Arc::new(move || {
                    let client = client.clone();
                    ::std::boxed::Box::pin(async move {
                        let set = client.#method(#(#nones),*).await?.into_inner();
                        ::std::result::Result::Ok(::serde_json::to_value(set)?)
                    })
                }))
            }
        },
        (
            quote!(client: &super::Client),
            quote!(::finapi_runtime::webhook::Verifier::jwt(
                SCHEME,
                keys(client)
            )),
            "a client (it fetches the provider's signing keys)",
        ),
    ))
}

/// Whether a parameter's type is an `Option<..>` (the caller may leave it out).
fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == "Option"))
}
