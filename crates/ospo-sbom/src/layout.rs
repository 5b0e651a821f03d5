//! The shape both writers share: the portfolio's repositories and projects, each project's
//! components (merged by purl and sorted) with a document-wide unique reference, and the edges
//! each project records, resolved to those references.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet};

use ospo_model::{Component, Portfolio, Relationship};

pub(crate) struct Layout<'a> {
    /// The document's name.
    pub name: String,
    pub repositories: Vec<RepoNode<'a>>,
}

pub(crate) struct RepoNode<'a> {
    pub name: &'a str,
    pub projects: Vec<ProjectNode<'a>>,
}

pub(crate) struct ProjectNode<'a> {
    /// `path` (one repository) or `repository/path` (several): unique in the document.
    pub id: String,
    pub project: &'a ospo_model::Project,
    pub components: Vec<Occurrence<'a>>,
    /// (from, to) indexes into `components`, sorted, deduplicated.
    pub edges: Vec<(usize, usize)>,
}

pub(crate) struct Occurrence<'a> {
    /// Borrowed from the inventory when its project is normalised (one component per purl,
    /// sorted, locations and hashes sorted and unique), as a scan leaves it; merged otherwise.
    pub component: Cow<'a, Component>,
    /// The CycloneDX bom-ref: the purl, or the purl with a `project` qualifier when several
    /// projects have the same purl.
    pub bom_ref: String,
}

impl ProjectNode<'_> {
    /// The components the project itself depends on: its own packages and its direct
    /// dependencies, plus any component nothing else in the project points at (so that every
    /// component is reachable from the project).
    pub fn top_level(&self) -> Vec<usize> {
        let mut pointed = vec![false; self.components.len()];
        for &(_, to) in &self.edges {
            if let Some(p) = pointed.get_mut(to) {
                *p = true;
            }
        }
        self.components
            .iter()
            .enumerate()
            .filter(|(i, o)| {
                matches!(
                    o.component.relationship,
                    Relationship::Root | Relationship::Direct
                ) || !pointed.get(*i).copied().unwrap_or(false)
            })
            .map(|(i, _)| i)
            .collect()
    }
}

pub(crate) fn layout<'a>(portfolio: &'a Portfolio, name: Option<&str>) -> Layout<'a> {
    let several = portfolio.repositories.len() > 1;
    let mut repos: Vec<&ospo_model::Repository> = portfolio.repositories.iter().collect();
    repos.sort_by(|a, b| (&a.name, &a.path).cmp(&(&b.name, &b.path)));

    // How many projects of the whole portfolio have each purl.
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut per_project = Vec::new();
    let mut used_ids = BTreeSet::new();
    for repo in &repos {
        let mut projects: Vec<&ospo_model::Project> = repo.projects.iter().collect();
        projects.sort_by(|a, b| (&a.path, &a.extractor).cmp(&(&b.path, &b.extractor)));
        let mut nodes = Vec::new();
        for project in projects {
            let base = project.path.to_string_lossy().replace('\\', "/");
            let base = if several {
                format!("{}/{base}", repo.name)
            } else {
                base
            };
            let mut id = base.clone();
            let mut n = 2;
            while !used_ids.insert(id.clone()) {
                id = format!("{base}~{n}");
                n += 1;
            }
            let purls: BTreeSet<&str> =
                project.components.iter().map(|c| c.purl.as_str()).collect();
            for purl in purls {
                *counts.entry(purl).or_default() += 1;
            }
            nodes.push((id, project, merged(&project.components)));
        }
        per_project.push((repo.name.as_str(), nodes));
    }

    let repositories = per_project
        .into_iter()
        .map(|(name, nodes)| RepoNode {
            name,
            projects: nodes
                .into_iter()
                .map(|(id, project, merged)| {
                    let components: Vec<Occurrence> = merged
                        .into_iter()
                        .map(|component| {
                            let key = component.purl.as_str();
                            let bom_ref = if counts.get(key).copied().unwrap_or(0) > 1 {
                                component
                                    .purl
                                    .clone()
                                    .with_qualifier("project", &id)
                                    .map_or_else(|_| format!("{key}|{id}"), |p| p.to_string())
                            } else {
                                key.to_owned()
                            };
                            Occurrence { component, bom_ref }
                        })
                        .collect();
                    // Components are sorted by purl: an edge end is found by binary search.
                    let find = |purl: &str| {
                        components
                            .binary_search_by(|o| o.component.purl.as_str().cmp(purl))
                            .ok()
                    };
                    let mut edges: Vec<(usize, usize)> = project
                        .edges
                        .iter()
                        .filter_map(|e| Some((find(&e.from)?, find(&e.to)?)))
                        .filter(|(a, b)| a != b)
                        .collect();
                    edges.sort_unstable();
                    edges.dedup();
                    ProjectNode {
                        id,
                        project,
                        components,
                        edges,
                    }
                })
                .collect(),
        })
        .collect();

    let name = name
        .map(str::to_owned)
        .unwrap_or_else(|| match repos.as_slice() {
            [one] => one.name.clone(),
            _ => "portfolio".to_owned(),
        });
    Layout { name, repositories }
}

