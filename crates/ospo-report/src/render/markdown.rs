//! The Markdown report, a pull-request comment (GitHub and GitLab flavoured): the verdict as
//! the heading, the checks that did not run, counts by severity and risk category, the findings
//! that fail the check in a table and the others folded in a `<details>` block, the hint of each
//! finding under its message, the diagnostics and the baseline.
//!
//! A comment is limited (GitHub: 65,536 characters): at most [`MAX_ROWS`] findings are written
//! and the whole comment stays under [`MAX_BYTES`]; cells are cut to a few hundred characters,
//! and the rest is counted ("… and N more; see the full report").

use std::fmt::Write as _;

use ospo_model::Level;

use super::text;
use crate::{CheckReport, Reported};

/// The most findings written as table rows.
pub const MAX_ROWS: usize = 200;
/// The most bytes of the whole comment (GitHub allows 65,536 characters; a character is at
/// least a byte).
pub const MAX_BYTES: usize = 60_000;
/// Bytes kept for the diagnostics when the findings tables are written.
const DIAGNOSTICS_RESERVE: usize = 8_000;
/// The most diagnostics listed.
const MAX_DIAGNOSTICS: usize = 50;
/// The longest message, hint and name in a cell, in characters.
const MAX_MESSAGE: usize = 400;
const MAX_HINT: usize = 200;
const MAX_NAME: usize = 200;

/// The report as a pull-request comment.
pub fn render(report: &CheckReport) -> String {
    let mut out = String::new();
    let mark = if report.passed { "✅" } else { "❌" };
    let _ = writeln!(
        out,
        "## {mark} ospo check {}\n",
        if report.passed { "passed" } else { "failed" }
    );
    let s = &report.summary;
    let threshold = match report.fail_on {
        Some(t) => format!("fails on `{t}` and above"),
        None => "no fail-on threshold".to_owned(),
    };
    if !report.passed {
        let _ = writeln!(out, "**{}**\n", cell(&text::verdict(report)));
    }
    let _ = writeln!(
        out,
        "{} {} · {} · {threshold} · {} components in {} project(s) of {} repository(ies)\n",
        cell(&text::truncate(&report.tool, MAX_NAME)),
        cell(&text::truncate(&report.version, MAX_NAME)),
        cell(&text::truncate(&report.date, MAX_NAME)),
        s.components,
        s.projects,
        s.repositories,
    );
    for notice in text::not_checked(report) {
        let _ = writeln!(
            out,
            "> ⚠️ **{notice}**: a check that did not run is not clean.\n"
        );
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(
            out,
            "{}.\n",
            cell(&text::truncate(&text::baseline(b), 2 * MAX_NAME))
        );
    }

    out.push_str("| Severity | Findings |\n|:--|--:|\n");
    for (sev, n) in text::by_severity(s) {
        let _ = writeln!(out, "| {sev} | {n} |");
    }
    out.push_str("\n| Risk category | Findings |\n|:--|--:|\n");
    for (c, n) in text::by_category(s) {
        let _ = writeln!(out, "| {} | {n} |", c.title());
    }
    if s.vulnerabilities_suppressed > 0 {
        let _ = writeln!(
            out,
            "\n{} vulnerability finding(s) suppressed by VEX statements or ignores.",
            s.vulnerabilities_suppressed
        );
    }
    out.push('\n');

    findings(report, &mut out);
    diagnostics(report, &mut out);
    out
}

/// What is left to write.
struct Budget {
    rows: usize,
    bytes: usize,
}

fn findings(report: &CheckReport, out: &mut String) {
    if report.findings.is_empty() {
        out.push_str("No findings.\n");
        return;
    }
    let (failing, rest): (Vec<&Reported>, Vec<&Reported>) = report
        .findings
        .iter()
        .partition(|r| text::fails(report, &r.finding));
    let mut budget = Budget {
        rows: MAX_ROWS,
        bytes: MAX_BYTES.saturating_sub(out.len() + DIAGNOSTICS_RESERVE),
    };
    let mut left = 0;
    if let Some(t) = report.fail_on {
        let _ = writeln!(out, "### Findings at or above `{t}` ({})\n", failing.len());
        if failing.is_empty() {
            out.push_str("None.\n\n");
        } else {
            left += table(&failing, &mut budget, out);
        }
    }
    if !rest.is_empty() {
        let title = match report.fail_on {
            Some(_) => "Other findings",
            None => "Findings",
        };
        let _ = writeln!(
            out,
            "<details><summary>{title} ({})</summary>\n",
            rest.len()
        );
        left += table(&rest, &mut budget, out);
        out.push_str("</details>\n\n");
    }
    if left > 0 {
        let _ = writeln!(out, "… and {left} more finding(s); see the full report.\n");
    }
}

