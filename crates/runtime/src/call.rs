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

use bytes::Bytes;
use tracing::Instrument;

use crate::call_state::CallState;
use crate::error::{Error, TransportError};
use crate::probe::{self, Phase};
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

/// Runs one call: `send` makes the raw method's future, which hands back the response as it
/// came; `decode` is the operation's generated decoder, which matches its statuses. The whole
/// call, retries, waits and token requests included, ends by its deadline
/// ([`crate::RetryPolicy::max_elapsed`] from now).
///
/// The raw method's future (kilobytes: the request, the hooks, the HTTP exchange) is made in
/// place, inside one allocation: the call's own future stays a few hundred bytes, so moving
/// it (into the caller's future, into a task) copies little. Passed as a future, it was
/// copied into every layer around it (call state, deadline, span): Moov's linkBankAccount
/// call was an 18,872-byte future, against 384 now.
// Invariant (one span per call): the span wraps the whole call.
// Invariant (one deadline per call): the whole call is bounded by its deadline; `execute`
// gives each attempt the smaller of the request timeout and the time left.
pub async fn call<T, E, S, F>(
    runtime: &Runtime,
    operation: Operation,
    send: S,
    decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
) -> Result<Response<T>, Error<E>>
where
    S: FnOnce() -> F,
    F: Future<Output = Result<reqwest::Response, progenitor_client::Error<()>>>,
{
    probe::mark(Phase::Span);
    let span = call_span(operation.id, operation.method, operation.path);
    let state = Arc::new(CallState::new(
        operation.id,
        Instant::now() + runtime.retry().max_elapsed,
    ));
    let work = Box::pin(state.clone().scope(async {
        probe::mark(Phase::Build);
        let result = send().await;
        probe::mark(Phase::Collect);
        let raw = collect(runtime, &state, result)
            .await
            .map_err(Error::widen)?;
        probe::mark(Phase::Decode);
        let decoded = decode(raw);
        probe::mark(Phase::Done);
        decoded
    }));
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

/// Reads the whole response of a raw call, or turns its failure into an [`Error`]. Not
/// generic over the operation's error type: one copy serves every operation.
async fn collect(
    runtime: &Runtime,
    state: &CallState,
    result: Result<reqwest::Response, progenitor_client::Error<()>>,
) -> Result<RawResponse, Error<std::convert::Infallible>> {
    use progenitor_client::Error as P;
    let operation = state.operation;
    let transport =
        |source| Error::Transport(TransportError::new(operation, source, state.retry_safe()));
    let (status, headers, body) = match result {
        Ok(mut response) | Err(P::UnexpectedResponse(mut response)) => {
            let status = response.status();
            let headers = std::mem::take(response.headers_mut());
            let body = response.bytes().await.map_err(transport)?;
            (status, headers, body)
        }
        Err(P::ErrorResponse(value)) => {
            // Raw methods never match statuses; kept should progenitor's shape change.
            (value.status(), value.headers().clone(), Bytes::new())
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
