//! Layer 5 of the runtime, the call engine: the state of one call, which the hooks progenitor
//! runs inside it read and write (a task-local, set by [`crate::call`]): the call's deadline,
//! whether a request went out and whether it was safe to repeat, and a credentials failure
//! kept typed.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Instant;

use crate::error::AuthError;

tokio::task_local! {
    static CALL: Arc<CallState>;
}

/// The state of one call, shared by the hooks progenitor runs inside it.
pub(crate) struct CallState {
    /// The operation's `operationId`.
    pub(crate) operation: &'static str,
    /// When the call must be done, attempts, waits and token requests included.
    pub(crate) deadline: Instant,
    sent: AtomicBool,
    repeatable: AtomicBool,
    auth: Mutex<Option<AuthError>>,
}

impl CallState {
    pub(crate) fn new(operation: &'static str, deadline: Instant) -> Self {
        Self {
            operation,
            deadline,
            sent: AtomicBool::new(false),
            repeatable: AtomicBool::new(false),
            auth: Mutex::new(None),
        }
    }

    /// The state of the call being run, if any.
    pub(crate) fn current() -> Option<Arc<CallState>> {
        CALL.try_with(Arc::clone).ok()
    }

    /// An attempt is about to be sent; `repeatable`: whether sending it twice is harmless.
    pub(crate) fn mark_sent(&self, repeatable: bool) {
        self.repeatable.store(repeatable, Ordering::Relaxed);
        self.sent.store(true, Ordering::Relaxed);
    }

    /// Whether the call may be made again without harm: nothing was sent, or what was sent
    /// is safe to repeat.
    pub(crate) fn retry_safe(&self) -> bool {
        !self.sent.load(Ordering::Relaxed) || self.repeatable.load(Ordering::Relaxed)
    }

    /// Keeps the credentials failure that stopped the call, for [`call`] to return.
    pub(crate) fn set_auth_error(&self, error: AuthError) {
        if let Ok(mut slot) = self.auth.lock() {
            *slot = Some(error);
        }
    }

    pub(crate) fn take_auth_error(&self) -> Option<AuthError> {
        self.auth.lock().ok().and_then(|mut slot| slot.take())
    }
}

impl CallState {
    /// Runs `work` with this as the current call's state.
    pub(crate) async fn scope<F: Future>(self: Arc<Self>, work: F) -> F::Output {
        CALL.scope(self, work).await
    }
}
