//! Wire names typify cannot name in Rust. Enum values that make the same Rust name (`a-b` /
//! `a_b`, `Etc/GMT+1` / `Etc/GMT-1`), none at all (`>`, `>=`, `==`: typify panics on them), or
//! the name of the variant the generator adds itself (`Unrecognized`); properties of one
//! object whose field names collide (`created_at` / `createdAt`: two fields of one name).
//! Both sides live here.
//!
//! - [`rename`] (normalize, on the JSON document): each value of such an enum is replaced by a
//!   substitute typify names as wanted: the value's own name where it is distinct, else its
//!   punctuation spelled out (`>=` → `GtEq`, `Etc/GMT+1` → `EtcSlashGmtPlus1`), else a number
//!   after it. A substitute carries invisible marks (characters typify drops from names) that
//!   make it unique in the document; the map from substitute to value is recorded. A
//!   colliding property (all but the first of those that collide) is renamed the same way,
//!   to its field name and a number (`created_at_2`), in `properties` and `required`.
//! - [`restore`] (post-process, on progenitor's and typify's code): every string literal
//!   holding a substitute (serde renames, conversions, docs) gets the value back, so the wire
//!   value is kept exactly; a mark left in the code afterwards fails generation. (A
//!   substitute may be absent: typify generates no type for schemas no operation uses.)

use std::collections::{BTreeMap, BTreeSet};

use proc_macro2::{Group, Literal, TokenStream, TokenTree};
use serde_json::Value;

use crate::names;

/// Starts a substitute: typify replaces it (not an identifier character) by a separator.
const MARK: char = '\u{2063}';
/// The binary digits of a substitute's number (not identifier characters either).
const DIGITS: [char; 2] = ['\u{2062}', '\u{2064}'];
/// The variant name the generator adds to every open enum.
const RESERVED: &str = "Unrecognized";

/// Rewrites every string enum of the document's schemas that typify cannot name; returns the
/// map from substitute to original value. Example, default and extension values are data and
/// are not walked.
pub(crate) fn rename(doc: &mut Value) -> BTreeMap<String, String> {
    let mut map = BTreeMap::new();
    let merged = merged_properties(doc);
    referenced_collisions(doc, &mut map, &merged);
    let merged = merged_properties(doc);
    walk(doc, &mut map, &merged, "", false);
    map
}

