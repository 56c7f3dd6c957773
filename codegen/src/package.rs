//! Assembles the files of a crate from the formatted code: Cargo.toml, README.md,
//! src/lib.rs, src/generated.rs. Pure: emit writes them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::format::generated_line;
use crate::generate::Generated;
use crate::model::{Body, Model, SchemeKind, SuccessBody};
use crate::postprocess::features::Features;
use crate::settings::Settings;

/// The files of one crate, by path relative to the crate directory. Sorted, so that output
/// is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateFiles {
    /// File contents by relative path.
    pub files: BTreeMap<PathBuf, String>,
    /// What the generation kept and left out (not written to disk).
    pub report: Report,
}

/// What a generation kept of the spec's operations.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    /// The spec's operations the crate has a method for.
    pub kept: usize,
    /// Methods made for the other request media types of operations (`…_as_xml`).
    pub alternates: usize,
    /// One located line per operation left out (also listed in the crate's README).
    pub warnings: Vec<String>,
}

/// The version of `finapi-runtime` generated crates depend on (the runtime crate's own).
pub const RUNTIME_VERSION: &str = "0.1.0";

/// How a generated crate depends on `finapi-runtime`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RuntimeDependency {
    /// By version, from the registry: a crate that builds anywhere.
    Registry,
    /// A local copy, by a path relative to the crate's directory (and the version, which the
    /// registry copy must match when the crate is published).
    Path(String),
}

/// Where the crate will live, which decides how it finds the runtime crate and whether it
/// may be published.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// How the crate depends on the runtime. Never an absolute path: a crate must build on
    /// another machine.
    pub runtime: RuntimeDependency,
    /// A standalone crate is its own workspace, so that it builds wherever it is written.
    pub standalone: bool,
    /// The spec's name as the `@generated` line shows it.
    pub spec_label: String,
    /// Whether the crate may be published (test snapshots may not).
    pub publish: bool,
    /// The source repository's URL, where the settings name none.
    pub repository: Option<String>,
}

/// An example file of the crate: an operation's (generated) or a flow's (hand-written
/// beside the spec, with the first line of its doc for the README).
#[derive(Debug, Clone)]
pub struct Example {
    /// Its name (`examples/<name>.rs`).
    pub name: String,
    /// Its code.
    pub code: String,
    /// For a flow, what it does (the first line of its `//!` doc).
    pub flow: Option<String>,
}