/// A findings table within the budget; returns how many findings did not fit.
fn table(findings: &[&Reported], budget: &mut Budget, out: &mut String) -> usize {
    let mut rows = String::new();
    let mut shown = 0;
    for r in findings {
        let row = row(r);
        if budget.rows == 0 || row.len() > budget.bytes {
            break;
        }
        budget.rows -= 1;
        budget.bytes -= row.len();
        rows.push_str(&row);
        shown += 1;
    }
    if shown > 0 {
        out.push_str("| Severity | Code | Where | Component | Message |\n|:--|:--|:--|:--|:--|\n");
        out.push_str(&rows);
        out.push('\n');
    }
    findings.len() - shown
}

fn row(r: &Reported) -> String {
    let f = &r.finding;
    let place = code_span(&text::truncate(&text::place(f), MAX_NAME));
    let place = if f.repository.is_empty() {
        place
    } else {
        format!("{} {place}", cell(&text::truncate(&f.repository, MAX_NAME)))
    };
    let component = f
        .purl
        .as_deref()
        .map(|p| code_span(&text::truncate(p, MAX_NAME)))
        .unwrap_or_default();
    let mut message = cell(&text::truncate(&f.message, MAX_MESSAGE));
    if !f.hint.is_empty() {
        let _ = write!(
            message,
            "<br>→ {}",
            cell(&text::truncate(&f.hint, MAX_HINT))
        );
    }
    format!(
        "| {} | `{}` | {place} | {component} | {message} |\n",
        f.severity,
        cell(&text::truncate(f.code, MAX_NAME))
    )
}

fn diagnostics(report: &CheckReport, out: &mut String) {
    if report.diagnostics.is_empty() {
        return;
    }
    let errors = report.summary.errors;
    let _ = writeln!(
        out,
        "<details{}><summary>Diagnostics ({}, {errors} error(s): the inventory may be incomplete)</summary>\n",
        if errors > 0 { " open" } else { "" },
        report.diagnostics.len()
    );
    let mut shown = 0;
    for d in report.diagnostics.iter().take(MAX_DIAGNOSTICS) {
        let level = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        };
        let mut place = d.path.display().to_string();
        if let Some(l) = d.line {
            let _ = write!(place, ":{l}");
        }
        let line = format!(
            "- **{level}** {}: {} ({})\n",
            code_span(&text::truncate(&place, MAX_NAME)),
            cell(&text::truncate(&d.message, MAX_MESSAGE)),
            cell(&text::truncate(&d.origin, MAX_NAME))
        );
        if out.len() + line.len() + 200 > MAX_BYTES {
            break;
        }
        out.push_str(&line);
        shown += 1;
    }
    if report.diagnostics.len() > shown {
        let _ = writeln!(
            out,
            "- … and {} more; see the full report",
            report.diagnostics.len() - shown
        );
    }
    out.push_str("\n</details>\n");
}

/// Text for a table cell or a line: HTML special characters as entities (GitHub would take
/// them as tags), `|` and `\` escaped, line breaks as `<br>`, other control characters dropped.
pub fn cell(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '|' => out.push_str("\\|"),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("<br>"),
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out
}

