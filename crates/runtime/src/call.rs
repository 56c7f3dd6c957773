//! Layer 5 of the runtime, the call engine: one call of a generated method, from its span to
//! its typed result.
//!
//! [`call`] runs progenitor's raw method (which builds the request and calls
//! [`Runtime::prepare`] and [`Runtime::execute`] through its hooks) inside a *call state*: the
//! call's deadline, whether a request went out and whether it was safe to repeat, and a
//! credentials failure kept typed. The hooks read and write it; [`call`] turns progenitor's
//! result into [`Error`] with it, reads the whole body, and hands it to the generated decoder.

use std::sync::Arc;
use std::time::Instant;

use bytes::{Bytes, BytesMut};
use futures_util::StreamExt;
use http::{HeaderMap, StatusCode};
use progenitor_client::{ByteStream, ResponseValue};
use tracing::Instrument;

use crate::call_state::CallState;
use crate::error::{Error, TransportError};
use crate::response::{RawResponse, Response};
use crate::runtime::Runtime;

/// What the generated code tells the runtime about one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`: in spans and error messages.
    pub id: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
}

/// The tracing span of one call: operation id, method, path template; status, request id and
/// attempt are recorded as they become known. Never a header value, a body or a secret.
pub fn call_span(
    operation: &'static str,
    method: &'static str,
    path: &'static str,
) -> tracing::Span {
    tracing::info_span!(
        "finapi.call",
        operation,
        method,
        path,
        status = tracing::field::Empty,
        request_id = tracing::field::Empty,
        attempt = tracing::field::Empty,
    )
}

/// Runs one call: `send` is progenitor's raw method (not yet polled), `decode` the
/// operation's generated decoder. The whole call, retries, waits and token requests
/// included, ends by its deadline ([`crate::RetryPolicy::max_elapsed`] from now).
// Invariant (one span per call): the span wraps the whole call.
// Invariant (one deadline per call): the whole call is bounded by its deadline; `execute`
// gives each attempt the smaller of the request timeout and the time left.
pub async fn call<T, E, B, F>(
    runtime: &Runtime,
    operation: Operation,
    send: F,
    decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
) -> Result<Response<T>, Error<E>>
where
    B: RawBody,
    F: Future<Output = Result<ResponseValue<ByteStream>, progenitor_client::Error<B>>>,
{
    let span = call_span(operation.id, operation.method, operation.path);
    let state = Arc::new(CallState::new(
        operation.id,
        Instant::now() + runtime.retry().max_elapsed,
    ));
    let work = state.clone().scope(async {
        let result = send.await;
        let raw = collect(runtime, &state, result).await?;
        decode(raw)
    });
    let deadline = tokio::time::Instant::from_std(state.deadline);
    match tokio::time::timeout_at(deadline, work)
        .instrument(span)
        .await
    {
        Ok(result) => result,
        Err(_) => Err(Error::Transport(TransportError::deadline(
            operation.id,
            state.retry_safe(),
        ))),
    }
}

/// A body type progenitor's raw methods return: a byte stream, or `()` for an operation that
/// documents no error response (progenitor then never returns an error body).
pub trait RawBody {
    /// Reads the whole body.
    fn read_all(self) -> impl Future<Output = reqwest::Result<Bytes>> + Send;
}

impl RawBody for ByteStream {
    async fn read_all(self) -> reqwest::Result<Bytes> {
        let mut stream = self.into_inner();
        let mut body = BytesMut::new();
        while let Some(chunk) = stream.next().await {
            body.extend_from_slice(&chunk?);
        }
        Ok(body.freeze())
    }
}

impl RawBody for () {
    async fn read_all(self) -> reqwest::Result<Bytes> {
        Ok(Bytes::new())
    }
}

async fn read_value<B: RawBody>(
    value: ResponseValue<B>,
) -> reqwest::Result<(StatusCode, HeaderMap, Bytes)> {
    let status = value.status();
    let headers = value.headers().clone();
    let body = value.into_inner().read_all().await?;
    Ok((status, headers, body))
}

/// Reads the whole response of a raw call, or turns its failure into an [`Error`].
async fn collect<E, B: RawBody>(
    runtime: &Runtime,
    state: &CallState,
    result: Result<ResponseValue<ByteStream>, progenitor_client::Error<B>>,
) -> Result<RawResponse, Error<E>> {
    use progenitor_client::Error as P;
    let operation = state.operation;
    let transport =
        |source| Error::Transport(TransportError::new(operation, source, state.retry_safe()));
    let (status, headers, body) = match result {
        Ok(value) => read_value(value).await.map_err(transport)?,
        Err(P::ErrorResponse(value)) => read_value(value).await.map_err(transport)?,
        Err(P::UnexpectedResponse(response)) => {
            let status = response.status();
            let headers = response.headers().clone();
            let body = response.bytes().await.map_err(transport)?;
            (status, headers, body)
        }
        Err(P::CommunicationError(e) | P::ResponseBodyError(e) | P::InvalidUpgrade(e)) => {
            return Err(transport(e));
        }
        Err(P::InvalidRequest(message)) => {
            return Err(Error::InvalidRequest { operation, message });
        }
        Err(P::Custom(message)) => {
            // `prepare` failed: on credentials (kept typed), or on what the generated code
            // gave it.
            return Err(match state.take_auth_error() {
                Some(auth) => Error::Auth(auth),
                None => Error::InvalidRequest { operation, message },
            });
        }
        Err(P::InvalidResponsePayload(_, e)) => {
            // Generated code never asks progenitor to decode; keep the message if it does.
            return Err(Error::InvalidRequest {
                operation,
                message: format!("unexpected decode by the raw client: {e}"),
            });
        }
    };
    let request_id = headers
        .get(runtime.request_id_header())
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let span = tracing::Span::current();
    span.record("status", status.as_u16());
    if let Some(id) = &request_id {
        span.record("request_id", id.as_str());
    }
    Ok(RawResponse::new(
        operation, status, headers, request_id, body,
    ))
}
