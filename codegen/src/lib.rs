//! The generator: one OpenAPI spec plus its settings in, one client crate out.
//!
//! The public face is small: [`Builder`] (a client's code from a build script, or a whole
//! crate in memory, [`CrateFiles`], to write or compare), [`cli::main`] (the `finapi-codegen`
//! command, which `cargo xtask generate` runs too), the settings types ([`Settings`] and what
//! it holds), and [`Error`]. Everything else is the pipeline's own.
//!
//! Inside, a pipeline of small stages, one module each, in this order: `load` → `validate` →
//! `normalize` → `generate` (progenitor) → `postprocess` (syn / quote) → `format`
//! (prettyplease) → `package` → `emit`, over a bottom layer any stage may use (`openapi`,
//! `syntax`, `error`, `names`, `runtime_bounds`) and capability folders that keep each side
//! of one feature together (`restore`, `webhooks`, `pagination`). Only `load` and `emit`
//! touch the disk; `pipeline` runs the pure stages between them.

#![warn(missing_docs)]

mod builder;
pub mod cli;
mod compare;
mod degrade;
mod emit;
mod error;
mod format;
mod generate;
mod load;
mod model;
mod names;
mod normalize;
mod openapi;
mod package;
mod pagination;
mod pipeline;
mod postprocess;
mod restore;
mod runtime_bounds;
mod settings;
mod syntax;
#[cfg(test)]
mod test_support;
mod timings;
mod validate;
mod waiters;
mod webhooks;

pub use builder::Builder;
pub use compare::{Mismatch, render};
pub use error::{Error, Result, Stage};
pub use package::{CrateFiles, RUNTIME_VERSION, Report, RuntimeDependency};
pub use pagination::{PaginationSettings, PagingStyle};
pub use settings::{ClientHeader, ExpirySettings, Settings, TokenSettings};
pub use waiters::{FindSettings, WaiterSettings};
pub use webhooks::{
    HmacAlgorithm, HmacSettings, JwtAlgorithm, JwtSettings, ReplayKeySettings, SignatureEncoding,
    TimestampFormat, TimestampSettings, VerifySettings, WebhookSettings,
};

/// The README's code blocks, compiled as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
pub struct ReadmeDoctests;
