//! Typed mock servers for the tests of code that calls a generated client (feature `mock`,
//! off by default; a generated crate's `mock` feature turns it on). A [`MockServer`] listens on
//! 127.0.0.1 (wiremock's server); a generated crate's `mock::MockServer` wraps it with one
//! method per operation, each an [`OperationMock`] typed by the operation: it answers with the
//! operation's success type or its error enum, with scripted faults (a rate limit with
//! `Retry-After`, an outage, an answer too late, a dropped connection) or with pages, and
//! returns the requests it received with their bodies decoded.
//!
//! Answers are tried in the order they were mounted: the first whose operation matches the
//! request and that is not used up ([`OperationMock::times`]) answers it. So a script reads
//! top to bottom: `.fault(Fault::Unavailable).times(2)` mounted before `.respond(Ok(..))`
//! answers the first two requests with 503 and every later one with the success. A request
//! no answer matches gets 404.

use std::fmt;
use std::marker::PhantomData;
use std::time::Duration;

use bytes::Bytes;
use http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// What a generated crate says of one operation, for its mock: the types it answers and is
/// sent with, where it listens, and how its answers are written on the wire.
pub trait Operation: 'static {
    /// The success value (the type a call returns inside its `Response`).
    type Ok;
    /// The operation's error enum.
    type Err;
    /// The request body's type (`()` where the operation takes none).
    type Body: DeserializeOwned;
    /// The `operationId`.
    const ID: &'static str;
    /// The HTTP method, upper case.
    const METHOD: &'static str;
    /// The path template, with `{parameter}` placeholders.
    const PATH: &'static str;
    /// The success value as the provider sends it.
    fn ok(value: Self::Ok) -> Reply;
    /// An error as the provider sends it.
    fn err(error: Self::Err) -> Reply;
}

/// The statuses an error variant stands for, to choose the one its mock answers with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Statuses {
    /// One status.
    Code(u16),
    /// A class (`4` for `4XX`): the error's own status where it is in the class, else the
    /// class's first.
    Class(u16),
    /// Any (`default`, `Undocumented`): the error's own status.
    Any,
}

impl Statuses {
    fn pick(self, own: StatusCode) -> u16 {
        match self {
            Statuses::Code(code) => code,
            Statuses::Class(class) if own.as_u16() / 100 == class => own.as_u16(),
            Statuses::Class(class) => class * 100,
            Statuses::Any => own.as_u16(),
        }
    }
}

/// One answer: a status, headers and a body.
#[derive(Clone)]
pub struct Reply {
    status: u16,
    headers: Vec<(HeaderName, HeaderValue)>,
    body: Bytes,
    content_type: Option<String>,
}

impl fmt::Debug for Reply {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Reply")
            .field("status", &self.status)
            .field("content_type", &self.content_type)
            .field("body_bytes", &self.body.len())
            .finish_non_exhaustive()
    }
}

impl Reply {
    /// `status` with `value` as its JSON body. A value that does not serialize answers 500
    /// with a text body that says so (no value in it).
    pub fn json<T: Serialize + ?Sized>(status: u16, value: &T) -> Self {
        match serde_json::to_vec(value) {
            Ok(body) => Self::raw(status, body, "application/json"),
            Err(e) => Self::raw(
                500,
                format!(
                    "mock: the value does not serialize as JSON ({:?})",
                    e.classify()
                ),
                "text/plain",
            ),
        }
    }

