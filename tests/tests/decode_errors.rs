//! No error built from a response quotes a value of it. Every response example of every
//! operation of each crate, with a marker value of the wrong type put in each field in turn,
//! goes through the decoding each call uses; whatever comes out (a typed error or a decode
//! error) prints, in `Display`, `Debug` and every `source()`, the path, the expected type and
//! the kind of value found, never the marker. (Tracing output: `redaction.rs`.)

mod common;

use bytes::Bytes;
use common::*;
use serde_json::{Value, json};

type Decode = fn(&str, u16, Bytes) -> Option<Result<(), String>>;

const CRATES: &[(&str, Decode)] = &[
    ("moov.yaml", moov_client::testing::decode),
    ("moneykit.yaml", moneykit_client::testing::decode),
    ("open-finance.yaml", open_finance_client::testing::decode),
];

/// The digits a message quoting the marker would show (an account number, say).
const MARKER: &str = "43215670009";

/// A value of another type than `original`, carrying the marker.
fn wrong_type(original: &Value) -> Value {
    match original {
        Value::String(_) => json!(43_215_670_009u64),
        _ => Value::String(format!("acct-{MARKER}")),
    }
}

#[test]
fn a_value_of_the_wrong_type_in_any_field_is_never_printed() {
    let (mut cases, mut decode_errors) = (0, 0);
    for (spec, decode) in CRATES {
        let examples = response_examples(spec);
        assert!(!examples.is_empty(), "{spec} has response examples");
        for (op, status, example) in examples {
            // The example itself decodes as documented.
            let original = decode(&op, status, Bytes::from(example.to_string()))
                .unwrap_or_else(|| panic!("{op} is an operation"));
            if let Err(printed) = &original {
                assert!(
                    !printed.contains("does not match the spec"),
                    "{spec} {op} {status}: the example does not decode:\n{printed}"
                );
            }
            for pointer in std::iter::once(String::new()).chain(pointers(&example)) {
                let mut body = example.clone();
                let slot = body.pointer_mut(&pointer).expect("pointer");
                *slot = wrong_type(slot);
                let outcome = decode(&op, status, Bytes::from(body.to_string()))
                    .unwrap_or_else(|| panic!("{op} is an operation"));
                cases += 1;
                let Err(printed) = outcome else { continue };
                assert!(
                    !printed.contains(MARKER),
                    "{spec} {op} {status} at {pointer:?} prints the value:\n{printed}"
                );
                if printed.contains("does not match the spec") {
                    decode_errors += 1;
                    // What a reader needs stays: the kind of value found.
                    assert!(
                        printed.contains("string") || printed.contains("number"),
                        "{spec} {op} {status} at {pointer:?}: no kind of value:\n{printed}"
                    );
                }
            }
        }
    }
    // 136 cases when written, 134 of them decode errors (the other two put the marker in a
    // field the spec leaves open). Fewer means the scan lost its examples.
    assert!(cases >= 130, "only {cases} cases");
    assert!(decode_errors >= 125, "only {decode_errors} decode errors");
}

#[test]
fn a_decode_error_names_the_path_the_expected_type_and_the_kind_found() {
    let mut page = response_examples("moneykit.yaml")
        .into_iter()
        .find(|(op, status, _)| op == "get_account" && *status == 200)
        .expect("get_account 200")
        .2;
    page["account"]["balances"]["available"] = json!("0004321567000");
    let printed =
        moneykit_client::testing::decode("get_account", 200, Bytes::from(page.to_string()))
            .expect("an operation")
            .expect_err("a string where a number is");
    assert!(
        printed.contains("at `account.balances.available`: invalid type: string, expected f64"),
        "{printed}"
    );
    assert!(!printed.contains("0004321567000"), "{printed}");
}
