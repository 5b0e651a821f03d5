//! `Cargo.lock` (v1–v4), paired with the workspace's `Cargo.toml` files.
//!
//! The lockfile gives every package, its checksum, its source and the resolved graph. The
//! manifests say which packages are the workspace's own and whether each of their dependencies is
//! a normal, build or dev dependency; scopes are then propagated along the graph (a dependency
//! reached only through dev-dependencies is dev). Without a manifest every package without a
//! source is taken as the project's own and every scope is runtime.

use crate::{HashMap, HashSet};
use std::borrow::Cow;
use std::collections::{BTreeMap, VecDeque};
use std::path::{Path, PathBuf};

use ospo_model::{Component, Ecosystem, Hash, Level, Relationship, Scope, Source};
use serde::Deserialize;
use toml::Spanned;

use crate::extractors::graph;
use crate::text::LineIndex;
use crate::{ExtractError, Extraction, Extractor, FileName, Input};

pub struct CargoLock;

const ID: &str = "cargo-lock";

mod lock_reader;

use lock_reader::{Package, Packages};

/// A lockfile through serde, for what [`lock_reader`] leaves to the TOML readers. Borrowed from
/// the text where no escape was decoded: a lockfile has thousands of these strings.
#[derive(Deserialize)]
struct Lock<'a> {
    #[serde(default, borrow)]
    package: Vec<Spanned<LockPackage<'a>>>,
    #[serde(default)]
    metadata: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct LockPackage<'a> {
    #[serde(borrow)]
    name: Cow<'a, str>,
    #[serde(borrow)]
    version: Cow<'a, str>,
    #[serde(borrow)]
    source: Option<Cow<'a, str>>,
    #[serde(borrow)]
    checksum: Option<Cow<'a, str>>,
    #[serde(default, borrow)]
    dependencies: Vec<Cow<'a, str>>,
}

impl Lock<'_> {
    /// The packages as [`lock_reader`] gives them, with the line of each header.
    fn packages<'b>(&'b self, text: &str) -> Packages<'b> {
        let lines = LineIndex::new(text);
        let mut out = Packages::default();
        for p in &self.package {
            let start = out.deps.len();
            out.deps
                .extend(p.get_ref().dependencies.iter().map(|d| &**d));
            let p = (lines.line(p.span().start), p.get_ref());
            out.list.push(Package {
                line: p.0,
                name: &p.1.name,
                version: &p.1.version,
                source: p.1.source.as_deref(),
                checksum: p.1.checksum.as_deref(),
                deps: start..out.deps.len(),
            });
        }
        out.metadata = self
            .metadata
            .iter()
            .filter_map(|(k, v)| Some((k.as_str(), v.as_str()?)))
            .collect();
        out
    }
}

/// How a dependency is used, ordered from most to least needed.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Debug)]
enum Kind {
    Normal,
    Optional,
    Build,
    Dev,
}

impl Kind {
    fn scope(self) -> Scope {
        match self {
            Kind::Normal => Scope::Runtime,
            Kind::Optional => Scope::Optional,
            Kind::Build => Scope::Build,
            Kind::Dev => Scope::Dev,
        }
    }
}

/// A workspace member read from its manifest: its name, folder and dependency kinds by the
/// package name they resolve to.
struct Member {
    name: String,
    dir: PathBuf,
    deps: HashMap<String, Kind>,
}

