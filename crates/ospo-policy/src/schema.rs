//! The JSON schema of the policy file (draft 2020-12), generated from the key table and checked
//! in at `schemas/ospo-policy.schema.json` (a test fails when it is stale).

use serde_json::{Map, Value, json};

use crate::keys::{self, Check, Key, Type};

/// The schema's `$id`.
pub const ID: &str = "https://example.invalid/ospo/schemas/ospo-policy.schema.json";

/// The schema document.
pub fn schema() -> Value {
    let mut root = object(keys::ROOT);
    if let Value::Object(m) = &mut root {
        let mut head = Map::new();
        head.insert(
            "$schema".into(),
            json!("https://json-schema.org/draft/2020-12/schema"),
        );
        head.insert("$id".into(), json!(ID));
        head.insert("title".into(), json!("ospo policy file (ospo.toml)"));
        head.append(m);
        return Value::Object(head);
    }
    root
}

/// The schema as checked in: pretty JSON with a final newline.
pub fn schema_text() -> String {
    serde_json::to_string_pretty(&schema()).unwrap_or_default() + "\n"
}

fn object(keys: &'static [Key]) -> Value {
    let mut properties = Map::new();
    for k in keys {
        properties.insert(k.name.to_owned(), property(k));
    }
    let required: Vec<&str> = keys.iter().filter(|k| k.required).map(|k| k.name).collect();
    let mut out = json!({
        "type": "object",
        "additionalProperties": false,
        "properties": properties,
    });
    if !required.is_empty()
        && let Value::Object(m) = &mut out
    {
        m.insert("required".into(), json!(required));
    }
    out
}

fn string(check: Check) -> Value {
    let mut s = json!({"type": "string"});
    let extra = match check {
        Check::NonEmpty | Check::Path => json!({"pattern": "\\S"}),
        Check::Class => {
            json!({"enum": ospo_license::classes::Class::ALL.iter().map(|c| c.name()).collect::<Vec<_>>()})
        }
        Check::FailOn => {
            json!({"enum": ["unknown", "none", "low", "medium", "high", "critical", "never"]})
        }
        Check::Date => json!({"pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"}),
        Check::Url => json!({"pattern": "^(https?|sparse\\+https)://\\S+$"}),
        Check::Purl => json!({"pattern": "^pkg:[A-Za-z.+-]+/"}),
        Check::Package | Check::PackageNoVersion => {
            json!({"pattern": "^(pkg:[A-Za-z.+-]+/|[^:/]+:).+"})
        }
        Check::Host => json!({"pattern": "^[^/:@\\s]+$"}),
        Check::SpdxId => json!({"pattern": "^[A-Za-z0-9.+-]+$"}),
        Check::Extends => json!({"pattern": "\\S"}),
        _ => json!({}),
    };
    if let (Value::Object(s), Value::Object(e)) = (&mut s, extra) {
        s.extend(e);
    }
    s
}

fn property(k: &Key) -> Value {
    let mut p = match k.ty {
        Type::Bool => json!({"type": "boolean"}),
        Type::String => string(k.check),
        Type::Number => match k.check {
            Check::Days => json!({"type": "integer", "minimum": 0}),
            Check::Score => json!({"type": "number", "minimum": 0, "maximum": 10}),
            _ => json!({"type": "number"}),
        },
        Type::Strings => json!({"type": "array", "items": string(k.check)}),
        Type::BoolOrStrings => json!({"anyOf": [
            {"type": "boolean"},
            {"type": "array", "items": string(k.check)}
        ]}),
        Type::Table(sub) => object(sub),
        Type::Tables(sub) => json!({"type": "array", "items": object(sub)}),
    };
    if let Value::Object(m) = &mut p {
        m.insert("description".into(), json!(k.doc));
        if let Some(d) = k.default.and_then(default_json) {
            m.insert("default".into(), d);
        }
    }
    p
}

/// A TOML literal as JSON.
fn default_json(literal: &str) -> Option<Value> {
    let t: toml::Table = toml::from_str(&format!("v = {literal}")).ok()?;
    serde_json::to_value(t.get("v")?).ok()
}
