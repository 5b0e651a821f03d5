//! `ospo vulns`, and the vulnerability part of `ospo scan`: match the inventory against the
//! offline OSV database, apply VEX documents and the project's ignores, and decide the exit code.

use std::path::PathBuf;

use anyhow::{Context, bail};
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use ospo_model::{Diagnostic, Level, Portfolio};
use ospo_vuln::matching::{Certainty, Kind, MatchReport, VulnFinding, match_portfolio};
use ospo_vuln::severity::Severity;
use ospo_vuln::vex::{self, Ignore};

use serde::Serialize;

use super::Status;
use crate::cli::{VulnOptions, VulnsArgs, VulnsFormat};
use crate::output::{
    emit, emit_json, print_diagnostics, report_diagnostics, scan_with_progress, warning,
};

/// The version of the JSON vulnerability document.
pub const VULNS_SCHEMA: &str = "ospo-vulns/1";

/// The policy file at a repository's root, which holds vulnerability ignores.
pub const CONFIG_FILE: &str = ospo_policy::FILE_NAME;

#[derive(Serialize)]
struct VulnsDocument<'a> {
    schema: &'static str,
    tool: &'static str,
    version: &'static str,
    #[serde(flatten)]
    report: &'a MatchReport,
}

pub fn run(args: &VulnsArgs) -> anyhow::Result<Status> {
    let threshold = threshold(&args.vulns.fail_on)?;
    let portfolio = scan_with_progress(&args.walk);
    let had_errors = report_diagnostics(&portfolio);
    let Some(report) = check(&portfolio, &args.vulns, &args.walk.paths, true)? else {
        return Ok(Status::Error);
    };
    let out = args.output.as_deref();
    match args.format {
        VulnsFormat::Json => emit_json(
            out,
            &VulnsDocument {
                schema: VULNS_SCHEMA,
                tool: "ospo",
                version: env!("CARGO_PKG_VERSION"),
                report: &report,
            },
        )?,
        VulnsFormat::Table => emit(out, &table(&report))?,
    }
    Ok(status(&report, threshold, had_errors))
}

/// The exit status for a report: errors first, then findings at or above the threshold.
pub fn status(report: &MatchReport, threshold: Option<Severity>, had_errors: bool) -> Status {
    let db_errors = report.diagnostics.iter().any(|d| d.level == Level::Error);
    if had_errors || db_errors {
        Status::Error
    } else if threshold.is_some_and(|t| report.findings.iter().any(|f| f.counts_at(t))) {
        Status::Findings
    } else {
        Status::Clean
    }
}

/// `--fail-on`: a severity, or `never`.
pub fn threshold(text: &str) -> anyhow::Result<Option<Severity>> {
    if text.eq_ignore_ascii_case("never") {
        return Ok(None);
    }
    match text.parse::<Severity>() {
        Ok(s) => Ok(Some(s)),
        Err(e) => bail!("--fail-on: {e}, or never"),
    }
}

/// Matches the portfolio and applies triage. `None` when there is no database and `required`;
/// with `required` false a missing database is a note and an empty report.
/// Whether the vulnerability database has any store file (whether [`check`] has anything to
/// match against), without opening them.
pub fn database_present(opts: &VulnOptions) -> anyhow::Result<bool> {
    Ok(!super::db::database(&opts.db)?.files()?.is_empty())
}

pub fn check(
    portfolio: &Portfolio,
    opts: &VulnOptions,
    paths: &[PathBuf],
    required: bool,
) -> anyhow::Result<Option<MatchReport>> {
    let db = super::db::database(&opts.db)?;
    let open = db.open()?;
    if open.is_empty() {
        let message = format!(
            "no vulnerability database at {}: run `ospo db update` (online) or `ospo db import PATH`",
            db.dir().display()
        );
        if required {
            crate::output::error(&message);
            return Ok(None);
        }
        // Not checked is not clean: no (empty) report, so no output claims "0 findings".
        warning(&format!("{message}; vulnerabilities were not checked"));
        return Ok(None);
    }
    let mut report = match_portfolio(portfolio, &open);
    report.diagnostics.extend(open.diagnostics.iter().cloned());

    let mut statements = Vec::new();
    for path in &opts.vex {
        let bytes =
            std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        match vex::read(path, &bytes) {
            Ok(s) => statements.extend(s),
            Err(d) => report.diagnostics.push(d),
        }
    }
    let (ignores, mut problems) = ignores(paths);
    report.diagnostics.append(&mut problems);
    let unused = vex::apply(&mut report.findings, &statements, &ignores, &today());
    report.diagnostics.extend(unused);
    report.diagnostics.sort();
    print_diagnostics(&report.diagnostics);
    Ok(Some(report))
}

