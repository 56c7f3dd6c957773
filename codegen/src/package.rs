//! Assembles the files of a crate from the formatted code: Cargo.toml, README.md,
//! src/lib.rs, src/generated.rs. Pure: emit writes them.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::PathBuf;

use crate::format::generated_line;
use crate::generate::Generated;
use crate::model::{Body, Model, StatusMatch, SuccessBody};
use crate::settings::Settings;

/// The files of one crate, by path relative to the crate directory. Sorted, so that output
/// is deterministic.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CrateFiles {
    /// File contents by relative path.
    pub files: BTreeMap<PathBuf, String>,
}

/// Where the crate will live, which decides how it finds the runtime crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Layout {
    /// The path of the runtime crate as written in Cargo.toml (relative to the crate
    /// directory inside the workspace, absolute for a standalone crate).
    pub runtime_path: String,
    /// A standalone crate is its own workspace, so that it builds wherever it is written.
    pub standalone: bool,
    /// The spec's name as the `@generated` line shows it.
    pub spec_label: String,
}

/// Assembles the crate's files.
pub fn package(
    generated_rs: String,
    examples: Vec<(String, String)>,
    generated: &Generated,
    model: &Model,
    settings: &Settings,
    layout: &Layout,
) -> CrateFiles {
    let mut files = BTreeMap::new();
    files.insert(
        PathBuf::from("Cargo.toml"),
        cargo_toml(generated, model, settings, layout),
    );
    files.insert(PathBuf::from("README.md"), readme(model, settings, layout));
    files.insert(PathBuf::from("src/lib.rs"), lib_rs(layout));
    files.insert(PathBuf::from("src/generated.rs"), generated_rs);
    for (name, code) in examples {
        files.insert(PathBuf::from(format!("examples/{name}.rs")), code);
    }
    CrateFiles { files }
}

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

fn cargo_toml(
    generated: &Generated,
    model: &Model,
    settings: &Settings,
    layout: &Layout,
) -> String {
    let description = settings
        .description
        .clone()
        .unwrap_or_else(|| format!("Typed Rust client for {}.", model.title.trim()));
    let mut out = format!(
        "# {}\n[package]\nname = {}\nversion = {}\nedition = \"2024\"\nrust-version = \"1.88\"\ndescription = {}\nlicense = \"MIT OR Apache-2.0\"\nreadme = \"README.md\"\npublish = false\n",
        generated_line(&layout.spec_label),
        toml_string(&settings.package),
        toml_string(&settings.version),
        toml_string(description.trim()),
    );
    out.push_str(
        "\n[features]\ndefault = [\"rustls\"]\n# TLS through rustls on the ring provider.\nrustls = [\"finapi-runtime/rustls\"]\n# TLS through the platform's native library.\nnative-tls = [\"finapi-runtime/native-tls\"]\n",
    );
    out.push_str("\n[dependencies]\n");
    let _ = writeln!(
        out,
        "finapi-runtime = {{ path = {}, version = \"0.1.0\", default-features = false }}",
        toml_string(&layout.runtime_path)
    );
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
    if layout.standalone {
        out.push_str("\n# A standalone crate: its own workspace, so it builds where it is written.\n[workspace]\n");
    }
    out
}

fn lib_rs(layout: &Layout) -> String {
    format!(
        "// {}\n\n#![doc = include_str!(\"../README.md\")]\n#![forbid(unsafe_code)]\n// Docs come from the spec's descriptions, which are not written for rustdoc.\n#![allow(\n    rustdoc::broken_intra_doc_links,\n    rustdoc::invalid_html_tags,\n    rustdoc::bare_urls\n)]\n\n// prettyplease formats the generated code; rustfmt leaves it alone.\n#[rustfmt::skip]\nmod generated;\n\npub use finapi_runtime::{{\n    ApiError, BuildError, Credentials, DecodeError, Error, ErrorResponse, Response, Secret,\n    TransportError,\n}};\npub use generated::*;\n",
        generated_line(&layout.spec_label)
    )
}

fn readme(model: &Model, settings: &Settings, layout: &Layout) -> String {
    let krate = settings.package.replace('-', "_");
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
    out.push_str("## Quickstart\n\n```rust,no_run\n");
    out.push_str("# async fn quickstart() -> Result<(), Box<dyn std::error::Error>> {\n");
    let _ = write!(out, "let client = {krate}::Client::builder()");
    if model
        .schemes
        .iter()
        .any(|s| s.kind == crate::model::SchemeKind::Bearer)
    {
        out.push_str("\n    .bearer_token(std::env::var(\"ACCESS_TOKEN\")?)");
    } else if model
        .schemes
        .iter()
        .any(|s| s.kind == crate::model::SchemeKind::Basic)
    {
        out.push_str(
            "\n    .basic_auth(std::env::var(\"USERNAME\")?, std::env::var(\"PASSWORD\")?)",
        );
    }
    out.push_str("\n    .build()?;\n");
    let _ = writeln!(
        out,
        "assert_eq!(client.base_url(), {krate}::Client::DEFAULT_BASE_URL);"
    );
    out.push_str("# Ok(()) }\n```\n\n");
    let _ = writeln!(out, "Default base URL: `{}`.\n", model.base_url);
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
    out.push_str(
        "## Operations\n\n| Method | Request | Success | Error statuses |\n|---|---|---|---|\n",
    );
    for op in &model.operations {
        let success = match &op.success {
            SuccessBody::Empty => "`()`".to_owned(),
            SuccessBody::Raw => "bytes".to_owned(),
            SuccessBody::Json(t) => format!("`{t}`"),
            SuccessBody::OptionalJson(t) => format!("`Option<{t}>`"),
        };
        let errors = op
            .errors
            .iter()
            .map(|r| {
                let status = match &r.status {
                    StatusMatch::Code(c) => c.to_string(),
                    StatusMatch::Range(c) => format!("{c}XX"),
                    StatusMatch::Default => "default".to_owned(),
                };
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
    out.push_str(
        "\n## Errors\n\nEvery method returns `Result<Response<T>, Error<OpError>>`. `Response<T>` dereferences to the\n\
         decoded body and carries the status, headers and request id. `Error::Api` holds the\n\
         operation's own enum (`<Operation>Error`): a variant per documented status, each with the\n\
         status, the request id, the headers, the raw body and the documented body; a status the\n\
         spec does not document is `Undocumented`, with its raw body. A documented status whose body\n\
         does not match the spec is `Error::Decode` (status, request id, raw body, and where\n\
         decoding stopped); network faults are `Error::Transport`.\n",
    );
    out
}
