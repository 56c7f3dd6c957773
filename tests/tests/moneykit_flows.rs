//! The MoneyKit operations around Get Link Account on the wire (wiremock on 127.0.0.1): each
//! sends exactly the documented request, decodes the spec's example and every documented
//! error status into its variant. The three streams walk three pages each. Account numbers
//! never show in `Debug`.

mod common;

use common::prism::outcome;
use common::wire::{Expect, check};
use common::*;
use moneykit_client::types;
use serde_json::{Value, json};
use wiremock::MockServer;

const SPEC: &str = "moneykit.yaml";
const LINK: &str = "mk_eqkWN34UEoa2NxyALG8pcV";

fn client(base: String) -> moneykit_client::Client {
    moneykit_client::Client::builder()
        .base_url(base)
        .bearer_token("mk_token")
        .retry_policy(moneykit_client::RetryPolicy::none())
        .build()
        .expect("client")
}

/// Checks one operation: `|c| c.method(args)` must send `expect`.
macro_rules! op {
    ($method:literal $path:literal, $expect:expr, |$c:ident| $call:expr) => {
        check(SPEC, "", ($method, $path), $expect, |base| {
            let $c = client(base);
            async move { outcome($call.await) }
        })
        .await
    };
}

fn example(pointer: &str) -> Value {
    spec_example(SPEC, pointer)
}

#[tokio::test]
async fn link_session_and_link_operations_send_their_requests() {
    let session_json =
        example("/paths/~1link-session/post/requestBody/content/application~1json/example");
    let session: types::CreateLinkSessionRequest =
        serde_json::from_value(session_json.clone()).expect("example");
    let exchange = types::ExchangeTokenRequest {
        exchangeable_token: "ext_1".into(),
    };
    let update = types::UpdateLinkRequest {
        webhook: None,
        link_tags: vec!["premium".into()],
        tags: Vec::new(),
    };
    let refresh = types::RefreshProductsRequest {
        products: vec![types::Product::Transactions],
    };
    let test_event = types::WebhookTestLinkRequest {
        webhook_event: types::WebhookLinkTestEvent::LinkStateChanged,
        webhook_idempotency_key: "k1".into(),
    };
    let (session, exchange, update, refresh, test_event) =
        (&session, &exchange, &update, &refresh, &test_event);
    let accounts = vec!["acc_1".to_owned(), "acc_2".to_owned()];
    let accounts = &accounts;

    // The example as sent: defaults the example leaves out go explicitly.
    let mut sent = session_json;
    sent["settings"]["products"]["transactions"]["prefetch"] = json!(false);
    sent["settings"]["products"]["transactions"]["require_permission"] = json!(false);
    op!("post" "/link-session", Expect::new("POST", "/link-session").body(sent),
        |c| c.create_link_session(session));
    op!("post" "/link-session/exchange-token",
        Expect::new("POST", "/link-session/exchange-token")
            .body(json!({"exchangeable_token": "ext_1"})),
        |c| c.exchange_token(exchange));
    op!("get" "/links", Expect::new("GET", "/links").query("cursor", "c1").query("limit", "500"),
        |c| c.get_links(Some("c1"), Some(500)));
    op!("get" "/links/{id}", Expect::new("GET", format!("/links/{LINK}")),
        |c| c.get_link(LINK));
    op!("patch" "/links/{id}",
        Expect::new("PATCH", format!("/links/{LINK}")).body(json!({"link_tags": ["premium"]})),
        |c| c.update_link(LINK, update));
    op!("delete" "/links/{id}", Expect::new("DELETE", format!("/links/{LINK}")),
        |c| c.delete_link(LINK));
    op!("get" "/links/{id}/accounts",
        Expect::new("GET", format!("/links/{LINK}/accounts"))
            .query("account_ids", "acc_1")
            .query("account_ids", "acc_2"),
        |c| c.get_accounts(LINK, Some(accounts)));
    op!("get" "/links/{id}/accounts/numbers",
        Expect::new("GET", format!("/links/{LINK}/accounts/numbers")),
        |c| c.get_account_numbers(LINK));
    op!("post" "/links/{id}/products",
        Expect::new("POST", format!("/links/{LINK}/products"))
            .body(json!({"products": ["transactions"]})),
        |c| c.refresh_products(LINK, refresh));
    op!("get" "/.well-known/jwks.json",
        Expect::new("GET", "/.well-known/jwks.json").header("x-client-id", "client_abc123"),
        |c| c.get_jwks(Some("client_abc123")));
    op!("post" "/webhooks/test/link/{id}",
        Expect::new("POST", format!("/webhooks/test/link/{LINK}"))
            .body(json!({"webhook_event": "link.state_changed", "webhook_idempotency_key": "k1"})),
        |c| c.trigger_test_link_webhook_event(LINK, test_event));
}

#[tokio::test]
async fn transaction_operations_send_their_requests() {
    let from = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
    let to = chrono::NaiveDate::from_ymd_opt(2023, 2, 28).expect("date");
    let (from, to) = (&from, &to);
    let size = std::num::NonZeroU64::new(100);
    op!("get" "/links/{id}/transactions",
        Expect::new("GET", format!("/links/{LINK}/transactions"))
            .query("page", "2")
            .query("size", "100")
            .query("start_date", "2023-01-01")
            .query("end_date", "2023-02-28"),
        |c| c.get_transactions(LINK, None, Some(to), std::num::NonZeroU64::new(2), size, Some(from)));
    op!("get" "/links/{id}/transactions/sync",
        Expect::new("GET", format!("/links/{LINK}/transactions/sync")).query("cursor", "c1"),
        |c| c.transactions_sync(LINK, Some("c1"), None));
}

