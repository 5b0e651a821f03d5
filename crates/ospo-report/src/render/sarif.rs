//! SARIF 2.1.0, for code-scanning tools (GitHub code scanning, GitLab, Azure DevOps): one run,
//! every rule of the registry with its documentation, one result per finding with its level,
//! place and a `partialFingerprints` entry (`ospo/v1`, the finding's fingerprint) so the tool
//! follows a finding across commits. Validated against the official schema in CI.

use ospo_policy::{Finding, Severity, rules};
use serde_json::{Value, json};

use crate::{CheckReport, Reported};

/// The schema URI written in `$schema`.
pub const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The fingerprint's key in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "ospo/v1";

pub fn render(report: &CheckReport) -> String {
    let rules = rules::all();
    let descriptors: Vec<Value> = rules
        .iter()
        .map(|r| {
            let doc = r.documentation();
            json!({
                "id": r.code,
                "name": camel(r.code),
                "shortDescription": { "text": r.summary },
                "fullDescription": { "text": doc },
                "help": { "text": doc, "markdown": doc },
                "defaultConfiguration": { "level": r.severity.sarif_level() },
                "properties": {
                    "category": r.category,
                    "tags": [r.domain(), r.category.title()],
                },
            })
        })
        .collect();
    let single = report.summary.repositories <= 1;
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|r| result(r, rules, single))
        .collect();
    let notifications: Vec<Value> = report
        .diagnostics
        .iter()
        .map(|d| {
            let level = match d.level {
                ospo_model::Level::Error => Severity::Error,
                ospo_model::Level::Warning => Severity::Warning,
                ospo_model::Level::Info => Severity::Info,
            };
            let mut region = serde_json::Map::new();
            if let Some(line) = d.line.filter(|&l| l > 0) {
                region.insert("startLine".into(), json!(line));
            }
            let mut physical =
                json!({ "artifactLocation": { "uri": uri(&d.path.to_string_lossy()) } });
            if !region.is_empty() {
                physical["region"] = Value::Object(region);
            }
            json!({
                "level": level.sarif_level(),
                "message": { "text": format!("{}: {}", d.origin, d.message) },
                "locations": [{ "physicalLocation": physical }],
            })
        })
        .collect();
    let doc = json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool,
                    "version": report.version,
                    "semanticVersion": report.version,
                    "informationUri": env!("CARGO_PKG_REPOSITORY"),
                    "rules": descriptors,
                }
            },
            "invocations": [{
                "executionSuccessful": report.summary.errors == 0,
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
            "properties": {
                "schema": report.schema,
                "date": report.date,
                "passed": report.passed,
                "failOn": report.fail_on,
                "checked": report.checked,
            },
        }],
    });
    let mut s = serde_json::to_string_pretty(&doc).unwrap_or_default();
    s.push('\n');
    s
}

fn result(r: &Reported, rules: &[ospo_policy::Rule], single: bool) -> Value {
    let f = &r.finding;
    let mut out = json!({
        "ruleId": f.code,
        "level": f.severity.sarif_level(),
        "message": { "text": message(f) },
        "locations": [location(f, single)],
        "partialFingerprints": { FINGERPRINT_KEY: r.fingerprint },
    });
    if let Some(i) = rules.iter().position(|x| x.code == f.code) {
        out["ruleIndex"] = json!(i);
    }
    let mut props = serde_json::Map::new();
    props.insert("category".into(), json!(f.category));
    if !f.repository.is_empty() {
        props.insert("repository".into(), json!(f.repository));
    }
    if !f.project.is_empty() {
        props.insert("project".into(), json!(f.project));
    }
    if let Some(p) = &f.purl {
        props.insert("purl".into(), json!(p));
    }
    if !f.hint.is_empty() {
        props.insert("hint".into(), json!(f.hint));
    }
    out["properties"] = Value::Object(props);
    out
}

/// The message, with the hint after it: code-scanning tools show only the message.
fn message(f: &Finding) -> String {
    if f.hint.is_empty() {
        f.message.clone()
    } else {
        format!("{} ({})", f.message, f.hint)
    }
}

/// The finding's place; without one, its project's file (code-scanning tools need a place). In
/// a report of several repositories, paths start with the repository's name.
fn location(f: &Finding, single: bool) -> Value {
    let (path, line, column) = match &f.location {
        Some(l) => (l.path.to_string_lossy().into_owned(), l.line, l.column),
        None if !f.project.is_empty() => (f.project.clone(), None, None),
        None => (ospo_policy::FILE_NAME.to_owned(), None, None),
    };
    let path = if single || f.repository.is_empty() || path.starts_with('/') {
        path
    } else {
        format!("{}/{}", f.repository, path)
    };
    let mut physical = json!({ "artifactLocation": { "uri": uri(&path) } });
    if let Some(line) = line.filter(|&l| l > 0) {
        let mut region = json!({ "startLine": line });
        if let Some(c) = column.filter(|&c| c > 0) {
            region["startColumn"] = json!(c);
        }
        physical["region"] = region;
    }
    json!({ "physicalLocation": physical })
}

/// A relative path as a URI reference: `./` dropped, separators `/`, characters outside the
/// URI's unreserved and path sets percent-encoded; an absolute path as a `file://` URI.
fn uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let trimmed = path.trim_start_matches("./");
    let mut out = String::with_capacity(trimmed.len());
    if trimmed.starts_with('/') {
        out.push_str("file://");
    }
    for b in trimmed.bytes() {
        match b {
            b'A'..=b'Z'
            | b'a'..=b'z'
            | b'0'..=b'9'
            | b'-'
            | b'.'
            | b'_'
            | b'~'
            | b'/'
            | b'@'
            | b'+'
            | b'='
            | b','
            | b'!'
            | b'$'
            | b'&'
            | b'\''
            | b'('
            | b')'
            | b'*'
            | b';'
            | b':' => out.push(b as char),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// `license-denied` → `LicenseDenied`.
fn camel(code: &str) -> String {
    code.split('-')
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(first) => first.to_ascii_uppercase().to_string() + c.as_str(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_relative_references_or_file_uris() {
        assert_eq!(uri("./web/package-lock.json"), "web/package-lock.json");
        assert_eq!(uri("a b/c#d.json"), "a%20b/c%23d.json");
        assert_eq!(uri("/srv/ospo.toml"), "file:///srv/ospo.toml");
        assert_eq!(uri("dir\\x.txt"), "dir/x.txt");
        assert_eq!(camel("policy-exception-unused"), "PolicyExceptionUnused");
    }
}
