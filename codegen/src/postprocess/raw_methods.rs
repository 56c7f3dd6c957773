//! Pass 1b of post-process, progenitor's raw methods made thin: each builds and sends one
//! request and hands back the response as it came. progenitor ends every method with its own
//! match on the status and gives it the operation's docs; the generated decoder of the typed
//! method matches the statuses (once) and the typed method carries the docs (once), so both
//! copies go, and with them a boxed byte stream and two header copies per call.

use std::path::Path;

use syn::{Expr, ImplItemFn, Stmt};

use crate::error::{Error, Result, Stage};
use crate::model::OperationModel;

/// Thins one raw method: drops its docs, returns `reqwest::Response` in place of progenitor's
/// `ResponseValue<ByteStream>`, and ends it with the response in place of the status match.
/// Fails, located at the operation, when the method does not end as progenitor 0.15 ends one.
// Invariant (statuses matched once): a raw method never looks at the status.
pub(super) fn thin(f: &mut ImplItemFn, op: &OperationModel, file: &Path) -> Result<()> {
    let Some(last) = f.block.stmts.last_mut() else {
        return Err(unexpected(op, file));
    };
    if !ends_with_status_match(last) {
        return Err(unexpected(op, file));
    }
    *last = Stmt::Expr(syn::parse_quote!(Ok(response)), None);
    f.attrs.retain(|a| !a.path().is_ident("doc"));
    f.sig.output = syn::parse_quote!(-> Result<::reqwest::Response, Error<()>>);
    Ok(())
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
            "progenitor's method for operation `{}` does not end with its match on the \
             response status; this generator expects progenitor 0.15's shape",
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
    fn a_raw_method_hands_back_the_response_without_docs() {
        let mut f = method();
        thin(&mut f, &op(), Path::new("spec.yaml")).unwrap();
        let text = text(&f);
        assert!(!text.contains("Get a bank account"), "{text}");
        assert!(!text.contains("status()"), "{text}");
        assert!(
            text.contains("-> Result<::reqwest::Response, Error<()>>"),
            "{text}"
        );
        assert!(
            text.trim_end().ends_with("Ok(response)\n    }\n}"),
            "{text}"
        );
    }

    #[test]
    fn a_method_of_another_shape_is_a_located_error() {
        let mut f = method();
        f.block.stmts.pop();
        let err = thin(&mut f, &op(), Path::new("spec.yaml")).unwrap_err();
        let message = err.to_string();
        assert!(message.contains("getBankAccount"), "{message}");
        assert!(message.contains("spec.yaml"), "{message}");
        assert!(message.contains("/paths/~1op/post"), "{message}");
    }
}
