//! The schemas of a random document: components and what they hold, of every shape
//! published specs use.

use serde_json::{Map, Value, json};

use super::words::*;
use super::{Gen, pointer_escape};

impl Gen {
    /// A component schema: mostly an object, the shape most components have.
    pub(super) fn component(&mut self, name: &str) -> Value {
        let mut schema = if self.chance(60) {
            self.object()
        } else {
            self.schema()
        };
        self.record_deep(name, &schema);
        if self.chance(30) {
            schema["title"] = json!(self.pick(SCHEMA_NAMES));
        }
        schema
    }

    /// Pointers a later `$ref` may take into this component: its plain properties and items.
    pub(super) fn record_deep(&mut self, name: &str, schema: &Value) {
        if name.contains(['/', '~', ' ', '%']) || !name.is_ascii() {
            return;
        }
        let base = format!("#/components/schemas/{name}");
        if let Some(props) = schema.get("properties").and_then(Value::as_object) {
            for (p, s) in props {
                if PLAIN_PROPERTY_NAMES.contains(&p.as_str()) {
                    self.deep.push(format!("{base}/properties/{p}"));
                    if s.get("items").is_some() {
                        self.deep.push(format!("{base}/properties/{p}/items"));
                    }
                }
            }
        }
        if schema.get("items").is_some() {
            self.deep.push(format!("{base}/items"));
        }
    }

    pub(super) fn schema(&mut self) -> Value {
        self.depth += 1;
        let deep = self.depth > 3;
        let roll = self.rng.u32(0..100);
        let mut schema = match roll {
            _ if deep && roll < 50 => self.scalar(),
            _ if deep => self.reference(),
            0..=14 => self.reference(),
            15..=19 if !self.deep.is_empty() => {
                let i = self.rng.usize(0..self.deep.len());
                json!({"$ref": self.deep[i]})
            }
            15..=39 => self.scalar(),
            40..=49 => self.enumeration(),
            50..=61 => self.object(),
            62..=69 => self.array(),
            70..=75 => self.all_of(),
            76..=84 => self.one_of(),
            85..=87 => self.map(),
            88..=90 => json!({}),
            91..=92 if self.v31 => self.multi_type(),
            _ => self.scalar(),
        };
        self.depth -= 1;
        if self.chance(12) {
            schema = self.nullable(schema);
        }
        if self.chance(15) && schema.get("$ref").is_none() {
            schema["description"] = json!(self.description());
        }
        schema
    }

    pub(super) fn reference(&mut self) -> Value {
        let i = self.rng.usize(0..self.names.len());
        json!({"$ref": format!("#/components/schemas/{}", pointer_escape(&self.names[i]))})
    }

    pub(super) fn scalar(&mut self) -> Value {
        match self.rng.u32(0..5) {
            0 | 1 => {
                let mut s = json!({"type": "string"});
                if self.chance(60) {
                    s["format"] = json!(self.pick(STRING_FORMATS));
                }
                if self.chance(10) {
                    s["pattern"] = json!("^[A-Z]{3}$");
                }
                if self.chance(10) {
                    s["minLength"] = json!(1);
                    s["maxLength"] = json!(64);
                }
                if self.chance(10) && s.get("format").is_none() {
                    s["default"] = json!("x");
                }
                s
            }
            2 => {
                let mut s = json!({"type": "integer"});
                if self.chance(60) {
                    s["format"] = json!(self.pick(&["int32", "int64", "uint8", "uint64"]));
                }
                if self.chance(20) {
                    s["minimum"] = json!(0);
                    if self.v31 {
                        s["exclusiveMaximum"] = json!(100);
                    } else {
                        s["maximum"] = json!(100);
                        s["exclusiveMaximum"] = json!(true);
                    }
                }
                if self.chance(10) {
                    s["default"] = json!(1);
                }
                s
            }
            3 => {
                let mut s = json!({"type": "number"});
                if self.chance(60) {
                    s["format"] = json!(self.pick(&["float", "double", "decimal"]));
                }
                if self.chance(10) {
                    s["multipleOf"] = json!(0.01);
                }
                s
            }
            _ => {
                let mut s = json!({"type": "boolean"});
                if self.chance(15) {
                    s["default"] = json!(false);
                }
                s
            }
        }
    }

    /// An enum of strings (mostly), integers, numbers, booleans or mixed values; values may
    /// repeat, differ by a sign or punctuation alone, and a `default` may be one of them.
    pub(super) fn enumeration(&mut self) -> Value {
        let kind = self.rng.u32(0..10);
        let (ty, mut values): (Option<&str>, Vec<Value>) = match kind {
            0..=5 => {
                let n = self.rng.usize(1..6);
                let mut values: Vec<Value> =
                    (0..n).map(|_| json!(self.pick(ENUM_VALUES))).collect();
                if self.chance(30) {
                    values.push(json!("lastModifiedTime"));
                    values.push(json!("-lastModifiedTime"));
                }
                (Some("string"), values)
            }
            6 => (
                Some("integer"),
                vec![json!(1), json!(2), json!(-1), json!(0)],
            ),
            7 => (Some("number"), vec![json!(1.5), json!(0.25), json!(-3)]),
            8 => (Some("boolean"), vec![json!(true)]),
            _ => (None, vec![json!("a"), json!(1), json!(true)]),
        };
        if self.chance(25) && !values.is_empty() {
            let i = self.rng.usize(0..values.len());
            values.push(values[i].clone());
        }
        let default = (self.chance(35)).then(|| values[self.rng.usize(0..values.len())].clone());
        let mut s = json!({"enum": values});
        if let Some(ty) = ty {
            s["type"] = json!(ty);
        }
        if let Some(d) = default {
            s["default"] = d;
        }
        s
    }

