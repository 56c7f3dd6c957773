//! Every operation of `moov-client` through the generated client against Prism serving
//! `specs/moov.yaml` (see `common/prism.rs`): no request violation, each documented status
//! decoded into its variant, 50 dynamic responses decoded.

mod common;

use common::prism::{Contract, example, outcome};
use moov_client::types;

const SPEC: &str = "moov.yaml";

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
async fn every_moov_operation_against_prism() {
    let Some(contract) = Contract::start(SPEC) else {
        return;
    };
    let client = |base: String, http: reqwest::Client| {
        moov_client::Client::builder()
            .base_url(base)
            .basic_auth("pk_test", "sk_test")
            .http_client(http)
            .retry_policy(moov_client::RetryPolicy::none())
            .build()
            .expect("client")
    };
    let account: uuid::Uuid = "456cb5b6-20dc-4585-97b4-745d013adb1f"
        .parse()
        .expect("uuid");
    let bank: uuid::Uuid = "ec7e1848-dc80-4ab0-8827-dd7fc0737b43"
        .parse()
        .expect("uuid");
    let method: types::PaymentMethodId =
        "9c6f3b1a-2d4e-4f5a-8b7c-1d2e3f4a5b6c".parse().expect("id");
    let json = "application/json";
    let connect: types::ShareScopes = body("/accounts/{accountID}/connections", "post", json);
    let link: types::LinkBankAccountRequest =
        body("/accounts/{accountID}/bank-accounts", "post", json);
    let amounts: types::CompleteMicroDeposits = body(
        "/accounts/{accountID}/bank-accounts/{bankAccountID}/micro-deposits",
        "put",
        json,
    );
    let code: types::CompleteBankAccountVerification = body(
        "/accounts/{accountID}/bank-accounts/{bankAccountID}/verify",
        "put",
        json,
    );
    let token: types::AuthTokenRequest = body("/oauth2/token", "post", json);
    let revoke: types::RevokeTokenRequest = body("/oauth2/revoke", "post", json);
    let (account, bank, method) = (&account, &bank, &method);
    let (connect, link, amounts, code, token, revoke) =
        (&connect, &link, &amounts, &code, &token, &revoke);
    let wait = || Some(types::BankAccountWaitFor::RailResponse);

    exercise!(contract, client, "post" "/accounts/{accountID}/connections",
        |c| c.connect_account(account, connect));
    exercise!(contract, client, "post" "/accounts/{accountID}/bank-accounts",
        |c| c.link_bank_account(account, Some(types::BankAccountWaitFor::PaymentMethod), link));
    exercise!(contract, client, "get" "/accounts/{accountID}/bank-accounts",
        |c| c.list_bank_accounts(account));
    exercise!(contract, client, "get" "/accounts/{accountID}/bank-accounts/{bankAccountID}",
        |c| c.get_bank_account(account, bank));
    exercise!(contract, client, "delete" "/accounts/{accountID}/bank-accounts/{bankAccountID}",
        |c| c.disable_bank_account(account, bank));
    exercise!(contract, client, "post" "/accounts/{accountID}/bank-accounts/{bankAccountID}/micro-deposits",
        |c| c.initiate_micro_deposits(account, bank));
    exercise!(contract, client, "put" "/accounts/{accountID}/bank-accounts/{bankAccountID}/micro-deposits",
        |c| c.complete_micro_deposits(account, bank, amounts));
    exercise!(contract, client, "get" "/accounts/{accountID}/bank-accounts/{bankAccountID}/verify",
        |c| c.get_bank_account_verification(account, bank));
    exercise!(contract, client, "post" "/accounts/{accountID}/bank-accounts/{bankAccountID}/verify",
        |c| c.initiate_bank_account_verification(account, bank, wait()));
    exercise!(contract, client, "put" "/accounts/{accountID}/bank-accounts/{bankAccountID}/verify",
        |c| c.complete_bank_account_verification(account, bank, code));
    exercise!(contract, client, "get" "/accounts/{accountID}/payment-methods",
        |c| c.list_payment_methods(account, Some(types::PaymentMethodType::AchDebitFund), Some(bank)));
    exercise!(contract, client, "get" "/accounts/{accountID}/payment-methods/{paymentMethodID}",
        |c| c.get_payment_method(account, method));
    exercise!(contract, client, "post" "/oauth2/token", |c| c.create_access_token(token));
    exercise!(contract, client, "post" "/oauth2/revoke", |c| c.revoke_access_token(revoke));
    // The form-encoded twins go to the same operations.
    exercise!(contract, client, "post" "/oauth2/token",
        |c| c.create_access_token_as_form(token));
    exercise!(contract, client, "post" "/oauth2/revoke",
        |c| c.revoke_access_token_as_form(revoke));
    contract.assert_every_operation_exercised();
}