impl Extractor for CargoLock {
    fn id(&self) -> &'static str {
        ID
    }
    fn ecosystem(&self) -> Ecosystem {
        Ecosystem::CratesIo
    }
    fn files(&self) -> &'static str {
        "Cargo.lock (v1–v4) with the workspace's Cargo.toml files"
    }
    fn names(&self) -> &'static [FileName] {
        &[FileName::Is("Cargo.lock")]
    }
    fn wants(&self, path: &Path) -> bool {
        path.file_name().is_some_and(|n| n == "Cargo.lock")
    }

    fn extract(&self, input: &Input<'_>) -> Result<Extraction, ExtractError> {
        let text = input.text()?;
        // Cargo's own shape is read directly; anything else goes through serde and the TOML
        // readers (see `lock_reader`). `typed` holds that reading while `lock` borrows it.
        let typed: Lock;
        let lock = match lock_reader::read(text) {
            Some(lock) => lock,
            None => {
                typed = crate::toml_fast::from_str(text)?;
                typed.packages(text)
            }
        };
        let mut out = Extraction::default();

        let v1_checksums = v1_checksums(&lock.metadata);
        let packages = &lock.list;

        let members = read_members(input, &mut out);
        let member_names: HashSet<&str> = members.iter().map(|m| m.name.as_str()).collect();
        let is_root = |p: &Package| {
            p.source.is_none() && (member_names.is_empty() || member_names.contains(p.name))
        };

        // Resolve each `dependencies` entry ("name", "name version" or "name version (source)").
        // The packages of one name are a chain in file order: the first in `first_of`, each
        // one's next in `next_of` (no vector per name).
        let mut first_of: HashMap<&str, usize> = HashMap::default();
        first_of.reserve(packages.len());
        let mut next_of = vec![usize::MAX; packages.len()];
        for (i, p) in packages.iter().enumerate().rev() {
            if let Some(next) = first_of.insert(p.name, i) {
                next_of[i] = next;
            }
        }
        let resolve = |dep: &str| -> Option<usize> {
            let mut parts = dep.splitn(3, ' ');
            let name = parts.next()?;
            let version = parts.next();
            let source = parts
                .next()
                .map(|s| s.trim_matches(|c| c == '(' || c == ')'));
            let mut i = *first_of.get(name)?;
            loop {
                let p = packages.get(i)?;
                if version.is_none_or(|v| v == p.version)
                    && source.is_none_or(|s| p.source == Some(s))
                {
                    return Some(i);
                }
                i = *next_of.get(i)?;
            }
        };
        let mut graph: Vec<Vec<usize>> = Vec::with_capacity(packages.len());
        for p in packages {
            let deps = lock.deps_of(p);
            let mut edges = Vec::with_capacity(deps.len());
            for dep in deps {
                match resolve(dep) {
                    Some(j) => edges.push(j),
                    None => out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Warning,
                        Some(p.line),
                        format!(
                            "`{}` depends on `{dep}`, which the lockfile does not list",
                            p.name
                        ),
                    )),
                }
            }
            graph.push(edges);
        }

        // Propagate the most-needed kind from the roots along the graph.
        let mut kind: Vec<Option<Kind>> = vec![None; packages.len()];
        let mut direct = vec![false; packages.len()];
        let mut queue = VecDeque::new();
        for (i, p) in packages.iter().enumerate() {
            if !is_root(p) {
                continue;
            }
            let member = members.iter().find(|m| m.name == p.name);
            for &j in &graph[i] {
                let dep = &packages[j];
                let k = member
                    .and_then(|m| m.deps.get(dep.name).copied())
                    .unwrap_or(Kind::Normal);
                direct[j] = true;
                if kind[j].is_none_or(|old| k < old) {
                    kind[j] = Some(k);
                    queue.push_back(j);
                }
            }
        }
        while let Some(i) = queue.pop_front() {
            let Some(k) = kind[i] else { continue };
            for &j in &graph[i] {
                if kind[j].is_none_or(|old| k < old) {
                    kind[j] = Some(k);
                    queue.push_back(j);
                }
            }
        }

        let mut purls = Vec::with_capacity(packages.len());
        for (i, p) in packages.iter().enumerate() {
            let mut c = match Component::new(Ecosystem::CratesIo, p.name, Some(p.version)) {
                Ok(c) => c,
                Err(e) => {
                    out.diagnostics.push(input.diagnostic(
                        ID,
                        Level::Error,
                        Some(p.line),
                        e.to_string(),
                    ));
                    purls.push(None);
                    continue;
                }
            };
            let root = is_root(p);
            c.relationship = if root {
                Relationship::Root
            } else if direct[i] {
                Relationship::Direct
            } else {
                Relationship::Transitive
            };
            c.scope = kind[i].map_or(Scope::Runtime, Kind::scope);
            c.source = match p.source {
                Some(s) => parse_source(s),
                None => match members.iter().find(|m| m.name == p.name) {
                    Some(m) => Source::Path {
                        path: m.dir.to_string_lossy().replace('\\', "/"),
                    },
                    // Cargo records a source for every registry and git package: one without is
                    // local (a workspace member or path dependency whose manifest is not here).
                    None => Source::Path {
                        path: String::new(),
                    },
                },
            };
            let checksum = p.checksum.or_else(|| {
                let key = format!("{} {} ({})", p.name, p.version, p.source?);
                v1_checksums.get(key.as_str()).copied()
            });
            if let Some(sum) = checksum {
                c = c.with_hash(Hash::from_hex("sha256", sum));
            }
            c = c.at(input.path, Some(p.line));
            purls.push(Some(c.key()));
            out.components.push(c);
        }
        out.edges.extend(graph::edges(&graph, &purls));
        if !members.is_empty() {
            out.manifest = Some(input.sibling("Cargo.toml"));
        }
        Ok(out)
    }
}

/// `[metadata]` of a v1 lockfile: `"checksum NAME VERSION (SOURCE)" = "HASH"`.
fn v1_checksums<'a>(metadata: &[(&'a str, &'a str)]) -> HashMap<&'a str, &'a str> {
    metadata
        .iter()
        .filter_map(|&(k, v)| Some((k.strip_prefix("checksum ")?, v)))
        .filter(|(_, v)| *v != "<none>")
        .collect()
}

