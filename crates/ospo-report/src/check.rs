//! The gate: a scanned portfolio evaluated against its policy, into one [`CheckReport`].
//!
//! Each repository is judged by its own policy (its `ospo.toml` and the files it extends, or the
//! defaults), unless one policy is given for all. The order is the policy crate's: the licence
//! report made with the policy's preference and clarifications, then judged; the vulnerability
//! matches with VEX documents and ignores applied; bans and sources; then the exceptions that
//! expired or matched nothing. A policy with errors gives `policy-invalid` findings and checks
//! nothing else in its repositories.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use ospo_license::Detector;
use ospo_license::locate::LocateOptions;
use ospo_model::{Diagnostic, Level, Portfolio, Repository};
use ospo_policy::{Finding, Policy, Severity, Usage, evaluate};
use ospo_vuln::db::OpenDatabase;
use ospo_vuln::matching::{Kind, match_portfolio};
use ospo_vuln::vex;
use time::Date;

use crate::report::{CheckReport, Checked, Reported, SCHEMA, Summary, count_components};

/// Which policy judges a repository.
#[derive(Clone, Debug)]
pub enum PolicySource {
    /// Each repository's own `ospo.toml`, or the defaults.
    PerRepository,
    /// One file for every repository.
    File(PathBuf),
}

/// How a check runs.
pub struct Options<'a> {
    /// The day exceptions are judged against.
    pub today: Date,
    /// The lowest finding severity that fails the check; `None`: nothing fails it.
    pub fail_on: Option<Severity>,
    pub policy: PolicySource,
    /// Where the licence engine looks for package files.
    pub locate: LocateOptions,
    /// The vulnerability database; `None`: vulnerabilities are not checked (and the report says
    /// so).
    pub db: Option<&'a OpenDatabase>,
    /// VEX documents given besides the policy's.
    pub vex: Vec<PathBuf>,
}

/// Evaluates the portfolio. Never fails: what cannot be read is a diagnostic or a finding.
pub fn check(mut portfolio: Portfolio, opts: &Options<'_>) -> CheckReport {
    let mut summary = Summary::default();
    let components = count_components(&portfolio, &mut summary);
    let mut diagnostics: Vec<Diagnostic> = portfolio.all_diagnostics().cloned().collect();
    let mut findings = Vec::new();
    let mut policies = BTreeMap::new();
    let mut checked = Checked {
        licenses: true,
        vulnerabilities: opts.db.is_some(),
        bans: true,
        sources: true,
        health: false,
    };
    let detector = Detector::new();
    let given = match &opts.policy {
        PolicySource::File(file) => Some(ospo_policy::load(file)),
        PolicySource::PerRepository => None,
    };

    // Repositories that share a policy are evaluated together.
    let mut groups: BTreeMap<Vec<PathBuf>, (Policy, Vec<Repository>)> = BTreeMap::new();
    for repo in std::mem::take(&mut portfolio.repositories) {
        let loaded = match &given {
            Some(result) => result.clone(),
            None => ospo_policy::load_for_root(&repo.path),
        };
        match loaded {
            Ok(policy) => {
                let files = policy
                    .files
                    .iter()
                    .map(|f| f.strip_prefix(&repo.path).unwrap_or(f).to_path_buf())
                    .collect();
                policies.insert(repo.name.clone(), files);
                groups
                    .entry(policy.files.clone())
                    .or_insert_with(|| (policy, Vec::new()))
                    .1
                    .push(repo);
            }
            Err(errors) => {
                let mut seen = std::collections::BTreeSet::new();
                for e in errors {
                    policies
                        .entry(repo.name.clone())
                        .or_insert_with(Vec::new)
                        .push(
                            e.file
                                .strip_prefix(&repo.path)
                                .unwrap_or(&e.file)
                                .to_path_buf(),
                        );
                    seen.insert(e.file.clone());
                    let mut f = Finding::from_policy_error(&e).in_project(&repo.name, "");
                    relative(&mut f, &repo.path);
                    findings.push(f);
                }
                if let Some(files) = policies.get_mut(&repo.name) {
                    files.sort();
                    files.dedup();
                }
                // Nothing else of this repository is judged: the report must not look clean.
                checked = Checked {
                    licenses: false,
                    vulnerabilities: false,
                    bans: false,
                    sources: false,
                    health: false,
                };
            }
        }
    }

    for (_, (policy, repositories)) in groups {
        let group = Portfolio {
            repositories,
            diagnostics: Vec::new(),
        };
        let usage = Usage::new(&policy);
        let mut found = Vec::new();
        let (preference, clarify) = policy.license_options(opts.today);
        let license_opts = ospo_license::report::Options {
            locate: opts.locate.clone(),
            preference,
            clarify,
        };
        let licenses = ospo_license::analyse(&group, &license_opts, &detector);
        for c in licenses
            .repositories
            .iter()
            .flat_map(|r| &r.projects)
            .flat_map(|p| &p.components)
        {
            *summary
                .licenses_by_class
                .entry(c.class.to_string())
                .or_default() += 1;
        }
        diagnostics.extend(licenses.diagnostics.iter().cloned());
        found.extend(evaluate::licenses(&policy, &licenses, opts.today, &usage));

        if let Some(db) = opts.db {
            let mut matches = match_portfolio(&group, db);
            diagnostics.append(&mut matches.diagnostics);
            let mut statements = Vec::new();
            for path in policy.vulnerabilities.vex.iter().chain(&opts.vex) {
                match read_vex(path) {
                    Ok(s) => statements.extend(s),
                    Err(d) => found.push(
                        Finding::new(ospo_policy::rules::VEX_INVALID.code, d.message.clone())
                            .at(ospo_policy::Location {
                                path: d.path.clone(),
                                line: d.line,
                                column: None,
                            })
                            .with_hint(
                                "fix the document: its statements suppress nothing until then",
                            ),
                    ),
                }
            }
            found.extend(evaluate::vulnerabilities(
                &policy,
                &mut matches,
                &statements,
                opts.today,
                &usage,
            ));
            for v in &matches.findings {
                if v.suppressed.is_some() {
                    summary.vulnerabilities_suppressed += 1;
                } else if v.kind == Kind::Vulnerability {
                    *summary
                        .vulnerabilities_by_severity
                        .entry(v.rated.severity.to_string())
                        .or_default() += 1;
                }
            }
        }

        for repo in &group.repositories {
            found.extend(evaluate::inventory(&policy, repo, opts.today, &usage));
        }
        if policy.health.min_score > 0.0 || policy.health.max_inactive_days > 0 {
            checked.health = true;
            for repo in &group.repositories {
                match health(&policy, repo, opts.today) {
                    Ok(f) => found.extend(f),
                    Err(d) => diagnostics.push(d),
                }
            }
        }
        found.extend(policy.exception_findings(opts.today, &usage));
        // Findings about the policy's own files (exceptions, VEX documents) belong to its
        // repository when it judges only one, placed relative to its root.
        if let [repo] = group.repositories.as_slice() {
            for f in &mut found {
                if f.repository.is_empty() {
                    f.repository.clone_from(&repo.name);
                    relative(f, &repo.path);
                }
            }
        }
        findings.append(&mut found);
    }

    findings.sort();
    findings.dedup();
    diagnostics.sort();
    diagnostics.dedup();
    let findings: Vec<Reported> = findings.into_iter().map(Reported::new).collect();
    summary.count_findings(&findings, &diagnostics);
    let mut report = CheckReport {
        schema: SCHEMA.to_owned(),
        tool: "ospo".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
        date: opts.today.to_string(),
        fail_on: opts.fail_on,
        passed: false,
        policies,
        checked,
        summary,
        baseline: None,
        findings,
        components,
        diagnostics,
    };
    report.decide();
    report
}

