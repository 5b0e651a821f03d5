//! Scores with visible inputs: one 0–10 score per check (OpenSSF Scorecard's algorithm where it
//! can run offline, said where it differs), an aggregate weighted by risk as Scorecard weights
//! it (Critical 10, High 7.5, Medium 5, Low 2.5), and a sustainability view (contributors,
//! activity, security practices, governance).
//!
//! An input that cannot be known (a shallow clone, no workflow to judge) leaves its check out of
//! every denominator: unknown is never scored 0. A project declared feature-complete has its
//! activity checks waived (left out the same way), so a stable library that needs no commits is
//! not punished for it; a deprecation notice is never waived.

use serde::Serialize;
use serde_json::json;

use crate::Options;
use crate::files::FileChecks;
use crate::history::HistoryMetrics;
use crate::metric::{Metric, round1};

/// Scorecard's risk levels and their weights.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Risk {
    Critical,
    High,
    Medium,
    Low,
}

impl Risk {
    pub fn weight(self) -> f64 {
        match self {
            Risk::Critical => 10.0,
            Risk::High => 7.5,
            Risk::Medium => 5.0,
            Risk::Low => 2.5,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Risk::Critical => "critical",
            Risk::High => "high",
            Risk::Medium => "medium",
            Risk::Low => "low",
        }
    }
}

/// One scored check.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Check {
    /// Scorecard's name (`Binary-Artifacts`…).
    pub name: &'static str,
    pub risk: Risk,
    pub weight: f64,
    /// The score 0–10 (`value`), its inputs and reason.
    #[serde(flatten)]
    pub result: Metric<u8>,
    /// Files and lines behind the score.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub details: Vec<String>,
    /// Left out because the project is declared feature-complete.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub waived: bool,
}

impl Check {
    pub fn score(&self) -> Option<u8> {
        self.result.value
    }
}

/// A check of Scorecard this offline reading cannot run, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NotRun {
    pub name: &'static str,
    pub reason: &'static str,
}

pub const NOT_RUN: &[NotRun] = &[
    NotRun {
        name: "Branch-Protection",
        reason: "branch protection rules live in the forge, not in the clone",
    },
    NotRun {
        name: "CII-Best-Practices",
        reason: "the OpenSSF Best Practices badge is looked up online",
    },
    NotRun {
        name: "Vulnerabilities",
        reason: "use `ospo vulns` on the clone: it matches its dependencies against the offline OSV database",
    },
    NotRun {
        name: "Webhooks",
        reason: "webhooks live in the forge, not in the clone",
    },
];

/// Scorecard's proportional score: `10 * part / whole`, floored, capped at 10.
fn proportional(part: u64, whole: u64) -> u8 {
    if whole == 0 {
        return 0;
    }
    (part.saturating_mul(10) / whole).min(10) as u8
}

fn check(name: &'static str, risk: Risk, result: Metric<u8>) -> Check {
    Check {
        name,
        risk,
        weight: risk.weight(),
        result,
        details: Vec::new(),
        waived: false,
    }
}

fn details<T: std::fmt::Display>(c: Check, items: &[T]) -> Check {
    Check {
        details: items.iter().take(50).map(ToString::to_string).collect(),
        ..c
    }
}