/// An `allOf` of two referenced schemas whose properties give one field name (`@type` and
/// `type`): the later schema's property is renamed (in that component, so everywhere it is
/// used: its field is `type_2`; the wire name is restored).
fn referenced_collisions(
    doc: &mut Value,
    map: &mut BTreeMap<String, String>,
    merged: &BTreeMap<String, Vec<String>>,
) {
    fn sites(node: &Value, out: &mut Vec<Vec<String>>) {
        match node {
            Value::Object(obj) => {
                if let Some(Value::Array(branches)) = obj.get("allOf") {
                    let refs: Vec<String> = branches.iter().filter_map(component_key).collect();
                    if refs.len() > 1 {
                        out.push(refs);
                    }
                }
                for (k, v) in obj {
                    if !matches!(
                        k.as_str(),
                        "example" | "examples" | "default" | "const" | "enum"
                    ) {
                        sites(v, out);
                    }
                }
            }
            Value::Array(items) => items.iter().for_each(|v| sites(v, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    sites(doc, &mut found);
    // (component, property) → its new field name.
    let mut renames: BTreeMap<(String, String), String> = BTreeMap::new();
    for refs in found {
        // Field name → the wire name that has it.
        let mut taken: BTreeMap<String, String> = BTreeMap::new();
        for key in refs {
            let own: Vec<String> = doc
                .pointer(&format!(
                    "/components/schemas/{}/properties",
                    crate::error::escape_token(&key)
                ))
                .and_then(Value::as_object)
                .map(|p| p.keys().cloned().collect())
                .unwrap_or_default();
            for prop in merged.get(&key).cloned().unwrap_or_default() {
                let field = renames
                    .get(&(key.clone(), prop.clone()))
                    .cloned()
                    .unwrap_or_else(|| names::field(&prop));
                match taken.get(&field) {
                    None => {
                        taken.insert(field, prop);
                        continue;
                    }
                    Some(wire) if *wire == prop => continue,
                    Some(_) if !own.contains(&prop) => continue,
                    Some(_) => {}
                }
                let mut n = 2;
                while taken.contains_key(&format!("{field}_{n}")) {
                    n += 1;
                }
                let name = format!("{field}_{n}");
                taken.insert(name.clone(), prop.clone());
                renames.insert((key.clone(), prop), name);
            }
        }
    }
    let mut by_component: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
    for ((key, prop), name) in renames {
        let sub = substitute(&name, map.len());
        map.insert(sub.clone(), prop.clone());
        by_component.entry(key).or_default().insert(prop, sub);
    }
    for (key, subs) in by_component {
        let pointer = format!("/components/schemas/{}", crate::error::escape_token(&key));
        if let Some(Value::Object(schema)) = doc.pointer_mut(&pointer) {
            rename_properties(schema, &subs);
        }
    }
}

/// Each component schema's properties as typify merges them: its own, and those of its
/// `allOf` branches (inline or referenced, all the way down).
fn merged_properties(doc: &Value) -> BTreeMap<String, Vec<String>> {
    let Some(Value::Object(schemas)) = doc.pointer("/components/schemas") else {
        return BTreeMap::new();
    };
    fn collect(
        schema: &Value,
        schemas: &serde_json::Map<String, Value>,
        seen: &mut BTreeSet<String>,
        out: &mut Vec<String>,
    ) {
        if let Some(key) = component_key(schema) {
            if seen.insert(key.clone())
                && let Some(target) = schemas.get(&key)
            {
                collect(target, schemas, seen, out);
            }
            return;
        }
        if let Some(Value::Object(props)) = schema.get("properties") {
            out.extend(props.keys().cloned());
        }
        // typify makes a field of a required property the schema does not describe, too.
        if let Some(Value::Array(required)) = schema.get("required") {
            for r in required.iter().filter_map(Value::as_str) {
                if !out.iter().any(|p| p == r) {
                    out.push(r.to_owned());
                }
            }
        }
        if let Some(Value::Array(branches)) = schema.get("allOf") {
            for b in branches {
                collect(b, schemas, seen, out);
            }
        }
    }
    schemas
        .iter()
        .map(|(key, schema)| {
            let mut out = Vec::new();
            collect(
                schema,
                schemas,
                &mut BTreeSet::from([key.clone()]),
                &mut out,
            );
            (key.clone(), out)
        })
        .collect()
}

/// The component a schema is a `$ref` to.
fn component_key(schema: &Value) -> Option<String> {
    let reference = schema.get("$ref")?.as_str()?;
    let key = reference.strip_prefix("#/components/schemas/")?;
    (!key.contains('/')).then(|| crate::error::unescape_token(key))
}

/// typify merges an `allOf` into one struct: a property of an inline branch (or of the
/// schema itself) whose field name a branch before it has already is renamed, as colliding
/// properties of one object are. Referenced branches are left as they are (other schemas
/// use them).
fn merged_collisions(
    obj: &mut serde_json::Map<String, Value>,
    map: &mut BTreeMap<String, String>,
    merged: &BTreeMap<String, Vec<String>>,
) {
    let Some(Value::Array(branches)) = obj.get_mut("allOf") else {
        return;
    };
    // Field name → the wire name that has it (one property in several branches is merged
    // into one field by typify: no clash).
    let mut taken: BTreeMap<String, String> = BTreeMap::new();
    for p in branches
        .iter()
        .filter_map(component_key)
        .flat_map(|k| merged.get(&k).cloned().unwrap_or_default())
    {
        taken.entry(names::field(&p)).or_insert(p);
    }
    let mut renamed_anywhere = BTreeMap::new();
    let mut rename_in = |target: &mut serde_json::Map<String, Value>,
                         taken: &mut BTreeMap<String, String>| {
        let Some(Value::Object(props)) = target.get("properties") else {
            return;
        };
        let mut subs = BTreeMap::new();
        for prop in props.keys() {
            let field = names::field(prop);
            match taken.get(&field) {
                None => {
                    taken.insert(field, prop.clone());
                    continue;
                }
                Some(wire) if wire == prop => continue,
                Some(_) => {}
            }
            let mut n = 2;
            while taken.contains_key(&format!("{field}_{n}")) {
                n += 1;
            }
            let name = format!("{field}_{n}");
            taken.insert(name.clone(), prop.clone());
            let sub = substitute(&name, map.len());
            map.insert(sub.clone(), prop.clone());
            subs.insert(prop.clone(), sub);
        }
        if !subs.is_empty() {
            rename_properties(target, &subs);
            renamed_anywhere.extend(subs);
        }
    };
    for branch in branches.iter_mut() {
        if let Value::Object(b) = branch
            && !b.contains_key("$ref")
        {
            rename_in(b, &mut taken);
        }
    }
    rename_in(obj, &mut taken);
    // `required` beside the `allOf` names the merged properties.
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        for entry in required.iter_mut() {
            if let Some(sub) = entry.as_str().and_then(|r| renamed_anywhere.get(r)) {
                *entry = Value::String(sub.clone());
            }
        }
    }
}

/// `at_key`: the key the node sits under; `names`: the node's keys are names (of properties,
/// of schemas), none of them data.
fn walk(
    node: &mut Value,
    map: &mut BTreeMap<String, String>,
    merged: &BTreeMap<String, Vec<String>>,
    at_key: &str,
    names: bool,
) {
    match node {
        Value::Object(obj) => {
            if !names
                && let Some(Value::Array(values)) = obj.get_mut("enum")
                && !values.is_empty()
                && values.iter().all(Value::is_string)
            {
                let originals: Vec<String> = values
                    .iter()
                    .filter_map(|v| v.as_str().map(str::to_owned))
                    .collect();
                if let Some(wanted) = variant_names(&originals) {
                    let mut renamed = BTreeMap::new();
                    for (value, name) in values.iter_mut().zip(wanted) {
                        let substitute = substitute(&name, map.len());
                        let original = value.as_str().unwrap_or_default().to_owned();
                        map.insert(substitute.clone(), original.clone());
                        renamed.insert(original, substitute.clone());
                        *value = Value::String(substitute);
                    }
                    // typify checks a default against the enum's values: it names the
                    // substitute too (restored with the rest in the code).
                    if let Some(Value::String(default)) = obj.get_mut("default")
                        && let Some(substitute) = renamed.get(default.as_str())
                    {
                        *default = substitute.clone();
                    }
                }
            }
            if !names {
                merged_collisions(obj, map, merged);
            }
            if !names
                && let Some(Value::Object(props)) = obj.get("properties")
                && let Some(renamed) = field_names(props.keys())
            {
                let mut subs = BTreeMap::new();
                for (original, name) in renamed {
                    let substitute = substitute(&name, map.len());
                    map.insert(substitute.clone(), original.clone());
                    subs.insert(original, substitute);
                }
                rename_properties(obj, &subs);
            }
            for (key, child) in obj.iter_mut() {
                if names {
                    walk(child, map, merged, key, false);
                    continue;
                }
                if matches!(key.as_str(), "example" | "examples" | "default" | "const")
                    || key.starts_with("x-")
                {
                    continue;
                }
                let names = crate::openapi::keys_are_names(at_key, key);
                walk(child, map, merged, key, names);
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|v| walk(v, map, merged, "", false)),
        _ => {}
    }
}

/// The properties whose field names collide with an earlier one's, with the field name
/// each should get; `None` where none collide.
fn field_names<'a>(props: impl Iterator<Item = &'a String>) -> Option<Vec<(String, String)>> {
    let props: Vec<&String> = props.collect();
    let fields: Vec<String> = props.iter().map(|p| names::field(p)).collect();
    let mut taken: BTreeSet<String> = BTreeSet::new();
    let mut out = Vec::new();
    for (prop, field) in props.iter().zip(&fields) {
        if taken.insert(field.clone()) {
            continue;
        }
        let mut n = 2;
        let mut name = format!("{field}_{n}");
        while taken.contains(&name) || fields.contains(&name) {
            n += 1;
            name = format!("{field}_{n}");
        }
        taken.insert(name.clone());
        out.push(((*prop).clone(), name));
    }
    (!out.is_empty()).then_some(out)
}

/// Renames properties (keeping their order) and their entries in `required`.
fn rename_properties(obj: &mut serde_json::Map<String, Value>, subs: &BTreeMap<String, String>) {
    if let Some(Value::Object(props)) = obj.get_mut("properties") {
        let old = std::mem::take(props);
        for (key, value) in old {
            let key = subs.get(&key).cloned().unwrap_or(key);
            props.insert(key, value);
        }
    }
    if let Some(Value::Array(required)) = obj.get_mut("required") {
        for entry in required.iter_mut() {
            if let Some(sub) = entry.as_str().and_then(|r| subs.get(r)) {
                *entry = Value::String(sub.clone());
            }
        }
    }
}

/// typify's name for a value, as near as matters here: words of identifier characters,
/// in PascalCase.
fn plain(value: &str) -> String {
    let cleaned: String = value
        .replace('\'', "")
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '-'
            }
        })
        .collect();
    names::pascal(&cleaned)
}

