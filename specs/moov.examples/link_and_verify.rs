//! Link a bank account to a Moov account, verify it with micro-deposits, and read it back.
//!
//! Environment: `MOOV_BASE_URL` and credentials (see `Client::from_env`); `MOOV_ACCOUNT_ID`
//! (the Moov account to link to); `MOOV_MICRO_DEPOSITS` (the two amounts in cents, as `12,34`;
//! sandbox deposits are `0,0`, the default).

use moov_client::{Client, env, types};

#[tokio::main(flavor = "current_thread")]
async fn main() -> std::process::ExitCode {
    match run().await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn run() -> Result<(), Box<dyn std::error::Error>> {
    let client = Client::from_env()?;
    let account_id: uuid::Uuid = env::env_or(
        "MOOV_ACCOUNT_ID",
        uuid::uuid!("456cb5b6-20dc-4585-97b4-745d013adb1f"),
    )?;

    // 1. Link the bank account: its details, its holder.
    let account = types::BankAccountIntegration::builder()
        .holder_name("Jules Jackson")
        .holder_type(types::BankAccountHolderType::Individual)
        .account_number("0004321567000")
        .bank_account_type(types::BankAccountType::Checking)
        .routing_number("123456789");
    let payload = types::BankAccountPayload::builder()
        .account(account)
        .build()?;
    let body = types::LinkBankAccountRequest::BankAccountPayload(payload);
    let linked = client.link_bank_account(&account_id, None, &body).await?;
    let bank_account_id = linked.bank_account_id;
    println!("linked {bank_account_id} ({:?})", linked.status);

    // 2. Send the two micro-deposits (same day before 4:15 PM ET, else the next banking day).
    client
        .initiate_micro_deposits(&account_id, &bank_account_id)
        .await?;
    println!("micro-deposits sent");

    // 3. The holder reads the amounts on their statement; send them back.
    let amounts = std::env::var("MOOV_MICRO_DEPOSITS").unwrap_or_else(|_| "0,0".to_owned());
    let amounts = amounts
        .split(',')
        .map(|a| a.trim().parse::<i64>())
        .collect::<Result<Vec<_>, _>>()?;
    let body = types::CompleteMicroDeposits::builder()
        .amounts(amounts)
        .build()?;
    let completed = client
        .complete_micro_deposits(&account_id, &bank_account_id, &body)
        .await?;
    println!("micro-deposits: {:?}", completed.status);

    // 4. Read the bank account back: it is verified now.
    let bank_account = client
        .get_bank_account(&account_id, &bank_account_id)
        .await?;
    println!(
        "{} ending in {}: {:?} (request id: {})",
        bank_account.bank_name,
        bank_account.last_four_account_number,
        bank_account.status,
        bank_account.request_id().unwrap_or("(none)")
    );
    Ok(())
}
