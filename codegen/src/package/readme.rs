//! The crate's README.md: what it is, the quickstart (a doctest), then a section per
//! concern: authentication, client headers, operations, features, flows, streams,
//! webhooks, errors, retries, forward compatibility, tracing.

use std::fmt::Write as _;

use super::layout::{Example, Layout, example_prefix};
use crate::format::generated_line;
use crate::model::{Body, Model, SchemeKind, SuccessBody};
use crate::runtime_bounds::{
    CONNECT_TIMEOUT, REQUEST_TIMEOUT, RETRY_ATTEMPTS, RETRY_INITIAL_BACKOFF, RETRY_MAX_BACKOFF,
    RETRY_MAX_ELAPSED, RETRY_MAX_RETRY_AFTER, prose,
};
use crate::settings::Settings;

/// The flows among the examples: (name, what it does).
pub(super) fn flows(examples: &[Example]) -> Vec<(String, String)> {
    examples
        .iter()
        .filter_map(|e| Some((e.name.clone(), e.flow.clone()?)))
        .collect()
}

/// The crate's README: what it is, the quickstart (a doctest), then a section per concern.
pub(super) fn readme(
    model: &Model,
    settings: &Settings,
    layout: &Layout,
    (quickstart, flows, testing): (&[String], &[(String, String)], Option<&str>),
    closed_objects: bool,
) -> String {
    let mut out = format!("<!-- {} -->\n\n", generated_line(&layout.spec_label));
    let _ = writeln!(out, "# {}\n", settings.package);
    let _ = writeln!(
        out,
        "Typed Rust client for **{}** (API version `{}`), generated from `{}`.\n",
        model.title.trim(),
        model.version,
        layout.spec_label
    );
    if let Some(d) = &settings.description {
        let _ = writeln!(out, "{}\n", d.trim());
    }
    if !quickstart.is_empty() {
        out.push_str("## Quickstart\n\n```rust,no_run\n");
        out.push_str("# async fn quickstart() -> Result<(), Box<dyn std::error::Error>> {\n");
        for line in quickstart {
            out.push_str(line);
            out.push('\n');
        }
        out.push_str("# Ok(()) }\n```\n\n");
    }
    if model.base_url.starts_with("https://") || model.base_url.starts_with("http://") {
        let _ = writeln!(
            out,
            "Default base URL: `{}` (`ClientBuilder::base_url` changes it).\n",
            model.base_url
        );
    } else {
        let _ = writeln!(
            out,
            "No default base URL (the spec names `{}`): name one with `ClientBuilder::base_url`; \
             the client does not build without it.\n",
            model.base_url
        );
    }
    authentication(&mut out, model);
    client_headers(&mut out, model);
    left_out(&mut out, model);
    operations(&mut out, model, settings);
    if !flows.is_empty() {
        let _ = writeln!(
            out,
            "\n## Flows\n\nWhole flows, one call after another: `cargo run -p {} --example <name>`.\n",
            settings.package
        );
        for (name, what) in flows {
            let _ = writeln!(out, "- `{name}`: {what}");
        }
    }
    crate::webhooks::readme(&mut out, model.webhooks.as_ref(), &model.crate_name);
    crate::waiters::readme(&mut out, model);
    calling(&mut out, model);
    mock(&mut out, model, settings, testing);
    features(&mut out, model);
    typed_headers(&mut out, model);
    guide(&mut out, model, closed_objects);
    out
}

