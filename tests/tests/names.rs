//! The names fixture on the wire: enum values typify could not name keep their exact wire
//! values under readable variants, colliding properties are distinct fields with their own
//! wire names, and a request sends the value as the spec writes it.

mod common;

use serde_json::json;
use snapshot_names::types::{Filter, Operator, Style, Zone};
use wiremock::matchers::{method, path, query_param};
use wiremock::{Mock, MockServer};

#[test]
fn every_renamed_value_keeps_its_wire_form() {
    let cases = [
        (Operator::Gt, ">"),
        (Operator::GtEq, ">="),
        (Operator::Lt, "<"),
        (Operator::LtEq, "<="),
        (Operator::EqEq, "=="),
        (Operator::NotEq, "!="),
    ];
    for (variant, wire) in cases {
        assert_eq!(serde_json::to_value(&variant).unwrap(), json!(wire));
        assert_eq!(
            serde_json::from_value::<Operator>(json!(wire)).unwrap(),
            variant
        );
        assert_eq!(variant.to_string(), wire);
        assert_eq!(wire.parse::<Operator>().unwrap(), variant);
    }
    assert_eq!(Zone::EtcSlashGmtPlus1.as_str(), "Etc/GMT+1");
    assert_eq!(Zone::EtcSlashGmtDash1.as_str(), "Etc/GMT-1");
    assert_eq!(Style::ADashB.as_str(), "a-b");
    assert_eq!(Style::AUnderscoreB.as_str(), "a_b");
    assert_eq!(Style::AUnderscoreB2.as_str(), "A_B");
    // The spec's own `Unrecognized` value is a variant; other values still go to the fallback.
    assert_eq!(
        "Unrecognized".parse::<Style>().unwrap(),
        Style::UnrecognizedValue
    );
    assert_eq!(
        "new".parse::<Style>().unwrap(),
        Style::Unrecognized("new".into())
    );
}

#[test]
fn colliding_properties_are_distinct_fields() {
    let filter: Filter = serde_json::from_value(json!({
        "op": ">=", "zone": "UTC", "created_at": "snake", "createdAt": "camel"
    }))
    .unwrap();
    assert_eq!(filter.created_at.as_deref(), Some("snake"));
    assert_eq!(filter.created_at_2.as_deref(), Some("camel"));
    let back = serde_json::to_value(&filter).unwrap();
    assert_eq!(back["createdAt"], "camel");
    assert_eq!(back["created_at"], "snake");
    assert_eq!(back["op"], ">=");
}

#[tokio::test]
async fn a_request_sends_the_value_as_the_spec_writes_it() {
    let server = MockServer::start().await;
    Mock::given(method("GET"))
        .and(path("/filters"))
        .and(query_param("op", ">="))
        .respond_with(common::reply_body(
            200,
            r#"{"op": "==", "zone": "Etc/GMT-1"}"#,
        ))
        .expect(1)
        .mount(&server)
        .await;
    let client = snapshot_names::Client::builder()
        .base_url(server.uri())
        .build()
        .unwrap();
    let filter = client.list_filters(Some(Operator::GtEq)).await.unwrap();
    assert_eq!(filter.op, Operator::EqEq);
    assert_eq!(filter.zone, Zone::EtcSlashGmtDash1);
}
