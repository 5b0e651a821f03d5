//! Matching an inventory against the database: each component's package is looked up in its
//! ecosystem's index, each advisory's ranges are evaluated with the ecosystem's own version rules
//! (`ospo-version`), and records that are aliases of each other become one finding per component.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use ospo_model::{Component, Diagnostic, Level, Location, Portfolio, Relationship, Source};
use ospo_version::{Event, ParsedAffected, Range, RangeKind, Scheme, Verdict};
use serde::{Deserialize, Serialize};

use crate::db::OpenDatabase;
use crate::record::{Advisory, AffectedPackage, RangeEvent};
use crate::severity::{Rated, Severity, rate};
use crate::store::{self, StoreFile};

/// Whether an advisory reports a vulnerability or something else worth knowing.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "kind", content = "category")]
pub enum Kind {
    Vulnerability,
    /// RustSec's informational advisories: `unmaintained`, `unsound`, `notice`.
    Informational(String),
}

/// How sure the match is.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case", tag = "verdict", content = "reason")]
pub enum Certainty {
    Affected,
    /// The record's ranges cannot be decided for this version (only `GIT` ranges, a version the
    /// ecosystem's rules cannot read); shown apart, never counted as clean.
    Undecidable(String),
}

/// One vulnerability (all its aliases merged) in one component of one project.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct VulnFinding {
    /// The advisory id shown: the ecosystem database's own where there is one, then GHSA, then CVE.
    pub id: String,
    /// Every other id of the same vulnerability, sorted.
    pub aliases: Vec<String>,
    #[serde(flatten)]
    pub kind: Kind,
    #[serde(flatten)]
    pub certainty: Certainty,
    pub summary: String,
    /// Always `dependency`: a known vulnerability is a risk of what the code depends on.
    pub risk: ospo_model::RiskCategory,
    #[serde(flatten)]
    pub rated: Rated,
    pub repository: String,
    pub project: String,
    pub purl: String,
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    pub locations: Vec<Location>,
    /// Versions that fix it (from the records' `fixed` events), ascending.
    pub fixed: Vec<String>,
    /// The smallest version above this one that fixes every merged record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub upgrade: Option<String>,
    /// Affected functions or imports, where the database lists them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub symbols: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub references: Vec<String>,
    /// Set when a VEX statement or a configured ignore says it does not apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed: Option<Suppression>,
}

/// Why a finding does not count.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Suppression {
    /// `vex` or `ignore`.
    pub by: String,
    /// The VEX document or configuration file.
    pub source: String,
    pub reason: String,
}

impl VulnFinding {
    /// Every id of this finding: the shown one and its aliases.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.id.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    /// Whether it counts towards a `--fail-on` threshold.
    pub fn counts_at(&self, threshold: Severity) -> bool {
        self.suppressed.is_none()
            && self.kind == Kind::Vulnerability
            && self.certainty == Certainty::Affected
            && self.rated.severity >= threshold
    }
}

/// The result of matching: findings sorted (severity, then package, then id) and what could not
/// be checked.
#[derive(Debug, Default, Serialize)]
pub struct MatchReport {
    pub findings: Vec<VulnFinding>,
    /// Components checked against the database.
    pub checked: u64,
    /// Components not checked: the project's own or local path packages, no version, or an
    /// ecosystem the database does not hold.
    pub unchecked: u64,
    pub diagnostics: Vec<Diagnostic>,
}

/// An advisory with each affected entry's ranges parsed once (`None` where ospo has no version
/// ordering for the entry's ecosystem).
struct Loaded {
    advisory: Advisory,
    parsed: Vec<Option<ParsedAffected>>,
    /// Each affected entry's index key, computed once.
    keys: Vec<String>,
}

impl Loaded {
    fn new(advisory: Advisory) -> Loaded {
        let parsed = advisory
            .affected
            .iter()
            .map(|a| {
                Scheme::for_ecosystem(&a.ecosystem)
                    .map(|s| ParsedAffected::new(s, &ranges(a), &a.versions))
            })
            .collect();
        let keys = advisory
            .affected
            .iter()
            .map(|a| store::package_key(&a.ecosystem, &a.name))
            .collect();
        Loaded {
            advisory,
            parsed,
            keys,
        }
    }
}

