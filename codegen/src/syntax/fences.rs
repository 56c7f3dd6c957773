//! Text from a spec never becomes code: rustdoc compiles and runs a fenced block that has no
//! language or says `rust`, so a description's curl sample (or anything a spec author wrote)
//! would run in the crate user's `cargo test`. Every such fence in a doc comment becomes
//! `text`; fences in another language (`json`, `sh`) are not compiled and stay. A spec's
//! text is one `#[doc]` attribute holding its newlines (typify's and progenitor's docs, and
//! ours made from a description); one-line doc attributes are the generator's own `///`.
//! The typed layer's docs are written one line per attribute: `syntax::doc` fixes their
//! fences before it splits them.

use syn::visit_mut::VisitMut;

// Invariant (text from a spec never becomes code): every doc fence rustdoc would compile is
// made a `text` block.
/// Rewrites the fences of every doc comment of `file`.
pub(crate) fn text_fences(file: &mut syn::File) {
    Fences.visit_file_mut(file);
}

struct Fences;

impl VisitMut for Fences {
    fn visit_attribute_mut(&mut self, attr: &mut syn::Attribute) {
        if !attr.path().is_ident("doc") {
            return;
        }
        if let syn::Meta::NameValue(nv) = &mut attr.meta
            && let syn::Expr::Lit(syn::ExprLit {
                lit: syn::Lit::Str(s),
                ..
            }) = &mut nv.value
        {
            let text = s.value();
            // A spec's text arrives as one attribute with its newlines; one-line attributes
            // are the generator's own `///` lines, whose fences span several of them.
            if text.contains('\n') && (text.contains("```") || text.contains("~~~")) {
                let fixed = as_text(&text);
                if fixed != text {
                    *s = syn::LitStr::new(&fixed, s.span());
                }
            }
        }
    }
}

/// The text with each opening fence that rustdoc would compile tagged `text`.
pub(crate) fn as_text(doc: &str) -> String {
    let mut out = Vec::new();
    // The fence character and length of the block open, if one is.
    let mut open: Option<(char, usize)> = None;
    for line in doc.split('\n') {
        let trimmed = line.trim_start();
        let indent = &line[..line.len() - trimmed.len()];
        let fence = ['`', '~'].into_iter().find_map(|c| {
            let run = trimmed.len() - trimmed.trim_start_matches(c).len();
            (run >= 3).then_some((c, run))
        });
        match (open, fence) {
            (None, Some((c, run))) => {
                open = Some((c, run));
                let info = trimmed[run..].trim();
                let lang = info.split([',', ' ']).next().unwrap_or_default();
                if lang.is_empty() || lang == "rust" || is_rustdoc_attribute(lang) {
                    out.push(format!("{indent}{}text", &trimmed[..run]));
                    continue;
                }
            }
            (Some((c, len)), Some((d, run)))
                if c == d && run >= len && trimmed[run..].trim().is_empty() =>
            {
                open = None;
            }
            _ => {}
        }
        out.push(line.to_owned());
    }
    out.join("\n")
}

/// Info strings rustdoc reads as attributes of a Rust block.
fn is_rustdoc_attribute(word: &str) -> bool {
    matches!(
        word,
        "ignore"
            | "should_panic"
            | "no_run"
            | "compile_fail"
            | "edition2015"
            | "edition2018"
            | "edition2021"
            | "edition2024"
            | "standalone_crate"
    ) || word.starts_with("ignore-")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn untagged_and_rust_fences_become_text_and_others_stay() {
        let doc = "Call it:\n```\ncurl -X POST https://x\n```\nor\n  ```rust,no_run\nlet a = 1;\n  ```\n```json\n{\"a\": 1}\n```\n~~~\nrm -rf /\n~~~";
        assert_eq!(
            as_text(doc),
            "Call it:\n```text\ncurl -X POST https://x\n```\nor\n  ```text\nlet a = 1;\n  ```\n```json\n{\"a\": 1}\n```\n~~~text\nrm -rf /\n~~~"
        );
    }

    #[test]
    fn doc_attributes_of_a_file_are_rewritten() {
        let mut file: syn::File =
            syn::parse_str("#[doc = \"```\\npanic!()\\n```\"]\n/// ```\n/// kept\nfn f() {}")
                .unwrap();
        text_fences(&mut file);
        let code = quote::ToTokens::to_token_stream(&file).to_string();
        assert!(code.contains("```text"), "{code}");
        assert!(
            code.contains("\" ```\""),
            "one-line attributes are the generator's: {code}"
        );
    }
}
