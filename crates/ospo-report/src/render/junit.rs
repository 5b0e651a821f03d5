//! The JUnit XML report, for CI dashboards (GitLab's `artifacts:reports:junit`, Jenkins): one
//! test suite per repository, one test case per finding (`classname` = repository.project,
//! `name` = code and component or place), failed when the finding is at or above the `fail_on`
//! threshold and passed (its text in `<system-out>`) when below. A repository without findings
//! gets one passing case, so its suite is not empty; diagnostics of level error (files that
//! could not be read) are `<error>` cases of a `(diagnostics)` suite, and a check that did not
//! run (vulnerabilities without a database) is a `<skipped>` case of every repository: not
//! checked is not clean. Text the XML cannot hold (control characters) becomes U+FFFD.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;

use ospo_model::Level;
use ospo_policy::rules;

use super::text;
use crate::{CheckReport, Reported};

/// The suite of the diagnostics that failed the run.
const DIAGNOSTICS_SUITE: &str = "(diagnostics)";

/// One test case, written.
#[derive(Default)]
struct Case {
    xml: String,
    failure: bool,
    error: bool,
    skipped: bool,
}

/// The report as JUnit XML.
pub fn render(report: &CheckReport) -> String {
    let mut suites: BTreeMap<String, Vec<Case>> = text::repositories(report)
        .into_iter()
        .map(|r| (r, Vec::new()))
        .collect();
    let mut names: HashMap<String, usize> = HashMap::new();
    for r in &report.findings {
        let suite = text::repository(&r.finding).to_owned();
        let case = finding(report, r, &mut names);
        suites.entry(suite).or_default().push(case);
    }
    for (repo, cases) in &mut suites {
        if cases.is_empty() {
            cases.push(Case {
                xml: format!(
                    "    <testcase classname=\"{}\" name=\"ospo check\"/>\n",
                    escape(repo)
                ),
                ..Case::default()
            });
        }
        if repo == text::NO_REPOSITORY {
            continue;
        }
        for notice in text::not_checked(report) {
            cases.push(Case {
                xml: format!(
                    "    <testcase classname=\"{}\" name=\"{notice}\">\n      <skipped message=\"{notice}\"/>\n    </testcase>\n",
                    escape(repo),
                ),
                skipped: true,
                ..Case::default()
            });
        }
    }
    let errors: Vec<Case> = report
        .diagnostics
        .iter()
        .filter(|d| d.level == Level::Error)
        .map(|d| {
            let mut place = d.path.display().to_string();
            if let Some(l) = d.line {
                let _ = write!(place, ":{l}");
            }
            Case {
                xml: format!(
                    "    <testcase classname=\"diagnostics.{origin}\" name=\"{place}\">\n      <error message=\"{message}\" type=\"{origin}\">{text}</error>\n    </testcase>\n",
                    origin = escape(&d.origin),
                    place = escape(&place),
                    message = escape(&d.message),
                    text = escape_text(&d.to_string()),
                ),
                error: true,
                ..Case::default()
            }
        })
        .collect();
    if !errors.is_empty() {
        suites
            .entry(DIAGNOSTICS_SUITE.to_owned())
            .or_default()
            .extend(errors);
    }

    let count = |cases: &[Case]| {
        (
            cases.len(),
            cases.iter().filter(|c| c.failure).count(),
            cases.iter().filter(|c| c.error).count(),
            cases.iter().filter(|c| c.skipped).count(),
        )
    };
    let (mut tests, mut failures, mut errors, mut skipped) = (0, 0, 0, 0);
    for cases in suites.values() {
        let (t, f, e, s) = count(cases);
        tests += t;
        failures += f;
        errors += e;
        skipped += s;
    }

    let mut out = String::from("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    let _ = writeln!(
        out,
        "<testsuites name=\"ospo check\" tests=\"{tests}\" failures=\"{failures}\" errors=\"{errors}\" skipped=\"{skipped}\">"
    );
    for (name, cases) in &suites {
        let (t, f, e, s) = count(cases);
        let _ = writeln!(
            out,
            "  <testsuite name=\"{}\" tests=\"{t}\" failures=\"{f}\" errors=\"{e}\" skipped=\"{s}\">",
            escape(name)
        );
        properties(report, name, &mut out);
        for c in cases {
            out.push_str(&c.xml);
        }
        out.push_str("  </testsuite>\n");
    }
    out.push_str("</testsuites>\n");
    out
}

fn properties(report: &CheckReport, suite: &str, out: &mut String) {
    out.push_str("    <properties>\n");
    let mut property = |name: &str, value: &str| {
        let _ = writeln!(
            out,
            "      <property name=\"{name}\" value=\"{}\"/>",
            escape(value)
        );
    };
    property("tool", &format!("{} {}", report.tool, report.version));
    property("date", &report.date);
    property("fail-on", report.fail_on.map_or("none", |t| t.as_str()));
    for policy in report.policies.get(suite).into_iter().flatten() {
        property("policy", &policy.display().to_string());
    }
    for notice in text::not_checked(report) {
        property("not-checked", notice);
    }
    out.push_str("    </properties>\n");
}