/// Reads and parses advisories once per run, however many components share them.
struct Cache<'a> {
    db: &'a OpenDatabase,
    records: HashMap<(&'a str, u32), Option<Arc<Loaded>>>,
    diagnostics: Vec<Diagnostic>,
}

impl<'a> Cache<'a> {
    fn advisories(&mut self, file: &'a StoreFile, key: &str) -> Vec<Arc<Loaded>> {
        let eco = file.meta.ecosystem.as_str();
        let mut out = Vec::new();
        for &n in file.lookup(key) {
            let slot =
                self.records
                    .entry((eco, n))
                    .or_insert_with(|| match file.read(n as usize) {
                        Ok(a) => Some(Arc::new(Loaded::new(a))),
                        Err(e) => {
                            self.diagnostics.push(Diagnostic::new(
                                Level::Error,
                                "osv-db",
                                file.path(),
                                None,
                                e.to_string(),
                            ));
                            None
                        }
                    });
            if let Some(a) = slot {
                out.push(Arc::clone(a));
            }
        }
        out
    }
}

/// Matches every versioned component of the portfolio.
pub fn match_portfolio(portfolio: &Portfolio, db: &OpenDatabase) -> MatchReport {
    let mut cache = Cache {
        db,
        records: HashMap::new(),
        diagnostics: Vec::new(),
    };
    let mut report = MatchReport::default();
    for repo in &portfolio.repositories {
        for project in &repo.projects {
            let project_path = project.path.display().to_string();
            for component in &project.components {
                match match_component(component, &mut cache) {
                    None => report.unchecked += 1,
                    Some(found) => {
                        report.checked += 1;
                        for mut f in found {
                            f.repository = repo.name.clone();
                            f.project = project_path.clone();
                            report.findings.push(f);
                        }
                    }
                }
            }
        }
    }
    report.diagnostics = cache.diagnostics;
    sort_findings(&mut report.findings);
    report
}

/// The deterministic order of findings: most severe first, then repository, project, package,
/// version and id.
pub fn sort_findings(findings: &mut [VulnFinding]) {
    findings.sort_by(|a, b| {
        b.rated
            .severity
            .cmp(&a.rated.severity)
            .then_with(|| a.kind.cmp(&b.kind))
            .then_with(|| a.repository.cmp(&b.repository))
            .then_with(|| a.project.cmp(&b.project))
            .then_with(|| a.purl.cmp(&b.purl))
            .then_with(|| a.id.cmp(&b.id))
    });
}

/// One matched record, before aliases are merged.
struct Hit {
    advisory: Arc<Loaded>,
    certainty: Certainty,
    rated: Rated,
    fixed: Vec<String>,
    symbols: Vec<String>,
}

/// The findings for one component, or `None` when it cannot be checked.
fn match_component(component: &Component, cache: &mut Cache<'_>) -> Option<Vec<VulnFinding>> {
    // The project's own code and local path packages are not the registry package of that name
    // (cargo-audit skips them too).
    if component.relationship == Relationship::Root
        || matches!(component.source, Source::Path { .. })
    {
        return None;
    }
    let version = component.version.as_deref().filter(|v| !v.is_empty())?;
    let eco = component.ecosystem.osv_name();
    let file = cache.db.files.get(eco)?;
    let key = store::package_key(eco, &component.name);
    let mut hits = Vec::new();
    // The component's version, read once per scheme.
    let mut read: Vec<(Scheme, Result<ospo_version::Version, String>)> = Vec::new();
    for loaded in cache.advisories(file, &key) {
        let advisory = &loaded.advisory;
        if advisory.withdrawn.is_some() {
            continue;
        }
        let mut best: Option<Hit> = None;
        // The key holds the base ecosystem, so equal keys mean the same ecosystem and package.
        let entries = advisory
            .affected
            .iter()
            .zip(&loaded.parsed)
            .zip(&loaded.keys);
        for ((affected, parsed), _) in entries.filter(|(_, k)| **k == key) {
            let (verdict, fixed) = match parsed {
                Some(p) => {
                    let scheme = p.scheme();
                    let v = match read.iter().find(|(s, _)| *s == scheme) {
                        Some((_, v)) => v.clone(),
                        None => {
                            let v = scheme.parse(version).map_err(|e| e.to_string());
                            read.push((scheme, v.clone()));
                            v
                        }
                    };
                    match v {
                        Ok(v) => {
                            let verdict = p.evaluate(&v);
                            let fixed = p
                                .fixes(&v)
                                .into_iter()
                                .map(|f| f.as_str().to_owned())
                                .collect();
                            (verdict, fixed)
                        }
                        Err(_) if affected.versions.iter().any(|l| l == version) => {
                            (Verdict::Affected, Vec::new())
                        }
                        Err(why) => (Verdict::Undecidable(why), Vec::new()),
                    }
                }
                None => (evaluate_unordered(affected, version), Vec::new()),
            };
            let certainty = match verdict {
                Verdict::Affected => Certainty::Affected,
                Verdict::NotAffected => continue,
                Verdict::Undecidable(why) => Certainty::Undecidable(why),
            };
            let better = best.as_ref().is_none_or(|b| {
                certainty == Certainty::Affected && b.certainty != Certainty::Affected
            });
            if better {
                best = Some(Hit {
                    rated: rate(advisory, Some(affected)),
                    fixed,
                    symbols: affected.symbols.clone(),
                    advisory: Arc::clone(&loaded),
                    certainty,
                });
            }
        }
        hits.extend(best);
    }
    Some(merge(hits, component, version))
}

