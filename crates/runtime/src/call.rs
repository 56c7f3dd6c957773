//! Layer 5 of the runtime, the call engine: one call of a generated method, from the request
//! its raw method builds to the typed result, in the order it happens:
//!
//! 1. **build**: the generated raw method builds the `reqwest::Request` (URL, query, headers,
//!    body) and hands it over; nothing is sent yet.
//! 2. **prepare**: client headers, the operation's own server, credentials (a token from the
//!    token source, fetched if need be).
//! 3. **send**: one attempt, within the smaller of the request timeout and the time left.
//! 4. **classify**: [`classify`] says whether the attempt may be made again, the
//!    [`RetryPolicy`](crate::RetryPolicy) how long to wait; a 401 of an expired token gets a
//!    new token, once.
//! 5. **collect**: the whole body is read.
//! 6. **decode**: the operation's generated decoder matches the status.
//!
//! All of it inside one span and one deadline ([`crate::RetryPolicy::max_elapsed`] from the
//! start). A client made with per-call options ([`crate::CallOptions`]) brings its own
//! timeout, deadline, retry policy, headers and idempotency key; the client's interceptors
//! ([`crate::Interceptor`]) run before each attempt is sent, when its response arrives, and
//! once the call has ended. Every failure is typed where it happens and returned as it is: no value travels
//! through a string or a task-local.

use std::convert::Infallible;
use std::sync::atomic::{AtomicBool, AtomicU32, Ordering};
use std::time::{Instant, SystemTime};

use reqwest::header::{AUTHORIZATION, HeaderName, HeaderValue};
use tracing::Instrument;

use crate::classify::{Outcome, TransportKind, classify};
use crate::error::{AuthError, AuthFailure, Error, TransportError};
use crate::interceptor::{CallInfo, CallOutcome};
use crate::probe::{self, Phase};
use crate::response::{RawResponse, Response};
use crate::runtime::{Auth, Runtime};
use crate::secret::Secret;
use crate::token_source::{bearer, refresh_on_401};

/// What the generated code tells the runtime about one operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Operation {
    /// The spec's `operationId`: in spans and error messages.
    pub id: &'static str,
    /// The Rust method that builds its request: the key of its security requirements and
    /// server in the generated [`crate::Api`] table.
    pub name: &'static str,
    /// The HTTP method, upper case.
    pub method: &'static str,
    /// The path template.
    pub path: &'static str,
    /// The idempotency header the spec declares on the operation, if one: the call sends a
    /// key in it (the caller's, else a generated one), the same on every attempt.
    pub idempotency_header: Option<&'static str>,
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

/// Runs one call: `build` is the operation's raw method, which builds its request; `decode`
/// its generated decoder, which matches the statuses. The whole call, retries, waits and token
/// requests included, ends by its deadline ([`crate::RetryPolicy::max_elapsed`] from now).
///
/// Only building and decoding are generic; everything between is one function for every
/// operation, in one allocation, so a call's own future stays a few hundred bytes.
// Invariant (one span per call): the span wraps the whole call.
// Invariant (one deadline per call): the whole call is bounded by its deadline; each attempt
// gets the smaller of the request timeout and the time left.
pub async fn call<T, E, B>(
    runtime: &Runtime,
    operation: Operation,
    build: B,
    decode: fn(RawResponse) -> Result<Response<T>, Error<E>>,
) -> Result<Response<T>, Error<E>>
where
    B: FnOnce() -> Result<reqwest::Request, progenitor_client::Error<()>>,
{
    probe::mark(Phase::Build);
    let progress = Progress::default();
    let request = build().map_err(|e| Error::InvalidRequest {
        operation: operation.id,
        message: e.to_string(),
    })?;
    // A block, so that nothing of the decoded response but a box is kept across the
    // interceptors' last hook: a call's future stays a few hundred bytes.
    let done = {
        // A failed call has told the interceptors already (in `run`, one copy for every
        // operation).
        let raw = Box::pin(run(runtime, operation, request, &progress))
            .await
            .map_err(Error::widen)?;
        probe::mark(Phase::Decode);
        let status = raw.status();
        let decoded = decode(raw);
        probe::mark(Phase::Done);
        if runtime.inner().interceptors.is_empty() {
            return decoded;
        }
        let (succeeded, error) = match &decoded {
            Ok(_) => (true, None),
            Err(Error::Decode(e)) => (false, Some(e.to_string())),
            Err(_) => (false, Some(format!("{} answered {status}", operation.id))),
        };
        let status = reqwest::StatusCode::from_u16(status).ok();
        // Boxed: only a client with interceptors pays for the allocation.
        Box::new((decoded, progress.outcome(status, succeeded, error)))
    };
    Box::pin(after_call(runtime, &operation, &done.1)).await;
    done.0
}

