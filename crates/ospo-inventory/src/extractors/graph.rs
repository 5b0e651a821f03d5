//! Scope propagation over a resolved dependency graph, shared by lockfile extractors whose
//! manifest says how each direct dependency is used: a package gets the most-needed scope of any
//! path that reaches it (runtime beats optional beats build beats dev).

use std::collections::VecDeque;

use ospo_model::Scope;

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
}
