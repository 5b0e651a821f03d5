//! Projects, repositories and portfolios: how components are grouped.

use std::collections::HashMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::{Component, Diagnostic, Ecosystem, Edge, Level};

/// One manifest/lockfile pair (or one installed environment, or one SBOM) and what it holds.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Project {
    /// The extractor that read it.
    pub extractor: String,
    pub ecosystem: Ecosystem,
    /// The primary file (the lockfile where there is one), relative to the repository root.
    pub path: PathBuf,
    /// The manifest read beside it, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub manifest: Option<PathBuf>,
    /// Components, sorted by purl, one per purl.
    pub components: Vec<Component>,
    /// Dependency edges, sorted, where the file records them.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub edges: Vec<Edge>,
}

impl Project {
    /// Merges components with the same purl and sorts components and edges (locations and hashes
    /// sorted and unique), so that output is deterministic whatever order files were read in.
    pub fn normalise(&mut self) {
        fn key(c: &Component) -> &str {
            c.purl.as_str()
        }
        // Many lockfiles list their packages in purl order already: then nothing moves.
        if !self.components.windows(2).all(|w| key(&w[0]) < key(&w[1])) {
            // Sort positions by key (ties in file order), then merge runs with the same key:
            // no component is moved more than once.
            // The keys sit beside their positions, so a comparison reads no component.
            let mut keyed: Vec<(&str, usize)> = self.components.iter().map(key).zip(0..).collect();
            // Stable, and quick on the long sorted runs lockfiles have.
            keyed.sort_by(|a, b| a.0.cmp(b.0));
            let order: Vec<usize> = keyed.into_iter().map(|(_, i)| i).collect();
            let mut slots: Vec<Option<Component>> = self.components.drain(..).map(Some).collect();
            let mut merged: Vec<Component> = Vec::with_capacity(slots.len());
            for i in order {
                let Some(c) = slots.get_mut(i).and_then(Option::take) else {
                    continue;
                };
                match merged.last_mut() {
                    Some(last) if key(last) == key(&c) => last.merge(c),
                    _ => merged.push(c),
                }
            }
            self.components = merged;
        }
        for c in &mut self.components {
            if c.locations.len() > 1 {
                c.locations.sort();
                c.locations.dedup();
            }
            if c.hashes.len() > 1 {
                c.hashes.sort();
                c.hashes.dedup();
            }
        }
        sort_edges(&mut self.edges, &self.components);
    }
}

/// Sorts edges by their purls' text, one edge per pair, given the project's components sorted
/// and unique by purl.
fn sort_edges(edges: &mut Vec<Edge>, components: &[Component]) {
    // Edges share their purls with the components: the same pointer is the same string,
    // decided without comparing the text.
    let cmp =
        |a: &Edge, b: &Edge| shared_cmp(&a.from, &b.from).then_with(|| shared_cmp(&a.to, &b.to));
    if edges.windows(2).all(|w| cmp(&w[0], &w[1]).is_lt()) {
        return;
    }
    match ranked(edges, components) {
        Some(mut keys) => {
            // One integer per edge: sorting them moves 8 bytes where a comparison sort of the
            // edges moved two shared strings, and compares no text.
            keys.sort_unstable();
            let mut slots: Vec<Option<Edge>> = edges.drain(..).map(Some).collect();
            let mut last = None;
            for key in keys {
                let pair = key >> INDEX_BITS;
                if last == Some(pair) {
                    continue;
                }
                last = Some(pair);
                let index = usize::try_from(key & ((1 << INDEX_BITS) - 1)).unwrap_or(usize::MAX);
                if let Some(edge) = slots.get_mut(index).and_then(Option::take) {
                    edges.push(edge);
                }
            }
        }
        None => {
            edges.sort_by(cmp);
            edges.dedup_by(|a, b| cmp(a, b).is_eq());
        }
    }
}

const RANK_BITS: u32 = 20;
const INDEX_BITS: u32 = 64 - 2 * RANK_BITS;

/// Each edge as one integer, `(rank of from, rank of to, index)`, when every edge names two of
/// the components by their shared purls (the ranks are positions in purl order, so the integers
/// sort as the texts do); `None` when one does not, or the project is too large to pack.
fn ranked(edges: &[Edge], components: &[Component]) -> Option<Vec<u64>> {
    if components.len() >= 1 << RANK_BITS || edges.len() >= 1 << INDEX_BITS {
        return None;
    }
    // By the text's address: shared purls are one allocation.
    let address = |s: &str| s.as_ptr() as usize;
    let mut rank: HashMap<usize, u64, foldhash::fast::FixedState> =
        HashMap::with_capacity_and_hasher(components.len(), Default::default());
    for (r, c) in (0u64..).zip(components) {
        rank.insert(address(c.purl.as_str()), r);
    }
    // A purl not shared (an edge to a sighting of a package that was merged into another) is
    // found by its text.
    let of = |purl: &str| {
        rank.get(&address(purl)).copied().or_else(|| {
            let r = components.binary_search_by(|c| c.purl.as_str().cmp(purl));
            r.ok().and_then(|r| u64::try_from(r).ok())
        })
    };
    edges
        .iter()
        .zip(0u64..)
        .map(|(e, i)| Some(of(&e.from)? << (RANK_BITS + INDEX_BITS) | of(&e.to)? << INDEX_BITS | i))
        .collect()
}