fn parse_source(source: &str) -> Source {
    if let Some(url) = source
        .strip_prefix("registry+")
        .or_else(|| source.strip_prefix("sparse+"))
    {
        return Source::Registry {
            url: Some(url.to_owned()),
        };
    }
    if let Some(rest) = source.strip_prefix("git+") {
        let (url, rev) = match rest.split_once('#') {
            Some((u, r)) => (u, Some(r.to_owned())),
            None => (rest, None),
        };
        let url = url.split_once('?').map_or(url, |(u, _)| u);
        return Source::Git {
            url: url.to_owned(),
            rev,
        };
    }
    if let Some(path) = source.strip_prefix("path+") {
        return Source::Path {
            path: path.to_owned(),
        };
    }
    Source::Url {
        url: source.to_owned(),
    }
}

/// Reads the `Cargo.toml` beside the lockfile and, for a workspace, its members' manifests.
/// A manifest that cannot be read is a warning: the lockfile alone still gives every package.
fn read_members(input: &Input<'_>, out: &mut Extraction) -> Vec<Member> {
    let dir = input.path.parent().unwrap_or(Path::new("")).to_path_buf();
    let mut members = Vec::new();
    let Some(root) = read_manifest(input, &dir, out) else {
        return members;
    };
    if let Some(m) = member_of(&root, &dir) {
        members.push(m);
    }
    let ws = root.get("workspace");
    let excluded: HashSet<PathBuf> = ws
        .and_then(|w| w.get("exclude"))
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str)
        .map(|e| dir.join(e))
        .collect();
    let patterns = ws
        .and_then(|w| w.get("members"))
        .and_then(toml::Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(toml::Value::as_str);
    for pattern in patterns {
        for member_dir in expand(input, &dir, pattern) {
            if excluded.contains(&member_dir) || member_dir == dir {
                continue;
            }
            if let Some(m) =
                read_manifest(input, &member_dir, out).and_then(|t| member_of(&t, &member_dir))
            {
                members.push(m);
            }
        }
    }
    members
}

fn read_manifest(input: &Input<'_>, dir: &Path, out: &mut Extraction) -> Option<toml::Table> {
    let path = dir.join("Cargo.toml");
    let bytes = match input.fs.read(&path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => {
            out.diagnostics.push(ospo_model::Diagnostic::new(
                Level::Warning,
                ID,
                &path,
                None,
                e.to_string(),
            ));
            return None;
        }
    };
    let parsed = std::str::from_utf8(&bytes)
        .map_err(|e| ExtractError::syntax(None, e))
        .and_then(crate::toml_fast::from_str::<toml::Table>);
    match parsed {
        Ok(t) => Some(t),
        Err(e) => {
            out.diagnostics.push(ospo_model::Diagnostic::new(
                Level::Warning,
                ID,
                &path,
                e.line(),
                format!("manifest ignored: {e}"),
            ));
            None
        }
    }
}

/// Expands a workspace member pattern; only `*` within one path segment is supported, as Cargo's
/// own members are in practice (`crates/*`).
fn expand(input: &Input<'_>, dir: &Path, pattern: &str) -> Vec<PathBuf> {
    let mut current = vec![dir.to_path_buf()];
    for seg in pattern.split('/').filter(|s| !s.is_empty() && *s != ".") {
        let mut next = Vec::new();
        for base in &current {
            if let Some((pre, post)) = seg.split_once('*') {
                for name in input.fs.list(base).unwrap_or_default() {
                    if name.len() >= pre.len() + post.len()
                        && name.starts_with(pre)
                        && name.ends_with(post)
                    {
                        next.push(base.join(name));
                    }
                }
            } else {
                next.push(base.join(seg));
            }
        }
        current = next;
    }
    current
}

