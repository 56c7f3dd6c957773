//! Test your own code against the typed mock: a page walk through a dropped connection, a waiter that succeeds and one that fails.

use std::time::Duration;

use open_finance_client::mock::{Fault, MockServer};
use open_finance_client::waiter::WaitError;
use open_finance_client::{Client, Error, GetConnectionsError, types};

/// Your code: the ids of the user's connections that are active, every page of them.
pub async fn active_connections(
    client: &Client,
) -> Result<Vec<String>, Error<GetConnectionsError>> {
    let mut active = Vec::new();
    let mut connections = client.get_connections_stream(None, None, None, None, None, None);
    while let Some(c) = connections.try_next().await? {
        if c.status == Some(types::ConnectionStatus::Active) {
            active.extend(c.id);
        }
    }
    Ok(active)
}

/// A page of connections (`(id, status)`) as Open Finance sends it (`nextPage` null on the
/// last).
fn page(connections: &[(&str, &str)], next_page: Option<&str>) -> types::ConnectionsPage {
    let items: Vec<_> = connections
        .iter()
        .map(|(id, status)| serde_json::json!({"id": id, "userId": "user-1234", "status": status}))
        .collect();
    serde_json::from_value(serde_json::json!({
        "count": items.len(),
        "items": items,
        "nextPage": next_page,
    }))
    .expect("a page of connections as Open Finance sends it")
}

#[tokio::main(flavor = "current_thread")]
pub async fn main() {
    let server = MockServer::start().await;
    let client = server.client();

    // A dropped connection, then two pages: the client retries the GET, the stream follows
    // `nextPage`.
    server
        .get_connections()
        .once()
        .fault(Fault::Disconnect)
        .await;
    let first = page(&[("c1", "ACTIVE"), ("c2", "EXPIRED")], Some("p2"));
    let last = page(&[("c3", "ACTIVE")], None);
    server.get_connections().pages([first, last]).await;
    assert_eq!(active_connections(&client).await.unwrap(), ["c1", "c3"]);
    let sent = server.get_connections().received().await;
    assert_eq!(sent.last().and_then(|r| r.query("nextPage")), Some("p2"));

    // A waiter that succeeds: the new connection is not listed yet, then fetching, then
    // active.
    server.reset().await;
    let polls = [
        page(&[("c1", "ACTIVE")], None),
        page(&[("c9", "FETCHING")], None),
    ];
    for answer in polls {
        server.get_connections().once().respond(Ok(answer)).await;
    }
    let active = page(&[("c1", "ACTIVE"), ("c9", "ACTIVE")], None);
    server.get_connections().respond(Ok(active)).await;
    let done = client
        .wait_for_connection_ready("c9")
        .min_delay(Duration::from_millis(10))
        .max_wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(done.id.as_deref(), Some("c9"));

    // A waiter that ends in a failure state, named in the error.
    server.reset().await;
    let rejected = page(&[("c9", "REJECTED")], None);
    server.get_connections().respond(Ok(rejected)).await;
    let e = client
        .wait_for_connection_ready("c9")
        .min_delay(Duration::from_millis(10))
        .await
        .unwrap_err();
    assert!(matches!(e, WaitError::Failed { ref state, .. } if state == "REJECTED"));
    println!("the mock answered every test");
}