/// The names the values should get, where typify's own would clash, be empty or take the
/// reserved name; `None` where typify's are fine.
fn variant_names(values: &[String]) -> Option<Vec<String>> {
    let plains: Vec<String> = values.iter().map(|v| plain(v)).collect();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    for p in &plains {
        *counts.entry(p.as_str()).or_default() += 1;
    }
    let fine = |p: &str| !p.is_empty() && counts.get(p) == Some(&1) && p != RESERVED;
    if plains.iter().all(|p| fine(p)) {
        return None;
    }
    let mut taken = BTreeSet::new();
    let mut out = Vec::new();
    for (value, p) in values.iter().zip(&plains) {
        let mut name = if value.is_empty() {
            "Empty".to_owned()
        } else if fine(p) {
            p.clone()
        } else {
            spelled(value)
        };
        if name == RESERVED {
            name = format!("{RESERVED}Value");
        }
        let base = name.clone();
        let mut n = 2;
        while taken.contains(&name) || (name != *p && plains.iter().any(|q| fine(q) && *q == name))
        {
            name = format!("{base}{n}");
            n += 1;
        }
        taken.insert(name.clone());
        out.push(name);
    }
    Some(out)
}

/// A value with its punctuation spelled out as words, in PascalCase.
fn spelled(value: &str) -> String {
    let mut words = String::new();
    for c in value.chars() {
        if c.is_alphanumeric() {
            words.push(c);
            continue;
        }
        let word = match c {
            '>' => "gt",
            '<' => "lt",
            '=' => "eq",
            '!' => "not",
            '+' => "plus",
            '-' => "dash",
            '_' => "underscore",
            '.' => "dot",
            '/' => "slash",
            '\\' => "backslash",
            '*' => "star",
            '%' => "percent",
            '&' => "and",
            '|' => "or",
            '^' => "caret",
            '~' => "tilde",
            ',' => "comma",
            ':' => "colon",
            ';' => "semicolon",
            '?' => "question",
            '@' => "at",
            '#' => "hash",
            '$' => "dollar",
            '(' => "lparen",
            ')' => "rparen",
            '[' => "lbracket",
            ']' => "rbracket",
            '{' => "lbrace",
            '}' => "rbrace",
            ' ' => "space",
            '"' => "quote",
            '\'' => "apostrophe",
            _ => "char",
        };
        words.push(' ');
        words.push_str(word);
        words.push(' ');
    }
    names::pascal(&words)
}

