//! `package-lock.json` (lockfile v1, v2, v3) and `npm-shrinkwrap.json`, paired with the
//! `package.json` beside them.
//!
//! v2/v3 list every installed package in `packages`, keyed by its folder
//! (`node_modules/a/node_modules/b`); the key `""` is the project itself and keys outside
//! `node_modules` are workspace members. v1 (and the v2 compatibility section, ignored here)
//! nests `dependencies` trees instead; each level is a `node_modules` folder, so both are read
//! into the same location-keyed tree and dependency names are resolved with Node's lookup rule
//! (the nearest `node_modules` walking up). npm records each package's scope itself (`dev`,
//! `optional`, `devOptional`, `peer`), so no propagation is needed.
//!
//! Counting: every `packages` key except `""` is a component, except `link: true` entries whose
//! target is itself a key (a workspace member linked into `node_modules`): the link is an alias
//! of its target, which is the component (relationship Root, source Path). The project itself
//! (`""`) is one more component, with relationship Root, when it has a name.

use crate::HashMap;
use std::path::Path;
use std::sync::Arc;

use ospo_model::{Component, Ecosystem, Hash, Level, Relationship, Scope, Source};
use serde::Deserialize;

use super::js::{self, DepKind, DepMap, DepNames, Manifest, Pairs, Text};
use crate::extractors::graph;
use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct NpmLock;

const ID: &str = "npm-package-lock";

#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<serde_json::Value>,
    #[serde(borrow, default)]
    packages: Option<Pairs<'a>>,
    #[serde(borrow, default)]
    dependencies: Option<Pairs<'a>>,
}

/// One entry of `packages` (v2/v3, and `node_modules/.package-lock.json`), borrowing its text
/// from the lockfile.
#[derive(Deserialize, Default)]
#[serde(rename_all = "camelCase")]
struct Entry<'a> {
    #[serde(borrow)]
    name: Option<Text<'a>>,
    #[serde(borrow)]
    version: Option<Text<'a>>,
    #[serde(borrow)]
    resolved: Option<Text<'a>>,
    #[serde(borrow)]
    integrity: Option<Text<'a>>,
    #[serde(default)]
    link: bool,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    #[serde(default)]
    dev_optional: bool,
    #[serde(default)]
    peer: bool,
    license: Option<serde_json::Value>,
    #[serde(borrow)]
    dependencies: Option<DepNames<'a>>,
    #[serde(borrow)]
    optional_dependencies: Option<DepNames<'a>>,
    #[serde(borrow)]
    peer_dependencies: Option<DepNames<'a>>,
    #[serde(borrow)]
    dev_dependencies: Option<DepNames<'a>>,
}

/// One entry of a v1 `dependencies` tree.
#[derive(Deserialize)]
struct V1Entry<'a> {
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    #[serde(default)]
    dev: bool,
    #[serde(default)]
    optional: bool,
    requires: Option<DepMap>,
    #[serde(borrow, default)]
    dependencies: Option<Pairs<'a>>,
}

/// A package at a location of the installed tree.
pub(crate) struct Node {
    /// `""` for the project, `node_modules/a/node_modules/b`, or a workspace folder.
    loc: String,
    name: String,
    version: Option<String>,
    source: Source,
    hashes: Vec<Hash>,
    licenses: Vec<String>,
    scope: Scope,
    root: bool,
    line: u32,
    deps: Vec<(String, DepKind)>,
    /// A `link: true` entry: the location it points at.
    link: Option<String>,
}

