//! Degrade locally, say so, never fail whole: a valid spec with a construct the generator
//! cannot type costs that construct, not the crate. The smallest unit that holds it is given
//! up, each time with a located warning (JSON pointer, what was given up and why) that the
//! CLI prints, the crate's README lists and `build.rs` users get as cargo warnings; in strict
//! mode (`--strict`, `Builder::strict`) the first is an error instead.
//!
//! - `repair.rs`: on the JSON document, before the typed parse: dangling references, `$ref`s
//!   into the middle of a schema, discriminators without `propertyName`.
//! - `parameters.rs`: on the JSON document, before the typed parse: parameters the client
//!   cannot send as written (cookies, styles, `content`, header and path values without a
//!   text form) become strings the caller formats, or (cookies) go.
//! - `locate.rs`: a failure of progenitor or typify (an error or a panic) located at the
//!   schema or operation that causes it, by bisection.
//! - `apply.rs`: what is given up: a schema becomes any JSON (a newtype over
//!   `serde_json::Value`, its docs kept); an operation's request body any JSON, its
//!   parameters strings, and only then the operation itself.
//!
//! [`Degrader`] holds what was given up so far, so that nothing is given up twice and a
//! failure that giving up does not cure ends the loop as the error it is.

mod apply;
mod locate;
mod parameters;
mod repair;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use openapiv3::OpenAPI;
use serde_json::Value;

pub(crate) use self::locate::{Culprit, locate};
pub(crate) use self::parameters::as_sendable;
pub(crate) use self::repair::{NO_SERVER, no_server, repair, repairs_dangling};
use crate::error::{Error, Stage, escape_token, unescape_token};
use crate::openapi::Method;

/// How many things a spec may give up before generation stops with the error it met.
pub(crate) const MAX_GIVEN_UP: usize = 256;

/// Where a failure is, as degrading reads it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Site {
    /// The schema written at this JSON pointer of the document.
    Schema(String),
    /// The operation at this path and method.
    Operation(String, Method),
    /// The request body of the operation at this path and method.
    Body(String, Method),
    /// The parameter of that name of the operation at this path and method.
    Parameter(String, Method, String),
    /// An alternate of the operation at this path and method: its request media type.
    MediaType(String, Method, String),
}

impl Site {
    /// The site an error's pointer names, where it names a schema or an operation.
    pub(crate) fn of_pointer(pointer: &str) -> Option<Site> {
        let tokens: Vec<String> = pointer.split('/').skip(1).map(unescape_token).collect();
        match tokens.as_slice() {
            [components, schemas, key, ..]
                if components == "components" && schemas == "schemas" =>
            {
                Some(Site::Schema(format!(
                    "/components/schemas/{}",
                    escape_token(key)
                )))
            }
            [paths, path, method, ..] if paths == "paths" => {
                let method = Method::from_key(method)?;
                Some(match crate::restore::alternate::real_path(path) {
                    Some(real) => Site::MediaType(real.to_owned(), method, String::new()),
                    None => Site::Operation(path.clone(), method),
                })
            }
            _ => None,
        }
    }

    /// The site of a culprit found in the normalized spec: a component schema where it is
    /// written in the document (`hoisted` knows those normalize moved there), an operation,
    /// or an alternate's media type.
    pub(crate) fn of_culprit(
        culprit: &Culprit,
        spec: &OpenAPI,
        hoisted: &BTreeMap<String, String>,
    ) -> Option<Site> {
        let (path, method) = match culprit {
            Culprit::Schema(key) => {
                return Some(Site::Schema(hoisted.get(key).cloned().unwrap_or_else(
                    || format!("/components/schemas/{}", escape_token(key)),
                )));
            }
            Culprit::Property(key, prop) => {
                let schema = hoisted
                    .get(key)
                    .cloned()
                    .unwrap_or_else(|| format!("/components/schemas/{}", escape_token(key)));
                return Some(Site::Schema(format!(
                    "{schema}/properties/{}",
                    escape_token(prop)
                )));
            }
            Culprit::Unknown => return None,
            Culprit::Operation(path, method)
            | Culprit::Body(path, method)
            | Culprit::Parameter(path, method, _) => (path, *method),
        };
        // An alternate is its operation's other media type: that media type goes.
        if let Some(real) = crate::restore::alternate::real_path(path) {
            let media_type = spec
                .paths
                .paths
                .get(path)
                .and_then(|i| i.as_item())
                .and_then(|i| method_operation(i, method))
                .and_then(|op| op.request_body.as_ref()?.as_item())
                .and_then(|b| b.content.keys().next().cloned())
                .unwrap_or_default();
            return Some(Site::MediaType(real.to_owned(), method, media_type));
        }
        Some(match culprit {
            Culprit::Body(..) => Site::Body(path.clone(), method),
            Culprit::Parameter(_, _, name) => Site::Parameter(path.clone(), method, name.clone()),
            _ => Site::Operation(path.clone(), method),
        })
    }

    /// Its JSON pointer in the document.
    pub(crate) fn pointer(&self) -> String {
        match self {
            Site::Schema(pointer) => pointer.clone(),
            Site::Operation(path, method)
            | Site::Body(path, method)
            | Site::Parameter(path, method, _)
            | Site::MediaType(path, method, _) => apply::operation_pointer(path, *method),
        }
    }
}

