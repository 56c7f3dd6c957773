//! The post-process side of waiters: a `wait_for_<name>` method per declared waiter, which
//! returns a `finapi_runtime::waiter::Waiter` over the operation it polls. The polling is the
//! runtime's; what is generated here is one poll (a call bounded by the time the wait has
//! left, or a walk of a list's items to the one the caller names) and how the state is read
//! through the generated types (`syntax::access`).

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use syn::{Signature, Type};

use crate::error::{At, Result};
use crate::model::{FindModel, Model, OperationModel, SuccessBody, WaiterModel};
use crate::runtime_bounds::{WAITER_MAX_DELAY, WAITER_MAX_WAIT, WAITER_MIN_DELAY, prose};
use crate::syntax::access::{Hold, Leaf, leaf, list_element, qualify, walk};
use crate::syntax::args::Args;
use crate::syntax::type_index::{TypeIndex, Types, generated_name};
use crate::syntax::{code_list, option_inner};

/// Every waiter's method, each gated as its operation is (`cfg_of`: the operation's `cfg`;
/// nothing where there are no waiters).
pub(crate) fn waiters(
    model: &Model,
    cfg_of: impl Fn(&OperationModel) -> Option<TokenStream>,
    signatures: &BTreeMap<String, Signature>,
    types: &BTreeSet<String>,
    index: &TypeIndex,
    file: &Path,
) -> Result<TokenStream> {
    if model.waiters.is_empty() {
        return Ok(TokenStream::new());
    }
    let mut out = vec![quote! {
        impl Client {
            /// This client with its calls bounded by `left` as well: a waiter's poll.
            fn waiter_poll_client(&self, left: ::std::time::Duration) -> Client {
                Client {
                    raw: raw::Client::new_with_client(
                        &self.raw.baseurl,
                        self.raw.client.clone(),
                        self.raw.inner.within(left),
                    ),
                }
            }
        }
    }];
    for w in &model.waiters {
        let at = At::new(&w.declared_in.0, &w.declared_in.1);
        let Some(op) = model.operations.iter().find(|op| op.id == w.operation) else {
            return Err(at.error(format!("the spec has no operation {:?}", w.operation)));
        };
        let sig = signatures
            .get(&op.fn_name)
            .ok_or_else(|| at.error(format!("progenitor generated no method `{}`", op.fn_name)))?;
        let cfg = cfg_of(op);
        let method = waiter(w, op, sig, &Types::new(types, file, &op.pointer), index, at)?;
        out.push(quote! {
            #cfg
            #[allow(clippy::too_many_arguments, clippy::needless_lifetimes)]
            impl Client {
                #method
            }
        });
    }
    Ok(quote!(#(#out)*))
}

/// One waiter's method.
fn waiter(
    w: &WaiterModel,
    op: &OperationModel,
    sig: &Signature,
    types: &Types<'_>,
    index: &TypeIndex,
    at: At<'_>,
) -> Result<TokenStream> {
    let SuccessBody::Json(body) = &op.success else {
        return Err(at.error("the operation has no JSON body on every success status"));
    };
    let body: Type = syn::parse2(types.body(body)?)
        .map_err(|e| at.error(format!("the response type does not parse: {e}")))?;
    // The waiter's arguments: the operation's required ones; the optional ones are `None`.
    let args = Args::of(sig, at)?;
    let mut params = Vec::new();
    let mut clones = Vec::new();
    let mut call_args = Vec::new();
    for ((name, ty), param) in args.names.iter().zip(&args.types).zip(&args.params) {
        if option_inner(ty).is_some() {
            call_args.push(quote!(None));
        } else {
            params.push(param.clone());
            clones.push(quote!(let #name = ::std::clone::Clone::clone(&#name);));
            call_args.push(quote!(#name));
        }
    }
    let error_enum = format_ident!("{}", op.error_enum());
    let fn_name = format_ident!("{}", op.fn_name);
    let (resource, poll) = match &w.find {
        None => (
            body.clone(),
            quote! {
                client.#fn_name(#(#call_args),*).await.map(|r| Some(r.into_inner()))
            },
        ),
        Some(find) => find_poll(
            find,
            op,
            &body,
            &call_args,
            &mut params,
            &mut clones,
            index,
            at,
        )?,
    };
    let state_walk = walk(index, &resource, &w.state, Hold::Borrow, at)?;
    if !is_state(index, &state_walk.ty) {
        return Err(at.error(format!(
            "`{}` is not text or an enum: it cannot be a state",
            w.state.join(".")
        )));
    }
    let state_steps = &state_walk.steps;
    let name = &w.name;
    let method = format_ident!("{}", w.method);
    let success = &w.success;
    let failure = &w.failure;
    let mut doc = String::new();
    if let Some(d) = &w.description {
        doc.push_str(d.trim());
        doc.push_str("\n\n");
    }
    let source = match &w.find {
        None => format!("[`Self::{}`]", op.fn_name),
        Some(f) => format!(
            "[`Self::{}`] for the item whose `{}` is `{}`",
            f.stream_method, f.key, f.argument
        ),
    };
    doc.push_str(&format!(
        "Polls {source} until its `{}` is {} (the wait returns the resource) or {} \
         ([`WaitError::Failed`](::finapi_runtime::waiter::WaitError::Failed), naming the \
         state). `.max_wait(..)` bounds the wait (default {}; then \
         [`WaitError::TimedOut`](::finapi_runtime::waiter::WaitError::TimedOut)); polls back \
         off from {} to {} with jitter, honour `Retry-After`, and each is a call bounded by \
         the time the wait has left. `.await` it.",
        w.state.join("."),
        code_list(success),
        code_list(failure),
        prose(WAITER_MAX_WAIT),
        prose(WAITER_MIN_DELAY),
        prose(WAITER_MAX_DELAY),
    ));
    let docs = crate::syntax::doc(&doc);
    Ok(quote! {
        #docs
        // Invariant (pay per call): built where it is called.
        #[inline]
        pub fn #method<'a>(
            &'a self,
            #(#params),*
        ) -> ::finapi_runtime::waiter::Waiter<'a, #resource, #error_enum> {
            static SPEC: ::finapi_runtime::waiter::WaiterSpec = ::finapi_runtime::waiter::WaiterSpec {
                name: #name,
                success: &[#(#success),*],
                failure: &[#(#failure),*],
            };
            fn state(v: &#resource) -> ::std::option::Option<&str> {
                #(#state_steps)*
                Some(v.as_str())
            }
            ::finapi_runtime::waiter::Waiter::new(
                &SPEC,
                move |left: ::std::time::Duration| {
                    let client = self.waiter_poll_client(left);
                    #(#clones)*
                    ::std::boxed::Box::pin(async move { #poll })
                },
                state,
            )
        }
    })
}

/// A poll that walks a list operation's items to the one whose key the caller gives: the
/// item type and the poll's body; the key's argument added to the waiter's.
#[allow(clippy::too_many_arguments)]
fn find_poll(
    find: &FindModel,
    op: &OperationModel,
    body: &Type,
    call_args: &[TokenStream],
    params: &mut Vec<TokenStream>,
    clones: &mut Vec<TokenStream>,
    index: &TypeIndex,
    at: At<'_>,
) -> Result<(Type, TokenStream)> {
    let items = op
        .pagination
        .as_ref()
        .and_then(|p| p.items.clone())
        .ok_or_else(|| at.error("the operation's pages hold no items"))?;
    let list = walk(index, body, &items, Hold::Borrow, at)?;
    let (element, _) = list_element(index, &list.ty)
        .ok_or_else(|| at.error("the operation's items are not a list"))?;
    let item = qualify(index, &element);
    let key = walk(
        index,
        &item,
        std::slice::from_ref(&find.key),
        Hold::Borrow,
        at,
    )?;
    let compare = match leaf(index, &key.ty) {
        Leaf::Text if is_string(&key.ty) => quote!(v.as_str() == wanted),
        Leaf::Text | Leaf::Display | Leaf::Number => {
            quote!(wanted == ::std::string::ToString::to_string(v))
        }
        Leaf::Bool => {
            return Err(at.error(format!(
                "`{}` is a boolean: it cannot name an item",
                find.key
            )));
        }
    };
    let key_steps = &key.steps;
    let argument = format_ident!("{}", find.argument);
    params.push(quote!(#argument: &'a str));
    clones.push(quote!(let wanted: &'a str = #argument;));
    let stream = format_ident!("{}", find.stream_method);
    Ok((
        item.clone(),
        quote! {
            fn key(v: &#item, wanted: &str) -> ::std::option::Option<bool> {
                #(#key_steps)*
                Some(#compare)
            }
            let mut items = client.#stream(#(#call_args),*);
            while let Some(item) = items.try_next().await? {
                if key(&item, wanted) == Some(true) {
                    return Ok(Some(item));
                }
            }
            Ok(None)
        },
    ))
}

fn is_string(ty: &Type) -> bool {
    crate::syntax::type_index::segment(ty).is_some_and(|(name, _)| name == "String")
}

/// Text, or a generated enum (open: `as_str()` gives the value as sent).
fn is_state(index: &TypeIndex, ty: &Type) -> bool {
    is_string(ty)
        || generated_name(ty, index)
            .and_then(|n| index.get(&n))
            .is_some_and(|item| matches!(item, syn::Item::Enum(_)))
}

#[cfg(test)]
mod tests {
    use expect_test::expect;

    use crate::Settings;
    use crate::test_support::{generate_with_settings, item};

    const SPEC: &str = r##"
openapi: 3.0.3
info: {title: Snap, version: "1"}
servers: [{url: "https://api.snap.test"}]
paths:
  /things/{id}:
    get:
      operationId: getThing
      parameters:
        - {name: id, in: path, required: true, schema: {type: string}}
        - {name: expand, in: query, required: false, schema: {type: boolean}}
      responses:
        "200": {description: ok, content: {application/json: {schema: {$ref: "#/components/schemas/Thing"}}}}
  /things:
    get:
      operationId: listThings
      x-pagination: {style: cursor, cursor: cursor, next: next, items: items}
      parameters:
        - {name: cursor, in: query, required: false, schema: {type: string}}
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema:
                type: object
                properties:
                  next: {type: string}
                  items: {type: array, items: {$ref: "#/components/schemas/Thing"}}
components:
  schemas:
    Thing:
      type: object
      required: [id]
      properties:
        id: {type: string}
        size: {type: integer}
        state: {type: string, enum: [new, ready, broken]}
"##;

    fn settings(waiters: &str) -> Settings {
        let mut settings = Settings::for_package("snap-client");
        settings.waiters = serde_yaml::from_str(waiters).unwrap();
        settings
    }

    #[test]
    fn a_waiter_polls_its_operation_with_the_required_arguments() {
        let files = generate_with_settings(
            SPEC,
            settings("thing_ready: {operation: getThing, state: state, success: [ready], failure: [broken]}"),
        )
        .unwrap();
        expect![[r#"
            /// Polls [`Self::get_thing`] until its `state` is `ready` (the wait returns the resource) or `broken` ([`WaitError::Failed`](::finapi_runtime::waiter::WaitError::Failed), naming the state). `.max_wait(..)` bounds the wait (default 5 minutes; then [`WaitError::TimedOut`](::finapi_runtime::waiter::WaitError::TimedOut)); polls back off from 2 s to 30 s with jitter, honour `Retry-After`, and each is a call bounded by the time the wait has left. `.await` it.
            #[inline]
            pub fn wait_for_thing_ready<'a>(
                &'a self,
                id: &'a str,
            ) -> ::finapi_runtime::waiter::Waiter<'a, types::Thing, GetThingError> {
                static SPEC: ::finapi_runtime::waiter::WaiterSpec = ::finapi_runtime::waiter::WaiterSpec {
                    name: "thing_ready",
                    success: &["ready"],
                    failure: &["broken"],
                };
                fn state(v: &types::Thing) -> ::std::option::Option<&str> {
                    let v = &v.state;
                    let v = v.as_ref()?;
                    Some(v.as_str())
                }
                ::finapi_runtime::waiter::Waiter::new(
                    &SPEC,
                    move |left: ::std::time::Duration| {
                        let client = self.waiter_poll_client(left);
                        let id = ::std::clone::Clone::clone(&id);
                        ::std::boxed::Box::pin(async move {
                            client.get_thing(id, None).await.map(|r| Some(r.into_inner()))
                        })
                    },
                    state,
                )
            }
        "#]]
        .assert_eq(&item(&files, &["Client", "wait_for_thing_ready"]));
    }

    #[test]
    fn a_waiter_finds_its_resource_among_a_lists_items() {
        let files = generate_with_settings(
            SPEC,
            settings(
                "thing_ready: {operation: listThings, find: {key: id, argument: thing_id}, state: state, success: [ready], failure: [broken]}",
            ),
        )
        .unwrap();
        expect![[r#"
            /// Polls [`Self::list_things_stream`] for the item whose `id` is `thing_id` until its `state` is `ready` (the wait returns the resource) or `broken` ([`WaitError::Failed`](::finapi_runtime::waiter::WaitError::Failed), naming the state). `.max_wait(..)` bounds the wait (default 5 minutes; then [`WaitError::TimedOut`](::finapi_runtime::waiter::WaitError::TimedOut)); polls back off from 2 s to 30 s with jitter, honour `Retry-After`, and each is a call bounded by the time the wait has left. `.await` it.
            #[inline]
            pub fn wait_for_thing_ready<'a>(
                &'a self,
                thing_id: &'a str,
            ) -> ::finapi_runtime::waiter::Waiter<'a, types::Thing, ListThingsError> {
                static SPEC: ::finapi_runtime::waiter::WaiterSpec = ::finapi_runtime::waiter::WaiterSpec {
                    name: "thing_ready",
                    success: &["ready"],
                    failure: &["broken"],
                };
                fn state(v: &types::Thing) -> ::std::option::Option<&str> {
                    let v = &v.state;
                    let v = v.as_ref()?;
                    Some(v.as_str())
                }
                ::finapi_runtime::waiter::Waiter::new(
                    &SPEC,
                    move |left: ::std::time::Duration| {
                        let client = self.waiter_poll_client(left);
                        let wanted: &'a str = thing_id;
                        ::std::boxed::Box::pin(async move {
                            fn key(v: &types::Thing, wanted: &str) -> ::std::option::Option<bool> {
                                let v = &v.id;
                                Some(v.as_str() == wanted)
                            }
                            let mut items = client.list_things_stream(None);
                            while let Some(item) = items.try_next().await? {
                                if key(&item, wanted) == Some(true) {
                                    return Ok(Some(item));
                                }
                            }
                            Ok(None)
                        })
                    },
                    state,
                )
            }
        "#]]
        .assert_eq(&item(&files, &["Client", "wait_for_thing_ready"]));
    }

    #[test]
    fn a_state_that_is_not_text_is_a_located_error() {
        let e = generate_with_settings(
            SPEC,
            settings("thing_ready: {operation: getThing, state: size, success: [\"1\"], failure: [\"2\"]}"),
        )
        .unwrap_err();
        let text = e.to_string();
        assert!(
            text.contains("/waiters/thing_ready") && text.contains("cannot be a state"),
            "{text}"
        );
    }
}
