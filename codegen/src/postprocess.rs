//! Stage 5, post-process: restore with syn / quote what the normalize stage took from
//! progenitor's view, and fix what progenitor gets wrong.
//!
//! - progenitor's output becomes a private `raw` module; its `types` are re-exported.
//! - The undocumented `api-version` header progenitor sends on every request is removed, and
//!   so is `Client::new`, which panics when the HTTP client cannot be built.
//! - progenitor's hooks call the runtime crate: client-level headers, credentials.
//! - A typed layer wraps every raw method: the success decoded as the spec documents it, and
//!   one error enum per operation with a variant per documented status.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use syn::visit_mut::VisitMut;
use syn::{FnArg, ImplItem, Item, Pat, Signature};

use crate::error::{Error, Result, Stage};
use crate::generate::Generated;
use crate::model::{
    Body, Model, OperationModel, SchemeKind, StatusMatch, SuccessBody, TokenFieldModel,
};
use crate::names;
use crate::settings::ExpirySettings;

/// The post-processed crate code: the generated module and one example per operation.
#[derive(Debug, Clone)]
pub struct Output {
    /// `src/generated.rs`.
    pub file: syn::File,
    /// `examples/<name>.rs`, by name.
    pub examples: Vec<(String, syn::File)>,
    /// The README's quickstart: Rust statements calling one operation.
    pub quickstart: Vec<String>,
}

/// Rewrites progenitor's output and adds the typed layer.
pub fn postprocess(generated: &Generated, model: &Model, file: &Path) -> Result<Output> {
    let err = |at: &str, message: String| Error::at(Stage::PostProcess, file, at, message);
    let mut raw: syn::File = syn::parse2(generated.tokens.clone())
        .map_err(|e| err("", format!("progenitor's output does not parse: {e}")))?;

    let mut strip = StripApiVersion { removed: 0 };
    strip.visit_file_mut(&mut raw);
    if strip.removed != model.operations.len() {
        return Err(err(
            "",
            format!(
                "expected one `api-version` header per operation in progenitor's output, found {} for {} operations",
                strip.removed,
                model.operations.len()
            ),
        ));
    }

    let mut signatures = BTreeMap::new();
    let mut types = BTreeSet::new();
    for item in &mut raw.items {
        match item {
            Item::Impl(imp) if imp.trait_.is_none() && is_client(&imp.self_ty) => {
                imp.items
                    .retain(|i| !matches!(i, ImplItem::Fn(f) if f.sig.ident == "new"));
                for i in &mut imp.items {
                    if let ImplItem::Fn(f) = i {
                        if let Some(op) = model.operations.iter().find(|o| f.sig.ident == o.fn_name)
                        {
                            restore_request(f, op).map_err(|m| err(&op.pointer, m))?;
                        }
                        signatures.insert(f.sig.ident.to_string(), f.sig.clone());
                    }
                }
            }
            Item::Mod(m) if m.ident == "types" => {
                if let Some((_, items)) = m.content.as_mut() {
                    open_enums(items).map_err(|m| err("", m))?;
                    redact_sensitive(items, &model.sensitive).map_err(|m| err("", m))?;
                    tolerate_nulls(items);
                }
                DocumentTypes.visit_item_mod_mut(m);
                for i in m.content.iter().flat_map(|(_, items)| items) {
                    match i {
                        Item::Struct(s) => types.insert(s.ident.to_string()),
                        Item::Enum(e) => types.insert(e.ident.to_string()),
                        Item::Type(t) => types.insert(t.ident.to_string()),
                        _ => false,
                    };
                }
            }
            _ => {}
        }
    }

    let mut operations = Vec::new();
    let mut error_enums = Vec::new();
    for op in &model.operations {
        let sig = signatures.get(&op.fn_name).ok_or_else(|| {
            err(
                &op.pointer,
                format!("progenitor generated no method `{}`", op.fn_name),
            )
        })?;
        let ty = |name: &str| body_type(name, &types).map_err(|m| err(&op.pointer, m));
        operations.push(operation_method(op, sig, &ty).map_err(|m| err(&op.pointer, m))?);
        if op.alternate_of.is_none() {
            // An alternate's responses are its operation's, decoded by the same code.
            error_enums.push(error_enum(op, &ty)?);
            error_enums.extend(success_enum(op, &ty)?);
        }
    }

    let raw_items = &raw.items;
    let client = client(model);
    let testing = {
        let ids = model.operations.iter().map(|op| &op.id);
        let arms = model.operations.iter().map(|op| {
            let id = &op.id;
            let decode_fn = format_ident!("decode_{}", decoder_of(op));
            quote! {
                #id => Some(Client::#decode_fn(raw).map(|_| ()).map_err(|e| ::finapi_runtime::testing::report(&e))),
            }
        });
        quote! {
            /// Hooks for tests and fuzzers; not part of the supported API.
            #[doc(hidden)]
            pub mod testing {
                use super::Client;

                /// The operation ids, in spec order.
                pub const OPERATIONS: &[&str] = &[#(#ids),*];

                /// Decodes `body` as a `status` response of `operation`, exactly as a call does:
                /// `Some(Ok(()))` for a success, `Some(Err(printed))` for a typed error or a
                /// decode error (every way it prints: `Display`, `Debug`, its sources), `None`
                /// for an unknown operation.
                pub fn decode(
                    operation: &str,
                    status: u16,
                    body: ::finapi_runtime::export::Bytes,
                ) -> ::std::option::Option<::std::result::Result<(), ::std::string::String>> {
                    let status = ::finapi_runtime::export::StatusCode::from_u16(status).ok()?;
                    let raw = ::finapi_runtime::RawResponse::new(
                        "fuzz",
                        status,
                        ::finapi_runtime::export::HeaderMap::new(),
                        None,
                        body,
                    );
                    match operation {
                        #(#arms)*
                        _ => None,
                    }
                }
            }
        }
    };
    let tokens = quote! {
        #[allow(
            dead_code,
            unused_imports,
            unused_mut,
            unreachable_patterns,

            clippy::all,
            clippy::pedantic,
            rustdoc::all
        )]
        mod raw {
            #(#raw_items)*

            impl ClientHooks<::finapi_runtime::Runtime> for Client {
                async fn pre<E>(
                    &self,
                    request: &mut reqwest::Request,
                    info: &OperationInfo,
                ) -> ::std::result::Result<(), Error<E>> {
                    self.inner
                        .prepare(request, info.operation_id)
                        .await
                        .map_err(Error::Custom)
                }

                async fn exec(
                    &self,
                    request: reqwest::Request,
                    _info: &OperationInfo,
                ) -> reqwest::Result<reqwest::Response> {
                    self.inner.execute(&self.client, request).await
                }
            }
        }

        /// Types of the spec's schemas: request and response bodies, parameters.
        pub use raw::types;

        #client

        // Error bodies are the spec's types; their size is the spec's business. Signatures
        // are progenitor's (`<'a>` even where only `&self` borrows).
        #[allow(
            clippy::too_many_arguments,
            clippy::result_large_err,
            clippy::needless_lifetimes
        )]
        impl Client {
            #(#operations)*
        }

        #(#error_enums)*

        #testing
    };
    let file =
        syn::parse2(tokens).map_err(|e| err("", format!("the typed layer does not parse: {e}")))?;
    let mut examples = Vec::new();
    for op in &model.operations {
        let sig = &signatures[&op.fn_name];
        let tokens = example(model, op, sig).map_err(|m| err(&op.pointer, m))?;
        let example = syn::parse2(tokens)
            .map_err(|e| err(&op.pointer, format!("the example does not parse: {e}")))?;
        examples.push((op.fn_name.clone(), example));
    }
    let quickstart = quickstart(model, &signatures);
    Ok(Output {
        file,
        examples,
        quickstart,
    })
}

