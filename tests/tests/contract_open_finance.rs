//! Every operation of `open-finance-client` through the generated client against Prism
//! serving `specs/open-finance.yaml` (see `common/prism.rs`): no request violation, each
//! documented status decoded into its variant, 50 dynamic responses decoded.

mod common;

use common::prism::{Contract, example, outcome};
use open_finance_client::types;

const SPEC: &str = "open-finance.yaml";

/// Runs one operation's call against the contract: `|c| c.method(args)`.
macro_rules! exercise {
    ($contract:expr, $client:expr, $method:literal $path:literal, |$c:ident| $call:expr) => {
        $contract
            .exercise($path, $method, |base, http| {
                let $c = $client(base, http);
                async move { outcome($call.await) }
            })
            .await
    };
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_open_finance_operation_against_prism() {
    let Some(contract) = Contract::start(SPEC) else {
        return;
    };
    let client = |base: String, http: reqwest::Client| {
        open_finance_client::Client::builder()
            .base_url(base)
            .bearer_token("of_token")
            .http_client(http)
            .retry_policy(open_finance_client::RetryPolicy::none())
            .build()
            .expect("client")
    };
    let connection: types::CreateConnectionRequest = example(
        SPEC,
        "/paths/~1connections/post/requestBody/content/application~1json/example",
    );
    let token: types::TokenRequest = example(
        SPEC,
        "/paths/~1oauth~1token/post/requestBody/content/application~1json/example",
    );
    let from: types::GetTransactionsDateFrom = "2024-01-01".parse().expect("date");
    let to: types::GetTransactionsDateTo = "2024-03-31".parse().expect("date");
    let (connection, token, from, to) = (&connection, &token, &from, &to);
    let id = "8f1c2a9e-4b7d-4c1a-9e2f-3d5b6a7c8e9f";

    exercise!(contract, client, "post" "/connections", |c| c.create_connection(connection));
    exercise!(contract, client, "get" "/connections",
        |c| c.get_connections(None, None, Some(50.0), Some("p2"), None, None));
    exercise!(contract, client, "delete" "/connections/{connectionId}",
        |c| c.delete_connection(id));
    // The date filters exclude `limit`.
    exercise!(contract, client, "get" "/data/transactions",
        |c| c.get_transactions(None, Some(id), Some(from), Some(to), None, None, None, None, None,
            Some(types::GetTransactionsType::Bank)));
    exercise!(contract, client, "get" "/data/accounts/{accountId}",
        |c| c.get_account("64f1c2a9e4b7d4c1a9e2f3d6"));
    exercise!(contract, client, "post" "/oauth/token", |c| c.create_access_token(token));
    contract.assert_every_operation_exercised();
}
