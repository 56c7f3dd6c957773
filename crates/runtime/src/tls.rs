//! Layer 4 of the runtime, configuration: TLS for the HTTP clients.
//!
//! With rustls (the default), the system's CA roots are read once per process into one
//! `rustls::ClientConfig` that every client shares: building a client costs no file reads
//! (reqwest on its own reads them again for every client, about 17 ms each). With
//! `native-tls`, the platform's library loads them as it does.

use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(feature = "rustls")]
use std::sync::{Arc, OnceLock};

/// How many times this process has read the system's CA roots (for tests).
static ROOT_LOADS: AtomicUsize = AtomicUsize::new(0);

/// How many times this process has read the system's CA roots.
pub(crate) fn root_loads() -> usize {
    ROOT_LOADS.load(Ordering::Relaxed)
}

/// Installs ring as the process's rustls provider where the application has installed none.
pub(crate) fn install_provider() {
    #[cfg(feature = "rustls")]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = rustls::crypto::ring::default_provider().install_default();
    }
}

/// The process's one rustls configuration: the installed provider, the platform's verifier
/// over the system's roots (read here, once), HTTP/1.1.
#[cfg(feature = "rustls")]
fn shared_rustls() -> Result<rustls::ClientConfig, String> {
    static CONFIG: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            install_provider();
            let provider = rustls::crypto::CryptoProvider::get_default()
                .cloned()
                .unwrap_or_else(|| Arc::new(rustls::crypto::ring::default_provider()));
            ROOT_LOADS.fetch_add(1, Ordering::Relaxed);
            let verifier = rustls_platform_verifier::Verifier::new(provider.clone())
                .map_err(|e| format!("cannot load the system's CA roots: {e}"))?;
            let mut config = rustls::ClientConfig::builder_with_provider(provider)
                .with_safe_default_protocol_versions()
                .map_err(|e| format!("TLS versions: {e}"))?
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(verifier))
                .with_no_client_auth();
            config.alpn_protocols = vec![b"http/1.1".to_vec()];
            Ok(config)
        })
        .clone()
}

/// A `reqwest::ClientBuilder` with this crate's TLS set up, for callers who pass their own
/// client to `ClientBuilder::http_client`. (reqwest is built without its default aws-lc
/// provider, and a plain `reqwest::Client::builder().build()` would find no TLS provider.)
/// With rustls, every client built from it shares one TLS configuration: the system's CA
/// roots are read once per process.
pub fn http_client_builder() -> reqwest::ClientBuilder {
    install_provider();
    let builder = reqwest::Client::builder();
    #[cfg(feature = "rustls")]
    let builder = match shared_rustls() {
        Ok(config) => builder.tls_backend_preconfigured(config),
        // reqwest tries again, and reports the same failure when the client is built.
        Err(_) => builder.tls_backend_rustls(),
    };
    builder
}
