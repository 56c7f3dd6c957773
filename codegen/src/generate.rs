//! Stage 4, generate: progenitor (and typify, under it) turn the normalized spec into tokens.
//!
//! progenitor panics on some inputs instead of returning an error. The validate and normalize
//! stages keep it from seeing the inputs known to do that; as a last guard, a panic is caught
//! here, and `degrade` finds the schema or operation that caused it (by bisection) and gives
//! up that one.

use std::cell::Cell;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;
use std::sync::Once;

use openapiv3::OpenAPI;
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::quote;

use crate::error::{Error, Result, Stage};

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
pub(crate) enum Failure {
    /// progenitor returned an error.
    Refused(String),
    /// progenitor panicked.
    Panicked(Panic),
}

impl Failure {
    /// What went wrong, as a message.
    pub(crate) fn message(&self) -> String {
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

/// Runs progenitor on a normalized spec; what went wrong, as a message, where it failed
/// (progenitor refused or panicked). Locating what caused it, and what to give up for it,
/// is `degrade`'s.
// Invariant (never a panic on bad input): a panic of progenitor is caught here.
pub(crate) fn generate(spec: &OpenAPI) -> std::result::Result<Generated, Failure> {
    let generated = run(spec)?;
    // Invariant (the generator's output compiles): two types of one name, or two fields of
    // one name in a struct, are a failure here, which `degrade` locates and gives up.
    if let Some(clash) = clash(&generated.tokens) {
        return Err(Failure::Refused(clash));
    }
    Ok(generated)
}

/// Two items of one name in progenitor's `mod types`, two fields of one name in one of its
/// structs (typify names some nested merges alike), or two trait impls with one header:
/// what clashes. A scan of the tokens,
/// nothing parsed.
fn clash(tokens: &TokenStream) -> Option<String> {
    use proc_macro2::{Delimiter, Spacing, TokenTree};
    let types = find_mod(tokens.clone(), "types")?;
    let mut names = std::collections::BTreeSet::new();
    let mut impls = std::collections::BTreeSet::new();
    let trees: Vec<TokenTree> = types.into_iter().collect();
    for (i, tree) in trees.iter().enumerate() {
        let TokenTree::Ident(kind) = tree else {
            continue;
        };
        // Two trait impls with one header (typify's `From` for each variant of a union
        // whose variants have one Rust type).
        if kind == "impl" {
            let header: TokenStream = trees[i + 1..]
                .iter()
                .take_while(
                    |t| !matches!(t, TokenTree::Group(g) if g.delimiter() == Delimiter::Brace),
                )
                .cloned()
                .collect();
            let is_trait_impl = header
                .clone()
                .into_iter()
                .any(|t| matches!(&t, TokenTree::Ident(i) if i == "for"));
            let text = header.to_string();
            if is_trait_impl && !impls.insert(text.clone()) {
                let text = text
                    .replace(":: ", "::")
                    .replace(" ::", "::")
                    .replace(" < ", "<")
                    .replace(" <", "<")
                    .replace("< ", "<")
                    .replace(" >", ">");
                return Some(format!("typify made two impls `{}`", text.trim()));
            }
            continue;
        }
        if !matches!(kind.to_string().as_str(), "struct" | "enum" | "type") {
            continue;
        }
        let Some(TokenTree::Ident(name)) = trees.get(i + 1) else {
            continue;
        };
        let name = name.to_string();
        if !names.insert(name.clone()) {
            return Some(format!("typify made two types named `{name}`"));
        }
        let Some(TokenTree::Group(body)) = trees[i + 2..]
            .iter()
            .find(|t| matches!(t, TokenTree::Group(_)))
        else {
            continue;
        };
        if body.delimiter() != Delimiter::Brace {
            continue;
        }
        // A struct's fields, or those of each struct variant of an enum.
        let bodies: Vec<TokenStream> = if kind == "struct" {
            vec![body.stream()]
        } else if kind == "enum" {
            body.stream()
                .into_iter()
                .filter_map(|t| match t {
                    TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => Some(g.stream()),
                    _ => None,
                })
                .collect()
        } else {
            Vec::new()
        };
        for fields in bodies {
            let fields: Vec<TokenTree> = fields.into_iter().collect();
            let mut seen = std::collections::BTreeSet::new();
            for (j, f) in fields.iter().enumerate() {
                if let (TokenTree::Ident(field), Some(TokenTree::Punct(colon))) =
                    (f, fields.get(j + 1))
                    && colon.as_char() == ':'
                    && colon.spacing() == Spacing::Alone
                    && !seen.insert(field.to_string())
                {
                    return Some(format!("typify gave `{name}` two fields named `{field}`"));
                }
            }
        }
    }
    None
}

/// The body of `mod <name> { .. }` at the top level of `tokens` (or inside `mod raw`).
fn find_mod(tokens: TokenStream, name: &str) -> Option<TokenStream> {
    use proc_macro2::{Delimiter, TokenTree};
    let trees: Vec<TokenTree> = tokens.into_iter().collect();
    trees.windows(3).find_map(|w| match w {
        [
            TokenTree::Ident(m),
            TokenTree::Ident(n),
            TokenTree::Group(g),
        ] if m == "mod" && n == name && g.delimiter() == Delimiter::Brace => Some(g.stream()),
        _ => None,
    })
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
pub(crate) struct Panic(String);

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

    #[test]
    fn two_types_or_two_fields_of_one_name_clash() {
        let fine = quote!(
            pub mod types {
                pub struct A {
                    pub a: ::std::string::String,
                    #[serde(rename = "b")]
                    pub b: i64,
                }
                pub enum B {
                    V { x: i64 },
                    W { x: i64 },
                }
                impl A {
                    fn f(&self) {
                        let a: i64 = 1;
                        let a: i64 = a;
                    }
                }
                pub struct C(pub ::std::option::Option<A>);
            }
        );
        assert_eq!(clash(&fine), None);
        let types = quote!(
            pub mod types {
                pub struct A {}
                pub enum A {}
            }
        );
        assert_eq!(
            clash(&types).as_deref(),
            Some("typify made two types named `A`")
        );
        let fields = quote!(
            pub mod types {
                pub enum B {
                    V { x: i64, x: bool },
                }
            }
        );
        assert_eq!(
            clash(&fields).as_deref(),
            Some("typify gave `B` two fields named `x`")
        );
    }
}
