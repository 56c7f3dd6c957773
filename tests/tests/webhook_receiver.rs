//! A webhook receiver on axum, as a user writes one (axum is a dev-dependency only): the
//! handler verifies the delivery from the raw body, handles the event, commits it, and
//! answers with `WebhookError::status` otherwise. Served on 127.0.0.1; deliveries are
//! signed as Moov signs them.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::post;
use finapi_runtime::webhook::testing::hmac_sign;
use moov_client::webhooks::{self, Event, Webhooks};

struct App {
    hooks: Webhooks,
    verified_bank_accounts: AtomicUsize,
    fail_next: AtomicUsize,
}

async fn moov_webhook(State(app): State<Arc<App>>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let delivery = match app.hooks.verify(&headers, &body).await {
        Ok(delivery) => delivery,
        Err(e) => return StatusCode::from_u16(e.status()).unwrap_or(StatusCode::BAD_REQUEST),
    };
    if app.fail_next.swap(0, Ordering::SeqCst) == 1 {
        // The handler failed: the delivery is dropped uncommitted, so the retry is accepted.
        return StatusCode::INTERNAL_SERVER_ERROR;
    }
    if let Event::BankAccountUpdated(data) = &delivery.event
        && data.status == moov_client::types::BankAccountStatus::Verified
    {
        app.verified_bank_accounts.fetch_add(1, Ordering::SeqCst);
    }
    match delivery.commit().await {
        Ok(_) => StatusCode::OK,
        Err(e) => StatusCode::from_u16(e.status()).unwrap_or(StatusCode::SERVICE_UNAVAILABLE),
    }
}

#[tokio::test]
async fn an_axum_receiver_processes_each_delivery_once_and_refuses_forgeries() {
    let app = Arc::new(App {
        hooks: webhooks::verifier("whsec-receiver"),
        verified_bank_accounts: AtomicUsize::new(0),
        fail_next: AtomicUsize::new(0),
    });
    let router = Router::new()
        .route("/webhooks/moov", post(moov_webhook))
        .with_state(Arc::clone(&app));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/webhooks/moov", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, router).await });

    let http = finapi_runtime::http_client_builder()
        .timeout(Duration::from_secs(10))
        .build()
        .unwrap();
    let body = serde_json::to_vec(&serde_json::json!({
        "eventID": "262cb5c1-af4b-4b0e-ab74-4b0ea9fa1a39",
        "type": "bankAccount.updated",
        "data": {"bankAccountID": "b1", "accountID": "a1", "status": "verified",
                 "statusReason": "verification-successful"},
        "createdOn": "2024-01-26T20:42:25Z",
    }))
    .unwrap();
    let deliver = |headers: finapi_runtime::export::HeaderMap, body: Vec<u8>| {
        let request = http.post(&url).headers(headers).body(body);
        async move { request.send().await.unwrap().status().as_u16() }
    };
    let signed = hmac_sign(&webhooks::SCHEME, "whsec-receiver", &body);

    app.fail_next.store(1, Ordering::SeqCst);
    assert_eq!(
        deliver(signed.clone(), body.clone()).await,
        500,
        "the handler fails"
    );
    assert_eq!(
        deliver(signed.clone(), body.clone()).await,
        200,
        "the retry is processed"
    );
    assert_eq!(
        deliver(signed.clone(), body.clone()).await,
        200,
        "a replay is acknowledged"
    );
    assert_eq!(
        app.verified_bank_accounts.load(Ordering::SeqCst),
        1,
        "and processed once"
    );

    let forged = hmac_sign(&webhooks::SCHEME, "guessed-secret", &body);
    assert_eq!(deliver(forged, body.clone()).await, 401);
    assert_eq!(deliver(Default::default(), body.clone()).await, 400);
    assert_eq!(app.verified_bank_accounts.load(Ordering::SeqCst), 1);
    server.abort();
}
