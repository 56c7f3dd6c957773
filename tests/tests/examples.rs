//! Every generated example runs against an in-process mock server that answers each operation
//! of the spec with its documented example, with credentials and the base URL from the
//! environment as a user would set them. An example prints the typed result and exits 0, or
//! prints the error and exits non-zero.

mod common;

use std::process::{Command, Output};
use std::time::Duration;

use common::*;
use wiremock::MockServer;

/// (package, spec, path prefix of the API, environment, [(example, expected in its output)]).
type Crate = (
    &'static str,
    &'static str,
    &'static str,
    &'static [(&'static str, &'static str)],
    &'static [(&'static str, &'static str)],
);

const CRATES: &[Crate] = &[
    (
        "moov-client",
        "moov.yaml",
        "",
        // Only the base URL and credentials: every argument comes from the spec's examples.
        &[
            ("MOOV_PUBLIC_KEY", "pk_test"),
            ("MOOV_PRIVATE_KEY", "sk_test"),
        ],
        &[
            ("moov_complete_bank_account_verification", "Successful"),
            ("moov_complete_micro_deposits", "Verified"),
            ("moov_connect_account", "None"),
            ("moov_create_access_token", "1735689600"),
            ("moov_create_access_token_as_form", "1735689600"),
            ("moov_disable_bank_account", "status: 204"),
            ("moov_get_bank_account", "Chase Bank"),
            ("moov_get_bank_account_verification", "SentCredit"),
            ("moov_get_payment_method", "MoovWalletPaymentMethod"),
            ("moov_initiate_bank_account_verification", "Instant"),
            ("moov_initiate_micro_deposits", "status: 204"),
            ("link_and_verify", "ending in 7000: Verified"),
            ("moov_link_bank_account", "Chase Bank"),
            ("moov_list_bank_accounts", "Chase Bank"),
            ("moov_list_payment_methods", "AchDebitFundPaymentMethod"),
            ("moov_revoke_access_token", "status: 204"),
            ("moov_revoke_access_token_as_form", "status: 204"),
        ],
    ),
    (
        "moneykit-client",
        "moneykit.yaml",
        "",
        &[
            ("MONEYKIT_CLIENT_ID", "client_abc123"),
            ("MONEYKIT_CLIENT_SECRET", "secret_xyz789"),
        ],
        &[
            ("moneykit_create_access_token", "expires_in: 3600"),
            ("moneykit_create_link_session", "status: 201"),
            ("moneykit_delete_link", "status: 204"),
            ("moneykit_exchange_token", "mk_eqkWN34UEoa2NxyALG8pcV"),
            ("moneykit_get_account", "Premier Checking"),
            ("moneykit_get_account_numbers", "Premier Checking"),
            ("moneykit_get_accounts", "Premier Checking"),
            ("moneykit_get_jwks", "ES256"),
            ("moneykit_get_link", "Chase"),
            ("moneykit_get_links", "mk_eqkWN34UEoa2NxyALG8pcV"),
            ("moneykit_get_transactions", "Regal Theaters"),
            ("link_and_sync", "1 transactions"),
            ("moneykit_refresh_products", "status: 202"),
            ("moneykit_transactions_sync", "cur_6Tef269B6ZArSVpYrxtjBV"),
            (
                "moneykit_trigger_test_link_webhook_event",
                "dlv_6Tef269B6ZArSVpYrxtjBV",
            ),
            ("moneykit_update_link", "Chase"),
        ],
    ),
    (
        "open-finance-client",
        "open-finance.yaml",
        "/v2",
        &[
            ("OPEN_FINANCE_CLIENT_ID", "client-abc"),
            ("OPEN_FINANCE_CLIENT_SECRET", "secret-xyz"),
            ("OPEN_FINANCE_USER_ID", "user-1234"),
        ],
        &[
            ("connect_and_read", "1 transactions"),
            ("open_finance_create_access_token", "expires_in: 86400000"),
            ("open_finance_create_connection", "connect.open-finance.ai"),
            ("open_finance_delete_connection", "status: 204"),
            ("open_finance_get_account", "Current account"),
            ("open_finance_get_connections", "open-finance-sandbox"),
            ("open_finance_get_transactions", "SUPER-PHARM"),
        ],
    ),
];

