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
