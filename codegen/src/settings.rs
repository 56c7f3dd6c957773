//! Per-provider generation settings: policy as data, kept next to the spec.

use serde::Deserialize;

/// The settings of one provider crate (`specs/<name>.settings.yaml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// The directory under `crates/` that holds the crate.
    pub crate_dir: String,
    /// The Cargo package name.
    pub package: String,
    /// The package version.
    #[serde(default = "default_version")]
    pub version: String,
    /// The package description; defaults to one made from the spec's title.
    #[serde(default)]
    pub description: Option<String>,
    /// The default base URL; defaults to the spec's first server.
    #[serde(default)]
    pub base_url: Option<String>,
    /// The response header that carries the provider's request id.
    #[serde(default = "default_request_id_header")]
    pub request_id_header: String,
    /// Header parameters the client sets once instead of taking them on every call.
    #[serde(default)]
    pub client_headers: Vec<ClientHeader>,
    /// The prefix of the environment variables `Client::from_env` and the examples read
    /// (`<PREFIX>_BASE_URL`, `<PREFIX>_ACCESS_TOKEN`, ...).
    #[serde(default)]
    pub env_prefix: Option<String>,
    /// The two variables (after the prefix) that hold HTTP Basic credentials.
    #[serde(default)]
    pub basic_env: Option<[String; 2]>,
    /// The provider's token endpoint, for a client that exchanges credentials for tokens.
    #[serde(default)]
    pub token: Option<TokenSettings>,
    /// The package's crates.io keywords (at most 5).
    #[serde(default)]
    pub keywords: Vec<String>,
    /// The package's crates.io categories.
    #[serde(default)]
    pub categories: Vec<String>,
    /// The URL of the package's source repository (default: the generating workspace's).
    #[serde(default)]
    pub repository: Option<String>,
    /// How list operations page, by `operationId`, for specs that do not say so themselves
    /// (`x-pagination` on the operation wins).
    #[serde(default)]
    pub pagination: std::collections::BTreeMap<String, crate::pagination::PaginationSettings>,
    /// How the provider's webhooks are verified and what their envelope is; the events are
    /// the spec's (`webhooks` / `x-webhooks`). Absent: the crate has no `webhooks` module.
    #[serde(default)]
    pub webhooks: Option<crate::webhooks::WebhookSettings>,
    /// Waiters for the resources' final states, by name (`wait_for_<name>`), in order.
    #[serde(default)]
    pub waiters: indexmap::IndexMap<String, crate::waiters::WaiterSettings>,
}

/// How to get access tokens from the provider's token endpoint.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TokenSettings {
    /// The token operation's `operationId`.
    pub operation: String,
    /// Credentials the user must give: the arguments of `ClientBuilder::client_credentials`,
    /// and the variables `<PREFIX>_<NAME>` of `Client::from_env`.
    pub credentials: Vec<String>,
    /// Values the user may give (`ClientBuilder::token_<name>`, `<PREFIX>_<NAME>`).
    #[serde(default)]
    pub optional: Vec<String>,
    /// The request body: each field a literal, or `{name}` for a credential or optional value.
    pub body: indexmap::IndexMap<String, String>,
    /// The response field that holds the access token.
    pub access_token: String,
    /// How the token's expiry is known.
    pub expiry: ExpirySettings,
    /// What a 401 body contains when it says the token expired (absent: any 401 does).
    #[serde(default)]
    pub expired_marker: Option<String>,
}

/// How a token's expiry is known.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case", deny_unknown_fields)]
pub enum ExpirySettings {
    /// This response field holds the lifetime in seconds.
    Seconds(String),
    /// This field holds a lifetime in seconds or a Unix time (values past 10^9).
    UnixOrSeconds(String),
    /// The token is a JWT; its `exp` claim is the expiry.
    JwtExp,
}

/// A header parameter lifted from the operations onto the client.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientHeader {
    /// The header's name, as the spec's parameter names it.
    pub name: String,
    /// The name of the client builder's method that sets it.
    pub builder_method: String,
    /// The value sent when the user sets none; `None` sends the header only when set.
    #[serde(default)]
    pub default: Option<String>,
}

fn default_version() -> String {
    "0.1.0".to_owned()
}

fn default_request_id_header() -> String {
    "x-request-id".to_owned()
}

impl Settings {
    /// Settings for a spec that has no settings file (`cargo xtask generate`): the package
    /// name given, or one made from the spec's title.
    pub fn for_package(package: &str) -> Self {
        Self {
            crate_dir: package.to_owned(),
            package: package.to_owned(),
            version: default_version(),
            description: None,
            base_url: None,
            request_id_header: default_request_id_header(),
            client_headers: Vec::new(),
            env_prefix: None,
            basic_env: None,
            token: None,
            keywords: Vec::new(),
            categories: Vec::new(),
            repository: None,
            pagination: Default::default(),
            webhooks: None,
            waiters: Default::default(),
        }
    }

