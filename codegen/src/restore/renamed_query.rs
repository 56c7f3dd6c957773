//! Query parameters whose names give one Rust name (`status` and `status[]`): progenitor would
//! bind one argument twice.
//!
//! - normalize: the later ones get a distinct name for progenitor (`status_list`,
//!   `status_2`), inlined into the operation; the operation records (given name, real name).
//!   A `deepObject` parameter is never renamed ([`super::deep_object`] restores it by its
//!   real name): a clash on one is refused.
//! - post-process: progenitor's `QueryParam::new("<given>", ..)` sends the real name again.

use std::collections::BTreeSet;

use openapiv3::{Parameter, ReferenceOr};

use super::syntax::{call_of, str_lit};
use super::{Missing, OperationSlot, Restoration, RestoreResult};
use crate::error::Result;
use crate::model::OperationModel;
use crate::names;
use crate::openapi::resolve::parameter;

/// The restoration.
pub(crate) struct RenamedQuery;

impl Restoration for RenamedQuery {
    fn name(&self) -> &'static str {
        "renamed query parameter"
    }

    fn normalize(&self, op: &mut OperationSlot<'_>, model: &mut OperationModel) -> Result<()> {
        let components = &*op.components;
        let mut taken: BTreeSet<String> = op
            .item_parameters
            .iter()
            .filter_map(|p| parameter(p, components))
            .map(|p| names::snake(&p.parameter_data_ref().name))
            .collect();
        let mut renamed = Vec::new();
        for (i, p) in op.operation.parameters.iter_mut().enumerate() {
            let Some(resolved) = parameter(p, components) else {
                continue;
            };
            let real = resolved.parameter_data_ref().name.clone();
            if taken.insert(names::snake(&real)) {
                continue;
            }
            let Parameter::Query { .. } = resolved else {
                continue;
            };
            if super::deep_object::is_deep(resolved) {
                return Err(crate::error::Error::at(
                    crate::error::Stage::Normalize,
                    op.file,
                    format!("{}/parameters/{i}", op.at),
                    format!(
                        "the deepObject query parameter {real:?} has the Rust name of another parameter"
                    ),
                ));
            }
            let base = match real.strip_suffix("[]") {
                Some(stem) => format!("{}_list", names::snake(stem)),
                None => names::snake(&real),
            };
            let given = names::first_free(&base, "_", |n| !taken.contains(&names::snake(n)));
            taken.insert(names::snake(&given));
            let mut inline = resolved.clone();
            if let Parameter::Query { parameter_data, .. } = &mut inline {
                parameter_data.name = given.clone();
            }
            *p = ReferenceOr::Item(inline);
            renamed.push((given, real));
        }
        model.renamed_params = renamed;
        Ok(())
    }

    fn restore(&self, method: &mut syn::ImplItemFn, model: &OperationModel) -> RestoreResult {
        if model.renamed_params.is_empty() {
            return Ok(());
        }
        let mut restore = Restore {
            renamed: &model.renamed_params,
            found: 0,
        };
        syn::visit_mut::VisitMut::visit_block_mut(&mut restore, &mut method.block);
        if restore.found != model.renamed_params.len() {
            return Err(Missing(format!(
                "progenitor's request code does not send the renamed query parameters {:?}",
                model.renamed_params
            )));
        }
        Ok(())
    }
}

struct Restore<'a> {
    renamed: &'a [(String, String)],
    found: usize,
}

impl syn::visit_mut::VisitMut for Restore<'_> {
    fn visit_expr_mut(&mut self, expr: &mut syn::Expr) {
        syn::visit_mut::visit_expr_mut(self, expr);
        if let Some(call) = call_of(expr, &["QueryParam", "new"])
            && let Some(given) = call.args.first().and_then(str_lit)
            && let Some((_, real)) = self.renamed.iter().find(|(g, _)| *g == given)
        {
            call.args[0] = syn::parse_quote!(#real);
            self.found += 1;
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use super::*;
    use crate::test_support::{generate, generate_err, item, method, operation_model};

    const SPEC: &str = r#"
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: status, in: query, schema: {type: string}}
        - {name: "status[]", in: query, schema: {type: array, items: {type: string}}}
      responses:
        "200": {description: ok}
"#;

    #[test]
    fn clashing_query_names_go_out_as_the_spec_names_them() {
        expect![[r#"
            pub fn list_things<'a>(
                &'a self,
                status: Option<&'a str>,
                status_list: Option<&'a ::std::vec::Vec<::std::string::String>>,
            ) -> Result<::reqwest::Request, Error<()>> {
                let url = format!("{}/things", self.baseurl,);
                #[allow(unused_mut)]
                let mut request = self
                    .client
                    .get(url)
                    .query(&progenitor_client::QueryParam::new("status", &status))
                    .query(&progenitor_client::QueryParam::new("status[]", &status_list))
                    .headers(header_map)
                    .build()?;
            }
        "#]]
        .assert_eq(&item(&generate(SPEC), &["request", "list_things"]));
    }

    #[test]
    fn a_deep_object_parameter_is_never_renamed() {
        let spec = SPEC.replace(
            r#"{name: "status[]", in: query,"#,
            r#"{name: "status[]", in: query, style: deepObject,"#,
        );
        let e = generate_err(&spec);
        assert_eq!(
            e.pointer.as_deref(),
            Some("/paths/~1things/get/parameters/1")
        );
        assert!(e.message.contains("deepObject"), "{e}");
    }

    #[test]
    fn progenitor_code_without_the_parameter_fails_generation() {
        let mut model = operation_model();
        model.renamed_params = vec![("status_list".into(), "status[]".into())];
        let mut f = method(quote::quote!({
            let request = self.client.get(url).build()?;
        }));
        assert!(RenamedQuery.restore(&mut f, &model).is_err());
    }
}