/// A few lines that call the operation with the fewest arguments (not the token endpoint),
/// with the spec's examples as arguments.
fn quickstart(model: &Model, signatures: &BTreeMap<String, Signature>) -> Vec<String> {
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

/// Restores in progenitor's request code what normalize changed for it: `deepObject` query
/// parameters are serialized by `finapi_runtime::DeepObject`, and a body progenitor sends
/// as another media type gets its real `Content-Type`.
fn restore_request(
    f: &mut syn::ImplItemFn,
    op: &OperationModel,
) -> std::result::Result<(), String> {
    let mut restore = RestoreRequest {
        renamed: op.renamed_params.clone(),
        renamed_found: 0,
        deep: op.deep_object_params.iter().cloned().collect(),
        deep_found: BTreeSet::new(),
        content_type: op.content_type_override.clone(),
        content_type_set: false,
        multipart: op.multipart.is_some(),
        multipart_body_set: false,
        marker: op.alternate_of.as_ref().map(|a| a.marker.clone()),
        marker_removed: 0,
    };
    restore.visit_block_mut(&mut f.block);
    if let Some(marker) = &restore.marker {
        if restore.marker_removed != 1 {
            return Err(format!(
                "expected the path marker {marker:?} once in progenitor's URL, found it {} times",
                restore.marker_removed
            ));
        }
        // progenitor's doc comment names the path too.
        for attr in &mut f.attrs {
            if let syn::Meta::NameValue(nv) = &mut attr.meta
                && nv.path.is_ident("doc")
                && let syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(text),
                    ..
                }) = &nv.value
                && text.value().contains(marker.as_str())
            {
                let value = text.value().replace(marker.as_str(), "");
                nv.value = syn::parse_quote!(#value);
            }
        }
    }
    if restore.multipart {
        multipart_signature(&mut f.sig)?;
        if !restore.multipart_body_set {
            return Err("progenitor's request code sends no body to encode as multipart".into());
        }
    }
    if let Some(missing) = restore.deep.difference(&restore.deep_found).next() {
        return Err(format!(
            "progenitor's request code does not serialize the deepObject query parameter {missing:?}"
        ));
    }
    if restore.renamed_found != restore.renamed.len() {
        return Err(format!(
            "progenitor's request code does not send the renamed query parameters {:?}",
            restore.renamed
        ));
    }
    if let Some(ct) = &restore.content_type
        && !restore.content_type_set
    {
        return Err(format!(
            "progenitor's request code sends no body to give the Content-Type {ct:?}"
        ));
    }
    Ok(())
}

/// A multipart operation's method takes a `finapi_runtime::Multipart` where progenitor's
/// takes any `B: Into<reqwest::Body>`.
fn multipart_signature(sig: &mut Signature) -> std::result::Result<(), String> {
    let mut generic = None;
    for input in &mut sig.inputs {
        if let FnArg::Typed(t) = input
            && matches!(&*t.pat, Pat::Ident(p) if p.ident == "body")
        {
            if let syn::Type::Path(path) = &*t.ty
                && let Some(ident) = path.path.get_ident()
            {
                generic = Some(ident.clone());
            }
            *t.ty = syn::parse_quote!(::finapi_runtime::Multipart);
        }
    }
    let generic = generic.ok_or("progenitor's method has no generic `body` parameter")?;
    let before = sig.generics.params.len();
    sig.generics.params = sig
        .generics
        .params
        .clone()
        .into_iter()
        .filter(|p| !matches!(p, syn::GenericParam::Type(t) if t.ident == generic))
        .collect();
    if sig.generics.params.len() + 1 != before {
        return Err(format!(
            "progenitor's method has no type parameter `{generic}`"
        ));
    }
    Ok(())
}

struct RestoreRequest {
    renamed: Vec<(String, String)>,
    renamed_found: usize,
    deep: BTreeSet<String>,
    deep_found: BTreeSet<String>,
    content_type: Option<String>,
    content_type_set: bool,
    /// The body is a `finapi_runtime::Multipart`: its own Content-Type (with the boundary)
    /// and its encoded bytes.
    multipart: bool,
    multipart_body_set: bool,
    /// An alternate's path marker, to take out of the URL's format string.
    marker: Option<String>,
    marker_removed: usize,
}

impl RestoreRequest {
    /// Takes the marker out of string literals in `tokens` (a `format!` call's arguments).
    fn unmark(&mut self, tokens: TokenStream) -> TokenStream {
        let Some(marker) = self.marker.clone() else {
            return tokens;
        };
        tokens
            .into_iter()
            .map(|tree| match tree {
                proc_macro2::TokenTree::Literal(lit) => {
                    match syn::parse2::<syn::LitStr>(
                        proc_macro2::TokenTree::Literal(lit.clone()).into(),
                    ) {
                        Ok(s) if s.value().contains(&marker) => {
                            self.marker_removed += 1;
                            let value = s.value().replacen(&marker, "", 1);
                            let mut new = proc_macro2::Literal::string(&value);
                            new.set_span(lit.span());
                            proc_macro2::TokenTree::Literal(new)
                        }
                        _ => proc_macro2::TokenTree::Literal(lit),
                    }
                }
                proc_macro2::TokenTree::Group(g) => {
                    let mut new = proc_macro2::Group::new(g.delimiter(), self.unmark(g.stream()));
                    new.set_span(g.span());
                    proc_macro2::TokenTree::Group(new)
                }
                other => other,
            })
            .collect()
    }
}