/// The substitute for the value named `name`: its snake_case name (typify makes `name` of
/// it), then invisible marks numbering it in the document.
fn substitute(name: &str, number: usize) -> String {
    let mut out = String::new();
    out.push(MARK);
    out.push_str(&heck::ToSnakeCase::to_snake_case(name));
    out.push(MARK);
    let mut n = number;
    loop {
        out.push(DIGITS[n % 2]);
        n /= 2;
        if n == 0 {
            break;
        }
    }
    out
}

/// Puts every original value back in place of its substitute; the literals that still hold
/// a mark afterwards (none, unless the code was changed between the two sides). Works in
/// place on the syntax tree: string literals, and the tokens of attributes and macros.
pub(crate) fn restore(
    file: &mut syn::File,
    map: &BTreeMap<String, String>,
) -> Result<usize, Vec<String>> {
    if map.is_empty() {
        return Ok(0);
    }
    let mut visitor = Restorer {
        map,
        found: BTreeSet::new(),
        left: Vec::new(),
    };
    syn::visit_mut::VisitMut::visit_file_mut(&mut visitor, file);
    if visitor.left.is_empty() {
        Ok(visitor.found.len())
    } else {
        Err(visitor.left)
    }
}

struct Restorer<'a> {
    map: &'a BTreeMap<String, String>,
    found: BTreeSet<String>,
    left: Vec<String>,
}