fn today() -> String {
    ospo_vuln::db::format_time(super::db::now())[..10].to_owned()
}

/// The `[[vulnerabilities.ignore]]` entries of the policy (`ospo.toml` and the files it extends)
/// at the root of each scanned folder. A policy with errors contributes none: each error is a
/// diagnostic with its file and line.
fn ignores(paths: &[PathBuf]) -> (Vec<(Ignore, PathBuf)>, Vec<Diagnostic>) {
    let mut out = Vec::new();
    let mut problems = Vec::new();
    for root in paths.iter().filter(|p| p.is_dir()) {
        let file = root.join(CONFIG_FILE);
        if !file.is_file() {
            continue;
        }
        match ospo_policy::load(&file) {
            Ok(policy) => {
                for i in &policy.vulnerabilities.ignore {
                    let source = policy
                        .exceptions
                        .get(i.exception)
                        .map_or_else(|| file.clone(), |e| e.origin.file.clone());
                    out.push((i.ignore.clone(), source));
                }
            }
            Err(errors) => problems.extend(errors.into_iter().map(|e| {
                let message = match e.column {
                    Some(c) => format!("column {c}: {}", e.message),
                    None => e.message,
                };
                Diagnostic::new(Level::Error, "policy", &e.file, e.line, message)
            })),
        }
    }
    (out, problems)
}

fn place(f: &VulnFinding) -> String {
    match f.locations.first() {
        Some(l) => match l.line {
            Some(line) => format!("{}:{line}", l.path.display()),
            None => l.path.display().to_string(),
        },
        None => f.project.clone(),
    }
}

/// The table: what counts first; suppressed, undecidable and informational ones summarised.
pub fn table(report: &MatchReport) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "severity",
        "advisory",
        "package",
        "version",
        "fix",
        "repository",
        "declared in",
        "summary",
    ]);
    let mut shown = 0;
    for f in &report.findings {
        if f.suppressed.is_some() || f.certainty != Certainty::Affected {
            continue;
        }
        shown += 1;
        let severity = match (&f.kind, f.rated.score) {
            (Kind::Informational(cat), _) => cat.clone(),
            (_, Some(score)) => format!("{} {score:.1}", f.rated.severity),
            (_, None) => f.rated.severity.to_string(),
        };
        let summary: String = f.summary.chars().take(60).collect();
        table.add_row([
            severity,
            f.id.clone(),
            f.name.clone(),
            f.version.clone(),
            f.upgrade.clone().unwrap_or_else(|| "-".into()),
            f.repository.clone(),
            place(f),
            summary,
        ]);
    }
    let suppressed = report
        .findings
        .iter()
        .filter(|f| f.suppressed.is_some())
        .count();
    let undecidable = report
        .findings
        .iter()
        .filter(|f| matches!(f.certainty, Certainty::Undecidable(_)))
        .count();
    let mut text = if shown > 0 {
        format!("{table}\n")
    } else {
        String::new()
    };
    text.push_str(&format!(
        "{shown} finding(s) in {} component(s) checked ({} not checked: own or local packages, no version, or no advisories for their ecosystem)",
        report.checked, report.unchecked
    ));
    if suppressed > 0 {
        text.push_str(&format!("; {suppressed} suppressed by VEX or ignores"));
    }
    if undecidable > 0 {
        text.push_str(&format!("; {undecidable} undecidable (see --format json)"));
    }
    text
}