/// Assembles the crate's files.
// Invariant (deterministic output): the files in a sorted map, each a pure function of the
// spec and its settings; `@generated` lines name the spec's file name, never a path.
pub fn package(
    generated_rs: String,
    examples: Vec<Example>,
    quickstart: &[String],
    generated: &Generated,
    model: &Model,
    settings: &Settings,
    layout: &Layout,
) -> CrateFiles {
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("Cargo.toml"),
        cargo_toml(generated, model, settings, layout, &examples),
    );
    files.insert(
        PathBuf::from("README.md"),
        readme(
            model,
            settings,
            layout,
            (quickstart, &flows(&examples)),
            generated_rs.contains("deny_unknown_fields"),
        ),
    );
    files.insert(PathBuf::from("src/lib.rs"), lib_rs(layout));
    files.insert(PathBuf::from("src/generated.rs"), generated_rs);
    for example in examples {
        files.insert(
            PathBuf::from(format!("examples/{}.rs", example.name)),
            example.code,
        );
    }
    CrateFiles {
        files,
        report: Report {
            kept: model
                .operations
                .iter()
                .filter(|op| op.alternate_of.is_none())
                .count(),
            alternates: model
                .operations
                .iter()
                .filter(|op| op.alternate_of.is_some())
                .count(),
            warnings: model.left_out.clone(),
        },
    }
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn cargo_toml(
    generated: &Generated,
    model: &Model,
    settings: &Settings,
    layout: &Layout,
    examples: &[Example],
) -> String {
    let description = settings
        .description
        .clone()
        .unwrap_or_else(|| format!("Typed Rust client for {}.", model.title.trim()));
    let mut out = format!(
        "# {}\n[package]\nname = {}\nversion = {}\nedition = \"2024\"\nrust-version = \"1.88\"\ndescription = {}\nlicense = \"MIT OR Apache-2.0\"\nreadme = \"README.md\"\n",
        generated_line(&layout.spec_label),
        toml_string(&settings.package),
        toml_string(&settings.version),
        toml_string(description.trim()),
    );
    if layout.publish {
        if let Some(url) = settings.repository.as_ref().or(layout.repository.as_ref()) {
            let _ = writeln!(out, "repository = {}", toml_string(url));
        }
        let _ = writeln!(
            out,
            "documentation = {}",
            toml_string(&format!("https://docs.rs/{}", settings.package))
        );
        let list = |items: &[String]| {
            items
                .iter()
                .map(|i| toml_string(i))
                .collect::<Vec<_>>()
                .join(", ")
        };
        let keywords = if settings.keywords.is_empty() {
            vec!["openapi".to_owned(), "api-client".to_owned()]
        } else {
            settings.keywords.clone()
        };
        let categories = if settings.categories.is_empty() {
            vec!["api-bindings".to_owned()]
        } else {
            settings.categories.clone()
        };
        let _ = writeln!(out, "keywords = [{}]", list(&keywords));
        let _ = writeln!(out, "categories = [{}]", list(&categories));
    } else {
        out.push_str("publish = false\n");
    }
    let features = Features::new(model);
    let mut default = vec!["rustls"];
    if model.webhooks.is_some() {
        default.push("webhooks");
    }
    if !features.is_empty() {
        default.push(crate::postprocess::features::ALL);
    }
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|i| toml_string(i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "\n[features]\ndefault = [{}]", list(&default));
    out.push_str("# TLS through rustls on the ring provider.\nrustls = [\"finapi-runtime/rustls\"]\n# TLS through the platform's native library.\nnative-tls = [\"finapi-runtime/native-tls\"]\n");
    if model.webhooks.is_some() {
        out.push_str("# The `webhooks` module: verified, typed deliveries (RustCrypto hmac, sha2, p256).\nwebhooks = [\"finapi-runtime/webhooks\"]\n");
    }
    if !features.is_empty() {
        let all: Vec<&str> = features.iter().map(|(_, f)| f).collect();
        let _ = writeln!(
            out,
            "# Every operation. Without it, only the operations of the tags' features below are\n# built (with the types they use), and those without a tag.\n{} = [{}]",
            crate::postprocess::features::ALL,
            list(&all)
        );
        for (tag, feature) in features.iter() {
            let ops: Vec<&str> = model
                .operations
                .iter()
                .filter(|op| op.alternate_of.is_none() && op.tags.iter().any(|t| t == tag))
                .map(|op| op.fn_name.as_str())
                .collect();
            let _ = writeln!(
                out,
                "# Tag `{}`: {}.\n{feature} = []",
                tag.replace('\n', " "),
                ops.join(", ")
            );
        }
    }
    out.push_str("\n[dependencies]\n");
    match &layout.runtime {
        RuntimeDependency::Registry => {
            let _ = writeln!(
                out,
                "finapi-runtime = {{ version = {}, default-features = false }}",
                toml_string(RUNTIME_VERSION)
            );
        }
        RuntimeDependency::Path(path) => {
            let _ = writeln!(
                out,
                "finapi-runtime = {{ path = {}, version = {}, default-features = false }}",
                toml_string(path),
                toml_string(RUNTIME_VERSION)
            );
        }
    }
    out.push_str("progenitor-client = \"=0.15.1\"\n");
    out.push_str("reqwest = { version = \"0.13\", default-features = false, features = [\"json\", \"query\", \"stream\", \"form\"] }\n");
    out.push_str("serde = { version = \"1\", features = [\"derive\"] }\n");
    out.push_str("serde_json = \"1\"\n");
    if generated.uses_chrono {
        out.push_str("chrono = { version = \"0.4\", default-features = false, features = [\"serde\", \"std\"] }\n");
    }
    if generated.uses_regress {
        out.push_str("regress = \"0.12\"\n");
    }
    if generated.uses_uuid {
        out.push_str("uuid = { version = \"1\", features = [\"serde\"] }\n");
    }
    out.push_str("\n[dev-dependencies]\n# The examples' async runtime.\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n");
    required_features(&mut out, &features, model, examples);
    if layout.standalone {
        out.push_str("\n# A standalone crate: its own workspace, so it builds where it is written.\n[workspace]\n");
    }
    out
}

/// `[[example]]` entries for the examples a narrower feature set leaves out, so that
/// `cargo build --examples` skips them there instead of failing. An operation's example needs
/// one of its operation's features, the first by name: cargo requires all the features an
/// example lists, and an operation builds with any of its tags'. A flow, which may call any
/// operation, needs `all-operations`.
fn required_features(out: &mut String, features: &Features, model: &Model, examples: &[Example]) {
    if features.is_empty() {
        return;
    }
    for example in examples {
        let required = match &example.flow {
            Some(_) => Some(crate::postprocess::features::ALL.to_owned()),
            None => model
                .operations
                .iter()
                .find(|op| op.fn_name == example.name)
                .and_then(|op| features.of(op).into_iter().next()),
        };
        if let Some(feature) = required {
            let _ = writeln!(
                out,
                "\n[[example]]\nname = {}\nrequired-features = [{}]",
                toml_string(&example.name),
                toml_string(&feature)
            );
        }
    }
}