/// The scored checks, sorted by name.
pub fn checks(h: &HistoryMetrics, f: &FileChecks, opts: &Options) -> Vec<Check> {
    let mut out = Vec::new();
    let no_tree = "HEAD has no files to check";
    let has_tree = f.has_tree;
    let has_workflows = !f.workflows.is_empty();

    // Binary-Artifacts.
    let n = f.binary_artifacts.len() as u64;
    let r = if has_tree {
        Metric::known(
            10u64.saturating_sub(n) as u8,
            if n == 0 {
                "no binary artifact in the tree".to_owned()
            } else {
                format!("{n} binary artifact(s) committed: 10 minus one per file")
            },
        )
        .input("binaries", n)
        .input("exempt", f.binary_exempt.clone())
    } else {
        Metric::unknown(no_tree)
    };
    out.push(details(
        check("Binary-Artifacts", Risk::High, r),
        &f.binary_artifacts,
    ));

    // CI-Tests (offline stand-in: CI configuration that runs tests).
    let r = if !has_tree {
        Metric::unknown(no_tree)
    } else if f.ci.systems.is_empty() {
        Metric::known(0, "no CI configuration found")
    } else if f.ci.test_commands.is_empty() {
        Metric::known(
            5,
            "CI is configured but no test command was recognised in it",
        )
        .input("systems", f.ci.systems.clone())
    } else {
        Metric::known(
            10,
            "CI runs tests (offline stand-in for Scorecard's check of CI results on pull requests)",
        )
        .input("systems", f.ci.systems.clone())
    };
    out.push(details(
        check("CI-Tests", Risk::Low, r),
        &f.ci.test_commands,
    ));

    // Code-Review.
    let r = match (
        &h.reviewed_changesets.value,
        h.reviewed_changesets.inputs.get("changesets"),
    ) {
        (Some(share), Some(n)) => {
            let n = n.as_u64().unwrap_or(0);
            let reviewed = (share * n as f64 / 100.0).round() as u64;
            Metric::known(
                proportional(reviewed, n),
                format!("{reviewed} of the last {n} changeset(s) show review evidence (trailers or a committer other than the author; forge approvals cannot be seen offline)"),
            )
            .input("reviewed", reviewed)
            .input("changesets", n)
        }
        _ => Metric::unknown(h.reviewed_changesets.reason.clone()),
    };
    out.push(check("Code-Review", Risk::High, r));

    // Contributors: organisations among recent authors, 3 for the top score.
    let r = match h.organisations_365d.value {
        Some(n) => Metric::known(
            proportional(n, 3),
            format!("{n} organisation(s) among the recent authors (3 or more: 10)"),
        )
        .input(
            "organisations",
            h.organisations_365d
                .inputs
                .get("organisations")
                .cloned()
                .unwrap_or_default(),
        ),
        None => Metric::unknown(h.organisations_365d.reason.clone()),
    };
    out.push(check("Contributors", Risk::Low, r));

    // Dangerous-Workflow.
    let n = f.dangerous_workflow.len() as u64;
    let r = if !has_workflows {
        Metric::unknown("no GitHub workflow")
    } else if n == 0 {
        Metric::known(10, "no dangerous workflow pattern")
    } else {
        Metric::known(
            0,
            format!("{n} dangerous pattern(s): untrusted checkout or script injection"),
        )
    }
    .input("workflows", f.workflows.len() as u64);
    out.push(details(
        check("Dangerous-Workflow", Risk::Critical, r),
        &f.dangerous_workflow,
    ));

    // Dependency-Update-Tool.
    let r = if !has_tree {
        Metric::unknown(no_tree)
    } else if f.dependency_update_tool.is_empty() {
        Metric::known(
            0,
            "no dependency update tool configured (Dependabot, Renovate, PyUp, Scala Steward)",
        )
        .input("bot_commits_365d", h.bot_commits_365d.value)
    } else {
        Metric::known(
            10,
            format!("configured in {}", f.dependency_update_tool.join(", ")),
        )
        .input("bot_commits_365d", h.bot_commits_365d.value)
    };
    out.push(details(
        check("Dependency-Update-Tool", Risk::High, r),
        &f.dependency_update_tool,
    ));

    // Fuzzing.
    let r = if !has_tree {
        Metric::unknown(no_tree)
    } else if f.fuzzing.is_empty() {
        Metric::known(
            0,
            "no fuzzing found (ClusterFuzzLite, cargo-fuzz, Go fuzz tests, libFuzzer targets; OSS-Fuzz enrolment cannot be seen offline)",
        )
    } else {
        Metric::known(10, format!("fuzzing found: {}", f.fuzzing[0].detail))
    };
    out.push(details(check("Fuzzing", Risk::Medium, r), &f.fuzzing));

    // License: 6 for a file, 3 for its expected place, 1 for an approved licence.
    let r = match &f.license {
        _ if !has_tree => Metric::unknown(no_tree),
        None => Metric::known(0, "no licence file"),
        Some(l) => {
            let score = 6 + if l.expected_location { 3 } else { 0 } + u8::from(l.approved);
            Metric::known(
                score,
                format!(
                    "licence file `{}`: 6, {}, {}",
                    l.path,
                    if l.expected_location {
                        "at the root: +3"
                    } else {
                        "not at the root: +0"
                    },
                    if l.approved {
                        "OSI/FSF approved: +1"
                    } else {
                        "not recognised as OSI/FSF approved: +0"
                    }
                ),
            )
            .input("path", l.path.as_str())
            .input("detected", l.detected.clone())
        }
    };
    out.push(check("License", Risk::Low, r));

    // Maintained.
    let waived = opts.feature_complete && f.deprecation.is_none();
    let r = if let Some(d) = &f.deprecation {
        Metric::known(0, format!("deprecation notice: {d}"))
    } else if waived {
        Metric::unknown("waived: the project is declared feature-complete")
    } else {
        match (h.commits_90d.value, h.repository_age_days.value) {
            (Some(_), Some(age)) if age < 90 => {
                Metric::known(0, format!("the repository is {age} day(s) old: younger than 90 days (review its contents carefully)"))
            }
            (Some(c), _) => Metric::known(
                proportional(c, 12),
                format!("{c} commit(s) in the last 90 days (12 or more: 10; issue activity cannot be seen offline)"),
            )
            .input("commits_90d", c),
            (None, _) => Metric::unknown(h.commits_90d.reason.clone()),
        }
    };
    let mut c = check("Maintained", Risk::High, r);
    c.waived = waived;
    out.push(c);

    // Packaging: only a positive finding counts; none is inconclusive.
    let r = if f.packaging.is_empty() {
        Metric::unknown("no publishing workflow found (the project may publish from elsewhere)")
    } else {
        Metric::known(10, format!("publishes from CI: {}", f.packaging[0]))
    };
    out.push(details(check("Packaging", Risk::Medium, r), &f.packaging));

    // Pinned-Dependencies.
    let (p, u) = (f.pinned.len() as u64, f.unpinned.len() as u64);
    let r = if p + u == 0 {
        Metric::unknown("no action, image or download to pin")
    } else {
        Metric::known(
            proportional(p, p + u),
            format!(
                "{p} of {} dependencies of CI and containers pinned by hash",
                p + u
            ),
        )
        .input("pinned", p)
        .input("unpinned", u)
    };
    out.push(details(
        check("Pinned-Dependencies", Risk::Medium, r),
        &f.unpinned,
    ));

    // SAST.
    let r = if !has_tree {
        Metric::unknown(no_tree)
    } else if f.sast.is_empty() {
        Metric::known(
            0,
            "no SAST tool in CI (CodeQL, Semgrep, Snyk, Sonar, Qodana, Pysa, gosec, GitLab SAST)",
        )
    } else {
        Metric::known(10, format!("SAST in CI: {}", f.sast[0]))
    };
    out.push(details(check("SAST", Risk::Medium, r), &f.sast));

    // Security-Policy: 6 for links, 3 for text, 1 for disclosure words.
    let r = match &f.security_policy {
        _ if !has_tree => Metric::unknown(no_tree),
        None => Metric::known(
            0,
            "no security policy (SECURITY.md at the root, .github/ or docs/)",
        ),
        Some(s) => {
            let score =
                if s.links { 6 } else { 0 } + if s.text { 3 } else { 0 } + u8::from(s.disclosure);
            Metric::known(
                score,
                format!(
                    "`{}`: contact link or email {}, text {}, disclosure terms {}",
                    s.path,
                    if s.links { "+6" } else { "missing" },
                    if s.text { "+3" } else { "missing" },
                    if s.disclosure { "+1" } else { "missing" }
                ),
            )
            .input("links", s.links)
            .input("text", s.text)
            .input("disclosure", s.disclosure)
        }
    };
    out.push(check("Security-Policy", Risk::Medium, r));

    // Signed-Releases (offline: signed version tags).
    let r = match (
        &h.signed_releases_share.value,
        h.signed_releases_share.inputs.get("signed"),
    ) {
        (Some(_), Some(signed)) => {
            let signed = signed.as_u64().unwrap_or(0);
            let n = h
                .signed_releases_share
                .inputs
                .get("tags")
                .and_then(|t| t.as_array())
                .map_or(0, |a| a.len() as u64);
            Metric::known(
                proportional(signed, n),
                format!("{signed} of the last {n} release tag(s) signed (offline stand-in for signed release assets)"),
            )
            .input("signed", signed)
            .input("releases", n)
        }
        _ => Metric::unknown(h.signed_releases_share.reason.clone()),
    };
    out.push(check("Signed-Releases", Risk::High, r));

    // Token-Permissions, with Scorecard's deductions.
    let r = if !has_workflows {
        Metric::unknown("no GitHub workflow")
    } else {
        let (score, notes) = token_score(f);
        Metric::known(
            score,
            if score == 10 {
                "every workflow's token is read-only at the top level".to_owned()
            } else {
                format!("write permissions: {}", notes.join("; "))
            },
        )
        .input("workflows", f.token_permissions.len() as u64)
    };
    out.push(check("Token-Permissions", Risk::High, r));

    out.sort_by(|a, b| a.name.cmp(b.name));
    out
}

