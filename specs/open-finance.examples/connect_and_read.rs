//! Connect a user's bank and read it: an access token for the user, a connection (its
//! consent journey), the user's connections, then every transaction as a stream.
//!
//! Environment: `OPEN_FINANCE_BASE_URL`, `OPEN_FINANCE_CLIENT_ID`,
//! `OPEN_FINANCE_CLIENT_SECRET` and `OPEN_FINANCE_USER_ID` (your id for the user: the client
//! fetches tokens for that user itself, see `Client::from_env`).

use open_finance_client::{Client, types};

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
    // 1. The client asks for the user's access token on its first call, and again before it
    //    expires.
    let client = Client::from_env()?;

    // 2. A connection to the sandbox bank (login `user` / `pass`): send the user to its URL.
    let request = types::CreateConnectionRequest::builder()
        .provider_ids(["open-finance-sandbox"])
        .include_fake_providers(true)
        .language(types::CreateConnectionRequestLanguage::En)
        .redirect_url("https://example.com/done")
        .build()?;
    let connection = client.create_connection(&request).await?;
    println!("consent journey: {}", connection.connect_url);
    println!(
        "request id: {}",
        connection.request_id().unwrap_or("(none)")
    );

    // 3. The user's connections, page after page.
    let mut connections = client.get_connections_stream(None, None, None, None, None, None);
    while let Some(connection) = connections.try_next().await? {
        println!(
            "connection {} at {}: {:?}",
            connection.id.as_deref().unwrap_or("?"),
            connection.provider_id.as_deref().unwrap_or("?"),
            connection.status
        );
    }

    // 4. Every transaction (at most 500 a page), one page held at a time.
    let mut transactions = client.get_transactions_stream(
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
    );
    let mut count = 0;
    while let Some(transaction) = transactions.try_next().await? {
        count += 1;
        let charged = transaction
            .amount
            .as_ref()
            .and_then(|a| a.charged_amount.as_ref());
        println!(
            "{} {:?} {:?}",
            transaction.merchant_name.as_deref().unwrap_or("-"),
            charged.and_then(|c| c.amount),
            charged.and_then(|c| c.currency.as_deref())
        );
    }
    println!("{count} transactions");
    Ok(())
}