/// The crate's cargo features: what each gives (their cold-build costs are measured in the
/// repository's BENCHMARKS.md).
fn features(out: &mut String, model: &Model) {
    out.push_str(
        "\n## Cargo features\n\n\
         - `rustls` (default): TLS through rustls on ring, the cheaper build; classical key \
         exchange (X25519, P-256) only: ring has no post-quantum key exchange.\n\
         - `rustls-aws-lc`: TLS through rustls on aws-lc-rs: post-quantum hybrid key exchange \
         (X25519MLKEM768, preferred), for traffic that must stay secret for years; builds aws-lc \
         (C), a longer cold build. It wins over `rustls` where both are on.\n\
         - `native-tls`: the platform's TLS library (OpenSSL on Linux).\n",
    );
    if model.webhooks.is_some() {
        out.push_str(
            "- `webhooks` (off): the `webhooks` module, verified and typed deliveries; off so that \
             a service that receives none does not build the verifier and the typed events.\n",
        );
    }
    out.push_str("- `mock` (off): the typed mock server, for your tests (`[dev-dependencies]`).\n");
    if !model.features.is_empty() {
        let _ = writeln!(
            out,
            "- `{}` (default) and one feature per tag: which operations are built (see Operations).",
            crate::model::ALL
        );
    }
    out.push_str(
        "\nWhat each costs in a cold build, measured: BENCHMARKS.md in the repository (Compile \
         time: choices that cut compile time). Whatever the features, the code of an operation \
         (its request, its call, the decoding of its responses) is `#[inline]`: it is compiled \
         in your program's build, for the operations your program calls, not in this crate's.\n",
    );
}

/// Testing a user's code against the crate's typed mock (feature `mock`), with the testing
/// flow's code as a doctest that runs where the feature is on.
fn mock(out: &mut String, model: &Model, settings: &Settings, testing: Option<&str>) {
    let krate = &model.crate_name;
    let _ = write!(
        out,
        "\n## Testing your code\n\n\
         The `mock` feature (off by default; turn it on under `[dev-dependencies]`: \
         `{package} = {{ version = \"{version}\", features = [\"mock\"] }}`) adds \
         `{krate}::mock`: a mock of the API on 127.0.0.1 (wiremock's server), typed by its \
         operations. `MockServer::start().await`, then `server.client()` is a client pointed at \
         it with test credentials (`server.client_builder()` to set a retry policy or timeouts \
         first). Each operation has a method that scripts its answers:\n\n\
         - `.respond(Ok(value))`: the success status and body, as the provider writes them;\n\
         - `.respond(Err(<Operation>Error::Variant(ApiError::mock(body))))`: that variant's \
         status and body (`ApiError::mock_with_status` for a class, `default` or `Undocumented`);\n\
         - `.fault(Fault::RateLimited {{ retry_after }})`, `Fault::Unavailable` (503), \
         `Fault::Stall(d)` (no answer for `d`, past a call's timeout), `Fault::Disconnect` (the \
         connection dropped);\n\
         - `.pages([page1, page2])`: one page per request, in order;\n\
         - `.reply(Reply::raw(..))`: any status and body, a malformed one too;\n\
         - `.times(n)` / `.once()` before any of them: that answer for `n` requests only; answers \
         are tried in the order mounted, so a script reads top to bottom;\n\
         - `.received().await`: the requests it got, in order, their JSON bodies decoded as \
         the operation's request type.\n\n",
        package = settings.package,
        version = settings.version,
    );
    if model.webhooks.is_some() {
        let _ = writeln!(
            out,
            "`{krate}::mock::webhooks` signs test deliveries as the provider does (with \
             `{krate}::webhooks::SCHEME`).\n"
        );
    }
    let Some(code) = testing else {
        return;
    };
    out.push_str(
        "A function of your own, tested against the mock (`cargo run --example testing \
         --features mock` runs the same file):\n\n```rust\n# #[cfg(feature = \"mock\")]\n# mod example {\n",
    );
    out.push_str(code.trim_end());
    out.push_str("\n# }\n# fn main() {\n#     #[cfg(feature = \"mock\")]\n#     example::main();\n# }\n```\n");
}