fn member_of(manifest: &toml::Table, dir: &Path) -> Option<Member> {
    let name = manifest.get("package")?.get("name")?.as_str()?.to_owned();
    let mut deps = HashMap::default();
    let mut add = |table: Option<&toml::Value>, kind: Kind| {
        for (key, spec) in table.and_then(toml::Value::as_table).into_iter().flatten() {
            let real = spec
                .get("package")
                .and_then(toml::Value::as_str)
                .unwrap_or(key);
            let optional = spec
                .get("optional")
                .and_then(toml::Value::as_bool)
                .unwrap_or(false);
            let k = if optional && kind == Kind::Normal {
                Kind::Optional
            } else {
                kind
            };
            let e = deps.entry(real.to_owned()).or_insert(k);
            *e = (*e).min(k);
        }
    };
    let tables = |t: &toml::Table| {
        [
            (t.get("dependencies").cloned(), Kind::Normal),
            (t.get("build-dependencies").cloned(), Kind::Build),
            (t.get("build_dependencies").cloned(), Kind::Build),
            (t.get("dev-dependencies").cloned(), Kind::Dev),
            (t.get("dev_dependencies").cloned(), Kind::Dev),
        ]
    };
    for (table, kind) in tables(manifest) {
        add(table.as_ref(), kind);
    }
    for target in manifest
        .get("target")
        .and_then(toml::Value::as_table)
        .into_iter()
        .flatten()
        .map(|(_, v)| v)
    {
        if let Some(t) = target.as_table() {
            for (table, kind) in tables(t) {
                add(table.as_ref(), kind);
            }
        }
    }
    Some(Member {
        name,
        dir: dir.to_path_buf(),
        deps,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::extractors::testutil::*;

    #[test]
    fn cargo_v4_workspace() {
        let Some((ex, p)) = extract_shared(&CargoLock, "crates.io/cargo/Cargo.lock") else {
            return;
        };
        let text = std::fs::read_to_string(
            shared_data()
                .unwrap()
                .join("lockfiles/crates.io/cargo/Cargo.lock"),
        )
        .unwrap();
        assert_eq!(ex.components.len(), text.matches("[[package]]").count());
        let purls = purls(&p);
        assert!(
            purls.contains(&"pkg:cargo/anyhow@1.0.99".to_owned())
                || purls.iter().any(|p| p.starts_with("pkg:cargo/anyhow@"))
        );
        let cargo = p.components.iter().find(|c| c.name == "cargo").unwrap();
        assert_eq!(cargo.relationship, Relationship::Root);
        assert!(ex.diagnostics.is_empty(), "{:?}", ex.diagnostics);
        assert!(!ex.edges.is_empty());
    }

    #[test]
    fn v1_metadata_checksums() {
        let Some((ex, p)) = extract_shared(&CargoLock, "crates.io/ripgrep@e402d6c/Cargo.lock")
        else {
            return;
        };
        let text = std::fs::read_to_string(
            shared_data()
                .unwrap()
                .join("lockfiles/crates.io/ripgrep@e402d6c/Cargo.lock"),
        )
        .unwrap();
        assert_eq!(ex.components.len(), text.matches("[[package]]").count());
        let hashed = p.components.iter().filter(|c| !c.hashes.is_empty()).count();
        assert!(hashed > 0 && hashed + 10 >= p.components.len(), "{hashed}");
    }

    #[test]
    fn scopes_follow_the_manifest() {
        let lock = br#"
version = 3
[[package]]
name = "app"
version = "0.1.0"
dependencies = ["serde", "cc", "proptest"]

[[package]]
name = "serde"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
checksum = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

[[package]]
name = "cc"
version = "1.0.0"
source = "registry+https://github.com/rust-lang/crates.io-index"
dependencies = ["libc"]

[[package]]
name = "libc"
version = "0.2.0"
source = "registry+https://github.com/rust-lang/crates.io-index"

[[package]]
name = "proptest"
version = "1.0.0"
source = "git+https://github.com/x/proptest?branch=main#abc123"
dependencies = ["libc", "serde"]
"#;
        let manifest = br#"
[package]
name = "app"
[dependencies]
serde = "1"
[build-dependencies]
cc = "1"
[dev-dependencies]
proptest = { git = "https://github.com/x/proptest" }
"#;
        let ex =
            extract_bytes(&CargoLock, "Cargo.lock", lock, &[("Cargo.toml", manifest)]).unwrap();
        let get = |n: &str| ex.components.iter().find(|c| c.name == n).unwrap();
        assert_eq!(get("app").relationship, Relationship::Root);
        assert_eq!(get("serde").scope, Scope::Runtime);
        assert_eq!(get("serde").relationship, Relationship::Direct);
        assert_eq!(get("serde").hashes.len(), 1);
        assert_eq!(get("cc").scope, Scope::Build);
        assert_eq!(
            get("libc").scope,
            Scope::Build,
            "reached through cc (build) and proptest (dev)"
        );
        assert_eq!(get("libc").relationship, Relationship::Transitive);
        assert_eq!(get("proptest").scope, Scope::Dev);
        assert_eq!(
            get("proptest").source,
            Source::Git {
                url: "https://github.com/x/proptest".into(),
                rev: Some("abc123".into())
            }
        );
        assert_eq!(get("serde").locations[0].line, Some(8));
        assert_eq!(ex.edges.len(), 6);
        assert_eq!(ex.manifest.as_deref(), Some(Path::new("Cargo.toml")));
    }

    #[test]
    fn broken_lockfile_names_the_line() {
        let err = extract_err(
            &CargoLock,
            "Cargo.lock",
            b"[[package]]\nname = \"a\"\nversion = 3\n",
        );
        assert_eq!(err.line(), Some(3), "{err}");
    }
}
