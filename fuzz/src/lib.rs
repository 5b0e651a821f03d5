//! Shared bodies of the fuzz targets: feed bytes to one reader of untrusted input. The only
//! failure the fuzzer looks for is a panic (or a hang, or runaway memory).
use std::path::Path;

use ospo_inventory::fs::MemorySource;
use ospo_inventory::{Input, by_id, sample_path};

/// Runs the extractor `id` on `data` under a file name it reads.
pub fn extract(id: &str, data: &[u8]) {
    let Some(ex) = by_id(id) else { return };
    let Some(path) = sample_path(ex) else { return };
    let fs = MemorySource::new();
    let _ = ex.extract(&Input { path: &path, bytes: data, fs: &fs });
}

/// One OSV record (JSON) converted to ospo's advisory.
pub fn osv_record(data: &[u8]) {
    let _ = ospo_vuln::record::parse(data);
}

/// An osv.dev export (`all.zip`): entries checked, inflated under limits, each record parsed.
pub fn osv_archive(data: &[u8]) {
    with_file("all.zip", data, |path| {
        let mut diagnostics = Vec::new();
        let _ = ospo_vuln::source::read_path(
            path,
            &ospo_vuln::source::Limits::default(),
            &mut diagnostics,
            &mut |doc| {
                let _ = ospo_vuln::record::parse(&doc.bytes);
            },
        );
    });
}

/// A store file of the local database, opened and read through (index, ids, records).
pub fn osv_store(data: &[u8]) {
    with_file("crates.io.osvdb", data, |path| {
        let Ok(store) = ospo_vuln::store::StoreFile::open(path) else { return };
        for n in 0..store.record_count().min(1000) {
            let _ = store.id(n);
            let _ = store.read(n);
        }
        let _ = store.lookup("serde");
    });
}

/// An OpenVEX or CycloneDX VEX document.
pub fn vex(data: &[u8]) {
    let _ = ospo_vuln::vex::read(Path::new("fuzz.vex.json"), data);
}

/// A declared licence: expression parsing (strict and lax) and normalisation.
pub fn license_expression(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = ospo_license::expr::parse_strict(text);
    let _ = ospo_license::expr::parse_lax(text, None);
    let _ = ospo_license::normalise::normalise(text);
}

/// A file's text through licence and copyright detection.
pub fn license_text(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = ospo_license::Detector::new().detect(Path::new("LICENSE"), &text);
}

/// A policy file (`ospo.toml`): validated with every error placed, then loaded.
pub fn policy(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let _ = ospo_policy::load_str(Path::new("/nonexistent/ospo.toml"), text);
}

/// A check report read back (a baseline, a side of `ospo diff`, `ospo report`): as a baseline,
/// and as a report that is rendered in every format.
pub fn check_report(data: &[u8]) {
    let _ = ospo_report::baseline::parse("baseline.json", data);
    if let Ok(report) = serde_json::from_slice::<ospo_report::CheckReport>(data) {
        use ospo_report::render;
        let _ = render::terminal::render(&report, true);
        let _ = render::markdown::render(&report);
        let _ = render::junit::render(&report);
        let _ = render::html::render(&report);
        let _ = render::sarif::render(&report);
    }
}

/// An attestation file (`ospo-attestations.toml`), against the built-in frameworks.
pub fn attestations(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(catalogue) = ospo_maturity::framework::Catalogue::builtin() else { return };
    let today = time::Date::from_calendar_date(2026, time::Month::June, 1).unwrap_or(time::Date::MIN);
    let _ = ospo_maturity::attest::load_str(Path::new("ospo-attestations.toml"), text, &catalogue, today);
}

/// A framework file, beside the built-in mindmap it refers to.
pub fn framework(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mindmap = ospo_maturity::framework::EMBEDDED
        .iter()
        .find(|(name, _)| name.ends_with("mindmap.toml"))
        .map_or("", |(_, t)| *t);
    let _ = ospo_maturity::framework::Catalogue::load(&[("mindmap.toml", mindmap), ("fuzz.toml", text)]);
}

/// A `.mailmap` and a repository URL, as the health checks read them.
pub fn health_identities(data: &[u8]) {
    let text = String::from_utf8_lossy(data);
    let _ = ospo_health::Mailmap::parse(&text);
    let _ = ospo_health::upstream::normalise(&text);
}

fn with_file(name: &str, data: &[u8], f: impl FnOnce(&Path)) {
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join(name);
    if std::fs::write(&path, data).is_ok() {
        f(&path);
    }
}
