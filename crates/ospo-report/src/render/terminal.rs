//! The terminal report, for a developer reading CI logs: findings grouped by repository and
//! project, one line each (`severity  code  file:line  message`) with the component and the hint
//! indented below, then the diagnostics, a summary (counts, the checks that ran and those that
//! did not, the baseline) and the verdict as the last line. Colour only when asked
//! ([`colour_wanted`] decides from the environment); the words say everything the colours do.
//! Text from the report is kept on one line and free of control characters.

use std::fmt::Write as _;

use console::Style;
use ospo_model::Level;
use ospo_policy::Severity;

use super::text;
use crate::CheckReport;

/// Whether to colour the report: `NO_COLOR` (any non-empty value) turns colour off,
/// `CLICOLOR_FORCE` (set, not `0`) turns it on, `TERM=dumb` and `CLICOLOR=0` turn it off;
/// otherwise colour when stdout is a terminal. The only place that reads the environment.
pub fn colour_wanted(is_terminal: bool) -> bool {
    colour_wanted_with(is_terminal, |name| std::env::var(name).ok())
}

/// [`colour_wanted`] with the environment as a function (for tests).
pub fn colour_wanted_with(is_terminal: bool, var: impl Fn(&str) -> Option<String>) -> bool {
    let set = |name: &str| var(name).filter(|v| !v.is_empty());
    if set("NO_COLOR").is_some() {
        return false;
    }
    if set("CLICOLOR_FORCE").is_some_and(|v| v != "0") {
        return true;
    }
    if set("TERM").is_some_and(|v| v == "dumb") || set("CLICOLOR").is_some_and(|v| v == "0") {
        return false;
    }
    is_terminal
}

/// The styles, all plain when colour is off.
struct Styles {
    error: Style,
    warning: Style,
    info: Style,
    heading: Style,
    dim: Style,
    hint: Style,
    pass: Style,
    fail: Style,
}

impl Styles {
    fn new(colour: bool) -> Styles {
        let s = |style: Style| {
            if colour {
                style.force_styling(true)
            } else {
                Style::new().force_styling(false)
            }
        };
        Styles {
            error: s(Style::new().red().bold()),
            warning: s(Style::new().yellow().bold()),
            info: s(Style::new().cyan()),
            heading: s(Style::new().bold()),
            dim: s(Style::new().dim()),
            hint: s(Style::new().green()),
            pass: s(Style::new().green().bold()),
            fail: s(Style::new().red().bold()),
        }
    }

    fn severity(&self, s: Severity) -> &Style {
        match s {
            Severity::Error => &self.error,
            Severity::Warning => &self.warning,
            Severity::Info => &self.info,
        }
    }
}

/// The report as text for a terminal or a CI log; ANSI colours only when `colour`.
pub fn render(report: &CheckReport, colour: bool) -> String {
    let st = Styles::new(colour);
    let mut out = String::new();
    let code_width = report
        .findings
        .iter()
        .map(|r| r.finding.code.len())
        .max()
        .unwrap_or(0);
    let indent = " ".repeat(4 + 7 + 2);

    let mut group: Option<(&str, &str)> = None;
    for r in &report.findings {
        let f = &r.finding;
        let repository = text::repository(f);
        if group.is_none_or(|(repo, _)| repo != repository) {
            if group.is_some() {
                out.push('\n');
            }
            let _ = writeln!(out, "{}", st.heading.apply_to(text::one_line(repository)));
            group = Some((repository, ""));
        }
        if group.is_some_and(|(_, project)| project != f.project) {
            if !f.project.is_empty() {
                let _ = writeln!(out, "  {}", st.heading.apply_to(text::one_line(&f.project)));
            }
            group = Some((repository, &f.project));
        }
        let _ = writeln!(
            out,
            "    {}  {}  {}  {}",
            st.severity(f.severity)
                .apply_to(format!("{:<7}", f.severity.as_str())),
            st.dim.apply_to(format!("{:<code_width$}", f.code)),
            text::one_line(&text::place(f)),
            text::one_line(&f.message),
        );
        if let Some(purl) = &f.purl {
            let _ = writeln!(out, "{indent}{}", st.dim.apply_to(text::one_line(purl)));
        }
        if !f.hint.is_empty() {
            let _ = writeln!(
                out,
                "{indent}{}",
                st.hint.apply_to(format!("→ {}", text::one_line(&f.hint)))
            );
        }
    }
    if report.findings.is_empty() {
        let _ = writeln!(out, "{}", st.pass.apply_to("no findings"));
    }

    if !report.diagnostics.is_empty() {
        let _ = writeln!(out, "\n{}", st.heading.apply_to("Diagnostics"));
        for d in &report.diagnostics {
            let style = match d.level {
                Level::Error => &st.error,
                Level::Warning => &st.warning,
                Level::Info => &st.info,
            };
            let line = text::one_line(&d.to_string());
            let _ = writeln!(out, "  {}", style.apply_to(line));
        }
    }

    summary(report, &st, &mut out);

    let verdict = text::verdict(report);
    let style = if report.passed { &st.pass } else { &st.fail };
    let _ = writeln!(out, "{}", style.apply_to(verdict));
    out
}