/// A project's components, one per purl, sorted by purl, with locations and hashes sorted and
/// unique: borrowed when the project already is so (as a scan leaves it), merged otherwise.
fn merged(components: &[Component]) -> Vec<Cow<'_, Component>> {
    let tidy = |c: &Component| {
        c.locations.windows(2).all(|w| w[0] < w[1]) && c.hashes.windows(2).all(|w| w[0] < w[1])
    };
    let normalised = components
        .windows(2)
        .all(|w| w[0].purl.as_str() < w[1].purl.as_str())
        && components.iter().all(tidy);
    if normalised {
        return components.iter().map(Cow::Borrowed).collect();
    }
    let mut merged: BTreeMap<&str, Component> = BTreeMap::new();
    for c in components {
        match merged.entry(c.purl.as_str()) {
            std::collections::btree_map::Entry::Occupied(mut e) => e.get_mut().merge(c.clone()),
            std::collections::btree_map::Entry::Vacant(e) => {
                e.insert(c.clone());
            }
        }
    }
    merged
        .into_values()
        .map(|mut c| {
            c.locations.sort();
            c.locations.dedup();
            c.hashes.sort();
            c.hashes.dedup();
            Cow::Owned(c)
        })
        .collect()
}

/// The ospo name of a scope / relationship / source kind (as the model serialises them).
pub(crate) fn scope_name(s: ospo_model::Scope) -> &'static str {
    match s {
        ospo_model::Scope::Runtime => "runtime",
        ospo_model::Scope::Dev => "dev",
        ospo_model::Scope::Optional => "optional",
        ospo_model::Scope::Build => "build",
    }
}

pub(crate) fn parse_scope(s: &str) -> Option<ospo_model::Scope> {
    Some(match s {
        "runtime" => ospo_model::Scope::Runtime,
        "dev" => ospo_model::Scope::Dev,
        "optional" => ospo_model::Scope::Optional,
        "build" => ospo_model::Scope::Build,
        _ => return None,
    })
}

pub(crate) fn relationship_name(r: Relationship) -> &'static str {
    match r {
        Relationship::Root => "root",
        Relationship::Direct => "direct",
        Relationship::Transitive => "transitive",
        Relationship::Unknown => "unknown",
    }
}

pub(crate) fn parse_relationship(s: &str) -> Option<Relationship> {
    Some(match s {
        "root" => Relationship::Root,
        "direct" => Relationship::Direct,
        "transitive" => Relationship::Transitive,
        "unknown" => Relationship::Unknown,
        _ => return None,
    })
}

pub(crate) fn source_kind(s: &ospo_model::Source) -> Option<&'static str> {
    Some(match s {
        ospo_model::Source::Registry { .. } => "registry",
        ospo_model::Source::Git { .. } => "git",
        ospo_model::Source::Path { .. } => "path",
        ospo_model::Source::Url { .. } => "url",
        ospo_model::Source::Unknown => return None,
    })
}

/// `path:line` of a location.
pub(crate) fn location_text(l: &ospo_model::Location) -> String {
    let path = l.path.to_string_lossy().replace('\\', "/");
    match l.line {
        Some(line) => format!("{path}:{line}"),
        None => path,
    }
}
