//! `multipart/form-data` request bodies (RFC 7578), built in memory so a request can be
//! retried and its size is known.

use std::hash::{BuildHasher, Hasher};

use bytes::{BufMut, Bytes, BytesMut};
use reqwest::header::HeaderValue;

/// One part: a field name, an optional file name and content type, and its bytes.
#[derive(Clone)]
struct Part {
    name: String,
    file_name: Option<String>,
    content_type: Option<String>,
    data: Bytes,
}

/// A `multipart/form-data` body: text fields and files, in the order added.
///
/// ```
/// let body = finapi_runtime::Multipart::new()
///     .text("description", "March statement")
///     .file("file", "statement.pdf", "application/pdf", b"%PDF-1.7".to_vec());
/// assert!(body.content_type().to_str().unwrap().starts_with("multipart/form-data; boundary="));
/// ```
#[derive(Clone)]
pub struct Multipart {
    parts: Vec<Part>,
    boundary: String,
}

impl Default for Multipart {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for Multipart {
    /// Names the parts and their sizes, never their contents (they may be documents or
    /// personal data).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let mut list = f.debug_list();
        for p in &self.parts {
            list.entry(&format_args!(
                "{:?}{}: {} bytes",
                p.name,
                p.file_name
                    .as_deref()
                    .map(|n| format!(" (file {n:?})"))
                    .unwrap_or_default(),
                p.data.len()
            ));
        }
        list.finish()
    }
}

/// A boundary no one can guess: 128 bits from the standard library's per-process random
/// hash keys.
fn random_boundary() -> String {
    let word = || {
        let mut h = std::collections::hash_map::RandomState::new().build_hasher();
        h.write_u64(0x6669_6e61_7069);
        h.finish()
    };
    format!("finapi-{:016x}{:016x}", word(), word())
}

/// A header parameter value: quoted, with `"`, `\` and line breaks escaped as browsers do
/// (RFC 7578 §4.2 leaves it to the form's charset; percent-escaping is what HTML specifies).
fn quoted(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 2);
    out.push('"');
    for c in value.chars() {
        match c {
            '"' => out.push_str("%22"),
            '\r' => out.push_str("%0D"),
            '\n' => out.push_str("%0A"),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

impl Multipart {
    /// An empty body.
    pub fn new() -> Self {
        Self {
            parts: Vec::new(),
            boundary: random_boundary(),
        }
    }

    fn push(mut self, part: Part) -> Self {
        // The boundary must not occur in any part: pick another while it does.
        while self.parts.iter().chain([&part]).any(|p| {
            p.data
                .windows(self.boundary.len())
                .any(|w| w == self.boundary.as_bytes())
        }) {
            self.boundary = random_boundary();
        }
        self.parts.push(part);
        self
    }

    /// Adds a text field.
    pub fn text(self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.push(Part {
            name: name.into(),
            file_name: None,
            content_type: None,
            data: Bytes::from(value.into()),
        })
    }

    /// Adds a field whose value is JSON (a structured field of the form's schema).
    pub fn json<T: serde::Serialize + ?Sized>(
        self,
        name: impl Into<String>,
        value: &T,
    ) -> Result<Self, serde_json::Error> {
        let data = serde_json::to_vec(value)?;
        Ok(self.push(Part {
            name: name.into(),
            file_name: None,
            content_type: Some("application/json".into()),
            data: Bytes::from(data),
        }))
    }

    /// Adds a file: its field name, file name, content type and bytes.
    pub fn file(
        self,
        name: impl Into<String>,
        file_name: impl Into<String>,
        content_type: impl Into<String>,
        data: impl Into<Bytes>,
    ) -> Self {
        self.push(Part {
            name: name.into(),
            file_name: Some(file_name.into()),
            content_type: Some(content_type.into()),
            data: data.into(),
        })
    }

    /// The `Content-Type` header: `multipart/form-data; boundary=...`.
    pub fn content_type(&self) -> HeaderValue {
        // The boundary is ASCII letters, digits and `-`: always a valid header value.
        HeaderValue::from_str(&format!("multipart/form-data; boundary={}", self.boundary))
            .unwrap_or_else(|_| HeaderValue::from_static("multipart/form-data"))
    }

    /// The encoded body.
    pub fn into_bytes(self) -> Bytes {
        let mut out = BytesMut::new();
        for p in &self.parts {
            out.put_slice(b"--");
            out.put_slice(self.boundary.as_bytes());
            out.put_slice(b"\r\nContent-Disposition: form-data; name=");
            out.put_slice(quoted(&p.name).as_bytes());
            if let Some(file_name) = &p.file_name {
                out.put_slice(b"; filename=");
                out.put_slice(quoted(file_name).as_bytes());
            }
            out.put_slice(b"\r\n");
            if let Some(ct) = &p.content_type {
                out.put_slice(b"Content-Type: ");
                out.put_slice(ct.replace(['\r', '\n'], " ").as_bytes());
                out.put_slice(b"\r\n");
            }
            out.put_slice(b"\r\n");
            out.put_slice(&p.data);
            out.put_slice(b"\r\n");
        }
        out.put_slice(b"--");
        out.put_slice(self.boundary.as_bytes());
        out.put_slice(b"--\r\n");
        out.freeze()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_framed_by_the_boundary_of_the_content_type() {
        let body = Multipart::new().text("note", "a \"quoted\"\nline").file(
            "file",
            "a.pdf",
            "application/pdf",
            &b"%PDF"[..],
        );
        let ct = body.content_type();
        let boundary = ct
            .to_str()
            .expect("ascii")
            .strip_prefix("multipart/form-data; boundary=")
            .expect("boundary")
            .to_owned();
        let text = String::from_utf8(body.into_bytes().to_vec()).expect("utf-8");
        assert_eq!(
            text,
            format!(
                "--{b}\r\nContent-Disposition: form-data; name=\"note\"\r\n\r\na \"quoted\"\nline\r\n\
                 --{b}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.pdf\"\r\nContent-Type: application/pdf\r\n\r\n%PDF\r\n\
                 --{b}--\r\n",
                b = boundary
            )
        );
    }

    #[test]
    fn names_are_escaped_and_contents_stay_out_of_debug() {
        let body = Multipart::new().file("f\"x", "a\r\nb.txt", "text/plain", &b"secret"[..]);
        assert_eq!(
            format!("{body:?}"),
            r#"["f\"x" (file "a\r\nb.txt"): 6 bytes]"#
        );
        let text = String::from_utf8(body.into_bytes().to_vec()).expect("utf-8");
        assert!(
            text.contains(r#"name="f%22x"; filename="a%0D%0Ab.txt""#),
            "{text}"
        );
    }

    #[test]
    fn a_part_holding_the_boundary_gets_another_boundary() {
        let body = Multipart::new();
        let first = body.boundary.clone();
        let body = body.text("x", format!("--{first}"));
        assert_ne!(body.boundary, first);
        assert!(!body.clone().into_bytes().is_empty());
        let text = String::from_utf8(body.clone().into_bytes().to_vec()).expect("utf-8");
        assert_eq!(text.matches(&body.boundary).count(), 2);
    }
}
