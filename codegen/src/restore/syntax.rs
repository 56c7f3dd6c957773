//! Syntax the restorations look for in progenitor's methods, matched as syntax: calls by their
//! paths, string literals by their values.

use syn::{Expr, ExprCall, ExprMethodCall};

/// The value of a string literal expression.
pub(super) fn str_lit(expr: &Expr) -> Option<String> {
    match expr {
        Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        }) => Some(s.value()),
        _ => None,
    }
}

/// Whether `expr` is a path ending with `segments` (`QueryParam::new`, `CONTENT_TYPE`).
pub(super) fn path_ends_with(expr: &Expr, segments: &[&str]) -> bool {
    let Expr::Path(p) = expr else { return false };
    let idents: Vec<_> = p.path.segments.iter().map(|s| &s.ident).collect();
    idents.len() >= segments.len()
        && idents[idents.len() - segments.len()..]
            .iter()
            .zip(segments)
            .all(|(ident, segment)| *ident == segment)
}

/// Whether `expr` is the identifier `name`.
pub(super) fn is_ident(expr: &Expr, name: &str) -> bool {
    matches!(expr, Expr::Path(p) if p.path.is_ident(name))
}

/// A call of a function whose path ends with `segments`, as in `QueryParam::new(...)`.
pub(super) fn call_of<'a>(expr: &'a mut Expr, segments: &[&str]) -> Option<&'a mut ExprCall> {
    match expr {
        Expr::Call(call) if path_ends_with(&call.func, segments) => Some(call),
        _ => None,
    }
}

/// A method call `.name(...)` with `args` arguments.
pub(super) fn method_call<'a>(
    expr: &'a mut Expr,
    name: &str,
    args: usize,
) -> Option<&'a mut ExprMethodCall> {
    match expr {
        Expr::MethodCall(call) if call.method == name && call.args.len() == args => Some(call),
        _ => None,
    }
}

/// A `.header(CONTENT_TYPE, value)` call: the request's `Content-Type`.
pub(super) fn content_type_header(expr: &mut Expr) -> Option<&mut ExprMethodCall> {
    method_call(expr, "header", 2).filter(|call| path_ends_with(&call.args[0], &["CONTENT_TYPE"]))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn calls_and_literals_are_matched_as_syntax() {
        let mut e: Expr = syn::parse_quote!(progenitor_client::QueryParam::new("a", &a));
        assert!(call_of(&mut e, &["QueryParam", "new"]).is_some());
        assert!(call_of(&mut e, &["DeepObject", "new"]).is_none());
        let Expr::Call(call) = &e else { panic!() };
        assert_eq!(str_lit(&call.args[0]).as_deref(), Some("a"));
        let mut h: Expr = syn::parse_quote!(r.header(::reqwest::header::CONTENT_TYPE, "x"));
        assert!(content_type_header(&mut h).is_some());
        let mut h: Expr = syn::parse_quote!(r.header("CONTENT_TYPE", "x"));
        assert!(content_type_header(&mut h).is_none());
        assert!(is_ident(&syn::parse_quote!(body), "body"));
    }
}
