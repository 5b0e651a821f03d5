//! `ospo scan`: the inventory of every path given.

use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use ospo_model::{Portfolio, Relationship, Scope};

use ospo_vuln::matching::MatchReport;

use super::{Status, sbom, vulns};
use crate::cli::{SbomFormat, ScanArgs, ScanFormat};
use crate::json::ObjectWriter;
use crate::output::{discard, emit, emit_with, report_diagnostics, scan_with_progress};

/// The version of the JSON inventory document; bumped on any incompatible change.
pub const INVENTORY_SCHEMA: &str = "ospo-inventory/1";

pub fn run(args: &ScanArgs) -> anyhow::Result<Status> {
    let threshold = vulns::threshold(&args.vulns.fail_on)?;
    let portfolio = scan_with_progress(&args.walk);
    let had_errors = report_diagnostics(&portfolio);
    let report = if args.no_vulns || args.walk.read_only {
        None
    } else {
        vulns::check(&portfolio, &args.vulns, &args.walk.paths, false)?
    };
    let out = args.output.as_deref();
    match args.format {
        ScanFormat::Table => {
            let mut text = table(&portfolio);
            if let Some(report) = &report {
                text.push_str("\n\n");
                text.push_str(&vulns::table(report));
            }
            emit(out, &text)?;
        }
        ScanFormat::Json => emit_with(out, |w| {
            // The inventory document: `ospo-inventory/1` (docs/schemas in the README), written
            // field by field so that repositories render on every core.
            let mut doc = ObjectWriter::new(w)?;
            doc.field("schema", INVENTORY_SCHEMA)?;
            doc.field("tool", "ospo")?;
            doc.field("version", env!("CARGO_PKG_VERSION"))?;
            doc.par_array("repositories", &portfolio.repositories)?;
            if !portfolio.diagnostics.is_empty() {
                doc.field("diagnostics", &portfolio.diagnostics)?;
            }
            if let Some(report) = &report {
                doc.field("vulnerabilities", report)?;
            }
            Ok(doc.end()?)
        })?,
        ScanFormat::CyclonedxJson => emit(
            out,
            &sbom::render(&portfolio, SbomFormat::CyclonedxJson, None, false)?,
        )?,
        ScanFormat::SpdxJson => emit(
            out,
            &sbom::render(&portfolio, SbomFormat::SpdxJson, None, false)?,
        )?,
        ScanFormat::SpdxTagValue => emit(
            out,
            &sbom::render(&portfolio, SbomFormat::SpdxTagValue, None, false)?,
        )?,
    }
    let status = exit_status(report.as_ref(), threshold, had_errors);
    discard(portfolio);
    Ok(status)
}

fn exit_status(
    report: Option<&MatchReport>,
    threshold: Option<ospo_vuln::severity::Severity>,
    had_errors: bool,
) -> Status {
    match report {
        Some(report) => vulns::status(report, threshold, had_errors),
        None if had_errors => Status::Error,
        None => Status::Clean,
    }
}

fn scope(s: Scope) -> &'static str {
    match s {
        Scope::Runtime => "runtime",
        Scope::Dev => "dev",
        Scope::Optional => "optional",
        Scope::Build => "build",
    }
}

fn relationship(r: Relationship) -> &'static str {
    match r {
        Relationship::Root => "root",
        Relationship::Direct => "direct",
        Relationship::Transitive => "transitive",
        Relationship::Unknown => "unknown",
    }
}

fn table(portfolio: &Portfolio) -> String {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED).set_header([
        "repository",
        "name",
        "version",
        "ecosystem",
        "scope",
        "relation",
        "declared in",
    ]);
    let mut projects = 0;
    for repo in &portfolio.repositories {
        for project in &repo.projects {
            projects += 1;
            for c in &project.components {
                let place = c
                    .locations
                    .first()
                    .map_or_else(String::new, |l| match l.line {
                        Some(line) => format!("{}:{line}", l.path.display()),
                        None => l.path.display().to_string(),
                    });
                table.add_row([
                    repo.name.as_str(),
                    c.name.as_str(),
                    c.version.as_deref().unwrap_or("-"),
                    c.ecosystem.osv_name(),
                    scope(c.scope),
                    relationship(c.relationship),
                    place.as_str(),
                ]);
            }
        }
    }
    format!(
        "{table}\n{} component(s) in {projects} project(s) of {} repositor{}",
        portfolio.component_count(),
        portfolio.repositories.len(),
        if portfolio.repositories.len() == 1 {
            "y"
        } else {
            "ies"
        }
    )
}
