//! Layer 4 of the runtime, pagination: a list operation's pages, and their items, as a
//! stream ([`Paginated`]). The generated `<op>_pages` and `<op>_stream` methods call
//! [`pages`] and [`items`] with what the spec's `x-pagination` (or the settings) declares:
//! how the next page is asked for ([`Paging`]), and what a page says of the next
//! ([`PageInfo`]). Imports layer 2 (errors) and layer 3 (responses).
//!
//! A stream holds one page at a time, ends at the first error (the call's own, typed), and
//! never loops: a cursor the stream has already followed ends it with
//! [`Error::Pagination`], and so does a run of empty pages longer than
//! [`DEFAULT_MAX_EMPTY_PAGES`] ([`Paginated::max_empty_pages`]); page numbers and offsets
//! only grow. Every stream is fused: after its end or its error it yields nothing, forever.

use std::collections::HashSet;
use std::fmt;
use std::future::Future;
use std::hash::{BuildHasher, RandomState};
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU32, Ordering};
use std::task::{Context, Poll};

use futures_util::stream::{self, FusedStream, Stream, StreamExt};

use crate::error::Error;
use crate::response::Response;

/// How many empty pages in a row a cursor stream asks for by default
/// ([`Paginated::max_empty_pages`]).
pub const DEFAULT_MAX_EMPTY_PAGES: u32 = 50;

/// A stream of pages or items of a list operation: `try_next().await?` (no trait to import),
/// or any `futures` stream adapter. Each item is a `Result`; the stream ends after the first
/// error, and is fused ([`FusedStream`]): once it has ended, or yielded an error, it yields
/// nothing (`Ok(None)` from `try_next`) however often it is asked.
pub struct Paginated<'a, T, E> {
    inner: Pin<Box<dyn Stream<Item = Result<T, Error<E>>> + Send + 'a>>,
    /// The stream has ended, or yielded an error.
    done: bool,
    /// The empty-page bound, read by the page walk as it goes (shared with the pages stream
    /// an items stream wraps).
    max_empty: Arc<AtomicU32>,
}

impl<T, E> fmt::Debug for Paginated<'_, T, E> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Paginated").finish_non_exhaustive()
    }
}

impl<'a, T, E> Paginated<'a, T, E> {
    fn new(
        stream: impl Stream<Item = Result<T, Error<E>>> + Send + 'a,
        max_empty: Arc<AtomicU32>,
    ) -> Self {
        Self {
            inner: Box::pin(stream),
            done: false,
            max_empty,
        }
    }

    /// Sets how many empty pages in a row the stream asks for (default
    /// [`DEFAULT_MAX_EMPTY_PAGES`]; at least 1): when the `n`-th empty page in a row still
    /// names a next page, the stream ends with [`Error::Pagination`] instead of asking for it.
    /// A provider may send empty pages with a cursor (a filter applied after paging), but
    /// not without end. Page-numbered and offset streams end at their first empty page.
    pub fn max_empty_pages(self, n: u32) -> Self {
        self.max_empty.store(n.max(1), Ordering::Relaxed);
        self
    }

    /// The next page or item; `Ok(None)` once the last page has been read.
    pub async fn try_next(&mut self) -> Result<Option<T>, Error<E>> {
        StreamExt::next(self).await.transpose()
    }

    /// Every remaining page or item, in order; the first error instead, if there is one.
    pub async fn try_collect(mut self) -> Result<Vec<T>, Error<E>> {
        let mut all = Vec::new();
        while let Some(item) = self.try_next().await? {
            all.push(item);
        }
        Ok(all)
    }
}

impl<T, E> Stream for Paginated<'_, T, E> {
    type Item = Result<T, Error<E>>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.done {
            return Poll::Ready(None);
        }
        let next = self.inner.as_mut().poll_next(cx);
        if let Poll::Ready(None | Some(Err(_))) = &next {
            // Invariant (a stream never loops): ended or failed, it stays ended.
            self.done = true;
        }
        next
    }
}

impl<T, E> FusedStream for Paginated<'_, T, E> {
    fn is_terminated(&self) -> bool {
        self.done
    }
}