/// The test case of a finding; `names` makes names unique within a class (` (2)`, ` (3)`).
fn finding(report: &CheckReport, r: &Reported, names: &mut HashMap<String, usize>) -> Case {
    let f = &r.finding;
    let mut class = text::repository(f).to_owned();
    if !f.project.is_empty() {
        class.push('.');
        class.push_str(&f.project);
    }
    let subject = match &f.purl {
        Some(p) => p.clone(),
        None => text::place(f),
    };
    let mut name = format!("{} {subject}", f.code);
    let seen = names.entry(format!("{class}\0{name}")).or_default();
    *seen += 1;
    if *seen > 1 {
        let _ = write!(name, " ({seen})");
    }

    let mut details = format!("{} {} at {}\n", f.severity, f.code, text::place(f));
    if let Some(p) = &f.purl {
        let _ = writeln!(details, "component: {p}");
    }
    let _ = writeln!(details, "{}", f.message);
    if !f.hint.is_empty() {
        let _ = writeln!(details, "→ {}", f.hint);
    }
    if let Some(rule) = rules::get(f.code) {
        let _ = writeln!(details, "rule: {}", rule.summary);
    }
    let _ = write!(details, "fingerprint: {}", r.fingerprint);

    let file = match &f.location {
        Some(l) => format!(" file=\"{}\"", escape(&l.path.display().to_string())),
        None => String::new(),
    };
    let open = format!(
        "    <testcase classname=\"{}\" name=\"{}\"{file}>\n",
        escape(&class),
        escape(&name)
    );
    let failure = text::fails(report, f);
    let body = if failure {
        format!(
            "      <failure message=\"{}\" type=\"{}\">{}</failure>\n",
            escape(&f.message),
            escape(f.code),
            escape_text(&details)
        )
    } else {
        format!("      <system-out>{}</system-out>\n", escape_text(&details))
    };
    Case {
        xml: format!("{open}{body}    </testcase>\n"),
        failure,
        ..Case::default()
    }
}

/// Text for an XML attribute value: the five special characters, tabs and line breaks as
/// references (a parser would turn them into spaces otherwise), characters XML 1.0 cannot hold
/// as U+FFFD.
pub fn escape(s: &str) -> String {
    escape_with(s, true)
}

/// Text for XML element content: as [`escape`], but tabs and line feeds kept as they are.
pub fn escape_text(s: &str) -> String {
    escape_with(s, false)
}

fn escape_with(s: &str, attribute: bool) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            '\t' if attribute => out.push_str("&#9;"),
            '\n' if attribute => out.push_str("&#10;"),
            '\t' | '\n' => out.push(c),
            // A parser reads a literal CR (LF) as LF.
            '\r' => out.push_str("&#13;"),
            c if xml_char(c) => out.push(c),
            _ => out.push('\u{FFFD}'),
        }
    }
    out
}

