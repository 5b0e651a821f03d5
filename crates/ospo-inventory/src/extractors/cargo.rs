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
    members.extend(root.member);
    let excluded: HashSet<PathBuf> = root.exclude.iter().map(|e| dir.join(e)).collect();
    for pattern in &root.members {
        for member_dir in expand(input, &dir, pattern) {
            if excluded.contains(&member_dir) || member_dir == dir {
                continue;
            }
            if let Some(m) = read_manifest(input, &member_dir, out).and_then(|m| m.member) {
                members.push(m);
            }
        }
    }
    members
}

/// What the extractor reads of a manifest.
struct Manifest {
    /// Its package, with the kinds of its dependencies.
    member: Option<Member>,
    /// `workspace.members` and `workspace.exclude`: their strings.
    members: Vec<String>,
    exclude: Vec<String>,
}

fn read_manifest(input: &Input<'_>, dir: &Path, out: &mut Extraction) -> Option<Manifest> {
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
    // The fast reader's tree is walked as it is (building a `toml::Table` from it cost more
    // than reading it); a manifest outside its subset is read by the `toml` crate, whose
    // errors keep their line.
    let parsed = std::str::from_utf8(&bytes)
        .map_err(|e| ExtractError::syntax(None, e))
        .and_then(|text| match crate::toml_fast::tree(text) {
            Some(tree) => Ok(manifest(&tree, dir)),
            None => crate::toml_fast::from_str_full::<toml::Table>(text)
                .map(|t| manifest(&toml::Value::Table(t), dir)),
        });
    match parsed {
        Ok(m) => Some(m),
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

/// A manifest's value as [`manifest`] reads it: the `toml` crate's, or the fast reader's tree of
/// a document in its subset (which holds the same values: `toml_fast`'s tests check it).
trait Node {
    fn get(&self, key: &str) -> Option<&Self>;
    fn str(&self) -> Option<&str>;
    fn bool(&self) -> Option<bool>;
    /// The strings of an array (none for another value).
    fn strings(&self) -> impl Iterator<Item = &str>;
    /// The entries of a table (none for another value).
    fn entries(&self) -> impl Iterator<Item = (&str, &Self)>;
}

impl Node for toml::Value {
    fn get(&self, key: &str) -> Option<&Self> {
        toml::Value::get(self, key)
    }
    fn str(&self) -> Option<&str> {
        self.as_str()
    }
    fn bool(&self) -> Option<bool> {
        self.as_bool()
    }
    fn strings(&self) -> impl Iterator<Item = &str> {
        self.as_array()
            .into_iter()
            .flatten()
            .filter_map(toml::Value::as_str)
    }
    fn entries(&self) -> impl Iterator<Item = (&str, &Self)> {
        self.as_table()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.as_str(), v))
    }
}

impl Node for crate::toml_fast::Value<'_> {
    fn get(&self, key: &str) -> Option<&Self> {
        crate::toml_fast::Value::get(self, key)
    }
    fn str(&self) -> Option<&str> {
        self.as_str()
    }
    fn bool(&self) -> Option<bool> {
        self.as_bool()
    }
    fn strings(&self) -> impl Iterator<Item = &str> {
        crate::toml_fast::Value::strings(self)
    }
    fn entries(&self) -> impl Iterator<Item = (&str, &Self)> {
        crate::toml_fast::Value::entries(self)
    }
}

