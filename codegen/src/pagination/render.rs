//! The post-process side of pagination: the paginators of a list operation whose spec or
//! settings declare it, `<op>_pages`, every page as a `finapi_runtime::Paginated` stream of
//! responses, and, where pages hold a list of items, `<op>_stream`, every item. Both take the
//! operation's own arguments; the paging argument is where the stream starts. The walking
//! itself is the runtime's (`finapi_runtime::pagination`); what is generated here is how to
//! ask for a page and what a page says of the next, read through the generated types
//! (`access.rs`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Signature, Type};

use crate::error::At;
use crate::error::Result;
use crate::model::{
    FieldPath, NextCursor, OperationModel, PaginationModel, PagingModel, SuccessBody,
};
use crate::syntax::access::{Hold, Leaf, Walk, leaf, list_element, qualify, walk};
use crate::syntax::args::Args;
use crate::syntax::type_index::{TypeIndex, Types, segment};

/// The paginators of `op` (nothing where it declares no pagination).
pub(crate) fn paginators(
    op: &OperationModel,
    sig: &Signature,
    types: &Types<'_>,
    index: &TypeIndex,
) -> Result<TokenStream> {
    let Some(p) = &op.pagination else {
        return Ok(TokenStream::new());
    };
    let at = At::new(&p.declared_in.0, &p.declared_in.1);
    let SuccessBody::Json(body) = &op.success else {
        return Err(at.error("a paginated operation needs one JSON body on every success status"));
    };
    let body: Type = syn::parse2(types.body(body)?)
        .map_err(|e| at.error(format!("the response type does not parse: {e}")))?;
    let args = Args::of(sig, at)?;
    let page = Page {
        index,
        body: &body,
        model: p,
        at,
    };
    let info = page.info()?;
    let name = &sig.ident;
    let id = &op.id;
    let (paging, first_cursor, call) = page.request(&args, name, id)?;

    let (pages_name, stream_name) = (&p.pages_method, &p.stream_method);
    let pages_name = format_ident!("{pages_name}");
    let error_enum = format_ident!("{}", op.error_enum());
    let params = &args.params;
    let names = &args.names;
    let pages_doc = format!(
        " Every page of [`Self::{name}`], from the one the arguments ask for to the last, one \
         request at a time ({}). The stream holds one page at a time, ends after the first \
         error (the call's own), and never asks for a page twice.",
        describe(&p.paging)
    );
    let pages = quote! {
        #[doc = #pages_doc]
        // Invariant (pay per call): built where it is called.
        #[inline]
        pub fn #pages_name<'a>(
            &'a self,
            #(#params),*
        ) -> ::finapi_runtime::Paginated<'a, ::finapi_runtime::Response<#body>, #error_enum> {
            let paging = #paging;
            let first_cursor = #first_cursor;
            ::finapi_runtime::pagination::pages(
                #id,
                paging,
                first_cursor.as_deref(),
                move |at: ::finapi_runtime::pagination::At| {
                    #(let #names = ::std::clone::Clone::clone(&#names);)*
                    async move { #call }
                },
                |page: &#body| #info,
            )
        }
    };
    let Some(stream_name) = stream_name else {
        return Ok(pages);
    };
    let (item, take) = page.items()?;
    let stream_name = format_ident!("{stream_name}");
    let stream_doc = format!(
        " Every item of every page of [`Self::{name}`] (see [`Self::{pages_name}`]), in order."
    );
    Ok(quote! {
        #pages

        #[doc = #stream_doc]
        #[inline]
        pub fn #stream_name<'a>(
            &'a self,
            #(#params),*
        ) -> ::finapi_runtime::Paginated<'a, #item, #error_enum> {
            ::finapi_runtime::pagination::items(
                self.#pages_name(#(#names),*),
                |page: #body| -> ::std::vec::Vec<#item> { #take },
            )
        }
    })
}

/// What a page of one operation holds.
struct Page<'a> {
    index: &'a TypeIndex<'a>,
    body: &'a Type,
    model: &'a PaginationModel,
    at: At<'a>,
}

