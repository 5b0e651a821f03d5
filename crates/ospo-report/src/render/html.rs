//! The HTML report: one self-contained file that opens without a network (inline CSS, inline
//! SVG charts, a few lines of inline script to filter the findings table, a Content Security
//! Policy that forbids loading anything): the verdict and date, charts of components by
//! ecosystem, licences by class, vulnerabilities by severity and findings by risk category,
//! the findings grouped by severity with their hints, the rules they break, which checks ran,
//! the diagnostics and the baseline. Everything from the report is escaped.
//!
//! The parts are public so other reports (the maturity assessment) can be pages of the same
//! look, or sections of this one: [`page`], [`section`], [`bar_chart`], [`escape`], [`sections`].

use std::fmt::Write as _;

use ospo_model::Level;
use ospo_policy::{Severity, rules};

use super::text;
use crate::{CheckReport, Reported};

/// The report as one HTML page.
pub fn render(report: &CheckReport) -> String {
    page(&format!("ospo check {}", report.date), &sections(report))
}

/// The report's parts in order: header, charts, findings, rules, checks, diagnostics.
pub fn sections(report: &CheckReport) -> Vec<String> {
    let mut out = vec![header(report), charts(report), findings(report)];
    if let Some(rules) = rules_section(report) {
        out.push(rules);
    }
    out.push(checks(report));
    if let Some(d) = diagnostics(report) {
        out.push(d);
    }
    out
}

