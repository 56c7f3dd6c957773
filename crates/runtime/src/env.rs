//! Reading arguments from the environment, for `Client::from_env` and the generated examples.

use serde::de::DeserializeOwned;

/// The value of an environment variable, if it is set and not empty.
pub fn env_var(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.is_empty())
}

/// Parses a value given as text: as JSON first (numbers, booleans, objects), then as a plain
/// string (ids, dates, enum values).
fn parse<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text)
        .or_else(|_| serde_json::from_value(serde_json::Value::String(text.to_owned())))
        .map_err(|e| e.to_string())
}

/// A required argument: the variable `name`, or `default` when it is not set. The error
/// names the variable, never its value.
pub fn env_arg<T: DeserializeOwned>(name: &str, default: Option<&str>) -> Result<T, String> {
    let text = env_var(name)
        .or_else(|| default.map(str::to_owned))
        .ok_or_else(|| format!("set {name}"))?;
    parse(&text).map_err(|e| format!("{name} is not valid: {e}"))
}

/// An argument of an example: the variable `name` parsed as `T` where it is set, else
/// `default`. The error names the variable, never its value.
pub fn env_or<T>(name: &str, default: T) -> Result<T, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    env_var(name).map_or(Ok(default), |text| parse_var(name, &text))
}

/// An optional argument of an example: the variable `name` parsed as `T` where it is set,
/// else `default`.
pub fn env_optional_or<T>(name: &str, default: Option<T>) -> Result<Option<T>, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    env_var(name).map_or(Ok(default), |text| parse_var(name, &text).map(Some))
}

/// `text`, the value of the variable `name`, parsed as `T`.
fn parse_var<T>(name: &str, text: &str) -> Result<T, String>
where
    T: std::str::FromStr,
    T::Err: std::fmt::Display,
{
    text.parse()
        .map_err(|e| format!("{name} is not valid: {e}"))
}

/// An optional argument: the variable `name`, else `default`, else `None`.
pub fn env_optional_arg<T: DeserializeOwned>(
    name: &str,
    default: Option<&str>,
) -> Result<Option<T>, String> {
    match env_var(name).or_else(|| default.map(str::to_owned)) {
        None => Ok(None),
        Some(text) => parse(&text)
            .map(Some)
            .map_err(|e| format!("{name} is not valid: {e}")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_parses_as_json_then_as_a_string() {
        assert_eq!(parse::<u32>("42"), Ok(42));
        assert_eq!(parse::<bool>("true"), Ok(true));
        assert_eq!(parse::<String>("mk_123"), Ok("mk_123".to_owned()));
        assert_eq!(parse::<String>("123"), Ok("123".to_owned()));
        assert!(parse::<u32>("x").is_err());
    }

    #[test]
    fn typed_arguments_take_the_variable_or_their_default() {
        let name = "FINAPI_RUNTIME_TEST_TYPED_SURELY_UNSET";
        assert_eq!(env_or::<u32>(name, 7), Ok(7));
        assert_eq!(env_optional_or::<u32>(name, None), Ok(None));
        assert_eq!(env_optional_or::<u32>(name, Some(3)), Ok(Some(3)));
    }

    #[test]
    fn defaults_apply_when_unset() {
        let name = "FINAPI_RUNTIME_TEST_SURELY_UNSET";
        assert_eq!(env_arg::<String>(name, Some("d")), Ok("d".to_owned()));
        assert_eq!(env_arg::<String>(name, None), Err(format!("set {name}")));
        assert_eq!(env_optional_arg::<String>(name, None), Ok(None));
    }
}