    /// `status` with no body.
    pub fn empty(status: u16) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: Bytes::new(),
            content_type: None,
        }
    }

    /// `status` with `body` exactly as given, of `content_type`: for a body the spec does not
    /// type, or one it should not decode (a malformed response).
    pub fn raw(status: u16, body: impl Into<Bytes>, content_type: &str) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
            content_type: Some(content_type.to_owned()),
        }
    }

    /// An error variant whose body the spec types as JSON.
    pub fn error_json<B: Serialize>(statuses: Statuses, error: ApiError<B>) -> Self {
        Self::json(statuses.pick(error.status()), error.body()).with_headers_of(&error)
    }

    /// An error variant without a body.
    pub fn error_empty(statuses: Statuses, error: ApiError<()>) -> Self {
        Self::empty(statuses.pick(error.status())).with_headers_of(&error)
    }

    /// An error variant whose body is raw bytes (`Undocumented`, a non-JSON body).
    pub fn error_raw(statuses: Statuses, error: ApiError<Bytes>) -> Self {
        let status = statuses.pick(error.status());
        let content_type = error
            .headers()
            .get(http::header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("application/octet-stream")
            .to_owned();
        let body = error.body().clone();
        Self::raw(status, body, &content_type).with_headers_of(&error)
    }

    fn with_headers_of<B>(mut self, error: &ApiError<B>) -> Self {
        for (name, value) in error.headers() {
            if name != http::header::CONTENT_TYPE && name != http::header::CONTENT_LENGTH {
                self.headers.push((name.clone(), value.clone()));
            }
        }
        self
    }

    /// The same answer with a header (a name or value HTTP does not allow is left out).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        if let (Ok(n), Ok(v)) = (
            HeaderName::from_bytes(name.as_bytes()),
            HeaderValue::from_str(value),
        ) {
            self.headers.push((n, v));
        }
        self
    }

    /// The status it answers with.
    pub fn status(&self) -> u16 {
        self.status
    }

    fn template(&self) -> wiremock::ResponseTemplate {
        let mut t = wiremock::ResponseTemplate::new(self.status);
        for (name, value) in &self.headers {
            t = t.append_header(name.clone(), value.clone());
        }
        match &self.content_type {
            Some(ct) => t.set_body_raw(self.body.to_vec(), ct),
            None => t,
        }
    }
}

/// A fault scripted on an operation.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum Fault {
    /// 429 with `Retry-After` (whole seconds, rounded up).
    RateLimited {
        /// The wait the answer asks for.
        retry_after: Duration,
    },
    /// 503 Service Unavailable, no body.
    Unavailable,
    /// No answer for this long (then 503): a call whose timeout is shorter times out.
    Stall(Duration),
    /// The connection is closed without an answer, after the request was read.
    Disconnect,
}

/// A typed mock server on 127.0.0.1 (wiremock's), for the tests of code that calls a
/// generated client. A generated crate's `mock::MockServer` wraps it.
pub struct MockServer {
    server: wiremock::MockServer,
}

impl fmt::Debug for MockServer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("MockServer")
            .field("uri", &self.server.uri())
            .finish()
    }
}

impl MockServer {
    /// A server on a free port of 127.0.0.1, answering 404 until answers are mounted.
    pub async fn start() -> Self {
        Self {
            server: wiremock::MockServer::start().await,
        }
    }

    /// Its base URL (`http://127.0.0.1:<port>`): what a client is pointed at.
    pub fn uri(&self) -> String {
        self.server.uri()
    }

    /// The answers of one operation, typed by it.
    pub fn operation<O: Operation>(&self) -> OperationMock<'_, O> {
        OperationMock {
            server: self,
            times: None,
            delay: None,
            _op: PhantomData,
        }
    }

    /// Every request received so far, in order, whichever operation it was for.
    pub async fn received_count(&self) -> usize {
        self.server.received_requests().await.map_or(0, |r| r.len())
    }

    /// Forgets every answer mounted and every request received.
    pub async fn reset(&self) {
        self.server.reset().await;
    }
}

/// The answers of one operation: set how often and how late, then mount one with
/// [`respond`](Self::respond), [`reply`](Self::reply), [`fault`](Self::fault) or
/// [`pages`](Self::pages); read what it was sent with [`received`](Self::received).
#[must_use = "an answer is mounted by `respond`, `reply`, `fault` or `pages`, awaited"]
pub struct OperationMock<'a, O> {
    server: &'a MockServer,
    times: Option<u64>,
    delay: Option<Duration>,
    _op: PhantomData<fn() -> O>,
}

impl<O> fmt::Debug for OperationMock<'_, O> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OperationMock")
            .field("times", &self.times)
            .field("delay", &self.delay)
            .finish_non_exhaustive()
    }
}

