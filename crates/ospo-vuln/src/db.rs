//! The advisory database: a folder of per-ecosystem store files, and the operations on it
//! (`import`, `update`, `status`, `open`).
//!
//! Every write builds a complete new file beside the old one and renames it into place, so an
//! interrupted import or download leaves the previous database as it was.

use std::collections::BTreeMap;
use std::io::{self, Read, Write};
use std::path::{Path, PathBuf};
use std::time::Duration;

use ospo_model::{Diagnostic, Level};
use serde::Serialize;

use crate::record;
use crate::source::{self, Document, Limits, ORIGIN};
use crate::store::{self, Meta, StoreError, StoreFile, StoreWriter};

/// osv.dev's bucket of per-ecosystem exports (`<base>/<ecosystem>/all.zip`).
pub const DEFAULT_OSV_URL: &str = "https://osv-vulnerabilities.storage.googleapis.com";

/// The ecosystems `db update` fetches when none are named and the database is empty: those ospo
/// inventories.
pub const DEFAULT_ECOSYSTEMS: &[&str] = &[
    "crates.io",
    "Go",
    "Hex",
    "Maven",
    "npm",
    "NuGet",
    "Packagist",
    "Pub",
    "PyPI",
    "RubyGems",
    "SwiftURL",
];

#[derive(Debug, thiserror::Error)]
pub enum DbError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        #[source]
        source: io::Error,
    },
}

/// How an import treats what is already stored.
#[derive(Clone, Debug)]
pub struct ImportOptions {
    pub limits: Limits,
    /// The time written into the store (RFC 3339); a parameter so tests and reproducible runs
    /// control it.
    pub now: String,
    /// Replace each touched ecosystem wholesale instead of adding to it (what `update` does, so
    /// records withdrawn from the export disappear).
    pub replace: bool,
    /// Only these ecosystems (bases, e.g. `Packagist`); records' other ecosystems are skipped.
    pub only: Option<Vec<String>>,
    /// The source recorded in the store instead of the path (`update` records the URL).
    pub source_name: Option<String>,
}

/// What an import did, per ecosystem, and what it could not take.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    pub documents: u64,
    pub rejected: u64,
    /// Records with no affected package ospo can index (e.g. only `GIT` ranges without a package).
    pub not_indexed: u64,
    pub ecosystems: BTreeMap<String, Meta>,
    pub diagnostics: Vec<Diagnostic>,
}

impl ImportReport {
    pub fn has_errors(&self) -> bool {
        self.diagnostics.iter().any(|d| d.level == Level::Error)
    }
}

/// One ecosystem in `db status`.
#[derive(Debug, Serialize)]
pub struct EcosystemStatus {
    pub file: PathBuf,
    #[serde(flatten)]
    pub meta: Meta,
    pub packages: u64,
    /// Whole days since the file was written, relative to the `now` given to `status`.
    pub age_days: Option<i64>,
    pub stale: bool,
}

#[derive(Debug, Serialize)]
pub struct Status {
    pub path: PathBuf,
    pub ecosystems: Vec<EcosystemStatus>,
    pub diagnostics: Vec<Diagnostic>,
}

/// The advisory database in a folder.
#[derive(Clone, Debug)]
pub struct Database {
    dir: PathBuf,
}