impl syn::visit_mut::VisitMut for Restorer<'_> {
    fn visit_lit_str_mut(&mut self, lit: &mut syn::LitStr) {
        if lit.value().contains(MARK) {
            let restored = replaced(lit.value(), self.map, &mut self.found, &mut self.left);
            *lit = syn::LitStr::new(&restored, lit.span());
        }
    }

    fn visit_meta_list_mut(&mut self, list: &mut syn::MetaList) {
        let stream = std::mem::take(&mut list.tokens);
        list.tokens = tokens(stream, self.map, &mut self.found, &mut self.left);
    }

    fn visit_macro_mut(&mut self, mac: &mut syn::Macro) {
        let stream = std::mem::take(&mut mac.tokens);
        mac.tokens = tokens(stream, self.map, &mut self.found, &mut self.left);
    }

    // An item kept as tokens (post-process parses the impl blocks of `mod types` later).
    fn visit_item_mut(&mut self, item: &mut syn::Item) {
        if let syn::Item::Verbatim(stream) = item {
            let taken = std::mem::take(stream);
            *stream = tokens(taken, self.map, &mut self.found, &mut self.left);
        } else {
            syn::visit_mut::visit_item_mut(self, item);
        }
    }
}

/// A string with every substitute it holds replaced by its original.
fn replaced(
    value: String,
    map: &BTreeMap<String, String>,
    found: &mut BTreeSet<String>,
    left: &mut Vec<String>,
) -> String {
    let mut out = value;
    for (substitute, original) in map {
        if out.contains(substitute.as_str()) {
            found.insert(substitute.clone());
            out = out.replace(substitute.as_str(), original);
        }
    }
    if out.contains(MARK) {
        left.push(out.replace(MARK, "").replace(DIGITS, ""));
    }
    out
}

fn tokens(
    stream: TokenStream,
    map: &BTreeMap<String, String>,
    found: &mut BTreeSet<String>,
    left: &mut Vec<String>,
) -> TokenStream {
    stream
        .into_iter()
        .map(|tree| match tree {
            TokenTree::Group(g) => {
                let mut group = Group::new(g.delimiter(), tokens(g.stream(), map, found, left));
                group.set_span(g.span());
                TokenTree::Group(group)
            }
            TokenTree::Literal(lit) => TokenTree::Literal(literal(lit, map, found, left)),
            other => other,
        })
        .collect()
}

