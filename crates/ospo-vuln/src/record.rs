//! OSV records: the JSON the OSV schema defines, read leniently, and the compact advisory ospo
//! stores and matches with.
//!
//! Reading is lenient where the data is merely untidy (unknown fields, `null` for an empty list,
//! an unknown range type) and strict where a guess would give a wrong answer (a record without an
//! id, an event without a version): such a record or entry is rejected with a reason, and the
//! rest of the import goes on.

use serde::{Deserialize, Deserializer, Serialize};

/// An OSV record as published (schema 1.x). Only what ospo uses is read; other fields are ignored.
#[derive(Debug, Deserialize)]
pub struct OsvRecord {
    pub id: String,
    #[serde(default)]
    pub modified: Option<String>,
    #[serde(default)]
    pub published: Option<String>,
    #[serde(default)]
    pub withdrawn: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub aliases: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub related: Vec<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub upstream: Vec<String>,
    #[serde(default)]
    pub summary: Option<String>,
    #[serde(default)]
    pub details: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub severity: Vec<OsvSeverity>,
    #[serde(default, deserialize_with = "nullable")]
    pub affected: Vec<OsvAffected>,
    #[serde(default, deserialize_with = "nullable")]
    pub references: Vec<OsvReference>,
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct OsvSeverity {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

#[derive(Debug, Deserialize)]
pub struct OsvReference {
    #[serde(rename = "type", default)]
    pub kind: Option<String>,
    pub url: String,
}

#[derive(Debug, Deserialize)]
pub struct OsvAffected {
    #[serde(default)]
    pub package: Option<OsvPackage>,
    #[serde(default, deserialize_with = "nullable")]
    pub severity: Vec<OsvSeverity>,
    #[serde(default, deserialize_with = "nullable")]
    pub ranges: Vec<OsvRange>,
    #[serde(default, deserialize_with = "nullable")]
    pub versions: Vec<String>,
    #[serde(default)]
    pub ecosystem_specific: Option<serde_json::Value>,
    #[serde(default)]
    pub database_specific: Option<serde_json::Value>,
}

#[derive(Debug, Deserialize)]
pub struct OsvPackage {
    #[serde(default)]
    pub ecosystem: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    #[serde(default)]
    pub purl: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct OsvRange {
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default)]
    pub repo: Option<String>,
    #[serde(default, deserialize_with = "nullable")]
    pub events: Vec<serde_json::Map<String, serde_json::Value>>,
}

fn nullable<'de, D, T>(de: D) -> Result<Vec<T>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(de)?.unwrap_or_default())
}

/// The longest `details` text kept: enough for a report, bounded for the store.
const MAX_DETAILS: usize = 8 * 1024;
/// The most references kept per advisory.
const MAX_REFERENCES: usize = 16;
/// The longest identifier accepted.
const MAX_ID: usize = 128;

/// An advisory as ospo stores it: the OSV record reduced to what matching and reports need.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Advisory {
    pub id: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub related: Vec<String>,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub summary: String,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub details: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withdrawn: Option<String>,
    /// Severity vectors and scores as the record gives them (`CVSS_V3`, `CVSS_V4`, …).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityEntry>,
    /// The database's own rating (`database_specific.severity`: GitHub's LOW … CRITICAL).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub database_severity: Option<String>,
    /// Set for advisories that are not vulnerabilities (RustSec `unmaintained`, `unsound`,
    /// `notice`): kept apart from vulnerabilities in every report.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub informational: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<Reference>,
    pub affected: Vec<AffectedPackage>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityEntry {
    #[serde(rename = "type")]
    pub kind: String,
    pub score: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reference {
    #[serde(rename = "type", default, skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    pub url: String,
}

/// One package an advisory affects, with the ranges and versions that say which releases.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AffectedPackage {
    /// The ecosystem as written, `:suffix` included (`Packagist:https://…`, `Debian:12`).
    pub ecosystem: String,
    pub name: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub ranges: Vec<AffectedRange>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub versions: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub severity: Vec<SeverityEntry>,
    /// The affected functions or imports, where the database lists them (RustSec, Go).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbols: Vec<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffectedRange {
    /// `SEMVER`, `ECOSYSTEM`, `GIT`, or whatever else the record says (evaluated as undecidable).
    #[serde(rename = "type")]
    pub kind: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub repo: Option<String>,
    pub events: Vec<RangeEvent>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RangeEvent {
    Introduced(String),
    Fixed(String),
    LastAffected(String),
    Limit(String),
}

impl RangeEvent {
    pub fn version(&self) -> &str {
        match self {
            RangeEvent::Introduced(v)
            | RangeEvent::Fixed(v)
            | RangeEvent::LastAffected(v)
            | RangeEvent::Limit(v) => v,
        }
    }
}

/// Why a record was not taken.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum RecordError {
    #[error("not valid OSV JSON: {0}")]
    Json(String),
    #[error("the record has no usable `id` ({0})")]
    BadId(String),
}