/// XML 1.0's `Char` production.
fn xml_char(c: char) -> bool {
    matches!(c, '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..)
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
    fn snapshot_clean() {
        insta::assert_snapshot!(render(&testutil::clean_report()));
    }

    fn attr(n: roxmltree::Node, name: &str) -> usize {
        n.attribute(name).unwrap().parse().unwrap()
    }

    #[test]
    fn well_formed_and_the_counts_add_up() {
        let r = testutil::report();
        let xml = render(&r);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let root = doc.root_element();
        assert_eq!(root.tag_name().name(), "testsuites");
        let suites: Vec<_> = root
            .children()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        let names: Vec<_> = suites
            .iter()
            .map(|s| s.attribute("name").unwrap())
            .collect();
        assert_eq!(
            names,
            ["(diagnostics)", "(portfolio)", "ripgrep", "webshop"]
        );
        let (mut tests, mut failures, mut errors) = (0, 0, 0);
        for s in &suites {
            let cases: Vec<_> = s
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .collect();
            let failed = cases
                .iter()
                .filter(|c| c.children().any(|n| n.has_tag_name("failure")))
                .count();
            let errored = cases
                .iter()
                .filter(|c| c.children().any(|n| n.has_tag_name("error")))
                .count();
            assert_eq!(attr(*s, "tests"), cases.len());
            assert_eq!(attr(*s, "failures"), failed);
            assert_eq!(attr(*s, "errors"), errored);
            assert_eq!(attr(*s, "skipped"), 0);
            tests += cases.len();
            failures += failed;
            errors += errored;
        }
        assert_eq!(attr(root, "tests"), tests);
        assert_eq!(attr(root, "failures"), failures);
        assert_eq!(attr(root, "errors"), errors);
        // One case per finding plus one per error diagnostic; failures are the failing findings.
        assert_eq!(tests, r.findings.len() + 1);
        assert_eq!(failures, r.failing().count());
        assert_eq!(errors, 1);

        let case = doc
            .descendants()
            .find(|n| n.attribute("name") == Some("vulnerability-high pkg:cargo/regex@1.2.0"))
            .unwrap();
        assert_eq!(case.attribute("classname"), Some("ripgrep.Cargo.toml"));
        let failure = case.first_element_child().unwrap();
        assert_eq!(failure.attribute("type"), Some("vulnerability-high"));
        assert!(failure.text().unwrap().contains("→ upgrade to 1.5.5"));
        // Below the threshold: passed, the text kept.
        let case = doc
            .descendants()
            .find(|n| n.attribute("name") == Some("license-unresolved pkg:npm/xmldom@0.1.27"))
            .unwrap();
        assert!(case.children().any(|n| n.has_tag_name("system-out")));
        // The message with a newline, `<`, `&` and quotes reads back as it was.
        let angular = doc.descendants().find(|n| {
            n.has_tag_name("failure") && n.attribute("message").is_some_and(|m| m.contains("<svg>"))
        });
        assert!(angular.is_none(), "below the threshold");
        let pako = doc
            .descendants()
            .find(|n| n.attribute("name") == Some("license-expression-invalid pkg:npm/pako@0.2.9"))
            .unwrap();
        assert!(pako.children().any(|n| {
            n.text()
                .is_some_and(|t| t.contains("expression:\nunexpected"))
        }));
    }

    #[test]
    fn a_repository_without_findings_has_one_passing_case() {
        let xml = render(&testutil::clean_report());
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let suites: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testsuite"))
            .collect();
        assert_eq!(suites.len(), 3);
        for s in suites {
            // The passing case, and vulnerabilities skipped: not checked is not clean.
            assert_eq!(attr(s, "tests"), 2);
            assert_eq!(attr(s, "failures"), 0);
            assert_eq!(attr(s, "skipped"), 1);
            let cases: Vec<_> = s
                .children()
                .filter(|n| n.has_tag_name("testcase"))
                .collect();
            assert_eq!(cases[0].attribute("name"), Some("ospo check"));
            assert!(!cases[0].has_children());
            let skipped = cases[1].first_element_child().unwrap();
            assert_eq!(skipped.tag_name().name(), "skipped");
            assert_eq!(
                skipped.attribute("message"),
                Some("vulnerabilities NOT checked (no database)")
            );
        }
        assert_eq!(attr(doc.root_element(), "skipped"), 3);
        assert!(xml.contains(
            "<property name=\"not-checked\" value=\"vulnerabilities NOT checked (no database)\"/>"
        ));
    }

    #[test]
    fn duplicate_names_are_numbered() {
        let mut r = testutil::report();
        let twin = r.findings[1].clone();
        r.findings.insert(1, twin);
        let xml = render(&r);
        let doc = roxmltree::Document::parse(&xml).unwrap();
        let mut names: Vec<_> = doc
            .descendants()
            .filter(|n| n.has_tag_name("testcase"))
            .map(|n| {
                (
                    n.attribute("classname").unwrap(),
                    n.attribute("name").unwrap(),
                )
            })
            .collect();
        let n = names.len();
        names.sort();
        names.dedup();
        assert_eq!(names.len(), n);
    }

    #[test]
    fn deterministic() {
        let r = testutil::report();
        assert_eq!(render(&r), render(&r));
    }

    proptest! {
        #[test]
        fn any_text_reads_back(
            message in any::<String>(),
            hint in any::<String>(),
            purl in any::<String>(),
            repository in any::<String>(),
        ) {
            let mut r = testutil::report();
            r.findings.truncate(2);
            let f = &mut r.findings[1].finding;
            f.message = message.clone();
            f.hint = hint;
            f.purl = Some(purl.clone());
            f.repository = repository;
            f.severity = ospo_policy::Severity::Error;
            let xml = render(&r);
            let doc = roxmltree::Document::parse(&xml);
            prop_assert!(doc.is_ok(), "{:?}\n{}", doc.err(), xml);
            let doc = doc.unwrap();
            let clean = |s: &str| -> String {
                s.chars().map(|c| if xml_char(c) || "\t\n\r".contains(c) { c } else { '\u{FFFD}' }).collect()
            };
            let failures: Vec<_> = doc.descendants().filter(|n| n.has_tag_name("failure")).collect();
            prop_assert!(failures.iter().any(|n| n.attribute("message") == Some(clean(&message).as_str())));
            let name = format!("{} {}", r.findings[1].finding.code, clean(&purl));
            prop_assert!(doc.descendants().any(|n| n.attribute("name") == Some(name.as_str())));
        }
    }
}
