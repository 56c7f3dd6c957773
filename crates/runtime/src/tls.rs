//! Layer 4 of the runtime, configuration: TLS for the HTTP clients.
//!
//! With rustls (the default), the system's CA roots are read once per process into one
//! `rustls::ClientConfig` that every client shares: building a client costs no file reads
//! (reqwest on its own reads them again for every client, about 17 ms each). With
//! `native-tls`, the platform's library loads them as it does.
//!
//! The rustls provider: `ring` (feature `rustls`, the default: the cheaper build, classical
//! key exchange only) or `aws-lc-rs` (feature `rustls-aws-lc`: post-quantum hybrid key
//! exchange, X25519MLKEM768, preferred), which wins where both features are on.

use std::sync::atomic::{AtomicUsize, Ordering};
#[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
use std::sync::{Arc, OnceLock};

/// How many times this process has read the system's CA roots (for tests).
static ROOT_LOADS: AtomicUsize = AtomicUsize::new(0);

/// How many times this process has read the system's CA roots.
pub(crate) fn root_loads() -> usize {
    ROOT_LOADS.load(Ordering::Relaxed)
}

/// The rustls provider the features choose: aws-lc-rs (post-quantum key exchange) where
/// `rustls-aws-lc` is on.
#[cfg(feature = "rustls-aws-lc")]
fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::aws_lc_rs::default_provider()
}

/// The rustls provider the features choose: ring. rustls 0.23.48 deprecates it for having
/// no post-quantum key exchange; it stays the default for its build cost (BENCHMARKS.md),
/// and `rustls-aws-lc` is the choice with post-quantum key exchange (README: TLS).
#[cfg(all(feature = "rustls", not(feature = "rustls-aws-lc")))]
#[allow(deprecated)]
fn provider() -> rustls::crypto::CryptoProvider {
    rustls::crypto::ring::default_provider()
}

/// Installs the features' rustls provider as the process's where the application has
/// installed none.
pub(crate) fn install_provider() {
    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
    if rustls::crypto::CryptoProvider::get_default().is_none() {
        let _ = provider().install_default();
    }
}

/// The process's one rustls configuration: the installed provider, the platform's verifier
/// over the system's roots (read here, once), HTTP/1.1.
#[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
fn shared_rustls() -> Result<rustls::ClientConfig, String> {
    static CONFIG: OnceLock<Result<rustls::ClientConfig, String>> = OnceLock::new();
    CONFIG
        .get_or_init(|| {
            install_provider();
            let provider = rustls::crypto::CryptoProvider::get_default()
                .cloned()
                .unwrap_or_else(|| Arc::new(provider()));
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
    #[cfg(any(feature = "rustls", feature = "rustls-aws-lc"))]
    let builder = match shared_rustls() {
        Ok(config) => builder.tls_backend_preconfigured(config),
        // reqwest tries again, and reports the same failure when the client is built.
        Err(_) => builder.tls_backend_rustls(),
    };
    builder
}

#[cfg(all(test, feature = "rustls-aws-lc"))]
mod tests {
    #[test]
    fn aws_lc_prefers_post_quantum_key_exchange() {
        let provider = super::provider();
        assert_eq!(
            provider.kx_groups.first().map(|g| g.name()),
            Some(rustls::NamedGroup::X25519MLKEM768)
        );
    }
}
