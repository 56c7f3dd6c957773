//! Contract-test machinery: Prism (`@stoplight/prism-cli`, pinned in the repository's
//! `package.json` / lockfile, installed with `npm ci` when missing) serving a crate's spec on
//! 127.0.0.1, and [`Contract::exercise`], which runs one operation through the generated
//! client: Prism must find no request violation; each documented status (`Prefer: code=NNN`)
//! must decode into its typed variant; 50 dynamic responses (`Prefer: dynamic=true`) must
//! decode. [`Contract::assert_every_operation_exercised`] checks that a test covered every
//! operation of its spec. Where Prism cannot start, tests fail under CI (`CI=true`) and are
//! skipped, loudly, elsewhere.

use std::collections::BTreeSet;
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::sync::Mutex;
use std::time::{Duration, Instant};

use reqwest::header::{HeaderMap, HeaderValue};

use super::root;

static INSTALL: Mutex<Option<bool>> = Mutex::new(None);

pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "false")
}

/// Installs the npm tooling once, from the lockfile.
pub fn installed() -> bool {
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

pub struct Prism {
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
pub struct Outcome {
    /// The HTTP status, where there was an answer.
    pub status: Option<u16>,
    /// `Ok`, the typed variant's name, or `Decode`/`Transport`/....
    pub kind: String,
    /// Prism's `sl-violations` header, if any.
    pub violations: Option<String>,
}

/// What a call came to.
pub fn outcome<T, E: finapi_runtime::OperationError>(
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
    let doc = super::spec(spec);
    let responses = doc["paths"][path][method]["responses"]
        .as_object()
        .expect("responses");
    responses.keys().filter_map(|k| k.parse().ok()).collect()
}

pub fn variant_for(status: u16) -> &'static str {
    match status {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        409 => "Conflict",
        410 => "Gone",
        423 => "Locked",
        422 => "UnprocessableEntity",
        429 => "TooManyRequests",
        500 => "InternalServerError",
        504 => "GatewayTimeout",
        _ => "Ok",
    }
}

/// A spec served by Prism, and the operations a test has exercised against it.
pub struct Contract {
    prism: Prism,
    spec: &'static str,
    exercised: Mutex<BTreeSet<(String, String)>>,
}

impl Contract {
    /// Prism serving `spec` (a file of `specs/`); `None` where it cannot start outside CI.
    pub fn start(spec: &'static str) -> Option<Self> {
        Some(Self {
            prism: prism(spec)?,
            spec,
            exercised: Mutex::new(BTreeSet::new()),
        })
    }

    /// Runs `call` (given Prism's base URL and an HTTP client that sends a `Prefer` header)
    /// once plainly, once per documented status and 50 times with dynamic responses.
    pub async fn exercise<F, Fut>(&self, path: &str, method: &str, call: F)
    where
        F: Fn(String, reqwest::Client) -> Fut,
        Fut: std::future::Future<Output = Outcome>,
    {
        let base = || self.prism.base.clone();
        let plain = call(base(), prefer(None)).await;
        assert_eq!(
            plain.violations, None,
            "{method} {path}: Prism found request violations: {plain:?}"
        );
        assert_eq!(plain.kind, "Ok", "{method} {path}: {plain:?}");
        for status in statuses(self.spec, path, method) {
            let got = call(base(), prefer(Some(&format!("code={status}")))).await;
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
            let got = call(base(), dynamic.clone()).await;
            assert_eq!(
                got.violations, None,
                "{method} {path} dynamic #{i}: {got:?}"
            );
            assert_eq!(got.kind, "Ok", "{method} {path} dynamic #{i}: {got:?}");
        }
        self.exercised
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert((method.to_owned(), path.to_owned()));
    }

    /// Every operation of the spec was exercised.
    pub fn assert_every_operation_exercised(&self) {
        let doc = super::spec(self.spec);
        let all: BTreeSet<(String, String)> = doc["paths"]
            .as_object()
            .expect("paths")
            .iter()
            .flat_map(|(path, item)| {
                item.as_object()
                    .expect("path item")
                    .keys()
                    .filter(|k| ["get", "put", "post", "delete", "patch"].contains(&k.as_str()))
                    .map(move |m| (m.clone(), path.clone()))
            })
            .collect();
        let exercised = self.exercised.lock().unwrap_or_else(|e| e.into_inner());
        let missing: Vec<_> = all.difference(&exercised).collect();
        assert!(
            missing.is_empty(),
            "{}: not exercised: {missing:?}",
            self.spec
        );
    }
}

pub fn example<T: serde::de::DeserializeOwned>(spec: &str, pointer: &str) -> T {
    serde_json::from_value(super::spec_example(spec, pointer))
        .expect("the spec example fits the type")
}
