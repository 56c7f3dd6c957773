//! progenitor's output parsed an item at a time.
//!
//! `syn::parse2` of the whole output copies every token into one buffer before it builds
//! the first item, so the tokens, that buffer and the syntax tree are all alive at once: on
//! a large spec that doubles the generator's peak memory. Here the tokens are taken an item
//! at a time (a module's items one at a time too), so each item's tokens are freed once it
//! is parsed, and only one item's buffer exists at a time.
//!
//! Where an item ends is read from its tokens: at a `;`, or at a `{…}` group unless the item
//! is one that ends with `;` after its braces (`use`, `const`, `static`, `type`). Should an
//! item not parse (split where it does not end, or not Rust), the rest of the stream is
//! parsed whole from there, so the result, or the error, is always what parsing the whole
//! output gives.
//!
//! The impl blocks of `mod types` (typify's: `Display`, `FromStr`, `TryFrom<…>`, `Deref`,
//! serde's `Deserialize`...) are not parsed here: they are kept as tokens
//! (`syn::Item::Verbatim`) until the types pass has dropped or replaced those it rewrites
//! (an opened enum's conversions, a constrained string's: on a large spec, most of the items
//! and of the parse time), and the rest are parsed by [`materialize`]. Nothing else reads them
//! in between.

use proc_macro2::{Delimiter, Group, TokenStream, TokenTree};

/// progenitor's output as a file, its items parsed one at a time (see the module's docs).
pub(super) fn parse_file(stream: TokenStream) -> syn::Result<syn::File> {
    let (attrs, items) = parse_items(stream, false)?;
    Ok(syn::File {
        shebang: None,
        frontmatter: None,
        attrs,
        items,
    })
}

/// The inner attributes and the items of `stream`, parsed one item at a time; impl blocks
/// kept as tokens where `defer` (the items of `mod types`).
fn parse_items(
    stream: TokenStream,
    defer: bool,
) -> syn::Result<(Vec<syn::Attribute>, Vec<syn::Item>)> {
    let mut items = Vec::new();
    let mut pending: Vec<TokenTree> = Vec::new();
    let mut stream = stream.into_iter();
    while let Some(token) = stream.next() {
        let ends = match &token {
            TokenTree::Punct(p) => p.as_char() == ';',
            TokenTree::Group(g) => g.delimiter() == Delimiter::Brace && !ends_with_semi(&pending),
            _ => false,
        };
        pending.push(token);
        if !ends {
            continue;
        }
        if defer && deferrable(&pending) {
            let tokens = std::mem::take(&mut pending);
            items.push(syn::Item::Verbatim(tokens.into_iter().collect()));
            continue;
        }
        match parse_item(std::mem::take(&mut pending))? {
            Ok(item) => items.push(item),
            Err(tokens) => {
                // Split where no item ends, or not Rust, or inner attributes first: the rest
                // is parsed whole, which gives what parsing the whole output would.
                #[cfg(test)]
                tests::FALLBACKS.with(|f| f.set(f.get() + 1));
                let rest: syn::File = syn::parse2(tokens.into_iter().chain(stream).collect())?;
                return whole_rest(items, rest);
            }
        }
    }
    if pending.is_empty() {
        return Ok((Vec::new(), items));
    }
    let rest: syn::File = syn::parse2(pending.into_iter().collect())?;
    whole_rest(items, rest)
}

/// The items parsed one at a time, then the rest parsed whole, whose inner attributes are
/// the stream's only if they came first.
fn whole_rest(
    mut items: Vec<syn::Item>,
    rest: syn::File,
) -> syn::Result<(Vec<syn::Attribute>, Vec<syn::Item>)> {
    if let (Some(_), Some(attr)) = (items.first(), rest.attrs.first()) {
        return Err(syn::Error::new_spanned(
            attr,
            "an inner attribute comes before the items",
        ));
    }
    items.extend(rest.items);
    Ok((rest.attrs, items))
}

