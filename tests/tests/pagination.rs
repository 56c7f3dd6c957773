//! Auto-pagination on the wire (`fixtures/specs/paging.yaml`): three pages in each style (a
//! cursor the page gives, a cursor from the last item, page numbers, offsets over a bare
//! array, a page-level sync feed, pagination declared in the settings), what each request
//! asked for, and the stops: the first error, a repeated cursor, a short page, the total.

mod common;

use std::time::Duration;

use common::page_once;
use serde_json::{Value, json};
use snapshot_paging::{Client, Error, ListNotesError};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn client(server: &MockServer) -> Client {
    Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
        .retry_policy(snapshot_paging::RetryPolicy::none())
        .build()
        .expect("client")
}

/// The value of `key` in each request's query, in order.
async fn asked(server: &MockServer, key: &str) -> Vec<Option<String>> {
    server
        .received_requests()
        .await
        .expect("recorded")
        .iter()
        .map(|r| {
            r.url
                .query_pairs()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.into_owned())
        })
        .collect()
}

fn note(id: u8, text: &str) -> Value {
    json!({"id": format!("00000000-0000-0000-0000-0000000000{id:02}"), "text": text})
}

#[tokio::test]
async fn a_cursor_stream_follows_next_page_through_three_pages() {
    let server = MockServer::start().await;
    let route = "/notes";
    page_once(
        &server,
        route,
        "nextPage",
        None,
        json!({"nextPage": "p2", "items": [note(1, "a"), note(2, "b")]}),
    )
    .await;
    page_once(
        &server,
        route,
        "nextPage",
        Some("p2"),
        json!({"nextPage": "p3", "items": [note(3, "c")]}),
    )
    .await;
    page_once(
        &server,
        route,
        "nextPage",
        Some("p3"),
        json!({"nextPage": null, "items": [note(4, "d")]}),
    )
    .await;
    let client = client(&server);
    let notes = client
        .list_notes_stream(std::num::NonZeroU64::new(2), None)
        .try_collect()
        .await
        .expect("every note");
    let texts: Vec<&str> = notes.iter().map(|n| n.text.as_str()).collect();
    assert_eq!(texts, ["a", "b", "c", "d"]);
    assert_eq!(
        asked(&server, "nextPage").await,
        [None, Some("p2".into()), Some("p3".into())]
    );
    // The other arguments go with every request.
    assert_eq!(asked(&server, "limit").await, vec![Some("2".to_owned()); 3]);
}

#[tokio::test]
async fn an_empty_page_with_a_cursor_goes_on_and_pages_keep_their_status() {
    let server = MockServer::start().await;
    // A filter may empty a page that is not the last: its cursor is followed.
    page_once(
        &server,
        "/notes",
        "nextPage",
        None,
        json!({"nextPage": "p2", "items": []}),
    )
    .await;
    page_once(
        &server,
        "/notes",
        "nextPage",
        Some("p2"),
        json!({"nextPage": null, "items": [note(1, "a")]}),
    )
    .await;
    let pages = client(&server)
        .list_notes_pages(None, None)
        .try_collect()
        .await
        .expect("pages");
    assert_eq!(pages.len(), 2);
    assert_eq!(pages[1].status(), 200);
    assert_eq!(pages[1].items[0].text, "a");
}

#[tokio::test]
async fn the_first_error_ends_the_stream_typed_as_the_calls() {
    let server = MockServer::start().await;
    page_once(
        &server,
        "/notes",
        "nextPage",
        None,
        json!({"nextPage": "p2", "items": [note(1, "a")]}),
    )
    .await;
    Mock::given(method("GET"))
        .and(path("/notes"))
        .and(query_param("nextPage", "p2"))
        .respond_with(ResponseTemplate::new(400).set_body_json(json!({"code": "bad_cursor"})))
        .expect(1)
        .mount(&server)
        .await;
    let client = client(&server);
    let mut stream = client.list_notes_stream(None, None);
    assert_eq!(
        stream
            .try_next()
            .await
            .expect("first")
            .expect("a note")
            .text,
        "a"
    );
    match stream.try_next().await {
        Err(Error::Api(ListNotesError::BadRequest(e))) => assert_eq!(e.body().code, "bad_cursor"),
        other => panic!("{other:?}"),
    }
    // Nothing after the error, and no further request.
    assert!(matches!(stream.try_next().await, Ok(None)));
    assert_eq!(asked(&server, "nextPage").await.len(), 2);
}

