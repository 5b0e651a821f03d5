//! Conan `conan.lock`: Conan 2 lockfiles (format `0.5`) and Conan 1 graph locks
//! (`graph_lock.nodes`, formats `0.1`–`0.4`).
//!
//! Conan 2 lists references flat: `requires` (runtime), `build_requires` (build tools) and
//! `python_requires` (recipe code, also build). It records no graph and not which references
//! the conanfile names, so relationships are unknown. Conan 1 records the graph as numbered nodes
//! with `requires`/`build_requires` node ids; the node with a `path` (the conanfile) is the root,
//! the nodes it requires are direct, and scopes are propagated from it.
//!
//! A reference `name/version@user/channel#rrev%timestamp` becomes
//! `pkg:conan/name@version?channel=…&rrev=…&user=…`, the purl spec's Conan qualifiers; the
//! timestamp is dropped.

use crate::HashMap;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Level, Relationship, Scope, Source};
use serde_json::Value;

use crate::extractors::graph;
use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct ConanLock;

const ID: &str = "conan-lock";

/// A parsed Conan reference.
#[derive(Debug, PartialEq, Eq)]
struct Reference<'a> {
    name: &'a str,
    version: &'a str,
    user: Option<&'a str>,
    channel: Option<&'a str>,
    rrev: Option<&'a str>,
}

fn parse_ref(s: &str) -> Option<Reference<'_>> {
    let s = s.trim();
    let s = s.split_once('%').map_or(s, |(r, _)| r);
    let (s, rrev) = match s.split_once('#') {
        Some((r, rev)) => (r, Some(rev).filter(|r| !r.is_empty())),
        None => (s, None),
    };
    let (s, user, channel) = match s.split_once('@') {
        Some((r, uc)) => {
            let (u, c) = match uc.split_once('/') {
                Some((u, c)) => (u, Some(c)),
                None => (uc, None),
            };
            (
                r,
                Some(u).filter(|u| !u.is_empty()),
                c.filter(|c| !c.is_empty()),
            )
        }
        None => (s, None, None),
    };
    let (name, version) = s.split_once('/')?;
    (!name.is_empty() && !version.is_empty() && !version.contains('/')).then_some(Reference {
        name,
        version,
        user,
        channel,
        rrev,
    })
}

fn component_of(r: &Reference<'_>) -> Result<Component, ospo_model::PurlError> {
    let mut c = Component::new(Ecosystem::ConanCenter, r.name, Some(r.version))?;
    for (key, value) in [("user", r.user), ("channel", r.channel), ("rrev", r.rrev)] {
        if let Some(v) = value {
            c.purl = c.purl.with_qualifier(key, v)?;
        }
    }
    Ok(c.with_source(Source::Registry { url: None }))
}

impl Extractor for ConanLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::ConanCenter
    }
    fn files(&self) -> &'static str {
        "conan.lock (Conan 2 format 0.5, Conan 1 graph lock)"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("conan.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "conan.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let doc: Value = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
        let Some(obj) = doc.as_object() else {
            return Err(ExtractError::syntax(Some(1), "expected a JSON object"));
        };
        let index = LineIndex::new(text);
        let mut out = Extraction::default();
        if let Some(lock) = obj.get("graph_lock") {
            conan1(input, &index, lock, &mut out)?;
            return Ok(out);
        }
        match obj.get("version").and_then(Value::as_str) {
            Some("0.5") => {}
            Some(v) => return Err(ExtractError::Unsupported(v.to_owned())),
            None => {
                return Err(ExtractError::syntax(
                    Some(1),
                    "neither `graph_lock` nor `version`: not a Conan lockfile",
                ));
            }
        }
        let mut cursor = 0;
        for (key, scope) in [
            ("requires", Scope::Runtime),
            ("build_requires", Scope::Build),
            ("python_requires", Scope::Build),
        ] {
            cursor = index
                .find(&format!("\"{key}\""), cursor)
                .map_or(cursor, |(_, end)| end);
            for item in obj.get(key).and_then(Value::as_array).into_iter().flatten() {
                let s = item.as_str().unwrap_or("");
                let line = index.find(&format!("\"{s}\""), cursor).map(|(l, end)| {
                    cursor = end;
                    l
                });
                match parse_ref(s).map(|r| component_of(&r)) {
                    Some(Ok(c)) => out
                        .components
                        .push(c.with_scope(scope).at(input.path, line)),
                    Some(Err(e)) => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        line,
                        e.to_string(),
                    )),
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        line,
                        format!("`{item}` is not a `name/version` reference"),
                    )),
                }
            }
        }
        Ok(out)
    }
}