/// The interceptors' last hook, once the call has ended. Not generic: one copy serves every
/// operation.
async fn after_call(runtime: &Runtime, operation: &Operation, outcome: &CallOutcome) {
    let info = operation.info(outcome.attempts.max(1));
    for interceptor in &runtime.inner().interceptors {
        interceptor.after_call(&info, outcome).await;
    }
}

impl Operation {
    fn info(&self, attempt: u32) -> CallInfo {
        CallInfo {
            operation: self.id,
            method: self.method,
            path: self.path,
            attempt,
        }
    }
}

/// Whether a request of the call has gone out, and whether it was safe to send twice: what a
/// deadline that passes mid-call needs to say whether the call may be made again.
struct Progress {
    sent: AtomicBool,
    repeatable: AtomicBool,
    attempts: AtomicU32,
    started: Instant,
}

impl Default for Progress {
    fn default() -> Self {
        Self {
            sent: AtomicBool::new(false),
            repeatable: AtomicBool::new(false),
            attempts: AtomicU32::new(0),
            started: Instant::now(),
        }
    }
}

impl Progress {
    /// How the call ended, for the interceptors.
    fn outcome(
        &self,
        status: Option<reqwest::StatusCode>,
        succeeded: bool,
        error: Option<String>,
    ) -> CallOutcome {
        CallOutcome {
            status,
            succeeded,
            error,
            attempts: self.attempts.load(Ordering::Relaxed),
            elapsed: self.started.elapsed(),
        }
    }

    fn mark_sent(&self, repeatable: bool) {
        self.repeatable.store(repeatable, Ordering::Relaxed);
        self.sent.store(true, Ordering::Relaxed);
        self.attempts.fetch_add(1, Ordering::Relaxed);
    }

    /// Nothing was sent, or what was sent is safe to send again.
    fn retry_safe(&self) -> bool {
        !self.sent.load(Ordering::Relaxed) || self.repeatable.load(Ordering::Relaxed)
    }
}

/// Steps 2 to 5 for a built request, in the call's span and within its deadline.
async fn run(
    runtime: &Runtime,
    operation: Operation,
    request: reqwest::Request,
    progress: &Progress,
) -> Result<RawResponse, Error<Infallible>> {
    probe::mark(Phase::Span);
    let span = call_span(operation.id, operation.method, operation.path);
    let allowed = runtime
        .options()
        .and_then(|o| o.deadline)
        .unwrap_or(runtime.retry().max_elapsed);
    let deadline = progress.started + allowed;
    let work = async {
        probe::mark(Phase::Hooks);
        let (request, token) = prepare(runtime, &operation, request, deadline).await?;
        probe::mark(Phase::Send);
        let repeatable = runtime
            .retry()
            .is_repeatable(request.method(), request.headers());
        let response = send(
            runtime, &operation, request, token, repeatable, deadline, progress,
        )
        .await
        .map_err(|e| Error::Transport(TransportError::new(operation.id, e, repeatable)))?;
        probe::mark(Phase::Collect);
        collect(runtime, &operation, response, repeatable).await
    };
    // Pinned where it is: the deadline and the span wrap a reference, so that making them
    // does not copy the whole call's state (a few kilobytes) twice on every call.
    let work = std::pin::pin!(work);
    let past_deadline = || {
        Err(Error::Transport(TransportError::deadline(
            operation.id,
            progress.retry_safe(),
        )))
    };
    let result = if bounded_by_attempts(runtime) {
        // Every wait of the call is an attempt, bounded by the smaller of its timeout and
        // the time left, or a pause that ends before the deadline: no timer of its own.
        work.instrument(span).await
    } else {
        match tokio::time::timeout_at(deadline.into(), work)
            .instrument(span)
            .await
        {
            Ok(result) => result,
            Err(_) => past_deadline(),
        }
    };
    // An attempt that ran into the deadline (its timeout was the time left) is the
    // deadline's error, whichever of the two timers fired first.
    let result = match result {
        Err(Error::Transport(t)) if t.is_timeout() && Instant::now() >= deadline => past_deadline(),
        result => result,
    };
    if let Err(e) = &result
        && !runtime.inner().interceptors.is_empty()
    {
        let status = match e {
            Error::Auth(auth) => auth.status(),
            _ => None,
        };
        let outcome = progress.outcome(status, false, Some(e.to_string()));
        after_call(runtime, &operation, &outcome).await;
    }
    result
}

// Invariant (one deadline per call): without a timer, only attempts (each bounded by the
// time left) and waits that end before the deadline can take time.
/// Whether the attempts' own timeouts bound the whole call by its deadline: each attempt
/// has a timeout (the smaller of it and the time left, `send`), nothing fetches a token, and
/// no interceptor's hook runs. Otherwise a timer bounds the call.
fn bounded_by_attempts(runtime: &Runtime) -> bool {
    let inner = runtime.inner();
    attempt_timeout(runtime).is_some()
        && inner.interceptors.is_empty()
        && matches!(inner.auth, Auth::Static(_))
}

