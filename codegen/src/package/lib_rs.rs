//! The crate's src/lib.rs: the README as its doc, the generated module, and what it
//! re-exports of the runtime.

use super::layout::Layout;
use crate::format::generated_line;

/// What a provider crate re-exports of the runtime: everything its README tells a user to
/// touch, so that the provider crate is the only dependency a user needs (`interceptor`: the
/// trait, what its hooks are told, and the request, header and status types they see; `env`:
/// reading arguments from the environment, as the examples do).
pub const REEXPORTS: &str = "pub use finapi_runtime::{
    ApiError, AuthError, AuthFailure, BuildError, CallOptions, Credentials,
    DEFAULT_CONNECT_TIMEOUT, DEFAULT_TIMEOUT, DecodeError, DecodeFailure, Error, FieldError,
    JsonKind, Multipart, OperationError, Problem, Response, ResponseMeta, RetryPolicy, Secret,
    TokenCredentials, TransportError, TransportKind, env, http_client_builder, interceptor, waiter,
};
";

pub(super) fn lib_rs(layout: &Layout) -> String {
    format!(
        "// {}\n\n#![doc = include_str!(\"../README.md\")]\n#![forbid(unsafe_code)]\n#![warn(missing_docs)]\n\n// prettyplease formats the generated code; rustfmt leaves it alone.\n#[rustfmt::skip]\nmod generated;\n\n{REEXPORTS}pub use generated::*;\n",
        generated_line(&layout.spec_label)
    )
}