#[tokio::test]
async fn a_repeated_cursor_ends_the_stream_instead_of_looping() {
    let server = MockServer::start().await;
    page_once(
        &server,
        "/notes",
        "nextPage",
        Some("p1"),
        json!({"nextPage": "p2", "items": [note(1, "a")]}),
    )
    .await;
    page_once(
        &server,
        "/notes",
        "nextPage",
        Some("p2"),
        json!({"nextPage": "p1", "items": [note(2, "b")]}),
    )
    .await;
    let client = client(&server);
    let mut stream = client.list_notes_stream(None, Some("p1"));
    let mut texts = Vec::new();
    let error = loop {
        match stream.try_next().await {
            Ok(Some(n)) => texts.push(n.text),
            Ok(None) => panic!("the stream ended without an error"),
            Err(e) => break e,
        }
    };
    assert_eq!(texts, ["a", "b"]);
    assert!(
        matches!(
            error,
            Error::Pagination {
                operation: "listNotes",
                ..
            }
        ),
        "{error:?}"
    );
    let shown = error.to_string();
    assert!(!shown.contains("p1"), "the cursor is not printed: {shown}");
    assert!(!error.is_retryable());
}

/// A server whose every page of notes is empty and names a fresh cursor.
async fn endless_empty_pages() -> MockServer {
    let server = MockServer::start().await;
    let served = std::sync::atomic::AtomicUsize::new(0);
    Mock::given(method("GET"))
        .and(path("/notes"))
        .respond_with(move |_: &wiremock::Request| {
            let n = served.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            ResponseTemplate::new(200)
                .set_body_json(json!({"nextPage": format!("p{n}"), "items": []}))
        })
        .mount(&server)
        .await;
    server
}

// Unbounded, such a server gets thousands of requests a second; an unfused stream panics
// when asked again after its end.
#[tokio::test]
async fn endless_empty_pages_end_the_stream_which_then_stays_ended() {
    let server = endless_empty_pages().await;
    let first = client(&server);
    let mut notes = first.list_notes_stream(None, None);
    let error = notes.try_next().await.unwrap_err();
    assert!(
        matches!(
            error,
            Error::Pagination {
                operation: "listNotes",
                ..
            }
        ),
        "{error:?}"
    );
    assert!(error.to_string().contains("empty pages"), "{error}");
    let bound = finapi_runtime::pagination::DEFAULT_MAX_EMPTY_PAGES as usize;
    assert_eq!(asked(&server, "nextPage").await.len(), bound);
    for _ in 0..3 {
        assert!(notes.try_next().await.unwrap().is_none());
    }
    assert_eq!(
        asked(&server, "nextPage").await.len(),
        bound,
        "no request after the end"
    );

    let server = endless_empty_pages().await;
    let other = client(&server);
    let mut pages = other.list_notes_pages(None, None).max_empty_pages(5);
    for _ in 0..5 {
        assert!(pages.try_next().await.unwrap().is_some());
    }
    assert!(matches!(
        pages.try_next().await,
        Err(Error::Pagination { .. })
    ));
    for _ in 0..3 {
        assert!(pages.try_next().await.unwrap().is_none());
    }
    assert_eq!(asked(&server, "nextPage").await.len(), 5);
    assert!(futures_util::stream::FusedStream::is_terminated(&pages));
}

#[tokio::test]
async fn a_cursor_from_the_last_item_stops_when_has_more_is_false() {
    let server = MockServer::start().await;
    let token = |n: u8| format!("00000000-0000-0000-0000-0000000000{n:02}");
    let event = |n: u8| json!({"token": token(n), "kind": "k"});
    page_once(
        &server,
        "/events",
        "starting_after",
        None,
        json!({"data": [event(1), event(2)], "has_more": true}),
    )
    .await;
    page_once(
        &server,
        "/events",
        "starting_after",
        Some(&token(2)),
        json!({"data": [event(3)], "has_more": true}),
    )
    .await;
    page_once(
        &server,
        "/events",
        "starting_after",
        Some(&token(3)),
        json!({"data": [event(4)], "has_more": false}),
    )
    .await;
    let events = client(&server)
        .list_events_stream(Some(2), None)
        .try_collect()
        .await
        .expect("events");
    let tokens: Vec<String> = events.iter().map(|e| e.token.to_string()).collect();
    assert_eq!(tokens, [token(1), token(2), token(3), token(4)]);
    assert_eq!(
        asked(&server, "starting_after").await,
        [None, Some(token(2)), Some(token(3))]
    );
}

#[tokio::test]
async fn page_numbers_count_up_until_a_short_page() {
    let server = MockServer::start().await;
    let route = "/ledgers/main/entries";
    let entries = |amounts: &[i64]| -> Value {
        let list: Vec<Value> = amounts.iter().map(|a| json!({"amount": a})).collect();
        json!({"entries": list, "meta": {"total": 99, "page": 0}})
    };
    page_once(&server, route, "page", None, entries(&[1, 2])).await;
    page_once(&server, route, "page", Some("2"), entries(&[3, 4])).await;
    page_once(&server, route, "page", Some("3"), entries(&[5])).await;
    // No size given: the spec's default (2) says what a full page holds.
    let entries = client(&server)
        .list_entries_stream("main", None, None)
        .try_collect()
        .await
        .expect("entries");
    let amounts: Vec<i64> = entries.iter().map(|e| e.amount).collect();
    assert_eq!(amounts, [1, 2, 3, 4, 5]);
    assert_eq!(
        asked(&server, "page").await,
        [None, Some("2".into()), Some("3".into())]
    );
}

