//! What the capability fixtures (`fixtures/specs/shapes.yaml`, `openapi31.yaml`,
//! `split.yaml`) generate does on the wire: deepObject queries, a success enum per status,
//! real content types, 3.1 shapes decoded, a spec split over files typed as one.

use std::time::Duration;

use serde_json::json;
use wiremock::matchers::{method, path};
use wiremock::{Mock, MockServer, ResponseTemplate};

fn shapes(server: &MockServer) -> snapshot_shapes::Client {
    snapshot_shapes::Client::builder()
        .base_url(server.uri())
        .bearer_token("t")
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
        .build()
        .expect("client")
}

async fn only_request(server: &MockServer) -> wiremock::Request {
    let mut requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 1, "{requests:?}");
    requests.remove(0)
}

#[tokio::test]
async fn deep_object_queries_use_bracketed_keys() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/ledgers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!([])))
        .mount(&server)
        .await;
    let at: chrono::DateTime<chrono::Utc> = "2000-01-01T12:00:00Z".parse().expect("time");
    let created_at = [("gt".to_owned(), at)].into_iter().collect();
    let balances = snapshot_shapes::types::GetLedgersBalances {
        effective_at: Some(at),
    };
    let ledgers = shapes(&server)
        .get_ledgers(Some(&balances), Some(&created_at), None)
        .await
        .expect("ok");
    assert!(ledgers.is_empty());
    let request = only_request(&server).await;
    let mut pairs: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
    pairs.sort();
    assert_eq!(
        pairs,
        [
            (
                "balances[effective_at]".to_owned(),
                "2000-01-01T12:00:00Z".to_owned()
            ),
            (
                "created_at[gt]".to_owned(),
                "2000-01-01T12:00:00Z".to_owned()
            ),
        ]
    );
}