/// How to authenticate: the builder's methods for the spec's schemes and token endpoint, and
/// `from_env`'s variables.
fn authentication(out: &mut String, model: &Model) {
    out.push_str("## Authentication\n\n");
    let has = |k: SchemeKind| model.schemes.iter().any(|s| s.kind == k);
    if has(SchemeKind::Basic) {
        out.push_str("- `ClientBuilder::basic_auth(username, password)`: HTTP Basic.\n");
    }
    if has(SchemeKind::Bearer) {
        out.push_str("- `ClientBuilder::bearer_token(token)`: a token you manage.\n");
    }
    if let Some(t) = &model.token {
        let optional: String = t
            .optional
            .iter()
            .map(|o| format!(" (and `token_{o}`)"))
            .collect();
        let _ = writeln!(
            out,
            "- `ClientBuilder::client_credentials({})`{optional}: tokens from `{}` (`{} {}`), fetched on first use, cached, refreshed before they expire, fetched once for any number of concurrent calls (also when the endpoint fails: every waiting call gets that one request's error); a 401 that says the token expired is refreshed once and the call sent once more.",
            t.credentials.join(", "),
            t.operation.id,
            t.operation.method,
            t.operation.path
        );
    }
    if let Some(prefix) = &model.env_prefix {
        let mut vars = vec![format!("`{prefix}_ACCESS_TOKEN`")];
        if let (Some([u, p]), true) = (&model.basic_env, has(SchemeKind::Basic)) {
            vars.push(format!("`{prefix}_{u}` + `{prefix}_{p}`"));
        }
        if let Some(t) = &model.token {
            vars.push(
                t.credentials
                    .iter()
                    .map(|c| format!("`{prefix}_{}`", c.to_ascii_uppercase()))
                    .collect::<Vec<_>>()
                    .join(" + "),
            );
        }
        let _ = writeln!(
            out,
            "- `Client::from_env()`: `{prefix}_BASE_URL` (optional), then the first set of {}.",
            vars.join(", or ")
        );
    }
    out.push_str(
        "\nCredentials go only to the operations whose security requirements accept them. \
         Credentials and tokens never appear in `Debug`, `Display` or error messages.\n\n",
    );
}

