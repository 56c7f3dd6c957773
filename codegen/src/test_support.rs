//! What the tests beside each pass share: a crate generated in memory from a small spec
//! written in the test, and one item of its code, formatted, for an inline snapshot
//! (`expect_test`; `UPDATE_EXPECT=1 cargo test -p codegen` rewrites the snapshots).

use std::path::PathBuf;

use syn::{ImplItem, Item};

use crate::load::{Flow, Input, SpecSource};
use crate::package::Layout;
use crate::{CrateFiles, Settings};

/// Generates a crate from `spec` (YAML), with default settings.
fn build(spec: &str) -> crate::Result<CrateFiles> {
    build_with_runtime(spec, crate::RuntimeDependency::Path("../runtime".into()))
}

/// Generates a crate from `spec` (YAML), with default settings, depending on the runtime as
/// `runtime` says.
pub(crate) fn build_with_runtime(
    spec: &str,
    runtime: crate::RuntimeDependency,
) -> crate::Result<CrateFiles> {
    build_with(spec, Settings::for_package("snap-client"), runtime)
}

/// Generates a crate from `spec` (YAML) with `settings`.
pub(crate) fn generate_with_settings(spec: &str, settings: Settings) -> crate::Result<CrateFiles> {
    build_with(
        spec,
        settings,
        crate::RuntimeDependency::Path("../runtime".into()),
    )
}

/// Generates a crate from `spec` (YAML) with hand-written examples beside it.
pub(crate) fn generate_with_examples(
    spec: &str,
    examples: Vec<(String, String)>,
) -> crate::Result<CrateFiles> {
    build_input(
        spec,
        Settings::for_package("snap-client"),
        crate::RuntimeDependency::Path("../runtime".into()),
        examples,
    )
}

fn build_with(
    spec: &str,
    settings: Settings,
    runtime: crate::RuntimeDependency,
) -> crate::Result<CrateFiles> {
    build_input(spec, settings, runtime, Vec::new())
}

/// The header every test spec shares (`openapi`, `info`, `servers`): prepended to a spec
/// written without one, so that a test writes only what it is about.
const HEADER: &str =
    "openapi: 3.0.3\ninfo: {title: T, version: \"1\"}\nservers: [{url: \"https://t.test\"}]\n";

/// `spec`, with the shared header where it has no `openapi` line of its own.
fn with_header(spec: &str) -> std::borrow::Cow<'_, str> {
    if spec.trim_start().starts_with("openapi:") {
        spec.into()
    } else {
        format!("{HEADER}{}", spec.trim_start_matches('\n')).into()
    }
}

fn build_input(
    spec: &str,
    settings: Settings,
    runtime: crate::RuntimeDependency,
    examples: Vec<(String, String)>,
) -> crate::Result<CrateFiles> {
    let path = PathBuf::from("test.yaml");
    let value =
        crate::load::parse_document(&path, &with_header(spec)).expect("the test spec parses");
    let flows = examples
        .into_iter()
        .map(|(name, code)| {
            let file = PathBuf::from(format!("test.examples/{name}.rs"));
            Flow::new(name, file, code)
        })
        .collect::<crate::Result<Vec<_>>>()?;
    let input = Input {
        source: SpecSource {
            path,
            value,
            origins: Vec::new(),
        },
        settings,
        settings_file: PathBuf::from("test.settings.yaml"),
        flows,
    };
    let layout = Layout {
        runtime,
        standalone: false,
        spec_label: "test.yaml".into(),
        publish: false,
        repository: None,
    };
    crate::pipeline::build_crate(&input, &layout, true)
}

/// The crate generated from `spec` (YAML), with default settings.
pub(crate) fn generate(spec: &str) -> CrateFiles {
    build(spec).unwrap_or_else(|e| panic!("the test spec generates: {e}"))
}

/// The generation error for `spec` (YAML).
pub(crate) fn generate_err(spec: &str) -> crate::Error {
    build(spec).expect_err("the test spec is refused")
}