#[tokio::test]
async fn several_success_bodies_decode_into_their_variants() {
    use snapshot_shapes::CreateLedgerSuccess as S;
    let body: snapshot_shapes::types::Ledger =
        serde_json::from_value(json!({"name": "main"})).expect("ledger");
    for (status, reply, want) in [
        (200, Some(json!({"name": "main"})), "Ok"),
        (202, Some(json!({"id": "job_1"})), "Accepted"),
        (204, None, "NoContent"),
        (207, Some(json!({"x": 1})), "Other"),
    ] {
        let server = MockServer::start().await;
        let mut template = ResponseTemplate::new(status);
        if let Some(r) = reply {
            template = template.set_body_json(r);
        }
        Mock::given(method("POST"))
            .and(path("/ledgers"))
            .respond_with(template)
            .mount(&server)
            .await;
        let got = shapes(&server).create_ledger(&body).await.expect("success");
        let name = match got.into_inner() {
            S::Ok(l) => {
                assert_eq!(l.name, "main");
                "Ok"
            }
            S::Accepted(job) => {
                assert_eq!(job.id.as_deref(), Some("job_1"));
                "Accepted"
            }
            S::NoContent => "NoContent",
            S::Other(bytes) => {
                assert_eq!(&bytes[..], br#"{"x":1}"#);
                "Other"
            }
            other => panic!("{other:?}"),
        };
        assert_eq!(name, want, "status {status}");
        let request = only_request(&server).await;
        assert_eq!(request.headers["content-type"], "application/json");
    }
}

#[tokio::test]
async fn bodies_go_out_with_their_real_content_type() {
    let server = MockServer::start().await;
    Mock::given(method("PATCH"))
        .and(path("/ledgers/l1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "n"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/ledgers/l1/documents"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = shapes(&server);
    let op = snapshot_shapes::types::PatchOp {
        op: snapshot_shapes::types::PatchOpOp::Replace,
        path: "/name".into(),
        value: Some(json!("n")),
    };
    client.patch_ledger("l1", &vec![op]).await.expect("patched");
    client
        .upload_document(
            "l1",
            finapi_runtime::Multipart::new().file(
                "file",
                "statement.pdf",
                "application/pdf",
                &b"%PDF-1.7 statement"[..],
            ),
        )
        .await
        .expect("uploaded");
    let requests = server.received_requests().await.expect("recorded");
    assert_eq!(requests.len(), 2);
    let patch = &requests[0];
    assert_eq!(patch.headers.get_all("content-type").iter().count(), 1);
    assert_eq!(patch.headers["content-type"], "application/json-patch+json");
    let ops: serde_json::Value = serde_json::from_slice(&patch.body).expect("json");
    assert_eq!(
        ops,
        json!([{"op": "replace", "path": "/name", "value": "n"}])
    );
    let upload = &requests[1];
    assert_eq!(upload.headers.get_all("content-type").iter().count(), 1);
    // The Content-Type names the boundary that frames the body's parts.
    let content_type = upload.headers["content-type"].to_str().expect("ascii");
    let boundary = content_type
        .strip_prefix("multipart/form-data; boundary=")
        .unwrap_or_else(|| panic!("no boundary in {content_type:?}"));
    let body = String::from_utf8(upload.body.clone()).expect("utf-8");
    let parts: Vec<&str> = body
        .strip_suffix(&format!("--{boundary}--\r\n"))
        .expect("closing delimiter")
        .split(&format!("--{boundary}\r\n"))
        .skip(1)
        .collect();
    assert_eq!(
        parts,
        [
            "Content-Disposition: form-data; name=\"file\"; filename=\"statement.pdf\"\r\n\
             Content-Type: application/pdf\r\n\r\n%PDF-1.7 statement\r\n"
        ]
    );
    // The operation's `security: []`: no credentials are sent.
    assert!(upload.headers.get("authorization").is_none());
    assert!(patch.headers.get("authorization").is_some());
}

#[tokio::test]
async fn openapi_31_shapes_decode() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/cards/c1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token": "c1", "kind": "VIRTUAL", "memo": null, "spend_limit": 5,
            "state": "SUSPENDED", "funding": null, "code": 7,
            "network_code": "ABC", "ip": "2001:db8::1"
        })))
        .mount(&server)
        .await;
    let client = snapshot_openapi31::Client::builder()
        .base_url(server.uri())
        .build()
        .expect("client");
    let card = client.get_card("c1").await.expect("card").into_inner();
    assert_eq!(card.token, "c1");
    // `exclusiveMinimum: 0` (3.1's numeric form) makes a non-zero unsigned integer.
    assert_eq!(card.spend_limit.get(), 5);
    assert!(card.funding.is_none());
    // `oneOf: [null, constrained string]` and `anyOf: [ipv4, ipv6, null]`: nullable types
    // around a checked string and an untagged enum of addresses.
    let code = card
        .network_code
        .expect("network_code")
        .0
        .expect("not null");
    assert_eq!(code.as_str(), "ABC");
    assert_eq!(
        card.ip.expect("ip").0,
        Some(snapshot_openapi31::types::CardIpInner::Ipv6(
            "2001:db8::1".parse().expect("address")
        ))
    );
    // An unknown value of the 3.1 enum is kept, not an error.
    assert_eq!(
        format!("{:?}", card.state),
        r#"Some(Unrecognized("SUSPENDED"))"#
    );
    // A code longer than the spec's 3 characters is a decode error at its field
    // (`finapi_runtime::constrained_string!` checks through the generated `FromStr`).
    Mock::given(method("GET"))
        .and(path("/cards/c2"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "token": "c2", "kind": "VIRTUAL", "memo": null, "spend_limit": 5,
            "state": "OPEN", "funding": null, "code": 7,
            "network_code": "ABCD", "ip": null
        })))
        .mount(&server)
        .await;
    let err = client.get_card("c2").await.expect_err("a four-letter code");
    let finapi_runtime::Error::Decode(decode) = &err else {
        panic!("expected a decode error, got {err:?}")
    };
    assert_eq!(decode.failure().path(), "network_code", "{err}");
    assert!(
        err.to_string().contains("longer than 3 characters"),
        "{err}"
    );
}

