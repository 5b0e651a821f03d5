//! The licence report of a scanned portfolio: for every component of every project, its
//! declared licences (raw and normalised), the licences detected in its files, the concluded
//! licence, class, flags, chosen side and obligations; each project's own licence; and findings
//! (stable kebab-case codes, a severity and a risk category) for what needs attention.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use ospo_model::{
    Component, Diagnostic, Ecosystem, Level, Location, Portfolio, Relationship, Scope,
};
use rayon::prelude::*;
use serde::Serialize;

use crate::classes::{self, Class, Obligation};
use crate::compat::{self, Verdict};
use crate::conclude::{self, Basis, Detected};
use crate::detect::{Detector, SPDX_LIST_VERSION};
use crate::expr::{self, Expr};
use crate::locate::{self, FoundFile, LocateOptions, Place};
use crate::normalise::{self, Normalised};
use crate::own;

/// How a run reads.
#[derive(Clone, Debug, Default)]
pub struct Options {
    /// Caches and limits; `cargo_home`/`go_mod_cache` `None` keeps the caches out.
    pub locate: LocateOptions,
    /// Which side of an `OR` to take (default: the least demanding class).
    pub preference: classes::Preference,
    /// What the licences of some packages really are (the policy's live clarifications); the
    /// first that covers a component decides its concluded licence.
    pub clarify: Vec<Clarification>,
}

/// A package's licence as a person has established it.
#[derive(Clone, Debug)]
pub struct Clarification {
    /// The package; without a version it covers every version ([`ospo_model::Purl::covers`]).
    pub package: ospo_model::Purl,
    pub expression: Expr,
    /// The caller's tag, reported back in [`ComponentLicense::clarified_by`].
    pub tag: usize,
}

/// How serious a finding is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Severity {
    Error,
    Warning,
    Info,
}

pub use ospo_model::RiskCategory;

/// Every finding code this module emits: code, severity, category, what it means. Codes are
/// stable and never renamed (a policy refers to them).
pub const CODES: &[(&str, Severity, RiskCategory, &str)] = &[
    (
        "license-incompatible",
        Severity::Error,
        RiskCategory::Dependency,
        "A dependency's licence cannot be combined with the project's own licence (a permissive project linking a strong copyleft library, GPL-2.0-only with Apache-2.0, …).",
    ),
    (
        "license-restricted",
        Severity::Error,
        RiskCategory::Dependency,
        "A dependency's licence is not open source (source-available, non-commercial, proprietary): its terms restrict use.",
    ),
    (
        "license-unknown",
        Severity::Warning,
        RiskCategory::Dependency,
        "Nothing says what a dependency is licensed under: no declared licence ospo could read and no licence text found (NOASSERTION).",
    ),
    (
        "license-unresolved",
        Severity::Warning,
        RiskCategory::Dependency,
        "A declared licence could not be normalised to SPDX (an ambiguous name like `BSD` or `GPL`, an unknown name or URL); the raw text and the reason are given.",
    ),
    (
        "license-expression-invalid",
        Severity::Warning,
        RiskCategory::Dependency,
        "A declared licence looks like an SPDX expression but is not a valid one.",
    ),
    (
        "license-mismatch",
        Severity::Warning,
        RiskCategory::Dependency,
        "The licence a dependency declares and the licence texts in its files disagree; the declared one is used.",
    ),
    (
        "license-review",
        Severity::Info,
        RiskCategory::Dependency,
        "ospo cannot tell whether a dependency's licence fits the project's (an unclassified licence, two different copyleft licences): review by hand.",
    ),
    (
        "license-caveat",
        Severity::Info,
        RiskCategory::Dependency,
        "A dependency's licence fits the project's under a condition (weak copyleft kept a separate, replaceable part; the \"or later\" option taken).",
    ),
    (
        "license-project-undeclared",
        Severity::Warning,
        RiskCategory::Codebase,
        "The project declares no licence and has no licence file: its code is all rights reserved.",
    ),
    (
        "license-project-unresolved",
        Severity::Warning,
        RiskCategory::Codebase,
        "The licence the project's own manifest declares could not be normalised to SPDX.",
    ),
    (
        "license-project-mismatch",
        Severity::Warning,
        RiskCategory::Codebase,
        "The licence the project's manifest declares and its licence files disagree.",
    ),
];