fn method_operation(item: &openapiv3::PathItem, method: Method) -> Option<&openapiv3::Operation> {
    item.iter()
        .find(|(key, _)| *key == method.key())
        .map(|(_, op)| op)
}

/// What was given up so far.
#[derive(Debug, Default)]
pub(crate) struct Degrader {
    /// Schemas made any JSON, by pointer.
    schemas: BTreeSet<String>,
    /// How far each operation has given up: 1 its body's types, 2 its parameters' types,
    /// 3 itself.
    operations: BTreeMap<(String, Method), u8>,
    /// Alternates' media types left out.
    media_types: BTreeSet<(String, Method, String)>,
    /// Request bodies typed as any JSON.
    bodies: BTreeSet<(String, Method)>,
    /// Parameters sent as strings.
    parameters: BTreeSet<(String, Method, String)>,
    given_up: usize,
}

impl Degrader {
    /// Gives up the least at `site` that may cure `error`, on the document; the warning
    /// that says so, or `None` where nothing is left to give up there (or too much has
    /// been given up already).
    pub(crate) fn give_up(
        &mut self,
        doc: &mut Value,
        site: &Site,
        error: &Error,
        file: &Path,
    ) -> Option<Error> {
        if self.given_up >= MAX_GIVEN_UP {
            return None;
        }
        let why = first_line(&error.message);
        let warning = |pointer: &str, what: String| {
            Error::at(error.stage, file, pointer, format!("{what}: {why}"))
        };
        let given = match site {
            Site::Schema(pointer) => {
                if !self.schemas.insert(pointer.clone()) || !apply::schema(doc, pointer, &why) {
                    return None;
                }
                warning(pointer, "typed as any JSON".into())
            }
            Site::MediaType(path, method, media_type) => {
                let op = apply::operation_pointer(path, *method);
                let key = (path.clone(), *method, media_type.clone());
                if media_type.is_empty()
                    || !self.media_types.insert(key)
                    || !apply::leave_out_media_type(doc, &op, media_type)
                {
                    return self.give_up(doc, &Site::Operation(path.clone(), *method), error, file);
                }
                warning(
                    &format!("{op}/requestBody/content/{}", escape_token(media_type)),
                    format!("the `{media_type}` body (its own method) left out"),
                )
            }
            Site::Body(path, method) => {
                let op = apply::operation_pointer(path, *method);
                if !self.bodies.insert((path.clone(), *method)) || !apply::raw_body(doc, &op) {
                    return self.give_up(doc, &Site::Operation(path.clone(), *method), error, file);
                }
                warning(
                    &format!("{op}/requestBody"),
                    "request body typed as any JSON".into(),
                )
            }
            Site::Parameter(path, method, name) => {
                let op = apply::operation_pointer(path, *method);
                let key = (path.clone(), *method, name.clone());
                let index = self
                    .parameters
                    .insert(key)
                    .then(|| apply::string_parameter(doc, &op, name))
                    .flatten();
                let Some(index) = index else {
                    return self.give_up(doc, &Site::Operation(path.clone(), *method), error, file);
                };
                warning(
                    &format!("{op}/parameters/{index}"),
                    format!("parameter `{name}` sent as a string"),
                )
            }
            Site::Operation(path, method) => {
                let op = apply::operation_pointer(path, *method);
                let step = self.operations.entry((path.clone(), *method)).or_insert(0);
                loop {
                    *step += 1;
                    match *step {
                        1 if apply::raw_body(doc, &op) => {
                            break warning(
                                &format!("{op}/requestBody"),
                                "request body typed as any JSON".into(),
                            );
                        }
                        2 => {
                            let names = apply::string_parameters(doc, &op);
                            if !names.is_empty() {
                                break warning(
                                    &format!("{op}/parameters"),
                                    format!(
                                        "parameters {} sent as strings",
                                        names
                                            .iter()
                                            .map(|n| format!("`{n}`"))
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    ),
                                );
                            }
                        }
                        3 if apply::leave_out(doc, path, *method) => {
                            break warning(&op, LEFT_OUT.into());
                        }
                        1 => {}
                        _ => return None,
                    }
                }
            }
        };
        self.given_up += 1;
        Some(given)
    }
}

/// How the warning of an operation left out begins.
const LEFT_OUT: &str = "operation left out";

/// Adds `warning` to `warnings`; one that leaves an operation out takes with it those given
/// inside that operation (its body, its parameters: moot now).
pub(crate) fn record(warnings: &mut Vec<Error>, warning: Error) {
    if warning.message.starts_with(LEFT_OUT)
        && let Some(op) = warning.pointer.as_deref()
    {
        let inside = format!("{op}/");
        warnings.retain(|w| {
            w.file != warning.file || !w.pointer.as_deref().is_some_and(|p| p.starts_with(&inside))
        });
    }
    warnings.push(warning);
}

/// The first line of a message, for a warning.
fn first_line(message: &str) -> String {
    message.lines().next().unwrap_or_default().trim().to_owned()
}

/// A repair's warning, located in `file`.
pub(crate) fn repaired(file: &Path, (pointer, what): (String, String)) -> Error {
    Error::at(Stage::Normalize, file, pointer, what)
}
