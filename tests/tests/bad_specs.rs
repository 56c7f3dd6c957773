//! Specs the generator cannot take: each gives one error naming the file and the JSON pointer
//! of the node (or the line and column where the file does not parse), and `regen` writes
//! nothing when any spec fails.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("workspace")
        .to_owned()
}

/// (file, expected pointer, or `None` where only a line and column can be given, and a
/// fragment of the message). The error names the spec, or for a split spec the part at
/// fault ([`PARTS`]).
const CASES: &[(&str, Option<&str>, &str)] = &[
    ("invalid-yaml.yaml", None, "invalid YAML"),
    ("truncated.json", None, "invalid JSON"),
    ("empty.yaml", Some(""), "the file is empty"),
    ("not-an-object.yaml", Some(""), "not an object"),
    ("swagger-2.yaml", Some("/swagger"), "Swagger 2.0"),
    (
        "unsupported-version.yaml",
        Some("/openapi"),
        "unsupported OpenAPI version",
    ),
    (
        "dangling-ref.yaml",
        Some("/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
        "points at nothing",
    ),
    (
        "external-ref.yaml",
        Some("/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
        "cannot read",
    ),
    (
        "remote-ref.yaml",
        Some("/paths/~1a/get/responses/200/content/application~1json/schema/$ref"),
        "is remote",
    ),
    (
        "wrong-type-in-part.yaml",
        Some("/get/parameters/0/required"),
        "expected a boolean",
    ),
    (
        "broken-part.yaml",
        Some("/properties/kind/$ref"),
        "broken-part/thing.yaml has no #/Kind",
    ),
    (
        "duplicate-operation-id.yaml",
        Some("/paths/~1b/get/operationId"),
        "duplicate operationId",
    ),
    (
        "wrong-type.yaml",
        Some("/paths/~1a/get/parameters/0/required"),
        "expected a boolean",
    ),
    ("no-server.yaml", Some("/servers"), "no server"),
    (
        "pagination-unknown-param.yaml",
        Some("/paths/~1a/get/x-pagination/cursor"),
        "no query parameter \"after\"",
    ),
    (
        "pagination-bad-field.yaml",
        Some("/paths/~1a/get/x-pagination"),
        "no field \"meta\"",
    ),
    (
        "pagination-unknown-key.yaml",
        Some("/paths/~1a/get/x-pagination/curser"),
        "unknown field `curser`",
    ),
    (
        "progenitor-panic.yaml",
        Some("/paths/~1e/get"),
        "progenitor panicked: not yet implemented: unhandled not schema",
    ),
];

/// Bad specs whose error is in one of their parts: (spec, the part the error names).
const PARTS: &[(&str, &str)] = &[
    ("broken-part.yaml", "broken-part/thing.yaml"),
    ("wrong-type-in-part.yaml", "wrong-type-in-part/a.yaml"),
];

#[test]
fn each_bad_spec_gives_one_located_error() {
    let dir = root().join("tests/fixtures/bad-specs");
    let runtime = root().join("crates/runtime");
    let out = root().join("target/bad-specs-out");
    let mut listed: Vec<_> = std::fs::read_dir(&dir)
        .expect("bad specs")
        .map(|e| e.expect("entry"))
        // Folders hold the parts of split specs.
        .filter(|e| e.file_type().expect("file type").is_file())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    listed.sort();
    let mut covered: Vec<_> = CASES.iter().map(|c| c.0.to_owned()).collect();
    covered.sort();
    assert_eq!(
        listed, covered,
        "every bad spec has an expectation, and only those"
    );

    for (file, pointer, fragment) in CASES {
        let spec = dir.join(file);
        // Strict: what a lenient generation would give up with a warning is refused too.
        let err = finapi_codegen::Builder::new(&spec)
            .package_name("bad-client")
            .runtime_checkout(&runtime, &out)
            .strict(true)
            .generate_crate()
            .expect_err(&format!("{file} must be refused"));
        let at_fault = PARTS
            .iter()
            .find(|(f, _)| f == file)
            .map_or(spec.clone(), |(_, part)| dir.join(part));
        assert_eq!(err.file, at_fault, "{file}: {err}");
        assert_eq!(err.pointer.as_deref(), *pointer, "{file}: {err}");
        if pointer.is_none() {
            assert!(err.line_col.is_some(), "{file}: no line and column: {err}");
        }
        assert!(err.message.contains(fragment), "{file}: {err}");
        let text = err.to_string();
        assert!(
            text.starts_with(&at_fault.display().to_string()),
            "{file}: {text}"
        );
    }
}

/// Without `strict`, a construct the generator cannot type costs only itself: the same
/// located problem is a warning, and the crate is generated.
#[test]
fn without_strict_what_cannot_be_typed_is_given_up_with_a_located_warning() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = root().join("tests/fixtures/bad-specs");
    for (file, pointer, gave_up) in [
        (
            "dangling-ref.yaml",
            "/paths/~1a/get/responses/200/content/application~1json/schema/$ref",
            "typed as any JSON",
        ),
        (
            "progenitor-panic.yaml",
            "/paths/~1e/get/parameters/0",
            "sent as a string",
        ),
    ] {
        // A server, which a spec needs whatever else is wrong with it.
        let text = std::fs::read_to_string(dir.join(file)).expect("read");
        let text = if text.contains("servers:") {
            text
        } else {
            text.replace("paths:", "servers: [{url: 'https://x.test'}]\npaths:")
        };
        let spec = tmp.path().join(file);
        std::fs::write(&spec, text).expect("write");
        let files = finapi_codegen::Builder::new(&spec)
            .generate_crate()
            .unwrap_or_else(|e| panic!("{file} generates: {e}"));
        let [warning] = files.report.warnings.as_slice() else {
            panic!("{file}: one warning: {:?}", files.report.warnings)
        };
        assert_eq!(warning.file, spec, "{file}: {warning}");
        assert_eq!(
            warning.pointer.as_deref(),
            Some(pointer),
            "{file}: {warning}"
        );
        assert!(warning.message.contains(gave_up), "{file}: {warning}");
        let readme = &files.files[Path::new("README.md")];
        assert!(
            readme.contains(&format!("`#{pointer}`")),
            "{file}: the README lists it"
        );
        // The operations are all kept.
        assert_eq!(
            files.report.kept,
            finapi_codegen::Builder::new(&spec)
                .operations()
                .expect("count"),
            "{file}"
        );
    }
}

fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_owned()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("list") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                out.insert(path.clone(), std::fs::read(&path).expect("read"));
            }
        }
    }
    out
}