/// The flow that tests a user's function against the crate's typed mock (feature `mock`).
const TESTING: &str = "testing";

/// Each crate's testing flow passes against its own typed mock: what its README shows.
#[test]
fn every_testing_flow_passes_against_the_typed_mock() {
    for (package, ..) in CRATES {
        let mut cmd = example_command(package, TESTING);
        cmd.args(["--features", "mock"]);
        let output = output_within(
            &mut cmd,
            Duration::from_secs(300),
            &format!("{package} example {TESTING}"),
        );
        let stdout = String::from_utf8_lossy(&output.stdout);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(output.status.success(), "{package}:\n{stdout}\n{stderr}");
        assert!(
            stdout.contains("the mock answered every test"),
            "{package}:\n{stdout}"
        );
    }
}

/// `cargo run --example` of a package's example, from the workspace root.
fn example_command(package: &str, example: &str) -> Command {
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let mut cmd = Command::new(cargo);
    cmd.args(["run", "--quiet", "--package", package, "--example", example])
        .current_dir(root());
    cmd
}

/// Runs `cargo run --example`, bounded in time.
fn run_example(package: &str, example: &str, env: &[(String, String)]) -> Output {
    let mut cmd = example_command(package, example);
    // No credentials from the developer's shell leak into the run.
    for (key, _) in std::env::vars() {
        if ["MOOV_", "MONEYKIT_", "OPEN_FINANCE_"]
            .iter()
            .any(|p| key.starts_with(p))
        {
            cmd.env_remove(key);
        }
    }
    cmd.envs(env.iter().cloned());
    output_within(
        &mut cmd,
        Duration::from_secs(300),
        &format!("{package} example {example}"),
    )
}

/// The examples a crate has, by name.
fn examples_of(package: &str) -> Vec<String> {
    let dir = root()
        .join("crates")
        .join(package.trim_end_matches("-client"))
        .join("examples");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .filter_map(|e| {
            let path = e.ok()?.path();
            let stem = path.file_stem()?.to_string_lossy().into_owned();
            (path.extension()? == "rs").then_some(stem)
        })
        .collect();
    names.sort();
    names
}

