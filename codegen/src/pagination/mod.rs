//! Auto-pagination, a capability in one place, as `restore/` keeps each restoration: the
//! declaration (`x-pagination` in the spec, or the settings' `pagination`), typed
//! (`settings.rs`); checked against the operation's query parameters into the model's
//! `PaginationModel`, the paginators' names decided there once (`check.rs`, the normalize
//! side); the `<op>_pages` and `<op>_stream` methods over `finapi_runtime::pagination`
//! (`render.rs`, reading pages through `syntax::access`: the post-process side); and the README section
//! (`readme.rs`).

mod check;
mod readme;
mod render;
mod settings;

pub(crate) use self::check::{declaration, parameters, resolve};
pub(crate) use self::readme::readme;
pub(crate) use self::render::paginators;
pub use self::settings::{PaginationSettings, PagingStyle};
