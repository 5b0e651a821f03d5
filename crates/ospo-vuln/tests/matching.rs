//! Matching over the real advisories of the shared data: for a sample of records, a version inside
//! each range matches, and the boundary versions behave exactly as the record says.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

mod common;

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use common::osv_data;
use ospo_model::{Component, Ecosystem, Portfolio, Project, Repository};
use ospo_vuln::matching::{Certainty, match_portfolio};
use ospo_vuln::{Database, OpenDatabase};

/// The shared exports imported once for every test here.
fn database() -> Option<&'static OpenDatabase> {
    static DB: OnceLock<Option<OpenDatabase>> = OnceLock::new();
    DB.get_or_init(|| {
        let osv = osv_data()?;
        let dir = tempfile::tempdir().unwrap().keep();
        let db = Database::at(dir);
        db.import(&[osv], &common::options()).unwrap();
        Some(db.open().unwrap())
    })
    .as_ref()
}

fn project(path: &str, components: Vec<Component>) -> Project {
    Project {
        extractor: "test".into(),
        ecosystem: Ecosystem::Generic,
        path: PathBuf::from(path),
        manifest: None,
        components,
        edges: Vec::new(),
    }
}

fn portfolio(components: Vec<Component>) -> Portfolio {
    let mut p = Portfolio::default();
    p.repositories.push(Repository {
        name: "test".into(),
        path: PathBuf::from("test"),
        projects: vec![project("bench.cdx.json", components)],
        diagnostics: Vec::new(),
    });
    p
}

/// One probe: this version of this package must (or must not) be reported under this id.
#[derive(Debug)]
struct Probe {
    ecosystem: Ecosystem,
    name: String,
    version: String,
    id: String,
    affected: bool,
    why: &'static str,
}

/// Probes from records with one affected entry holding one range of plain events, read with
/// Python-free JSON parsing of the raw zip (independent of ospo's record reader).
fn probes(osv: &Path, every: usize) -> Vec<Probe> {
    let mut out = Vec::new();
    for eco_dir in [
        "crates.io",
        "PyPI",
        "Go",
        "npm",
        "Maven",
        "Packagist",
        "RubyGems",
    ] {
        let ecosystem = Ecosystem::from_osv_name(eco_dir).unwrap();
        let file = std::fs::File::open(osv.join(eco_dir).join("all.zip")).unwrap();
        let mut zip = zip::ZipArchive::new(file).unwrap();
        let mut names: Vec<String> = zip.file_names().map(str::to_owned).collect();
        names.sort();
        for name in names.iter().step_by(every) {
            let mut text = String::new();
            zip.by_name(name)
                .unwrap()
                .read_to_string(&mut text)
                .unwrap();
            let rec: serde_json::Value = serde_json::from_str(&text).unwrap();
            if rec.get("withdrawn").is_some() {
                continue;
            }
            let affected = rec["affected"].as_array().unwrap();
            // Keep it unambiguous: one entry for the package in the whole record.
            if affected.len() != 1 {
                continue;
            }
            let a = &affected[0];
            let pkg = a["package"]["name"].as_str().unwrap().to_owned();
            if pkg == "stdlib" || pkg == "toolchain" {
                continue;
            }
            let ranges: Vec<&serde_json::Value> = a["ranges"]
                .as_array()
                .map(|r| r.iter().filter(|r| r["type"] != "GIT").collect())
                .unwrap_or_default();
            let listed: Vec<&str> = a["versions"]
                .as_array()
                .map(|v| v.iter().filter_map(|v| v.as_str()).collect())
                .unwrap_or_default();
            let id = rec["id"].as_str().unwrap().to_owned();
            let go = |v: &str| {
                if ecosystem == Ecosystem::Go {
                    format!("v{v}")
                } else {
                    v.to_owned()
                }
            };
            let mut push = |version: String, affected: bool, why| {
                out.push(Probe {
                    ecosystem,
                    name: pkg.clone(),
                    version,
                    id: id.clone(),
                    affected,
                    why,
                })
            };
            if ranges.len() == 1 {
                let events = ranges[0]["events"].as_array().unwrap();
                for e in events {
                    if let Some(v) = e.get("introduced").and_then(|v| v.as_str())
                        && v != "0"
                    {
                        push(go(v), true, "introduced is inclusive");
                    }
                    if let Some(v) = e.get("last_affected").and_then(|v| v.as_str()) {
                        push(go(v), true, "last_affected is inclusive");
                    }
                    if let Some(v) = e.get("fixed").and_then(|v| v.as_str()) {
                        // The fixed version is clean unless the record also lists it.
                        if !listed.contains(&v) {
                            push(go(v), false, "fixed is exclusive");
                        }
                    }
                }
            }
            if let Some(v) = listed.first() {
                push(go(v), true, "listed in versions");
            }
        }
    }
    out
}

