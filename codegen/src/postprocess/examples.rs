//! Pass 4 of post-process: `examples/<operation>.rs` and the README's quickstart.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{FnArg, Pat, Signature};

use super::At;
use super::syntax::{CrateTypes, option_inner};
use crate::error::Result;
use crate::model::{Model, OperationModel};
use crate::names;

/// One example per operation, by method name.
pub(super) fn examples(
    model: &Model,
    signatures: &BTreeMap<String, Signature>,
    file: &std::path::Path,
) -> Result<Vec<(String, syn::File)>> {
    let mut examples = Vec::new();
    for op in &model.operations {
        let at = At::new(file, &op.pointer);
        let sig = signatures
            .get(&op.fn_name)
            .ok_or_else(|| at.error(format!("progenitor generated no method `{}`", op.fn_name)))?;
        let tokens = example(model, op, sig, at)?;
        let example = syn::parse2(tokens)
            .map_err(|e| at.error(format!("the example does not parse: {e}")))?;
        examples.push((op.fn_name.clone(), example));
    }
    Ok(examples)
}

/// A few lines that call the operation with the fewest arguments (not the token endpoint),
/// with the spec's examples as arguments.
pub(super) fn quickstart(model: &Model, signatures: &BTreeMap<String, Signature>) -> Vec<String> {
    let krate = &model.crate_name;
    let token_op = model.token.as_ref().map(|t| t.operation.id.as_str());
    let Some((op, sig)) = model
        .operations
        .iter()
        .filter(|op| Some(op.id.as_str()) != token_op && op.alternate_of.is_none())
        .filter_map(|op| signatures.get(&op.fn_name).map(|sig| (op, sig)))
        .min_by_key(|(_, sig)| sig.inputs.len())
    else {
        return Vec::new();
    };
    let mut lines = vec![if model.env_prefix.is_some() {
        format!("let client = {krate}::Client::from_env()?;")
    } else {
        format!("let client = {krate}::Client::builder().build()?;")
    }];
    let mut args = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(t) = input else { continue };
        let Pat::Ident(p) = &*t.pat else {
            return Vec::new();
        };
        let name = p.ident.to_string();
        let example = if name == "body" {
            op.body_example.clone()
        } else {
            op.params
                .iter()
                .find(|p| p.rust_name == name)
                .and_then(|p| p.example.clone())
        };
        let mut ty = (*t.ty).clone();
        let by_ref = matches!(ty, syn::Type::Reference(_));
        if let syn::Type::Reference(r) = &ty {
            ty = (*r.elem).clone();
        }
        if option_inner(&ty).is_some() {
            args.push("None".to_owned());
            continue;
        }
        let Some(example) = example else {
            return Vec::new();
        };
        if matches!(&ty, syn::Type::Path(p) if p.path.is_ident("str")) {
            lines.push(format!("let {name} = {example:?};"));
            args.push(name);
            continue;
        }
        CrateTypes(format_ident!("{}", krate)).visit_type_mut(&mut ty);
        let ty = quote!(#ty)
            .to_string()
            .replace(" :: ", "::")
            .replace(":: ", "::");
        let json = if name == "body" || example.starts_with(['{', '[']) {
            example
        } else {
            serde_json::Value::String(example).to_string()
        };
        lines.push(format!(
            "let {name}: {ty} = serde_json::from_str(r#\"{json}\"#)?;"
        ));
        args.push(if by_ref { format!("&{name}") } else { name });
    }
    lines.push(format!(
        "let response = client.{}({}).await?;",
        sig.ident,
        args.join(", ")
    ));
    lines
        .push("println!(\"{:?} (request id {:?})\", *response, response.request_id());".to_owned());
    lines
}

