//! Inbound credentials for providers that sign nothing (Open Finance): the Basic
//! credentials, bearer token or custom header values the integrator configured the provider
//! to send, compared in constant time over their SHA-256 (so neither content nor length
//! leaks through timing).

use base64::Engine as _;
use http::HeaderMap;
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

use super::{WebhookError, header};
use crate::secret::Secret;

/// The credentials a delivery must carry: every check must pass.
#[derive(Debug, Clone)]
pub struct InboundAuth {
    checks: Vec<Check>,
}

#[derive(Debug, Clone)]
struct Check {
    header: String,
    /// The scheme word before the value (`Basic`, `Bearer`), matched in any case.
    scheme: Option<&'static str>,
    expected: Secret,
}

impl InboundAuth {
    /// HTTP Basic credentials in `Authorization`.
    pub fn basic(username: &str, password: impl Into<Secret>) -> Self {
        let password = password.into();
        let token = base64::engine::general_purpose::STANDARD
            .encode(format!("{username}:{}", password.expose()));
        Self::single(Check {
            header: "authorization".to_owned(),
            scheme: Some("Basic"),
            expected: Secret::new(token),
        })
    }

    /// A bearer token in `Authorization`.
    pub fn bearer(token: impl Into<Secret>) -> Self {
        Self::single(Check {
            header: "authorization".to_owned(),
            scheme: Some("Bearer"),
            expected: token.into(),
        })
    }

    /// A custom header with a fixed value (Open Finance's `customHeaders`).
    pub fn header(name: &str, value: impl Into<Secret>) -> Self {
        Self::single(Check {
            header: name.to_ascii_lowercase(),
            scheme: None,
            expected: value.into(),
        })
    }

    /// Both these checks and `other`'s.
    pub fn and(mut self, other: InboundAuth) -> Self {
        self.checks.extend(other.checks);
        self
    }

    fn single(check: Check) -> Self {
        Self {
            checks: vec![check],
        }
    }

    pub(super) fn verify(&self, headers: &HeaderMap) -> Result<(), WebhookError> {
        let mut all = true;
        for check in &self.checks {
            let value = header(headers, &check.header)?.trim();
            let value = match check.scheme {
                Some(scheme) => match value.split_once(' ') {
                    Some((word, rest)) if word.eq_ignore_ascii_case(scheme) => rest.trim(),
                    _ => return Err(WebhookError::Unauthorized),
                },
                None => value,
            };
            // Invariant (webhooks are verified in constant time): digests compared by subtle.
            let same = Sha256::digest(value.as_bytes())
                .ct_eq(&Sha256::digest(check.expected.expose().as_bytes()));
            all &= bool::from(same);
        }
        if all {
            Ok(())
        } else {
            Err(WebhookError::Unauthorized)
        }
    }
}
