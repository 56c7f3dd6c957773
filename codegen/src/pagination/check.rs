//! The normalize side of pagination: a list operation's declaration, read from its
//! `x-pagination` or the settings, checked against its query parameters into the model's
//! [`PaginationModel`], with the names of its paginators decided once.

use std::path::Path;

use openapiv3::{Components, Parameter, ParameterSchemaOrContent, ReferenceOr};

use super::settings::{PaginationSettings, PagingStyle};
use crate::error::{Error, Result, Stage, escape_token};
use crate::model::{FieldPath, NextCursor, PaginationModel, PagingModel};
use crate::names;

/// The declaration of the operation `id`: its `x-pagination`, else the settings' entry (with
/// the file and pointer errors name).
pub(crate) fn declaration(
    id: &str,
    extensions: &indexmap::IndexMap<String, serde_json::Value>,
    at: &str,
    file: &Path,
    settings: &std::collections::BTreeMap<String, PaginationSettings>,
    settings_file: &Path,
) -> Result<Option<(PaginationSettings, (std::path::PathBuf, String))>> {
    if let Some(value) = extensions.get("x-pagination") {
        let pointer = format!("{at}/x-pagination");
        let declared = serde_path_to_error::deserialize(value).map_err(|e| {
            let inner = e.path().to_string();
            let pointer = if inner == "." {
                pointer.clone()
            } else {
                format!("{pointer}/{}", inner.replace('.', "/"))
            };
            Error::at(Stage::Normalize, file, pointer, e.into_inner().to_string())
        })?;
        return Ok(Some((declared, (file.to_owned(), pointer))));
    }
    Ok(settings.get(id).map(|declared| {
        let pointer = format!("/pagination/{}", escape_token(id));
        (declared.clone(), (settings_file.to_owned(), pointer))
    }))
}

/// Checks a declaration against the query parameters of the operation whose method is
/// `method`; its model, with the paginators' names (`<method>_pages`, `<method>_stream`).
pub(crate) fn resolve(
    declared: PaginationSettings,
    declared_in: (std::path::PathBuf, String),
    parameters: &[&Parameter],
    method: &str,
) -> Result<PaginationModel> {
    let err = |key: &str, message: String| {
        Error::at(
            Stage::Normalize,
            &declared_in.0,
            format!("{}/{key}", declared_in.1),
            message,
        )
    };
    let query = |key: &str, name: &Option<String>| -> Result<Option<&Parameter>> {
        let Some(name) = name else { return Ok(None) };
        parameters
            .iter()
            .find(|p| matches!(p, Parameter::Query { .. }) && p.parameter_data_ref().name == *name)
            .copied()
            .map(Some)
            .ok_or_else(|| {
                err(
                    key,
                    format!("the operation has no query parameter {name:?}"),
                )
            })
    };
    let required = |key: &str, value: &Option<String>| {
        value
            .clone()
            .ok_or_else(|| err(key, format!("the {:?} style needs `{key}`", declared.style)))
    };
    let rust = |p: &Parameter| names::snake(&p.parameter_data_ref().name);
    let size = query("size", &declared.size)?;
    let default_size = declared
        .default_size
        .or_else(|| size.and_then(|p| schema_number(p, "default")));
    let paging = match declared.style {
        PagingStyle::Cursor => {
            let param = query("cursor", &Some(required("cursor", &declared.cursor)?))?
                .map(rust)
                .unwrap_or_default();
            let next = match (&declared.next, &declared.next_from_last_item) {
                (Some(path), None) => NextCursor::Field(split(path)),
                (None, Some(field)) => {
                    if declared.items.is_none() {
                        return Err(err(
                            "next_from_last_item",
                            "`next_from_last_item` needs `items`".into(),
                        ));
                    }
                    NextCursor::LastItem(split(field))
                }
                _ => {
                    return Err(err(
                        "next",
                        "the cursor style needs one of `next` and `next_from_last_item`".into(),
                    ));
                }
            };
            PagingModel::Cursor { param, next }
        }
        PagingStyle::Page => {
            let page = query("page", &Some(required("page", &declared.page)?))?;
            let first = declared
                .first
                .or_else(|| page.and_then(|p| schema_number(p, "default")))
                .or_else(|| page.and_then(|p| schema_number(p, "minimum")))
                .unwrap_or(1);
            PagingModel::Page {
                param: page.map(rust).unwrap_or_default(),
                first,
                size: size.map(rust),
                default_size,
            }
        }
        PagingStyle::Offset => {
            let offset = query("offset", &Some(required("offset", &declared.offset)?))?;
            PagingModel::Offset {
                param: offset.map(rust).unwrap_or_default(),
                size: size.map(rust),
                default_size,
            }
        }
    };
    if declared.style != PagingStyle::Cursor && declared.items.is_none() {
        return Err(err(
            "items",
            "the page and offset styles need `items`: they count what a page holds".into(),
        ));
    }
    Ok(PaginationModel {
        declared_in,
        pages_method: format!("{method}_pages"),
        stream_method: declared.items.as_ref().map(|_| format!("{method}_stream")),
        paging,
        items: declared.items.as_deref().map(split),
        has_more: declared.has_more.as_deref().map(split),
        total: declared.total.as_deref().map(split),
        total_pages: declared.total_pages.as_deref().map(split),
    })
}