impl Extractor for NpmLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::Npm
    }
    fn files(&self) -> &'static str {
        "package-lock.json (v1–v3) and npm-shrinkwrap.json, with package.json"
    }
    fn names(&self) -> &'static [FileName] {
        &[
            FileName::Is("package-lock.json"),
            FileName::Is("npm-shrinkwrap.json"),
        ]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name()
            .is_some_and(|n| n == "package-lock.json" || n == "npm-shrinkwrap.json")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        let lock: Lock = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
        let version = match &lock.lockfile_version {
            Some(v) => v
                .as_u64()
                .ok_or_else(|| ExtractError::Unsupported(v.to_string()))?,
            None if lock.packages.is_some() => 3,
            None if lock.dependencies.is_some() => 1,
            None => {
                return Err(ExtractError::syntax(
                    Some(1),
                    "not a package-lock: no `lockfileVersion`, `packages` or `dependencies`",
                ));
            }
        };
        let mut out = Extraction::default();
        let lines = LineIndex::new(text);
        match (version, &lock.packages, &lock.dependencies) {
            (2 | 3, Some(packages), _) => {
                let nodes = packages_nodes(input, ID, &lines, packages, &mut out);
                // The root entry names the direct dependencies; the manifest only when it is missing.
                let has_root = packages.0.iter().any(|(k, _)| k.is_empty());
                let manifest = if has_root {
                    None
                } else {
                    js::read_manifest(input, ID, &mut out)
                };
                if manifest.is_some() {
                    out.manifest = Some(input.sibling("package.json"));
                }
                build(input, ID, nodes, manifest.as_ref(), &mut out);
            }
            (1, _, deps) | (2 | 3, None, deps) => {
                let manifest = js::read_manifest(input, ID, &mut out);
                if manifest.is_some() {
                    out.manifest = Some(input.sibling("package.json"));
                }
                let mut nodes = Vec::new();
                if let Some(m) = &manifest
                    && let Some(name) = &m.name
                {
                    nodes.push(root_node(name, m.version.as_deref(), m, 1));
                }
                if let Some(deps) = deps {
                    v1_nodes(input, &lines, "", deps, &mut nodes, &mut out);
                }
                build(input, ID, nodes, manifest.as_ref(), &mut out);
            }
            (v, _, _) => return Err(ExtractError::Unsupported(format!("lockfileVersion {v}"))),
        }
        Ok(out)
    }
}

fn root_node(name: &str, version: Option<&str>, m: &Manifest, line: u32) -> Node {
    let mut deps: Vec<(String, DepKind)> = m.deps().into_iter().collect();
    deps.sort();
    Node {
        loc: String::new(),
        name: name.to_owned(),
        version: version.map(str::to_owned),
        source: Source::Path { path: ".".into() },
        hashes: Vec::new(),
        licenses: Vec::new(),
        scope: Scope::Runtime,
        root: true,
        line,
        deps,
        link: None,
    }
}

/// The package name a `node_modules` location holds (`node_modules/a/node_modules/@s/b` → `@s/b`).
fn name_of_location(loc: &str) -> &str {
    match loc.rfind("node_modules/") {
        Some(i) => loc.get(i + "node_modules/".len()..).unwrap_or(loc),
        None => loc.rsplit('/').next().unwrap_or(loc),
    }
}

fn licenses_of(v: Option<&serde_json::Value>) -> Vec<String> {
    match v {
        Some(serde_json::Value::String(s)) => vec![s.clone()],
        Some(serde_json::Value::Object(o)) => licenses_of(o.get("type")),
        Some(serde_json::Value::Array(a)) => a.iter().flat_map(|l| licenses_of(Some(l))).collect(),
        _ => Vec::new(),
    }
}

fn hashes_of(integrity: Option<&str>) -> Vec<Hash> {
    integrity
        .into_iter()
        .flat_map(str::split_whitespace)
        .filter_map(Hash::from_sri)
        .collect()
}