#[test]
fn regen_writes_nothing_when_any_spec_fails() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let specs = tmp.path().join("specs");
    std::fs::create_dir_all(&specs).expect("mkdir");
    for name in ["moov.yaml", "moov.settings.yaml"] {
        std::fs::copy(root().join("specs").join(name), specs.join(name)).expect("copy");
    }
    // A stale crate that a successful regen would rewrite.
    let moov = tmp.path().join("crates/moov");
    std::fs::create_dir_all(moov.join("src")).expect("mkdir");
    std::fs::write(moov.join("src/lib.rs"), "// stale\n").expect("write");
    // "zz" sorts after "moov": the good spec is generated first.
    std::fs::copy(
        root().join("tests/fixtures/bad-specs/dangling-ref.yaml"),
        specs.join("zz-broken.yaml"),
    )
    .expect("copy");
    std::fs::write(
        specs.join("zz-broken.settings.yaml"),
        "crate_dir: broken\npackage: broken\n",
    )
    .expect("write");

    let before = snapshot(&tmp.path().join("crates"));
    let err = xtask::workspace::regen(tmp.path()).expect_err("the broken spec fails");
    let xtask::workspace::Error::Generator(err) = err else {
        panic!("{err}")
    };
    assert!(err.file.ends_with("zz-broken.yaml"), "{err}");
    assert_eq!(
        snapshot(&tmp.path().join("crates")),
        before,
        "regen wrote despite the failure"
    );

    // The same workspace without the broken spec regenerates: the check above could fail.
    std::fs::remove_file(specs.join("zz-broken.yaml")).expect("rm");
    let written = xtask::workspace::regen(tmp.path()).expect("regen");
    assert_eq!(written, vec![(moov.clone(), true)]);
    assert_ne!(snapshot(&tmp.path().join("crates")), before);
}