/// A finding about a file of the repository (its policy file), placed relative to the
/// repository's root like every other finding.
fn relative(f: &mut Finding, root: &Path) {
    if let Some(l) = &mut f.location
        && let Ok(rel) = l.path.strip_prefix(root)
    {
        l.path = rel.to_path_buf();
    }
}

/// The health findings of an own repository, when the policy asks for health
/// (`health.min-score`, `health.max-inactive-days`). A folder that is not a git repository has
/// no history: a warning says its health was not checked.
fn health(policy: &Policy, repo: &Repository, today: Date) -> Result<Vec<Finding>, Diagnostic> {
    let mut opts = ospo_health::Options::new(today.midnight().assume_utc().unix_timestamp());
    if policy.health.max_inactive_days > 0 {
        opts.abandoned_after_days = policy.health.max_inactive_days;
    }
    let report = ospo_health::assess(&repo.path, &opts).map_err(|e| {
        Diagnostic::new(
            Level::Warning,
            "health",
            &repo.path,
            None,
            format!("health not checked: {e}"),
        )
    })?;
    let ctx = ospo_policy::health::HealthContext::own(&repo.name, policy);
    Ok(Finding::from_health(&report, &ctx))
}

/// Reads one VEX document; a document that cannot be read is an error diagnostic naming it.
fn read_vex(path: &Path) -> Result<Vec<vex::Statement>, Diagnostic> {
    let bytes = std::fs::read(path).map_err(|e| {
        Diagnostic::new(
            Level::Error,
            "vex",
            path,
            None,
            format!("cannot read the VEX document: {e}"),
        )
    })?;
    vex::read(path, &bytes)
}

impl CheckReport {
    /// Sets `passed`: nothing that could not be read, and no finding at or above the threshold.
    pub fn decide(&mut self) {
        self.passed = self.summary.errors == 0 && self.failing().next().is_none();
    }
}
