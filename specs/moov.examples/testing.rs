//! Test your own code against the typed mock: a retry, a typed error, a waiter that succeeds and one that fails.
//!
//! Moov's bank-account list is not paginated (a bare array), so this crate has no page walk
//! to show; MoneyKit's and Open Finance's READMEs walk pages against their mocks.

use std::time::Duration;

use moov_client::mock::{Fault, MockServer};
use moov_client::waiter::WaitError;
use moov_client::{ApiError, Client, Error, GetBankAccountError, ListBankAccountsError, types};

/// Your code: the names of the banks of an account's verified bank accounts.
pub async fn verified_banks(
    client: &Client,
    account_id: &uuid::Uuid,
) -> Result<Vec<String>, Error<ListBankAccountsError>> {
    let accounts = client.list_bank_accounts(account_id).await?.into_inner();
    Ok(accounts
        .0
        .into_iter()
        .filter(|a| a.status == types::BankAccountStatus::Verified)
        .map(|a| a.bank_name)
        .collect())
}

/// A bank account as Moov sends it.
fn bank_account(id: uuid::Uuid, bank: &str, status: &str) -> types::BankAccount {
    serde_json::from_value(serde_json::json!({
        "bankAccountID": id,
        "fingerprint": "9948962d92a1ce40c9f918cd9ece3a22bde62fb325a2f1fe2e833969de672ba3",
        "status": status,
        "holderName": "Jules Jackson",
        "holderType": "individual",
        "bankName": bank,
        "bankAccountType": "checking",
        "routingNumber": "021000021",
        "lastFourAccountNumber": "7890",
        "updatedOn": "2026-12-01T10:00:00Z",
    }))
    .expect("a bank account as Moov sends it")
}

#[tokio::main(flavor = "current_thread")]
pub async fn main() {
    let server = MockServer::start().await;
    let client = server.client();
    let account_id = uuid::uuid!("456cb5b6-20dc-4585-97b4-745d013adb1f");
    let (chase, citi) = (uuid::Uuid::from_u128(1), uuid::Uuid::from_u128(2));

    // An outage, then the list: the client retries the GET on its own.
    server
        .list_bank_accounts()
        .once()
        .fault(Fault::Unavailable)
        .await;
    let list = types::ListBankAccountsResponse(vec![
        bank_account(chase, "Chase", "verified"),
        bank_account(citi, "Citi", "pending"),
    ]);
    server.list_bank_accounts().respond(Ok(list)).await;
    let banks = verified_banks(&client, &account_id).await.unwrap();
    assert_eq!(banks, ["Chase"]);
    assert_eq!(server.list_bank_accounts().received().await.len(), 2);

    // A typed error, as the provider sends it.
    server.reset().await;
    let not_found = GetBankAccountError::NotFound(ApiError::mock(()));
    server.get_bank_account().respond(Err(not_found)).await;
    let e = client
        .get_bank_account(&account_id, &citi)
        .await
        .unwrap_err();
    assert!(matches!(e.api(), Some(GetBankAccountError::NotFound(_))));

    // A waiter that succeeds: pending, then verified.
    server.reset().await;
    let pending = bank_account(citi, "Citi", "pending");
    server.get_bank_account().once().respond(Ok(pending)).await;
    let verified = bank_account(citi, "Citi", "verified");
    server.get_bank_account().respond(Ok(verified)).await;
    let done = client
        .wait_for_bank_account_verified(&account_id, &citi)
        .min_delay(Duration::from_millis(10))
        .max_wait(Duration::from_secs(30))
        .await
        .unwrap();
    assert_eq!(done.status, types::BankAccountStatus::Verified);

    // A waiter that ends in a failure state, named in the error.
    server.reset().await;
    let failed = bank_account(citi, "Citi", "verificationFailed");
    server.get_bank_account().respond(Ok(failed)).await;
    let e = client
        .wait_for_bank_account_verified(&account_id, &citi)
        .min_delay(Duration::from_millis(10))
        .await
        .unwrap_err();
    assert!(matches!(e, WaitError::Failed { ref state, .. } if state == "verificationFailed"));
    println!("the mock answered every test");
}