/// Every example builds its arguments as Rust values: none parses a JSON string (nor JSON from
/// the environment, the examples' last resort for a shape they cannot write).
#[test]
fn every_example_builds_its_arguments_in_rust() {
    for (package, ..) in CRATES {
        for example in examples_of(package) {
            let path = root()
                .join("crates")
                .join(package.trim_end_matches("-client"))
                .join("examples")
                .join(format!("{example}.rs"));
            let code = std::fs::read_to_string(&path).expect("example");
            for parse in ["from_str", "env_arg"] {
                assert!(!code.contains(parse), "{}: {parse}", path.display());
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_example_runs_against_a_mock_of_its_spec() {
    for (package, spec, prefix, credentials, examples) in CRATES {
        let mut listed: Vec<String> = examples.iter().map(|(e, _)| (*e).to_owned()).collect();
        // The testing flow brings its own mock (the test below runs it).
        listed.push(TESTING.to_owned());
        listed.sort();
        assert_eq!(
            listed,
            examples_of(package),
            "{package}: every example is run"
        );
        let server = MockServer::start().await;
        serve_spec(&server, spec, prefix).await;
        let env_prefix = package
            .trim_end_matches("-client")
            .replace('-', "_")
            .to_ascii_uppercase();
        let mut env: Vec<(String, String)> = vec![(
            format!("{env_prefix}_BASE_URL"),
            format!("{}{prefix}", server.uri()),
        )];
        env.extend(
            credentials
                .iter()
                .map(|(k, v)| (k.to_string(), v.to_string())),
        );
        for (example, expected) in *examples {
            let output = tokio::task::block_in_place(|| run_example(package, example, &env));
            let stdout = String::from_utf8_lossy(&output.stdout);
            let stderr = String::from_utf8_lossy(&output.stderr);
            assert!(
                output.status.success(),
                "{package} {example} failed:\n{stdout}\n{stderr}"
            );
            assert!(
                stdout.contains(expected),
                "{package} {example} printed:\n{stdout}"
            );
            assert!(
                stdout.contains(&format!("request id: {}", common::REQUEST_ID)),
                "{stdout}"
            );
            // The user id is not a secret: the user's own data names it (Open Finance).
            for (_, secret) in credentials.iter().filter(|(k, _)| !k.ends_with("_USER_ID")) {
                assert!(
                    !stdout.contains(secret) && !stderr.contains(secret),
                    "{example} printed a credential"
                );
            }
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_example_exits_non_zero_on_an_error_and_says_why() {
    let server = MockServer::start().await;
    mock(
        &server,
        "GET",
        "/links/mk_missing/accounts/acc_6Tef269B6ZArSVpYrxtjBV",
        reply_body(
            404,
            r#"{"error_code":"link_error.not_found","error_message":"Link not found."}"#,
        ),
    )
    .await;
    let env = vec![
        ("MONEYKIT_BASE_URL".to_owned(), server.uri()),
        ("MONEYKIT_ACCESS_TOKEN".to_owned(), "tok".to_owned()),
        ("MONEYKIT_ID".to_owned(), "mk_missing".to_owned()),
    ];
    let output = tokio::task::block_in_place(|| {
        run_example("moneykit-client", "moneykit_get_account", &env)
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("error: get_account: status 404 Not Found"),
        "{stderr}"
    );
    assert!(stderr.contains(common::REQUEST_ID), "{stderr}");

    // No credentials at all: a clear message, no panic.
    let output = tokio::task::block_in_place(|| {
        run_example(
            "moneykit-client",
            "moneykit_get_account",
            &[("MONEYKIT_BASE_URL".to_owned(), server.uri())],
        )
    });
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains(
            "set `MONEYKIT_ACCESS_TOKEN`, or `MONEYKIT_CLIENT_ID` + `MONEYKIT_CLIENT_SECRET`"
        ),
        "{stderr}"
    );
}

/// What a user copies reads like code they would write: a quickstart of at most 15 lines,
/// `use` lines and the provider crate's own API (never `finapi_runtime`, which a user's crate
/// does not depend on), lines a screen wide.
#[test]
fn quickstarts_and_examples_read_like_user_code() {
    for dir in ["crates/moov", "crates/moneykit", "crates/open-finance"] {
        let readme = std::fs::read_to_string(root().join(dir).join("README.md")).expect("README");
        let quickstart = readme
            .split("## Quickstart\n\n```rust,no_run\n")
            .nth(1)
            .and_then(|r| r.split("```").next())
            .unwrap_or_else(|| panic!("{dir}: a quickstart"));
        let visible: Vec<&str> = quickstart.lines().filter(|l| !l.starts_with('#')).collect();
        assert!(
            visible.len() <= 15,
            "{dir}: {} lines:\n{quickstart}",
            visible.len()
        );
        assert!(
            visible[0].starts_with("use "),
            "{dir}: starts with its use line"
        );
        // The README's Rust blocks.
        let blocks: String = readme
            .split("```rust")
            .skip(1)
            .filter_map(|b| b.split_once('\n')?.1.split("```").next())
            .collect();
        let mut files = vec![(format!("{dir}/README.md"), blocks)];
        for entry in std::fs::read_dir(root().join(dir).join("examples")).expect("examples") {
            let path = entry.expect("entry").path();
            files.push((
                path.display().to_string(),
                std::fs::read_to_string(&path).expect("read"),
            ));
        }
        for (name, text) in files {
            // Comments and the lines rustdoc hides are not what a user copies.
            let code = text
                .lines()
                .filter(|l| !l.trim_start().starts_with("//") && !l.starts_with("# "));
            for line in code {
                assert!(!line.contains("finapi_runtime"), "{name}: {line}");
                assert!(
                    line.len() <= 100,
                    "{name}: {} characters: {line}",
                    line.len()
                );
            }
        }
    }
}