impl<'a, O: Operation> OperationMock<'a, O> {
    /// The answer is given to at most `n` requests; later ones go to answers mounted after
    /// it (default: every request).
    pub fn times(mut self, n: u64) -> Self {
        self.times = Some(n);
        self
    }

    /// The answer is given once.
    pub fn once(self) -> Self {
        self.times(1)
    }

    /// The answer comes after `delay`.
    pub fn delay(mut self, delay: Duration) -> Self {
        self.delay = Some(delay);
        self
    }

    /// Answers with the operation's success value or one of its errors, written as the
    /// provider writes it (`Ok`: the success status and body; `Err`: the variant's status,
    /// body and headers).
    pub async fn respond(self, result: Result<O::Ok, O::Err>) {
        let reply = match result {
            Ok(value) => O::ok(value),
            Err(error) => O::err(error),
        };
        self.reply(reply).await;
    }

    /// Answers with `reply` as it is: any status, headers and body (a malformed one too).
    pub async fn reply(self, reply: Reply) {
        let template = reply.template();
        self.mount_template(template).await;
    }

    /// Answers with a fault.
    pub async fn fault(self, fault: Fault) {
        match fault {
            Fault::RateLimited { retry_after } => {
                let secs = retry_after.as_secs() + u64::from(retry_after.subsec_nanos() > 0);
                let reply = Reply::empty(429).header("retry-after", &secs.to_string());
                self.reply(reply).await;
            }
            Fault::Unavailable => self.reply(Reply::empty(503)).await,
            Fault::Stall(delay) => {
                let template = Reply::empty(503).template().set_delay(delay);
                self.mount_template(template).await;
            }
            Fault::Disconnect => {
                let mock = self.route().respond_with_err(|_: &wiremock::Request| {
                    std::io::Error::new(std::io::ErrorKind::ConnectionReset, "mock: dropped")
                });
                self.mount(mock).await;
            }
        }
    }

    /// Answers successive requests with successive pages, each once, in order; after the
    /// last, requests go to answers mounted after these (404 if none). Give the pages as
    /// the provider pages them (the cursor or the short page that ends a walk included).
    pub async fn pages(self, pages: impl IntoIterator<Item = O::Ok>) {
        for page in pages {
            let template = O::ok(page).template();
            let mock = self
                .route()
                .respond_with(self.timed(template))
                .up_to_n_times(1);
            mock.mount(&self.server.server).await;
        }
    }

    /// The requests of this operation received so far, in order, with their bodies decoded.
    pub async fn received(&self) -> Vec<Received<O::Body>> {
        let route = Route::of::<O>();
        let requests = self
            .server
            .server
            .received_requests()
            .await
            .unwrap_or_default();
        requests
            .into_iter()
            .filter(|r| route.matches(r))
            .map(|r| {
                let body = if r.body.is_empty() {
                    None
                } else {
                    serde_json::from_slice(&r.body).ok()
                };
                let mut headers = HeaderMap::new();
                for (name, value) in &r.headers {
                    headers.append(name.clone(), value.clone());
                }
                Received {
                    path: r.url.path().to_owned(),
                    query: r
                        .url
                        .query_pairs()
                        .map(|(k, v)| (k.into_owned(), v.into_owned()))
                        .collect(),
                    headers,
                    body,
                    raw_body: Bytes::from(r.body),
                }
            })
            .collect()
    }

    fn route(&self) -> wiremock::MockBuilder {
        wiremock::Mock::given(Route::of::<O>())
    }

    fn timed(&self, template: wiremock::ResponseTemplate) -> wiremock::ResponseTemplate {
        match self.delay {
            Some(d) => template.set_delay(d),
            None => template,
        }
    }

    async fn mount_template(self, template: wiremock::ResponseTemplate) {
        let mock = self.route().respond_with(self.timed(template));
        self.mount(mock).await;
    }

    async fn mount(self, mock: wiremock::Mock) {
        let mock = match self.times {
            Some(n) => mock.up_to_n_times(n),
            None => mock,
        };
        mock.mount(&self.server.server).await;
    }
}

