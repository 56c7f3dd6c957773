//! `deepObject` query parameters (`filter[status]=open&filter[limit]=5`).
//!
//! - normalize: progenitor takes only `form`: a `deepObject` parameter becomes `form`
//!   (exploded), marked `x-finapi-deep-object` so that the path's other operations and
//!   the component's other users still know it; the operation records the names of its
//!   parameters so marked.
//! - post-process: progenitor's `QueryParam::new("name", ..)` for each becomes
//!   `finapi_runtime::DeepObject::new("name", ..)`.

use std::collections::BTreeSet;

use openapiv3::{Components, OpenAPI, Parameter, QueryStyle, ReferenceOr};
use serde_json::Value;

use super::syntax::{call_of, str_lit};
use super::{Missing, OperationSlot, Restoration, RestoreResult};
use crate::error::Result;
use crate::model::OperationModel;

/// Marks a parameter given to progenitor as `form` that the spec says is `deepObject`.
pub(crate) const MARK: &str = "x-finapi-deep-object";

/// The restoration.
pub(crate) struct DeepObject;

impl Restoration for DeepObject {
    fn name(&self) -> &'static str {
        "deepObject query parameter"
    }

    /// Component parameters in the `deepObject` style become `form`, marked.
    fn prepare(&self, _spec: &mut OpenAPI, components: &mut Components) {
        for p in components.parameters.values_mut() {
            if let ReferenceOr::Item(p) = p {
                undeep(p);
            }
        }
    }

    fn normalize(&self, op: &mut OperationSlot<'_>, model: &mut OperationModel) -> Result<()> {
        let components = &*op.components;
        let mut names = Vec::new();
        // The operation's own parameters first, then its path item's.
        for p in op
            .operation
            .parameters
            .iter_mut()
            .chain(op.item_parameters.iter_mut())
        {
            if let ReferenceOr::Item(p) = p {
                undeep(p);
            }
            if let Some(p) = crate::openapi::resolve::parameter(p, components)
                && is_deep(p)
            {
                names.push(p.parameter_data_ref().name.clone());
            }
        }
        model.deep_object_params = names;
        Ok(())
    }

    fn restore(&self, method: &mut syn::ImplItemFn, model: &OperationModel) -> RestoreResult {
        if model.deep_object_params.is_empty() {
            return Ok(());
        }
        let mut restore = Restore {
            deep: model.deep_object_params.iter().cloned().collect(),
            found: BTreeSet::new(),
        };
        syn::visit_mut::VisitMut::visit_block_mut(&mut restore, &mut method.block);
        match restore.deep.difference(&restore.found).next() {
            Some(missing) => Err(Missing(format!(
                "progenitor's request code does not serialize the deepObject query parameter {missing:?}"
            ))),
            None => Ok(()),
        }
    }
}

/// Whether a parameter is one the spec gives in the `deepObject` style (now `form`, marked).
pub(crate) fn is_deep(p: &Parameter) -> bool {
    matches!(
        p,
        Parameter::Query {
            style: QueryStyle::DeepObject,
            ..
        }
    ) || p.parameter_data_ref().extensions.get(MARK) == Some(&Value::Bool(true))
}

/// A `deepObject` query parameter becomes `form` (exploded), marked.
fn undeep(p: &mut Parameter) {
    if let Parameter::Query {
        parameter_data,
        style: style @ QueryStyle::DeepObject,
        ..
    } = p
    {
        *style = QueryStyle::Form;
        parameter_data.explode = Some(true);
        parameter_data
            .extensions
            .insert(MARK.to_owned(), Value::Bool(true));
    }
}

struct Restore {
    deep: BTreeSet<String>,
    found: BTreeSet<String>,
}

impl syn::visit_mut::VisitMut for Restore {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Some(call) = call_of(expr, &["QueryParam", "new"])
            && let Some(name) = call.args.first().and_then(str_lit)
            && self.deep.contains(&name)
        {
            self.found.insert(name);
            call.func = syn::parse_quote!(::finapi_runtime::DeepObject::new);
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::test_support::{generate, item, method, operation_model};

    const SPEC: &str = r#"
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: filter, in: query, style: deepObject, explode: true, schema: {type: object, properties: {status: {type: string}}}}
        - {name: limit, in: query, schema: {type: integer}}
      responses:
        "200": {description: ok}
"#;

    #[test]
    fn deep_object_parameters_are_serialized_by_the_runtime() {
        expect![[r#"
            pub fn list_things<'a>(
                &'a self,
                filter: Option<&'a types::ListThingsFilter>,
                limit: Option<i64>,
            ) -> Result<::reqwest::Request, Error<()>> {
                let url = format!("{}/things", self.baseurl,);
                #[allow(unused_mut)]
                let mut request = self
                    .client
                    .get(url)
                    .query(&::finapi_runtime::DeepObject::new("filter", &filter))
                    .query(&progenitor_client::QueryParam::new("limit", &limit))
                    .headers(header_map)
                    .build()?;
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["request", "list_things"]));
    }

    #[test]
    fn progenitor_code_without_the_parameter_fails_generation() {
        let mut model = operation_model();
        model.deep_object_params = vec!["filter".into()];
        let mut f = method(quote::quote!({
            let request = self.client.get(url).build()?;
        }));
        let Err(Missing(message)) = DeepObject.restore(&mut f, &model) else {
            panic!("restored what is not there")
        };
        assert!(message.contains("\"filter\""), "{message}");
    }
}
