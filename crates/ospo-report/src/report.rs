//! The check report: one value every renderer reads. Its JSON form is documented by
//! `schemas/ospo-check.schema.json` (versioned by [`SCHEMA`]) and reads back for baselines and
//! diffs.

use std::collections::BTreeMap;
use std::path::PathBuf;

use ospo_model::{Diagnostic, Level, Portfolio, RiskCategory};
use ospo_policy::{Finding, Severity};
use serde::{Deserialize, Serialize};

/// The version of the JSON check report; bumped on any incompatible change.
pub const SCHEMA: &str = "ospo-check/1";

/// The result of `ospo check`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// [`SCHEMA`].
    pub schema: String,
    pub tool: String,
    pub version: String,
    /// The day exceptions and ignores were judged against (YYYY-MM-DD).
    pub date: String,
    /// The lowest severity that fails the check; `None`: nothing fails it.
    pub fail_on: Option<Severity>,
    /// No finding at or above `fail_on`, and nothing that could not be read.
    pub passed: bool,
    /// The policy files used (each with the files it extends), by repository.
    pub policies: BTreeMap<String, Vec<PathBuf>>,
    /// Which checks ran: a check that did not run is not clean.
    pub checked: Checked,
    pub summary: Summary,
    /// The baseline the findings were compared with, when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub baseline: Option<Baseline>,
    /// Sorted (repository, project, place, code, …).
    pub findings: Vec<Reported>,
    /// Every component by repository (for `ospo diff`), sorted and unique.
    #[serde(default)]
    pub components: Vec<ComponentRef>,
    /// What could not be read or decided, sorted.
    #[serde(default)]
    pub diagnostics: Vec<Diagnostic>,
}

/// A finding as reported: the finding and its fingerprint.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reported {
    #[serde(flatten)]
    pub finding: Finding,
    /// [`Finding::fingerprint`]: stable across line moves, for baselines and SARIF.
    pub fingerprint: String,
}

impl Reported {
    pub fn new(finding: Finding) -> Reported {
        Reported {
            fingerprint: finding.fingerprint(),
            finding,
        }
    }
}

/// Which checks ran for every repository: a check is false when any repository was not checked
/// (no vulnerability database, a broken policy).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Checked {
    pub licenses: bool,
    /// False when there was no vulnerability database (or `--no-vulns`).
    pub vulnerabilities: bool,
    pub bans: bool,
    pub sources: bool,
    /// The repositories' own health (git history, Scorecard's file checks): only when the
    /// policy asks for it (`health.min-score`, `health.max-inactive-days`).
    #[serde(default)]
    pub health: bool,
}

/// The counts the reports chart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub repositories: u64,
    pub projects: u64,
    /// Component entries (a package used by two projects counts twice).
    pub components: u64,
    pub components_by_ecosystem: BTreeMap<String, u64>,
    /// Concluded licence class of each component (`unknown`: no licence known).
    pub licenses_by_class: BTreeMap<String, u64>,
    /// Vulnerability findings not suppressed, by the advisory's severity.
    pub vulnerabilities_by_severity: BTreeMap<String, u64>,
    /// Findings suppressed by VEX statements or ignores.
    pub vulnerabilities_suppressed: u64,
    pub findings_by_severity: BTreeMap<Severity, u64>,
    pub findings_by_category: BTreeMap<RiskCategory, u64>,
    pub findings_by_code: BTreeMap<String, u64>,
    /// Diagnostics of level error (files that could not be read).
    pub errors: u64,
}

impl Summary {
    /// Recounts the finding and diagnostic counts from the report's lists.
    pub fn count_findings(&mut self, findings: &[Reported], diagnostics: &[Diagnostic]) {
        self.findings_by_severity.clear();
        self.findings_by_category.clear();
        self.findings_by_code.clear();
        for r in findings {
            let f = &r.finding;
            *self.findings_by_severity.entry(f.severity).or_default() += 1;
            *self.findings_by_category.entry(f.category).or_default() += 1;
            *self.findings_by_code.entry(f.code.to_owned()).or_default() += 1;
        }
        self.errors = diagnostics
            .iter()
            .filter(|d| d.level == Level::Error)
            .count() as u64;
    }
}

/// The baseline a report was compared with.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    pub file: PathBuf,
    /// Findings of this run that the baseline already had (left out of `findings`).
    pub known: u64,
    /// Findings of the baseline this run no longer has.
    pub fixed: u64,
}

/// One component of one repository, for diffs.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct ComponentRef {
    pub repository: String,
    pub purl: String,
}

/// The repository/project/component counts and components by ecosystem of a portfolio, and its
/// components as [`ComponentRef`]s (sorted, unique).
pub fn count_components(portfolio: &Portfolio, summary: &mut Summary) -> Vec<ComponentRef> {
    let mut refs = Vec::new();
    summary.repositories = portfolio.repositories.len() as u64;
    for repo in &portfolio.repositories {
        summary.projects += repo.projects.len() as u64;
        for p in &repo.projects {
            for c in &p.components {
                summary.components += 1;
                *summary
                    .components_by_ecosystem
                    .entry(c.ecosystem.to_string())
                    .or_default() += 1;
                refs.push(ComponentRef {
                    repository: repo.name.clone(),
                    purl: c.purl.as_str().to_owned(),
                });
            }
        }
    }
    refs.sort();
    refs.dedup();
    refs
}

impl CheckReport {
    /// The findings at or above the threshold.
    pub fn failing(&self) -> impl Iterator<Item = &Reported> {
        self.findings
            .iter()
            .filter(move |r| self.fail_on.is_some_and(|t| r.finding.severity.at_least(t)))
    }
}
