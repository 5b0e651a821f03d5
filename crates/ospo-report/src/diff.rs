//! `ospo diff A B`: what changed between two reports or inventories — components added, removed
//! or changed (the same package at other versions), findings new and fixed (by fingerprint).
//! Either side is a check report (components and findings) or an inventory (an SBOM, a scan:
//! components only; findings are compared only when both sides have them).

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::{ComponentRef, Reported};

/// The version of the JSON diff document.
pub const DIFF_SCHEMA: &str = "ospo-diff/1";

/// One side of a comparison.
#[derive(Clone, Debug, Default)]
pub struct Side {
    pub components: Vec<ComponentRef>,
    /// `None`: an inventory, which has no findings.
    pub findings: Option<Vec<Reported>>,
}

/// A package present on both sides at other versions.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Changed {
    pub repository: String,
    /// The package's purl without a version.
    pub package: String,
    pub from: Vec<String>,
    pub to: Vec<String>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ComponentChanges {
    pub added: Vec<ComponentRef>,
    pub removed: Vec<ComponentRef>,
    pub changed: Vec<Changed>,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FindingChanges {
    /// In B, not in A.
    pub new: Vec<Reported>,
    /// In A, not in B.
    pub fixed: Vec<Reported>,
}

/// The comparison, sorted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Diff {
    pub schema: String,
    pub components: ComponentChanges,
    /// `None` when a side has no findings (an inventory).
    pub findings: Option<FindingChanges>,
}

impl Diff {
    pub fn is_empty(&self) -> bool {
        let c = &self.components;
        c.added.is_empty()
            && c.removed.is_empty()
            && c.changed.is_empty()
            && self
                .findings
                .as_ref()
                .is_none_or(|f| f.new.is_empty() && f.fixed.is_empty())
    }
}

/// `(repository, package without version)` → versions (`""` for none).
fn packages(components: &[ComponentRef]) -> BTreeMap<(String, String), BTreeSet<String>> {
    let mut out: BTreeMap<(String, String), BTreeSet<String>> = BTreeMap::new();
    for c in components {
        let (package, version) = match c.purl.parse::<ospo_model::Purl>() {
            Ok(p) => (
                p.without_version().as_str().to_owned(),
                p.version().unwrap_or_default().to_owned(),
            ),
            Err(_) => (c.purl.clone(), String::new()),
        };
        out.entry((c.repository.clone(), package))
            .or_default()
            .insert(version);
    }
    out
}

/// Compares A with B. When each side holds one repository, their names are not compared (an
/// SBOM of a release against a scan of the work tree).
pub fn compare(a: &Side, b: &Side) -> Diff {
    let only = |s: &Side| {
        let names: BTreeSet<&str> = s.components.iter().map(|c| c.repository.as_str()).collect();
        (names.len() == 1).then(|| names.into_iter().next().unwrap_or_default().to_owned())
    };
    let renamed;
    let a_components = match (only(a), only(b)) {
        (Some(na), Some(nb)) if na != nb => {
            renamed = a
                .components
                .iter()
                .map(|c| ComponentRef {
                    repository: nb.clone(),
                    purl: c.purl.clone(),
                })
                .collect::<Vec<_>>();
            &renamed
        }
        _ => &a.components,
    };
    let (pa, pb) = (packages(a_components), packages(&b.components));
    let mut components = ComponentChanges::default();
    let at = |repo: &str, package: &str, version: &str| ComponentRef {
        repository: repo.to_owned(),
        purl: if version.is_empty() {
            package.to_owned()
        } else {
            format!("{package}@{version}")
        },
    };
    for ((repo, package), versions) in &pa {
        match pb.get(&(repo.clone(), package.clone())) {
            None => components
                .removed
                .extend(versions.iter().map(|v| at(repo, package, v))),
            Some(other) if other != versions => components.changed.push(Changed {
                repository: repo.clone(),
                package: package.clone(),
                from: versions.iter().cloned().collect(),
                to: other.iter().cloned().collect(),
            }),
            Some(_) => {}
        }
    }
    for ((repo, package), versions) in &pb {
        if !pa.contains_key(&(repo.clone(), package.clone())) {
            components
                .added
                .extend(versions.iter().map(|v| at(repo, package, v)));
        }
    }
    components.added.sort();
    components.removed.sort();
    components.changed.sort();
    let findings = match (&a.findings, &b.findings) {
        (Some(fa), Some(fb)) => {
            let ka: BTreeSet<&str> = fa.iter().map(|r| r.fingerprint.as_str()).collect();
            let kb: BTreeSet<&str> = fb.iter().map(|r| r.fingerprint.as_str()).collect();
            let mut new: Vec<Reported> = fb
                .iter()
                .filter(|r| !ka.contains(r.fingerprint.as_str()))
                .cloned()
                .collect();
            let mut fixed: Vec<Reported> = fa
                .iter()
                .filter(|r| !kb.contains(r.fingerprint.as_str()))
                .cloned()
                .collect();
            new.sort_by(|x, y| x.finding.cmp(&y.finding));
            fixed.sort_by(|x, y| x.finding.cmp(&y.finding));
            Some(FindingChanges { new, fixed })
        }
        _ => None,
    };
    Diff {
        schema: DIFF_SCHEMA.to_owned(),
        components,
        findings,
    }
}

