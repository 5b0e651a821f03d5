//! Projects, repositories and portfolios: how components are grouped.

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
        // Edges share their purls with the components: the same pointer is the same string,
        // decided without comparing the text.
        let cmp = |a: &Edge, b: &Edge| {
            shared_cmp(&a.from, &b.from).then_with(|| shared_cmp(&a.to, &b.to))
        };
        if !self.edges.windows(2).all(|w| cmp(&w[0], &w[1]).is_lt()) {
            self.edges.sort_by(cmp);
            self.edges.dedup_by(|a, b| cmp(a, b).is_eq());
        }
    }
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