impl Page<'_> {
    /// Statements reading `path` from the page (bound to `v`), and its type.
    fn walk(&self, path: &FieldPath, hold: Hold) -> Result<Walk> {
        walk(self.index, self.body, path, hold, self.at)
    }

    /// The closure body that reads a page's `PageInfo`.
    fn info(&self) -> Result<TokenStream> {
        let body = self.body;
        // Each read is a small fn over the page, whose `?`s stop at a missing optional field.
        let read =
            |name: &str, path: &Option<FieldPath>, what: &str, want: &[Leaf], out: TokenStream| {
                let Some(path) = path else {
                    return Ok((TokenStream::new(), quote!(None)));
                };
                let Walk { steps, ty } = self.walk(path, Hold::Borrow)?;
                let kind = leaf(self.index, &ty);
                if !want.contains(&kind) {
                    return Err(self.at.error(format!("`{}` is not {what}", path.join("."))));
                }
                let value = convert(&kind);
                let f = format_ident!("{name}");
                Ok((
                    quote!(fn #f(v: &#body) -> ::std::option::Option<#out> { #(#steps)* #value }),
                    quote!(#f(page)),
                ))
            };
        let (has_more_fn, has_more) = read(
            "has_more",
            &self.model.has_more,
            "a boolean",
            &[Leaf::Bool],
            quote!(bool),
        )?;
        let (total_fn, total) = read(
            "total",
            &self.model.total,
            "a number",
            &[Leaf::Number],
            quote!(u64),
        )?;
        let (pages_fn, total_pages) = read(
            "total_pages",
            &self.model.total_pages,
            "a number",
            &[Leaf::Number],
            quote!(u64),
        )?;
        let (items_fn, items) = match &self.model.items {
            None => (TokenStream::new(), quote!(None)),
            Some(path) => {
                let (steps, _, into_list) = self.list(path, Hold::Borrow)?;
                (
                    quote!(fn items(v: &#body) -> ::std::option::Option<usize> {
                        #(#steps)*
                        Some(v #into_list .len())
                    }),
                    quote!(Some(items(page).unwrap_or(0))),
                )
            }
        };
        let cursor_kinds = [Leaf::Text, Leaf::Number, Leaf::Display];
        let (next_fn, next) = match &self.model.paging {
            PagingModel::Cursor {
                next: NextCursor::Field(path),
                ..
            } => read(
                "next",
                &Some(path.clone()),
                "a cursor",
                &cursor_kinds,
                quote!(::std::string::String),
            )?,
            PagingModel::Cursor {
                next: NextCursor::LastItem(field),
                ..
            } => {
                let items = self
                    .model
                    .items
                    .as_ref()
                    .ok_or_else(|| self.at.error("`next_from_last_item` needs `items`"))?;
                let (steps, element, into_list) = self.list(items, Hold::Borrow)?;
                let Walk {
                    steps: item_steps,
                    ty,
                } = walk(self.index, &element, field, Hold::Borrow, self.at)?;
                let kind = leaf(self.index, &ty);
                if !cursor_kinds.contains(&kind) {
                    return Err(self
                        .at
                        .error(format!("`{}` is not a cursor", field.join("."))));
                }
                let value = convert(&kind);
                (
                    quote!(fn next(v: &#body) -> ::std::option::Option<::std::string::String> {
                        #(#steps)*
                        let v = v #into_list .last()?;
                        #(#item_steps)*
                        #value
                    }),
                    quote!(next(page)),
                )
            }
            _ => (TokenStream::new(), quote!(None)),
        };
        Ok(quote! {{
            #next_fn
            #has_more_fn
            #items_fn
            #total_fn
            #pages_fn
            ::finapi_runtime::pagination::PageInfo {
                next: #next,
                has_more: #has_more,
                items: #items,
                total: #total,
                total_pages: #total_pages,
            }
        }})
    }

    /// Steps to the list at `path`, its element type, and what turns the value into the
    /// list (`.0` for a newtype around one).
    fn list(&self, path: &FieldPath, hold: Hold) -> Result<(Vec<TokenStream>, Type, TokenStream)> {
        let Walk { steps, ty } = self.walk(path, hold)?;
        let (element, into) = list_element(self.index, &ty)
            .ok_or_else(|| self.at.error(format!("`{}` is not a list", path.join("."))))?;
        Ok((steps, element, into.unwrap_or_default()))
    }

    /// The item type (as the client names it) and the closure body that takes a page's
    /// items out.
    fn items(&self) -> Result<(Type, TokenStream)> {
        let Some(path) = &self.model.items else {
            return Err(self.at.error("no `items`"));
        };
        let (steps, element, into_list) = self.list(path, Hold::Own)?;
        let item = qualify(self.index, &element);
        let body = self.body;
        Ok((
            item.clone(),
            quote! {
                fn take(v: #body) -> ::std::option::Option<::std::vec::Vec<#item>> {
                    #(#steps)*
                    Some(v #into_list)
                }
                take(page).unwrap_or_default()
            },
        ))
    }

    /// The first request's `Paging`, the caller's cursor (as `Option<String>`), and the call
    /// of the operation with the paging argument taken from `at` after the first page.
    fn request(
        &self,
        args: &Args,
        method: &syn::Ident,
        id: &str,
    ) -> Result<(TokenStream, TokenStream, TokenStream)> {
        let count = |name: &Option<String>| -> Result<TokenStream> {
            let Some(name) = name else {
                return Ok(quote!(None));
            };
            let ident = format_ident!("{name}");
            Ok(if optional(args.ty(name)?).is_some() {
                quote!(::finapi_runtime::pagination::count(#ident.as_ref()))
            } else {
                quote!(::finapi_runtime::pagination::count(Some(&#ident)))
            })
        };
        let literal = |n: &Option<u64>| match n {
            Some(n) => quote!(Some(#n)),
            None => quote!(None),
        };
        let (paging, first_cursor, param, prelude, value) = match &self.model.paging {
            PagingModel::Cursor { param, .. } => {
                let ident = format_ident!("{param}");
                let ty = args.ty(param)?;
                let (first, prelude, value) = cursor_argument(&ident, ty, id);
                (
                    quote!(::finapi_runtime::pagination::Paging::Cursor),
                    first,
                    param,
                    quote!(#prelude),
                    value,
                )
            }
            PagingModel::Page {
                param,
                first,
                size,
                default_size,
            } => {
                let start = count(&Some(param.clone()))?;
                let size = count(size)?;
                let default_size = literal(default_size);
                (
                    quote!(::finapi_runtime::pagination::Paging::Page {
                        page: #start.unwrap_or(#first),
                        first: #first,
                        size: #size.or(#default_size),
                    }),
                    quote!(::std::option::Option::<::std::string::String>::None),
                    param,
                    TokenStream::new(),
                    number_argument(param, args.ty(param)?, quote!(at.page())),
                )
            }
            PagingModel::Offset {
                param,
                size,
                default_size,
            } => {
                let start = count(&Some(param.clone()))?;
                let size = count(size)?;
                let default_size = literal(default_size);
                (
                    quote!(::finapi_runtime::pagination::Paging::Offset {
                        offset: #start.unwrap_or(0),
                        limit: #size.or(#default_size),
                    }),
                    quote!(::std::option::Option::<::std::string::String>::None),
                    param,
                    TokenStream::new(),
                    number_argument(param, args.ty(param)?, quote!(at.offset())),
                )
            }
        };
        let call_args = args.names.iter().map(|n| {
            if n == param.as_str() {
                value.clone()
            } else {
                quote!(#n)
            }
        });
        Ok((
            paging,
            first_cursor,
            quote!(#prelude self.#method(#(#call_args),*).await),
        ))
    }
}

/// How to read a leaf value (bound to `v`) into an `Option` of what `PageInfo` holds.
fn convert(kind: &Leaf) -> TokenStream {
    match kind {
        Leaf::Text => quote!(Some(v.as_str().to_owned())),
        Leaf::Number => quote!(::finapi_runtime::pagination::Number::to_u64(v)),
        Leaf::Bool => quote!(Some(*v)),
        Leaf::Display => quote!(Some(v.to_string())),
    }
}

/// `T` where `ty` is `Option<T>`.
fn optional(ty: &Type) -> Option<&Type> {
    match segment(ty) {
        Some((name, args)) if name == "Option" => args.first().copied(),
        _ => None,
    }
}

/// The caller's cursor as an `Option<String>`, statements to run before the call, and the
/// cursor argument of a later request: `at`'s cursor, else the caller's. A cursor argument
/// that is not a string is parsed from the page's cursor (by the statements).
fn cursor_argument(
    ident: &syn::Ident,
    ty: &Type,
    id: &str,
) -> (TokenStream, TokenStream, TokenStream) {
    let (inner, is_optional) = match optional(ty) {
        Some(inner) => (inner, true),
        None => (ty, false),
    };
    let first = if is_optional {
        quote!(#ident.map(|c| ::std::string::ToString::to_string(&c)))
    } else {
        quote!(Some(::std::string::ToString::to_string(&#ident)))
    };
    let is_str = matches!(inner, Type::Reference(r) if matches!(&*r.elem, Type::Path(p) if p.path.is_ident("str")));
    let value = match (is_str, is_optional) {
        (true, true) => quote!(at.cursor().or(#ident)),
        (true, false) => quote!(at.cursor().unwrap_or(#ident)),
        (false, _) => {
            // A typed cursor (a UUID, say): the page's cursor parsed back.
            let (target, by_ref) = match inner {
                Type::Reference(r) => ((*r.elem).clone(), true),
                other => (other.clone(), false),
            };
            let parsed = quote!(parsed);
            let pick = match (by_ref, is_optional) {
                (true, true) => quote!(#parsed.as_ref().or(#ident)),
                (true, false) => quote!(#parsed.as_ref().unwrap_or(#ident)),
                (false, true) => quote!(#parsed.or(#ident)),
                (false, false) => quote!(#parsed.unwrap_or(#ident)),
            };
            return (
                first,
                quote! {
                    let #parsed: ::std::option::Option<#target> = match at
                        .cursor()
                        .map(::std::str::FromStr::from_str)
                        .transpose()
                    {
                        Ok(parsed) => parsed,
                        Err(_) => {
                            return Err(::finapi_runtime::Error::Pagination {
                                operation: #id,
                                message: "a page's cursor is not a value the cursor parameter takes",
                            });
                        }
                    };
                },
                pick,
            );
        }
    };
    (first, TokenStream::new(), value)
}

/// A page or offset argument of a later request: `at`'s, else the caller's.
fn number_argument(name: &str, ty: &Type, at: TokenStream) -> TokenStream {
    let ident = format_ident!("{name}");
    if optional(ty).is_some() {
        quote!(#at.or(#ident))
    } else {
        quote!(#at.unwrap_or(#ident))
    }
}

/// How the pages follow each other, for the docs.
pub(crate) fn describe(paging: &PagingModel) -> String {
    match paging {
        PagingModel::Cursor { param, next } => match next {
            NextCursor::Field(path) => format!(
                "`{param}` takes the cursor each page gives in `{}`",
                path.join(".")
            ),
            NextCursor::LastItem(field) => format!(
                "`{param}` takes the `{}` of each page's last item",
                field.join(".")
            ),
        },
        PagingModel::Page { param, .. } => format!("`{param}` counts up from the first page"),
        PagingModel::Offset { param, .. } => {
            format!("`{param}` grows by the number of items each page holds")
        }
    }
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::test_support::{generate, generate_err, item};

    const SPEC: &str = r#"
paths:
  /links/{id}/transactions:
    get:
      operationId: getTransactions
      x-pagination: {style: page, page: page, size: size, items: transactions, total: total}
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: page, in: query, schema: {type: integer, minimum: 1, default: 1}}
        - {name: size, in: query, schema: {type: integer, minimum: 1, maximum: 1000, default: 50}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                required: [total, transactions]
                properties:
                  total: {type: integer}
                  transactions:
                    type: array
                    items:
                      type: object
                      required: [amount]
                      properties:
                        amount: {type: string}
"#;

    #[test]
    fn a_page_numbered_operation_gets_pages_and_a_stream_of_items() {
        let files = generate(SPEC);
        expect![[r#"
            /// Every page of [`Self::get_transactions`], from the one the arguments ask for to the last, one request at a time (`page` counts up from the first page). The stream holds one page at a time, ends after the first error (the call's own), and never asks for a page twice.
            #[inline]
            pub fn get_transactions_pages<'a>(
                &'a self,
                id: &'a str,
                page: Option<::std::num::NonZeroU64>,
                size: Option<::std::num::NonZeroU64>,
            ) -> ::finapi_runtime::Paginated<
                'a,
                ::finapi_runtime::Response<types::GetTransactionsResponse>,
                GetTransactionsError,
            > {
                let paging = ::finapi_runtime::pagination::Paging::Page {
                    page: ::finapi_runtime::pagination::count(page.as_ref()).unwrap_or(1u64),
                    first: 1u64,
                    size: ::finapi_runtime::pagination::count(size.as_ref()).or(Some(50u64)),
                };
                let first_cursor = ::std::option::Option::<::std::string::String>::None;
                ::finapi_runtime::pagination::pages(
                    "getTransactions",
                    paging,
                    first_cursor.as_deref(),
                    move |at: ::finapi_runtime::pagination::At| {
                        let id = ::std::clone::Clone::clone(&id);
                        let page = ::std::clone::Clone::clone(&page);
                        let size = ::std::clone::Clone::clone(&size);
                        async move { self.get_transactions(id, at.page().or(page), size).await }
                    },
                    |page: &types::GetTransactionsResponse| {
                        fn items(
                            v: &types::GetTransactionsResponse,
                        ) -> ::std::option::Option<usize> {
                            let v = &v.transactions;
                            Some(v.len())
                        }
                        fn total(v: &types::GetTransactionsResponse) -> ::std::option::Option<u64> {
                            let v = &v.total;
                            ::finapi_runtime::pagination::Number::to_u64(v)
                        }
                        ::finapi_runtime::pagination::PageInfo {
                            next: None,
                            has_more: None,
                            items: Some(items(page).unwrap_or(0)),
                            total: total(page),
                            total_pages: None,
                        }
                    },
                )
            }
        "#]]
        .assert_eq(&item(&files, &["Client", "get_transactions_pages"]));
        expect![[r#"
            /// Every item of every page of [`Self::get_transactions`] (see [`Self::get_transactions_pages`]), in order.
            #[inline]
            pub fn get_transactions_stream<'a>(
                &'a self,
                id: &'a str,
                page: Option<::std::num::NonZeroU64>,
                size: Option<::std::num::NonZeroU64>,
            ) -> ::finapi_runtime::Paginated<
                'a,
                types::GetTransactionsResponseTransactionsItem,
                GetTransactionsError,
            > {
                ::finapi_runtime::pagination::items(
                    self.get_transactions_pages(id, page, size),
                    |
                        page: types::GetTransactionsResponse,
                    | -> ::std::vec::Vec<types::GetTransactionsResponseTransactionsItem> {
                        fn take(
                            v: types::GetTransactionsResponse,
                        ) -> ::std::option::Option<
                            ::std::vec::Vec<types::GetTransactionsResponseTransactionsItem>,
                        > {
                            let v = v.transactions;
                            Some(v)
                        }
                        take(page).unwrap_or_default()
                    },
                )
            }
        "#]]
        .assert_eq(&item(&files, &["Client", "get_transactions_stream"]));
    }

    #[test]
    fn a_field_the_types_lack_or_a_wrong_kind_is_refused_at_the_declaration() {
        for (declaration, fragment) in [
            ("items: entries", "no field \"entries\""),
            ("items: total", "`total` is not a list"),
            (
                "items: transactions, has_more: total",
                "`total` is not a boolean",
            ),
        ] {
            let spec = SPEC.replace(
                "{style: page, page: page, size: size, items: transactions, total: total}",
                &format!("{{style: page, page: page, {declaration}}}"),
            );
            let err = generate_err(&spec);
            assert_eq!(
                err.pointer.as_deref(),
                Some("/paths/~1links~1{id}~1transactions/get/x-pagination"),
                "{declaration}: {err}"
            );
            assert!(err.message.contains(fragment), "{declaration}: {err}");
        }
    }
}
