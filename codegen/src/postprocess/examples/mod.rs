//! Pass 4 of post-process: `examples/<operation>.rs` and the README's quickstart, written in
//! Rust: each argument is a Rust value built from the spec's example ([`value`]), a parameter
//! overridable from the environment. Every example runs with nothing set but the base URL and
//! the credentials.

mod value;

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value as Json;
use syn::{FnArg, Pat, Signature, Type};

pub(crate) use crate::syntax::type_index::TypeIndex;
use value::Render;

use crate::error::At;
use crate::error::Result;
use crate::model::{Model, OperationModel, PartKind, PartModel};
use crate::names;
use crate::syntax::option_inner;

/// What examples and the quickstart share: the crate's name, its types, the environment
/// variables' prefix.
struct Cx<'a> {
    model: &'a Model,
    render: Render<'a>,
    prefix: String,
}

/// The crate's types, and the structs of them that have a builder.
type Types<'a> = (&'a TypeIndex<'a>, &'a BTreeSet<String>);

/// One example per operation, by method name.
pub(super) fn examples(
    model: &Model,
    signatures: &BTreeMap<String, Signature>,
    (types, builders): Types<'_>,
    file: &std::path::Path,
) -> Result<Vec<(String, syn::File)>> {
    let krate = format_ident!("{}", model.crate_name);
    let cx = Cx {
        model,
        render: Render {
            types,
            krate: &krate,
            writing: Default::default(),
            builders,
            required_only: false,
        },
        prefix: model
            .env_prefix
            .clone()
            .unwrap_or_else(|| model.crate_name.to_ascii_uppercase()),
    };
    let mut examples = Vec::new();
    for op in &model.operations {
        let at = At::new(file, &op.pointer);
        let sig = signatures
            .get(&op.fn_name)
            .ok_or_else(|| at.error(format!("progenitor generated no method `{}`", op.fn_name)))?;
        let tokens = example(&cx, op, sig, at)?;
        let example = syn::parse2(tokens)
            .map_err(|e| at.error(format!("the example does not parse: {e}")))?;
        examples.push((op.fn_name.clone(), example));
    }
    Ok(examples)
}

/// The README's quickstart: the shortest call (fewest arguments; not the token endpoint, not
/// a multipart or raw body), its arguments written as Rust values from the spec's examples.
pub(super) fn quickstart(
    model: &Model,
    signatures: &BTreeMap<String, Signature>,
    (types, builders): Types<'_>,
) -> Vec<String> {
    let krate = format_ident!("{}", model.crate_name);
    let cx = Cx {
        model,
        render: Render {
            types,
            krate: &krate,
            writing: Default::default(),
            builders,
            required_only: true,
        },
        prefix: String::new(),
    };
    let token_op = model.token.as_ref().map(|t| t.operation.id.as_str());
    let Some((op, sig)) = model
        .operations
        .iter()
        .filter(|op| Some(op.id.as_str()) != token_op && op.alternate_of.is_none())
        .filter(|op| op.multipart.is_none())
        .filter_map(|op| signatures.get(&op.fn_name).map(|sig| (op, sig)))
        .filter(|(_, sig)| sig.generics.type_params().next().is_none())
        .min_by_key(|(_, sig)| sig.inputs.len())
    else {
        return Vec::new();
    };
    let mut lets = Vec::new();
    let mut args = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(t) = input else { continue };
        let Pat::Ident(p) = &*t.pat else {
            return Vec::new();
        };
        let argument = argument(&cx, op, sig, &p.ident, &t.ty, false);
        lets.push(argument.lets);
        args.push(argument.arg);
    }
    let client = if model.env_prefix.is_some() {
        quote!(let client = Client::from_env()?;)
    } else {
        quote!(let client = Client::builder().build()?;)
    };
    let name = &sig.ident;
    let statements = quote! {
        #client
        #(#lets)*
        let response = client.#name(#(#args),*).await?;
        println!("{:#?}", response.into_inner());
    };
    let uses = uses(&krate, &statements);
    let body = quote! {
        async fn quickstart() -> Result<(), Box<dyn std::error::Error>> {
            #uses
            #statements
            Ok(())
        }
    };
    let Ok(file) = syn::parse2::<syn::File>(body) else {
        return Vec::new();
    };
    // The function's body, one statement a line, without the function around it.
    let text = prettyplease::unparse(&file);
    let lines: Vec<&str> = text.lines().collect();
    lines[1..lines.len().saturating_sub(2)]
        .iter()
        .map(|l| l.strip_prefix("    ").unwrap_or(l).to_owned())
        .collect()
}

/// What an example does for one argument of the method: the statements that make it, the
/// expression it passes, the environment variables it reads.
struct Argument {
    lets: TokenStream,
    arg: TokenStream,
    vars: Vec<String>,
}