/// What a provider crate re-exports of the runtime: everything its README tells a user to
/// touch, so that the provider crate is the only dependency a user needs.
pub const REEXPORTS: &str = "pub use finapi_runtime::{
    ApiError, AuthError, AuthFailure, BuildError, Credentials, DEFAULT_CONNECT_TIMEOUT,
    DEFAULT_TIMEOUT, DecodeError, DecodeFailure, Error, JsonKind, Multipart, OperationError,
    Problem, Response, ResponseMeta, RetryPolicy, Secret, TokenCredentials, TransportError,
    TransportKind, http_client_builder,
};
";

fn lib_rs(layout: &Layout) -> String {
    format!(
        "// {}\n\n#![doc = include_str!(\"../README.md\")]\n#![forbid(unsafe_code)]\n#![warn(missing_docs)]\n\n// prettyplease formats the generated code; rustfmt leaves it alone.\n#[rustfmt::skip]\nmod generated;\n\n{REEXPORTS}pub use generated::*;\n",
        generated_line(&layout.spec_label)
    )
}

/// The crate's README: what it is, the quickstart (a doctest), then a section per concern.
/// The flows among the examples: (name, what it does).
fn flows(examples: &[Example]) -> Vec<(String, String)> {
    examples
        .iter()
        .filter_map(|e| Some((e.name.clone(), e.flow.clone()?)))
        .collect()
}

fn readme(
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
                 (constant-time), its `exp` and `iat` hold within a 5-minute leeway.",
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
         and raw body, then decodes it: {}. {how}\n\n",
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
                    "Deliveries signed more than {secs} s ({} h) ago are refused (`max_age`): \
                         whether the provider signs a retry afresh is not documented, so the default \
                         outlasts its retries; if you confirm it does, `.max_age(Duration::from_secs(300))` \
                         narrows the window a stolen delivery can be replayed in.",
                    secs / 3600
                ),
                None => "No maximum age is set by default (a retry that keeps its first signature \
                             must pass); `.max_age(..)` sets one."
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
    out.push_str(" --example <method>` (see the file for its environment variables).\n\n");
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
         for a page twice. `stream.try_next().await?` needs no trait; every stream is also a\n\
         `futures` `Stream`.\n\n\
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

#[cfg(test)]
mod tests {
    use crate::RuntimeDependency;
    use crate::test_support::build_with_runtime;

    const SPEC: &str = r#"
openapi: 3.0.3
info: {title: Snap, version: "1"}
servers: [{url: "https://api.snap.test"}]
paths:
  /ping:
    get:
      operationId: ping
      responses: {"204": {description: pong}}
"#;

    fn runtime_line(runtime: RuntimeDependency) -> String {
        let files = build_with_runtime(SPEC, runtime).expect("the spec generates");
        let manifest = &files.files[std::path::Path::new("Cargo.toml")];
        manifest
            .lines()
            .find(|l| l.starts_with("finapi-runtime"))
            .expect("a finapi-runtime dependency")
            .to_owned()
    }

    #[test]
    fn a_flow_beside_the_spec_is_copied_under_its_own_generated_line_and_listed() {
        use crate::test_support::generate_with_examples;
        let flow = "//! Ping twice.\n\nfn main() {}\n";
        let files = generate_with_examples(SPEC, vec![("ping_twice".into(), flow.into())])
            .expect("generates");
        let copied = &files.files[std::path::Path::new("examples/ping_twice.rs")];
        assert_eq!(
            copied,
            &format!(
                "// @generated by finapi-codegen from test.examples/ping_twice.rs; do not edit: \
                 edit that file and run `cargo xtask regen`.\n\n{flow}"
            )
        );
        let readme = &files.files[std::path::Path::new("README.md")];
        assert!(readme.contains("## Flows"), "{readme}");
        assert!(readme.contains("- `ping_twice`: Ping twice."), "{readme}");

        let err = generate_with_examples(SPEC, vec![("ping".into(), flow.into())])
            .expect_err("the operation's example is named ping");
        assert!(err.message.contains("named `ping` too"), "{err}");
        let err =
            generate_with_examples(SPEC, vec![("undocumented".into(), "fn main() {}".into())])
                .expect_err("no doc line");
        assert!(err.message.contains("`//!` line"), "{err}");
    }

    #[test]
    fn the_runtime_is_a_version_or_a_relative_path() {
        assert_eq!(
            runtime_line(RuntimeDependency::Registry),
            r#"finapi-runtime = { version = "0.1.0", default-features = false }"#
        );
        assert_eq!(
            runtime_line(RuntimeDependency::Path("../../runtime".into())),
            r#"finapi-runtime = { path = "../../runtime", version = "0.1.0", default-features = false }"#
        );
        let err = build_with_runtime(SPEC, RuntimeDependency::Path("/home/me/runtime".into()))
            .expect_err("an absolute runtime path is refused");
        assert!(err.message.contains("must be relative"), "{err}");
    }
}
