//! Stage 4, generate: progenitor (and typify, under it) turn the normalized spec into tokens.
//!
//! progenitor panics on some inputs instead of returning an error. The validate and normalize
//! stages keep it from seeing the inputs known to do that; as a last guard, a panic is caught
//! here and located: at the components where the spec fails without operations, else at
//! the operation found by halving the operations, as a located error.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;

use openapiv3::{OpenAPI, ReferenceOr};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;

use crate::error::{Error, Result, Stage, pointer};
use crate::openapi::Method;

/// progenitor's output and what it needs from the generated crate's dependencies.
#[derive(Debug, Clone)]
pub struct Generated {
    /// The code.
    pub tokens: TokenStream,
    /// Whether the code uses `chrono`.
    pub uses_chrono: bool,
    /// Whether the code uses `uuid`.
    pub uses_uuid: bool,
    /// Whether the code uses `regress`.
    pub uses_regress: bool,
}

/// The settings every crate is generated with: positional methods (cheapest to compile), the
/// runtime as the client's inner value, progenitor's default (empty) hooks: post-process
/// cuts each method where it would run them, and the runtime's call engine sends.
fn settings() -> GenerationSettings {
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Positional)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Optional)
        .with_inner_type(quote!(::finapi_runtime::Runtime))
        .with_derive("PartialEq");
    settings
}

/// Why progenitor produced no code.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Failure {
    /// progenitor returned an error.
    Refused(String),
    /// progenitor panicked.
    Panicked(Panic),
}

impl Failure {
    fn message(&self) -> String {
        match self {
            Failure::Refused(message) => format!("progenitor: {message}"),
            Failure::Panicked(Panic(message)) => {
                format!("progenitor panicked: {}", first_line(message))
            }
        }
    }
}

fn run(spec: &OpenAPI) -> std::result::Result<Generated, Failure> {
    quietly(|| {
        let mut generator = Generator::new(&settings());
        generator.generate_tokens(spec).map(|tokens| {
            let types = generator.get_type_space();
            Generated {
                tokens,
                uses_chrono: types.uses_chrono(),
                uses_uuid: types.uses_uuid(),
                uses_regress: types.uses_regress(),
            }
        })
    })
    .map_err(Failure::Panicked)?
    .map_err(|e| Failure::Refused(e.to_string()))
}

/// progenitor's output alone, in its positional or builder interface, with its default
/// settings: for measuring what the interface choice costs to compile (`cargo xtask bench`).
pub fn progenitor_only(spec: &OpenAPI, builder: bool, file: &Path) -> Result<String> {
    let mut settings = GenerationSettings::new();
    settings.with_interface(if builder {
        InterfaceStyle::Builder
    } else {
        InterfaceStyle::Positional
    });
    let failed = |failure: Failure| Error::file(Stage::Generate, file, failure.message());
    let tokens = quietly(|| Generator::new(&settings).generate_tokens(spec))
        .map_err(|p| failed(Failure::Panicked(p)))?
        .map_err(|e| failed(Failure::Refused(e.to_string())))?;
    let code: syn::File = syn::parse2(tokens).map_err(|e| {
        Error::file(
            Stage::Generate,
            file,
            format!("progenitor's output does not parse: {e}"),
        )
    })?;
    Ok(prettyplease::unparse(&code))
}

/// Runs progenitor on a normalized spec.
// Invariant (Never a panic on bad input): a panic of progenitor is caught and located at the
// components or the operation that causes it.
pub fn generate(spec: &OpenAPI, file: &Path) -> Result<Generated> {
    run(spec).map_err(|failure| locate(spec, file, failure.message()))
}

/// Finds what makes generation fail: the components (where the spec fails without any
/// operation), else an operation, found by halving the operations (about `2 log2 n`
/// generations of ever smaller specs, where generating each operation alone took `n`).
fn locate(spec: &OpenAPI, file: &Path, message: String) -> Error {
    let mut bare = spec.clone();
    bare.paths.paths.clear();
    if run(&bare).is_err() {
        return Error::at(Stage::Generate, file, "/components/schemas", message);
    }
    let mut ops: Vec<(String, Method)> = Vec::new();
    for (path, item) in spec.paths.iter() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for (method, _) in item.iter() {
            if let Some(m) = Method::from_key(method) {
                ops.push((path.clone(), m));
            }
        }
    }
    let fails = |subset: &[(String, Method)]| run(&only(spec, subset)).is_err();
    let mut suspects: &[(String, Method)] = &ops;
    while suspects.len() > 1 {
        let (first, second) = suspects.split_at(suspects.len() / 2);
        if fails(first) {
            suspects = first;
        } else if fails(second) {
            suspects = second;
        } else {
            // Only a combination of operations fails: no one of them is at fault.
            return Error::at(Stage::Generate, file, "/paths", message);
        }
    }
    match suspects.first() {
        Some((path, method)) => Error::at(
            Stage::Generate,
            file,
            pointer(["paths", path, method.key()]),
            message,
        ),
        None => Error::at(Stage::Generate, file, "", message),
    }
}

/// The spec with only these operations.
fn only(spec: &OpenAPI, ops: &[(String, Method)]) -> OpenAPI {
    let mut out = spec.clone();
    out.paths
        .paths
        .retain(|p, _| ops.iter().any(|(q, _)| q == p));
    for (path, item) in out.paths.paths.iter_mut() {
        let ReferenceOr::Item(item) = item else {
            continue;
        };
        for m in Method::ALL {
            if !ops.iter().any(|(p, q)| p == path && *q == m) {
                *m.slot(item) = None;
            }
        }
    }
    out
}

/// The first line of a panic message, at most 200 characters: progenitor's `todo!`s dump
/// whole schemas.
fn first_line(message: &str) -> String {
    let line = message
        .lines()
        .next()
        .unwrap_or_default()
        .trim_end_matches([' ', '{', ':']);
    let mut out: String = line.chars().take(200).collect();
    if out.len() < message.trim_end().len() {
        out.push_str(" …");
    }
    out
}

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

/// A panic's message.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Panic(String);

/// Runs `f`, turning a panic into its message, without printing the panic.
fn quietly<T>(f: impl FnOnce() -> T) -> std::result::Result<T, Panic> {
    static HOOK: Once = Once::new();
    HOOK.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if !QUIET.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let was = QUIET.with(|q| q.replace(true));
    let result = catch_unwind(AssertUnwindSafe(f));
    QUIET.with(|q| q.set(was));
    result.map_err(|payload| {
        Panic(
            payload
                .downcast_ref::<&str>()
                .map(|s| (*s).to_owned())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".to_owned()),
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panics_become_messages_and_stay_quiet() {
        let r = quietly(|| panic!("boom {}", 7));
        assert_eq!(r, Err::<(), _>(Panic("boom 7".to_owned())));
        assert_eq!(quietly(|| 5), Ok(5));
    }
}
