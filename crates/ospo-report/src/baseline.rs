//! Baselines: a legacy repository adopts the gate on day one by recording today's findings
//! (`ospo check -f json -o baseline.json`) and failing only on new ones. A finding is known when
//! the baseline has its fingerprint ([`ospo_policy::Finding::fingerprint`]: no line numbers, so
//! a lockfile that grows does not make old findings new). The baseline is a previous JSON check
//! report or a SARIF file ospo wrote.

use std::collections::BTreeSet;
use std::path::Path;

use serde_json::Value;

use crate::render::sarif::FINGERPRINT_KEY;
use crate::{Baseline, CheckReport};

/// The fingerprints a baseline file holds.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Known {
    pub fingerprints: BTreeSet<String>,
}

/// Why a baseline cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("{file}: cannot read the baseline: {source}")]
    Io {
        file: String,
        source: std::io::Error,
    },
    #[error("{file}:{line}:{column}: the baseline is not JSON: {message}")]
    Json {
        file: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "{file}: neither an ospo check report (`\"schema\": \"ospo-check/1\"`) nor a SARIF file with ospo fingerprints"
    )]
    Unknown { file: String },
}

/// Reads a baseline: a JSON check report (each finding's `fingerprint`, recomputed from the
/// finding when missing) or a SARIF log (each result's `partialFingerprints["ospo/v1"]`).
pub fn read(file: &Path) -> Result<Known, BaselineError> {
    let name = file.display().to_string();
    let bytes = std::fs::read(file).map_err(|source| BaselineError::Io {
        file: name.clone(),
        source,
    })?;
    parse(&name, &bytes)
}

/// [`read`] of bytes already read; `name` names them in errors.
pub fn parse(name: &str, bytes: &[u8]) -> Result<Known, BaselineError> {
    let doc: Value = serde_json::from_slice(bytes).map_err(|e| BaselineError::Json {
        file: name.to_owned(),
        line: e.line(),
        column: e.column(),
        message: e.to_string(),
    })?;
    let mut known = Known::default();
    let schema = doc.get("schema").and_then(Value::as_str).unwrap_or("");
    if schema.starts_with("ospo-check/") {
        for f in doc
            .get("findings")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let Some(fp) = f.get("fingerprint").and_then(Value::as_str) {
                known.fingerprints.insert(fp.to_owned());
            } else if let Ok(finding) = serde_json::from_value::<ospo_policy::Finding>(f.clone()) {
                known.fingerprints.insert(finding.fingerprint());
            }
        }
        return Ok(known);
    }
    if let Some(runs) = doc.get("runs").and_then(Value::as_array) {
        for result in runs
            .iter()
            .filter_map(|r| r.get("results").and_then(Value::as_array))
            .flatten()
        {
            if let Some(fp) = result
                .pointer("/partialFingerprints")
                .and_then(|p| p.get(FINGERPRINT_KEY))
                .and_then(Value::as_str)
            {
                known.fingerprints.insert(fp.to_owned());
            }
        }
        return Ok(known);
    }
    Err(BaselineError::Unknown {
        file: name.to_owned(),
    })
}

/// Leaves out of the report the findings the baseline knows, records how many were left out and
/// how many of the baseline's are gone, and decides the verdict again.
pub fn apply(report: &mut CheckReport, known: &Known, file: &Path) {
    let before = report.findings.len();
    let present: BTreeSet<&str> = report
        .findings
        .iter()
        .map(|r| r.fingerprint.as_str())
        .collect();
    let fixed = known
        .fingerprints
        .iter()
        .filter(|fp| !present.contains(fp.as_str()))
        .count();
    report
        .findings
        .retain(|r| !known.fingerprints.contains(&r.fingerprint));
    report.baseline = Some(Baseline {
        file: file.to_path_buf(),
        known: (before - report.findings.len()) as u64,
        fixed: fixed as u64,
    });
    let (findings, diagnostics) = (&report.findings, &report.diagnostics);
    report.summary.count_findings(findings, diagnostics);
    report.decide();
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn reports_and_sarif_give_fingerprints_and_other_json_is_refused() {
        let report = br#"{"schema": "ospo-check/1", "findings": [
            {"code": "ban-denied", "severity": "error", "category": "dependency",
             "repository": "web", "project": "package-lock.json", "message": "m",
             "fingerprint": "0123456789abcdef"},
            {"code": "license-unknown", "severity": "warning", "category": "dependency",
             "repository": "web", "project": "", "message": "no fingerprint"}]}"#;
        let known = parse("r.json", report).unwrap();
        assert_eq!(known.fingerprints.len(), 2);
        assert!(known.fingerprints.contains("0123456789abcdef"));
        let recomputed = ospo_policy::Finding::new("license-unknown", "no fingerprint")
            .in_project("web", "")
            .fingerprint();
        assert!(known.fingerprints.contains(&recomputed));

        let sarif = br#"{"version": "2.1.0", "runs": [{"results": [
            {"ruleId": "ban-denied", "partialFingerprints": {"ospo/v1": "fedcba9876543210"}},
            {"ruleId": "other-tool", "partialFingerprints": {"primaryLocationLineHash": "x"}}]}]}"#;
        let known = parse("r.sarif", sarif).unwrap();
        assert_eq!(
            known.fingerprints.into_iter().collect::<Vec<_>>(),
            ["fedcba9876543210"]
        );

        let err = parse("x.json", b"{\"hello\": 1}").unwrap_err().to_string();
        assert!(err.starts_with("x.json: neither"), "{err}");
        let err = parse("x.json", b"{\n  \"schema\": ")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("x.json:2:"), "{err}");
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = parse("b.json", &bytes);
            let _ = serde_json::from_slice::<CheckReport>(&bytes);
        }

        #[test]
        fn arbitrary_findings_in_a_report_never_panic(
            code in "[a-z-]{0,20}", message in ".{0,40}", fp in ".{0,20}"
        ) {
            let doc = serde_json::json!({"schema": "ospo-check/1", "findings": [
                {"code": code, "severity": "info", "category": "staff", "message": message,
                 "fingerprint": fp}]});
            let known = parse("b.json", doc.to_string().as_bytes()).unwrap();
            prop_assert!(known.fingerprints.contains(&fp));
        }
    }
}
