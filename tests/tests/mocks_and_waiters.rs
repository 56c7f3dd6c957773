//! The generated crates' typed mocks (feature `mock`) and waiters, end to end: each scripted
//! answer reaches the client as the provider's would (typed success, typed error with its
//! body, each fault), received requests come back typed, and waiters end in each of their
//! ways (success, failure state, time out, an error waiting does not mend), bounded in time.

use std::time::{Duration, Instant};

use moov_client::mock::{Fault, MockServer, Reply};
use moov_client::types::{
    BankAccount, BankAccountHolderType, BankAccountIntegration, BankAccountPayload,
    BankAccountStatus, BankAccountType, BankAccountValidationError, LinkBankAccountRequest,
};
use moov_client::waiter::WaitError;
use moov_client::{ApiError, Error, GetBankAccountError, LinkBankAccountError, RetryPolicy};
use serde_json::json;

const ACCOUNT: uuid::Uuid = uuid::uuid!("456cb5b6-20dc-4585-97b4-745d013adb1f");
const BANK_ACCOUNT: uuid::Uuid = uuid::uuid!("0c5cb5b6-20dc-4585-97b4-745d013adb1f");

fn bank_account(status: &str) -> BankAccount {
    serde_json::from_value(json!({
        "bankAccountID": BANK_ACCOUNT,
        "fingerprint": "9948962d92a1ce40c9f918cd9ece3a22bde62fb325a2f1fe2e833969de672ba3",
        "status": status,
        "holderName": "Jules Jackson",
        "holderType": "individual",
        "bankName": "Chase",
        "bankAccountType": "checking",
        "routingNumber": "021000021",
        "lastFourAccountNumber": "7890",
        "updatedOn": "2026-12-01T10:00:00Z",
    }))
    .unwrap()
}

fn link_body() -> LinkBankAccountRequest {
    LinkBankAccountRequest::BankAccountPayload(BankAccountPayload {
        account: BankAccountIntegration {
            holder_name: "Jules Jackson".into(),
            holder_type: BankAccountHolderType::Individual,
            account_number: "0004321567000".into(),
            bank_account_type: BankAccountType::Checking,
            routing_number: "123456789".into(),
        },
    })
}

fn no_retries(server: &MockServer) -> moov_client::Client {
    server
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .build()
        .unwrap()
}

#[tokio::test]
async fn a_success_and_the_request_come_back_typed() {
    let server = MockServer::start().await;
    let client = server.client();
    server
        .link_bank_account()
        .respond(Ok(bank_account("new")))
        .await;
    let linked = client
        .link_bank_account(&ACCOUNT, None, &link_body())
        .await
        .unwrap();
    assert_eq!(linked.status().as_u16(), 200);
    assert_eq!(linked.into_inner(), bank_account("new"));

    let received = server.link_bank_account().received().await;
    assert_eq!(received.len(), 1);
    let request = &received[0];
    assert_eq!(request.path, format!("/accounts/{ACCOUNT}/bank-accounts"));
    assert_eq!(
        request.body,
        Some(link_body()),
        "the body, decoded as the request type"
    );
    assert!(request.header("authorization").is_some());
    // Debug names the headers, never their values (the credentials among them).
    let printed = format!("{request:?}");
    assert!(
        printed.contains("authorization") && !printed.contains("mock-token"),
        "{printed}"
    );
    // Another operation's mock saw nothing.
    assert!(server.get_bank_account().received().await.is_empty());
}

