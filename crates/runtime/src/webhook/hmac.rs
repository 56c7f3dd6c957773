//! Signatures that are an HMAC of header values (and optionally the body): Moov's scheme,
//! described as data ([`HmacScheme`]) and checked in constant time by RustCrypto's `hmac`.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use http::HeaderMap;
use sha2::{Sha256, Sha512};

use super::{WebhookError, header};
use crate::secret::Secret;

/// The hash under the HMAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HmacAlgorithm {
    /// HMAC-SHA256.
    Sha256,
    /// HMAC-SHA512.
    Sha512,
}

/// How the signature header writes the MAC.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureEncoding {
    /// Hexadecimal (either case is read; lowercase is written).
    Hex,
    /// Standard base64 with padding.
    Base64,
}

/// How a timestamp header writes the signing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimestampFormat {
    /// RFC 3339 (`2024-04-26T21:20:55Z`).
    Rfc3339,
    /// Seconds since the Unix epoch.
    UnixSeconds,
}

/// The header that carries the signing time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimestampHeader {
    /// The header's name.
    pub header: &'static str,
    /// How it writes the time.
    pub format: TimestampFormat,
}

/// An HMAC signature scheme: which header values are signed, joined how, and where the
/// signature goes. Generated crates hold their provider's as `webhooks::SCHEME`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HmacScheme {
    /// The hash.
    pub algorithm: HmacAlgorithm,
    /// The header that carries the signature.
    pub signature_header: &'static str,
    /// The headers whose values are signed, in order.
    pub signed_headers: &'static [&'static str],
    /// What joins the signed values (and the body, if signed).
    pub separator: &'static str,
    /// Whether the body follows the header values in the signed string.
    pub sign_body: bool,
    /// How the signature is written.
    pub encoding: SignatureEncoding,
    /// The header that carries the signing time, if any.
    pub timestamp: Option<TimestampHeader>,
}

impl HmacScheme {
    /// The signature of these header values (in `signed_headers` order) and body, as the
    /// provider writes it.
    pub fn sign(&self, secret: &str, values: &[&str], body: &[u8]) -> String {
        let mac = self.mac(secret.as_bytes(), values, body).finalize();
        match self.encoding {
            SignatureEncoding::Hex => hex::encode(mac),
            SignatureEncoding::Base64 => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD.encode(mac)
            }
        }
    }

    /// Checks the signature header against the signed headers and body, in constant time.
    pub(super) fn verify(
        &self,
        secret: &Secret,
        headers: &HeaderMap,
        body: &[u8],
    ) -> Result<(), WebhookError> {
        let signature = header(headers, self.signature_header)?;
        let values = self
            .signed_headers
            .iter()
            .map(|name| header(headers, name))
            .collect::<Result<Vec<_>, _>>()?;
        let decoded = match self.encoding {
            SignatureEncoding::Hex => hex::decode(signature.trim()).ok(),
            SignatureEncoding::Base64 => {
                use base64::Engine as _;
                base64::engine::general_purpose::STANDARD
                    .decode(signature.trim())
                    .ok()
            }
        };
        let decoded = decoded.ok_or_else(|| WebhookError::InvalidHeader {
            name: self.signature_header.to_owned(),
            expected: match self.encoding {
                SignatureEncoding::Hex => "hexadecimal",
                SignatureEncoding::Base64 => "base64",
            },
        })?;
        // Invariant (webhooks are verified in constant time): the MAC crate compares.
        self.mac(secret.expose().as_bytes(), &values, body)
            .verify_slice(&decoded)
            .map_err(|_| WebhookError::BadSignature)
    }

    /// The signing time the timestamp header states, if the scheme has one.
    pub(super) fn signed_at(
        &self,
        headers: &HeaderMap,
    ) -> Result<Option<SystemTime>, WebhookError> {
        let Some(stamp) = self.timestamp else {
            return Ok(None);
        };
        let value = header(headers, stamp.header)?;
        let invalid = |expected| WebhookError::InvalidHeader {
            name: stamp.header.to_owned(),
            expected,
        };
        let time = match stamp.format {
            TimestampFormat::Rfc3339 => {
                let time = chrono::DateTime::parse_from_rfc3339(value.trim())
                    .map_err(|_| invalid("an RFC 3339 time"))?;
                let nanos = time
                    .timestamp_nanos_opt()
                    .ok_or_else(|| invalid("a time in range"))?;
                system_time(nanos as i128)
            }
            TimestampFormat::UnixSeconds => {
                let secs: i64 = value.trim().parse().map_err(|_| invalid("Unix seconds"))?;
                system_time(secs as i128 * 1_000_000_000)
            }
        };
        Ok(Some(time))
    }

    /// A timestamp header value for `time`, as the provider writes it.
    pub fn format_time(&self, time: SystemTime) -> Option<String> {
        let stamp = self.timestamp?;
        let secs = time.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
        Some(match stamp.format {
            TimestampFormat::Rfc3339 => chrono::DateTime::from_timestamp(secs as i64, 0)?
                .format("%Y-%m-%dT%H:%M:%SZ")
                .to_string(),
            TimestampFormat::UnixSeconds => secs.to_string(),
        })
    }

    fn mac(&self, key: &[u8], values: &[&str], body: &[u8]) -> Macs {
        let mut mac = match self.algorithm {
            HmacAlgorithm::Sha256 => Macs::Sha256(
                Hmac::<Sha256>::new_from_slice(key).expect("HMAC takes a key of any length"),
            ),
            HmacAlgorithm::Sha512 => Macs::Sha512(
                Hmac::<Sha512>::new_from_slice(key).expect("HMAC takes a key of any length"),
            ),
        };
        for (i, value) in values.iter().enumerate() {
            if i > 0 {
                mac.update(self.separator.as_bytes());
            }
            mac.update(value.as_bytes());
        }
        if self.sign_body {
            if !values.is_empty() {
                mac.update(self.separator.as_bytes());
            }
            mac.update(body);
        }
        mac
    }
}

fn system_time(nanos: i128) -> SystemTime {
    let magnitude = Duration::from_nanos(nanos.unsigned_abs().min(u64::MAX as u128) as u64);
    if nanos >= 0 {
        UNIX_EPOCH + magnitude
    } else {
        UNIX_EPOCH - magnitude
    }
}

enum Macs {
    Sha256(Hmac<Sha256>),
    Sha512(Hmac<Sha512>),
}

impl Macs {
    fn update(&mut self, bytes: &[u8]) {
        match self {
            Self::Sha256(m) => m.update(bytes),
            Self::Sha512(m) => m.update(bytes),
        }
    }

    fn finalize(self) -> Vec<u8> {
        match self {
            Self::Sha256(m) => m.finalize().into_bytes().to_vec(),
            Self::Sha512(m) => m.finalize().into_bytes().to_vec(),
        }
    }

    fn verify_slice(self, tag: &[u8]) -> Result<(), hmac::digest::MacError> {
        match self {
            Self::Sha256(m) => m.verify_slice(tag),
            Self::Sha512(m) => m.verify_slice(tag),
        }
    }
}
