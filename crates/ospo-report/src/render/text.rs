//! What the human-readable renderers (terminal, Markdown, JUnit, HTML) say the same way: where a
//! finding is, the verdict, the checks that did not run, the baseline line, the order of the
//! chart series.

use std::collections::BTreeSet;

use ospo_model::RiskCategory;
use ospo_policy::{Finding, Severity};

use crate::{Baseline, CheckReport, Summary};

/// The name shown for findings that are about no repository (an organisation-wide policy file).
pub(crate) const NO_REPOSITORY: &str = "(portfolio)";

pub(crate) const CATEGORIES: [RiskCategory; 4] = [
    RiskCategory::Codebase,
    RiskCategory::DataLeakage,
    RiskCategory::Dependency,
    RiskCategory::Staff,
];

/// The repository's name as shown.
pub(crate) fn repository(f: &Finding) -> &str {
    if f.repository.is_empty() {
        NO_REPOSITORY
    } else {
        &f.repository
    }
}

/// The place of a finding: its location (`file:line:column`), else its project, else `-`.
pub(crate) fn place(f: &Finding) -> String {
    match &f.location {
        Some(l) => l.to_string(),
        None if !f.project.is_empty() => f.project.clone(),
        None => "-".to_owned(),
    }
}

/// Every repository the report knows (its policies, components and findings), sorted; findings
/// about no repository come under [`NO_REPOSITORY`].
pub(crate) fn repositories(report: &CheckReport) -> Vec<String> {
    let mut all: BTreeSet<String> = report.policies.keys().cloned().collect();
    all.extend(report.components.iter().map(|c| c.repository.clone()));
    all.extend(
        report
            .findings
            .iter()
            .map(|r| repository(&r.finding).to_owned()),
    );
    all.remove("");
    all.into_iter().collect()
}

/// Whether a finding fails the check.
pub(crate) fn fails(report: &CheckReport, f: &Finding) -> bool {
    report.fail_on.is_some_and(|t| f.severity.at_least(t))
}

/// `passed`, or `FAILED: N finding(s) at or above error` (and the files that could not be read).
pub(crate) fn verdict(report: &CheckReport) -> String {
    if report.passed {
        return match report.fail_on {
            Some(_) => "passed".to_owned(),
            None => "passed (no fail-on threshold: nothing fails the check)".to_owned(),
        };
    }
    let failing = report.failing().count();
    let mut parts = Vec::new();
    if failing > 0 || report.summary.errors == 0 {
        let threshold = report.fail_on.map_or("the threshold", |t| t.as_str());
        parts.push(format!("{failing} finding(s) at or above {threshold}"));
    }
    if report.summary.errors > 0 {
        parts.push(format!(
            "{} file(s) could not be read",
            report.summary.errors
        ));
    }
    format!("FAILED: {}", parts.join(", "))
}

/// One sentence per check that did not run: a check that did not run is not clean.
pub(crate) fn not_checked(report: &CheckReport) -> Vec<&'static str> {
    let c = &report.checked;
    let mut out = Vec::new();
    if !c.licenses {
        out.push("licences NOT checked");
    }
    if !c.vulnerabilities {
        out.push("vulnerabilities NOT checked (no database)");
    }
    if !c.bans {
        out.push("bans NOT checked");
    }
    if !c.sources {
        out.push("sources NOT checked");
    }
    out
}

/// The checks that ran, by name.
pub(crate) fn checked(report: &CheckReport) -> Vec<&'static str> {
    let c = &report.checked;
    [
        (c.licenses, "licences"),
        (c.vulnerabilities, "vulnerabilities"),
        (c.bans, "bans"),
        (c.sources, "sources"),
        (c.health, "health"),
    ]
    .into_iter()
    .filter_map(|(ran, name)| ran.then_some(name))
    .collect()
}

/// `N known findings from baseline FILE not shown, M fixed`.
pub(crate) fn baseline(b: &Baseline) -> String {
    format!(
        "{} known finding(s) from baseline {} not shown, {} fixed",
        b.known,
        b.file.display(),
        b.fixed
    )
}

/// Findings by severity, every severity (zeros included), most serious first.
pub(crate) fn by_severity(summary: &Summary) -> Vec<(Severity, u64)> {
    Severity::ALL
        .iter()
        .map(|&s| {
            (
                s,
                summary.findings_by_severity.get(&s).copied().unwrap_or(0),
            )
        })
        .collect()
}

/// Findings by risk category, every category (zeros included).
pub(crate) fn by_category(summary: &Summary) -> Vec<(RiskCategory, u64)> {
    CATEGORIES
        .iter()
        .map(|&c| {
            (
                c,
                summary.findings_by_category.get(&c).copied().unwrap_or(0),
            )
        })
        .collect()
}

/// A map as a chart series, in a fixed order of known keys (`order`), then the others by name.
pub(crate) fn ordered<'a>(
    map: impl IntoIterator<Item = (&'a String, &'a u64)>,
    order: &[&str],
) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = map.into_iter().map(|(k, &n)| (k.clone(), n)).collect();
    v.sort_by_key(|(k, _)| {
        (
            order.iter().position(|o| o == k).unwrap_or(order.len()),
            k.clone(),
        )
    });
    v
}

/// A map as a chart series, the largest first (ties by name).
pub(crate) fn largest_first<'a>(
    map: impl IntoIterator<Item = (&'a String, &'a u64)>,
) -> Vec<(String, u64)> {
    let mut v: Vec<(String, u64)> = map.into_iter().map(|(k, &n)| (k.clone(), n)).collect();
    v.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    v
}

/// The advisory severities, most serious first.
pub(crate) const VULNERABILITY_SEVERITIES: &[&str] =
    &["critical", "high", "medium", "low", "none", "unknown"];

/// The licence classes, least demanding first (`ospo_license::classes::Class::ALL`).
pub(crate) fn license_classes() -> Vec<&'static str> {
    ospo_license::classes::Class::ALL
        .iter()
        .map(|c| c.name())
        .collect()
}

/// `s` on one line and free of terminal control sequences: control characters are written as
/// escapes (`\n`, `\u{1b}`), so a message cannot move the cursor or change colours.
pub(crate) fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.extend(c.escape_unicode()),
            c => out.push(c),
        }
    }
    out
}

/// At most `max` characters of `s`, with `…` when cut.
pub(crate) fn truncate(s: &str, max: usize) -> std::borrow::Cow<'_, str> {
    match s.char_indices().nth(max) {
        Some((i, _)) => format!("{}…", &s[..i]).into(),
        None => s.into(),
    }
}