/// The longest one attempt may take: the call's options', else the client's own.
fn attempt_timeout(runtime: &Runtime) -> Option<std::time::Duration> {
    runtime
        .options()
        .and_then(|o| o.timeout)
        .or(runtime.inner().attempt_timeout)
}

/// Step 2: client headers, the operation's own server, and credentials as its security
/// requirements allow. Returns the request and the token it carries, if any (for a refresh
/// on a 401).
// Invariant (no undocumented header): only client headers from the settings, the user agent,
// credentials, the key of a declared idempotency header and the caller's own option headers
// are added to what the generated code built from the spec.
async fn prepare(
    runtime: &Runtime,
    operation: &Operation,
    mut request: reqwest::Request,
    deadline: Instant,
) -> Result<(reqwest::Request, Option<Secret>), Error<Infallible>> {
    let inner = runtime.inner();
    let invalid = |message: String| Error::InvalidRequest {
        operation: operation.id,
        message,
    };
    let auth = |failure: AuthFailure| Error::Auth(AuthError::new(operation.id, failure.into()));
    for (name, value) in &inner.headers {
        request.headers_mut().insert(name, value.clone());
    }
    if let Some(options) = runtime.options() {
        for (name, value) in &options.headers {
            // The error names the header, never its value.
            let bad = || {
                invalid(format!(
                    "the header {name:?} of its options is not valid HTTP"
                ))
            };
            let name = HeaderName::from_bytes(name.as_bytes()).map_err(|_| bad())?;
            let value = HeaderValue::from_str(value).map_err(|_| bad())?;
            request.headers_mut().insert(name, value);
        }
    }
    // One key for the whole call: every attempt is a copy of this request.
    if let Some(header) = operation.idempotency_header
        && !request.headers().contains_key(header)
    {
        let key = runtime
            .options()
            .and_then(|o| o.idempotency_key.clone())
            .unwrap_or_else(crate::options::new_idempotency_key);
        let value = HeaderValue::from_str(&key).map_err(|_| {
            invalid("the idempotency key of its options is not a valid header value".to_owned())
        })?;
        request
            .headers_mut()
            .insert(HeaderName::from_static(header), value);
    }
    if let Some((_, server)) = inner.servers.iter().find(|(op, _)| *op == operation.name) {
        let url = request.url().as_str();
        let rest = url.strip_prefix(inner.base_url.as_str()).unwrap_or(url);
        *request.url_mut() = reqwest::Url::parse(&format!("{server}{rest}"))
            .map_err(|e| invalid(format!("bad URL for its server: {e}")))?;
    }
    // Invariant (credentials follow the spec): an operation missing from the table is an
    // error, not a silent default.
    let security = inner
        .security
        .iter()
        .find(|s| s.operation == operation.name)
        .ok_or_else(|| invalid("no security requirements generated for it".to_owned()))?;
    match &inner.auth {
        Auth::Static(credentials) => {
            credentials
                .apply(&mut request, security)
                .map_err(|message| auth(AuthFailure::Unsupported { message }))?;
            Ok((request, None))
        }
        Auth::Token(source) => {
            let accepts = security
                .accepts(crate::auth::Scheme::Bearer)
                .map_err(|message| auth(AuthFailure::Unsupported { message }))?;
            if !accepts {
                return Ok((request, None));
            }
            // Boxed: a token fetch is a whole HTTP call, which every request's future would
            // otherwise carry room for.
            let token = Box::pin(source.token(deadline))
                .await
                .map_err(|failure| Error::Auth(AuthError::new(operation.id, failure)))?;
            let value =
                bearer(&token).map_err(|message| auth(AuthFailure::Unsupported { message }))?;
            request.headers_mut().insert(AUTHORIZATION, value);
            Ok((request, Some(token)))
        }
    }
}

