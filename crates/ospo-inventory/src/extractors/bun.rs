//! `bun.lock`, the text lockfile of Bun ≥ 1.2 (JSON with trailing commas). The binary
//! `bun.lockb` is not read.
//!
//! `packages` maps a key (the install path, `a/b` for a nested copy) to
//! `["name@version", registry, {dependencies…}, "sha512-…"]`; `workspaces` (`""` is the root)
//! list what each workspace asks for, which makes them direct, and dev scope is propagated from
//! there along the graph. Each `packages` key is a component.

use crate::HashMap;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Hash, Level, Relationship, Scope, Source};
use serde::Deserialize;

use super::js::{self, DepKind, DepMap, Pairs};
use crate::extractors::graph;
use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct BunLock;

const ID: &str = "bun-lock";

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Lock<'a> {
    lockfile_version: Option<u64>,
    #[serde(default)]
    workspaces: HashMap<String, Workspace>,
    #[serde(borrow)]
    packages: Option<Pairs<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Workspace {
    name: Option<String>,
    version: Option<String>,
    dependencies: Option<DepMap>,
    dev_dependencies: Option<DepMap>,
    optional_dependencies: Option<DepMap>,
    peer_dependencies: Option<DepMap>,
}

#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Meta {
    dependencies: Option<DepMap>,
    optional_dependencies: Option<DepMap>,
}

/// Removes the commas JSON does not allow before `}` or `]`, leaving strings untouched; the
/// length is kept (the comma becomes a space) so offsets and lines stay those of the file.
fn strip_trailing_commas(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = bytes.to_vec();
    let mut in_string = false;
    let mut escaped = false;
    let mut pending: Option<usize> = None;
    for (i, &b) in bytes.iter().enumerate() {
        if in_string {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_string = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => {
                in_string = true;
                pending = None;
            }
            b',' => pending = Some(i),
            b'}' | b']' => {
                if let Some(p) = pending.take()
                    && let Some(slot) = out.get_mut(p)
                {
                    *slot = b' ';
                }
            }
            b' ' | b'\t' | b'\n' | b'\r' => {}
            _ => pending = None,
        }
    }
    // Only ASCII commas were replaced by ASCII spaces: still UTF-8.
    String::from_utf8(out).unwrap_or_default()
}