/// The items of `src/generated.rs` named by `path`, formatted:
///
/// - `["raw", "<method>"]`: progenitor's method (after the restorations);
/// - `["request", "<method>"]`: the part of progenitor's method that restorations edit: its
///   signature and the statements that build the URL and the request;
/// - `["types", "<Type>"]`: a generated type and its `impl`s;
/// - `["<Type>"]`: a type of the typed layer and its `impl`s and macro invocations;
/// - `["Client", "<method>"]`: a method of the typed layer;
/// - `["mock", "<Operation>"]`: an operation's marker type in the `mock` module, and its impl.
pub(crate) fn item(files: &CrateFiles, path: &[&str]) -> String {
    let code = &files.files[std::path::Path::new("src/generated.rs")];
    let file: syn::File = syn::parse_str(code).expect("the generated code parses");
    let module = |items: &[Item], name: &str| -> Vec<Item> {
        items
            .iter()
            .find_map(|i| match i {
                Item::Mod(m) if m.ident == name => m.content.as_ref().map(|(_, c)| c.clone()),
                _ => None,
            })
            .unwrap_or_else(|| panic!("no module {name}"))
    };
    let method = |items: &[Item], name: &str| -> Vec<Item> {
        items
            .iter()
            .filter_map(|i| match i {
                Item::Impl(imp) if imp.trait_.is_none() => Some(imp),
                _ => None,
            })
            .flat_map(|imp| imp.items.iter())
            .filter_map(|i| match i {
                ImplItem::Fn(f) if f.sig.ident == name => Some(Item::Verbatim(quote::quote!(#f))),
                _ => None,
            })
            .collect()
    };
    let named =
        |items: &[Item], name: &str| -> Vec<Item> {
            items
                .iter()
                .filter(|i| match i {
                    Item::Struct(s) => s.ident == name,
                    Item::Enum(e) => e.ident == name,
                    Item::Type(t) => t.ident == name,
                    Item::Impl(imp) => matches!(&*imp.self_ty,
                    syn::Type::Path(p) if p.path.segments.last().is_some_and(|s| s.ident == name)),
                    Item::Macro(m) => m.mac.tokens.clone().into_iter().next().is_some_and(
                        |t| matches!(t, proc_macro2::TokenTree::Ident(i) if i == name),
                    ),
                    _ => false,
                })
                .cloned()
                .collect()
        };
    let request = |items: Vec<Item>| -> Vec<Item> {
        items
            .into_iter()
            .map(|item| {
                let Item::Verbatim(tokens) = item else {
                    return item;
                };
                let mut f: syn::ImplItemFn = syn::parse2(tokens).expect("a method");
                f.attrs.clear();
                f.block.stmts.retain(|s| {
                    matches!(s, syn::Stmt::Local(l)
                        if matches!(&l.pat, syn::Pat::Ident(p) if p.ident == "url" || p.ident == "request")
                        || matches!(&l.pat, syn::Pat::Type(t)
                            if matches!(&*t.pat, syn::Pat::Ident(p) if p.ident == "request")))
                });
                Item::Verbatim(quote::quote!(#f))
            })
            .collect()
    };
    let items = match path {
        ["raw", name] => method(&module(&file.items, "raw"), name),
        ["request", name] => request(method(&module(&file.items, "raw"), name)),
        ["types", name] => named(&module(&module(&file.items, "raw"), "types"), name),
        ["Client", name] => method(&file.items, name),
        ["mock", name] => named(&module(&module(&file.items, "mock"), "operations"), name),
        [name] => named(&file.items, name),
        _ => panic!("unknown item path {path:?}"),
    };
    assert!(!items.is_empty(), "no item {path:?} in the generated code");
    let text: String = items
        .iter()
        .map(|i| {
            let file: syn::File = syn::parse2(quote::quote!(#i)).expect("an item parses");
            prettyplease::unparse(&file)
        })
        .collect();
    text
}

/// An operation's model with nothing restored, for checking a restoration on its own.
pub(crate) fn operation_model() -> crate::model::OperationModel {
    crate::model::OperationModel {
        id: "op".into(),
        fn_name: "op".into(),
        method: crate::openapi::Method::Post,
        path: "/op".into(),
        pointer: "/paths/~1op/post".into(),
        tags: Vec::new(),
        summary: None,
        description: None,
        success_statuses: Vec::new(),
        success: crate::model::SuccessBody::Empty,
        errors: Vec::new(),
        schemes: Vec::new(),
        anonymous: true,
        unused_request_media_types: Vec::new(),
        request_media_type: None,
        body_example: None,
        params: Vec::new(),
        server: None,
        deep_object_params: Vec::new(),
        content_type_override: None,
        renamed_params: Vec::new(),
        multipart: None,
        pagination: None,
        response_headers: Vec::new(),
        alternate_of: None,
        alternates: Vec::new(),
    }
}

/// A method whose request code is `block`, as progenitor's methods are.
pub(crate) fn method(block: proc_macro2::TokenStream) -> syn::ImplItemFn {
    syn::parse_quote!(pub async fn op<'a>(&'a self) -> Result<(), ()> #block)
}