#[tokio::test]
async fn a_typed_error_arrives_as_its_variant_with_its_body() {
    let server = MockServer::start().await;
    let client = server.client();
    let body = BankAccountValidationError {
        account: Some("the routing number is not valid".into()),
        error: None,
        mx: None,
        plaid: None,
        plaid_link: None,
    };
    let error = LinkBankAccountError::UnprocessableEntity(ApiError::mock(body.clone()));
    server.link_bank_account().respond(Err(error)).await;
    let e = client
        .link_bank_account(&ACCOUNT, None, &link_body())
        .await
        .unwrap_err();
    match e.api() {
        Some(LinkBankAccountError::UnprocessableEntity(got)) => {
            assert_eq!(got.status().as_u16(), 422);
            assert_eq!(got.body(), &body);
        }
        other => panic!("not the 422 variant: {other:?}"),
    }

    // A status the spec does not document, given its own.
    server.reset().await;
    let teapot = ApiError::mock_with_status(
        finapi_runtime::export::StatusCode::from_u16(418).unwrap(),
        bytes::Bytes::from_static(b"short and stout"),
    );
    server
        .get_bank_account()
        .respond(Err(GetBankAccountError::Undocumented(teapot)))
        .await;
    let e = client
        .get_bank_account(&ACCOUNT, &BANK_ACCOUNT)
        .await
        .unwrap_err();
    match e.api() {
        Some(GetBankAccountError::Undocumented(got)) => {
            assert_eq!(got.status().as_u16(), 418);
            assert_eq!(got.body().as_ref(), b"short and stout");
        }
        other => panic!("not Undocumented: {other:?}"),
    }
}

#[tokio::test]
async fn a_rate_limit_is_waited_out_as_it_asks() {
    let server = MockServer::start().await;
    let client = server.client();
    let retry_after = Duration::from_secs(1);
    server
        .get_bank_account()
        .once()
        .fault(Fault::RateLimited { retry_after })
        .await;
    server
        .get_bank_account()
        .respond(Ok(bank_account("verified")))
        .await;
    let start = Instant::now();
    let got = client
        .get_bank_account(&ACCOUNT, &BANK_ACCOUNT)
        .await
        .unwrap();
    assert_eq!(got.into_inner().status, BankAccountStatus::Verified);
    assert!(start.elapsed() >= retry_after, "{:?}", start.elapsed());
    assert_eq!(server.get_bank_account().received().await.len(), 2);
}

#[tokio::test]
async fn an_outage_a_stall_and_a_dropped_connection_are_transport_faults() {
    let server = MockServer::start().await;
    let client = no_retries(&server);
    let call = || client.get_bank_account(&ACCOUNT, &BANK_ACCOUNT);

    server
        .get_bank_account()
        .once()
        .fault(Fault::Unavailable)
        .await;
    let e = call().await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(503));
    assert!(e.is_retryable());

    server
        .get_bank_account()
        .once()
        .fault(Fault::Disconnect)
        .await;
    match call().await.unwrap_err() {
        Error::Transport(t) => assert!(!t.is_timeout(), "{t}"),
        other => panic!("not a transport error: {other}"),
    }

    let short = server
        .client_builder()
        .retry_policy(RetryPolicy::none())
        .timeouts(Duration::from_secs(5), Duration::from_millis(200))
        .build()
        .unwrap();
    server
        .get_bank_account()
        .once()
        .fault(Fault::Stall(Duration::from_secs(3)))
        .await;
    let start = Instant::now();
    match short
        .get_bank_account(&ACCOUNT, &BANK_ACCOUNT)
        .await
        .unwrap_err()
    {
        Error::Transport(t) => assert!(t.is_timeout(), "{t}"),
        other => panic!("not a timeout: {other}"),
    }
    assert!(
        start.elapsed() < Duration::from_secs(3),
        "{:?}",
        start.elapsed()
    );

    // A malformed body, answered as it is.
    server
        .get_bank_account()
        .reply(Reply::raw(200, "{\"status\": ", "application/json"))
        .await;
    assert!(matches!(call().await.unwrap_err(), Error::Decode(_)));
}

#[tokio::test]
async fn a_waiter_times_out_with_the_last_state_it_read() {
    let server = MockServer::start().await;
    let client = server.client();
    server
        .get_bank_account()
        .respond(Ok(bank_account("pending")))
        .await;
    let start = Instant::now();
    let e = client
        .wait_for_bank_account_verified(&ACCOUNT, &BANK_ACCOUNT)
        .min_delay(Duration::from_millis(20))
        .max_delay(Duration::from_millis(50))
        .max_wait(Duration::from_millis(500))
        .await
        .unwrap_err();
    let took = start.elapsed();
    assert!(e.is_timeout(), "{e}");
    assert_eq!(e.state(), Some("pending"));
    assert!(took >= Duration::from_millis(500), "{took:?}");
    assert!(took < Duration::from_secs(5), "{took:?}");
    let polls = server.get_bank_account().received().await.len();
    assert!(polls >= 3, "{polls} polls");
    // The resource stays out of what the error prints.
    assert!(!format!("{e:?}{e}").contains("Jules"), "{e:?}");
}