fn literal(
    lit: Literal,
    map: &BTreeMap<String, String>,
    found: &mut BTreeSet<String>,
    left: &mut Vec<String>,
) -> Literal {
    let Ok(s) = syn::parse2::<syn::LitStr>(TokenTree::Literal(lit.clone()).into()) else {
        return lit;
    };
    let value = s.value();
    if !value.contains(MARK) {
        return lit;
    }
    let out = replaced(value, map, found, left);
    let mut new = Literal::string(&out);
    new.set_span(lit.span());
    new
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(values: &[&str]) -> Option<Vec<String>> {
        variant_names(&values.iter().map(|v| v.to_string()).collect::<Vec<_>>())
    }

    #[test]
    fn values_typify_can_name_are_left_alone() {
        assert_eq!(names(&["active", "closed", "in-review"]), None);
    }

    #[test]
    fn clashing_empty_and_reserved_names_get_distinct_readable_ones() {
        assert_eq!(
            names(&[">", ">=", "<", "<=", "=="]).unwrap(),
            ["Gt", "GtEq", "Lt", "LtEq", "EqEq"]
        );
        assert_eq!(
            names(&["Etc/GMT+1", "Etc/GMT-1", "UTC"]).unwrap(),
            ["EtcSlashGmtPlus1", "EtcSlashGmtDash1", "Utc"]
        );
        assert_eq!(
            names(&["a-b", "a_b", "A_B", "ab"]).unwrap(),
            ["ADashB", "AUnderscoreB", "AUnderscoreB2", "Ab"]
        );
        assert_eq!(
            names(&["unrecognized", "known"]).unwrap(),
            ["UnrecognizedValue", "Known"]
        );
        assert_eq!(names(&["", "-", "x"]).unwrap(), ["Empty", "Dash", "X"]);
    }

    #[test]
    fn colliding_properties_get_numbered_field_names() {
        let mut doc = serde_json::json!({"type": "object", "required": ["createdAt"],
            "properties": {"created_at": {}, "createdAt": {}, "CreatedAt": {}, "created_at_2": {}}});
        let map = rename(&mut doc);
        let keys: Vec<&String> = doc["properties"].as_object().unwrap().keys().collect();
        assert_eq!(keys[0], "created_at");
        assert_eq!(names::field(keys[1]), "created_at_3");
        assert_eq!(names::field(keys[2]), "created_at_4");
        assert_eq!(keys[3], "created_at_2");
        assert_eq!(map[keys[1].as_str()], "createdAt");
        assert_eq!(doc["required"][0], keys[1].as_str());
    }

    #[test]
    fn substitutes_name_the_variant_and_differ_across_the_document() {
        let mut doc = serde_json::json!({
            "a": {"type": "string", "enum": [">", "=="]},
            "b": {"type": "string", "enum": [">", "<"], "example": ">"},
            "c": {"type": "string", "enum": ["fine", "values"]},
        });
        let map = rename(&mut doc);
        assert_eq!(map.len(), 4);
        assert_eq!(doc["b"]["example"], ">", "data is not rewritten");
        assert_eq!(doc["c"]["enum"][0], "fine");
        let first_gt = doc["a"]["enum"][0].as_str().unwrap();
        let second_gt = doc["b"]["enum"][0].as_str().unwrap();
        assert_ne!(first_gt, second_gt);
        assert_eq!(plain(first_gt), "Gt");
        assert_eq!(map[first_gt], ">");

        let mut file: syn::File = syn::parse_str(&format!(
            "enum E {{ #[serde(rename = {first_gt:?})] Gt }} const S: &str = {first_gt:?};"
        ))
        .unwrap();
        assert_eq!(restore(&mut file, &map), Ok(1), "one substitute, twice");
        let code = quote::ToTokens::to_token_stream(&file).to_string();
        assert!(
            code.contains("rename = \">\"") && code.contains("S : & str = \">\""),
            "{code}"
        );
        // An item kept as tokens (typify's conversions, parsed later) is restored too.
        let tokens: proc_macro2::TokenStream = format!(
            "impl ::std::fmt::Display for E {{ fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {{ f.write_str({first_gt:?}) }} }}"
        )
        .parse()
        .unwrap();
        let mut kept = syn::File {
            shebang: None,
            frontmatter: None,
            attrs: Vec::new(),
            items: vec![syn::Item::Verbatim(tokens)],
        };
        assert_eq!(restore(&mut kept, &map), Ok(1));
        let code = quote::ToTokens::to_token_stream(&kept).to_string();
        assert!(code.contains("write_str (\">\")"), "{code}");
        let mut unknown: syn::File =
            syn::parse_str("const T: &str = \"\u{2063}gt\u{2063}\u{2064}\u{2064}\u{2064}\";")
                .unwrap();
        assert!(
            restore(&mut unknown, &map).is_err(),
            "a mark no substitute explains"
        );
    }
}