/// A code span of `s` when it can be one (no backtick inside), else plain cell text.
fn code_span(s: &str) -> String {
    if s.contains('`') || s.is_empty() {
        cell(s)
    } else {
        format!("`{}`", cell(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;
    use proptest::prelude::*;

    #[test]
    fn snapshot() {
        insta::assert_snapshot!(render(&testutil::report()));
    }

    #[test]
    fn snapshot_clean_without_vulnerabilities() {
        insta::assert_snapshot!(render(&testutil::clean_report()));
    }

    /// The cell separators of a row: the `|` not escaped by a backslash.
    fn cells(row: &str) -> usize {
        let (mut n, mut backslashes) = (0, 0);
        for c in row.chars() {
            if c == '\\' {
                backslashes += 1;
                continue;
            }
            if c == '|' && backslashes % 2 == 0 {
                n += 1;
            }
            backslashes = 0;
        }
        n
    }

    fn table_rows(md: &str) -> Vec<&str> {
        md.lines()
            .filter(|l| {
                l.starts_with("| error") || l.starts_with("| warning") || l.starts_with("| info")
            })
            .filter(|l| l.contains('`'))
            .collect()
    }

    #[test]
    fn failing_findings_first_the_rest_folded_with_hints() {
        let r = testutil::report();
        let md = render(&r);
        assert!(md.starts_with("## ❌ ospo check failed\n"));
        let failing = r.failing().count();
        let details = md.find("<details><summary>Other findings").unwrap();
        let rows = table_rows(&md);
        assert_eq!(rows.len(), r.findings.len());
        for (i, row) in rows.iter().enumerate() {
            assert_eq!(cells(row), 6, "{row}");
            let at = md.find(row).unwrap();
            assert_eq!(i < failing, at < details, "{row}");
            assert_eq!(i < failing, row.starts_with("| error"));
        }
        // `|` and the newline of a message are escaped; the hint is under its message.
        assert!(md.contains(
            "declares `MIT \\| Apache-2.0`, not an SPDX expression:<br>unexpected `\\|` at offset 4"
        ));
        assert!(md.contains("Prototype Pollution in lodash<br>→ upgrade to 4.17.12 |"));
        assert!(md.contains("via &lt;svg&gt; animation &amp; \"unsafe\""));
        assert!(
            md.contains("7 known finding(s) from baseline .ospo/baseline.json not shown, 2 fixed.")
        );
        assert!(md.contains("- **error** `webshop/services/legacy/yarn.lock:88`"));
        assert!(!md.contains("NOT checked"));
    }

    #[test]
    fn clean_report_passes_and_says_what_was_not_checked() {
        let md = render(&testutil::clean_report());
        assert!(md.starts_with("## ✅ ospo check passed\n"));
        assert!(md.contains("> ⚠️ **vulnerabilities NOT checked (no database)**"));
        assert!(md.contains("No findings."));
        assert!(!md.contains("<details"));
    }

    #[test]
    fn five_thousand_findings_stay_under_githubs_limit() {
        let r = testutil::many_findings(5_000);
        let md = render(&r);
        assert!(
            md.chars().count() < 65_536,
            "{} characters",
            md.chars().count()
        );
        let shown = table_rows(&md).len();
        assert!(shown > 0 && shown <= MAX_ROWS);
        assert!(
            md.contains(&format!(
                "… and {} more finding(s); see the full report.",
                5_000 - shown
            )),
            "{shown} shown"
        );
        // A few huge messages are cut, not dropped.
        let mut r = testutil::report();
        r.findings[0].finding.message = "x".repeat(100_000);
        let md = render(&r);
        assert!(md.len() < 20_000);
        assert!(md.contains(&format!("{}…", "x".repeat(MAX_MESSAGE))));
        // Ampersands (five characters each, escaped) everywhere and a thousand diagnostics.
        let mut r = testutil::many_findings(5_000);
        for f in &mut r.findings {
            f.finding.message = "&".repeat(1_000);
            f.finding.hint = "&".repeat(1_000);
        }
        let d = r.diagnostics[0].clone();
        r.diagnostics = (0..1_000)
            .map(|_| ospo_model::Diagnostic {
                message: "&".repeat(1_000),
                ..d.clone()
            })
            .collect();
        let md = render(&r);
        assert!(
            md.chars().count() < 65_536,
            "{} characters",
            md.chars().count()
        );
        assert!(md.contains("more; see the full report"));
    }

    #[test]
    fn deterministic() {
        let r = testutil::report();
        assert_eq!(render(&r), render(&r));
    }

    proptest! {
        #[test]
        fn any_text_keeps_a_row_one_line_of_six_cells(
            message in any::<String>(),
            hint in any::<String>(),
            purl in any::<String>(),
        ) {
            let mut r = testutil::report();
            r.findings.truncate(1);
            r.findings[0].finding.message = message;
            r.findings[0].finding.hint = hint;
            r.findings[0].finding.purl = Some(purl);
            let md = render(&r);
            let row = md.lines().find(|l| l.starts_with("| error | `")).unwrap();
            prop_assert_eq!(cells(row), 6, "{}", row);
            prop_assert!(!row.replace("<br>", "").contains('<'), "{}", row);
        }
    }
}
