//! Triage input: VEX documents (OpenVEX, CycloneDX VEX) that say a vulnerability does not affect
//! a product, and ignore entries from the project's configuration, which need a reason and an
//! expiry date. An expired ignore no longer suppresses anything and, like one that matched
//! nothing, is reported.

use std::path::{Path, PathBuf};

use ospo_model::{Diagnostic, Level, Purl};
use serde::{Deserialize, Serialize};

use crate::matching::{Suppression, VulnFinding};

pub const ORIGIN: &str = "vex";

/// One "does not affect" statement: a vulnerability id, the packages it is about (purls; a purl
/// without a version covers every version), and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    pub vulnerability: String,
    pub products: Vec<String>,
    pub reason: String,
    pub source: PathBuf,
}

/// Reads an OpenVEX or CycloneDX VEX document. Only statements that a vulnerability does not
/// affect (OpenVEX `not_affected`/`fixed`, CycloneDX `not_affected`/`false_positive`/`resolved`)
/// are returned; others are triage in progress and change nothing.
pub fn read(path: &Path, bytes: &[u8]) -> Result<Vec<Statement>, Diagnostic> {
    let fail =
        |line: Option<u32>, msg: String| Diagnostic::new(Level::Error, ORIGIN, path, line, msg);
    let doc: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| fail(u32::try_from(e.line()).ok(), format!("not JSON: {e}")))?;
    if doc.get("statements").is_some() {
        openvex(path, &doc).map_err(|m| fail(None, m))
    } else if doc.get("bomFormat").and_then(|f| f.as_str()) == Some("CycloneDX") {
        cyclonedx(path, &doc).map_err(|m| fail(None, m))
    } else {
        Err(fail(
            None,
            "neither an OpenVEX document (`statements`) nor a CycloneDX BOM".into(),
        ))
    }
}

fn openvex(path: &Path, doc: &serde_json::Value) -> Result<Vec<Statement>, String> {
    let statements = doc
        .get("statements")
        .and_then(|s| s.as_array())
        .ok_or("`statements` is not a list")?;
    let mut out = Vec::new();
    for (i, s) in statements.iter().enumerate() {
        let status = s.get("status").and_then(|v| v.as_str()).unwrap_or("");
        if !matches!(status, "not_affected" | "fixed") {
            continue;
        }
        // `vulnerability` is an object with `name` (OpenVEX 0.2) or a string (0.0.x).
        let vuln = s
            .get("vulnerability")
            .and_then(|v| {
                v.as_str()
                    .or_else(|| v.get("name").and_then(|n| n.as_str()))
            })
            .ok_or_else(|| format!("statements[{i}] has no vulnerability name"))?;
        let mut products = Vec::new();
        for p in s
            .get("products")
            .and_then(|p| p.as_array())
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let id = p.as_str().or_else(|| p.get("@id").and_then(|i| i.as_str()));
            if let Some(id) = id {
                products.push(id.to_owned());
            }
            // Subcomponents name the affected package inside a product.
            for sub in p
                .get("subcomponents")
                .and_then(|s| s.as_array())
                .map(Vec::as_slice)
                .unwrap_or_default()
            {
                if let Some(id) = sub
                    .as_str()
                    .or_else(|| sub.get("@id").and_then(|i| i.as_str()))
                {
                    products.push(id.to_owned());
                }
            }
        }
        let why = s
            .get("justification")
            .or_else(|| s.get("impact_statement"))
            .and_then(|j| j.as_str())
            .unwrap_or(status);
        out.push(Statement {
            vulnerability: vuln.to_owned(),
            products,
            reason: format!("{status}: {why}"),
            source: path.to_path_buf(),
        });
    }
    Ok(out)
}