/// How an operation asks for its next page.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Paging {
    /// An opaque cursor: a request parameter takes what the previous page gave.
    Cursor,
    /// Page numbers: `page` is the first request's page (the caller's, else the API's first),
    /// `first` the API's first page number (0 or 1), `size` the page size where known.
    Page {
        /// The page the first request asks for.
        page: u64,
        /// The API's first page number.
        first: u64,
        /// The number of items a full page holds, where known.
        size: Option<u64>,
    },
    /// Offsets (skip / count): `offset` is the first request's, `limit` the page size where
    /// known.
    Offset {
        /// How many items the first request skips.
        offset: u64,
        /// The number of items a full page holds, where known.
        limit: Option<u64>,
    },
}

/// Which page a request asks for: on the first request nothing (the caller's arguments go as
/// given), then what the previous page said.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct At {
    cursor: Option<String>,
    page: Option<u64>,
    offset: Option<u64>,
}

impl At {
    /// The cursor to send, after the first page of a cursor-paged operation.
    pub fn cursor(&self) -> Option<&str> {
        self.cursor.as_deref()
    }

    /// The page number to send, after the first page of a page-numbered operation.
    pub fn page<N: Number>(&self) -> Option<N> {
        self.page.map(N::from_u64)
    }

    /// The offset to send, after the first page of an offset-paged operation.
    pub fn offset<N: Number>(&self) -> Option<N> {
        self.offset.map(N::from_u64)
    }
}

/// What a page says of the next, as the generated code reads it from the decoded body.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PageInfo {
    /// The cursor of the next page (`None` or empty: there is none).
    pub next: Option<String>,
    /// Whether the API says more pages follow.
    pub has_more: Option<bool>,
    /// How many items the page holds.
    pub items: Option<usize>,
    /// How many items there are in all.
    pub total: Option<u64>,
    /// How many pages there are in all.
    pub total_pages: Option<u64>,
}

/// A number a page or offset parameter takes: integers of every width, non-zero integers,
/// floats (for specs that say `type: number`). Conversions saturate; none panics.
pub trait Number: Sized {
    /// The parameter's value for page or offset `n`.
    fn from_u64(n: u64) -> Self;
    /// The page or offset the caller's value means (`None` if it is negative or not whole).
    fn to_u64(&self) -> Option<u64>;
}

macro_rules! integer_number {
    ($($t:ty),*) => {$(
        impl Number for $t {
            fn from_u64(n: u64) -> Self {
                <$t>::try_from(n).unwrap_or(<$t>::MAX)
            }
            fn to_u64(&self) -> Option<u64> {
                u64::try_from(*self).ok()
            }
        }
    )*};
}
integer_number!(i8, i16, i32, i64, u8, u16, u32, u64, usize, isize);

macro_rules! non_zero_number {
    ($($t:ty => $inner:ty),*) => {$(
        impl Number for $t {
            fn from_u64(n: u64) -> Self {
                <$t>::new(<$inner>::from_u64(n)).unwrap_or(<$t>::MIN)
            }
            fn to_u64(&self) -> Option<u64> {
                self.get().to_u64()
            }
        }
    )*};
}
non_zero_number!(
    std::num::NonZeroU32 => u32,
    std::num::NonZeroU64 => u64,
    std::num::NonZeroI32 => i32,
    std::num::NonZeroI64 => i64
);

macro_rules! float_number {
    ($($t:ty),*) => {$(
        impl Number for $t {
            #[allow(clippy::cast_precision_loss)]
            fn from_u64(n: u64) -> Self {
                n as $t
            }
            #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
            fn to_u64(&self) -> Option<u64> {
                (self.is_finite() && *self >= 0.0 && self.fract() == 0.0).then(|| *self as u64)
            }
        }
    )*};
}
float_number!(f32, f64);

/// The caller's value of a page, offset or size parameter, as a count (`None` where the
/// caller gave none, or one that is negative or not whole).
pub fn count<N: Number>(value: Option<&N>) -> Option<u64> {
    value.and_then(Number::to_u64)
}

/// Where a stream is between two pages.
struct State<F> {
    fetch: F,
    paging: Paging,
    /// The next request's page; `None` once the stream is done.
    at: Option<At>,
    /// Why the stream stops after the page it has just yielded.
    stop: Option<&'static str>,
    /// Hashes of the cursors already followed.
    followed: HashSet<u64>,
    hasher: RandomState,
    /// Empty pages in a row so far, and how many may come in a row.
    empty: u32,
    max_empty: Arc<AtomicU32>,
}