/// One item, a module's items parsed one at a time: its tokens back where they do not parse
/// as an item; an error where a module's items do not parse.
fn parse_item(mut tokens: Vec<TokenTree>) -> syn::Result<Result<syn::Item, TokenStream>> {
    // A module with its items here (`mod name;` is an item like any other).
    if keyword(&tokens) == Some("mod")
        && matches!(tokens.last(), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Brace)
        && let Some(TokenTree::Group(body)) = tokens.pop()
    {
        let span = body.span();
        let content = body.stream();
        // The only owner of the module's tokens now: they are freed as they are parsed.
        drop(body);
        let mut empty = Group::new(Delimiter::Brace, TokenStream::new());
        empty.set_span(span);
        tokens.push(TokenTree::Group(empty));
        let head: TokenStream = tokens.into_iter().collect();
        let mut module = match syn::parse2::<syn::ItemMod>(head.clone()) {
            Ok(module) => module,
            Err(_) => {
                let mut tokens: Vec<TokenTree> = head.into_iter().collect();
                tokens.pop();
                let mut body = Group::new(Delimiter::Brace, content);
                body.set_span(span);
                tokens.push(TokenTree::Group(body));
                return Ok(Err(tokens.into_iter().collect()));
            }
        };
        let (attrs, items) = parse_items(content, module.ident == "types")?;
        module.attrs.extend(attrs);
        if let Some((brace, _)) = &module.content {
            module.content = Some((*brace, items));
        }
        return Ok(Ok(syn::Item::Mod(module)));
    }
    let stream: TokenStream = tokens.into_iter().collect();
    // A copy costs one reference count; it is only read when the item does not parse.
    let copy = stream.clone();
    Ok(syn::parse2(stream).map_err(|_| copy))
}

/// The tokens of an impl block [`parse_file`] kept as tokens; `None` for any other item.
pub(super) fn deferred(item: &syn::Item) -> Option<&TokenStream> {
    kept(item).map(|(tokens, _)| tokens)
}

/// An impl block kept as tokens: its tokens, and their top level (a copy costs one reference
/// count; groups are not entered).
fn kept(item: &syn::Item) -> Option<(&TokenStream, Vec<TokenTree>)> {
    let syn::Item::Verbatim(tokens) = item else {
        return None;
    };
    let top: Vec<TokenTree> = tokens.clone().into_iter().collect();
    deferrable(&top).then_some((tokens, top))
}

/// The trait (`Display`, `FromStr` or `TryFrom`) and the type of a conversion impl kept as
/// tokens by [`parse_file`] (`impl <path to the trait> for <Type> {…}`); `None` for any
/// other item.
pub(super) fn conversion(item: &syn::Item) -> Option<(String, String)> {
    let (trait_, target) = header(&kept(item)?.1)?;
    let trait_ = trait_.filter(|t| matches!(t.as_str(), "Display" | "FromStr" | "TryFrom"))?;
    Some((trait_, target?))
}

/// An impl block kept as tokens: its tokens, their top level, and the name of the trait it
/// implements (the last word of its path outside `<…>`; `None` for an inherent impl).
pub(super) fn deferred_impl(
    item: &syn::Item,
) -> Option<(&TokenStream, Vec<TokenTree>, Option<String>)> {
    let (tokens, top) = kept(item)?;
    let trait_ = header(&top)?.0;
    Some((tokens, top, trait_))
}

/// Parses the impl blocks [`parse_file`] kept as tokens.
pub(super) fn materialize(items: &mut [syn::Item]) -> syn::Result<()> {
    for item in items {
        if deferred(item).is_some()
            && let syn::Item::Verbatim(tokens) = item
        {
            *item = syn::parse2(std::mem::take(tokens))?;
        }
    }
    Ok(())
}

/// Whether the item `tokens` are is an impl block kept as tokens: `impl`, a header with no
/// group (a `{…}` in it would have ended the item early), then its `{…}`.
fn deferrable(tokens: &[TokenTree]) -> bool {
    matches!(tokens.first(), Some(TokenTree::Ident(first)) if first == "impl")
        && matches!(tokens.last(), Some(TokenTree::Group(body)) if body.delimiter() == Delimiter::Brace)
        && !tokens[..tokens.len() - 1]
            .iter()
            .any(|t| matches!(t, TokenTree::Group(_)))
}

/// The trait (the last word of its path outside `<…>`, if any) and the type (if one word) of
/// the impl block `tokens` are.
fn header(tokens: &[TokenTree]) -> Option<(Option<String>, Option<String>)> {
    let [TokenTree::Ident(first), rest @ ..] = tokens else {
        return None;
    };
    if first != "impl" {
        return None;
    }
    let mut depth = 0usize;
    let mut last = None;
    let mut rest = rest.iter();
    let trait_ = loop {
        match rest.next()? {
            TokenTree::Punct(p) if p.as_char() == '<' => depth += 1,
            TokenTree::Punct(p) if p.as_char() == '>' => depth = depth.checked_sub(1)?,
            TokenTree::Ident(id) if depth == 0 && id == "for" => break last,
            TokenTree::Ident(id) if depth == 0 => last = Some(id.to_string()),
            TokenTree::Group(g) if g.delimiter() == Delimiter::Brace => return Some((None, last)),
            _ => {}
        }
    };
    let target = match rest.as_slice() {
        [TokenTree::Ident(target), TokenTree::Group(_)] => Some(target.to_string()),
        _ => None,
    };
    Some((trait_, target))
}