#[tokio::test]
async fn a_spec_split_over_files_is_typed_as_one() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/accounts/a1"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({
            "id": "a1",
            "balance": {"amount": 100, "currency": "EUR"},
            "owner": {"name": "Ada", "kind": "PERSON"},
            "sub_accounts": [{"id": "a2", "balance": {"amount": 5, "currency": "EUR"}}]
        })))
        .mount(&server)
        .await;
    Mock::given(method("GET"))
        .and(path("/accounts/nope"))
        .respond_with(ResponseTemplate::new(404).set_body_json(json!({"code": "not_found"})))
        .mount(&server)
        .await;
    let client = snapshot_split::Client::builder()
        .base_url(server.uri())
        .timeouts(Duration::from_secs(2), Duration::from_secs(5))
        .build()
        .expect("client");
    let account = client
        .get_account("a1")
        .await
        .expect("account")
        .into_inner();
    // `Money` from the root file, `Owner` and its `Kind` from owner.yaml, and the recursive
    // sub-accounts from account.yaml itself.
    assert_eq!(account.balance.amount, 100);
    let owner = account.owner.expect("owner");
    assert_eq!(owner.name, "Ada");
    assert_eq!(owner.kind, Some(snapshot_split::types::Kind::Person));
    assert_eq!(account.sub_accounts[0].id, "a2");
    // The 404 response given in responses.yaml, with its schema from the same file.
    let err = client.get_account("nope").await.expect_err("404");
    match err.into_api() {
        Some(snapshot_split::GetAccountError::NotFound(e)) => {
            assert_eq!(e.body().code, "not_found");
        }
        other => panic!("expected the typed 404, got {other:?}"),
    }
}

#[tokio::test]
async fn every_request_media_type_is_reachable_on_the_real_path() {
    let server = MockServer::start().await;
    Mock::given(method("POST"))
        .and(path("/ledgers"))
        .respond_with(ResponseTemplate::new(200).set_body_json(json!({"name": "main"})))
        .mount(&server)
        .await;
    Mock::given(method("POST"))
        .and(path("/ledgers/l1/attachments"))
        .respond_with(ResponseTemplate::new(201))
        .mount(&server)
        .await;
    let client = shapes(&server);
    let ledger: snapshot_shapes::types::Ledger =
        serde_json::from_value(json!({"name": "main"})).expect("ledger");
    // `createLedger` sends JSON; its XML and form bodies have methods of their own, which
    // share its success enum and its error enum.
    let ok = |r: finapi_runtime::Response<snapshot_shapes::CreateLedgerSuccess>| matches!(r.into_inner(), snapshot_shapes::CreateLedgerSuccess::Ok(l) if l.name == "main");
    assert!(ok(client
        .create_ledger_as_xml("<ledger><name>main</name></ledger>")
        .await
        .expect("xml")));
    assert!(ok(client
        .create_ledger_as_form(&ledger)
        .await
        .expect("form")));
    assert!(ok(client.create_ledger(&ledger).await.expect("json")));
    // The same error enum: this compiles only if it is `CreateLedgerError`.
    let _: fn(
        finapi_runtime::Error<snapshot_shapes::CreateLedgerError>,
    ) -> Option<snapshot_shapes::CreateLedgerError> = finapi_runtime::Error::into_api;
    client
        .attach_as_multipart(
            "l1",
            finapi_runtime::Multipart::new()
                .file("file", "a.pdf", "application/pdf", &b"%PDF"[..])
                .text("note", "March"),
        )
        .await
        .expect("multipart");
    client
        .attach(
            "l1",
            &snapshot_shapes::types::AttachBody {
                url: "https://files.test/a.pdf".into(),
            },
        )
        .await
        .expect("json");

    let requests = server.received_requests().await.expect("recorded");
    let seen: Vec<(String, String)> = requests
        .iter()
        .map(|r| {
            let ct = r.headers["content-type"].to_str().expect("ascii");
            (
                r.url.path().to_owned(),
                ct.split(';').next().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    assert_eq!(
        seen,
        [
            ("/ledgers".to_owned(), "application/xml".to_owned()),
            (
                "/ledgers".into(),
                "application/x-www-form-urlencoded".into()
            ),
            ("/ledgers".into(), "application/json".into()),
            (
                "/ledgers/l1/attachments".into(),
                "multipart/form-data".into()
            ),
            ("/ledgers/l1/attachments".into(), "application/json".into()),
        ]
    );
    assert_eq!(&requests[0].body[..], b"<ledger><name>main</name></ledger>");
    assert_eq!(&requests[1].body[..], b"name=main");
    let multipart = String::from_utf8(requests[3].body.clone()).expect("utf-8");
    assert!(
        multipart.contains("name=\"note\"\r\n\r\nMarch\r\n"),
        "{multipart}"
    );
}
