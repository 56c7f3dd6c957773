//! Layer 2 of the runtime, errors: what is known of any response, which every error built from
//! a response keeps. Imports layer 1 (secrets and redaction) and the retry rule (`classify`).

use std::fmt;
use std::time::SystemTime;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::classify::{Outcome, classify};
use crate::secret::BodySummary;

/// What is known of any response: the operation it answers, its status, request id, headers
/// and body exactly as received. Every error built from a response derefs to it.
///
/// `Debug` and `Display` show the operation, status and request id, and the body's size:
/// never the body or a header value, which may hold personal data.
#[derive(Clone)]
pub struct ResponseMeta {
    operation: &'static str,
    status: StatusCode,
    request_id: Option<String>,
    headers: HeaderMap,
    body: Bytes,
    /// Whether the request it answers was safe to send twice.
    repeatable: bool,
}

impl ResponseMeta {
    /// Assembles the metadata of a response (for tests and custom transports).
    pub fn new(
        operation: &'static str,
        status: StatusCode,
        headers: HeaderMap,
        request_id: Option<String>,
        body: Bytes,
    ) -> Self {
        Self {
            operation,
            status,
            request_id,
            headers,
            body,
            repeatable: false,
        }
    }

    /// Records whether the request it answers was safe to send twice (an idempotent method,
    /// an idempotency key), for [`ResponseMeta::is_retryable`].
    pub(crate) fn with_repeatable(mut self, repeatable: bool) -> Self {
        self.repeatable = repeatable;
        self
    }

    /// The `operationId` of the operation that was called.
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The provider's request id, if the response carried one. Support asks for it.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The headers the spec documents on the operation's responses, typed: the generated
    /// `<Operation>Headers` (`error.headers_as::<CreatePaymentHeaders>()`).
    pub fn headers_as<H: crate::FromHeaders>(&self) -> H {
        H::from_headers(&self.headers)
    }

    /// The response body exactly as received.
    pub fn raw_body(&self) -> &Bytes {
        &self.body
    }

    /// Whether sending the same request later may succeed, by the rule every retry follows
    /// (`classify.rs`): a 429, or a 408, 502, 503 or 504 answering a request that was
    /// safe to send twice (never a POST without an idempotency key, which a gateway may have
    /// passed on).
    pub fn is_retryable(&self) -> bool {
        classify(
            Outcome::Response(self.status, &self.headers),
            self.repeatable,
            SystemTime::now(),
        )
        .is_retry()
    }

    pub(crate) fn into_parts(self) -> (StatusCode, HeaderMap, Option<String>, Bytes) {
        (self.status, self.headers, self.request_id, self.body)
    }
}

impl fmt::Debug for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResponseMeta")
            .field("operation", &self.operation)
            .field("status", &self.status)
            .field("request_id", &self.request_id)
            .field("body", &BodySummary::new::<Bytes>(self.body.len()))
            .finish_non_exhaustive()
    }
}

impl fmt::Display for ResponseMeta {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        // The body is left out on purpose: it may hold personal data.
        write!(f, "{}: status {}", self.operation, self.status)?;
        if let Some(id) = &self.request_id {
            write!(f, " (request id {id})")?;
        }
        Ok(())
    }
}