/// What converting one record gave: the advisory, and remarks about parts left out.
#[derive(Debug)]
pub struct Converted {
    pub advisory: Advisory,
    pub remarks: Vec<String>,
}

/// Parses one OSV JSON document and reduces it to an [`Advisory`].
pub fn parse(bytes: &[u8]) -> Result<Converted, RecordError> {
    let record: OsvRecord =
        serde_json::from_slice(bytes).map_err(|e| RecordError::Json(e.to_string()))?;
    convert(record)
}

/// Reduces a parsed record. Affected entries that cannot be used (no package, an event without a
/// version) are dropped with a remark; the record itself is only rejected when its id is unusable.
pub fn convert(record: OsvRecord) -> Result<Converted, RecordError> {
    check_id(&record.id)?;
    let mut remarks = Vec::new();
    // RustSec puts `informational` in each affected entry's `database_specific`.
    let entry_informational = record.affected.iter().find_map(|a| {
        a.database_specific
            .as_ref()
            .and_then(|d| d.get("informational"))
            .and_then(|s| s.as_str())
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    });
    let mut affected = Vec::with_capacity(record.affected.len());
    for (i, entry) in record.affected.into_iter().enumerate() {
        match convert_affected(entry) {
            Ok(a) => affected.push(a),
            Err(why) => remarks.push(format!("affected[{i}] left out: {why}")),
        }
    }
    let db = record.database_specific.as_ref();
    let database_severity = db
        .and_then(|d| d.get("severity"))
        .and_then(|s| s.as_str())
        .map(str::to_owned);
    let informational = db
        .and_then(|d| d.get("informational"))
        .and_then(|s| s.as_str())
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
        .or(entry_informational);
    let mut details = record.details.unwrap_or_default();
    truncate(&mut details, MAX_DETAILS);
    let references = record
        .references
        .into_iter()
        .take(MAX_REFERENCES)
        .map(|r| Reference {
            kind: r.kind,
            url: r.url,
        })
        .collect();
    let mut aliases = record.aliases;
    aliases.retain(|a| check_id(a).is_ok() && *a != record.id);
    aliases.sort();
    aliases.dedup();
    let mut related: Vec<String> = record.related.into_iter().chain(record.upstream).collect();
    related.retain(|a| check_id(a).is_ok());
    related.sort();
    related.dedup();
    Ok(Converted {
        advisory: Advisory {
            id: record.id,
            aliases,
            related,
            summary: record.summary.unwrap_or_default(),
            details,
            published: record.published,
            modified: record.modified,
            withdrawn: record.withdrawn,
            severity: record.severity.into_iter().map(severity_entry).collect(),
            database_severity,
            informational,
            references,
            affected,
        },
        remarks,
    })
}

fn severity_entry(s: OsvSeverity) -> SeverityEntry {
    SeverityEntry {
        kind: s.kind,
        score: s.score,
    }
}

fn convert_affected(entry: OsvAffected) -> Result<AffectedPackage, String> {
    let package = entry.package.ok_or("no `package`")?;
    let ecosystem = package
        .ecosystem
        .filter(|e| !e.trim().is_empty())
        .ok_or("the package has no ecosystem")?;
    let name = package
        .name
        .filter(|n| !n.trim().is_empty())
        .ok_or("the package has no name")?;
    let mut ranges = Vec::with_capacity(entry.ranges.len());
    for range in entry.ranges {
        let mut events = Vec::with_capacity(range.events.len());
        for event in range.events {
            events.push(convert_event(&event)?);
        }
        ranges.push(AffectedRange {
            kind: range.kind,
            repo: range.repo,
            events,
        });
    }
    let symbols = symbols(entry.ecosystem_specific.as_ref());
    Ok(AffectedPackage {
        ecosystem,
        name,
        ranges,
        versions: entry.versions,
        severity: entry.severity.into_iter().map(severity_entry).collect(),
        symbols,
    })
}

fn convert_event(event: &serde_json::Map<String, serde_json::Value>) -> Result<RangeEvent, String> {
    let mut known = event.iter().filter(|(k, _)| {
        matches!(
            k.as_str(),
            "introduced" | "fixed" | "last_affected" | "limit"
        )
    });
    let (Some((key, value)), None) = (known.next(), known.next()) else {
        return Err(format!(
            "an event must have exactly one of introduced, fixed, last_affected, limit: {}",
            serde_json::Value::Object(event.clone())
        ));
    };
    let version = value
        .as_str()
        .filter(|v| !v.is_empty())
        .ok_or_else(|| format!("`{key}` is not a version string"))?
        .to_owned();
    Ok(match key.as_str() {
        "introduced" => RangeEvent::Introduced(version),
        "fixed" => RangeEvent::Fixed(version),
        "last_affected" => RangeEvent::LastAffected(version),
        _ => RangeEvent::Limit(version),
    })
}

