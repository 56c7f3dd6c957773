//! Pass 1 of post-process, progenitor's code: parse it, take out the undocumented
//! `api-version` header and the panicking `Client::new`, restore each method's request
//! ([`crate::restore`]) and make the method hand it back unsent (`raw_methods`).

use std::collections::BTreeMap;
use std::path::Path;

use syn::visit_mut::VisitMut;
use syn::{ImplItem, Item, Signature};

use crate::error::{Error, Result, Stage};
use crate::generate::Generated;
use crate::model::Model;
use crate::syntax::is_client;

/// progenitor's output as syntax.
pub(super) fn parse(generated: &mut Generated, file: &Path) -> Result<syn::File> {
    super::items::parse_file(std::mem::take(&mut generated.tokens)).map_err(|e| {
        Error::at(
            Stage::PostProcess,
            file,
            "",
            format!("progenitor's output does not parse: {e}"),
        )
    })
}

/// Removes the `api-version` header progenitor sends on every request; fails unless there is
/// exactly one per operation.
// Invariant (no undocumented header): progenitor's `api-version` goes, or generation fails.
pub(super) fn strip_api_version(raw: &mut syn::File, model: &Model, file: &Path) -> Result<()> {
    let mut strip = StripApiVersion { removed: 0 };
    strip.visit_file_mut(raw);
    if strip.removed != model.operations.len() {
        return Err(Error::at(
            Stage::PostProcess,
            file,
            "",
            format!(
                "expected one `api-version` header per operation in progenitor's output, found {} for {} operations",
                strip.removed,
                model.operations.len()
            ),
        ));
    }
    Ok(())
}

/// Drops `Client::new` (it panics when the HTTP client cannot be built), restores each
/// operation's request, and returns every method's signature by name.
pub(super) fn client_methods(
    raw: &mut syn::File,
    model: &Model,
    file: &Path,
) -> Result<BTreeMap<String, Signature>> {
    let mut signatures = BTreeMap::new();
    let features = &model.features;
    for item in &mut raw.items {
        let Item::Impl(imp) = item else { continue };
        if imp.trait_.is_some() || !is_client(&imp.self_ty) {
            continue;
        }
        imp.items
            .retain(|i| !matches!(i, ImplItem::Fn(f) if f.sig.ident == "new"));
        for i in &mut imp.items {
            if let ImplItem::Fn(f) = i {
                if let Some(op) = model.operations.iter().find(|o| f.sig.ident == o.fn_name) {
                    crate::restore::restore(f, op, file)?;
                    super::raw_methods::thin(f, op, file)?;
                    if let Some(cfg) = crate::postprocess::features::cfg(features, op) {
                        f.attrs.insert(0, syn::parse_quote!(#cfg));
                    }
                }
                signatures.insert(f.sig.ident.to_string(), f.sig.clone());
            }
        }
    }
    Ok(signatures)
}

/// Takes out progenitor's `header_map.append(HeaderName::from_static("api-version"), ..);`.
struct StripApiVersion {
    removed: usize,
}

/// Whether a statement appends the `api-version` header.
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), Some(_)) = stmt else {
        return false;
    };
    let Some(syn::Expr::Call(name)) = call.args.first() else {
        return false;
    };
    call.method == "append"
        && matches!(&*name.func, syn::Expr::Path(p)
            if p.path.segments.last().is_some_and(|s| s.ident == "from_static"))
        && matches!(name.args.first(), Some(syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(s),
            ..
        })) if s.value() == "api-version")
}

impl VisitMut for StripApiVersion {
    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|s| !appends_api_version(s));
        self.removed += before - block.stmts.len();
        syn::visit_mut::visit_block_mut(self, block);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_api_version_header_is_found_as_syntax() {
        let mut block: syn::Block = syn::parse_quote!({
            let mut header_map = ::reqwest::header::HeaderMap::with_capacity(2usize);
            header_map.append(
                ::reqwest::header::HeaderName::from_static("api-version"),
                ::reqwest::header::HeaderValue::from_static(Client::api_version()),
            );
            header_map.append("X-Wait-For", value.to_string().try_into()?);
            let note = "api-version";
        });
        let mut strip = StripApiVersion { removed: 0 };
        strip.visit_block_mut(&mut block);
        assert_eq!(strip.removed, 1);
        assert_eq!(block.stmts.len(), 3);
    }
}