impl Extractor for BunLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }
    fn files(&self) -> &'static str {
        "bun.lock (text, Bun ≥ 1.2)"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("bun.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "bun.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let raw = input.text()?;
        let text = strip_trailing_commas(raw);
        let lock: Lock = serde_json::from_str(&text).map_err(|e| ExtractError::json(&e))?;
        match lock.lockfile_version {
            Some(0 | 1) => {}
            Some(v) => return Err(ExtractError::Unsupported(format!("lockfileVersion {v}"))),
            None => return Err(ExtractError::syntax(Some(1), "no `lockfileVersion`")),
        }
        let lines = LineIndex::new(&text);
        let mut out = Extraction::default();
        let packages = lock.packages.map(|p| p.0).unwrap_or_default();

        struct Node {
            key: String,
            component: Component,
            deps: Vec<String>,
        }
        let mut nodes: Vec<Node> = Vec::new();
        for (key, value) in &packages {
            let line = lines.line(js::offset_in(&text, value.get()));
            let parsed: Result<(String, serde_json::Value, Meta, String), _> =
                serde_json::from_str::<Vec<serde_json::Value>>(value.get()).map(|v| {
                    let mut it = v.into_iter();
                    let ident = it
                        .next()
                        .and_then(|s| s.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    let registry = it.next().unwrap_or_default();
                    let meta = it
                        .next()
                        .and_then(|m| serde_json::from_value(m).ok())
                        .unwrap_or_default();
                    let integrity = it
                        .next()
                        .and_then(|s| s.as_str().map(str::to_owned))
                        .unwrap_or_default();
                    (ident, registry, meta, integrity)
                });
            let Ok((ident, registry, meta, integrity)) = parsed else {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    Some(line),
                    format!("package `{key}` ignored: not an array"),
                ));
                continue;
            };
            let Some((name, reference)) = js::split_name_version(&ident) else {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    Some(line),
                    format!("package `{key}` ignored: cannot read `{ident}`"),
                ));
                continue;
            };
            let (version, source) = if reference.starts_with(|c: char| c.is_ascii_digit()) {
                let url = registry
                    .as_str()
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned);
                (Some(reference), Source::Registry { url })
            } else if let Some(ws) = reference.strip_prefix("workspace:") {
                (
                    None,
                    Source::Path {
                        path: ws.to_owned(),
                    },
                )
            } else {
                (None, js::parse_source(reference, name))
            };
            let mut c = match Component::new(Ecosystem::Npm, name, version) {
                Ok(c) => c,
                Err(e) => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        Some(line),
                        e.to_string(),
                    ));
                    continue;
                }
            };
            if reference.starts_with("workspace:") {
                c.relationship = Relationship::Root;
            }
            c.source = source;
            c = c
                .with_hash(Hash::from_sri(&integrity))
                .at(input.path, Some(line));
            let deps = [&meta.dependencies, &meta.optional_dependencies]
                .into_iter()
                .flatten()
                .flat_map(|m| m.keys().cloned())
                .collect();
            nodes.push(Node {
                key: key.clone(),
                component: c,
                deps,
            });
        }

        // Resolve `name` from the package at `key`: `key/name`, then each parent, then `name`.
        let index: HashMap<&str, usize> = nodes
            .iter()
            .enumerate()
            .map(|(i, n)| (n.key.as_str(), i))
            .collect();
        let resolve = |from: &str, name: &str| -> Option<usize> {
            let mut dir = from;
            loop {
                let key = if dir.is_empty() {
                    name.to_owned()
                } else {
                    format!("{dir}/{name}")
                };
                if let Some(&i) = index.get(key.as_str()) {
                    return Some(i);
                }
                if dir.is_empty() {
                    return None;
                }
                dir = dir.rfind('/').and_then(|p| dir.get(..p)).unwrap_or("");
            }
        };
        let mut graph: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
        for (i, n) in nodes.iter().enumerate() {
            for d in &n.deps {
                if let Some(j) = resolve(&n.key, d) {
                    graph[i].push(j);
                }
            }
        }
        let mut start = Vec::new();
        for ws in lock.workspaces.values() {
            let m = js::Manifest {
                name: ws.name.clone(),
                version: ws.version.clone(),
                dependencies: ws.dependencies.clone(),
                dev_dependencies: ws.dev_dependencies.clone(),
                optional_dependencies: ws.optional_dependencies.clone(),
                peer_dependencies: ws.peer_dependencies.clone(),
                resolutions: None,
            };
            for (name, kind) in m.deps() {
                if let Some(j) = resolve("", &name) {
                    start.push((j, kind));
                }
            }
        }
        let kinds = js::propagate(&graph, start.iter().copied());
        let direct: Vec<usize> = start.iter().map(|&(j, _)| j).collect();
        let purls: Vec<Arc<str>> = nodes.iter().map(|n| n.component.key()).collect();
        for (i, n) in nodes.into_iter().enumerate() {
            let mut c = n.component;
            if c.relationship != Relationship::Root {
                c.relationship = if direct.contains(&i) {
                    Relationship::Direct
                } else {
                    Relationship::Transitive
                };
                c.scope = kinds
                    .get(i)
                    .copied()
                    .flatten()
                    .map_or(Scope::Runtime, DepKind::scope);
            }
            out.components.push(c);
        }
        out.edges.extend(graph::edges(&graph, &purls));
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use proptest::prelude::*;

    // Synthetic, written from Bun's documented text lockfile format.
    const LOCK: &[u8] = br#"{
  "lockfileVersion": 1,
  "workspaces": {
    "": {
      "name": "app",
      "dependencies": {
        "a": "^1.0.0",
      },
      "devDependencies": {
        "d": "^2.0.0",
      },
    },
  },
  "packages": {
    "a": ["a@1.0.0", "", { "dependencies": { "b": "^1" } }, "sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw=="],
    "b": ["b@1.2.0", "", {}, "sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw=="],
    "d": ["d@2.0.0", "", { "dependencies": { "e": "*" } }, "sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw=="],
    "e": ["e@3.0.0", "", {}, "sha512-5xoDfX+fL7faATnagmWPpbFtwh/R77WmMMqqHGS65C3vvB0YHrgF+B1YmZ3441tMj5n63k0212XNoJwzlhffQw=="],
    "d/e": ["e@1.0.0", "", {}, ""],
  }
}
"#;

    #[test]
    fn synthetic_lock() {
        let ex = extract_bytes(&BunLock, "bun.lock", LOCK, &[]).unwrap();
        assert_eq!(ex.components.len(), 5);
        let get = |k: &str| ex.components.iter().find(|c| c.purl.as_str() == k).unwrap();
        let a = get("pkg:npm/a@1.0.0");
        assert_eq!(
            (a.relationship, a.scope),
            (Relationship::Direct, Scope::Runtime)
        );
        assert_eq!(a.locations[0].line, Some(15));
        assert_eq!(a.hashes.len(), 1);
        assert_eq!(
            get("pkg:npm/b@1.2.0").relationship,
            Relationship::Transitive
        );
        // `d` resolves `e` to its nested copy `d/e`.
        assert_eq!(get("pkg:npm/e@1.0.0").scope, Scope::Dev);
        assert_eq!(get("pkg:npm/e@3.0.0").scope, Scope::Runtime, "unreachable");
        assert_eq!(ex.edges.len(), 2);
        assert!(!BunLock.wants(Path::new("bun.lockb")));
    }

    #[test]
    fn trailing_commas_keep_strings() {
        assert_eq!(strip_trailing_commas(r#"["a,]", 1,]"#), r#"["a,]", 1 ]"#);
        let err = extract_err(
            &BunLock,
            "bun.lock",
            b"{\n \"lockfileVersion\": 1,\n \"packages\": [\n",
        );
        assert_eq!(err.line(), Some(3));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&BunLock, "bun.lock", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..1400) {
            let cut = cut.min(LOCK.len());
            let _ = extract_bytes(&BunLock, "bun.lock", &LOCK[..cut], &[]);
        }
    }
}