impl Database {
    pub fn at(dir: impl Into<PathBuf>) -> Database {
        Database { dir: dir.into() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The store files present, sorted by name.
    pub fn files(&self) -> Result<Vec<PathBuf>, DbError> {
        let entries = match std::fs::read_dir(&self.dir) {
            Ok(e) => e,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(Vec::new()),
            Err(e) => return Err(self.io(e)),
        };
        let mut files: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| {
                p.extension().is_some_and(|e| e == store::EXTENSION)
                    && !p
                        .file_name()
                        .is_some_and(|n| n.to_string_lossy().starts_with('.'))
            })
            .collect();
        files.sort();
        Ok(files)
    }

    fn io(&self, source: io::Error) -> DbError {
        DbError::Io {
            path: self.dir.clone(),
            source,
        }
    }

    /// Imports OSV records from each path (an `all.zip`, a folder, one JSON file).
    pub fn import(&self, paths: &[PathBuf], opts: &ImportOptions) -> Result<ImportReport, DbError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| self.io(e))?;
        self.remove_leftovers();
        let mut report = ImportReport::default();
        let mut writers: BTreeMap<String, StoreWriter> = BTreeMap::new();
        if let (true, Some(only)) = (opts.replace, &opts.only) {
            for eco in only {
                writers.insert(eco.clone(), StoreWriter::create(&self.dir, eco)?);
            }
        }
        let mut failure: Option<StoreError> = None;
        for path in paths {
            let source_name = opts
                .source_name
                .clone()
                .unwrap_or_else(|| path.display().to_string());
            let mut each = |doc: Document| {
                if failure.is_some() {
                    return;
                }
                report.documents += 1;
                if let Err(e) = self.take(doc, &source_name, opts, &mut writers, &mut report) {
                    failure = Some(e);
                }
            };
            let mut diagnostics = Vec::new();
            if let Err(e) = source::read_path(path, &opts.limits, &mut diagnostics, &mut each) {
                report.diagnostics.push(Diagnostic::new(
                    Level::Error,
                    ORIGIN,
                    path,
                    None,
                    e.to_string(),
                ));
            }
            report.diagnostics.extend(diagnostics);
        }
        if let Some(e) = failure {
            // Writers are dropped without finishing: their scratch files go, the store is untouched.
            return Err(e.into());
        }
        for (eco, mut writer) in writers {
            let target = self.dir.join(store::file_name(&eco));
            if !opts.replace && target.exists() {
                match StoreFile::open(&target) {
                    Ok(old) => writer.keep_from(&old)?,
                    Err(e) => report.diagnostics.push(Diagnostic::new(
                        Level::Warning,
                        ORIGIN,
                        &target,
                        None,
                        format!("the stored {eco} records could not be kept: {e}"),
                    )),
                }
            }
            let meta = writer.finish(&opts.now)?;
            report.ecosystems.insert(eco, meta);
        }
        report.diagnostics.sort();
        Ok(report)
    }

    fn take(
        &self,
        doc: Document,
        source_name: &str,
        opts: &ImportOptions,
        writers: &mut BTreeMap<String, StoreWriter>,
        report: &mut ImportReport,
    ) -> Result<(), StoreError> {
        let converted = match record::parse(&doc.bytes) {
            Ok(c) => c,
            Err(e) => {
                report.rejected += 1;
                report.diagnostics.push(Diagnostic::new(
                    Level::Warning,
                    ORIGIN,
                    doc.origin,
                    None,
                    format!("record rejected: {e}"),
                ));
                return Ok(());
            }
        };
        let advisory = converted.advisory;
        for remark in converted.remarks {
            report.diagnostics.push(Diagnostic::new(
                Level::Warning,
                ORIGIN,
                &doc.origin,
                None,
                format!("{}: {remark}", advisory.id),
            ));
        }
        let mut keys: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for affected in &advisory.affected {
            let base = store::ecosystem_base(&affected.ecosystem);
            if base.is_empty() {
                continue;
            }
            if let Some(only) = &opts.only
                && !only.iter().any(|o| o == base)
            {
                continue;
            }
            keys.entry(base.to_owned())
                .or_default()
                .push(store::package_key(&affected.ecosystem, &affected.name));
        }
        if keys.is_empty() {
            report.not_indexed += 1;
            return Ok(());
        }
        for (eco, keys) in keys {
            let writer = match writers.entry(eco) {
                std::collections::btree_map::Entry::Occupied(o) => o.into_mut(),
                std::collections::btree_map::Entry::Vacant(v) => {
                    let w = StoreWriter::create(&self.dir, v.key())?;
                    v.insert(w)
                }
            };
            writer.add_source(source_name);
            writer.add(&advisory, keys)?;
        }
        Ok(())
    }

    /// Removes scratch files an interrupted run left (older than an hour, so a running import in
    /// another process is not disturbed).
    fn remove_leftovers(&self) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else {
            return;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            let ours = name.starts_with('.')
                && (name.ends_with(".blobs") || name.ends_with(".tmp") || name.ends_with(".part"));
            let old = entry
                .metadata()
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| t.elapsed().ok())
                .is_some_and(|age| age > Duration::from_secs(3600));
            if ours && old {
                let _ = std::fs::remove_file(entry.path());
            }
        }
    }

    /// Downloads each ecosystem's `all.zip` from `base_url` and replaces that ecosystem with it.
    /// A failed or interrupted download leaves that ecosystem as it was and the others go on.
    pub fn update(
        &self,
        ecosystems: &[String],
        base_url: &str,
        opts: &ImportOptions,
    ) -> Result<ImportReport, DbError> {
        std::fs::create_dir_all(&self.dir).map_err(|e| self.io(e))?;
        self.remove_leftovers();
        let mut report = ImportReport::default();
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .timeout_connect(Some(Duration::from_secs(30)))
            .timeout_per_read(Some(Duration::from_secs(60)))
            .user_agent(concat!("ospo/", env!("CARGO_PKG_VERSION")))
            .build()
            .into();
        for eco in ecosystems {
            let url = format!(
                "{}/{}/all.zip",
                base_url.trim_end_matches('/'),
                encode_segment(eco)
            );
            let part = self.dir.join(format!(
                ".{}.{}.part",
                store::file_name(eco),
                std::process::id()
            ));
            let downloaded = download(&agent, &url, &part, opts.limits.max_document * 1024);
            if let Err(why) = downloaded {
                let _ = std::fs::remove_file(&part);
                report.diagnostics.push(Diagnostic::new(
                    Level::Error,
                    "osv-update",
                    &url,
                    None,
                    format!("download failed, the stored {eco} records are unchanged: {why}"),
                ));
                continue;
            }
            let one = ImportOptions {
                replace: true,
                only: Some(vec![eco.clone()]),
                source_name: Some(url.clone()),
                ..opts.clone()
            };
            // A truncated archive has no readable central directory: check before replacing.
            let check = std::fs::File::open(&part)
                .map_err(|e| e.to_string())
                .and_then(|f| {
                    zip::ZipArchive::new(io::BufReader::new(f)).map_err(|e| e.to_string())
                });
            if let Err(why) = check {
                let _ = std::fs::remove_file(&part);
                report.diagnostics.push(Diagnostic::new(
                    Level::Error,
                    "osv-update",
                    &url,
                    None,
                    format!(
                        "not a complete zip archive, the stored {eco} records are unchanged: {why}"
                    ),
                ));
                continue;
            }
            let result = self.import(std::slice::from_ref(&part), &one);
            let _ = std::fs::remove_file(&part);
            let mut got = result?;
            // Diagnostics name the URL, not the scratch file.
            let part_name = part.display().to_string();
            for d in &mut got.diagnostics {
                let shown = d.path.display().to_string();
                if let Some(rest) = shown.strip_prefix(&part_name) {
                    d.path = PathBuf::from(format!("{url}{rest}"));
                }
            }
            report.documents += got.documents;
            report.rejected += got.rejected;
            report.not_indexed += got.not_indexed;
            report.ecosystems.append(&mut got.ecosystems);
            report.diagnostics.append(&mut got.diagnostics);
        }
        report.diagnostics.sort();
        Ok(report)
    }

    /// The ecosystems stored; `now` (Unix seconds) and `max_age_days` decide what is stale.
    pub fn status(&self, now: i64, max_age_days: i64) -> Result<Status, DbError> {
        let mut ecosystems = Vec::new();
        let mut diagnostics = Vec::new();
        for file in self.files()? {
            match StoreFile::open(&file) {
                Ok(f) => {
                    let age_days = parse_time(&f.meta.written_at).map(|t| (now - t) / 86_400);
                    ecosystems.push(EcosystemStatus {
                        file: file.clone(),
                        packages: f.package_count() as u64,
                        stale: age_days.is_none_or(|d| d > max_age_days),
                        age_days,
                        meta: f.meta,
                    });
                }
                Err(e) => diagnostics.push(Diagnostic::new(
                    Level::Error,
                    "osv-db",
                    &file,
                    None,
                    e.to_string(),
                )),
            }
        }
        ecosystems.sort_by_key(|e| (e.meta.ecosystem.to_lowercase(), e.meta.ecosystem.clone()));
        Ok(Status {
            path: self.dir.clone(),
            ecosystems,
            diagnostics,
        })
    }

    /// The ecosystems already stored (what a plain `db update` refreshes).
    pub fn stored_ecosystems(&self) -> Result<Vec<String>, DbError> {
        let mut out = Vec::new();
        for file in self.files()? {
            if let Ok(f) = StoreFile::open(&file) {
                out.push(f.meta.ecosystem);
            }
        }
        out.sort();
        Ok(out)
    }

    /// Opens every store file for matching.
    pub fn open(&self) -> Result<OpenDatabase, DbError> {
        let mut files = BTreeMap::new();
        let mut diagnostics = Vec::new();
        for file in self.files()? {
            match StoreFile::open(&file) {
                Ok(f) => {
                    files.insert(f.meta.ecosystem.clone(), f);
                }
                Err(e) => diagnostics.push(Diagnostic::new(
                    Level::Error,
                    "osv-db",
                    &file,
                    None,
                    e.to_string(),
                )),
            }
        }
        Ok(OpenDatabase { files, diagnostics })
    }
}

