//! `ospo check` (the policy gate), `ospo diff` and `ospo report`: the gate's evaluation and
//! renderers live in `ospo-report`; this file reads the arguments, opens the database, writes
//! the outputs and decides the exit code.

use std::path::{Path, PathBuf};

use anyhow::{Context, bail};
use ospo_policy::Severity;
use ospo_report::check::{Options, PolicySource};
use ospo_report::diff::{self, Side};
use ospo_report::{CheckReport, baseline, render};

use super::Status;
use crate::cli::{CheckArgs, DiffArgs, DiffFormat, ReportArgs, ReportFormat, WalkArgs};
use crate::output::{emit, print_diagnostics, scan_with_progress, warning};

pub fn run(args: &CheckArgs) -> anyhow::Result<Status> {
    let fail_on = fail_on(&args.fail_on)?;
    let today = match &args.today {
        Some(t) => ospo_policy::load::parse_date(t).map_err(|e| anyhow::anyhow!("--today: {e}"))?,
        None => super::policy::today(),
    };
    let also = args
        .also
        .iter()
        .map(|a| also(a))
        .collect::<anyhow::Result<Vec<_>>>()?;
    let known = match &args.baseline {
        Some(file) => Some(baseline::read(file)?),
        None => None,
    };
    let portfolio = scan_with_progress(&args.walk);
    let html =
        args.format == ReportFormat::Html || also.iter().any(|(f, _)| *f == ReportFormat::Html);
    let maturity = if html {
        super::assess::html_section(&portfolio, &args.attestations, &args.db, today)
    } else {
        None
    };
    let db = if args.no_vulns {
        None
    } else {
        let db = super::db::database(&args.db)?;
        let open = db.open()?;
        if open.is_empty() {
            warning(&format!(
                "no vulnerability database at {}: vulnerabilities were NOT checked; run `ospo db update` (online) or `ospo db import PATH`",
                db.dir().display()
            ));
            None
        } else {
            Some(open)
        }
    };
    let opts = Options {
        today,
        fail_on,
        policy: match &args.policy {
            Some(file) => PolicySource::File(file.clone()),
            None => PolicySource::PerRepository,
        },
        locate: super::licenses::options(&args.sources).locate,
        db: db.as_ref(),
        vex: args.vex.clone(),
    };
    let mut report = ospo_report::check::check(portfolio, &opts);
    if let (Some(known), Some(file)) = (&known, &args.baseline) {
        baseline::apply(&mut report, known, file);
    }
    // The terminal report lists the diagnostics itself.
    if args.format != ReportFormat::Terminal || args.output.is_some() {
        print_diagnostics(&report.diagnostics);
    }
    let extra: Vec<String> = maturity.into_iter().collect();
    emit(
        args.output.as_deref(),
        &render_as(&report, args.format, args.output.is_none(), &extra),
    )?;
    for (format, file) in &also {
        emit(Some(file), &render_as(&report, *format, false, &extra))?;
    }
    Ok(status(&report))
}

/// 2 when something could not be read or the policy is broken, else 1 when a finding is at or
/// above the threshold, else 0.
fn status(report: &CheckReport) -> Status {
    let broken = report.summary.errors > 0
        || report
            .findings
            .iter()
            .any(|r| r.finding.code == ospo_policy::rules::POLICY_INVALID.code);
    if broken {
        Status::Error
    } else if report.passed {
        Status::Clean
    } else {
        Status::Findings
    }
}

/// `--fail-on`: a finding severity, or `never`.
pub fn fail_on(text: &str) -> anyhow::Result<Option<Severity>> {
    Severity::threshold(text).map_err(|e| anyhow::anyhow!("--fail-on: {e}"))
}

/// `--also FORMAT=FILE`.
fn also(text: &str) -> anyhow::Result<(ReportFormat, PathBuf)> {
    use clap::ValueEnum;
    let Some((format, file)) = text.split_once('=') else {
        bail!("--also `{text}`: write it as FORMAT=FILE (sarif=ospo.sarif)");
    };
    let format = ReportFormat::from_str(format, true).map_err(|_| {
        anyhow::anyhow!(
            "--also `{text}`: `{format}` is not terminal, json, sarif, markdown, junit or html"
        )
    })?;
    Ok((format, PathBuf::from(file)))
}

