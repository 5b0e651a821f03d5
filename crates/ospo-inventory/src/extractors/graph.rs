//! Resolved dependency graphs, shared by the lockfile extractors that index their packages:
//! `graph[i]` lists the nodes package `i` depends on. [`propagate`] gives every package the
//! most-needed scope of any path from the manifest's direct dependencies (runtime beats optional
//! beats build beats dev); [`edges`] turns the index graph into purl edges.

use std::collections::VecDeque;
use std::sync::Arc;

use ospo_model::{Edge, Scope};

/// A node's purl, when it has one: `Arc<str>` ([`ospo_model::Component::key`]), or
/// `Option<Arc<str>>` for graphs with nodes that are not reported (no version, a workspace link).
pub(crate) trait NodeKey {
    fn node_key(&self) -> Option<&Arc<str>>;
}

impl NodeKey for Arc<str> {
    fn node_key(&self) -> Option<&Arc<str>> {
        Some(self)
    }
}

impl NodeKey for Option<Arc<str>> {
    fn node_key(&self) -> Option<&Arc<str>> {
        self.as_ref()
    }
}

/// The edges of `graph` by purl (`keys[i]` is node `i`'s), in node order; an edge to or from a
/// node without a key, or outside `keys`, is left out. Edges share the keys' strings.
pub(crate) fn edges<'a, K: NodeKey>(
    graph: &'a [Vec<usize>],
    keys: &'a [K],
) -> impl Iterator<Item = Edge> + 'a {
    graph.iter().enumerate().flat_map(move |(i, deps)| {
        let from = keys.get(i).and_then(NodeKey::node_key);
        deps.iter().filter_map(move |&j| {
            let to = keys.get(j).and_then(NodeKey::node_key)?;
            Some(Edge {
                from: Arc::clone(from?),
                to: Arc::clone(to),
            })
        })
    })
}

/// How much a scope is needed: lower wins when two paths reach one package.
fn rank(scope: Scope) -> u8 {
    match scope {
        Scope::Runtime => 0,
        Scope::Optional => 1,
        Scope::Build => 2,
        Scope::Dev => 3,
    }
}

/// The scope of every node reached from `seeds` along `graph` (`graph[i]` lists the nodes `i`
/// depends on); `None` for nodes no seed reaches. Linear in nodes plus edges times four scopes.
pub(crate) fn propagate(graph: &[Vec<usize>], seeds: &[(usize, Scope)]) -> Vec<Option<Scope>> {
    let mut scope: Vec<Option<Scope>> = vec![None; graph.len()];
    let mut queue = VecDeque::new();
    fn offer(scope: &mut [Option<Scope>], queue: &mut VecDeque<usize>, i: usize, s: Scope) {
        if let Some(slot) = scope.get_mut(i)
            && slot.is_none_or(|old| rank(s) < rank(old))
        {
            *slot = Some(s);
            queue.push_back(i);
        }
    }
    for &(i, s) in seeds {
        offer(&mut scope, &mut queue, i, s);
    }
    while let Some(i) = queue.pop_front() {
        let Some(s) = scope.get(i).copied().flatten() else {
            continue;
        };
        for &j in graph.get(i).into_iter().flatten() {
            offer(&mut scope, &mut queue, j, s);
        }
    }
    scope
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn most_needed_scope_wins() {
        // 0 -> 2, 1 -> 2 -> 3; 4 unreached
        let graph = vec![vec![2], vec![2], vec![3], vec![], vec![]];
        let s = propagate(&graph, &[(0, Scope::Dev), (1, Scope::Runtime)]);
        assert_eq!(
            s,
            [
                Some(Scope::Dev),
                Some(Scope::Runtime),
                Some(Scope::Runtime),
                Some(Scope::Runtime),
                None
            ]
        );
        let cyclic = vec![vec![1], vec![0]];
        assert_eq!(
            propagate(&cyclic, &[(0, Scope::Build)]),
            [Some(Scope::Build); 2]
        );
    }

    #[test]
    fn edges_skip_nodes_without_keys() {
        let graph = vec![vec![1, 2, 7], vec![0], vec![1], vec![]];
        let keys: Vec<Option<Arc<str>>> =
            vec![Some("a".into()), Some("b".into()), None, Some("d".into())];
        let e: Vec<(Arc<str>, Arc<str>)> = edges(&graph, &keys).map(|e| (e.from, e.to)).collect();
        assert_eq!(e, [("a".into(), "b".into()), ("b".into(), "a".into())]);
        // The edges share the keys' strings.
        assert!(Arc::ptr_eq(&e[0].0, keys[0].as_ref().unwrap()));
        let plain: Vec<Arc<str>> = vec!["a".into(), "b".into()];
        assert_eq!(edges(&graph, &plain).count(), 2);
    }
}
