//! Shared pieces of the benchmarks: the payloads, and a hand-written client to compare with.

/// The page example of MoneyKit's get_account: the largest response of the provider crates.
pub const MONEYKIT_ACCOUNT: &str =
    include_str!("../../tests/fixtures/pages/moneykit-get-account.json");

/// A Moov bank account, as linkBankAccount returns it.
pub const MOOV_BANK_ACCOUNT: &str = include_str!("../payloads/moov-bank-account.json");

/// The bank account a hand-written client would declare: the same fields, plain types.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, missing_docs)]
pub struct HandBankAccount {
    #[serde(rename = "bankAccountID")]
    pub bank_account_id: String,
    pub bank_account_type: String,
    pub bank_name: String,
    pub exception_details: Option<HandExceptionDetails>,
    pub fingerprint: String,
    pub holder_name: String,
    pub holder_type: String,
    pub last_four_account_number: String,
    pub routing_number: String,
    pub status: String,
    pub status_reason: Option<String>,
    pub updated_on: String,
}

/// The exception details a hand-written client would declare.
#[derive(Debug, serde::Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code, missing_docs)]
pub struct HandExceptionDetails {
    pub ach_return_code: Option<String>,
    pub rtp_rejection_code: Option<String>,
    pub description: Option<String>,
}