/// Reads the `packages` map of a v2/v3 lockfile (or a hidden `.package-lock.json`) into nodes;
/// an entry that cannot be read is a diagnostic.
pub(crate) fn packages_nodes(
    input: &Input<'_>,
    id: &str,
    lines: &LineIndex<'_>,
    packages: &Pairs<'_>,
    out: &mut Extraction,
) -> Vec<Node> {
    let mut nodes = Vec::with_capacity(packages.0.len());
    for (key, raw) in &packages.0 {
        let line = lines.line(js::offset_in(lines.text(), raw.get()));
        let e: Entry = match serde_json::from_str(raw.get()) {
            Ok(e) => e,
            Err(err) => {
                out.diagnostics.push(input.diagnostic(
                    id,
                    Level::Error,
                    Some(line),
                    format!("package `{key}` ignored: {err}"),
                ));
                continue;
            }
        };
        let in_node_modules = key.starts_with("node_modules/") || key.contains("/node_modules/");
        let name = if key.is_empty() || !in_node_modules || e.name.is_some() {
            Text::of(&e.name).map(str::to_owned)
        } else {
            None
        }
        .unwrap_or_else(|| name_of_location(key).to_owned());
        let mut deps = Vec::new();
        let tables = [
            (&e.dependencies, DepKind::Normal),
            (&e.optional_dependencies, DepKind::Optional),
            (&e.peer_dependencies, DepKind::Peer),
            (&e.dev_dependencies, DepKind::Dev),
        ];
        for (table, kind) in tables {
            deps.extend(
                table
                    .iter()
                    .flat_map(|t| t.0.iter())
                    .map(|n| (n.0.to_string(), kind)),
            );
        }
        let scope = if e.dev {
            Scope::Dev
        } else if e.optional || e.dev_optional || e.peer {
            Scope::Optional
        } else {
            Scope::Runtime
        };
        let root = key.is_empty() || !in_node_modules;
        let source = if root {
            Source::Path {
                path: if key.is_empty() {
                    ".".into()
                } else {
                    key.clone()
                },
            }
        } else if e.link {
            Source::Path {
                path: Text::of(&e.resolved).unwrap_or_default().to_owned(),
            }
        } else {
            Text::of(&e.resolved).map_or(Source::Unknown, |r| js::parse_source(r, &name))
        };
        nodes.push(Node {
            loc: key.clone(),
            name,
            version: Text::of(&e.version).map(str::to_owned),
            source,
            hashes: hashes_of(Text::of(&e.integrity)),
            licenses: licenses_of(e.license.as_ref()),
            scope,
            root,
            line,
            deps,
            link: e
                .link
                .then(|| Text::of(&e.resolved).unwrap_or_default().to_owned()),
        });
    }
    nodes
}

/// Reads a v1 `dependencies` tree (recursively) into nodes.
fn v1_nodes(
    input: &Input<'_>,
    lines: &LineIndex<'_>,
    parent: &str,
    deps: &Pairs<'_>,
    nodes: &mut Vec<Node>,
    out: &mut Extraction,
) {
    for (key, raw) in &deps.0 {
        let line = lines.line(js::offset_in(lines.text(), raw.get()));
        let e: V1Entry = match serde_json::from_str::<V1Entry>(raw.get()) {
            Ok(e) => e,
            Err(err) => {
                out.diagnostics.push(input.diagnostic(
                    ID,
                    Level::Error,
                    Some(line),
                    format!("dependency `{key}` ignored: {err}"),
                ));
                continue;
            }
        };
        let loc = format!("{parent}node_modules/{key}");
        let raw_version = e.version.as_deref().unwrap_or("");
        // `npm:real@1.0.0` aliases; `git+…#sha` and `file:` versions are sources.
        let (name, version, source) = if let Some((real, v)) = js::parse_alias(raw_version) {
            let source = e
                .resolved
                .as_deref()
                .map_or(Source::Unknown, |r| js::parse_source(r, real));
            (real.to_owned(), Some(v.to_owned()), source)
        } else if raw_version.is_empty() || raw_version.starts_with(|c: char| c.is_ascii_digit()) {
            let source = e
                .resolved
                .as_deref()
                .map_or(Source::Unknown, |r| js::parse_source(r, key));
            (key.clone(), e.version.clone(), source)
        } else {
            match js::parse_source(raw_version, key) {
                Source::Git { url, rev } => (key.clone(), rev.clone(), Source::Git { url, rev }),
                s => (key.clone(), None, s),
            }
        };
        let scope = if e.dev {
            Scope::Dev
        } else if e.optional {
            Scope::Optional
        } else {
            Scope::Runtime
        };
        nodes.push(Node {
            loc: loc.clone(),
            name,
            version,
            source,
            hashes: hashes_of(e.integrity.as_deref()),
            licenses: Vec::new(),
            scope,
            root: false,
            line,
            deps: e
                .requires
                .iter()
                .flat_map(|r| r.keys())
                .map(|n| (n.clone(), DepKind::Normal))
                .collect(),
            link: None,
        });
        if let Some(children) = &e.dependencies {
            v1_nodes(input, lines, &format!("{loc}/"), children, nodes, out);
        }
    }
}

