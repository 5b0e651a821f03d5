//! `ospo licenses`: the licence of every component (declared, detected, concluded, class), each
//! project's own licence, and the findings about how they fit together.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use ospo_license::report::{LicenseReport, Options, Severity};
use ospo_license::{Detector, locate::LocateOptions};
use ospo_model::Portfolio;
use serde::Serialize;

use super::Status;
use crate::cli::{LicenseSources, LicensesArgs, LicensesFormat};
use crate::output::{emit, print_diagnostics, report_diagnostics, scan_with_progress};

/// The version of the JSON licence document; bumped on any incompatible change.
pub const LICENSES_SCHEMA: &str = "ospo-licenses/1";

#[derive(Serialize)]
struct LicensesDocument<'a> {
    schema: &'static str,
    tool: &'static str,
    version: &'static str,
    #[serde(flatten)]
    report: &'a LicenseReport,
}

pub fn run(args: &LicensesArgs) -> anyhow::Result<Status> {
    let threshold = super::check::fail_on(&args.fail_on)?;
    let portfolio = scan_with_progress(&args.walk);
    let had_errors = report_diagnostics(&portfolio);
    let report = analyse(&portfolio, &args.sources);
    let text = match args.format {
        LicensesFormat::Json => serde_json::to_string_pretty(&LicensesDocument {
            schema: LICENSES_SCHEMA,
            tool: "ospo",
            version: env!("CARGO_PKG_VERSION"),
            report: &report,
        })?,
        LicensesFormat::Table => table(&report),
    };
    emit(args.output.as_deref(), &text)?;
    Ok(if had_errors {
        Status::Error
    } else if threshold.is_some_and(|t| {
        report
            .findings
            .iter()
            .any(|f| ospo_policy::Severity::from(f.severity).at_least(t))
    }) {
        Status::Findings
    } else {
        Status::Clean
    })
}

/// The options the command line gives: caches from the flags, else the environment.
pub fn options(sources: &LicenseSources) -> Options {
    let env = LocateOptions::from_env();
    let locate = if sources.no_cache {
        LocateOptions::default()
    } else {
        LocateOptions {
            cargo_home: sources.cargo_home.clone().or(env.cargo_home),
            go_mod_cache: sources.go_mod_cache.clone().or(env.go_mod_cache),
            ..env
        }
    };
    Options {
        locate,
        ..Options::default()
    }
}

/// Analyses the portfolio and prints the diagnostics the analysis adds.
pub fn analyse(portfolio: &Portfolio, sources: &LicenseSources) -> LicenseReport {
    let report = ospo_license::analyse(portfolio, &options(sources), &Detector::new());
    print_diagnostics(&report.diagnostics);
    report
}

fn cut(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_owned()
    } else {
        let mut out: String = s.chars().take(n.saturating_sub(1)).collect();
        out.push('…');
        out
    }
}

fn table(report: &LicenseReport) -> String {
    let mut t = Table::new();
    t.load_preset(UTF8_FULL_CONDENSED).set_header([
        "repository",
        "name",
        "version",
        "declared",
        "detected",
        "concluded",
        "class",
        "problems",
    ]);
    let mut own = Table::new();
    own.load_preset(UTF8_FULL_CONDENSED).set_header([
        "repository",
        "project",
        "own licence",
        "class",
        "from",
    ]);
    for repo in &report.repositories {
        for p in &repo.projects {
            let from: Vec<String> = p
                .own
                .declared
                .iter()
                .filter_map(|d| d.file.as_ref().map(|f| f.display().to_string()))
                .chain(p.own.detected.iter().map(|d| d.file.display().to_string()))
                .collect();
            own.add_row([
                repo.name.clone(),
                p.path.display().to_string(),
                p.own.concluded.clone(),
                p.own.class.to_string(),
                from.join(", "),
            ]);
            for c in &p.components {
                let declared: Vec<&str> =
                    c.declared.iter().map(|d| d.license.raw.as_str()).collect();
                let detected: Vec<&str> =
                    c.detected.iter().map(|d| d.expression.as_str()).collect();
                t.add_row([
                    repo.name.clone(),
                    c.name.clone(),
                    c.version.clone().unwrap_or_else(|| "-".into()),
                    cut(&declared.join("; "), 40),
                    cut(&detected.join("; "), 30),
                    cut(&c.concluded, 40),
                    c.class.to_string(),
                    c.problems.join(" "),
                ]);
            }
        }
    }
    let mut out = format!("{t}\n\n{own}\n");
    if !report.findings.is_empty() {
        let mut f = Table::new();
        f.load_preset(UTF8_FULL_CONDENSED)
            .set_header(["severity", "code", "category", "where", "message"]);
        for x in &report.findings {
            let place = x.location.as_ref().map_or_else(
                || x.project.display().to_string(),
                |l| match l.line {
                    Some(n) => format!("{}:{n}", l.path.display()),
                    None => l.path.display().to_string(),
                },
            );
            let sev = match x.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
                Severity::Info => "info",
            };
            f.add_row([
                sev.to_owned(),
                x.code.to_owned(),
                serde_json::to_value(x.category)
                    .ok()
                    .and_then(|v| v.as_str().map(str::to_owned))
                    .unwrap_or_default(),
                place,
                cut(&x.message, 100),
            ]);
        }
        out.push_str(&format!("\n{f}\n"));
    }
    let s = &report.summary;
    let classes: Vec<String> = s.by_class.iter().map(|(c, n)| format!("{n} {c}")).collect();
    out.push_str(&format!(
        "{} component(s): {} with a concluded licence, {} unknown (NOASSERTION); {}; {} finding(s)",
        s.components,
        s.concluded,
        s.noassertion,
        classes.join(", "),
        report.findings.len()
    ));
    out
}