/// Affected symbols: RustSec's `affects.functions`, Go's `imports[].symbols`.
fn symbols(specific: Option<&serde_json::Value>) -> Vec<String> {
    let Some(specific) = specific else {
        return Vec::new();
    };
    let mut out: Vec<String> = Vec::new();
    if let Some(functions) = specific
        .pointer("/affects/functions")
        .and_then(|f| f.as_array())
    {
        out.extend(
            functions
                .iter()
                .filter_map(|f| f.as_str())
                .map(str::to_owned),
        );
    }
    if let Some(imports) = specific.get("imports").and_then(|i| i.as_array()) {
        for import in imports {
            let path = import.get("path").and_then(|p| p.as_str()).unwrap_or("");
            if let Some(symbols) = import.get("symbols").and_then(|s| s.as_array()) {
                out.extend(
                    symbols
                        .iter()
                        .filter_map(|s| s.as_str())
                        .map(|s| format!("{path}.{s}")),
                );
            }
        }
    }
    out.sort();
    out.dedup();
    out
}

fn check_id(id: &str) -> Result<(), RecordError> {
    let ok = !id.is_empty()
        && id.len() <= MAX_ID
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.' | ':'));
    if ok {
        Ok(())
    } else {
        let shown: String = id.chars().take(40).collect();
        Err(RecordError::BadId(format!("`{}`", shown.escape_debug())))
    }
}

fn truncate(s: &mut String, max: usize) {
    if s.len() > max {
        let mut end = max;
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        s.truncate(end);
        s.push('…');
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_a_rustsec_record_with_informational_and_functions() {
        let json = r#"{
          "id": "RUSTSEC-2020-0071", "modified": "2024-01-01T00:00:00Z",
          "aliases": ["CVE-2020-26235", "GHSA-wcg3-cvx6-7396"],
          "summary": "Potential segfault in the time crate",
          "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:H/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
          "affected": [{
            "package": {"ecosystem": "crates.io", "name": "time", "purl": "pkg:cargo/time"},
            "ecosystem_specific": {"affects": {"functions": ["time::at_utc", "time::at"]}},
            "ranges": [{"type": "SEMVER", "events": [
              {"introduced": "0.0.0-0"}, {"fixed": "0.2.23"}]}]
          }],
          "database_specific": {"informational": null}
        }"#;
        let unmaintained = r#"{"id": "RUSTSEC-2024-0375", "affected": [{
            "package": {"ecosystem": "crates.io", "name": "atty"},
            "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}]}],
            "database_specific": {"informational": "unmaintained", "cvss": null}}]}"#;
        let a = parse(unmaintained.as_bytes()).unwrap().advisory;
        assert_eq!(a.informational.as_deref(), Some("unmaintained"));
        let c = parse(json.as_bytes()).unwrap();
        let a = c.advisory;
        assert!(c.remarks.is_empty());
        assert_eq!(a.aliases, ["CVE-2020-26235", "GHSA-wcg3-cvx6-7396"]);
        assert_eq!(a.informational, None);
        assert_eq!(a.affected[0].symbols, ["time::at", "time::at_utc"]);
        assert_eq!(
            a.affected[0].ranges[0].events,
            [
                RangeEvent::Introduced("0.0.0-0".into()),
                RangeEvent::Fixed("0.2.23".into())
            ]
        );
    }

    #[test]
    fn bad_entries_are_left_out_with_a_remark_and_bad_ids_reject_the_record() {
        let json = r#"{"id": "GHSA-xxxx-yyyy-zzzz", "aliases": null, "affected": [
            {"package": {"ecosystem": "npm"}, "versions": ["1.0.0"]},
            {"package": {"ecosystem": "npm", "name": "ok"}, "ranges": [{"type": "SEMVER",
              "events": [{"introduced": "0", "fixed": "1.0.0"}]}]},
            {"package": {"ecosystem": "npm", "name": "fine"}, "ranges": [{"type": "SEMVER",
              "events": [{"introduced": "0"}, {"fixed": "1.2.0"}]}]}
        ]}"#;
        let c = parse(json.as_bytes()).unwrap();
        assert_eq!(c.advisory.affected.len(), 1);
        assert_eq!(c.advisory.affected[0].name, "fine");
        assert_eq!(c.remarks.len(), 2, "{:?}", c.remarks);
        assert!(c.remarks[0].contains("no name"));
        assert!(c.remarks[1].contains("exactly one"));

        for bad in [
            r#"{"id": ""}"#,
            r#"{"id": "../../etc/passwd"}"#,
            r#"{"id": 7}"#,
        ] {
            assert!(parse(bad.as_bytes()).is_err(), "{bad}");
        }
        assert!(matches!(parse(b"{"), Err(RecordError::Json(_))));
    }

    #[test]
    fn details_are_bounded() {
        let long = "é".repeat(MAX_DETAILS);
        let json = serde_json::json!({"id": "X-1", "details": long}).to_string();
        let a = parse(json.as_bytes()).unwrap().advisory;
        assert!(a.details.len() <= MAX_DETAILS + '…'.len_utf8());
        assert!(a.details.ends_with('…'));
    }
}
