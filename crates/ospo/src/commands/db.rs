//! `ospo db`: the offline OSV advisory database.

use std::path::PathBuf;
use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context;
use comfy_table::{Table, presets::UTF8_FULL_CONDENSED};
use ospo_vuln::db::{DEFAULT_ECOSYSTEMS, format_time};
use ospo_vuln::{Database, ImportOptions, ImportReport, source::Limits};

use super::Status;
use crate::cli::{DbArgs, DbCommand, DbLocation, ListFormat};
use crate::output::{emit, print_diagnostics, warning};

pub fn run(args: DbArgs) -> anyhow::Result<Status> {
    let db = database(&args.location)?;
    match args.command {
        DbCommand::Import { paths, quiet } => {
            let report = db.import(&paths, &options(false))?;
            finish(&db, &report, quiet)
        }
        DbCommand::Update {
            mut ecosystems,
            osv_url,
            quiet,
        } => {
            if ecosystems.is_empty() {
                ecosystems = db.stored_ecosystems()?;
            }
            if ecosystems.is_empty() {
                ecosystems = DEFAULT_ECOSYSTEMS.iter().map(|e| (*e).to_owned()).collect();
            }
            let report = db.update(&ecosystems, &osv_url, &options(true))?;
            finish(&db, &report, quiet)
        }
        DbCommand::Status {
            format,
            max_age_days,
        } => status(&db, format, max_age_days),
    }
}

/// The database folder: `--db`/`OSPO_DB`, else the user's cache folder.
pub fn database(location: &DbLocation) -> anyhow::Result<Database> {
    if let Some(dir) = &location.dir {
        return Ok(Database::at(dir));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| std::env::var_os("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .context("no database folder: pass --db DIR or set OSPO_DB")?;
    Ok(Database::at(cache.join("ospo").join("osv")))
}

/// The wall clock in Unix seconds: read here, in the CLI, never inside the libraries.
pub fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

fn options(replace: bool) -> ImportOptions {
    ImportOptions {
        limits: Limits::default(),
        now: format_time(now()),
        replace,
        only: None,
        source_name: None,
    }
}

fn finish(db: &Database, report: &ImportReport, quiet: bool) -> anyhow::Result<Status> {
    print_diagnostics(&report.diagnostics);
    if !quiet {
        let mut table = Table::new();
        table.load_preset(UTF8_FULL_CONDENSED).set_header([
            "ecosystem",
            "advisories",
            "withdrawn",
            "newest record",
        ]);
        let mut rows: Vec<_> = report.ecosystems.iter().collect();
        rows.sort_by_key(|(eco, _)| eco.to_lowercase());
        for (eco, meta) in rows {
            table.add_row([
                eco.clone(),
                meta.records.to_string(),
                meta.withdrawn.to_string(),
                meta.newest_record.clone().unwrap_or_default(),
            ]);
        }
        emit(
            None,
            &format!(
                "{table}\n{} document(s) read, {} rejected, {} without an indexable package; database: {}",
                report.documents,
                report.rejected,
                report.not_indexed,
                db.dir().display()
            ),
        )?;
    }
    Ok(if report.has_errors() {
        Status::Error
    } else {
        Status::Clean
    })
}

fn status(db: &Database, format: ListFormat, max_age_days: i64) -> anyhow::Result<Status> {
    let status = db.status(now(), max_age_days)?;
    let text = match format {
        ListFormat::Json => serde_json::to_string_pretty(&status)?,
        ListFormat::Table | ListFormat::Markdown => {
            let mut table = Table::new();
            if format == ListFormat::Markdown {
                table.load_preset(comfy_table::presets::ASCII_MARKDOWN);
            } else {
                table.load_preset(UTF8_FULL_CONDENSED);
            }
            table.set_header([
                "ecosystem",
                "advisories",
                "withdrawn",
                "packages",
                "newest record",
                "imported",
                "age (days)",
            ]);
            for e in &status.ecosystems {
                table.add_row([
                    e.meta.ecosystem.clone(),
                    e.meta.records.to_string(),
                    e.meta.withdrawn.to_string(),
                    e.packages.to_string(),
                    e.meta.newest_record.clone().unwrap_or_default(),
                    e.meta.written_at.clone(),
                    e.age_days.map_or_else(|| "?".into(), |d| d.to_string()),
                ]);
            }
            format!("{table}\ndatabase: {}", status.path.display())
        }
    };
    emit(None, &text)?;
    print_diagnostics(&status.diagnostics);
    if status.ecosystems.is_empty() {
        warning(&format!(
            "no advisories at {}: run `ospo db update` (online) or `ospo db import PATH`",
            status.path.display()
        ));
        return Ok(Status::Error);
    }
    let stale: Vec<&str> = status
        .ecosystems
        .iter()
        .filter(|e| e.stale)
        .map(|e| e.meta.ecosystem.as_str())
        .collect();
    if !stale.is_empty() {
        warning(&format!(
            "stale (imported more than {max_age_days} days ago): {}; run `ospo db update`",
            stale.join(", ")
        ));
    }
    Ok(if status.diagnostics.is_empty() {
        Status::Clean
    } else {
        Status::Error
    })
}