#[tokio::test]
async fn page_numbers_stop_once_the_total_is_read() {
    let server = MockServer::start().await;
    let route = "/ledgers/main/entries";
    let body = |a: i64, b: i64| json!({"entries": [{"amount": a}, {"amount": b}], "meta": {"total": 6, "page": 0}});
    page_once(&server, route, "page", Some("2"), body(3, 4)).await;
    page_once(&server, route, "page", Some("3"), body(5, 6)).await;
    // Starting at page 2 of 2-item pages: pages 2 and 3 hold items 3 to 6 of 6.
    let entries = client(&server)
        .list_entries_stream(
            "main",
            std::num::NonZeroU64::new(2),
            std::num::NonZeroU64::new(2),
        )
        .try_collect()
        .await
        .expect("entries");
    assert_eq!(entries.len(), 4);
    assert_eq!(
        asked(&server, "page").await,
        [Some("2".into()), Some("3".into())]
    );
}

#[tokio::test]
async fn offsets_grow_by_the_items_of_a_bare_array() {
    let server = MockServer::start().await;
    let transfers = |ids: &[&str]| -> Value {
        Value::Array(ids.iter().map(|i| json!({"transferID": i})).collect())
    };
    page_once(&server, "/transfers", "skip", None, transfers(&["a", "b"])).await;
    page_once(
        &server,
        "/transfers",
        "skip",
        Some("2"),
        transfers(&["c", "d"]),
    )
    .await;
    page_once(&server, "/transfers", "skip", Some("4"), transfers(&["e"])).await;
    let all = client(&server)
        .list_transfers_stream(Some(2), None)
        .try_collect()
        .await
        .expect("transfers");
    let ids: Vec<&str> = all.iter().map(|t| t.transfer_id.as_str()).collect();
    assert_eq!(ids, ["a", "b", "c", "d", "e"]);
    assert_eq!(
        asked(&server, "skip").await,
        [None, Some("2".into()), Some("4".into())]
    );
}

#[tokio::test]
async fn a_sync_feed_is_walked_page_by_page_while_has_more() {
    let server = MockServer::start().await;
    let changes = |created: &[&str], next: &str, more: bool| json!({"changes": {"created": created, "removed": []}, "cursor": {"next": next}, "has_more": more});
    page_once(
        &server,
        "/sync",
        "cursor",
        Some("c0"),
        changes(&["a"], "c1", true),
    )
    .await;
    page_once(
        &server,
        "/sync",
        "cursor",
        Some("c1"),
        changes(&["b"], "c2", true),
    )
    .await;
    page_once(
        &server,
        "/sync",
        "cursor",
        Some("c2"),
        changes(&[], "c3", false),
    )
    .await;
    let pages = client(&server)
        .sync_changes_pages(Some("c0"))
        .try_collect()
        .await
        .expect("pages");
    let created: Vec<&str> = pages
        .iter()
        .flat_map(|p| p.changes.created.iter().map(String::as_str))
        .collect();
    assert_eq!(created, ["a", "b"]);
    // The last page's cursor is where the next sync starts.
    assert_eq!(
        pages.last().and_then(|p| p.cursor.next.as_deref()),
        Some("c3")
    );
}

#[tokio::test]
async fn pagination_the_settings_declare_works_as_the_specs() {
    let server = MockServer::start().await;
    let body = |ids: &[u8]| {
        let notes: Vec<Value> = ids.iter().map(|i| note(*i, "n")).collect();
        json!({"notes": notes, "total": 5})
    };
    page_once(&server, "/archive", "offset", None, body(&[1, 2])).await;
    page_once(&server, "/archive", "offset", Some("2.0"), body(&[3, 4])).await;
    page_once(&server, "/archive", "offset", Some("4.0"), body(&[5])).await;
    let notes = client(&server)
        .list_archive_stream(Some(2.0), None)
        .try_collect()
        .await
        .expect("notes");
    assert_eq!(notes.len(), 5);
    // The spec says `type: number`: a number goes as serde writes an f64.
    assert_eq!(
        asked(&server, "offset").await,
        [None, Some("2.0".into()), Some("4.0".into())]
    );
}

#[test]
fn streams_are_send_so_they_can_be_spawned() {
    fn send<T: Send>(_: &T) {}
    let client = Client::builder()
        .base_url("http://127.0.0.1:9")
        .build()
        .expect("client");
    send(&client.list_notes_stream(None, None));
    send(&client.list_entries_pages("x", None, None));
}
