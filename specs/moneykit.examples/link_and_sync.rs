//! Link an institution and read its data: a link session, the token exchange, the accounts,
//! then every transaction as a stream.
//!
//! Environment: `MONEYKIT_BASE_URL` and credentials (see `Client::from_env`);
//! `MONEYKIT_EXCHANGEABLE_TOKEN`, the token MoneyKit Connect's `onSuccess` gave once the user
//! linked their institution with the link session token this prints.

use moneykit_client::{Client, types};

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

    // 1. A link session for your user: its token opens MoneyKit Connect in your app.
    let session = types::CreateLinkSessionRequest::builder()
        .customer_user(types::CustomerUser::builder().id("user_0001"))
        .redirect_uri("https://example.com/moneykit/redirect")
        .webhook("https://example.com/moneykit/webhook")
        .link_tags(["onboarding"])
        .build()?;
    let session = client.create_link_session(&session).await?;
    println!("open Connect with the link session token (not printed here: it is a secret)");
    drop(session);

    // 2. Connect's `onSuccess` gives an exchangeable token: exchange it for the link.
    let exchangeable_token = std::env::var("MONEYKIT_EXCHANGEABLE_TOKEN")
        .unwrap_or_else(|_| "ext_8iQ2JhTK7SPtDb6mWdSEGr".to_owned());
    let exchange = types::ExchangeTokenRequest::builder()
        .exchangeable_token(exchangeable_token)
        .build()?;
    let exchanged = client.exchange_token(&exchange).await?;
    let link_id = exchanged.link.link_id.clone();
    println!("link {link_id} at {}", exchanged.link.institution_name);

    // 3. Its accounts, with their balances.
    let accounts = client.get_accounts(&link_id, None).await?;
    println!("request id: {}", accounts.request_id().unwrap_or("(none)"));
    for account in &accounts.accounts {
        println!("account {}: {}", account.account_id, account.name);
    }

    // 4. Every transaction, page after page (one page held at a time).
    let mut transactions = client.get_transactions_stream(&link_id, None, None, None, None, None);
    let mut count = 0;
    while let Some(transaction) = transactions.try_next().await? {
        count += 1;
        println!(
            "{} {:?} {} {}",
            transaction.date, transaction.type_, transaction.amount, transaction.currency
        );
    }
    println!("{count} transactions");
    Ok(())
}