fn cyclonedx(path: &Path, doc: &serde_json::Value) -> Result<Vec<Statement>, String> {
    // `affects[].ref` points at a component's bom-ref; map those to purls.
    let mut purl_of = std::collections::HashMap::new();
    let mut stack: Vec<&serde_json::Value> = Vec::new();
    if let Some(c) = doc.pointer("/metadata/component") {
        stack.push(c);
    }
    if let Some(cs) = doc.get("components").and_then(|c| c.as_array()) {
        stack.extend(cs);
    }
    while let Some(c) = stack.pop() {
        if let (Some(r), Some(p)) = (
            c.get("bom-ref").and_then(|r| r.as_str()),
            c.get("purl").and_then(|p| p.as_str()),
        ) {
            purl_of.insert(r.to_owned(), p.to_owned());
        }
        if let Some(cs) = c.get("components").and_then(|c| c.as_array()) {
            stack.extend(cs);
        }
    }
    let mut out = Vec::new();
    for v in doc
        .get("vulnerabilities")
        .and_then(|v| v.as_array())
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        let state = v
            .pointer("/analysis/state")
            .and_then(|s| s.as_str())
            .unwrap_or("");
        if !matches!(state, "not_affected" | "false_positive" | "resolved") {
            continue;
        }
        let Some(id) = v.get("id").and_then(|i| i.as_str()) else {
            return Err("a vulnerability has no `id`".into());
        };
        let products = v
            .get("affects")
            .and_then(|a| a.as_array())
            .map(Vec::as_slice)
            .unwrap_or_default()
            .iter()
            .filter_map(|a| a.get("ref").and_then(|r| r.as_str()))
            .map(|r| purl_of.get(r).cloned().unwrap_or_else(|| r.to_owned()))
            .collect();
        let why = v
            .pointer("/analysis/justification")
            .or_else(|| v.pointer("/analysis/detail"))
            .and_then(|j| j.as_str())
            .unwrap_or(state);
        out.push(Statement {
            vulnerability: id.to_owned(),
            products,
            reason: format!("{state}: {why}"),
            source: path.to_path_buf(),
        });
    }
    Ok(out)
}

/// Whether a statement's product purl covers a component's purl: same type, namespace and name;
/// the same version, or none given.
fn covers(product: &str, purl: &str) -> bool {
    let (Ok(p), Ok(c)) = (product.parse::<Purl>(), purl.parse::<Purl>()) else {
        return product == purl;
    };
    p.covers(&c)
}

/// An ignore entry from the project's configuration.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ignore {
    /// The advisory id or any of its aliases.
    pub id: String,
    /// Why it does not apply; required.
    pub reason: String,
    /// The date (YYYY-MM-DD) after which it no longer applies; required.
    pub expires: String,
    /// Only for these packages (purls, a purl without version covers every version).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub packages: Vec<String>,
}

/// What became of one ignore entry in [`apply_ignores`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum IgnoreOutcome {
    /// It covered at least one finding.
    Used,
    /// Past its expiry date: it covered nothing.
    Expired,
    /// Live, but no finding has its advisory.
    Unused,
}

/// Marks findings a VEX statement or a live ignore covers; returns diagnostics for ignores that
/// are expired or matched nothing. `today` is `YYYY-MM-DD`.
pub fn apply(
    findings: &mut [VulnFinding],
    statements: &[Statement],
    ignores: &[(Ignore, PathBuf)],
    today: &str,
) -> Vec<Diagnostic> {
    apply_vex(findings, statements);
    let list: Vec<&Ignore> = ignores.iter().map(|(i, _)| i).collect();
    let sources: Vec<String> = ignores
        .iter()
        .map(|(_, s)| s.display().to_string())
        .collect();
    let outcomes = apply_ignores(findings, &list, &sources, today);
    let mut diagnostics = Vec::new();
    for ((ignore, source), outcome) in ignores.iter().zip(outcomes) {
        let message = match outcome {
            IgnoreOutcome::Used => continue,
            IgnoreOutcome::Expired => format!(
                "the ignore of {} expired on {}: it no longer applies; fix, renew or remove it",
                ignore.id, ignore.expires
            ),
            IgnoreOutcome::Unused => format!(
                "the ignore of {} matches no finding: remove it so it cannot hide a future one",
                ignore.id
            ),
        };
        diagnostics.push(Diagnostic::new(
            Level::Warning,
            "vulnerability-ignore",
            source,
            None,
            message,
        ));
    }
    diagnostics
}

