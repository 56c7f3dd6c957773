//! The Open Finance operations around Create connection on the wire (wiremock on
//! 127.0.0.1): each sends exactly the documented request, decodes the spec's example and
//! every documented error status (423 for a locked connection) into its variant. The
//! connection and transaction streams walk three pages each. Personal data never shows in
//! `Debug`.

mod common;

use common::prism::outcome;
use common::wire::{Expect, check};
use common::*;
use open_finance_client::{DeleteConnectionError, Error, types};
use serde_json::{Value, json};
use wiremock::MockServer;

const SPEC: &str = "open-finance.yaml";
const CONNECTION: &str = "8f1c2a9e-4b7d-4c1a-9e2f-3d5b6a7c8e9f";

fn client(base: String) -> open_finance_client::Client {
    open_finance_client::Client::builder()
        .base_url(base)
        .bearer_token("of_token")
        .retry_policy(open_finance_client::RetryPolicy::none())
        .build()
        .expect("client")
}

/// Checks one operation: `|c| c.method(args)` must send `expect`.
macro_rules! op {
    ($method:literal $path:literal, $expect:expr, |$c:ident| $call:expr) => {
        check(SPEC, "/v2", ($method, $path), $expect, |base| {
            let $c = client(base);
            async move { outcome($call.await) }
        })
        .await
    };
}

#[tokio::test]
async fn every_data_operation_sends_its_request() {
    let from: types::GetTransactionsDateFrom = "2024-01-01".parse().expect("date");
    let to: types::GetTransactionsDateTo = "2024-03-31".parse().expect("date");
    let (from, to) = (&from, &to);
    op!("get" "/connections",
        Expect::new("GET", "/v2/connections")
            .query("customerId", "cust-1")
            .query("nextPage", "p2")
            .query("status", "ACTIVE"),
        |c| c.get_connections(None, Some("cust-1"), None, Some("p2"), None,
            Some(types::GetConnectionsStatus::Active)));
    op!("delete" "/connections/{connectionId}",
        Expect::new("DELETE", format!("/v2/connections/{CONNECTION}")),
        |c| c.delete_connection(CONNECTION));
    op!("get" "/data/transactions",
        Expect::new("GET", "/v2/data/transactions")
            .query("connectionId", CONNECTION)
            .query("dateFrom", "2024-01-01")
            .query("dateTo", "2024-03-31")
            .query("type", "CARD"),
        |c| c.get_transactions(None, Some(CONNECTION), Some(from), Some(to), None, None, None,
            None, None, Some(types::GetTransactionsType::Card)));
    op!("get" "/data/accounts/{accountId}",
        Expect::new("GET", "/v2/data/accounts/acc-1"),
        |c| c.get_account("acc-1"));
}

#[tokio::test]
async fn a_locked_connection_is_its_own_error() {
    let server = MockServer::start().await;
    mock(
        &server,
        "DELETE",
        &format!("/v2/connections/{CONNECTION}"),
        reply(423),
    )
    .await;
    let err = client(format!("{}/v2", server.uri()))
        .delete_connection(CONNECTION)
        .await
        .expect_err("423");
    assert!(
        matches!(err, Error::Api(DeleteConnectionError::Locked(_))),
        "{err:?}"
    );
    assert!(!err.is_retryable(), "a lock is not a rate limit");
}

#[tokio::test]
async fn personal_data_never_shows_in_debug() {
    let server = MockServer::start().await;
    serve_spec(&server, SPEC, "/v2").await;
    let account = client(format!("{}/v2", server.uri()))
        .get_account("acc-1")
        .await
        .expect("200")
        .into_inner();
    assert_eq!(account.account_number.as_deref(), Some("12-345-678901"));
    let debug = format!("{account:?}");
    assert!(!debug.contains("12-345-678901"), "{debug}");
    assert!(!debug.contains("678901"), "{debug}");
}

#[tokio::test]
async fn the_transactions_stream_follows_next_page_until_null() {
    let server = MockServer::start().await;
    let route = "/v2/data/transactions";
    let items = |ids: &[&str]| -> Vec<Value> {
        ids.iter()
            .map(|i| json!({"id": i, "amount": {"chargedAmount": {"amount": -1.5, "currency": "ILS"}}}))
            .collect()
    };
    page_once(
        &server,
        route,
        "nextPage",
        None,
        json!({"nextPage": "p2", "items": items(&["a", "b"])}),
    )
    .await;
    page_once(
        &server,
        route,
        "nextPage",
        Some("p2"),
        json!({"nextPage": "p3", "items": items(&["c"])}),
    )
    .await;
    page_once(
        &server,
        route,
        "nextPage",
        Some("p3"),
        json!({"nextPage": null, "items": items(&["d"])}),
    )
    .await;
    let client = client(format!("{}/v2", server.uri()));
    let all = client
        .get_transactions_stream(
            None,
            None,
            None,
            None,
            None,
            Some(500.0),
            None,
            None,
            None,
            None,
        )
        .try_collect()
        .await
        .expect("every transaction");
    let ids: Vec<&str> = all.iter().filter_map(|t| t.id.as_deref()).collect();
    assert_eq!(ids, ["a", "b", "c", "d"]);
}

#[tokio::test]
async fn the_connections_stream_follows_next_page_and_tolerates_missing_fields() {
    let server = MockServer::start().await;
    let route = "/v2/connections";
    // Nothing is required: a page may leave out items and count; an empty page with a
    // cursor (its items filtered out) goes on.
    page_once(
        &server,
        route,
        "nextPage",
        None,
        json!({"nextPage": "p2", "items": [{"id": "c1"}]}),
    )
    .await;
    page_once(
        &server,
        route,
        "nextPage",
        Some("p2"),
        json!({"nextPage": "p3"}),
    )
    .await;
    page_once(
        &server,
        route,
        "nextPage",
        Some("p3"),
        json!({"items": [{"id": "c2", "status": "EXPIRED"}]}),
    )
    .await;
    let client = client(format!("{}/v2", server.uri()));
    let mut stream = client.get_connections_stream(None, None, None, None, None, None);
    let mut ids = Vec::new();
    while let Some(connection) = stream.try_next().await.expect("a connection") {
        ids.push(connection.id.unwrap_or_default());
    }
    assert_eq!(ids, ["c1", "c2"]);
}
