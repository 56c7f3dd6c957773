//! Shared runtime of the generated fintech API clients.
//!
//! Every generated provider crate depends on this crate for what all providers share:
//! credentials and their redaction ([`Credentials`], [`Secret`]), typed responses and errors
//! ([`Response`], [`ApiError`], [`Error`]), client configuration ([`ClientConfig`],
//! [`RetryPolicy`]), and the call engine every generated method runs in ([`call`],
//! [`Runtime`]): request preparation, retries within a deadline, token sources. Nothing in
//! here is specific to one provider: per-provider policy arrives as data from the generated
//! code.
//!
//! The modules are layered in one direction, each importing only those before it:
//!
//! 1. secrets and redaction: `secret`
//! 2. errors: `classify` (the one retry rule), `meta`, `decode_error`, `error`
//! 3. responses: `response` (and `de`, `ser`, `query`, `multipart`, `env`, which import
//!    nothing)
//! 4. configuration: `auth`, `token`, `retry`, `tls`, `config`, `generated` (the macros
//!    generated crates invoke)
//! 5. the call engine: `probe` (phase marks for benchmarks), `token_source`, `runtime`,
//!    `call` (one call, start to end, in one file)

#![warn(missing_docs)]

mod auth;
mod builder;
mod call;
mod classify;
mod config;
pub mod de;
mod decode_error;
pub mod env;
mod error;
mod generated;
pub mod interceptor;
mod meta;
#[cfg(feature = "mock")]
pub mod mock;
mod multipart;
mod options;
pub mod pagination;
mod path;
#[cfg(feature = "probe")]
pub mod probe;
#[cfg(not(feature = "probe"))]
mod probe;
mod query;
mod response;
mod retry;
mod runtime;
mod secret;
pub mod ser;
mod tls;
mod token;
mod token_source;
mod typed_headers;
pub mod waiter;
#[cfg(feature = "webhooks")]
pub mod webhook;

pub use auth::{Credentials, OperationSecurity, Scheme};
pub use builder::FieldError;
pub use call::{Operation, call, call_span};
pub use config::{Api, ClientConfig, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, OperationServer};
pub use de::Unlisted;
pub use decode_error::{DecodeError, DecodeFailure, JsonKind, Problem};
pub use env::{env_arg, env_optional_arg, env_optional_or, env_or, env_var};
pub use error::{
    ApiError, AuthError, AuthFailure, BuildError, Error, OperationError, TransportError,
    TransportKind,
};
pub use interceptor::{CallInfo, CallOutcome, Hook, Interceptor};
pub use meta::ResponseMeta;
pub use multipart::Multipart;
pub use options::CallOptions;
pub use pagination::Paginated;
pub use path::encode_path;
pub use query::DeepObject;
pub use response::{RawResponse, Response};
pub use retry::RetryPolicy;
pub use runtime::Runtime;
pub use secret::{REDACTED, Redacted, Secret};
pub use tls::http_client_builder;
pub use token::{Expiry, TokenCredentials, TokenEndpoint, TokenErrorDecoder, TokenField};
pub use typed_headers::{FromHeaders, header_value};

/// The README's code blocks, compiled and run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;

/// Re-exports that generated code names by path, so generated crates need no direct
/// dependency on them.
pub mod export {
    pub use bytes::Bytes;
    pub use http::{HeaderMap, StatusCode};
    pub use progenitor_client;
    pub use reqwest;
}

/// serde, for the impls `open_enum!` writes in generated crates.
#[doc(hidden)]
pub use serde as __serde;

/// What the setters `body_builder!` writes call; not meant to be named otherwise.
#[doc(hidden)]
pub mod __builder {
    pub use crate::builder::{set, set_list};
}

/// Hooks for tests and fuzzers of the generated crates; not part of the supported API.
#[doc(hidden)]
pub mod testing {
    /// Every way an error prints: `Display`, `Debug`, alternate `Debug`, and the same for each
    /// error of its `source()` chain, one per line.
    pub fn report(error: &(dyn std::error::Error + 'static)) -> String {
        let mut text = format!("{error}\n{error:?}\n{error:#?}");
        let mut source = error.source();
        while let Some(s) = source {
            text.push_str(&format!("\n{s}\n{s:?}"));
            source = s.source();
        }
        text
    }

    /// A decoding's outcome as the generated `testing::decode` reports it: `Ok(())` for a
    /// success, every way the error prints otherwise.
    pub fn outcome<T, E: std::error::Error + 'static>(
        result: Result<crate::Response<T>, crate::Error<E>>,
    ) -> Result<(), String> {
        result.map(|_| ()).map_err(|e| report(&e))
    }

    /// How many times this process has read the system's CA roots.
    pub fn tls_root_loads() -> usize {
        crate::tls::root_loads()
    }
}