/// Marks the findings VEX statements cover (a finding keeps the first statement that covers it).
pub fn apply_vex(findings: &mut [VulnFinding], statements: &[Statement]) {
    for f in findings.iter_mut() {
        let hit = statements.iter().find(|s| {
            f.ids().any(|id| id == s.vulnerability)
                && (s.products.is_empty() || s.products.iter().any(|p| covers(p, &f.purl)))
        });
        if let Some(s) = hit {
            f.suppressed = Some(Suppression {
                by: "vex".into(),
                source: s.source.display().to_string(),
                reason: s.reason.clone(),
            });
        }
    }
}

/// Marks the findings live ignores cover (VEX first: a finding a statement covers keeps it) and
/// says, per ignore, whether it was used, had expired or matched nothing. `sources[i]` names
/// where ignore `i` is written; `today` is `YYYY-MM-DD` (an ignore applies through its expiry
/// day).
pub fn apply_ignores(
    findings: &mut [VulnFinding],
    ignores: &[&Ignore],
    sources: &[String],
    today: &str,
) -> Vec<IgnoreOutcome> {
    let mut outcomes = Vec::with_capacity(ignores.len());
    for (i, ignore) in ignores.iter().enumerate() {
        if ignore.expires.as_str() < today {
            outcomes.push(IgnoreOutcome::Expired);
            continue;
        }
        let mut used = false;
        for f in findings.iter_mut() {
            let applies = f.ids().any(|id| id == ignore.id)
                && (ignore.packages.is_empty()
                    || ignore.packages.iter().any(|p| covers(p, &f.purl)));
            if applies {
                used = true;
                if f.suppressed.is_none() {
                    f.suppressed = Some(Suppression {
                        by: "ignore".into(),
                        source: sources.get(i).cloned().unwrap_or_default(),
                        reason: format!("{} (until {})", ignore.reason, ignore.expires),
                    });
                }
            }
        }
        outcomes.push(if used {
            IgnoreOutcome::Used
        } else {
            IgnoreOutcome::Unused
        });
    }
    outcomes
}

