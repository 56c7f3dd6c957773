//! Decoding never panics: arbitrary bytes, arbitrary JSON and mutated spec examples, as any
//! status of any operation of every crate, go through the generated decoding each call uses
//! and come out as a value, a typed error or a decode error.
//!
//! Bounded in CI (`FUZZ_CASES`, default 256 cases per property). A longer run:
//! `FUZZ_CASES=20000 cargo test --release -p tests --test fuzz` (figures in ARCHITECTURE.md).

mod common;

use bytes::Bytes;
use proptest::prelude::*;
use serde_json::Value;

type Decode = fn(&str, u16, Bytes) -> Option<Result<(), String>>;

/// Each crate's spec, by the index of [`CRATES`].
const SPECS: [&str; 3] = ["moov.yaml", "moneykit.yaml", "open-finance.yaml"];

const CRATES: &[(&[&str], Decode)] = &[
    (
        moov_client::testing::OPERATIONS,
        moov_client::testing::decode,
    ),
    (
        moneykit_client::testing::OPERATIONS,
        moneykit_client::testing::decode,
    ),
    (
        open_finance_client::testing::OPERATIONS,
        open_finance_client::testing::decode,
    ),
];

/// Every operation of every crate, as (crate index, operation).
fn operations() -> Vec<(usize, &'static str)> {
    CRATES
        .iter()
        .enumerate()
        .flat_map(|(i, (ops, _))| ops.iter().map(move |op| (i, *op)))
        .collect()
}

