//! Contract tests: every operation of every crate, through the generated client, against
//! Prism serving the crate's spec on 127.0.0.1.
//!
//! - Prism finds no request violation (its `sl-violations` header);
//! - each documented status (`Prefer: code=NNN`) decodes into its typed variant;
//! - 50 dynamic responses per operation (`Prefer: dynamic=true`) decode.
//!
//! Prism comes from the repository's `package.json` / lockfile: installed with `npm ci` when
//! missing. Where it cannot start, the tests fail under CI (`CI=true`) and are skipped, loudly,
//! elsewhere.

mod common;

use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use common::*;
use reqwest::header::{HeaderMap, HeaderValue};

static INSTALL: Mutex<Option<bool>> = Mutex::new(None);

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// Installs the npm tooling once, from the lockfile.
fn installed() -> bool {
    let mut state = INSTALL.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(ok) = *state {
        return ok;
    }
    let prism = root().join("node_modules/.bin/prism");
    let ok = prism.exists() || {
        let status = Command::new("npm")
            .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            .current_dir(root())
            .status();
        matches!(status, Ok(s) if s.success()) && prism.exists()
    };
    *state = Some(ok);
    ok
}

struct Prism {
    child: Child,
    base: String,
}

impl Drop for Prism {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts Prism on `spec`, or says why it cannot (an error under CI, a skip elsewhere).
fn prism(spec: &str) -> Option<Prism> {
    let fail = |why: String| {
        if in_ci() {
            panic!("Prism cannot start: {why}");
        }
        eprintln!("SKIPPED: Prism cannot start ({why}); CI runs these tests");
        None
    };
    if !installed() {
        return fail("`npm ci` did not install @stoplight/prism-cli".into());
    }
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let log = std::env::temp_dir().join(format!("prism-{spec}-{port}.log"));
    let out = std::fs::File::create(&log).expect("log file");
    let child = Command::new(root().join("node_modules/.bin/prism"))
        .args(["mock", "-h", "127.0.0.1", "-p", &port.to_string()])
        .arg(root().join("specs").join(spec))
        .stdout(out.try_clone().expect("log"))
        .stderr(out)
        .stdin(Stdio::null())
        .spawn();
    let child = match child {
        Ok(c) => c,
        Err(e) => return fail(format!("spawn: {e}")),
    };
    let prism = Prism {
        child,
        base: format!("http://127.0.0.1:{port}"),
    };
    // Ready when Prism says so (it logs after `listen` resolves). A bare TCP connect is no
    // proof: while nothing listens on an ephemeral-range port, Linux can pick that very port
    // as the probe's source and connect the socket to itself.
    let mut prism = prism;
    let deadline = Instant::now() + Duration::from_secs(60);
    let mut text = String::new();
    while Instant::now() < deadline {
        text = std::fs::read_to_string(&log).unwrap_or_default();
        if let Ok(Some(status)) = prism.child.try_wait() {
            return fail(format!("exited ({status}) before listening; log:\n{text}"));
        }
        if text.contains(&format!("Prism is listening on {}", prism.base))
            && let Ok(stream) = TcpStream::connect(("127.0.0.1", port))
            && stream.local_addr().ok() != stream.peer_addr().ok()
        {
            return Some(prism);
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    drop(prism);
    fail(format!("not listening after 60 s; log:\n{text}"))
}

/// An HTTP client that sends `Prefer` with every request.
fn prefer(value: Option<&str>) -> reqwest::Client {
    let mut headers = HeaderMap::new();
    if let Some(v) = value {
        headers.insert("prefer", HeaderValue::from_str(v).expect("header"));
    }
    finapi_runtime::http_client_builder()
        .default_headers(headers)
        .timeout(Duration::from_secs(20))
        .build()
        .expect("client")
}

/// What a call came to, whatever the operation.
#[derive(Debug)]
struct Outcome {
    status: Option<u16>,
    /// `Ok`, the typed variant's name, or `Decode`/`Transport`/....
    kind: String,
    violations: Option<String>,
}

fn outcome<T, E: finapi_runtime::OperationError>(
    result: Result<finapi_runtime::Response<T>, finapi_runtime::Error<E>>,
) -> Outcome {
    let violations = |h: &HeaderMap| {
        h.get("sl-violations")
            .map(|v| v.to_str().unwrap_or("?").to_owned())
    };
    match result {
        Ok(r) => Outcome {
            status: Some(r.status().as_u16()),
            kind: "Ok".into(),
            violations: violations(r.headers()),
        },
        Err(finapi_runtime::Error::Api(e)) => {
            let debug = format!("{e:?}");
            Outcome {
                status: Some(e.status().as_u16()),
                kind: debug.split('(').next().unwrap_or_default().to_owned(),
                violations: violations(e.headers()),
            }
        }
        Err(finapi_runtime::Error::Decode(d)) => Outcome {
            status: Some(d.status().as_u16()),
            kind: format!("Decode: {d}"),
            violations: violations(d.headers()),
        },
        Err(finapi_runtime::Error::Transport(t)) => Outcome {
            status: None,
            kind: chain(&t),
            violations: None,
        },
        Err(other) => Outcome {
            status: None,
            kind: format!("{other}"),
            violations: None,
        },
    }
}

/// An error and its sources, `: `-joined (a transport error's cause is in its sources).
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(e) = source {
        text.push_str(": ");
        text.push_str(&e.to_string());
        source = e.source();
    }
    text
}

/// The documented statuses of an operation, from the spec.
fn statuses(spec: &str, path: &str, method: &str) -> Vec<u16> {
    let doc = common::spec(spec);
    let responses = doc["paths"][path][method]["responses"]
        .as_object()
        .expect("responses");
    responses.keys().filter_map(|k| k.parse().ok()).collect()
}

fn variant_for(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Gone",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        504 => "GatewayTimeout",
        _ => "Ok",
    }
}

/// Runs `call` once per documented status and 50 times with dynamic responses.
async fn exercise<F, Fut>(spec: &str, path: &str, method: &str, prism: &Prism, call: F)
where
    F: Fn(String, reqwest::Client) -> Fut,
    Fut: std::future::Future<Output = Outcome>,
{
    let plain = call(prism.base.clone(), prefer(None)).await;
    assert_eq!(
        plain.violations, None,
        "{method} {path}: Prism found request violations: {plain:?}"
    );
    assert_eq!(plain.kind, "Ok", "{method} {path}: {plain:?}");
    for status in statuses(spec, path, method) {
        let got = call(prism.base.clone(), prefer(Some(&format!("code={status}")))).await;
        assert_eq!(got.violations, None, "{method} {path} {status}: {got:?}");
        assert_eq!(got.status, Some(status), "{method} {path}: {got:?}");
        assert_eq!(
            got.kind,
            variant_for(status),
            "{method} {path} {status}: {got:?}"
        );
    }
    let dynamic = prefer(Some("dynamic=true"));
    for i in 0..50 {
        let got = call(prism.base.clone(), dynamic.clone()).await;
        assert_eq!(
            got.violations, None,
            "{method} {path} dynamic #{i}: {got:?}"
        );
        assert_eq!(got.kind, "Ok", "{method} {path} dynamic #{i}: {got:?}");
    }
}

fn example<T: serde::de::DeserializeOwned>(spec: &str, pointer: &str) -> T {
    serde_json::from_value(common::spec_example(spec, pointer))
        .expect("the spec example fits the type")
}

const ACCOUNT: &str = "456cb5b6-20dc-4585-97b4-745d013adb1f";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moov_against_prism() {
    let Some(prism) = prism("moov.yaml") else {
        return;
    };
    let client = |base: String, http: reqwest::Client| {
        moov_client::Client::builder()
            .base_url(base)
            .basic_auth("pk_test", "sk_test")
            .http_client(http)
            .retry_policy(finapi_runtime::RetryPolicy::none())
            .build()
            .expect("client")
    };
    let account: uuid::Uuid = ACCOUNT.parse().expect("uuid");
    let connect: moov_client::types::ShareScopes = example(
        "moov.yaml",
        "/paths/~1accounts~1{accountID}~1connections/post/requestBody/content/application~1json/example",
    );
    exercise(
        "moov.yaml",
        "/accounts/{accountID}/connections",
        "post",
        &prism,
        |base, http| {
            let (c, body) = (client(base, http), connect.clone());
            async move { outcome(c.connect_account(&account, &body).await) }
        },
    )
    .await;
    let link: moov_client::types::LinkBankAccountRequest = example(
        "moov.yaml",
        "/paths/~1accounts~1{accountID}~1bank-accounts/post/requestBody/content/application~1json/example",
    );
    exercise(
        "moov.yaml",
        "/accounts/{accountID}/bank-accounts",
        "post",
        &prism,
        |base, http| {
            let (c, body) = (client(base, http), link.clone());
            async move {
                outcome(
                    c.link_bank_account(
                        &account,
                        Some(moov_client::types::BankAccountWaitFor::PaymentMethod),
                        &body,
                    )
                    .await,
                )
            }
        },
    )
    .await;
    let token: moov_client::types::AuthTokenRequest = example(
        "moov.yaml",
        "/paths/~1oauth2~1token/post/requestBody/content/application~1json/example",
    );
    exercise(
        "moov.yaml",
        "/oauth2/token",
        "post",
        &prism,
        |base, http| {
            let (c, body) = (client(base, http), token.clone());
            async move { outcome(c.create_access_token(&body).await) }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn moneykit_against_prism() {
    let Some(prism) = prism("moneykit.yaml") else {
        return;
    };
    let client = |base: String, http: reqwest::Client| {
        moneykit_client::Client::builder()
            .base_url(base)
            .bearer_token("mk_token")
            .http_client(http)
            .retry_policy(finapi_runtime::RetryPolicy::none())
            .build()
            .expect("client")
    };
    exercise(
        "moneykit.yaml",
        "/links/{id}/accounts/{account_id}",
        "get",
        &prism,
        |base, http| {
            let c = client(base, http);
            async move {
                outcome(
                    c.get_account("mk_eqkWN34UEoa2NxyALG8pcV", "acc_6Tef269B6ZArSVpYrxtjBV")
                        .await,
                )
            }
        },
    )
    .await;
    let token: moneykit_client::types::AccessTokenRequest = example(
        "moneykit.yaml",
        "/paths/~1auth~1token/post/requestBody/content/application~1x-www-form-urlencoded/example",
    );
    exercise(
        "moneykit.yaml",
        "/auth/token",
        "post",
        &prism,
        |base, http| {
            let (c, body) = (client(base, http), token.clone());
            async move { outcome(c.create_access_token(&body).await) }
        },
    )
    .await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn open_finance_against_prism() {
    let Some(prism) = prism("open-finance.yaml") else {
        return;
    };
    let client = |base: String, http: reqwest::Client| {
        open_finance_client::Client::builder()
            .base_url(base)
            .bearer_token("of_token")
            .http_client(http)
            .retry_policy(finapi_runtime::RetryPolicy::none())
            .build()
            .expect("client")
    };
    let connection: open_finance_client::types::CreateConnectionRequest = example(
        "open-finance.yaml",
        "/paths/~1connections/post/requestBody/content/application~1json/example",
    );
    exercise(
        "open-finance.yaml",
        "/connections",
        "post",
        &prism,
        |base, http| {
            let (c, body) = (client(base, http), connection.clone());
            async move { outcome(c.create_connection(&body).await) }
        },
    )
    .await;
    let token: open_finance_client::types::TokenRequest = example(
        "open-finance.yaml",
        "/paths/~1oauth~1token/post/requestBody/content/application~1json/example",
    );
    exercise(
        "open-finance.yaml",
        "/oauth/token",
        "post",
        &prism,
        |base, http| {
            let (c, body) = (client(base, http), token.clone());
            async move { outcome(c.create_access_token(&body).await) }
        },
    )
    .await;
}

/// Runs Spectral with the repository's ruleset; (exit success, output).
fn spectral(files: &[std::path::PathBuf]) -> Option<(bool, String)> {
    if !installed() {
        assert!(!in_ci(), "Spectral cannot be installed");
        eprintln!("SKIPPED: Spectral is not installed; CI runs this test");
        return None;
    }
    let output = Command::new(root().join("node_modules/.bin/spectral"))
        .arg("lint")
        .args(files)
        .args(["--ruleset", ".spectral.yaml", "--fail-severity", "error"])
        .current_dir(root())
        .output()
        .expect("run spectral");
    let text = String::from_utf8_lossy(&output.stdout).into_owned()
        + &String::from_utf8_lossy(&output.stderr);
    Some((output.status.success(), text))
}

#[test]
fn every_spec_passes_spectral_with_zero_errors() {
    let specs: Vec<_> = finapi_codegen::load::discover(&root().join("specs"))
        .expect("specs")
        .into_iter()
        .map(|(spec, _)| spec)
        .collect();
    assert!(specs.len() >= 3);
    let Some((ok, text)) = spectral(&specs) else {
        return;
    };
    assert!(ok, "{text}");
    assert!(
        text.contains("0 errors") || text.contains("No results"),
        "{text}"
    );
}

#[test]
fn the_generator_rules_catch_what_the_generator_cannot_take() {
    let bad = root().join("tests/fixtures/bad-specs");
    for (file, rule) in [
        ("external-ref.yaml", "finapi-local-refs"),
        (
            "duplicate-operation-id.yaml",
            "operation-operationId-unique",
        ),
        ("../specs/shapes.yaml", "operation-operationId"),
        ("unsupported-version.yaml", "finapi-openapi-3-0"),
        ("no-server.yaml", "oas3-api-servers"),
    ] {
        let Some((ok, text)) = spectral(&[bad.join(file)]) else {
            return;
        };
        assert!(!ok, "{file} passes Spectral:\n{text}");
        assert!(text.contains(rule), "{file}: no {rule}:\n{text}");
    }
}
