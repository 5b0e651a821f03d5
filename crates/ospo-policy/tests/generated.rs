//! The generated references are current: the JSON schema checked in at
//! `schemas/ospo-policy.schema.json`, and the key and rule tables of docs/policy.md. Set
//! `OSPO_BLESS=1` to rewrite them.
#![allow(clippy::unwrap_used)]

use std::path::{Path, PathBuf};

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn bless() -> bool {
    std::env::var_os("OSPO_BLESS").is_some()
}

#[test]
fn schema_is_current() {
    let path = repo().join("schemas/ospo-policy.schema.json");
    let want = ospo_policy::schema::schema_text();
    if bless() {
        std::fs::write(&path, &want).unwrap();
    }
    let have = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        have == want,
        "schemas/ospo-policy.schema.json is stale: run `OSPO_BLESS=1 cargo test -p ospo-policy --test generated`"
    );
}

#[test]
fn profiles_and_the_effective_policy_validate_against_the_schema() {
    let schema = ospo_policy::schema::schema();
    let validator = jsonschema::draft202012::new(&schema).unwrap();
    for name in ospo_policy::profiles::NAMES {
        let text = ospo_policy::profiles::get(name).unwrap();
        let value: toml::Value = toml::from_str(text).unwrap();
        let json = serde_json::to_value(value).unwrap();
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        assert!(errors.is_empty(), "{name}: {errors:?}");
        // What `policy show` prints is itself a valid policy file.
        let policy = ospo_policy::load_str(Path::new("p.toml"), text).unwrap();
        let shown = policy.to_json();
        assert!(validator.is_valid(&shown), "{name}: {shown:#}");
    }
    // The schema rejects what the validator rejects, for the simple cases.
    for bad in [
        r#"{"licenses": {"alow": []}}"#,
        r#"{"vulnerabilities": {"fail-on": "severe"}}"#,
        r#"{"vulnerabilities": {"ignore": [{"id": "X", "reason": "r"}]}}"#,
        r#"{"health": {"min-score": 11}}"#,
    ] {
        let json: serde_json::Value = serde_json::from_str(bad).unwrap();
        assert!(!validator.is_valid(&json), "{bad}");
    }
}

#[test]
fn docs_tables_are_current_and_name_every_rule() {
    let path = repo().join("docs/policy.md");
    let doc = std::fs::read_to_string(&path).unwrap_or_default();
    let want = ospo_policy::docs::splice(&doc, "keys", &ospo_policy::docs::keys_markdown())
        .and_then(|d| ospo_policy::docs::splice(&d, "rules", &ospo_policy::docs::rules_markdown()));
    let Some(want) = want else {
        panic!(
            "docs/policy.md lacks the <!-- generated:keys --> or <!-- generated:rules --> markers"
        );
    };
    let doc = if bless() {
        std::fs::write(&path, &want).unwrap();
        want.clone()
    } else {
        doc
    };
    assert!(
        doc == want,
        "docs/policy.md is stale: run `OSPO_BLESS=1 cargo test -p ospo-policy --test generated`"
    );
    for rule in ospo_policy::rules::all() {
        assert!(doc.contains(&format!("`{}`", rule.code)), "{}", rule.code);
    }
    for (path, _) in ospo_policy::keys::all() {
        assert!(doc.contains(&path), "{path}");
    }
}
