//! Following local `$ref`s to the components they name. validate checked that every one
//! resolves; `None` here is a reference that does not, for the caller to locate.

use openapiv3::{Components, Header, Parameter, ReferenceOr, RequestBody, Response, Schema};

/// A parameter, or the component parameter it refers to.
pub(crate) fn parameter<'a>(
    p: &'a ReferenceOr<Parameter>,
    components: &'a Components,
) -> Option<&'a Parameter> {
    match p {
        ReferenceOr::Item(p) => Some(p),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/parameters/")?;
            match components.parameters.get(name)? {
                ReferenceOr::Item(p) => Some(p),
                ReferenceOr::Reference { .. } => None,
            }
        }
    }
}

/// A response header, or the component header it refers to.
pub(crate) fn header<'a>(
    h: &'a ReferenceOr<Header>,
    components: &'a Components,
) -> Option<&'a Header> {
    match h {
        ReferenceOr::Item(h) => Some(h),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/headers/")?;
            components.headers.get(name)?.as_item()
        }
    }
}

/// A response, or the component response it refers to, borrowed.
pub(crate) fn response<'a>(
    r: &'a ReferenceOr<Response>,
    components: &'a Components,
) -> Option<&'a Response> {
    match r {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => {
            let name = reference.strip_prefix("#/components/responses/")?;
            components.responses.get(name)?.as_item()
        }
    }
}

/// A request body, or the component request body it refers to.
pub(crate) fn resolve_request_body(
    body: ReferenceOr<RequestBody>,
    components: &Components,
) -> Option<RequestBody> {
    match body {
        ReferenceOr::Item(b) => Some(b),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/requestBodies/")
            .and_then(|name| components.request_bodies.get(name))
            .and_then(|b| b.as_item().cloned()),
    }
}

/// A response, or the component response it refers to.
pub(crate) fn resolve_response(
    response: ReferenceOr<Response>,
    components: &Components,
) -> Option<Response> {
    match response {
        ReferenceOr::Item(r) => Some(r),
        ReferenceOr::Reference { reference } => reference
            .strip_prefix("#/components/responses/")
            .and_then(|name| components.responses.get(name))
            .and_then(|r| r.as_item().cloned()),
    }
}

/// A schema, or the component schema a chain of references ends at (at most 32 long).
pub(crate) fn resolve_schema(
    schema: &ReferenceOr<Schema>,
    components: &Components,
) -> Option<Schema> {
    let mut s = schema.clone();
    for _ in 0..32 {
        match s {
            ReferenceOr::Item(item) => return Some(item),
            ReferenceOr::Reference { reference } => {
                s = reference
                    .strip_prefix("#/components/schemas/")
                    .and_then(|name| components.schemas.get(name))
                    .cloned()?;
            }
        }
    }
    None
}
