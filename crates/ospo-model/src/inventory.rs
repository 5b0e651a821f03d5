//! Projects, repositories and portfolios: how components are grouped.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::Arc;

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
            // Sort positions by key (ties in file order), then merge runs with the same key.
            // The keys sit beside their positions, so a comparison reads no component; and
            // beside each, the eight bytes after the prefix all keys share (`pkg:npm/`), so
            // most comparisons are one of two integers.
            let shared = shared_prefix(self.components.iter().map(key));
            let mut keyed: Vec<(u64, &str, usize)> = self
                .components
                .iter()
                .zip(0..)
                .map(|(c, i)| (eight_after(key(c), shared), key(c), i))
                .collect();
            // Stable, and quick on the long sorted runs lockfiles have.
            keyed.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.cmp(b.1)));
            let order: Vec<usize> = keyed.into_iter().map(|(_, _, i)| i).collect();
            permute(&mut self.components, &order);
            self.components.dedup_by(|later, kept| {
                let same = key(later) == key(kept);
                if same {
                    kept.merge_from(later);
                }
                same
            });
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

/// How many leading bytes all of `keys` share. Each key is compared only as far as the prefix
/// shared so far: after the first few, a few bytes (`pkg:npm/`), not the whole key.
fn shared_prefix<'k>(mut keys: impl Iterator<Item = &'k str>) -> usize {
    let Some(first) = keys.next().map(str::as_bytes) else {
        return 0;
    };
    keys.fold(first.len(), |shared, k| {
        common_prefix(&first[..shared], k.as_bytes())
    })
}

/// How many leading bytes `a` and `b` share.
fn common_prefix(a: &[u8], b: &[u8]) -> usize {
    a.iter().zip(b).take_while(|(x, y)| x == y).count()
}

/// The eight bytes of `s` from `at` as a big-endian integer, zeros past its end. For strings
/// that share their first `at` bytes, a smaller integer is a smaller string (a string that ends
/// is padded with zeros, which no byte is below), and equal integers leave the strings to
/// compare.
fn eight_after(s: &str, at: usize) -> u64 {
    let mut eight = [0u8; 8];
    for (e, b) in eight.iter_mut().zip(s.as_bytes().iter().skip(at)) {
        *e = *b;
    }
    u64::from_be_bytes(eight)
}