/// Checks an ignore entry's required parts; the message says what is missing.
pub fn validate(ignore: &Ignore) -> Result<(), String> {
    if ignore.reason.trim().is_empty() {
        return Err(format!("the ignore of {} needs a reason", ignore.id));
    }
    let date = time::Date::parse(
        &ignore.expires,
        &time::macros::format_description!("[year]-[month]-[day]"),
    );
    if date.is_err() {
        return Err(format!(
            "the ignore of {} needs an expiry date as YYYY-MM-DD, not `{}`",
            ignore.id, ignore.expires
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::matching::{Certainty, Kind};
    use crate::severity::{Rated, Severity};

    fn finding(id: &str, aliases: &[&str], purl: &str) -> VulnFinding {
        VulnFinding {
            id: id.into(),
            aliases: aliases.iter().map(|a| (*a).to_owned()).collect(),
            kind: Kind::Vulnerability,
            certainty: Certainty::Affected,
            summary: String::new(),
            risk: ospo_model::RiskCategory::Dependency,
            rated: Rated {
                severity: Severity::High,
                score: None,
                vector: None,
            },
            repository: "r".into(),
            project: "Cargo.lock".into(),
            purl: purl.into(),
            ecosystem: "crates.io".into(),
            name: "time".into(),
            version: "0.1.43".into(),
            locations: vec![],
            fixed: vec![],
            upgrade: None,
            symbols: vec![],
            references: vec![],
            suppressed: None,
        }
    }

    #[test]
    fn openvex_statements_suppress_by_alias_and_versionless_purl() {
        let doc = br#"{"@context": "https://openvex.dev/ns/v0.2.0", "statements": [
            {"vulnerability": {"name": "CVE-2020-26235"}, "products": [{"@id": "pkg:cargo/time"}],
             "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
            {"vulnerability": "CVE-1", "products": ["pkg:cargo/other"], "status": "affected"},
            {"vulnerability": {"name": "GHSA-x"}, "products": [{"@id": "pkg:cargo/time@9.9.9"}],
             "status": "fixed"}
        ]}"#;
        let statements = read(Path::new("a.openvex.json"), doc).unwrap();
        assert_eq!(statements.len(), 2);
        let mut findings = vec![
            finding(
                "RUSTSEC-2020-0071",
                &["CVE-2020-26235"],
                "pkg:cargo/time@0.1.43",
            ),
            finding("GHSA-x", &[], "pkg:cargo/time@0.1.43"),
        ];
        let unused = apply(&mut findings, &statements, &[], "2026-11-22");
        assert!(unused.is_empty());
        let s = findings[0].suppressed.as_ref().unwrap();
        assert_eq!(s.by, "vex");
        assert!(s.reason.contains("vulnerable_code_not_in_execute_path"));
        // The second statement is for another version.
        assert!(findings[1].suppressed.is_none());
    }

    #[test]
    fn cyclonedx_vex_resolves_bom_refs() {
        let doc = br#"{"bomFormat": "CycloneDX", "specVersion": "1.6",
          "components": [{"bom-ref": "c1", "name": "time", "purl": "pkg:cargo/time@0.1.43"}],
          "vulnerabilities": [
            {"id": "RUSTSEC-2020-0071", "analysis": {"state": "not_affected", "justification": "code_not_reachable"},
             "affects": [{"ref": "c1"}]},
            {"id": "RUSTSEC-2", "analysis": {"state": "in_triage"}, "affects": [{"ref": "c1"}]}]}"#;
        let statements = read(Path::new("bom.json"), doc).unwrap();
        assert_eq!(statements.len(), 1);
        assert_eq!(statements[0].products, ["pkg:cargo/time@0.1.43"]);
        assert!(read(Path::new("x.json"), b"{\"a\": 1}").is_err());
        let err = read(Path::new("x.json"), b"{\n\"a\": ").unwrap_err();
        assert_eq!(err.line, Some(2));
    }

    #[test]
    fn ignores_need_reason_and_date_and_expired_or_unused_ones_are_reported() {
        let ignore = |id: &str, expires: &str| Ignore {
            id: id.into(),
            reason: "not reachable".into(),
            expires: expires.into(),
            packages: vec![],
        };
        assert!(validate(&ignore("X", "2027-01-01")).is_ok());
        assert!(validate(&ignore("X", "soon")).is_err());
        assert!(
            validate(&Ignore {
                reason: " ".into(),
                ..ignore("X", "2027-01-01")
            })
            .is_err()
        );

        let mut findings = vec![
            finding("RUSTSEC-1", &["CVE-1"], "pkg:cargo/time@0.1.43"),
            finding("RUSTSEC-2", &[], "pkg:cargo/time@0.1.43"),
        ];
        let file = PathBuf::from("ospo.toml");
        let ignores = vec![
            (ignore("CVE-1", "2027-01-01"), file.clone()),
            (ignore("RUSTSEC-2", "2026-01-01"), file.clone()),
            (ignore("RUSTSEC-9", "2027-01-01"), file.clone()),
        ];
        let problems = apply(&mut findings, &[], &ignores, "2026-11-22");
        assert_eq!(findings[0].suppressed.as_ref().unwrap().by, "ignore");
        assert!(
            findings[1].suppressed.is_none(),
            "expired ignores do not apply"
        );
        assert_eq!(problems.len(), 2);
        assert!(problems[0].message.contains("expired"));
        assert!(problems[1].message.contains("matches no finding"));
    }
}