    /// Checks the values a spec cannot check; returns (field pointer, message).
    pub fn check(&self) -> Result<(), (String, String)> {
        let valid_package = !self.package.is_empty()
            && self
                .package
                .chars()
                .next()
                .is_some_and(|c| c.is_ascii_alphabetic())
            && self
                .package
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_package {
            return Err((
                "/package".into(),
                format!("{:?} is not a valid Cargo package name", self.package),
            ));
        }
        let valid_dir = !self.crate_dir.is_empty()
            && self
                .crate_dir
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_');
        if !valid_dir || self.crate_dir == "runtime" {
            return Err((
                "/crate_dir".into(),
                format!(
                    "{:?} is not a usable directory name under crates/",
                    self.crate_dir
                ),
            ));
        }
        let header = &self.request_id_header;
        if header.is_empty()
            || !header
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        {
            return Err((
                "/request_id_header".into(),
                format!("{header:?} must be a lower-case header name"),
            ));
        }
        if self.keywords.len() > 5 {
            return Err((
                "/keywords".into(),
                "crates.io takes at most 5 keywords".into(),
            ));
        }
        for (i, k) in self.keywords.iter().enumerate() {
            let valid = k.len() <= 20
                && k.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
                && k.chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '+');
            if !valid {
                return Err((
                    format!("/keywords/{i}"),
                    format!(
                        "{k:?} is not a crates.io keyword (a letter, then at most 19 letters, digits, - or _)"
                    ),
                ));
            }
        }
        for (i, h) in self.client_headers.iter().enumerate() {
            let m = &h.builder_method;
            let ident = m.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && m.chars()
                    .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
            const TAKEN: &[&str] = &[
                "base_url",
                "basic_auth",
                "bearer_token",
                "credentials",
                "timeouts",
                "retry_policy",
                "http_client",
                "user_agent",
                "build",
            ];
            if !ident || TAKEN.contains(&m.as_str()) {
                return Err((
                    format!("/client_headers/{i}/builder_method"),
                    format!("{m:?} must be a snake_case method name not used by the builder"),
                ));
            }
        }
        if let Some(prefix) = &self.env_prefix
            && !is_env_name(prefix)
        {
            return Err((
                "/env_prefix".into(),
                format!("{prefix:?} must be UPPER_SNAKE_CASE"),
            ));
        }
        if let Some(names) = &self.basic_env
            && let Some(i) = names.iter().position(|n| !is_env_name(n))
        {
            return Err((format!("/basic_env/{i}"), "must be UPPER_SNAKE_CASE".into()));
        }
        if let Some(token) = &self.token {
            for (i, name) in token.credentials.iter().chain(&token.optional).enumerate() {
                let ident = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                    && name
                        .chars()
                        .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
                if !ident {
                    let at = if i < token.credentials.len() {
                        format!("/token/credentials/{i}")
                    } else {
                        format!("/token/optional/{}", i - token.credentials.len())
                    };
                    return Err((at, format!("{name:?} must be a snake_case name")));
                }
            }
            for (field, value) in &token.body {
                if let Some(name) = placeholder(value)
                    && !token
                        .credentials
                        .iter()
                        .chain(&token.optional)
                        .any(|c| c == name)
                {
                    return Err((
                        format!("/token/body/{field}"),
                        format!("{{{name}}} is neither a credential nor an optional value"),
                    ));
                }
            }
        }
        Ok(())
    }
}

fn is_env_name(s: &str) -> bool {
    s.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '_')
}

/// The name in a `{name}` placeholder.
pub fn placeholder(value: &str) -> Option<&str> {
    value.strip_prefix('{')?.strip_suffix('}')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rejects_bad_names_with_their_field() {
        let mut s = Settings::for_package("moov-client");
        assert_eq!(s.check(), Ok(()));
        s.package = "9lives".into();
        assert_eq!(s.check().unwrap_err().0, "/package");
        s = Settings::for_package("x");
        s.request_id_header = "X-Request-Id".into();
        assert_eq!(s.check().unwrap_err().0, "/request_id_header");
        s = Settings::for_package("x");
        s.client_headers.push(ClientHeader {
            name: "X-Version".into(),
            builder_method: "build".into(),
            default: None,
        });
        assert_eq!(s.check().unwrap_err().0, "/client_headers/0/builder_method");
    }
}
