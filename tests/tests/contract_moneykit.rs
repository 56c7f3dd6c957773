//! Every operation of `moneykit-client` through the generated client against Prism serving
//! `specs/moneykit.yaml` (see `common/prism.rs`): no request violation, each documented status
//! decoded into its variant, 50 dynamic responses decoded.

mod common;

use common::prism::{Contract, example, outcome};
use moneykit_client::types;

const SPEC: &str = "moneykit.yaml";

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

fn body<T: serde::de::DeserializeOwned>(path: &str, method: &str, media: &str) -> T {
    let pointer = format!(
        "/paths/{}/{method}/requestBody/content/{}/example",
        path.replace('/', "~1"),
        media.replace('/', "~1")
    );
    example(SPEC, &pointer)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_moneykit_operation_against_prism() {
    let Some(contract) = Contract::start(SPEC) else {
        return;
    };
    let client = |base: String, http: reqwest::Client| {
        moneykit_client::Client::builder()
            .base_url(base)
            .bearer_token("mk_token")
            .http_client(http)
            .retry_policy(moneykit_client::RetryPolicy::none())
            .build()
            .expect("client")
    };
    let json = "application/json";
    let session: types::CreateLinkSessionRequest = body("/link-session", "post", json);
    let exchange: types::ExchangeTokenRequest = body("/link-session/exchange-token", "post", json);
    let update: types::UpdateLinkRequest = body("/links/{id}", "patch", json);
    let refresh: types::RefreshProductsRequest = body("/links/{id}/products", "post", json);
    let test_event: types::WebhookTestLinkRequest = body("/webhooks/test/link/{id}", "post", json);
    let token: types::AccessTokenRequest =
        body("/auth/token", "post", "application/x-www-form-urlencoded");
    let accounts = vec!["acc_6Tef269B6ZArSVpYrxtjBV".to_owned()];
    let from = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).expect("date");
    let to = chrono::NaiveDate::from_ymd_opt(2023, 2, 28).expect("date");
    let (session, exchange, update, refresh, test_event, token) =
        (&session, &exchange, &update, &refresh, &test_event, &token);
    let (accounts, from, to) = (&accounts, &from, &to);
    let link = "mk_eqkWN34UEoa2NxyALG8pcV";
    let page = std::num::NonZeroU64::new(2);
    let size = std::num::NonZeroU64::new(50);

    exercise!(contract, client, "get" "/links/{id}/accounts/{account_id}",
        |c| c.get_account(link, "acc_6Tef269B6ZArSVpYrxtjBV"));
    exercise!(contract, client, "post" "/link-session", |c| c.create_link_session(session));
    exercise!(contract, client, "post" "/link-session/exchange-token",
        |c| c.exchange_token(exchange));
    exercise!(contract, client, "get" "/links", |c| c.get_links(Some("cur_1"), Some(1000)));
    exercise!(contract, client, "get" "/links/{id}", |c| c.get_link(link));
    exercise!(contract, client, "patch" "/links/{id}", |c| c.update_link(link, update));
    exercise!(contract, client, "delete" "/links/{id}", |c| c.delete_link(link));
    exercise!(contract, client, "get" "/links/{id}/accounts",
        |c| c.get_accounts(link, Some(accounts)));
    exercise!(contract, client, "get" "/links/{id}/accounts/numbers",
        |c| c.get_account_numbers(link));
    exercise!(contract, client, "get" "/links/{id}/transactions",
        |c| c.get_transactions(link, Some(accounts), Some(to), page, size, Some(from)));
    exercise!(contract, client, "get" "/links/{id}/transactions/sync",
        |c| c.transactions_sync(link, Some("cur_1"), size));
    exercise!(contract, client, "post" "/links/{id}/products",
        |c| c.refresh_products(link, refresh));
    exercise!(contract, client, "get" "/.well-known/jwks.json",
        |c| c.get_jwks(Some("client_abc123")));
    exercise!(contract, client, "post" "/webhooks/test/link/{id}",
        |c| c.trigger_test_link_webhook_event(link, test_event));
    exercise!(contract, client, "post" "/auth/token", |c| c.create_access_token(token));
    contract.assert_every_operation_exercised();
}
