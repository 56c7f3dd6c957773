//! The Moov operations around the seed calls on the wire (wiremock on 127.0.0.1): each sends
//! exactly the documented request, decodes the spec's example, and decodes every documented
//! error status into its variant. Plus what the spec's shapes mean: a payment method decodes
//! into the variant its tag names, and one of a type the spec does not list is kept.

mod common;

use common::prism::outcome;
use common::wire::{Expect, check};
use common::*;
use moov_client::types;
use serde_json::json;

const SPEC: &str = "moov.yaml";
const ACCOUNT: &str = "456cb5b6-20dc-4585-97b4-745d013adb1f";
const BANK: &str = "ec7e1848-dc80-4ab0-8827-dd7fc0737b43";

fn client(base: String) -> moov_client::Client {
    moov_client::Client::builder()
        .base_url(base)
        .basic_auth("pk_test", "sk_test")
        .retry_policy(moov_client::RetryPolicy::none())
        .build()
        .expect("client")
}

/// Checks one operation: `|c| c.method(args)` must send `expect`.
macro_rules! op {
    ($method:literal $path:literal, $expect:expr, |$c:ident| $call:expr) => {
        check(SPEC, "", ($method, $path), $expect, |base| {
            let $c = client(base);
            async move { outcome($call.await) }
        })
        .await
    };
}

fn bank_path(rest: &str) -> String {
    format!("/accounts/{ACCOUNT}/bank-accounts/{BANK}{rest}")
}

#[tokio::test]
async fn every_bank_account_operation_sends_its_request_and_decodes_its_answers() {
    let account: uuid::Uuid = ACCOUNT.parse().expect("uuid");
    let bank: uuid::Uuid = BANK.parse().expect("uuid");
    let (account, bank) = (&account, &bank);
    let amounts = types::CompleteMicroDeposits {
        amounts: vec![18, 21],
    };
    let code = types::CompleteBankAccountVerification {
        code: "MV1234".into(),
    };
    let (amounts, code) = (&amounts, &code);

    op!("get" "/accounts/{accountID}/bank-accounts",
        Expect::new("GET", format!("/accounts/{ACCOUNT}/bank-accounts")),
        |c| c.list_bank_accounts(account));
    op!("get" "/accounts/{accountID}/bank-accounts/{bankAccountID}",
        Expect::new("GET", bank_path("")),
        |c| c.get_bank_account(account, bank));
    op!("delete" "/accounts/{accountID}/bank-accounts/{bankAccountID}",
        Expect::new("DELETE", bank_path("")),
        |c| c.disable_bank_account(account, bank));
    op!("post" "/accounts/{accountID}/bank-accounts/{bankAccountID}/micro-deposits",
        Expect::new("POST", bank_path("/micro-deposits")),
        |c| c.initiate_micro_deposits(account, bank));
    op!("put" "/accounts/{accountID}/bank-accounts/{bankAccountID}/micro-deposits",
        Expect::new("PUT", bank_path("/micro-deposits")).body(json!({"amounts": [18, 21]})),
        |c| c.complete_micro_deposits(account, bank, amounts));
    op!("get" "/accounts/{accountID}/bank-accounts/{bankAccountID}/verify",
        Expect::new("GET", bank_path("/verify")),
        |c| c.get_bank_account_verification(account, bank));
    op!("post" "/accounts/{accountID}/bank-accounts/{bankAccountID}/verify",
        Expect::new("POST", bank_path("/verify")).header("x-wait-for", "rail-response"),
        |c| c.initiate_bank_account_verification(
            account, bank, Some(types::BankAccountWaitFor::RailResponse)));
    op!("put" "/accounts/{accountID}/bank-accounts/{bankAccountID}/verify",
        Expect::new("PUT", bank_path("/verify")).body(json!({"code": "MV1234"})),
        |c| c.complete_bank_account_verification(account, bank, code));
}

