//! The typed layer: the success enum of an operation whose success statuses differ.

use proc_macro2::TokenStream;
use quote::quote;

use super::statuses::{status_label, success_enum_name, variant_name};
use crate::error::Result;
use crate::model::{Body, OperationModel, SuccessBody};
use crate::syntax::type_index::Types;
use crate::syntax::*;

/// The success enum of an operation whose success statuses have different bodies: one
/// variant per documented status, and `Other` for an undocumented 2xx.
pub(super) fn success_enum(op: &OperationModel, types: &Types<'_>) -> Result<Option<TokenStream>> {
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
                let t = types.body(t)?;
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

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r##"
paths:
  /jobs:
    post:
      operationId: startJob
      responses:
        "200": {description: done, content: {application/json: {schema: {$ref: "#/components/schemas/Result"}}}}
        "202": {description: started, content: {application/json: {schema: {$ref: "#/components/schemas/Job"}}}}
        "204": {description: nothing to do}
components:
  schemas:
    Result: {type: object, properties: {id: {type: string}}}
    Job: {type: object, properties: {job: {type: string}}}
"##;

    #[test]
    fn successes_with_different_bodies_are_a_variant_each_and_other() {
        expect![[r#"
            /// The success responses of [`Client::start_job`] (`startJob`), whose documented statuses have different bodies: one variant per status.
            #[derive(Debug, Clone, PartialEq)]
            #[non_exhaustive]
            #[allow(clippy::large_enum_variant)]
            pub enum StartJobSuccess {
                /// `200` OK
                Ok(types::Result),
                /// `202` Accepted
                Accepted(types::Job),
                /// `204` No Content
                NoContent,
                /// A success status the spec does not document for this operation, with its raw body.
                Other(::finapi_runtime::export::Bytes),
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["StartJobSuccess"]));
    }
}