/// The diff as text (`markdown`: as a pull-request comment).
pub fn render_text(d: &Diff, markdown: bool) -> String {
    let mut out = String::new();
    let c = &d.components;
    let (bullet, code) = if markdown { ("- ", "`") } else { ("  ", "") };
    let mut section = |title: &str, lines: Vec<String>| {
        if lines.is_empty() {
            return;
        }
        if markdown {
            out.push_str(&format!("### {title} ({})\n\n", lines.len()));
        } else {
            out.push_str(&format!("{title} ({}):\n", lines.len()));
        }
        for l in lines {
            out.push_str(bullet);
            out.push_str(&l);
            out.push('\n');
        }
        out.push('\n');
    };
    let comp = |r: &ComponentRef| format!("{code}{}{code} in {}", r.purl, r.repository);
    section("Components added", c.added.iter().map(comp).collect());
    section("Components removed", c.removed.iter().map(comp).collect());
    section(
        "Components changed",
        c.changed
            .iter()
            .map(|x| {
                format!(
                    "{code}{}{code} in {}: {} → {}",
                    x.package,
                    x.repository,
                    x.from.join(", "),
                    x.to.join(", ")
                )
            })
            .collect(),
    );
    let finding = |r: &Reported| {
        let f = &r.finding;
        let place = f
            .location
            .as_ref()
            .map(|l| format!(" at {l}"))
            .unwrap_or_default();
        format!(
            "{} {code}{}{code}{place}: {}",
            f.severity, f.code, f.message
        )
    };
    match &d.findings {
        Some(f) => {
            section("New findings", f.new.iter().map(finding).collect());
            section("Fixed findings", f.fixed.iter().map(finding).collect());
        }
        None => {
            out.push_str("Findings not compared: a side is an inventory, not a check report.\n")
        }
    }
    if d.is_empty() {
        out.push_str("No differences.\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use ospo_policy::Finding;

    fn comp(repo: &str, purl: &str) -> ComponentRef {
        ComponentRef {
            repository: repo.into(),
            purl: purl.into(),
        }
    }

    #[test]
    fn components_added_removed_changed_and_findings_new_fixed() {
        let old = Reported::new(Finding::new("ban-denied", "left-pad is banned"));
        let kept = Reported::new(Finding::new("license-unknown", "x has no licence"));
        let new = Reported::new(Finding::new("vulnerability-high", "GHSA-1 in y"));
        let a = Side {
            components: vec![
                comp("web", "pkg:npm/left-pad@1.3.0"),
                comp("web", "pkg:npm/lodash@4.17.20"),
                comp("web", "pkg:npm/react@18.2.0"),
            ],
            findings: Some(vec![old.clone(), kept.clone()]),
        };
        let b = Side {
            components: vec![
                comp("web", "pkg:npm/lodash@4.17.21"),
                comp("web", "pkg:npm/react@18.2.0"),
                comp("web", "pkg:npm/%40types/node@20.1.0"),
            ],
            findings: Some(vec![kept, new.clone()]),
        };
        let d = compare(&a, &b);
        assert_eq!(
            d.components.added,
            [comp("web", "pkg:npm/%40types/node@20.1.0")]
        );
        assert_eq!(
            d.components.removed,
            [comp("web", "pkg:npm/left-pad@1.3.0")]
        );
        assert_eq!(
            d.components.changed,
            [Changed {
                repository: "web".into(),
                package: "pkg:npm/lodash".into(),
                from: vec!["4.17.20".into()],
                to: vec!["4.17.21".into()],
            }]
        );
        let f = d.findings.as_ref().unwrap();
        assert_eq!(f.new, [new]);
        assert_eq!(f.fixed, [old]);
        let text = render_text(&d, false);
        assert!(
            text.contains("pkg:npm/lodash in web: 4.17.20 → 4.17.21"),
            "{text}"
        );
        assert!(compare(&a, &a).is_empty());
        assert!(render_text(&compare(&a, &a), true).contains("No differences."));
        // An inventory on one side: findings are not compared.
        let inv = Side {
            components: b.components.clone(),
            findings: None,
        };
        assert!(compare(&a, &inv).findings.is_none());
        // One repository on each side: the names are not compared.
        let sbom = Side {
            components: vec![comp("app.cdx.json", "pkg:npm/react@18.2.0")],
            findings: None,
        };
        let scan = Side {
            components: vec![comp("app", "pkg:npm/react@18.2.0")],
            findings: None,
        };
        assert!(compare(&sbom, &scan).is_empty());
    }
}