/// Whether the item begun by `tokens` ends with `;` after a `{…}` it holds.
fn ends_with_semi(tokens: &[TokenTree]) -> bool {
    match keyword(tokens) {
        Some("use" | "static" | "type") => true,
        // `const fn` ends with its body; `const X: T = T { … };` with its `;`.
        Some("const") => !after_keyword(tokens)
            .is_some_and(|next| matches!(next.as_str(), "fn" | "unsafe" | "async" | "extern")),
        _ => false,
    }
}

/// The item's first word after its attributes and visibility (`pub`, `pub(crate)`).
fn keyword(tokens: &[TokenTree]) -> Option<&'static str> {
    const KEYWORDS: &[&str] = &[
        "use",
        "static",
        "type",
        "const",
        "mod",
        "fn",
        "struct",
        "enum",
        "impl",
        "trait",
        "union",
        "extern",
        "unsafe",
        "async",
        "macro_rules",
    ];
    let word = words(tokens).next()?;
    KEYWORDS.iter().copied().find(|k| word == *k)
}

/// The word after the item's first word.
fn after_keyword(tokens: &[TokenTree]) -> Option<String> {
    words(tokens).nth(1)
}

/// The item's words, after its attributes and visibility.
fn words(tokens: &[TokenTree]) -> impl Iterator<Item = String> + '_ {
    let mut i = 0;
    // Attributes: `#` and a `[…]` group.
    while let (Some(TokenTree::Punct(p)), Some(TokenTree::Group(g))) =
        (tokens.get(i), tokens.get(i + 1))
    {
        if p.as_char() != '#' || g.delimiter() != Delimiter::Bracket {
            break;
        }
        i += 2;
    }
    if matches!(tokens.get(i), Some(TokenTree::Ident(id)) if id == "pub") {
        i += 1;
        if matches!(tokens.get(i), Some(TokenTree::Group(g)) if g.delimiter() == Delimiter::Parenthesis)
        {
            i += 1;
        }
    }
    tokens[i.min(tokens.len())..].iter().map_while(|t| match t {
        TokenTree::Ident(id) => Some(id.to_string()),
        _ => None,
    })
}

#[cfg(test)]
mod tests {
    use quote::quote;

    use super::*;

    thread_local! {
        /// How often the rest of a stream was parsed whole.
        pub(super) static FALLBACKS: std::cell::Cell<usize> = const { std::cell::Cell::new(0) };
    }

    fn whole(tokens: &TokenStream) -> syn::File {
        syn::parse2(tokens.clone()).expect("parses whole")
    }

    /// Parsed by items, the impl blocks kept as tokens not parsed yet.
    fn split(tokens: &TokenStream) -> syn::File {
        parse_file(tokens.clone()).expect("parses by items")
    }

    /// Parsed by items, then every impl block kept as tokens parsed, as the types pass does.
    fn by_items(tokens: &TokenStream) -> syn::File {
        fn all(items: &mut [syn::Item]) {
            materialize(items).expect("impl blocks parse");
            for item in items {
                if let syn::Item::Mod(m) = item
                    && let Some((_, inner)) = m.content.as_mut()
                {
                    all(inner);
                }
            }
        }
        let mut file = split(tokens);
        all(&mut file.items);
        file
    }

    #[test]
    fn items_parse_as_the_whole_file_does() {
        let tokens = quote! {
            #[allow(unused_imports)]
            use ::std::{fmt, collections::BTreeMap as Map};
            pub mod types {
                use super::*;
                #[derive(Debug)]
                pub struct Unit;
                pub struct Tuple(pub [u8; 4]);
                pub struct Named { pub a: u8 }
                pub(crate) enum E { A { x: u8 }, B }
                impl E where Self: Sized { pub const fn zero() -> u8 { 0 } }
                const DEFAULT: Named = Named { a: 1 };
                pub static NAMES: &[&str] = &["a"];
                pub type Alias = Map<String, Named>;
                pub mod defaults { pub fn one() -> u8 { 1 } }
                mod inner { fn f() {} }
                macro_rules! m { () => {} }
                m! { }
                m!();
                pub const fn c() -> u8 { 2 }
                unsafe impl Send for Named {}
                extern "C" { fn abs(x: i32) -> i32; }
                trait T { type A; fn g(&self) {} }
            }
            pub struct Client { baseurl: String }
            impl Client { pub fn baseurl(&self) -> &String { &self.baseurl } }
            pub mod prelude { pub use self::super::Client; }
        };
        assert_eq!(by_items(&tokens), whole(&tokens));
        // A module's items are split too: `types` holds its 18 items.
        let file = by_items(&tokens);
        let syn::Item::Mod(types) = &file.items[1] else {
            panic!("the second item is `mod types`");
        };
        assert_eq!(
            types.content.as_ref().map(|(_, items)| items.len()),
            Some(18)
        );
        assert_eq!(FALLBACKS.with(|f| f.get()), 0, "every item parsed alone");
    }