/// `examples/<operation>.rs`: calls the operation with arguments from the spec's examples
/// and prints the typed result.
fn example(cx: &Cx<'_>, op: &OperationModel, sig: &Signature, at: At<'_>) -> Result<TokenStream> {
    let krate = cx.render.krate;
    let name = &sig.ident;
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut vars = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(t) = input else { continue };
        let Pat::Ident(p) = &*t.pat else {
            return Err(at.error("progenitor's method has a parameter that is not a name"));
        };
        let argument = argument(cx, op, sig, &p.ident, &t.ty, true);
        lets.push(argument.lets);
        args.push(argument.arg);
        vars.extend(argument.vars);
    }
    let credentials = if cx.model.env_prefix.is_some() {
        quote!(Client::from_env()?)
    } else {
        quote!(Client::builder().build()?)
    };
    let statements = quote! {
        let client = #credentials;
        #(#lets)*
        let response = client.#name(#(#args),*).await?;
        println!("status: {}", response.status());
        println!("request id: {}", response.request_id().unwrap_or("(none)"));
        println!("{:#?}", response.into_inner());
    };
    let uses = uses(krate, &statements);
    let lines = example_docs(op, &cx.prefix, &vars)
        .lines()
        .map(|l| {
            let l = format!(" {l}");
            quote!(#![doc = #l])
        })
        .collect::<Vec<_>>();
    Ok(quote! {
        #(#lines)*
        // prettyplease formats generated code; rustfmt leaves it alone.
        #![cfg_attr(rustfmt, rustfmt::skip)]

        use std::process::ExitCode;

        #uses

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> ExitCode {
            match run().await {
                Ok(()) => ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ExitCode::FAILURE
                }
            }
        }

        async fn run() -> Result<(), Box<dyn std::error::Error>> {
            #statements
            Ok(())
        }
    })
}

