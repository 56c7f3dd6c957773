//! typify's types: a `null` list or map decodes as empty.

use syn::Item;

/// The runtime's decoder of a `null` list or map as empty, as `deserialize_with` names it.
pub(super) const NULL_AS_EMPTY: &str = "::finapi_runtime::de::null_as_empty";

/// The field types that may hold a list or a map, and whose `null` decodes as empty.
pub(super) const EMPTY_ON_NULL: [&str; 5] = ["Vec", "HashMap", "BTreeMap", "Map", "IndexMap"];

/// A `null` where the spec has an array or a map decodes as empty (providers written in Go
/// send `null` for an empty list): every such field of the generated types decodes through
/// `finapi_runtime::de::null_as_empty`. Optional fields are `Option`s, which take `null`
/// already; a `null` for a required scalar stays an error.
// Invariant (decoding is tolerant, and strict where it matters): null lists and maps only.
pub(super) fn tolerate_nulls(items: &mut [Item]) {
    let is_collection = |ty: &syn::Type| {
        // typify names them by their full path (`::std::vec::Vec`): a bare `Vec` would be a
        // schema of the spec's own.
        matches!(ty, syn::Type::Path(p)
            if p.qself.is_none()
                && p.path.leading_colon.is_some()
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
                    #[serde(deserialize_with = #NULL_AS_EMPTY)]
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, item};

    const SPEC: &str = r#"
paths: {}
components:
  schemas:
    Link:
      type: object
      required: [tags]
      properties:
        tags: {type: array, items: {type: string}}
        labels: {type: object, additionalProperties: {type: string}}
        note: {type: string}
"#;

    #[test]
    fn lists_and_maps_take_null_as_empty() {
        expect![[r#"
            ///`Link`
            #[derive(Clone, Debug, PartialEq)]
            pub struct Link {
                /// The `labels` field.
                pub labels: ::std::collections::HashMap<
                    ::std::string::String,
                    ::std::string::String,
                >,
                /// The `note` field.
                pub note: ::std::option::Option<::std::string::String>,
                /// The `tags` field.
                pub tags: ::std::vec::Vec<::std::string::String>,
            }
            ::finapi_runtime::deserialize_struct!(
                Link, "struct Link with 3 elements", false, { 0 labels : ::std::collections::HashMap
                < ::std::string::String, ::std::string::String > = "labels" value_null_as_empty
                or_default(::std::option::Option::Some(::std::default::Default::default)), 1 note :
                ::std::option::Option < ::std::string::String > = "note" value
                absent(::std::option::Option::None), 2 tags : ::std::vec::Vec < ::std::string::String
                > = "tags" value_null_as_empty required(::std::option::Option::None) }
            );
            ::finapi_runtime::serialize_struct!(
                Link, { 0 labels = "labels" skip_if(::std::collections::HashMap::is_empty), 1 note =
                "note" skip_if(::std::option::Option::is_none), 2 tags = "tags" }
            );
        "#]]
        .assert_eq(&item(&generate(SPEC), &["types", "Link"]));
    }
}