/// A finding: something about licences that needs attention.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub code: &'static str,
    pub severity: Severity,
    pub category: RiskCategory,
    pub repository: String,
    /// The project's primary file (or folder), relative to the repository.
    pub project: PathBuf,
    /// The component, for findings about a dependency.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub purl: Option<String>,
    /// Where the licence was declared (or the component was found).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub source: Option<String>,
}

fn finding(code: &'static str) -> (Severity, RiskCategory) {
    CODES
        .iter()
        .find(|c| c.0 == code)
        .map_or((Severity::Warning, RiskCategory::Dependency), |c| {
            (c.1, c.2)
        })
}

/// A declared licence and where it was declared.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Declared {
    #[serde(flatten)]
    pub license: Normalised,
    /// The file that declares it (relative to the repository; absolute in a cache).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub file: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub line: Option<u32>,
}

/// What is known about the licence of one component.
#[derive(Clone, Debug, Serialize)]
pub struct ComponentLicense {
    pub purl: String,
    pub name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    pub ecosystem: Ecosystem,
    pub scope: Scope,
    pub relationship: Relationship,
    /// Where the inventory found the component (its primary location).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    pub declared: Vec<Declared>,
    /// The declared licences as one SPDX expression.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub declared_spdx: Option<String>,
    pub detected: Vec<Detected>,
    /// The concluded licence, or `NOASSERTION`.
    pub concluded: String,
    pub basis: Basis,
    pub class: Class,
    /// Every licence of the chosen side is OSI approved / FSF libre.
    pub osi: bool,
    pub fsf: bool,
    /// The side of each `OR` taken (the least demanding class; ties to the first written).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub chosen: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub declined: Vec<String>,
    pub obligations: Vec<Obligation>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copyrights: Vec<String>,
    /// Folders its files were read from.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub folders: Vec<Folder>,
    /// Finding codes about this component.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub problems: Vec<&'static str>,
    /// The tag of the [`Clarification`] that decided the licence.
    #[serde(skip)]
    pub clarified_by: Option<usize>,
    /// The licence and notice files read (for the notices file), not serialised.
    #[serde(skip)]
    pub files: Vec<FoundFile>,
    #[serde(skip)]
    pub expr: Option<Expr>,
    #[serde(skip)]
    pub chosen_expr: Option<Expr>,
}

/// A folder a component's files were read from.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Folder {
    pub path: PathBuf,
    pub place: Place,
}

/// The licence of a project's own code.
#[derive(Clone, Debug, Serialize)]
pub struct OwnLicense {
    /// The folder its manifests and licence files were read from, relative to the repository.
    pub folder: PathBuf,
    pub declared: Vec<Declared>,
    pub detected: Vec<Detected>,
    pub concluded: String,
    pub basis: Basis,
    pub class: Class,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub copyrights: Vec<String>,
    #[serde(skip)]
    pub expr: Option<Expr>,
}

/// One project (lockfile, manifest or installed environment).
#[derive(Clone, Debug, Serialize)]
pub struct ProjectLicenses {
    pub path: PathBuf,
    pub extractor: String,
    pub ecosystem: Ecosystem,
    pub own: OwnLicense,
    pub components: Vec<ComponentLicense>,
}

#[derive(Clone, Debug, Serialize)]
pub struct RepositoryLicenses {
    pub name: String,
    pub path: PathBuf,
    pub projects: Vec<ProjectLicenses>,
}

/// Counts over the whole report.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub components: usize,
    /// Components with a concluded licence.
    pub concluded: usize,
    /// Components without one (NOASSERTION).
    pub noassertion: usize,
    pub by_class: BTreeMap<Class, usize>,
    pub findings: BTreeMap<&'static str, usize>,
}

/// The whole report.
#[derive(Clone, Debug, Serialize)]
pub struct LicenseReport {
    pub spdx_list_version: &'static str,
    pub summary: Summary,
    pub repositories: Vec<RepositoryLicenses>,
    /// Sorted by repository, project, component and code.
    pub findings: Vec<Finding>,
    /// What could not be read or parsed (invalid expressions among them).
    pub diagnostics: Vec<Diagnostic>,
}

impl LicenseReport {
    /// Every component of every project.
    pub fn components(&self) -> impl Iterator<Item = &ComponentLicense> {
        self.repositories
            .iter()
            .flat_map(|r| r.projects.iter())
            .flat_map(|p| p.components.iter())
    }
}

