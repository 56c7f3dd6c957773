//! A client generated at build time by `finapi_codegen::Builder` (see `build.rs`), from the
//! `split` fixture spec: what a user of the build-script API writes.

#[rustfmt::skip]
mod generated {
    include!(concat!(env!("OUT_DIR"), "/snapshot_split.rs"));
}
pub use generated::*;

#[cfg(test)]
mod tests {
    use std::time::Duration;

    use wiremock::matchers::{method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    /// The client build.rs generated calls and decodes as a generated crate's does.
    #[tokio::test]
    async fn the_client_generated_by_build_rs_works() {
        let server = MockServer::start().await;
        Mock::given(method("GET"))
            .and(path("/accounts/a1"))
            .respond_with(ResponseTemplate::new(200).set_body_json(serde_json::json!({
                "id": "a1",
                "balance": {"amount": 100, "currency": "EUR"},
            })))
            .mount(&server)
            .await;
        let client = super::Client::builder()
            .base_url(server.uri())
            .timeouts(Duration::from_secs(2), Duration::from_secs(5))
            .retry_policy(super::RetryPolicy::none())
            .build()
            .expect("client");
        let account = client.get_account("a1").await.expect("account");
        assert_eq!(account.balance.amount, 100);
        assert_eq!(account.status().as_u16(), 200);
    }
}