/// Order of two shared strings, equal at once when they are one string.
fn shared_cmp(a: &std::sync::Arc<str>, b: &std::sync::Arc<str>) -> std::cmp::Ordering {
    if std::sync::Arc::ptr_eq(a, b) {
        std::cmp::Ordering::Equal
    } else {
        a.cmp(b)
    }
}

/// A repository (a folder with `.git`, or the scanned folder itself) and its projects.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Repository {
    /// A short name (the folder name).
    pub name: String,
    /// The path as given on the command line, joined with the repository's place under it.
    pub path: PathBuf,
    pub projects: Vec<Project>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

impl Repository {
    /// Every component of every project.
    pub fn components(&self) -> impl Iterator<Item = &Component> {
        self.projects.iter().flat_map(|p| p.components.iter())
    }
}

/// The result of one scan: every repository found under the paths given.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Portfolio {
    pub repositories: Vec<Repository>,
    /// Diagnostics that belong to no repository (a path that does not exist).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub diagnostics: Vec<Diagnostic>,
}

impl Portfolio {
    /// Every diagnostic, from the portfolio and its repositories.
    pub fn all_diagnostics(&self) -> impl Iterator<Item = &Diagnostic> {
        self.diagnostics
            .iter()
            .chain(self.repositories.iter().flat_map(|r| r.diagnostics.iter()))
    }

    /// Whether anything could not be read.
    pub fn has_errors(&self) -> bool {
        self.all_diagnostics().any(|d| d.level == Level::Error)
    }

    /// Number of components, counted per project.
    pub fn component_count(&self) -> usize {
        self.repositories
            .iter()
            .map(|r| r.components().count())
            .sum()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    fn component(name: &str) -> Component {
        Component::new(Ecosystem::Npm, name, Some("1.0.0")).expect("a valid name")
    }

    proptest::proptest! {
        /// Edges come out sorted by their purls' text and unique, whether their purls are the
        /// components' own (ranked), copies of them (a sighting merged into another), or purls no
        /// component has (compared as text): the same as sorting the texts.
        #[test]
        fn edges_sort_as_their_texts(
            names in proptest::collection::btree_set("[a-e]{1,3}", 1..12),
            picks in proptest::collection::vec((0usize..16, 0usize..16, 0u8..3, 0u8..3), 0..60),
        ) {
            let components: Vec<Component> = names.iter().map(|n| component(n)).collect();
            let purl = |i: usize, how: u8| -> Arc<str> {
                match (components.get(i), how) {
                    (Some(c), 0) => c.key(),
                    (Some(c), 1) => Arc::from(c.purl.as_str()),
                    _ => Arc::from(format!("pkg:npm/zz{i}@1").as_str()),
                }
            };
            let edges: Vec<Edge> = picks
                .iter()
                .map(|&(f, t, hf, ht)| Edge { from: purl(f, hf), to: purl(t, ht) })
                .collect();
            let mut want: Vec<(String, String)> =
                edges.iter().map(|e| (e.from.to_string(), e.to.to_string())).collect();
            want.sort();
            want.dedup();
            let mut project = Project {
                extractor: "x".into(),
                ecosystem: Ecosystem::Npm,
                path: PathBuf::from("package-lock.json"),
                manifest: None,
                components,
                edges,
            };
            project.normalise();
            let got: Vec<(String, String)> =
                project.edges.iter().map(|e| (e.from.to_string(), e.to.to_string())).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    /// Every edge between the project's components, some through copies of their purls: ranked,
    /// not left to the comparison sort.
    #[test]
    fn edges_between_components_are_ranked() {
        let components: Vec<Component> = ["a", "b", "c"].into_iter().map(component).collect();
        let copy = Arc::<str>::from(components[2].purl.as_str());
        let edges = vec![
            Edge {
                from: components[2].key(),
                to: components[0].key(),
            },
            Edge {
                from: components[0].key(),
                to: copy,
            },
        ];
        let keys = ranked(&edges, &components).expect("every purl is a component's");
        // (rank of from, rank of to, index), packed 20 + 20 + 24 bits.
        assert_eq!(keys, [2 << 44, (2 << 24) | 1]);
        let dangling = vec![Edge {
            from: components[0].key(),
            to: Arc::from("pkg:npm/zz@1"),
        }];
        assert!(ranked(&dangling, &components).is_none());
    }
}