fn summary(report: &CheckReport, st: &Styles, out: &mut String) {
    let s = &report.summary;
    let _ = writeln!(out, "\n{}", st.heading.apply_to("Summary"));
    let severities: Vec<String> = text::by_severity(s)
        .into_iter()
        .map(|(sev, n)| format!("{n} {sev}"))
        .collect();
    let total: u64 = s.findings_by_severity.values().sum();
    let _ = writeln!(out, "  findings: {total} ({})", severities.join(", "));
    let categories: Vec<String> = text::by_category(s)
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(c, n)| format!("{} {n}", c.title()))
        .collect();
    if !categories.is_empty() {
        let _ = writeln!(out, "  by risk category: {}", categories.join(", "));
    }
    let _ = writeln!(
        out,
        "  components: {} in {} project(s) of {} repository(ies)",
        s.components, s.projects, s.repositories
    );
    let checked = text::checked(report);
    let _ = writeln!(
        out,
        "  checked: {}",
        if checked.is_empty() {
            "nothing".to_owned()
        } else {
            checked.join(", ")
        }
    );
    for notice in text::not_checked(report) {
        let _ = writeln!(out, "  {}", st.warning.apply_to(notice));
    }
    if s.vulnerabilities_suppressed > 0 {
        let _ = writeln!(
            out,
            "  vulnerabilities suppressed by VEX or ignores: {}",
            s.vulnerabilities_suppressed
        );
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(out, "  {}", text::one_line(&text::baseline(b)));
    }
    if s.errors > 0 {
        let _ = writeln!(
            out,
            "  {}",
            st.error.apply_to(format!(
                "{} file(s) could not be read: the inventory is incomplete",
                s.errors
            ))
        );
    }
    match report.fail_on {
        Some(t) => {
            let _ = writeln!(out, "  fails on: {t} and above");
        }
        None => {
            let _ = writeln!(out, "  fails on: nothing (no threshold)");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::testutil;

    #[test]
    fn snapshot_plain() {
        insta::assert_snapshot!(render(&testutil::report(), false));
    }

    #[test]
    fn snapshot_clean_without_vulnerabilities() {
        insta::assert_snapshot!(render(&testutil::clean_report(), false));
    }

    #[test]
    fn snapshot_colour() {
        let out = render(&testutil::report(), true);
        assert!(out.contains("\u{1b}[31m") || out.contains("\u{1b}[1m"));
        insta::assert_snapshot!(out.replace('\u{1b}', "␛"));
    }

    #[test]
    fn colour_off_has_no_escape_bytes_even_from_the_report() {
        let mut r = testutil::report();
        r.findings[0].finding.message = "red \u{1b}[31m text\u{7}\nsecond line".into();
        r.findings[0].finding.hint = "\u{1b}]0;title\u{7}".into();
        let out = render(&r, false);
        assert!(!out.contains('\u{1b}'), "{out}");
        assert!(!out.contains('\u{7}'));
        assert!(out.contains("red \\u{1b}[31m text\\u{7}\\nsecond line"));
        // In colour, only ospo's own sequences: the message's escape is still written out.
        assert!(render(&r, true).contains("red \\u{1b}[31m text"));
    }

    #[test]
    fn colour_follows_no_color_clicolor_force_and_term() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |name: &str| {
                pairs
                    .iter()
                    .find(|(k, _)| *k == name)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(colour_wanted_with(true, env(&[])));
        assert!(!colour_wanted_with(false, env(&[])));
        assert!(!colour_wanted_with(true, env(&[("NO_COLOR", "1")])));
        assert!(!colour_wanted_with(true, env(&[("NO_COLOR", "false")])));
        // An empty NO_COLOR does not count.
        assert!(colour_wanted_with(true, env(&[("NO_COLOR", "")])));
        assert!(colour_wanted_with(false, env(&[("CLICOLOR_FORCE", "1")])));
        assert!(!colour_wanted_with(false, env(&[("CLICOLOR_FORCE", "0")])));
        assert!(!colour_wanted_with(
            true,
            env(&[("NO_COLOR", "1"), ("CLICOLOR_FORCE", "1")])
        ));
        assert!(!colour_wanted_with(true, env(&[("TERM", "dumb")])));
        assert!(colour_wanted_with(true, env(&[("TERM", "xterm-256color")])));
        assert!(!colour_wanted_with(true, env(&[("CLICOLOR", "0")])));
    }

    #[test]
    fn every_finding_is_shown_with_its_hint_and_component() {
        let r = testutil::report();
        let out = render(&r, false);
        let w = r
            .findings
            .iter()
            .map(|r| r.finding.code.len())
            .max()
            .unwrap();
        for f in r.findings.iter().map(|r| &r.finding) {
            let line = format!(
                "{:<7}  {:<w$}  {}  {}",
                f.severity.as_str(),
                f.code,
                text::place(f),
                text::one_line(&f.message)
            );
            assert!(out.contains(&line), "missing: {line}");
            if !f.hint.is_empty() {
                assert!(out.contains(&format!("→ {}", f.hint)));
            }
            if let Some(p) = &f.purl {
                assert!(out.contains(p.as_str()));
            }
        }
        assert!(out.contains("Cargo.lock:700:12"));
        assert!(
            out.contains("7 known finding(s) from baseline .ospo/baseline.json not shown, 2 fixed")
        );
        let failing = r.failing().count();
        assert!(failing > 0);
        assert!(out.ends_with(&format!(
            "FAILED: {failing} finding(s) at or above error, 1 file(s) could not be read\n"
        )));
    }

    #[test]
    fn no_findings_and_vulnerabilities_not_checked_say_so() {
        let out = render(&testutil::clean_report(), false);
        assert!(out.starts_with("no findings\n"));
        assert!(out.contains("vulnerabilities NOT checked (no database)"));
        assert!(out.contains("checked: licences, bans, sources\n"));
        assert!(out.ends_with("passed\n"));
    }

    #[test]
    fn deterministic() {
        let r = testutil::report();
        assert_eq!(render(&r, true), render(&r, true));
        assert_eq!(render(&r, false), render(&r, false));
    }
}