/// An example's multipart body: a part per field of the schema, each from an environment
/// variable (a file part's variable names the file to send; a JSON part's holds JSON).
/// Required parts must be set; optional ones are sent where set.
pub(super) fn multipart_example(
    prefix: &str,
    op: &OperationModel,
    parts: &[crate::model::PartModel],
) -> (TokenStream, Vec<String>) {
    use crate::model::PartKind;
    let mut steps = Vec::new();
    let mut vars = Vec::new();
    for part in parts {
        let var = format!(
            "{prefix}_{}_{}",
            op.fn_name.to_ascii_uppercase(),
            names::snake(&part.name).to_ascii_uppercase()
        );
        let name = &part.name;
        let add = match part.kind {
            PartKind::File => {
                let ct = part
                    .content_type
                    .clone()
                    .unwrap_or_else(|| "application/octet-stream".to_owned());
                quote! {
                    let file_name = ::std::path::Path::new(&value)
                        .file_name()
                        .map(|n| n.to_string_lossy().into_owned())
                        .unwrap_or_default();
                    body = body.file(#name, file_name, #ct, ::std::fs::read(&value)?);
                }
            }
            PartKind::Json => quote! {
                body = body.json(#name, &::serde_json::from_str::<::serde_json::Value>(&value)?)?;
            },
            PartKind::Text => quote! { body = body.text(#name, value); },
        };
        steps.push(if part.required {
            quote! {
                {
                    let value: ::std::string::String = ::finapi_runtime::env_arg::<::std::string::String>(#var, ::std::option::Option::None)?;
                    #add
                }
            }
        } else {
            quote! {
                if let ::std::option::Option::Some(value) = ::finapi_runtime::env_optional_arg::<::std::string::String>(#var, ::std::option::Option::None)? {
                    #add
                }
            }
        });
        vars.push(var);
    }
    (
        quote! {
            #[allow(unused_mut)]
            let mut body = ::finapi_runtime::Multipart::new();
            #(#steps)*
        },
        vars,
    )
}

/// What an example does for one argument of the method: the statements that read it from
/// the environment, the expression it passes, and the variables it reads.
struct Argument {
    lets: TokenStream,
    arg: TokenStream,
    vars: Vec<String>,
}

/// `examples/<operation>.rs`: calls the operation with arguments from the environment
/// (defaulting to the spec's examples) and prints the typed result.
fn example(model: &Model, op: &OperationModel, sig: &Signature, at: At<'_>) -> Result<TokenStream> {
    let krate = format_ident!("{}", model.crate_name);
    let prefix = model
        .env_prefix
        .clone()
        .unwrap_or_else(|| model.crate_name.to_ascii_uppercase());
    let name = &sig.ident;
    let mut lets = Vec::new();
    let mut args = Vec::new();
    let mut vars = Vec::new();
    for input in &sig.inputs {
        let FnArg::Typed(t) = input else { continue };
        let Pat::Ident(p) = &*t.pat else {
            return Err(at.error("progenitor's method has a parameter that is not a name"));
        };
        let argument = argument(&krate, &prefix, op, sig, &p.ident, &t.ty);
        lets.push(argument.lets);
        args.push(argument.arg);
        vars.extend(argument.vars);
    }
    let credentials = if model.env_prefix.is_some() {
        quote!(#krate::Client::from_env()?)
    } else {
        quote!(#krate::Client::builder().build()?)
    };
    let lines = example_docs(op, &prefix, &vars)
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

        #[tokio::main(flavor = "current_thread")]
        async fn main() -> ::std::process::ExitCode {
            match run().await {
                Ok(()) => ::std::process::ExitCode::SUCCESS,
                Err(e) => {
                    eprintln!("error: {e}");
                    ::std::process::ExitCode::FAILURE
                }
            }
        }

        async fn run() -> ::std::result::Result<(), ::std::boxed::Box<dyn ::std::error::Error>> {
            let client = #credentials;
            #(#lets)*
            let response = client.#name(#(#args),*).await?;
            println!("status: {}", response.status());
            println!("request id: {}", response.request_id().unwrap_or("(none)"));
            println!("{:#?}", response.into_inner());
            Ok(())
        }
    })
}

/// The example's docs: what it calls and the environment it reads.
fn example_docs(op: &OperationModel, prefix: &str, vars: &[String]) -> String {
    format!(
        "Calls `{}` (`{} {}`) and prints the typed result; exits non-zero on an error.\n\n\
         Environment: `{prefix}_BASE_URL` and credentials (see `Client::from_env`){}.",
        op.id,
        op.method,
        op.path,
        if vars.is_empty() {
            String::new()
        } else {
            format!(
                "; {}, defaulting to the spec's examples",
                vars.iter()
                    .map(|v| format!("`{v}`"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )
        }
    )
}

/// One argument of the example's call, read from an environment variable.
fn argument(
    krate: &syn::Ident,
    prefix: &str,
    op: &OperationModel,
    sig: &Signature,
    ident: &syn::Ident,
    ty: &syn::Type,
) -> Argument {
    let rust_name = ident.to_string();
    if let (true, Some(parts)) = (rust_name == "body", &op.multipart) {
        let (lets, vars) = multipart_example(prefix, op, parts);
        return Argument {
            lets,
            arg: quote!(body),
            vars,
        };
    }
    let (var, default) = if rust_name == "body" {
        (
            format!("{prefix}_{}_BODY", op.fn_name.to_ascii_uppercase()),
            op.body_example.clone(),
        )
    } else {
        let param = op.params.iter().find(|p| p.rust_name == rust_name);
        (
            format!("{prefix}_{}", rust_name.to_ascii_uppercase()),
            param.and_then(|p| p.example.clone()),
        )
    };
    let default = match &default {
        Some(d) => quote!(::std::option::Option::Some(#d)),
        None => quote!(::std::option::Option::None),
    };
    let mut ty = ty.clone();
    let by_ref = if let syn::Type::Reference(r) = &ty {
        ty = (*r.elem).clone();
        true
    } else {
        false
    };
    let is_generic = |ty: &syn::Type| matches!(ty, syn::Type::Path(p) if sig.generics.type_params().any(|g| p.path.is_ident(&g.ident)));
    if matches!(&ty, syn::Type::Path(p) if p.path.is_ident("str")) || is_generic(&ty) {
        // A raw body (`B: Into<reqwest::Body>`) is read as text.
        ty = syn::parse_quote!(::std::string::String);
    }
    CrateTypes(krate.clone()).visit_type_mut(&mut ty);
    let mut optional_ref = false;
    let mut optional_str = false;
    let value = match option_inner(&ty) {
        Some(syn::Type::Reference(r)) => {
            // `Option<&T>`: the example owns an `Option<T>` and lends it.
            let mut inner = (*r.elem).clone();
            if matches!(&inner, syn::Type::Path(p) if p.path.is_ident("str")) {
                inner = syn::parse_quote!(::std::string::String);
                optional_str = true;
            }
            ty = syn::parse_quote!(::std::option::Option<#inner>);
            optional_ref = true;
            quote!(::finapi_runtime::env_optional_arg::<#inner>(#var, #default)?)
        }
        Some(inner) => quote!(::finapi_runtime::env_optional_arg::<#inner>(#var, #default)?),
        None => quote!(::finapi_runtime::env_arg::<#ty>(#var, #default)?),
    };
    let arg = if by_ref {
        quote!(&#ident)
    } else if optional_str {
        quote!(#ident.as_deref())
    } else if optional_ref {
        quote!(#ident.as_ref())
    } else {
        quote!(#ident)
    };
    Argument {
        lets: quote!(let #ident: #ty = #value;),
        arg,
        vars: vec![var],
    }
}