/// Copyright lines in a text, for attribution when the detector gives none: lines that start
/// (after comment markers) with "Copyright" and a year, `(c)` or `©`, or with `©`. Template
/// lines ("Copyright [yyyy] [name of copyright owner]") are skipped.
pub fn copyright_lines(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for line in text.lines().take(5000) {
        let t = line
            .trim()
            .trim_start_matches(['#', '*', '/', ';', '-', '!', ' ', '\t']);
        let lower = t.to_lowercase();
        let after = lower
            .strip_prefix("copyright")
            .map(str::trim_start)
            .or_else(|| lower.strip_prefix('©').map(|_| "©"));
        let Some(after) = after else { continue };
        let ok = after.starts_with("(c)")
            || after.starts_with('©')
            || after.starts_with(|c: char| c.is_ascii_digit());
        if !ok || t.contains("[yyyy]") || t.contains("{yyyy}") || t.contains("<year>") {
            continue;
        }
        let s: String = t.split_whitespace().collect::<Vec<_>>().join(" ");
        let s: String = s.chars().take(200).collect();
        if !out.contains(&s) {
            out.push(s);
        }
    }
    out
}

/// What the detector and the copyright scan find in a set of files.
fn detect_files(
    detector: &Detector,
    files: &[FoundFile],
    repo: &Path,
) -> (Vec<Detected>, Vec<String>) {
    let mut detected = Vec::new();
    let mut copyrights: Vec<String> = Vec::new();
    for f in files {
        let found = detector.detect(&f.path, &f.text);
        let shown = f.path.strip_prefix(repo).unwrap_or(&f.path).to_path_buf();
        for m in found.licenses {
            detected.push(Detected {
                expression: m.expression,
                file: shown.clone(),
                confidence: m.confidence,
                kind: m.kind,
                start_line: m.start_line,
                end_line: m.end_line,
            });
        }
        let from_detector = found.copyrights.into_iter().map(|c| c.statement);
        for c in from_detector.chain(copyright_lines(&f.text)) {
            if !copyrights.contains(&c) {
                copyrights.push(c);
            }
        }
    }
    (detected, copyrights)
}

/// Builds the report for a scanned portfolio.
pub fn analyse(portfolio: &Portfolio, opts: &Options, detector: &Detector) -> LicenseReport {
    let mut findings = Vec::new();
    let mut diagnostics = Vec::new();
    let mut repositories = Vec::new();
    for repo in &portfolio.repositories {
        let mut owns: HashMap<PathBuf, OwnLicense> = HashMap::new();
        let mut projects = Vec::new();
        for project in &repo.projects {
            let folder = if repo.path.join(&project.path).is_dir() {
                project.path.clone()
            } else {
                project.path.parent().unwrap_or(Path::new("")).to_path_buf()
            };
            let own = owns
                .entry(folder.clone())
                .or_insert_with(|| own_license(&repo.path, &folder, opts, detector))
                .clone();
            let components: Vec<ComponentLicense> = project
                .components
                .par_iter()
                .map(|c| component(&repo.path, c, &own, opts, detector))
                .collect();
            let mut out = ProjectLicenses {
                path: project.path.clone(),
                extractor: project.extractor.clone(),
                ecosystem: project.ecosystem,
                own,
                components,
            };
            check_project(&repo.name, &mut out, &mut findings, &mut diagnostics);
            projects.push(out);
        }
        repositories.push(RepositoryLicenses {
            name: repo.name.clone(),
            path: repo.path.clone(),
            projects,
        });
    }
    findings.sort_by(|a: &Finding, b: &Finding| {
        (&a.repository, &a.project, &a.purl, a.code, &a.message).cmp(&(
            &b.repository,
            &b.project,
            &b.purl,
            b.code,
            &b.message,
        ))
    });
    findings.dedup();
    diagnostics.sort();
    diagnostics.dedup();
    let mut summary = Summary::default();
    for c in repositories
        .iter()
        .flat_map(|r: &RepositoryLicenses| r.projects.iter())
        .flat_map(|p| p.components.iter())
    {
        summary.components += 1;
        if c.basis == Basis::None {
            summary.noassertion += 1;
        } else {
            summary.concluded += 1;
        }
        *summary.by_class.entry(c.class).or_default() += 1;
    }
    for f in &findings {
        *summary.findings.entry(f.code).or_default() += 1;
    }
    LicenseReport {
        spdx_list_version: SPDX_LIST_VERSION,
        summary,
        repositories,
        findings,
        diagnostics,
    }
}

