//! Media types: parsed once ([`MediaType`]: its essence and what kind it is), which one a
//! method sends (JSON first), the binary schema of raw bodies.

use std::fmt;

use indexmap::IndexMap;
use openapiv3::Schema;

/// A media type as a spec writes it, parsed once: its essence (no parameters, lower case)
/// and what kind of body it is.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct MediaType {
    /// As the spec writes it (the key of its `content` map).
    written: String,
    /// Without parameters, lower case: `application/json`.
    essence: String,
}

/// What kind of body a media type is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MediaKind {
    /// `application/json`, or any `+json` type.
    Json,
    /// `application/x-www-form-urlencoded`.
    Form,
    /// `multipart/form-data`.
    Multipart,
    /// `application/octet-stream`.
    OctetStream,
    /// Anything else (XML, text, JOSE, ...).
    Other,
}

impl MediaType {
    /// Parses a media type as a spec writes it.
    pub fn new(written: &str) -> Self {
        Self {
            written: written.to_owned(),
            essence: essence(written).to_ascii_lowercase(),
        }
    }

    /// As the spec writes it.
    pub fn as_str(&self) -> &str {
        &self.written
    }

    /// What kind of body it is.
    pub fn kind(&self) -> MediaKind {
        match self.essence.as_str() {
            "application/json" => MediaKind::Json,
            e if e.ends_with("+json") => MediaKind::Json,
            "application/x-www-form-urlencoded" => MediaKind::Form,
            "multipart/form-data" => MediaKind::Multipart,
            "application/octet-stream" => MediaKind::OctetStream,
            _ => MediaKind::Other,
        }
    }
}

impl fmt::Display for MediaType {
    /// As the spec writes it.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.written)
    }
}

/// A media type without its parameters (`application/json; charset=utf-8` →
/// `application/json`), case as written.
pub(crate) fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

/// Whether a media type as written is JSON (`application/json` or `+json`).
pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type).to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

pub(crate) fn binary_schema() -> Schema {
    Schema {
        schema_data: Default::default(),
        schema_kind: openapiv3::SchemaKind::Type(openapiv3::Type::String(openapiv3::StringType {
            format: openapiv3::VariantOrUnknownOrEmpty::Item(openapiv3::StringFormat::Binary),
            ..Default::default()
        })),
    }
}

/// The media type the client's method sends: JSON first.
pub(crate) fn preferred_media_type(content: &IndexMap<String, openapiv3::MediaType>) -> String {
    const PREFERENCE: [fn(&str) -> bool; 4] = [
        |m| m.eq_ignore_ascii_case("application/json"),
        is_json,
        |m| m.eq_ignore_ascii_case("application/x-www-form-urlencoded"),
        |m| m.eq_ignore_ascii_case("application/octet-stream"),
    ];
    PREFERENCE
        .iter()
        .find_map(|pred| content.keys().find(|k| pred(k)).cloned())
        .or_else(|| content.keys().next().cloned())
        .unwrap_or_default()
}

/// Keeps the one media type the client sends, JSON first; returns the others.
pub(crate) fn choose_media_type(
    content: &mut IndexMap<String, openapiv3::MediaType>,
) -> Vec<String> {
    if content.len() <= 1 {
        return Vec::new();
    }
    let chosen = preferred_media_type(content);
    let unused: Vec<String> = content.keys().filter(|k| **k != chosen).cloned().collect();
    content.retain(|k, _| *k == chosen);
    unused
}
