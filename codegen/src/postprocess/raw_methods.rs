//! Pass 1b of post-process, progenitor's raw methods made thin: each builds one request and
//! hands it back, unsent; the runtime's call engine (`finapi_runtime::call`) prepares, sends,
//! retries and collects it. progenitor ends every method by running its hooks, sending, and
//! matching the status, and gives it the operation's docs; the generated decoder of the typed
//! method matches the statuses (once) and the typed method carries the docs (once), so all of
//! that goes. A method that builds without awaiting becomes a plain `fn`: no future at all.

use std::path::Path;

use syn::{Expr, ImplItemFn, Local, Pat, Stmt};

use crate::error::{Error, Result, Stage};
use crate::model::OperationModel;

/// Thins one raw method: drops its docs, cuts it where progenitor's `OperationInfo` is made
/// (before the hooks, the send and the status match), returns the built `reqwest::Request`,
/// and makes it a plain `fn`. Fails, located at the operation, when the method does not end
/// as progenitor 0.15 ends one, or awaits anything before.
// Invariant (statuses matched once): a raw method never looks at the status.
pub(super) fn thin(f: &mut ImplItemFn, op: &OperationModel, file: &Path) -> Result<()> {
    let Some(cut) = f.block.stmts.iter().position(makes_operation_info) else {
        return Err(unexpected(op, file));
    };
    if !f.block.stmts.last().is_some_and(ends_with_status_match) {
        return Err(unexpected(op, file));
    }
    f.block.stmts.truncate(cut);
    if f.block.stmts.iter().any(awaits) {
        return Err(unexpected(op, file));
    }
    syn::visit_mut::VisitMut::visit_block_mut(&mut MethodsOfReqwest, &mut f.block);
    syn::visit_mut::VisitMut::visit_block_mut(&mut RuntimeEncodePath, &mut f.block);
    f.block
        .stmts
        .push(Stmt::Expr(syn::parse_quote!(Ok(request)), None));
    f.attrs.retain(|a| !a.path().is_ident("doc"));
    // Invariant (pay per call): built where the typed method that calls it is.
    f.attrs.push(syn::parse_quote!(#[inline]));
    f.sig.asyncness = None;
    f.sig.output = syn::parse_quote!(-> Result<::reqwest::Request, Error<()>>);
    Ok(())
}

/// progenitor starts a request with `self.client.<method>(url)`, but `reqwest::Client` has
/// no `options` (nor `trace`): those become `self.client.request(Method::OPTIONS, url)`.
struct MethodsOfReqwest;

impl syn::visit_mut::VisitMut for MethodsOfReqwest {
    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        syn::visit_mut::visit_expr_method_call_mut(self, call);
        let on_client = matches!(&*call.receiver, Expr::Field(f)
            if matches!(&f.member, syn::Member::Named(m) if m == "client"));
        let method = call.method.to_string();
        if on_client && matches!(method.as_str(), "options" | "trace") {
            let upper = syn::Ident::new(&method.to_ascii_uppercase(), call.method.span());
            call.method = syn::Ident::new("request", call.method.span());
            call.args
                .insert(0, syn::parse_quote!(::reqwest::Method::#upper));
        }
    }
}

/// progenitor encodes each path parameter with `progenitor_client::encode_path`, which copies
/// every value into a new string character by character; the runtime's `encode_path` encodes
/// the same bytes and borrows a value that needs no encoding (an id, a UUID).
struct RuntimeEncodePath;

impl syn::visit_mut::VisitMut for RuntimeEncodePath {
    fn visit_expr_call_mut(&mut self, call: &mut syn::ExprCall) {
        syn::visit_mut::visit_expr_call_mut(self, call);
        if let Expr::Path(p) = &mut *call.func
            && p.qself.is_none()
            && p.path.is_ident("encode_path")
        {
            p.path = syn::parse_quote!(::finapi_runtime::encode_path);
        }
    }

    /// progenitor calls it inside `format!`, whose arguments are tokens, not expressions.
    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        mac.tokens = runtime_encode_path(std::mem::take(&mut mac.tokens));
    }
}

/// `encode_path(..)` → `::finapi_runtime::encode_path(..)` in tokens, at any depth; a path
/// that names it with a prefix (`a::encode_path`) is left as it is.
fn runtime_encode_path(tokens: proc_macro2::TokenStream) -> proc_macro2::TokenStream {
    use proc_macro2::{Group, TokenTree};
    let mut out: Vec<TokenTree> = Vec::new();
    let mut iter = tokens.into_iter().peekable();
    while let Some(tree) = iter.next() {
        match tree {
            TokenTree::Group(g) => {
                let mut inner = Group::new(g.delimiter(), runtime_encode_path(g.stream()));
                inner.set_span(g.span());
                out.push(TokenTree::Group(inner));
            }
            TokenTree::Ident(ident)
                if ident == "encode_path"
                    && matches!(iter.peek(), Some(TokenTree::Group(g))
                        if g.delimiter() == proc_macro2::Delimiter::Parenthesis)
                    && !matches!(out.last(), Some(TokenTree::Punct(p)) if p.as_char() == ':') =>
            {
                out.extend(quote::quote!(::finapi_runtime::encode_path));
            }
            other => out.push(other),
        }
    }
    out.into_iter().collect()
}

/// `let info = OperationInfo { .. };`: where progenitor's method stops building.
fn makes_operation_info(stmt: &Stmt) -> bool {
    let Stmt::Local(Local {
        pat: Pat::Ident(name),
        init: Some(init),
        ..
    }) = stmt
    else {
        return false;
    };
    name.ident == "info"
        && matches!(&*init.expr, Expr::Struct(s) if s.path.is_ident("OperationInfo"))
}

/// Whether a statement awaits anything (a raw method that builds must not).
fn awaits(stmt: &Stmt) -> bool {
    struct Awaits(bool);
    impl<'ast> syn::visit::Visit<'ast> for Awaits {
        fn visit_expr_await(&mut self, _: &'ast syn::ExprAwait) {
            self.0 = true;
        }
    }
    let mut found = Awaits(false);
    syn::visit::Visit::visit_stmt(&mut found, stmt);
    found.0
}

/// `match response.status().as_u16() { .. }` as the method's value.
fn ends_with_status_match(stmt: &Stmt) -> bool {
    let Stmt::Expr(Expr::Match(m), None) = stmt else {
        return false;
    };
    let Expr::MethodCall(as_u16) = &*m.expr else {
        return false;
    };
    let Expr::MethodCall(status) = &*as_u16.receiver else {
        return false;
    };
    as_u16.method == "as_u16"
        && status.method == "status"
        && matches!(&*status.receiver, Expr::Path(p) if p.path.is_ident("response"))
}

fn unexpected(op: &OperationModel, file: &Path) -> Error {
    Error::at(
        Stage::PostProcess,
        file,
        &op.pointer,
        format!(
            "progenitor's method for operation `{}` does not build its request, then make its \
             `OperationInfo`, then end with its match on the response status; this generator \
             expects progenitor 0.15's shape",
            op.id
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn method() -> ImplItemFn {
        syn::parse_quote! {
            #[doc = "Get a bank account"]
            pub async fn get_bank_account<'a>(
                &'a self,
                account_id: &'a ::uuid::Uuid,
            ) -> Result<ResponseValue<ByteStream>, Error<ByteStream>> {
                let url = format!("{}/accounts/{}", self.baseurl, encode_path(&account_id.to_string()));
                let mut request = self.client.get(url).build()?;
                let info = OperationInfo { operation_id: "get_bank_account" };
                self.pre(&mut request, &info).await?;
                let result = self.exec(request, &info).await;
                self.post(&result, &info).await?;
                let response = result?;
                match response.status().as_u16() {
                    200u16 => Ok(ResponseValue::stream(response)),
                    404u16 => Err(Error::ErrorResponse(ResponseValue::stream(response))),
                    _ => Err(Error::UnexpectedResponse(response)),
                }
            }
        }
    }

    fn op() -> OperationModel {
        OperationModel {
            id: "getBankAccount".into(),
            ..crate::test_support::operation_model()
        }
    }

    fn text(f: &ImplItemFn) -> String {
        prettyplease::unparse(&syn::parse_quote!(impl Client { #f }))
    }

    #[test]
    fn a_raw_method_hands_back_its_request_unsent_without_docs() {
        let mut f = method();
        thin(&mut f, &op(), Path::new("spec.yaml")).unwrap();
        let text = text(&f);
        assert!(!text.contains("Get a bank account"), "{text}");
        for gone in [
            "status()",
            "self.pre",
            "self.exec",
            "OperationInfo",
            "await",
            "async",
        ] {
            assert!(!text.contains(gone), "{gone}: {text}");
        }
        assert!(text.contains("pub fn get_bank_account<'a>("), "{text}");
        assert!(text.contains("#[inline]"), "{text}");
        // Path parameters are encoded by the runtime.
        assert!(
            text.contains("::finapi_runtime::encode_path(& account_id\n            .to_string())"),
            "{text}"
        );
        assert!(!text.contains(" encode_path("), "{text}");
        assert!(
            text.contains("-> Result<::reqwest::Request, Error<()>>"),
            "{text}"
        );
        assert!(
            text.trim_end().ends_with(
                "let mut request = self.client.get(url).build()?;\n        Ok(request)\n    }\n}"
            ),
            "{text}"
        );
    }

    #[test]
    fn a_method_of_another_shape_is_a_located_error() {
        let no_match = {
            let mut f = method();
            f.block.stmts.pop();
            f
        };
        let no_info = {
            let mut f = method();
            f.block.stmts.retain(|s| !makes_operation_info(s));
            f
        };
        let awaits_before = {
            let mut f = method();
            f.block
                .stmts
                .insert(0, syn::parse_quote!(let token = self.token().await;));
            f
        };
        for mut f in [no_match, no_info, awaits_before] {
            let err = thin(&mut f, &op(), Path::new("spec.yaml")).unwrap_err();
            let message = err.to_string();
            assert!(message.contains("getBankAccount"), "{message}");
            assert!(message.contains("spec.yaml"), "{message}");
            assert!(message.contains("/paths/~1op/post"), "{message}");
        }
    }
}