/// Scorecard's Token-Permissions deductions, per workflow.
fn token_score(f: &FileChecks) -> (u8, Vec<String>) {
    let mut score = 10.0f64;
    let mut notes = Vec::new();
    for w in &f.token_permissions {
        let top = |s: &str| w.top_write.contains(s);
        let any = |s: &str| w.top_write.contains(s) || w.job_write.contains(s);
        if top("all") {
            if w.job_write.contains("all") {
                notes.push(format!(
                    "{}: no permissions declared (or write-all): 0",
                    w.path
                ));
                return (0, notes);
            }
            score -= 0.5;
            notes.push(format!(
                "{}: top-level token undeclared or write-all: -0.5",
                w.path
            ));
        }
        for (scope, cost) in [
            ("statuses", 0.5),
            ("checks", 0.5),
            ("security-events", 1.0),
            ("deployments", 1.0),
        ] {
            if any(scope) {
                score -= cost;
                notes.push(format!("{}: {scope}: write: -{cost}", w.path));
            }
        }
        for scope in ["contents", "packages", "actions"] {
            if top(scope) {
                score -= 10.0;
                notes.push(format!("{}: top-level {scope}: write: -10", w.path));
            }
        }
        if score < 0.0 {
            break;
        }
    }
    (score.max(0.0).floor() as u8, notes)
}

