//! Shared pieces of the benchmarks: the payloads, and a hand-written client to compare with.

/// The page example of MoneyKit's get_account: the largest response of the provider crates.
pub const MONEYKIT_ACCOUNT: &str =
    include_str!("../../tests/fixtures/pages/moneykit-get-account.json");

/// A Moov bank account, as linkBankAccount returns it.
pub const MOOV_BANK_ACCOUNT: &str = r#"{"bankAccountID":"ec7e1848-dc80-4ab0-8827-dd7fc0737b43","bankAccountType":"checking","bankName":"Chase Bank","exceptionDetails":{"achReturnCode":"R02","description":"string","rtpRejectionCode":"AC03"},"fingerprint":"9948962d92a1ce40c9f918cd9ece3a22bde62fb325a2f1fe2e833969de672ba3","holderName":"Jules Jackson","holderType":"individual","lastFourAccountNumber":"7000","routingNumber":"string","status":"new","statusReason":"bank-account-created","updatedOn":"2019-08-24T14:15:22Z"}"#;

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