/// The project's own licence, from its folder, or from the repository root when its folder
/// says nothing (a `scripts/requirements.txt` belongs to the repository's code).
fn own_license(repo: &Path, folder: &Path, opts: &Options, detector: &Detector) -> OwnLicense {
    let here = own_license_in(repo, folder, opts, detector);
    if here.declared.is_empty() && here.detected.is_empty() && !folder.as_os_str().is_empty() {
        let root = own_license_in(repo, Path::new(""), opts, detector);
        if !root.declared.is_empty() || !root.detected.is_empty() {
            return root;
        }
    }
    here
}

fn own_license_in(repo: &Path, folder: &Path, opts: &Options, detector: &Detector) -> OwnLicense {
    let declared: Vec<Declared> = own::declared(repo, folder)
        .into_iter()
        .map(|d| Declared {
            license: normalise::normalise(&d.raw),
            file: Some(d.file),
            line: d.line,
        })
        .collect();
    let files = own::license_files(repo, folder, opts.locate.max_file_size);
    let (detected, copyrights) = detect_files(detector, &files, repo);
    let refs: Vec<&Normalised> = declared.iter().map(|d| &d.license).collect();
    // The project's manifests: a list is read like a Composer list only for composer.json.
    let eco = if declared.iter().all(|d| {
        d.file
            .as_deref()
            .is_some_and(|f| f.ends_with("composer.json"))
    }) {
        Ecosystem::Packagist
    } else {
        Ecosystem::Generic
    };
    let (expr, mut notes) = conclude::combine_declared(eco, &refs);
    let c = conclude::conclude(expr.as_ref(), &detected);
    notes.extend(c.notes.iter().cloned());
    OwnLicense {
        folder: folder.to_path_buf(),
        declared,
        detected,
        concluded: c.text(),
        basis: c.basis,
        class: c
            .expression
            .as_ref()
            .map_or(Class::Unknown, classes::class_of),
        notes,
        copyrights,
        expr: c.expression,
    }
}

fn component(
    repo: &Path,
    c: &Component,
    own: &OwnLicense,
    opts: &Options,
    detector: &Detector,
) -> ComponentLicense {
    let first = c.locations.first();
    let mut declared: Vec<Declared> = c
        .licenses
        .iter()
        .map(|raw| Declared {
            license: normalise::normalise(raw),
            file: first.map(|l| l.path.to_path_buf()),
            line: first.and_then(|l| l.line),
        })
        .collect();
    let mut files = Vec::new();
    let mut folders = Vec::new();
    for pd in locate::package_dirs(repo, c, &opts.locate) {
        let read = locate::read_dir(&pd, &opts.locate);
        for (raw, file) in read.declared {
            if !declared.iter().any(|d| d.license.raw == raw) {
                let shown = file.strip_prefix(repo).unwrap_or(&file).to_path_buf();
                declared.push(Declared {
                    license: normalise::normalise(&raw),
                    file: Some(shown),
                    line: None,
                });
            }
        }
        files.extend(read.files);
        folders.push(Folder {
            path: pd.dir.strip_prefix(repo).unwrap_or(&pd.dir).to_path_buf(),
            place: pd.place,
        });
    }
    let (detected, copyrights) = detect_files(detector, &files, repo);
    let refs: Vec<&Normalised> = declared.iter().map(|d| &d.license).collect();
    let (declared_expr, mut notes) = conclude::combine_declared(c.ecosystem, &refs);
    let mut conclusion = conclude::conclude(declared_expr.as_ref(), &detected);
    let clarification = opts.clarify.iter().find(|k| k.package.covers(&c.purl));
    if let Some(k) = clarification {
        conclusion = conclude::Conclusion {
            expression: Some(k.expression.clone()),
            basis: Basis::Clarified,
            notes: vec![format!(
                "clarified by the policy as {} (was {})",
                k.expression,
                conclusion.text()
            )],
        };
    } else if conclusion.basis == Basis::None && c.relationship == Relationship::Root {
        conclusion.expression.clone_from(&own.expr);
        if conclusion.expression.is_some() {
            conclusion.basis = Basis::Project;
        }
    }
    notes.extend(conclusion.notes.iter().cloned());
    for d in &declared {
        notes.extend(
            d.license
                .notes
                .iter()
                .filter(|n| n.starts_with("deprecated"))
                .cloned(),
        );
    }
    let class = conclusion
        .expression
        .as_ref()
        .map_or(Class::Unknown, classes::class_of);
    let choice = conclusion
        .expression
        .as_ref()
        .map(|e| opts.preference.choose(e));
    let chosen_terms: Vec<&expr::Term> = choice.iter().flat_map(|c| c.chosen.iter()).collect();
    let flag = |f: fn(&classes::LicenseInfo) -> bool| {
        !chosen_terms.is_empty()
            && chosen_terms
                .iter()
                .all(|t| classes::info(&t.id).is_some_and(f))
    };
    let (osi, fsf) = (flag(|i| i.osi), flag(|i| i.fsf));
    let obligations = classes::obligations(chosen_terms.iter().copied())
        .obligations
        .into_iter()
        .collect();
    let chosen_expr = choice.as_ref().and_then(expr::Choice::expression);
    let multiple = conclusion
        .expression
        .as_ref()
        .is_some_and(|e| matches!(e, Expr::Or(_)) || e.terms().len() > 1);
    ComponentLicense {
        purl: c.purl.as_str().to_owned(),
        name: c.name.to_string(),
        version: c.version.as_ref().map(ToString::to_string),
        ecosystem: c.ecosystem,
        scope: c.scope,
        relationship: c.relationship,
        location: first.cloned(),
        declared_spdx: declared_expr.as_ref().map(ToString::to_string),
        declared,
        detected,
        concluded: conclusion.text(),
        basis: conclusion.basis,
        class,
        osi,
        fsf,
        chosen: chosen_expr
            .as_ref()
            .filter(|_| multiple)
            .map(ToString::to_string),
        declined: choice
            .map(|c| c.declined.iter().map(ToString::to_string).collect())
            .unwrap_or_default(),
        obligations,
        notes,
        copyrights,
        folders,
        problems: Vec::new(),
        clarified_by: clarification.map(|k| k.tag),
        files,
        expr: conclusion.expression,
        chosen_expr,
    }
}

