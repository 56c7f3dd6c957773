//! Waiters, a capability in one place: polling a resource until it reaches a state the provider
//! documents as final, declared as data (the settings' `waiters`, `settings.rs`); checked
//! against the operations into the model's `WaiterModel`s, the methods' names decided there
//! once (`check.rs`, the normalize side); the `wait_for_<name>` methods over
//! `finapi_runtime::waiter`, reading the state through the generated types (`render.rs`, the
//! post-process side); and the README section (`readme.rs`).

mod check;
mod readme;
mod render;
mod settings;

pub(crate) use self::check::check;
pub(crate) use self::readme::readme;
pub(crate) use self::render::waiters;
pub use self::settings::{FindSettings, WaiterSettings};