fn ranges(affected: &AffectedPackage) -> Vec<Range> {
    affected
        .ranges
        .iter()
        .map(|r| Range {
            kind: match r.kind.as_str() {
                "SEMVER" => RangeKind::Semver,
                "ECOSYSTEM" => RangeKind::Ecosystem,
                _ => RangeKind::Git,
            },
            events: r
                .events
                .iter()
                .map(|e| match e {
                    RangeEvent::Introduced(v) => Event::Introduced(v.clone()),
                    RangeEvent::Fixed(v) => Event::Fixed(v.clone()),
                    RangeEvent::LastAffected(v) => Event::LastAffected(v.clone()),
                    RangeEvent::Limit(v) => Event::Limit(v.clone()),
                })
                .collect(),
        })
        .collect()
}

/// An entry of an ecosystem ospo has no version ordering for: only an explicit version list can
/// decide.
fn evaluate_unordered(affected: &AffectedPackage, version: &str) -> Verdict {
    if affected.versions.iter().any(|v| v == version) {
        Verdict::Affected
    } else if affected.ranges.is_empty() {
        Verdict::NotAffected
    } else {
        Verdict::Undecidable(format!(
            "ospo has no version ordering for the {} ecosystem",
            affected.ecosystem
        ))
    }
}

/// How preferred an id is as the one shown: the ecosystem database's own, then GHSA, then CVE.
fn id_rank(id: &str) -> u8 {
    if id.starts_with("GHSA-") {
        1
    } else if id.starts_with("CVE-") {
        2
    } else {
        0
    }
}