impl ComponentLicense {
    /// Where a finding about it points: the first file of the repository that declares a
    /// licence, else where the inventory found it (a file in a package cache outside the
    /// repository — `~/.cargo/registry` — is named in the message, not pointed at: code-scanning
    /// tools place findings only in the repository).
    fn location(&self) -> Option<Location> {
        self.declared
            .iter()
            .find_map(|d| {
                d.file
                    .as_ref()
                    .filter(|f| f.is_relative())
                    .map(|f| Location {
                        path: f.as_path().into(),
                        line: d.line,
                    })
            })
            .or_else(|| self.location.clone())
    }
}

/// The findings of a project, recorded on the components too.
fn check_project(
    repository: &str,
    p: &mut ProjectLicenses,
    findings: &mut Vec<Finding>,
    diagnostics: &mut Vec<Diagnostic>,
) {
    let project_path = p.path.clone();
    let mut push = |code: &'static str,
                    purl: Option<String>,
                    location: Option<Location>,
                    message: String,
                    source: Option<String>| {
        let (severity, category) = finding(code);
        findings.push(Finding {
            code,
            severity,
            category,
            repository: repository.to_owned(),
            project: project_path.clone(),
            purl,
            location,
            message,
            source: source.filter(|s| !s.is_empty()),
        });
    };
    // The project's own licence.
    let own = &p.own;
    let own_location = own.declared.first().and_then(|d| {
        d.file.as_ref().map(|f| Location {
            path: f.as_path().into(),
            line: d.line,
        })
    });
    if own.basis == Basis::None {
        let unresolved: Vec<&Declared> = own
            .declared
            .iter()
            .filter(|d| d.license.spdx.is_none())
            .collect();
        if unresolved.is_empty() {
            push(
                "license-project-undeclared",
                None,
                None,
                format!(
                    "`{}` declares no licence and has no licence file: its code is all rights reserved",
                    display_folder(&own.folder)
                ),
                None,
            );
        }
    }
    for d in own.declared.iter().filter(|d| d.license.spdx.is_none()) {
        push(
            "license-project-unresolved",
            None,
            own_location.clone(),
            format!(
                "the project's licence `{}` could not be read as SPDX: {}",
                d.license.raw,
                d.license.reason.as_deref().unwrap_or("unknown")
            ),
            None,
        );
    }
    if own.basis == Basis::Mismatch {
        push(
            "license-project-mismatch",
            None,
            own_location.clone(),
            own.notes.last().cloned().unwrap_or_default(),
            None,
        );
    }
    let own_expr = own.expr.clone();
    for c in &mut p.components {
        let purl = Some(c.purl.clone());
        let location = c.location();
        let mut codes = Vec::new();
        for d in &c.declared {
            let Some(reason) = &d.license.reason else {
                continue;
            };
            if d.license.invalid_expression {
                codes.push("license-expression-invalid");
                let msg = format!(
                    "`{}` declares the licence `{}`, which is not a valid SPDX expression: {reason}",
                    c.purl, d.license.raw
                );
                if let Some(f) = &d.file {
                    diagnostics.push(Diagnostic::new(
                        Level::Warning,
                        "licenses",
                        f,
                        d.line,
                        msg.clone(),
                    ));
                }
                push(
                    "license-expression-invalid",
                    purl.clone(),
                    location.clone(),
                    msg,
                    None,
                );
            } else if c.declared_spdx.is_none()
                && !reason.starts_with("the licence is the text of a file")
            {
                codes.push("license-unresolved");
                push(
                    "license-unresolved",
                    purl.clone(),
                    location.clone(),
                    format!(
                        "`{}`: the declared licence `{}` was not normalised: {reason}",
                        c.name, d.license.raw
                    ),
                    None,
                );
            }
        }
        if c.basis == Basis::None {
            codes.push("license-unknown");
            push(
                "license-unknown",
                purl.clone(),
                location.clone(),
                format!(
                    "`{}` {}: no licence is known (NOASSERTION)",
                    c.name,
                    c.version.as_deref().unwrap_or("")
                ),
                None,
            );
        }
        if c.basis == Basis::Mismatch {
            codes.push("license-mismatch");
            push(
                "license-mismatch",
                purl.clone(),
                location.clone(),
                format!(
                    "`{}`: {}",
                    c.name,
                    c.notes
                        .iter()
                        .find(|n| n.starts_with("declared"))
                        .cloned()
                        .unwrap_or_default(),
                ),
                // Where the files are (a package cache's path differs from machine to machine:
                // not in the message, which a baseline's fingerprint reads).
                c.folders
                    .first()
                    .map(|f| format!("its files are in `{}`", f.path.display())),
            );
        }
        // Outbound compatibility: only what ships (not dev dependencies, not the project itself).
        if c.relationship != Relationship::Root
            && c.scope != Scope::Dev
            && let Some(dep) = &c.expr
        {
            let v = compat::check(own_expr.as_ref(), dep);
            let code = match v.verdict {
                Verdict::Ok => None,
                Verdict::Caveat => Some("license-caveat"),
                Verdict::Unknown => Some("license-review"),
                Verdict::Restricted => Some("license-restricted"),
                Verdict::Incompatible => Some("license-incompatible"),
            };
            if let Some(code) = code {
                codes.push(code);
                let project_licence = own_expr.as_ref().map_or_else(
                    || "no licence (all rights reserved)".to_owned(),
                    |e| format!("`{e}`"),
                );
                push(
                    code,
                    purl.clone(),
                    location.clone(),
                    format!(
                        "`{}` is under `{}`; the project is under {project_licence}: {}",
                        c.name, v.dependency, v.reason
                    ),
                    Some(v.source),
                );
            }
        }
        codes.sort_unstable();
        codes.dedup();
        c.problems = codes;
    }
}

fn display_folder(p: &Path) -> String {
    if p.as_os_str().is_empty() {
        ".".to_owned()
    } else {
        p.display().to_string()
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn codes_are_unique_and_kebab_case() {
        let mut seen = std::collections::HashSet::new();
        for (code, _, _, doc) in CODES {
            assert!(seen.insert(code), "{code}");
            assert!(code.starts_with("license-"));
            assert!(
                code.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
                "{code}"
            );
            assert!(!doc.is_empty());
        }
    }

    #[test]
    fn copyright_lines_are_found() {
        let text = "MIT License\n\nCopyright (c) 2015 Jane Doe <jane@example.com>\n  Copyright 2016-2020   The Foo Authors\n * © 2021 Acme\nCopyright [yyyy] [name of copyright owner]\nThe above copyright notice and this permission notice\ncopyright holders\n";
        assert_eq!(
            copyright_lines(text),
            [
                "Copyright (c) 2015 Jane Doe <jane@example.com>",
                "Copyright 2016-2020 The Foo Authors",
                "© 2021 Acme"
            ]
        );
    }
}