#[tokio::test]
async fn a_waiter_carries_on_through_a_rate_limit_and_stops_at_an_error_it_cannot_mend() {
    let server = MockServer::start().await;
    let client = no_retries(&server);
    server
        .get_bank_account()
        .once()
        .fault(Fault::RateLimited {
            retry_after: Duration::from_millis(300),
        })
        .await;
    server
        .get_bank_account()
        .respond(Ok(bank_account("verified")))
        .await;
    let start = Instant::now();
    let done = client
        .wait_for_bank_account_verified(&ACCOUNT, &BANK_ACCOUNT)
        .min_delay(Duration::from_millis(10))
        .max_wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(done.status, BankAccountStatus::Verified);
    // Retry-After rounds up to whole seconds on the wire: the waiter waited one.
    assert!(
        start.elapsed() >= Duration::from_secs(1),
        "{:?}",
        start.elapsed()
    );

    server.reset().await;
    let not_found = GetBankAccountError::NotFound(ApiError::mock(()));
    server.get_bank_account().respond(Err(not_found)).await;
    let e = client
        .wait_for_bank_account_verified(&ACCOUNT, &BANK_ACCOUNT)
        .min_delay(Duration::from_millis(10))
        .await
        .unwrap_err();
    match e {
        WaitError::Call(e) => assert!(matches!(e.api(), Some(GetBankAccountError::NotFound(_)))),
        other => panic!("not the call's error: {other}"),
    }
    assert_eq!(
        server.get_bank_account().received().await.len(),
        1,
        "no poll after it"
    );
}

#[tokio::test]
async fn a_waiter_bounds_a_poll_by_the_time_it_has_left() {
    let server = MockServer::start().await;
    let client = server.client();
    server
        .get_bank_account()
        .fault(Fault::Stall(Duration::from_secs(10)))
        .await;
    let start = Instant::now();
    let e = client
        .wait_for_bank_account_verified(&ACCOUNT, &BANK_ACCOUNT)
        .max_wait(Duration::from_millis(400))
        .await
        .unwrap_err();
    let took = start.elapsed();
    assert!(e.is_timeout(), "{e}");
    assert_eq!(e.state(), None);
    assert!(
        took < Duration::from_secs(5),
        "the stalled poll was cut at the wait's end: {took:?}"
    );
}

#[tokio::test]
async fn moneykit_and_open_finance_mocks_answer_their_operations() {
    use moneykit_client::mock::MockServer as MoneyKit;
    use open_finance_client::mock::MockServer as OpenFinance;

    let moneykit = MoneyKit::start().await;
    let error = moneykit_client::GetLinkError::NotFound(ApiError::mock(
        serde_json::from_value(
            json!({"error_code": "link_error.not_found", "error_message": "gone"}),
        )
        .unwrap(),
    ));
    moneykit.get_link().respond(Err(error)).await;
    let e = moneykit.client().get_link("mk_1").await.unwrap_err();
    assert_eq!(e.status().map(|s| s.as_u16()), Some(404));

    let open_finance = OpenFinance::start().await;
    let page: open_finance_client::types::ConnectionsPage = serde_json::from_value(
        json!({"items": [{"id": "c1", "status": "EXPIRED"}], "nextPage": null}),
    )
    .unwrap();
    open_finance.get_connections().respond(Ok(page)).await;
    let e = open_finance
        .client()
        .wait_for_connection_ready("c1")
        .min_delay(Duration::from_millis(10))
        .await
        .unwrap_err();
    assert_eq!(e.state(), Some("EXPIRED"));
}