/// The aggregate: the weighted mean of the known, unwaived checks.
pub fn aggregate(checks: &[Check]) -> Metric<f64> {
    let mut num = 0.0;
    let mut den = 0.0;
    let mut used = Vec::new();
    let mut left_out = Vec::new();
    for c in checks {
        match c.score() {
            Some(s) => {
                num += c.weight * f64::from(s);
                den += c.weight;
                used.push(json!({"check": c.name, "score": s, "weight": c.weight}));
            }
            None => left_out.push(json!({"check": c.name, "reason": c.result.reason})),
        }
    }
    if den == 0.0 {
        return Metric::unknown("no check could be scored").input("left_out", left_out);
    }
    let score = round1(num / den);
    Metric::known(
        score,
        format!(
            "weighted mean of {} check(s) (critical 10, high 7.5, medium 5, low 2.5); {} unknown or waived check(s) left out of the denominator",
            used.len(),
            left_out.len()
        ),
    )
    .input("weighted_sum", round1(num))
    .input("total_weight", den)
    .input("checks", used)
    .input("left_out", left_out)
}

/// The sustainability view.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sustainability {
    /// The mean of the known parts below.
    pub overall: Metric<f64>,
    /// Bus factor, elephant factor, active contributors.
    pub contributors: Metric<f64>,
    /// Maintained, active weeks, release recency.
    pub activity: Metric<f64>,
    /// Scorecard's security checks, weighted.
    pub security: Metric<f64>,
    /// Community health files and review evidence.
    pub governance: Metric<f64>,
}