fn config() -> ProptestConfig {
    let cases = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn status() -> impl Strategy<Value = u16> {
    prop_oneof![
        prop::sample::select(vec![
            200u16, 201, 204, 400, 401, 403, 404, 409, 410, 422, 429, 500, 502, 503, 504
        ]),
        100u16..600,
    ]
}

fn json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(Value::from),
        ".{0,12}".prop_map(Value::String),
        prop::sample::select(vec![
            "checking",
            "connected",
            "2019-08-24T14:15:22Z",
            "ec7e1848-dc80-4ab0-8827-dd7fc0737b43",
            "R02",
            "CLIENT_ERROR"
        ])
        .prop_map(|s| Value::String(s.to_owned())),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop::sample::select(vec![
                    "error",
                    "error_code",
                    "error_message",
                    "type",
                    "message",
                    "id",
                    "connectUrl",
                    "account",
                    "link",
                    "status",
                    "bankAccountID",
                    "access_token",
                    "expires_in",
                    "x",
                ])
                .prop_map(str::to_owned),
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// The spec examples of every crate, to mutate.
fn examples() -> Vec<Value> {
    let mut out = Vec::new();
    for spec in ["moov.yaml", "moneykit.yaml", "open-finance.yaml"] {
        let text = std::fs::read_to_string(
            concat!(env!("CARGO_MANIFEST_DIR"), "/../specs/").to_owned() + spec,
        )
        .expect("spec");
        let yaml: serde_yaml::Value = serde_yaml::from_str(&text).expect("yaml");
        collect_examples(&serde_json::to_value(yaml).expect("json"), &mut out);
    }
    assert!(out.len() > 10, "the specs have examples");
    out
}

fn collect_examples(node: &Value, out: &mut Vec<Value>) {
    match node {
        Value::Object(map) => {
            for (k, v) in map {
                if k == "example" && v.is_object() {
                    out.push(v.clone());
                } else {
                    collect_examples(v, out);
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_examples(v, out)),
        _ => {}
    }
}

/// Replaces one leaf of `value` (chosen by `pick`) with `with`.
fn mutate(value: &mut Value, pick: usize, with: Value) {
    let mut leaves = Vec::new();
    fn paths(v: &Value, at: String, out: &mut Vec<String>) {
        match v {
            Value::Object(m) => m
                .iter()
                .for_each(|(k, v)| paths(v, format!("{at}/{k}"), out)),
            Value::Array(a) => a
                .iter()
                .enumerate()
                .for_each(|(i, v)| paths(v, format!("{at}/{i}"), out)),
            _ => out.push(at),
        }
    }
    paths(value, String::new(), &mut leaves);
    if leaves.is_empty() {
        return;
    }
    if let Some(slot) = value.pointer_mut(&leaves[pick % leaves.len()]) {
        *slot = with;
    }
}

fn check(op: (usize, &'static str), status: u16, body: Vec<u8>) {
    let (i, name) = op;
    let outcome = (CRATES[i].1)(name, status, Bytes::from(body));
    assert!(outcome.is_some(), "{name} is an operation");
}

/// Every response example of every crate, and the page examples: (crate index, operationId,
/// status, example).
fn response_examples() -> Vec<(usize, String, u16, Value)> {
    let page = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/pages/moneykit-get-account.json"
    ))
    .expect("fixture");
    let page = serde_json::from_str(&page).expect("json");
    SPECS
        .iter()
        .enumerate()
        .flat_map(|(i, spec)| {
            common::response_examples(spec)
                .into_iter()
                .map(move |(op, status, example)| (i, op, status, example))
        })
        .chain([(1, "get_account".to_owned(), 200, page)])
        .collect()
}

/// The examples that hold a list.
fn examples_with_lists() -> Vec<(usize, String, u16, Value)> {
    response_examples()
        .into_iter()
        .filter(|(.., example)| !arrays(example).is_empty())
        .collect()
}

/// The pointers of the arrays in `value`.
fn arrays(value: &Value) -> Vec<String> {
    common::pointers(value)
        .into_iter()
        .filter(|p| value.pointer(p).is_some_and(Value::is_array))
        .collect()
}

/// Whether an outcome decoded as documented: a value, or a typed error (not a decode error).
fn decoded(outcome: &Option<Result<(), String>>) -> bool {
    matches!(outcome, Some(Ok(())))
        || matches!(outcome, Some(Err(e)) if !e.contains("does not match the spec"))
}

/// `null` for any list of any response example decodes as an empty list: the example still
/// decodes as documented.
#[test]
fn every_list_of_every_example_may_be_null() {
    let mut nulled = 0;
    for (i, op, status, example) in response_examples() {
        let decode = CRATES[i].1;
        assert!(decoded(&decode(
            &op,
            status,
            Bytes::from(example.to_string())
        )));
        for pointer in arrays(&example) {
            let mut body = example.clone();
            *body.pointer_mut(&pointer).expect("pointer") = Value::Null;
            let outcome = decode(&op, status, Bytes::from(body.to_string()));
            assert!(
                decoded(&outcome),
                "{} {op} {status}: null at {pointer}: {outcome:?}",
                SPECS[i]
            );
            nulled += 1;
        }
    }
    // 5 when written: Moov's connectAccount `scopes`, MoneyKit's `link_tags` and
    // `available_products` in the spec's example and in the page's.
    assert!(nulled >= 5, "only {nulled} lists in the examples");
}

proptest! {
    #![proptest_config(config())]

    /// Any set of lists of an example nulled at once still decodes as documented.
    #[test]
    fn examples_with_null_lists_decode(
        example in prop::sample::select(examples_with_lists()),
        picks in prop::collection::vec(any::<prop::sample::Index>(), 1..4),
    ) {
        let (i, op, status, mut body) = example;
        let lists = arrays(&body);
        // Deepest first, so that nulling a list does not remove another picked one.
        let mut chosen: Vec<&String> = picks.iter().map(|p| &lists[p.index(lists.len())]).collect();
        chosen.sort_by_key(|p| std::cmp::Reverse(p.len()));
        for pointer in chosen {
            if let Some(slot) = body.pointer_mut(pointer) {
                *slot = Value::Null;
            }
        }
        let outcome = (CRATES[i].1)(&op, status, Bytes::from(body.to_string()));
        prop_assert!(decoded(&outcome), "{op} {status}: {outcome:?}");
    }

    #[test]
    fn arbitrary_bytes_never_panic(op in prop::sample::select(operations()), status in status(), body in prop::collection::vec(any::<u8>(), 0..256)) {
        check(op, status, body);
    }

    #[test]
    fn arbitrary_json_never_panics(op in prop::sample::select(operations()), status in status(), body in json()) {
        check(op, status, serde_json::to_vec(&body).expect("encode"));
    }

    #[test]
    fn mutated_examples_never_panic(
        op in prop::sample::select(operations()),
        status in status(),
        example in prop::sample::select(examples()),
        pick in any::<usize>(),
        with in json(),
        cut in any::<prop::sample::Index>(),
        truncate in any::<bool>(),
    ) {
        let mut example = example;
        mutate(&mut example, pick, with);
        let mut bytes = serde_json::to_vec(&example).expect("encode");
        if truncate {
            let at = cut.index(bytes.len() + 1);
            bytes.truncate(at);
        }
        check(op, status, bytes);
    }
}

/// The decoding the fuzzer drives is the one calls use: a documented example decodes.
#[test]
fn the_decoder_under_fuzz_decodes_real_responses() {
    let page = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/fixtures/pages/moneykit-get-account.json"
    ))
    .expect("fixture");
    assert_eq!(
        moneykit_client::testing::decode("get_account", 200, Bytes::from(page)),
        Some(Ok(()))
    );
    let err = moneykit_client::testing::decode(
        "get_account",
        404,
        Bytes::from_static(br#"{"error_code":"link_error.not_found","error_message":"x"}"#),
    );
    assert!(
        matches!(&err, Some(Err(e)) if e.contains("NotFound(") && e.contains("404")),
        "{err:?}"
    );
    assert_eq!(
        moov_client::testing::decode("noSuchOperation", 200, Bytes::new()),
        None
    );
}