const STYLE: &str = r#"
:root { --fg: #1f2328; --bg: #ffffff; --muted: #59636e; --line: #d1d9e0; --bar: #0969da;
  --error: #cf222e; --warning: #9a6700; --info: #0969da; --ok: #1a7f37; --panel: #f6f8fa; }
@media (prefers-color-scheme: dark) {
  :root { --fg: #e6edf3; --bg: #0d1117; --muted: #9198a1; --line: #3d444d; --bar: #4493f8;
    --error: #f85149; --warning: #d29922; --info: #4493f8; --ok: #3fb950; --panel: #151b23; }
}
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--fg); background: var(--bg); }
main { max-width: 1200px; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.6rem; margin: .5rem 0; }
h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .25rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; }
.muted { color: var(--muted); }
.passed { color: var(--ok); }
.failed { color: var(--error); }
.notice { border-left: 4px solid var(--warning); background: var(--panel); padding: .5rem .75rem; font-weight: 600; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(340px, 1fr)); gap: 1rem; }
figure.chart { margin: 0; padding: .75rem; border: 1px solid var(--line); border-radius: 6px; background: var(--panel); }
figure.chart figcaption { font-weight: 600; margin-bottom: .5rem; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
svg text { fill: var(--fg); font-size: 12px; }
svg rect { fill: var(--bar); }
svg rect.critical, svg rect.error { fill: var(--error); }
svg rect.high { fill: #d1242f; opacity: .75; }
svg rect.medium, svg rect.warning { fill: var(--warning); }
svg rect.low, svg rect.info { fill: var(--info); }
.none { color: var(--muted); font-style: italic; }
table { border-collapse: collapse; width: 100%; margin-bottom: 1rem; }
th, td { text-align: left; vertical-align: top; padding: .35rem .5rem; border-bottom: 1px solid var(--line); }
th { background: var(--panel); }
td.num { text-align: right; }
tr.fails td:first-child { border-left: 3px solid var(--error); }
.sev-error { color: var(--error); font-weight: 600; }
.sev-warning { color: var(--warning); font-weight: 600; }
.sev-info { color: var(--info); }
.hint { color: var(--ok); margin-top: .2rem; }
.break { word-break: break-all; }
input[type=search] { padding: .3rem .5rem; width: 22rem; max-width: 100%; border: 1px solid var(--line); border-radius: 6px; background: var(--bg); color: var(--fg); }
dt { margin-top: .75rem; }
dd { margin-left: 1.25rem; }
dd p { margin: .25rem 0; }
"#;

/// Shows the filter boxes (hidden without script) and hides the rows that do not contain the
/// text typed.
const SCRIPT: &str = r#"
document.querySelectorAll('input[data-filter]').forEach(function (input) {
  input.hidden = false;
  input.addEventListener('input', function () {
    var q = input.value.toLowerCase();
    document.querySelectorAll(input.getAttribute('data-filter') + ' tbody tr').forEach(function (tr) {
      tr.hidden = q !== '' && tr.textContent.toLowerCase().indexOf(q) < 0;
    });
  });
});
"#;

/// A whole page: `title` (escaped here) and the sections (HTML, as given), with the report's
/// style and filter script; nothing is loaded from elsewhere.
pub fn page(title: &str, sections: &[String]) -> String {
    let mut out =
        String::from("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    out.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    out.push_str("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'\">\n");
    let _ = writeln!(out, "<title>{}</title>", escape(title));
    let _ = writeln!(out, "<style>{STYLE}</style>\n</head>\n<body>\n<main>");
    for s in sections {
        out.push_str(s);
        if !s.ends_with('\n') {
            out.push('\n');
        }
    }
    let _ = writeln!(out, "</main>\n<script>{SCRIPT}</script>\n</body>\n</html>");
    out
}

/// A section: a heading (`title`, escaped here) and its body (HTML, as given).
pub fn section(title: &str, body_html: &str) -> String {
    format!(
        "<section>\n<h2>{}</h2>\n{body_html}</section>\n",
        escape(title)
    )
}

/// Bar geometry of the charts, in SVG units.
const LABEL_WIDTH: u64 = 130;
const BAR_WIDTH: u64 = 170;
const ROW: u64 = 22;
const CHART_WIDTH: u64 = LABEL_WIDTH + BAR_WIDTH + 60;
const MAX_LABEL: usize = 18;

/// A horizontal bar chart as inline SVG, each bar labelled with its name and count, in the
/// order given; an empty series shows "none".
pub fn bar_chart(title: &str, series: &[(String, u64)]) -> String {
    chart(title, series, "none")
}

fn chart(title: &str, series: &[(String, u64)], empty: &str) -> String {
    let mut out = format!(
        "<figure class=\"chart\">\n<figcaption>{}</figcaption>\n",
        escape(title)
    );
    if series.is_empty() {
        let _ = writeln!(out, "<p class=\"none\">{}</p>\n</figure>", escape(empty));
        return out;
    }
    let max = series.iter().map(|(_, n)| *n).max().unwrap_or(0).max(1);
    let height = ROW * series.len() as u64;
    let _ = writeln!(
        out,
        "<svg viewBox=\"0 0 {CHART_WIDTH} {height}\" width=\"{CHART_WIDTH}\" height=\"{height}\" role=\"img\" aria-label=\"{}\">",
        escape(title)
    );
    for (i, (label, n)) in series.iter().enumerate() {
        let y = ROW * i as u64;
        // At least a sliver for a non-zero count; u128 so no count overflows.
        let width = (u128::from(*n) * u128::from(BAR_WIDTH) / u128::from(max)) as u64;
        let width = if *n > 0 { width.max(2) } else { 0 };
        let short = text::truncate(label, MAX_LABEL);
        let _ = writeln!(
            out,
            "<g><title>{label}: {n}</title><text x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{short}</text><rect class=\"{class}\" x=\"{LABEL_WIDTH}\" y=\"{ry}\" width=\"{width}\" height=\"{rh}\"/><text x=\"{cx}\" y=\"{ty}\">{n}</text></g>",
            label = escape(label),
            short = escape(&short),
            lx = LABEL_WIDTH - 6,
            ty = y + 15,
            ry = y + 4,
            rh = ROW - 8,
            cx = LABEL_WIDTH + width + 4,
            class = class_name(label),
        );
    }
    out.push_str("</svg>\n</figure>\n");
    out
}

/// A CSS class from a label: lower-case letters, digits and `-` only.
fn class_name(label: &str) -> String {
    label
        .chars()
        .filter_map(|c| match c {
            'a'..='z' | '0'..='9' | '-' => Some(c),
            'A'..='Z' => Some(c.to_ascii_lowercase()),
            ' ' => Some('-'),
            _ => None,
        })
        .collect()
}

fn header(report: &CheckReport) -> String {
    let s = &report.summary;
    let class = if report.passed { "passed" } else { "failed" };
    let mut out = format!(
        "<header>\n<h1>ospo check: <span class=\"{class}\">{}</span></h1>\n",
        escape(&text::verdict(report))
    );
    let threshold = match report.fail_on {
        Some(t) => format!("fails on {t} and above"),
        None => "no fail-on threshold".to_owned(),
    };
    let _ = writeln!(
        out,
        "<p class=\"muted\">{} {} · {} · {} · {} components in {} project(s) of {} repository(ies)</p>",
        escape(&report.tool),
        escape(&report.version),
        escape(&report.date),
        escape(&threshold),
        s.components,
        s.projects,
        s.repositories
    );
    for notice in text::not_checked(report) {
        let _ = writeln!(
            out,
            "<p class=\"notice\">{}: a check that did not run is not clean.</p>",
            escape(notice)
        );
    }
    if let Some(b) = &report.baseline {
        let _ = writeln!(out, "<p>{}.</p>", escape(&text::baseline(b)));
    }
    out.push_str("</header>\n");
    out
}

fn charts(report: &CheckReport) -> String {
    let s = &report.summary;
    let mut body = String::from("<div class=\"charts\">\n");
    body.push_str(&bar_chart(
        "Components by ecosystem",
        &text::largest_first(&s.components_by_ecosystem),
    ));
    body.push_str(&bar_chart(
        "Licences by class",
        &text::ordered(&s.licenses_by_class, &text::license_classes()),
    ));
    let vulnerabilities = text::ordered(
        &s.vulnerabilities_by_severity,
        text::VULNERABILITY_SEVERITIES,
    );
    body.push_str(&if report.checked.vulnerabilities {
        bar_chart("Vulnerabilities by severity", &vulnerabilities)
    } else {
        chart(
            "Vulnerabilities by severity",
            &vulnerabilities,
            "NOT checked (no database)",
        )
    });
    let categories: Vec<(String, u64)> = text::by_category(s)
        .into_iter()
        .filter(|&(_, n)| n > 0)
        .map(|(c, n)| (c.title().to_owned(), n))
        .collect();
    body.push_str(&bar_chart("Findings by risk category", &categories));
    body.push_str("</div>\n");
    if s.vulnerabilities_suppressed > 0 {
        let _ = writeln!(
            body,
            "<p class=\"muted\">{} vulnerability finding(s) suppressed by VEX statements or ignores.</p>",
            s.vulnerabilities_suppressed
        );
    }
    section("Overview", &body)
}

fn findings(report: &CheckReport) -> String {
    let title = format!("Findings ({})", report.findings.len());
    if report.findings.is_empty() {
        return section(&title, "<p>No findings.</p>\n");
    }
    let mut body = String::from(
        "<p><input type=\"search\" placeholder=\"Filter findings\" aria-label=\"Filter findings\" data-filter=\"table.findings\" hidden></p>\n",
    );
    for severity in Severity::ALL {
        let group: Vec<&Reported> = report
            .findings
            .iter()
            .filter(|r| r.finding.severity == severity)
            .collect();
        if group.is_empty() {
            continue;
        }
        let fails = report.fail_on.is_some_and(|t| severity.at_least(t));
        let _ = writeln!(
            body,
            "<h3 class=\"sev-{severity}\">{severity} ({}){}</h3>",
            group.len(),
            if fails { ": fails the check" } else { "" }
        );
        body.push_str("<table class=\"findings\">\n<thead><tr><th>Code</th><th>Repository</th><th>Project</th><th>Where</th><th>Component</th><th>Message</th></tr></thead>\n<tbody>\n");
        for r in group {
            row(report, r, &mut body);
        }
        body.push_str("</tbody>\n</table>\n");
    }
    section(&title, &body)
}

fn row(report: &CheckReport, r: &Reported, out: &mut String) {
    let f = &r.finding;
    let summary = rules::get(f.code).map_or("", |rule| rule.summary);
    let place = match &f.location {
        Some(l) => l.to_string(),
        None => String::new(),
    };
    let _ = write!(
        out,
        "<tr{} id=\"f-{}\"><td><code title=\"{}\">{}</code></td><td>{}</td><td>{}</td><td><code class=\"break\">{}</code></td><td><code class=\"break\">{}</code></td><td>{}",
        if text::fails(report, f) {
            " class=\"fails\""
        } else {
            ""
        },
        escape(&r.fingerprint),
        escape(summary),
        escape(f.code),
        escape(text::repository(f)),
        escape(&f.project),
        escape(&place),
        escape(f.purl.as_deref().unwrap_or_default()),
        escape(&f.message),
    );
    if !f.hint.is_empty() {
        let _ = write!(out, "<div class=\"hint\">→ {}</div>", escape(&f.hint));
    }
    out.push_str("</td></tr>\n");
}

/// The documentation of every rule the findings break.
fn rules_section(report: &CheckReport) -> Option<String> {
    let mut codes: Vec<&str> = report.findings.iter().map(|r| r.finding.code).collect();
    codes.sort_unstable();
    codes.dedup();
    let mut body = String::from("<dl>\n");
    let mut any = false;
    for code in codes {
        let Some(rule) = rules::get(code) else {
            continue;
        };
        any = true;
        let _ = write!(
            body,
            "<dt><code>{}</code> <span class=\"muted\">({}, {})</span></dt>\n<dd>",
            escape(rule.code),
            rule.severity,
            rule.category.title()
        );
        for paragraph in rule.documentation().split("\n\n") {
            let _ = write!(body, "<p>{}</p>", escape(paragraph));
        }
        body.push_str("</dd>\n");
    }
    body.push_str("</dl>\n");
    any.then(|| section("Rules", &body))
}

fn checks(report: &CheckReport) -> String {
    let c = &report.checked;
    let mut body = String::from("<ul>\n");
    for (ran, name) in [
        (c.licenses, "licences"),
        (c.vulnerabilities, "vulnerabilities"),
        (c.bans, "bans"),
        (c.sources, "sources"),
    ] {
        if ran {
            let _ = writeln!(body, "<li class=\"passed\">{name}: checked</li>");
        } else if name == "vulnerabilities" {
            body.push_str("<li class=\"failed\">vulnerabilities: NOT checked (no database)</li>\n");
        } else {
            let _ = writeln!(body, "<li class=\"failed\">{name}: NOT checked</li>");
        }
    }
    if c.health {
        body.push_str("<li class=\"passed\">health: checked</li>\n");
    }
    body.push_str("</ul>\n");
    if !report.policies.is_empty() {
        body.push_str("<h3>Policies</h3>\n<table>\n<thead><tr><th>Repository</th><th>Policy files</th></tr></thead>\n<tbody>\n");
        for (repo, files) in &report.policies {
            let files: Vec<String> = files
                .iter()
                .map(|f| format!("<code>{}</code>", escape(&f.display().to_string())))
                .collect();
            let _ = writeln!(
                body,
                "<tr><td>{}</td><td>{}</td></tr>",
                escape(repo),
                files.join(", ")
            );
        }
        body.push_str("</tbody>\n</table>\n");
    }
    section("Checks", &body)
}

fn diagnostics(report: &CheckReport) -> Option<String> {
    if report.diagnostics.is_empty() {
        return None;
    }
    let mut body = String::new();
    if report.summary.errors > 0 {
        let _ = writeln!(
            body,
            "<p>{} file(s) could not be read: the inventory is incomplete.</p>",
            report.summary.errors
        );
    }
    body.push_str("<table>\n<thead><tr><th>Level</th><th>File</th><th>Read by</th><th>Message</th></tr></thead>\n<tbody>\n");
    for d in &report.diagnostics {
        let level = match d.level {
            Level::Error => "error",
            Level::Warning => "warning",
            Level::Info => "info",
        };
        let mut place = d.path.display().to_string();
        if let Some(l) = d.line {
            let _ = write!(place, ":{l}");
        }
        let _ = writeln!(
            body,
            "<tr><td class=\"sev-{level}\">{level}</td><td><code class=\"break\">{}</code></td><td>{}</td><td>{}</td></tr>",
            escape(&place),
            escape(&d.origin),
            escape(&d.message)
        );
    }
    body.push_str("</tbody>\n</table>\n");
    Some(section("Diagnostics", &body))
}

/// Text for HTML content and attribute values: `& < > " '` as references, control characters
/// other than tab and line breaks as U+FFFD.
pub fn escape(s: &str) -> String {
    let stray = |c: char| c.is_control() && !matches!(c, '\t' | '\n' | '\r');
    if s.chars().any(stray) {
        let clean: String = s
            .chars()
            .map(|c| if stray(c) { '\u{FFFD}' } else { c })
            .collect();
        ospo_model::html::escape(&clean)
    } else {
        ospo_model::html::escape(s)
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

    /// The report with every `://` in its text replaced: what is left is ospo's own markup.
    fn without_urls(mut r: CheckReport) -> CheckReport {
        for f in &mut r.findings {
            f.finding.message = f.finding.message.replace("://", "[:]//");
            f.finding.hint = f.finding.hint.replace("://", "[:]//");
        }
        r
    }

    #[test]
    fn nothing_is_loaded_from_elsewhere() {
        let with_urls = render(&testutil::report());
        assert!(with_urls.contains("`https://cdn.sheetjs.com/xlsx-0.20.2/xlsx-0.20.2.tgz`"));
        for r in [testutil::report(), testutil::clean_report()] {
            let html = render(&without_urls(r)).to_lowercase();
            for needle in [
                "://", "src=", "href=", "url(", "@import", "<link", "<iframe", "<img", "<object",
                "<embed", "xlink:", "srcset",
            ] {
                assert!(!html.contains(needle), "{needle}");
            }
            assert_eq!(html.matches("<script").count(), 1);
            assert!(html.contains("<script>\ndocument.queryselectorall"));
            assert!(html.contains("content-security-policy\" content=\"default-src 'none'"));
        }
    }

    #[test]
    fn everything_from_the_report_is_escaped() {
        let evil = "<script>alert(1)</script> & \"double\" 'single'";
        let escaped =
            "&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;double&quot; &#39;single&#39;";
        let mut r = testutil::report();
        r.tool = evil.into();
        r.date = evil.into();
        r.baseline.as_mut().unwrap().file = evil.into();
        r.policies.insert(evil.into(), vec![evil.into()]);
        r.summary.components_by_ecosystem.insert(evil.into(), 3);
        r.summary.licenses_by_class.insert(evil.into(), 3);
        r.diagnostics[0].message = evil.into();
        r.diagnostics[0].origin = evil.into();
        r.diagnostics[0].path = evil.into();
        let f = &mut r.findings[3];
        f.finding.message = evil.into();
        f.finding.hint = evil.into();
        f.finding.repository = evil.into();
        f.finding.project = evil.into();
        f.finding.purl = Some(evil.into());
        f.fingerprint = evil.into();
        f.finding.location.as_mut().unwrap().path = evil.into();
        let html = render(&r);
        assert_eq!(html.matches("<script").count(), 1, "only ospo's own script");
        assert!(!html.contains("alert(1)</script>"));
        assert!(!html.contains("\"double\""));
        assert!(
            html.matches(escaped).count() >= 12,
            "{}",
            html.matches(escaped).count()
        );
        assert!(html.contains(&format!("<title>ospo check {escaped}</title>")));
        assert!(html.contains(&format!(
            "<td>{escaped}<div class=\"hint\">→ {escaped}</div></td>"
        )));
    }

    #[test]
    fn charts_label_every_bar_and_say_none_or_not_checked() {
        let series = vec![
            ("npm".to_owned(), 812),
            ("crates.io".to_owned(), 41),
            ("PyPI".to_owned(), 0),
        ];
        let svg = bar_chart("Components", &series);
        assert_eq!(svg.matches("<rect").count(), 3);
        assert!(
            svg.contains(">812</text>") && svg.contains(">41</text>") && svg.contains(">0</text>")
        );
        assert!(
            svg.contains(&format!("width=\"{BAR_WIDTH}\" height")),
            "the largest bar is full width"
        );
        assert!(svg.contains("width=\"0\" height"));
        assert!(bar_chart("Empty", &[]).contains("<p class=\"none\">none</p>"));
        let big = bar_chart("Big", &[("a".to_owned(), u64::MAX), ("b".to_owned(), 1)]);
        assert!(big.contains(&format!(">{}</text>", u64::MAX)));

        let html = render(&testutil::report());
        for title in [
            "Components by ecosystem",
            "Licences by class",
            "Vulnerabilities by severity",
            "Findings by risk category",
        ] {
            assert!(
                html.contains(&format!("<figcaption>{title}</figcaption>\n<svg")),
                "{title}"
            );
        }
        // Severities in their order, not by name.
        let v = html.find("Vulnerabilities by severity").unwrap();
        let order: Vec<_> = ["critical", "high", "medium", "low", "unknown"]
            .iter()
            .map(|s| html[v..].find(&format!(">{s}</text>")).unwrap())
            .collect();
        assert!(order.is_sorted(), "{order:?}");
        let clean = render(&testutil::clean_report());
        assert!(clean.contains("<figcaption>Vulnerabilities by severity</figcaption>\n<p class=\"none\">NOT checked (no database)</p>"));
        assert!(clean.contains(
            "<figcaption>Findings by risk category</figcaption>\n<p class=\"none\">none</p>"
        ));
        assert!(clean.contains("<p>No findings.</p>"));
    }

    #[test]
    fn findings_grouped_by_severity_with_hints_checks_and_baseline() {
        let r = testutil::report();
        let html = render(&r);
        let e = html.find("<h3 class=\"sev-error\">").unwrap();
        let w = html.find("<h3 class=\"sev-warning\">").unwrap();
        let i = html.find("<h3 class=\"sev-info\">").unwrap();
        assert!(e < w && w < i);
        assert_eq!(
            html.matches("<tr class=\"fails\"").count(),
            r.failing().count()
        );
        for f in &r.findings {
            assert!(html.contains(&format!("id=\"f-{}\"", f.fingerprint)));
        }
        assert!(html.contains("<div class=\"hint\">→ upgrade to 1.5.5</div>"));
        assert!(
            html.contains(
                "7 known finding(s) from baseline .ospo/baseline.json not shown, 2 fixed."
            )
        );
        assert!(html.contains("<li class=\"passed\">vulnerabilities: checked</li>"));
        assert!(html.contains("<h2>Diagnostics</h2>"));
        assert!(html.contains("<dt><code>vulnerability-high</code>"));
        let clean = render(&testutil::clean_report());
        assert!(
            clean.contains("<li class=\"failed\">vulnerabilities: NOT checked (no database)</li>")
        );
        assert!(clean.contains("<p class=\"notice\">vulnerabilities NOT checked (no database)"));
    }

    #[test]
    fn sections_compose_into_a_page() {
        let extra = section("Maturity <assessment>", "<p>level 2</p>\n");
        assert!(
            extra.starts_with("<section>\n<h2>Maturity &lt;assessment&gt;</h2>\n<p>level 2</p>")
        );
        let mut parts = sections(&testutil::report());
        parts.push(extra);
        let html = page("ospo", &parts);
        assert!(html.contains("<h2>Maturity &lt;assessment&gt;</h2>"));
        assert!(html.ends_with("</html>\n"));
    }

    #[test]
    fn deterministic() {
        let r = testutil::report();
        assert_eq!(render(&r), render(&r));
    }

    proptest! {
        /// Text from the report adds no markup: the `<`, `>` and `"` of the page are ospo's.
        #[test]
        fn any_text_adds_no_markup(message in any::<String>(), hint in any::<String>(), purl in any::<String>()) {
            let page_with = |m: &str, h: &str, p: &str| {
                let mut r = testutil::report();
                let f = &mut r.findings[5].finding;
                f.message = format!("m{m}");
                f.hint = format!("h{h}");
                f.purl = Some(format!("p{p}"));
                render(&r)
            };
            let plain = page_with("", "", "");
            let html = page_with(&message, &hint, &purl);
            for c in ['<', '>', '"'] {
                prop_assert_eq!(html.matches(c).count(), plain.matches(c).count());
            }
            let escaped = escape(&format!("m{message}"));
            prop_assert!(html.contains(&escaped));
        }
    }
}