/// A request an operation's mock received.
pub struct Received<B> {
    /// The path, as sent (percent-encoded).
    pub path: String,
    /// The query's pairs, decoded, in order.
    pub query: Vec<(String, String)>,
    /// The headers.
    pub headers: HeaderMap,
    /// The body decoded as the operation's request body, where it is JSON of that type.
    pub body: Option<B>,
    /// The body as sent.
    pub raw_body: Bytes,
}

impl<B> Received<B> {
    /// The first value of a query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A header's value, where it is text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

// Headers and bodies stay out of `Debug`: they hold credentials and personal data.
impl<B> fmt::Debug for Received<B> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Received")
            .field("path", &self.path)
            .field("headers", &self.headers.keys().collect::<Vec<_>>())
            .field("body_bytes", &self.raw_body.len())
            .finish_non_exhaustive()
    }
}

/// An operation's method and path template, as a wiremock matcher.
#[derive(Debug, Clone)]
struct Route {
    method: &'static str,
    path: &'static str,
}

impl Route {
    fn of<O: Operation>() -> Self {
        Self {
            method: O::METHOD,
            path: O::PATH,
        }
    }

    fn matches(&self, request: &wiremock::Request) -> bool {
        request.method.as_str().eq_ignore_ascii_case(self.method)
            && path_matches(self.path, request.url.path())
    }
}

impl wiremock::Match for Route {
    fn matches(&self, request: &wiremock::Request) -> bool {
        Route::matches(self, request)
    }
}

/// Whether `path` is an instance of `template`: segment by segment, a `{name}` standing for
/// any non-empty text without `/`.
fn path_matches(template: &str, path: &str) -> bool {
    let t: Vec<&str> = template.trim_end_matches('/').split('/').collect();
    let p: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| segment_matches(t, p))
}

fn segment_matches(template: &str, segment: &str) -> bool {
    // The literal pieces between placeholders, in order.
    let mut pieces = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        pieces.push(&rest[..open]);
        rest = &rest[open + close + 1..];
    }
    if pieces.is_empty() {
        return template == segment;
    }
    let last = rest;
    let Some(mut remaining) = segment.strip_prefix(pieces[0]) else {
        return false;
    };
    for piece in &pieces[1..] {
        // A placeholder takes at least one character, then the next literal.
        match remaining.get(1..).and_then(|r| r.find(piece)) {
            Some(at) => remaining = &remaining[1 + at + piece.len()..],
            None => return false,
        }
    }
    remaining.len() > last.len() && remaining.ends_with(last)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_match_their_templates() {
        let t = "/accounts/{accountID}/bank-accounts/{bankAccountID}";
        assert!(path_matches(t, "/accounts/a1/bank-accounts/b2"));
        assert!(!path_matches(t, "/accounts/a1/bank-accounts"));
        assert!(!path_matches(t, "/accounts//bank-accounts/b2"));
        assert!(!path_matches(t, "/accounts/a1/bank-accounts/b2/verify"));
        assert!(path_matches("/files/{name}.json", "/files/x.json"));
        assert!(!path_matches("/files/{name}.json", "/files/.json"));
        assert!(!path_matches("/files/{name}.json", "/files/x.yaml"));
        assert!(path_matches("/a/{x}-{y}", "/a/1-2"));
        assert!(!path_matches("/a/{x}-{y}", "/a/1-"));
        assert!(path_matches("/links", "/links"));
        assert!(!path_matches("/links", "/links/1"));
    }

    #[test]
    fn an_error_answers_with_its_variants_status() {
        let e = ApiError::mock(());
        assert_eq!(
            Reply::error_empty(Statuses::Code(404), e.clone()).status(),
            404
        );
        assert_eq!(
            Reply::error_empty(Statuses::Class(4), e.clone()).status(),
            400
        );
        assert_eq!(Reply::error_empty(Statuses::Any, e).status(), 500);
        let own = ApiError::mock_with_status(StatusCode::CONFLICT, ());
        assert_eq!(
            Reply::error_empty(Statuses::Class(4), own.clone()).status(),
            409
        );
        assert_eq!(
            Reply::error_empty(Statuses::Class(5), own.clone()).status(),
            500
        );
        assert_eq!(Reply::error_empty(Statuses::Any, own).status(), 409);
    }
}
