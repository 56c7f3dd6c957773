//! Request media types: which one a method sends (JSON first), what progenitor sends as it
//! is, the binary schema of raw bodies.

use indexmap::IndexMap;
use openapiv3::{MediaType, Schema};

/// A media type without its parameters (`application/json; charset=utf-8` →
/// `application/json`), case as written.
pub(crate) fn essence(media_type: &str) -> &str {
    media_type.split(';').next().unwrap_or_default().trim()
}

pub(crate) fn is_json(media_type: &str) -> bool {
    let essence = essence(media_type).to_ascii_lowercase();
    essence == "application/json" || essence.ends_with("+json")
}

/// The request media types progenitor sends as they are.
pub(crate) fn progenitor_sends(media_type: &str) -> bool {
    // As progenitor matches them: case-sensitively.
    matches!(
        essence(media_type),
        "application/json"
            | "application/x-www-form-urlencoded"
            | "application/octet-stream"
            | "text/plain"
    )
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
pub(crate) fn preferred_media_type(content: &IndexMap<String, MediaType>) -> String {
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
pub(crate) fn choose_media_type(content: &mut IndexMap<String, MediaType>) -> Vec<String> {
    if content.len() <= 1 {
        return Vec::new();
    }
    let chosen = preferred_media_type(content);
    let unused: Vec<String> = content.keys().filter(|k| **k != chosen).cloned().collect();
    content.retain(|k, _| *k == chosen);
    unused
}