/// Resolves `name` from the package at `loc` as Node does: `loc/node_modules/name`, then in each
/// folder above. A link resolves to its target.
fn resolve(index: &HashMap<&str, usize>, nodes: &[Node], loc: &str, name: &str) -> Option<usize> {
    let mut dir = loc;
    let mut candidate = String::new();
    loop {
        candidate.clear();
        if !dir.is_empty() {
            candidate.push_str(dir);
            candidate.push('/');
        }
        candidate.push_str("node_modules/");
        candidate.push_str(name);
        if let Some(&i) = index.get(candidate.as_str()) {
            let target = nodes
                .get(i)
                .and_then(|n| n.link.as_deref())
                .and_then(|t| index.get(t).copied());
            return Some(target.unwrap_or(i));
        }
        if dir.is_empty() {
            return None;
        }
        dir = dir.rfind('/').and_then(|p| dir.get(..p)).unwrap_or("");
        // `a/node_modules` is not a package folder: step over it.
        if dir == "node_modules" {
            dir = "";
        } else if let Some(d) = dir.strip_suffix("/node_modules") {
            dir = d;
        }
    }
}

/// Resolves the graph, marks direct dependencies and emits components and edges.
/// `manifest`: the project's own `package.json` when the tree has no root node.
pub(crate) fn build(
    input: &Input<'_>,
    id: &str,
    mut nodes: Vec<Node>,
    manifest: Option<&Manifest>,
    out: &mut Extraction,
) {
    let index: HashMap<&str, usize> = nodes
        .iter()
        .enumerate()
        .map(|(i, n)| (n.loc.as_str(), i))
        .collect();
    // A link whose target is listed is only an alias of it.
    let alias: Vec<bool> = nodes
        .iter()
        .map(|n| n.link.as_deref().is_some_and(|t| index.contains_key(t)))
        .collect();
    let mut graph: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    let mut diagnostics = Vec::new();
    for (i, n) in nodes.iter().enumerate() {
        if alias.get(i).copied().unwrap_or(false) {
            continue;
        }
        for (dep, kind) in &n.deps {
            match resolve(&index, &nodes, &n.loc, dep) {
                Some(j) => graph[i].push(j),
                None if matches!(kind, DepKind::Normal) => diagnostics.push(input.diagnostic(
                    id,
                    Level::Warning,
                    Some(n.line),
                    format!(
                        "`{}` depends on `{dep}`, which the lockfile does not list",
                        n.name
                    ),
                )),
                None => {}
            }
        }
    }
    // Direct: what a root (the project, a workspace member) depends on, or what the manifest names.
    let mut direct = vec![false; nodes.len()];
    let mut known = false;
    for (i, n) in nodes.iter().enumerate() {
        if n.root {
            known = true;
            for &j in &graph[i] {
                direct[j] = true;
            }
        }
    }
    if let Some(m) = manifest.filter(|_| !known) {
        known = true;
        for name in m.deps().keys() {
            if let Some(j) = resolve(&index, &nodes, "", name) {
                direct[j] = true;
            }
        }
    }
    drop(index);
    let mut purls: Vec<Option<Arc<str>>> = Vec::with_capacity(nodes.len());
    for (i, n) in nodes.iter_mut().enumerate() {
        if alias.get(i).copied().unwrap_or(false) {
            purls.push(None);
            continue;
        }
        let version = n.version.as_deref().filter(|v| !v.is_empty());
        let mut c = match Component::new(Ecosystem::Npm, &n.name, version) {
            Ok(c) => c,
            Err(e) => {
                out.diagnostics.push(input.diagnostic(
                    id,
                    Level::Error,
                    Some(n.line),
                    format!("`{}`: {e}", n.loc),
                ));
                purls.push(None);
                continue;
            }
        };
        if version.is_none() && !n.root && n.link.is_none() {
            out.diagnostics.push(input.diagnostic(
                id,
                Level::Warning,
                Some(n.line),
                format!("`{}` has no version", n.loc),
            ));
        }
        // A link whose target is not listed is a local package of the project.
        c.relationship = if n.root || n.link.is_some() {
            Relationship::Root
        } else if direct[i] {
            Relationship::Direct
        } else if known {
            Relationship::Transitive
        } else {
            Relationship::Unknown
        };
        c.scope = n.scope;
        c.source = std::mem::take(&mut n.source);
        c.hashes = std::mem::take(&mut n.hashes);
        for l in &n.licenses {
            c = c.with_license(l);
        }
        c = c.at(input.path, Some(n.line));
        purls.push(Some(c.key()));
        out.components.push(c);
    }
    out.edges.extend(graph::edges(&graph, &purls));
    out.diagnostics.extend(diagnostics);
}

