//! Rust names made from spec names, the way progenitor and typify make them, so that the
//! post-process stage can find what they generated.

use heck::{ToPascalCase, ToSnakeCase};

const KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];

/// `input` in a case, its characters that are not identifier characters as separators; an
/// empty result is `empty`; one that cannot start an identifier gets `lead` before it.
fn sanitize(input: &str, to_case: fn(&str) -> String, empty: &str, lead: &str) -> String {
    let cleaned: String = input
        .replace('\'', "")
        .chars()
        .map(|c| {
            if unicode_ident::is_xid_continue(c) {
                c
            } else {
                '-'
            }
        })
        .collect();
    let out = to_case(&cleaned);
    match out.chars().next() {
        None => empty.to_owned(),
        Some(c) if unicode_ident::is_xid_start(c) => out,
        Some(_) => format!("{lead}{out}"),
    }
}

/// A snake_case Rust name as progenitor names methods and parameters (`2step` → `_2step`).
pub fn snake(input: &str) -> String {
    keyword_safe(sanitize(input, |s| s.to_snake_case(), "x", "_"))
}

/// A snake_case Rust name as typify names struct fields (`2fa` → `x2fa`).
pub fn field(input: &str) -> String {
    keyword_safe(sanitize(input, |s| s.to_snake_case(), "x", "x"))
}

fn keyword_safe(out: String) -> String {
    if out == "_" || KEYWORDS.contains(&out.as_str()) {
        format!("{out}_")
    } else {
        out
    }
}

/// A PascalCase Rust name (type, variant), as typify names types.
pub fn pascal(input: &str) -> String {
    keyword_safe(sanitize(input, |s| s.to_pascal_case(), "X", "X"))
}

/// `base` if `is_free` says so, else the first free of `base{separator}2`,
/// `base{separator}3`, …: how every name the generator makes up is kept unique.
pub fn first_free(base: &str, separator: &str, is_free: impl Fn(&str) -> bool) -> String {
    std::iter::once(base.to_owned())
        .chain((2..).map(|i| format!("{base}{separator}{i}")))
        .find(|n| is_free(n))
        .expect("an unused name exists")
}

/// The Rust type names taken (names in PascalCase), handing out free ones.
///
/// [`Taken::claim`] gives what [`first_free`] with no separator would, by PascalCase: it
/// remembers where each base's search stopped, and names are only ever added, so the
/// suffixes it skips were taken already. A spec with a hundred schemas named alike costs a
/// hundred tries, not five thousand.
#[derive(Debug, Default, Clone)]
pub struct Taken {
    names: std::collections::HashSet<String>,
    next: std::collections::HashMap<String, usize>,
}

impl Taken {
    /// The names of these keys, taken.
    pub fn new<'a>(keys: impl IntoIterator<Item = &'a String>) -> Self {
        Self {
            names: keys.into_iter().map(|k| pascal(k)).collect(),
            next: Default::default(),
        }
    }

    /// Takes the name of `key`; false if it was taken already.
    pub fn insert(&mut self, key: &str) -> bool {
        self.names.insert(pascal(key))
    }

    /// Whether the name of `key` is taken.
    pub fn contains(&self, key: &str) -> bool {
        self.names.contains(&pascal(key))
    }

    /// The first of `base`, `base2`, `base3`, … whose name is free, taken.
    pub fn claim(&mut self, base: &str) -> String {
        let start = self.next.get(base).copied().unwrap_or(1);
        let (i, key) = (start..)
            .map(|i| match i {
                1 => (i, base.to_owned()),
                _ => (i, format!("{base}{i}")),
            })
            .find(|(_, key)| !self.contains(key))
            .expect("an unused name exists");
        self.insert(&key);
        self.next.insert(base.to_owned(), i + 1);
        key
    }
}