/// The store files of a database, opened: headers and indexes in memory.
#[derive(Debug)]
pub struct OpenDatabase {
    pub files: BTreeMap<String, StoreFile>,
    /// Files that could not be opened.
    pub diagnostics: Vec<Diagnostic>,
}

impl OpenDatabase {
    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    pub fn record_count(&self) -> usize {
        self.files.values().map(StoreFile::record_count).sum()
    }
}

fn download(agent: &ureq::Agent, url: &str, to: &Path, max: u64) -> Result<(), String> {
    let response = agent.get(url).call().map_err(|e| e.to_string())?;
    let expected: Option<u64> = response
        .headers()
        .get("content-length")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse().ok());
    let mut reader = response.into_body().into_with_config().limit(max).reader();
    let file = std::fs::File::create(to).map_err(|e| format!("{}: {e}", to.display()))?;
    let mut out = io::BufWriter::new(file);
    let copied = io::copy(&mut reader, &mut out).map_err(|e| format!("interrupted: {e}"))?;
    out.flush().map_err(|e| e.to_string())?;
    if let Some(expected) = expected
        && copied != expected
    {
        return Err(format!("interrupted: got {copied} of {expected} bytes"));
    }
    let mut probe = [0u8; 1];
    if reader.read(&mut probe).map_err(|e| e.to_string())? != 0 {
        return Err(format!("larger than the {max} byte limit"));
    }
    Ok(())
}

/// Percent-encodes one URL path segment (`GitHub Actions` → `GitHub%20Actions`).
fn encode_segment(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// RFC 3339 → Unix seconds.
pub fn parse_time(s: &str) -> Option<i64> {
    time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339)
        .ok()
        .map(|t| t.unix_timestamp())
}

/// Unix seconds → RFC 3339.
pub fn format_time(unix: i64) -> String {
    time::OffsetDateTime::from_unix_timestamp(unix)
        .ok()
        .and_then(|t| {
            t.format(&time::format_description::well_known::Rfc3339)
                .ok()
        })
        .unwrap_or_else(|| "1970-01-01T00:00:00Z".to_owned())
}