/// Puts `items[order[i]]` at `i` for every `i` (`order` a permutation of the indexes), in place:
/// each cycle of the permutation is followed with swaps, so an item (a component is a few hundred
/// bytes) moves about once and no second vector is allocated. Leaves `items` as it is when
/// `order` is not a permutation of its indexes.
fn permute<T>(items: &mut [T], order: &[usize]) {
    let n = items.len();
    // Every index once: each marked pending, then cleared as its place is filled.
    let mut pending = vec![false; n];
    if order.len() != n
        || !order
            .iter()
            .all(|&i| i < n && !std::mem::replace(&mut pending[i], true))
    {
        return;
    }
    for start in 0..n {
        let mut at = start;
        while pending[at] {
            pending[at] = false;
            let from = order[at];
            if from == start {
                break;
            }
            items.swap(at, from);
            at = from;
        }
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
            // Put in order in place as the components are; of the edges of one pair, the first
            // in the file stays.
            let order: Vec<usize> = keys
                .iter()
                .map(|key| usize::try_from(key & ((1 << INDEX_BITS) - 1)).unwrap_or(usize::MAX))
                .collect();
            permute(edges, &order);
            edges.dedup_by(|later, kept| cmp(later, kept).is_eq());
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
    // A lockfile lists a package's dependencies together: the edges before share `from`, and
    // its rank is looked up once for the run.
    let mut last_from: Option<(&Arc<str>, u64)> = None;
    edges
        .iter()
        .zip(0u64..)
        .map(|(e, i)| {
            let from = match last_from {
                Some((f, r)) if Arc::ptr_eq(f, &e.from) => r,
                _ => {
                    let r = of(&e.from)?;
                    last_from = Some((&e.from, r));
                    r
                }
            };
            Some(from << (RANK_BITS + INDEX_BITS) | of(&e.to)? << INDEX_BITS | i)
        })
        .collect()
}

/// Order of two shared strings, equal at once when they are one string.
fn shared_cmp(a: &Arc<str>, b: &Arc<str>) -> std::cmp::Ordering {
    if Arc::ptr_eq(a, b) {
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
    use crate::{Relationship, Scope, Source};
    use proptest::prelude::Strategy;
    use std::path::Path;
    use std::sync::Arc;

    fn component(name: &str) -> Component {
        Component::new(Ecosystem::Npm, name, Some("1.0.0")).expect("a valid name")
    }

    /// An npm project of `components` and `edges`, normalised.
    fn normalised(components: Vec<Component>, edges: Vec<Edge>) -> Project {
        let mut project = Project {
            extractor: "x".into(),
            ecosystem: Ecosystem::Npm,
            path: PathBuf::from("package-lock.json"),
            manifest: None,
            components,
            edges,
        };
        project.normalise();
        project
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
            let project = normalised(components, edges);
            let got: Vec<(String, String)> =
                project.edges.iter().map(|e| (e.from.to_string(), e.to.to_string())).collect();
            proptest::prop_assert_eq!(got, want);
        }
    }

    proptest::proptest! {
        /// `permute` puts `items[order[i]]` at `i`, and leaves the items alone when `order` is no
        /// permutation of their indexes.
        #[test]
        fn permute_gathers(
            order in (0usize..40).prop_flat_map(|n| proptest::strategy::Just((0..n).collect::<Vec<_>>()).prop_shuffle()),
            broken in proptest::option::of((0usize..40, 0usize..45)),
        ) {
            let items: Vec<usize> = (100..100 + order.len()).collect();
            let mut order = order;
            let mut got = items.clone();
            match broken {
                Some((at, to)) if at < order.len() && order[at] != to => {
                    order[at] = to;
                    permute(&mut got, &order);
                    proptest::prop_assert_eq!(got, items);
                }
                _ => {
                    permute(&mut got, &order);
                    let want: Vec<usize> = order.iter().map(|&i| items[i]).collect();
                    proptest::prop_assert_eq!(got, want);
                }
            }
        }

        /// Strings that share a prefix sort by (the eight bytes after it, the string) as they
        /// sort by the string alone, zero bytes and strings that end early included.
        #[test]
        fn eight_after_orders_as_the_strings(
            prefix in "[a-z:/]{0,10}",
            rests in proptest::collection::vec("[a\x00b%/]{0,12}", 1..30),
        ) {
            let strings: Vec<String> = rests.iter().map(|r| format!("{prefix}{r}")).collect();
            let shared = shared_prefix(strings.iter().map(String::as_str));
            proptest::prop_assert!(shared >= prefix.len());
            // The longest: one more byte is not shared by all (or ends one of them).
            let next: std::collections::BTreeSet<Option<u8>> =
                strings.iter().map(|s| s.as_bytes().get(shared).copied()).collect();
            proptest::prop_assert!(next.len() > 1 || next.contains(&None));
            let mut by_key: Vec<&str> = strings.iter().map(String::as_str).collect();
            by_key.sort_by(|a, b| {
                eight_after(a, shared).cmp(&eight_after(b, shared)).then_with(|| a.cmp(b))
            });
            let mut by_text: Vec<&str> = strings.iter().map(String::as_str).collect();
            by_text.sort();
            proptest::prop_assert_eq!(by_key, by_text);
        }

        /// Components come out sorted by purl, one per purl, each sighting merged in file order
        /// into the first: the same as moving each into a new vector in sorted order.
        #[test]
        fn components_merge_as_before(
            picks in proptest::collection::vec(
                (0usize..6, 0u8..4, 0u8..4, proptest::option::of(0u32..5), 0u8..3),
                0..40,
            ),
        ) {
            let names = ["a", "b", "c", "@s/d", "e-f", "g"];
            let scopes = [Scope::Runtime, Scope::Dev, Scope::Optional, Scope::Build];
            let relationships =
                [Relationship::Root, Relationship::Direct, Relationship::Transitive, Relationship::Unknown];
            let components: Vec<Component> = picks
                .iter()
                .map(|&(name, scope, rel, line, source)| {
                    let mut c = component(names[name]);
                    c.scope = scopes[usize::from(scope)];
                    c.relationship = relationships[usize::from(rel)];
                    c.locations.push(crate::Location { path: Arc::from(Path::new("f")), line });
                    c.source = match source {
                        0 => Source::Unknown,
                        1 => Source::Registry { url: None },
                        _ => Source::Path { path: format!("p{name}") },
                    };
                    c
                })
                .collect();
            // The way `normalise` merged before it permuted in place.
            let mut keyed: Vec<(String, usize)> =
                components.iter().map(|c| c.purl.as_str().to_owned()).zip(0..).collect();
            keyed.sort_by(|a, b| a.0.cmp(&b.0));
            let mut slots: Vec<Option<Component>> = components.iter().cloned().map(Some).collect();
            let mut want: Vec<Component> = Vec::new();
            for (_, i) in keyed {
                let Some(c) = slots[i].take() else { continue };
                match want.last_mut() {
                    Some(last) if last.purl.as_str() == c.purl.as_str() => last.merge(c),
                    _ => want.push(c),
                }
            }
            for c in &mut want {
                c.locations.sort();
                c.locations.dedup();
            }
            let project = normalised(components, Vec::new());
            proptest::prop_assert_eq!(project.components, want);
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