#[tokio::test]
async fn jwks_is_fetched_without_credentials() {
    let server = MockServer::start().await;
    serve_spec(&server, SPEC, "").await;
    let keys = client(server.uri()).get_jwks(None).await.expect("200");
    assert_eq!(keys.keys.len(), 1);
    let request = only_request(&server).await;
    assert!(
        header(&request, "authorization").is_none(),
        "no credentials on JWKS"
    );
}

#[tokio::test]
async fn account_numbers_never_show_in_debug() {
    let server = MockServer::start().await;
    serve_spec(&server, SPEC, "").await;
    let numbers = client(server.uri())
        .get_account_numbers(LINK)
        .await
        .expect("200")
        .into_inner();
    let ach = &numbers.accounts[0].numbers.ach[0];
    assert_eq!(ach.account_number.as_str(), "0004321567000");
    let debug = format!("{numbers:?}");
    for secret in ["0004321567000", "011401533", "021000021"] {
        assert!(!debug.contains(secret), "{secret} in {debug}");
    }
}

fn transaction(id: &str) -> Value {
    let mut tx = example(
        "/paths/~1links~1{id}~1transactions/get/responses/200/content/application~1json/example/transactions/0",
    );
    tx["transaction_id"] = json!(id);
    tx
}

#[tokio::test]
async fn the_transactions_stream_walks_pages_until_the_total() {
    let server = MockServer::start().await;
    let route = format!("/links/{LINK}/transactions");
    let base = example(
        "/paths/~1links~1{id}~1transactions/get/responses/200/content/application~1json/example",
    );
    let body = |page: u64, ids: &[&str]| {
        let mut b = base.clone();
        b["total"] = json!(5);
        b["page"] = json!(page);
        b["size"] = json!(2);
        b["transactions"] = Value::Array(ids.iter().map(|i| transaction(i)).collect());
        b
    };
    page_once(&server, &route, "page", None, body(1, &["t1", "t2"])).await;
    page_once(&server, &route, "page", Some("2"), body(2, &["t3", "t4"])).await;
    page_once(&server, &route, "page", Some("3"), body(3, &["t5"])).await;
    let client = client(server.uri());
    let all = client
        .get_transactions_stream(LINK, None, None, None, std::num::NonZeroU64::new(2), None)
        .try_collect()
        .await
        .expect("every transaction");
    let ids: Vec<&str> = all.iter().map(|t| t.transaction_id.as_str()).collect();
    assert_eq!(ids, ["t1", "t2", "t3", "t4", "t5"]);
}

#[tokio::test]
async fn the_links_stream_ends_on_an_empty_cursor() {
    let server = MockServer::start().await;
    let links = |ids: &[&str], next: &str| {
        let list: Vec<Value> = ids
            .iter()
            .map(|i| json!({"link_id": i, "created_at": "2023-02-16T09:14:11Z"}))
            .collect();
        json!({"links": list, "next_cursor": next})
    };
    page_once(
        &server,
        "/links",
        "cursor",
        None,
        links(&["l1", "l2"], "c2"),
    )
    .await;
    page_once(
        &server,
        "/links",
        "cursor",
        Some("c2"),
        links(&["l3"], "c3"),
    )
    .await;
    page_once(&server, "/links", "cursor", Some("c3"), links(&["l4"], "")).await;
    let client = client(server.uri());
    let all = client
        .get_links_stream(None, None)
        .try_collect()
        .await
        .expect("every link");
    let ids: Vec<&str> = all.iter().map(|l| l.link_id.as_str()).collect();
    assert_eq!(ids, ["l1", "l2", "l3", "l4"]);
}

#[tokio::test]
async fn a_sync_walks_pages_while_has_more_and_hands_back_the_last_cursor() {
    let server = MockServer::start().await;
    let route = format!("/links/{LINK}/transactions/sync");
    let base = example(
        "/paths/~1links~1{id}~1transactions~1sync/get/responses/200/content/application~1json/example",
    );
    let body = |created: &[&str], next: &str, more: bool| {
        let mut b = base.clone();
        b["transactions"]["created"] =
            Value::Array(created.iter().map(|i| transaction(i)).collect());
        b["transactions"]["removed"] = json!([]);
        b["cursor"]["next"] = json!(next);
        b["has_more"] = json!(more);
        b
    };
    page_once(&server, &route, "cursor", None, body(&["t1"], "c1", true)).await;
    page_once(
        &server,
        &route,
        "cursor",
        Some("c1"),
        body(&["t2"], "c2", true),
    )
    .await;
    page_once(
        &server,
        &route,
        "cursor",
        Some("c2"),
        body(&[], "c3", false),
    )
    .await;
    let client = client(server.uri());
    let mut sync = client.transactions_sync_pages(LINK, None, None);
    let mut created = Vec::new();
    let mut last_cursor = None;
    while let Some(page) = sync.try_next().await.expect("a page") {
        created.extend(
            page.transactions
                .created
                .iter()
                .map(|t| t.transaction_id.clone()),
        );
        last_cursor = page.cursor.next.clone();
    }
    assert_eq!(created, ["t1", "t2"]);
    assert_eq!(last_cursor.as_deref(), Some("c3"));
}
