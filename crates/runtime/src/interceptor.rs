//! Interceptors: the caller's own code at three phases of every call, set once on the client
//! builder (`ClientBuilder::interceptor`): metrics, audit logs, a signing header.
//!
//! For each call, in this order:
//!
//! 1. [`Interceptor::before_send`], before each attempt is sent, with the request mutable
//!    (headers, URL, body). The `Authorization` header is not there unless the interceptor
//!    asks for it ([`Interceptor::sees_credentials`]); it is put back after.
//! 2. [`Interceptor::after_response`], when an attempt's response arrives (status and headers),
//!    before the call decides whether to retry and before decoding.
//! 3. [`Interceptor::after_call`], once, when the call has ended: its outcome (status or the
//!    kind of failure), how many attempts it made and how long it took.
//!
//! Several interceptors run in the order they were added, each hook awaited before the next.
//! A client without interceptors pays one empty-list check per phase.

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// The types the hooks see, so that an interceptor needs no direct `reqwest` dependency.
pub use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
pub use reqwest::{Request, StatusCode};

/// A hook's future: `Box::pin(async move { .. })`.
pub type Hook<'a> = Pin<Box<dyn Future<Output = ()> + Send + 'a>>;

/// What an interceptor is told of the call it runs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CallInfo {
    /// The spec's `operationId`.
    pub operation: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template (`/accounts/{accountID}`): never the path itself, which may carry
    /// personal data.
    pub path: &'static str,
    /// The attempt, from 1.
    pub attempt: u32,
}

/// How a call ended, for [`Interceptor::after_call`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOutcome {
    /// The status of the last response, where one arrived.
    pub status: Option<StatusCode>,
    /// Whether the call succeeded (a 2xx decoded as documented).
    pub succeeded: bool,
    /// The error's message where it failed (errors never quote bodies or secrets).
    pub error: Option<String>,
    /// Attempts sent.
    pub attempts: u32,
    /// From the call's start to its end.
    pub elapsed: Duration,
}

/// The caller's code at the phases of every call. Every hook has a default that does
/// nothing: implement those you need.
///
/// ```
/// use finapi_runtime::interceptor::{CallInfo, CallOutcome, Hook, Interceptor};
///
/// /// Logs every call's outcome and duration.
/// struct Metrics;
///
/// impl Interceptor for Metrics {
///     fn after_call<'a>(&'a self, call: &'a CallInfo, outcome: &'a CallOutcome) -> Hook<'a> {
///         Box::pin(async move {
///             println!(
///                 "{} {:?} in {:?} ({} attempts)",
///                 call.operation, outcome.status, outcome.elapsed, outcome.attempts
///             );
///         })
///     }
/// }
/// ```
pub trait Interceptor: Send + Sync + 'static {
    /// Before an attempt is sent: the request may be changed (a signing header, say).
    fn before_send<'a>(&'a self, call: &'a CallInfo, request: &'a mut Request) -> Hook<'a> {
        let _ = (call, request);
        Box::pin(async {})
    }

    /// When an attempt's response has arrived, before retrying or decoding.
    fn after_response<'a>(
        &'a self,
        call: &'a CallInfo,
        status: StatusCode,
        headers: &'a HeaderMap,
    ) -> Hook<'a> {
        let _ = (call, status, headers);
        Box::pin(async {})
    }

    /// Once the call has ended.
    fn after_call<'a>(&'a self, call: &'a CallInfo, outcome: &'a CallOutcome) -> Hook<'a> {
        let _ = (call, outcome);
        Box::pin(async {})
    }

    /// Whether [`Interceptor::before_send`] sees the `Authorization` header (a signature
    /// over it, say). Off by default: credentials are withheld.
    fn sees_credentials(&self) -> bool {
        false
    }
}