#[test]
fn a_settings_header_the_spec_lacks_is_located_in_the_settings() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let spec = tmp.path().join("x.yaml");
    std::fs::copy(root().join("specs/moov.yaml"), &spec).expect("copy");
    std::fs::write(
        tmp.path().join("x.settings.yaml"),
        "crate_dir: x\npackage: x-client\nclient_headers:\n  - name: X-Missing\n    builder_method: missing\n",
    )
    .expect("write");
    let err = finapi_codegen::Builder::new(&spec)
        .generate_crate()
        .expect_err("no such header");
    assert!(err.file.ends_with("x.settings.yaml"), "{err}");
    assert_eq!(err.pointer.as_deref(), Some("/client_headers/0/name"));

    std::fs::write(
        tmp.path().join("x.settings.yaml"),
        "crate_dir: x\npackage: x-client\nbogus: 1\n",
    )
    .expect("write");
    let err = finapi_codegen::Builder::new(&spec)
        .generate_crate()
        .expect_err("unknown field");
    assert!(err.message.contains("unknown field"), "{err}");
}

#[test]
fn webhook_settings_the_spec_contradicts_are_located() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let spec = tmp.path().join("x.yaml");
    std::fs::copy(root().join("specs/moov.yaml"), &spec).expect("copy");
    let hmac = "verify: {hmac: {algorithm: sha512, signature_header: S, signed_headers: [T], separator: '|', encoding: hex}}";
    let cases = [
        (format!("type_field: type\nenvelope: Nope\n{hmac}"), "/webhooks/envelope", "no schema \"Nope\""),
        (hmac.to_owned(), "/webhooks/type_field", "30 events need a type_field"),
        (
            "type_field: type\nverify: {jwt: {header: S, algorithms: [ES256], body_hash_claim: h, jwks_operation: nope}}".to_owned(),
            "/webhooks/verify",
            "no operation \"nope\"",
        ),
        (
            "type_field: type\nverify: {jwt: {header: S, algorithms: [RS256], body_hash_claim: h, jwks_operation: listBankAccounts}}".to_owned(),
            "/webhooks/verify/algorithms/0",
            "unknown variant `RS256`, expected `ES256`",
        ),
        // A closed set of values is an enum: an unknown one is refused where it is, never
        // read as a default.
        (
            format!("type_field: type\n{}", hmac.replace("sha512", "sha1")),
            "/webhooks/verify/algorithm",
            "unknown variant `sha1`",
        ),
        (
            format!("type_field: type\n{}", hmac.replace("encoding: hex", "encoding: base32")),
            "/webhooks/verify/encoding",
            "unknown variant `base32`",
        ),
        (
            format!("type_field: type\nreplay_key: {{body_field: id}}\n{hmac}"),
            "/webhooks/replay_key",
            "not signed",
        ),
    ];
    for (webhooks, pointer, fragment) in cases {
        let indented: String = webhooks.lines().map(|l| format!("  {l}\n")).collect();
        std::fs::write(
            tmp.path().join("x.settings.yaml"),
            format!("crate_dir: x\npackage: x-client\nwebhooks:\n{indented}"),
        )
        .expect("write");
        let err = finapi_codegen::Builder::new(&spec)
            .generate_crate()
            .expect_err(pointer);
        assert!(err.file.ends_with("x.settings.yaml"), "{err}");
        assert_eq!(err.pointer.as_deref(), Some(pointer), "{err}");
        assert!(err.message.contains(fragment), "{err}");
    }

    // Settings that declare webhooks for a spec that has none: located in the spec.
    let bare = tmp.path().join("bare.yaml");
    std::fs::copy(root().join("tests/fixtures/specs/paging.yaml"), &bare).expect("copy");
    std::fs::write(
        tmp.path().join("bare.settings.yaml"),
        "crate_dir: bare\npackage: bare\nwebhooks:\n  verify: {inbound: {}}\n",
    )
    .expect("write");
    let err = finapi_codegen::Builder::new(&bare)
        .generate_crate()
        .expect_err("no webhooks in the spec");
    assert!(err.file.ends_with("bare.yaml"), "{err}");
    assert!(err.message.contains("no `webhooks`"), "{err}");
    assert!(!tmp.path().join("out").exists(), "nothing written");
}