fn mean(parts: &[(&str, Option<f64>)], reason: &str) -> Metric<f64> {
    let known: Vec<f64> = parts.iter().filter_map(|p| p.1).collect();
    let mut m = if known.is_empty() {
        Metric::unknown(format!("{reason}: no input is known"))
    } else {
        Metric::known(
            round1(known.iter().sum::<f64>() / known.len() as f64),
            format!("{reason}: mean of {} known part(s)", known.len()),
        )
    };
    for (name, v) in parts {
        m = m.input(name, v.map(round1));
    }
    m
}

pub fn sustainability(
    h: &HistoryMetrics,
    f: &FileChecks,
    checks: &[Check],
    opts: &Options,
) -> Sustainability {
    let bus = h.bus_factor.value.map(|b| (b.min(5) * 2) as f64);
    let elephant = h
        .elephant_factor
        .value
        .map(|e| e.min(3) as f64 * 10.0 / 3.0);
    let active = h.contributors_365d.value.map(|n| n.min(10) as f64);
    let contributors = mean(
        &[
            ("bus_factor (x2, max 10)", bus),
            ("elephant_factor (3 or more: 10)", elephant),
            ("contributors_365d (10 or more: 10)", active),
        ],
        "people",
    );

    let get = |name: &str| {
        checks
            .iter()
            .find(|c| c.name == name)
            .and_then(Check::score)
            .map(f64::from)
    };
    let activity = if opts.feature_complete && f.deprecation.is_none() {
        Metric::unknown("waived: the project is declared feature-complete")
    } else {
        let weeks = h
            .active_weeks_365d
            .value
            .map(|w| (w as f64 * 10.0 / 52.0).min(10.0));
        let release = h.last_release_days.value.map(|d| {
            if d <= 365 {
                10.0
            } else if d <= 730 {
                5.0
            } else {
                0.0
            }
        });
        mean(
            &[
                ("maintained", get("Maintained")),
                ("active_weeks_365d (52: 10)", weeks),
                ("last_release (≤ 1 year: 10, ≤ 2: 5)", release),
            ],
            "activity",
        )
    };

    let security_checks = [
        "Binary-Artifacts",
        "Code-Review",
        "Dangerous-Workflow",
        "Dependency-Update-Tool",
        "Fuzzing",
        "Pinned-Dependencies",
        "SAST",
        "Security-Policy",
        "Signed-Releases",
        "Token-Permissions",
    ];
    let sec: Vec<Check> = checks
        .iter()
        .filter(|c| security_checks.contains(&c.name))
        .cloned()
        .collect();
    let agg = aggregate(&sec);
    let security = Metric {
        value: agg.value,
        inputs: agg.inputs,
        reason: format!("security practices: {}", agg.reason),
    };

    let files = f.community.kinds();
    let wanted = [
        "readme",
        "contributing",
        "code_of_conduct",
        "security",
        "changelog",
        "license",
    ];
    let present = wanted
        .iter()
        .filter(|k| files.iter().any(|(n, p)| n == *k && p.is_some()))
        .count()
        + usize::from(
            f.community.governance.is_some()
                || f.community.maintainers.is_some()
                || f.community.codeowners.is_some(),
        );
    let community = f.has_tree.then(|| present as f64 * 10.0 / 7.0);
    let review = h.reviewed_changesets.value.map(|s| s / 10.0);
    let governance = mean(
        &[
            (
                "community_files (of 7: readme, contributing, code of conduct, security, changelog, licence, governance/maintainers/codeowners)",
                community,
            ),
            ("reviewed_changesets (% / 10)", review),
        ],
        "governance",
    );
    let overall = mean(
        &[
            ("contributors", contributors.value),
            ("activity", activity.value),
            ("security", security.value),
            ("governance", governance.value),
        ],
        "sustainability",
    );
    Sustainability {
        overall,
        contributors,
        activity,
        security,
        governance,
    }
}

