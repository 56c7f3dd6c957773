//! The crate's README.md: what it is, the quickstart (a doctest), then a section per
//! concern: authentication, client headers, operations, features, flows, streams,
//! webhooks, errors, retries, forward compatibility, tracing.

use std::fmt::Write as _;

use super::{Example, Layout, example_prefix};
use crate::format::generated_line;
use crate::model::{Body, Model, SchemeKind, SuccessBody};
use crate::postprocess::features::Features;
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
    (quickstart, flows): (&[String], &[(String, String)]),
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
    let _ = writeln!(
        out,
        "Default base URL: `{}` (`ClientBuilder::base_url` changes it).\n",
        model.base_url
    );
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
    webhooks(&mut out, model);
    guide(&mut out, model, closed_objects);
    out
}

/// The webhooks section: how a receiver verifies, handles and commits a delivery.
fn webhooks(out: &mut String, model: &Model) {
    use crate::normalize::webhooks::{ReplayKeySettings, VerifySettings};
    let Some(hooks) = &model.webhooks else { return };
    let krate = &model.crate_name;
    let settings = &hooks.settings;
    let (param, build, how) = match &settings.verify {
        VerifySettings::Hmac(h) => (
            "signing_secret: String".to_owned(),
            "webhooks::verifier(signing_secret)".to_owned(),
            format!(
                "`{}` is an HMAC-{} of the headers {} (joined by `{}`{}), compared in constant time.",
                h.signature_header,
                h.algorithm.to_uppercase(),
                h.signed_headers.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", "),
                h.separator,
                if h.sign_body { ", then the body" } else { "; **the body is not signed**: re-read the resource an event names before acting on its data" },
            ),
        ),
        VerifySettings::Jwt(j) => (
            format!("client: &{krate}::Client"),
            "webhooks::verifier(client)".to_owned(),
            format!(
                "`{}` is an ES256 JWT, verified with the key its `kid` names from the provider's key set \
                 (fetched through the client with `{}`, cached 12 hours, fetched again on an unknown \
                 `kid` at most every 5 minutes); its `{}` claim must equal the body's SHA-256 \
                 (constant-time); its `iat` may lie at most 5 minutes ahead (the leeway) and it \
                 passes until 5 minutes after its `exp`. Key fetches happen in rounds: any number \
                 of concurrent deliveries wait on one fetch (with the client's retries) and get its \
                 result. During an outage of the key endpoint a failed fetch is remembered for 10 s: \
                 until then deliveries get `WebhookError::KeyFetch` (answer 503) at once, without a \
                 request, so an outage costs at most one round per 10 s; keys past their 12 hours \
                 keep verifying while refreshes fail, for at most 12 hours more \
                 (`webhooks::keys(&client).ttl(..).failure_backoff(..).max_stale(..)` with \
                 `Verifier::jwt` changes these).",
                j.header,
                hooks.jwks_method.as_deref().unwrap_or_default(),
                j.body_hash_claim
            ),
        ),
        VerifySettings::Inbound {} => (
            "password: String".to_owned(),
            "webhooks::verifier(webhooks::InboundAuth::basic(\"hooks\", password))".to_owned(),
            "The provider signs nothing: the verifier checks the credentials you configured it to \
             send (`InboundAuth::basic`, `bearer`, `header`, combined with `and`), in constant time. \
             Treat an event as a trigger and re-read the resource for its authoritative state."
                .to_owned(),
        ),
    };
    let first = match &settings.type_field {
        Some(_) => format!("Event::{}(data)", hooks.events[0].variant),
        None => "data".to_owned(),
    };
    let _ = write!(
        out,
        "\n## Webhooks\n\n\
         `{krate}::webhooks` (feature `webhooks`, on by default) verifies a delivery from its headers \
         and raw body, then decodes it: {}. {how} A header the check reads (signature, signed \
         values, timestamp, credentials, replay key) that appears more than once is refused \
         (`WebhookError::RepeatedHeader`, answer 400), whichever of its values is genuine.\n\n",
        if settings.type_field.is_some() {
            "`Event` has a variant per event the spec declares and `Unknown { r#type, data }` for any other (never an error)".to_owned()
        } else {
            format!(
                "`Event` is the spec's one event, `{}`",
                hooks.events[0].wire
            )
        },
    );
    if let Some(key) = &settings.replay_key {
        let age = settings.max_age_secs;
        let key = match key {
            ReplayKeySettings::Header(h) => format!("header `{h}`"),
            ReplayKeySettings::BodyField(f) => format!("body field `{f}`"),
        };
        let _ = write!(
            out,
            "Replays: the {key} of a delivery is reserved while your handler runs and recorded only \
                 when you call `delivery.commit()`; a handler that fails (drops the delivery) leaves it \
                 free, so the provider's retry gets through, and a replay of a committed delivery is \
                 `WebhookError::Replayed` (answer 200: `e.status()` says so). The default guard is in \
                 memory (100,000 keys); behind several processes give `replay_guard` a shared \
                 `ReplayGuard`. {}\n\n",
            match age {
                Some(secs) => format!(
                    "Deliveries signed more than {secs} s ({} h) ago are refused (`max_age`, \
                         exactly: the clock leeway does not extend it), and so are deliveries signed \
                         more than 5 minutes ahead (`leeway`; `.leeway(Duration::ZERO)` makes that \
                         exact too): whether the provider signs a retry afresh is not documented, so \
                         the default outlasts its retries; if you confirm it does, \
                         `.max_age(Duration::from_secs(300))` narrows the window a stolen delivery can \
                         be replayed in.",
                    secs / 3600
                ),
                None => "No maximum age is set by default (a retry that keeps its first signature \
                             must pass); `.max_age(..)` sets one, exactly: a delivery passes when it \
                             was signed at most `max_age` ago and at most 5 minutes ahead (`leeway`)."
                    .to_owned(),
            }
        );
    }
    let _ = write!(
        out,
        "```rust,no_run\n\
         # #[cfg(feature = \"webhooks\")]\n\
         # async fn receive({param}, headers: &finapi_runtime::export::HeaderMap, body: &[u8]) -> u16 {{\n\
         # #[allow(unused_imports)] use {krate}::webhooks::{{self, Event}};\n\
         let hooks = {build}; // once, at startup\n\
         let delivery = match hooks.verify(headers, body).await {{\n\
         \x20   Ok(delivery) => delivery,\n\
         \x20   Err(e) => return e.status(), // 4xx: refused; 200: a replay of a processed one\n\
         }};\n\
         #[allow(irrefutable_let_patterns)]\n\
         if let {first} = &delivery.event {{\n\
         \x20   let _ = data; // handle it\n\
         }}\n\
         match delivery.commit().await {{\n\
         \x20   Ok(_) => 200,\n\
         \x20   Err(e) => e.status(),\n\
         }}\n\
         # }}\n\
         ```\n\n\
         Tests sign deliveries as the provider does with `finapi_runtime::webhook::testing` \
         (`hmac_sign`, `TestKey::sign` and `TestKey::jwks` to serve) and `webhooks::SCHEME`.\n"
    );
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
    streams(out, model);
}

