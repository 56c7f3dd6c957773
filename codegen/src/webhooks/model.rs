//! What the check of a crate's webhooks hands the rest of the pipeline ([`WebhookModel`]):
//! the events the spec declares, with their Rust names, and the settings they were checked
//! against.

use super::settings::WebhookSettings;

/// A crate's webhooks, checked against its spec.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebhookModel {
    /// The events, in spec order.
    pub events: Vec<EventModel>,
    /// The settings' `webhooks` entry.
    pub settings: WebhookSettings,
    /// The Rust type of the envelope, if any.
    pub envelope: Option<String>,
    /// The client method that fetches the key set (JWT schemes).
    pub jwks_method: Option<String>,
}

/// One event a provider delivers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EventModel {
    /// The event's type as the body names it (`bankAccount.updated`).
    pub wire: String,
    /// Its variant of `webhooks::Event`.
    pub variant: String,
    /// The Rust type of its payload.
    pub type_name: String,
    /// The summary and description of its `post`.
    pub doc: String,
}