/// The headers set once on the client.
fn client_headers(out: &mut String, model: &Model) {
    if !model.client_headers.is_empty() {
        out.push_str("Headers set once on the client:\n\n");
        for h in &model.client_headers {
            let default = h
                .default
                .as_ref()
                .map(|d| format!(", default `{d}`"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "- `{}`: `ClientBuilder::{}`{default}",
                h.name, h.builder_method
            );
        }
        out.push('\n');
    }
}

/// What the spec holds that the crate does not (notes of the document rewrite, operations left
/// out).
fn left_out(out: &mut String, model: &Model) {
    if !model.notes.is_empty() || !model.left_out.is_empty() {
        out.push_str("## What the spec holds that this crate does not\n\n");
        for line in model.notes.iter().chain(&model.left_out) {
            let _ = writeln!(out, "- {line}");
        }
        out.push('\n');
    }
}

/// The table of operations: method, request, success, error statuses.
fn operations(out: &mut String, model: &Model, settings: &Settings) {
    out.push_str("## Operations\n\nEach has an example: `cargo run -p ");
    out.push_str(&settings.package);
    let _ = write!(
        out,
        " --example {}_<method>` (see the file for its environment variables).\n\n",
        example_prefix(&settings.package)
    );
    out.push_str("| Method | Request | Success | Error statuses |\n|---|---|---|---|\n");
    for op in &model.operations {
        let success = match &op.success {
            SuccessBody::Empty => "`()`".to_owned(),
            SuccessBody::Raw => "bytes".to_owned(),
            SuccessBody::Json(t) => format!("`{t}`"),
            SuccessBody::OptionalJson(t) => format!("`Option<{t}>`"),
            SuccessBody::Several(_) => format!("`{}Success`", crate::names::pascal(&op.id)),
        };
        let errors = op
            .errors
            .iter()
            .map(|r| {
                let status = r.status.to_string();
                match &r.body {
                    Body::Json(t) => format!("{status} (`{t}`)"),
                    _ => status,
                }
            })
            .collect::<Vec<_>>()
            .join(", ");
        let _ = writeln!(
            out,
            "| `{}` | `{} {}` | {} | {} |",
            op.fn_name, op.method, op.path, success, errors
        );
    }
    features_note(out, model, settings);
    crate::pagination::readme(out, model);
}

/// How to build only some operations: a cargo feature per tag.
fn features_note(out: &mut String, model: &Model, settings: &Settings) {
    let features = &model.features;
    let Some((_, first)) = features.iter().next() else {
        return;
    };
    let names: Vec<String> = features
        .iter()
        .map(|(tag, feature)| format!("`{feature}` ({tag})"))
        .collect();
    let _ = writeln!(
        out,
        "\nEach tag of the spec is a cargo feature: {}. The default, `{}`, builds every \
         operation; a crate that needs a few builds only those tags' operations and the types \
         they use (operations without a tag are always built), for instance \
         `{} = {{ version = \"...\", default-features = false, features = [\"rustls\", \"{first}\"] }}`. \
         The examples of the operations left out are skipped by `cargo build --examples`.",
        names.join(", "),
        crate::model::ALL,
        settings.package
    );
}

/// Per-call options, idempotency keys and interceptors, each with an example that compiles
/// (the README is the crate's doc).
fn calling(out: &mut String, model: &Model) {
    let krate = &model.crate_name;
    out.push_str(
        "\n## Request bodies\n\n\
         Each request body's type, and every struct it holds, has a builder: \
         `types::Name::builder()`, a setter per field, then `build()`. A setter takes anything \
         that converts into the field's type: `\"text\"` for a string, a constrained string (its \
         length and pattern are checked) or a UUID, the value itself for an optional field, a \
         nested builder for a nested object, an array or any iterator for a list. `build()` \
         returns `FieldError` for a required field left unset or the first value that did not \
         convert; it names the type and the field (`CreatePayment.payee.iban: ...`), never the \
         value. Struct literals work as well: every field is public.\n",
    );
    let _ = write!(
        out,
        "\n## Per-call options\n\n\
         `Client::with(CallOptions)` gives a client for one call (or a few) with its own timeout,\n\
         deadline, retry policy, extra headers or idempotency key. It shares the client's\n\
         connections, credentials, token cache and interceptors; the client itself is unchanged.\n\n\
         ```rust,no_run\n\
         use std::time::Duration;\n\n\
         use {krate}::{{CallOptions, Client, RetryPolicy}};\n\n\
         # fn patient(client: &Client) {{\n\
         let patient = client.with(\n    \
             CallOptions::new()\n        \
                 .timeout(Duration::from_secs(120)) // each attempt\n        \
                 .deadline(Duration::from_secs(300)) // the whole call, retries included\n        \
                 .retry_policy(RetryPolicy::none())\n        \
                 .header(\"x-trace-id\", \"checkout-42\"),\n\
         );\n\
         # let _ = patient;\n\
         # }}\n\
         ```\n\n"
    );
    let keyed: Vec<String> = model
        .operations
        .iter()
        .filter_map(|op| Some(format!("`{}` (`{}`)", op.fn_name, op.idempotency_header()?)))
        .collect();
    if keyed.is_empty() {
        out.push_str(
            "No operation of this spec declares an idempotency header. A POST you know the \
             provider deduplicates can carry one through `CallOptions::header(\"Idempotency-Key\", ..)`, \
             which also makes it safe to retry.\n",
        );
    } else {
        let _ = writeln!(
            out,
            "Operations whose spec declares an idempotency header send a key on every call: \
             yours (`CallOptions::idempotency_key`, or the operation's own parameter), else a \
             random one (128 bits), the same on every retry of the call, which makes a POST \
             safe to retry: {}.",
            keyed.join(", ")
        );
    }
    let _ = write!(
        out,
        "\n## Interceptors\n\n\
         Your code at three phases of every call, added with `ClientBuilder::interceptor` and run in\n\
         the order added, each hook awaited:\n\n\
         1. `before_send`, before each attempt is sent, with the request mutable;\n\
         2. `after_response`, when an attempt's response arrives (status, headers), before retrying\n   \
         or decoding;\n\
         3. `after_call`, once the call has ended: its status or error, attempts and elapsed time.\n\n\
         An interceptor does not see the `Authorization` header unless its `sees_credentials`\n\
         returns `true`; the header is put back after it ran. Metrics, and a signing header:\n\n\
         ```rust,no_run\n\
         use {krate}::Client;\n\
         use {krate}::interceptor::{{CallInfo, CallOutcome, Hook, Interceptor, Request}};\n\n\
         /// Logs each call's operation, status, attempts and duration.\n\
         struct Metrics;\n\n\
         impl Interceptor for Metrics {{\n    \
             fn after_call<'a>(&'a self, call: &'a CallInfo, outcome: &'a CallOutcome) -> Hook<'a> {{\n        \
                 Box::pin(async move {{\n            \
                     println!(\n                \
                         \"{{}} {{:?}} after {{}} attempts in {{:?}}\",\n                \
                         call.operation, outcome.status, outcome.attempts, outcome.elapsed\n            \
                     );\n        \
                 }})\n    \
             }}\n\
         }}\n\n\
         /// Signs each attempt's body into an `X-Signature` header.\n\
         struct Signer {{\n    \
             key: Vec<u8>,\n\
         }}\n\n\
         impl Interceptor for Signer {{\n    \
             fn before_send<'a>(&'a self, _call: &'a CallInfo, request: &'a mut Request) -> Hook<'a> {{\n        \
                 Box::pin(async move {{\n            \
                     let body = request.body().and_then(|b| b.as_bytes()).unwrap_or_default();\n            \
                     if let Ok(value) = sign(&self.key, body).parse() {{\n                \
                         request.headers_mut().insert(\"x-signature\", value);\n            \
                     }}\n        \
                 }})\n    \
             }}\n\
         }}\n\n\
         /// Your signature (an HMAC from the `hmac` crate, say).\n\
         fn sign(key: &[u8], body: &[u8]) -> String {{\n    \
             format!(\"{{}}-{{}}\", key.len(), body.len())\n\
         }}\n\n\
         # fn build() -> Result<(), Box<dyn std::error::Error>> {{\n\
         let client = Client::builder()\n    \
             .interceptor(Metrics)\n    \
             .interceptor(Signer {{ key: b\"secret\".to_vec() }})\n    \
             .build()?;\n\
         # let _ = client;\n\
         # Ok(())\n\
         # }}\n\
         ```\n"
    );
}

/// The operations whose responses document headers: their typed headers, with an example
/// that compiles.
fn typed_headers(out: &mut String, model: &Model) {
    let with: Vec<&crate::model::OperationModel> = model
        .operations
        .iter()
        .filter(|op| op.alternate_of.is_none() && !op.response_headers.is_empty())
        .collect();
    let Some(first) = with.first() else {
        return;
    };
    let krate = &model.crate_name;
    let name = crate::postprocess::headers_name(first);
    let field = &first.response_headers[0].field;
    let listed: Vec<String> = with
        .iter()
        .map(|op| {
            let headers: Vec<String> = op
                .response_headers
                .iter()
                .map(|h| format!("`{}`", h.name))
                .collect();
            format!(
                "- `{}` ({}): {}",
                crate::postprocess::headers_name(op),
                op.fn_name,
                headers.join(", ")
            )
        })
        .collect();
    let _ = write!(
        out,
        "\n## Typed response headers\n\n\
         The headers a spec documents on an operation's responses are a struct of their own,\n\
         each parsed by its schema (integers, numbers, booleans, dates, text; `None` where absent\n\
         or not as documented): `headers_as::<{name}>()` on the response, and on each of the\n\
         operation's errors, beside the raw `headers()`.\n\n\
         ```rust,no_run\n\
         # fn show<T>(response: &{krate}::Response<T>) {{\n\
         let headers = response.headers_as::<{krate}::{name}>();\n\
         println!(\"{{:?}}\", headers.{field});\n\
         # }}\n\
         ```\n\n{}\n",
        listed.join("\n")
    );
}

/// What every crate's README says the same way: errors, retries and timeouts, forward
/// compatibility, tracing.
fn guide(out: &mut String, model: &Model, closed_objects: bool) {
    let krate = &model.crate_name;
    let _ = write!(
        out,
        "\n## Errors\n\n\
         Every method returns `Result<Response<T>, Error<OpError>>`. `Response<T>` dereferences to the\n\
         decoded body and carries the status (any 2xx: one the spec does not list decodes as the\n\
         documented body), headers and request id. `Error::Api` holds the operation's own enum\n\
         (`{krate}::<Operation>Error`): a variant per documented status with the documented body;\n\
         a status the spec does not document is `Undocumented`, with its raw body. Every variant\n\
         gives `status()`, `request_id()`, `headers()` and `raw_body()` directly (no trait to\n\
         import), as does `Error` itself. A documented status whose body does not match the spec\n\
         is `Error::Decode`: the raw body, the JSON path where decoding stopped, what the spec\n\
         expected and the kind of value found (never the value: it may be an account number).\n\
         Network faults and timeouts are `Error::Transport`; credentials that cannot be sent are\n\
         `Error::Auth`, which keeps the token endpoint's status, request id and documented error\n\
         body. `Display` names the operation, the status and the request id, never a body, a\n\
         URL or a value from a response.\n"
    );
    let _ = write!(
        out,
        "\n## Retries and timeouts\n\n\
         On by default (`RetryPolicy::default()`): at most {attempts} attempts.\n\
         - 429 is retried after `X-Retry-In` (milliseconds) or `Retry-After` (seconds or an HTTP\n  \
         date), when that is at most {retry_after}; a longer wait is returned to you.\n\
         - 408, 502, 503, 504 and transport errors are retried only for idempotent methods, or\n  \
         for a request carrying an `Idempotency-Key` or `X-Idempotency-Key` header: never a\n  \
         POST the server may have received. A connection that could not be opened sent\n  \
         nothing, and is retried whatever the method.\n\
         - Waits between attempts grow exponentially ({backoff} to {max_backoff}) with full jitter.\n\n\
         Two bounds: each attempt at most the request timeout ({timeout}; {connect} to connect;\n\
         `ClientBuilder::timeouts`), and a whole call, attempts, waits and token requests\n\
         included, at most `RetryPolicy::max_elapsed` ({elapsed}): an attempt gets the smaller of\n\
         the request timeout and the time left. `ClientBuilder::retry_policy` changes the\n\
         policy (`RetryPolicy::none()` turns retries off). `Error::is_retryable` says whether a\n\
         failed call may succeed if made again, by the same rule: never for a timeout of a\n\
         request that was not safe to repeat.\n\n",
        attempts = RETRY_ATTEMPTS,
        retry_after = prose(RETRY_MAX_RETRY_AFTER),
        backoff = prose(RETRY_INITIAL_BACKOFF),
        max_backoff = prose(RETRY_MAX_BACKOFF),
        timeout = prose(REQUEST_TIMEOUT),
        connect = prose(CONNECT_TIMEOUT),
        elapsed = prose(RETRY_MAX_ELAPSED),
    );
    out.push_str(
        "## Forward compatibility\n\n\
         Every string enum has an `Unrecognized(String)` variant: a value the provider adds later\n\
         decodes into it and is sent back unchanged, and you can send a value the spec does not\n\
         list yet (`\"new-value\".parse()` or `From<&str>`). A `null` where the spec has a list\n\
         or a map decodes as empty, and a `null` for an optional field as `None`.\n",
    );
    out.push_str(if closed_objects {
        "Unknown object fields are ignored, except in objects the spec closes with \
         `additionalProperties: false`.\n"
    } else {
        "Unknown object fields are ignored.\n"
    });
    out.push_str(
        "\n## Tracing\n\n\
         Each call runs in a `finapi.call` span (`tracing`) with `operation`, `method`, `path` (the\n\
         template), `attempt`, `status` and `request_id`. No header value, body or secret is ever\n\
         recorded; `Debug` of credentials, tokens and fields the spec marks sensitive prints\n\
         `*** Sensitive Data Redacted ***`, and `Debug` of an error shows a body's type and size,\n\
         not its content.\n",
    );
}
