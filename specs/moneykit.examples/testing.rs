//! Test your own code against the typed mock: a page walk through a rate limit, a waiter that succeeds and one that fails.

use std::time::Duration;

use moneykit_client::mock::{Fault, MockServer};
use moneykit_client::waiter::WaitError;
use moneykit_client::{Client, Error, GetLinksError, types};

/// Your code: the ids of every link of your app, every page of them.
pub async fn all_link_ids(client: &Client) -> Result<Vec<String>, Error<GetLinksError>> {
    let mut ids = Vec::new();
    let mut links = client.get_links_stream(None, None);
    while let Some(link) = links.try_next().await? {
        ids.push(link.link_id);
    }
    Ok(ids)
}

/// A page of links as MoneyKit sends it (an empty `next_cursor` on the last).
fn page(ids: &[&str], next_cursor: &str) -> types::GetLinksResponse {
    let links: Vec<_> = ids
        .iter()
        .map(|id| serde_json::json!({"link_id": id, "created_at": "2026-12-01T10:00:00Z"}))
        .collect();
    serde_json::from_value(serde_json::json!({"links": links, "next_cursor": next_cursor}))
        .expect("a page of links as MoneyKit sends it")
}

/// A link in `state`, as MoneyKit sends it.
fn link(state: &str) -> types::LinkCommon {
    serde_json::from_value(serde_json::json!({
        "link_id": "mk_eqkWN34UEoa2NxyALG8pcV",
        "institution_id": "chase",
        "institution_name": "Chase",
        "institution_avatar": "https://example.com/avatar.png",
        "provider": "moneykit",
        "state": state,
        "products": {},
        "available_products": ["accounts", "transactions"],
    }))
    .expect("a link as MoneyKit sends it")
}

#[tokio::main(flavor = "current_thread")]
pub async fn main() {
    let server = MockServer::start().await;
    let client = server.client();

    // A rate limit, then two pages: the client waits as asked and retries, the stream
    // follows the cursor.
    let retry_after = Duration::ZERO;
    let links = server.get_links();
    links.once().fault(Fault::RateLimited { retry_after }).await;
    let pages = [page(&["mk_1", "mk_2"], "c2"), page(&["mk_3"], "")];
    server.get_links().pages(pages).await;
    assert_eq!(
        all_link_ids(&client).await.unwrap(),
        ["mk_1", "mk_2", "mk_3"]
    );
    let sent = server.get_links().received().await;
    assert_eq!(sent.len(), 3, "the rate-limited request, then one per page");
    assert_eq!(sent[2].query("cursor"), Some("c2"));

    // A waiter that succeeds: connecting, then awaiting the token exchange, then connected.
    server.reset().await;
    for state in ["connecting", "awaiting_token_exchange"] {
        server.get_link().once().respond(Ok(link(state))).await;
    }
    server.get_link().respond(Ok(link("connected"))).await;
    let done = client
        .wait_for_link_connected("mk_eqkWN34UEoa2NxyALG8pcV")
        .min_delay(Duration::from_millis(10))
        .max_wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(done.state, types::LinkState::Connected);

    // A waiter that ends in a failure state, named in the error.
    server.reset().await;
    server.get_link().respond(Ok(link("error"))).await;
    let e = client
        .wait_for_link_connected("mk_eqkWN34UEoa2NxyALG8pcV")
        .min_delay(Duration::from_millis(10))
        .await
        .unwrap_err();
    assert!(matches!(e, WaitError::Failed { ref state, .. } if state == "error"));
    println!("the mock answered every test");
}