/// The report in a format; the terminal one has colour only on a terminal (`to_stdout`) and
/// never with NO_COLOR; the HTML one ends with the `extra` sections (the maturity assessment).
fn render_as(
    report: &CheckReport,
    format: ReportFormat,
    to_stdout: bool,
    extra: &[String],
) -> String {
    match format {
        ReportFormat::Terminal => {
            use std::io::IsTerminal;
            let colour =
                to_stdout && render::terminal::colour_wanted(std::io::stdout().is_terminal());
            render::terminal::render(report, colour)
        }
        ReportFormat::Json => render::json::render(report),
        ReportFormat::Sarif => render::sarif::render(report),
        ReportFormat::Markdown => render::markdown::render(report),
        ReportFormat::Junit => render::junit::render(report),
        ReportFormat::Html => {
            let mut sections = render::html::sections(report);
            sections.extend(extra.iter().cloned());
            render::html::page(&format!("ospo check {}", report.date), &sections)
        }
    }
}

/// `ospo report`: a saved JSON report in another format; the exit code is the report's.
pub fn report(args: &ReportArgs) -> anyhow::Result<Status> {
    let report = read_report(&args.report)?
        .with_context(|| format!("`{}` is not an ospo check report", args.report.display()))?;
    emit(
        args.output.as_deref(),
        &render_as(&report, args.format, args.output.is_none(), &[]),
    )?;
    Ok(status(&report))
}

/// A JSON check report, or `None` when the file is JSON of another kind or not JSON at all.
fn read_report(path: &Path) -> anyhow::Result<Option<CheckReport>> {
    let bytes = std::fs::read(path).with_context(|| format!("cannot read `{}`", path.display()))?;
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(&bytes) else {
        return Ok(None);
    };
    let schema = value.get("schema").and_then(|s| s.as_str()).unwrap_or("");
    if !schema.starts_with("ospo-check/") {
        return Ok(None);
    }
    if schema != ospo_report::SCHEMA {
        bail!(
            "`{}` is a `{schema}` report; this ospo reads `{}`",
            path.display(),
            ospo_report::SCHEMA
        );
    }
    let report = serde_json::from_value(value)
        .with_context(|| format!("`{}`: not a valid check report", path.display()))?;
    Ok(Some(report))
}

/// One side of a diff: a check report, else the inventory of the file or folder.
fn side(path: &Path) -> anyhow::Result<Side> {
    if path.is_file()
        && let Some(report) = read_report(path)?
    {
        return Ok(Side {
            components: report.components,
            findings: Some(report.findings),
        });
    }
    if !path.exists() {
        bail!("`{}` does not exist", path.display());
    }
    let walk = WalkArgs {
        paths: vec![path.to_path_buf()],
        no_ignore: false,
        follow_links: false,
        max_file_size: 256 * 1024 * 1024,
        threads: 0,
        quiet: true,
        read_only: false,
    };
    let portfolio = scan_with_progress(&walk);
    let errors: Vec<_> = portfolio
        .all_diagnostics()
        .filter(|d| d.level == ospo_model::Level::Error)
        .cloned()
        .collect();
    print_diagnostics(&errors);
    if !errors.is_empty() {
        bail!("`{}` could not be read whole", path.display());
    }
    let mut summary = ospo_report::Summary::default();
    Ok(Side {
        components: ospo_report::count_components(&portfolio, &mut summary),
        findings: None,
    })
}

pub fn diff(args: &DiffArgs) -> anyhow::Result<Status> {
    let (a, b) = (side(&args.a)?, side(&args.b)?);
    let d = diff::compare(&a, &b);
    let text = match args.format {
        DiffFormat::Json => serde_json::to_string_pretty(&d)? + "\n",
        DiffFormat::Text => diff::render_text(&d, false),
        DiffFormat::Markdown => diff::render_text(&d, true),
    };
    emit(args.output.as_deref(), &text)?;
    let new = d.findings.as_ref().is_some_and(|f| !f.new.is_empty());
    Ok(if new { Status::Findings } else { Status::Clean })
}
