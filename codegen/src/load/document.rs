//! A file's text as a JSON document: JSON read as JSON, YAML read (integers beyond 64 bits
//! kept, merge keys applied) and turned into JSON values, every error located.

use std::path::Path;

use serde_json::Value;

use super::yaml;
use crate::error::{Error, Result, Stage};

/// Parses a YAML or JSON document (JSON is YAML, but JSON files get JSON's error messages).
pub fn parse_document(path: &Path, text: &str) -> Result<Value> {
    if text.trim().is_empty() {
        return Err(Error::at(Stage::Load, path, "", "the file is empty"));
    }
    let is_json = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"));
    if is_json {
        return serde_json::from_str(text).map_err(|e| Error {
            stage: Stage::Load,
            file: path.to_owned(),
            pointer: None,
            line_col: Some((e.line(), e.column())),
            message: format!("invalid JSON: {e}"),
        });
    }
    let mut yaml: serde_yaml::Value = yaml::from_str(text).map_err(|e| Error {
        stage: Stage::Load,
        file: path.to_owned(),
        pointer: None,
        line_col: e.location().map(|l| (l.line(), l.column())),
        message: format!("invalid YAML: {e}"),
    })?;
    yaml.apply_merge()
        .map_err(|e| Error::file(Stage::Load, path, format!("invalid YAML merge key: {e}")))?;
    yaml_to_json(path, yaml, &mut String::new())
}

/// Converts YAML to JSON values. Scalar mapping keys (`200:`, `true:`) become strings, as
/// OpenAPI means them; anything JSON cannot hold is a located error.
fn yaml_to_json(path: &Path, yaml: serde_yaml::Value, at: &mut String) -> Result<Value> {
    use serde_yaml::Value as Y;
    Ok(match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                serde_json::Number::from_f64(f)
                    .map(Value::Number)
                    .ok_or_else(|| {
                        Error::at(
                            Stage::Load,
                            path,
                            at.clone(),
                            format!("{n} is not a JSON number"),
                        )
                    })?
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => {
            let mut out = Vec::with_capacity(items.len());
            for (i, item) in items.into_iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("/{i}"));
                out.push(yaml_to_json(path, item, at)?);
                at.truncate(len);
            }
            Value::Array(out)
        }
        Y::Mapping(map) => {
            let mut out = serde_json::Map::with_capacity(map.len());
            for (key, item) in map {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => {
                        return Err(Error::at(
                            Stage::Load,
                            path,
                            at.clone(),
                            format!("mapping key {other:?} is not a scalar"),
                        ));
                    }
                };
                let len = at.len();
                at.push('/');
                at.push_str(&crate::error::escape_token(&key));
                let value = yaml_to_json(path, item, at)?;
                at.truncate(len);
                if out.insert(key.clone(), value).is_some() {
                    return Err(Error::at(
                        Stage::Load,
                        path,
                        at.clone(),
                        format!("duplicate key {key:?}"),
                    ));
                }
            }
            Value::Object(out)
        }
        Y::Tagged(tagged) => yaml_to_json(path, tagged.value, at)?,
    })
}
