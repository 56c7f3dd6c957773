//! Security: the schemes a client can satisfy, and what each operation accepts.

use std::collections::BTreeSet;

use openapiv3::{Components, ReferenceOr, SecurityScheme};

use crate::model::{SchemeKind, SchemeModel};

pub(crate) fn schemes(components: &Components) -> Vec<SchemeModel> {
    let mut out = Vec::new();
    for (name, scheme) in &components.security_schemes {
        let ReferenceOr::Item(scheme) = scheme else {
            continue;
        };
        let (kind, description) = match scheme {
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
            SecurityScheme::HTTP {
                scheme,
                description,
                ..
            } if scheme.eq_ignore_ascii_case("bearer") => (SchemeKind::Bearer, description),
            SecurityScheme::OAuth2 { description, .. }
            | SecurityScheme::OpenIDConnect { description, .. } => {
                (SchemeKind::Bearer, description)
            }
            _ => continue,
        };
        out.push(SchemeModel {
            name: name.clone(),
            kind,
            description: description.clone(),
        });
    }
    out
}

pub(crate) fn operation_schemes(
    security: Option<&[openapiv3::SecurityRequirement]>,
    schemes: &[SchemeModel],
) -> (Vec<SchemeKind>, bool) {
    let Some(requirements) = security else {
        return (Vec::new(), true);
    };
    let mut kinds = BTreeSet::new();
    let mut anonymous = requirements.is_empty();
    for requirement in requirements {
        if requirement.is_empty() {
            anonymous = true;
        } else if requirement.len() == 1 {
            let name = requirement.keys().next().map(String::as_str);
            if let Some(s) = schemes.iter().find(|s| Some(s.name.as_str()) == name) {
                kinds.insert(s.kind);
            }
        }
    }
    (kinds.into_iter().collect(), anonymous)
}