/// Steps 3 and 4: attempts until one may not be repeated, the policy's attempts are used up,
/// or the next wait would pass the deadline. A 401 of an expired token is sent once more
/// with a new token.
async fn send(
    runtime: &Runtime,
    operation: &Operation,
    mut request: reqwest::Request,
    mut token: Option<Secret>,
    repeatable: bool,
    deadline: Instant,
    progress: &Progress,
) -> reqwest::Result<reqwest::Response> {
    let inner = runtime.inner();
    let policy = runtime.retry();
    let attempt_timeout = attempt_timeout(runtime);
    let span = tracing::Span::current();
    let mut attempt = 1u32;
    loop {
        span.record("attempt", attempt);
        if let Some(timeout) = attempt_timeout {
            let left = deadline.saturating_duration_since(Instant::now());
            let bound = timeout.min(left);
            // The HTTP client this runtime built bounds each attempt by its own timeout
            // already: a request carries a bound of its own only where it differs (a
            // shorter time left, the call's options), which saves every attempt a map in
            // the request's extensions and its copy for a retry.
            if request.timeout().is_some() || Some(bound) != inner.attempt_timeout {
                *request.timeout_mut() = Some(bound);
            }
        }
        if !inner.interceptors.is_empty() {
            Box::pin(before_send(runtime, operation, attempt, &mut request)).await;
        }
        progress.mark_sent(repeatable);
        // Bodies from memory clone; a streamed body cannot be sent twice. No copy where no
        // attempt can follow this one.
        let mut copy = if attempt < policy.max_attempts || token.is_some() {
            request.try_clone()
        } else {
            None
        };
        let result = match (inner.http.execute(request).await, &inner.auth) {
            (Ok(response), Auth::Token(source))
                if response.status() == reqwest::StatusCode::UNAUTHORIZED
                    && token.is_some()
                    && copy.is_some() =>
            {
                // Taken: a call refreshes its token once at most.
                let (Some(used), Some(mut again)) = (token.take(), copy.take()) else {
                    return Ok(response);
                };
                // Boxed: the rare path, which holds a token fetch, stays out of every
                // request's future.
                match Box::pin(refresh_on_401(
                    source, response, &used, &mut again, deadline,
                ))
                .await?
                {
                    Ok(()) => {
                        tracing::debug!(attempt, "access token expired: refreshed, sending again");
                        request = again;
                        continue;
                    }
                    Err(response) => return Ok(response),
                }
            }
            (result, _) => result,
        };
        if let Ok(response) = &result
            && !inner.interceptors.is_empty()
        {
            let info = operation.info(attempt);
            for interceptor in &inner.interceptors {
                interceptor
                    .after_response(&info, response.status(), response.headers())
                    .await;
            }
        }
        let outcome = match &result {
            Ok(response) => {
                tracing::debug!(attempt, status = response.status().as_u16(), "response");
                Outcome::Response(response.status(), response.headers())
            }
            Err(e) => {
                // No message: reqwest's names the URL, whose path may carry personal data.
                tracing::debug!(
                    attempt,
                    timeout = e.is_timeout(),
                    connect = e.is_connect(),
                    "no response"
                );
                Outcome::Transport(TransportKind::of(e))
            }
        };
        let wait = policy.wait(classify(outcome, repeatable, SystemTime::now()), attempt);
        let (Some(wait), Some(copy)) = (wait, copy) else {
            return result;
        };
        if attempt >= policy.max_attempts || Instant::now() + wait >= deadline {
            return result;
        }
        // Only the copy is kept across the wait: the call's state stays small.
        drop(result);
        tracing::info!(
            operation = operation.id,
            attempt,
            wait_ms = wait.as_millis() as u64,
            "retrying"
        );
        tokio::time::sleep(wait).await;
        request = copy;
        attempt += 1;
    }
}

/// The interceptors' first hook, before an attempt is sent: the request without its
/// `Authorization` header for those that do not ask for it.
// Invariant (interceptors never see credentials unless they ask): the header is taken out
// around each hook that does not ask for it.
async fn before_send(
    runtime: &Runtime,
    operation: &Operation,
    attempt: u32,
    request: &mut reqwest::Request,
) {
    let info = operation.info(attempt);
    for interceptor in &runtime.inner().interceptors {
        let withheld = if interceptor.sees_credentials() {
            None
        } else {
            request.headers_mut().remove(AUTHORIZATION)
        };
        interceptor.before_send(&info, request).await;
        if let Some(value) = withheld {
            request.headers_mut().insert(AUTHORIZATION, value);
        }
    }
}

/// Step 5: the whole body, with what is known of the response. Not generic: one copy serves
/// every operation.
async fn collect(
    runtime: &Runtime,
    operation: &Operation,
    mut response: reqwest::Response,
    repeatable: bool,
) -> Result<RawResponse, Error<Infallible>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response
        .bytes()
        .await
        .map_err(|e| Error::Transport(TransportError::new(operation.id, e, repeatable)))?;
    let request_id = headers
        .get(&runtime.inner().request_id_header)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let span = tracing::Span::current();
    span.record("status", status.as_u16());
    if let Some(id) = &request_id {
        span.record("request_id", id.as_str());
    }
    Ok(RawResponse::answering(
        operation.id,
        status,
        headers,
        request_id,
        body,
        repeatable,
    ))
}

#[cfg(test)]
mod options_tests;
#[cfg(test)]
mod tests;