/// Merges hits whose ids or aliases overlap into one finding each.
fn merge(hits: Vec<Hit>, component: &Component, version: &str) -> Vec<VulnFinding> {
    // Union-find over hits sharing any id.
    let mut parent: Vec<usize> = (0..hits.len()).collect();
    fn root(parent: &mut [usize], mut i: usize) -> usize {
        while parent[i] != i {
            parent[i] = parent[parent[i]];
            i = parent[i];
        }
        i
    }
    let mut owner: HashMap<&str, usize> = HashMap::new();
    for (i, hit) in hits.iter().enumerate() {
        let a = &hit.advisory.advisory;
        for id in std::iter::once(&a.id).chain(&a.aliases) {
            match owner.get(id.as_str()) {
                Some(&j) => {
                    let (ri, rj) = (root(&mut parent, i), root(&mut parent, j));
                    parent[ri] = rj;
                }
                None => {
                    owner.insert(id.as_str(), i);
                }
            }
        }
    }
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for i in 0..hits.len() {
        let r = root(&mut parent, i);
        groups.entry(r).or_default().push(i);
    }
    let mut out = Vec::with_capacity(groups.len());
    for members in groups.values() {
        let group: Vec<&Hit> = members.iter().map(|&i| &hits[i]).collect();
        let mut record_ids: Vec<&str> = group
            .iter()
            .map(|h| h.advisory.advisory.id.as_str())
            .collect();
        record_ids.sort_by_key(|id| (id_rank(id), *id));
        let id = record_ids[0].to_owned();
        let aliases: BTreeSet<String> = group
            .iter()
            .flat_map(|h| {
                std::iter::once(&h.advisory.advisory.id).chain(&h.advisory.advisory.aliases)
            })
            .filter(|a| **a != id)
            .cloned()
            .collect();
        let shown = group
            .iter()
            .find(|h| h.advisory.advisory.id == id)
            .copied()
            .unwrap_or(group[0]);
        let rated = group
            .iter()
            .map(|h| h.rated.clone())
            .max_by(|a, b| {
                a.severity.cmp(&b.severity).then(
                    a.score
                        .partial_cmp(&b.score)
                        .unwrap_or(std::cmp::Ordering::Equal),
                )
            })
            .unwrap_or_else(|| shown.rated.clone());
        let certainty = if group.iter().any(|h| h.certainty == Certainty::Affected) {
            Certainty::Affected
        } else {
            shown.certainty.clone()
        };
        // Informational only when every merged record is.
        let kind = match &shown.advisory.advisory.informational {
            Some(cat)
                if group
                    .iter()
                    .all(|h| h.advisory.advisory.informational.is_some()) =>
            {
                Kind::Informational(cat.clone())
            }
            _ => Kind::Vulnerability,
        };
        let mut fixed: Vec<String> = Vec::new();
        for h in &group {
            for f in &h.fixed {
                if !fixed.contains(f) {
                    fixed.push(f.clone());
                }
            }
        }
        // The upgrade must fix every merged record: the largest of their smallest fixes.
        let upgrade = upgrade_for(&group, component);
        let mut symbols: Vec<String> = group.iter().flat_map(|h| h.symbols.clone()).collect();
        symbols.sort();
        symbols.dedup();
        let mut references: Vec<String> = shown
            .advisory
            .advisory
            .references
            .iter()
            .filter(|r| matches!(r.kind.as_deref(), Some("ADVISORY") | Some("WEB") | None))
            .map(|r| r.url.clone())
            .take(3)
            .collect();
        references.dedup();
        let summary = if shown.advisory.advisory.summary.is_empty() {
            group
                .iter()
                .map(|h| h.advisory.advisory.summary.as_str())
                .find(|s| !s.is_empty())
                .unwrap_or_else(|| first_line(&shown.advisory.advisory.details))
                .to_owned()
        } else {
            shown.advisory.advisory.summary.clone()
        };
        fixed = sort_versions(component, fixed);
        out.push(VulnFinding {
            id,
            aliases: aliases.into_iter().collect(),
            kind,
            certainty,
            summary,
            risk: ospo_model::RiskCategory::Dependency,
            rated,
            repository: String::new(),
            project: String::new(),
            purl: component.purl.as_str().to_owned(),
            ecosystem: component.ecosystem.osv_name().to_owned(),
            name: component.name.to_string(),
            version: version.to_owned(),
            locations: component.locations.clone(),
            fixed,
            upgrade,
            symbols,
            references,
            suppressed: None,
        });
    }
    out
}

fn first_line(s: &str) -> &str {
    s.lines()
        .find(|l| !l.trim().is_empty())
        .unwrap_or("")
        .trim()
}

fn sort_versions(component: &Component, versions: Vec<String>) -> Vec<String> {
    let Some(scheme) = Scheme::for_ecosystem(component.ecosystem.osv_name()) else {
        return versions;
    };
    // Readable versions in the scheme's order (a sort that tolerates Maven's cycles), then the
    // rest as written.
    let (mut parsed, mut rest): (Vec<_>, Vec<_>) = (Vec::new(), Vec::new());
    for v in versions {
        match scheme.parse(&v) {
            Ok(p) => parsed.push(p),
            Err(_) => rest.push(v),
        }
    }
    ospo_version::sort_versions(&mut parsed);
    rest.sort();
    parsed
        .into_iter()
        .map(|v| v.as_str().to_owned())
        .chain(rest)
        .collect()
}

fn upgrade_for(group: &[&Hit], component: &Component) -> Option<String> {
    let scheme = Scheme::for_ecosystem(component.ecosystem.osv_name())?;
    let mut best: Option<(ospo_version::Version, String)> = None;
    for h in group {
        // A record with no fix gives no upgrade for the whole group.
        let first = h.fixed.first()?;
        let parsed = scheme.parse(first).ok()?;
        if best.as_ref().is_none_or(|(b, _)| parsed > *b) {
            best = Some((parsed, first.clone()));
        }
    }
    best.map(|(_, s)| s)
}