/// The pages of `operation`, from the one the caller's arguments ask for to the last.
/// `first_cursor` is the caller's cursor, if any; `fetch` makes one call for a page
/// (`At::default()` on the first: the caller's arguments as given); `info` reads what a
/// page says of the next.
pub fn pages<'a, B, E, F, Fut>(
    operation: &'static str,
    paging: Paging,
    first_cursor: Option<&str>,
    fetch: F,
    info: fn(&B) -> PageInfo,
) -> Paginated<'a, Response<B>, E>
where
    F: FnMut(At) -> Fut + Send + 'a,
    Fut: Future<Output = Result<Response<B>, Error<E>>> + Send + 'a,
    B: Send + 'a,
    E: Send + 'a,
{
    let hasher = RandomState::new();
    let followed = first_cursor
        .filter(|c| !c.is_empty())
        .map(|c| hasher.hash_one(c))
        .into_iter()
        .collect();
    let max_empty = Arc::new(AtomicU32::new(DEFAULT_MAX_EMPTY_PAGES));
    let state = State {
        fetch,
        paging,
        at: Some(At::default()),
        stop: None,
        followed,
        hasher,
        empty: 0,
        max_empty: Arc::clone(&max_empty),
    };
    let walk = stream::unfold(state, move |mut state| async move {
        if let Some(message) = state.stop.take() {
            return Some((Err(Error::Pagination { operation, message }), state));
        }
        let at = state.at.take()?;
        let page = match (state.fetch)(at).await {
            Ok(page) => page,
            // The first error ends the stream (`at` stays `None`).
            Err(e) => return Some((Err(e), state)),
        };
        let info = info(&page);
        state.empty = match info.items {
            Some(0) => state.empty.saturating_add(1),
            _ => 0,
        };
        let step = next(&mut state.paging, &mut state.followed, &state.hasher, &info);
        match step {
            // Invariant (a stream never loops): only so many empty pages in a row.
            Ok(Some(_)) if state.empty >= state.max_empty.load(Ordering::Relaxed) => {
                state.stop = Some("too many empty pages in a row");
            }
            Ok(at) => state.at = at,
            // The page is good: it goes out, and the error after it.
            Err(message) => state.stop = Some(message),
        }
        Some((Ok(page), state))
    });
    Paginated::new(walk, max_empty)
}

/// The next request's [`At`], `None` after the last page; an error where the pages do not
/// advance.
fn next(
    paging: &mut Paging,
    followed: &mut HashSet<u64>,
    hasher: &RandomState,
    info: &PageInfo,
) -> Result<Option<At>, &'static str> {
    let items = info.items.map(|n| u64::try_from(n).unwrap_or(u64::MAX));
    if info.has_more == Some(false) {
        return Ok(None);
    }
    let more = info.has_more == Some(true);
    match paging {
        Paging::Cursor => {
            let Some(cursor) = info.next.clone().filter(|c| !c.is_empty()) else {
                return Ok(None);
            };
            // An empty page with a cursor goes on: a filter may have emptied it (Open
            // Finance counts before its status filter); a repeated cursor still stops.
            // Invariant (a stream never loops): a cursor already followed ends the stream.
            if !followed.insert(hasher.hash_one(&cursor)) {
                return Err("a response repeated a cursor already followed");
            }
            Ok(Some(At {
                cursor: Some(cursor),
                ..At::default()
            }))
        }
        Paging::Page { page, first, size } => {
            // An empty page ends the stream whatever it says: numbers only grow, so a server
            // that always says "more" cannot keep it going on empty pages.
            if items == Some(0) {
                return Ok(None);
            }
            let short = matches!((items, *size), (Some(n), Some(s)) if n < s);
            let read = page.saturating_sub(*first).saturating_add(1);
            let all_read = matches!((info.total, *size), (Some(t), Some(s)) if read.saturating_mul(s) >= t)
                || matches!(info.total_pages, Some(p) if read >= p);
            if !more && (short || all_read) {
                return Ok(None);
            }
            *page = page.saturating_add(1);
            Ok(Some(At {
                page: Some(*page),
                ..At::default()
            }))
        }
        Paging::Offset { offset, limit } => {
            let Some(n) = items.filter(|n| *n > 0) else {
                return Ok(None);
            };
            let short = matches!(*limit, Some(l) if n < l);
            *offset = offset.saturating_add(n);
            let all_read = matches!(info.total, Some(t) if *offset >= t);
            if !more && (short || all_read) {
                return Ok(None);
            }
            Ok(Some(At {
                offset: Some(*offset),
                ..At::default()
            }))
        }
    }
}