/// A Conan 1 `graph_lock`.
fn conan1(
    input: &Input<'_>,
    index: &LineIndex<'_>,
    lock: &Value,
    out: &mut Extraction,
) -> Result<(), ExtractError> {
    let Some(nodes) = lock.get("nodes").and_then(Value::as_object) else {
        return Err(ExtractError::syntax(
            index.line_of("\"graph_lock\""),
            "`graph_lock.nodes` is missing",
        ));
    };
    let ids: Vec<&String> = nodes.keys().collect();
    let pos: HashMap<&str, usize> = ids
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    let mut graph_edges: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    let mut build_edges: Vec<Vec<usize>> = vec![Vec::new(); ids.len()];
    let mut components: Vec<Option<Component>> = Vec::with_capacity(ids.len());
    let mut root: Option<usize> = None;
    let mut cursor = 0;
    for (i, (id, node)) in nodes.iter().enumerate() {
        // The key (`"1": {`), not a mention in another node's `requires`.
        let line = [format!("\"{id}\":"), format!("\"{id}\" :")]
            .iter()
            .filter_map(|n| index.find(n, cursor))
            .min_by_key(|&(_, end)| end)
            .map(|(l, end)| {
                cursor = end;
                l
            });
        let is_root = node.get("path").is_some() || (root.is_none() && id == "0");
        if is_root && root.is_none() {
            root = Some(i);
        }
        for (key, target) in [
            ("requires", &mut graph_edges),
            ("build_requires", &mut build_edges),
        ] {
            for dep in node
                .get(key)
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                let dep_id = match dep {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                match pos.get(dep_id.as_str()) {
                    Some(&j) => target[i].push(j),
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        line,
                        format!("node `{id}` requires node `{dep_id}`, which the lock lacks"),
                    )),
                }
            }
        }
        let reference = node.get("ref").and_then(Value::as_str);
        let c = match reference {
            Some(r) => match parse_ref(r).map(|r| component_of(&r)) {
                Some(Ok(c)) => Some(c.at(input.path, line)),
                Some(Err(e)) => {
                    out.diagnostics
                        .push(input.diagnostic(ID, Level::Error, line, e.to_string()));
                    None
                }
                None if is_root => None,
                None => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        line,
                        format!("node `{id}`: `{r}` is not a `name/version` reference"),
                    ));
                    None
                }
            },
            None if is_root => None,
            None => {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    line,
                    format!("node `{id}` has no `ref`"),
                ));
                None
            }
        };
        components.push(c);
    }

    // Scopes: requires keep the scope of their parent, build requires are build.
    let mut seeds = Vec::new();
    let mut direct = vec![false; ids.len()];
    if let Some(r) = root {
        for &j in &graph_edges[r] {
            seeds.push((j, Scope::Runtime));
            direct[j] = true;
        }
        for &j in &build_edges[r] {
            seeds.push((j, Scope::Build));
            direct[j] = true;
        }
    }
    for (i, b) in build_edges.iter().enumerate() {
        if Some(i) != root {
            seeds.extend(b.iter().map(|&j| (j, Scope::Build)));
        }
    }
    let scopes = graph::propagate(&graph_edges, &seeds);

    let keys: Vec<Option<Arc<str>>> = components
        .iter()
        .map(|c| c.as_ref().map(Component::key))
        .collect();
    // Build requires are edges too, after each node's runtime ones.
    let all_edges: Vec<Vec<usize>> = graph_edges
        .iter()
        .zip(&build_edges)
        .map(|(run, build)| run.iter().chain(build).copied().collect())
        .collect();
    out.edges.extend(graph::edges(&all_edges, &keys));
    for (i, c) in components.into_iter().enumerate() {
        let Some(mut c) = c else { continue };
        c.relationship = if Some(i) == root {
            Relationship::Root
        } else if direct[i] {
            Relationship::Direct
        } else if root.is_some() {
            Relationship::Transitive
        } else {
            Relationship::Unknown
        };
        c.scope = scopes.get(i).copied().flatten().unwrap_or(Scope::Runtime);
        out.components.push(c);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;

    #[test]
    fn references() {
        assert_eq!(
            parse_ref("zlib/1.2.13@corp/stable#e377bee6%1676281286.014"),
            Some(Reference {
                name: "zlib",
                version: "1.2.13",
                user: Some("corp"),
                channel: Some("stable"),
                rrev: Some("e377bee6"),
            })
        );
        assert_eq!(parse_ref("zlib/1.2.13").map(|r| r.rrev), Some(None));
        assert_eq!(parse_ref("zlib"), None);
        assert_eq!(parse_ref("a/b/c"), None);
    }

    #[test]
    fn conan2() {
        let (ex, p) = extract_testdata(&ConanLock, "conan-lock/v2/conan.lock");
        // jq '[.requires, .build_requires, .python_requires | length]' → [3, 1, 1]
        assert_eq!(p.components.len(), 5);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let got: Vec<(String, Scope, Option<u32>)> = ex
            .components
            .iter()
            .map(|c| (c.purl.to_string(), c.scope, c.locations[0].line))
            .collect();
        assert_eq!(
            got,
            [
                (
                    "pkg:conan/zlib@1.3.1?rrev=f52e03ae3d251dec704634230cd806a2".to_owned(),
                    Scope::Runtime,
                    Some(4)
                ),
                (
                    "pkg:conan/openssl@3.2.1?rrev=e0f4a5b7cb5d7b9e1b8e2b4f5f0b2a11".to_owned(),
                    Scope::Runtime,
                    Some(5)
                ),
                (
                    "pkg:conan/mylib@2.0?channel=stable&rrev=aaaabbbbccccddddeeeeffff00001111&user=corp"
                        .to_owned(),
                    Scope::Runtime,
                    Some(6)
                ),
                (
                    "pkg:conan/cmake@3.28.1?rrev=b1b2c3d4e5f60718293a4b5c6d7e8f90".to_owned(),
                    Scope::Build,
                    Some(9)
                ),
                (
                    "pkg:conan/pyreq@1.0?rrev=0123456789abcdef0123456789abcdef".to_owned(),
                    Scope::Build,
                    Some(12)
                ),
            ]
        );
        assert!(
            ex.components
                .iter()
                .all(|c| c.relationship == Relationship::Unknown)
        );
    }

    #[test]
    fn conan1_graph_lock() {
        let (ex, p) = extract_testdata(&ConanLock, "conan-lock/v1/conan.lock");
        // 5 nodes: the root (path, no ref), 4 references.
        assert_eq!(p.components.len(), 4);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        let get = |n: &str| p.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("poco").relationship, Relationship::Direct);
        assert_eq!(get("poco").scope, Scope::Runtime);
        assert_eq!(get("poco").locations[0].line, Some(9));
        assert_eq!(get("zlib").relationship, Relationship::Transitive);
        assert_eq!(get("zlib").scope, Scope::Runtime);
        assert_eq!(get("cmake").relationship, Relationship::Direct);
        assert_eq!(get("cmake").scope, Scope::Build);
        assert_eq!(get("openssl").scope, Scope::Runtime);
        assert_eq!(p.edges.len(), 3);
    }

    #[test]
    fn errors() {
        let err = extract_err(&ConanLock, "conan.lock", br#"{"version": "0.6"}"#);
        assert_eq!(err, ExtractError::Unsupported("0.6".into()));
        let err = extract_err(
            &ConanLock,
            "conan.lock",
            b"{\n\"version\": \"0.5\",\n\"requires\": [\n",
        );
        assert_eq!(err.line(), Some(4), "{err}");
        let ex = extract_bytes(
            &ConanLock,
            "conan.lock",
            b"{\n\"version\": \"0.5\",\n\"requires\": [\n\"noversion\", \"ok/1.0\"]}",
            &[],
        )
        .unwrap();
        assert_eq!(ex.components.len(), 1);
        assert_eq!(ex.diagnostics[0].line, Some(4));
    }

    proptest::proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = extract_bytes(&ConanLock, "conan.lock", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..1500) {
            for f in ["v1", "v2"] {
                let text = std::fs::read(
                    Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("testdata/conan-lock/{f}/conan.lock")),
                ).unwrap();
                let end = cut.min(text.len());
                let _ = extract_bytes(&ConanLock, "conan.lock", &text[..end], &[]);
            }
        }

        #[test]
        fn refs_never_panic(s in ".{0,40}") {
            let _ = parse_ref(&s);
        }
    }
}