impl VisitMut for RestoreRequest {
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        if mac.path.is_ident("format") {
            mac.tokens = self.unmark(std::mem::take(&mut mac.tokens));
        }
        syn::visit_mut::visit_macro_mut(self, mac);
    }

    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        match expr {
            syn::Expr::Call(call) => {
                let syn::Expr::Path(func) = &*call.func else {
                    return;
                };
                let segments: Vec<String> = func
                    .path
                    .segments
                    .iter()
                    .map(|s| s.ident.to_string())
                    .collect();
                if !segments.ends_with(&["QueryParam".to_owned(), "new".to_owned()]) {
                    return;
                }
                let Some(syn::Expr::Lit(syn::ExprLit {
                    lit: syn::Lit::Str(name),
                    ..
                })) = call.args.first()
                else {
                    return;
                };
                let given = name.value();
                if self.deep.contains(&given) {
                    self.deep_found.insert(given.clone());
                    call.func = syn::parse_quote!(::finapi_runtime::DeepObject::new);
                }
                if let Some((_, real)) = self.renamed.iter().find(|(g, _)| *g == given) {
                    call.args[0] = syn::parse_quote!(#real);
                    self.renamed_found += 1;
                }
            }
            syn::Expr::MethodCall(call)
                if call.method == "header"
                    && call.args.len() == 2
                    && quote!(#call).to_string().contains("CONTENT_TYPE") =>
            {
                // progenitor names the type it was given: name the real one instead.
                let Some(ct) = &self.content_type else {
                    return;
                };
                call.args[1] = if self.multipart {
                    syn::parse_quote!(body.content_type())
                } else {
                    syn::parse_quote!(::reqwest::header::HeaderValue::from_static(#ct))
                };
                self.content_type_set = true;
            }
            syn::Expr::MethodCall(call)
                if self.multipart
                    && call.method == "body"
                    && call.args.len() == 1
                    && matches!(&call.args[0], syn::Expr::Path(p) if p.path.is_ident("body")) =>
            {
                call.args[0] = syn::parse_quote!(body.into_bytes());
                self.multipart_body_set = true;
            }
            syn::Expr::MethodCall(call)
                if matches!(call.method.to_string().as_str(), "json" | "form")
                    && !self.content_type_set =>
            {
                // reqwest sets `application/json` only where no Content-Type is set.
                let Some(ct) = &self.content_type else {
                    return;
                };
                let receiver = &call.receiver;
                call.receiver = syn::parse_quote! {
                    #receiver.header(::reqwest::header::CONTENT_TYPE, #ct)
                };
                self.content_type_set = true;
            }
            _ => {}
        }
    }
}

struct StripApiVersion {
    removed: usize,
}

impl VisitMut for StripApiVersion {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block
            .stmts
            .retain(|s| !quote!(#s).to_string().contains("\"api-version\""));
        self.removed += before - block.stmts.len();
        syn::visit_mut::visit_block_mut(self, block);
    }
}

/// The name of the variant that keeps values a string enum's spec does not list.
const UNRECOGNIZED: &str = "Unrecognized";

fn derives_remove(attrs: &mut [syn::Attribute], remove: &str) -> bool {
    let mut found = false;
    for attr in attrs.iter_mut().filter(|a| a.path().is_ident("derive")) {
        let Ok(paths) = attr.parse_args_with(
            syn::punctuated::Punctuated::<syn::Path, syn::Token![,]>::parse_terminated,
        ) else {
            continue;
        };
        let kept: Vec<&syn::Path> = paths
            .iter()
            .filter(|p| {
                let last = p
                    .segments
                    .last()
                    .map(|s| s.ident.to_string())
                    .unwrap_or_default();
                let hit = last == remove;
                found |= hit;
                !hit
            })
            .collect();
        *attr = syn::parse_quote!(#[derive(#(#kept),*)]);
    }
    found
}

fn impl_target(imp: &syn::ItemImpl) -> Option<String> {
    match &*imp.self_ty {
        syn::Type::Path(p) => p.path.segments.last().map(|s| s.ident.to_string()),
        _ => None,
    }
}

fn impl_trait(imp: &syn::ItemImpl) -> Option<String> {
    imp.trait_
        .as_ref()
        .and_then(|(path, _)| path.segments.last())
        .map(|s| s.ident.to_string())
}

/// Makes every string enum forward-compatible: a value the spec does not list decodes into
/// `Unrecognized(String)` and encodes back unchanged; listed values stay typed variants; a
/// caller can send a value the spec does not list yet. typify's closed conversions (Display,
/// FromStr, TryFrom) are replaced by open ones.
fn open_enums(items: &mut Vec<Item>) -> std::result::Result<(), String> {
    let mut opened: Vec<(syn::Ident, Vec<(syn::Ident, String)>)> = Vec::new();
    for item in items.iter_mut() {
        let Item::Enum(e) = item else { continue };
        let string_enum = !e.variants.is_empty()
            && e.variants
                .iter()
                .all(|v| matches!(v.fields, syn::Fields::Unit))
            && e.attrs.iter().any(|a| {
                a.path().is_ident("derive") && quote!(#a).to_string().contains("Deserialize")
            })
            && !e
                .attrs
                .iter()
                .any(|a| a.path().is_ident("serde") && quote!(#a).to_string().contains("untagged"));
        if !string_enum {
            continue;
        }
        let values: Vec<(syn::Ident, String)> = e
            .variants
            .iter()
            .map(|v| (v.ident.clone(), wire_name(&v.attrs, &v.ident)))
            .collect();
        if values.iter().any(|(i, _)| i == UNRECOGNIZED) {
            return Err(format!(
                "enum {} already has a variant `{UNRECOGNIZED}`",
                e.ident
            ));
        }
        derives_remove(&mut e.attrs, "Copy");
        let unrecognized = format_ident!("{}", UNRECOGNIZED);
        e.variants.push(syn::parse_quote! {
            /// A value the spec does not list (yet): kept as received, and sent back unchanged.
            #[serde(untagged)]
            #unrecognized(::std::string::String)
        });
        opened.push((e.ident.clone(), values));
    }
    let names: BTreeSet<String> = opened.iter().map(|(i, _)| i.to_string()).collect();
    const CLOSED: [&str; 3] = ["Display", "FromStr", "TryFrom"];
    items.retain(|item| {
        !matches!(item, Item::Impl(imp)
            if impl_target(imp).is_some_and(|t| names.contains(&t))
                && impl_trait(imp).is_some_and(|t| CLOSED.contains(&t.as_str())))
    });
    let unrecognized = format_ident!("{}", UNRECOGNIZED);
    for (name, values) in opened {
        let idents: Vec<_> = values.iter().map(|(i, _)| i).collect();
        let wires: Vec<_> = values.iter().map(|(_, w)| w).collect();
        items.push(syn::parse_quote! {
            impl #name {
                /// The value as it is sent on the wire.
                pub fn as_str(&self) -> &str {
                    match self {
                        #(Self::#idents => #wires,)*
                        Self::#unrecognized(value) => value.as_str(),
                    }
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::fmt::Display for #name {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.write_str(self.as_str())
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::str::FromStr for #name {
                type Err = ::std::convert::Infallible;
                fn from_str(value: &str) -> ::std::result::Result<Self, Self::Err> {
                    Ok(match value {
                        #(#wires => Self::#idents,)*
                        other => Self::#unrecognized(other.to_owned()),
                    })
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::convert::From<&str> for #name {
                fn from(value: &str) -> Self {
                    match value.parse() {
                        Ok(v) => v,
                        Err(never) => match never {},
                    }
                }
            }
        });
        items.push(syn::parse_quote! {
            impl ::std::convert::From<::std::string::String> for #name {
                fn from(value: ::std::string::String) -> Self {
                    Self::from(value.as_str())
                }
            }
        });
    }
    Ok(())
}

/// Replaces the derived `Debug` of structs with fields marked `x-sensitive` by one that prints
/// a fixed placeholder for those fields.
fn redact_sensitive(
    items: &mut Vec<Item>,
    sensitive: &BTreeSet<(String, String)>,
) -> std::result::Result<(), String> {
    // typify wraps a nullable object schema `S` as `S(Option<SInner>)`: its fields are SInner's.
    let mut holder: BTreeMap<String, String> = BTreeMap::new();
    for item in items.iter() {
        if let Item::Struct(s) = item {
            let name = s.ident.to_string();
            let inner = match &s.fields {
                syn::Fields::Unnamed(f) if f.unnamed.len() == 1 => {
                    innermost_type_name(&f.unnamed[0].ty)
                }
                _ => None,
            };
            holder.insert(name.clone(), inner.unwrap_or(name));
        }
    }
    let sensitive: BTreeSet<(String, String)> = sensitive
        .iter()
        .map(|(t, f)| {
            (
                holder.get(t).cloned().unwrap_or_else(|| t.clone()),
                f.clone(),
            )
        })
        .collect();
    let mut impls = Vec::new();
    let mut done = BTreeSet::new();
    // The types of the sensitive fields.
    let mut newtypes = BTreeSet::new();
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let name = s.ident.to_string();
        if !sensitive.iter().any(|(t, _)| *t == name) {
            continue;
        }
        let syn::Fields::Named(fields) = &s.fields else {
            return Err(format!("{name} has sensitive fields but no named fields"));
        };
        let mut entries = Vec::new();
        for field in &fields.named {
            let ident = field.ident.as_ref().expect("named");
            let wire = wire_name(&field.attrs, ident);
            let shown = ident.to_string();
            if sensitive.contains(&(name.clone(), wire.clone())) {
                newtypes.extend(innermost_type_name(&field.ty));
                done.insert((name.clone(), wire));
                entries.push(quote!(.field(#shown, &::finapi_runtime::Redacted)));
            } else {
                entries.push(quote!(.field(#shown, &self.#ident)));
            }
        }
        if !derives_remove(&mut s.attrs, "Debug") {
            return Err(format!("{name} does not derive Debug"));
        }
        let ident = &s.ident;
        impls.push(syn::parse_quote! {
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_struct(#name)#(#entries)*.finish()
                }
            }
        });
    }
    if let Some((t, f)) = sensitive.difference(&done).next() {
        // Reported, not ignored: a sensitive field printed in clear is a leak.
        return Err(format!(
            "x-sensitive field `{f}` of `{t}` not found in the generated types"
        ));
    }
    // A sensitive field's own newtype (typify's `PsuId(String)` for a constrained string)
    // prints when printed alone: it redacts too.
    let generated: BTreeSet<String> = items
        .iter()
        .filter_map(|item| match item {
            Item::Struct(s) => Some(s.ident.to_string()),
            Item::Enum(e) => Some(e.ident.to_string()),
            _ => None,
        })
        .collect();
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        let syn::Fields::Unnamed(fields) = &s.fields else {
            continue;
        };
        let name = s.ident.to_string();
        let wraps_generated = fields.unnamed.len() != 1
            || innermost_type_name(&fields.unnamed[0].ty).is_some_and(|t| generated.contains(&t));
        if !newtypes.contains(&name) || wraps_generated {
            continue;
        }
        if !derives_remove(&mut s.attrs, "Debug") {
            return Err(format!("{name} does not derive Debug"));
        }
        let ident = &s.ident;
        impls.push(syn::parse_quote! {
            impl ::std::fmt::Debug for #ident {
                fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                    f.debug_tuple(#name).field(&::finapi_runtime::Redacted).finish()
                }
            }
        });
    }
    items.extend(impls);
    Ok(())
}

/// The field types that may hold a list or a map, and whose `null` decodes as empty.
const EMPTY_ON_NULL: [&str; 5] = ["Vec", "HashMap", "BTreeMap", "Map", "IndexMap"];

/// A `null` where the spec has an array or a map decodes as empty (providers written in Go
/// send `null` for an empty list): every such field of the generated types decodes through
/// `finapi_runtime::de::null_as_empty`. Optional fields are `Option`s, which take `null`
/// already; a `null` for a required scalar stays an error.
fn tolerate_nulls(items: &mut [Item]) {
    let is_collection = |ty: &syn::Type| {
        matches!(ty, syn::Type::Path(p)
            if p.qself.is_none()
                && p.path.segments.last().is_some_and(|s| EMPTY_ON_NULL.iter().any(|c| s.ident == c)))
    };
    let has_deserializer = |attrs: &[syn::Attribute]| {
        attrs
            .iter()
            .filter(|a| a.path().is_ident("serde"))
            .any(|a| {
                let mut found = false;
                let _ = a.parse_nested_meta(|meta| {
                    found |= meta.path.is_ident("deserialize_with") || meta.path.is_ident("with");
                    if meta.input.peek(syn::Token![=]) {
                        let _: syn::Expr = meta.value()?.parse()?;
                    }
                    Ok(())
                });
                found
            })
    };
    for item in items.iter_mut() {
        let Item::Struct(s) = item else { continue };
        for field in s.fields.iter_mut() {
            if is_collection(&field.ty) && !has_deserializer(&field.attrs) {
                field.attrs.push(syn::parse_quote!(
                    #[serde(deserialize_with = "::finapi_runtime::de::null_as_empty")]
                ));
            }
        }
    }
}

/// `X` of `X`, `Option<X>` or `Box<X>`.
fn innermost_type_name(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(inner) => innermost_type_name(inner),
            _ => None,
        },
        _ => Some(last.ident.to_string()),
    }
}

/// Gives every public field and variant of the generated types a doc: the spec's name for
/// it, where the spec has no description (typify documents those that have one).
struct DocumentTypes;

fn has_doc(attrs: &[syn::Attribute]) -> bool {
    attrs.iter().any(|a| a.path().is_ident("doc"))
}

/// The name on the wire: `#[serde(rename = "...")]`, or the Rust name.
fn wire_name(attrs: &[syn::Attribute], ident: &syn::Ident) -> String {
    let mut name = ident.to_string().trim_start_matches("r#").to_owned();
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                name = value.value();
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    name
}

impl VisitMut for DocumentTypes {
    fn visit_field_mut(&mut self, field: &mut syn::Field) {
        if let (Some(ident), syn::Visibility::Public(_)) = (&field.ident, &field.vis)
            && !has_doc(&field.attrs)
        {
            let text = format!(" The `{}` field.", wire_name(&field.attrs, ident));
            field.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
        }
    }

    fn visit_variant_mut(&mut self, variant: &mut syn::Variant) {
        if !has_doc(&variant.attrs) {
            let text = match &variant.fields {
                syn::Fields::Unit => format!(" `{}`", wire_name(&variant.attrs, &variant.ident)),
                _ => format!(" The `{}` shape.", variant.ident),
            };
            variant.attrs.insert(0, syn::parse_quote!(#[doc = #text]));
        }
        syn::visit_mut::visit_variant_mut(self, variant);
    }
}

fn is_client(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(p) if p.path.is_ident("Client"))
}

/// The Rust type of a JSON body, checked against what typify generated.
fn body_type(name: &str, types: &BTreeSet<String>) -> std::result::Result<TokenStream, String> {
    if name.starts_with("::") {
        return syn::parse_str::<syn::Type>(name)
            .map(|t| quote!(#t))
            .map_err(|e| format!("bad type {name}: {e}"));
    }
    if !types.contains(name) {
        return Err(format!(
            "typify generated no type `{name}` for a response body"
        ));
    }
    let ident = format_ident!("{}", name);
    Ok(quote!(types::#ident))
}

/// `#[doc]` attributes, one per line.
fn doc(text: &str) -> TokenStream {
    let lines = text.trim_end().lines().map(|l| {
        let l = if l.is_empty() {
            String::new()
        } else {
            format!(" {l}")
        };
        quote!(#[doc = #l])
    });
    quote!(#(#lines)*)
}

fn status_pattern(statuses: &[&StatusMatch]) -> TokenStream {
    let pats = statuses.iter().map(|s| match s {
        StatusMatch::Code(c) => {
            let c = Literal::u16_unsuffixed(*c);
            quote!(#c)
        }
        StatusMatch::Range(r) => {
            let (lo, hi) = (
                Literal::u16_unsuffixed(r * 100),
                Literal::u16_unsuffixed(r * 100 + 99),
            );
            quote!(#lo..=#hi)
        }
        StatusMatch::Default => quote!(_),
    });
    quote!(#(#pats)|*)
}

fn variant_name(status: &StatusMatch) -> syn::Ident {
    match status {
        StatusMatch::Code(c) => format_ident!("{}", names::status_variant(*c)),
        StatusMatch::Range(r) => format_ident!("Status{}xx", r),
        StatusMatch::Default => format_ident!("Default"),
    }
}

fn status_label(status: &StatusMatch) -> String {
    match status {
        StatusMatch::Code(c) => match names::reason(*c) {
            Some(reason) => format!("`{c}` {reason}"),
            None => format!("`{c}`"),
        },
        StatusMatch::Range(r) => format!("`{r}XX`"),
        StatusMatch::Default => "Any status not otherwise documented".to_owned(),
    }
}

fn success_enum_name(op: &OperationModel) -> syn::Ident {
    let id = op.alternate_of.as_ref().map_or(&op.id, |a| &a.of_id);
    format_ident!("{}Success", names::pascal(id))
}

/// The success enum of an operation whose success statuses have different bodies: one
/// variant per documented status, and `Other` for an undocumented 2xx.
fn success_enum(
    op: &OperationModel,
    ty: &dyn Fn(&str) -> Result<TokenStream>,
) -> Result<Option<TokenStream>> {
    let SuccessBody::Several(statuses) = &op.success else {
        return Ok(None);
    };
    let name = success_enum_name(op);
    let (id, fn_name) = (&op.id, &op.fn_name);
    let mut variants = Vec::new();
    for (status, body) in statuses {
        let variant = variant_name(status);
        let docs = doc(&status_label(status));
        variants.push(match body {
            Body::None => quote!(#docs #variant,),
            Body::Raw => quote!(#docs #variant(::finapi_runtime::export::Bytes),),
            Body::Json(t) => {
                let t = ty(t)?;
                quote!(#docs #variant(#t),)
            }
        });
    }
    let docs = doc(&format!(
        "The success responses of [`Client::{fn_name}`] (`{id}`), whose documented statuses \
         have different bodies: one variant per status."
    ));
    Ok(Some(quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
            /// A success status the spec does not document for this operation, with its raw body.
            Other(::finapi_runtime::export::Bytes),
        }
    }))
}

fn error_enum_name(op: &OperationModel) -> syn::Ident {
    let id = op.alternate_of.as_ref().map_or(&op.id, |a| &a.of_id);
    format_ident!("{}Error", names::pascal(id))
}

/// The method name whose `decode_` function decodes this operation's responses.
fn decoder_of(op: &OperationModel) -> &str {
    op.alternate_of.as_ref().map_or(&op.fn_name, |a| &a.of_fn)
}

fn operation_method(
    op: &OperationModel,
    sig: &Signature,
    ty: &dyn Fn(&str) -> Result<TokenStream>,
) -> std::result::Result<TokenStream, String> {
    let name = &sig.ident;
    let generics = &sig.generics;
    let inputs = sig.inputs.iter();
    let mut args = Vec::new();
    for input in &sig.inputs {
        if let FnArg::Typed(t) = input {
            match &*t.pat {
                Pat::Ident(p) => args.push(p.ident.clone()),
                other => return Err(format!("unexpected parameter pattern {}", quote!(#other))),
            }
        }
    }
    let id = &op.id;
    let (method, path) = (&op.method, &op.path);
    let enum_name = error_enum_name(op);
    let (success_type, decode) = match &op.success {
        SuccessBody::Empty => (quote!(()), quote!(raw.empty())),
        SuccessBody::Raw => (quote!(::finapi_runtime::export::Bytes), quote!(raw.bytes())),
        SuccessBody::Json(t) => {
            let t = ty(t).map_err(|e| e.message)?;
            (quote!(#t), quote!(raw.json()))
        }
        SuccessBody::OptionalJson(t) => {
            let t = ty(t).map_err(|e| e.message)?;
            (
                quote!(::std::option::Option<#t>),
                quote!(raw.optional_json()),
            )
        }
        SuccessBody::Several(statuses) => {
            let name = success_enum_name(op);
            let mut arms = Vec::new();
            for (status, body) in statuses {
                let pattern = status_pattern(&[status]);
                let variant = variant_name(status);
                let decode = match body {
                    Body::None => quote!(raw.empty().map(|r| r.map(|()| #name::#variant))),
                    Body::Raw => quote!(raw.bytes().map(|r| r.map(#name::#variant))),
                    Body::Json(t) => {
                        let t = ty(t).map_err(|e| e.message)?;
                        quote!(raw.json::<#t, _>().map(|r| r.map(#name::#variant)))
                    }
                };
                arms.push(quote!(#pattern => #decode,));
            }
            (
                quote!(#name),
                quote!(match raw.status() { #(#arms)* _ => raw.bytes().map(|r| r.map(#name::Other)), }),
            )
        }
    };
    // Any 2xx is a success: an undocumented one decodes as the documented body (the status
    // stays on the response), or as the success enum's `Other`.
    let success_pattern = quote!(200..=299);
    let mut arms = Vec::new();
    let mut has_default = false;
    for response in &op.errors {
        let pattern = status_pattern(&[&response.status]);
        let variant = variant_name(&response.status);
        has_default |= response.status == StatusMatch::Default;
        let call = match &response.body {
            Body::None => quote!(raw.error_empty(#enum_name::#variant)),
            Body::Json(_) => quote!(raw.error_json(#enum_name::#variant)),
            Body::Raw => quote!(raw.error_raw(#enum_name::#variant)),
        };
        arms.push((response.status.clone(), quote!(#pattern => Err(#call),)));
    }
    // Codes before classes before `default`, whatever the spec's order.
    arms.sort_by(|a, b| a.0.cmp(&b.0));
    let arms = arms.into_iter().map(|(_, arm)| arm);
    let fallback =
        (!has_default).then(|| quote!(_ => Err(raw.error_raw(#enum_name::Undocumented)),));

    let mut text = String::new();
    if let Some(summary) = &op.summary {
        text.push_str(summary.trim());
        text.push_str("\n\n");
    }
    if let Some(description) = &op.description {
        text.push_str(description.trim());
        text.push_str("\n\n");
    }
    match &op.alternate_of {
        Some(alt) => text.push_str(&format!(
            "Sends `{} {}` (operation `{}`) with a `{}` body: the spec's other media type for \
             [`Client::{}`], with the same responses.\n\n",
            op.method, op.path, alt.of_id, alt.media_type, alt.of_fn
        )),
        None => text.push_str(&format!(
            "Sends `{} {}` (operation `{id}`).\n\n",
            op.method, op.path
        )),
    }
    text.push_str(&format!(
        "Errors: [`{enum_name}`] has a variant for each documented error status.\n"
    ));
    if let Some(parts) = &op.multipart {
        text.push_str(
            "\nThe body is `multipart/form-data`: build it with [`finapi_runtime::Multipart`], \
             which also sets the `Content-Type` with its boundary. The spec's parts:\n\n",
        );
        for part in parts {
            let how = match part.kind {
                crate::model::PartKind::File => format!(
                    "a file (`Multipart::file`{})",
                    part.content_type
                        .as_deref()
                        .map(|c| format!(", `{c}`"))
                        .unwrap_or_default()
                ),
                crate::model::PartKind::Json => "JSON (`Multipart::json`)".to_owned(),
                crate::model::PartKind::Text => "text (`Multipart::text`)".to_owned(),
            };
            let required = if part.required {
                "required"
            } else {
                "optional"
            };
            let description = part
                .description
                .as_deref()
                .map(|d| format!(": {}", d.trim().replace('\n', " ")))
                .unwrap_or_default();
            text.push_str(&format!(
                "- `{}`: {how}, {required}{description}\n",
                part.name
            ));
        }
    }
    if !op.alternates.is_empty() {
        text.push_str("\nThe spec also accepts the body as ");
        let list: Vec<String> = op
            .alternates
            .iter()
            .map(|(media, method)| format!("`{media}` ([`Client::{method}`])"))
            .collect();
        text.push_str(&list.join(", "));
        text.push_str(".\n");
    }
    if !op.unused_request_media_types.is_empty() {
        text.push_str(&format!(
            "\nThe body is sent as the spec's preferred media type; the spec also accepts {}.\n",
            op.unused_request_media_types.join(", ")
        ));
    }
    let docs = doc(&text);
    let decode_fn = format_ident!("decode_{}", decoder_of(op));
    let decode_doc = format!(" Decodes a response of `{id}` as the spec documents it.");
    // Spans and errors name the spec's operation, also for an alternate.
    let id = op.alternate_of.as_ref().map_or(id, |a| &a.of_id);
    let decoder = op.alternate_of.is_none().then(|| {
        quote! {
            #[doc = #decode_doc]
            fn #decode_fn(
                raw: ::finapi_runtime::RawResponse,
            ) -> ::std::result::Result<
                ::finapi_runtime::Response<#success_type>,
                ::finapi_runtime::Error<#enum_name>,
            > {
                match raw.status() {
                    #success_pattern => #decode,
                    #(#arms)*
                    #fallback
                }
            }
        }
    });
    Ok(quote! {
        #docs
        pub async fn #name #generics (#(#inputs),*) -> ::std::result::Result<
            ::finapi_runtime::Response<#success_type>,
            ::finapi_runtime::Error<#enum_name>,
        > {
            ::finapi_runtime::call(
                &self.raw.inner,
                ::finapi_runtime::Operation { id: #id, method: #method, path: #path },
                self.raw.#name(#(#args),*),
                Self::#decode_fn,
            )
            .await
        }

        #decoder
    })
}

fn error_enum(
    op: &OperationModel,
    ty: &dyn Fn(&str) -> Result<TokenStream>,
) -> Result<TokenStream> {
    let name = error_enum_name(op);
    let id = &op.id;
    let fn_name = &op.fn_name;
    let mut variants = Vec::new();
    let mut idents = Vec::new();
    for response in &op.errors {
        let variant = variant_name(&response.status);
        let body = match &response.body {
            Body::None => quote!(()),
            Body::Raw => quote!(::finapi_runtime::export::Bytes),
            Body::Json(t) => ty(t)?,
        };
        let mut text = status_label(&response.status);
        if !response.description.trim().is_empty() {
            text.push_str(": ");
            text.push_str(response.description.trim());
        }
        let docs = doc(&text);
        variants.push(quote! {
            #docs
            #variant(::finapi_runtime::ApiError<#body>),
        });
        idents.push(variant);
    }
    if !op.errors.iter().any(|r| r.status == StatusMatch::Default) {
        variants.push(quote! {
            /// A status the spec does not document for this operation, with its raw body.
            Undocumented(::finapi_runtime::ApiError<::finapi_runtime::export::Bytes>),
        });
        idents.push(format_ident!("Undocumented"));
    }
    let docs = doc(&format!(
        "The error statuses of [`Client::{fn_name}`] (`{id}`), one variant per documented status.\n\n\
         Every variant carries the status, the request id, the headers and the raw body, and the \
         body the spec documents for that status where there is one."
    ));
    Ok(quote! {
        #docs
        #[derive(Debug)]
        #[non_exhaustive]
        #[allow(clippy::large_enum_variant)]
        pub enum #name {
            #(#variants)*
        }

        /// Every variant's status, request id, headers and raw body:
        /// `err.status()`, `err.request_id()`, `err.raw_body()`.
        impl ::std::ops::Deref for #name {
            type Target = ::finapi_runtime::ResponseMeta;
            fn deref(&self) -> &::finapi_runtime::ResponseMeta {
                match self { #(Self::#idents(e) => e.meta(),)* }
            }
        }

        impl ::std::fmt::Display for #name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                ::std::fmt::Display::fmt(&**self, f)
            }
        }

        impl ::std::error::Error for #name {}
    })
}

fn client(model: &Model) -> TokenStream {
    let mut text = format!("Client for {}.", model.title.trim());
    if let Some(d) = &model.description {
        text.push_str("\n\n");
        text.push_str(d.trim());
    }
    text.push_str(&format!(
        "\n\nAPI version {}. Build one with [`Client::builder`].",
        model.version
    ));
    let client_docs = doc(&text);
    let base_url = &model.base_url;
    let request_id_header = &model.request_id_header;
    let security = model.operations.iter().map(|op| {
        let operation = &op.fn_name;
        let anonymous = op.anonymous;
        let schemes = op.schemes.iter().map(scheme_tokens);
        quote! {
            ::finapi_runtime::OperationSecurity {
                operation: #operation,
                schemes: &[#(#schemes),*],
                anonymous: #anonymous,
            },
        }
    });
    let defaults: Vec<_> = model
        .client_headers
        .iter()
        .filter_map(|h| {
            let name = &h.name;
            h.default
                .as_ref()
                .map(|d| quote!(config.set_header(#name, #d);))
        })
        .collect();
    let config_mut = (!defaults.is_empty()).then(|| quote!(mut));
    let servers = model.operations.iter().filter_map(|op| {
        let operation = &op.fn_name;
        op.server.as_ref().map(|url| {
            quote! { ::finapi_runtime::OperationServer { operation: #operation, url: #url }, }
        })
    });
    let token = token_items(model);
    let (token_static, token_methods) = (token.statics, token.methods);
    let (token_options_field, token_options_init, take_config) =
        (token.options_field, token.options_init, token.take_config);
    let from_env = from_env(model);
    let header_methods = model.client_headers.iter().map(|h| {
        let method = format_ident!("{}", h.builder_method);
        let name = &h.name;
        let mut text = format!("Sets the `{name}` header sent with every request.");
        if let Some(d) = &h.description {
            text.push_str("\n\n");
            text.push_str(d.trim());
        }
        if let Some(default) = &h.default {
            text.push_str(&format!("\n\nDefault: `{default}`."));
        }
        let docs = doc(&text);
        quote! {
            #docs
            pub fn #method(mut self, value: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.config.set_header(#name, value);
                self
            }
        }
    });
    let scheme_doc = |kind: SchemeKind| {
        model
            .schemes
            .iter()
            .find(|s| s.kind == kind)
            .and_then(|s| s.description.clone())
            .map(|d| doc(&format!("\n{}", d.trim())))
    };
    let basic = model.schemes.iter().any(|s| s.kind == SchemeKind::Basic).then(|| {
        let extra = scheme_doc(SchemeKind::Basic);
        quote! {
            /// Authenticates with HTTP Basic credentials.
            #extra
            pub fn basic_auth(
                mut self,
                username: impl ::std::convert::Into<::finapi_runtime::Secret>,
                password: impl ::std::convert::Into<::finapi_runtime::Secret>,
            ) -> Self {
                self.config.set_credentials(::finapi_runtime::Credentials::basic(username, password));
                self
            }
        }
    });
    let bearer = model
        .schemes
        .iter()
        .any(|s| s.kind == SchemeKind::Bearer)
        .then(|| {
            let extra = scheme_doc(SchemeKind::Bearer);
            quote! {
                /// Authenticates with a static bearer token.
                #extra
                pub fn bearer_token(
                    mut self,
                    token: impl ::std::convert::Into<::finapi_runtime::Secret>,
                ) -> Self {
                    self.config.set_credentials(::finapi_runtime::Credentials::bearer(token));
                    self
                }
            }
        });
    quote! {
        const USER_AGENT: &str = concat!(env!("CARGO_PKG_NAME"), "/", env!("CARGO_PKG_VERSION"));
        const API: ::finapi_runtime::Api = ::finapi_runtime::Api {
            security: &[#(#security)*],
            servers: &[#(#servers)*],
            request_id_header: #request_id_header,
        };
        #token_static

        #client_docs
        #[derive(Clone, Debug)]
        pub struct Client {
            raw: raw::Client,
        }

        impl Client {
            /// The base URL a client uses unless its builder is given another.
            pub const DEFAULT_BASE_URL: &'static str = #base_url;

            /// Starts building a client with the default base URL, timeouts and headers.
            pub fn builder() -> ClientBuilder {
                let #config_mut config = ::finapi_runtime::ClientConfig::new(Self::DEFAULT_BASE_URL, USER_AGENT);
                #(#defaults)*
                ClientBuilder { config, #token_options_init }
            }

            /// The base URL requests go to.
            pub fn base_url(&self) -> &str {
                &self.raw.baseurl
            }

            #from_env
        }

        /// Builds a [`Client`]: base URL, credentials, headers, timeouts.
        #[derive(Debug)]
        pub struct ClientBuilder {
            config: ::finapi_runtime::ClientConfig,
            #token_options_field
        }

        impl ClientBuilder {
            /// Sets the base URL: scheme, host, optional port and path prefix.
            pub fn base_url(mut self, base_url: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.config.set_base_url(base_url);
                self
            }

            #basic
            #bearer
            #token_methods

            /// Sets the credentials to send.
            pub fn credentials(mut self, credentials: ::finapi_runtime::Credentials) -> Self {
                self.config.set_credentials(credentials);
                self
            }

            #(#header_methods)*

            /// Sets the connect timeout and the timeout of one attempt, from sending the request
            /// to reading the last byte of its response (defaults:
            /// [`DEFAULT_CONNECT_TIMEOUT`](crate::DEFAULT_CONNECT_TIMEOUT),
            /// [`DEFAULT_TIMEOUT`](crate::DEFAULT_TIMEOUT)). A whole call, retries and waits
            /// included, ends by [`RetryPolicy::max_elapsed`](crate::RetryPolicy::max_elapsed).
            pub fn timeouts(mut self, connect: ::std::time::Duration, request: ::std::time::Duration) -> Self {
                self.config.set_timeouts(connect, request);
                self
            }

            /// Sets how the client retries and the deadline of a whole call (default
            /// [`RetryPolicy::default`](crate::RetryPolicy::default): 429 after the server's
            /// delay, 408/502/503/504 and transport errors for repeatable requests only, 60 s
            /// per call; [`RetryPolicy::none`](crate::RetryPolicy::none) turns retries off).
            pub fn retry_policy(mut self, policy: ::finapi_runtime::RetryPolicy) -> Self {
                self.config.set_retry_policy(policy);
                self
            }

            /// Sends requests through this `reqwest::Client` (its own timeouts and TLS apply to
            /// each attempt). Build it from [`http_client_builder`](crate::http_client_builder),
            /// which sets up TLS.
            pub fn http_client(mut self, client: ::finapi_runtime::export::reqwest::Client) -> Self {
                self.config.set_http_client(client);
                self
            }

            /// Sets the `User-Agent` header (default: this crate's name and version).
            pub fn user_agent(mut self, user_agent: impl ::std::convert::Into<::std::string::String>) -> Self {
                self.config.set_user_agent(user_agent);
                self
            }

            /// Builds the client.
            pub fn build(self) -> ::std::result::Result<Client, ::finapi_runtime::BuildError> {
                let config = #take_config;
                let (base_url, http, runtime) = ::finapi_runtime::Runtime::new(config, API)?;
                Ok(Client {
                    raw: raw::Client::new_with_client(&base_url, http, runtime),
                })
            }
        }
    }
}

/// What a token endpoint adds to the client: its description, and builder methods.
#[derive(Default)]
struct TokenItems {
    statics: TokenStream,
    methods: TokenStream,
    options_field: TokenStream,
    options_init: TokenStream,
    take_config: TokenStream,
}

fn token_items(model: &Model) -> TokenItems {
    let Some(t) = &model.token else {
        return TokenItems {
            take_config: quote!(self.config),
            ..TokenItems::default()
        };
    };
    let op = &t.operation;
    let (operation, method_name, method, path) = (&op.id, &op.fn_name, &op.method, &op.path);
    let decode_fn = format_ident!("decode_{}", decoder_of(op));
    let server = match &op.server {
        Some(url) => quote!(::std::option::Option::Some(#url)),
        None => quote!(::std::option::Option::None),
    };
    let form = t.form;
    let body = t.body.iter().map(|(field, kind)| {
        let kind = match kind {
            TokenFieldModel::Literal(v) => quote!(::finapi_runtime::TokenField::Literal(#v)),
            TokenFieldModel::Credential(v) => quote!(::finapi_runtime::TokenField::Credential(#v)),
            TokenFieldModel::Optional(v) => quote!(::finapi_runtime::TokenField::Optional(#v)),
        };
        quote!((#field, #kind),)
    });
    let access_token = &t.access_token;
    let expiry = match &t.expiry {
        ExpirySettings::Seconds(f) => quote!(::finapi_runtime::Expiry::Seconds(#f)),
        ExpirySettings::UnixOrSeconds(f) => quote!(::finapi_runtime::Expiry::UnixOrSeconds(#f)),
        ExpirySettings::JwtExp => quote!(::finapi_runtime::Expiry::JwtExp),
    };
    let marker = match &t.expired_marker {
        Some(m) => quote!(::std::option::Option::Some(#m)),
        None => quote!(::std::option::Option::None),
    };
    let statics = quote! {
        /// The provider's token endpoint, for [`TokenCredentials`](crate::TokenCredentials).
        pub static TOKEN_ENDPOINT: ::finapi_runtime::TokenEndpoint = ::finapi_runtime::TokenEndpoint {
            operation: #operation,
            method_name: #method_name,
            method: #method,
            path: #path,
            server: #server,
            form: #form,
            body: &[#(#body)*],
            access_token: #access_token,
            expiry: #expiry,
            expired_marker: #marker,
            decode_error: decode_token_error,
        };

        /// A token endpoint's error response as its documented error (`Error::Auth` keeps it).
        fn decode_token_error(
            raw: ::finapi_runtime::RawResponse,
        ) -> ::std::option::Option<::std::boxed::Box<dyn ::std::error::Error + Send + Sync>> {
            match Client::#decode_fn(raw) {
                Err(::finapi_runtime::Error::Api(e)) => ::std::option::Option::Some(::std::boxed::Box::new(e)),
                _ => ::std::option::Option::None,
            }
        }
    };
    let args: Vec<_> = t
        .credentials
        .iter()
        .map(|c| format_ident!("{}", c))
        .collect();
    let names = &t.credentials;
    let expiry_text = match &t.expiry {
        ExpirySettings::Seconds(f) => format!("the response's `{f}` (seconds)"),
        ExpirySettings::UnixOrSeconds(f) => {
            format!("the response's `{f}` (seconds, or a Unix time)")
        }
        ExpirySettings::JwtExp => "the token's JWT `exp` claim".to_owned(),
    };
    let docs = doc(&format!(
        "Authenticates with bearer tokens from `{operation}` (`{method} {path}`), exchanging \
         these credentials.\n\nThe client fetches a token on first use, caches it, and fetches a \
         new one before it expires (from {expiry_text}); concurrent calls wait for a single \
         fetch. A 401 that says the token expired makes the client fetch a new token and send \
         the request once more."
    ));
    let mut methods = quote! {
        #docs
        pub fn client_credentials(
            mut self,
            #(#args: impl ::std::convert::Into<::finapi_runtime::Secret>),*
        ) -> Self {
            self.config.set_credentials(::finapi_runtime::Credentials::Token(
                ::finapi_runtime::TokenCredentials::new(&TOKEN_ENDPOINT, vec![#((#names, #args.into())),*]),
            ));
            self
        }
    };
    for name in &t.optional {
        let method = format_ident!("token_{}", name);
        let docs = doc(&format!(
            "Sets `{name}` in token requests (with [`ClientBuilder::client_credentials`])."
        ));
        methods.extend(quote! {
            #docs
            pub fn #method(mut self, value: impl ::std::convert::Into<::finapi_runtime::Secret>) -> Self {
                self.token_options.push((#name, value.into()));
                self
            }
        });
    }
    TokenItems {
        statics,
        methods,
        options_field: quote!(token_options: ::std::vec::Vec<(&'static str, ::finapi_runtime::Secret)>,),
        options_init: quote!(token_options: ::std::vec::Vec::new()),
        take_config: quote! {{
            let mut config = self.config;
            if let ::finapi_runtime::Credentials::Token(token) = config.credentials_mut() {
                for (name, value) in self.token_options {
                    token.set(name, value);
                }
            }
            config
        }},
    }
}

/// `Client::from_env`, where the settings name an environment prefix.
fn from_env(model: &Model) -> TokenStream {
    let Some(prefix) = &model.env_prefix else {
        return TokenStream::new();
    };
    let base = format!("{prefix}_BASE_URL");
    let mut wanted: Vec<String> = Vec::new();
    // (the `if let` condition, what it does): the first whose variables are all set wins.
    let mut branches: Vec<(TokenStream, TokenStream)> = Vec::new();
    if model.schemes.iter().any(|s| s.kind == SchemeKind::Bearer) {
        let access = format!("{prefix}_ACCESS_TOKEN");
        wanted.push(format!("`{access}`"));
        branches.push((
            quote!(::std::option::Option::Some(token) = ::finapi_runtime::env_var(#access)),
            quote!(builder.bearer_token(token)),
        ));
    }
    if let (Some([user, pass]), true) = (
        &model.basic_env,
        model.schemes.iter().any(|s| s.kind == SchemeKind::Basic),
    ) {
        let (user, pass) = (format!("{prefix}_{user}"), format!("{prefix}_{pass}"));
        wanted.push(format!("`{user}` and `{pass}`"));
        branches.push((
            quote!((::std::option::Option::Some(user), ::std::option::Option::Some(pass)) =
                (::finapi_runtime::env_var(#user), ::finapi_runtime::env_var(#pass))),
            quote!(builder.basic_auth(user, pass)),
        ));
    }
    if let Some(t) = &model.token {
        let vars: Vec<String> = t
            .credentials
            .iter()
            .map(|c| format!("{prefix}_{}", c.to_ascii_uppercase()))
            .collect();
        let idents: Vec<_> = t
            .credentials
            .iter()
            .map(|c| format_ident!("{}", c))
            .collect();
        wanted.push(
            vars.iter()
                .map(|v| format!("`{v}`"))
                .collect::<Vec<_>>()
                .join(" + "),
        );
        let optional = t.optional.iter().map(|o| {
            let var = format!("{prefix}_{}", o.to_ascii_uppercase());
            let method = format_ident!("token_{}", o);
            quote! {
                if let ::std::option::Option::Some(value) = ::finapi_runtime::env_var(#var) {
                    builder = builder.#method(value);
                }
            }
        });
        branches.push((
            quote!((#(::std::option::Option::Some(#idents)),*) = (#(::finapi_runtime::env_var(#vars)),*)),
            {
                let optional: Vec<_> = optional.collect();
                if optional.is_empty() {
                    quote!(builder.client_credentials(#(#idents),*))
                } else {
                    quote!({
                        let mut builder = builder.client_credentials(#(#idents),*);
                        #(#optional)*
                        builder
                    })
                }
            },
        ));
    }
    if branches.is_empty() {
        return TokenStream::new();
    }
    let wanted = wanted.join(", or ");
    let message = format!("set {wanted}");
    let docs = doc(&format!(
        "A client configured from the environment: `{base}` (default [`Client::DEFAULT_BASE_URL`]) \
         and credentials, the first that is set of: {wanted}."
    ));
    let chain = branches
        .iter()
        .map(|(cond, body)| quote!(if let #cond { #body }));
    quote! {
        #docs
        pub fn from_env() -> ::std::result::Result<Client, ::finapi_runtime::BuildError> {
            let mut builder = Client::builder();
            if let ::std::option::Option::Some(url) = ::finapi_runtime::env_var(#base) {
                builder = builder.base_url(url);
            }
            let builder = #(#chain else)* {
                return Err(::finapi_runtime::BuildError::Credentials(#message.to_owned()));
            };
            builder.build()
        }
    }
}

/// `examples/<operation>.rs`: calls the operation with arguments from the environment
/// (defaulting to the spec's examples) and prints the typed result.
/// An example's multipart body: a part per field of the schema, each from an environment
/// variable (a file part's variable names the file to send; a JSON part's holds JSON).
/// Required parts must be set; optional ones are sent where set.
fn multipart_example(
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

fn example(
    model: &Model,
    op: &OperationModel,
    sig: &Signature,
) -> std::result::Result<TokenStream, String> {
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
            return Err("unexpected parameter pattern".into());
        };
        let ident = &p.ident;
        let rust_name = ident.to_string();
        if let (true, Some(parts)) = (rust_name == "body", &op.multipart) {
            let (tokens, part_vars) = multipart_example(&prefix, op, parts);
            lets.push(tokens);
            vars.extend(part_vars);
            args.push(quote!(body));
            continue;
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
        let mut ty = (*t.ty).clone();
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
        lets.push(quote!(let #ident: #ty = #value;));
        args.push(if by_ref {
            quote!(&#ident)
        } else if optional_str {
            quote!(#ident.as_deref())
        } else if optional_ref {
            quote!(#ident.as_ref())
        } else {
            quote!(#ident)
        });
        vars.push(var);
    }
    let credentials = if model.env_prefix.is_some() {
        quote!(#krate::Client::from_env()?)
    } else {
        quote!(#krate::Client::builder().build()?)
    };
    let text = format!(
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
    );
    let lines = text.lines().map(|l| {
        let l = format!(" {l}");
        quote!(#![doc = #l])
    });
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

/// `T` of `Option<T>`.
fn option_inner(ty: &syn::Type) -> Option<syn::Type> {
    let syn::Type::Path(p) = ty else { return None };
    let last = p.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    match &last.arguments {
        syn::PathArguments::AngleBracketed(a) => match a.args.first()? {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        },
        _ => None,
    }
}

/// Rewrites `types::X` to `<crate>::types::X`, for code outside the crate.
struct CrateTypes(syn::Ident);

impl VisitMut for CrateTypes {
    fn visit_path_mut(&mut self, path: &mut syn::Path) {
        if path.leading_colon.is_none() && path.segments.first().is_some_and(|s| s.ident == "types")
        {
            let krate = &self.0;
            let rest = &path.segments;
            *path = syn::parse_quote!(#krate::#rest);
        }
        syn::visit_mut::visit_path_mut(self, path);
    }
}

fn scheme_tokens(kind: &SchemeKind) -> TokenStream {
    match kind {
        SchemeKind::Basic => quote!(::finapi_runtime::Scheme::Basic),
        SchemeKind::Bearer => quote!(::finapi_runtime::Scheme::Bearer),
    }
}