/// The variant name of an error status: its canonical reason phrase in PascalCase
/// (`429` → `TooManyRequests`), or `Status<code>` for codes without one.
pub fn status_variant(code: u16) -> String {
    match reason(code) {
        Some(reason) => pascal(reason),
        None => format!("Status{code}"),
    }
}

/// The canonical reason phrase of a status code.
pub fn reason(code: u16) -> Option<&'static str> {
    Some(match code {
        100 => "Continue",
        101 => "Switching Protocols",
        200 => "OK",
        201 => "Created",
        202 => "Accepted",
        203 => "Non Authoritative Information",
        204 => "No Content",
        205 => "Reset Content",
        206 => "Partial Content",
        207 => "Multi Status",
        300 => "Multiple Choices",
        301 => "Moved Permanently",
        302 => "Found",
        303 => "See Other",
        304 => "Not Modified",
        307 => "Temporary Redirect",
        308 => "Permanent Redirect",
        400 => "Bad Request",
        401 => "Unauthorized",
        402 => "Payment Required",
        403 => "Forbidden",
        404 => "Not Found",
        405 => "Method Not Allowed",
        406 => "Not Acceptable",
        407 => "Proxy Authentication Required",
        408 => "Request Timeout",
        409 => "Conflict",
        410 => "Gone",
        411 => "Length Required",
        412 => "Precondition Failed",
        413 => "Payload Too Large",
        414 => "URI Too Long",
        415 => "Unsupported Media Type",
        416 => "Range Not Satisfiable",
        417 => "Expectation Failed",
        418 => "Im A Teapot",
        421 => "Misdirected Request",
        422 => "Unprocessable Entity",
        423 => "Locked",
        424 => "Failed Dependency",
        425 => "Too Early",
        426 => "Upgrade Required",
        428 => "Precondition Required",
        429 => "Too Many Requests",
        431 => "Request Header Fields Too Large",
        451 => "Unavailable For Legal Reasons",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        505 => "HTTP Version Not Supported",
        507 => "Insufficient Storage",
        511 => "Network Authentication Required",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_match_progenitor_and_typify() {
        assert_eq!(snake("connectAccount"), "connect_account");
        assert_eq!(snake("get_account"), "get_account");
        assert_eq!(snake("type"), "type_");
        assert_eq!(pascal("RTPRejectionCode"), "RtpRejectionCode");
        assert_eq!(pascal("bank-account"), "BankAccount");
        assert_eq!(pascal("3ds"), "X3ds");
        assert_eq!(snake("2step"), "_2step");
        assert_eq!(field("2fa"), "x2fa");
        assert_eq!(snake("_"), "x");
    }

    #[test]
    fn taken_claims_what_first_free_gives() {
        let keys = ["Item".to_owned(), "item2".to_owned()];
        let mut taken = Taken::new(&keys);
        let mut reference: std::collections::BTreeSet<String> =
            keys.iter().map(|k| pascal(k)).collect();
        for base in ["item", "Item", "other", "item", "Other", "item3", "item"] {
            let expected = first_free(base, "", |n| !reference.contains(&pascal(n)));
            reference.insert(pascal(&expected));
            assert_eq!(taken.claim(base), expected, "claiming {base}");
        }
        // A name taken outside a claim is skipped too.
        assert!(taken.insert("Item8"));
        assert!(!taken.insert("item8"));
        reference.insert("Item8".to_owned());
        let mut claimed = Vec::new();
        for base in ["Item", "Item", "Item"] {
            let expected = first_free(base, "", |n| !reference.contains(&pascal(n)));
            reference.insert(pascal(&expected));
            claimed.push(taken.claim(base));
            assert_eq!(claimed.last(), Some(&expected), "claiming {base}");
        }
        assert!(!claimed.contains(&"Item8".to_owned()), "{claimed:?}");
    }

    #[test]
    fn status_variants() {
        assert_eq!(status_variant(429), "TooManyRequests");
        assert_eq!(status_variant(422), "UnprocessableEntity");
        assert_eq!(status_variant(599), "Status599");
    }
}
