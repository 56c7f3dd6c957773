//! Shared runtime of the generated fintech API clients.
//!
//! Every generated provider crate depends on this crate for what all providers share:
//! credentials and their redaction ([`Credentials`], [`Secret`]), the request preparation
//! that progenitor's generated code calls before sending ([`Runtime`]), client configuration
//! ([`ClientConfig`]), and the typed response and error plumbing ([`Response`], [`ApiError`],
//! [`Error`]). Nothing in here is specific to one provider: per-provider policy arrives as
//! data from the generated code.

#![warn(missing_docs)]

mod auth;
mod config;
mod env;
mod error;
mod response;
mod secret;
mod token;

pub use auth::{Credentials, OperationSecurity, Scheme};
pub use config::{
    Api, ClientConfig, DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, OperationServer, Runtime,
};
pub use env::{env_arg, env_optional_arg, env_var};
pub use error::{BuildError, DecodeError, Error, ErrorResponse, TransportError};
pub use response::{ApiError, RawBody, RawResponse, Response, collect};
pub use secret::{REDACTED, Secret};
pub use token::{Expiry, TokenCredentials, TokenEndpoint, TokenField};

/// Re-exports that generated code names by path, so generated crates need no direct
/// dependency on them.
pub mod export {
    pub use bytes::Bytes;
    pub use http::{HeaderMap, StatusCode};
    pub use progenitor_client;
    pub use reqwest;
}