/// The items of every page, in order: `items` takes them out of a page's body.
pub fn items<'a, B, I, E>(
    pages: Paginated<'a, Response<B>, E>,
    items: fn(B) -> Vec<I>,
) -> Paginated<'a, I, E>
where
    B: 'a,
    I: Send + 'a,
    E: Send + 'a,
{
    let max_empty = Arc::clone(&pages.max_empty);
    let walk = pages.flat_map(move |page| {
        let (batch, error) = match page {
            Ok(page) => (items(page.into_inner()), None),
            Err(e) => (Vec::new(), Some(e)),
        };
        stream::iter(batch.into_iter().map(Ok).chain(error.map(Err)))
    });
    Paginated::new(walk, max_empty)
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use bytes::Bytes;
    use http::{HeaderMap, StatusCode};

    use super::*;
    use crate::response::RawResponse;

    /// A page as the fake server sends it: its items and what it says of the next.
    #[derive(Debug, Clone, serde::Deserialize)]
    struct Page {
        items: Vec<u32>,
        #[serde(default)]
        next: Option<String>,
        #[serde(default)]
        has_more: Option<bool>,
        #[serde(default)]
        total: Option<u64>,
    }

    fn info(page: &Page) -> PageInfo {
        PageInfo {
            next: page.next.clone(),
            has_more: page.has_more,
            items: Some(page.items.len()),
            total: page.total,
            total_pages: None,
        }
    }

    fn response(json: &str) -> Result<Response<Page>, Error<std::convert::Infallible>> {
        RawResponse::new(
            "listThings",
            StatusCode::OK,
            HeaderMap::new(),
            None,
            Bytes::from(json.to_owned()),
        )
        .json()
    }

    /// Runs a stream over `answers` (one per request, in order), returning the items, the
    /// error if the stream ended with one, and the requests' `At`s.
    fn run(
        paging: Paging,
        first_cursor: Option<&str>,
        answers: &[&str],
    ) -> (Vec<u32>, Option<String>, Vec<At>) {
        let asked = Arc::new(Mutex::new(Vec::new()));
        let answers: Vec<String> = answers.iter().map(|a| (*a).to_owned()).collect();
        let log = Arc::clone(&asked);
        let fetch = move |at: At| {
            let mut log = log.lock().expect("lock");
            log.push(at);
            let answer = answers
                .get(log.len() - 1)
                .cloned()
                .unwrap_or_else(|| r#"{"items": [999]}"#.to_owned());
            std::future::ready(response(&answer))
        };
        let stream = items(
            pages("listThings", paging, first_cursor, fetch, info),
            |p: Page| p.items,
        );
        let runtime = tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime");
        let mut stream = stream;
        let mut got = Vec::new();
        let mut error = None;
        runtime.block_on(async {
            loop {
                match stream.try_next().await {
                    Ok(Some(item)) => got.push(item),
                    Ok(None) => break,
                    Err(e) => {
                        error = Some(e.to_string());
                        break;
                    }
                }
            }
        });
        let asked = asked.lock().expect("lock").clone();
        (got, error, asked)
    }

    #[test]
    fn a_cursor_is_followed_until_there_is_none() {
        let (items, error, asked) = run(
            Paging::Cursor,
            None,
            &[
                r#"{"items": [1, 2], "next": "b"}"#,
                r#"{"items": [3], "next": "c"}"#,
                r#"{"items": [4], "next": null}"#,
            ],
        );
        assert_eq!(items, [1, 2, 3, 4]);
        assert_eq!(error, None);
        let cursors: Vec<_> = asked.iter().map(At::cursor).collect();
        assert_eq!(cursors, [None, Some("b"), Some("c")]);
    }

    #[test]
    fn a_cursor_stops_on_has_more_false_or_an_empty_cursor() {
        let (items, _, asked) = run(
            Paging::Cursor,
            None,
            &[r#"{"items": [1], "next": "b", "has_more": false}"#],
        );
        assert_eq!((items, asked.len()), (vec![1], 1));
        let (items, _, asked) = run(Paging::Cursor, None, &[r#"{"items": [1], "next": ""}"#]);
        assert_eq!((items, asked.len()), (vec![1], 1));
        // An empty page with a cursor is not the end (a filter may have emptied it).
        let (items, _, asked) = run(
            Paging::Cursor,
            None,
            &[
                r#"{"items": [], "next": "b"}"#,
                r#"{"items": [1], "next": null}"#,
            ],
        );
        assert_eq!((items, asked.len()), (vec![1], 2));
    }

    #[test]
    fn a_repeated_cursor_ends_the_stream_with_an_error_after_its_page() {
        let (items, error, asked) = run(
            Paging::Cursor,
            Some("a"),
            &[
                r#"{"items": [1], "next": "b"}"#,
                r#"{"items": [2], "next": "a"}"#,
            ],
        );
        assert_eq!(items, [1, 2]);
        assert_eq!(asked.len(), 2);
        let error = error.expect("an error");
        assert!(error.contains("listThings: pagination stopped"), "{error}");
        assert!(
            !error.contains("\"a\""),
            "the cursor is not printed: {error}"
        );
    }

    #[test]
    fn pages_stop_when_short_or_when_the_total_is_read() {
        let paging = Paging::Page {
            page: 1,
            first: 1,
            size: Some(2),
        };
        let (items, _, asked) = run(
            paging,
            None,
            &[
                r#"{"items": [1, 2]}"#,
                r#"{"items": [3, 4]}"#,
                r#"{"items": [5]}"#,
            ],
        );
        assert_eq!(items, [1, 2, 3, 4, 5]);
        let pages: Vec<Option<u32>> = asked.iter().map(At::page).collect();
        assert_eq!(pages, [None, Some(2), Some(3)]);
        // Full pages, but 2 * 2 >= total 4: no third request.
        let (items, _, asked) = run(
            paging,
            None,
            &[
                r#"{"items": [1, 2], "total": 4}"#,
                r#"{"items": [3, 4], "total": 4}"#,
            ],
        );
        assert_eq!((items, asked.len()), (vec![1, 2, 3, 4], 2));
        // An empty page ends the stream even if it says there is more.
        let (items, _, asked) = run(paging, None, &[r#"{"items": [], "has_more": true}"#]);
        assert_eq!((items, asked.len()), (vec![], 1));
    }

    #[test]
    fn offsets_grow_by_the_items_read() {
        let paging = Paging::Offset {
            offset: 10,
            limit: Some(2),
        };
        let (items, _, asked) = run(
            paging,
            None,
            &[
                r#"{"items": [1, 2]}"#,
                r#"{"items": [3, 4]}"#,
                r#"{"items": [5]}"#,
            ],
        );
        assert_eq!(items, [1, 2, 3, 4, 5]);
        let offsets: Vec<Option<i64>> = asked.iter().map(At::offset).collect();
        assert_eq!(offsets, [None, Some(12), Some(14)]);
    }

    #[test]
    fn the_first_error_ends_the_stream() {
        let (items, error, asked) = run(
            Paging::Cursor,
            None,
            &[
                r#"{"items": [1], "next": "b"}"#,
                r#"{"items": "not a list"}"#,
            ],
        );
        assert_eq!(items, [1]);
        assert_eq!(asked.len(), 2);
        assert!(error.expect("an error").contains("listThings"));
    }

    type Answer = Result<Response<Page>, Error<std::convert::Infallible>>;

    /// A server that answers page `n` with `page(n)`, counting requests.
    fn server(
        page: impl Fn(usize) -> String + Send + 'static,
    ) -> (
        Arc<Mutex<usize>>,
        impl FnMut(At) -> std::future::Ready<Answer>,
    ) {
        let asked = Arc::new(Mutex::new(0));
        let log = Arc::clone(&asked);
        let fetch = move |_: At| {
            let mut n = log.lock().expect("lock");
            *n += 1;
            std::future::ready(response(&page(*n)))
        };
        (asked, fetch)
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        tokio::runtime::Builder::new_current_thread()
            .build()
            .expect("runtime")
            .block_on(future)
    }

    // An unfused stream panics when polled past its end ("Unfold must not be polled after it
    // returned Poll::Ready(None)").
    #[test]
    fn streams_stay_ended_after_their_end_or_their_error() {
        let pages_of = |fail_second: bool| {
            server(move |n| match n {
                1 => r#"{"items": [1], "next": "b"}"#.to_owned(),
                _ if fail_second => r#"{"items": "not a list"}"#.to_owned(),
                _ => r#"{"items": [2], "next": null}"#.to_owned(),
            })
        };
        for fail_second in [false, true] {
            let (asked, fetch) = pages_of(fail_second);
            let mut pages = pages("listThings", Paging::Cursor, None, fetch, info);
            let (asked_items, fetch) = pages_of(fail_second);
            let mut items = items(
                super::pages("listThings", Paging::Cursor, None, fetch, info),
                |p: Page| p.items,
            );
            block_on(async {
                assert!(pages.try_next().await.unwrap().is_some());
                assert_eq!(items.try_next().await.unwrap(), Some(1));
                if fail_second {
                    assert!(pages.try_next().await.is_err());
                    assert!(items.try_next().await.is_err());
                } else {
                    assert!(pages.try_next().await.unwrap().is_some());
                    assert_eq!(items.try_next().await.unwrap(), Some(2));
                }
                for _ in 0..3 {
                    assert!(pages.try_next().await.unwrap().is_none());
                    assert_eq!(items.try_next().await.unwrap(), None);
                    assert!(pages.next().await.is_none());
                }
                assert!(pages.is_terminated() && items.is_terminated());
            });
            assert_eq!(*asked.lock().unwrap(), 2);
            assert_eq!(*asked_items.lock().unwrap(), 2);
        }
    }

    // A server that always sends an empty page and a fresh cursor must not be followed forever.
    #[test]
    fn empty_pages_in_a_row_are_bounded() {
        let endless = |n: usize| format!(r#"{{"items": [], "next": "c{n}"}}"#);
        let (asked, fetch) = server(endless);
        let mut stream = items(
            pages("listThings", Paging::Cursor, None, fetch, info),
            |p: Page| p.items,
        );
        let error = block_on(stream.try_next()).unwrap_err();
        assert!(error.to_string().contains("empty pages"), "{error}");
        assert!(matches!(error, Error::Pagination { .. }));
        assert_eq!(*asked.lock().unwrap(), DEFAULT_MAX_EMPTY_PAGES as usize);
        assert_eq!(block_on(stream.try_next()).unwrap(), None);

        let (asked, fetch) = server(endless);
        let mut stream = items(
            pages("listThings", Paging::Cursor, None, fetch, info),
            |p: Page| p.items,
        )
        .max_empty_pages(3);
        assert!(block_on(stream.try_next()).is_err());
        assert_eq!(*asked.lock().unwrap(), 3);

        // A page with items between empty ones starts the count again.
        let (asked, fetch) = server(|n| match n {
            7 => r#"{"items": [7], "next": null}"#.to_owned(),
            3 => r#"{"items": [3], "next": "x"}"#.to_owned(),
            n => format!(r#"{{"items": [], "next": "c{n}"}}"#),
        });
        let stream = items(
            pages("listThings", Paging::Cursor, None, fetch, info),
            |p: Page| p.items,
        )
        .max_empty_pages(4);
        assert_eq!(block_on(stream.try_collect()).unwrap(), [3, 7]);
        assert_eq!(*asked.lock().unwrap(), 7);
    }

    #[test]
    fn numbers_convert_without_panicking() {
        assert_eq!(<i32 as Number>::from_u64(u64::MAX), i32::MAX);
        assert_eq!(<std::num::NonZeroU64 as Number>::from_u64(0).get(), 1);
        assert_eq!(<f64 as Number>::from_u64(3), 3.0);
        assert_eq!(count(Some(&-1_i64)), None);
        assert_eq!(count(Some(&2.5_f64)), None);
        assert_eq!(count(Some(&50.0_f64)), Some(50));
        assert_eq!(count::<i64>(None), None);
    }
}