    #[test]
    fn an_item_split_too_early_is_parsed_whole() {
        // A brace group inside a type's generic arguments ends no item: the split cuts
        // `impl` short, and the rest parses whole.
        let tokens = quote! {
            impl Foo<{ 1 }> for Bar {}
            fn after() {}
        };
        assert_eq!(by_items(&tokens), whole(&tokens));
        assert_eq!(FALLBACKS.with(|f| f.get()), 1);
    }

    #[test]
    fn a_module_declared_without_its_items_is_one_item() {
        let tokens = quote! {
            mod elsewhere;
            pub mod here { fn f() {} }
            fn after() {}
        };
        assert_eq!(by_items(&tokens), whole(&tokens));
        assert_eq!(FALLBACKS.with(|f| f.get()), 0, "every item parsed alone");
    }

    #[test]
    fn inner_attributes_stay_the_modules() {
        let tokens = quote! {
            mod inner { #![allow(dead_code)] fn f() {} }
            fn after() {}
        };
        assert_eq!(by_items(&tokens), whole(&tokens));
        let misplaced = quote! { fn f() {} #![allow(dead_code)] };
        assert!(parse_file(misplaced.clone()).is_err());
        assert!(syn::parse2::<syn::File>(misplaced).is_err());
    }

    #[test]
    fn conversions_in_mod_types_are_kept_as_tokens_until_materialized() {
        let tokens = quote! {
            pub mod types {
                pub enum E { A }
                impl ::std::fmt::Display for E { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { f.write_str("a") } }
                impl ::std::str::FromStr for E { type Err = (); fn from_str(_: &str) -> Result<Self, ()> { Ok(Self::A) } }
                impl ::std::convert::TryFrom<&::std::string::String> for E { type Error = (); fn try_from(_: &::std::string::String) -> Result<Self, ()> { Ok(Self::A) } }
                impl ::std::convert::From<&E> for E { fn from(e: &E) -> Self { Self::A } }
                impl<T> ::std::fmt::Display for W<T> { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } }
                #[allow(unused)]
                impl ::std::fmt::Display for F { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } }
                pub mod error { impl ::std::fmt::Display for Error { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } } }
            }
            impl ::std::fmt::Display for Client { fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result { Ok(()) } }
        };
        let mut file = split(&tokens);
        let kept = |file: &syn::File| -> Vec<Option<(String, String)>> {
            let syn::Item::Mod(types) = &file.items[0] else {
                panic!("the first item is `mod types`");
            };
            let items = &types.content.as_ref().expect("items").1;
            items.iter().map(conversion).collect()
        };
        let conv = |t: &str, ty: &str| Some((t.to_owned(), ty.to_owned()));
        // Conversions: typify's in `mod types`; not `From`, nor a generic impl, nor one with
        // an attribute, nor one in another module.
        assert_eq!(
            kept(&file),
            [
                None,
                conv("Display", "E"),
                conv("FromStr", "E"),
                conv("TryFrom", "E"),
                None,
                None,
                None,
                None
            ]
        );
        // Every impl block of `mod types` is kept, but the one with an attribute.
        let syn::Item::Mod(types) = &file.items[0] else {
            unreachable!()
        };
        let deferred: Vec<bool> = types
            .content
            .as_ref()
            .expect("items")
            .1
            .iter()
            .map(|i| deferred(i).is_some())
            .collect();
        assert_eq!(
            deferred,
            [false, true, true, true, true, true, false, false]
        );
        assert_eq!(
            types
                .content
                .as_ref()
                .expect("items")
                .1
                .iter()
                .map(|item| deferred_impl(item).and_then(|(_, _, trait_)| trait_))
                .collect::<Vec<_>>(),
            [
                None,
                Some("Display".into()),
                Some("FromStr".into()),
                Some("TryFrom".into()),
                Some("From".into()),
                Some("Display".into()),
                None,
                None
            ]
        );
        assert!(matches!(file.items[1], syn::Item::Impl(_)));
        let syn::Item::Mod(types) = &mut file.items[0] else {
            unreachable!()
        };
        materialize(&mut types.content.as_mut().expect("items").1).expect("parses");
        assert_eq!(file, whole(&tokens));
        assert!(kept(&file).iter().all(Option::is_none));
        assert_eq!(FALLBACKS.with(|f| f.get()), 0, "every item parsed alone");
    }

    #[test]
    fn a_syntax_error_is_the_one_parsing_whole_reports() {
        let tokens = quote! { fn ok() {} struct Broken { a: } fn after() {} };
        let split = parse_file(tokens.clone()).expect_err("does not parse");
        let whole = syn::parse2::<syn::File>(tokens).expect_err("does not parse");
        assert_eq!(split.to_string(), whole.to_string());
    }
}