/// How to build only some operations: a cargo feature per tag.
fn features_note(out: &mut String, model: &Model, settings: &Settings) {
    let features = Features::new(model);
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
        crate::postprocess::features::ALL,
        settings.package
    );
}

/// The paginators, where operations declare pagination.
fn streams(out: &mut String, model: &Model) {
    let paginated: Vec<_> = model
        .operations
        .iter()
        .filter_map(|op| Some((op, crate::postprocess::paginator_names(op)?)))
        .collect();
    if paginated.is_empty() {
        return;
    }
    out.push_str(
        "\n## Streams\n\n\
         List operations that page also walk every page for you. `<method>_stream` yields every\n\
         item of every page and `<method>_pages` every page (a `Response`, for pages that hold\n\
         more than one list); both take the method's arguments, start where they say, ask for\n\
         one page at a time, end after the first error (the method's own, typed) and never ask\n\
         for a page twice: a cursor the provider repeats ends the stream with\n\
         `Error::Pagination`, and so do 50 empty pages in a row that still name a next one\n\
         (`.max_empty_pages(n)` sets the bound). Once a stream has ended, or yielded an error,\n\
         it yields `Ok(None)` however often it is asked (it is a `FusedStream`).\n\
         `stream.try_next().await?` needs no trait; every stream is also a `futures` `Stream`.\n\n\
         | Method | Pages | Items | Paging |\n|---|---|---|---|\n",
    );
    for (op, (pages, stream)) in paginated {
        let items = stream.map_or_else(|| "(pages only)".to_owned(), |s| format!("`{s}`"));
        let paging = op
            .pagination
            .as_ref()
            .map(|p| crate::postprocess::describe_paging(&p.paging))
            .unwrap_or_default();
        let _ = writeln!(out, "| `{}` | `{pages}` | {items} | {paging} |", op.fn_name);
    }
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
    out.push_str(
        "\n## Retries and timeouts\n\n\
         On by default (`RetryPolicy::default()`): at most 3 attempts.\n\
         - 429 is retried after `X-Retry-In` (milliseconds) or `Retry-After` (seconds or an HTTP\n  \
         date), when that is at most 30 s; a longer wait is returned to you.\n\
         - 408, 502, 503, 504 and transport errors are retried only for idempotent methods, or\n  \
         for a request carrying an `Idempotency-Key` or `X-Idempotency-Key` header: never a\n  \
         POST the server may have received. A connection that could not be opened sent\n  \
         nothing, and is retried whatever the method.\n\
         - Waits between attempts grow exponentially (200 ms to 5 s) with full jitter.\n\n\
         Two bounds: each attempt at most the request timeout (30 s; 10 s to connect;\n\
         `ClientBuilder::timeouts`), and a whole call, attempts, waits and token requests\n\
         included, at most `RetryPolicy::max_elapsed` (60 s): an attempt gets the smaller of\n\
         the request timeout and the time left. `ClientBuilder::retry_policy` changes the\n\
         policy (`RetryPolicy::none()` turns retries off). `Error::is_retryable` says whether a\n\
         failed call may succeed if made again: never for a timeout of a request that was not\n\
         safe to repeat.\n\n\
         ## Forward compatibility\n\n\
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