/// The `use` line of the crate's items `statements` name: `Client`, and `env`, `types` and
/// `Multipart` where a path starts with them.
fn uses(krate: &syn::Ident, statements: &TokenStream) -> TokenStream {
    struct Firsts(BTreeSet<String>);
    impl<'ast> syn::visit::Visit<'ast> for Firsts {
        fn visit_path(&mut self, path: &'ast syn::Path) {
            if path.leading_colon.is_none()
                && let Some(first) = path.segments.first()
            {
                self.0.insert(first.ident.to_string());
            }
            syn::visit::visit_path(self, path);
        }
        fn visit_macro(&mut self, mac: &'ast syn::Macro) {
            // `println!`'s arguments and the like: expressions, where they parse.
            if let Ok(args) = mac.parse_body_with(
                syn::punctuated::Punctuated::<syn::Expr, syn::Token![,]>::parse_terminated,
            ) {
                for arg in &args {
                    syn::visit::visit_expr(self, arg);
                }
            }
        }
    }
    let mut firsts = Firsts(BTreeSet::new());
    if let Ok(block) = syn::parse2::<syn::Block>(quote!({ #statements })) {
        syn::visit::Visit::visit_block(&mut firsts, &block);
    }
    let mut names = vec![quote!(Client)];
    for name in ["Multipart", "env", "types"] {
        if firsts.0.contains(name) {
            let ident = format_ident!("{}", name);
            names.push(quote!(#ident));
        }
    }
    quote!(use #krate::{#(#names),*};)
}

/// The example's docs: what it calls and the environment it reads.
fn example_docs(op: &OperationModel, prefix: &str, vars: &[String]) -> String {
    format!(
        "Calls `{}` (`{} {}`) with the spec's examples as arguments and prints the typed \
         result; exits non-zero on an error.\n\n\
         Environment: `{prefix}_BASE_URL` and credentials (see `Client::from_env`){}.",
        op.id,
        op.method,
        op.path,
        if vars.is_empty() {
            String::new()
        } else {
            format!(
                "; {} override the spec's examples",
                vars.iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )
}

/// How a method takes an argument, and the type an example owns for it.
enum Passing {
    /// By value.
    Value,
    /// `&T` (or `&str`: the example owns a `String`).
    Ref,
    /// `Option<&T>`: the example owns an `Option<T>`.
    OptionRef,
    /// `Option<&str>`: the example owns an `Option<String>`.
    OptionStr,
}

/// The type an example owns for a parameter of type `ty`, and how it is passed.
fn owned(ty: &Type) -> (Type, Passing) {
    let is_str = |t: &Type| matches!(t, Type::Path(p) if p.path.is_ident("str"));
    if let Type::Reference(r) = ty {
        let inner = if is_str(&r.elem) {
            syn::parse_quote!(String)
        } else {
            (*r.elem).clone()
        };
        return (inner, Passing::Ref);
    }
    if let Some(Type::Reference(r)) = option_inner(ty) {
        if is_str(&r.elem) {
            return (syn::parse_quote!(Option<String>), Passing::OptionStr);
        }
        let inner = &r.elem;
        return (syn::parse_quote!(Option<#inner>), Passing::OptionRef);
    }
    (ty.clone(), Passing::Value)
}

/// One argument: a Rust value from the spec's example (or the smallest value of its type); a
/// parameter that parses from text is overridable from the environment (`env`: in examples,
/// not in the quickstart).
fn argument(
    cx: &Cx<'_>,
    op: &OperationModel,
    sig: &Signature,
    ident: &syn::Ident,
    ty: &Type,
    env: bool,
) -> Argument {
    let rust_name = ident.to_string();
    let is_body = rust_name == "body";
    if let (true, Some(parts)) = (is_body, &op.multipart) {
        let (lets, vars) = multipart_example(&cx.prefix, op, parts);
        return Argument {
            lets,
            arg: quote!(body),
            vars,
        };
    }
    let var = if is_body {
        format!("{}_{}_BODY", cx.prefix, op.fn_name.to_ascii_uppercase())
    } else {
        format!("{}_{}", cx.prefix, rust_name.to_ascii_uppercase())
    };
    let example = if is_body {
        op.body_example.as_ref()
    } else {
        op.params
            .iter()
            .find(|p| p.rust_name == rust_name)
            .and_then(|p| p.example.as_ref())
    };
    let generic = matches!(ty, Type::Path(p)
        if sig.generics.type_params().any(|g| p.path.is_ident(&g.ident)));
    if generic {
        // A body of another media type (XML, JOSE) the caller gives as text.
        let text = match example {
            Some(Json::String(s)) => s.clone(),
            Some(other) => other.to_string(),
            None => String::new(),
        };
        let lets = if env {
            quote!(let #ident: String = env::env_var(#var).unwrap_or_else(|| #text.to_owned());)
        } else {
            quote!(let #ident = #text.to_owned();)
        };
        return Argument {
            lets,
            arg: quote!(#ident),
            vars: if env { vec![var] } else { Vec::new() },
        };
    }
    let (owned_ty, passing) = owned(ty);
    let value = example
        .and_then(|json| cx.render.value(&owned_ty, json))
        .or_else(|| cx.render.minimal(&owned_ty));
    let mut vars = Vec::new();
    let expr = match value {
        Some(value) if env && !is_body => {
            let optional = option_inner(&owned_ty);
            let parses = cx
                .render
                .parses_from_str(optional.as_ref().unwrap_or(&owned_ty));
            match (parses, optional.is_some()) {
                (true, false) => {
                    vars.push(var.clone());
                    quote!(env::env_or(#var, #value)?)
                }
                (true, true) => {
                    vars.push(var.clone());
                    quote!(env::env_optional_or(#var, #value)?)
                }
                (false, _) => value,
            }
        }
        Some(value) => value,
        // A shape the examples cannot write: read from the environment, as JSON.
        None => {
            vars.push(var.clone());
            quote!(env::env_arg::<#owned_ty>(#var, None)?)
        }
    };
    let arg = match passing {
        Passing::Value => quote!(#ident),
        Passing::Ref => quote!(&#ident),
        Passing::OptionRef => quote!(#ident.as_ref()),
        Passing::OptionStr => quote!(#ident.as_deref()),
    };
    // A struct with a builder is written `types::Name::builder()...build()?` (or
    // `types::Name::default()`): the value says its type.
    let built = crate::syntax::type_index::generated_name(&owned_ty, cx.render.types)
        .is_some_and(|name| cx.render.builders.contains(&name));
    let lets = if built {
        quote!(let #ident = #expr;)
    } else {
        quote!(let #ident: #owned_ty = #expr;)
    };
    Argument { lets, arg, vars }
}

/// An example's multipart body: a part per field of the schema, each from an environment
/// variable where it is set (a file part's variable names the file to send; a JSON part's
/// holds JSON); a required part that is not set gets a placeholder.
fn multipart_example(
    prefix: &str,
    op: &OperationModel,
    parts: &[PartModel],
) -> (TokenStream, Vec<String>) {
    let mut steps = Vec::new();
    let mut vars = Vec::new();
    for part in parts {
        let var = format!(
            "{prefix}_{}_{}",
            op.fn_name.to_ascii_uppercase(),
            names::snake(&part.name).to_ascii_uppercase()
        );
        let name = &part.name;
        let (from_env, placeholder) = match part.kind {
            PartKind::File => {
                let ct = part
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".to_owned());
                (
                    quote! {
                        let file_name = ::std::path::Path::new(&value)
                            .file_name()
                            .map(|n| n.to_string_lossy().into_owned())
                            .unwrap_or_default();
                        body = body.file(#name, file_name, #ct, ::std::fs::read(&value)?);
                    },
                    quote!(body = body.file(#name, "example", #ct, b"example".to_vec());),
                )
            }
            PartKind::Json => (
                quote! {
                    body = body.json(#name, &::serde_json::from_str::<::serde_json::Value>(&value)?)?;
                },
                quote!(body = body.json(#name, &::serde_json::json!({}))?;),
            ),
            PartKind::Text => (
                quote! { body = body.text(#name, value); },
                quote!(body = body.text(#name, "example");),
            ),
        };
        let otherwise = part.required.then(|| quote!(else { #placeholder }));
        steps.push(quote! {
            if let Some(value) = env::env_var(#var) {
                #from_env
            } #otherwise
        });
        vars.push(var);
    }
    (
        quote! {
            #[allow(unused_mut)]
            let mut body = Multipart::new();
            #(#steps)*
        },
        vars,
    )
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::generate;

    const SPEC: &str = r##"
paths:
  /accounts/{id}/payments:
    post:
      operationId: createPayment
      parameters:
        - {name: id, in: path, required: true, schema: {type: string, format: uuid}, example: 456cb5b6-20dc-4585-97b4-745d013adb1f}
        - {name: mode, in: query, schema: {type: string, enum: [fast, slow]}}
      requestBody:
        content:
          application/json:
            schema: {$ref: "#/components/schemas/Payment"}
            example:
              amount: {value: 1250, currency: EUR}
              reference: "INV-42"
              rails: [sepa]
              due: "2026-12-01T10:00:00Z"
              metadata: {order: "42"}
              payee: {iban: DE89370400440532013000}
      responses:
        "201": {description: created}
components:
  schemas:
    Payment:
      type: object
      required: [amount, reference, payee]
      properties:
        amount: {type: object, required: [value, currency], properties: {value: {type: integer}, currency: {type: string}}}
        reference: {type: string, pattern: "^[A-Z]+-[0-9]+$"}
        rails: {type: array, items: {type: string, enum: [sepa, swift]}}
        due: {type: string, format: date-time}
        metadata: {type: object, additionalProperties: {type: string}}
        note: {type: string}
        payee:
          oneOf:
            - {type: object, required: [iban], properties: {iban: {type: string}}, additionalProperties: false}
            - {type: object, required: [account, routing], properties: {account: {type: string}, routing: {type: string}}, additionalProperties: false}
"##;

    #[test]
    fn an_examples_arguments_are_rust_values_of_the_generated_types() {
        let files = generate(SPEC);
        let example = &files.files[std::path::Path::new("examples/snap_create_payment.rs")];
        let run = example
            .split("async fn run()")
            .nth(1)
            .expect("the example's run()");
        expect![[r#"
             -> Result<(), Box<dyn std::error::Error>> {
                let client = Client::builder().build()?;
                let id: ::uuid::Uuid = env::env_or(
                    "SNAP_CLIENT_ID",
                    ::uuid::uuid!("456cb5b6-20dc-4585-97b4-745d013adb1f"),
                )?;
                let mode: Option<types::CreatePaymentMode> = env::env_optional_or(
                    "SNAP_CLIENT_MODE",
                    None,
                )?;
                let body = types::Payment::builder()
                    .amount(types::PaymentAmount::builder().currency("EUR").value(1250))
                    .due(
                        "2026-12-01T10:00:00Z".parse::<::chrono::DateTime<::chrono::offset::Utc>>()?,
                    )
                    .metadata(
                        <::std::collections::HashMap<
                            ::std::string::String,
                            ::std::string::String,
                        >>::from_iter([("order".to_owned(), "42".to_owned())]),
                    )
                    .payee(types::PaymentPayee::Variant0 {
                        iban: "DE89370400440532013000".to_owned(),
                    })
                    .rails([types::PaymentRailsItem::Sepa])
                    .reference("INV-42")
                    .build()?;
                let response = client.create_payment(&id, mode, &body).await?;
                println!("status: {}", response.status());
                println!("request id: {}", response.request_id().unwrap_or("(none)"));
                println!("{:#?}", response.into_inner());
                Ok(())
            }
        "#]]
        .assert_eq(run);
    }

    #[test]
    fn the_quickstart_is_the_shortest_call_written_the_same_way() {
        let files = generate(SPEC);
        let readme = &files.files[std::path::Path::new("README.md")];
        let quickstart = readme
            .split("```rust,no_run\n")
            .nth(1)
            .and_then(|r| r.split("```").next())
            .expect("a quickstart");
        assert!(
            quickstart.contains("::uuid::uuid!(\"456cb5b6-20dc-4585-97b4-745d013adb1f\")"),
            "{quickstart}"
        );
        assert!(!quickstart.contains("from_str"), "{quickstart}");
    }
}
