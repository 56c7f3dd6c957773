//! Webhooks, a capability in one place, as `restore/` keeps each restoration: the settings'
//! `webhooks` entry, typed (`settings.rs`); the spec's events checked with them into a
//! [`WebhookModel`] (`check.rs`, the normalize side); the crate's `webhooks` module over
//! `finapi_runtime::webhook` (`render.rs`, the post-process side); and the README section
//! (`readme.rs`). Imports only the bottom layer (errors, names, the runtime's bounds), so any
//! stage may use it.

mod check;
mod model;
mod readme;
mod render;
mod settings;

pub(crate) use self::check::check;
pub(crate) use self::model::WebhookModel;
pub(crate) use self::readme::readme;
pub(crate) use self::render::module;
pub use self::settings::{
    HmacAlgorithm, HmacSettings, JwtAlgorithm, JwtSettings, ReplayKeySettings, SignatureEncoding,
    TimestampFormat, TimestampSettings, VerifySettings, WebhookSettings,
};