fn manifest<N: Node>(root: &N, dir: &Path) -> Manifest {
    let ws = root.get("workspace");
    let strings = |key: &str| -> Vec<String> {
        ws.and_then(|w| w.get(key))
            .into_iter()
            .flat_map(N::strings)
            .map(str::to_owned)
            .collect()
    };
    Manifest {
        member: member_of(root, dir),
        members: strings("members"),
        exclude: strings("exclude"),
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

/// The dependency tables of a manifest (and of each of its `target.*` tables).
const DEPENDENCY_TABLES: [(&str, Kind); 5] = [
    ("dependencies", Kind::Normal),
    ("build-dependencies", Kind::Build),
    ("build_dependencies", Kind::Build),
    ("dev-dependencies", Kind::Dev),
    ("dev_dependencies", Kind::Dev),
];

fn member_of<N: Node>(manifest: &N, dir: &Path) -> Option<Member> {
    let name = manifest.get("package")?.get("name")?.str()?.to_owned();
    let mut deps = HashMap::default();
    let mut add = |table: Option<&N>, kind: Kind| {
        for (key, spec) in table.into_iter().flat_map(N::entries) {
            let real = spec.get("package").and_then(N::str).unwrap_or(key);
            let optional = spec.get("optional").and_then(N::bool).unwrap_or(false);
            let k = if optional && kind == Kind::Normal {
                Kind::Optional
            } else {
                kind
            };
            let e = deps.entry(real.to_owned()).or_insert(k);
            *e = (*e).min(k);
        }
    };
    for (table, kind) in DEPENDENCY_TABLES {
        add(manifest.get(table), kind);
    }
    for (_, target) in manifest.get("target").into_iter().flat_map(N::entries) {
        for (table, kind) in DEPENDENCY_TABLES {
            add(target.get(table), kind);
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

    type Summary = (
        Option<(String, Vec<(String, Kind)>)>,
        Vec<String>,
        Vec<String>,
    );

    fn summary(m: &Manifest) -> Summary {
        let member = m.member.as_ref().map(|m| {
            let mut deps: Vec<(String, Kind)> =
                m.deps.iter().map(|(k, v)| (k.clone(), *v)).collect();
            deps.sort();
            (m.name.clone(), deps)
        });
        (member, m.members.clone(), m.exclude.clone())
    }

    /// A manifest the fast reader accepts reads the same through its tree as through the
    /// `toml` crate's table.
    fn assert_manifest_agrees(doc: &str) -> bool {
        let Some(tree) = crate::toml_fast::tree(doc) else {
            return false;
        };
        let table: toml::Table = toml::from_str(doc).unwrap();
        let dir = Path::new("ws");
        assert_eq!(
            summary(&manifest(&tree, dir)),
            summary(&manifest(&toml::Value::Table(table), dir)),
            "{doc}"
        );
        true
    }

    #[test]
    fn manifests_read_the_same_through_both_trees() {
        let doc = r#"
[package]
name = "app"
[workspace]
members = ["crates/*", 3, { a = "x" }, "tools/x"]
exclude = ["crates/old"]
[dependencies]
serde = "1"
rand = { version = "1", optional = true }
renamed = { package = "real", optional = "yes" }
odd = { package = 3 }
[target.'cfg(unix)'.dev-dependencies]
libc = "0.2"
[target.bad]
dependencies = 3
[build_dependencies]
cc = { version = "1", optional = false }
"#;
        assert!(assert_manifest_agrees(doc));
        let m = summary(&manifest(
            &crate::toml_fast::tree(doc).unwrap(),
            Path::new(""),
        ));
        assert_eq!(m.1, ["crates/*", "tools/x"]);
        let (name, deps) = m.0.unwrap();
        assert_eq!(name, "app");
        assert!(deps.contains(&("rand".to_owned(), Kind::Optional)));
        assert!(deps.contains(&("real".to_owned(), Kind::Normal)));
        assert!(deps.contains(&("odd".to_owned(), Kind::Normal)));
        assert!(deps.contains(&("libc".to_owned(), Kind::Dev)));
        assert!(deps.contains(&("cc".to_owned(), Kind::Build)));
        for doc in [
            "package = 3\n",
            "[package]\nname = 1\n",
            "workspace = []\n",
            "",
        ] {
            assert!(assert_manifest_agrees(doc), "{doc}");
        }
        // The corpus's manifests: the ones the fast reader accepts.
        if let Some(data) = shared_data() {
            let uv = std::fs::read_to_string(data.join("lockfiles/crates.io/uv/Cargo.toml"));
            assert!(assert_manifest_agrees(&uv.unwrap()));
        }
    }

    proptest::proptest! {
        /// Generated manifests (values of every type where a string, a bool or a table is
        /// expected) read the same through both trees.
        #[test]
        fn generated_manifests_read_the_same(doc in manifest_strategy()) {
            proptest::prop_assert!(assert_manifest_agrees(&doc), "{}", doc);
        }
    }

    fn manifest_strategy() -> impl proptest::strategy::Strategy<Value = String> {
        use proptest::prelude::*;
        let scalar = prop_oneof![
            Just("\"x\"".to_owned()),
            Just("\"crates/*\"".to_owned()),
            Just("true".to_owned()),
            Just("false".to_owned()),
            Just("3".to_owned()),
            Just("[\"a\", 1]".to_owned()),
            Just("{}".to_owned()),
        ];
        let spec = (
            proptest::option::of(scalar.clone()),
            proptest::option::of(scalar.clone()),
            any::<bool>(),
        )
            .prop_map(|(package, optional, plain)| {
                let mut kv = vec!["version = \"1\"".to_owned()];
                kv.extend(package.map(|p| format!("package = {p}")));
                kv.extend(optional.map(|o| format!("optional = {o}")));
                if plain {
                    "\"1.0\"".to_owned()
                } else {
                    format!("{{ {} }}", kv.join(", "))
                }
            });
        let table = proptest::collection::btree_map("[a-d]", spec, 0..4).prop_map(|deps| {
            deps.into_iter()
                .map(|(k, v)| format!("{k} = {v}\n"))
                .collect::<String>()
        });
        let kind = prop_oneof![
            Just("dependencies"),
            Just("dev-dependencies"),
            Just("build-dependencies"),
            Just("dev_dependencies"),
            Just("build_dependencies"),
        ];
        (
            proptest::option::of(scalar.clone()),
            proptest::option::of(proptest::collection::vec(scalar.clone(), 0..4)),
            proptest::collection::btree_map(kind.clone(), table.clone(), 0..3),
            proptest::collection::btree_map(("[xy]", kind), table, 0..3),
        )
            .prop_map(|(name, members, tables, targets)| {
                let mut doc = String::new();
                if let Some(n) = name {
                    doc.push_str(&format!("[package]\nname = {n}\n"));
                }
                if let Some(m) = members {
                    doc.push_str(&format!("[workspace]\nmembers = [{}]\n", m.join(", ")));
                }
                for (kind, body) in tables {
                    doc.push_str(&format!("[{kind}]\n{body}"));
                }
                for ((target, kind), body) in targets {
                    doc.push_str(&format!("[target.{target}.{kind}]\n{body}"));
                }
                doc
            })
    }

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