#[test]
fn sampled_records_match_inside_and_at_their_boundaries() {
    let (Some(osv), Some(db)) = (osv_data(), database()) else {
        return;
    };
    let probes = probes(&osv, 3);
    assert!(probes.len() > 1000, "only {} probes", probes.len());
    let components: Vec<Component> = probes
        .iter()
        .map(|p| Component::new(p.ecosystem, &p.name, Some(&p.version)).unwrap())
        .collect();
    // One project per probe, so each probe's result is its own.
    let mut portfolio = portfolio(Vec::new());
    let repo = &mut portfolio.repositories[0];
    repo.projects.clear();
    for (i, c) in components.into_iter().enumerate() {
        repo.projects.push(project(&format!("p{i:06}"), vec![c]));
    }
    let report = match_portfolio(&portfolio, db);
    assert!(report.diagnostics.is_empty(), "{:#?}", report.diagnostics);
    let mut found: BTreeMap<&str, Vec<&ospo_vuln::matching::VulnFinding>> = BTreeMap::new();
    for f in &report.findings {
        found.entry(f.project.as_str()).or_default().push(f);
    }
    let mut wrong = Vec::new();
    let mut by_eco: BTreeMap<&str, usize> = BTreeMap::new();
    for (i, probe) in probes.iter().enumerate() {
        let key = format!("p{i:06}");
        let hit = found.get(key.as_str()).is_some_and(|fs| {
            fs.iter()
                .any(|f| f.certainty == Certainty::Affected && f.ids().any(|id| id == probe.id))
        });
        *by_eco.entry(probe.ecosystem.osv_name()).or_default() += 1;
        if hit != probe.affected {
            wrong.push(format!(
                "{} {}@{} {} ({}): expected {}",
                probe.ecosystem,
                probe.name,
                probe.version,
                probe.id,
                probe.why,
                if probe.affected {
                    "affected"
                } else {
                    "not affected"
                }
            ));
        }
    }
    eprintln!("probes per ecosystem: {by_eco:?}");
    assert!(
        wrong.is_empty(),
        "{} of {} probes wrong:\n{}",
        wrong.len(),
        probes.len(),
        wrong.join("\n")
    );
}

#[test]
fn aliases_merge_into_one_finding_and_withdrawn_records_are_ignored() {
    let Some(db) = database() else { return };
    // time 0.1.43 is hit by RUSTSEC-2020-0071 (alias CVE-2020-26235, GHSA-wcg3-cvx6-7396).
    let report = match_portfolio(
        &portfolio(vec![
            Component::new(Ecosystem::CratesIo, "time", Some("0.1.43")).unwrap(),
        ]),
        db,
    );
    let hits: Vec<_> = report
        .findings
        .iter()
        .filter(|f| f.ids().any(|id| id == "CVE-2020-26235"))
        .collect();
    assert_eq!(hits.len(), 1, "{:#?}", report.findings);
    assert_eq!(hits[0].id, "RUSTSEC-2020-0071");
    assert!(hits[0].aliases.contains(&"GHSA-wcg3-cvx6-7396".to_owned()));
    // The record's ranges leave 0.2.0–0.2.6 unaffected (RustSec's "patched: >= 0.2.23, unaffected
    // 0.2.0..0.2.7"), so the smallest upgrade is 0.2.0, not the newest fix.
    assert_eq!(hits[0].upgrade.as_deref(), Some("0.2.0"));
    assert!(hits[0].fixed.contains(&"0.2.23".to_owned()));
    assert_eq!(
        hits[0].rated.severity,
        ospo_vuln::severity::Severity::Medium
    );
    let clean = match_portfolio(
        &portfolio(vec![
            Component::new(Ecosystem::CratesIo, "time", Some("0.2.23")).unwrap(),
        ]),
        db,
    );
    assert!(clean.findings.iter().all(|f| f.id != "RUSTSEC-2020-0071"));
}
