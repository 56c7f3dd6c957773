//! Typed response headers: the headers a spec documents on an operation's responses, as a
//! generated struct (`<Operation>Headers`, a field per header, parsed by its schema), read
//! from a response or an error with `headers_as::<H>()` beside the raw `headers()`.

use std::str::FromStr;

use http::HeaderMap;

/// A struct of typed headers, read from a response's headers. Generated crates implement it
/// for each operation whose responses document headers; callers use
/// [`Response::headers_as`](crate::Response::headers_as) and
/// [`ResponseMeta::headers_as`](crate::ResponseMeta::headers_as), with no trait to import.
pub trait FromHeaders: Sized {
    /// The typed headers of `headers`: a header that is absent, or whose value does not parse
    /// as its schema says, is `None`.
    fn from_headers(headers: &HeaderMap) -> Self;
}

/// The header `name` parsed as `T` (integers, numbers, booleans, strings, RFC 3339 dates):
/// `None` where it is absent, not text, or does not parse. The first value of a repeated
/// header.
pub fn header_value<T: FromStr>(headers: &HeaderMap, name: &str) -> Option<T> {
    headers.get(name)?.to_str().ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_parse_by_their_type_and_what_does_not_parse_is_none() {
        let mut headers = HeaderMap::new();
        headers.insert("x-ratelimit-remaining", "42".parse().expect("value"));
        headers.insert("x-flag", "true".parse().expect("value"));
        headers.insert("x-bad", "forty".parse().expect("value"));
        assert_eq!(
            header_value::<i32>(&headers, "X-RateLimit-Remaining"),
            Some(42)
        );
        assert_eq!(header_value::<bool>(&headers, "x-flag"), Some(true));
        assert_eq!(header_value::<i64>(&headers, "x-bad"), None);
        assert_eq!(
            header_value::<String>(&headers, "x-bad").as_deref(),
            Some("forty")
        );
        assert_eq!(header_value::<String>(&headers, "x-absent"), None);
    }
}
