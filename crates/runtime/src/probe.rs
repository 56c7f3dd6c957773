//! Phase marks of one call, for measuring where its cost goes (feature `probe`, for
//! benchmarks: `bench/src/bin/overhead.rs` counts allocations per phase with them). Without
//! the feature the marks compile to nothing.
//!
//! A call passes the phases in order: [`Phase::Build`] (the generated raw method builds the
//! request: URL, headers, body), [`Phase::Span`] (its span and deadline), [`Phase::Hooks`]
//! (the runtime prepares it: credentials, default headers), [`Phase::Send`] (sending it and
//! reading the response head, retries included), [`Phase::Collect`] (reading the body),
//! [`Phase::Decode`] (the generated decoder), then [`Phase::Done`].

/// A phase of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Phase {
    /// The call's span and deadline.
    Span,
    /// The generated code builds the request.
    Build,
    /// The runtime prepares the request: credentials, default headers.
    Hooks,
    /// Sending the request and reading the response head (retries included).
    Send,
    /// Reading the response body.
    Collect,
    /// The generated decoder.
    Decode,
    /// After the decoder: the call returns.
    Done,
}

#[cfg(feature = "probe")]
static PROBE: std::sync::OnceLock<fn(Phase)> = std::sync::OnceLock::new();

/// Sets the function every mark calls (once per process; later calls are ignored).
#[cfg(feature = "probe")]
pub fn set(probe: fn(Phase)) {
    let _ = PROBE.set(probe);
}

/// Marks the start of `phase` of the current call.
#[inline(always)]
pub(crate) fn mark(phase: Phase) {
    #[cfg(feature = "probe")]
    if let Some(probe) = PROBE.get() {
        probe(phase);
    }
    #[cfg(not(feature = "probe"))]
    let _ = phase;
}