/// Risk flags for dependencies and own repositories.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Flags {
    /// A deprecation notice, or no commit and no release for longer than the limit.
    pub abandoned: Metric<bool>,
    /// One person made at least half of the recent commits.
    pub bus_factor_one: Metric<bool>,
    /// Whether the project looks feature-complete (old, released, nothing unreleased, quiet);
    /// the waiver is only applied when asked for.
    pub feature_complete_candidate: Metric<bool>,
}

pub fn flags(h: &HistoryMetrics, f: &FileChecks, opts: &Options) -> Flags {
    let limit = i64::from(opts.abandoned_after_days);
    let abandoned = if let Some(d) = &f.deprecation {
        Metric::known(true, format!("deprecation notice: {d}"))
    } else if opts.feature_complete {
        Metric::known(
            false,
            "declared feature-complete: inactivity is not abandonment",
        )
    } else {
        match h.last_commit_days.value {
            None => Metric::unknown(format!(
                "last commit unknown: {}",
                h.last_commit_days.reason
            )),
            Some(c) => {
                let release = h.last_release_days.value;
                let stale_release = release.is_none_or(|r| r > limit);
                let v = c > limit && stale_release;
                Metric::known(
                    v,
                    if v {
                        format!(
                            "no commit for {c} day(s) and {} (limit {limit} days)",
                            match release {
                                Some(r) => format!("no release for {r} day(s)"),
                                None => "no release".into(),
                            }
                        )
                    } else {
                        format!("last commit {c} day(s) ago (limit {limit} days)")
                    },
                )
                .input("last_commit_days", c)
                .input("last_release_days", release)
                .input("limit_days", limit)
            }
        }
    };
    let bus_factor_one = match h.bus_factor.value {
        Some(b) => Metric::known(b == 1, format!("bus factor {b}")).input("bus_factor", b),
        None => Metric::unknown(h.bus_factor.reason.clone()),
    };
    let candidate = match (
        h.repository_age_days.value,
        h.releases.value,
        h.unreleased_commits.value,
        h.last_commit_days.value,
    ) {
        (Some(age), Some(rel), Some(unrel), Some(last)) => {
            let v = age >= 730 && rel >= 1 && unrel <= 3 && last > 90 && f.deprecation.is_none();
            Metric::known(v, "feature-complete candidate: 2 years old or more, released, at most 3 unreleased commits, quiet for 90 days, no deprecation notice")
                .input("repository_age_days", age)
                .input("releases", rel)
                .input("unreleased_commits", unrel)
                .input("last_commit_days", last)
        }
        _ => Metric::unknown(
            "needs the repository age, releases, unreleased commits and last commit",
        ),
    };
    Flags {
        abandoned,
        bus_factor_one,
        feature_complete_candidate: candidate,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(name: &'static str, risk: Risk, v: Option<u8>) -> Check {
        check(
            name,
            risk,
            match v {
                Some(v) => Metric::known(v, "x"),
                None => Metric::unknown("unknown"),
            },
        )
    }

    #[test]
    fn unknown_checks_leave_the_denominator() {
        let a = aggregate(&[
            c("A", Risk::Critical, Some(10)),
            c("B", Risk::Low, Some(0)),
            c("C", Risk::High, None),
        ]);
        // (10*10 + 2.5*0) / 12.5 = 8.0
        assert_eq!(a.value, Some(8.0));
        assert_eq!(a.inputs["total_weight"], json!(12.5));
        assert!(aggregate(&[c("C", Risk::High, None)]).value.is_none());
    }

    #[test]
    fn proportional_is_scorecards() {
        assert_eq!(proportional(5, 12), 4);
        assert_eq!(proportional(30, 12), 10);
        assert_eq!(proportional(0, 0), 0);
    }
}