/// Parses the `packages` map of a hidden `node_modules/.package-lock.json` (same shape as v3).
pub(crate) fn hidden_lock_nodes(
    input: &Input<'_>,
    id: &str,
    text: &str,
    out: &mut Extraction,
) -> Result<Vec<Node>, ExtractError> {
    #[derive(Deserialize)]
    struct Hidden<'a> {
        #[serde(borrow)]
        packages: Option<Pairs<'a>>,
    }
    let lock: Hidden = serde_json::from_str(text).map_err(|e| ExtractError::json(&e))?;
    let lines = LineIndex::new(text);
    Ok(lock
        .packages
        .map(|p| packages_nodes(input, id, &lines, &p, out))
        .unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;
    use ospo_model::Edge;
    use proptest::prelude::*;

    #[test]
    fn axios_v2() {
        let Some((ex, p)) = extract_shared(&NpmLock, "npm/axios/package-lock.json") else {
            return;
        };
        // python3: d=json.load(f); len(d["packages"]) - 1 (without "") → 2115; no `link` entries.
        // Distinct (name, version) pairs: len({(v.get("name") or k.rsplit("node_modules/")[-1],
        // v["version"]) for k, v in packages if k}) → 1672.
        assert_eq!(
            ex.components.len(),
            2115 + 1,
            "packages except \"\", plus the root"
        );
        assert_eq!(p.components.len(), 1672 + 1);
        let root = find(&p, "pkg:npm/axios@1.7.9");
        assert_eq!(root.relationship, Relationship::Root);
        let fr = find(&p, "pkg:npm/follow-redirects@1.15.6");
        assert_eq!(fr.relationship, Relationship::Direct);
        assert_eq!(fr.scope, Scope::Runtime);
        assert!(fr.licenses.is_empty(), "this v2 file records no licences");
        assert_eq!(
            fr.source,
            Source::Registry {
                url: Some("https://registry.npmjs.org".into())
            }
        );
        assert_eq!(fr.hashes.len(), 1);
        let babel = find(&p, "pkg:npm/%40babel/core@7.23.9");
        assert_eq!(babel.relationship, Relationship::Direct);
        assert_eq!(babel.scope, Scope::Dev);
        assert!(
            ex.diagnostics.is_empty(),
            "{:?}",
            &ex.diagnostics[..3.min(ex.diagnostics.len())]
        );
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/axios@1.7.9".into(),
            to: "pkg:npm/follow-redirects@1.15.6".into()
        }));
    }

    #[test]
    fn phoenix_v3_aliases_and_lines() {
        let Some((ex, p)) = extract_shared(&NpmLock, "npm/phoenix/package-lock.json") else {
            return;
        };
        // python3: len(d["packages"]) - 1 → 726 (no `link` entries); 634 distinct
        // (name, version) pairs.
        assert_eq!(ex.components.len(), 726 + 1);
        assert_eq!(p.components.len(), 634 + 1);
        // `node_modules/react-is-18` is `"name": "react-is"`, an alias.
        let aliased = ex
            .components
            .iter()
            .filter(|c| c.name == "react-is")
            .count();
        assert!(aliased >= 2, "{aliased}");
        assert!(!ex.components.iter().any(|c| c.name == "react-is-18"));
        // grep -n '"node_modules/@asamuzakjp/css-color": {' → line 23.
        let css = find(&p, "pkg:npm/%40asamuzakjp/css-color@6.0.5");
        assert_eq!(css.locations[0].line, Some(23));
        assert_eq!(css.scope, Scope::Dev);
        assert_eq!(css.relationship, Relationship::Transitive);
        assert_eq!(
            find(&p, "pkg:npm/jest@30.4.2").relationship,
            Relationship::Direct
        );
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
        // The nested lru-cache resolves from css-color, not the hoisted one.
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/%40asamuzakjp/css-color@6.0.5".into(),
            to: "pkg:npm/lru-cache@11.5.2".into()
        }));
    }

    #[test]
    fn axios_v1_tree() {
        let Some((ex, p)) = extract_shared(&NpmLock, "npm/axios@face016/package-lock.json") else {
            return;
        };
        // python3: count every entry of the nested `dependencies` trees, recursively → 1191.
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics.first());
        assert_eq!(ex.components.len(), 1191 + 1, "tree entries plus the root");
        // Distinct (name, version) pairs over the tree (python3, same walk) → 945.
        assert_eq!(p.components.len(), 945 + 1);
        assert_eq!(
            ex.manifest.as_deref(),
            Some(Path::new("npm/axios@face016/package.json"))
        );
        let root = find(&p, "pkg:npm/axios@0.18.1");
        assert_eq!(root.relationship, Relationship::Root);
        let fr = find(&p, "pkg:npm/follow-redirects@1.5.10");
        assert_eq!(fr.relationship, Relationship::Direct);
        assert_eq!(fr.scope, Scope::Runtime);
        let abbrev = find(&p, "pkg:npm/abbrev@1.1.1");
        assert_eq!(abbrev.scope, Scope::Dev);
        assert_eq!(abbrev.locations[0].line, Some(7));
        // acorn-jsx nests its own acorn 3.3.0 (line 38): the edge goes to it, not to 5.7.3.
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/acorn-jsx@3.0.1".into(),
            to: "pkg:npm/acorn@3.3.0".into()
        }));
        assert_eq!(find(&p, "pkg:npm/acorn@3.3.0").locations[0].line, Some(38));
    }

    #[test]
    fn workspaces_links_and_sources() {
        let (ex, p) = extract_testdata(&NpmLock, "npm-package-lock/workspaces/package-lock.json");
        // 4 packages except "": the link is an alias of `packages/lib`, so 3 + root.
        assert_eq!(ex.components.len(), 4, "{:#?}", ex.components);
        let lib = find(&p, "pkg:npm/lib@0.1.0");
        assert_eq!(lib.relationship, Relationship::Root);
        assert_eq!(
            lib.source,
            Source::Path {
                path: "packages/lib".into()
            }
        );
        let gitdep = find(&p, "pkg:npm/gitdep@2.0.0");
        assert_eq!(
            gitdep.source,
            Source::Git {
                url: "ssh://git@github.com/x/gitdep.git".into(),
                rev: Some("0123abc".into())
            }
        );
        assert_eq!(
            gitdep.relationship,
            Relationship::Direct,
            "lib depends on it"
        );
        let opt = find(&p, "pkg:npm/fsevents@2.3.3");
        assert_eq!(opt.scope, Scope::Optional);
        assert_eq!(opt.licenses, ["MIT"]);
        assert!(p.edges.contains(&Edge {
            from: "pkg:npm/app@1.0.0".into(),
            to: "pkg:npm/lib@0.1.0".into()
        }));
    }

    #[test]
    fn v1_aliases_git_and_file() {
        let lock = br#"{
  "name": "x", "version": "1.0.0", "lockfileVersion": 1,
  "dependencies": {
    "sw": { "version": "npm:string-width@4.2.3", "resolved": "https://registry.npmjs.org/string-width/-/string-width-4.2.3.tgz" },
    "g": { "version": "git+https://github.com/a/g.git#abcdef", "from": "git+https://github.com/a/g.git" },
    "local": { "version": "file:../local" }
  }
}"#;
        let ex = extract_bytes(&NpmLock, "npm-shrinkwrap.json", lock, &[]).unwrap();
        assert_eq!(ex.components.len(), 3);
        let sw = &ex.components[0];
        assert_eq!(sw.purl.as_str(), "pkg:npm/string-width@4.2.3");
        assert_eq!(sw.relationship, Relationship::Unknown, "no package.json");
        assert_eq!(sw.locations[0].line, Some(4));
        assert_eq!(
            ex.components[1].source,
            Source::Git {
                url: "https://github.com/a/g.git".into(),
                rev: Some("abcdef".into())
            }
        );
        assert_eq!(
            ex.components[2].source,
            Source::Path {
                path: "../local".into()
            }
        );
    }

    #[test]
    fn bad_entries_and_files() {
        let lock = br#"{
  "lockfileVersion": 3,
  "packages": {
    "": { "name": "x", "version": "1.0.0", "dependencies": { "a": "1" } },
    "node_modules/a": { "version": 7 },
    "node_modules/b": { "version": "1.0.0" }
  }
}"#;
        let ex = extract_bytes(&NpmLock, "package-lock.json", lock, &[]).unwrap();
        assert_eq!(ex.components.len(), 2);
        let lines: Vec<_> = ex.diagnostics.iter().map(|d| (d.level, d.line)).collect();
        assert!(lines.contains(&(Level::Error, Some(5))), "{lines:?}");
        assert!(
            lines.contains(&(Level::Warning, Some(4))),
            "unresolved `a`: {lines:?}"
        );

        let err = extract_err(
            &NpmLock,
            "package-lock.json",
            b"{\n \"lockfileVersion\": 3,\n \"packages\": {\n  \"\": {,\n",
        );
        assert_eq!(err.line(), Some(4));
        let err = extract_err(&NpmLock, "package-lock.json", b"{\"lockfileVersion\": 9}");
        assert!(matches!(err, ExtractError::Unsupported(_)));
        assert!(!NpmLock.wants(Path::new("node_modules/.package-lock.json")));
        assert!(NpmLock.wants(Path::new("a/npm-shrinkwrap.json")));
    }

    proptest! {
        #[test]
        fn never_panics(bytes in proptest::collection::vec(any::<u8>(), 0..512)) {
            let _ = extract_bytes(&NpmLock, "package-lock.json", &bytes, &[]);
        }

        #[test]
        fn truncations_never_panic(cut in 0usize..2000) {
            let text = include_bytes!("../../testdata/npm-package-lock/workspaces/package-lock.json");
            let cut = cut.min(text.len());
            let _ = extract_bytes(&NpmLock, "package-lock.json", &text[..cut], &[]);
        }
    }
}