    pub(super) fn object(&mut self) -> Value {
        let n = self.rng.usize(0..6);
        let names = self.distinct(PROPERTY_NAMES, n);
        let mut props = Map::new();
        for name in &names {
            let mut p = self.schema();
            if self.chance(8) && p.get("$ref").is_none() {
                p[if self.chance(50) {
                    "readOnly"
                } else {
                    "writeOnly"
                }] = json!(true);
            }
            if self.chance(5) && p.get("$ref").is_none() {
                p["deprecated"] = json!(true);
            }
            props.insert((*name).to_owned(), p);
        }
        let required: Vec<&str> = names.iter().copied().filter(|_| self.chance(50)).collect();
        let mut s = json!({"type": "object", "properties": props});
        if !required.is_empty() {
            s["required"] = json!(required);
        }
        match self.rng.u32(0..10) {
            0 => s["additionalProperties"] = json!(false),
            1 => s["additionalProperties"] = json!(true),
            2 => s["additionalProperties"] = self.schema(),
            3 if self.v31 => s["patternProperties"] = json!({"^x-": self.scalar()}),
            _ => {}
        }
        if self.chance(8) {
            s["example"] = json!({"id": "abc"});
        }
        s
    }

    pub(super) fn array(&mut self) -> Value {
        let mut s = json!({"type": "array", "items": self.schema()});
        if self.chance(15) {
            s["uniqueItems"] = json!(true);
        }
        if self.chance(15) {
            s["minItems"] = json!(1);
            s["maxItems"] = json!(10);
        }
        s
    }

    pub(super) fn map(&mut self) -> Value {
        json!({"type": "object", "additionalProperties": self.schema()})
    }

    pub(super) fn all_of(&mut self) -> Value {
        let n = self.rng.usize(1..4);
        let parts: Vec<Value> = (0..n)
            .map(|_| {
                if self.chance(60) {
                    self.reference()
                } else {
                    self.object()
                }
            })
            .collect();
        let mut s = json!({"allOf": parts});
        if self.chance(20) {
            s["description"] = json!("All of these.");
        }
        s
    }

    /// `oneOf` / `anyOf`: untagged, or tagged by a discriminator over variants made for it
    /// (objects whose required `kind` names them), with or without a mapping.
    pub(super) fn one_of(&mut self) -> Value {
        let keyword = if self.chance(70) { "oneOf" } else { "anyOf" };
        if self.chance(40) {
            let n = self.rng.usize(2..4);
            let mut refs = Vec::new();
            let mut mapping = Map::new();
            for _ in 0..n {
                let name = format!("Variant{}", self.names.len() + self.extra.len());
                let tag = self.pick(ENUM_VALUES).to_owned();
                let mut variant = self.object();
                variant["properties"]["kind"] = json!({"type": "string", "enum": [tag.clone()]});
                let mut required: Vec<Value> = variant
                    .get("required")
                    .and_then(Value::as_array)
                    .cloned()
                    .unwrap_or_default();
                if !required.contains(&json!("kind")) {
                    required.push(json!("kind"));
                }
                variant["required"] = Value::Array(required);
                let pointer = format!("#/components/schemas/{name}");
                if !mapping.contains_key(&tag) {
                    mapping.insert(tag, json!(pointer.clone()));
                }
                refs.push(json!({"$ref": pointer}));
                self.extra.push((name, variant));
            }
            let mut discriminator = json!({"propertyName": "kind"});
            if self.chance(60) {
                discriminator["mapping"] = Value::Object(mapping);
            }
            json!({keyword: refs, "discriminator": discriminator})
        } else {
            let n = self.rng.usize(1..4);
            let variants: Vec<Value> = (0..n).map(|_| self.schema()).collect();
            json!({keyword: variants})
        }
    }

    /// 3.1: several types at once.
    pub(super) fn multi_type(&mut self) -> Value {
        let types = self.distinct(
            &["string", "integer", "number", "boolean", "object", "array"],
            2,
        );
        let mut s = json!({"type": types});
        if types.contains(&"array") {
            s["items"] = json!({"type": "string"});
        }
        s
    }

    /// Null admitted, as the document's version writes it.
    pub(super) fn nullable(&mut self, schema: Value) -> Value {
        if !self.v31 {
            if schema.get("$ref").is_some() {
                return json!({"nullable": true, "allOf": [schema]});
            }
            let mut schema = schema;
            schema["nullable"] = json!(true);
            if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
                values.push(Value::Null);
            }
            return schema;
        }
        match schema.get("type").cloned() {
            Some(Value::String(ty)) if self.chance(70) => {
                let mut schema = schema;
                schema["type"] = json!([ty, "null"]);
                if let Some(values) = schema.get_mut("enum").and_then(Value::as_array_mut) {
                    values.push(Value::Null);
                }
                schema
            }
            _ => json!({"anyOf": [schema, {"type": "null"}]}),
        }
    }
}
