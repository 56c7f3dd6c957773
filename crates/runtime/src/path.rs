//! Path parameters in a request's URL.

use std::borrow::Cow;

/// What a path segment percent-encodes: the WHATWG URL standard's path-segment set, the set
/// `progenitor_client::encode_path` uses (<https://url.spec.whatwg.org/#url-path-segment-string>).
const PATH_SET: &percent_encoding::AsciiSet = &percent_encoding::CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// A path parameter's value as one segment of a URL's path, percent-encoded as
/// `progenitor_client::encode_path` encodes it, byte for byte; a value with nothing to encode
/// (an id, a UUID) is borrowed as it is, not copied into a new string character by character.
/// Generated raw methods call it where progenitor wrote `encode_path`.
pub fn encode_path(segment: &str) -> Cow<'_, str> {
    percent_encoding::utf8_percent_encode(segment, PATH_SET).into()
}

#[cfg(test)]
mod tests {
    use super::encode_path;

    #[test]
    fn a_segment_is_encoded_as_progenitor_encodes_it() {
        let mut inputs: Vec<String> = (0u8..128).map(|b| char::from(b).to_string()).collect();
        inputs.extend(
            [
                "",
                "acct_123",
                "456cb5b6-20dc-4585-97b4-745d013adb1f",
                "a b/c?d#e%f",
                "100%",
                "Zürich 東京 🦀",
                "~!$&'()*+,;=:@[]\\^|",
                "\u{7f}\u{80}\u{ff}",
            ]
            .map(str::to_owned),
        );
        for input in &inputs {
            assert_eq!(
                encode_path(input),
                progenitor_client::encode_path(input),
                "{input:?}"
            );
        }
        // Nothing to encode: the value itself, not a copy.
        assert!(matches!(
            encode_path("acct_123"),
            std::borrow::Cow::Borrowed(_)
        ));
    }
}
