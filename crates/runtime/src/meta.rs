//! Layer 2 of the runtime, errors: what is known of any response, which every error built from
//! a response keeps. Imports only layer 1 (secrets and redaction).

use std::fmt;

use bytes::Bytes;
use http::{HeaderMap, StatusCode};

use crate::secret::BodySummary;

/// Whether a status says that the same request may succeed later: 408, 429, 502, 503, 504.
pub(crate) fn retryable_status(status: StatusCode) -> bool {
    matches!(status.as_u16(), 408 | 429 | 502 | 503 | 504)
}

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
        }
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

    /// The response body exactly as received.
    pub fn raw_body(&self) -> &Bytes {
        &self.body
    }

    /// Whether sending the same request later may succeed: 408, 429, 502, 503, 504.
    pub fn is_retryable(&self) -> bool {
        retryable_status(self.status)
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