#[tokio::test]
async fn payment_method_and_token_revocation_operations_send_their_requests() {
    let account: uuid::Uuid = ACCOUNT.parse().expect("uuid");
    let source: uuid::Uuid = BANK.parse().expect("uuid");
    let method: types::PaymentMethodId =
        "9c6f3b1a-2d4e-4f5a-8b7c-1d2e3f4a5b6c".parse().expect("id");
    let revoke = types::RevokeTokenRequest {
        token: "tok_123".into(),
        token_type_hint: Some(types::RevokeTokenRequestTokenTypeHint::RefreshToken),
        client_id: None,
        client_secret: None,
    };
    let (account, source, method, revoke) = (&account, &source, &method, &revoke);

    op!("get" "/accounts/{accountID}/payment-methods",
        Expect::new("GET", format!("/accounts/{ACCOUNT}/payment-methods"))
            .query("sourceID", BANK)
            .query("paymentMethodType", "rtp-credit"),
        |c| c.list_payment_methods(account, Some(types::PaymentMethodType::RtpCredit), Some(source)));
    op!("get" "/accounts/{accountID}/payment-methods/{paymentMethodID}",
        Expect::new("GET", format!(
            "/accounts/{ACCOUNT}/payment-methods/9c6f3b1a-2d4e-4f5a-8b7c-1d2e3f4a5b6c")),
        |c| c.get_payment_method(account, method));
    op!("post" "/oauth2/revoke",
        Expect::new("POST", "/oauth2/revoke")
            .body(json!({"token": "tok_123", "token_type_hint": "refresh_token"})),
        |c| c.revoke_access_token(revoke));
}

#[tokio::test]
async fn a_token_is_revoked_as_a_form_too() {
    let server = wiremock::MockServer::start().await;
    mock(&server, "POST", "/oauth2/revoke", reply(204)).await;
    let revoke = types::RevokeTokenRequest {
        token: "tok_123".into(),
        token_type_hint: None,
        client_id: None,
        client_secret: None,
    };
    let response = client(server.uri())
        .revoke_access_token_as_form(&revoke)
        .await
        .expect("204");
    assert_eq!(response.status(), 204);
    let request = only_request(&server).await;
    assert_eq!(
        header(&request, "content-type"),
        Some("application/x-www-form-urlencoded")
    );
    assert_eq!(&request.body[..], b"token=tok_123");
}

#[tokio::test]
async fn a_payment_method_decodes_into_the_variant_its_tag_names() {
    let server = wiremock::MockServer::start().await;
    let bank_account = json!({
        "bankAccountID": BANK, "bankAccountType": "checking", "bankName": "Chase Bank",
        "fingerprint": "f", "holderName": "Jules Jackson", "holderType": "individual",
        "lastFourAccountNumber": "7000", "routingNumber": "123456789", "status": "verified",
        "updatedOn": "2019-08-24T14:15:22Z"
    });
    let methods = json!([
        // Same shape as ach-debit-fund: only the tag tells them apart.
        {"paymentMethodID": "4b1b1b2c-3b1a-4c3e-9f2e-8f3c2a1d0e9b",
         "paymentMethodType": "ach-debit-collect", "bankAccount": bank_account},
        {"paymentMethodID": "4b1b1b2c-3b1a-4c3e-9f2e-8f3c2a1d0e9c",
         "paymentMethodType": "rtp-credit", "bankAccount": bank_account},
        // A type Moov may add later, with an account number in it.
        {"paymentMethodID": "4b1b1b2c-3b1a-4c3e-9f2e-8f3c2a1d0e9d",
         "paymentMethodType": "instant-bank-credit", "accountNumber": "0004321567000"}
    ]);
    mock(
        &server,
        "GET",
        &format!("/accounts/{ACCOUNT}/payment-methods"),
        reply(200).set_body_json(&methods),
    )
    .await;
    let account: uuid::Uuid = ACCOUNT.parse().expect("uuid");
    let list = client(server.uri())
        .list_payment_methods(&account, None, None)
        .await
        .expect("decodes")
        .into_inner();
    assert!(
        matches!(
            list[0],
            types::PaymentMethod::AchDebitCollectPaymentMethod(_)
        ),
        "{:?}",
        list[0]
    );
    assert!(
        matches!(list[1], types::PaymentMethod::RtpCreditPaymentMethod(_)),
        "{:?}",
        list[1]
    );
    let types::PaymentMethod::Unrecognized(unlisted) = &list[2] else {
        panic!("{:?}", list[2]);
    };
    assert_eq!(
        unlisted.str_field("paymentMethodType"),
        Some("instant-bank-credit")
    );
    let debug = format!("{list:?}");
    // Neither the unlisted type's account number nor a bank account's routing number.
    assert!(!debug.contains("0004321567000"), "{debug}");
    assert!(!debug.contains("123456789"), "{debug}");
    // What was received goes back unchanged.
    assert_eq!(serde_json::to_value(&list).expect("encode")[2], methods[2]);
}
