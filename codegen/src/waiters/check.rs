//! The normalize side of waiters: each declaration checked against the operations into the
//! model's [`WaiterModel`], its method's name decided once.

use std::path::Path;

use super::settings::WaiterSettings;
use crate::error::{Error, Result, Stage, pointer};
use crate::model::{FindModel, OperationModel, SuccessBody, WaiterModel};

/// The waiters of `declared` (the settings' `waiters`, from `settings_file`), checked.
pub(crate) fn check(
    declared: &indexmap::IndexMap<String, WaiterSettings>,
    operations: &[OperationModel],
    settings_file: &Path,
) -> Result<Vec<WaiterModel>> {
    let mut out: Vec<WaiterModel> = Vec::new();
    for (name, w) in declared {
        let at = |field: Option<&str>| {
            let mut tokens = vec!["waiters", name.as_str()];
            tokens.extend(field);
            pointer(tokens)
        };
        let error = |field: Option<&str>, message: String| {
            Error::at(Stage::Normalize, settings_file, at(field), message)
        };
        if !is_snake_ident(name) {
            return Err(error(
                None,
                format!(
                    "a waiter's name is a snake_case Rust name (`bank_account_verified`), not {name:?}"
                ),
            ));
        }
        let method = format!("wait_for_{name}");
        let taken = operations.iter().any(|op| {
            op.fn_name == method
                || op.pagination.as_ref().is_some_and(|p| {
                    p.pages_method == method || p.stream_method.as_deref() == Some(&method)
                })
        });
        if taken {
            return Err(error(
                None,
                format!(
                    "the waiter's method `{method}` would have the name of an operation's method"
                ),
            ));
        }
        let Some(op) = operations
            .iter()
            .find(|op| op.id == w.operation && op.alternate_of.is_none())
        else {
            return Err(error(
                Some("operation"),
                format!("the spec has no operation {:?}", w.operation),
            ));
        };
        if !matches!(op.success, SuccessBody::Json(_)) {
            return Err(error(
                Some("operation"),
                format!(
                    "`{}` has no JSON body on every success status: there is no resource to read a state from",
                    op.id
                ),
            ));
        }
        let state: Vec<String> = w.state.split('.').map(str::to_owned).collect();
        if state.iter().any(String::is_empty) {
            return Err(error(
                Some("state"),
                format!("{:?} is not a dotted path of field names", w.state),
            ));
        }
        for (field, states) in [("success", &w.success), ("failure", &w.failure)] {
            if states.is_empty() {
                return Err(error(Some(field), "names no state".to_owned()));
            }
            if let Some(s) = states
                .iter()
                .enumerate()
                .find_map(|(i, s)| states[..i].contains(s).then_some(s))
            {
                return Err(error(Some(field), format!("names {s:?} twice")));
            }
        }
        if let Some(s) = w.success.iter().find(|s| w.failure.contains(s)) {
            return Err(error(
                Some("failure"),
                format!("{s:?} is a success state as well"),
            ));
        }
        let find = match &w.find {
            None => None,
            Some(f) => {
                let Some(stream) = op.pagination.as_ref().and_then(|p| p.stream_method.clone())
                else {
                    return Err(error(
                        Some("find"),
                        format!(
                            "`{}` declares no pagination with items: there is no list to find the resource in",
                            op.id
                        ),
                    ));
                };
                if !is_snake_ident(&f.argument) {
                    return Err(error(
                        Some("find"),
                        format!(
                            "the argument is a snake_case Rust name, not {:?}",
                            f.argument
                        ),
                    ));
                }
                Some(FindModel {
                    key: f.key.clone(),
                    argument: f.argument.clone(),
                    stream_method: stream,
                })
            }
        };
        out.push(WaiterModel {
            declared_in: (settings_file.to_owned(), at(None)),
            name: name.clone(),
            method,
            operation: op.id.clone(),
            description: w.description.clone(),
            state,
            success: w.success.clone(),
            failure: w.failure.clone(),
            find,
        });
    }
    Ok(out)
}

/// `[a-z][a-z0-9_]*`, not a Rust keyword.
fn is_snake_ident(name: &str) -> bool {
    let mut chars = name.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
        && syn::parse_str::<syn::Ident>(name).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn declared(yaml: &str) -> indexmap::IndexMap<String, WaiterSettings> {
        serde_yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn a_declaration_that_cannot_be_kept_is_a_located_error() {
        let cases = [
            (
                "Ready: {operation: x, state: s, success: [a], failure: [b]}",
                "/waiters/Ready",
                "snake_case",
            ),
            (
                "ready: {operation: nope, state: s, success: [a], failure: [b]}",
                "/waiters/ready/operation",
                "no operation",
            ),
        ];
        for (yaml, at, says) in cases {
            let e = check(&declared(yaml), &[], Path::new("s.settings.yaml")).unwrap_err();
            let text = e.to_string();
            assert!(text.contains(at) && text.contains(says), "{text}");
        }
    }

    #[test]
    fn names_are_snake_case_rust_names() {
        assert!(is_snake_ident("bank_account_verified"));
        assert!(!is_snake_ident("BankAccount"));
        assert!(!is_snake_ident("match"));
        assert!(!is_snake_ident("a-b"));
        assert!(!is_snake_ident(""));
    }
}
