//! The crate's Cargo.toml: metadata from the settings, the runtime by version or relative
//! path, the features per tag, the examples' required features.

use std::fmt::Write as _;

use super::layout::{Example, Layout, RUNTIME_VERSION, RuntimeDependency};
use crate::format::generated_line;
use crate::generate::Generated;
use crate::model::{Features, Model};
use crate::settings::Settings;

fn toml_string(s: &str) -> String {
    serde_json::to_string(s).unwrap_or_default()
}

pub(super) fn cargo_toml(
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
    let features = &model.features;
    // `webhooks` is opt-in: a crate that receives no deliveries does not build the verifier
    // and the typed events (their cost is in BENCHMARKS.md and the README).
    let mut default = vec!["rustls"];
    if !features.is_empty() {
        default.push(crate::model::ALL);
    }
    let list = |items: &[&str]| {
        items
            .iter()
            .map(|i| toml_string(i))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let _ = writeln!(out, "\n[features]\ndefault = [{}]", list(&default));
    out.push_str("# TLS through rustls on the ring provider: the cheaper build; classical key exchange.\nrustls = [\"finapi-runtime/rustls\"]\n# TLS through rustls on aws-lc-rs: post-quantum hybrid key exchange (X25519MLKEM768);\n# builds aws-lc (C). Wins over `rustls` where both are on.\nrustls-aws-lc = [\"finapi-runtime/rustls-aws-lc\"]\n# TLS through the platform's native library.\nnative-tls = [\"finapi-runtime/native-tls\"]\n");
    if model.webhooks.is_some() {
        out.push_str("# The `webhooks` module: verified, typed deliveries (RustCrypto hmac, sha2, p256).\n# Off by default: turn it on where you receive the provider's webhooks.\nwebhooks = [\"finapi-runtime/webhooks\"]\n");
    }
    out.push_str("# The `mock` module: a typed mock server for the tests of your code (wiremock's, on\n# 127.0.0.1). Off by default; turn it on in `[dev-dependencies]`.\nmock = [\"finapi-runtime/mock\"]\n");
    if !features.is_empty() {
        let all: Vec<&str> = features.iter().map(|(_, f)| f).collect();
        let _ = writeln!(
            out,
            "# Every operation. Without it, only the operations of the tags' features below are\n# built (with the types they use), and those without a tag.\n{} = [{}]",
            crate::model::ALL,
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
    if layout.publish {
        // docs.rs documents what the off-by-default features add too.
        let mut documented: Vec<&str> = Vec::new();
        if model.webhooks.is_some() {
            documented.push("webhooks");
        }
        documented.push("mock");
        let _ = writeln!(
            out,
            "\n[package.metadata.docs.rs]\nfeatures = [{}]",
            list(&documented)
        );
    }
    out.push_str("\n[dependencies]\n");
    // Types with dates decode them through the runtime's `chrono` feature.
    let runtime_features = if generated.uses_chrono {
        ", features = [\"chrono\"]"
    } else {
        ""
    };
    match &layout.runtime {
        RuntimeDependency::Registry => {
            let _ = writeln!(
                out,
                "finapi-runtime = {{ version = {}, default-features = false{runtime_features} }}",
                toml_string(RUNTIME_VERSION)
            );
        }
        RuntimeDependency::Path(path) => {
            let _ = writeln!(
                out,
                "finapi-runtime = {{ path = {}, version = {}, default-features = false{runtime_features} }}",
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
    required_features(&mut out, features, model, examples);
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
    for example in examples {
        // A flow, which may call any operation, needs `all-operations`; an operation's example
        // a feature of its tags; the flow that tests a user's code against the mock `mock` too.
        let mut required: Vec<String> = match &example.flow {
            Some(_) if !features.is_empty() => vec![crate::model::ALL.to_owned()],
            Some(_) => Vec::new(),
            None => model
                .operations
                .iter()
                .find(|op| example.operation.as_ref() == Some(&op.fn_name))
                .and_then(|op| features.of(op).into_iter().next())
                .into_iter()
                .collect(),
        };
        if example.flow.is_some() && example.name == crate::package::TESTING_FLOW {
            required.push("mock".to_owned());
        }
        if !required.is_empty() {
            let list: Vec<String> = required.iter().map(|f| toml_string(f)).collect();
            let _ = writeln!(
                out,
                "\n[[example]]\nname = {}\nrequired-features = [{}]",
                toml_string(&example.name),
                list.join(", ")
            );
        }
    }
}