/// The operation's parameters (its path item's first), resolved.
pub(crate) fn parameters<'a>(
    item: &'a [ReferenceOr<Parameter>],
    op: &'a [ReferenceOr<Parameter>],
    components: &'a Components,
) -> Vec<&'a Parameter> {
    item.iter()
        .chain(op)
        .filter_map(|p| crate::openapi::resolve::parameter(p, components))
        .collect()
}

/// `a.b` → `["a", "b"]`; `""` → `[]` (the body itself).
fn split(path: &str) -> FieldPath {
    path.split('.')
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A whole, non-negative number the parameter's schema gives under `key` (`default`,
/// `minimum`).
fn schema_number(p: &Parameter, key: &str) -> Option<u64> {
    let ParameterSchemaOrContent::Schema(ReferenceOr::Item(schema)) =
        &p.parameter_data_ref().format
    else {
        return None;
    };
    match (key, &schema.schema_kind) {
        ("default", _) => {
            let value = schema.schema_data.default.as_ref()?;
            value.as_u64().or_else(|| {
                let f = value.as_f64()?;
                // A whole number written as a float (`default: 50.0`).
                {
                    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
                    let whole = f as u64;
                    (f >= 0.0 && f.fract() == 0.0 && f <= f64::from(u32::MAX)).then_some(whole)
                }
            })
        }
        ("minimum", openapiv3::SchemaKind::Type(openapiv3::Type::Integer(i))) => {
            u64::try_from(i.minimum?).ok()
        }
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use crate::Settings;
    use crate::test_support::{generate_err, generate_with_settings};

    const SPEC: &str = r#"
paths:
  /things:
    get:
      operationId: listThings
      parameters:
        - {name: page, in: query, schema: {type: integer, minimum: 0}}
        - {name: per_page, in: query, schema: {type: integer, default: 25}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  things: {type: array, items: {type: string}}
"#;

    fn settings(pagination: &str) -> Settings {
        let mut settings = Settings::for_package("snap-client");
        settings.pagination = serde_yaml::from_str(pagination).expect("pagination settings");
        settings
    }

    #[test]
    fn the_settings_declare_pagination_for_a_spec_that_does_not() {
        let files = generate_with_settings(
            SPEC,
            settings("listThings: {style: page, page: page, size: per_page, items: things}"),
        )
        .expect("generates");
        let code = &files.files[std::path::Path::new("src/generated.rs")];
        // The first page number is the parameter's minimum; the page size its default.
        assert!(code.contains("pub fn list_things_stream<'a>"), "{code}");
        assert!(code.contains("first: 0u64"), "no first page 0");
        assert!(code.contains(".or(Some(25u64))"), "no default size 25");
    }

    #[test]
    fn a_settings_entry_for_no_operation_is_refused_where_it_is() {
        let err = generate_with_settings(
            SPEC,
            settings("listThing: {style: page, page: page, items: things}"),
        )
        .expect_err("refused");
        assert_eq!(err.file, std::path::Path::new("test.settings.yaml"));
        assert_eq!(err.pointer.as_deref(), Some("/pagination/listThing"));
        assert!(err.message.contains("no operation \"listThing\""), "{err}");
    }

    #[test]
    fn each_style_names_what_it_needs() {
        for (declaration, key, fragment) in [
            ("{style: cursor, next: n}", "cursor", "needs `cursor`"),
            ("{style: page, items: things}", "page", "needs `page`"),
            ("{style: offset, items: things}", "offset", "needs `offset`"),
            ("{style: page, page: page}", "items", "need `items`"),
            (
                "{style: cursor, cursor: page, items: things}",
                "next",
                "one of `next` and `next_from_last_item`",
            ),
        ] {
            let spec = SPEC.replace(
                "operationId: listThings",
                &format!("operationId: listThings\n      x-pagination: {declaration}"),
            );
            let err = generate_err(&spec);
            assert_eq!(
                err.pointer.as_deref(),
                Some(format!("/paths/~1things/get/x-pagination/{key}").as_str()),
                "{declaration}: {err}"
            );
            assert!(err.message.contains(fragment), "{declaration}: {err}");
        }
    }
}
